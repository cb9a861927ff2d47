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


def test_exclude_leaves_missing_checks_out_of_both_sums():
    checks = [_res("a", 80, "low", weight=3), _res("b", 40, "high"),
              _res("c", None, status="insufficient_data", confidence=0.0)]
    out = aggregate(checks, _policy(gates=[], missing_data="exclude"))
    assert out["score"] == pytest.approx((3 * 80 + 40) / 4)
    assert out["tier"] == "medium"  # 70 is below the low band (75)
    assert [c["weighted_contribution"] for c in checks] == [60.0, 10.0, None]


def test_by_default_a_missing_check_counts_as_zero():
    checks = [_res("a", 80, "low", weight=3), _res("b", 40, "high"),
              _res("c", None, status="insufficient_data", confidence=0.0)]
    out = aggregate(checks, _policy(gates=[]))
    assert out["score"] == pytest.approx((3 * 80 + 40) / 5)
    assert out["incomplete"] is True and out["missing_checks"] == ["c"] and out["failed_checks"] == []


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


def test_gates_are_reported_once_per_cause_with_the_strongest_tier():
    checks = [_res("a", 100, "low"), _res("geopolitical_exposure", 0, "critical")]
    out = aggregate(checks, _policy())  # the default '*' gate and the geopolitics gate both fire
    assert out["gates"] == [{"check": "geopolitical_exposure", "rating": "critical", "tier": "critical",
                             "reason": DEFAULT_POLICY["gates"][1]["reason"]}]
    assert sum(r.startswith("Gate:") for r in out["reasons"]) == 1


def test_wildcard_gate_watches_every_check():
    checks = [_res("a", 100, "low"), _res("b", 100, "low"), _res("c", 10, "critical")]
    out = aggregate(checks, _policy(gates=[{"check": "*", "rating": "critical", "tier": "high"}]))
    assert out["tier"] == "high" and out["recommendation"] == "escalate"
    assert [g["check"] for g in out["gates"]] == ["c"]
    below = aggregate([_res("a", 100, "low"), _res("c", 30, "high")],
                      _policy(gates=[{"check": "*", "rating": "critical", "tier": "high"}]))
    assert below["gates"] == [] and below["tier"] == "medium"


@pytest.mark.parametrize(("conf", "expected"), [(0.49, "needs_evidence"), (0.5, "approve")])
def test_low_confidence_turns_an_approval_into_needs_evidence(conf, expected):
    out = aggregate([_res("a", 90, "low", confidence=conf)], _policy(min_confidence=0.5))
    assert out["recommendation"] == expected
    if expected == "needs_evidence":
        assert any("would be approve" in r for r in out["reasons"])
        assert out["conditions"] and "A" in out["conditions"][0]


def test_low_confidence_never_softens_an_escalation():
    out = aggregate([_res("a", 40, "high", confidence=0.1)], _policy(min_confidence=0.5, gates=[]))
    assert out["recommendation"] == "escalate"


def test_no_score_means_no_tier_and_escalate():
    out = aggregate([_res("a", None, status="insufficient_data", confidence=0)], _policy())
    assert out["score"] is None and out["tier"] is None and out["recommendation"] == "escalate"
    assert out["conditions"] and out["conditions"][0].startswith("Obtain evidence for A")


def test_confidence_counts_missing_checks_as_zero():
    out = aggregate([_res("a", 90, "low", confidence=0.8),
                     _res("b", None, status="insufficient_data", confidence=0.0)], _policy())
    assert out["confidence"] == 0.4


# -- fail closed: an errored or missing check never raises a vendor's standing --------------------

RECS = ("approve", "approve_with_conditions", "needs_evidence", "escalate", "reject")


def _standing(out):
    from vendordd.model import rating_rank
    return (RECS.index(out["recommendation"]), rating_rank(out["tier"]) if out["tier"] else 9,
            -(out["score"] or 0))


