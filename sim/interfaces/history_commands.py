"""``iss-deorbit calibrate``, ``predict`` and ``validation``: from element sets to dates."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from sim.scenario.units import QuantityError, parse_date, parse_quantity, to_day

from .atomic import write_file_set
from .exit_status import FAILED, INVALID, OK
from .writers import json_bytes

SAMPLES_RANGE = (8, 100000)


def _stderr(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _window(values, option: str) -> tuple[float | None, float | None]:
    if not values:
        return None, None
    start, end = (to_day(parse_date(v)) for v in values)
    if end <= start:
        raise QuantityError(f"{option}: the end ({values[1]}) must come after the start "
                            f"({values[0]})")
    return start, end


def _inclination(value: float | None) -> float | None:
    if value is not None and not 0.0 <= value <= 180.0:
        raise QuantityError(f"--inclination = {value:g}: must be between 0 and 180 deg")
    return value


def _invalid(command: str, exc: Exception) -> int:
    _stderr(f"iss-deorbit {command}: {exc}")
    return INVALID


def _out_folder(value: str | None) -> Path | None:
    """``--out``, checked before any work (and not yet made): a folder, or a path whose
    nearest existing parent is a writable folder."""
    if not value:
        return None
    out = Path(value)
    existing = next(p for p in (out, *out.absolute().parents) if p.exists())
    if not existing.is_dir():
        what = "is a file" if existing == out else f"lies under a file ({existing})"
        raise QuantityError(f"--out {value}: {what}, not a folder")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise QuantityError(f"--out {value}: {existing} is not writable")
    return out


def _samples(value: int) -> int:
    low, high = SAMPLES_RANGE
    if not low <= value <= high:
        raise QuantityError(f"--samples = {value}: must be between {low} and {high}")
    return value


def _write(command: str, out: Path, files: dict[str, bytes]) -> int:
    """All of a command's files appear together or none is replaced."""
    try:
        write_file_set(out, files)
    except OSError as exc:
        _stderr(f"iss-deorbit {command}: could not write to {out}/ ({exc.strerror}); none of "
                f"{', '.join(files)} was replaced")
        return FAILED
    print(f"written to {out}/")
    return OK


def _notes(history) -> None:
    """What reading and fitting dropped or skipped, said where the user sees it."""
    for note in history.notes:
        _stderr(f"note: {note}")


def calibrate(args) -> int:
    from sim.api import CalibrationError, HistoryError, load_history
    from sim.campaign.calibration import calibrate_history

    from .history_plots import calibration_figure
    from .plots import figure_bytes

    try:
        start, end = _window(args.window, "--window")
        out = _out_folder(args.out)
        history = load_history(args.history).window(start, end)
        cal = calibrate_history(history, _inclination(args.inclination), _stderr)
    except (HistoryError, CalibrationError, QuantityError) as exc:
        return _invalid("calibrate", exc)
    _notes(cal.history)
    low, high = cal.interval_90
    for fit in cal.segments:
        print(f"  segment {_iso(fit.start_day)} .. {_iso(fit.end_day)}: "
              f"B = {fit.ballistic_coefficient:7.2f} kg/m2 ({fit.loss_km:.2f} km lost, "
              f"rms {fit.rms_km * 1000:.0f} m)")
    print(f"ballistic coefficient {cal.ballistic_coefficient:.1f} kg/m2, 90 % interval "
          f"{low:.1f} .. {high:.1f} ({cal.spread_source}, {len(cal.segments)} segment(s))")
    if out is None:
        return OK
    return _write("calibrate", out, {"calibration.json": json_bytes(cal.as_dict()),
                                     "calibration.png": figure_bytes(calibration_figure(cal),
                                                                     "png")})


def _iso(day: float) -> str:
    from sim.scenario.units import iso_utc

    return iso_utc(day)


