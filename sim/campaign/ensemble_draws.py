"""The random draws of an ensemble and the scenario each sample flies.

Sample k draws from ``SeedSequence(seed, spawn_key=(k,))`` (the k-th child of
``SeedSequence(seed).spawn(n)``, read as 64-bit words; ``sim.core.seed_words`` hashes them for
a whole chunk at once), always the same fixed list of numbers whatever is switched on, so the
draws do not depend on how samples are split into chunks, and switching one source off leaves
every other draw as it was. A chunk's draws are held as columns (``SampleDraws``), one row a
sample.

The plan is a decision taken now: each sample keeps the nominal plan's reboost stop date; a
docking given as a lead time before the burns follows the sample's own decay (the USDV is
launched for when the station gets there, later by the docking slip), a docking given as a
date stays on that date (plus the slip). What the Sun, the atmosphere, the station's drag,
the burns and the schedule then do is drawn.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

import numpy as np

from sim.core.seed_words import spawned_words
from sim.core.solar_realisations import CycleSpread
from sim.scenario.loader import LoadedScenario
from sim.scenario.model import UncertaintySpec
from sim.scenario.units import from_day, to_day

from .environment import BANK_ROWS
from .station import ISS_PRESET

MAX_BURNS = 8  # burn execution draws per sample (later burns execute as planned)
CLIP_SIGMA = 3.0  # normal draws are clipped here (no 10-sigma Sun from a 7-cycle record)
N_NORMALS = 8 + 2 * MAX_BURNS


@dataclass(frozen=True)
class SampleDraw:
    index: int
    flux_scale: float  # amplitude above the quiet-Sun floor, times the scenario's
    shift_days: int  # cycle timing, added to the scenario's shift
    bank_row: int  # day-to-day residual series (-1: none)
    density_scale: float
    ballistic_factor: float
    thrust_factor: float
    ready_slip_days: float
    docking_slip_days: float
    crew_slip_days: float
    burn_factors: tuple[float, ...]


@dataclass(frozen=True)
class SampleDraws:
    """The draws of consecutive samples, one array a field of ``SampleDraw`` (one row a
    sample; ``burn_factors`` is (n, MAX_BURNS))."""

    index: np.ndarray
    flux_scale: np.ndarray
    shift_days: np.ndarray
    bank_row: np.ndarray
    density_scale: np.ndarray
    ballistic_factor: np.ndarray
    thrust_factor: np.ndarray
    ready_slip_days: np.ndarray
    docking_slip_days: np.ndarray
    crew_slip_days: np.ndarray
    burn_factors: np.ndarray

    def __len__(self) -> int:
        return int(self.index.size)

    def row(self, i: int) -> SampleDraw:
        scalars = (getattr(self, f.name)[i].item() for f in fields(SampleDraw)[:-1])
        return SampleDraw(*scalars, tuple(self.burn_factors[i].tolist()))

    @staticmethod
    def concat(parts: list[SampleDraws]) -> SampleDraws:
        return SampleDraws(*(np.concatenate([getattr(p, f.name) for p in parts])
                             for f in fields(SampleDraws)))


@dataclass(frozen=True)
class Decision:
    """What the nominal plan fixed: reboost stop, docking date (absolute days), target."""

    stop_day: float | None
    docking_day: float | None
    target_day: float | None
    nominal_reentry_day: float | None


def _clipped(z: np.ndarray) -> np.ndarray:
    return np.clip(z, -CLIP_SIGMA, CLIP_SIGMA)


def _standard_draws(seed: int, start: int, stop: int) -> tuple[np.ndarray, np.ndarray]:
    """Clipped standard normals (n, N_NORMALS) and bank rows of samples start ... stop - 1,
    each from its own seed sequence read as 64-bit words through the inverse normal CDF."""
    from scipy.special import ndtri  # ~50 ms to import: only ensembles pay for it

    words = spawned_words(seed, np.arange(start, stop), N_NORMALS + 1)
    uniform = ((words >> np.uint64(11)).astype(np.float64) + 0.5) / 2.0 ** 53
    return _clipped(ndtri(uniform[:, :N_NORMALS])), (uniform[:, N_NORMALS] * BANK_ROWS
                                                      ).astype(np.int64)


def draw_samples(seed: int, start: int, stop: int, spec: UncertaintySpec,
                 spread: CycleSpread) -> SampleDraws:
    """The draws of samples ``start`` ... ``stop - 1`` (independent of any chunking)."""
    z, rows = _standard_draws(seed, start, stop)
    n = len(z)
    burns = 1.0 + spec.burn_magnitude * z[:, 8:8 + MAX_BURNS]
    pointing = np.abs(spec.burn_pointing * z[:, 8 + MAX_BURNS:])  # along-track: cos(angle)
    flux = np.exp(spread.amplitude_sigma_ln * z[:, 0]) if spec.solar_amplitude else np.ones(n)
    shift = np.round(spread.timing_sigma_days * z[:, 1]).astype(np.int64) \
        if spec.solar_timing else np.zeros(n, np.int64)
    return SampleDraws(
        index=np.arange(start, stop, dtype=np.int64), flux_scale=flux, shift_days=shift,
        bank_row=rows if spec.solar_daily else -np.ones_like(rows),
        density_scale=np.exp(spec.density * z[:, 2]),
        ballistic_factor=np.exp(spec.ballistic * z[:, 3]),
        thrust_factor=np.clip(1.0 + spec.thrust * z[:, 4], 0.5, 1.5),
        ready_slip_days=np.abs(spec.usdv_ready_slip * z[:, 5]),
        docking_slip_days=np.abs(spec.docking_slip * z[:, 6]),
        crew_slip_days=np.abs(spec.crew_departure_slip * z[:, 7]),
        burn_factors=np.clip(burns * np.cos(pointing), 0.51, 1.5))


def _object(loaded: LoadedScenario, factor: float):
    spec = loaded.scenario.object
    if spec.ballistic_coefficient is not None:
        return spec.model_copy(update={"ballistic_coefficient":
                                       spec.ballistic_coefficient * factor})
    cd = spec.drag_coefficient if spec.drag_coefficient is not None else \
        ISS_PRESET["drag_coefficient"]
    return spec.model_copy(update={"drag_coefficient": cd / factor})  # B = m / (C_D A)


def sample_scenario(loaded: LoadedScenario, decision: Decision, draw: SampleDraw, seed: int,
                    end_day: float) -> LoadedScenario:
    """The scenario sample ``draw`` flies: the nominal decision, the drawn world."""
    sc = loaded.scenario
    solar = sc.solar_activity
    update: dict = {"plan": None, "end": from_day(end_day),
                    "object": _object(loaded, draw.ballistic_factor),
                    "atmosphere": sc.atmosphere.model_copy(update={
                        "density_scale": sc.atmosphere.density_scale * draw.density_scale})}
    if solar.constant_f107 is None:
        update["solar_activity"] = solar.model_copy(update={
            "scale": solar.effective_scale * draw.flux_scale,
            "shift": solar.shift + draw.shift_days,
            "variability": (seed, draw.bank_row) if draw.bank_row >= 0 else None})
    if sc.reboost is not None and decision.stop_day is not None:
        update["reboost"] = sc.reboost.model_copy(update={"until": from_day(decision.stop_day)})
    if sc.usdv is not None:
        usdv = {"thruster_thrust": sc.usdv.thruster_thrust * draw.thrust_factor,
                "burn_execution": list(draw.burn_factors)}
        if sc.usdv.docking is not None:
            usdv["docking"] = from_day(to_day(sc.usdv.docking) + draw.docking_slip_days)
        else:  # docking follows the sample's own decay, the slip shortens the lead time
            usdv["lead_time"] = max(sc.usdv.lead_time - draw.docking_slip_days, 0.0)
        if sc.usdv.launch_ready is not None:
            usdv["launch_ready"] = from_day(to_day(sc.usdv.launch_ready) + draw.ready_slip_days)
        update["usdv"] = sc.usdv.model_copy(update=usdv)
    crew = sc.crew_departure
    if crew is not None and crew.date is not None:
        update["crew_departure"] = crew.model_copy(update={
            "date": from_day(to_day(crew.date) + draw.crew_slip_days)})
    return LoadedScenario(sc.model_copy(update=update), loaded.path, loaded.sources,
                          loaded.raw)
