"""Change since the last assessment: the same provider before and after a wave of departures."""

from __future__ import annotations

import json

from click.testing import CliRunner

from vendordd.cli import cli
from vendordd.diff import compare, fact_changes
from vendordd.testing import minimal_profile

PEOPLE = [
    ("Ada Chief", "CEO", "executive", "c_level"),
    ("Bo Tech", "Technical lead", "research", "lead"),
    ("Cy Post", "Post-training lead", "post_training", "lead"),
    ("Di Code", "Code lead", "code", "lead"),
    ("Ed Infra", "Infrastructure lead", "infrastructure", "lead"),
]


def _profile(departed: dict[str, str], events: list | None = None) -> dict:
    people = []
    for name, role, area, seniority in PEOPLE:
        person = {"name": name, "role": role, "area": area, "seniority": seniority,
                  "joined": "2019-01", "sources": ["s1"]}
        if name in departed:
            person["left"] = departed[name]
        people.append(person)
    profile = minimal_profile("acme-ai", leadership={"key_people": people, "events": events or []})
    profile["sources"] = [{"id": "s1", "title": "Team page", "url": "https://example.com/team",
                           "publisher": "Acme", "published": "2026-01-05", "kind": "primary"}]
    return profile


def _run(tmp_path, name, profile, as_of, baseline=None):
    folder = tmp_path / name
    folder.mkdir()
    (folder / "acme.json").write_text(json.dumps(profile), encoding="utf-8")
    out = tmp_path / f"{name}.json"
    args = ["run", str(folder), "--json", str(out), "--as-of", as_of]
    if baseline:
        args += ["--baseline", str(baseline)]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return out


def test_diff_names_the_departures_and_the_rating_change(tmp_path):
    before = _run(tmp_path, "before", _profile({}), "2026-01-10")
    wave = {"Bo Tech": "2026-03-03", "Cy Post": "2026-03-03", "Di Code": "2026-01-20"}
    events = [{"date": "2026-02", "type": "restructuring", "summary": "Team split", "sources": ["s1"]}]
    after = _run(tmp_path, "after", _profile(wave, events), "2026-04-01", baseline=before)

    data = json.loads(after.read_text())
    change = data["vendors"][0]["change"]
    assert change["got_worse"] is True
    [lead] = [c for c in change["checks"] if c["id"] == "leadership_turnover"]
    assert lead["rating_before"] == "low" and lead["rating_after"] in ("high", "critical")
    text = "\n".join(lead["facts"])
    for name in wave:
        assert f"new departures: {name}" in text
    assert "new events: restructuring" in text or "Team split" in text
    assert data["baseline"]["got_worse"] == ["acme-ai"]

    result = CliRunner().invoke(cli, ["diff", str(before), str(after)])
    assert result.exit_code == 1
    assert "WORSE Acme Ai" in result.stdout and "Bo Tech" in result.stdout
    assert CliRunner().invoke(cli, ["diff", str(after), str(after)]).exit_code == 0


def test_diff_step_and_tier():
    old = {"as_of": "2026-01-01", "vendors": [{"id": "a", "name": "A", "overall": {"score": 80, "tier": "low"},
                                                "checks": []}]}
    new = {"as_of": "2026-06-01", "policy": {"diff_alert_step": 10},
           "vendors": [{"id": "a", "name": "A", "overall": {"score": 76, "tier": "low"}, "checks": []}]}
    assert compare(old, new)["got_worse"] == []
    assert compare(old, new, step=4)["got_worse"] == ["a"]
    new["vendors"][0]["overall"] = {"score": 74, "tier": "medium"}
    assert compare(old, new)["got_worse"] == ["a"]


def test_fact_changes_scalars_and_lists():
    assert fact_changes({"h100e": 100, "lists": []}, {"h100e": 200, "lists": [{"list": "US-BIS-ENTITY"}]}) == [
        "h100e: 100 -> 200", "new lists: US-BIS-ENTITY"]


def test_changes_sheet_and_summary_arrow(tmp_path):
    import openpyxl

    before = _run(tmp_path, "before", _profile({}), "2026-01-10")
    wave = {"Bo Tech": "2026-03-03", "Cy Post": "2026-03-03", "Di Code": "2026-01-20"}
    folder = tmp_path / "after"
    folder.mkdir()
    (folder / "acme.json").write_text(json.dumps(_profile(wave)), encoding="utf-8")
    out = tmp_path / "s.xlsx"
    result = CliRunner().invoke(cli, ["run", str(folder), "--baseline", str(before), "--as-of", "2026-04-01",
                                      "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    wb = openpyxl.load_workbook(out)
    rows = list(wb["Changes"].iter_rows(min_row=2, values_only=True))
    lead = next(r for r in rows if r[3] == "Leadership turnover (key-person risk)")
    assert lead[1] == "Yes" and lead[7] == "low" and lead[8] in ("high", "critical")
    assert "new departures: Bo Tech" in lead[9]
    summary = wb["Summary"]
    header = next(r for r in summary.iter_rows(values_only=True) if r and r[0] == "Vendor")
    col = header.index("Change")
    row = next(r for r in summary.iter_rows(values_only=True) if r and r[0] == "Acme Ai")
    assert row[col].startswith("▼ -")


def _doc(rec, score=80.0, tier="low", facts=None, bound=()):
    return {"as_of": "2026-01-01", "policy": {"diff_alert_step": 10, "buyer": {"bound_by_lists": list(bound)}},
            "vendors": [{"id": "a", "name": "A", "overall": {"score": score, "tier": tier, "recommendation": rec},
                         "checks": [{"id": "geo", "title": "Geo", "score": 90, "rating": "low", "status": "ok",
                                     "facts": facts or {}}]}]}


def test_a_worse_recommendation_is_worse_even_with_a_better_score():
    diff = compare(_doc("approve", score=80), _doc("escalate", score=82.5))
    change = diff["vendors"]["a"]
    assert diff["got_worse"] == ["a"] and change["recommendation_worse"] is True
    assert "recommendation approve -> escalate (worse)" in change["summary"]
    better = compare(_doc("needs_evidence"), _doc("approve"))
    assert better["got_worse"] == [] and "(better)" in better["vendors"]["a"]["summary"]


def test_needs_evidence_ranks_between_conditions_and_escalate():
    assert compare(_doc("approve_with_conditions"), _doc("needs_evidence"))["got_worse"] == ["a"]
    assert compare(_doc("escalate"), _doc("needs_evidence"))["got_worse"] == []


def test_a_policy_change_is_reported_once_not_as_fact_changes():
    rows = [{"list": "US-BIS-ENTITY", "status": "not_listed", "bound": False}]
    old = _doc("approve", facts={"sanctions": rows, "buyer": {"bound_by_lists": []}})
    new = _doc("approve", facts={"sanctions": [{**rows[0], "bound": True}],
                                 "buyer": {"bound_by_lists": ["US-BIS-ENTITY"]}}, bound=["US-BIS-ENTITY"])
    diff = compare(old, new)
    assert diff["policy_changes"] == ["buyer bound by lists: added US-BIS-ENTITY"]
    assert diff["vendors"]["a"]["status"] == "unchanged"


def test_the_diff_report_names_the_worse_recommendation_and_the_policy_change_once():
    from vendordd.diff import render
    old = _doc("approve")
    new = _doc("needs_evidence", score=85, bound=["US-OFAC-SDN"])
    text = render(compare(old, new), {"a": "A"})
    assert "WORSE A:" in text and "recommendation approve -> needs_evidence (worse)" in text
    assert text.count("POLICY buyer bound by lists: added US-OFAC-SDN") == 1
