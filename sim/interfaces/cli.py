"""The ``iss-deorbit`` command line.

Exit status: 0 success; 1 a scenario failed while running (the others still ran); 2 invalid
input (a bad scenario, option or value). No traceback reaches the user unless ``--debug``.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import traceback

# Before numpy loads: this package's matrices are 2x2 to 7x7, and OpenBLAS's worker threads
# only spin-wait between such calls (measured: ~0.4 s of CPU in a cold single run). Parallel
# work goes through numba and worker processes, which inherit this.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from sim import __version__  # noqa: E402

from .executors import dask_address  # noqa: E402
from .exit_status import FAILED, OK  # noqa: E402


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
    run.add_argument("--jobs", type=int, default=0,
                     help="parallel processes (default: cores); with --dask local: workers")
    run.add_argument("--dask", metavar="local|tcp://HOST:PORT", type=dask_address,
                     help="run each scenario as a task on a Dask LocalCluster or a running "
                          "scheduler (results are written here)")

    ens = sub.add_parser("ensemble", help="Monte Carlo ensembles: dates with their spread")
    ens.add_argument("paths", nargs="+", help="scenario files or folders of *.yaml")
    ens.add_argument("--samples", type=int, default=1000, help="samples (default: 1000)")
    ens.add_argument("--seed", type=int, default=1, help="random seed (default: 1)")
    ens.add_argument("--out", default="ensembles", help="output folder (default: ensembles)")
    ens.add_argument("--set", action="append", default=[], metavar="PATH=VALUE",
                     help="override a scenario field")
    ens.add_argument("--uncertainty", action="append", default=[], metavar="KEY=VALUE",
                     help="override the uncertainty block, e.g. --uncertainty density=0.2")
    ens.add_argument("--off", action="append", default=[], metavar="SOURCE",
                     help="switch a source off (solar_amplitude, solar_timing, solar_daily, "
                          "density, ballistic, burn_magnitude, burn_pointing, thrust, "
                          "usdv_ready_slip, docking_slip, crew_departure_slip)")
    ens.add_argument("--dask", metavar="local|tcp://HOST:PORT", type=dask_address,
                     help="run the chunks on a Dask LocalCluster or a running scheduler")
    ens.add_argument("--jobs", type=int, default=0,
                     help="local processes (default: run here); with --dask local: workers")

    plan = sub.add_parser("plan", help="when must reboosts stop to reenter on a date?")
    plan.add_argument("scenario")
    plan.add_argument("--reentry", help="target reentry date (default: the scenario's plan)")
    plan.add_argument("--out", help="write plan.json and the planned run here")

    val = sub.add_parser("validate", help="check scenarios without running them")
    val.add_argument("paths", nargs="+")

    compare = sub.add_parser("compare", help="compare results side by side")
    compare.add_argument("results", nargs="+", help="result folders (two or more)")
    compare.add_argument("--out", help="write compare.csv and the overlay plot here")

    plot = sub.add_parser("plot", help="altitude, propellant and flux plots of results")
    plot.add_argument("results", nargs="+", help="a result folder or a folder of them")
    plot.add_argument("--format", choices=["png", "svg", "pdf"], default="png")
    plot.add_argument("--out", help="folder for the plots (default: <result>/plots)")

    report = sub.add_parser("report", help="a self-contained HTML report of results")
    report.add_argument("results", nargs="+")
    report.add_argument("--out", default="report")

    listing = sub.add_parser("list", help="the scenarios and the facts, with their sources")
    listing.add_argument("folder", nargs="?", default="scenarios")

    schema = sub.add_parser("schema", help="print the scenario JSON Schema")
    schema.add_argument("--out", help="write it to this file instead")

    sub.add_parser("bench", help="speed and agreement against hapsira's Cowell propagator")
    sub.add_parser("warm", help="compile the numba kernels and fill the caches (once, after "
                                "installing: the first run then starts fast)")

    tables = sub.add_parser("build-tables", help="rebuild the atmosphere tables")
    tables.add_argument("--inclination", type=float, default=None,
                        help="build the NRLMSIS orbit-mean table for this inclination (deg)")
    tables.add_argument("--coesa76", action="store_true", help="rebuild the COESA76 table")
    tables.add_argument("--out", default=None,
                        help="folder (default: the package's data for --coesa76, the user "
                             "cache, where runs look, for --inclination)")
    _history_parsers(sub)
    return parser


def _history_parsers(sub) -> None:
    cal = sub.add_parser("calibrate", help="fit the ballistic coefficient to element sets")
    cal.add_argument("history", help="TLE, OMM (JSON/XML/CSV) or altitude-history CSV file")
    cal.add_argument("--window", nargs=2, metavar=("START", "END"), help="ISO dates")
    cal.add_argument("--inclination", type=float, help="deg, if the history has none")
    cal.add_argument("--out", help="write calibration.json and calibration.png here")

    pred = sub.add_parser("predict", help="when does it come down? (fit, then propagate)")
    pred.add_argument("history", help="TLE, OMM (JSON/XML/CSV) or altitude-history CSV file")
    pred.add_argument("--fit-window", nargs=2, metavar=("START", "END"),
                      help="ISO dates (default: the whole history)")
    pred.add_argument("--stop-altitude", default="120 km", help="perigee (default: 120 km)")
    pred.add_argument("--samples", type=int, default=200, help="ensemble size (default 200)")
    pred.add_argument("--seed", type=int, default=0, help="ensemble seed (default 0)")
    pred.add_argument("--inclination", type=float, help="deg, if the history has none")
    pred.add_argument("--out", help="write prediction.json and prediction.png here")

    val = sub.add_parser("validation", help="fit-then-predict on the shipped real decays")
    val.add_argument("--out", help="write validation.json, validation.md and the plot here")
    val.add_argument("--samples", type=int, default=200, help="ensemble size per case")
    val.add_argument("--case", help="only cases whose name contains this")
    val.add_argument("--derive", metavar="RAW_DIR",
                     help="rebuild the shipped tables from raw element-set files instead")
    val.add_argument("--tables", help="with --derive: output folder (default: the package)")


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return _dispatch(args)
    except BrokenPipeError:  # e.g. piped into `head`: stop quietly
        sys.stdout = open(os.devnull, "w")
        return OK
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return FAILED
    except OSError as exc:  # the machine, not the input: a full disk, a read-only folder
        if args.debug:
            traceback.print_exc()
        print(f"iss-deorbit {args.command}: {exc}", file=sys.stderr)
        return FAILED
    except Exception as exc:  # the last line of defence: a message, not a traceback
        if args.debug:
            traceback.print_exc()
        print(f"iss-deorbit: internal error: {exc.__class__.__name__}: {exc}", file=sys.stderr)
        return FAILED


# sub-command -> (module of sim.interfaces, function); only the chosen module is imported,
# so a single run does not pay for the ensemble, history and plotting imports
HANDLERS = {"run": ("commands", "run"), "plan": ("commands", "plan"),
            "validate": ("commands", "validate"), "bench": ("commands", "bench"),
            "ensemble": ("ensemble_command", "ensemble"),
            "build-tables": ("commands", "build_tables"), "compare": ("commands", "compare"),
            "plot": ("commands", "plot"), "report": ("commands", "report"),
            "list": ("commands", "list_all"), "schema": ("commands", "schema"),
            "calibrate": ("history_commands", "calibrate"),
            "predict": ("history_commands", "predict"),
            "validation": ("history_commands", "validation"), "warm": ("warm", "warm")}


def _dispatch(args) -> int:
    module, function = HANDLERS[args.command]
    return getattr(importlib.import_module(f"{__package__}.{module}"), function)(args)


if __name__ == "__main__":
    sys.exit(main())
