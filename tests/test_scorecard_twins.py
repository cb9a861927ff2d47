"""The workbook's fast paths write the same bytes as their plain twins, on whole workbooks.

Each fast path of the scorecard (shared style arrays, ...) keeps a plain twin;
:func:`plain_twins` switches every one of them to its twin, and the workbooks
written both ways must be byte-identical: the sample results (hostile text,
formulas, emoji, links) and the bundled examples under both policies. The
cell-level comparisons, on many generated inputs, are in
tests/test_scorecard_speed_cells.py and tests/test_xlsx_rows.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vendordd.pipeline import assess
from vendordd.scorecard import book as book_module
from vendordd.scorecard import write_scorecard

DATA = Path(__file__).resolve().parent / "data"
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def plain_twins(monkeypatch: pytest.MonkeyPatch) -> None:
    """Switch every fast path of the workbook to its plain twin."""
    made = book_module.Book.__init__

    def plain_book(self, *args, **kwargs) -> None:
        made(self, *args, **kwargs)
        self.shared_styles = False  # each cell its own copy of its style array, set through openpyxl

    monkeypatch.setattr(book_module.Book, "__init__", plain_book)


def _both(results: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **options) -> tuple[bytes, bytes]:
    write_scorecard(results, tmp_path / "fast.xlsx", **options)
    with monkeypatch.context() as patch:
        plain_twins(patch)
        write_scorecard(results, tmp_path / "plain.xlsx", **options)
    return (tmp_path / "fast.xlsx").read_bytes(), (tmp_path / "plain.xlsx").read_bytes()


def test_sample_results_same_bytes_with_the_plain_twins(tmp_path, monkeypatch):
    results = json.loads((DATA / "results_sample.json").read_text(encoding="utf-8"))
    fast, plain = _both(results, tmp_path, monkeypatch)
    assert fast == plain


@pytest.mark.parametrize("region", ["us", "eu"])
def test_bundled_examples_same_bytes_with_the_plain_twins(tmp_path, monkeypatch, region):
    outcome = assess([str(EXAMPLES / "profiles")], policy_path=str(EXAMPLES / f"policy-{region}-buyer.yaml"),
                     portfolio_path=str(EXAMPLES / "portfolio.yaml"), as_of="2026-11-29", jobs=1)
    fast, plain = _both(outcome.results, tmp_path, monkeypatch, vendor_sheet_limit=3)
    assert fast == plain
