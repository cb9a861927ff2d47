"""Layout: column widths fitted to the content, row heights for wrapped text, and the grid that writes rows.

LibreOffice does not fit row heights when it opens a file, so a row with
wrapped text gets an explicit height here (estimated from the house font's
widths, erring one line too many); write-only sheets drop column widths set
after the first row, so a :class:`Grid` measures its rows before writing them.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate, chain
from operator import add
from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.utils import get_column_letter

from ..xlsx_text import MILLI_ASCII, WIDEST_ASCII, char_milli_widths, display_width, milli_width, text_width
from .errors import ScorecardError
from .limits import MAX_ROWS
from .openpyxl_internals import (
    FontInfo,
    FontLookup,
    RepeatedCell,
    RowWriter,
    cell_value,
    font_info,
    fonts_of,
    place_cells,
)

#: The flat tables fit their column widths to this many rows, then stream the rest.
STREAM_AFTER_ROWS = 2000


class Unmeasured:
    """The type of :data:`UNMEASURED`."""

    def __repr__(self) -> str:
        return "UNMEASURED"


#: A row's height that its :class:`Grid` works out itself (:meth:`Grid.add`'s default).
UNMEASURED = Unmeasured()


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

    A caller that has measured a row already (a vendor sheet fits its rows to
    its pages) hands the grid that height (:meth:`add`'s ``height``,
    :meth:`measured`), and the grid does not work it out again; only with
    :meth:`fixed_widths`, the widths every row is then written with. With
    ``trust_heights`` off (the plain twin, in tests) the grid measures every row.
    """

    #: Whether heights handed in are used (False: each is worked out again, as without them).
    trust_heights = True

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
        self._heights: dict[int, float | None] = {}  # queued rows' heights handed in, by row number

    @property
    def next_row(self) -> int:
        return self._written + len(self.rows) + 1

    def add(self, cells: Sequence[Cell | None], measure: bool = True,
            height: float | None | Unmeasured = UNMEASURED) -> int:
        """Queue a row; returns its 1-based row number. ``measure`` counts it for widths.

        ``height``: what :func:`row_height` answers for ``cells`` with :meth:`fixed_widths`, when
        the caller has asked it already (the grid then does not ask again)."""
        row_idx = self.next_row
        if row_idx > MAX_ROWS:
            raise ScorecardError(f"sheet {self.ws.title!r} would exceed Excel's {MAX_ROWS:,} rows")
        row = list(cells)
        if self._widths is not None:
            self._emit(row_idx, row, height)
            return row_idx
        if height is not UNMEASURED:
            self._heights[row_idx] = height  # type: ignore[assignment]
        self.rows.append(row)
        if measure:
            self._measure(row)
        if self._stream_after is not None and len(self.rows) >= self._stream_after:
            self._start()
        return row_idx

    def _measure(self, row: list[Cell | None]) -> None:
        """Widen the measured column widths to what :func:`cell_width` says of ``row``'s cells
        (one line of ASCII text, the usual cell, is measured here without its calls)."""
        measured, fonts = self._measured, self._fonts
        for idx, cell in enumerate(row[: len(measured)]):
            if cell is None:
                continue
            value = cell_value(cell)
            if value is None:
                continue
            if type(value) is str and value.isascii() and "\n" not in value:
                width: float = len(value) if len(value) <= _MEASURED_CHARS else _MEASURED_CHARS
                if fonts.of(cell)[2]:
                    width = width * 1.1
            else:
                width = cell_width(cell, fonts.of(cell))
            if width > measured[idx]:  # as max(): a tie keeps the width measured first
                measured[idx] = width

    def measured(self, row_idx: int, height: float | None) -> None:
        """Hand in the height of queued row ``row_idx``: what :func:`row_height` answers for its cells
        with :meth:`fixed_widths` (as :meth:`add`'s ``height``, for a row queued before it was known)."""
        if self._widths is not None or not 0 < row_idx - self._written <= len(self.rows):
            raise ValueError(f"row {row_idx} of sheet {self.ws.title!r} is not queued")
        self._heights[row_idx] = height

    def fixed_widths(self) -> list[float] | None:
        """The widths the rows will be written with when every column's is fixed (its ``min`` is its
        ``max``), known before any row is written; None when a column's width follows its content."""
        if any(col.min != col.max for col in self.columns):
            return None
        # what _start sets: min(max(measured + 2, min), max) is max whatever was measured
        return [round(col.max, 1) for col in self.columns]

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
        heights, self._heights = self._heights, {}
        for row_idx, row in enumerate(queued, self._written + 1):
            self._emit(row_idx, row, heights.get(row_idx, UNMEASURED))

    def _emit(self, row_idx: int, row: list[Cell | None], known: float | None | Unmeasured = UNMEASURED) -> None:
        dims = self.ws.row_dimensions
        height = None
        if dims.get(row_idx) is None or dims[row_idx].height is None:
            if known is UNMEASURED or not self.trust_heights:
                height = row_height(row, self._widths or [], self._fonts)
            else:
                height = known  # type: ignore[assignment]
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

    ``fonts`` is the :class:`FontLookup` of the cells' workbook, when the caller has it: then
    what :func:`row_height_plain` answers, found with fewer steps per cell (the cells read in
    one pass, :meth:`FontLookup.texts_to_measure`; a repeated cell measured once per column
    width; a short text's one line known from its length, remembered per column; the tallest
    cell picked by lines times font size, which orders the cells as their heights do:
    multiplying by ``LINE_HEIGHT`` keeps that order, rounding too).
    """
    if fonts is None:
        return row_height_plain(row, widths)
    tallest, found = fonts.texts_to_measure(row, widths)  # tallest: lines x font size so far
    for value, width, (_, size, bold), cell in found:
        column = width * 11 / size
        short = _SHORT_CHARS.get(column)
        if short is None:
            short = _short_chars(column)
        if len(value) <= short and value.isascii() and "\n" not in value:
            lines = 1
        else:
            lines = wrapped_lines(value, column, bold)
        if cell.__class__ is RepeatedCell:  # a cell of many rows, which never changes: measured once per width
            cell.measured = (width, lines * size)
        if lines * size > tallest:
            tallest = lines * size
    needed = tallest * LINE_HEIGHT
    if needed <= 15.5:
        return None
    return min(round(needed + 2), 409)


def _short_chars(column: float) -> int:
    """The most characters of ASCII text that surely take one line of a column ``column`` wide
    (in 11 pt digit widths), by :func:`row_height_plain`'s test; remembered."""
    room = (column - _PADDING) * _SAFETY
    count = max(int((room - 1e-6) / WIDEST_ASCII) + 1, 0)
    while count >= 0 and not count * WIDEST_ASCII + 1e-6 <= room:  # the plain test, as it is written
        count -= 1
    while (count + 1) * WIDEST_ASCII + 1e-6 <= room:
        count += 1
    if len(_SHORT_CHARS) < _MEMO_ENTRIES:
        _SHORT_CHARS[column] = count
    return count


