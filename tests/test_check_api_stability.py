"""The api_stability check: notice curve, windows, broken promises, floors, fail-closed, docs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from vendordd.host import Host
from vendordd.plugins import api_stability as api
from vendordd.testing import make_context, minimal_profile, validate_profile

from .worked_examples import render, worked_examples

CHECK = api.CHECK
AS_OF = "2026-11-29"
DOC = Path(__file__).resolve().parent.parent / "docs" / "methodology" / "api_stability.md"
SOURCES = [{"id": "s1", "kind": "primary", "title": "Deprecations", "url": "https://example.org/d"}]


def run(lifecycle=None, *, as_of=AS_OF, settings_=None, products=None):
    profile = minimal_profile(**({"api_lifecycle": lifecycle} if lifecycle is not None else {}))
    profile["sources"] = SOURCES
    if products:
        profile["vendor"]["products"] = products
    assert validate_profile(profile) == []
    finding = CHECK.run(profile, make_context(as_of, settings_, {}, defaults=CHECK.defaults))
    assert finding.problems() == []
    return finding


def retired(model, announced, shutdown, **extra):
    return {"model": model, "announced": announced, "shutdown": shutdown, "sources": ["s1"], **extra}


def lifecycle(promise=180, retirements=(), *, pinned=True, uptime=99.9, breaking=(), **policy):
    out = {"deprecation_policy": {"pinned_snapshots": pinned, "sources": ["s1"], **policy},
           "retirements": list(retirements), "sla": {"uptime_pct": uptime, "sources": ["s1"]},
           "breaking_changes": list(breaking)}
    if promise is not None:
        out["deprecation_policy"]["min_notice_days"] = promise
    return out


# -- contract and registration -------------------------------------------------------------------

def test_check_contract_and_built_in():
    assert CHECK.id == "api_stability" and CHECK.category == "api_stability"
    assert CHECK.version == "1.0" and CHECK.weight == 1.0
    host = Host().load(entry_points=False)
    builtin = {cid for cid, rc in host.checks().items() if rc.plugin.startswith("vendordd.plugins.")}
    assert {"leadership_turnover", "open_source_commitment", "compute_capacity",
            "geopolitical_exposure", "api_stability"} <= builtin


# -- the notice curve: both sides of every point ---------------------------------------------------

@pytest.mark.parametrize("days, score", [
    (0, 0.0), (29, 24.2), (30, 25.0), (89, 49.6), (90, 50.0), (179, 74.7), (180, 75.0),
    (364, 99.9), (365, 100.0), (2000, 100.0)])
def test_notice_curve(days, score):
    assert api.notice_score(days, CHECK.defaults) == score


def test_notice_curve_rejects_unordered_settings():
    with pytest.raises(ValueError):
        api.notice_score(10, {**CHECK.defaults, "short_notice_days": 20, "abrupt_notice_days": 30})


def test_date_intervals():
    assert api.date_interval("2025-11") == (api.dt.date(2025, 11, 1), api.dt.date(2025, 11, 30))
    assert api.date_interval("2024-02") == (api.dt.date(2024, 2, 1), api.dt.date(2024, 2, 29))
    assert api.date_interval("2026") == (api.dt.date(2026, 1, 1), api.dt.date(2026, 12, 31))
    assert api.date_interval("2026-03-03") == (api.dt.date(2026, 3, 3),) * 2
    assert api.date_interval(None) is None


# -- the abrupt floor ----------------------------------------------------------------------------

def test_abrupt_floor_below_30_days_not_at_30():
    # a 20-day promise, so that no broken promise sets a floor of its own
    short = run(lifecycle(20, [retired("m", "2026-01-01", "2026-01-30")]))  # 29 days
    at = run(lifecycle(20, [retired("m", "2026-01-01", "2026-01-31")]))  # 30 days
    assert short.rating == "high" and short.metrics["abrupt_retirements"] == 1
    assert at.rating is None and at.metrics["abrupt_retirements"] == 0


def test_abrupt_preview_is_listed_not_scored():
    f = run(lifecycle(retirements=[retired("p", "2026-01-01", "2026-01-05", kind="preview")]))
    assert f.rating is None and f.metrics["scored_retirements"] == 0
    assert any("(listed, not scored)" in line for line in f.rationale)


# -- SLA thresholds ------------------------------------------------------------------------------

@pytest.mark.parametrize("uptime, score", [(99.9, 100.0), (99.89, 50.0), (99.0, 50.0),
                                           (98.99, 0.0)])
def test_sla_bands(uptime, score):
    assert api.sla_component({"uptime_pct": uptime}, CHECK.defaults).score == score


def test_sla_not_recorded_or_not_published_counts_as_none():
    assert api.sla_component(None, CHECK.defaults).score == 0
    assert api.sla_component({"published": False}, CHECK.defaults).score == 0
    assert api.sla_component({"notes": "figure unknown"}, CHECK.defaults).score == 0


# -- broken promises -----------------------------------------------------------------------------

def test_broken_promise_one_day_short_and_kept_at_the_promise():
    broken = run(lifecycle(retirements=[retired("m", "2026-01-01", "2026-06-29")]))  # 179 days
    kept = run(lifecycle(retirements=[retired("m", "2026-01-01", "2026-06-30")]))  # 180 days
    assert broken.metrics["broken_promises"] == 1 and broken.metrics["deduction"] == 15
    assert broken.rating == "medium"
    assert kept.metrics["broken_promises"] == 0 and kept.metrics["deduction"] == 0
    assert broken.score == pytest.approx(broken.metrics["weighted_mean"] - 15, abs=0.05)


def test_uncertain_broken_promise_counts_half_and_sets_no_floor():
    f = run(lifecycle(retirements=[retired("m", "2026-01-01", "2026-03-01", certainty="reported")]))
    assert f.metrics["deduction"] == 7.5 and f.rating is None


def test_broken_promise_deduction_is_capped():
    many = [retired(f"m{i}", "2026-01-01", "2026-02-15") for i in range(4)]
    assert run(lifecycle(retirements=many)).metrics["deduction"] == 30


def test_partial_date_never_invents_a_broken_promise():
    # 2025-11 -> 2026-02-16: 78 days read conservatively, 107 days at the longest: above 90.
    f = run(lifecycle(notice_days_by_kind={"variant": 90}, retirements=[
        retired("alias", "2025-11", "2026-02-16", kind="variant"),
        retired("ga", "2025-11", "2026-06-01")]))
    assert f.metrics["broken_promises"] == 0
    assert "78 days' notice" in f.rationale[0]


def test_kind_without_a_promise_cannot_break_one():
    f = run(lifecycle(retirements=[retired("e", "2026-01-01", "2026-01-20", kind="endpoint")]))
    assert f.metrics["broken_promises"] == 0 and f.rating == "high"  # abrupt, though


# -- windows and future facts --------------------------------------------------------------------

def test_window_edge_shutdown_on_the_first_day_counts_the_day_before_does_not():
    start = "2024-11-29"  # 24 months before AS_OF
    on = run(lifecycle(retirements=[retired("m", "2024-06-01", start)]))
    before = run(lifecycle(retirements=[retired("m", "2024-06-01", "2024-11-28")]))
    assert on.metrics["retirements_in_window"] == 1
    assert before.metrics["retirements_in_window"] == 0


def test_scheduled_retirement_announced_before_as_of_counts_and_later_ones_do_not():
    f = run(lifecycle(retirements=[retired("soon", "2026-11-01", "2027-05-01"),
                                   retired("later", "2026-12-01", "2027-06-01")]),
            products=["soon"])
    assert f.metrics["retirements_in_window"] == 1
    assert any("dated after" in line for line in f.rationale)
    assert any(r.startswith("Migrate off soon") for r in f.recommendations)


def test_unknown_notice_counts_at_the_promise_and_lowers_confidence():
    known = run(lifecycle(retirements=[retired("a", "2026-01-01", "2026-09-01")]))
    unknown = run(lifecycle(retirements=[{"model": "a", "shutdown": "2026-09-01",
                                          "sources": ["s1"]}]))
    assert unknown.metrics["shortest_notice_days"] == 180
    assert any("counted at the promised 180 days" in line for line in unknown.rationale)
    assert unknown.confidence < known.confidence


# -- fail closed and insufficient data -----------------------------------------------------------

def test_no_section_is_insufficient():
    f = run(None)
    assert f.status == "insufficient_data" and f.score is None


def test_never_published_anything_is_insufficient_not_scored():
    f = run({"deprecation_policy": {"published": False},
             "retirements": [{"model": "x", "shutdown": "2026-08-31", "sources": ["s1"]},
                             {"model": "y", "sources": ["s1"]}],
             "sla": {"published": False}})
    assert f.status == "insufficient_data" and f.score is None
    assert any(line == "Retirement without dates (not counted): y." for line in f.rationale)


def test_frequent_retirer_with_long_notice_is_not_worse_than_one_that_retired_nothing():
    frequent = run(lifecycle(retirements=[retired(f"m{i}", f"2025-0{i + 1}-01", f"2026-0{i + 1}-15")
                                          for i in range(6)]))
    idle = run(lifecycle())
    assert frequent.metrics["median_notice_days"] >= 365
    assert frequent.score >= idle.score
    assert frequent.score >= 75 and frequent.rating is None


def test_retiring_nothing_lets_the_promise_stand_in():
    f = run(lifecycle(promise=90))
    assert f.facts["components"]["shortest_notice"] == 50.0
    assert f.facts["components"]["median_notice"] == 50.0


def test_policy_without_a_minimum_and_unpublished_policy_score_zero_for_the_promise():
    stated = run(lifecycle(promise=None, retirements=[retired("m", "2026-01-01", "2027-01-01")]))
    assert stated.facts["components"]["promised_notice"] == 0
    assert any("states no minimum" in line for line in stated.rationale)


def test_pinned_snapshots_unknown_counts_as_none():
    data = lifecycle()
    del data["deprecation_policy"]["pinned_snapshots"]
    f = run(data)
    assert f.facts["components"]["pinned_snapshots"] == 0
    assert any("Ask for pinned" in r for r in f.recommendations)


# -- breaking changes ----------------------------------------------------------------------------

def test_breaking_changes_cost_25_each_floored_at_zero():
    def score_with(n):
        changes = [{"date": f"2026-0{i + 1}-01", "summary": "x", "sources": ["s1"]} for i in range(n)]
        return run(lifecycle(breaking=changes)).facts["components"]["breaking_changes"]
    assert [score_with(n) for n in (0, 1, 4, 5)] == [100, 75, 0, 0]


def test_a_reported_breaking_change_costs_half():
    changes = [{"date": "2026-03-01", "summary": "x", "sources": ["s1"]},
               {"date": "2026-04-01", "summary": "y", "certainty": "reported", "sources": ["s1"]}]
    f = run(lifecycle(breaking=changes))
    assert f.facts["components"]["breaking_changes"] == 62.5
    assert any("(1 reported, counted at 0.5)" in line for line in f.rationale)


def test_breaking_history_not_recorded_drops_out_of_the_mean():
    data = lifecycle()
    del data["breaking_changes"]
    f = run(data)
    assert "breaking_changes" not in f.facts["components"]
    assert any("weights summing to 0.9" in line for line in f.rationale)
    assert f.metrics["completeness"] == 0.8


def test_breaking_change_outside_the_window_is_not_counted():
    f = run(lifecycle(breaking=[{"date": "2024-06", "summary": "old", "sources": ["s1"]}]))
    assert f.metrics["breaking_changes_in_window"] == 0


# -- the schema ----------------------------------------------------------------------------------

def test_schema_rejects_unknown_kind_and_negative_notice():
    profile = minimal_profile(api_lifecycle={
        "retirements": [{"model": "m", "kind": "beta", "notice_days": -1}]})
    problems = validate_profile(profile)
    assert any("/api_lifecycle/retirements/0/kind" in p for p in problems)
    assert any("/api_lifecycle/retirements/0/notice_days" in p for p in problems)


# -- the methodology page ------------------------------------------------------------------------

def _doc() -> str:
    return DOC.read_text(encoding="utf-8")


def test_doc_has_worked_examples():
    assert len(worked_examples(CHECK.id)) == 3


@pytest.mark.parametrize("as_of, block, expected", worked_examples(CHECK.id))
def test_doc_worked_example_matches_the_code(as_of, block, expected):
    assert render(CHECK, block, as_of) == expected.strip()


@pytest.mark.parametrize("key", [k for k in CHECK.defaults if k != "weights"])
def test_doc_states_every_default(key):
    value = CHECK.defaults[key]
    shown = [str(value).replace("'", '"')] if not isinstance(value, float) \
        else [str(value), f"{value:g}"]
    assert any(re.search(rf"^\| `[^|]*{key}[^|]*` \|[^|]*`{re.escape(s)}`", _doc(), re.M)
               for s in shown), key


def test_doc_states_the_weights():
    w = CHECK.defaults["weights"]
    assert (f"promised {w['promised_notice']:.2f}, shortest {w['shortest_notice']:.2f}, "
            f"median {w['median_notice']:.2f}, pinned {w['pinned_snapshots']:.2f}, "
            f"SLA {w['sla']:.2f}, breaking {w['breaking_changes']:.2f}") in _doc()
