"""The leadership_turnover check: formula, thresholds, edges, and the documented examples."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vendordd.evidence import months_before
from vendordd.model import rating_for, worst
from vendordd.plugins import leadership_turnover as lt
from vendordd.plugins.leadership_turnover import CHECK
from vendordd.testing import make_context, minimal_profile, run_check

from .worked_examples import render, worked_examples

DOC = Path(__file__).resolve().parent.parent / "docs" / "methodology" / "leadership_turnover.md"
AS_OF = dt.date(2026, 4, 1)
WINDOW_START = dt.date(2025, 4, 1)


def run(leadership, as_of=AS_OF, settings=None, policy=None, profile_date="2026-03-15", sources=()):
    """Run the check on a profile with that leadership section; assert the finding is well formed."""
    profile = minimal_profile("acme-ai", leadership=leadership)
    profile["profile_date"] = profile_date
    profile["sources"] = list(sources)
    # most tests build unsourced rosters to test arithmetic; the minimum roster rule has its own tests
    settings = {"min_sourced_key_people": 0, **(settings or {})}
    finding = CHECK.run(profile, make_context(as_of, settings, policy, defaults=CHECK.defaults))
    assert finding.problems() == []
    json.dumps(finding.metrics), json.dumps(finding.facts)  # serialisable for the results document
    return finding


def final_rating(finding):
    """The rating the host would publish: the worse of the check's and the score band's."""
    return worst(finding.rating, rating_for(finding.score))


def person(name, *, area="research", seniority="lead", joined="2018-01", left=None, sources=()):
    out = {"name": name, "role": f"{seniority} {area}", "area": area, "seniority": seniority,
           "joined": joined, "left": left, "sources": list(sources)}
    return {k: v for k, v in out.items() if v is not None}


def stable(n, area="infrastructure", seniority="senior"):
    """n long-tenured people in post."""
    return [person(f"Stable {i}", area=area, seniority=seniority, joined="2015-01") for i in range(n)]


QWEN = {
    "key_people": [
        person("Junyang Lin", area="research", joined=None, left="2026-03-03", sources=["s1"]),
        person("Yu Bowen", area="post_training", joined=None, left="2026-03-03", sources=["s1"]),
        person("Hui Binyuan", area="code", joined=None, left="2026-01", sources=["s1"]),
        person("Li Kaixin", area="multimodal", seniority="senior", joined=None, left="2026-03",
               sources=["s2"]),
        person("Zhou Hao", area="post_training", joined=None, sources=["s1"]),
        person("Zhou Jingren", area="executive", seniority="c_level", joined=None, sources=["s1"]),
    ],
    "events": [
        {"date": "2026-03", "type": "restructuring", "summary": "Qwen split into horizontal teams",
         "sources": ["s1"]},
        {"date": "2026-03-04", "type": "appointment", "summary": "Outside hire over post-training",
         "sources": ["s1"]},
    ],
}
QWEN_SOURCES = [{"id": "s1", "url": "https://ttm.financial/m/news/1176373609", "kind": "news"},
                {"id": "s2", "url": "http://asiaict.com/ai/14149.html", "kind": "news"}]


# -- required outcomes ------------------------------------------------------------

def test_qwen_case_is_high_or_critical():
    f = run(QWEN, sources=QWEN_SOURCES)
    assert f.status == "ok"
    assert final_rating(f) in ("high", "critical")
    # departures 45 + turnover 20 + cluster 15 + orphaned areas 20 = 100, scaled to the joint cap of 60;
    # the restructuring event (8) is not a departure and counts on its own
    assert f.score == 100 - 60 - 8 and f.rating == "high"
    assert f.metrics["deductions_total"] == 68
    m = f.metrics
    assert (m["departures_in_window"], m["weighted_departures"], m["largest_cluster"]) == (4, 2.5, 4)
    assert m["exodus"] is True and m["restructuring_events_in_window"] == 1
    assert f.facts["orphaned_areas"] == ["code", "research"]
    assert f.sources == ["s1", "s2"]
    assert "Departures in window: 4 weighted 2.5 × 18 (cap 54) → −45" in f.rationale


def test_qwen_case_is_high_or_critical_on_score_alone():
    f = run(QWEN, settings={"exodus_rating": None})
    assert f.rating is None
    assert rating_for(f.score) in ("high", "critical")


def test_team_without_departures_in_three_years_is_low():
    people = stable(5, seniority="lead") + [person("Old Leaver", left="2023-03-15")]
    f = run({"key_people": people, "events": []})
    assert f.score == 100
    assert final_rating(f) == "low"
    assert f.metrics["departures_before_window"] == 1  # reported as context, not scored
    assert f.summary.startswith("No key departures")


def test_exodus_scores_below_stable_team():
    base = stable(6, seniority="lead")
    exodus = base + [person(f"Leaver {i}", area=a, left=d) for i, (a, d) in
                     enumerate([("code", "2026-01-10"), ("safety", "2026-02-01"), ("product", "2026-03-01")])]
    stable_f = run({"key_people": base, "events": []})
    exodus_f = run({"key_people": exodus, "events": []})
    assert exodus_f.score < stable_f.score
    assert exodus_f.rating == "high"


# -- insufficient data ---------------------------------------------------------

@pytest.mark.parametrize("section", [None, {}, {"key_people": []}, {"events": [], "key_people": []}])
def test_no_key_people_is_insufficient(section):
    profile = minimal_profile("acme-ai")
    if section is not None:
        profile["leadership"] = section
    f = CHECK.run(profile, make_context(AS_OF, defaults=CHECK.defaults))
    assert f.problems() == []
    assert f.status == "insufficient_data" and f.score is None


def test_everyone_joined_after_as_of_is_insufficient():
    f = run({"key_people": [person("Future", joined="2026-05")]})
    assert f.status == "insufficient_data"


# -- window edges and as-of filtering ---------------------------------------------

def test_window_start_is_months_before_as_of():
    assert months_before(AS_OF, 12) == WINDOW_START


@pytest.mark.parametrize("left, inside, score", [
    (WINDOW_START, True, 87.8),                                   # 100 − senior 0.4 × 18 − 5 (rate 1/10)
    (WINDOW_START - dt.timedelta(days=1), False, 92.8),           # fading: 7.2 × 0.995, no rate term
    (months_before(WINDOW_START, 3), False, 96.4),                # half-way through the fade: 7.2 × ~0.5
    (months_before(WINDOW_START, 6), False, 100),                 # the fade has ended
    (AS_OF, True, 87.8),
])
def test_departure_window_edge_is_smooth(left, inside, score):
    people = stable(9) + [person("Edge", seniority="senior", area="safety", left=left.isoformat())]
    f = run({"key_people": people, "events": []})
    assert f.metrics["departures_in_window"] == (1 if inside else 0)
    assert f.metrics["departures_before_window"] == (0 if inside else 1)
    assert f.score == pytest.approx(score, abs=0.1)


@pytest.mark.parametrize(("left", "inside"), [("2025-04", True), ("2025-03", False), ("2025", True),
                                              ("2024", False)])
def test_a_partial_departure_date_counts_when_its_interval_overlaps_the_window(left, inside):
    """Window 2025-04-01 to 2026-04-01: a month or year overlapping it counts, and the rationale says so."""
    people = stable(9) + [person("Edge", seniority="senior", area="safety", left=left)]
    f = run({"key_people": people, "events": []})
    assert f.metrics["departures_in_window"] == (1 if inside else 0)
    if inside:
        assert any(line.startswith("Partial dates read conservatively") and f"left {left} (a " in line
                   for line in f.rationale)


def test_a_month_departure_at_the_window_edge_counts_the_lecun_case():
    """Left 2025-11 (reported 11-12 Nov), as of 2026-11-29: inside a 12-month window, not a cliff."""
    people = stable(9, seniority="lead") + [person("Yann LeCun", seniority="c_level", left="2025-11")]
    f = run({"key_people": people, "events": []}, as_of=dt.date(2026, 11, 29))
    assert f.metrics["departures_in_window"] == 1


@pytest.mark.parametrize(("n_sourced", "status"), [(2, "insufficient_data"), (3, "ok")])
def test_fewer_than_the_minimum_sourced_key_people_is_insufficient_data(n_sourced, status):
    people = [person(f"P{i}", sources=["s1"] if i < n_sourced else ()) for i in range(4)]
    f = run({"key_people": people, "events": []}, settings={"min_sourced_key_people": 3})
    assert f.status == status
    assert (f.score is None) is (status == "insufficient_data")


def test_a_one_person_roster_is_not_a_perfect_score():
    f = run({"key_people": [person("Solo", sources=["s1"])], "events": []},
            settings={"min_sourced_key_people": 3})
    assert f.status == "insufficient_data" and "minimum 3" in f.summary


def test_an_event_describing_counted_departures_is_not_counted_again():
    leavers = [person(f"L{i}", left="2025-10-01") for i in range(2)]
    wave = {"date": "2025-10-15", "type": "departure_wave", "summary": "two leads left"}
    far = {"date": "2025-05-01", "type": "leadership_change", "summary": "new CTO"}
    restructuring = {"date": "2025-10-15", "type": "restructuring", "summary": "teams merged"}
    f = run({"key_people": stable(8) + leavers, "events": [wave, far, restructuring]})
    assert f.metrics["events_describing_counted_departures"] == 1
    assert f.metrics["restructuring_events_in_window"] == 2  # the far leadership change and the restructuring
    assert any(line.startswith("Not counted again: 1 event") for line in f.rationale)


@pytest.mark.parametrize(("cap", "expected"), [(60.0, 60.0), (1000.0, 100.0)])
def test_departure_derived_deductions_are_capped_together(cap, expected):
    f = run(QWEN, settings={"departure_derived_cap": cap})
    derived = sum(f.metrics[f"deduction_{k}"] for k in ("departures", "turnover", "cluster", "orphaned_areas"))
    assert derived == pytest.approx(expected, abs=0.05)


def test_departure_after_as_of_is_left_out_and_reported():
    people = stable(3) + [person("Later", area="safety", left=(AS_OF + dt.timedelta(days=1)).isoformat())]
    f = run({"key_people": people, "events": []})
    assert f.metrics["departures_in_window"] == 0
    assert f.metrics["key_people_current"] == 4  # in post on the as-of date
    assert f.metrics["facts_after_as_of"] == 1
    assert "1 fact dated after the as-of date was left out." in f.rationale
    assert f.score == 100


def test_future_people_and_events_are_counted_as_left_out():
    leadership = {"key_people": stable(3) + [person("New", joined="2026-06")],
                  "events": [{"date": "2026-05-01", "type": "layoff"}]}
    f = run(leadership)
    assert f.metrics["facts_after_as_of"] == 2
    assert "2 facts dated after the as-of date were left out." in f.rationale
    assert f.metrics["restructuring_events_in_window"] == 0


def test_person_joining_on_the_as_of_date_is_in_post_and_a_day_later_is_not():
    on_day = run({"key_people": stable(2) + [person("Starts today", joined=AS_OF.isoformat())]})
    assert on_day.metrics["key_people_current"] == 3 and on_day.metrics["facts_after_as_of"] == 0
    later = run({"key_people": stable(2) + [person("Starts tomorrow",
                                                   joined=(AS_OF + dt.timedelta(days=1)).isoformat())]})
    assert later.metrics["key_people_current"] == 2 and later.metrics["facts_after_as_of"] == 1


def test_window_months_setting_moves_the_edge():
    people = stable(9) + [person("Edge", seniority="senior", area="safety", left="2024-10-01")]
    assert run({"key_people": people}).metrics["departures_in_window"] == 0
    assert run({"key_people": people}, settings={"window_months": 18}).metrics["departures_in_window"] == 1


def test_context_departures_are_reported_not_scored():
    people = stable(4) + [person("Earlier", area="safety", left="2024-06-01"),
                          person("Context edge", area="product", left="2022-04-01"),
                          person("Much earlier", area="code", left="2022-03-31")]
    f = run({"key_people": people, "events": []})
    assert f.metrics["departures_before_window"] == 2
    assert [d["name"] for d in f.facts["departures_before_window"]] == ["Context edge", "Earlier"]
    assert f.score == 100
    assert "Context, not scored: 2 key departures in the 36 months before the window." in f.rationale


# -- seniority weighting -----------------------------------------------------------

@pytest.mark.parametrize("seniority, points", [("c_level", 18.0), ("lead", 12.6), ("senior", 7.2),
                                               (None, 7.2)])
def test_seniority_weight(seniority, points):
    leaver = person("Leaver", area="infrastructure", seniority=seniority, left="2025-12-01")
    f = run({"key_people": stable(20) + [leaver], "events": []})  # rate 1/21 < 0.10
    assert f.metrics["deduction_departures"] == points


def test_seniority_weights_from_policy_merge_with_defaults():
    leavers = [person("CEO", area="executive", seniority="c_level", left="2025-12-01"),
               person("Lead", area="infrastructure", seniority="lead", left="2025-06-01")]
    f = run({"key_people": stable(30) + leavers}, settings={"seniority_weights": {"c_level": 2.0}})
    assert f.metrics["weighted_departures"] == 2.7


def test_departure_deduction_is_capped():
    leavers = [person(f"C{i}", area="infrastructure", seniority="c_level", left=f"2025-0{i + 4}-01")
               for i in range(5)]
    f = run({"key_people": stable(60) + leavers}, settings={"departure_derived_cap": 1000})
    assert f.metrics["weighted_departures"] == 5.0
    assert f.metrics["deduction_departures"] == 54.0


# -- turnover rate ---------------------------------------------------------------

@pytest.mark.parametrize("stayers, points", [
    (10, 0.0),   # 1/11 = 0.09
    (9, 5.0),    # 1/10 = 0.10
    (4, 5.0),    # 1/5 = 0.20
    (3, 12.0),   # 1/4 = 0.25
    (2, 12.0),   # 1/3 = 0.33
    (1, 20.0),   # 1/2 = 0.50
])
def test_turnover_rate_bands(stayers, points):
    leaver = person("Leaver", area="infrastructure", seniority="senior", left="2025-12-01")
    f = run({"key_people": stable(stayers) + [leaver]})
    assert f.metrics["turnover_rate"] == round(1 / (stayers + 1), 3)
    assert f.metrics["deduction_turnover"] == points


def test_roster_excludes_people_who_joined_in_the_window_or_left_before_it():
    people = stable(3) + [
        person("Joined in window", area="safety", joined="2025-06-01", left="2026-01-01"),
        person("Joined on window start", area="code", joined=WINDOW_START.isoformat()),
        person("Left before window", area="product", left="2025-03-31"),
        person("Left on window start", area="multimodal", seniority="senior", left=WINDOW_START.isoformat()),
    ]
    f = run({"key_people": people})
    assert f.metrics["key_people_at_window_start"] == 5  # 3 stable + joined on start + left on start
    assert f.metrics["departures_in_window"] == 2
    assert f.metrics["turnover_rate"] == 0.4


def test_rate_with_no_roster_at_window_start_uses_one():
    people = [person("New and gone", joined="2025-06-01", left="2026-01-01"),
              person("New", area="code", joined="2025-07-01")]
    f = run({"key_people": people})
    assert f.metrics["key_people_at_window_start"] == 0
    assert f.metrics["turnover_rate"] == 1.0


# -- clusters ----------------------------------------------------------------------

def _cluster_profile(dates):
    leavers = [person(f"L{i}", area="infrastructure", seniority="senior", left=d) for i, d in enumerate(dates)]
    return {"key_people": stable(40) + leavers}


def test_cluster_of_exactly_cluster_min_within_90_days_is_exodus():
    f = run(_cluster_profile(["2025-10-01", "2025-11-15", "2025-12-30"]))  # 90 days first to last
    assert f.metrics["largest_cluster"] == 3 and f.metrics["exodus"] is True
    assert f.metrics["deduction_cluster"] == 15.0
    assert f.rating == "high"
    assert final_rating(f) == "high"  # score 63.4 alone would be medium


def test_cluster_spanning_91_days_is_not_exodus():
    f = run(_cluster_profile(["2025-10-01", "2025-11-15", "2025-12-31"]))
    assert f.metrics["largest_cluster"] == 2 and f.metrics["exodus"] is False
    assert f.metrics["deduction_cluster"] == 0 and f.rating is None


def test_one_fewer_than_cluster_min_is_not_exodus():
    f = run(_cluster_profile(["2025-10-01", "2025-10-02"]))
    assert f.metrics["largest_cluster"] == 2 and f.metrics["exodus"] is False


def test_cluster_settings_are_honoured():
    f = run(_cluster_profile(["2025-10-01", "2025-10-02"]), settings={"cluster_min": 2})
    assert f.metrics["exodus"] is True
    f = run(_cluster_profile(["2025-10-01", "2025-11-15", "2025-12-31"]), settings={"cluster_days": 91})
    assert f.metrics["exodus"] is True


def test_largest_cluster_picks_the_densest_span():
    days = [dt.date(2025, 5, 1), dt.date(2025, 9, 1), dt.date(2025, 9, 20), dt.date(2025, 10, 1),
            dt.date(2025, 11, 30)]
    assert lt.largest_cluster(days, 90) == (4, dt.date(2025, 9, 1), dt.date(2025, 11, 30))
    assert lt.largest_cluster([], 90) == (0, None, None)


# -- events ------------------------------------------------------------------------

def test_only_restructuring_type_events_in_window_count():
    events = [{"date": "2025-06-01", "type": "restructuring"},
              {"date": "2025-07-01", "type": "appointment"},
              {"date": "2025-08-01", "type": "acquisition"},
              {"date": "2025-03-31", "type": "layoff"},          # before the window
              {"date": WINDOW_START.isoformat(), "type": "departure_wave"}]
    f = run({"key_people": stable(3), "events": events})
    assert f.metrics["restructuring_events_in_window"] == 2
    assert f.metrics["deduction_events"] == 16.0
    assert [e["type"] for e in f.facts["events"]] == ["departure_wave", "restructuring"]


def test_event_deduction_is_capped():
    events = [{"date": f"2025-0{m}-01", "type": "layoff"} for m in (5, 6, 7)]
    f = run({"key_people": stable(3), "events": events})
    assert f.metrics["deduction_events"] == 16.0
    f = run({"key_people": stable(3), "events": events[:1]})
    assert f.metrics["deduction_events"] == 8.0


# -- orphaned areas ----------------------------------------------------------------

def test_lead_leaving_with_no_one_in_the_area_orphans_it():
    f = run({"key_people": stable(9) + [person("Safety lead", area="safety", left="2025-12-01")]})
    assert f.facts["orphaned_areas"] == ["safety"]
    assert f.metrics["deduction_orphaned_areas"] == 10.0


def test_area_with_someone_in_post_is_not_orphaned():
    people = stable(9) + [person("Safety lead", area="safety", left="2025-12-01"),
                          person("Safety senior", area="safety", seniority="senior")]
    assert run({"key_people": people}).metrics["orphaned_areas"] == 0


def test_senior_leaving_does_not_orphan():
    people = stable(9) + [person("Safety IC", area="safety", seniority="senior", left="2025-12-01")]
    assert run({"key_people": people}).metrics["orphaned_areas"] == 0


def test_orphan_deduction_is_capped():
    areas = ["safety", "code", "product"]
    people = stable(20) + [person(f"{a} lead", area=a, left="2025-06-01") for a in areas]
    f = run({"key_people": people}, settings={"departure_derived_cap": 1000})
    assert f.metrics["orphaned_areas"] == 3 and f.metrics["deduction_orphaned_areas"] == 20.0


# -- tenure ------------------------------------------------------------------------

def _joined(years):
    return (AS_OF - dt.timedelta(days=round(years * 365.25))).isoformat()


@pytest.mark.parametrize("years, points", [(0.9, 10.0), (1.1, 5.0), (1.9, 5.0), (2.1, 0.0)])
def test_tenure_bands(years, points):
    people = [person(f"P{i}", area="research", joined=_joined(years)) for i in range(3)]
    f = run({"key_people": people})
    assert f.metrics["mean_tenure_years"] == pytest.approx(years, abs=0.01)
    assert f.metrics["deduction_tenure"] == points
    assert f.score == 100 - points


def test_tenure_ignores_unknown_join_dates_and_is_unscored_without_any():
    people = [person("Known", joined=_joined(3.0)), person("Unknown", joined=None)]
    assert run({"key_people": people}).metrics["mean_tenure_years"] == pytest.approx(3.0, abs=0.01)
    f = run({"key_people": [person("Unknown", joined=None)]})
    assert f.metrics["mean_tenure_years"] is None and f.metrics["deduction_tenure"] == 0
    assert any(line.startswith("Mean tenure: no current key person") for line in f.rationale)


# -- the formula as a whole --------------------------------------------------------

def test_score_is_100_minus_the_deductions():
    f = run(QWEN, settings={"points_per_weighted_departure": 5})  # keep it above 0
    m = f.metrics
    parts = ("departures", "turnover", "cluster", "events", "orphaned_areas", "tenure")
    total = sum(m[f"deduction_{p}"] for p in parts)
    assert m["deductions_total"] == pytest.approx(total)
    assert f.score == pytest.approx(100 - total)


def test_documented_glance_thresholds():
    """The 'thresholds at a glance' paragraph of the methodology page."""
    base = stable(6, seniority="lead")
    leavers = [person("L1", area="infrastructure", left="2025-11-01"),
               person("L2", area="infrastructure", left="2025-12-01")]
    f = run({"key_people": base + leavers})
    assert f.score == 62.8 and final_rating(f) == "medium"
    f = run({"key_people": base + leavers, "events": [{"date": "2025-09-01", "type": "restructuring"}]})
    assert f.score == 54.8 and final_rating(f) == "medium"
    third = person("L3", area="infrastructure", left="2026-01-15")  # 75 days after L1
    f = run({"key_people": base + leavers + [third]})
    assert f.metrics["exodus"] and final_rating(f) in ("high", "critical")
    ceo = [person("Old CEO", area="executive", seniority="c_level", left="2025-10-01"),
           person("New CEO", area="executive", seniority="c_level", joined="2025-10-01")]
    f = run({"key_people": stable(11) + ceo, "events": []})
    assert f.score == 82 and final_rating(f) == "low"


# -- confidence ------------------------------------------------------------------

def test_confidence_reflects_sources_and_completeness():
    people = [person(f"P{i}", sources=["p1"]) for i in range(3)]
    primary = [{"id": "p1", "url": "https://example.com/team", "kind": "primary"}]
    full = run({"key_people": people, "events": []}, sources=primary)
    assert full.confidence == 1.0
    no_events = run({"key_people": people}, sources=primary)
    assert no_events.confidence == pytest.approx(round(2 / 3, 2))
    unsourced = run({"key_people": [person(f"P{i}") for i in range(3)], "events": []})
    assert unsourced.confidence == 0.3
    assert any("Evidence is thin" in r for r in unsourced.recommendations)


def test_stale_profile_lowers_confidence():
    people = [person(f"P{i}", sources=["p1"]) for i in range(3)]
    primary = [{"id": "p1", "url": "https://example.com/team", "kind": "primary"}]
    f = run({"key_people": people, "events": []}, sources=primary, profile_date="2024-01-01")
    assert f.confidence == 0.5
    f = run({"key_people": people, "events": []}, sources=primary, profile_date="2024-01-01",
            policy={"freshness_days": 1000})
    assert f.confidence == 1.0


# -- recommendations ------------------------------------------------------------

def test_recommendations_name_orphaned_areas_and_exodus():
    f = run(QWEN, sources=QWEN_SOURCES)
    text = " ".join(f.recommendations)
    assert "code and research" in text
    assert "fallback provider" in text and "GOVERN 6.2" in text
    assert "restructuring" in text


# -- registration ------------------------------------------------------------------

def test_register_checks_registers_the_check():
    registered = []
    lt.register_checks(registered.append)
    assert registered == [CHECK]
    assert (CHECK.id, CHECK.category) == ("leadership_turnover", "leadership")


# -- property tests --------------------------------------------------------------

_dates = st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2027, 12, 31))
_date_text = st.one_of(st.none(), _dates.map(dt.date.isoformat), _dates.map(lambda d: d.isoformat()[:7]))
_person = st.fixed_dictionaries(
    {"name": st.text(min_size=1, max_size=8)},
    optional={"area": st.sampled_from(["executive", "research", "code", "safety", "product"]),
              "seniority": st.sampled_from(["c_level", "lead", "senior"]),
              "joined": _date_text, "left": _date_text,
              "sources": st.lists(st.sampled_from(["s1", "s2", "missing"]), max_size=2)})
_event = st.fixed_dictionaries({"date": _date_text.filter(lambda d: d is not None),
                                "type": st.sampled_from(["restructuring", "departure_wave", "appointment",
                                                         "layoff", "acquisition", "leadership_change"])})


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(people=st.lists(_person, max_size=25), events=st.one_of(st.none(), st.lists(_event, max_size=6)),
       as_of=st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2027, 1, 1)))
def test_property_never_raises_and_scores_in_range(people, events, as_of):
    leadership = {"key_people": [{k: v for k, v in p.items() if v is not None} for p in people]}
    if events is not None:
        leadership["events"] = events
    f = run(leadership, as_of=as_of, sources=QWEN_SOURCES)
    if f.status == "insufficient_data":
        assert f.score is None
    else:
        assert f.status == "ok" and 0 <= f.score <= 100
        assert f.score == pytest.approx(max(0.0, 100 - f.metrics["deductions_total"]), abs=0.051)


# -- the methodology page ----------------------------------------------------------

def test_doc_has_worked_examples():
    assert len(worked_examples(CHECK.id)) == 2


@pytest.mark.parametrize("as_of, block, expected", worked_examples(CHECK.id))
def test_doc_worked_example_matches_the_code(as_of, block, expected):
    assert render(CHECK, block, as_of, "g") == expected.strip()


def test_doc_lists_every_setting_with_its_default():
    text = DOC.read_text(encoding="utf-8")
    for key, value in CHECK.defaults.items():
        assert f"| `{key}` | `{json.dumps(value)}` |" in text, key


# -- through the real host ---------------------------------------------------------

def test_builtin_check_through_the_host_uses_policy_settings_and_bands():
    profile = minimal_profile("alibaba-qwen", leadership=QWEN)
    profile["sources"] = QWEN_SOURCES
    result = run_check("leadership_turnover", profile, as_of="2026-04-01")
    assert result["plugin"] == "vendordd.plugins.leadership_turnover"
    assert (result["status"], result["score"], result["rating"]) == ("ok", 32.0, "high")
    narrow = {"checks": {"leadership_turnover": {"settings": {"window_months": 1}}}}
    result = run_check("leadership_turnover", profile, as_of="2026-04-01", policy=narrow)
    assert result["metrics"]["departures_in_window"] == 3  # Hui Binyuan (January) falls outside
    assert result["metrics"]["departures_before_window"] == 1


def test_a_reported_departure_counts_in_full_and_is_named_for_confirmation():
    reported = {**person("Rumoured Lead", left="2026-02-01"), "certainty": "reported"}
    confirmed = person("Rumoured Lead", left="2026-02-01")
    base = stable(5)
    f_rep = run({"key_people": [*base, reported]})
    f_conf = run({"key_people": [*base, confirmed]})
    assert f_rep.score == f_conf.score  # not a discount for thin evidence: fail closed
    assert any("Not confirmed, counted in full" in line and "Rumoured Lead (reported)" in line
               for line in f_rep.rationale)
    assert any("Confirm with the vendor whether Rumoured Lead left" in r for r in f_rep.recommendations)
    assert not any("Not confirmed" in line for line in f_conf.rationale)
