"""Engagements: a vendor judged for a use (docs/methodology/engagements.md).

An engagement in the portfolio says how the buyer uses a vendor: its
``deployment`` (``hosted_api``, ``cloud_marketplace``, ``self_hosted_weights``),
``data_sensitivity`` and ``criticality``. From the policy (``portfolio`` section,
defaults below):

- inherent risk = ``inherent_risk[criticality][data_sensitivity]``;
- the requirements of that inherent risk: the minimum confidence of an
  approval and the review cadence in months;
- the applicability of each check to the deployment: a weight multiplier
  (0 = not applicable). A check that is not applicable is left out of the
  residual verdict, except a sanctions hard rule (a listing on a bound list
  binds whatever the deployment);
- the residual verdict: the vendor's check results re-aggregated
  (core/scoring.py) with those weights and that minimum confidence;
- ``next_review`` = as-of date + cadence; ``overdue`` when the profile date is
  older than the cadence allows;
- the vendor's verdict in use (:func:`apply_engagements`): a vendor with
  engagements takes the verdict of its worst engagement as its ``overall``;
  the verdict of the vendor alone (every check at its policy weight) stays in
  the entry as ``unconditioned``. A vendor without engagements is unchanged.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Mapping
from typing import Any

from . import dates
from .evidence import months_before
from .model import RATINGS, rating_rank, use_key
from .scoring import aggregate
from .verdicts import VERDICT_ORDER

DEFAULT_ENGAGEMENT_POLICY: dict[str, Any] = {
    "inherent_risk": {
        "low": {"public": "low", "internal": "low", "confidential": "medium", "restricted": "high"},
        "medium": {"public": "low", "internal": "medium", "confidential": "medium", "restricted": "high"},
        "high": {"public": "medium", "internal": "medium", "confidential": "high", "restricted": "critical"},
        "critical": {"public": "medium", "internal": "high", "confidential": "critical",
                     "restricted": "critical"},
    },
    "requirements": {
        "low": {"min_confidence": 0.2, "review_months": 12},
        "medium": {"min_confidence": 0.3, "review_months": 12},
        "high": {"min_confidence": 0.3, "review_months": 6},
        "critical": {"min_confidence": 0.4, "review_months": 3},
    },
    "applicability": {
        "hosted_api": {},
        "cloud_marketplace": {"api_stability": 0.5},
        "self_hosted_weights": {"api_stability": 0},
    },
}


def engagement_policy(policy: Mapping[str, Any]) -> dict[str, Any]:
    """The defaults overlaid with the policy's ``portfolio`` engagement settings."""
    own = (policy.get("portfolio") or {})
    out = copy.deepcopy(DEFAULT_ENGAGEMENT_POLICY)
    for key in out:
        for k, v in (own.get(key) or {}).items():
            out[key][k] = {**out[key].get(k, {}), **v} if isinstance(v, Mapping) else v
    return out


def _months_after(day: dt.date, months: int) -> dt.date:
    back = months_before(day, -months)
    return back


def assess_engagement(eng: Mapping[str, Any], vendor: Mapping[str, Any] | None,
                      policy: Mapping[str, Any], as_of: dt.date,
                      in_use: Mapping[str, list[Any]] | None = None) -> dict[str, Any]:
    """The ``engagements[]`` entry for one engagement (``vendor``: its results entry, or None).

    ``in_use``: the vendor's engagement-aware check results by use key
    (:func:`vendordd.model.use_key`); those of this engagement's use replace the
    vendor's results of the same checks, and their ids are listed as ``judged_for_use``.
    """
    return _assess(eng, vendor, policy, as_of, in_use)[0]