#: :func:`_short_chars` by column width.
_SHORT_CHARS: dict[float, int] = {}


def row_height_plain(row: Sequence[Cell | None], widths: Sequence[float], fonts: FontLookup | None = None) -> float | None:
    """:func:`row_height`, each cell read and measured on its own (its plain twin)."""
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
        column = width * 11 / size
        # Short ASCII text without a line feed is one line, whatever its letters: no need to measure.
        if len(value) * WIDEST_ASCII + 1e-6 <= (column - _PADDING) * _SAFETY and value.isascii() \
                and "\n" not in value:
            lines = 1
        else:
            lines = wrapped_lines(value, column, bold)
        needed = max(needed, lines * size * LINE_HEIGHT)
    if needed <= 15.5:
        return None
    return min(round(needed + 2), 409)


def wrapped_lines(text: str, width: float, bold: bool) -> int:
    """How many lines ``text`` takes in a column ``width`` wide (in 11 pt digit widths), wrapped as
    Excel and LibreOffice wrap: greedily between words, a word wider than the column broken anywhere.

    Words are measured with the house font's advance widths (:func:`vendordd.xlsx_text.text_width`,
    Carlito = Calibri metrics), so the estimate follows what is printed; it keeps a small margin,
    erring towards one line too many: a row slightly too tall beats clipped text.

    Answers are remembered (a flat table repeats the same vendor names, kinds and labels in
    every row), as are the widths of words.
    """
    known = _LINES.columns[bold].get(width)
    # keyed by the text alone: a str keeps its hash, a (text, width) tuple does not
    lines = known.get(text) if known is not None else None
    if lines is None:
        lines = _wrapped_lines(text, width, bold)
        _remember(text, width, bold, lines, known)
    return lines


