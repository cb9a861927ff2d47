"""The ``financial_commitment`` check: can the vendor pay for what it has committed to?

Input: ``extensions.financial`` (``schema.json``)::

    extensions:
      financial:
        revenue_usd_annual: 200000000
        capex_usd_annual: 150000000
        funding_raised_usd: 1200000000
        cash_usd: 300000000
        burn_usd_monthly: 20000000
        net_loss_usd_annual: 150000000   # optional; a proxy for burn when burn is not known
        as_of: 2026-03-31
        sources: [s3]

Method (settings in brackets, with their defaults). Four components, each
worth a number of risk points, computed only when its inputs are given:

1. Capex intensity = capex / revenue. 0 points at or below
   ``capex_ratio_ok`` (0.25), ``capex_points`` (40) at or above
   ``capex_ratio_worst`` (1.5), linear between. Capex with no revenue
   counts as the worst ratio.
2. Funding runway = cash / monthly burn, in months. 0 points at or above
   ``runway_ok_months`` (36), ``runway_points`` (45) at or below
   ``runway_worst_months`` (6), linear between. No burn (0) means the
   vendor generates cash: 0 points. Without ``burn_usd_monthly`` the annual
   net loss / 12 stands in for the monthly burn (a proxy: a net loss
   includes non-cash items such as depreciation and share-based pay).
3. Funding dependence = funding raised / revenue. 0 points at or below
   ``funding_multiple_ok`` (2), ``funding_points`` (15) at or above
   ``funding_multiple_worst`` (10), linear between; raised money with no
   revenue counts as the worst multiple.
4. Loss intensity = annual net loss / revenue. 0 points at or below
   ``loss_ratio_ok`` (0, break-even), ``loss_points`` (20) at or above
   ``loss_ratio_worst`` (1, losses as large as revenue), linear between.

Score = 100 x (1 - points / the maximum points of the components computed),
so a vendor is scored on what is known, and what is not known lowers the
confidence instead of the score. A runway shorter than
``short_runway_months`` (12) rates the vendor at least
``short_runway_rating`` (``high``), whatever the score.

Without ``extensions.financial``, or when no component can be computed
(say, only revenue is given), the result is ``insufficient_data``.

Confidence = ``vendordd.evidence.confidence`` with completeness = the share
of the four components computed, over the figures' sources and their
``as_of`` date (older than the policy's ``freshness_days`` counts as stale).

Worked example (the figures above, all made up): capex/revenue 0.75 -> 16
points of 40; runway 15 months -> 31.5 of 45; funding multiple 6 -> 7.5 of
15; 55 of 100 points -> score 45, rated high. (With ``net_loss_usd_annual``
given as well, the net loss at 0.75x revenue would add 15 of 20 points.)
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from vendordd import Check, CheckContext, Finding
from vendordd.evidence import confidence, is_stale, parse_date

EXTENSION = "financial"
FIGURES = ("revenue_usd_annual", "capex_usd_annual", "funding_raised_usd", "cash_usd",
           "burn_usd_monthly", "net_loss_usd_annual")
METRIC_NAMES = {"capex_intensity": "capex_to_revenue", "runway": "runway_months",
                "funding_dependence": "funding_to_revenue", "loss_intensity": "loss_to_revenue"}

DEFAULTS: dict[str, Any] = {
    "capex_ratio_ok": 0.25,
    "capex_ratio_worst": 1.5,
    "capex_points": 40.0,
    "runway_ok_months": 36.0,
    "runway_worst_months": 6.0,
    "runway_points": 45.0,
    "funding_multiple_ok": 2.0,
    "funding_multiple_worst": 10.0,
    "funding_points": 15.0,
    "loss_ratio_ok": 0.0,
    "loss_ratio_worst": 1.0,
    "loss_points": 20.0,
    "short_runway_months": 12.0,
    "short_runway_rating": "high",
}


def ramp(value: float, ok: float, worst: float, max_points: float) -> float:
    """Risk points growing linearly from 0 at ``ok`` to ``max_points`` at ``worst``.

    Works in both directions: with ``worst < ok`` lower values are riskier
    (runway). ``value`` may be infinite.
    """
    if ok == worst:
        raise ValueError(f"settings: the ok and worst bounds must differ (both {ok})")
    share = (value - ok) / (worst - ok)
    return round(max_points * min(1.0, max(0.0, share)), 2)


def _ratio(numerator: float, denominator: float) -> float:
    return math.inf if denominator == 0 else numerator / denominator


def components(data: Mapping[str, Any], s: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The computable components: ``{name: {"value", "points", "max", "text"}}``."""
    out: dict[str, dict[str, Any]] = {}
    revenue = data.get("revenue_usd_annual")
    if revenue is not None and data.get("capex_usd_annual") is not None:
        ratio = _ratio(data["capex_usd_annual"], revenue)
        out["capex_intensity"] = {
            "value": ratio, "max": float(s["capex_points"]),
            "points": ramp(ratio, s["capex_ratio_ok"], s["capex_ratio_worst"], s["capex_points"]),
            "text": ("capex with no revenue" if math.isinf(ratio)
                     else f"capex is {ratio:.2f}x annual revenue")}
    burn, proxy = data.get("burn_usd_monthly"), False
    if burn is None and data.get("net_loss_usd_annual") is not None:
        burn, proxy = data["net_loss_usd_annual"] / 12, True
    if data.get("cash_usd") is not None and burn is not None:
        months = math.inf if burn == 0 else data["cash_usd"] / burn
        out["runway"] = {
            "value": months, "max": float(s["runway_points"]),
            "points": ramp(months, s["runway_ok_months"], s["runway_worst_months"],
                           s["runway_points"]),
            "text": ("no net cash burn" if math.isinf(months)
                     else f"cash covers {months:.1f} months of "
                          + ("net loss (a proxy for burn)" if proxy else "burn"))}
    if revenue is not None and data.get("funding_raised_usd") is not None:
        multiple = _ratio(data["funding_raised_usd"], revenue)
        out["funding_dependence"] = {
            "value": multiple, "max": float(s["funding_points"]),
            "points": ramp(multiple, s["funding_multiple_ok"], s["funding_multiple_worst"],
                           s["funding_points"]),
            "text": ("funding raised with no revenue" if math.isinf(multiple)
                     else f"funding raised is {multiple:.1f}x annual revenue")}
    if revenue is not None and data.get("net_loss_usd_annual") is not None:
        loss = _ratio(data["net_loss_usd_annual"], revenue)
        out["loss_intensity"] = {
            "value": loss, "max": float(s["loss_points"]),
            "points": ramp(loss, s["loss_ratio_ok"], s["loss_ratio_worst"], s["loss_points"]),
            "text": ("a net loss with no revenue" if math.isinf(loss)
                     else f"the annual net loss is {loss:.1f}x annual revenue")}
    return out


