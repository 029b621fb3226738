"""The sentence a reader gets first: can it be done, then when, then how sure.

A verdict leads with feasibility because the date of an infeasible timeline is not news: the
2027 proposal's "targeted reentry in February 2027" needs a deorbit vehicle about three years
before it can exist, and saying the date first buries that. Dates are labelled by where they
come from: the scenario's plan (a cited target, a stated docking) or the model (the planner's
reboost stop, the propagated reentry), so a planner's answer never reads like agency policy.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .model import get

EDITED = " (edited)"
MONTH_DAYS = 30.4375


@dataclass(frozen=True)
class Verdict:
    """One scenario's verdict, sentence by sentence (markdown)."""

    name: str  # as shown, with "(edited)" when edited
    feasible: bool | None  # None: no plan to be feasible or not (natural decay)
    lead: str  # feasibility first
    when: str  # the date, with its 90 % interval when an ensemble was run
    odds: str  # how often the timeline works across the ensemble ('' without one)
    provenance: str  # which dates come from the plan, which from the model
    details: str = ""  # margin, how often the planned date is hit

    def markdown(self) -> str:
        parts = [f"**{self.name}**: {self.lead}", self.when, self.odds]
        return " ".join(p for p in parts if p)


def shown_name(name: str, edited: bool) -> str:
    return name + EDITED if edited else name


def _date(iso: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(iso[:19]) if iso else None


def day_text(iso: str | None) -> str:
    """``2031-01-15`` (dates are UTC; a day is the precision a reader needs)."""
    return iso[:10] if iso else "—"


def month_text(iso: str | None) -> str:
    when = _date(iso)
    return when.strftime("%B %Y") if when else "—"


def span_words(days: float) -> str:
    """A duration the way people say it: 'about three years', 'about 8 months'."""
    months = abs(days) / MONTH_DAYS
    if months < 1.5:
        return f"about {abs(days):.0f} days"
    if months < 18:
        return f"about {months:.0f} months"
    half_years = round(months / 6) / 2
    whole = int(half_years)
    names = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}
    word = names.get(whole, str(whole))
    return f"about {word} and a half years" if half_years != whole else \
        f"about {word} year{'s' if whole != 1 else ''}"


def casualty_words(expectation: float) -> str:
    """0.159 -> 'about 1 in 6'; the form the 1:10,000 rule is stated in."""
    return f"about 1 in {1 / expectation:,.0f}" if expectation > 0 else "zero"


def _lead(summary: dict, ready_iso: str | None) -> tuple[bool | None, str]:
    status = summary["status"]
    reentry = summary.get("reentry_utc")
    if status == "usdv_not_ready":
        docking = summary.get("usdv_docking_utc")
        early = (_date(ready_iso) - _date(docking)).days if ready_iso and docking else None
        gap = f", {span_words(early)} before it can be ready ({month_text(ready_iso)})" \
            if early else " before it can be ready"
        return False, (f"**Not feasible as planned**: needs the USDV docked by "
                       f"{month_text(docking)}{gap}. With it, reentry would come on "
                       f"{day_text(reentry)}.")
    if status == "insufficient_propellant":
        return False, (f"**Not feasible as planned**: the USDV runs "
                       f"{summary.get('shortfall_kg') or 0:,.0f} kg of propellant short; the "
                       f"station falls uncontrolled"
                       + (f" around {day_text(reentry)}." if reentry else "."))
    if status == "controlled_reentry":
        footprint = summary.get("footprint") or {}
        if footprint.get("inside_target_zone") is False:  # targeted, but not where aimed
            return False, (f"**Not as planned**: the reentry on {day_text(reentry)} is "
                           "controlled, but part of the debris footprint falls outside the "
                           "target zone.")
        return True, f"**Feasible as planned**: targeted reentry on {day_text(reentry)}."
    if status == "uncontrolled_reentry":
        risk = summary.get("casualty_expectation")
        odds = f", casualty risk {casualty_words(risk)} (limit: 1 in 10,000)" if risk else ""
        return None, f"**Uncontrolled reentry** on {day_text(reentry)}{odds}."
    if status == "in_orbit_at_end":
        return None, "**Still in orbit** at the end of the run."
    return False, (f"**Not feasible as planned** ({status.replace('_', ' ')})"
                   + (f": the station comes down on {day_text(reentry)}." if reentry else "."))


