"""Aggregation: from check results to a vendor's score, tier and recommendation.

The method (docs/methodology.md, "Aggregation"), which fails closed: missing
or broken evidence never makes a vendor look safer.

- A check *counts as missing* when it errored, had insufficient data, or
  gave a favourable rating (low or medium) at a confidence below the
  policy's ``min_check_confidence`` (unfavourable findings always count:
  weak evidence of danger is still a warning).
- overall score = sum(weight x score) / sum(weight). With ``missing_data:
  penalise`` (the default) a missing check counts as ``missing_data_score``
  (default 0), so a missing check can never raise the score; with
  ``exclude`` it is left out of both sums, as OpenSSF Scorecard does.
- tier = the band of the weighted mean of the checks with evidence (missing
  checks left out), raised by every gate whose check
  (or any check, for ``"*"``) is rated at or above the gate's rating, one
  entry per check (the strongest gate), and raised to at least
  ``incomplete_assessment.tier`` when any enabled check is missing.
- confidence = the weight-averaged confidence of all enabled checks, where a
  check without a score contributes 0.
- recommendation = the policy's word for the tier, then made stricter, never
  milder: an approval (with or without conditions) becomes ``needs_evidence``
  when the assessment is incomplete and the policy does not allow approving
  it, when a check names a blocking condition, or when the confidence is
  below ``min_confidence``; the reasons and ``conditions`` say what to obtain.
  An approval with conditions lists its conditions.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from .model import RATINGS, rating_for, rating_rank, worst

#: Recommendations from the most to the least favourable (core/diff.py compares by it).
RECOMMENDATION_ORDER = ("approve", "approve_with_conditions", "needs_evidence", "escalate", "reject")
APPROVALS = ("approve", "approve_with_conditions")
_DEFAULT_WORDS = {"low": "approve", "medium": "approve_with_conditions", "high": "escalate",
                  "critical": "reject"}


def recommendation_rank(value: str | None) -> int:
    """0 for approve up to 4 for reject; unknown words rank as escalate."""
    return RECOMMENDATION_ORDER.index(value) if value in RECOMMENDATION_ORDER else 3


def _missing_reason(res: Mapping[str, Any], min_check_conf: float) -> str | None:
    """Why a check counts as missing (None when it counts with its score)."""
    if res["status"] == "error":
        return "error"
    if res["status"] == "insufficient_data" or res["score"] is None:
        return "insufficient_data"
    if res.get("override"):
        return None  # an analyst's override is evidence reviewed by a person
    if res["confidence"] < min_check_conf and res.get("rating") in ("low", "medium"):
        return "low_confidence"
    return None


def _first(items: Any) -> str:
    return next((str(i) for i in items or () if i), "")


def _blocking(res: Mapping[str, Any]) -> list[str]:
    facts = res.get("facts") or {}
    value = facts.get("blocking_conditions") if isinstance(facts, Mapping) else None
    return [str(v) for v in value] if isinstance(value, list) else []


def aggregate(checks: list[dict[str, Any]], policy: Mapping[str, Any]) -> dict[str, Any]:
    """The ``overall`` block for one vendor; fills each check's weighted contribution."""
    bands = policy["bands"]
    penalise = policy.get("missing_data", "penalise") == "penalise"
    missing_score = float(policy.get("missing_data_score", 0))
    min_check_conf = float(policy.get("min_check_confidence", 0))
    incomplete_rule = {"tier": "medium", "approvable": False, **(policy.get("incomplete_assessment") or {})}

    enabled = [r for r in checks if r["status"] != "skipped"]
    missing = {r["id"]: why for r in enabled if (why := _missing_reason(r, min_check_conf))}
    known = [(r, r["weight"], r["score"]) for r in enabled if r["id"] not in missing]
    known_weight = sum(w for _, w, _ in known)
    known_score = round(sum(w * s for _, w, s in known) / known_weight, 1) if known_weight > 0 else None
    scored = known + ([(r, r["weight"], missing_score) for r in enabled if r["id"] in missing]
                      if penalise else [])
    total_weight = sum(w for _, w, _ in scored)
    for res in checks:
        res["weighted_contribution"] = None
    score = None
    if known_score is not None and total_weight > 0:
        score = round(sum(w * s for _, w, s in scored) / total_weight, 1)
        for res, w, s in scored:
            res["weighted_contribution"] = round(w * s / total_weight, 1)

    conf_weight = sum(r["weight"] for r in enabled)
    confidence = (round(sum(r["weight"] * (r["confidence"] if r["score"] is not None else 0.0)
                            for r in enabled) / conf_weight, 2) if conf_weight > 0 else 0.0)

    reasons: list[str] = []
    conditions: list[str] = []
    # The tier starts from the checks with evidence; a missing check makes the assessment
    # incomplete (tier floor, no approval) rather than a critical finding, and the reported
    # score counts it at missing_data_score, so absence never ranks a vendor higher.
    tier = rating_for(known_score, bands) if known_score is not None else None
    if score is not None and penalise and missing:
        reasons.append(f"Weighted score {score:.1f}, counting each of the {len(missing)} missing "
                       f"check(s) as {missing_score:g} (a lower bound, for ranking); the "
                       f"{len(known)} check(s) with evidence score {known_score:.1f}, in the {tier} band.")
    elif score is not None:
        reasons.append(f"Weighted score {score:.1f} falls in the {tier} band.")
    else:
        reasons.append("No check produced a usable score: the evidence is insufficient to rate this vendor.")
    for res in sorted(checks, key=lambda r: r["id"]):
        reasons.extend(_override_reason(res))
    tier, gates = _apply_gates(checks, policy, tier, reasons)

    failed = sorted(i for i, why in missing.items() if why == "error")
    absent = sorted(i for i, why in missing.items() if why != "error")
    by_id = {r["id"]: r for r in checks}
    for res in sorted(checks, key=lambda r: r["id"]):
        why = missing.get(res["id"])
        if why == "error":
            reasons.append(f"{res['title']} could not run ({res.get('error')}): the assessment is "
                           "incomplete until it does.")
            conditions.append(f"Fix and re-run {res['title']} ({res['id']}).")
        elif why == "insufficient_data":
            reasons.append(f"{res['title']}: insufficient data ({res.get('summary') or 'no evidence'}).")
            conditions.append(f"Obtain evidence for {res['title']}: "
                              + (_first(res.get("recommendations")) or "complete the profile."))
        elif why == "low_confidence":
            reasons.append(f"{res['title']} is rated {res['rating']} at {res['confidence']:.0%} confidence, "
                           f"below the policy's minimum of {min_check_conf:.0%} for a favourable finding: "
                           "counted as missing.")
            conditions.append(f"Strengthen the evidence for {res['title']} (confidence "
                              f"{res['confidence']:.0%}): " + (_first(res.get("recommendations"))
                                                               or "add recent primary sources."))
        elif res.get("rating") in ("high", "critical"):
            reasons.append(f"{res['title']} is rated {res['rating']}: {res['summary']}")
    incomplete = bool(missing)
    if incomplete and tier is not None:
        before = tier
        tier = worst(tier, incomplete_rule["tier"])
        if tier != before:
            reasons.append(f"Incomplete assessment ({len(missing)} of {len(enabled)} checks missing: "
                           f"{', '.join(by_id[i]['title'] for i in sorted(missing))}): the tier is at least {tier} "
                           "(policy incomplete_assessment.tier).")

    words = policy.get("recommendations") or {}
    recommendation = "escalate" if tier is None else words.get(tier, _DEFAULT_WORDS[tier])
    blocking = [(by_id[i]["title"], c) for i in sorted(by_id) for c in _blocking(by_id[i])]
    for title, cond in blocking:
        reasons.append(f"Blocking condition ({title}): {cond}")
    if recommendation in APPROVALS:
        would = recommendation
        if failed:
            recommendation = "needs_evidence"
            reasons.append(f"Not approvable while a check errored ({', '.join(failed)}); the verdict "
                           f"would be {would} once it runs and agrees.")
        elif incomplete and not incomplete_rule["approvable"]:
            recommendation = "needs_evidence"
            reasons.append("Not approvable while the assessment is incomplete ("
                           f"{', '.join(by_id[i]['title'] for i in absent)}); "
                           f"the verdict would be {would} on the evidence so far.")
        if blocking:
            recommendation = "needs_evidence"
            reasons.append(f"Not approvable until the blocking condition(s) are resolved; the verdict "
                           f"would be {would}.")
        min_conf = float(policy.get("min_confidence", 0))
        if confidence < min_conf:
            recommendation = "needs_evidence"
            reasons.append(f"Confidence {confidence:.0%} is below the policy minimum of {min_conf:.0%}: "
                           f"the verdict would be {would}, but the evidence is too thin or too old to "
                           "approve.")
            thin = [r for r in enabled if r["id"] not in missing and r["confidence"] < min_conf]
            for res in sorted(thin, key=lambda r: r["confidence"]):
                conditions.append(f"Strengthen the evidence for {res['title']} (confidence "
                                  f"{res['confidence']:.0%}): recent primary sources or the vendor's own "
                                  "written answers.")
    serious = sorted(r["title"] for r in enabled
                     if r["id"] not in missing and rating_rank(r.get("rating") or "low") >= rating_rank("high"))
    if recommendation == "approve" and serious:
        recommendation = "approve_with_conditions"
        reasons.append(f"Approval with conditions, not plain approval: {', '.join(serious)} rated high or "
                       "critical; its conditions must be agreed first.")
    conditions = [c for _, c in blocking] + conditions
    if recommendation == "approve_with_conditions":
        for res in sorted(enabled, key=lambda r: (-rating_rank(r.get("rating") or "low"), r["id"])):
            if res["id"] in missing or rating_rank(res.get("rating") or "low") < rating_rank("medium"):
                continue
            advice = _first(res.get("recommendations"))
            conditions.append(f"{res['title']} ({res['rating']}): "
                              + (advice or "agree mitigations in the contract before approval."))
        if not conditions:
            conditions.append(f"Review the {tier}-tier findings and agree mitigations in the contract.")
    return {"score": score, "tier": tier, "recommendation": recommendation,
            "confidence": confidence, "reasons": reasons, "gates": gates,
            "conditions": list(dict.fromkeys(conditions)), "incomplete": incomplete,
            "failed_checks": failed, "missing_checks": absent,
            "score_of_checks_with_evidence": known_score,
            "scored_checks": sum(1 for r in enabled if r["id"] not in missing),
            "total_checks": len(enabled)}


