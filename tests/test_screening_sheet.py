"""The Screening sheet: present when lists are given, one row per name match, names not ids."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from vendordd.cli import cli

LIST = Path(__file__).resolve().parent / "data" / "screening" / "consolidated.csv"


def _run(examples, out, *extra):
    return CliRunner().invoke(cli, ["run", str(examples / "profiles" / "zhipu-ai.yaml"),
                                    str(examples / "profiles" / "mistral-ai.yaml"), "--policy",
                                    str(examples / "policy-us-buyer.yaml"), "--as-of", "2026-11-29", "-o", str(out),
                                    *extra])


def test_a_screening_sheet_lists_every_match_with_why_and_whether_it_counts(examples, tmp_path):
    out = tmp_path / "s.xlsx"
    result = _run(examples, out, "--screening-list", str(LIST))
    assert result.exit_code == 0, result.output
    wb = load_workbook(out)
    assert wb.sheetnames.index("Screening") == 1  # right after the Summary: it can decide a verdict
    ws = wb["Screening"]
    header = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Vendor")
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=header + 1, max_col=9) if row[0].value]
    hits = [r for r in rows if r[0] == "Zhipu AI (Z.ai)"]
    assert hits and all(r[3] == "US-BIS-ENTITY" and r[4] == "yes" and r[5] == "Strong" for r in hits)
    assert all(r[8] == "Counts" and "name match" in r[7] for r in hits)
    assert not any(r[0] == "Mistral AI" for r in rows)
    text = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert "consolidated.csv" in text and "Clearances in the policy" in text


def test_no_screening_sheet_without_lists(examples, tmp_path):
    out = tmp_path / "s.xlsx"
    assert _run(examples, out).exit_code == 0
    assert "Screening" not in load_workbook(out).sheetnames
