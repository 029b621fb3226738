"""What each ``iss-deorbit`` sub-command does."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from sim.api import ScenarioError, load_scenario, plan as api_plan
from sim.scenario.loader import parse_overrides
from sim.scenario.units import QuantityError, parse_date

from .executors import ClusterUnavailable
from .exit_status import FAILED, INVALID, OK
from .scenario_paths import scenario_files
from .writers import write_json, write_result


def run(args) -> int:
    """Check every scenario first (exit 2 on collisions), then run; 1 if any run failed."""
    from . import batch

    files, missing = scenario_files(args.paths)
    for message in missing:
        print(message, file=sys.stderr)
    try:
        parse_overrides(args.set)  # once, before any file: a bad --set is one message
    except ScenarioError as exc:
        print(exc, file=sys.stderr)
        return INVALID
    if not files:
        print("no scenario files to run", file=sys.stderr)
        return INVALID
    prepared = batch.prepare(files, list(args.set))
    if prepared.collisions:
        for message in prepared.collisions:
            print(f"iss-deorbit run: {message}", file=sys.stderr)
        print("nothing was run", file=sys.stderr)
        return INVALID
    jobs = args.jobs or os.cpu_count() or 1
    try:
        outcomes = prepared.invalid + batch.run_all(prepared.loaded, args.out, args.format,
                                                    jobs, args.dask)
    except ClusterUnavailable as exc:
        print(f"iss-deorbit run: {exc}; nothing was run", file=sys.stderr)
        return FAILED
    outcomes.sort(key=lambda o: o.path)
    for o in outcomes:
        if o.kind != "ok":
            print(o.message, file=sys.stderr)
    print(batch.table(outcomes))
    print(f"results in {args.out}/")
    if any(o.kind == "failed" for o in outcomes):
        return FAILED
    return INVALID if missing or any(o.kind == "invalid" for o in outcomes) else OK


def plan(args) -> int:
    try:
        if args.reentry:
            parse_date(args.reentry)  # a date that does not exist is invalid input
        loaded = load_scenario(args.scenario)
        planned = api_plan(loaded, args.reentry)
    except ScenarioError as exc:
        print(f"iss-deorbit plan: {exc}", file=sys.stderr)
        return INVALID
    except QuantityError as exc:
        print(f"iss-deorbit plan: --reentry: {exc}", file=sys.stderr)
        return INVALID
    report = planned.as_dict()
    width = max(len(k) for k in report)
    for key, value in report.items():
        print(f"{key.ljust(width)}  {value}")
    if args.out:
        out = Path(args.out)
        write_json(out / "plan.json", report)
        if planned.result is not None:
            write_result(planned.result, out, loaded)
    return OK


def validate(args) -> int:
    """Check every file, whatever the others give; 2 if any is invalid."""
    files, missing = scenario_files(args.paths)
    bad = list(missing)
    failed = False
    for path in files:
        try:
            loaded = load_scenario(path)
            _ensure_atmosphere_table(loaded.scenario)
            print(f"{path}: ok")
        except ScenarioError as exc:
            bad.append(str(exc))
        except Exception as exc:  # a bug: say which file, and go on with the others
            bad.append(f"{path}: internal error while checking: {exc.__class__.__name__}: {exc}")
            failed = True
    for message in bad:
        print(message, file=sys.stderr)
    if failed:
        return FAILED
    return INVALID if bad or not files else OK


def _ensure_atmosphere_table(scenario) -> None:
    """A run needs the NRLMSIS table for its inclination: build it now (user cache) if absent."""
    import math

    from sim.campaign.table_cache import ensure_table

    if scenario.atmosphere.model == "nrlmsis":
        ensure_table(round(math.degrees(scenario.orbit.inclination), 3),
                     lambda text: print(text, file=sys.stderr, flush=True))


def bench(args) -> int:
    from .bench import run_bench

    print(run_bench())
    return OK


def build_tables(args) -> int:
    import importlib.resources

    from .tables import write_coesa76, write_msis_table

    from sim.campaign.user_cache import cache_dir

    out = Path(args.out) if args.out else None
    if args.inclination is None and not args.coesa76:
        print("nothing to build: give --inclination DEG and/or --coesa76", file=sys.stderr)
        return INVALID
    if args.coesa76:
        print(write_coesa76(out or Path(str(importlib.resources.files("sim") / "data"))))
    if args.inclination is not None:
        if not 0.0 <= args.inclination <= 180.0:
            print("--inclination must be between 0 and 180 deg", file=sys.stderr)
            return INVALID
        from sim.campaign.table_cache import build_correction_into

        folder = out or cache_dir()
        print(write_msis_table(folder, args.inclination))
        # and the node-local-time correction calibrate/predict use on element sets
        print(build_correction_into(folder, args.inclination))
        if out is not None and out.resolve() != cache_dir().resolve():
            print(f"runs look for tables in the package and in {cache_dir()} "
                  "(set ISS_DEORBIT_CACHE to use another folder)", file=sys.stderr)
    return OK


def _stored(paths: list[str]):
    from .result_files import ResultError, find_results, read_result

    try:
        return [read_result(p) for p in find_results(paths)]
    except ResultError as exc:
        print(f"iss-deorbit: {exc}", file=sys.stderr)
        return None


def compare(args) -> int:
    from .compare import comparison_rows, text_table
    from .plots import overlay_figure, save_figure

    results = _stored(args.results)
    if results is None:
        return INVALID
    if len(results) < 2:
        print("iss-deorbit compare: give two or more results", file=sys.stderr)
        return INVALID
    rows = comparison_rows(results)
    print(text_table(rows))
    from .compare import uncertainty_rows

    if uncertainty_rows(results):
        print("\nWith uncertainty (median and 90 % interval):")
        print(text_table(uncertainty_rows(results)))
    if args.out:
        import csv
        import io

        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(rows)
        from .writers import write_text

        write_text(Path(args.out) / "compare.csv", buffer.getvalue())
        save_figure(overlay_figure(results), Path(args.out) / "altitude_overlay.png", "png")
        print(f"written to {args.out}/")
    return OK


def plot(args) -> int:
    from .plots import plot_result

    results = _stored(args.results)
    if results is None:
        return INVALID
    for result in results:
        folder = Path(args.out) / result.name if args.out else result.folder / "plots"
        for path in plot_result(result, folder, args.format):
            print(path)
    return OK


def report(args) -> int:
    from .report import write_report

    results = _stored(args.results)
    if results is None:
        return INVALID
    print(write_report(results, Path(args.out)))
    return OK


def list_all(args) -> int:
    from sim.scenario.facts import load_facts

    files, _ = scenario_files([args.folder])
    print("Scenarios")
    for path in files:
        try:
            loaded = load_scenario(path)
        except ScenarioError as exc:
            print(f"  {path.name}: INVALID ({str(exc).splitlines()[0]})")
            continue
        sc = loaded.scenario
        cited = ", ".join(sorted(set(loaded.sources.values()))) or "none"
        print(f"  {sc.name}: {' '.join(sc.description.split())}")
        print(f"      sources: {cited}")
    print("\nFacts")
    for fact in load_facts().values():
        print(f"  {fact.id}: {fact.statement}")
        print(f"      {fact.citation}")
    return OK


def schema(args) -> int:
    from sim.scenario.schema import schema_text

    text = schema_text()
    if args.out:
        from .writers import write_text

        write_text(Path(args.out), text)
        print(args.out)
    else:
        sys.stdout.write(text)
    return OK
