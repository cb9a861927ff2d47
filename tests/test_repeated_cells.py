"""A flat table's repeated cells (Book.repeated) write what a new cell per row writes.

:class:`vendordd.scorecard.book.RepeatedCells` hands one cell to every row of a
write-only sheet that shows the same text or date in the same style; its plain
twin (``Book.repeat_cells = False``) makes a new cell each time, as
``Book.text`` and ``Book.date`` do. A repeated text cell is a ``RepeatedCell``,
whose row XML after the cell reference RowWriter keeps once written. Both must give the same workbook, byte for
byte, whatever the values: text that needs the quote prefix, text only
openpyxl's own writer handles (a carriage return), dates and months, empty
values, and more values than the cells it remembers.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from vendordd.scorecard import book as book_module
from vendordd.scorecard.book import Book
from vendordd.scorecard.layout import Col, Grid
from vendordd.scorecard.openpyxl_internals import RepeatedCell
from vendordd.scorecard.saving import save

DAY = dt.date(2026, 6, 1)
_VALUES = ("No", "Stale", "Self reported", "=1+1", "#N/A", "-dash", " padded ", "a & b < c", "line\nfeed",
           "carriage\rreturn", "", None, "2026-03-10", "2026-03", "not a date", "x" * 250,
           "word " * 30, "中文🙂", "\x01control")
_STYLES = ("text", "wrap", "warn", "na_left", "header")


def _workbook(rows: list[list[tuple[str, str | None, str]]], repeat: bool, write_only: bool = True,
              stream_after: int | None = 2) -> tuple[dict[str, bytes], list[list[object]]]:
    wb = Workbook(write_only=write_only)
    book = Book(wb, {"as_of": DAY.isoformat()}, DAY, wb.sheetnames, [])
    book.repeat_cells = repeat
    ws = book.new_sheet("S", header_rows="1:1")
    same = book.repeated(ws)
    grid = Grid(ws, [Col(6, 20), Col(8, 30), Col(10, 45)], stream_after=stream_after, freeze="B2")
    made = []
    for row in rows:
        cells = [same.date(value) if kind == "date" else same.text(value, style) for kind, value, style in row]
        made.append(cells)
        grid.add(cells)
    grid.flush()
    wb.properties.created = wb.properties.modified = dt.datetime(2026, 6, 1)
    out = io.BytesIO()
    save(wb, out, DAY)
    with zipfile.ZipFile(out) as archive:
        return {name: archive.read(name) for name in archive.namelist()}, made


_cell = st.tuples(st.sampled_from(("text", "text", "date")), st.sampled_from(_VALUES), st.sampled_from(_STYLES))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(_cell, min_size=1, max_size=3), max_size=12), st.sampled_from([None, 1, 3]))
def test_repeated_cells_write_what_new_cells_write(rows, stream_after):
    fast, made = _workbook(rows, repeat=True, stream_after=stream_after)
    plain, _ = _workbook(rows, repeat=False, stream_after=stream_after)
    assert fast == plain
    seen: dict[tuple[str, object, str], object] = {}
    for row, cells in zip(rows, made, strict=True):  # the fast path did hand out shared cells
        for (kind, value, style), cell in zip(row, cells, strict=True):
            key = (kind, value, "date" if kind == "date" else style)
            if len(str(value)) <= book_module._REPEATED_CHARS:
                assert seen.setdefault(key, cell) is cell
            if cell is not None:  # written: its row XML after the reference is kept for the next rows
                assert type(cell) is RepeatedCell and cell.xml_tail is not None


def test_forgetting_when_full_changes_nothing(monkeypatch):
    monkeypatch.setattr(book_module, "_REPEATED_KEPT", 3)
    rows = [[("text", value, "wrap")] for value in _VALUES * 2]
    assert _workbook(rows, repeat=True)[0] == _workbook(rows, repeat=False)[0]


def test_a_normal_mode_sheet_gets_a_new_cell_each_time():
    wb = Workbook()
    book = Book(wb, {"as_of": DAY.isoformat()}, DAY, wb.sheetnames, [])
    assert not book.repeat_cells
    same = book.repeated(book.new_sheet("S", header_rows=None))
    assert same.text("No") is not same.text("No")
    assert same.date("2026-03-10") is not same.date("2026-03-10")


def test_a_repeated_cell_is_made_as_a_cell_is():
    from openpyxl.cell.cell import Cell

    from vendordd.scorecard.openpyxl_internals import new_cell, new_repeated_cell

    ws = Workbook(write_only=True).create_sheet("S")
    plain, repeated = new_cell(ws, None), new_repeated_cell(ws, None)
    slots = {name for klass in Cell.__mro__ for name in getattr(klass, "__slots__", ())}
    assert all(getattr(plain, name, None) == getattr(repeated, name, None) for name in slots)
    assert repeated.xml_tail is None and repeated.measured is None