def predict(args) -> int:
    from sim.api import CalibrationError, HistoryError, PredictionError, load_history
    from sim.campaign.prediction import predict_history

    from .history_plots import prediction_figure
    from .plots import figure_bytes

    try:
        start, end = _window(args.fit_window, "--fit-window")
        try:
            stop_km = parse_quantity(args.stop_altitude, "length") / 1000.0
        except QuantityError as exc:
            raise QuantityError(f"--stop-altitude: {exc}") from None
        if not 60.0 <= stop_km <= 2000.0:
            raise QuantityError(f"--stop-altitude = {args.stop_altitude}: must be between "
                                "60 km and 2000 km")
        out = _out_folder(args.out)
        history = load_history(args.history)
        pred = predict_history(history, start, end, _inclination(args.inclination), stop_km,
                               "perigee", _samples(args.samples), args.seed, _stderr)
    except (HistoryError, CalibrationError, PredictionError, QuantityError) as exc:
        return _invalid("predict", exc)
    _notes(pred.calibration.history)
    report = pred.as_dict()
    low, high = report["interval_90_utc"]
    print(f"fitted B {report['fitted_ballistic_coefficient_kg_m2']} kg/m2 on "
          f"{report['fit_window_utc'][0]} .. {report['fit_window_utc'][1]}")
    print(f"predicted {report['predicted_utc'] or 'not within 30 years'} "
          f"(90 %: {low or '-'} .. {high or 'beyond 30 years'})")
    if out is None:
        return OK
    return _write("predict", out, {"prediction.json": json_bytes(report),
                                   "prediction.png": figure_bytes(prediction_figure(pred),
                                                                  "png")})


def validation(args) -> int:
    if args.derive:
        return _derive(Path(args.derive), args.tables)
    from sim.validation.real_decays import run_validation, summary

    from .history_plots import validation_figure
    from .plots import figure_bytes

    try:
        samples, out = _samples(args.samples), _out_folder(args.out)
    except QuantityError as exc:
        return _invalid("validation", exc)
    results = run_validation(samples, _stderr, args.case)
    if not results:
        return _invalid("validation", ValueError(f"no case matches {args.case!r}"))
    rows = [r.row() for r in results]
    for r, row in zip(results, rows):
        low, high = r.prediction.interval_90
        span = row["span_days"]
        row["interval_pct"] = [None if d is None else
                               round(100.0 * (d - r.case.actual_day) / span, 2)
                               for d in (low, high)]
    text = markdown_table(rows)
    result = summary(results)
    print(text)
    print(f"median error {result['median_error_pct']} % of the span, worst "
          f"{result['worst_error_pct']} %, actual inside the 90 % interval in "
          f"{result['inside_90']}/{result['cases']}")
    if out is None:
        return OK
    return _write("validation", out, {
        "validation.json": json_bytes({"summary": result, "cases": rows}),
        "validation.md": (text + "\n").encode("utf-8"),
        "validation.png": figure_bytes(validation_figure(rows), "png")})


def markdown_table(rows: list[dict]) -> str:
    head = ("| case | object | fit window | fitted B (kg/m²) | predicted | 90 % interval | "
            "actual | error (d) | error (% of span) |")
    lines = [head, "|" + "---|" * 9]
    for r in rows:
        fit = " .. ".join(d[:10] for d in r["fit_window_utc"])
        low, high = (d[:10] if d else "-" for d in r["interval_90_utc"])
        lines.append(f"| {r['case']} | {r['object']} | {fit} | "
                     f"{r['fitted_ballistic_coefficient_kg_m2']:.1f} | "
                     f"{(r['predicted_utc'] or '-')[:10]} | {low} .. {high} | "
                     f"{r['actual_utc'][:10]} ({r['actual_is']}) | {r['error_days']:+.1f} | "
                     f"{r['error_pct_of_span']:.1f} |")
    return "\n".join(lines)


def _derive(raw: Path, tables: str | None) -> int:
    import importlib.resources

    from sim.validation.derive_tables import SOURCES, derive

    missing = [s.file for s in SOURCES if not (raw / s.file).is_file()]
    if missing:
        return _invalid("validation", ValueError(f"{raw}: missing {', '.join(missing)}"))
    out = Path(tables) if tables else Path(str(importlib.resources.files("sim") / "data"
                                               / "decays"))
    for path in derive(raw, out):
        print(path)
    return OK