def _override_reason(res: Mapping[str, Any]) -> list[str]:
    """One line naming an analyst's override of a check: who, what it was, what it is, until when."""
    entry = res.get("override")
    if not isinstance(entry, Mapping):
        return []
    raw = entry.get("original")
    original: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}

    def state(score: Any, rating: Any) -> str:
        return f"{rating or 'unrated'} ({'no score' if score is None else f'{float(score):.0f}'})"

    return [f"Analyst override: {res['title']} set to {state(res.get('score'), res.get('rating'))}, "
            f"was {state(original.get('score'), original.get('rating'))}; approved by "
            f"{entry.get('approved_by') or 'unknown'}, expires {entry.get('expires') or 'never'}: "
            f"{entry.get('reason')}"]


def _apply_gates(checks: list[dict[str, Any]], policy: Mapping[str, Any], tier: str | None,
                 reasons: list[str]) -> tuple[str | None, list[dict[str, Any]]]:
    """Raise ``tier`` by every gate that fires; one gate entry (the strongest) per check."""
    strongest: dict[str, dict[str, Any]] = {}
    for gate in policy.get("gates") or ():
        for res in checks:
            if gate.get("check") not in ("*", res["id"]) or not res.get("rating") \
                    or res["status"] == "skipped":
                continue
            if rating_rank(res["rating"]) < rating_rank(gate["rating"]):
                continue
            held = strongest.get(res["id"])
            if held is None or rating_rank(gate["tier"]) > rating_rank(held["tier"]):
                strongest[res["id"]] = {"check": res["id"], "rating": res["rating"], "tier": gate["tier"],
                                        "reason": gate.get("reason") or "", "_title": res["title"]}
    gates = []
    for check_id in sorted(strongest):
        gate = strongest[check_id]
        title = gate.pop("_title")
        gates.append(gate)
        before = tier
        tier = worst(tier, gate["tier"])
        if tier != before:
            reasons.append(f"Gate: {title} is rated {gate['rating']}, so the tier is at least "
                           f"{gate['tier']}" + (f" ({gate['reason']})." if gate["reason"] else "."))
    return tier, gates


def area_scores(checks: list[dict[str, Any]],
                counted_missing: Collection[str] = ()) -> dict[str, float | None]:
    """Weighted mean score per category (None where no check of it has a usable score).

    ``counted_missing`` are the ids the aggregation counted as missing (errored, no data,
    or a favourable finding below the policy's minimum check confidence): their scores are
    left out here too, so an area never shows a score the verdict did not use.
    """
    areas: dict[str, list[tuple[float, float]]] = {}
    for res in checks:
        if res["status"] == "skipped":
            continue
        bucket = areas.setdefault(res["category"], [])
        if res["score"] is not None and res["id"] not in counted_missing:
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