@pytest.mark.parametrize("bad_score", [0, 30, 60, 90])
@pytest.mark.parametrize("how", ["error", "insufficient_data"])
def test_a_check_that_errored_or_had_no_data_never_improves_the_verdict(bad_score, how):
    others = [_res("a", 95, "low"), _res("b", 90, "low")]
    complete = aggregate([*others, _res("c", bad_score, rating_for_score(bad_score))], _policy(min_confidence=0))
    broken = _res("c", None, status=how, confidence=0.0)
    broken["error"] = "boom" if how == "error" else None
    incomplete = aggregate([*others, broken], _policy(min_confidence=0))
    # the score can only fall, and an approval is never reached through the missing check
    assert incomplete["score"] <= complete["score"]
    if complete["recommendation"] in ("approve", "approve_with_conditions"):
        assert _standing(incomplete) > _standing(complete)
    assert incomplete["recommendation"] not in ("approve", "approve_with_conditions")
    assert incomplete["tier"] in ("medium", "high", "critical")
    if how == "error":
        assert incomplete["failed_checks"] == ["c"]
        assert any("could not run (boom)" in r for r in incomplete["reasons"])
        assert any("re-run C" in c for c in incomplete["conditions"])


def rating_for_score(score):
    from vendordd.model import rating_for
    return rating_for(score)


def test_an_errored_check_is_never_approvable_even_when_the_policy_allows_incomplete():
    broken = _res("c", None, status="error", confidence=0.0)
    broken["error"] = "timeout"
    policy = _policy(min_confidence=0, missing_data="exclude",
                     incomplete_assessment={"tier": "low", "approvable": True})
    assert aggregate([_res("a", 95, "low"), broken], policy)["recommendation"] == "needs_evidence"
    missing = _res("c", None, status="insufficient_data", confidence=0.0)
    assert aggregate([_res("a", 95, "low"), missing], policy)["recommendation"] == "approve"


@pytest.mark.parametrize(("conf", "counted"), [(0.14, False), (0.15, True)])
def test_a_favourable_finding_below_the_minimum_check_confidence_counts_as_missing(conf, counted):
    out = aggregate([_res("a", 90, "low"), _res("b", 100, "low", confidence=conf)],
                    _policy(min_confidence=0, min_check_confidence=0.15))
    assert (out["missing_checks"] == []) is counted
    assert out["score"] == (95.0 if counted else 45.0)


def test_an_unfavourable_finding_counts_whatever_its_confidence():
    out = aggregate([_res("a", 90, "low"), _res("b", 10, "critical", confidence=0.01)],
                    _policy(min_confidence=0, min_check_confidence=0.15))
    assert out["missing_checks"] == [] and out["score"] == 50.0 and out["tier"] == "high"


def test_approve_with_conditions_lists_its_conditions():
    b = _res("b", 60, "medium")
    b["recommendations"] = ["Contract for EU residency."]
    out = aggregate([_res("a", 70, "medium"), b], _policy(min_confidence=0, gates=[]))
    assert out["recommendation"] == "approve_with_conditions"
    assert "B (medium): Contract for EU residency." in out["conditions"]
    assert len(out["conditions"]) == 2


def test_a_blocking_condition_is_named_and_blocks_approval():
    b = _res("b", 95, "low")
    b["facts"] = {"blocking_conditions": ["EU data residency is unknown"]}
    out = aggregate([_res("a", 95, "low"), b], _policy(min_confidence=0))
    assert out["recommendation"] == "needs_evidence"
    assert out["conditions"][0] == "EU data residency is unknown"
    assert any("Blocking condition (B)" in r for r in out["reasons"])


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
    assert res["summary"] == "[Override: medium, was critical] Listed" and "J. Doe" in res["rationale"][0]
    res["title"] = "Geo"
    reasons = aggregate([res], policy)["reasons"]
    assert ("Analyst override: Geo set to medium (55), was critical (0); approved by J. Doe, expires "
            "2027-01-01: Name match is a different company") in reasons
    assert not any("override" in r.lower() for r in aggregate([_res("geo", 0, "critical")], policy)["reasons"])
    entry, warning = find_override(policy, "v", "geo", dt.date(2027, 1, 2))
    assert entry is None and "expired on 2027-01-01" in warning


