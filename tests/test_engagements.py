"""Engagements: inherent risk, cadence, applicability per deployment, residual verdicts."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from vendordd.cli import cli
from vendordd.engagements import assess_engagement
from vendordd.policy import DEFAULT_POLICY

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2026, 11, 29)


def _check(cid, score, rating, confidence=0.8, hard=False):
    return {"id": cid, "title": cid, "category": cid, "status": "ok", "score": score, "rating": rating,
            "weight": 1.0, "confidence": confidence, "summary": "", "error": None,
            "metrics": {"hard_rule": hard}, "recommendations": []}


def _vendor(profile_date="2026-11-01", geo=(10, "critical", False)):
    return {"id": "v", "profile_date": profile_date,
            "checks": [_check("leadership_turnover", 90, "low"), _check("open_source_commitment", 90, "low"),
                       _check("geopolitical_exposure", geo[0], geo[1], hard=geo[2])]}


def _eng(**kw):
    return {"vendor": "v", "deployment": "hosted_api", "data_sensitivity": "internal", "criticality": "medium",
            **kw}


@pytest.mark.parametrize(("crit", "sens", "inherent", "months"), [
    ("low", "public", "low", 12), ("medium", "confidential", "medium", 12),
    ("high", "confidential", "high", 6), ("critical", "confidential", "critical", 3)])
def test_inherent_risk_sets_the_cadence(crit, sens, inherent, months):
    e = assess_engagement(_eng(criticality=crit, data_sensitivity=sens), _vendor(), DEFAULT_POLICY, AS_OF)
    assert (e["inherent_risk"], e["review_months"]) == (inherent, months)


def test_the_same_vendor_differs_by_deployment():
    from vendordd.model import use_key

    api = assess_engagement(_eng(), _vendor(), DEFAULT_POLICY, AS_OF)
    # geopolitics judged the self-hosted use itself (an engagement-aware check): its finding for that use counts
    use = _eng(deployment="self_hosted_weights")
    in_use = {use_key(use): [_check("geopolitical_exposure", 100, "low")]}
    weights = assess_engagement(use, _vendor(), DEFAULT_POLICY, AS_OF, in_use)
    assert api["recommendation"] == "reject" and weights["recommendation"] == "approve"
    assert weights["not_applicable"] == ["api_stability"] and weights["judged_for_use"] == ["geopolitical_exposure"]
    # without it, the vendor's finding alone counts
    assert assess_engagement(use, _vendor(), DEFAULT_POLICY, AS_OF)["recommendation"] == "reject"


def test_a_policy_can_still_leave_geopolitics_out_of_self_hosted_uses():
    policy = {**DEFAULT_POLICY, "portfolio": {"applicability": {"self_hosted_weights": {"geopolitical_exposure": 0}}}}
    weights = assess_engagement(_eng(deployment="self_hosted_weights"), _vendor(), policy, AS_OF)
    assert weights["recommendation"] == "approve"
    assert weights["not_applicable"] == ["api_stability", "geopolitical_exposure"]


def test_a_sanctions_hard_rule_applies_whatever_the_deployment():
    e = assess_engagement(_eng(deployment="self_hosted_weights"), _vendor(geo=(0, "critical", True)),
                          DEFAULT_POLICY, AS_OF)
    assert e["recommendation"] == "reject"


@pytest.mark.parametrize(("profile_date", "overdue"), [("2026-08-29", False), ("2026-08-28", True)])
def test_a_critical_engagement_with_a_profile_older_than_its_cadence_is_overdue(profile_date, overdue):
    e = assess_engagement(_eng(criticality="critical", data_sensitivity="restricted",
                               deployment="self_hosted_weights"), _vendor(profile_date), DEFAULT_POLICY, AS_OF)
    assert e["overdue"] is overdue and e["next_review"] == "2027-02-28"
    assert any(c.startswith("Refresh the vendor profile") for c in e["conditions"]) is overdue


def test_the_worked_example_on_the_bundled_examples(tmp_path):
    out = tmp_path / "r.json"
    result = CliRunner().invoke(cli, ["run", str(ROOT / "examples" / "profiles"), "--policy",
                                      str(ROOT / "examples" / "policy-us-buyer.yaml"), "--portfolio",
                                      str(ROOT / "examples" / "portfolio.yaml"), "--as-of", "2026-11-29",
                                      "--json", str(out)])
    assert result.exit_code == 0, result.stderr
    engagements = json.loads(out.read_text())["engagements"]
    deepseek = {e["deployment"]: e for e in engagements if e["vendor"] == "deepseek"}
    assert deepseek["hosted_api"]["recommendation"] == "reject"
    assert deepseek["self_hosted_weights"]["recommendation"] != "reject"
    assert deepseek["self_hosted_weights"]["inherent_risk"] == "low"
    # geopolitics judged the self-hosted use itself: the licence clause, not the app bans
    hosted = deepseek["self_hosted_weights"]
    assert "geopolitical_exposure" in hosted["judged_for_use"] and "geopolitical_exposure" not in hosted["not_applicable"]
    assert any("license_jurisdiction" in c for c in hosted["conditions"])
    assert not any("restricted jurisdiction" in r for r in hosted["reasons"])


def _run_examples(tmp_path, region="us"):
    out = tmp_path / f"{region}.json"
    result = CliRunner().invoke(cli, ["run", str(ROOT / "examples" / "profiles"), "--policy",
                                      str(ROOT / "examples" / f"policy-{region}-buyer.yaml"), "--portfolio",
                                      str(ROOT / "examples" / "portfolio.yaml"), "--as-of", "2026-11-29",
                                      "--json", str(out)])
    assert result.exit_code in (0, 1), result.stderr
    return json.loads(out.read_text())


def test_an_engaged_vendor_takes_the_verdict_of_its_worst_use_and_keeps_its_own(tmp_path):
    results = _run_examples(tmp_path)
    vendors = {v["id"]: v for v in results["vendors"]}
    qwen, deepseek = vendors["alibaba-qwen"], vendors["deepseek"]
    # Qwen is only self-hosted: not rejected for an API the buyer does not use; alone it would be
    assert qwen["unconditioned"]["recommendation"] == "reject"
    assert qwen["overall"]["recommendation"] == "escalate" and qwen["overall"]["basis"] == "engagements"
    assert qwen["overall"]["worst_engagement"]["workload"] == "customer-chat"  # critical beats medium
    assert qwen["overall"]["engagements"] == 2
    # DeepSeek's hosted API for confidential data is one of its uses: the worst one sets the verdict
    assert deepseek["overall"]["recommendation"] == "reject"
    assert deepseek["overall"]["worst_engagement"]["deployment"] == "hosted_api"
    # a vendor without engagements is judged alone, as without a portfolio
    assert "unconditioned" not in vendors["anthropic"] and "basis" not in vendors["anthropic"]["overall"]


def test_the_deciding_per_use_finding_is_in_the_json_and_said_in_words(tmp_path):
    """Qwen self-hosted for a US buyer restricting CN: the geopolitics finding for that use is in the
    engagement entry, and the reasons say what it left out (the CN headquarters) and why."""
    results = _run_examples(tmp_path)
    qwen = next(v for v in results["vendors"] if v["id"] == "alibaba-qwen")
    alone = next(c for c in qwen["checks"] if c["id"] == "geopolitical_exposure")
    use = next(e for e in results["engagements"]
               if e["vendor"] == "alibaba-qwen" and e["workload"] == qwen["overall"]["worst_engagement"]["workload"])
    found = {f["id"]: f for f in use["use_findings"]}["geopolitical_exposure"]
    assert sorted(f["id"] for f in use["use_findings"]) == use["judged_for_use"]
    assert found["rating"] != alone["rating"] == "critical" and found["score"] > alone["score"]
    assert found["rationale"] and 0 < found["confidence"] <= 1
    assert "headquarters in CN (restricted by the buyer)" in found["not_applied"]
    line = next(r for r in use["reasons"] if r.startswith("Geopolitical exposure for self-hosted weights: "))
    assert f"{found['rating']} ({found['score']:g}, confidence {found['confidence']:.0%})" in line
    assert "Not applied to this use (the buyer runs the weights itself): headquarters in CN" in line
    assert f"the vendor alone is rated critical ({alone['score']:g})" in line
    assert line in qwen["overall"]["reasons"]  # the vendor's reasons come from its worst use
    assert qwen["overall"]["worst_engagement"]["use_reasons"] == [line]
    # a hosted use whose finding equals the vendor's own gets no extra line
    openai = next(e for e in results["engagements"] if e["vendor"] == "openai")
    assert openai["use_findings"] and not any(r.startswith("Geopolitical exposure for") for r in openai["reasons"])


def test_the_summary_and_vendor_sheet_explain_the_per_use_finding(tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "us.xlsx"
    result = CliRunner().invoke(cli, ["run", str(ROOT / "examples" / "profiles"), "--policy",
                                      str(ROOT / "examples" / "policy-us-buyer.yaml"), "--portfolio",
                                      str(ROOT / "examples" / "portfolio.yaml"), "--as-of", "2026-11-29",
                                      "-o", str(out)])
    assert result.exit_code in (0, 1), result.stderr
    book = load_workbook(out)
    summary = "\n".join(str(c.value) for row in book["Summary"].iter_rows() for c in row if c.value)
    assert "Geopolitical exposure for self-hosted weights: low (90); headquarters in CN not applied" in summary
    sheet = next(book[n] for n in book.sheetnames if "Qwen" in n or "alibaba" in n.lower())
    text = "\n".join(str(c.value) for row in sheet.iter_rows(max_row=20) for c in row if c.value)
    assert "Not applied to this use (the buyer runs the weights itself): headquarters in CN" in text
    assert "Geopolitical exposure rated critical" not in text  # the vendor-alone finding is not the Why


def test_without_a_portfolio_the_verdicts_are_those_of_the_vendors_alone(tmp_path):
    with_portfolio = {v["id"]: v for v in _run_examples(tmp_path)["vendors"]}
    out = tmp_path / "alone.json"
    result = CliRunner().invoke(cli, ["run", str(ROOT / "examples" / "profiles"), "--policy",
                                      str(ROOT / "examples" / "policy-us-buyer.yaml"), "--as-of", "2026-11-29",
                                      "--json", str(out)])
    assert result.exit_code in (0, 1), result.stderr
    for vendor in json.loads(out.read_text())["vendors"]:
        assert "unconditioned" not in vendor
        assert with_portfolio[vendor["id"]].get("unconditioned", with_portfolio[vendor["id"]]["overall"]) \
            == vendor["overall"]


def test_an_overdue_engagement_flags_the_vendor_in_the_json_and_the_summary():
    from vendordd.testing import minimal_profile, run_assessment

    portfolio = {"portfolio_version": 1, "vendors": [{"vendor": "old", "share": 0.5}, {"vendor": "new", "share": 0.5}],
                 "engagements": [
                     {"vendor": "old", "workload": "triage", "deployment": "hosted_api",
                      "data_sensitivity": "internal", "criticality": "low"},
                     {"vendor": "old", "workload": "claims", "deployment": "self_hosted_weights",
                      "data_sensitivity": "restricted", "criticality": "critical"},
                     {"vendor": "new", "deployment": "hosted_api", "data_sensitivity": "internal",
                      "criticality": "critical"}]}
    old = {**minimal_profile("old"), "profile_date": "2026-01-01"}
    new = {**minimal_profile("new"), "profile_date": "2026-05-20"}
    done = run_assessment([old, new], portfolio=portfolio, as_of="2026-06-01")
    vendors = {v["id"]: v for v in done.results["vendors"]}
    assert vendors["old"]["overall"]["overdue"] is True  # 5 months old, a 3-month cadence
    assert vendors["new"]["overall"]["overdue"] is False
    assert any(c.startswith("Refresh the vendor profile") for c in vendors["old"]["overall"]["conditions"])
    ws = done.workbook["Summary"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    header = next(r for r in rows if r and r[0] == "Vendor")
    use, profile = header.index("Use judged"), header.index("Profile date")
    by_name = {r[0]: r for r in rows if r and r[0] in ("Old", "New")}
    assert by_name["Old"][profile].endswith("overdue") and not by_name["New"][profile].endswith("overdue")
    assert by_name["Old"][use].startswith(vendors["old"]["overall"]["worst_engagement"]["workload"])


def _candidate(vid, *, confidence=0.8, weights=True, caps=("code",)):
    checks = [_check("leadership_turnover", 90, "low", confidence), _check("geopolitical_exposure", 90, "low", confidence),
              {**_check("open_source_commitment", 90, "low", confidence),
               "facts": {"releases": [{"name": "m", "availability": "open_weights" if weights else "api_only"}]}}]
    overall = {"score": 90.0, "tier": "low", "recommendation": "approve", "confidence": confidence}
    return {"id": vid, "name": vid.title(), "capabilities": list(caps), "profile_date": "2026-11-01",
            "checks": checks, "overall": overall}


def _fallbacks(vendors, engagement, policy=None):
    from vendordd.plugins.portfolio_concentration import analyse

    portfolio = {"vendors": [{"vendor": "served", "share": 1.0, "workloads": ["w"]}],
                 "workloads": [{"id": "w", "capabilities": ["code"]}],
                 "engagements": [{"vendor": "served", "workload": "w", **engagement}]}
    results = {"as_of": AS_OF.isoformat(), "vendors": [_candidate("served"), *vendors]}
    conc = analyse(results, portfolio, {**DEFAULT_POLICY, **(policy or {})})
    return [c["vendor"] for c in conc["workloads"][0]["fallbacks"]]


def test_a_self_hosted_workload_gets_only_fallbacks_that_publish_weights():
    use = {"deployment": "self_hosted_weights", "data_sensitivity": "internal", "criticality": "medium"}
    assert _fallbacks([_candidate("open"), _candidate("closed", weights=False)], use) == ["open"]
    # through the API the same closed-weights vendor is a fallback
    assert _fallbacks([_candidate("open"), _candidate("closed", weights=False)],
                      {**use, "deployment": "hosted_api"}) == ["closed", "open"]


def test_a_fallback_must_be_approvable_for_the_workloads_sensitivity():
    # confidence 35 %: approvable for the policy (20 %) and internal data; a critical use of
    # restricted data needs 40 % (policy portfolio.requirements)
    thin = [_candidate("thin", confidence=0.35)]
    low = {"deployment": "hosted_api", "data_sensitivity": "internal", "criticality": "low"}
    high = {"deployment": "hosted_api", "data_sensitivity": "restricted", "criticality": "critical"}
    assert _fallbacks(thin, low, {"min_confidence": 0.2}) == ["thin"]
    assert _fallbacks(thin, high, {"min_confidence": 0.2}) == []


def test_a_refused_profile_is_never_a_fallback_in_place_nor_given_a_verdict(tmp_path):
    """mistral-ai's profile refused (bad input): OpenAI's fallback is not counted, the use has no verdict."""
    import shutil

    profiles = tmp_path / "profiles"
    shutil.copytree(ROOT / "examples" / "profiles", profiles)
    bad = profiles / "mistral-ai.yaml"
    bad.write_text(bad.read_text().replace("\nvendor:", "\nvendor_typo:", 1))
    out = tmp_path / "r.json"
    result = CliRunner().invoke(cli, ["run", str(profiles), "--policy", str(ROOT / "examples" / "policy-us-buyer.yaml"),
                                      "--portfolio", str(ROOT / "examples" / "portfolio.yaml"),
                                      "--as-of", "2026-11-29", "-o", str(tmp_path / "r.xlsx"), "--json", str(out)])
    assert result.exit_code == 2 and "mistral-ai.yaml" in result.stderr
    results = json.loads(out.read_text())
    assert "mistral-ai" not in {v["id"] for v in results["vendors"]}
    conc = results["portfolio"]["concentration"]
    vendors = {v["vendor"]: v for v in conc["vendors"]}
    assert vendors["openai"]["fallbacks_in_place"] == [] and vendors["openai"]["unassessed_fallbacks"] == ["mistral-ai"]
    assert vendors["mistral-ai"]["assessed"] is False and vendors["mistral-ai"]["name"] == "mistral-ai (not assessed)"
    chat = next(w for w in conc["workloads"] if w["id"] == "customer-chat")
    assert chat["fallbacks_in_place"] == [] and chat["unassessed_fallbacks"] == ["mistral-ai"]
    assert "mistral-ai" not in chat["acceptable_fallbacks_in_place"]
    assert any("'mistral-ai' as a fallback" in w and "not counted" in w for w in conc["warnings"])
    assert any("not assessed in this run" in f for f in conc["flags"])
    use = next(e for e in results["engagements"] if e["vendor"] == "mistral-ai")
    assert use["recommendation"] is None and use["tier"] is None and use["assessed"] is False
    assert use["reasons"][0].startswith("Not assessed")
    # with the profile valid, the same portfolio counts it
    good = _run_examples(tmp_path)
    openai = next(v for v in good["portfolio"]["concentration"]["vendors"] if v["vendor"] == "openai")
    assert openai["fallbacks_in_place"] == ["mistral-ai"] and openai["unassessed_fallbacks"] == []