def assess(profile: Mapping[str, Any], ctx: CheckContext) -> Finding:
    """Score the vendor's financial commitments (see the module docstring)."""
    data = (profile.get("extensions") or {}).get(EXTENSION)
    if data is None:
        return Finding.insufficient(
            "The profile has no financial data (extensions.financial).",
            recommendations=["Record revenue, capex, cash and monthly burn from filings, a "
                             "prospectus or the vendor's answers under extensions.financial."])
    s = ctx.settings
    parts = components(data, s)
    if not parts:
        return Finding.insufficient(
            "The financial data allow no ratio: give revenue and capex, cash and monthly burn "
            "(or annual net loss), revenue and funding raised, or revenue and net loss.",
            rationale=[f"Figures given: {', '.join(k for k in FIGURES if k in data) or 'none'}."])
    points = sum(p["points"] for p in parts.values())
    maximum = sum(p["max"] for p in parts.values())
    score = round(100.0 * (1 - points / maximum), 1)
    runway = parts.get("runway", {}).get("value")
    short = runway is not None and runway < s["short_runway_months"]

    as_of = parse_date(data.get("as_of"))
    freshness = int(ctx.policy.get("freshness_days", 365))
    rationale = [f"{p['text']}: {p['points']:g} of {p['max']:g} risk points"
                 for p in parts.values()]
    if short:
        rationale.append(f"Runway under {s['short_runway_months']:g} months: rated at least "
                         f"{s['short_runway_rating']}.")
    if is_stale(as_of, ctx.as_of, freshness):
        rationale.append(f"The figures are as of {data['as_of']}, older than {freshness} days.")
    missing = [name.replace("_", " ") for name in METRIC_NAMES if name not in parts]
    recommendations = [f"Obtain the figures for {', '.join(missing)}."] if missing else []
    if short:
        recommendations.append("Ask for evidence of committed funding before signing a "
                               "multi-year contract; agree escrow or exit terms.")
    return Finding(
        score=score,
        rating=s["short_runway_rating"] if short else None,
        confidence=confidence(len(parts) / 4, [(as_of, data.get("sources", []))], profile,
                              ctx.as_of, freshness),
        summary="; ".join(p["text"] for p in parts.values()) + ".",
        rationale=rationale,
        # An infinite ratio (no revenue, no burn) is None here; the rationale says which.
        metrics={METRIC_NAMES[name]: (None if math.isinf(p["value"]) else round(p["value"], 2))
                 for name, p in parts.items()} | {"risk_points": points, "max_points": maximum},
        sources=list(data.get("sources", [])),
        recommendations=recommendations,
        facts={k: data[k] for k in sorted(data) if k not in ("sources", "notes")},
    )


CHECK = Check(
    id="financial_commitment",
    title="Financial commitment (capex and runway)",
    category="financial",
    run=assess,
    version="1.0",
    weight=1.0,
    needs=("/extensions/financial",),
    defaults=DEFAULTS,
    doc="Risk points from capex/revenue (0 at <=0.25, 40 at >=1.5), runway in months "
        "(0 at >=36, 45 at <=6; net loss / 12 stands in for burn), funding raised/revenue "
        "(0 at <=2, 15 at >=10) and net loss/revenue (0 at <=0, 20 at >=1), linear "
        "between; score = 100 x (1 - points / max points of the components computed). Runway "
        "under 12 months rates at least high. No extensions.financial: insufficient_data.",
)
