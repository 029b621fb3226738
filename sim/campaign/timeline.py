"""The run's record: time-series rows, phases and events, as the campaign advances.

Rows come from the propagator's daily output; tank levels between bookkeeping points are
interpolated with the daily attitude/resupply rates so the propellant curves are smooth, and
the exact bookkeeping is applied at the end of each segment.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from sim.core.constants import R_EARTH
from sim.core.decay import DecayRun

from sim.scenario.units import iso_utc

from .station import Station
from .vocabulary import EventKind, Phase


@dataclass(frozen=True)
class Event:
    """Something that happened at one moment: a burn, a docking, the reentry."""

    day: float  # days since 1970
    kind: EventKind
    altitude_m: float
    delta_v_m_s: float = 0.0
    propellant_kg: float = 0.0
    details: dict = field(default_factory=dict)  # burn duration, perigee after, ...

    def as_dict(self) -> dict:
        return {"time_utc": iso_utc(self.day), "kind": self.kind.value,
                "altitude_km": round(self.altitude_m / 1e3, 3),
                "delta_v_m_s": round(self.delta_v_m_s, 4),
                "propellant_kg": round(self.propellant_kg, 3), **self.details}


@dataclass
class Timeline:
    tank_names: list[str]
    recording: bool = True  # False: keep events and phases only (planner evaluations)
    t: list = field(default_factory=list)
    states: list = field(default_factory=list)
    phase: list = field(default_factory=list)
    mass: list = field(default_factory=list)
    tanks: list = field(default_factory=list)  # rows of per-tank propellant
    dv_cum: list = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    phases: list = field(default_factory=list)  # {name, start_day, end_day}

    def add_rows(self, t_abs: np.ndarray, states: np.ndarray, station: Station, phase: Phase,
                 dv_cum: float, tank_rate: dict[str, float]) -> None:
        """Rows at absolute days ``t_abs``; tank levels move at ``tank_rate`` kg/day."""
        if not self.recording:
            if len(t_abs):
                self._extend_phase(phase, float(t_abs[0]), float(t_abs[-1]))
            return
        keep = ~np.isnan(states[:, 0])
        t_abs, states = t_abs[keep], states[keep]
        if self.t and len(t_abs) and t_abs[0] <= self.t[-1][-1]:
            t_abs, states = t_abs[1:], states[1:]  # first row repeats the last one
        if not len(t_abs):
            return
        elapsed = (t_abs - t_abs[0])[:, None]
        now = np.array([station.tanks[n].propellant if n in station.tanks else 0.0
                        for n in self.tank_names])
        rate = np.array([tank_rate.get(n, 0.0) for n in self.tank_names])
        levels = np.maximum(now[None, :] + rate[None, :] * elapsed, 0.0)
        self.t.append(t_abs)
        self.states.append(states)
        self.phase.extend([phase.value] * len(t_abs))
        self.mass.append(station.mass + levels.sum(axis=1) - station.propellant)
        self.tanks.append(levels)
        self.dv_cum.append(np.full(len(t_abs), dv_cum))
        self._extend_phase(phase, float(t_abs[0]), float(t_abs[-1]))

    def add_run(self, run: DecayRun, first_day: float, station: Station, phase: Phase,
                dv_cum: float, tank_rate: dict[str, float]) -> None:
        if not self.recording:
            self._extend_phase(phase, run.t_days[0] + first_day, run.t_stop[0] + first_day)
            return
        rows = run.t_days <= run.t_stop[0] + 1e-9
        t_abs = np.append(run.t_days[rows], run.t_stop[0]) + first_day
        states = np.vstack([run.states[0][rows], run.final[0][None, :]])
        t_abs, idx = np.unique(t_abs, return_index=True)
        self.add_rows(t_abs, states[idx], station, phase, dv_cum, tank_rate)

    def add_point(self, t_abs: float, state: np.ndarray, station: Station, phase: Phase,
                  dv_cum: float) -> None:
        self.add_rows(np.array([t_abs]), state[None, :], station, phase, dv_cum, {})

    def _extend_phase(self, phase: Phase, start: float, end: float) -> None:
        if self.phases and self.phases[-1]["name"] == phase.value:
            self.phases[-1]["end_day"] = end
        else:
            if self.phases:
                start = min(start, self.phases[-1]["end_day"])
            self.phases.append({"name": phase.value, "start_day": start, "end_day": end})

    def event(self, t_abs: float, kind: EventKind, state: np.ndarray, dv: float = 0.0,
              propellant: float = 0.0, **extra) -> None:
        self.events.append(Event(float(t_abs), kind, float(state[0] - R_EARTH), float(dv),
                                 float(propellant), extra))

    def arrays(self) -> dict[str, np.ndarray]:
        if not self.t:
            return {}
        return {"t": np.concatenate(self.t), "states": np.vstack(self.states),
                "phase": np.array(self.phase), "mass": np.concatenate(self.mass),
                "tanks": np.vstack(self.tanks), "dv_cum": np.concatenate(self.dv_cum)}
