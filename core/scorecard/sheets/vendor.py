"""One sheet per vendor, a report that prints: the verdict and its reasons first, then every check
in plain words with its arithmetic in a column of its own, then the evidence cited.

Layout (columns A-F, about 178 characters wide: one landscape page wide at 8 pt or more):

* rows 1-3: a link back to the Summary, the vendor's name, who the vendor is;
* the verdict block (A-D): verdict, tier and score; why; what to do; confidence; profile date
  (stale flag); website; then the area scores. The area chart sits beside it in E-F, anchored
  over exactly those cells, which the block leaves empty (so it covers no text);
* checks, worst first: a line per check (title, rating, score, finding, weight and
  contribution), then its rationale (plain words in D, arithmetic in E), what to do, the
  sources it relied on;
* the plugins' sections (the ``vendor_sheet_section`` hook; vendor_sections.py);
* the evidence table (an Excel table), whose header row repeats on every printed page after
  the one it starts on. The sheet prints on two pages, A4 or Letter: when it would not, the
  table lists fewer sources, with a line pointing at the Evidence sheet (vendor_sections.fit).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from openpyxl.cell.cell import Cell

from ...model import rating_for
from ...verdicts import verdict_label
from ...xlsx_text import text_width
from .. import vendor_sections as sections
from ..areas import area_label
from ..book import Book
from ..charts import score_bar_chart
from ..layout import (
    UNMEASURED,
    Col,
    Grid,
    Unmeasured,
    chars_that_must_go,
    estimable,
    fits_one_line,
    surely_wider_than_a_line,
    words_that_may_fit,
    wrapped_lines,
)
from ..openpyxl_internals import cell_range_anchor
from ..registry import Run, SheetSpec
from ..values import STATUS_LABELS, humanise, mapping, num, override_text, sorted_by_id
from ..wording import (
    TIER_ORDER,
    action_lines,
    confidence_shortfall,
    is_stale,
    plain_rationale,
    reason_lines,
    use_judged,
)
from .evidence import source_kind

#: A label column, a rating, a score, the wide text column, the arithmetic (and URL) column,
#: a narrow last one: about 175 characters, one landscape page wide at 8 pt or more.
_COLS = [Col(12, 12), Col(10, 10), Col(7.5, 7.5), Col(73, 73), Col(65, 65), Col(14, 14)]
#: Printed at this scale, not fitted: 11 pt text prints at 8 pt, and the columns above fit a
#: landscape A4 or Letter page (LibreOffice: about 6 pt a width unit, 1,040 pt in all at 100 %).
PRINT_SCALE = 73
_EVIDENCE_HEADERS = ["Published", "Kind", "Link", "Title", "URL", "Used by"]
_URL_SCHEME = re.compile(r"^https?://(www\.)?", re.IGNORECASE)
#: Rows of the facts block beside the chart, at least, so that the chart is tall enough to read.
_CHART_MIN_ROWS = 6


def write(book: Book, ws: Any, run: Run, vendor: Mapping[str, Any], index: int) -> None:
    _write_vendor(book, ws, run, vendor, index)


SHEET = SheetSpec(key="vendor", order=30, write=write, per_vendor=True, header_rows=None, gridlines=False,
                  print_scale=PRINT_SCALE)


def _write_vendor(book: Book, ws: Any, run: Run, vendor: Mapping[str, Any], index: int) -> None:
    grid = Grid(ws, _COLS)
    overall = mapping(vendor.get("overall"))
    policy = book.policy
    checks = sorted(sorted_by_id(vendor.get("checks")), key=_check_order)
    area_of = {str(c.get("id")): area_label(str(c.get("category") or "")) for c in checks}

    def row(label: str | None, *cells: Cell | None, text: Any = None, style: str = "wrap",
            right: Cell | None = None) -> int:
        """A block row: ``label`` in A, ``cells`` in B-C, ``text`` in D, ``right`` in E."""
        values: list[Cell | None] = [book.text(ws, label, "label") if label else None, *cells]
        values += [None] * (3 - len(values))
        values.append(book.text(ws, text, style) if text is not None else None)
        if right is not None:
            values.append(right)
        return grid.add(values, measure=False)

    grid.add([book.goto(ws, "← Summary", run.titles.get("summary") or "Summary", style="nav", plain="note")],
             measure=False)
    grid.add([book.text(ws, vendor.get("name") or vendor.get("id"), "title")], measure=False)
    ws.row_dimensions[2].height = 24
    who = [vendor.get("legal_name"), f"headquarters {vendor['headquarters']}" if vendor.get("headquarters") else None,
           f"vendor id {vendor.get('id')}", f"profile {vendor.get('source_file')}" if vendor.get("source_file") else None,
           f"assessed as of {book.as_of.isoformat()}"]
    website = vendor.get("website")
    site = _URL_SCHEME.sub("", website).rstrip("/") if isinstance(website, str) else ""
    grid.add([book.text(ws, "  ·  ".join(str(w) for w in who if w), "subtitle"), None, None, None, None,
              book.link(ws, site, website, style="link", plain="subtitle") if site else None], measure=False)

    # The verdict: why on the left (D), what to do on the right (E).
    reasons = reason_lines(book.check_titles, vendor, policy)
    actions = action_lines(book.check_titles, vendor, policy) or ["Nothing further: approve on the usual terms."]
    row("Verdict", book.rating(ws, overall.get("tier")), book.number(ws, overall.get("score"), "score_big_one"),
        text=verdict_label(overall.get("recommendation")) + use_judged(vendor), style="verdict",
        right=book.text(ws, "Conditions" if overall.get("recommendation") == "approve_with_conditions" else "What to do", "label"))
    for idx in range(max(len(reasons), len(actions))):
        row("Why" if idx == 0 else None, text=reasons[idx] if idx < len(reasons) else None,
            right=book.text(ws, actions[idx], "wrap") if idx < len(actions) else None)

    # Facts and area scores on the left, the area chart beside them (E-F).
    block_first = grid.next_row
    confidence = num(overall.get("confidence"))
    shortfall = confidence_shortfall(vendor, policy)
    scored, total = overall.get("scored_checks"), overall.get("total_checks")
    row("Confidence", text=(f"{confidence:.0%}" if confidence is not None else "n/a")
        + (f", {shortfall.split(' is ', 1)[1]}" if shortfall else "")
        + (f"; {scored} of {total} checks scored" if scored is not None and total is not None else ""),
        style="warn" if shortfall else "wrap")
    stale = is_stale(vendor, book.as_of, policy)
    profile = str(vendor.get("profile_date") or "not given")
    row("Profile date", text=profile + (f" — stale: older than the policy's {_freshness(policy)} days"
                                        if stale else ""), style="warn" if stale else "wrap")
    for idx, warning in enumerate(vendor.get("warnings") or ()):
        row("Warnings" if idx == 0 else None, text=warning, style="warn")
    vendor_areas = mapping(vendor.get("areas"))
    shown_areas = [a for a in run.areas if a in vendor_areas] or list(run.areas)
    area_first = grid.next_row
    for area in shown_areas:
        score = num(vendor_areas.get(area))
        rating = None if score is None else rating_for(score, book.bands)
        row(None, book.rating(ws, rating), book.number(ws, score, "score"), text=area_label(area), style="label")
    while grid.next_row - block_first < _CHART_MIN_ROWS:
        grid.blank()
    block_last = grid.next_row - 1

    grid.add([book.text(ws, "Checks, worst first", "section"), None, None,
              book.text(ws, "What each check found, and why (the arithmetic: Findings sheet)", "label"),
              book.text(ws, "Its weight and share of the score; → what to do about it", "label")], measure=False)
    shown = set(actions)  # said once: what the verdict block already asks for is not repeated below
    for check in checks:
        _check_rows(book, ws, grid, check, shown)
    if not checks:
        grid.add([book.text(ws, "No check ran for this vendor.", "note")], measure=False)
    sources = [s for s in sorted_by_id(vendor.get("sources")) if s.get("used_by")]
    unused = sum(1 for s in sorted_by_id(vendor.get("sources")) if not s.get("used_by"))
    intro: list[Cell | None] = [
        book.text(ws, "Evidence the checks relied on", "section"), None, None,
        book.text(ws, "A date in red: older than the policy's freshness window (stale). One line a source: "
                      "'open' follows the full link; the Evidence sheet lists every source whole"
                      + (f", and the {unused} the profile cites that no check used." if unused else "."),
                  "note_wrap")]
    header: list[Cell | None] = [book.text(ws, h, "header") for h in _EVIDENCE_HEADERS]
    source_rows = [_source_row(book, ws, source, area_of) for source in sources]
    empty = [[book.text(ws, "The profile cites no sources.", "note")]] if not sources else []

    # The plugins' sections (vendor_sheet_section), after the checks. The sheet prints on two pages
    # (A4 or Letter): when it would not, the evidence table lists fewer sources (the Evidence sheet
    # has them all), then the sections lose their last lines.
    fixed = grid.fixed_widths()  # the sheet's columns are fixed: the widths the grid writes with
    widths = fixed if fixed is not None else [col.max for col in _COLS]
    laid = sections.lay_out(book, ws, sections.sections_of(run.sections, vendor), widths)
    # The rows are measured once, for the page count; the grid is handed their heights.
    measured = sections.RowHeights(ws, widths)
    keep, _ = sections.fit(ws, sections.SheetRows(before=list(grid.rows), intro=[intro, header],
                                                  sources=source_rows, after=empty),
                           laid, widths, cut_row=sections.cut_line(book, ws, 99),
                           more_sources_row=sections.more_sources_line(book, ws, 99), measured=measured)
    known = measured.known if fixed is not None else (lambda cells: UNMEASURED)
    for row_idx, cells in enumerate(grid.rows, grid.next_row - len(grid.rows)):
        answer = known(cells)
        if not isinstance(answer, Unmeasured):
            grid.measured(row_idx, answer)
    for section in laid:
        grid.add(section.head, measure=False, height=known(section.head))
        for line in section.lines:
            grid.add(line, measure=False, height=known(line))
        if section.cut:
            grid.add(sections.cut_line(book, ws, section.cut), measure=False)

    grid.add(intro, measure=False, height=known(intro))
    source_header = grid.add(header, measure=False, height=known(header))
    for cells in source_rows[:keep]:
        grid.add(cells, measure=False, height=known(cells))
    source_last = grid.next_row - 1
    if keep < len(source_rows):
        grid.add(sections.more_sources_line(book, ws, len(source_rows) - keep), measure=False)
    for cells in empty:
        grid.add(cells, measure=False, height=known(cells))
    grid.flush()
    book.add_table(ws, f"tbl_Sources_{index}", _EVIDENCE_HEADERS, source_header, source_last)
    ws.print_title_rows = f"{source_header}:{source_header}"
    scores = [num(vendor_areas.get(a)) for a in shown_areas]
    if shown_areas:
        chart = score_bar_chart(
            ws, title="Area scores (0-100, higher is safer)", label_col=4, value_col=3, first_row=area_first,
            labels=[area_label(a) for a in shown_areas], values=scores,
            ratings=[None if s is None else rating_for(s, book.bands) for s in scores], series_name="Area score")
        ws.add_chart(chart, cell_range_anchor(5, block_first, 6, block_last))
    ws.print_area = f"A1:{grid.last_col_letter}{grid.next_row - 1}"


def _source_row(book: Book, ws: Any, source: Mapping[str, Any], area_of: Mapping[str, str]) -> list[Cell | None]:
    """One line of the evidence table: published, kind, link, title, URL, the areas that used it."""
    url = source.get("url")
    used = sorted({area_of.get(str(c), humanise(c)) for c in source.get("used_by") or ()})
    published = str(source.get("published") or "undated")
    return [
        book.text(ws, published, "warn" if source.get("stale") else "wrap"),
        book.text(ws, _KIND_SHORT.get(str(source.get("kind")), source_kind(source.get("kind"))), "wrap"),
        # LibreOffice draws a linked cell on one line: the link is a short word, the URL plain text.
        book.link(ws, "open", url, style="link", plain="na_left") if url else book.text(ws, "", "text"),
        book.text(ws, _one_line(_evidence_title(source), _COLS[3].max), "wrap"),
        book.text(ws, _short_url(url, _COLS[4].max) if url else "no URL", "wrap" if url else "na_left"),
        book.text(ws, ", ".join(used) if len(used) < 2 else f"{used[0]} +{len(used) - 1}", "wrap"),
    ]


def _check_order(check: Mapping[str, Any]) -> tuple[Any, ...]:
    """Worst first: rated checks by rating then score, then unscored ones, then by title."""
    rating = check.get("rating")
    rank = TIER_ORDER.index(rating) if rating in TIER_ORDER else len(TIER_ORDER)
    score = num(check.get("score"))
    return (rank, 101.0 if score is None else score, str(check.get("title") or check.get("id")))


def _check_rows(book: Book, ws: Any, grid: Grid, check: Mapping[str, Any], shown: set[str]) -> None:
    """Two rows: the finding (rating, score, title and summary, weight), then its reasons in plain
    words (D) beside what to do about it (E)."""
    status = str(check.get("status") or "")
    weight, contribution = num(check.get("weight")), num(check.get("weighted_contribution"))
    confidence = num(check.get("confidence"))
    facts = [f"weight {weight:g}" if weight is not None else None,
             f"adds {contribution:.1f} to the score" if contribution is not None else None,
             f"confidence {confidence:.0%}" if confidence is not None else None,
             STATUS_LABELS.get(status, humanise(status)) if status != "ok" else None]
    title = str(check.get("title") or check.get("id") or "")
    summary = " ".join(str(check.get("summary") or "").split())
    # A low-risk check's summary says enough here; its reasons are on the Findings sheet. Otherwise
    # the reasons, one a line, say what the summary would (so the heading is the title alone).
    low_risk = check.get("rating") == "low" and status == "ok"
    reasons = [] if low_risk else _capped(plain_rationale(check.get("rationale")), _MAX_REASONS, "reasons")
    heading = f"{title}: {summary}" if summary and not reasons else title
    grid.add([None, book.rating(ws, check.get("rating")), book.number(ws, check.get("score"), "score"),
              book.text(ws, heading, "bold"), book.text(ws, "; ".join(f for f in facts if f), "note_wrap")],
             measure=False)
    note = "\n".join(t for t in (override_text(check.get("override")),
                                 f"Error: {check['error']}" if check.get("error") else "") if t)
    if note:
        reasons.append(note)
    recommendations = _capped([r for r in check.get("recommendations") or () if r not in (None, "", *shown)],
                              _MAX_ACTIONS, "recommendations")
    # One reason (D) beside one recommendation (E) a row: short rows, so a page can break between them.
    style = "warn" if check.get("error") else "wrap"
    for idx in range(max(len(reasons), len(recommendations))):
        grid.add([None, None, None,
                  book.text(ws, f"• {reasons[idx]}", style) if idx < len(reasons) else None,
                  book.text(ws, f"→ {recommendations[idx]}", "wrap") if idx < len(recommendations) else None],
                 measure=False)


#: Lines of reasons and of recommendations a check shows on its vendor's sheet, so that the sheet
#: stays a two-page read; the rest is on the Findings sheet (and in the JSON), and the sheet says so.
_MAX_REASONS = 7
_MAX_ACTIONS = 3


def _evidence_title(source: Mapping[str, Any]) -> str:
    """The source's title with its publisher."""
    title = str(source.get("title") or source.get("id") or "")
    return f"{title} — {source.get('publisher')}" if source.get("publisher") else title


