"""Rules that tie fields of different sections together (the scenario model calls these).

Each rule is one a scenario can break while every field is in range on its own, and each
would otherwise give a confident but wrong result (burns silently skipped, a reentry "at the
epoch"). A broken rule raises ``Inconsistent`` naming the fields, the one to fix first.
Altitudes are metres, dates naive UTC datetimes, as the model holds them.
"""

from __future__ import annotations


class Inconsistent(ValueError):
    """Fields that cannot all hold; ``fields`` names them, first the one to fix."""

    def __init__(self, fields: tuple[str, ...], message: str):
        super().__init__(message)
        self.fields = fields


def km(metres: float) -> str:
    return f"{metres / 1e3:g} km"


def initial_perigee(orbit) -> tuple[float, str]:
    """The initial orbit's lowest altitude (m) and the field that gives it."""
    if orbit.mean_altitude is not None:
        return orbit.mean_altitude, "orbit.mean_altitude"
    return orbit.perigee, "orbit.perigee"


def initial_apogee(orbit) -> tuple[float, str]:
    if orbit.mean_altitude is not None:
        return orbit.mean_altitude, "orbit.mean_altitude"
    return orbit.apogee, "orbit.apogee"


def check_dates(sc) -> None:
    """Storms inside the run (a storm outside it would silently change nothing)."""
    for k, storm in enumerate(sc.solar_activity.storms):
        where = f"solar_activity.storms.{k}.start"
        if storm.start < sc.epoch:
            raise Inconsistent((where, "epoch"), f"{where} ({storm.start:%Y-%m-%d}) is before "
                               f"epoch ({sc.epoch:%Y-%m-%d}); the storm would have no effect")
        if sc.end is not None and storm.start >= sc.end:
            raise Inconsistent((where, "end"), f"{where} ({storm.start:%Y-%m-%d}) is not "
                               f"before end ({sc.end:%Y-%m-%d}); the storm would have no effect")


def check_altitudes(sc) -> None:
    perigee, perigee_field = initial_perigee(sc.orbit)
    if sc.stop_altitude >= perigee:
        raise Inconsistent(("stop_altitude", perigee_field),
                           f"stop_altitude ({km(sc.stop_altitude)}) must be below the initial "
                           f"orbit ({perigee_field} = {km(perigee)}); the run would end at the "
                           "epoch")
    _check_boost(sc)
    _check_deorbit(sc)


def _check_boost(sc) -> None:
    if sc.boost is None:
        return
    apogee, apogee_field = initial_apogee(sc.orbit)
    if sc.boost.altitude <= apogee:
        raise Inconsistent(("boost.altitude", apogee_field),
                           f"boost.altitude ({km(sc.boost.altitude)}) must be above the initial "
                           f"orbit ({apogee_field} = {km(apogee)}): a boost raises the orbit")
    if sc.reboost is not None and sc.boost.altitude <= sc.reboost.target:
        raise Inconsistent(("boost.altitude", "reboost.target"),
                           f"boost.altitude ({km(sc.boost.altitude)}) must be above "
                           f"reboost.target ({km(sc.reboost.target)}), the orbit it starts from")


def _check_deorbit(sc) -> None:
    lowering = sc.perigee_lowering
    apogee, apogee_field = initial_apogee(sc.orbit)
    if lowering is not None and lowering.perigees and lowering.perigees[0] >= apogee:
        raise Inconsistent(("perigee_lowering.perigees.0", apogee_field),
                           f"perigee_lowering.perigees.0 ({km(lowering.perigees[0])}) must be "
                           f"below the initial orbit ({apogee_field} = {km(apogee)})")
    if lowering is not None:
        for k, target in enumerate(lowering.perigees):
            if target <= sc.stop_altitude:
                raise Inconsistent(
                    (f"perigee_lowering.perigees.{k}", "stop_altitude"),
                    f"perigee_lowering.perigees.{k} ({km(target)}) must be above stop_altitude "
                    f"({km(sc.stop_altitude)}); the run would end before the later burns")
    crew = sc.crew_departure
    if lowering is not None and crew is not None and crew.altitude is not None \
            and crew.date is None and crew.altitude < lowering.start_altitude:
        raise Inconsistent(("crew_departure.altitude", "perigee_lowering.start_altitude"),
                           f"crew_departure.altitude ({km(crew.altitude)}) is below "
                           f"perigee_lowering.start_altitude ({km(lowering.start_altitude)}); "
                           "the crew leaves before the deorbit burns begin")
    final = sc.final_burn
    if final is None or final.target_perigee == "lowest" or final.delta_v is not None:
        return
    if lowering is not None and lowering.perigees:
        last, last_field = lowering.perigees[-1], \
            f"perigee_lowering.perigees.{len(lowering.perigees) - 1}"
    elif lowering is not None and lowering.start_date is None:
        last, last_field = lowering.start_altitude, "perigee_lowering.start_altitude"
    else:
        last, last_field = initial_perigee(sc.orbit)
    if final.target_perigee >= last:
        raise Inconsistent(("final_burn.target_perigee", last_field),
                           f"final_burn.target_perigee ({km(final.target_perigee)}) must be "
                           f"below {last_field} ({km(last)}): the final burn lowers the perigee")


