"""The dashboard's sections: verdicts, the one view a reader picked, sources, downloads.

Only the picked view is built and sent: a hidden chart costs the server time and the reader
bandwidth on every rerun.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from sim.api import ScenarioError
from sim.scenario.facts import load_facts

from . import charts, charts_context, charts_where, model, precompute
from .edits import change_line
from .verdict import Verdict

HOW_IT_WORKS = Path(__file__).resolve().parents[3] / "dashboards" / "how_it_works.md"
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True}
# Narrow screens: a smaller title and tighter padding, so the verdict is on the first screen.
PHONE_CSS = """<style>
@media (max-width: 640px) {
  h1 { font-size: 1.35rem !important; line-height: 1.25 !important; }
  .block-container { padding: 2.2rem 0.6rem 1rem 0.6rem !important; }
}
</style>"""


@st.cache_resource(show_spinner=False)
def _figure_store() -> dict:
    return {}


def cached(kind: str, shown: list[charts.Shown], build, *extra):
    """A figure built once per set of runs: a rerun that changes nothing visible (another
    scenario's widget, the same setting again) does not rebuild it. The store keeps the runs
    alive beside their figure, so an ``id`` can never be reused for another run."""
    key = (kind, extra, tuple((s.label, s.colour, id(s.result), id(s.spread)) for s in shown))
    store = _figure_store()
    if key not in store:
        if len(store) >= 64:
            store.clear()
        store[key] = (build(), [(s.result, s.spread) for s in shown])
    return store[key][0]


def plot(fig, key: str) -> None:
    if fig is not None:
        st.plotly_chart(fig, width="stretch", config=PLOTLY_CONFIG, key=key)


def verdict_block(v: Verdict, item: dict, shown: charts.Shown) -> bool:
    """The verdict, the "what changed → what moved" line of an edit, and how sure.
    Returns True when the reader asks for the ensemble of an edit."""
    box = st.container(border=True)
    box.markdown(v.markdown())
    asked = False
    if item["changes"] and item["base"].result is not None:
        box.markdown("✏️ " + change_line(item["base_raw"], item["changes"],
                                         item["base"].result.summary, shown.result.summary))
        if shown.spread is None:
            asked = box.button(f"How sure is this edit? Run {precompute.samples()} simulated "
                               "futures (takes a while)", key=f"spread:{item['name']}")
    box.caption(" ".join(p for p in (v.details, v.provenance) if p))
    for issue in shown.result.summary.get("issues", []):
        if issue["code"] != "usdv_not_ready":  # already the verdict's first words
            box.caption(f"⚠️ {issue['message']}")
    return asked


def upload_box(uploads: dict, lib: dict, folder: Path) -> None:
    upload = st.file_uploader(
        "Upload a scenario (YAML)", type=["yaml", "yml"], key="upload",
        max_upload_size=model.UPLOAD_LIMIT_MB,
        help=f"at most {model.UPLOAD_LIMIT_MB} MB ({model.UPLOAD_LIMIT:,} bytes), checked "
             "like the command line; it may extend a library scenario, e.g. "
             "'extends: nasa-2030.yaml'")
    if upload is None:
        return
    try:
        loaded = model.from_upload(upload.getvalue(), upload.name, folder)
    except ScenarioError as exc:
        st.error(str(exc))
        return
    name = loaded.scenario.name
    key = model.upload_key(name, lib)
    uploads[key] = loaded
    where = f"'{key}' beside it" if key != name else f"'{key}'"
    st.success(f"Loaded {name} from {upload.name}, listed as {where}: add it to Compare.")


def headline_table(shown: list[charts.Shown]) -> None:
    rows = model.headline_table({s.label: s.result for s in shown})
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key="headline")


def sources(items: list[dict], shown: list[charts.Shown]) -> None:
    """Every cited fact with its publication, date and link; edited fields say so."""
    facts = load_facts()
    for item, s in zip(items, shown):
        st.subheader(s.label)
        cited = item["run"].loaded.sources if item["run"].loaded else {}
        for field, fact_id in sorted(cited.items()):
            fact = facts.get(fact_id)
            if fact is None:
                continue
            url = getattr(fact, "url", None) or ""
            where = f"[{fact.publication}]({url})" if url else fact.publication
            st.markdown(f"- **{field}**: {fact.statement} — {where}, {fact.published}")
        for path in sorted(item["changes"]):
            st.markdown(f"- **{path}**: edited here to {item['changes'][path]}; no longer "
                        "the published figure")


def downloads(item: dict, s: charts.Shown) -> None:
    """Files are made when a button is pressed, not on every rerun."""
    from sim.interfaces.plots import altitude_figure, figure_bytes
    from sim.interfaces.result_files import StoredResult

    stem = s.result.summary.get("scenario", item["name"])
    st.subheader(s.label)
    st.download_button("Scenario (YAML)", model.to_yaml(item["raw"]), file_name=f"{stem}.yaml",
                       mime="application/x-yaml", key=f"dl-yaml-{stem}")
    st.download_button("Results (CSV)",
                       lambda: pd.DataFrame(s.result.columns).to_csv(index=False),
                       file_name=f"{stem}-timeseries.csv", mime="text/csv",
                       key=f"dl-csv-{stem}")
    st.download_button("Altitude chart (PNG)", lambda: figure_bytes(altitude_figure(
        StoredResult(Path("."), s.result.summary, charts.frame(s.result))), "png"),
        file_name=f"{stem}-altitude.png", mime="image/png", key=f"dl-png-{stem}")


OUTCOMES = (("controlled_reentry", "targeted reentry (the plan works)"),
            ("usdv_not_ready", "USDV not ready in time"),
            ("insufficient_propellant", "USDV short of propellant"),
            ("uncontrolled_reentry", "uncontrolled reentry"),
            ("in_orbit_at_end", "still in orbit at the end"), ("failed", "run failed"))


def _share(s: charts.Shown, key: str) -> str:
    return f"{100 * s.spread.summary['probabilities'].get(key, 0.0):.0f} %"


def how_sure_table(shown: list[charts.Shown]) -> None:
    """Share of the simulated futures ending each way, per scenario."""
    have = [s for s in shown if s.spread is not None]
    if not have:
        st.write("No ensemble for these runs yet.")
        return
    rows = [{"outcome": words, **{s.label: _share(s, key) for s in have}}
            for key, words in OUTCOMES]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key="outcomes")
    st.caption(f"{have[0].spread.summary['samples']} simulated futures per scenario, drawing "
               "the solar cycle's strength and timing, daily solar and geomagnetic noise, "
               "the atmosphere model's error, the ballistic coefficient, burn errors and "
               "schedule slips; the method and its figures are in docs/uncertainty.md.")


def _where(shown: list[charts.Shown]) -> None:
    drawn = False
    for s in shown:
        fig = charts_where.footprint_map(s)
        if fig is not None:
            plot(fig, f"map-{s.label}")
            drawn = True
    plot(charts_where.casualty(shown), "casualty")
    if not drawn and not any(s.result.summary.get("casualty_expectation") for s in shown):
        st.write("No footprint or casualty estimate for these runs.")


# a figure view: its figure from (shown, today), and a table drawn under it (or None)
FIGURE_VIEWS = {
    "Altitude": (charts.overview, headline_table),
    "Last days": (lambda shown, today: charts.last_days(shown), None),
    "How sure": (lambda shown, today: charts_context.reentry_spread(shown), how_sure_table),
    "Propellant": (charts.propellant, None),
    "Sun & air": (lambda shown, today: charts_context.flux_and_density(shown), None),
    "Budget": (lambda shown, today: charts_context.budget(shown), headline_table),
}


def _downloads(items: list[dict], shown: list[charts.Shown]) -> None:
    for item, s in zip(items, shown):
        downloads(item, s)


OTHER_VIEWS = {
    "Where": lambda items, shown: _where(shown),
    "Sources": sources,
    "How this works": lambda items, shown: st.markdown(
        HOW_IT_WORKS.read_text(encoding="utf-8")),
    "Download": _downloads,
}


def draw(view: str, shown: list[charts.Shown], items: list[dict]) -> None:
    """Draw the one view picked (its figure built once per set of runs)."""
    if view in FIGURE_VIEWS:
        build, table = FIGURE_VIEWS[view]
        today = charts_context.today_iso()
        plot(cached(view, shown, lambda: build(shown, today), today), view)
        if table is not None:
            table(shown)
    else:
        OTHER_VIEWS[view](items, shown)
