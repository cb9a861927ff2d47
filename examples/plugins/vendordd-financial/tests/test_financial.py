"""Tests for vendordd-financial, with vendordd's testing helpers (run after installing)."""

import pytest
from vendordd.testing import minimal_profile, registered_plugin, run_check, validate_profile

from vendordd_financial import plugin
from vendordd_financial.check import CHECK, EXTENSION, ramp

SOURCES = [{"id": "s1", "url": "https://example.com/annual-report", "kind": "primary",
            "published": "2026-04-15"}]
WORKED = {"revenue_usd_annual": 200e6, "capex_usd_annual": 150e6, "funding_raised_usd": 1.2e9,
          "cash_usd": 300e6, "burn_usd_monthly": 20e6, "as_of": "2026-03-31", "sources": ["s1"]}


def profile_with(**figures):
    return minimal_profile("example-vendor", sources=SOURCES, extensions={EXTENSION: figures})


def test_no_financial_data_is_insufficient():
    result = run_check(CHECK, minimal_profile())
    assert result["status"] == "insufficient_data"
    assert result["score"] is None


def test_figures_that_allow_no_ratio_are_insufficient():
    result = run_check(CHECK, profile_with(revenue_usd_annual=1e9, as_of="2026-03-31"))
    assert result["status"] == "insufficient_data"
    assert "revenue_usd_annual" in result["rationale"][0]


def test_the_worked_example_of_the_docstring():
    result = run_check(CHECK, profile_with(**WORKED), as_of="2026-06-01")
    assert result["status"] == "ok", result["error"]
    assert result["score"] == 45.0
    assert result["rating"] == "high"
    assert result["metrics"] == {"capex_to_revenue": 0.75, "runway_months": 15.0,
                                 "funding_to_revenue": 6.0, "risk_points": 55.0,
                                 "max_points": 100.0}
    assert result["sources"] == ["s1"]


def test_partial_figures_score_what_is_known_with_lower_confidence():
    full = run_check(CHECK, profile_with(**WORKED), as_of="2026-06-01")
    runway_only = run_check(CHECK, profile_with(cash_usd=300e6, burn_usd_monthly=20e6,
                                                as_of="2026-03-31", sources=["s1"]),
                            as_of="2026-06-01")
    assert runway_only["score"] == 30.0  # 31.5 of 45 points
    assert runway_only["confidence"] < full["confidence"]


def test_a_short_runway_rates_at_least_high():
    result = run_check(CHECK, profile_with(revenue_usd_annual=1e9, capex_usd_annual=1e8,
                                           cash_usd=50e6, burn_usd_monthly=5e6,
                                           as_of="2026-03-31"), as_of="2026-06-01")
    assert result["score"] > 50
    assert result["rating"] == "high"


def test_no_burn_and_no_revenue_are_the_ends_of_the_scale():
    assert run_check(CHECK, profile_with(cash_usd=1e6, burn_usd_monthly=0,
                                         as_of="2026-01"))["score"] == 100.0
    assert run_check(CHECK, profile_with(revenue_usd_annual=0, capex_usd_annual=1e6,
                                         as_of="2026-01"))["score"] == 0.0


def test_policy_settings_change_the_thresholds():
    policy = {"checks": {CHECK.id: {"settings": {"runway_ok_months": 12}}}}
    result = run_check(CHECK, profile_with(cash_usd=300e6, burn_usd_monthly=20e6,
                                           as_of="2026-03-31"), policy=policy)
    assert result["score"] == 100.0


@pytest.mark.parametrize(("value", "points"), [(0.25, 0), (0.875, 20), (1.5, 40), (9, 40)])
def test_ramp(value, points):
    assert ramp(value, 0.25, 1.5, 40) == points


def test_the_schema_fragment():
    assert validate_profile(profile_with(**WORKED), plugins=[plugin]) == []
    problems = validate_profile(profile_with(cash_usd=-1, as_of="2026-03"), plugins=[plugin])
    assert [p.split(":")[0] for p in problems] == ["/extensions/financial/cash_usd"]
    assert validate_profile(profile_with(cash_usd=1), plugins=[plugin]) == [
        "/extensions/financial: 'as_of' is a required property"]


def test_the_plugin_registers_check_and_schema():
    with registered_plugin(plugin) as host:
        assert list(host.checks()) == ["financial_commitment"]
        assert list(host.schemas()) == ["financial"]


def test_net_loss_stands_in_for_burn_and_gives_a_loss_intensity():
    result = run_check(CHECK, profile_with(revenue_usd_annual=100e6, net_loss_usd_annual=120e6,
                                           cash_usd=240e6, as_of="2026-03-31"), as_of="2026-06-01")
    assert result["metrics"]["runway_months"] == 24.0  # 240 / (120 / 12)
    assert result["metrics"]["loss_to_revenue"] == 1.2
    assert any("net loss (a proxy for burn)" in line for line in result["rationale"])
    # runway 24 months: 18 of 45 points; loss 1.2x revenue: 20 of 20
    assert result["score"] == round(100 * (1 - 38 / 65), 1)


@pytest.mark.parametrize(("loss", "points"), [(0, 0), (0.5, 10), (1.0, 20), (3.0, 20)])
def test_loss_intensity_bounds(loss, points):
    figures = profile_with(revenue_usd_annual=100e6, net_loss_usd_annual=loss * 100e6,
                           as_of="2026-03-31")
    result = run_check(CHECK, figures, as_of="2026-06-01")
    assert result["score"] == round(100 * (1 - points / 20), 1)


def test_a_burn_figure_wins_over_the_net_loss_proxy():
    result = run_check(CHECK, profile_with(cash_usd=300e6, burn_usd_monthly=20e6,
                                           net_loss_usd_annual=1e9, as_of="2026-03-31"))
    assert result["metrics"]["runway_months"] == 15.0
