"""Input errors: one row per problem in a rejected profile (only when a profile was rejected)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..book import Book
from ..layout import Col, Grid
from ..registry import Run, SheetSpec
from ..values import num


def write(book: Book, ws: Any, run: Run) -> None:
    _write_errors(book, ws, run.errors)


SHEET = SheetSpec(key="input_errors", order=20, title="Input errors", write=write,
                  applies=lambda run: bool(run.errors))


_ERROR_HEADERS = ["File", "Pointer", "Line", "Column", "Message"]


def _write_errors(book: Book, ws: Any, errors: Sequence[Any]) -> None:
    grid = Grid(ws, [Col(20, 50), Col(12, 40), Col(6, 6), Col(8, 8), Col(40, 90)])
    grid.add([book.text(ws, h, "header") for h in _ERROR_HEADERS], measure=False)
    rows = [e for e in errors if isinstance(e, Mapping)]
    rows.sort(key=lambda e: (str(e.get("file", "")), num(e.get("line")) or 0, str(e.get("pointer", ""))))
    for error in rows:
        grid.add([book.text(ws, error.get("file")), book.text(ws, error.get("pointer"), "wrap"),
                  book.number(ws, error.get("line"), "int", missing=None),
                  book.number(ws, error.get("column"), "int", missing=None),
                  book.text(ws, error.get("message"), "wrap")])
    last = grid.next_row - 1
    grid.flush(freeze="A2")
    book.add_table(ws, "tbl_InputErrors", _ERROR_HEADERS, 1, last)
    ws.print_area = f"A1:E{max(last, 1)}"
