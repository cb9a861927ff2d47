"""Summary (the active sheet): the decision, one printed page.

Per vendor, worst first: the verdict, the tier and whole-number score, with
portfolio engagements the use that sets the verdict (the vendor's worst
engagement, and the verdict of the vendor alone where it differs), the
reasons that drive the verdict (gates, missing evidence, confidence), the
actions or conditions, the area scores and the profile date with a stale
flag (and "overdue" when one of its engagements is overdue for review). Above the table: the tally of verdicts and the colour legend. The
table is an Excel table (filters); a bar chart of the scores sits below the
printed area. For up to :data:`ONE_PAGE_VENDORS` vendors the sheet prints on
one landscape page; beyond that it prints one page wide.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from openpyxl.utils import get_column_letter

from ... import __version__
from ...verdicts import tally, verdict_label
from ...xlsx_text import safe_text, text_width
from ..areas import area_label
from ..book import Book
from ..charts import chart_rows, score_bar_chart
from ..layout import Col, Grid
from ..naming import unique_headers
from ..registry import Run, SheetSpec
from ..styles import TIER_COLOURS
from ..values import bullets, mapping, num
from ..wording import (
    action_lines,
    is_stale,
    overall_of,
    reason_lines,
    severity_key,
)

#: Bars in the Summary chart; beyond it the chart shows the worst vendors.
SUMMARY_CHART_LIMIT = 30
#: Up to this many vendors the Summary is fitted to one printed page.
ONE_PAGE_VENDORS = 12

_LEGEND = (("low", "Low risk"), ("medium", "Medium risk"), ("high", "High risk"), ("critical", "Critical risk"))


def write(book: Book, ws: Any, run: Run) -> None:
    vendors, titles = run.vendors, run.vendor_titles
    # Sort keys in one pass: a big run's vendors are decoded on each read, never all held.
    keys = sorted((severity_key(vendor), idx) for idx, vendor in enumerate(vendors))
    order = [idx for _key, idx in keys]
    _write(book, ws, run, order, titles)


SHEET = SheetSpec(key="summary", order=10, title="Summary", write=write, header_rows=None, gridlines=False,
                  active=True)


def _write(book: Book, ws: Any, run: Run, order: Sequence[int], titles: Sequence[str | None]) -> None:
    results, vendors, areas = book.results, run.vendors, run.areas
    policy = book.policy
    changes = any(isinstance(v.get("change"), Mapping) for v in vendors)
    uses = bool(results.get("engagements"))
    headers = unique_headers(["Vendor", "Verdict", "Tier", "Score", *(["Change"] if changes else []),
                              *(["Use judged"] if uses else []),
                              "Why", "Actions", *[area_label(a) for a in areas], "Profile date"])
    first_area_col = 7 + int(changes) + int(uses)
    area_cols = [Col(6, 6) for _ in areas]  # their headers read upwards
    # With the Use column, the vendor names, reasons and actions give up its width: the page keeps
    # its print scale (tests/test_print.py). A name is a link, which LibreOffice draws on one line
    # (Excel wraps it): 19.5 keeps names such as "Alibaba Cloud (Qwen)" off the Verdict column.
    name_width = 19.5 if uses else 22
    cols = [Col(14, name_width), Col(13, 13), Col(9, 9), Col(7, 7), *([Col(12, 12)] if changes else []),
            *([Col(14, 14)] if uses else []), Col(*[46.5 if uses else 48] * 2), Col(*[37 if uses else 40] * 2),
            *area_cols, Col(10.5, 10.5)]
    grid = Grid(ws, cols)
    tool = mapping(results.get("tool"))
    policy_name = safe_text(policy.get("name") or "Default policy", 200)
    legend_idx = 5 + int(changes) + int(uses)  # the legend sits in the wide Actions column, top right

    def head_row(cell: Any, legend: Any = None) -> None:
        row: list[Any] = [cell]
        if legend is not None:
            row += [None] * (legend_idx - 1) + [legend]
        grid.add(row, measure=False)

    legend = [book.text(ws, f"{label}: score {_band_text(book, key)}", f"tier_{key}_left")
              for key, label in _LEGEND]
    head = [book.text(ws, "Vendor due-diligence scorecard", "title"),
            book.text(ws, f"As of {book.as_of.isoformat()}  ·  Policy: {policy_name}  ·  "
                          f"{tool.get('name', 'vendordd')} {tool.get('version', __version__)}", "subtitle"),
            book.text(ws, tally(vendors), "tally"),
            *_notes(book, ws, run)]
    for idx in range(max(len(head), len(legend))):
        head_row(head[idx] if idx < len(head) else None, legend[idx] if idx < len(legend) else None)
    ws.row_dimensions[1].height = 24
    up = range(first_area_col - 1, first_area_col - 1 + len(areas))
    header_row = grid.add([book.text(ws, h, "header_up" if idx in up else "header") for idx, h in enumerate(headers)],
                          measure=False)
    tallest = max((text_width(area_label(a), bold=True) for a in areas), default=0.0)
    ws.row_dimensions[header_row].height = max(20, round(tallest * 5.6 + 8))  # points: a digit is ~5.6 pt
    labels: list[str] = []
    values: list[float | None] = []
    ratings: list[str | None] = []
    for idx in order:
        vendor, title = vendors[idx], titles[idx]
        overall = overall_of(vendor)
        vendor_areas = mapping(vendor.get("areas"))
        name = vendor.get("name") or vendor.get("id") or "?"
        tier = overall.get("tier")
        stale = is_stale(vendor, book.as_of, policy)
        overdue = bool(overall.get("overdue"))
        profile = str(vendor.get("profile_date") or "—")
        flags = [w for w, on in (("stale", stale), ("overdue", overdue)) if on]
        grid.add([
            book.goto(ws, name, title, style="link_bold", plain="bold"),
            book.text(ws, verdict_label(overall.get("recommendation")), "bold"),
            book.rating(ws, tier),
            book.number(ws, overall.get("score"), "score_narrow"),
            *([book.text(ws, _change_text(vendor.get("change")), "center")] if changes else []),
            *([book.text(ws, use_text(vendor), "wrap")] if uses else []),
            book.text(ws, bullets(reason_lines(book.check_titles, vendor, policy, brief=True)), "wrap"),
            book.text(ws, bullets(action_lines(book.check_titles, vendor, policy, limit=2, width=80)), "wrap"),
            *[book.number(ws, vendor_areas.get(a), "score_narrow") for a in areas],
            book.text(ws, "\n".join([profile, *flags]), "warn" if flags else "wrap"),
        ])
        if len(labels) < SUMMARY_CHART_LIMIT:
            labels.append(safe_text(name))
            values.append(num(overall.get("score")))
            ratings.append(tier if tier in TIER_COLOURS else None)
    last_row = grid.next_row - 1
    if not vendors:
        grid.add([book.text(ws, "No vendor was assessed.", "note")], measure=False)
    grid.blank()
    for note in ("Scores run from 0 to 100, higher is safer (the vendor sheets explain each). "
                 "n/a: no check in that area had enough evidence. Click a vendor's name to open its sheet.",
                 "Colours show the risk tier (area scores: the band of the score); a gate can raise a tier above "
                 f"its score's band. Stale: the profile is older than the policy's {_freshness(policy)} days"
                 + ("; overdue: older than an engagement's review cadence allows." if uses else ".")):
        grid.add([book.text(ws, note, "note")], measure=False)
    print_last = grid.next_row - 1
    chart_height = _summary_chart_height(len(labels))
    if vendors:
        grid.blank()
        grid.blank(chart_rows(chart_height))
    grid.flush(freeze=f"B{header_row + 1}")
    last_col = grid.last_col_letter
    ws.print_title_rows = f"{header_row}:{header_row}"
    if len(vendors) <= ONE_PAGE_VENDORS:
        ws.page_setup.fitToHeight = 1
    if vendors:
        book.add_table(ws, "tbl_Summary", headers, header_row, last_row)
        first = header_row + 1
        book.score_bands(ws, f"{get_column_letter(first_area_col)}{first}:"
                             f"{get_column_letter(first_area_col + len(areas) - 1)}{last_row}")
        shown = len(labels)
        chart = score_bar_chart(
            ws, title="Overall score by vendor, worst verdict first (0-100, higher is safer)"
            if shown == len(vendors) else f"Overall score: the {shown} worst of {len(vendors)} vendors",
            label_col=1, value_col=4, first_row=first, labels=labels, values=values, ratings=ratings,
            series_name="Overall score")
        chart.width = 22
        chart.height = chart_height
        # Below the printed page, over empty rows only (the grid left them blank).
        ws.add_chart(chart, f"A{print_last + 2}")
    ws.print_area = f"A1:{last_col}{print_last}"


#: Deployments in the narrow Use column.
_SHORT_DEPLOYMENT = {"hosted_api": "Hosted API", "cloud_marketplace": "Marketplace",
                     "self_hosted_weights": "Self-hosted"}


def use_text(vendor: Mapping[str, Any]) -> str:
    """The use that sets the verdict (``overall.worst_engagement``) in a few words, then the vendor
    alone's verdict where it differs: "customer-chat / Self-hosted / confidential /
    critical / Alone: Reject" (workload, deployment, data sensitivity, criticality); "Not engaged" for a vendor without engagements."""
    overall = overall_of(vendor)
    use = mapping(overall.get("worst_engagement"))
    if overall.get("basis") != "engagements" or not use:
        return "Not engaged"
    deployment = _SHORT_DEPLOYMENT.get(str(use.get("deployment")), str(use.get("deployment")))
    if use.get("hosting_provider"):
        deployment += f" ({use['hosting_provider']})"
    lines = [str(use["workload"])] if use.get("workload") else []
    lines += [deployment, str(use.get("data_sensitivity")), str(use.get("criticality"))]
    alone = mapping(vendor.get("unconditioned")).get("recommendation")
    if alone and alone != overall.get("recommendation"):
        lines.append(f"Alone: {verdict_label(alone)}")
    return "\n".join(lines)


