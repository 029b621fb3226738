"""The run's environment: daily space weather and the orbit-mean density field.

Both are pure functions of the scenario's atmosphere, solar-activity and time-span settings;
they are cached on those values so a batch or a dashboard redraw builds each once.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from dataclasses import dataclass

import numpy as np

from sim.core.coesa76_atmosphere import Coesa76Table, load_coesa76
from sim.core.density_field import (DensityField, coesa76_field, exponential_field,
                                    msis_table_field)
from sim.core.msis_table import MsisTable
from sim.core.space_weather import (DailyWeather, FluxRecord, SolarActivity, Storm,
                                    daily_weather, load_celestrak)
from sim.core.solar_realisations import (WINDOW, FluxDraw, ResidualBank, fit_ar1,
                                         realised_daily, residual_bank)
from sim.scenario.model import Scenario, SolarSpec
from sim.scenario.units import to_day

from .flux_cache import cached_flux_record
from .table_cache import ensure_table

DEFAULT_YEARS = 40.0
BANK_ROWS = 64  # day-to-day residual series an ensemble draws from
BANK_STREAM = 0xB4  # keeps the bank's random stream apart from the samples' own


@dataclass(frozen=True)
class Environment:
    weather: DailyWeather
    field: DensityField
    first_day: int  # days since 1970 of the weather's first row
    last_day: int
    flux_file_updated: str


@functools.lru_cache(maxsize=1)
def flux_record() -> FluxRecord:
    return cached_flux_record()


@functools.lru_cache(maxsize=4)
def msis_table(inclination_deg: float) -> MsisTable:
    """The shipped table, or one from (or built into) the user cache for other inclinations."""
    return ensure_table(inclination_deg)


@functools.lru_cache(maxsize=1)
def coesa76_table() -> Coesa76Table:
    return load_coesa76()


def solar_activity(spec: SolarSpec) -> SolarActivity:
    storms = tuple(Storm(to_day(s.start), s.duration, s.ap) for s in spec.storms)
    return SolarActivity(scale=spec.effective_scale, floor=spec.floor,
                         shift_months=spec.shift / 30.4375, constant_f107=spec.constant_f107,
                         constant_ap=spec.constant_ap, forecast_ap=spec.forecast_ap,
                         storms=storms)


def span_days(scenario: Scenario) -> tuple[int, int]:
    first = int(math.floor(to_day(scenario.epoch))) - 1
    end = to_day(scenario.end) if scenario.end else to_day(scenario.epoch) + DEFAULT_YEARS * 365.25
    return first, int(math.ceil(end)) + 1


def highest_altitude_km(scenario: Scenario) -> float:
    """An altitude the station never exceeds (its start, reboost target or storage orbit),
    plus 50 km for the osculating swings of a burn's integration."""
    orbit = scenario.orbit
    start = orbit.mean_altitude if orbit.mean_altitude is not None else orbit.apogee
    tops = [start, scenario.reboost.target if scenario.reboost else 0.0,
            scenario.boost.altitude if scenario.boost else 0.0]
    return max(tops) / 1e3 + 50.0


def environment_for(scenario: Scenario) -> Environment:
    first, last = span_days(scenario)
    atm = scenario.atmosphere
    solar = scenario.solar_activity
    return _scaled_environment(atm.model, round(math.degrees(scenario.orbit.inclination), 3),
                               atm.geodetic, first, last, solar_activity(solar),
                               solar.variability, atm.density_scale,
                               highest_altitude_km(scenario))


@functools.lru_cache(maxsize=8)
def _scaled_environment(model: str, inclination_deg: float, geodetic: bool, first: int,
                        last: int, activity: SolarActivity, variability: tuple[int, int] | None,
                        density_scale: float, top_km: float) -> Environment:
    """The environment with an ensemble sample's model error (one factor for the run),
    built once for the lead-time passes and the flight that follow."""
    env = _environment(model, inclination_deg, geodetic, first, last, activity, variability,
                       top_km)
    if density_scale == 1.0:
        return env
    field = env.field
    return dataclasses.replace(env, field=DensityField(
        field.first_day, field.alt_m, field.log_rho + math.log(density_scale)))


@functools.lru_cache(maxsize=4)
def residual_bank_for(seed: int, first_day: int, n_days: int) -> ResidualBank:
    """The ensemble's bank of day-to-day residual series (fits on the shipped history)."""
    f107_fit, ap_fit = fit_ar1(flux_record())
    return residual_bank(f107_fit, ap_fit, BANK_ROWS, first_day, n_days,
                         np.random.SeedSequence([seed, BANK_STREAM]))


def _realised_weather(record: FluxRecord, first: int, last: int, activity: SolarActivity,
                      variability: tuple[int, int]) -> DailyWeather:
    seed, row = variability
    margin = WINDOW // 2 + 1
    base = daily_weather(record, first - margin, last + margin, activity)
    bank = residual_bank_for(seed, first - margin, last - first + 2 * margin + 1)
    return realised_daily(base, FluxDraw(bank_index=row % BANK_ROWS), bank, first, last,
                          activity.floor)


def _table_below(table: MsisTable, top_km: float) -> MsisTable:
    """The table's altitude nodes up to the first at or above ``top_km``: interpolation
    below it reads the same two nodes, and a daily field over fewer nodes is cheaper."""
    keep = int(np.searchsorted(table.alt_km, top_km)) + 1
    if keep >= table.alt_km.size:
        return table
    return dataclasses.replace(table, alt_km=table.alt_km[:keep], log_rho=table.log_rho[:keep],
                               seasonal=table.seasonal[:keep])


@functools.lru_cache(maxsize=32)
def _environment(model: str, inclination_deg: float, geodetic: bool, first: int, last: int,
                 activity: SolarActivity, variability: tuple[int, int] | None = None,
                 top_km: float = math.inf) -> Environment:
    record = flux_record()
    weather = daily_weather(record, first, last, activity) if variability is None else \
        _realised_weather(record, first, last, activity, variability)
    inc = math.radians(inclination_deg)
    if model == "nrlmsis":
        field = msis_table_field(_table_below(msis_table(inclination_deg), top_km), weather)
    elif model == "coesa76":
        field = coesa76_field(coesa76_table(), inc, geodetic)
    else:
        field = exponential_field(inc, geodetic)
    if field.log_rho.shape[0] == 1:  # static models: time origin at the weather's first day
        field = DensityField(first_day=float(first), alt_m=field.alt_m, log_rho=field.log_rho)
    return Environment(weather, field, first, last, record.updated)
