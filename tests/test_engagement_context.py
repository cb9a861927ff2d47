"""Checks that take the engagement context: run(profile, ctx, engagement=None) (docs/plugins.md)."""

from __future__ import annotations

from vendordd import Check, Finding, hookimpl
from vendordd.model import takes_engagement
from vendordd.testing import minimal_profile, run_assessment

PORTFOLIO = {"portfolio_version": 1, "vendors": [{"vendor": "v", "share": 1.0}],
             "engagements": [
                 {"vendor": "v", "workload": "a", "deployment": "hosted_api", "data_sensitivity": "internal",
                  "criticality": "low"},
                 {"vendor": "v", "workload": "b", "deployment": "hosted_api", "data_sensitivity": "internal",
                  "criticality": "low"},
                 {"vendor": "v", "workload": "c", "deployment": "self_hosted_weights",
                  "data_sensitivity": "internal", "criticality": "low"}]}


class _Plugin:
    """An aware check (bad for the API, good self-hosted) and one that ignores the engagement."""

    def __init__(self):
        self.seen = []
        self.plain_runs = 0

    def aware(self, profile, ctx, engagement=None):
        self.seen.append(None if engagement is None else dict(engagement))
        good = engagement is not None and engagement["deployment"] == "self_hosted_weights"
        return Finding(score=90 if good else 10, confidence=0.9, summary="use" if engagement else "alone")

    def plain(self, profile, ctx):
        self.plain_runs += 1
        return Finding(score=90, confidence=0.9)

    @hookimpl
    def register_checks(self, register):
        register(Check(id="x_aware", title="Aware", category="x", run=self.aware))
        register(Check(id="x_plain", title="Plain", category="x", run=self.plain))


def _run(portfolio=PORTFOLIO):
    plugin = _Plugin()
    policy = {"checks": {c: {"enabled": False} for c in ("leadership_turnover", "open_source_commitment",
                                                         "compute_capacity", "geopolitical_exposure",
                                                         "api_stability")}}
    done = run_assessment([minimal_profile("v")], plugins=[plugin], policy=policy, portfolio=portfolio,
                          workbook=False)
    return plugin, done.results


def test_a_check_is_aware_when_its_run_names_an_engagement_parameter():
    assert takes_engagement(lambda profile, ctx, engagement=None: None)
    assert not takes_engagement(lambda profile, ctx: None)
    assert not takes_engagement(print)  # no signature: not aware, run as before


def test_an_aware_check_runs_once_alone_and_once_per_distinct_use():
    plugin, results = _run()
    assert plugin.seen[0] is None  # the vendor alone
    assert sorted(s["deployment"] for s in plugin.seen[1:]) == ["hosted_api", "self_hosted_weights"]
    assert set(plugin.seen[1][k] for k in ("data_sensitivity", "criticality")) == {"internal", "low"}
    assert "workload" not in plugin.seen[1]
    assert plugin.plain_runs == 1  # a check that does not take it runs once
    by_workload = {e["workload"]: e for e in results["engagements"]}
    assert by_workload["c"]["judged_for_use"] == ["x_aware"]
    assert by_workload["c"]["recommendation"] in ("approve", "approve_with_conditions")
    assert by_workload["a"]["recommendation"] == by_workload["b"]["recommendation"] == "escalate"
    assert "judged_for_use" in by_workload["a"]
    # the vendor's own check result is the finding alone
    vendor = results["vendors"][0]
    assert next(c for c in vendor["checks"] if c["id"] == "x_aware")["summary"] == "alone"


def test_without_engagements_an_aware_check_runs_once():
    plugin, results = _run(portfolio={"portfolio_version": 1, "vendors": [{"vendor": "v", "share": 1.0}]})
    assert plugin.seen == [None] and "engagements" not in results


def test_the_docs_example_judges_a_self_hosted_use_on_its_own_terms():
    import re
    import types
    from pathlib import Path

    text = (Path(__file__).resolve().parent.parent / "docs" / "plugins.md").read_text()
    section = text.split("### Engagement context", 1)[1].split("\n### ", 1)[0]
    module = types.ModuleType("docs_example")
    exec(re.findall(r"```python\n(.*?)```", section, re.DOTALL)[0], module.__dict__)
    profile = {**minimal_profile("v"), "geopolitics": {"data_residency": [{"region": "US"}]}}
    portfolio = {**PORTFOLIO, "engagements": PORTFOLIO["engagements"][2:]}
    done = run_assessment([profile], plugins=[module], portfolio=portfolio, workbook=False)
    vendor = done.results["vendors"][0]
    alone = next(c for c in vendor["checks"] if c["id"] == "acme.residency")
    assert alone["score"] == 40
    assert "acme.residency" in done.results["engagements"][0]["judged_for_use"]
