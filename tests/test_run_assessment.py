"""vendordd.testing.run_assessment and registered_plugin's collision check (issue 19)."""

from __future__ import annotations

import pytest

from vendordd import Check, Finding, hookimpl
from vendordd.host import Host, PluginError
from vendordd.testing import minimal_profile, registered_plugin, run_assessment


class PortfolioAndSheet:
    @hookimpl
    def analyse_portfolio(self, results):
        return {"vendor_count": {"n": len(results["vendors"])}}

    @hookimpl
    def scorecard_sheets(self, writer, results):
        sheet = writer.sheet("Counted", ["vendor"])
        for vendor in results["vendors"]:
            sheet.append([vendor["id"]])


def test_run_assessment_exercises_every_hook():
    done = run_assessment([minimal_profile("a"), minimal_profile("b")], plugins=[PortfolioAndSheet()])
    assert [v["id"] for v in done.results["vendors"]] == ["a", "b"]
    assert done.results["portfolio"]["vendor_count"] == {"n": 2}
    assert "Counted" in done.workbook.sheetnames
    assert [r[0] for r in done.workbook["Counted"].iter_rows(min_row=2, values_only=True)] == ["a", "b"]
    assert done.errors == []


def test_run_assessment_reports_problems_without_raising():
    class Broken:
        @hookimpl
        def analyse_portfolio(self):
            raise RuntimeError("nope")

    done = run_assessment([minimal_profile("a"), {"vendor": {}}], plugins=[Broken()], workbook=False)
    assert done.workbook is None
    assert any("failed in analyse_portfolio: RuntimeError: nope" in w for w in done.warnings)
    assert len(done.errors) >= 1


def test_registered_plugin_refuses_a_built_in_check_id():
    class Impostor:
        @hookimpl
        def register_checks(self, register):
            register(Check(id="leadership_turnover", title="Impostor", category="x",
                           run=lambda p, c: Finding(score=1, confidence=0)))

    with (pytest.raises(PluginError, match="'leadership_turnover' of plugin 'Impostor' is the id of the built-in"),
          registered_plugin(Impostor())):
        pass
    with (pytest.raises(PluginError, match="already registered by plugin 'vendordd.plugins.leadership_turnover'"),
          registered_plugin(Impostor(), host=Host().load(entry_points=False))):
        pass


class _NoCertifications:
    @hookimpl
    def register_checks(self, register):
        register(Check(id="certifications", title="Certifications", category="security",
                       run=lambda profile, ctx: Finding.insufficient("no certifications entered")))


def test_an_installed_plugin_without_data_for_any_vendor_names_pip_uninstall(tmp_path):
    import json

    from vendordd.pipeline import assess

    for vid in ("alpha", "beta", "gamma"):
        (tmp_path / f"{vid}.json").write_text(json.dumps(minimal_profile(vid)), "utf-8")
    host = Host().load(entry_points=False)
    host.register_object(_NoCertifications(), "certs", origin="entry_point", where="vendordd-certs 1.2")
    outcome = assess([str(tmp_path)], host=host, as_of="2026-06-01")
    assert [w for w in outcome.warnings if "had no data" in w] == [
        "check 'certifications' had no data for any of the 3 vendors: every vendor is incomplete; enter its "
        "data in the profiles or remove the plugin 'certs' (pip uninstall vendordd-certs, or list it in the "
        "policy's plugins.disable)"]
    assert outcome.results["warnings"] == outcome.warnings
    assert {v["overall"]["recommendation"] for v in outcome.results["vendors"]} <= {"needs_evidence", "escalate",
                                                                                    "reject"}
