"""The examples' scorecard says why: every verdict that is not a plain approval states its reason
and actions on the Summary; "capped" appears nowhere; no chart hides text."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from vendordd.cli import cli


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "examples"
    out = tmp_path_factory.mktemp("wording") / "s.xlsx"
    result = CliRunner().invoke(cli, ["run", str(root / "profiles"), "--policy", str(root / "policy-us-buyer.yaml"),
                                      "--portfolio", str(root / "portfolio.yaml"), "--as-of", "2026-11-29",
                                      "-o", str(out)])
    assert result.exit_code == 0, result.output
    return load_workbook(out)


def test_capped_appears_nowhere(workbook):
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert "capped" not in str(cell.value or "").lower(), (ws.title, cell.coordinate, cell.value)


def test_every_verdict_but_approve_states_its_reason_and_actions_on_the_summary(workbook):
    ws = workbook["Summary"]
    header = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Vendor")
    heads = [c.value for c in ws[header]]
    verdict, why, actions = heads.index("Verdict") + 1, heads.index("Why") + 1, heads.index("Actions") + 1
    seen = set()
    for r in range(header + 1, ws.max_row + 1):
        if not ws.cell(r, verdict).value:
            break
        seen.add(ws.cell(r, verdict).value)
        if ws.cell(r, verdict).value != "Approve":
            assert ws.cell(r, why).value and ws.cell(r, actions).value, ws.cell(r, 1).value
            lines = ws.cell(r, why).value.splitlines()
            assert any(not line.startswith(("• Score ", "Score ")) for line in lines), ws.cell(r, 1).value
    assert {"Reject", "Escalate"} <= seen


def test_no_chart_in_the_examples_covers_a_non_empty_cell(workbook):
    charted = 0
    for ws in workbook.worksheets:
        for chart in ws._charts:
            end = getattr(chart.anchor, "to", None)
            if end is None:
                continue
            start = chart.anchor._from
            for row in range(start.row + 1, end.row + 1):
                for col in range(start.col + 1, end.col + 1):
                    assert ws.cell(row, col).value in (None, ""), (ws.title, ws.cell(row, col).coordinate)
            charted += 1
    assert charted >= 10
