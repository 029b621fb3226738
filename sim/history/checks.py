"""What an observation of an orbiting object can physically be: the rules every reader applies.

- An epoch is an observation: not after the current UTC time (plus ``FUTURE_SLACK_DAYS`` for
  a clock or time zone off by hours), not before Sputnik 1's launch (``FIRST_SATELLITE``).
  Epochs after the last observed day of the solar-flux record are fine (newer element sets
  than the shipped flux); the calibration handles those.
- The mean altitude is at least 100 km (below, nothing completes an orbit), and drag must
  reach the orbit: its perigee at most 2000 km (above, drag is nil and the atmosphere tables
  end). Without a perigee the orbit is taken as circular: mean altitude at most 2000 km. An
  eccentric orbit (a reentering transfer-orbit stage) may have a far higher mean altitude.
- Perigee and apogee bracket the mean altitude (within ``ROUNDING_KM``); the perigee is at
  least ``MIN_PERIGEE_KM``. The mean altitude is their midpoint (``a (1 +- e) - R_eq``), so an
  apogee more than the mean altitude minus ``MIN_PERIGEE_KM`` above it implies a perigee
  below that floor.
- The inclination lies in 0 .. 180 deg.
- A history is one object: element sets of several catalogue numbers are refused.

Each refusal is a ``HistoryError`` naming the file, place, field, value and what is allowed.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter

from .altitude_history import HistoryError

FIRST_SATELLITE = dt.datetime(1957, 10, 4)  # Sputnik 1
FUTURE_SLACK_DAYS = 1.0
MEAN_ALT_KM = (100.0, 2000.0)  # the upper bound applies to the perigee when it is known
MIN_PERIGEE_KM = 60.0
ROUNDING_KM = 0.5  # tables round altitudes; a bracket this far off is still consistent
INCLINATION_DEG = (0.0, 180.0)
_UNIX = dt.datetime(1970, 1, 1)


def _day_of(when: dt.datetime) -> float:
    return (when - _UNIX).total_seconds() / 86400.0


def _iso(day: float) -> str:
    return (_UNIX + dt.timedelta(days=day)).strftime("%Y-%m-%dT%H:%M:%SZ")


def _km(value: float) -> str:
    """A value as a table would write it: at most four decimals, no trailing zeros."""
    return f"{value:.4f}".rstrip("0").rstrip(".")


def _refused(where: str, field: str, shown: str, why: str) -> HistoryError:
    """The one message form: the place, the field and its value, then what is allowed."""
    return HistoryError(f"{where}: field {field!r} = {shown}: {why}")


def latest_epoch_day() -> float:
    """The latest acceptable epoch (days since 1970): now (UTC) plus the slack."""
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    return _day_of(now) + FUTURE_SLACK_DAYS


def check_epoch(day: float, where: str, field: str, shown: str) -> None:
    """Refuse an epoch before the first satellite or after now (+ slack)."""
    first = _day_of(FIRST_SATELLITE)
    latest = latest_epoch_day()
    iso = _iso(day)
    shown = repr(shown) if shown.rstrip("Z")[:19] == iso[:19] else f"{shown!r} ({iso})"
    if day < first:
        raise _refused(where, field, shown, f"before {FIRST_SATELLITE:%Y-%m-%d} (Sputnik 1, "
                       "the first satellite); an epoch must lie between then and now")
    if day > latest:
        raise _refused(where, field, shown, f"in the future (after {_iso(latest)}, now plus "
                       f"{FUTURE_SLACK_DAYS:g} day); an epoch is an observation, between "
                       "1957-10-04 and now")


def check_mean_altitude(alt_km: float, where: str, field: str, shown: str,
                        perigee_km: float = math.nan) -> None:
    """Mean altitude >= 100 km, and drag reaching the orbit: perigee (or, unknown, the mean
    altitude) <= 2000 km."""
    low, high = MEAN_ALT_KM
    if not (math.isfinite(alt_km) and alt_km >= low):
        raise _refused(where, field, shown, f"mean altitude must be at least {low:g} km "
                       "(below, nothing orbits)")
    if math.isfinite(perigee_km):
        if perigee_km > high:
            raise _refused(where, field, shown, f"perigee {_km(perigee_km)} km; drag reaches "
                           f"an orbit whose perigee is at most {high:g} km (above, it is nil "
                           "and outside the atmosphere tables)")
    elif alt_km > high:
        raise _refused(where, field, shown, f"mean altitude must lie in {low:g} .. {high:g} "
                       "km when no perigee is given (above, drag is nil and outside the "
                       "atmosphere tables)")


def check_bracket(mean_km: float, apogee_km: float, perigee_km: float, where: str,
                  names: tuple[str, str, str] = ("mean_alt_km", "apogee_km", "perigee_km"),
                  ) -> None:
    """Perigee <= mean <= apogee (within rounding), perigee >= 60 km, apogee consistent with
    that floor; NaN apogee or perigee (unknown) is allowed."""
    mean_name, apo_name, peri_name = names
    mean = f"{mean_name} = {_km(mean_km)}"
    rounding = f"(by more than {ROUNDING_KM:g} km of rounding)"
    if math.isfinite(perigee_km):
        field = f"{where}: field {peri_name!r} = {_km(perigee_km)}"
        if perigee_km < MIN_PERIGEE_KM:
            raise HistoryError(f"{field}: a perigee must be at least {MIN_PERIGEE_KM:g} km "
                               "(lower, the object has re-entered)")
        if perigee_km > mean_km + ROUNDING_KM:
            raise HistoryError(f"{field}: above {mean}; the perigee must not exceed the mean "
                               f"altitude {rounding}")
    if math.isfinite(apogee_km):
        field = f"{where}: field {apo_name!r} = {_km(apogee_km)}"
        if apogee_km < mean_km - ROUNDING_KM:
            raise HistoryError(f"{field}: below {mean}; the apogee must not be below the mean "
                               f"altitude {rounding}")
        highest = 2.0 * mean_km - MIN_PERIGEE_KM + ROUNDING_KM
        if apogee_km > highest:
            raise HistoryError(f"{field}: above {_km(highest)} km; the mean altitude "
                               f"({_km(mean_km)} km) is midway between apogee and perigee, so "
                               f"a higher apogee means a perigee below {MIN_PERIGEE_KM:g} km")


def check_inclination(inc_deg: float, where: str, field: str, shown: str) -> None:
    low, high = INCLINATION_DEG
    if not (math.isfinite(inc_deg) and low <= inc_deg <= high):
        raise _refused(where, field, shown, f"an inclination must lie in {low:g} .. {high:g} deg")


def check_one_object(catalogue_numbers: list[str], name: str) -> None:
    """Refuse element sets of more than one object (catalogue number / NORAD id)."""
    counts = Counter(catalogue_numbers)
    if len(counts) > 1:
        found = ", ".join(f"{cat} ({n} set{'s' if n > 1 else ''})"
                          for cat, n in sorted(counts.items(), key=lambda kv: -kv[1]))
        raise HistoryError(f"{name}: element sets of {len(counts)} objects, catalogue numbers "
                           f"(NORAD ids) {found}; a history must hold one object: keep the "
                           "sets of one catalogue number")