def check_descent(sc) -> None:
    """The active descent's tanks exist, its dates lie in the run after reboosts stop, and its
    waypoints lie between the initial orbit and the deorbit burns."""
    descent = sc.active_descent
    if descent is None:
        return
    _check_descent_sections(sc)
    names = [t.name for t in sc.tanks] + (["usdv"] if sc.usdv is not None else [])
    for k, name in enumerate(descent.tanks):
        if name not in names:
            raise Inconsistent((f"active_descent.tanks.{k}", "tanks"),
                               f"active_descent.tanks.{k} names unknown tank {name!r}; tanks "
                               f"are {names}")
    if descent.start < sc.epoch:
        raise Inconsistent(("active_descent.start", "epoch"),
                           f"active_descent.start ({descent.start:%Y-%m-%d}) is before epoch "
                           f"({sc.epoch:%Y-%m-%d})")
    last = descent.waypoints[-1]
    last_field = f"active_descent.waypoints.{len(descent.waypoints) - 1}"
    if sc.end is not None and last.date >= sc.end:
        raise Inconsistent((f"{last_field}.date", "end"),
                           f"{last_field}.date ({last.date:%Y-%m-%d}) is not before end "
                           f"({sc.end:%Y-%m-%d})")
    _check_descent_altitudes(sc, last, last_field)
    usdv = sc.usdv
    if descent.tanks == ["usdv"] and usdv.docking is not None and usdv.docking > descent.start:
        raise Inconsistent(("active_descent.start", "usdv.docking"),
                           f"active_descent.start ({descent.start:%Y-%m-%d}) is before "
                           f"usdv.docking ({usdv.docking:%Y-%m-%d}): the descent draws only "
                           "on the USDV, which is not there yet")


def _check_descent_sections(sc) -> None:
    descent = sc.active_descent
    if sc.plan is not None:
        raise Inconsistent(("active_descent", "plan"),
                           "give plan or active_descent, not both: the planner finds when "
                           "reboosts stop for natural decay; an active descent sets the "
                           "timeline itself")
    if sc.boost is not None:
        raise Inconsistent(("active_descent", "boost"),
                           "give boost or active_descent, not both: one raises the orbit, the "
                           "other lowers it")
    if sc.reboost is not None and (sc.reboost.until is None or
                                   sc.reboost.until > descent.start):
        until = "not given" if sc.reboost.until is None else f"{sc.reboost.until:%Y-%m-%d}"
        raise Inconsistent(("reboost.until", "active_descent.start"),
                           f"reboost.until ({until}) must be on or before "
                           f"active_descent.start ({descent.start:%Y-%m-%d}): reboosts stop "
                           "before the station is lowered")


def _check_descent_altitudes(sc, last, last_field: str) -> None:
    descent = sc.active_descent
    first = descent.waypoints[0]
    apogee, apogee_field = initial_apogee(sc.orbit)
    ceiling, ceiling_field = (sc.reboost.target, "reboost.target") if sc.reboost is not None \
        else (apogee, apogee_field)
    if first.altitude >= ceiling:
        raise Inconsistent(("active_descent.waypoints.0.altitude", ceiling_field),
                           f"active_descent.waypoints.0.altitude ({km(first.altitude)}) must "
                           f"be below {ceiling_field} ({km(ceiling)}): the descent lowers the "
                           "station")
    if last.altitude <= sc.stop_altitude:
        raise Inconsistent((f"{last_field}.altitude", "stop_altitude"),
                           f"{last_field}.altitude ({km(last.altitude)}) must be above "
                           f"stop_altitude ({km(sc.stop_altitude)})")
    lowering = sc.perigee_lowering
    if lowering is None or sc.usdv is None:
        return
    if lowering.start_date is None and last.altitude < lowering.start_altitude:
        raise Inconsistent((f"{last_field}.altitude", "perigee_lowering.start_altitude"),
                           f"{last_field}.altitude ({km(last.altitude)}) is below "
                           f"perigee_lowering.start_altitude ({km(lowering.start_altitude)}): "
                           "the deorbit burns would begin before the descent ends")
    if lowering.start_date is not None and lowering.start_date < last.date:
        raise Inconsistent(("perigee_lowering.start_date", f"{last_field}.date"),
                           f"perigee_lowering.start_date ({lowering.start_date:%Y-%m-%d}) is "
                           f"before {last_field}.date ({last.date:%Y-%m-%d}): the deorbit "
                           "burns would begin before the descent ends")