def pct(p: float) -> str:
    return f"{100 * p:.0f} %"


def _when(summary: dict, ensemble: dict | None, feasible: bool | None) -> str:
    reentry = (ensemble or {}).get("reentry_utc") or {}
    if not reentry.get("p5"):
        return ""
    return (f"90 % of {ensemble['samples']} simulated futures come down between "
            f"{month_text(reentry['p5'])} and {month_text(reentry['p95'])}.")


def _odds(summary: dict, ensemble: dict | None) -> str:
    if not ensemble or summary.get("usdv_docking_utc") is None:
        return ""
    p = ensemble.get("probabilities", {})
    text = f"The plan works in {pct(p.get('controlled_reentry', 0.0))} of them"
    blockers = [(p.get(k, 0.0), words) for k, words in (
        ("usdv_not_ready", "the USDV is not ready in time"),
        ("insufficient_propellant", "the USDV runs short of propellant"),
        ("uncontrolled_reentry", "the station comes down first"))]
    worst = max(blockers)
    return text + (f" ({worst[1]} in {pct(worst[0])})." if worst[0] > 0 else ".")


def details(summary: dict, ensemble: dict | None) -> str:
    """The second line: propellant to spare and how often the planned date is hit."""
    parts = []
    margin = summary.get("usdv_propellant_margin_kg")
    if margin is not None and summary["status"] == "controlled_reentry":
        parts.append(f"USDV propellant to spare: {margin:,.0f} kg")
    p = (ensemble or {}).get("probabilities", {})
    if p.get("target_met") is not None and (ensemble or {}).get("target_reentry_utc"):
        parts.append(f"{pct(p['target_met'])} of the futures come within "
                     f"±{ensemble.get('target_tolerance_days', 30):.0f} days of the planned "
                     f"{day_text(ensemble['target_reentry_utc'])}")
    return "; ".join(parts) + ("." if parts else "")


def _provenance(summary: dict, original_raw: dict) -> str:
    planned, modelled = [], []
    target = get(original_raw, "plan.reentry")
    if target is not None:
        planned.append(f"reentry aimed at {str(target)[:10]}")
    if get(original_raw, "usdv.docking") is not None:
        planned.append(f"USDV docking {str(get(original_raw, 'usdv.docking'))[:10]}")
    ready = get(original_raw, "usdv.launch_ready")
    if ready is not None:
        planned.append(f"USDV ready no earlier than {str(ready)[:10]}")
    stop = summary.get("decay_start_utc")
    if get(original_raw, "reboost.until") is not None:
        planned.append(f"reboosts stop {day_text(stop)}")
    elif stop:
        modelled.append(f"reboosts stop {day_text(stop)} (the planner's answer for the target, "
                        "not an agency decision)")
    for key, words in (("usdv_docking_utc", "USDV docks"), ("crew_departure_utc", "crew leaves"),
                       ("reentry_utc", "reentry")):
        if summary.get(key) and not (key == "usdv_docking_utc" and
                                     get(original_raw, "usdv.docking") is not None):
            modelled.append(f"{words} {day_text(summary[key])}")
    text = ""
    if planned:
        text += "From the plan: " + ", ".join(planned) + ". "
    if modelled:
        text += "From the model: " + ", ".join(modelled) + "."
    return text.strip()


def verdict(name: str, summary: dict, original_raw: dict, *, edited: bool = False,
            ensemble: dict | None = None, ready_iso: str | None = None) -> Verdict:
    """The verdict of one run. ``original_raw``: the scenario as written (before the
    dashboard pinned a planned stop date), to tell plan from model; ``ensemble``: the
    ``ensemble.json`` mapping of the same scenario, if one was run."""
    feasible, lead = _lead(summary, ready_iso)
    return Verdict(name=shown_name(name, edited), feasible=feasible, lead=lead,
                   when=_when(summary, ensemble, feasible), odds=_odds(summary, ensemble),
                   provenance=_provenance(summary, original_raw),
                   details=details(summary, ensemble))
