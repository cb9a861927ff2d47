"""Aggregation: from check results to a vendor's score, tier and recommendation.

The method (docs/methodology.md, "Aggregation"):

- overall score = sum(weight x score) / sum(weight) over the checks with a
  score. With ``missing_data: exclude`` (the default, as OpenSSF Scorecard
  leaves inconclusive checks out of both sums) checks without a score are
  left out; with ``penalise`` an ``insufficient_data`` check counts as
  ``missing_data_score``. Errors and skipped checks are always left out.
- tier = the band of the overall score, then raised by every gate whose
  check (or any check, for ``"*"``) is rated at or above the gate's rating
  (a gate caps how good the tier can be, whatever the average).
- confidence = the weight-averaged confidence of all enabled checks, where a
  check without a score contributes 0: missing evidence lowers confidence.
- recommendation = the policy's word for the tier (approve, approve with
  conditions, escalate, reject); a tier that would be approved is escalated
  when confidence is below ``min_confidence``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .model import RATINGS, rating_for, rating_rank, worst

RECOMMENDATION_TEXT = {
    "approve": "Approve",
    "approve_with_conditions": "Approve with conditions",
    "escalate": "Escalate",
    "reject": "Reject",
}


def aggregate(checks: list[dict[str, Any]], policy: Mapping[str, Any]) -> dict[str, Any]:
    """The ``overall`` block for one vendor; fills each check's weighted contribution."""
    bands = policy["bands"]
    penalise = policy.get("missing_data") == "penalise"
    scored: list[tuple[dict[str, Any], float, float]] = []
    for res in checks:
        if res["status"] == "skipped":
            continue
        if res["score"] is not None:
            scored.append((res, res["weight"], res["score"]))
        elif penalise and res["status"] == "insufficient_data":
            scored.append((res, res["weight"], float(policy.get("missing_data_score", 0))))
    total_weight = sum(w for _, w, _ in scored)
    for res in checks:
        res["weighted_contribution"] = None
    score = None
    if total_weight > 0:
        score = round(sum(w * s for _, w, s in scored) / total_weight, 1)
        for res, w, s in scored:
            res["weighted_contribution"] = round(w * s / total_weight, 1)

    enabled = [r for r in checks if r["status"] != "skipped"]
    conf_weight = sum(r["weight"] for r in enabled)
    confidence = (round(sum(r["weight"] * (r["confidence"] if r["score"] is not None else 0.0)
                            for r in enabled) / conf_weight, 2) if conf_weight > 0 else 0.0)

    reasons: list[str] = []
    tier = rating_for(score, bands) if score is not None else None
    if score is not None:
        reasons.append(f"Weighted score {score:.1f} falls in the {tier} band.")
    else:
        reasons.append("No check produced a score: the evidence is insufficient to rate this vendor.")
    gates = []
    for gate in policy.get("gates") or ():
        for res in checks:
            if gate.get("check") not in ("*", res["id"]) or not res.get("rating"):
                continue
            if rating_rank(res["rating"]) < rating_rank(gate["rating"]):
                continue
            gates.append({"check": res["id"], "rating": res["rating"], "tier": gate["tier"],
                          "reason": gate.get("reason") or ""})
            before = tier
            tier = worst(tier, gate["tier"])
            if tier != before:
                reasons.append(f"Gate: {res['title']} is rated {res['rating']}, so the tier is "
                               f"at least {gate['tier']}.")
    for res in sorted(checks, key=lambda r: r["id"]):
        if res["status"] == "error":
            reasons.append(f"{res['title']} could not run ({res.get('error')}).")
        elif res["status"] == "insufficient_data":
            reasons.append(f"{res['title']}: insufficient data.")
        elif res.get("rating") in ("high", "critical"):
            reasons.append(f"{res['title']} is rated {res['rating']}: {res['summary']}")

    words = policy.get("recommendations") or {}
    if tier is None:
        recommendation = "escalate"
    else:
        recommendation = words.get(tier, {"low": "approve", "medium": "approve_with_conditions",
                                          "high": "escalate", "critical": "reject"}[tier])
    min_conf = float(policy.get("min_confidence", 0))
    if recommendation in ("approve", "approve_with_conditions") and confidence < min_conf:
        recommendation = "escalate"
        reasons.append(f"Confidence {confidence:.0%} is below the policy minimum of "
                       f"{min_conf:.0%}: too little fresh, well-sourced evidence to approve.")
    return {"score": score, "tier": tier, "recommendation": recommendation,
            "confidence": confidence, "reasons": reasons, "gates": gates,
            "scored_checks": sum(1 for r in checks if r["score"] is not None),
            "total_checks": len(enabled)}


def area_scores(checks: list[dict[str, Any]]) -> dict[str, float | None]:
    """Weighted mean score per category (None where no check of it has a score)."""
    areas: dict[str, list[tuple[float, float]]] = {}
    for res in checks:
        if res["status"] == "skipped":
            continue
        bucket = areas.setdefault(res["category"], [])
        if res["score"] is not None:
            bucket.append((res["weight"], res["score"]))
    out: dict[str, float | None] = {}
    for category in sorted(areas):
        pairs = areas[category]
        weight = sum(w for w, _ in pairs)
        out[category] = round(sum(w * s for w, s in pairs) / weight, 1) if weight > 0 else (
            round(sum(s for _, s in pairs) / len(pairs), 1) if pairs else None)
    return out


def top_risks(checks: list[dict[str, Any]], limit: int = 3) -> list[str]:
    """The riskiest rated checks, worst first, as short sentences."""
    rated = [r for r in checks if r.get("rating") in RATINGS and r["rating"] != "low"]
    rated.sort(key=lambda r: (-rating_rank(r["rating"]), r["score"] if r["score"] is not None else 0,
                              r["id"]))
    return [f"{r['title']} ({r['rating']}): {r['summary']}" for r in rated[:limit]]