def _remember(text: str, width: float, bold: bool, lines: int, known: dict[str, int] | None) -> None:
    """Keep ``lines``, the answer of ``wrapped_lines(text, width, bold)`` (``known``: the answers
    kept for that width and boldness, if any)."""
    if len(text) <= _MEMO_TEXT_CHARS:
        if _LINES.kept >= _MEMO_ENTRIES:
            _LINES.clear()
            known = None
        if known is None:
            known = _LINES.columns[bold][width] = {}
        known[text] = lines
        _LINES.kept += 1


class _Answers:
    """Remembered answers of :func:`wrapped_lines`: per boldness and column width, text -> lines;
    at most ``_MEMO_ENTRIES`` in all (then all are forgotten), of texts up to ``_MEMO_TEXT_CHARS``."""

    def __init__(self) -> None:
        self.columns: dict[bool, dict[float, dict[str, int]]] = {False: {}, True: {}}
        self.kept = 0

    def clear(self) -> None:
        self.columns = {False: {}, True: {}}
        self.kept = 0


_LINES = _Answers()
_MEMO_ENTRIES = 20_000
_MEMO_TEXT_CHARS = 2_000
#: Widths of words seen, per boldness (at most this many each; then no more are kept).
_WORD_WIDTHS: dict[bool, dict[str, float]] = {False: {}, True: {}}
_WORDS_KEPT = 100_000


def _wrapped_lines(text: str, width: float, bold: bool) -> int:
    """What :func:`_wrapped_lines_plain` answers, found a line at a time instead of a word at a time.

    The plain layout adds up float widths word by word; here the widths are
    exact integers (thousandths of a digit width, :func:`milli_width`), summed
    once per paragraph: per word (remembered), or per piece of a word wider than
    the line (:func:`_piece_ends`), and each line's end is found by bisecting
    those running sums. Float sums taken in another order can differ in their last bits, so
    wherever an exact width lies within a hair (:func:`_margin`, far above
    any float rounding of these sums) of a line's room, the answer could
    depend on those bits: then the plain layout answers for the whole text.
    """
    limits = _LIMITS.get(width)
    if limits is None:
        limits = _limits(width)
    limit, lo, hi = limits
    spaced = _SPACED[bold]
    space = spaced.space
    lines = 0
    for paragraph in text[:40000].split("\n"):
        if not paragraph:  # an empty line (as the plain layout: no width, one line)
            lines += 1
            continue
        if " " in paragraph:  # words: their widths (remembered), each with a space, summed
            words = paragraph.split(" ")
            ends = list(accumulate(map(spaced.__getitem__, words), initial=0))
            total = ends[-1] - space
        else:  # one word (a URL, a name): the widths of its pieces summed
            words, ends = [], _piece_ends(paragraph, bold)
            total = ends[-1]
        if total <= lo:
            lines += 1
            continue
        if total < hi:
            return _wrapped_lines_plain(text, width, bold)
        if words:
            count = _words_lines(words, ends, space, bold, limits)
        else:
            done = _long_word_lines(ends, limits, 1)
            count = done[0] if done is not None else None
        if count is None:
            return _wrapped_lines_plain(text, width, bold)
        lines += count
    return lines


