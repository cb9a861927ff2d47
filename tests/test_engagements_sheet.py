"""The Engagements sheet: one row per engagement of the portfolio, worst verdict first."""

from __future__ import annotations

from openpyxl import load_workbook

from vendordd.cli import main


def test_the_examples_engagements_sheet_lists_each_use_worst_first(examples, tmp_path, capsys):
    out = tmp_path / "s.xlsx"
    try:
        main(["run", str(examples / "profiles"), "--policy", str(examples / "policy-us-buyer.yaml"),
              "--portfolio", str(examples / "portfolio.yaml"), "--as-of", "2026-11-29", "-o", str(out)])
    except SystemExit as done:
        assert not done.code
    book = load_workbook(out)
    assert "Engagements" in book.sheetnames[:3]
    rows = [r for r in book["Engagements"].iter_rows(values_only=True) if r and r[0]]
    header = next(i for i, r in enumerate(rows) if r[0] == "Vendor")
    body = rows[header + 1:]
    verdicts = [r[4] for r in body]
    assert verdicts[0] == "Reject" and verdicts[-1] == "Approve with conditions"
    deepseek = {tuple(str(r[1]).split("\n")[:2]): r[4] for r in body if r[0] == "DeepSeek"}
    assert deepseek == {("contract-review", "Hosted API"): "Reject",
                        ("ticket-tagging", "Self hosted weights"): "Escalate"}
    assert all(not str(r[5]).startswith("• Inherent risk") for r in body)
    # every use names its workload; conditions of ordinary length are shown whole, none cut
    assert all(r[1] and not str(r[1]).startswith(("Hosted", "Self", "Cloud")) for r in body)
    assert all(not line.endswith("…") for r in body for line in str(r[6]).split("\n"))
    # Why and Conditions use the landscape page: wider than the 24 characters they had
    sheet = book["Engagements"]
    assert sheet.column_dimensions["F"].width > 40 and sheet.column_dimensions["G"].width > 40
    assert sum(sheet.column_dimensions[c].width for c in "ABCDEFGH") <= 190  # one page wide at 75 %


def test_no_engagements_sheet_without_a_portfolio(examples, tmp_path):
    out = tmp_path / "s.xlsx"
    try:
        main(["run", str(examples / "profiles" / "openai.yaml"), "--as-of", "2026-11-29", "-o", str(out)])
    except SystemExit as done:
        assert not done.code
    assert "Engagements" not in load_workbook(out).sheetnames