def test_the_worked_example_in_docs_methodology():
    """docs/methodology.md, Aggregation: worked example."""
    broken = _res("c", None, status="error", confidence=0.0)
    broken["error"] = "boom"
    out = aggregate([_res("a", 95, "low"), _res("b", 90, "low"), broken], _policy(min_confidence=0))
    assert (out["score"], out["score_of_checks_with_evidence"], out["tier"]) == (61.7, 92.5, "medium")
    assert out["recommendation"] == "needs_evidence" and out["failed_checks"] == ["c"]
    assert ("Not approvable while a check errored (c); the verdict would be approve_with_conditions once "
            "it runs and agrees.") in out["reasons"]
    assert "Fix and re-run C (c)." in out["conditions"]
    ran = aggregate([_res("a", 95, "low"), _res("b", 90, "low"), _res("c", 0, "critical")],
                    _policy(min_confidence=0))
    assert (ran["score"], ran["tier"], ran["recommendation"]) == (61.7, "high", "escalate")
    from pathlib import Path
    doc = (Path(__file__).resolve().parent.parent / "docs" / "methodology.md").read_text(encoding="utf-8")
    assert "(95 + 90 + 0) / 3 =\n61.7" in doc and '"Fix and re-run C (c)"' in doc


def test_a_vendor_headquartered_in_a_restricted_jurisdiction_is_not_approvable(tmp_path):
    """End to end: an otherwise spotless CN vendor, for a buyer restricting CN, is rejected, never a fallback."""
    import json

    from click.testing import CliRunner

    from vendordd.cli import cli
    from vendordd.testing import minimal_profile

    folder = tmp_path / "p"
    folder.mkdir()
    for vid, hq in (("home-lab", "US"), ("far-lab", "CN")):
        profile = minimal_profile(vid)
        profile["vendor"].update(headquarters=hq, capabilities=["chat"])
        profile["geopolitics"] = {"jurisdictions": [hq], "sanctions": []}
        (folder / f"{vid}.json").write_text(json.dumps(profile), encoding="utf-8")
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps({"policy_version": 1, "buyer": {"jurisdictions": ["US"],
                                                                  "restricted_jurisdictions": ["CN"]}}))
    portfolio = tmp_path / "portfolio.json"
    portfolio.write_text(json.dumps({"portfolio_version": 1, "vendors": [
        {"vendor": "home-lab", "share": 1.0, "criticality": "critical", "workloads": ["chat"]}],
        "workloads": [{"id": "chat", "capabilities": ["chat"], "criticality": "critical"}]}))
    out = tmp_path / "r.json"
    result = CliRunner().invoke(cli, ["run", str(folder), "--policy", str(policy), "--portfolio", str(portfolio),
                                      "--as-of", "2026-06-01", "--json", str(out)])
    assert result.exit_code == 0, result.stderr
    data = json.loads(out.read_text())
    far = next(v for v in data["vendors"] if v["id"] == "far-lab")
    assert far["overall"]["recommendation"] == "reject" and far["overall"]["tier"] == "critical"
    [chat] = data["portfolio"]["concentration"]["workloads"]
    assert chat["fallbacks"] == []  # the only other vendor is one the policy would not approve


def test_an_area_never_shows_a_score_the_verdict_counted_as_missing():
    checks = [_res("a", 97.6, "low", category="compute"), _res("b", 40, "high", category="people")]
    assert area_scores(checks) == {"compute": 97.6, "people": 40.0}
    assert area_scores(checks, {"a"}) == {"compute": None, "people": 40.0}


def test_a_low_tier_with_a_critical_finding_is_approved_only_with_its_conditions():
    """A plugin check can lift a vendor into the low band while another check stays critical:
    never a plain approve, and the critical check's advice is a condition (user trial)."""
    checks = [_res("a", 100, "low"), _res("b", 100, "low"), _res("c", 100, "low"),
              {**_res("open", 18, "critical"), "recommendations": ["Confirm the open roadmap."]}]
    overall = aggregate(checks, _policy(gates=[]))
    assert overall["tier"] == "low"
    assert overall["recommendation"] == "approve_with_conditions"
    assert "Open (critical): Confirm the open roadmap." in overall["conditions"]
    assert any("rated high or critical" in r for r in overall["reasons"])
    checks[-1] = _res("open", 80, "low")
    assert aggregate(checks, _policy(gates=[]))["recommendation"] == "approve"
