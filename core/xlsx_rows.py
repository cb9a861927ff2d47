"""A faster row writer for write-only worksheets, with openpyxl's own output.

openpyxl writes each cell of a write-only sheet through several Python
objects and lxml calls (and, for a cell that carries a style, a raised and
caught ValueError in ``_values_to_row``); for the scorecard's long flat
tables that was most of the workbook's time. :class:`RowWriter` takes over
a write-only worksheet's row stream and writes each row as one piece of
XML text parsed by lxml, producing the same bytes openpyxl would for the
cells it handles (``tests/test_xlsx_rows.py`` compares whole workbooks):
inline strings, numbers, booleans and dates, with their style and
hyperlinks. A row with anything else (formulas, rich text, comments, a
carriage return in text) is handed to openpyxl's writer unchanged, and so
is anything appended to the sheet with ``ws.append``.

It relies on the internals of openpyxl 3.1's write-only worksheet
(``_get_writer``, ``_writer.xf``, ``_rows``, ``_values_to_row``), which the
tests exercise on every run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from lxml import etree
from openpyxl.cell.cell import Cell
from openpyxl.compat import safe_string
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel

_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_LETTERS = [get_column_letter(i) for i in range(1, 16385)]


class _Fallback(Exception):
    """This row holds something only openpyxl's own writer handles."""


class RowWriter:
    """Writes rows of :class:`Cell` objects to a write-only worksheet.

    Create it before the sheet's first row (after column widths and frozen
    panes are set, as for ``ws.append``). ``write(row_idx, cells, height)``
    writes row ``row_idx`` (rows must come in order) with an optional
    height in points; a row dimension set on the sheet for that row wins,
    as in openpyxl. ``ws.append`` keeps working on the same sheet and
    numbers its rows after the last one written.
    """

    def __init__(self, ws: Any) -> None:
        if ws._rows is not None:
            raise ValueError(f"sheet {ws.title!r} already has rows; create the RowWriter first")
        ws._get_writer()
        self.ws = ws
        self._styles = ws.parent._cell_styles
        self._style_ids: dict[tuple[int, ...], str] = {}
        self._epoch = ws.parent.epoch
        self._iso_dates = ws.parent.iso_dates
        self._next = 1
        self._stream = self._rows()
        next(self._stream)
        ws._rows = self._stream

    def _rows(self) -> Any:
        """The sheet's row stream: XML elements from :meth:`write`, value lists from ``ws.append``."""
        writer = self.ws._writer
        xf = writer.xf.send(True)
        with xf.element("sheetData"):
            try:
                while True:
                    item = yield
                    if isinstance(item, tuple):  # (row_idx, cells): openpyxl writes it
                        writer.write_row(xf, item[1], item[0])
                    elif isinstance(item, etree._Element):
                        xf.write(item)
                    else:  # ws.append(values)
                        row = self.ws._values_to_row(item, self._next)
                        writer.write_row(xf, row, self._next)
                        self._next += 1
            except GeneratorExit:
                pass
        writer.xf.send(None)

    def write(self, row_idx: int, cells: Sequence[Cell | None], height: float | None = None) -> None:
        """Write ``cells`` (None for an empty cell) as row ``row_idx``; they get their coordinates."""
        if row_idx < self._next:
            raise ValueError(f"row {row_idx} of sheet {self.ws.title!r} comes after row {self._next - 1}")
        self._next = row_idx + 1
        dims = self.ws.row_dimensions.get(row_idx)
        if dims is not None and dims.ht is None and height is not None:
            dims.height = height
        try:
            text, links = self._row_xml(row_idx, cells, height if dims is None else None, dims)
            element = etree.fromstring(text)
        except (_Fallback, etree.XMLSyntaxError):
            self._fallback(row_idx, cells, height, dims)
            return
        for cell, col_idx in links:
            cell.row, cell.column = row_idx, col_idx
            cell.hyperlink.ref = cell.coordinate
            self.ws._hyperlinks.append(cell.hyperlink)
        self._stream.send(element)

    def _fallback(self, row_idx: int, cells: Sequence[Cell | None], height: float | None, dims: Any) -> None:
        bound = []
        for col_idx, cell in enumerate(cells, 1):
            if cell is None:
                continue
            cell.row, cell.column = row_idx, col_idx
            if cell.hyperlink is not None:
                cell.hyperlink.ref = cell.coordinate
            bound.append(cell)
        if dims is None and height is not None:
            self.ws.row_dimensions[row_idx].height = height
        self._stream.send((row_idx, bound))
        if dims is None and height is not None:
            del self.ws.row_dimensions[row_idx]  # written; kept it would cost memory per row

    def _row_xml(self, row_idx: int, cells: Sequence[Cell | None], height: float | None,
                 dims: Any) -> tuple[str, list[tuple[Cell, int]]]:
        """The row's XML and its hyperlinked cells with their columns; raises _Fallback."""
        attrs = [f'<row r="{row_idx}"']
        if dims is not None:
            attrs += [f' {key}="{value}"' for key, value in dims]
        elif height is not None:
            attrs.append(f' ht="{safe_string(float(height))}" customHeight="1"')
        parts = ["".join(attrs), ">"]
        links = []
        for col_idx, cell in enumerate(cells):
            if cell is None:
                continue
            if cell._comment is not None:
                raise _Fallback
            style = cell._style
            styled = bool(style) and any(style)
            value = cell._value
            if value is None and not styled:
                continue
            ref = f"{_LETTERS[col_idx]}{row_idx}"
            head = f'<c r="{ref}"'
            if styled:
                key = tuple(style)
                sid = self._style_ids.get(key)
                if sid is None:
                    sid = self._style_ids[key] = str(self._styles.add(style))
                head += f' s="{sid}"'
            kind = cell.data_type
            if kind == "s":
                if not isinstance(value, str) and value is not None:
                    raise _Fallback  # rich text
                head += ' t="inlineStr"'
                if not value:
                    parts.append(head + "/>")
                elif "\r" in value:
                    raise _Fallback  # the parser would turn it into a line feed
                elif value != value.strip():
                    parts.append(f'{head}><is><t xml:space="preserve">{value.translate(_ESCAPES)}</t></is></c>')
                else:
                    parts.append(f"{head}><is><t>{value.translate(_ESCAPES)}</t></is></c>")
            elif kind in ("n", "b"):
                head += f' t="{kind}"'
                if value is None or value == "":
                    parts.append(head + "/>")
                else:
                    parts.append(f"{head}><v>{safe_string(value)}</v></c>")
            elif kind == "d" and isinstance(value, (dt.date, dt.datetime)) and not self._iso_dates:
                if getattr(value, "tzinfo", None) is not None:
                    raise _Fallback  # openpyxl's own error message
                parts.append(f'{head} t="n"><v>{safe_string(to_excel(value, self._epoch))}</v></c>')
            else:
                raise _Fallback
            if cell.hyperlink is not None:
                links.append((cell, col_idx + 1))
        parts.append("</row>")
        return "".join(parts), links
