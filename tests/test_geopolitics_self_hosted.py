"""geopolitical_exposure for a self-hosted weights engagement (run(profile, ctx, engagement))."""

from __future__ import annotations

from vendordd.plugins import geopolitical_exposure as ge
from vendordd.testing import make_context, minimal_profile

CHECK = ge.CHECK
SELF_HOSTED = {"deployment": "self_hosted_weights", "hosting_provider": None, "data_sensitivity": "internal",
               "criticality": "low"}
BUYER = {"buyer": {"jurisdictions": ["US"], "bound_by_lists": ["US-BIS-ENTITY"],
                   "restricted_jurisdictions": ["CN"], "requires_data_residency": ["EU"]}}
# a CN vendor with a national app ban where the buyer operates and no EU residency
GEO = {"jurisdictions": ["CN"], "sanctions": [], "data_residency": [],
       "government_restrictions": [{"jurisdiction": "US", "scope": "full", "measure": "national_ban",
                                    "date": "2025-02-01"}]}


def _release(name="M1", license="MIT", **kw):
    return {"name": name, "date": "2025-06-01", "availability": "open_weights", "license": license, **kw}


def _run(releases, geo=GEO, engagement=SELF_HOSTED):
    profile = {**minimal_profile("v", geopolitics=geo, open_source={"releases": releases}),
               "vendor": {"id": "v", "name": "V", "headquarters": "CN"}}
    finding = CHECK.run(profile, make_context("2026-06-01", None, BUYER, defaults=CHECK.defaults),
                        engagement=engagement)
    assert finding.problems() == []
    return finding


def test_app_bans_headquarters_and_residency_do_not_reach_self_hosted_weights():
    alone = _run([_release()], engagement=None)
    hosted = _run([_release()])
    assert alone.score < 50 and alone.rating in ("high", "critical")
    assert hosted.score == 100 and hosted.rating is None
    assert "Self-hosted weights" in hosted.rationale[0]


def test_an_api_use_is_judged_as_the_vendor_alone():
    api = {**SELF_HOSTED, "deployment": "hosted_api"}
    assert _run([_release()], engagement=api) == _run([_release()], engagement=None)


def test_a_licence_governed_in_a_restricted_jurisdiction_is_a_deduction():
    found = _run([_release("Custom", "LicenseRef-Custom", license_jurisdiction="CN")])
    assert found.score == 100 - CHECK.defaults["licence_jurisdiction_deduction"]
    assert "licence" in found.summary
    assert _run([_release("Custom", "LicenseRef-Custom", license_jurisdiction="SG")]).score == 100


def test_an_unrecorded_clause_of_a_custom_licence_lowers_confidence_not_the_score():
    known = _run([_release("A", "Apache-2.0"), _release("B", "MIT")])
    unknown = _run([_release("A", "Apache-2.0"), _release("B", "LicenseRef-Custom")])
    assert unknown.score == known.score == 100
    assert unknown.confidence < known.confidence
    assert any("license_jurisdiction" in r for r in unknown.recommendations)


def test_weights_export_controlled_where_the_buyer_operates_are_a_deduction():
    assert _run([_release(export_controlled_in=["US"])]).score == \
        100 - CHECK.defaults["weights_export_control_deduction"]
    assert _run([_release(export_controlled_in=[])]).score == 100


def test_a_bound_listing_is_still_the_hard_rule_for_self_hosted_weights():
    geo = {**GEO, "sanctions": [{"list": "US-BIS-ENTITY", "status": "listed", "since": "2025-01-16",
                                 "entity": "V"}]}
    found = _run([_release()], geo=geo)
    assert found.score == 0 and found.rating == "critical" and found.metrics["hard_rule"] is True


def test_no_weights_to_self_host_is_missing_evidence():
    found = _run([{"name": "API", "date": "2025-06-01", "availability": "api_only"}])
    assert found.status == "insufficient_data" and found.score is None
