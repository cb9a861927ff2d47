"""The geopolitical_exposure check: everything judged against the policy's buyer."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vendordd.evidence import parse_date
from vendordd.plugins import geopolitical_exposure as ge
from vendordd.testing import make_context, minimal_profile

from .worked_examples import render, worked_examples

CHECK = ge.CHECK
AS_OF = "2026-03-10"
REGIONS = CHECK.defaults["regions"]

US_BUYER = {"jurisdictions": ["US"], "bound_by_lists": ["US-BIS-ENTITY", "US-OFAC-SDN"],
            "restricted_jurisdictions": [], "requires_data_residency": []}
EU_BUYER = {"jurisdictions": ["EU"], "bound_by_lists": ["EU-CONSOLIDATED"],
            "restricted_jurisdictions": [], "requires_data_residency": []}


def buyer(**kw):
    return {"buyer": {**US_BUYER, **kw}}


def run(geo=None, *, policy=None, hq="US", as_of=AS_OF, settings_=None, sources=None, **sections):
    profile = minimal_profile(**({"geopolitics": geo} if geo is not None else {}), **sections)
    if hq is None:
        del profile["vendor"]["headquarters"]
    else:
        profile["vendor"]["headquarters"] = hq
    if sources:
        profile["sources"] = sources
    finding = CHECK.run(profile, make_context(as_of, settings_, policy if policy is not None
                                              else {"buyer": US_BUYER}, defaults=CHECK.defaults))
    assert finding.problems() == []
    return finding


NEUTRAL = {"jurisdictions": ["CN"], "sanctions": [], "government_restrictions": [],
           "ownership": {"state_owned_pct": 0, "state_linked": False}}


def listed(lst="US-BIS-ENTITY", status="listed", since="2025-01-16", **kw):
    return {**NEUTRAL, "sanctions": [{"list": lst, "status": status, "since": since,
                                      "entity": "Example AI Co.", "sources": ["s1"], **kw}]}


# -- contract ----------------------------------------------------------------------------------------

def test_check_contract():
    assert CHECK.id == "geopolitical_exposure" and CHECK.category == "geopolitics"
    assert CHECK.version == "1.1" and CHECK.weight == 1.0 and CHECK.doc
    assert "/geopolitics" in CHECK.needs and "/vendor/headquarters" in CHECK.needs
    registered = []
    ge.register_checks(registered.append)
    assert registered == [CHECK]
    assert json.loads(json.dumps(CHECK.defaults)) == CHECK.defaults


def test_no_country_judgement_in_the_defaults():
    """Defaults are numbers, words and list ids: never a country (the policy names those)."""
    text = json.dumps({k: v for k, v in CHECK.defaults.items() if k != "regions"})
    assert not re.search(r'"[A-Z]{2}"', text)
    assert set(CHECK.defaults["bound_list_effects"].values()) <= {"reject", "escalate", "deduction"}
    assert set(REGIONS) == {"EU", "EEA"} and len(REGIONS["EU"]) == 27


# -- the required outcomes -----------------------------------------------------------------------------

def test_bound_listing_is_critical_with_score_zero():
    f = run(listed(), hq="CN", policy={"buyer": US_BUYER})
    assert f.score == 0 and f.rating == "critical"
    assert "US-BIS-ENTITY" in f.summary and "2025-01-16" in f.summary
    assert f.recommendations[0].startswith("Do not contract")
    assert f.metrics["hard_rule"] is True
    assert f.facts["sanctions"] == [{"list": "US-BIS-ENTITY", "status": "listed", "since": "2025-01-16",
                                     "bound": True}]
    assert f.sources == ["s1"]


def test_same_listing_is_not_critical_for_a_buyer_not_bound_by_the_list():
    f = run(listed(), hq="CN", policy={"buyer": EU_BUYER})
    assert f.rating is None and f.score == 65.0  # 100 - 35, everything else neutral
    assert f.metrics["hard_rule"] is False
    assert any("not bound by" in line for line in f.rationale)
    assert any("counsel" in r for r in f.recommendations)
    assert f.facts["sanctions"][0]["bound"] is False


def test_list_ids_match_case_insensitively():
    f = run(listed(lst="us-bis-entity"), policy=buyer(bound_by_lists=["US-BIS-Entity"]))
    assert f.rating == "critical"


def test_bound_listing_after_the_assessment_date_is_ignored():
    f = run(listed(since="2026-03-11"))
    assert f.score == 100 and f.rating is None
    assert any("after the assessment date" in line and "US-BIS-ENTITY" in line for line in f.rationale)
    assert run(listed(since="2026-03-10")).rating == "critical"


def test_listing_without_a_date_counts():
    assert run(listed(since=None)).rating == "critical"


@pytest.mark.parametrize("status, bound_lists, points", [
    ("proposed", ["US-BIS-ENTITY"], 20), ("proposed", ["EU-CONSOLIDATED"], 10),
    ("delisted", ["US-BIS-ENTITY"], 0), ("not_listed", ["US-BIS-ENTITY"], 0),
    ("under_review", ["US-BIS-ENTITY"], 0),
])
def test_other_statuses(status, bound_lists, points):
    f = run(listed(status=status), policy=buyer(bound_by_lists=bound_lists))
    assert f.rating is None and f.score == 100 - points
    if status == "proposed":
        assert any("Re-verify" in r for r in f.recommendations)
    if status == "delisted":
        assert any("delisted" in line for line in f.rationale)
    if status == "not_listed":
        assert any("screened, not listed on US-BIS-ENTITY (checked 2025-01-16)" in line
                   for line in f.rationale)
        assert f.recommendations == []
    if status == "under_review":
        assert any("current status" in r for r in f.recommendations)


def test_each_list_is_counted_once():
    geo = {**NEUTRAL, "sanctions": [
        {"list": "US-DOD-1260H", "status": "listed", "since": "2025-01"},
        {"list": "US-DOD-1260H", "status": "listed", "since": "2026-01"},
        {"list": "UK-SANCTIONS", "status": "listed"},
        {"list": "UK-SANCTIONS-X", "status": "proposed"},
        {"list": "UK-SANCTIONS-X", "status": "proposed"}]}
    f = run(geo)
    assert f.score == 100 - 35 - 35 - 10


# -- government restrictions ---------------------------------------------------------------------------------

def restricted_in(*places, date="2025-02-01"):
    return {**NEUTRAL, "government_restrictions": [{"jurisdiction": p, "scope": "government devices",
                                                    "date": date} for p in places]}


@pytest.mark.parametrize("buyer_places, place, effect, points", [
    (["IT"], "IT", "full", 20),
    (["US"], "US-TX", "partial", 10),          # a state ban reaches a national buyer partially
    (["US-TX"], "US", "full", 20),             # a national ban reaches a buyer in one state fully
    (["US-CA"], "US-TX", "elsewhere", 3),
    (["EU"], "IT", "partial", 10),             # a member-state ban, buyer declares the EU
    (["DE"], "EU", "full", 20),                # an EU-wide ban, buyer in a member state
    (["DE"], "IT", "elsewhere", 3),            # another member state: the buyer must list it or EU
    (["EU", "IT"], "IT", "full", 20),
    (["AU"], "KR", "elsewhere", 3),
])
def test_restriction_reach(buyer_places, place, effect, points):
    f = run(restricted_in(place), policy=buyer(jurisdictions=buyer_places))
    assert f.facts["government_restrictions"][0]["effect"] == effect
    assert f.score == 100 - points


def test_restrictions_in_the_buyer_jurisdictions_are_capped():
    f = run(restricted_in("US", "US-TX", "US-NY", "US-CA"), policy=buyer(jurisdictions=["US-TX"]))
    # US full (20) + US-TX full (20) + NY, CA elsewhere (3 + 3): in-buyer capped at 40
    assert f.score == 100 - 40 - 6


def test_restrictions_elsewhere_scale_with_count_and_are_capped():
    assert run(restricted_in("KR", "AU")).score == 94
    assert run(restricted_in("KR", "AU", "TW", "IN", "IT")).score == 85
    assert run(restricted_in("KR", "AU", "TW", "IN", "IT", "NL", "BE")).score == 85


def test_restriction_after_the_assessment_date_is_ignored():
    f = run(restricted_in("US", date="2026-04-01"))
    assert f.score == 100
    assert any("after the assessment date" in line for line in f.rationale)


@pytest.mark.parametrize("outer, inner, expected", [
    ("US", "US", True), ("US", "US-TX", True), ("US-TX", "US", False), ("EU", "IT", True),
    ("EU", "IT-RM", True), ("IT", "EU", False), ("EEA", "EU", True), ("EU", "EEA", False),
    ("EU", "NO", False), ("EEA", "NO", True), ("us", " US-tx ", True), ("", "US", False),
    ("CN", "HK", False),
])
def test_covers(outer, inner, expected):
    assert ge.covers(outer, inner, REGIONS) is expected


# -- restricted jurisdictions -------------------------------------------------------------------------------------

@pytest.mark.parametrize("hq, jurisdictions, restricted, points", [
    ("CN", ["CN"], ["CN"], 40),              # headquarters, counted once
    ("SG", ["SG", "CN"], ["CN"], 20),        # a processing jurisdiction
    ("CN", ["CN", "CN-BJ"], ["CN"], 60),     # headquarters and a subdivision elsewhere in it
    ("FR", ["FR"], ["EU"], 40),              # a region in the restricted list
    ("US", ["US", "CN"], [], 0),
])
def test_restricted_jurisdictions(hq, jurisdictions, restricted, points):
    f = run({**NEUTRAL, "jurisdictions": jurisdictions}, hq=hq,
            policy=buyer(restricted_jurisdictions=restricted))
    assert f.score == 100 - points


# -- data residency ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("required, offered, points, status", [
    (["EU"], [{"region": "EU", "available": True}], 0, "available"),
    (["EU"], [{"region": "DE", "available": True}], 0, "available"),   # Germany lies in the EU
    (["DE"], [{"region": "EU", "available": True}], 15, "not_offered"),  # the EU is not Germany
    (["EU"], [{"region": "EU", "available": False}], 15, "unavailable"),
    (["EU"], [{"region": "US", "available": True}], 15, "not_offered"),
    (["EU"], [], 15, "not_offered"),
    (["EU", "UK"], [{"region": "EU", "available": True}], 15, None),
])
def test_data_residency(required, offered, points, status):
    f = run({**NEUTRAL, "data_residency": offered}, policy=buyer(requires_data_residency=required))
    assert f.score == 100 - points
    if status:
        assert f.facts["data_residency"][required[0]] == status


def test_unknown_residency_lowers_confidence_not_the_score():
    src = [{"id": "s1", "kind": "primary", "title": "t", "url": "https://example.org"}]
    geo = {**listed(status="delisted"), "data_residency": [{"region": "EU", "available": True,
                                                            "sources": ["s1"]}]}
    known = run(geo, policy=buyer(requires_data_residency=["EU"]), sources=src)
    unknown_geo = {k: v for k, v in geo.items() if k != "data_residency"}
    unknown = run(unknown_geo, policy=buyer(requires_data_residency=["EU"]), sources=src)
    assert unknown.score == known.score == 100
    assert unknown.confidence < known.confidence
    assert unknown.facts["data_residency"] == {"EU": "unknown"}
    assert any("residency" in r for r in unknown.recommendations)


def test_residency_is_not_judged_when_the_buyer_requires_none():
    f = run({**NEUTRAL, "data_residency": [{"region": "EU", "available": False}]})
    assert f.score == 100 and "data_residency" not in f.facts


# -- ownership and export controls ----------------------------------------------------------------------------------

@pytest.mark.parametrize("ownership, points", [
    ({"state_owned_pct": 0, "state_linked": False}, 0),
    ({"state_owned_pct": 50}, 15),
    ({"state_owned_pct": 100, "state_linked": True}, 40),
    ({"state_linked": True}, 10),
    ({"major_shareholders": [{"name": "Fund A", "country": "CN", "pct": 10}]}, 15),
    ({"major_shareholders": [{"name": "Fund A", "country": "CN", "pct": 9.9}]}, 0),
    ({"major_shareholders": [{"name": "A", "country": "CN", "pct": 20},
                             {"name": "B", "country": "CN", "pct": 30}]}, 15),
    ({"major_shareholders": [{"name": "Fund B", "country": "FR", "pct": 60}]}, 0),
])
def test_ownership(ownership, points):
    f = run({**NEUTRAL, "jurisdictions": ["US"], "ownership": ownership},
            policy=buyer(restricted_jurisdictions=["CN"]), hq="US")
    assert f.score == 100 - points


def test_ownership_dated_after_the_assessment_date_is_ignored():
    geo = {**NEUTRAL, "ownership": {"state_owned_pct": 100, "as_of": "2026-06"}}
    f = run(geo)
    assert f.score == 100
    assert any("ownership" in line and "after the assessment date" in line for line in f.rationale)
    assert run({**NEUTRAL, "ownership": {"state_owned_pct": 100, "as_of": "2026-03"}}).score == 70


@pytest.mark.parametrize("constraint, points", [
    ({"type": "export_control", "summary": "s"}, 10),
    ({"type": "export_control", "summary": "s", "date": "2026-05-01"}, 0),
    ({"type": "energy", "summary": "s"}, 0),
])
def test_export_controls_on_compute(constraint, points):
    f = run(NEUTRAL, compute={"supply_constraints": [constraint, dict(constraint)]})
    assert f.score == 100 - points
    assert f.facts["export_control"] is bool(points)


# -- evidence -----------------------------------------------------------------------------------------------------

def test_insufficient_without_geopolitics_or_headquarters():
    f = run(None, hq=None)
    assert f.status == "insufficient_data" and f.score is None and f.rating is None


def test_headquarters_alone_is_weak_evidence():
    f = run(None, hq="US")
    full = run(NEUTRAL | {"data_residency": []}, hq="US")
    assert f.status == "ok" and f.score == 100
    assert f.confidence <= 0.05 < full.confidence
    assert f.metrics["completeness"] == pytest.approx(0.1 / 0.85, abs=1e-3)
    assert any("Only the headquarters" in line for line in f.rationale)
    assert any("Screen the vendor" in r for r in f.recommendations)
    assert run(None, hq="CN", policy=buyer(restricted_jurisdictions=["CN"])).score == 60


def test_an_unconfigured_buyer_is_said_out_loud():
    f = run(listed(), policy={})
    assert f.rating is None and f.score == 65
    assert any("policy.buyer" in r for r in f.recommendations)


def test_everything_is_relative_to_the_buyer():
    geo = {**restricted_in("IT"), "jurisdictions": ["CN"],
           "data_residency": [{"region": "CN", "available": True}]}
    for_it = run(geo, hq="CN", policy={"buyer": {"jurisdictions": ["IT"], "restricted_jurisdictions": ["CN"],
                                                  "requires_data_residency": ["EU"]}})
    for_br = run(geo, hq="CN", policy={"buyer": {"jurisdictions": ["BR"]}})
    assert for_it.score == 100 - 20 - 40 - 15
    assert for_br.score == 97
    assert for_it.rating == "critical" and for_br.rating is None  # the restricted-headquarters gate
    assert "restricted jurisdiction CN" in for_it.summary and "headquarters" in for_it.summary


def test_worked_example_numbers():
    """The worked example in docs/methodology/geopolitical_exposure.md."""
    src = [{"id": "s1", "kind": "primary", "title": "t", "url": "https://example.org"},
           {"id": "s2", "kind": "news", "title": "t", "url": "https://example.org"}]
    geo = {"jurisdictions": ["CN", "SG"],
           "data_residency": [{"region": "SG", "available": True}],
           "ownership": {"state_owned_pct": 5, "state_linked": True, "sources": ["s2"]},
           "sanctions": [{"list": "US-BIS-ENTITY", "status": "listed", "since": "2025-01-16",
                          "entity": "Example AI Co. and subsidiaries", "sources": ["s1"]}],
           "government_restrictions": [{"jurisdiction": "IT", "scope": "app blocked", "date": "2025-01-30",
                                        "sources": ["s2"]},
                                       {"jurisdiction": "AU", "scope": "government devices",
                                        "date": "2025-02-04", "sources": ["s2"]}]}
    compute = {"supply_constraints": [{"type": "export_control", "summary": "s", "sources": ["s1"]}]}
    eu = {"buyer": {"jurisdictions": ["EU", "DE"], "bound_by_lists": ["EU-CONSOLIDATED"],
                    "restricted_jurisdictions": [], "requires_data_residency": ["EU"]}}
    f = run(geo, hq="CN", policy=eu, sources=src, compute=compute)
    assert f.rating is None
    assert f.score == 100 - 35 - 10 - 3 - 15 - 1.5 - 10 - 10 == 15.5
    # all six inputs given (completeness 1); mean source strength (1 + 0.7 + 0.7 + 0.7 + 1) / 5 = 0.82;
    # the three dated facts are all older than 365 days, so freshness is floored at 0.5
    assert f.confidence == 0.41
    us = run(geo, hq="CN", policy={"buyer": US_BUYER}, sources=src, compute=compute)
    assert us.score == 0 and us.rating == "critical"


# -- robustness ---------------------------------------------------------------------------------------------------

_PLACE = st.one_of(st.sampled_from(["US", "US-TX", "CN", "IT", "EU", "EEA", "DE", "SG", "it", ""]),
                   st.text(max_size=5))
_LIST = st.one_of(st.sampled_from(["US-BIS-ENTITY", "US-OFAC-SDN", "EU-CONSOLIDATED", "UK"]),
                  st.text(max_size=5))
_DATE = st.one_of(st.none(), st.sampled_from(["2020-01", "2026-03-10", "2026-03-11", "2030-01-01"]),
                  st.text(max_size=10))
_NUM = st.one_of(st.none(), st.booleans(), st.integers(-50, 200), st.floats(allow_nan=True),
                 st.text(max_size=3))
_SANCTION = st.fixed_dictionaries({"list": _LIST, "status": st.one_of(
    st.sampled_from(["listed", "proposed", "delisted", "not_listed"]), st.text(max_size=6))}, optional={"since": _DATE})
_GEO = st.fixed_dictionaries({}, optional={
    "jurisdictions": st.lists(_PLACE, max_size=4),
    "data_residency": st.lists(st.fixed_dictionaries({"region": _PLACE, "available": st.booleans()}),
                               max_size=3),
    "ownership": st.fixed_dictionaries({}, optional={
        "state_owned_pct": _NUM, "state_linked": st.one_of(st.booleans(), st.none()),
        "major_shareholders": st.lists(st.fixed_dictionaries(
            {"name": st.text(max_size=4), "country": _PLACE, "pct": _NUM}), max_size=3)}),
    "sanctions": st.lists(_SANCTION, max_size=4),
    "government_restrictions": st.lists(st.fixed_dictionaries({"jurisdiction": _PLACE},
                                                              optional={"date": _DATE}), max_size=5)})
_BUYER = st.fixed_dictionaries({}, optional={
    "jurisdictions": st.lists(_PLACE, max_size=3), "bound_by_lists": st.lists(_LIST, max_size=3),
    "restricted_jurisdictions": st.lists(_PLACE, max_size=3),
    "requires_data_residency": st.lists(_PLACE, max_size=2)})


def _bound_listing_in_force(geo, buyer_doc) -> bool:
    bound = {str(x).strip().upper() for x in buyer_doc.get("bound_by_lists", []) if str(x).strip()}
    for entry in geo.get("sanctions", []) if geo else []:
        since = parse_date(entry.get("since"))
        future = since is not None and since.isoformat() > AS_OF
        name = entry["list"].strip().upper()
        if entry["status"].strip().lower() == "listed" and name in bound and not future \
                and ge.DEFAULT_BOUND_LIST_EFFECTS.get(name, "reject") == "reject":
            return True
    return False


def _restricted_headquarters(hq, buyer_doc) -> bool:
    """The default restricted_headquarters: gate rates the check critical too."""
    return bool(hq and hq.strip()) and any(
        ge.covers(str(r), hq, ge.DEFAULT_REGIONS) for r in buyer_doc.get("restricted_jurisdictions", []))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(geo=st.one_of(st.none(), _GEO), buyer_doc=_BUYER, hq=st.one_of(st.none(), _PLACE))
def test_never_raises_and_critical_exactly_on_a_bound_listing(geo, buyer_doc, hq):
    f = run(geo, policy={"buyer": buyer_doc}, hq=hq)
    assert f.status in ("ok", "insufficient_data")
    if f.status == "insufficient_data":
        assert geo is None and not (hq or "").strip()
        return
    assert 0 <= f.score <= 100
    hard = _bound_listing_in_force(geo, buyer_doc)
    assert (f.rating == "critical") is (hard or _restricted_headquarters(hq, buyer_doc))
    if hard:
        assert f.score == 0 and f.rating == "critical"


# -- the methodology page ------------------------------------------------------------------------------------

DOC = Path(__file__).resolve().parent.parent / "docs" / "methodology" / "geopolitical_exposure.md"


def _doc() -> str:
    return DOC.read_text(encoding="utf-8")


def test_doc_has_worked_examples_for_two_buyers():
    examples = worked_examples(CHECK.id)
    assert len(examples) == 2
    profiles = [yaml.safe_load(block)["profile"] for _, block, _ in examples]
    assert profiles[0] == profiles[1]


@pytest.mark.parametrize("as_of, block, expected", worked_examples(CHECK.id))
def test_doc_worked_example_matches_the_code(as_of, block, expected):
    assert render(CHECK, block, as_of) == expected.strip()


@pytest.mark.parametrize("key", [k for k in CHECK.defaults if k != "regions"])
def test_doc_states_every_default(key):
    found = re.search(rf"^\| `{key}` \| `([^`]+)` \|", _doc(), re.M)
    assert found, key
    value = CHECK.defaults[key]
    if isinstance(value, (int, float)):
        assert float(found.group(1)) == value
    elif isinstance(value, str):
        assert found.group(1) == value
    else:
        assert json.loads(found.group(1)) == value


# -- issue 14: geopolitics that protects the buyer ------------------------------------------------------

@pytest.mark.parametrize(("setting", "rating"), [("gate", "critical"), ("deduction", None)])
def test_a_restricted_headquarters_is_a_gate_unless_the_policy_says_deduction(setting, rating):
    f = run(NEUTRAL, hq="CN", policy=buyer(restricted_jurisdictions=["CN"]),
            settings_={"restricted_headquarters": setting})
    assert f.score == 100 - 40 - 0 and f.rating == rating
    elsewhere = run(NEUTRAL, hq="SG", policy=buyer(restricted_jurisdictions=["CN"]))
    assert elsewhere.rating is None  # only the headquarters is a gate (CN operations: a deduction)


@pytest.mark.parametrize(("measure", "points"), [("national_ban", 20), ("regulator_order", 15),
                                                  ("delisting_request", 10), ("government_devices", 5),
                                                  ("advisory", 5), (None, 20)])
def test_a_restriction_counts_by_its_measure_and_an_unknown_measure_counts_in_full(measure, points):
    entry = {"jurisdiction": "US", "scope": "s", "date": "2025-02-01", **({"measure": measure} if measure else {})}
    f = run({**NEUTRAL, "government_restrictions": [entry]})
    assert f.score == 100 - points


@pytest.mark.parametrize(("setting", "blocking"), [("block", True), ("confidence", False)])
def test_unknown_residency_under_a_requirement_is_a_named_blocking_condition(setting, blocking):
    f = run(NEUTRAL, policy=buyer(requires_data_residency=["EU"]), settings_={"residency_unknown": setting})
    assert f.score == 100
    assert bool(f.facts.get("blocking_conditions")) is blocking
    known = run({**NEUTRAL, "data_residency": [{"region": "EU", "available": True}]},
                policy=buyer(requires_data_residency=["EU"]))
    assert "blocking_conditions" not in known.facts


def test_a_bound_list_with_effect_escalate_rates_at_least_high_and_reject_is_the_hard_rule():
    dod = run(listed("US-DOD-1260H"), policy=buyer(bound_by_lists=["US-DOD-1260H"]))
    assert (dod.score, dod.rating) == (65, "high")
    sdn = run(listed("US-OFAC-SDN"), policy=buyer())
    assert (sdn.score, sdn.rating) == (0, "critical")
    softer = run(listed("US-BIS-ENTITY"), policy=buyer(),
                 settings_={"bound_list_effects": {"US-BIS-ENTITY": "deduction"}})
    assert (softer.score, softer.rating) == (65, None)


@pytest.mark.parametrize(("pct", "critical"), [(49.9, False), (50, True)])
def test_the_ownership_rule_treats_a_vendor_owned_half_by_listed_shareholders_as_listed(pct, critical):
    own = {"major_shareholders": [{"name": "Blocked Holding", "pct": pct, "listed_on": ["US-OFAC-SDN"]}]}
    f = run({**NEUTRAL, "ownership": own})
    assert (f.rating == "critical") is critical
    assert f.score == (0 if critical else 90)


def test_shareholders_on_an_unbound_list_cost_points_whatever_their_share():
    own = {"major_shareholders": [{"name": "Tencent", "pct": 15, "listed_on": ["US-DOD-1260H"]}]}
    f = run({**NEUTRAL, "ownership": own})
    assert f.score == 90 and f.rating is None
    assert f.facts["listed_shareholders"][0]["list"] == "US-DOD-1260H"


def test_an_unknown_stake_on_a_bound_list_is_a_blocking_condition_not_a_zero_stake():
    own = {"major_shareholders": [{"name": "Tencent", "listed_on": ["US-OFAC-SDN"]}]}
    f = run({**NEUTRAL, "ownership": own})
    assert any("Tencent" in c and "unknown" in c for c in f.facts["blocking_conditions"])
    assert f.facts["listed_shareholders"][0]["pct_unknown"] == ["Tencent"]
    assert "(0%)" not in " ".join(f.rationale) and "stake unknown" in " ".join(f.rationale)
    known = run({**NEUTRAL, "ownership": {"major_shareholders": [
        {"name": "Tencent", "pct": 10, "listed_on": ["US-OFAC-SDN"]}]}})
    assert "blocking_conditions" not in known.facts
    unbound = run({**NEUTRAL, "ownership": {"major_shareholders": [
        {"name": "Tencent", "listed_on": ["US-DOD-1260H"]}]}})
    assert "blocking_conditions" not in unbound.facts and unbound.score == 90


@pytest.mark.parametrize(("link", "score"), [("none", 100), ("minority_investor", 95), ("influence", 85),
                                              ("controlled", 70)])
def test_state_links_are_graded(link, score):
    assert run({**NEUTRAL, "ownership": {"state_link": link}}).score == score


def test_a_controlled_state_link_and_the_state_share_are_one_fact():
    f = run({**NEUTRAL, "ownership": {"state_link": "controlled", "state_owned_pct": 60}})
    assert f.score == 100 - 30  # 18 for the share + 12 for the control beyond it
