"""A self-contained HTML report of a batch: tables, the plots (inline SVG), sources cited."""

from __future__ import annotations

import html
from pathlib import Path

from sim.scenario.facts import load_facts

from .compare import batch_rows, comparison_rows, uncertainty_rows
from .plots import FIGURES, figure_bytes, footprint_map_figure, overlay_figure
from .result_files import StoredResult

MAIN = ("nasa-2030", "musk-2027")  # compared in detail when present
STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1100px; color: #222; }
table { border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 0.3em 0.6em; text-align: left; }
th { background: #f2f2f2; } .issue { color: #a33; } figure { margin: 1em 0; }
svg { max-width: 100%; height: auto; }
"""


def _table(rows: list[list[str]]) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in rows[0])
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
                   for row in rows[1:])
    return f"<table><tr>{head}</tr>{body}</table>"


def _svg(fig) -> str:
    text = figure_bytes(fig, "svg").decode("utf-8")
    return text[text.index("<svg"):]


def _sources(results: list[StoredResult]) -> str:
    facts = load_facts()
    cited = {}
    for r in results:
        for field, fact_id in r.summary.get("sources", {}).items():
            cited.setdefault(fact_id, []).append(f"{r.name}: {field}")
    if not cited:
        return "<p>No sources cited.</p>"
    rows = [["fact", "statement", "source", "cited by"]]
    for fact_id in sorted(cited):
        fact = facts.get(fact_id)
        source = fact.citation if fact else "?"
        rows.append([fact_id, fact.statement if fact else "(unknown fact)", source,
                     "; ".join(cited[fact_id])])
    return _table(rows)


def _ensemble_section(result: StoredResult) -> str:
    if result.ensemble is None:
        return ""
    from .fan_chart import fan_figure

    spec = result.ensemble["assumptions"]
    listed = ", ".join(f"{k} = {v}" for k, v in spec.items() if not isinstance(v, list))
    return ("<p><b>Ensemble</b> (the nominal plan's decisions kept; assumptions: "
            f"{html.escape(listed)})</p>" + _table(uncertainty_rows([result]))
            + f"<figure>{_svg(fan_figure(result))}</figure>")


def _scenario_section(result: StoredResult) -> str:
    s = result.summary
    issues = "".join(f"<li class='issue'>{html.escape(i['message'])}</li>"
                     for i in s.get("issues", []))
    events = [["time (UTC)", "event", "altitude (km)", "delta-v (m/s)", "propellant (kg)"]]
    events += [[e["time_utc"], e["kind"].replace("_", " "), f"{e['altitude_km']:.1f}",
                f"{e['delta_v_m_s']:.2f}", f"{e['propellant_kg']:.0f}"]
               for e in s.get("events", []) if e["kind"] not in ("reboost", "descent_burn")]
    reboosts = sum(1 for e in s.get("events", []) if e["kind"] == "reboost")
    descent = "" if not s.get("descent_burns") else (
        f"{s['descent_burns']} active-descent burns ({s['descent_delta_v_m_s']:.1f} m/s, "
        f"{s['descent_propellant_kg']:,.0f} kg); ")
    figures = "".join(f"<figure>{_svg(make(result))}</figure>" for make in FIGURES.values())
    footprint_map = footprint_map_figure(result)
    figures += f"<figure>{_svg(footprint_map)}</figure>" if footprint_map is not None else ""
    notes = "".join(f"<li>{html.escape(n)}</li>" for n in s.get("space_weather", {})
                    .get("notes", []))
    return (f"<h2>{html.escape(result.name)}</h2><p>{html.escape(s.get('description', ''))}</p>"
            + _ensemble_section(result)
            + f"<p><b>Status:</b> {html.escape(s['status'])}; <b>reentry:</b> "
            f"{html.escape(str(s.get('reentry_utc')))}</p>"
            + (f"<ul>{issues}</ul>" if issues else "")
            + f"<p>{reboosts} reboosts; {descent}other events:</p>{_table(events)}"
            + (f"<p>Space weather:</p><ul>{notes}</ul>" if notes else "") + figures)


def build_report(results: list[StoredResult]) -> str:
    parts = [f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
             f"<title>iss-deorbit report</title><style>{STYLE}</style></head><body>",
             "<h1>ISS end-of-life scenarios</h1>", "<h2>Batch</h2>",
             _table(batch_rows(results))]
    by_name = {r.name: r for r in results}
    main = [by_name[n] for n in MAIN if n in by_name] or results[:2]
    if len(main) > 1:
        parts += [f"<h2>{' vs '.join(r.name for r in main)}</h2>",
                  _table(comparison_rows(main))]
        if uncertainty_rows(main):
            parts += ["<p>With uncertainty (median and 90 % interval):</p>",
                      _table(uncertainty_rows(main))]
    recent = [r for r in results if r.series["time_utc"].iloc[0].year >= 2020
              and r.summary.get("reentry_utc")]
    if len(recent) > 1:
        parts.append(f"<figure>{_svg(overlay_figure(recent))}</figure>")
    parts += [_scenario_section(r) for r in results]
    parts += ["<h2>Sources</h2>", _sources(results), "</body></html>"]
    return "\n".join(parts)


def write_report(results: list[StoredResult], folder: Path) -> Path:
    from .writers import write_text

    path = Path(folder) / "index.html"
    write_text(path, build_report(results))
    return path
