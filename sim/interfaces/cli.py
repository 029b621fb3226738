"""The ``iss-deorbit`` command line.

Exit status: 0 success; 1 a scenario failed while running (the others still ran); 2 invalid
input (a bad scenario, option or value). No traceback reaches the user unless ``--debug``.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path

from sim import __version__

OK, FAILED, INVALID = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="iss-deorbit", description="Plan and compare ISS end-of-life timelines.")
    parser.add_argument("--version", action="version", version=f"iss-deorbit {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="run scenarios (files or folders) and write results")
    run.add_argument("paths", nargs="+", help="scenario files or folders of *.yaml")
    run.add_argument("--out", default="results", help="output folder (default: results)")
    run.add_argument("--set", action="append", default=[], metavar="PATH=VALUE",
                     help="override a field, e.g. --set usdv.propellant='14 t'")
    run.add_argument("--format", choices=["csv", "parquet"], default="csv",
                     help="time-series format (default: csv)")
    run.add_argument("--jobs", type=int, default=0, help="parallel processes (default: cores)")

    plan = sub.add_parser("plan", help="when must reboosts stop to reenter on a date?")
    plan.add_argument("scenario")
    plan.add_argument("--reentry", help="target reentry date (default: the scenario's plan)")
    plan.add_argument("--out", help="write plan.json and the planned run here")

    val = sub.add_parser("validate", help="check scenarios without running them")
    val.add_argument("paths", nargs="+")

    sub.add_parser("bench", help="speed and agreement against hapsira's Cowell propagator")

    tables = sub.add_parser("build-tables", help="rebuild the atmosphere tables")
    tables.add_argument("--inclination", type=float, default=None,
                        help="build the NRLMSIS orbit-mean table for this inclination (deg)")
    tables.add_argument("--coesa76", action="store_true", help="rebuild the COESA76 table")
    tables.add_argument("--out", default=None, help="folder (default: the package's data)")
    return parser


def scenario_files(paths: list[str]) -> tuple[list[Path], list[str]]:
    """Expand folders to their *.yaml files (sorted); report missing paths."""
    files, missing = [], []
    for text in paths:
        path = Path(text)
        if path.is_dir():
            files.extend(sorted(path.glob("*.yaml")) + sorted(path.glob("*.yml")))
        elif path.is_file():
            files.append(path)
        else:
            missing.append(f"{path}: no such file or folder")
    return files, missing


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return _dispatch(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return FAILED
    except Exception as exc:  # the last line of defence: a message, not a traceback
        if args.debug:
            traceback.print_exc()
        print(f"iss-deorbit: internal error: {exc.__class__.__name__}: {exc}", file=sys.stderr)
        return FAILED


def _dispatch(args) -> int:
    from . import commands

    handlers = {"run": commands.run, "plan": commands.plan, "validate": commands.validate,
                "bench": commands.bench, "build-tables": commands.build_tables}
    return handlers[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
