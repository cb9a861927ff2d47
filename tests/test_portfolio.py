"""Portfolio concentration: the index, its bands and the choice of fallbacks."""

from __future__ import annotations

import pytest

from vendordd.plugins.portfolio_concentration import analyse, hhi_band

POLICY: dict = {}


def _vendor(vid, score, recommendation, caps, tier="low"):
    return {"id": vid, "name": vid.title(), "capabilities": caps,
            "overall": {"score": score, "tier": tier, "recommendation": recommendation}}


RESULTS = {"vendors": [
    _vendor("alpha", 40.0, "escalate", ["chat", "code"], "high"),
    _vendor("beta", 80.0, "approve", ["chat", "code", "vision"]),
    _vendor("gamma", 60.0, "approve_with_conditions", ["chat"], "medium"),
    _vendor("delta", 90.0, "reject", ["chat", "code"], "critical"),
]}


def _portfolio(shares, workloads=None, fallbacks=None):
    return {"portfolio_version": 1, "vendors": [
        {"vendor": v, "share": s, "workloads": ["chat"] if v == "alpha" else [],
         "fallbacks": (fallbacks or {}).get(v, [])} for v, s in shares.items()],
        "workloads": workloads or [{"id": "chat", "name": "Customer chat", "capabilities": ["chat"]}]}


def test_hhi_of_shares():
    out = analyse(RESULTS, _portfolio({"alpha": 0.7, "beta": 0.2, "gamma": 0.1}), POLICY)
    assert out["hhi"] == 70 ** 2 + 20 ** 2 + 10 ** 2 == 5400
    assert out["hhi_band"] == "highly_concentrated"
    assert out["largest_vendor"] == "alpha" and out["largest_share"] == 0.7


@pytest.mark.parametrize(("hhi", "band"), [(999, "unconcentrated"), (1000, "moderately_concentrated"),
                                           (1800, "moderately_concentrated"), (1801, "highly_concentrated")])
def test_bands_at_their_edges(hhi, band):
    assert hhi_band(hhi) == band


def test_policy_can_move_the_bands():
    out = analyse(RESULTS, _portfolio({"alpha": 0.5, "beta": 0.5}),
                  {"portfolio": {"hhi_bands": {"high": 6000}}})
    assert out["hhi"] == 5000 and out["hhi_band"] == "moderately_concentrated"


def test_shares_are_normalised_with_a_warning():
    out = analyse(RESULTS, _portfolio({"alpha": 70, "beta": 30}), POLICY)
    assert [v["share"] for v in out["vendors"]] == [0.7, 0.3]
    assert any("normalised" in w for w in out["warnings"])


def test_risk_weighted_exposure():
    out = analyse(RESULTS, _portfolio({"alpha": 0.75, "beta": 0.25}), POLICY)
    by = {v["vendor"]: v for v in out["vendors"]}
    assert by["alpha"]["risk_weighted_exposure"] == pytest.approx(0.75 * 0.6)
    assert by["beta"]["risk_weighted_exposure"] == pytest.approx(0.25 * 0.2)
    assert out["risk_weighted_exposure"] == pytest.approx(0.5)


def test_fallbacks_best_first_only_acceptable_and_capable():
    out = analyse(RESULTS, _portfolio({"alpha": 1.0}), POLICY)
    [work] = out["workloads"]
    # delta scores best but is rejected; alpha serves the workload already
    assert [f["vendor"] for f in work["fallbacks"]] == ["beta", "gamma"]
    assert work["single_point_of_failure"] is True
    assert out["flags"][0].startswith("Single point of failure: workload 'Customer chat'")


def test_capabilities_must_be_covered():
    work = [{"id": "chat", "name": "Vision triage", "capabilities": ["chat", "vision"]}]
    out = analyse(RESULTS, _portfolio({"alpha": 1.0}, workloads=work), POLICY)
    assert [f["vendor"] for f in out["workloads"][0]["fallbacks"]] == ["beta"]


def test_an_acceptable_fallback_in_place_clears_the_single_point_of_failure():
    out = analyse(RESULTS, _portfolio({"alpha": 1.0}, fallbacks={"alpha": ["beta"]}), POLICY)
    work = out["workloads"][0]
    assert work["acceptable_fallbacks_in_place"] == ["beta"]
    assert work["single_point_of_failure"] is False


def test_a_rejected_fallback_in_place_does_not_count():
    out = analyse(RESULTS, _portfolio({"alpha": 1.0}, fallbacks={"alpha": ["delta"]}), POLICY)
    assert out["workloads"][0]["single_point_of_failure"] is True


def test_unassessed_vendor_has_unknown_exposure():
    out = analyse(RESULTS, _portfolio({"alpha": 0.5, "unknown-co": 0.5}), POLICY)
    assert out["exposure_unknown_share"] == 0.5
    assert any("unknown-co" in w for w in out["warnings"])


def test_portfolio_sheets_in_the_workbook(tmp_path):
    import openpyxl
    from click.testing import CliRunner

    from vendordd.cli import cli

    from .conftest import EXAMPLES

    out = tmp_path / "s.xlsx"
    result = CliRunner().invoke(cli, ["run", str(EXAMPLES / "profiles"), "--portfolio",
                                      str(EXAMPLES / "portfolio.yaml"), "--policy",
                                      str(EXAMPLES / "policy-us-buyer.yaml"), "--as-of", "2026-11-29",
                                      "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    wb = openpyxl.load_workbook(out)
    names = wb.sheetnames
    assert names.index("Portfolio") < names.index("Portfolio vendors") < names.index("Fallbacks") \
        < names.index("Methodology")
    flags = [line[2:] for r in wb["Portfolio"].iter_rows(min_row=2, values_only=True) if r[0] == "Flags"
             for line in r[2].splitlines()]
    assert any(f.startswith("Single point of failure") for f in flags)
    assert any("HHI 5,400" in f for f in flags)
    shares = [r[1] for r in wb["Portfolio vendors"].iter_rows(min_row=2, values_only=True) if r[0]]
    assert shares == [70, 20, 10]
    assert len(wb["Portfolio vendors"]._charts) == 1
