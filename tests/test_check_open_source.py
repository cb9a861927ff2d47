"""The open_source_commitment check: classes, components, trend, edges, and the documented examples."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vendordd.model import rating_for
from vendordd.plugins import open_source_commitment as osc
from vendordd.plugins.open_source_commitment import CHECK
from vendordd.testing import make_context, minimal_profile, run_check

from .worked_examples import render, worked_examples

DOC = Path(__file__).resolve().parent.parent / "docs" / "methodology" / "open_source_commitment.md"
AS_OF = dt.date(2026, 4, 1)
FULL = {"weights": True, "inference_code": True, "training_code": True, "training_data": True,
        "technical_report": True, "evaluation_code": True, "model_card": True}


def run(section, as_of=AS_OF, settings=None, policy=None, profile_date="2026-03-15", sources=()):
    """Run the check with that open_source section (None: no section); assert a well-formed finding."""
    profile = minimal_profile("acme-ai")
    if section is not None:
        profile["open_source"] = section
    profile["profile_date"] = profile_date
    profile["sources"] = list(sources)
    finding = CHECK.run(profile, make_context(as_of, settings, policy, defaults=CHECK.defaults))
    assert finding.problems() == []
    json.dumps(finding.metrics), json.dumps(finding.facts)
    return finding


def rel(name, date, availability="open_weights", license="Apache-2.0", *, flagship=True,
        restrictions=None, artifacts=None, sources=None):
    out = {"name": name, "date": date, "availability": availability, "license": license,
           "flagship": flagship, "restrictions": restrictions, "artifacts": artifacts, "sources": sources}
    return {k: v for k, v in out.items() if v is not None}


def closed(name, date, **kw):
    return rel(name, date, "api_only", None, **kw)


OPEN_PROVIDER = {"releases": [rel("O1", "2024-06-01"), rel("O2", "2025-03-01"), rel("O3", "2026-01-15")]}
PIVOTING = {"releases": [rel("P1", "2024-06-01"), rel("P2", "2025-03-01"), closed("P3", "2026-01-15")]}
CLOSED_ONLY = {"releases": [closed("C1", "2024-06-01"), closed("C2", "2025-03-01"), closed("C3", "2026-01-15")]}


# -- required orderings and statuses ------------------------------------------------

def test_closed_below_pivoting_below_open():
    c, p, o = run(CLOSED_ONLY), run(PIVOTING), run(OPEN_PROVIDER)
    assert c.score < p.score < o.score
    assert (c.metrics["trend"], p.metrics["trend"], o.metrics["trend"]) == (
        "closed", "pivoting_to_closed", "open")


def test_a_pivot_is_a_flag_with_its_evidence_not_a_deduction():
    f = run(PIVOTING)
    assert f.metrics["pivot"] is True
    assert f.score == pytest.approx(round(f.metrics["weighted_score"], 1))
    assert any(line.startswith("Trend:") and "pivoting_to_closed (flag, not a deduction: earlier P1 "
               "(open_weights), P2 (open_weights)" in line for line in f.rationale)
    assert any("do not plan on open successors" in r for r in f.recommendations)


def test_never_open_below_long_ago_pivoted_below_open():
    """A pivot so old that every component is 0 still ranks above a vendor that never opened."""
    old_pivot = {"releases": [rel("P1", "2019-01-01"), closed("P2", "2025-03-01"), closed("P3", "2026-01-15")]}
    never, pivoted, still_open = run(CLOSED_ONLY), run(old_pivot), run(OPEN_PROVIDER)
    assert never.score == 0 and pivoted.score == CHECK.defaults["ever_open_floor"]
    assert never.score < pivoted.score < still_open.score
    assert "raised to the once-open floor 5" in pivoted.rationale[-1] or any(
        "raised to the once-open floor 5" in line for line in pivoted.rationale)


@pytest.mark.parametrize("status", ["announced", "reported_plan"])
def test_an_announcement_or_a_reported_plan_is_not_a_release(status):
    planned = {"releases": [*OPEN_PROVIDER["releases"], {**closed("Next", "2026-02-01"), "status": status}]}
    f, base = run(planned), run(OPEN_PROVIDER)
    assert f.score == base.score and f.metrics["trend"] == "open"
    assert f.metrics["announced_or_planned_releases"] == 1
    released = {"releases": [*OPEN_PROVIDER["releases"], {**closed("Next", "2026-02-01"), "status": "released"}]}
    assert run(released).metrics["trend"] == "pivoting_to_closed"


def test_releases_but_none_open_is_ok_and_scores_low():
    f = run(CLOSED_ONLY)
    assert f.status == "ok"
    assert f.score == 0 and rating_for(f.score) == "critical"
    assert f.metrics["months_since_open_release"] is None
    assert any("API dependency" in r for r in f.recommendations)


def test_no_section_is_insufficient():
    f = run(None)
    assert f.status == "insufficient_data" and f.score is None


@pytest.mark.parametrize("section", [{"releases": [], "notes": "Vendor publishes no model list"},
                                     {"notes": "Nothing found"}, {}])
def test_section_without_releases_is_insufficient(section):
    f = run(section)
    assert f.status == "insufficient_data" and f.score is None


def test_only_future_or_undated_releases_is_insufficient():
    f = run({"releases": [rel("Later", "2026-05-01"), {"name": "Undated", "availability": "open_weights"}]})
    assert f.status == "insufficient_data"


def test_future_and_undated_releases_are_left_out_and_reported():
    section = {"releases": [rel("Now", "2026-01-01"), rel("Later", "2026-04-02"),
                            {"name": "Undated", "availability": "open_weights", "license": "MIT"}]}
    f = run(section)
    assert f.metrics["releases_considered"] == 1
    assert f.metrics["facts_after_as_of"] == 1 and f.metrics["undated_releases"] == 1
    assert "1 fact dated after the as-of date was left out." in f.rationale
    assert "1 undated release left out." in f.rationale


# -- licence classes ----------------------------------------------------------------

@pytest.mark.parametrize("availability, license, restrictions, cls, points", [
    ("open_weights", "Apache-2.0", [], "permissive", 1.0),
    ("open_weights", "mit", [], "permissive", 1.0),
    ("open_weights", "GPL-3.0-only", [], "copyleft", 0.8),
    ("open_weights", "AGPL-3.0-only", [], "copyleft", 0.8),
    ("open_weights", "LicenseRef-Vendor-Community", [], "custom", 0.6),
    ("open_weights", "Made-Up-1.0", [], "custom", 0.6),
    ("open_weights", None, [], "custom", 0.6),
    ("open_weights", "CC-BY-NC-4.0", [], "custom", 0.6),
    ("open_weights", "Apache-2.0", ["mau_cap"], "custom", 0.55),
    ("open_weights", "LicenseRef-Llama-3-Community",
     ["mau_cap", "acceptable_use", "no_training_other_models", "naming_attribution"], "custom", 0.43),
    ("open_weights", "LicenseRef-Tongyi-Qianwen", ["mau_cap", "no_training_other_models"], "custom", 0.5),
    ("open_weights", "LicenseRef-Research", ["non_commercial"], "custom", 0.4),
    ("open_weights", "LicenseRef-X", ["non_commercial", "field_of_use", "mau_cap", "acceptable_use"],
     "custom", 0.35),
    ("open_weights", "LicenseRef-X", ["something_new"], "custom", 0.55),
    ("gated_weights", "Apache-2.0", [], "gated", 0.3),
    ("gated_weights", "LicenseRef-X", ["non_commercial"], "gated", 0.3),
    ("api_only", None, [], "closed", 0.0),
    ("closed", None, [], "closed", 0.0),
    (None, "Apache-2.0", [], "unknown", 0.0),
])
def test_license_class_and_openness(availability, license, restrictions, cls, points):
    s = CHECK.defaults
    assert osc.license_class(availability, license, restrictions, s["license_classes"]) == cls
    assert osc.openness(cls, restrictions, s) == pytest.approx(points)


def test_class_ordering_custom_stays_above_gated():
    s = CHECK.defaults
    worst_custom = osc.openness("custom", list(s["restriction_penalties"]) * 3, s)
    assert s["class_points"]["permissive"] > s["class_points"]["copyleft"] > worst_custom \
        > s["class_points"]["gated"] > s["class_points"]["closed"]


def test_policy_can_add_a_license_class_without_losing_the_table():
    section = {"releases": [rel("A", "2026-01-01", license="LicenseRef-Open"),
                            rel("B", "2026-02-01", license="Apache-2.0")]}
    f = run(section, settings={"license_classes": {"LicenseRef-Open": "permissive"}})
    assert [r["class"] for r in f.facts["releases"]] == ["permissive", "permissive"]
    assert f.metrics["component_license"] == 1.0


def test_restrictions_per_release_are_honoured():
    section = {"releases": [rel("Free", "2026-01-01"),
                            rel("Capped", "2026-02-01", restrictions=["mau_cap", "acceptable_use"])]}
    f = run(section)
    assert [r["openness"] for r in f.facts["releases"]] == [1.0, 0.5]
    assert f.metrics["component_license"] == 0.75
    assert any("acceptable_use, mau_cap" in r and "Capped" in r for r in f.recommendations)


# -- recency --------------------------------------------------------------------

@pytest.mark.parametrize("day, points", [
    ("2025-10-01", 1.0), ("2025-09-30", 0.75),
    ("2025-04-01", 0.75), ("2025-03-31", 0.4),
    ("2024-04-01", 0.4), ("2024-03-31", 0.15),
    ("2023-04-01", 0.15), ("2023-03-31", 0.0),
])
def test_recency_band_edges(day, points):
    bands = CHECK.defaults["recency_bands"]
    assert osc.recency_points(dt.date.fromisoformat(day), AS_OF, bands) == points
    f = run({"releases": [rel("R", day)]})
    assert f.metrics["component_recency"] == points


def test_gated_release_earns_half_recency():
    f = run({"releases": [rel("G", "2026-01-01", "gated_weights")]})
    assert f.metrics["component_recency"] == 0.5
    assert f.metrics["months_since_open_release"] is None
    assert f.metrics["months_since_gated_release"] == 3.0


def test_recency_takes_the_better_of_open_and_gated():
    f = run({"releases": [rel("Old open", "2024-06-01"), rel("New gated", "2026-01-01", "gated_weights")]})
    assert f.metrics["component_recency"] == 0.5  # max(0.4, 0.5 × 1.0)


# -- flagship share, window edge and trend ---------------------------------------

def test_flagship_window_edge():
    edge = "2024-04-01"  # exactly 24 months before the as-of date
    f = run({"releases": [rel("Edge", edge), closed("Now", "2026-01-01")]})
    assert f.metrics["flagships_in_window"] == 2 and f.metrics["flagship_open_share"] == 0.5
    f = run({"releases": [rel("Edge", "2024-03-31"), closed("Now", "2026-01-01")]})
    assert f.metrics["flagships_in_window"] == 1 and f.metrics["flagship_open_share"] == 0.0


def test_flagship_share_counts_only_open_weights():
    section = {"releases": [rel("A", "2025-01-01"), rel("B", "2025-06-01", "gated_weights"),
                            rel("C", "2026-01-01"), rel("Small", "2026-02-01", "api_only", flagship=False)]}
    f = run(section)
    assert f.metrics["flagships_in_window"] == 3
    assert f.metrics["flagship_open_share"] == pytest.approx(0.667, abs=1e-3)


def test_without_flagship_in_window_the_component_is_left_out():
    section = {"releases": [rel("Old flagship", "2023-01-01"), rel("New small", "2026-01-01", flagship=False)]}
    f = run(section)
    assert "component_flagship" not in f.metrics and f.metrics["flagship_open_share"] is None
    assert "Flagships in the last 24 months: none → component left out" in f.rationale


def test_when_no_release_is_marked_flagship_all_count():
    section = {"releases": [rel("A", "2025-01-01", flagship=False), closed("B", "2026-01-01", flagship=False)]}
    f = run(section)
    assert f.metrics["flagships_in_window"] == 2
    assert f.metrics["trend"] == "pivoting_to_closed"
    assert any("every release of known availability counts" in line for line in f.rationale)


_AVAIL = {"o": "open_weights", "g": "gated_weights", "a": "api_only", "c": "closed"}


@pytest.mark.parametrize("pattern, trend", [
    ("o", "open"), ("a", "closed"), ("g", "mixed"),
    ("oo", "open"), ("ooo", "open"),
    ("ooa", "pivoting_to_closed"), ("ooc", "pivoting_to_closed"), ("oa", "pivoting_to_closed"),
    ("aoa", "pivoting_to_closed"),      # earlier share 0.5
    ("aaoa", "mixed"),                  # earlier share 1/3
    ("aa", "closed"), ("aaa", "closed"),
    ("aao", "opening"), ("ao", "opening"),
    ("aoo", "mixed"), ("oao", "mixed"),
    ("oog", "mixed"),
    ("ooooa", "pivoting_to_closed"),
    ("oaaao", "opening"),               # lookback 3: the first open flagship is out of view
])
def test_trend(pattern, trend):
    releases = [osc.Release(name=f"F{i}", date=dt.date(2020 + i, 1, 1), availability=_AVAIL[ch],
                            license=None, restrictions=(), artifacts=None, flagship=True, sources=())
                for i, ch in enumerate(pattern)]
    assert osc.flagship_trend(releases, 3) == trend


def test_trend_lookback_setting():
    section = {"releases": [rel("F1", "2023-01-01"), rel("F2", "2024-01-01"), closed("F3", "2024-06-01"),
                            closed("F4", "2025-01-01"), rel("F5", "2026-01-01")]}
    assert run(section).metrics["trend"] == "opening"                          # F2-F4: 1/3 open
    assert run(section, settings={"trend_lookback": 4}).metrics["trend"] == "mixed"  # F1-F4: 2/4


def test_unknown_availability_is_not_read_as_closed():
    section = {"releases": [rel("A", "2025-01-01"), rel("B", "2025-06-01"),
                            {"name": "C", "date": "2026-01-01", "flagship": True}]}
    f = run(section)
    assert f.metrics["trend"] == "open" and f.metrics["pivot"] is False
    assert f.metrics["flagships_in_window"] == 2 and f.metrics["component_license"] == 1.0
    assert f.metrics["unknown_availability_releases"] == 1
    assert "1 release of unknown availability left out of licence, flagship and trend." in f.rationale
    assert f.facts["releases"][-1]["class"] == "unknown"
    assert f.metrics["completeness"] == pytest.approx((80 / 100 + 2 / 3) / 2, abs=0.005)


def test_no_release_of_known_availability_is_insufficient():
    f = run({"releases": [{"name": "A", "date": "2025-01-01", "license": "MIT"}]})
    assert f.status == "insufficient_data"


def test_flagships_all_of_unknown_availability_leave_trend_unassessed():
    section = {"releases": [rel("Small", "2025-06-01", flagship=False),
                            {"name": "Big", "date": "2026-01-01", "flagship": True}]}
    f = run(section)
    assert f.metrics["trend"] is None and "component_flagship" not in f.metrics
    assert "Trend: no flagship of known availability → not assessed" in f.rationale


# -- artifacts (MOF) -------------------------------------------------------------

@pytest.mark.parametrize("artifacts, license, availability, cls, points", [
    (FULL, "Apache-2.0", "open_weights", "class_i", 1.0),
    ({**FULL, "training_data": False}, "Apache-2.0", "open_weights", "class_ii", 0.75),
    ({"weights": True, "model_card": True, "technical_report": True}, "MIT", "open_weights", "class_iii", 0.5),
    ({"model_card": True, "technical_report": True}, "GPL-3.0-only", "open_weights", "class_iii", 0.5),
    ({"weights": True, "inference_code": True, "technical_report": True}, "Apache-2.0", "open_weights",
     None, 0.4 * 3 / 7),
    (FULL, "LicenseRef-Custom", "open_weights", None, 0.4),
    (FULL, "Apache-2.0", "gated_weights", None, 0.4),
    (None, "Apache-2.0", "open_weights", None, 0.4 / 7),
])
def test_mof_class(artifacts, license, availability, cls, points):
    f = run({"releases": [rel("M", "2026-01-01", availability, license, artifacts=artifacts)]})
    assert f.metrics["mof_class"] == cls
    assert f.metrics["component_artifacts"] == pytest.approx(round(points, 3))


def test_artifacts_without_weight_release_score_zero():
    f = run({"releases": [closed("API", "2026-01-01", artifacts={"technical_report": True})]})
    assert f.metrics["component_artifacts"] == 0.0
    assert "Artifacts: no release with downloadable weights → 0" in f.rationale


def test_artifacts_take_the_best_recent_release():
    section = {"releases": [rel("Rich", "2025-01-01", artifacts=FULL), rel("Bare", "2026-01-01")]}
    assert run(section).metrics["mof_class"] == "class_i"


def test_artifact_tie_goes_to_the_later_release():
    f = run({"releases": [rel("Earlier", "2025-06-01"), rel("Later", "2026-01-01")]})
    assert any(line.startswith("Artifacts: best of 2 weight release(s) is Later with") for line in f.rationale)


# -- adoption --------------------------------------------------------------------

@pytest.mark.parametrize("downloads, points", [
    (0, 0.0), (10_000, 0.0), (100_000, 0.0), (1_000_000, 0.25), (10_000_000, 0.5),
    (100_000_000, 0.75), (1_000_000_000, 1.0), (10_000_000_000, 1.0),
])
def test_downloads_log_scale_at_decades(downloads, points):
    assert osc.log_points(downloads, 5, 9) == pytest.approx(points)
    f = run({"releases": [rel("R", "2026-01-01")], "adoption": {"downloads": downloads}})
    assert f.metrics["component_adoption"] == pytest.approx(points)


@pytest.mark.parametrize("derivatives, points", [(100, 0.0), (1_000, 0.25), (10_000, 0.5),
                                                 (100_000, 0.75), (1_000_000, 1.0)])
def test_derivatives_log_scale_at_decades(derivatives, points):
    assert osc.log_points(derivatives, 2, 6) == pytest.approx(points)


def test_adoption_is_the_mean_of_given_figures():
    section = {"releases": [rel("R", "2026-01-01")],
               "adoption": {"downloads": 10_000_000, "derivative_models": 1_000_000}}
    assert run(section).metrics["component_adoption"] == 0.75


def test_missing_adoption_is_left_out_not_zero():
    base = {"releases": [rel("R", "2026-01-01", artifacts=FULL)]}
    without = run(base)
    assert "component_adoption" not in without.metrics
    assert without.score == 100.0  # recency, licence, flagship, artifacts all 1 over their own weights
    with_zero = run({**base, "adoption": {"downloads": 0}})
    assert with_zero.score < without.score


def test_adoption_dated_after_as_of_is_left_out():
    section = {"releases": [rel("R", "2026-01-01")],
               "adoption": {"downloads": 10**9, "as_of": "2026-05"}}
    f = run(section)
    assert "component_adoption" not in f.metrics
    assert f.metrics["facts_after_as_of"] == 1


# -- commitments -----------------------------------------------------------------

@pytest.mark.parametrize("dates, points", [
    ([], 0.0),
    (["2025-01-01"], 0.6),
    (["2025-01-01", "2025-06-01"], 1.0),
    (["2024-04-01"], 0.6),        # exactly 24 months: inside
    (["2024-03-31"], 0.2),        # one day older: only an old commitment
    ([None], 0.2),
])
def test_commitment_points(dates, points):
    commitments = [{"statement": "We will keep releasing open weights", **({"date": d} if d else {})}
                   for d in dates]
    f = run({"releases": [rel("R", "2026-01-01")], "commitments": commitments})
    assert f.metrics["component_commitments"] == points


def test_future_commitment_is_left_out():
    f = run({"releases": [rel("R", "2026-01-01")],
             "commitments": [{"statement": "Promise", "date": "2026-06-01"}]})
    assert f.metrics["component_commitments"] == 0.0 and f.metrics["facts_after_as_of"] == 1


def test_absent_commitments_are_left_out():
    assert "component_commitments" not in run({"releases": [rel("R", "2026-01-01")]}).metrics


# -- combination and confidence -----------------------------------------------------

def test_weighted_score_follows_the_documented_weights():
    section = {"releases": [rel("R", "2025-06-01", license="GPL-3.0-only")],  # recency 0.75, licence 0.8
               "adoption": {"downloads": 10_000_000},                           # 0.5
               "commitments": []}                                               # 0
    f = run(section)
    expected = 100 * (25 * 0.75 + 20 * 0.8 + 20 * 1.0 + 15 * (0.4 / 7) + 15 * 0.5 + 5 * 0) / 100
    assert f.score == pytest.approx(round(expected, 1))


def test_component_weights_setting_merges():
    section = {"releases": [rel("R", "2025-06-01")], "commitments": []}
    base = run(section)
    heavier = run(section, settings={"component_weights": {"commitments": 100.0}})
    assert heavier.score < base.score


def test_confidence_reflects_sources_licences_and_freshness():
    primary = [{"id": "p1", "url": "https://example.com/license", "kind": "primary"}]
    section = {"releases": [rel("R", "2026-01-01", artifacts=FULL, sources=["p1"])],
               "adoption": {"downloads": 10**8, "sources": ["p1"], "as_of": "2026-03"},
               "commitments": [{"statement": "Open", "date": "2026-01-01", "sources": ["p1"]}]}
    assert run(section, sources=primary).confidence == 1.0
    no_license = {**section, "releases": [rel("R", "2026-01-01", license=None, artifacts=FULL, sources=["p1"])]}
    assert run(no_license, sources=primary).confidence == 0.5
    stale = run(section, sources=primary, profile_date="2024-06-01")
    assert stale.confidence == pytest.approx(round(1 * 1 * (2 / 3), 2))


# -- registration ------------------------------------------------------------------

def test_register_checks_registers_the_check():
    registered = []
    osc.register_checks(registered.append)
    assert registered == [CHECK]
    assert (CHECK.id, CHECK.category) == ("open_source_commitment", "open_source")


# -- property tests --------------------------------------------------------------

_dates = st.dates(min_value=dt.date(2018, 1, 1), max_value=dt.date(2027, 12, 31))
_date_text = st.one_of(_dates.map(dt.date.isoformat), _dates.map(lambda d: d.isoformat()[:7]))
_release = st.fixed_dictionaries(
    {"name": st.text(min_size=1, max_size=8)},
    optional={"date": _date_text,
              "availability": st.sampled_from(["open_weights", "gated_weights", "api_only", "closed"]),
              "license": st.sampled_from(["Apache-2.0", "MIT", "GPL-3.0-only", "LicenseRef-X", "Odd-1.0"]),
              "restrictions": st.lists(st.sampled_from(["mau_cap", "acceptable_use", "non_commercial",
                                                        "naming_attribution", "field_of_use",
                                                        "no_training_other_models"]), unique=True),
              "artifacts": st.dictionaries(st.sampled_from(osc.ARTIFACTS), st.booleans()),
              "flagship": st.booleans(),
              "sources": st.lists(st.sampled_from(["p1", "nope"]), max_size=2)})
_adoption = st.fixed_dictionaries({}, optional={"downloads": st.integers(0, 10**11),
                                                "derivative_models": st.integers(0, 10**7),
                                                "as_of": _date_text})
_commitment = st.fixed_dictionaries({"statement": st.just("Open")}, optional={"date": _date_text})


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(releases=st.lists(_release, max_size=15), adoption=st.one_of(st.none(), _adoption),
       commitments=st.one_of(st.none(), st.lists(_commitment, max_size=4)),
       as_of=st.dates(min_value=dt.date(2019, 1, 1), max_value=dt.date(2027, 1, 1)))
def test_property_never_raises_and_scores_in_range(releases, adoption, commitments, as_of):
    section = {"releases": releases}
    if adoption is not None:
        section["adoption"] = adoption
    if commitments is not None:
        section["commitments"] = commitments
    f = run(section, as_of=as_of, sources=[{"id": "p1", "url": "https://example.com", "kind": "primary"}])
    if f.status == "insufficient_data":
        assert f.score is None
    else:
        assert f.status == "ok" and 0 <= f.score <= 100
        assert f.metrics["trend"] in (*osc.TRENDS, None)
        assert all(0 <= v <= 1 for k, v in f.metrics.items() if k.startswith("component_"))


# -- the methodology page ----------------------------------------------------------

def test_doc_has_worked_examples():
    assert len(worked_examples(CHECK.id)) == 2


@pytest.mark.parametrize("as_of, block, expected", worked_examples(CHECK.id))
def test_doc_worked_example_matches_the_code(as_of, block, expected):
    assert render(CHECK, block, as_of, "g") == expected.strip()


def test_doc_lists_every_setting_with_its_default():
    text = DOC.read_text(encoding="utf-8")
    table = text[text.index("Default `license_classes`:"):].replace("\n", " ")
    for key, value in CHECK.defaults.items():
        if key == "license_classes":
            for spdx, cls in value.items():
                listed = re.search(rf"\*\*{cls}\*\*(.*?)(?:;|\.\s)", table)
                assert listed and spdx in [x.strip() for x in listed.group(1).split(",")], (spdx, cls)
            continue
        assert f"| `{key}` | `{json.dumps(value)}` |" in text, key


# -- through the real host ---------------------------------------------------------

def test_builtin_check_through_the_host_uses_policy_settings_and_bands():
    profile = minimal_profile("pivot-lab", open_source=PIVOTING)
    result = run_check("open_source_commitment", profile, as_of="2026-04-01")
    assert result["plugin"] == "vendordd.plugins.open_source_commitment"
    assert result["status"] == "ok" and result["rating"] == rating_for(result["score"])
    assert result["metrics"]["trend"] == "pivoting_to_closed"
    lenient = {"checks": {"open_source_commitment": {"settings": {"recency_bands": [[100, 1.0]]}}}}
    relaxed = run_check("open_source_commitment", profile, as_of="2026-04-01", policy=lenient)
    assert relaxed["score"] > result["score"]