def _assess(eng: Mapping[str, Any], vendor: Mapping[str, Any] | None, policy: Mapping[str, Any],
            as_of: dt.date, in_use: Mapping[str, list[Any]] | None = None
            ) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """The engagement's entry and its whole ``overall`` block (None without a vendor entry)."""
    rules = engagement_policy(policy)
    crit, sens = eng.get("criticality", "medium"), eng.get("data_sensitivity", "internal")
    inherent = (rules["inherent_risk"].get(crit) or {}).get(sens, "high")
    req = rules["requirements"].get(inherent) or {"min_confidence": 0.5, "review_months": 3}
    deployment = eng.get("deployment", "hosted_api")
    applies = rules["applicability"].get(deployment) or {}
    months = int(req.get("review_months", 12))
    out: dict[str, Any] = {
        "vendor": eng.get("vendor"), "workload": eng.get("workload"), "deployment": deployment,
        "hosting_provider": eng.get("hosting_provider"), "data_sensitivity": sens, "criticality": crit,
        "inherent_risk": inherent, "min_confidence": req.get("min_confidence"), "review_months": months,
        "next_review": _months_after(as_of, months).isoformat(), "overdue": False,
        "tier": None, "recommendation": "escalate", "conditions": [], "reasons": [],
        "not_applicable": sorted(k for k, v in applies.items() if not v),
    }
    if vendor is None:  # no verdict: nothing was assessed (a refused or missing profile)
        out.update(recommendation=None, assessed=False)
        out["reasons"] = [f"Not assessed: vendor {eng.get('vendor')!r} has no assessed profile in this run "
                          "(its profile is missing or was refused), so this use has no verdict."]
        out["conditions"] = ["Assess the vendor before relying on it."]
        return out, None
    profile_day = dates.earliest_day(vendor.get("profile_date"))
    if profile_day is not None and profile_day < months_before(as_of, months):
        out["overdue"] = True
    for_use = {r["id"]: r for r in (in_use or {}).get(use_key(eng)) or ()}
    if for_use:
        out["judged_for_use"] = sorted(for_use)
        out["use_findings"] = [use_finding(for_use[cid]) for cid in sorted(for_use)]
    checks = []
    for res in vendor.get("checks", []):
        res = dict(for_use.get(res["id"], res))  # aggregation sets top-level keys only: a shallow copy will do
        factor = applies.get(res["id"], 1)
        hard = bool((res.get("metrics") or {}).get("hard_rule"))
        if not factor and not hard:
            res.update(status="skipped", rating=None)  # left out: not a reason either
        elif factor:
            res["weight"] = res["weight"] * float(factor)
        checks.append(res)
    local = {**policy, "min_confidence": max(float(policy.get("min_confidence", 0)),
                                             float(req.get("min_confidence", 0)))}
    overall = aggregate(checks, local)
    out.update(tier=overall["tier"], recommendation=overall["recommendation"],
               conditions=list(overall["conditions"]), score=overall["score"], confidence=overall["confidence"])
    reasons = [f"Inherent risk {inherent} ({crit} criticality, {sens} data): approval needs confidence "
               f"{local['min_confidence']:.0%}; review every {months} months."]
    if out["not_applicable"]:
        titles = {str(r.get("id")): str(r.get("title") or r.get("id")) for r in vendor.get("checks", [])}
        reasons.append(f"Not applicable to {deployment_words(deployment)}: "
                       + ", ".join(titles.get(c, c) for c in out["not_applicable"])
                       + " (set in the policy's portfolio applicability).")
    alone = {str(r.get("id")): r for r in vendor.get("checks", [])}
    use_reasons = [use_finding_reason(f, str(deployment), alone.get(f["id"])) for f in out.get("use_findings", ())
                   if f["not_applied"] or _differs(f, alone.get(f["id"]))]
    reasons += use_reasons
    if out["overdue"]:
        reasons.append(f"Overdue: the profile is dated {vendor.get('profile_date')}, older than the "
                       f"{months}-month cadence allows.")
        out["conditions"].insert(0, f"Refresh the vendor profile (dated {vendor.get('profile_date')}): "
                                    f"the {months}-month review is overdue.")
    out["reasons"] = reasons + list(overall["reasons"])
    overall["_use_reasons"] = use_reasons  # for the vendor's worst_engagement (judged_in_use)
    return out, overall


def use_finding(result: Mapping[str, Any]) -> dict[str, Any]:
    """The ``use_findings[]`` entry of an engagement-aware check's result for one use: id, title,
    status, score, rating, confidence, summary, its rationale and what it did not apply
    (the finding's ``facts.not_applied``, words)."""
    facts = result.get("facts") if isinstance(result.get("facts"), Mapping) else {}
    return {"id": result.get("id"), "title": result.get("title") or result.get("id"),
            "status": result.get("status"), "score": result.get("score"), "rating": result.get("rating"),
            "confidence": result.get("confidence"), "summary": result.get("summary"),
            "rationale": [str(line) for line in result.get("rationale") or ()],
            "not_applied": [str(w) for w in (facts or {}).get("not_applied") or ()]}


