"""The plugins' sections on a vendor's sheet (the ``vendor_sheet_section`` hook), laid out and budgeted.

A section is laid out in the vendor sheet's own columns and styles: its title
(and note) on one row, then one row per :class:`vendordd.sections.SectionRow`
(label in A, rating in B, score in C, text in D, detail in E), each text cut
to a few printed lines, at most :data:`vendordd.sections.MAX_SECTION_ROWS`
rows. The vendor sheet prints on two pages, A4 or Letter (tests/test_print.py),
with or without sections: :func:`fit` keeps it within a page budget, first by
listing fewer sources in the sheet's evidence table (the Evidence sheet lists
every one), then by cutting sections' last rows, each cut said in a line of
its own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl.cell.cell import Cell

from ..sections import MAX_SECTION_ROWS, VendorSection
from .book import Book
from .layout import UNMEASURED, Unmeasured, row_height, wrapped_lines
from .openpyxl_internals import fonts_of

Row = list[Cell | None]

#: What one landscape page holds at the vendor sheet's 73 % scale, in the sheet's points: A4 (shorter
#: than Letter): 595 pt less the 0.3 in and 0.4 in margins = 545 printed points, / 0.73 = 746, less a
#: margin. :func:`pages` lays rows out as LibreOffice does (a row that does not fit starts the next
#: page) with rows of no set height at 15 pt, a little more than LibreOffice gives them; measured on
#: the example sheets it finds the same page count as LibreOffice's PDF (DeepSeek's sheet: 3 pages on
#: A4 before this budget, 2 after; tests/test_print.py checks A4 and Letter, sections or none).
PAGE = 738.0
DEFAULT_ROW = 15.0
#: Printed lines a section's text (column D) and detail (column E) may take.
TEXT_LINES, DETAIL_LINES = 3, 3
#: Sources the vendor sheet's evidence table keeps listing when room is made for sections.
MIN_SOURCES = 3


@dataclass
class Laid:
    """One section's rows: ``head`` (the title row), ``lines`` (one per row shown), ``cut`` rows left out."""

    plugin: str
    head: Row
    lines: list[Row]
    cut: int = 0


def lay_out(book: Book, ws: Any, sections: Sequence[tuple[str, VendorSection]],
            widths: Sequence[float]) -> list[Laid]:
    """The cells of each section (nothing is written yet)."""
    laid = []
    for plugin, section in sections:
        title = fit_lines(" ".join(section.title.split()), sum(widths[:4]) * 11 / 13 - 4, 1)
        note = fit_lines(" ".join(section.note.split()), widths[4], 2) if section.note else None
        head: Row = [book.text(ws, title, "section"), None, None, None,
                     book.text(ws, note, "note_wrap") if note else None]
        lines = []
        for row in section.lines()[:MAX_SECTION_ROWS]:
            lines.append([
                book.text(ws, fit_lines(row.label, widths[0], 1), "label") if row.label else None,
                book.rating(ws, row.rating) if row.rating else None,
                book.number(ws, row.score, "score", missing=None),
                book.text(ws, fit_lines(" ".join(row.text.split()), widths[3], TEXT_LINES), "wrap"),
                book.text(ws, fit_lines(" ".join(row.detail.split()), widths[4], DETAIL_LINES), "note_wrap")
                if row.detail else None,
            ])
        laid.append(Laid(plugin, head, lines, cut=max(0, len(section.rows) - MAX_SECTION_ROWS)))
    return laid


def cut_line(book: Book, ws: Any, count: int) -> Row:
    """The line that says ``count`` rows of a section were left out, and why."""
    return [None, None, None, book.text(ws, f"… {count} more line{'s' if count != 1 else ''}, left out so that "
                                            f"this sheet prints on two pages", "note_wrap")]


def more_sources_line(book: Book, ws: Any, count: int) -> Row:
    """The line that says ``count`` sources are listed on the Evidence sheet only."""
    return [None, None, None, book.text(ws, f"… {count} more on the Evidence sheet, left out so that this sheet "
                                            f"prints on two pages", "note_wrap")]


class RowHeights:
    """:func:`~vendordd.scorecard.layout.row_height` of rows in one set of column ``widths``, asked
    once per row and remembered by the row's identity (each row is kept alive here, so an identity
    cannot be reused): :func:`fit` measures the vendor sheet's rows, and its grid, which writes them
    in the same widths, is handed the answers (:meth:`known`) instead of measuring them again."""

    def __init__(self, ws: Any, widths: Sequence[float]) -> None:
        self.widths = list(widths)
        self._fonts = fonts_of(ws.parent)
        self._known: dict[int, tuple[Row, float | None]] = {}

    def of(self, row: Row) -> float | None:
        """``row_height(row, widths)``."""
        entry = self._known.get(id(row))
        if entry is not None and entry[0] is row:
            return entry[1]
        answer = row_height(row, self.widths, self._fonts)
        self._known[id(row)] = (row, answer)
        return answer

    def known(self, row: Row) -> float | None | Unmeasured:
        """What :meth:`of` answered for ``row``; :data:`~vendordd.scorecard.layout.UNMEASURED` when it was not asked."""
        entry = self._known.get(id(row))
        return entry[1] if entry is not None and entry[0] is row else UNMEASURED


