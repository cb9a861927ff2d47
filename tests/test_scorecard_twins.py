"""The workbook's fast paths write what their plain twins write, on whole workbooks.

Each fast path of the scorecard keeps a plain twin; :func:`plain_twins`
switches them to their twins: each cell its own copy of its style array set
through openpyxl (not a shared array), the sheets' hyperlinks and
relationships serialised by openpyxl (not made as text), charts built from
openpyxl's objects (not written as text), each row's text written to the
sheet's file at once (not in pieces of 64 KB), every sheet in a temporary
file (none kept in memory), a new cell for every row (not one per repeated
text), every table added through openpyxl's ``add_table``, every row's height
worked out by its grid (none handed in from a vendor sheet's page fitting) and, with
``rows=True``, every row written by openpyxl's own writer (not by
:class:`RowWriter` as text). The workbooks written both ways are compared:
the sample results (hostile text, formulas, emoji, links) and the bundled
examples under both policies. Byte for byte, except that openpyxl's
incremental writer spells an empty row or cell ``<row r="9"></row>`` where
lxml (and so RowWriter) writes ``<row r="9"/>``: with openpyxl's rows, the
parts are compared as canonical XML. The cell-level comparisons, on many
generated inputs, are in tests/test_scorecard_speed_cells.py and
tests/test_xlsx_rows.py.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from openpyxl.packaging.relationship import RelationshipList
from openpyxl.worksheet._writer import WorksheetWriter

from vendordd.pipeline import assess
from vendordd.scorecard import book as book_module
from vendordd.scorecard import charts, layout, write_scorecard, zip_parts
from vendordd.scorecard import openpyxl_internals as internals

DATA = Path(__file__).resolve().parent / "data"
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def plain_twins(monkeypatch: pytest.MonkeyPatch, *, rows: bool = False) -> None:
    """Switch the workbook's fast paths to their plain twins (``rows``: RowWriter's too)."""
    made = book_module.Book.__init__

    def plain_book(self, *args, **kwargs) -> None:
        made(self, *args, **kwargs)
        self.shared_styles = False  # each cell its own copy of its style array, set through openpyxl
        self.repeat_cells = False  # a new cell for each row, not one for every row that repeats its text
        self.tables_named_here = False  # every table added through openpyxl's add_table (its name checked)

    monkeypatch.setattr(book_module.Book, "__init__", plain_book)
    monkeypatch.setattr(layout.Grid, "trust_heights", False)  # every row measured by its grid, none handed in
    monkeypatch.setattr(internals._RawSheetWriter, "write_hyperlinks", WorksheetWriter.write_hyperlinks)
    monkeypatch.setattr(internals._Relationships, "to_tree", RelationshipList.to_tree)
    monkeypatch.setattr(charts, "bar_chart_xml", lambda *args, **kwargs: None)  # charts built from objects
    monkeypatch.setattr(internals, "_RAW_CHUNK", 1)  # each row's text into the file at once, not 64 KB at a time
    monkeypatch.setattr(zip_parts, "KEPT_IN_MEMORY", -1)  # every sheet in a temporary file, none kept in memory
    if rows:
        def by_openpyxl(*args, **kwargs):
            raise internals._Fallback  # the row goes to openpyxl's own writer

        monkeypatch.setattr(internals.RowWriter, "_row_xml", by_openpyxl)


def _parts(path: Path, canonical: bool) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    if canonical:
        parts = {name: etree.tostring(etree.fromstring(data), method="c14n") if name.endswith(".xml") else data
                 for name, data in parts.items()}
    return parts


def _same(results: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **options) -> None:
    fast, plain, rows = tmp_path / "fast.xlsx", tmp_path / "plain.xlsx", tmp_path / "rows.xlsx"
    write_scorecard(results, fast, **options)
    with monkeypatch.context() as patch:
        plain_twins(patch)
        write_scorecard(results, plain, **options)
    with monkeypatch.context() as patch:
        plain_twins(patch, rows=True)
        write_scorecard(results, rows, **options)
    assert fast.read_bytes() == plain.read_bytes()
    assert _parts(fast, canonical=True) == _parts(rows, canonical=True)
    assert _parts(fast, canonical=False).keys() == _parts(rows, canonical=False).keys()


def test_sample_results_as_the_plain_twins_write_them(tmp_path, monkeypatch):
    results = json.loads((DATA / "results_sample.json").read_text(encoding="utf-8"))
    _same(results, tmp_path, monkeypatch)


@pytest.mark.parametrize("region", ["us", "eu"])
def test_bundled_examples_as_the_plain_twins_write_them(tmp_path, monkeypatch, region):
    outcome = assess([str(EXAMPLES / "profiles")], policy_path=str(EXAMPLES / f"policy-{region}-buyer.yaml"),
                     portfolio_path=str(EXAMPLES / "portfolio.yaml"), as_of="2026-11-29", jobs=1)
    _same(outcome.results, tmp_path, monkeypatch, vendor_sheet_limit=3)