def _differs(found: Mapping[str, Any], alone: Mapping[str, Any] | None) -> bool:
    """Whether the finding for the use says something the vendor's own finding does not."""
    return alone is None or any(found.get(k) != alone.get(k) for k in ("status", "score", "rating", "summary"))


def use_finding_reason(found: Mapping[str, Any], deployment: str, alone: Mapping[str, Any] | None) -> str:
    """"Geopolitical exposure for self-hosted weights: medium (90, confidence 45%): <summary>. Not
    applied to this use: ...; the vendor alone rates it critical (40)." """
    use = deployment_words(deployment)
    if found.get("status") == "ok":
        score = found.get("score")
        head = (f"{found['title']} for {use}: {found.get('rating') or 'no rating'} "
                f"({'no score' if score is None else f'{score:g}'}, confidence {float(found.get('confidence') or 0):.0%})")
    else:
        head = f"{found['title']} for {use}: {str(found.get('status')).replace('_', ' ')}"
    text = f"{head}: {str(found.get('summary') or '').rstrip('.')}."
    if found.get("not_applied"):
        why = " (the buyer runs the weights itself)" if deployment == "self_hosted_weights" else ""
        text += f" Not applied to this use{why}: {', '.join(found['not_applied'])}"
        if alone is not None and alone.get("status") == "ok" and alone.get("rating"):
            score = alone.get("score")
            text += f"; with them, the vendor alone is rated {alone['rating']}" + (
                f" ({score:g})" if score is not None else "")
        text += "."
    return text


def assess_engagements(results: Mapping[str, Any], portfolio: Mapping[str, Any],
                       policy: Mapping[str, Any],
                       in_use: Mapping[str, Mapping[str, list[Any]]] | None = None) -> list[dict[str, Any]]:
    """Every engagement of the portfolio, riskiest first (``in_use``: per vendor id, see
    :func:`assess_engagement`)."""
    return [entry for entry, _overall in _assess_all(results, portfolio, policy, in_use)]


def _assess_all(results: Mapping[str, Any], portfolio: Mapping[str, Any], policy: Mapping[str, Any],
                in_use: Mapping[str, Mapping[str, list[Any]]] | None = None
                ) -> list[tuple[dict[str, Any], dict[str, Any] | None]]:
    as_of = dt.date.fromisoformat(str(results.get("as_of") or policy.get("as_of")))
    wanted = {e.get("vendor") for e in portfolio.get("engagements") or ()}
    # Only the engaged vendors: results["vendors"] may be a VendorStore that decodes each entry when read.
    vendors = {v["id"]: v for v in results.get("vendors", []) if v["id"] in wanted}
    out = [_assess(e, vendors.get(e.get("vendor")), policy, as_of, (in_use or {}).get(str(e.get("vendor"))))
           for e in portfolio.get("engagements") or ()]
    out.sort(key=lambda pair: (tuple(-k for k in severity(pair[0])), str(pair[0]["vendor"]),
                               str(pair[0]["workload"])))
    return out


def severity(entry: Mapping[str, Any]) -> tuple[int, int, int, float]:
    """Sort key of an engagement (or an ``overall`` block), larger is worse: the verdict, then
    the tier (none counts as the worst), then the inherent risk, then the lower score."""
    rec = entry.get("recommendation")
    verdict = len(VERDICT_ORDER) - VERDICT_ORDER.index(rec) if rec in VERDICT_ORDER else len(VERDICT_ORDER) + 1
    tier = entry.get("tier")
    inherent = entry.get("inherent_risk")
    score = entry.get("score")
    return (verdict, rating_rank(tier) if tier else len(RATINGS),
            rating_rank(inherent) if inherent in RATINGS else 0, -(score if score is not None else -1.0))