def _one_line(text: str, width: float) -> str:
    """``text`` cut at a word to fit one line of a column ``width`` wide ("…" when cut)."""
    if fits_one_line(text, width):
        return text
    words = text[: int(width * 3)].split(" ")  # no line holds more (the narrowest glyph is 0.45 wide)
    # Drop the words whose texts are surely too wide (words_that_may_fit, from their exact widths),
    # then test word by word. (Whether such a text may be judged by its width is the same for every
    # one, as none has a line feed when the whole has none, and all start alike.)
    if estimable(" ".join(words)):  # then words[0] is not empty
        del words[max(words_that_may_fit(words, width, "…"), 1):]
    while len(words) > 1 and not fits_one_line(" ".join(words) + "…", width):
        words.pop()
    return " ".join(words).rstrip(",;:—- ") + "…"


def _short_url(url: str, width: float) -> str:
    """The URL without its scheme, on one line: whole when it fits, else its host, "/…/" and as
    much of its end as fits (the link and the Evidence sheet keep it whole).

    Its plain twin, which measures every cut whole, is in tests/test_layout_shortcuts.py.
    """
    shown = _URL_SCHEME.sub("", url)
    if fits_one_line(shown, width):
        return shown
    host, _, rest = shown.partition("/")
    tail = rest[-int(width * 3):]  # no line holds more (the narrowest glyph is 0.45 wide)
    head = f"{host}/…/"
    if not estimable(head + tail):  # then a part of it might differ: every cut measured whole
        return _short_url_plain(url, width)
    # Drop the characters that certainly leave too much (chars_that_must_go, from exact widths),
    # then test one by one.
    tail = tail[chars_that_must_go(head, tail, width):]
    while tail and not fits_one_line(f"{head}{tail}", width):
        tail = tail[1:]
    return f"{head}{tail}" if tail else _one_line(host, width)