def _limits(width: float) -> tuple[float, int, int]:
    """The room of a line of a column ``width`` wide in thousandths of a digit width, and the
    :func:`_bounds` of it (remembered per width)."""
    limit = max(1.0, (width - _PADDING) * _SAFETY) * 1000
    limits = (limit, *_bounds(limit))
    if len(_LIMITS) < _MEMO_ENTRIES:
        _LIMITS[width] = limits
    return limits


def _margin(room: float) -> float:
    """How close (in thousandths) an exact width may come to ``room`` before a float sum of the
    same widths, taken in some order, might land on the other side of it.

    A float sum of n non-negative terms is off by at most about n x 2**-53 of its value
    (n <= 80,000 here: 40,000 characters and as many spaces), and each table width by
    2**-53 of itself, so the error stays below 1e-11 of the widths compared; the margin is
    a hundred times that, plus a thousandth of a thousandth for the small values.
    """
    return 1e-3 + room * 1e-9


def _bounds(room: float) -> tuple[int, int]:
    """(lo, hi): an exact integer width ``w`` surely fits ``room`` when ``w <= lo`` and surely
    does not when ``w >= hi``; in between, :func:`_wrapped_lines` leaves it to the plain layout."""
    margin = _margin(room)
    return math.ceil(room - margin) - 1, math.floor(room + margin) + 1


class _SpacedWidths(dict[str, int]):
    """Word -> its width plus a space's, in thousandths of a digit width (remembered)."""

    def __init__(self, bold: bool) -> None:
        super().__init__()
        self.bold = bold
        self.space = milli_width(" ", bold)

    def __missing__(self, word: str) -> int:
        width = milli_width(word, self.bold) + self.space
        if len(self) >= _WORDS_KEPT:
            self.clear()
        self[word] = width
        return width


_SPACED = {False: _SpacedWidths(False), True: _SpacedWidths(True)}
#: (room, lo, hi) of a line, per column width.
_LIMITS: dict[float, tuple[float, int, int]] = {}


def _words_lines(words: list[str], ends: list[int], space: int, bold: bool,
                 limits: tuple[float, int, int]) -> int | None:
    """Lines of one paragraph of ``words`` (``ends[i]``: the widths of the words before word i,
    each with a space); None where the plain layout must decide.

    A line is measured from ``base`` (so words ``start..i-1`` take ``ends[i] - space - base``);
    its first word has a width (words of no width before it are dropped, as the plain layout
    does with an empty line's leading spaces); words fit while the line stays within ``room``.
    """
    limit, lo0, hi0 = limits
    count, nwords = 1, len(words)
    start = 0
    while ends[start + 1] - ends[start] == space:  # leading words of no width take no room
        start += 1
        if start >= nwords:
            return count
    base, lo, hi, fresh = ends[start], lo0, hi0, True
    while True:
        # the first word that does not fit on the line: words start..past-1 do
        past = bisect_right(ends, base + space + lo, start) - 1
        if past >= nwords:
            return count
        if past < start or ends[past + 1] - space - base < hi:
            return None
        if fresh and past == start:  # the line's first word is wider than a line
            done = _long_word_lines(_piece_ends(words[past], bold), limits, count)
            if done is None:
                return None
            count, tail, room = done
            start = past + 1
            base, fresh = ends[start] - space - tail, False
            lo, hi = _bounds(room)
            continue
        count += 1
        start = past
        while ends[start + 1] - ends[start] == space:
            start += 1
            if start >= nwords:
                return count
        base, lo, hi, fresh = ends[start], lo0, hi0, True


