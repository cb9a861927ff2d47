"""One sheet per vendor: header block, area scores and chart, every check, the evidence cited."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from openpyxl.cell.cell import Cell

from ...model import rating_for
from ..areas import AREA_ORDER, area_label
from ..book import Book
from ..charts import chart_rows, score_bar_chart
from ..layout import Col, Grid
from ..registry import Run, SheetSpec
from ..values import STATUS_LABELS, bullets, humanise, num, override_text, sorted_by_id
from ..wording import gates_text
from .evidence import SOURCE_HEADERS, source_cells


def write(book: Book, ws: Any, run: Run, vendor: Mapping[str, Any], index: int) -> None:
    _write_vendor(book, ws, vendor, run.titles["summary"] or "Summary", run.areas, index)


SHEET = SheetSpec(key="vendor", order=30, write=write, per_vendor=True, header_rows="1:2", gridlines=False)


_CHECK_HEADERS = ["Check", "Area", "Status", "Score", "Rating", "Confidence", "Summary", "Rationale",
                  "Recommendations", "Weight", "Weighted contribution", "Sources", "Override / error"]
# The checks table and the evidence table share these columns (see SOURCE_HEADERS): the
# narrow ones first, the long texts in G-I; about 280 characters wide, so that a
# landscape page still prints at a readable scale.
_VENDOR_COLS = [Col(20, 30), Col(11, 14), Col(11, 17), Col(8, 8), Col(10, 15), Col(11, 16),
                Col(26, 38), Col(34, 48), Col(26, 38), Col(8, 8), Col(13, 13), Col(9, 12), Col(18, 32)]


def _check_row(book: Book, ws: Any, check: Mapping[str, Any]) -> list[Cell | None]:
    status = str(check.get("status") or "")
    status_style = {"ok": "text", "error": "warn"}.get(status, "na_left")
    note = "\n".join(t for t in (override_text(check.get("override")),
                                 f"Error: {check['error']}" if check.get("error") else "") if t)
    return [
        book.text(ws, check.get("title") or check.get("id"), "bold"),
        book.text(ws, area_label(str(check.get("category") or "")), "wrap"),
        book.text(ws, STATUS_LABELS.get(status, humanise(status)), status_style),
        book.number(ws, check.get("score")),
        book.rating(ws, check.get("rating")),
        book.number(ws, check.get("confidence"), "pct"),
        book.text(ws, check.get("summary"), "wrap"),
        book.text(ws, bullets(check.get("rationale")), "wrap"),
        book.text(ws, bullets(check.get("recommendations")), "wrap"),
        book.number(ws, check.get("weight"), "weight", missing=None),
        book.number(ws, check.get("weighted_contribution"), "score", missing=None),
        book.text(ws, ", ".join(str(s) for s in check.get("sources") or ()), "wrap"),
        book.text(ws, note, "warn" if check.get("error") else "wrap"),
    ]


def _write_vendor(book: Book, ws: Any, vendor: Mapping[str, Any], summary_title: str,
                  areas: Sequence[str], index: int) -> None:
    grid = Grid(ws, _VENDOR_COLS)
    overall = _m if isinstance(_m := vendor.get("overall"), Mapping) else {}
    checks = sorted_by_id(vendor.get("checks"))
    titles = {str(c.get("id")): str(c.get("title") or c.get("id")) for c in checks}
    grid.add([book.goto(ws, "← Summary", summary_title, style="nav", plain="note")], measure=False)
    grid.add([book.text(ws, vendor.get("name") or vendor.get("id"), "title")], measure=False)
    ws.row_dimensions[2].height = 24
    block_start = grid.next_row + 1
    grid.blank()

    def pair(label: str, value: Cell | None) -> int:
        return grid.add([book.text(ws, label, "label"), value], measure=False)

    pair("Overall score", book.number(ws, overall.get("score"), "score_big", missing_style="na_left"))
    pair("Tier", book.rating(ws, overall.get("tier")))
    pair("Recommendation", book.text(ws, humanise(overall.get("recommendation")), "value_bold"))
    pair("Confidence", book.number(ws, overall.get("confidence"), "pct_left", missing_style="na_left"))
    scored, total = overall.get("scored_checks"), overall.get("total_checks")
    if scored is not None and total is not None:
        pair("Checks scored", book.text(ws, f"{scored} of {total}", "value"))
    gates = [g for g in overall.get("gates") or () if isinstance(g, Mapping)]
    pair("Gates", book.text(ws, "; ".join(gates_text(book, {"gates": [g]}) for g in gates) or "none",
                            "alert" if gates else "value"))
    reasons = [r for r in overall.get("reasons") or () if r not in (None, "")]
    for idx, reason in enumerate(reasons or ["—"]):
        grid.add([book.text(ws, "Reasons" if idx == 0 else "", "label"), book.text(ws, reason, "value")],
                 measure=False)
    grid.blank()
    pair("Legal name", book.text(ws, vendor.get("legal_name") or "—", "value"))
    pair("Headquarters", book.text(ws, vendor.get("headquarters") or "—", "value"))
    website = vendor.get("website")
    pair("Website", book.link(ws, website or "—", website, style="nav", plain="value"))
    pair("Vendor id", book.text(ws, vendor.get("id"), "value"))
    pair("Profile date", book.date(ws, vendor.get("profile_date")) or book.text(ws, "—", "value"))
    pair("Assessed as of", book.date(ws, book.as_of.isoformat()))
    pair("Source file", book.text(ws, vendor.get("source_file") or "—", "value"))
    for idx, warning in enumerate(vendor.get("warnings") or ()):
        grid.add([book.text(ws, "Warnings" if idx == 0 else "", "label"), book.text(ws, warning, "value")],
                 measure=False)
    grid.blank()
    grid.add([book.text(ws, "Area scores", "section")], measure=False)
    vendor_areas = _m if isinstance(_m := vendor.get("areas"), Mapping) else {}
    shown_areas = [a for a in areas if a in vendor_areas] or list(AREA_ORDER)
    area_first = grid.next_row
    for area in shown_areas:
        grid.add([book.text(ws, area_label(area), "label"), book.number(ws, vendor_areas.get(area))],
                 measure=False)
    area_last = grid.next_row - 1
    chart_height = max(6.5, 1.6 + 1.0 * len(shown_areas))
    # The chart sits to the right of the header block; pad so it ends before the checks.
    chart_end = block_start + chart_rows(chart_height)
    grid.blank(max(1, chart_end - grid.next_row + 1))

    grid.add([book.text(ws, "Checks", "section")], measure=False)
    check_header = grid.add([book.text(ws, h, "header") for h in _CHECK_HEADERS], measure=False)
    for check in checks:
        grid.add(_check_row(book, ws, check))
    check_last = grid.next_row - 1
    if not checks:
        grid.add([book.text(ws, "No check ran for this vendor.", "note")], measure=False)
    grid.blank()
    grid.add([book.text(ws, "Evidence cited", "section")], measure=False)
    source_header = grid.add([book.text(ws, h, "header") for h in SOURCE_HEADERS], measure=False)
    sources = sorted_by_id(vendor.get("sources"))
    for source in sources:
        title_c, kind_c, published_c, id_c, stale_c, publisher_c, url_c, used_c = \
            source_cells(book, ws, source, titles)
        # In the order of SOURCE_HEADERS: the id in the wider column F, "Stale" fits in D.
        grid.add([title_c, kind_c, published_c, stale_c, publisher_c, id_c, url_c, used_c])
    source_last = grid.next_row - 1
    if not sources:
        grid.add([book.text(ws, "The profile cites no sources.", "note")], measure=False)
    grid.flush()
    book.add_table(ws, f"tbl_Checks_{index}", _CHECK_HEADERS, check_header, check_last)
    book.add_table(ws, f"tbl_Sources_{index}", SOURCE_HEADERS, source_header, source_last)
    if check_last > check_header:
        book.score_bands(ws, f"D{check_header + 1}:D{check_last}")
    book.score_bands(ws, f"B{area_first}:B{area_last}")
    scores = [num(vendor_areas.get(a)) for a in shown_areas]
    chart = score_bar_chart(
        ws, title="Area scores (0-100, higher is safer)", label_col=1, value_col=2, first_row=area_first,
        labels=[area_label(a) for a in shown_areas], values=scores,
        ratings=[None if s is None else rating_for(s, book.bands) for s in scores], series_name="Area score")
    chart.width, chart.height = 14, chart_height
    ws.add_chart(chart, f"H{block_start}")
    ws.print_title_rows = "1:2"
    ws.print_area = f"A1:{grid.last_col_letter}{grid.next_row - 1}"
