"""Findings: one row per vendor and check, a flat table for filters and pivots."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .. import layout
from ..areas import area_label
from ..book import Book
from ..layout import Col, Grid
from ..registry import Run, SheetSpec
from ..values import STATUS_LABELS, bullets, humanise, override_text, sorted_by_id


def write(book: Book, ws: Any, run: Run) -> None:
    _write_findings(book, ws, run.vendors)


#: For filtering on screen; printed at a readable scale (several pages across, the vendor's
#: name repeated on each), never squeezed onto one page width.
SHEET = SheetSpec(key="findings", order=40, title="Findings", write=write, print_scale=80)


_FINDING_HEADERS = ["Vendor id", "Vendor", "Check id", "Check", "Area", "Status", "Score", "Rating",
                    "Confidence", "Weight", "Weighted contribution", "Summary", "Rationale", "Recommendations",
                    "Sources", "Override", "Error"]


def _write_findings(book: Book, ws: Any, vendors: Sequence[Mapping[str, Any]]) -> None:
    cols = [Col(12, 22), Col(16, 28), Col(14, 24), Col(16, 26), Col(10, 14), Col(10, 17),
            Col(8, 8), Col(9, 10), Col(11, 11), Col(8, 8), Col(13, 13), Col(26, 38), Col(30, 50),
            Col(26, 38), Col(9, 14), Col(18, 32), Col(12, 32)]
    grid = Grid(ws, cols, stream_after=layout.STREAM_AFTER_ROWS, freeze="C2")
    grid.add([book.text(ws, h, "header") for h in _FINDING_HEADERS], measure=False)
    same = book.repeated(ws)
    for vendor in vendors:
        name = vendor.get("name") or vendor.get("id")
        for check in sorted_by_id(vendor.get("checks")):
            status = str(check.get("status") or "")
            rating = check.get("rating")
            grid.add([
                same.text(vendor.get("id")),
                same.text(name, "wrap"),
                same.text(check.get("id")),
                same.text(check.get("title"), "wrap"),
                same.text(area_label(str(check.get("category") or "")), "wrap"),
                same.text(STATUS_LABELS.get(status, humanise(status)),
                          {"ok": "text", "error": "warn"}.get(status, "na_left")),
                book.number(ws, check.get("score"), missing=None),
                same.rating(rating) if rating else None,
                book.number(ws, check.get("confidence"), "pct", missing=None),
                book.number(ws, check.get("weight"), "weight", missing=None),
                book.number(ws, check.get("weighted_contribution"), missing=None),
                book.text(ws, check.get("summary"), "wrap"),
                book.text(ws, bullets(check.get("rationale")), "wrap"),
                book.text(ws, bullets(check.get("recommendations")), "wrap"),
                book.text(ws, ", ".join(str(s) for s in check.get("sources") or ()), "wrap"),
                same.text(override_text(check.get("override")), "wrap"),
                same.text(check.get("error"), "warn"),
            ])
    last = grid.next_row - 1
    grid.flush(freeze="C2")
    book.add_table(ws, "tbl_Findings", _FINDING_HEADERS, 1, last)
    if last > 1:
        book.score_bands(ws, f"G2:G{last}")
    ws.print_area = f"A1:{grid.last_col_letter}{max(last, 1)}"
    ws.print_title_cols = "B:B"