def apply_engagements(results: dict[str, Any], portfolio: Mapping[str, Any], policy: Mapping[str, Any],
                      in_use: Mapping[str, Mapping[str, list[Any]]] | None = None) -> None:
    """Set ``results["engagements"]`` and judge each engaged vendor for its uses.

    A vendor with at least one engagement gets, as its ``overall``, the
    ``overall`` of its worst engagement (:func:`severity`), with a first
    reason naming that use, ``basis`` "engagements", ``worst_engagement``
    (the use), ``engagements`` (how many) and ``overdue`` (any of them). Its
    former ``overall``, the vendor judged alone, becomes ``unconditioned``.
    The checks' ``weighted_contribution`` stay those of the vendor alone.
    ``in_use``: the engagement-aware checks' results per vendor and use (:func:`assess_engagement`).
    """
    pairs = _assess_all(results, portfolio, policy, in_use)
    results["engagements"] = [entry for entry, _overall in pairs]
    by_vendor: dict[str, list[tuple[dict[str, Any], dict[str, Any]]]] = {}
    for entry, overall in pairs:
        if overall is not None:
            by_vendor.setdefault(str(entry["vendor"]), []).append((entry, overall))
    if not by_vendor:
        return
    vendors = results["vendors"]
    if isinstance(vendors, list):
        for idx, vendor in enumerate(vendors):
            if vendor["id"] in by_vendor:
                vendors[idx] = judged_in_use(vendor, by_vendor[vendor["id"]])
    else:  # a VendorStore: re-pack only the engaged vendors' entries
        vendors.replace({vid: judged_in_use(vendors.get(vid), found) for vid, found in by_vendor.items()})


def judged_in_use(vendor: Mapping[str, Any],
                  engaged: list[tuple[dict[str, Any], dict[str, Any]]]) -> dict[str, Any]:
    """A copy of the vendor's entry with the verdict of its worst engagement (see
    :func:`apply_engagements`); ``engaged``: (engagement entry, its overall) pairs, riskiest first."""
    entry, worst = max(engaged, key=lambda pair: severity(pair[0]))
    alone = vendor["overall"]
    overall = copy.deepcopy(worst)
    use_reasons = overall.pop("_use_reasons", [])
    use = use_label(entry)
    lead = (f"Judged for its riskiest use of {len(engaged)} in the portfolio: {use}. The vendor alone "
            f"(every check at its policy weight): {str(alone.get('recommendation')).replace('_', ' ')}, "
            f"tier {alone.get('tier') or 'none'}.")
    overall["reasons"] = [lead, *entry["reasons"]]
    conditions = list(entry["conditions"])
    overdue = [e for e, _overall in engaged if e["overdue"]]
    if overdue and not entry["overdue"]:
        first = overdue[0]
        conditions.insert(0, f"Refresh the vendor profile (dated {vendor.get('profile_date')}): the "
                             f"{first['review_months']}-month review of {use_label(first)} is overdue.")
    overall["conditions"] = conditions
    overall.update(basis="engagements", engagements=len(engaged), overdue=bool(overdue),
                   worst_engagement={k: entry.get(k) for k in (
                       "workload", "deployment", "hosting_provider", "data_sensitivity", "criticality",
                       "inherent_risk", "overdue")})
    if entry.get("judged_for_use"):
        overall["worst_engagement"]["judged_for_use"] = list(entry["judged_for_use"])
        overall["worst_engagement"]["use_reasons"] = use_reasons
    return {**vendor, "overall": overall, "unconditioned": alone}


def use_label(entry: Mapping[str, Any]) -> str:
    """"code-assistant (self-hosted weights, internal data, medium criticality)"."""
    deployment = deployment_words(entry.get("deployment"))
    if entry.get("hosting_provider"):
        deployment += f" on {entry['hosting_provider']}"
    what = f"{deployment}, {entry.get('data_sensitivity')} data, {entry.get('criticality')} criticality"
    return f"{entry['workload']} ({what})" if entry.get("workload") else what


#: Deployments in words.
DEPLOYMENT_WORDS = {"hosted_api": "hosted API", "cloud_marketplace": "cloud marketplace",
                    "self_hosted_weights": "self-hosted weights"}


def deployment_words(deployment: Any) -> str:
    """A deployment in words ("self-hosted weights"); one the schema does not know, its underscores
    made spaces."""
    return DEPLOYMENT_WORDS.get(str(deployment), str(deployment).replace("_", " "))
