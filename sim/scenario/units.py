"""Quantities with units, parsed once at the scenario boundary into SI floats.

Scenario values are strings such as ``"415 km"``, ``"473 t"``, ``"1525 m2"`` or ``"18 months"``;
astropy parses them. Months are not an astropy unit; they are taken as 30.4375 days.
"""

from __future__ import annotations

import datetime as dt
import re

import astropy.units as u

MONTH_DAYS = 30.4375
_MONTHS = re.compile(r"^\s*([-+0-9.eE]+)\s*(months?|mo)\s*$")
# ISO 8601 calendar dates only (no week or ordinal dates, no basic format); UTC or an offset
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?)?"
                       r"\s*([Zz]|[+-]\d{2}:?\d{2})?$")
MAX_QUANTITY_CHARS = 64  # astropy's unit parser is slow on long made-up expressions
DATE_EXAMPLE = "write e.g. '2025-06-01' or '2025-06-01T12:00:00Z'"

# what each kind of quantity converts to, and an example for error messages
KINDS = {
    "length": (u.m, "415 km"),
    "mass": (u.kg, "473 t"),
    "area": (u.m**2, "1525 m2"),
    "ballistic": (u.kg / u.m**2, "150 kg/m2"),
    "angle": (u.rad, "51.64 deg"),
    "speed": (u.m / u.s, "1.5 m/s"),
    "force": (u.N, "400 N"),
    "time": (u.s, "300 s"),
    "duration": (u.day, "4 d"),
    "mass_rate": (u.kg / u.day, "2 kg/d"),
    "mass_per_year": (u.kg / u.year, "7000 kg/yr"),
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
    try:
        quantity = u.Quantity(value)
    except Exception:  # astropy raises several kinds on made-up units; all mean "not a quantity"
        raise QuantityError(f"cannot read {value!r} as a quantity, e.g. '{example}'") from None
    if quantity.unit == u.dimensionless_unscaled and quantity.value != 0:
        raise QuantityError(f"{value!r} has no unit; write e.g. '{example}'")
    try:
        result = float(quantity.to_value(target))
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
