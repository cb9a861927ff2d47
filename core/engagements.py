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
  older than the cadence allows.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Mapping
from typing import Any

from . import dates
from .evidence import months_before
from .model import rating_rank
from .scoring import aggregate

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
        "self_hosted_weights": {"geopolitical_exposure": 0, "api_stability": 0},
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
                      policy: Mapping[str, Any], as_of: dt.date) -> dict[str, Any]:
    """The ``engagements[]`` entry for one engagement (``vendor``: its results entry, or None)."""
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
    if vendor is None:
        out["reasons"] = [f"Vendor {eng.get('vendor')!r} has no assessed profile in this run."]
        out["conditions"] = ["Assess the vendor before relying on it."]
        return out
    profile_day = dates.earliest_day(vendor.get("profile_date"))
    if profile_day is not None and profile_day < months_before(as_of, months):
        out["overdue"] = True
    checks = []
    for res in vendor.get("checks", []):
        res = copy.deepcopy(dict(res))
        factor = applies.get(res["id"], 1)
        hard = bool((res.get("metrics") or {}).get("hard_rule"))
        if not factor and not hard:
            res["status"] = "skipped"
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
        reasons.append(f"Not applicable to {deployment}: " + ", ".join(out["not_applicable"])
                       + " (policy portfolio.applicability).")
    if out["overdue"]:
        reasons.append(f"Overdue: the profile is dated {vendor.get('profile_date')}, older than the "
                       f"{months}-month cadence allows.")
        out["conditions"].insert(0, f"Refresh the vendor profile (dated {vendor.get('profile_date')}): "
                                    f"the {months}-month review is overdue.")
    out["reasons"] = reasons + list(overall["reasons"])
    return out


def assess_engagements(results: Mapping[str, Any], portfolio: Mapping[str, Any],
                       policy: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every engagement of the portfolio, riskiest first."""
    as_of = dt.date.fromisoformat(str(results.get("as_of") or policy.get("as_of")))
    vendors = {v["id"]: v for v in results.get("vendors", [])}
    out = [assess_engagement(e, vendors.get(e.get("vendor")), policy, as_of)
           for e in portfolio.get("engagements") or ()]
    order = ("approve", "approve_with_conditions", "needs_evidence", "escalate", "reject")
    out.sort(key=lambda e: (-order.index(e["recommendation"]) if e["recommendation"] in order else 0,
                            -rating_rank(e["inherent_risk"]), str(e["vendor"]), str(e["workload"])))
    return out
