"""Aggregation: weights, missing data, gates, confidence, recommendation, overrides."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from vendordd.policy import DEFAULT_POLICY
from vendordd.runner import apply_override, find_override
from vendordd.scoring import aggregate, area_scores, top_risks


def _res(cid, score, rating=None, status="ok", weight=1.0, confidence=0.8, category="c"):
    return {"id": cid, "title": cid.title(), "category": category, "status": status,
            "score": score, "rating": rating, "weight": weight, "confidence": confidence,
            "summary": f"{cid} summary", "error": None}


def _policy(**over):
    policy = copy.deepcopy(DEFAULT_POLICY)
    policy.update(over)
    return policy


def test_weighted_mean_over_scored_checks_only():
    checks = [_res("a", 80, "low", weight=3), _res("b", 40, "high"),
              _res("c", None, status="insufficient_data", confidence=0.0)]
    out = aggregate(checks, _policy(gates=[]))
    assert out["score"] == pytest.approx((3 * 80 + 40) / 4)
    assert out["tier"] == "medium"  # 70 is below the low band (75)
    assert [c["weighted_contribution"] for c in checks] == [60.0, 10.0, None]


def test_penalise_counts_missing_data():
    checks = [_res("a", 80, "low"), _res("b", None, status="insufficient_data", confidence=0.0)]
    out = aggregate(checks, _policy(missing_data="penalise", missing_data_score=20, gates=[]))
    assert out["score"] == 50.0


def test_gate_raises_tier_whatever_the_average():
    checks = [_res("a", 100, "low"), _res("b", 100, "low"), _res("geo", 0, "critical")]
    out = aggregate(checks, _policy(gates=[{"check": "geo", "rating": "critical", "tier": "critical"}]))
    assert out["score"] == pytest.approx(66.7) and out["tier"] == "critical"
    assert out["recommendation"] == "reject"
    assert out["gates"] == [{"check": "geo", "rating": "critical", "tier": "critical", "reason": ""}]


def test_wildcard_gate_watches_every_check():
    checks = [_res("a", 100, "low"), _res("b", 100, "low"), _res("c", 10, "critical")]
    out = aggregate(checks, _policy(gates=[{"check": "*", "rating": "critical", "tier": "high"}]))
    assert out["tier"] == "high" and out["recommendation"] == "escalate"
    assert [g["check"] for g in out["gates"]] == ["c"]
    below = aggregate([_res("a", 100, "low"), _res("c", 30, "high")],
                      _policy(gates=[{"check": "*", "rating": "critical", "tier": "high"}]))
    assert below["gates"] == [] and below["tier"] == "medium"


@pytest.mark.parametrize(("conf", "expected"), [(0.49, "escalate"), (0.5, "approve")])
def test_low_confidence_escalates_an_approval(conf, expected):
    out = aggregate([_res("a", 90, "low", confidence=conf)], _policy(min_confidence=0.5))
    assert out["recommendation"] == expected


def test_no_score_means_no_tier_and_escalate():
    out = aggregate([_res("a", None, status="insufficient_data", confidence=0)], _policy())
    assert out["score"] is None and out["tier"] is None and out["recommendation"] == "escalate"


def test_confidence_counts_missing_checks_as_zero():
    out = aggregate([_res("a", 90, "low", confidence=0.8),
                     _res("b", None, status="insufficient_data", confidence=0.0)], _policy())
    assert out["confidence"] == 0.4


def test_areas_and_top_risks():
    checks = [_res("a", 80, "low", category="x"), _res("b", 20, "critical", category="y"),
              _res("c", 40, "high", category="y", weight=3)]
    assert area_scores(checks) == {"x": 80.0, "y": 35.0}
    assert top_risks(checks) == ["B (critical): b summary", "C (high): c summary"]


def test_override_applied_recorded_and_expired():
    policy = _policy(overrides=[{"vendor": "v", "check": "geo", "rating": "medium", "score": 55,
                                 "reason": "Name match is a different company", "approved_by": "J. Doe",
                                 "expires": "2027-01-01"}])
    entry, warning = find_override(policy, "v", "geo", dt.date(2026, 6, 1))
    assert warning is None
    res = _res("geo", 0, "critical")
    res.update(rationale=[], summary="Listed")
    apply_override(res, entry, policy["bands"])
    assert (res["score"], res["rating"]) == (55.0, "medium")
    assert res["override"]["original"] == {"status": "ok", "score": 0, "rating": "critical"}
    assert res["summary"].startswith("[Override]") and "J. Doe" in res["rationale"][0]
    entry, warning = find_override(policy, "v", "geo", dt.date(2027, 1, 2))
    assert entry is None and "expired on 2027-01-01" in warning