def _piece_ends(word: str, bold: bool) -> list[int]:
    """Running widths of ``word``'s pieces (as :data:`_BREAK_AFTER` splits it: each piece ends
    after one of / - _ ? & = . , or at the word's end), in thousandths of a digit width;
    item i is the width of the first i pieces.

    Split in UTF-8 (the break characters are ASCII, and no other character's bytes are), as
    two ``bytes.translate`` and a ``bytes.split``; the pieces' widths are remembered.
    """
    raw = word.encode("utf-8", "surrogatepass")
    bodies = raw.translate(_BREAKS_AS_SLASH).split(b"/")  # the pieces without their break character
    breaks = raw.translate(None, _NOT_BREAKS)  # the break characters, in order
    body_width = _BODY_WIDTHS[bold].__getitem__
    return list(accumulate(chain(map(add, map(body_width, bodies), map(MILLI_ASCII[bold].__getitem__, breaks)),
                                 (body_width(bodies[-1]),)), initial=0))


class _BodyWidths(dict[bytes, int]):
    """UTF-8 text -> its width in thousandths of a digit width (remembered)."""

    def __init__(self, bold: bool) -> None:
        super().__init__()
        self.bold = bold
        self.table = MILLI_ASCII[bold]

    def __missing__(self, body: bytes) -> int:
        if body.isascii():
            width = sum(map(self.table.__getitem__, body))
        else:
            width = milli_width(body.decode("utf-8", "surrogatepass"), self.bold)
        if len(self) >= _WORDS_KEPT:
            self.clear()
        self[body] = width
        return width


_BODY_WIDTHS = {False: _BodyWidths(False), True: _BodyWidths(True)}
#: Each character after which a long word may break, as "/", and every other byte.
_BREAKS_AS_SLASH = bytes.maketrans(b"-_?&=.,", b"///////")
_NOT_BREAKS = bytes(byte for byte in range(256) if byte not in b"/-_?&=.,")


