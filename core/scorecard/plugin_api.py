"""The public sheet API for plugins: what the ``scorecard_sheets`` hook gets as ``writer``.

:class:`SheetWriter` makes house-styled, safe sheets (:class:`HouseSheet`)
and safe text cells for any sheet; ``from vendordd.scorecard import
SheetWriter, HouseSheet`` keeps working for plugins.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.utils import get_column_letter

from ..xlsx_text import display_width, safe_text
from . import limits
from .book import Book
from .charts import chart_rows, score_bar_chart
from .layout import row_height
from .naming import clean_title, unique_headers
from .openpyxl_internals import DetachedTextCell, discard_sheet_file
from .values import compact_json


class HouseSheet:
    """A sheet made by :meth:`SheetWriter.sheet`: rows appended here are made safe.

    ``append(row)`` writes text through :func:`~vendordd.xlsx_text.safe_text`
    as string cells (never formulas), finite numbers as numbers, dates as
    dates, lists and mappings as compact JSON text, and passes cells made by
    :meth:`SheetWriter.text` through. Any other attribute is the underlying
    openpyxl worksheet's (``add_chart``, ``title``...).
    """

    def __init__(self, book: Book, ws: Any, headers: Sequence[str], widths: Sequence[float]) -> None:
        self._book = book
        self.worksheet = ws
        self.headers = list(headers)
        self.widths = list(widths)
        self.rows = 1  # the header row
        self.print_rows = 1  # the print area reaches at least this row (charts below the table)

    def append(self, row: Iterable[Any]) -> None:
        """Append one row of values (see the class docstring for how each type is written)."""
        if self.rows >= limits.MAX_ROWS:
            raise ValueError(f"sheet {self.worksheet.title!r} is full ({limits.MAX_ROWS:,} rows)")
        cells = [self._cell(v) for v in list(row)[:limits.MAX_COLS]]
        self.rows += 1
        for col_idx, cell in enumerate(cells, 1):
            if cell is not None:
                cell.row, cell.column = self.rows, col_idx
        height = row_height(cells, self.widths)
        if height is not None:  # before the append: write-only rows are written at once
            self.worksheet.row_dimensions[self.rows].height = height
        self.worksheet.append(cells)

    def _cell(self, value: Any) -> Cell | None:
        book, ws = self._book, self.worksheet
        if value is None:
            return None
        if isinstance(value, Cell):
            return value
        if isinstance(value, bool):
            return book.text(ws, "Yes" if value else "No")
        if isinstance(value, (int, float)):
            return book.number(ws, value, "general", missing="")
        if isinstance(value, (dt.date, dt.datetime)):
            return book.date(ws, value.isoformat()[:10])
        if isinstance(value, (list, tuple, Mapping)):
            return book.text(ws, compact_json(value), "wrap")
        return book.text(ws, value, "wrap")

    def __getattr__(self, name: str) -> Any:
        return getattr(self.worksheet, name)


class SheetWriter:
    """What the ``scorecard_sheets`` hook gets as ``writer``: house-styled, safe sheets.

    ``sheet(title, headers)`` adds a sheet after the built-in ones (the title
    is made valid and unique; read the result's ``title``; asking for
    "Portfolio" replaces the built-in placeholder sheet) with a styled,
    frozen, repeated header row; append rows to it. ``text(value)`` returns a
    string cell holding neutralised text (no formula, no error value, no
    invalid XML, capped at Excel's cell limit) for use in any sheet of this
    workbook, including one made with ``workbook.create_sheet``. Each sheet
    made here becomes an Excel table with filters when it has data rows.
    """

    def __init__(self, book: Book) -> None:
        self._book = book
        self._sheets: list[HouseSheet] = []

    def sheet(self, title: str, headers: Sequence[Any], widths: Sequence[float] | None = None) -> HouseSheet:
        """A new sheet titled (close to) ``title`` whose first row is ``headers``.

        ``widths`` optionally gives column widths in characters (10-80);
        otherwise each column is as wide as its header plus a margin.
        """
        book = self._book
        names = unique_headers(list(headers)[:limits.MAX_COLS] or ["Value"])
        claimed = book.claimable.pop(clean_title(title).casefold(), None)
        ws = book.new_sheet(claimed or book.titles.take(title, fallback="Plugin"), header_rows="1:1")
        sizes = []
        for idx, name in enumerate(names):
            wanted = widths[idx] if widths and idx < len(widths) else display_width(name) + 4
            sizes.append(min(max(float(wanted), 10), 80))
            ws.column_dimensions[get_column_letter(idx + 1)].width = sizes[-1]
        ws.freeze_panes = "A2"
        header = [book.text(ws, name, "header") for name in names]
        height = row_height(header, sizes)
        if height is not None:
            ws.row_dimensions[1].height = height
        ws.append(header)
        house = HouseSheet(book, ws, names, sizes)
        self._sheets.append(house)
        return house

    def bar_chart(self, sheet: HouseSheet, *, title: str, label_col: int, value_col: int,
                  labels: Sequence[str], values: Sequence[float | None],
                  ratings: Sequence[str | None], anchor: str, series_name: str = "Value",
                  width_cm: float = 16.0) -> None:
        """Add horizontal 0-100 bars for data rows 2.. of ``sheet``, coloured by rating.

        ``labels`` and ``values`` must be what the sheet holds in
        ``label_col`` and ``value_col`` (1-based) from row 2 on: they fill
        the chart's caches so that previews show it.
        """
        chart = score_bar_chart(sheet.worksheet, title=title, label_col=label_col,
                                 value_col=value_col, first_row=2, labels=list(labels),
                                 values=list(values), ratings=list(ratings), series_name=series_name)
        chart.width = width_cm
        chart.height = max(6.0, 1.2 + 0.7 * len(labels))
        sheet.worksheet.add_chart(chart, anchor)
        anchor_row = int("".join(ch for ch in anchor if ch.isdigit()) or 1)
        sheet.print_rows = max(sheet.print_rows, anchor_row + chart_rows(chart.height))

    def text(self, value: Any) -> Cell:
        """A string cell for ``value`` that can never become a formula or an error value."""
        return DetachedTextCell.make(self._book.wb, self._book.styles.array("wrap"), safe_text(value))

    def discard(self, sheets: Sequence[Any]) -> None:
        """Remove ``sheets`` (what a failed ``scorecard_sheets`` hook made) and their temporary files."""
        gone = {id(ws) for ws in sheets}
        self._sheets = [house for house in self._sheets if id(house.worksheet) not in gone]
        for ws in sheets:
            discard_sheet_file(ws)  # a write-only sheet streams to a temporary file
            self._book.wb.remove(ws)

    def _finish(self) -> None:
        """Give every house sheet with data rows a table and a print area."""
        for house in self._sheets:
            ws = house.worksheet
            last_col = get_column_letter(len(house.headers))
            self._book.add_table(ws, f"tbl_{ws.title}", house.headers, 1, house.rows)
            ws.print_area = f"A1:{last_col}{max(house.rows, house.print_rows, 1)}"