def _notes(book: Book, ws: Any, run: Run) -> list[Any]:
    """Warnings under the tally: rejected input files, vendors without a sheet of their own."""
    ws_notes: list[Any] = []
    errors_title = run.titles.get("input_errors")
    if run.errors and errors_title:
        files = sorted({str(e.get("file")) for e in run.errors})
        ws_notes.append(book.goto(ws, f"{len(files)} input file(s) were rejected and are not assessed: "
                                      f"see the '{errors_title}' sheet.", errors_title, style="alert_link",
                                  plain="alert"))
    limit = run.vendor_sheet_limit
    if len(run.vendors) > limit:
        ws_notes.append(book.text(ws, f"Only the first {limit:,} of {len(run.vendors):,} vendors (by id) have "
                                      f"their own sheet; the Findings and Evidence sheets cover every vendor.",
                                  "alert"))
    return ws_notes


def _freshness(policy: Mapping[str, Any]) -> str:
    days = num(policy.get("freshness_days"))
    return f"{days:g}" if days is not None else "365"


def _band_text(book: Book, key: str) -> str:
    low, medium, high = (book.bands[k] for k in ("low", "medium", "high"))
    return {"low": f"{low:g}-100", "medium": f"{medium:g}-{low:g}", "high": f"{high:g}-{medium:g}",
            "critical": f"below {high:g}"}[key]


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
    """Centimetres: about 0.9 cm a bar."""
    return 4.0 + 0.9 * min(max(count, 1), SUMMARY_CHART_LIMIT)
