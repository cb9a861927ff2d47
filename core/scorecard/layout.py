"""Layout: column widths fitted to the content, row heights for wrapped text, and the grid that writes rows.

LibreOffice does not fit row heights when it opens a file, so a row with
wrapped text gets an explicit height here (estimated from the house font's
widths, erring one line too many); write-only sheets drop column widths set
after the first row, so a :class:`Grid` measures its rows before writing them.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.utils import get_column_letter

from ..xlsx_text import display_width, text_width
from .errors import ScorecardError
from .limits import MAX_ROWS
from .openpyxl_internals import FontInfo, FontLookup, RowWriter, cell_value, font_info, fonts_of, place_cells

#: The flat tables fit their column widths to this many rows, then stream the rest.
STREAM_AFTER_ROWS = 2000


@dataclass(frozen=True)
class Col:
    """A column: its width is fitted to the content between ``min`` and ``max`` characters."""

    min: float = 8
    max: float = 40


class Grid:
    """The rows of one sheet, measured for column widths, then written.

    Write-only sheets drop column widths and freeze panes set after the first
    row, so the grid measures its content first. Cells get their final
    coordinates here (a hyperlink's ref is taken from its cell at assignment,
    and normal-mode ``append`` does not update it).

    With ``stream_after=N`` (the long flat tables), widths are fitted to the
    first N rows and every later row is written at once instead of kept, so
    memory does not grow with the number of vendors; ``freeze`` must then be
    given here, since it too must be set before the first row is written.
    """

    def __init__(self, ws: Any, columns: Sequence[Col], *, stream_after: int | None = None,
                 freeze: str | None = None) -> None:
        self.ws = ws
        self.columns = list(columns)
        self.rows: list[list[Cell | None]] = []
        self._measured: list[float] = [0.0] * len(columns)
        self._stream_after = stream_after
        self._freeze = freeze
        self._widths: list[float] | None = None  # set once the rows start being written
        self._written = 0
        self._writer: RowWriter | None = None
        self._fonts = fonts_of(ws.parent)  # every cell of the grid belongs to this sheet's workbook

    @property
    def next_row(self) -> int:
        return self._written + len(self.rows) + 1

    def add(self, cells: Sequence[Cell | None], measure: bool = True) -> int:
        """Queue a row; returns its 1-based row number. ``measure`` counts it for widths."""
        row_idx = self.next_row
        if row_idx > MAX_ROWS:
            raise ScorecardError(f"sheet {self.ws.title!r} would exceed Excel's {MAX_ROWS:,} rows")
        row = list(cells)
        if self._widths is not None:
            self._emit(row_idx, row)
            return row_idx
        self.rows.append(row)
        if measure:
            for idx, cell in enumerate(row[: len(self._measured)]):
                if cell is not None and cell_value(cell) is not None:
                    self._measured[idx] = max(self._measured[idx], cell_width(cell, self._fonts.of(cell)))
        if self._stream_after is not None and len(self.rows) >= self._stream_after:
            self._start()
        return row_idx

    def blank(self, count: int = 1) -> None:
        for _ in range(count):
            self.add([], measure=False)

    def flush(self, freeze: str | None = None) -> None:
        """Write what is still queued (setting widths and frozen panes first if not yet done).

        Rows with wrapped text get an explicit height: LibreOffice does not
        fit row heights when it opens a file, so without one wrapped lines
        overlap the next row (Excel then keeps that height too).
        """
        if self._widths is None:
            self._start(freeze)

    def _start(self, freeze: str | None = None) -> None:
        widths = []
        for idx, col in enumerate(self.columns):
            width = round(min(max(self._measured[idx] + 2, col.min), col.max), 1)
            widths.append(width)
            self.ws.column_dimensions[get_column_letter(idx + 1)].width = width
        self._widths = widths
        if freeze or self._freeze:
            self.ws.freeze_panes = freeze or self._freeze
        queued, self.rows = self.rows, []
        for row_idx, row in enumerate(queued, self._written + 1):
            self._emit(row_idx, row)

    def _emit(self, row_idx: int, row: list[Cell | None]) -> None:
        dims = self.ws.row_dimensions
        height = None
        if dims.get(row_idx) is None or dims[row_idx].height is None:
            height = row_height(row, self._widths or (), self._fonts)
        if self.ws.parent.write_only:
            if self._writer is None:
                self._writer = RowWriter(self.ws)
            self._writer.write(row_idx, row, height)
        else:  # a template's workbook: normal mode
            if height is not None:
                dims[row_idx].height = height
            place_cells(row, row_idx)
            self.ws.append(row)
        self._written += 1

    @property
    def last_col_letter(self) -> str:
        return get_column_letter(max(len(self.columns), 1))


def row_height(row: Sequence[Cell | None], widths: Sequence[float], fonts: FontLookup | None = None) -> float | None:
    """Points needed to show every wrapped cell of ``row`` whole; None when one line will do.

    ``fonts`` is the :class:`FontLookup` of the cells' workbook, when the caller has it.
    """
    needed = 0.0
    for cell, width in zip(row, widths):  # cells beyond the known widths are not measured
        if cell is None:
            continue
        value = cell_value(cell)
        if not isinstance(value, str) or not value:
            continue
        wraps, size, bold = fonts.of(cell) if fonts is not None else font_info(cell)
        if not wraps:
            continue
        lines = wrapped_lines(value, width * 11 / size, bold)
        needed = max(needed, lines * size * 1.33)
    if needed <= 15.5:
        return None
    return min(round(needed + 3), 409)


def wrapped_lines(text: str, width: float, bold: bool) -> int:
    """How many lines ``text`` takes in a column ``width`` characters wide (greedy word wrap).

    A column width counts digits of the default font; ordinary text averages
    a little narrower, word wrapping wastes the end of each line. The estimate
    errs towards one line too many: a row slightly too tall beats clipped text.
    """
    per_line = max(3.0, width * (1.0 if bold else 1.1) - 1)
    if "\n" not in text and len(text) <= per_line:
        return _short_lines(text, width, bold)
    return _greedy_lines(text, per_line, width, bold)


#: Column-width units per digit width: a column width counts the digit's width rounded to
#: whole pixels (7 px for Calibri 11 at 96 dpi), the text is drawn at its real width (7.4 px).
_UNITS_PER_DIGIT = 1.07
#: Column-width units taken by the cell's left and right margins.
_CELL_MARGINS = 1.0


def _short_lines(text: str, width: float, bold: bool) -> int:
    """The lines of a text of at most one estimated line, measured with the font's widths (1 or 2, in practice).

    The average-width estimate of :func:`_greedy_lines` is too optimistic for
    names with capitals ("Google DeepMind (Gemma / Gemini)"), which then
    overlapped the next row in LibreOffice.
    """
    if len(text) * 2 * _UNITS_PER_DIGIT + _CELL_MARGINS <= width:
        return 1  # fits even if every character were a wide East Asian one (the widest)
    needed = text_width(text, bold) * _UNITS_PER_DIGIT + _CELL_MARGINS
    return 1 if needed <= width else max(2, math.ceil(needed / max(width, 1.0)))


def _greedy_lines(text: str, per_line: float, width: float, bold: bool) -> int:
    """Lines that greedy word wrap at ``per_line`` characters makes of ``text`` (of its first 40,000).

    A paragraph of at most ``per_line`` characters is measured instead (:func:`_short_lines`).
    """
    lines = 0
    for paragraph in text[:40000].split("\n"):
        if len(paragraph) <= per_line:
            lines += _short_lines(paragraph, width, bold)  # a short bullet, most often
            continue
        used, count = 0.0, 1
        words = paragraph.split(" ")
        if paragraph.isascii():
            sizes: Iterable[int] = map(len, words)
        else:
            sizes = [len(w) if w.isascii() else display_width(w) for w in words]
        for size in sizes:
            if used and used + 1 + size > per_line:
                count += 1
                used = 0.0
            if size > per_line:  # a long word (a URL) breaks anywhere
                extra, used = divmod(size, per_line)
                count += int(extra)
            else:
                used += size + (1 if used else 0)
        lines += count
    return lines


def cell_width(cell: Cell, info: FontInfo) -> float:
    """Characters ``cell``'s value needs in a column (for fitting the column's width)."""
    value = cell_value(cell)
    if isinstance(value, str):
        width = display_width(value[:2000])
        return width * 1.1 if info[2] else width
    if isinstance(value, (dt.date, dt.datetime)):
        return 10
    if isinstance(value, (int, float)):
        return 6
    return len(str(value))
