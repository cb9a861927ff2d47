"""The compute_capacity check: conversion table, gap, capex, deductions, confidence."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vendordd.plugins import compute_capacity as cc
from vendordd.testing import make_context, minimal_profile

from .worked_examples import render, worked_examples

CHECK = cc.CHECK
AS_OF = "2026-03-10"


def run(compute=None, *, as_of=AS_OF, settings_=None, policy=None, sources=None, **sections):
    profile = minimal_profile(**({"compute": compute} if compute is not None else {}), **sections)
    if sources:
        profile["sources"] = sources
    finding = CHECK.run(profile, make_context(as_of, settings_, policy, defaults=CHECK.defaults))
    assert finding.problems() == []
    return finding


def h100e(n):
    return {"h100_equivalents": n}


# -- contract ----------------------------------------------------------------------------------------

def test_check_contract():
    assert CHECK.id == "compute_capacity" and CHECK.category == "compute"
    assert CHECK.version == "1.0" and CHECK.weight == 1.0
    assert "/compute/accelerators" in CHECK.needs and CHECK.doc
    registered = []
    cc.register_checks(registered.append)
    assert registered == [CHECK]


def test_defaults_are_plain_data():
    assert json.loads(json.dumps(CHECK.defaults)) == CHECK.defaults


# -- conversion table ----------------------------------------------------------------------------------

def test_every_factor_is_its_dense_bf16_peak_over_the_h100s():
    for name, (tflops, basis, _assumed) in cc.ACCELERATOR_SPECS.items():
        assert CHECK.defaults["h100_equivalence"][name] == round(tflops / 989.0, 2), name
        assert basis.strip(), name
    assert set(CHECK.defaults["h100_equivalence"]) == set(cc.ACCELERATOR_SPECS)


@pytest.mark.parametrize("name, factor", [
    ("H100", 1.0), ("H800", 1.0), ("H200", 1.0), ("H20", 0.15), ("A100", 0.32), ("A800", 0.32),
    ("B200", 2.28), ("GB200", 2.53), ("GB200 Superchip", 5.06), ("GB300", 2.53), ("TPU v5p", 0.46),
    ("TPU v6e", 0.93), ("TPU7x", 2.33), ("Trainium2", 0.67), ("Ascend 910B", 0.32),
    ("Ascend 910C", 0.81), ("T-Head PPU", 0.15), ("MI300X", 1.32),
])
def test_conversion_factors(name, factor):
    assert CHECK.defaults["h100_equivalence"][name] == factor


def test_aliases_point_at_table_entries_and_add_spellings():
    keys = {cc.normalise_type(name) for name in cc.ACCELERATOR_SPECS}
    assert len(keys) == len(cc.ACCELERATOR_SPECS)  # no two rows collide after normalising
    assert set(cc.ALIASES.values()) <= set(cc.ACCELERATOR_SPECS)
    assert not keys & set(cc.ALIASES)


def test_uncertain_chips_are_flagged_as_assumptions():
    assert {"H20", "Ascend 910B", "Ascend 910C", "T-Head PPU", "Grace Blackwell"} <= cc.ASSUMED_TYPES
    assert "H100" not in cc.ASSUMED_TYPES and "TPU v6e" not in cc.ASSUMED_TYPES


@pytest.mark.parametrize("spelling, canonical", [
    ("NVIDIA H100 SXM5 80GB", "H100"), ("h100-sxm", "H100"), ("H20 96GB", "H20"),
    ("TPUv5p", "TPU v5p"), ("Google Cloud TPU v5p", "TPU v5p"), ("Trillium", "TPU v6e"),
    ("Ironwood", "TPU7x"), ("TPU v7", "TPU7x"), ("Huawei Ascend 910C", "Ascend 910C"),
    ("AWS Trainium2", "Trainium2"), ("Trn2", "Trainium2"), ("AMD Instinct MI300X", "MI300X"),
    ("Grace Blackwell", "Grace Blackwell"), ("t-head ppu", "T-Head PPU"),
])
def test_type_spellings_map_to_the_table(spelling, canonical):
    table = cc.equivalence_table(CHECK.defaults)
    assert table[cc.normalise_type(spelling)][0] == canonical


def test_accelerators_are_summed_through_the_table():
    f = run({"accelerators": [{"type": "H800", "count": 2048, "owned": True},
                              {"type": "A100", "count": 10000, "owned": True}]})
    assert f.metrics["vendor_h100e"] == pytest.approx(2048 + 3200)
    assert any("10,000 x A100 x 0.32 = 3,200 H100e" in line for line in f.rationale)
    assert f.facts["accelerators"][1] == {"type": "A100", "count": 10000, "owned": True, "factor": 0.32,
                                          "h100e": 3200.0, "as_of": None, "basis": None}


def test_unknown_types_are_not_counted_but_listed_and_lower_confidence():
    known = [{"type": "H100", "count": 1000, "owned": True, "sources": ["s1"]}]
    src = [{"id": "s1", "kind": "primary", "title": "t", "url": "https://example.org"}]
    base = run({"accelerators": known}, sources=src)
    f = run({"accelerators": known + [{"type": "Mystery-X", "count": 1000, "owned": True,
                                       "sources": ["s1"]}]}, sources=src)
    assert f.metrics["vendor_h100e"] == 1000
    assert f.metrics["unknown_accelerator_units"] == 1000
    assert any("Mystery-X" in line and "Not counted" in line for line in f.rationale)
    assert any("Mystery-X" in r for r in f.recommendations)
    assert f.score == base.score
    assert f.confidence < base.confidence


def test_only_unknown_types_and_nothing_else_is_insufficient():
    f = run({"accelerators": [{"type": "Mystery-X", "count": 5000}]})
    assert f.status == "insufficient_data" and f.score is None
    assert any("Mystery-X" in line for line in f.rationale)


def test_policy_can_add_a_chip_without_restating_the_table():
    acc = {"accelerators": [{"type": "Mystery-X", "count": 1000}]}
    f = run(acc, settings_={"extra_h100_equivalence": {"Mystery-X": 2.0}})
    assert f.metrics["vendor_h100e"] == 2000
    assert run({"accelerators": [{"type": "H100", "count": 10}]},
               settings_={"extra_h100_equivalence": {"Mystery-X": 2.0}}).metrics["vendor_h100e"] == 10


def test_assumed_factors_lower_confidence_until_the_policy_sets_them():
    assumed = run({"accelerators": [{"type": "H20", "count": 10000}]})
    assert assumed.metrics["assumed_h100e"] == 1500
    assert any("assumptions" in line for line in assumed.rationale)
    datasheet = run({"accelerators": [{"type": "A100", "count": 10000}]})
    assert assumed.metrics["completeness"] < datasheet.metrics["completeness"]
    policy_set = run({"accelerators": [{"type": "H20", "count": 10000}]},
                     settings_={"extra_h100_equivalence": {"H20": 0.2}})
    assert policy_set.metrics["assumed_h100e"] == 0 and policy_set.metrics["vendor_h100e"] == 2000


def test_analyst_estimate_overrides_the_sum():
    f = run({"accelerators": [{"type": "H100", "count": 1000}], "h100_equivalents": 120000})
    assert f.metrics["vendor_h100e"] == 120000
    assert f.metrics["accelerator_h100e"] == 1000
    assert "overrides" in f.rationale[0]


def test_analyst_estimate_sources_and_basis():
    src = [{"id": "p1", "kind": "primary", "title": "t", "url": "https://example.org"}]
    bare = run(h100e(50_000), sources=src)
    cited = run({"h100_equivalents": 50_000, "h100_equivalents_sources": ["p1"],
                 "h100_equivalents_basis": "CEO statement"}, sources=src)
    assert cited.sources == ["p1"] and bare.sources == []
    assert cited.confidence > bare.confidence
    assert cited.rationale[1] == "Basis of the estimate: CEO statement"


def test_training_run_sources_are_listed_but_not_evidence():
    src = [{"id": "p1", "kind": "primary", "title": "t", "url": "https://example.org"}]
    f = run({"h100_equivalents": 50_000, "largest_training_run_flop": 1e24,
             "largest_training_run_sources": ["p1"]}, sources=src)
    g = run({"h100_equivalents": 50_000, "largest_training_run_flop": 1e24}, sources=src)
    assert f.sources == ["p1"] and f.confidence == g.confidence


# -- gap to the frontier --------------------------------------------------------------------------------

@pytest.mark.parametrize("vendor, score", [
    (2_000_000, 100.0),          # above the frontier
    (1_000_000, 100.0),          # gap 0
    (600_000, 100.0),            # gap 0.22
    (100_000, 74.1),             # gap 1: 100 - 0.7/2.7*100
    (10_000, 37.0),              # gap 2: the seed's "trailing" case
    (1_000, 0.0),                # gap 3: the floor
    (100, 0.0),                  # beyond the floor
    (0, 0.0),                    # no capacity at all
])
def test_capacity_score_by_gap(vendor, score):
    assert run(h100e(vendor)).score == score


def test_capacity_score_is_continuous_at_both_ends():
    s = dict(CHECK.defaults)
    at_full = 1e6 / 10 ** 0.3
    assert cc.capacity_score(at_full * (1 + 1e-9), s)[1] == pytest.approx(100.0)
    assert cc.capacity_score(1e6 / 10 ** 0.31, s)[1] == pytest.approx(100 - 0.01 / 2.7 * 100)
    assert cc.capacity_score(1e6 / 10 ** 2.99, s)[1] == pytest.approx(0.01 / 2.7 * 100)
    assert cc.capacity_score(1e6 / 10 ** 3.0, s)[1] == 0.0


@pytest.mark.parametrize("gap, word", [
    (-0.5, "frontier"), (0.3, "frontier"), (0.31, "near_frontier"), (1.0, "near_frontier"),
    (1.01, "trailing"), (2.0, "trailing"), (2.01, "far_behind"), (2.99, "far_behind"),
    (3.0, "sub_scale"), (math.inf, "sub_scale"),
])
def test_frontier_position_words(gap, word):
    assert cc.frontier_position(gap) == word


def test_frontier_reference_is_a_policy_setting():
    default = run(h100e(10_000))
    assert default.metrics["gap_orders"] == 2.0 and default.metrics["frontier_position"] == "trailing"
    smaller = run(h100e(10_000), settings_={"frontier_h100e": 100_000})
    assert smaller.metrics["gap_orders"] == 1.0 and smaller.score == 74.1
    assert "orders of magnitude below" in default.summary


def test_floor_score_setting():
    assert run(h100e(10), settings_={"floor_score": 10}).score == 10.0


# -- capex ------------------------------------------------------------------------------------------------

def capex(amount, years=1, announced="2026-01-01"):
    return {"amount_usd": amount, "period_years": years, "announced": announced, "sources": []}


@pytest.mark.parametrize("annual, score", [
    (1e7, 0.0), (1e8, 0.0), (1e9, 33.3), (1e10, 66.7), (1e11, 100.0), (1e12, 100.0),
])
def test_capex_score_log_points(annual, score):
    assert round(cc.capex_score(annual, CHECK.defaults), 1) == score


def test_capex_alone_gives_a_low_confidence_score():
    f = run({"capex_commitments": [capex(3e9, 3)]})
    assert f.status == "ok" and f.score == 33.3
    assert f.metrics["capex_usd_per_year"] == 1_000_000_000
    assert f.confidence <= 0.2 * 0.3 + 1e-9
    assert "capex alone" in f.summary
    assert any("capex alone" in r for r in f.recommendations)


def test_largest_annualised_commitment_not_the_sum():
    f = run({"capex_commitments": [capex(65e9, 1, "2025-01-15"), capex(72e9, 1, "2025-07-01")]})
    assert f.metrics["capex_usd_per_year"] == 72e9


def test_capex_window_boundaries():
    start = "2023-03-10"  # three years before AS_OF
    assert run({"capex_commitments": [capex(1e10, 1, start)]}).status == "ok"
    f = run({"capex_commitments": [capex(1e10, 1, "2023-03-09")]})
    assert f.status == "insufficient_data"
    assert any("window" in line for line in f.rationale)
    assert run({"capex_commitments": [capex(1e10, 1, "2023-03-09")]},
               settings_={"capex_window_years": 5}).status == "ok"


def test_capacity_and_capex_are_weighted():
    f = run({"h100_equivalents": 10_000, "capex_commitments": [capex(1e10)]})
    assert f.score == round(0.75 * (100 - 1.7 / 2.7 * 100) + 0.25 * (200 / 3), 1)
    assert f.metrics["capacity_score"] == 37.0 and f.metrics["capex_score"] == 66.7


# -- deductions ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("kinds, points", [
    (["export_control"], 0), (["single_supplier"], 5), (["energy"], 5), (["something_new"], 3),
    (["export_control", "export_control"], 0), (["export_control", "energy"], 5),
])
def test_supply_constraint_deductions(kinds, points):
    f = run({"h100_equivalents": 1_000_000,
             "supply_constraints": [{"type": k, "summary": "s"} for k in kinds]})
    assert f.score == 100 - points
    assert f.metrics["deductions"] == points


def test_export_control_is_in_the_summary_and_recommendations():
    f = run({"h100_equivalents": 10_000, "supply_constraints": [{"type": "export_control", "summary": "s"}]})
    assert "export controls" in f.summary
    assert any("Export controls" in r for r in f.recommendations)


@pytest.mark.parametrize("owned, points", [([True, True], 0), ([False, True], 2.5), ([False, False], 5),
                                           ([None, None], 0)])
def test_rented_capacity_deduction(owned, points):
    acc = [{"type": "H100", "count": 600_000, "owned": o} for o in owned]
    f = run({"accelerators": acc})
    assert f.score == 100 - points
    if points:
        assert any("landlord" in line for line in f.rationale)
        assert any("rented" in r for r in f.recommendations)


# -- dates, context, confidence ----------------------------------------------------------------------------------

def test_facts_after_the_assessment_date_are_ignored():
    f = run({"accelerators": [{"type": "H100", "count": 1000, "as_of": "2025-06"},
                              {"type": "H100", "count": 900_000, "as_of": "2026-04"}],
             "capex_commitments": [capex(1e11, 1, "2026-03-11")],
             "supply_constraints": [{"type": "energy", "summary": "s", "date": "2026-05-01"}]})
    assert f.metrics["vendor_h100e"] == 1000
    assert "capex_score" not in f.metrics and f.metrics["deductions"] == 0
    text = " ".join(f.rationale)
    assert "after the assessment date" in text and "900,000" in text
    assert "energy" in text
    assert run({"accelerators": [{"type": "H100", "count": 1000, "as_of": "2026-03-10"}]}).score is not None


def test_everything_in_the_future_is_insufficient():
    f = run({"accelerators": [{"type": "H100", "count": 1000, "as_of": "2027-01"}]})
    assert f.status == "insufficient_data"
    assert any("after the assessment date" in line for line in f.rationale)


@pytest.mark.parametrize("compute", [None, {}, {"largest_training_run_flop": 3e24},
                                     {"supply_constraints": [{"type": "export_control", "summary": "s"}]}])
def test_insufficient_data_without_capacity_or_capex(compute):
    f = run(compute)
    assert f.status == "insufficient_data" and f.score is None and f.rating is None
    assert f.recommendations


@pytest.mark.parametrize("flop, phrase", [(3e24, "large-scale"), (2e25, "1e25"), (5e22, "below")])
def test_training_run_is_context_only(flop, phrase):
    with_run = run({"h100_equivalents": 50_000, "largest_training_run_flop": flop})
    without = run(h100e(50_000))
    assert with_run.score == without.score
    assert with_run.metrics["largest_training_run_flop"] == flop
    assert any("Context (not scored)" in line and phrase in line for line in with_run.rationale)
    assert with_run.confidence >= without.confidence
    assert any("FMTI" in r for r in without.recommendations)


def test_sources_and_freshness_drive_confidence():
    src = [{"id": "p1", "kind": "primary", "title": "t", "url": "https://example.org"}]
    acc = {"type": "H100", "count": 1000, "owned": True, "sources": ["p1"]}
    fresh = run({"accelerators": [{**acc, "as_of": "2026-01"}]}, sources=src)
    stale = run({"accelerators": [{**acc, "as_of": "2023-01"}]}, sources=src)
    unsourced = run({"accelerators": [{**acc, "as_of": "2026-01", "sources": []}]}, sources=src)
    assert fresh.sources == ["p1"]
    assert fresh.confidence > stale.confidence
    assert fresh.confidence > unsourced.confidence
    # fully disclosed hardware with owned flags, primary source, fresh: completeness 0.7 (no capex, no run)
    assert fresh.confidence == 0.7


def test_worked_example_numbers():
    """The worked example in docs/methodology/compute_capacity.md (a fictional vendor)."""
    src = [{"id": "s1", "kind": "primary", "title": "t", "url": "https://example.org"},
           {"id": "s2", "kind": "news", "title": "t", "url": "https://example.org"}]
    f = run({"accelerators": [{"type": "H800", "count": 10000, "owned": True, "as_of": "2025-06",
                               "sources": ["s1"]},
                              {"type": "Ascend 910B", "count": 4000, "owned": False, "as_of": "2025-09",
                               "sources": ["s2"]}],
             "capex_commitments": [capex(45e9, 3, "2025-02-24") | {"sources": ["s2"]}],
             "supply_constraints": [{"type": "export_control", "summary": "s", "sources": ["s2"]}],
             "largest_training_run_flop": 3.0e24}, sources=src)
    assert f.metrics["vendor_h100e"] == 11280
    assert f.metrics["gap_orders"] == pytest.approx(1.948, abs=1e-3)
    assert f.metrics["capacity_score"] == 39.0
    assert f.metrics["capex_score"] == 72.5
    assert f.metrics["base_score"] == 47.4
    assert f.metrics["rented_share"] == 0.113
    assert f.metrics["deductions"] == 0.6  # export control: scored by geopolitical_exposure only
    assert f.score == 46.8
    assert f.metrics["completeness"] == 0.983
    assert f.confidence == 0.51
    assert f.sources == ["s1", "s2"]


# -- robustness --------------------------------------------------------------------------------------------------

_TYPES = st.one_of(st.sampled_from(sorted(cc.ACCELERATOR_SPECS)), st.text(max_size=12))
_NUM = st.one_of(st.none(), st.booleans(), st.integers(-10, 10**9),
                 st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=3))
_DATE = st.one_of(st.none(), st.sampled_from(["2020-01", "2025-06-30", "2026-03-10", "2026-03-11", "2030-12"]),
                  st.text(max_size=10))
_ACC = st.fixed_dictionaries({"type": _TYPES, "count": _NUM},
                             optional={"owned": st.one_of(st.booleans(), st.none()), "as_of": _DATE,
                                       "sources": st.lists(st.text(max_size=3), max_size=2)})
_CAPEX = st.fixed_dictionaries({"amount_usd": _NUM}, optional={"period_years": _NUM, "announced": _DATE})
_CONSTRAINT = st.fixed_dictionaries({"type": st.one_of(st.sampled_from(["export_control", "energy",
                                                                         "single_supplier"]),
                                                       st.text(max_size=8))},
                                    optional={"date": _DATE})
_COMPUTE = st.fixed_dictionaries({}, optional={
    "accelerators": st.lists(_ACC, max_size=6), "h100_equivalents": _NUM,
    "capex_commitments": st.lists(_CAPEX, max_size=3), "supply_constraints": st.lists(_CONSTRAINT, max_size=3),
    "largest_training_run_flop": _NUM})
_SETTINGS = st.fixed_dictionaries({}, optional={
    "frontier_h100e": _NUM, "floor_score": _NUM, "full_score_gap_orders": _NUM, "floor_gap_orders": _NUM,
    "capex_window_years": _NUM, "capex_floor_usd_per_year": _NUM, "capex_full_usd_per_year": _NUM,
    "capacity_weight": _NUM, "capex_weight": _NUM, "rented_max_deduction": _NUM})


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(compute=st.one_of(st.none(), _COMPUTE), overrides=_SETTINGS)
def test_never_raises_and_always_well_formed(compute, overrides):
    profile = minimal_profile(**({"compute": compute} if compute is not None else {}))
    f = CHECK.run(profile, make_context(AS_OF, overrides, {}, defaults=CHECK.defaults))
    assert f.problems() == []
    assert f.status in ("ok", "insufficient_data")
    assert (f.score is None) == (f.status == "insufficient_data")
    if f.score is not None:
        assert 0 <= f.score <= 100


@given(st.lists(st.tuples(st.sampled_from(sorted(cc.ACCELERATOR_SPECS)), st.integers(1, 10**6)),
                min_size=1, max_size=5))
def test_more_accelerators_never_lower_the_score(fleet):
    acc = [{"type": t, "count": n, "owned": True} for t, n in fleet]
    more = acc + [{"type": "H100", "count": 1000, "owned": True}]
    assert run({"accelerators": more}).score >= run({"accelerators": acc}).score


# -- the methodology page ------------------------------------------------------------------------------------

DOC = Path(__file__).resolve().parent.parent / "docs" / "methodology" / "compute_capacity.md"


def _doc() -> str:
    return DOC.read_text(encoding="utf-8")


def test_doc_has_worked_examples():
    assert len(worked_examples(CHECK.id)) == 2


@pytest.mark.parametrize("as_of, block, expected", worked_examples(CHECK.id))
def test_doc_worked_example_matches_the_code(as_of, block, expected):
    assert render(CHECK, block, as_of) == expected.strip()


def test_doc_conversion_table_matches_the_code():
    rows = re.findall(r"^\| ([^|]+?) \| ([\d,]+) \| ([\d.]+) \| (datasheet|assumption) \| (.+?) \|$",
                      _doc(), re.M)
    assert {name: (float(t.replace(",", "")), float(f), kind == "assumption", basis)
            for name, t, f, kind, basis in rows} == {
        name: (tflops, CHECK.defaults["h100_equivalence"][name], assumed, basis)
        for name, (tflops, basis, assumed) in cc.ACCELERATOR_SPECS.items()}


@pytest.mark.parametrize("key", [k for k in CHECK.defaults
                                 if k not in ("h100_equivalence", "frontier_basis")])
def test_doc_states_every_default(key):
    found = re.search(rf"^\| `{key}` \| `([^`]+)` \|", _doc(), re.M)
    assert found, key
    value = CHECK.defaults[key]
    stated = (json.loads(found.group(1)) if isinstance(value, dict) else found.group(1)
              if isinstance(value, str) else float(found.group(1)))
    assert stated == value


# -- issue 14: compare like with like, count each fact once ---------------------------------------------

def test_export_control_is_scored_once_by_geopolitics_not_here():
    f = run({"h100_equivalents": 1_000_000, "supply_constraints": [{"type": "export_control", "summary": "s"}]})
    assert f.score == 100 and any("scored once, by geopolitical_exposure" in line for line in f.rationale)


@pytest.mark.parametrize(("rented", "points"), [(True, 5.0), (False, 5.0)])
def test_rented_compute_and_a_single_supplier_count_once(rented, points):
    f = run({"accelerators": [{"type": "H100", "count": 1_000_000, "owned": not rented}],
             "supply_constraints": [{"type": "single_supplier", "summary": "one cloud"}]})
    assert f.metrics["deductions"] == points  # the rented share (5) or the single supplier (5), not both


@pytest.mark.parametrize(("basis", "h100e"), [(None, 4096), ("fleet", 4096), ("training_cluster", 4096),
                                               ("commitment", 2048), ("target", 0)])
def test_each_capacity_figure_counts_by_its_basis(basis, h100e):
    entry = {"type": "H100", "count": 4096, **({"basis": basis} if basis else {})}
    f = run({"accelerators": [entry], "capex_commitments": [capex(1e9, 1, "2025-06-01")]})
    assert f.metrics["accelerator_h100e"] == h100e


@pytest.mark.parametrize(("basis", "annual"), [("capex", 1e10), ("purchase_commitment", 1e10), ("plan", 5e9)])
def test_each_capex_figure_counts_by_its_basis(basis, annual):
    f = run({"capex_commitments": [capex(3e10, 3, "2025-06-01") | {"basis": basis}]})
    assert f.facts["capex"][0]["annual_usd"] == annual


@pytest.mark.parametrize(("question", "rating_ok"), [("frontier_training", False), ("serving", True)])
def test_the_policy_states_the_question(question, rating_ok):
    f = run({"accelerators": [{"type": "H100", "count": 4096, "owned": True}]}, settings_={"question": question})
    assert (f.score >= 75) is rating_ok
    assert f.metrics["question"] == question