def _short_url_plain(url: str, width: float) -> str:
    """:func:`_short_url`, the shortened text built again for every test (for a URL that
    :func:`_probe` cannot stand in for)."""
    shown = _URL_SCHEME.sub("", url)
    if wrapped_lines(shown, width, False) <= 1:
        return shown
    host, _, rest = shown.partition("/")
    tail = rest[-int(width * 3):]
    estimate, cut = text_width(f"{host}/…/{tail}"), 0
    while cut < len(tail) and surely_wider_than_a_line(estimate, width, f"{host}/…/{tail[cut:]}"):
        estimate -= text_width(tail[cut])
        cut += 1
    tail = tail[cut:]
    while tail and wrapped_lines(f"{host}/…/{tail}", width, False) > 1:
        tail = tail[1:]
    return f"{host}/…/{tail}" if tail else _one_line(host, width)


#: Source kinds in the narrow Kind column.
_KIND_SHORT = {"self_reported": "Vendor"}


def _capped(lines: list[str], limit: int, what: str) -> list[str]:
    if len(lines) <= limit:
        return lines
    return [*lines[: limit - 1], f"… {len(lines) - limit + 1} more {what} on the Findings sheet"]


def _bulleted(lines: list[Any]) -> str:
    return "\n".join(f"• {line}" for line in lines)


def _freshness(policy: Mapping[str, Any]) -> str:
    days = num(policy.get("freshness_days"))
    return f"{days:g}" if days is not None else "365"