def _long_word_lines(ends: list[int], limits: tuple[float, int, int],
                     count: int) -> tuple[int, int, float] | None:
    """Lay out a word wider than a line from the start of line ``count``, as :func:`_long_word`
    does: piece by piece (``ends``: its :func:`_piece_ends`), a piece wider than a line
    filling whole lines.

    Returns the line count, the width on the last line and that line's room (after a piece
    wider than a line, the last line's room is counted from the piece's start: the lines it
    filled whole are added), or None where the plain layout must decide. Only the last piece
    can have no width (every other ends with a break character), so a line holding a piece
    is never empty.
    """
    limit, lo0, hi0 = limits
    last = len(ends) - 1
    start = pos = 0
    room, lo, hi = limit, lo0, hi0
    while True:
        base = ends[start]
        reach = bisect_right(ends, base + lo, pos) - 1  # the line holds pieces start..reach-1
        if reach >= last:
            return count, ends[last] - base, room
        if reach < pos or ends[reach + 1] - base < hi:
            return None
        if reach > pos:  # the next line starts with piece reach
            count += 1
            start = pos = reach
            room, lo, hi = limit, lo0, hi0
        elif ends[pos] != base or room != limit:  # the line has something on it: next line
            count += 1
            start = pos
            room, lo, hi = limit, lo0, hi0
        else:  # one piece wider than a line fills whole lines, its rest starts the next one
            width = ends[pos + 1] - base
            full = int(width // limit)
            room = limit * (full + 1)
            margin = _margin(room)
            if width - full * limit <= margin or room - width <= margin:
                return None
            count += full
            pos += 1
            lo, hi = _bounds(room)


def _wrapped_lines_plain(text: str, width: float, bold: bool) -> int:
    """The line count word by word, in floats: the definition :func:`_wrapped_lines` computes faster."""
    avail = max(1.0, (width - _PADDING) * _SAFETY)
    space = text_width(" ", bold)
    known = _WORD_WIDTHS[bold]
    lines = 0
    for paragraph in text[:40000].split("\n"):
        if text_width(paragraph, bold) <= avail:
            lines += 1
            continue
        used, count = 0.0, 1
        for word in paragraph.split(" "):
            size = known.get(word)
            if size is None:
                size = text_width(word, bold)
                if len(known) < _WORDS_KEPT:
                    known[word] = size
            if used and used + space + size > avail:
                count += 1
                used = 0.0
            if size > avail:  # a long word (a URL) breaks after / - _ ? & = . (or anywhere)
                count, used = _long_word(word, bold, avail, count, used)
            else:
                used += size + (space if used else 0.0)
        lines += count
    return lines


def fits_one_line(text: str, width: float, bold: bool = False) -> bool:
    """``wrapped_lines(text, width, bold) <= 1``, decided by the text's exact width where that is
    enough (the cutting loops of the vendor sheets ask it of many texts, each new).

    Laid out on one line, a paragraph is exactly as wide as its characters: it fits when that
    width surely fits the line (:func:`_bounds`), and it does not when the width surely
    exceeds it and the line starts with a character that has a width (ASCII has no character
    without one): a paragraph starting with spaces or characters of no width loses them at the
    start of its line. A line feed, such a start, text beyond what ``wrapped_lines`` reads, or a
    width within a hair of the line's room: ``wrapped_lines`` decides.
    """
    known = _LINES.columns[bold].get(width)
    lines = known.get(text) if known is not None else None
    if lines is not None:
        return lines <= 1
    if "\n" in text or len(text) > 40000:
        return wrapped_lines(text, width, bold) <= 1
    limits = _LIMITS.get(width)
    if limits is None:
        limits = _limits(width)
    total = milli_width(text, bold)
    if total <= limits[1]:
        _remember(text, width, bold, 1, known)  # as wrapped_lines would: the row's height asks again
        return True
    if total >= limits[2] and starts_with_a_width(text):
        return False
    return wrapped_lines(text, width, bold) <= 1


def words_that_may_fit(words: Sequence[str], width: float, suffix: str = "") -> int:
    """The most leading ``words`` whose text, ``" ".join(words[:m]) + suffix``, may fit one line of
    a column ``width`` wide (regular weight): every such text with more of the words is surely
    wider than a line, as :func:`fits_one_line` decides from a text's exact width; 0 when even
    the suffix alone is. Only for texts :func:`estimable` holds for (one paragraph, starting with
    a character that takes room: laid on one line such a text is exactly as wide as its
    characters), as every such text is when the whole joined text is and ``words[0]`` is not empty.

    Exact integers (:func:`milli_width`, the words' widths remembered), the running widths
    bisected: no sum of floats per word.
    """
    limits = _LIMITS.get(width)
    if limits is None:
        limits = _limits(width)
    spaced = _SPACED[False]
    ends = list(accumulate(map(spaced.__getitem__, words), initial=0))
    # the text of the first m words: ends[m] - space + the suffix's width; surely too wide from hi on
    return bisect_left(ends, limits[2] + spaced.space - milli_width(suffix)) - 1 if ends else 0


def chars_that_must_go(head: str, tail: str, width: float) -> int:
    """The fewest leading characters of ``tail`` to drop so that ``head`` + the rest of ``tail`` may
    fit one line of a column ``width`` wide (regular weight): with fewer dropped, the text is surely
    wider than a line, as :func:`fits_one_line` decides from a text's exact width; ``len(tail)``
    when even ``head`` alone is. Only for texts :func:`estimable` holds for, as every such text is
    when ``head + tail`` is and ``head`` is not empty.

    Exact integers (:func:`milli_width`): the running widths of ``tail``'s characters, bisected.
    """
    limits = _LIMITS.get(width)
    if limits is None:
        limits = _limits(width)
    dropped = list(accumulate(char_milli_widths(tail), initial=0))  # width of the first k characters
    # head + tail[k:] is milli_width(head) + dropped[-1] - dropped[k] wide; surely too wide from hi on
    return min(bisect_right(dropped, milli_width(head) + dropped[-1] - limits[2]), len(tail))


def surely_wider_than_a_line(estimate: float, width: float, text: str) -> bool:
    """True when ``text``, about ``estimate`` digit widths wide (its characters' widths summed in
    any order), certainly takes more than one line of a column ``width`` wide: ``wrapped_lines``
    would say more than 1. False when that is not certain (then ask ``wrapped_lines``).

    Laid out on one line, a text of one paragraph is exactly as wide as its characters; only a
    line feed, leading spaces or characters of no width (dropped at the start of a line) or
    text beyond what ``wrapped_lines`` reads make it differ, and those are left to ``wrapped_lines``. The margin
    covers the rounding of a sum taken in another order.
    """
    return estimable(text) and estimate > line_room(width)


def estimable(text: str) -> bool:
    """True when :func:`surely_wider_than_a_line` may decide ``text`` from an estimate of its width:
    one paragraph (no line feed) within what ``wrapped_lines`` reads, starting with a character that
    takes room (:func:`starts_with_a_width`)."""
    return "\n" not in text and len(text) <= 40000 and starts_with_a_width(text)


def line_room(width: float) -> float:
    """What :func:`surely_wider_than_a_line` compares a text's estimated width with: above it, a
    text that may be estimated (see there) takes more than one line of a column ``width`` wide."""
    return max(1.0, (width - _PADDING) * _SAFETY) + 1e-6


def starts_with_a_width(text: str) -> bool:
    """True when ``text`` starts with a character that takes room (every ASCII character but the
    space does): laid out on one line, such a text is as wide as all its characters. A line
    loses the spaces and the characters of no width (combining marks) it starts with."""
    return bool(text) and text[0] != " " and (text[0].isascii() or text_width(text[0]) > 0)


_BREAK_AFTER = re.compile(r"(?<=[/\-_?&=.,])")


def _long_word(word: str, bold: bool, avail: float, count: int, used: float) -> tuple[int, float]:
    """Lay out a word wider than the line, from a line already ``used``: broken after the
    characters renderers break URLs at, a piece still too wide broken anywhere; returns the
    line count and the width used on the last line."""
    if used:
        count, used = count + 1, 0.0
    known = _WORD_WIDTHS[bold]
    for piece in _BREAK_AFTER.split(word):
        size = known.get(piece)
        if size is None:
            size = text_width(piece, bold)
            if len(known) < _WORDS_KEPT:
                known[piece] = size
        if used and used + size > avail:
            count, used = count + 1, 0.0
        if size > avail:
            extra, used = divmod(size, avail)
            count += int(extra)
        else:
            used += size
    return count, used


#: A column width counts digits of the default font (Calibri/Carlito 11); of a column, the cell's
#: margins take about this many digits. Measured in LibreOffice: a 34-wide column holds a line
#: 33.1 digits wide.
_PADDING = 0.8
#: The share of a line the estimate fills before it wraps (renderers differ by a pixel or two).
_SAFETY = 0.99
#: Line height as a multiple of the font size. Excel spaces Calibri's lines 1.22 em apart
#: (ascent, descent and line gap), LibreOffice about 1.01 em (measured: 11.1 pt for 11 pt
#: Carlito); rows are sized for Excel (plus 2 points), so that no wrapped cell is clipped.
LINE_HEIGHT = 1.22


#: A text's first this many characters decide its column's width.
_MEASURED_CHARS = 2000


def cell_width(cell: Cell, info: FontInfo) -> float:
    """Characters ``cell``'s value needs in a column (for fitting the column's width)."""
    value = cell_value(cell)
    if isinstance(value, str):
        width = display_width(value[:_MEASURED_CHARS])
        return width * 1.1 if info[2] else width
    if isinstance(value, (dt.date, dt.datetime)):
        return 10
    if isinstance(value, (int, float)):
        return 6
    return len(str(value))
