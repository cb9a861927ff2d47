"""The plugins' sections on a vendor's sheet (the ``vendor_sheet_section`` hook), laid out and budgeted.

A section is laid out in the vendor sheet's own columns and styles: its title
(and note) on one row, then one row per :class:`vendordd.sections.SectionRow`
(label in A, rating in B, score in C, text in D, detail in E), each text cut
to a few printed lines, at most :data:`vendordd.sections.MAX_SECTION_ROWS`
rows. The vendor sheet prints on two pages (tests/test_print.py); sections
must not change that, so :func:`fit` makes room within a page budget, first
by listing fewer sources in the sheet's evidence table (the Evidence sheet
lists every one), then by cutting sections' last rows, each cut said in a
line of its own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl.cell.cell import Cell

from ..sections import MAX_SECTION_ROWS, VendorSection
from .book import Book
from .layout import row_height, wrapped_lines
from .openpyxl_internals import fonts_of

Row = list[Cell | None]

#: What two landscape Letter pages hold at the vendor sheet's 73 % scale, in the sheet's points
#: as :func:`height` counts them (rows without an explicit height at 15 pt). Measured with
#: LibreOffice on the example vendor sheets: page 1 + page 2 printed = 1,539 of these points for the
#: fullest two-page sheet, whose estimate is 1,555 (estimates run 9-16 points over what prints,
#: the room a page break leaves). 1,520 keeps a row's margin for the break between pages.
TWO_PAGES = 1520.0
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
    return [None, None, None, book.text(ws, f"… {count} more on the Evidence sheet (room made for the sections above)",
                                  "note_wrap")]


def height(ws: Any, rows: Sequence[Row], widths: Sequence[float], first_row: int | None = None) -> float:
    """The points ``rows`` take, as the sheet will set them (``first_row``: where they start, for
    heights already set on the sheet)."""
    fonts = fonts_of(ws.parent)
    total = 0.0
    for offset, row in enumerate(rows):
        dims = ws.row_dimensions.get(first_row + offset) if first_row is not None else None
        fixed = dims.height if dims is not None else None
        total += fixed if fixed is not None else (row_height(row, widths, fonts) or DEFAULT_ROW)
    return total


def fit(ws: Any, *, used: float, sources: list[Row], laid: list[Laid], widths: Sequence[float],
        cut_row: Row, more_sources_row: Row, budget: float = TWO_PAGES) -> tuple[int, float]:
    """Make the sections fit: how many ``sources`` rows to keep, and the points still over.

    ``used`` is the sheet's height without sections (the source rows
    included); with its sections it must stay within ``budget``. Sources are
    dropped from the end (down to :data:`MIN_SOURCES`, plus one line
    pointing at the Evidence sheet), then each section, last first, loses
    its last lines (its ``cut`` grows; ``cut_row`` says so, as
    ``more_sources_row`` does for the sources; both only measured here). Returns the sources
    to keep and the points still over (0 when it fits; more only when the
    sheet was too long for two pages before any section).
    """
    cut_height, more_height = height(ws, [cut_row], widths), height(ws, [more_sources_row], widths)
    extra = sum(height(ws, [s.head, *s.lines], widths) + (cut_height if s.cut else 0) for s in laid)
    over = used + extra - budget
    keep = len(sources)
    while over > 0 and keep > MIN_SOURCES:
        saved = height(ws, [sources[keep - 1]], widths) - (more_height if keep == len(sources) else 0)
        keep -= 1
        over -= saved
    for section in reversed(laid):
        while over > 0 and section.lines:
            gone = section.lines.pop()
            over -= height(ws, [gone], widths) - (0 if section.cut else cut_height)
            section.cut += 1
    return keep, max(over, 0.0)


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
