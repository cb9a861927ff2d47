"""Summary (the active sheet): one row per vendor, tier colours, area scores, a bar chart of the scores."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break

from ... import __version__
from ...xlsx_text import safe_text
from ..areas import area_label
from ..book import Book
from ..charts import chart_rows, score_bar_chart
from ..layout import Col, Grid
from ..naming import unique_headers
from ..registry import Run, SheetSpec
from ..styles import TIER_COLOURS
from ..values import bullets, humanise, num
from ..wording import gates_text

#: Bars in the Summary chart (one printed page); beyond it the chart shows the first vendors by id.
SUMMARY_CHART_LIMIT = 30


def write(book: Book, ws: Any, run: Run) -> None:
    _write_summary(book, ws, run.vendors, run.vendor_titles, run.areas, run.vendor_sheet_limit,
                   run.titles.get("input_errors"))


SHEET = SheetSpec(key="summary", order=10, title="Summary", write=write, header_rows=None, gridlines=False,
                  active=True)


def _write_summary(book: Book, ws: Any, vendors: Sequence[Mapping[str, Any]],
                   titles: Sequence[str | None], areas: Sequence[str], limit: int,
                   errors_title: str | None) -> None:
    results = book.results
    changes = any(isinstance(v.get("change"), Mapping) for v in vendors)
    headers = ["Vendor", "Overall score", *(["Change"] if changes else []), "Tier", "Recommendation",
               "Confidence", *[area_label(a) for a in areas], "Checks scored", "Gates triggered",
               "Top risks", "Vendor id"]
    headers = unique_headers(headers)
    n_areas = len(areas)
    first_area_col = 6 + int(changes)
    cols = [Col(18, 44), Col(9, 9), *([Col(12, 14)] if changes else []), Col(10, 10), Col(15, 24),
            Col(11, 11), *[Col(10, 12) for _ in areas], Col(9, 9), Col(16, 30), Col(30, 52),
            Col(12, 24)]
    grid = Grid(ws, cols)
    tool = _m if isinstance(_m := results.get("tool"), Mapping) else {}
    policy_name = book.policy.get("name") or "Default policy"
    grid.add([book.text(ws, "Vendor due-diligence scorecard", "title")], measure=False)
    ws.row_dimensions[1].height = 24
    grid.add([book.text(ws, f"As of {book.as_of.isoformat()}   ·   Policy: {safe_text(policy_name, 200)}   ·   "
                            f"Vendors assessed: {len(vendors)}   ·   "
                            f"{tool.get('name', 'vendordd')} {tool.get('version', __version__)}", "subtitle")],
             measure=False)
    notes = []
    errors = results.get("errors") or []
    if errors and errors_title:
        files = sorted({str(e.get("file")) for e in errors if isinstance(e, Mapping)})
        notes.append(("warn_link", f"{len(files)} input file(s) were rejected and are not assessed: "
                                   f"see the '{errors_title}' sheet."))
    if len(vendors) > limit:
        notes.append(("alert", f"Only the first {limit:,} of {len(vendors):,} vendors (by id) have their own "
                              f"sheet; the Findings and Evidence sheets cover every vendor."))
    notes.append(("note", "Scores run from 0 to 100, higher is safer. n/a: no check in that area had enough "
                          "evidence to score. Click a vendor's name to open its sheet."))
    for kind, note in notes:
        if kind == "warn_link":
            grid.add([book.goto(ws, note, errors_title, style="alert_link", plain="alert")], measure=False)
        else:
            grid.add([book.text(ws, note, kind)], measure=False)
    grid.blank()
    header_row = grid.add([book.text(ws, h, "header") for h in headers], measure=False)
    labels, values, ratings = [], [], []
    for vendor, title in zip(vendors, titles, strict=True):
        overall = _m if isinstance(_m := vendor.get("overall"), Mapping) else {}
        vendor_areas = _m if isinstance(_m := vendor.get("areas"), Mapping) else {}
        name = vendor.get("name") or vendor.get("id") or "?"
        scored, total = overall.get("scored_checks"), overall.get("total_checks")
        checks_text = f"{scored} of {total}" if scored is not None and total is not None else ""
        tier = overall.get("tier")
        grid.add([
            book.goto(ws, name, title, style="link_bold", plain="bold"),
            book.number(ws, overall.get("score")),
            *([book.text(ws, _change_text(vendor.get("change")), "center")] if changes else []),
            book.rating(ws, tier),
            book.text(ws, humanise(overall.get("recommendation")), "wrap"),
            book.number(ws, overall.get("confidence"), "pct"),
            *[book.number(ws, vendor_areas.get(a)) for a in areas],
            book.text(ws, checks_text, "center"),
            book.text(ws, gates_text(book, overall), "wrap"),
            book.text(ws, bullets(vendor.get("top_risks")), "wrap"),
            book.text(ws, vendor.get("id"), "text"),
        ])
        labels.append(safe_text(name))
        values.append(num(overall.get("score")))
        ratings.append(tier if tier in TIER_COLOURS else None)
    last_row = grid.next_row - 1
    if not vendors:
        grid.add([book.text(ws, "No vendor was assessed.", "note")], measure=False)
    n_chart_rows = 0
    if vendors:
        grid.blank()
        n_chart_rows = chart_rows(_summary_chart_height(len(vendors)))
        grid.blank(n_chart_rows)
    grid.flush(freeze=f"B{header_row + 1}")
    last_col = grid.last_col_letter
    ws.print_title_rows = f"{header_row}:{header_row}"
    if vendors:
        book.add_table(ws, "tbl_Summary", headers, header_row, last_row)
        first, end = header_row + 1, last_row
        book.score_bands(ws, f"B{first}:B{end}")
        book.score_bands(ws, f"{get_column_letter(first_area_col)}{first}:"
                             f"{get_column_letter(first_area_col + n_areas - 1)}{end}")
        shown = min(len(vendors), SUMMARY_CHART_LIMIT)
        if len(vendors) > 12:  # the table fills a page: start the chart on a fresh one
            ws.row_breaks.append(Break(id=last_row + 1))
        chart = score_bar_chart(
            ws, title="Overall score by vendor (0-100, higher is safer)" if shown == len(vendors)
            else f"Overall score: first {shown} of {len(vendors)} vendors by id",
            label_col=1, value_col=2, first_row=first, labels=labels[:shown], values=values[:shown],
            ratings=ratings[:shown], series_name="Overall score")
        chart.width = 22
        chart.height = _summary_chart_height(shown)
        ws.add_chart(chart, f"A{last_row + 2}")
    ws.print_area = f"A1:{last_col}{grid.next_row - 1}"


def _change_text(change: Any) -> str:
    """An arrow and the score delta since the baseline ("▼ -12.4"), or why there is none."""
    if not isinstance(change, Mapping):
        return ""
    if change.get("status") == "new":
        return "new"
    delta = num(change.get("score_delta"))
    tier = f" (was {change['tier_before']})" if change.get("tier_before") else ""
    if not delta:
        return "unchanged" if delta == 0 else f"n/a{tier}"
    return f"{'▲' if delta > 0 else '▼'} {delta:+.1f}{tier if change.get('got_worse') else ''}"


def _summary_chart_height(count: int) -> float:
    """Centimetres: about 0.9 cm a bar, so that the chart fits one printed page."""
    return 4.0 + 0.9 * min(count, SUMMARY_CHART_LIMIT)