def height(ws: Any, rows: Sequence[Row], widths: Sequence[float], first_row: int | None = None,
           measured: RowHeights | None = None) -> float:
    """The points ``rows`` take, as the sheet will set them (``first_row``: where they start, for
    heights already set on the sheet; ``measured``: where rows are measured, in ``widths``)."""
    fonts = fonts_of(ws.parent)
    total = 0.0
    for offset, row in enumerate(rows):
        dims = ws.row_dimensions.get(first_row + offset) if first_row is not None else None
        fixed = dims.height if dims is not None else None
        if fixed is None:
            fixed = (measured.of(row) if measured is not None else row_height(row, widths, fonts)) or DEFAULT_ROW
        total += fixed
    return total


def pages(heights: Sequence[float], *, repeat: tuple[int, float] | None = None, page: float = PAGE) -> int:
    """How many pages rows of these ``heights`` print on (a row never splits across pages).

    ``repeat``: ``(index, height)`` of a header row printed again at the top of each page that
    starts after it (the evidence table's).
    """
    count, used = 1, 0.0
    for idx, size in enumerate(heights):
        if used and used + size > page:
            count += 1
            used = repeat[1] if repeat is not None and idx > repeat[0] else 0.0
        used += size
    return count


@dataclass
class SheetRows:
    """The vendor sheet's rows around the sections, for :func:`fit`: every row's cells in order."""

    before: list[Row]  # from row 1 to the last check row (already queued)
    intro: list[Row]  # the evidence heading and the table header (the last one repeats on each page)
    sources: list[Row]
    after: list[Row]  # "The profile cites no sources."


def fit(ws: Any, rows: SheetRows, laid: list[Laid], widths: Sequence[float], *, cut_row: Row,
        more_sources_row: Row, max_pages: int = 2, measured: RowHeights | None = None) -> tuple[int, int]:
    """Keep the sheet within ``max_pages``: how many ``sources`` rows to keep, and its pages then.

    Sources are dropped from the end (down to :data:`MIN_SOURCES`, plus
    ``more_sources_row`` pointing at the Evidence sheet), then each section,
    last first, loses its last lines (its ``cut`` grows; ``cut_row`` says
    so). Both rows are only measured here. The pages returned are more than
    ``max_pages`` only when the sheet is too long even so. ``measured`` (its widths
    ``widths``) measures the rows and keeps the answers for the grid that writes them.
    """
    def sizes(items: Sequence[Row]) -> list[float]:
        return [height(ws, [row], widths, measured=measured) for row in items]

    before = [height(ws, [row], widths, first_row=idx, measured=measured) for idx, row in enumerate(rows.before, 1)]
    intro, sources, after = sizes(rows.intro), sizes(rows.sources), sizes(rows.after)
    cut_size, more_size = height(ws, [cut_row], widths), height(ws, [more_sources_row], widths)
    section_sizes = [(height(ws, [s.head], widths, measured=measured), sizes(s.lines)) for s in laid]
    keep = len(sources)

    def count() -> int:
        middle = [size for s, (head, lines) in zip(laid, section_sizes, strict=True)
                  for size in (head, *lines[:len(s.lines)], *([cut_size] if s.cut else []))]
        tail = [*sources[:keep], *([more_size] if keep < len(sources) else []), *after]
        header_at = len(before) + len(middle) + len(intro) - 1
        return pages([*before, *middle, *intro, *tail], repeat=(header_at, intro[-1]) if intro else None)

    total = count()
    while total > max_pages and keep > MIN_SOURCES:
        keep -= 1
        total = count()
    for section in reversed(laid):
        while total > max_pages and section.lines:
            section.lines.pop()
            section.cut += 1
            total = count()
    return keep, total


def fit_lines(text: str, width: float, lines: int) -> str:
    """``text`` cut at a word (with "…") to take at most ``lines`` printed lines in a column ``width`` wide."""
    if wrapped_lines(text, width, False) <= lines:
        return text
    words = text[: int(width * 3 * lines)].split(" ")  # no line holds more (the narrowest glyph is 0.45 wide)
    low, high = 1, len(words)
    while low < high:  # the most words that still fit
        mid = (low + high + 1) // 2
        if wrapped_lines(" ".join(words[:mid]) + "…", width, False) <= lines:
            low = mid
        else:
            high = mid - 1
    kept = " ".join(words[:low]).rstrip(",;:—- ")
    while len(kept) > 1 and wrapped_lines(kept + "…", width, False) > lines:  # one word too long
        kept = kept[: len(kept) * 3 // 4]
    return kept + "…"


def sections_of(run_sections: Any, vendor: Mapping[str, Any]) -> list[tuple[str, VendorSection]]:
    """The plugins' sections for ``vendor`` (none without a hook caller)."""
    return list(run_sections(vendor)) if run_sections is not None else []
