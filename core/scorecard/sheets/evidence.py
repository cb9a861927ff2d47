"""Evidence: every source of every vendor, a flat table for filters (the vendor sheets share its cells)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from openpyxl.cell.cell import Cell

from .. import layout
from ..book import Book, RepeatedCells
from ..layout import Col, Grid
from ..registry import Run, SheetSpec
from ..values import bullets, humanise, sorted_by_id

SOURCE_HEADERS = ["Title", "Kind", "Published", "Stale", "Publisher", "Id", "URL", "Used by"]


def source_kind(kind: Any) -> str:
    """A source's kind in words (``self_reported`` -> "Self reported")."""
    return humanise(kind)


def write(book: Book, ws: Any, run: Run) -> None:
    _write_evidence(book, ws, run.vendors)


#: For filtering on screen; printed at a readable scale (several pages across, the vendor's
#: name repeated on each), never squeezed onto one page width.
SHEET = SheetSpec(key="evidence", order=50, title="Evidence", write=write, print_scale=80)


def source_cells(book: Book, ws: Any, source: Mapping[str, Any], check_titles: Mapping[str, str],
                 repeated: RepeatedCells | None = None,
                 texts: dict[tuple[str, ...], str] | None = None) -> list[Cell | None]:
    """A source's cells: title, kind, published, id, stale, publisher, URL (linked), used by.

    ``repeated`` (:meth:`Book.repeated` of ``ws``) makes the cells whose text sources share;
    ``texts`` (a dict kept for one vendor's ``check_titles``) remembers the "used by" text of
    each list of check ids (a vendor's sources share a few)."""
    same = repeated or book.repeated(ws)
    url = source.get("url")
    used_by = _used_by(source.get("used_by"), check_titles, texts)
    stale = source.get("stale")
    return [
        book.text(ws, source.get("title") or source.get("id"), "wrap"),
        same.text(humanise(source.get("kind")), "wrap"),
        same.date(source.get("published")) or same.text("undated", "na_left"),
        same.text(source.get("id"), "wrap"),
        same.text("Stale", "warn") if stale else same.text("No", "text"),
        same.text(source.get("publisher"), "wrap"),
        book.link(ws, url or "", url) if url else same.text("no URL", "na_left"),
        same.text(used_by, "wrap"),
    ]


def _used_by(ids: Any, check_titles: Mapping[str, str], texts: dict[tuple[str, ...], str] | None) -> str:
    """:func:`used_by_text` of the titles of the checks ``ids`` names, remembered in ``texts`` by the ids
    as text (1 and True, equal as keys, are "1" and "True")."""
    key = tuple(map(str, ids or ()))
    text = texts.get(key) if texts is not None else None
    if text is None:
        text = used_by_text(tuple(check_titles.get(c, c) for c in key))
        if texts is not None:
            texts[key] = text
    return text


def used_by_text(titles: tuple[str, ...]) -> str:
    """The titles of the checks that used a source, one bulleted line each when there are several.

    Remembered: a run's sources share a few combinations of checks.
    """
    text = _USED_BY.get(titles)
    if text is None:
        text = bullets(titles) if len(titles) > 1 else ", ".join(titles)
        if len(_USED_BY) < 10_000:
            _USED_BY[titles] = text
    return text


_USED_BY: dict[tuple[str, ...], str] = {}


_EVIDENCE_HEADERS = ["Vendor id", "Vendor", "Source id", "Title", "Publisher", "Published", "Kind", "Stale",
                     "Used by", "URL", "Origin"]


def origin(source: Mapping[str, Any]) -> str:
    """``Collected (huggingface, 2026-03-10)`` for a source vendordd collect wrote, else ``Entered``."""
    mark = source.get("collected")
    if mark is None or not isinstance(mark, Mapping):  # None first: most sources were entered
        return "Entered"
    return f"Collected ({', '.join(str(v) for v in (mark.get('source'), mark.get('date')) if v)})"


def _write_evidence(book: Book, ws: Any, vendors: Sequence[Mapping[str, Any]]) -> None:
    cols = [Col(12, 24), Col(16, 30), Col(9, 22), Col(24, 45), Col(14, 30), Col(11, 11),
            Col(10, 15), Col(7, 7), Col(20, 40), Col(24, 60), Col(10, 30)]
    grid = Grid(ws, cols, stream_after=layout.STREAM_AFTER_ROWS, freeze="C2")
    grid.add([book.text(ws, h, "header") for h in _EVIDENCE_HEADERS], measure=False)
    same = book.repeated(ws)
    for vendor in vendors:
        check_titles = {str(c.get("id")): str(c.get("title") or c.get("id"))
                        for c in sorted_by_id(vendor.get("checks"))}
        texts: dict[tuple[str, ...], str] = {}  # "used by" texts of this vendor's check titles
        for source in sorted_by_id(vendor.get("sources")):
            cells = source_cells(book, ws, source, check_titles, same, texts)
            title_c, kind_c, published_c, id_c, stale_c, publisher_c, url_c, used_c = cells
            grid.add([same.text(vendor.get("id")),
                      same.text(vendor.get("name") or vendor.get("id"), "wrap"),
                      id_c, title_c, publisher_c, published_c, kind_c, stale_c, used_c, url_c,
                      same.text(origin(source), "wrap")])
    last = grid.next_row - 1
    grid.flush(freeze="C2")
    book.add_table(ws, "tbl_Evidence", _EVIDENCE_HEADERS, 1, last)
    ws.print_area = f"A1:{grid.last_col_letter}{max(last, 1)}"
    ws.print_title_cols = "B:B"
