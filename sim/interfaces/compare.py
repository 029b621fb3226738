"""Side-by-side comparison of results: the headline fields and their differences."""

from __future__ import annotations

from datetime import datetime

from .result_files import StoredResult

# (label, summary key, kind): kind "date" differences are in days, "number" plain
ROWS = [
    ("status", "status", "text"),
    ("reentry", "reentry_utc", "date"),
    ("reentry kind", "reentry_kind", "text"),
    ("reboosts stop (decay start)", "decay_start_utc", "date"),
    ("months of natural decay", "months_of_natural_decay", "number"),
    ("USDV docking", "usdv_docking_utc", "date"),
    ("crew departure", "crew_departure_utc", "date"),
    ("burns start", "lowering_start_utc", "date"),
    ("final burn", "final_burn_utc", "date"),
    ("reboost propellant (kg)", "reboost_propellant_kg", "number"),
    ("attitude propellant (kg)", "attitude_propellant_kg", "number"),
    ("boost propellant (kg)", "boost_propellant_kg", "number"),
    ("active descent propellant (kg)", "descent_propellant_kg", "number"),
    ("active descent delta-v (m/s)", "descent_delta_v_m_s", "number"),
    ("USDV propellant used (kg)", "usdv_propellant_used_kg", "number"),
    ("USDV margin (kg)", "usdv_propellant_margin_kg", "number"),
    ("shortfall (kg)", "shortfall_kg", "number"),
    ("total delta-v (m/s)", "total_delta_v_m_s", "number"),
    ("mean F10.7 during decay (sfu)", "mean_f107_during_decay", "number"),
    ("ballistic coefficient (kg/m2)", "ballistic_coefficient_kg_m2", "number"),
]


def _date(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None


def _cell(value, kind: str) -> str:
    if value is None:
        return "-"
    if kind == "date":
        return str(value)[:10]
    if kind == "number":
        return f"{value:,.1f}" if isinstance(value, (int, float)) else str(value)
    return str(value)


def _difference(first, other, kind: str) -> str:
    if first is None or other is None:
        return ""
    if kind == "date":
        days = (_date(other) - _date(first)).total_seconds() / 86400
        return f"{days:+,.0f} d ({days / 30.4375:+.1f} mo)"
    if kind == "number" and isinstance(first, (int, float)) and isinstance(other, (int, float)):
        return f"{other - first:+,.1f}"
    return "" if first == other else "differs"


def tank_rows(results: list[StoredResult]) -> list[tuple[str, list]]:
    names = sorted({n for r in results for n in r.summary.get("tanks", {})})
    rows = []
    for name in names:
        values = [r.summary.get("tanks", {}).get(name) for r in results]
        used = [None if v is None else v["burned_kg"] + v["attitude_kg"] for v in values]
        rows.append((f"propellant used, {name} (kg)", used))
    return rows


def comparison_rows(results: list[StoredResult]) -> list[list[str]]:
    """Rows: label, each scenario's value, then each other scenario's difference to the first."""
    header = ["field"] + [r.name for r in results] + [f"{r.name} - {results[0].name}"
                                                       for r in results[1:]]
    rows = [header]
    for label, key, kind in ROWS:
        values = [r.summary.get(key) for r in results]
        rows.append([label] + [_cell(v, kind) for v in values] +
                    [_difference(values[0], v, kind) for v in values[1:]])
    for label, values in tank_rows(results):
        rows.append([label] + [_cell(v, "number") for v in values] +
                    [_difference(values[0], v, "number") for v in values[1:]])
    return rows


def text_table(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip()
                     for row in rows)


BATCH_COLUMNS = ["status", "reentry_utc", "decay_start_utc", "usdv_docking_utc",
                 "usdv_propellant_used_kg", "usdv_propellant_margin_kg", "shortfall_kg",
                 "total_delta_v_m_s", "mean_f107_during_decay"]


def batch_rows(results: list[StoredResult]) -> list[list[str]]:
    """One row a scenario: the headline fields of a whole batch."""
    kinds = {key: kind for _, key, kind in ROWS}
    labels = {key: label for label, key, _ in ROWS}
    rows = [["scenario"] + [labels[k] for k in BATCH_COLUMNS]]
    for r in results:
        rows.append([r.name] + [_cell(r.summary.get(k), kinds[k]) for k in BATCH_COLUMNS])
    return rows


ENSEMBLE_ROWS = [("reentry", "reentry_utc", "date"), ("decay start", "decay_start_utc", "date"),
                 ("USDV docking", "usdv_docking_utc", "date"),
                 ("USDV propellant margin (kg)", "usdv_propellant_margin_kg", "number")]


def _interval(cells: dict | None, kind: str) -> str:
    if not cells or cells.get("p50") is None:
        return "-"
    return f"{_cell(cells['p50'], kind)} (90 %: {_cell(cells['p5'], kind)} .. " \
           f"{_cell(cells['p95'], kind)})"


def uncertainty_rows(results: list[StoredResult]) -> list[list[str]]:
    """Median with its 90 % interval and the outcome probabilities, for results that hold an
    ensemble (empty if none does)."""
    with_ens = [r for r in results if r.ensemble is not None]
    if not with_ens:
        return []
    rows = [["ensemble"] + [f"{r.name} ({r.ensemble['samples']} samples)" for r in with_ens]]
    for label, key, kind in ENSEMBLE_ROWS:
        rows.append([label] + [_interval(r.ensemble.get(key), kind) for r in with_ens])
    names = [k for k in with_ens[0].ensemble["probabilities"]]
    for name in names:
        cells = [r.ensemble["probabilities"].get(name) for r in with_ens]
        if all(c in (None, 0.0) for c in cells) and name != "target_met":
            continue
        rows.append([f"P({name})"] + ["-" if c is None else f"{100 * c:.1f} %" for c in cells])
    return rows
