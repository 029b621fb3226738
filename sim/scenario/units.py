"""Quantities with units, parsed once at the scenario boundary into SI floats.

Scenario values are strings such as ``"415 km"``, ``"473 t"``, ``"1525 m2"`` or ``"18 months"``.
The units scenarios use are read from a small table with astropy's own conversion factors (a
fast path: importing astropy.units costs ~0.6 s, half a cold run); anything else goes to
astropy, which parses any unit it knows. A test checks the two agree to the bit. Months are not
an astropy unit; they are taken as 30.4375 days.
"""

from __future__ import annotations

import datetime as dt
import re

MONTH_DAYS = 30.4375
_MONTHS = re.compile(r"^\s*([-+0-9.eE]+)\s*(months?|mo)\s*$")
_SIMPLE = re.compile(r"^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*([A-Za-z][A-Za-z0-9/]*)\s*$")
# ISO 8601 calendar dates only (no week or ordinal dates, no basic format); UTC or an offset
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?)?"
                       r"\s*([Zz]|[+-]\d{2}:?\d{2})?$")
MAX_QUANTITY_CHARS = 64  # astropy's unit parser is slow on long made-up expressions
DATE_EXAMPLE = "write e.g. '2025-06-01' or '2025-06-01T12:00:00Z'"

# what each kind of quantity converts to (an astropy unit string), and an example for errors
KINDS = {
    "length": ("m", "415 km"),
    "mass": ("kg", "473 t"),
    "area": ("m2", "1525 m2"),
    "ballistic": ("kg/m2", "150 kg/m2"),
    "angle": ("rad", "51.64 deg"),
    "speed": ("m/s", "1.5 m/s"),
    "force": ("N", "400 N"),
    "time": ("s", "300 s"),
    "duration": ("d", "4 d"),
    "mass_rate": ("kg/d", "2 kg/d"),
    "mass_per_year": ("kg/yr", "7000 kg/yr"),
}

# astropy's factors to each kind's unit, as astropy computes them (checked in the tests)
FAST_UNITS = {
    "length": {"m": 1.0, "km": 1000.0},
    "mass": {"kg": 1.0, "t": 1000.0, "g": 0.001},
    "area": {"m2": 1.0, "km2": 1000000.0},
    "ballistic": {"kg/m2": 1.0},
    "angle": {"rad": 1.0, "deg": 0.017453292519943295},
    "speed": {"m/s": 1.0, "km/s": 1000.0},
    "force": {"N": 1.0, "kN": 1000.0},
    "time": {"s": 1.0, "min": 60.0, "h": 3600.0},
    "duration": {"d": 1.0, "day": 1.0, "h": 0.041666666666666664, "yr": 365.25,
                 "s": 1.1574074074074073e-05, "min": 0.0006944444444444445},
    "mass_rate": {"kg/d": 1.0, "t/d": 1000.0},
    "mass_per_year": {"kg/yr": 1.0, "t/yr": 1000.0},
}


class QuantityError(ValueError):
    """A value that is not a quantity of the expected kind."""


def parse_quantity(value, kind: str) -> float:
    """The value of ``value`` in the SI unit of ``kind`` (see KINDS; durations in days)."""
    target, example = KINDS[kind]
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise QuantityError(f"expected a quantity with a unit, e.g. '{example}'")
    if isinstance(value, (int, float)):
        if value == 0:
            return 0.0
        raise QuantityError(f"a number needs a unit here, e.g. '{example}'")
    if len(value) > MAX_QUANTITY_CHARS:
        raise QuantityError(f"{value[:20]!r}... is {len(value)} characters; a quantity is "
                            f"at most {MAX_QUANTITY_CHARS}, e.g. '{example}'")
    if kind == "duration":
        match = _MONTHS.match(value)
        if match:
            return float(match.group(1)) * MONTH_DAYS
    simple = _SIMPLE.match(value)
    factor = FAST_UNITS[kind].get(simple.group(2)) if simple else None
    if factor is not None:
        result = float(simple.group(1)) * factor
        if result != result or abs(result) == float("inf"):
            raise QuantityError(f"{value!r} is not a finite number")
        return result
    return _parse_with_astropy(value, kind, target, example)


def _parse_with_astropy(value: str, kind: str, target: str, example: str) -> float:
    import astropy.units as u

    try:
        quantity = u.Quantity(value)
    except Exception:  # astropy raises several kinds on made-up units; all mean "not a quantity"
        raise QuantityError(f"cannot read {value!r} as a quantity, e.g. '{example}'") from None
    if quantity.unit == u.dimensionless_unscaled and quantity.value != 0:
        raise QuantityError(f"{value!r} has no unit; write e.g. '{example}'")
    try:
        result = float(quantity.to_value(u.Unit(target)))
    except (u.UnitConversionError, TypeError, ValueError, OverflowError):
        noun = kind.replace("_", " ")
        article = "an" if noun[0] in "aeiou" else "a"
        raise QuantityError(f"{value!r} is not {article} {noun}; write e.g. '{example}'") from None
    if result != result or abs(result) == float("inf"):
        raise QuantityError(f"{value!r} is not a finite number")
    return result


def parse_date(value) -> dt.datetime:
    """A UTC datetime from a date, datetime or ISO 8601 calendar-date string.

    Strict: a date that does not exist (``2025-02-30``, month 13, 29 February of a common
    year) is refused with the reason, never rolled over or passed on as a bare ``ValueError``.
    """
    if isinstance(value, dt.datetime):
        result = value
    elif isinstance(value, dt.date):
        result = dt.datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        text = value.strip()
        if not _ISO_DATE.match(text):
            raise QuantityError(f"cannot read {value!r} as a date; {DATE_EXAMPLE}")
        try:
            result = dt.datetime.fromisoformat(text.upper().replace("Z", "+00:00"))
        except ValueError as exc:
            raise QuantityError(f"{value!r} is not a date that exists ({exc}); "
                                f"{DATE_EXAMPLE}") from None
    else:
        raise QuantityError(f"expected a date; {DATE_EXAMPLE}")
    if result.tzinfo is not None:
        result = result.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return result


UNIX_EPOCH = dt.datetime(1970, 1, 1)


def to_day(when: dt.datetime) -> float:
    """Days since 1970-01-01 (the core's absolute time scale)."""
    return (when - UNIX_EPOCH).total_seconds() / 86400.0


def from_day(day: float) -> dt.datetime:
    return UNIX_EPOCH + dt.timedelta(days=float(day))


def iso_utc(day: float | None) -> str | None:
    if day is None or day != day:
        return None
    return from_day(day).replace(microsecond=0).isoformat() + "Z"
