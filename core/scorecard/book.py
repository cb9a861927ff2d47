"""The book: what every sheet module shares while the workbook is built.

:class:`Book` holds the workbook, the results, the as-of date, the house
styles, the title and table-name registries, and makes the cells a sheet
appends: safe text, numbers, dates, coloured ratings and links (see
:mod:`vendordd.xlsx_text` for what "safe" means). It also adds tables and
score-band colours, and gives every sheet the house print setup.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.formatting.rule import Rule
from openpyxl.styles import Font, PatternFill
from openpyxl.styles.differential import DifferentialStyle
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

from ..model import DEFAULT_BANDS
from ..xlsx_text import CELL_TEXT_LIMIT, safe_text, safe_url
from . import limits
from .naming import SheetTitles, TableNames
from .openpyxl_internals import (
    SharedPair,
    new_cell,
    put_date,
    put_link,
    put_number,
    put_text,
    register_differential_style,
    text_cell,
)
from .styles import FONT, TIER_COLOURS, Styles
from .values import humanise, iso_date, mapping, num, sorted_by_id

#: Dates remembered by :meth:`Book.date` (the text of a date is short: a few hundred kilobytes).
_DAYS_KEPT = 20_000
_UNKNOWN = object()


class Book:
    """Everything the sheet builders share: the workbook, styles, names, the results."""

    def __init__(self, workbook: Any, results: Mapping[str, Any], as_of: dt.date,
                 existing_titles: Iterable[str], existing_names: Iterable[str]) -> None:
        self.wb = workbook
        self.results = results
        self.as_of = as_of
        self.styles = Styles(workbook)
        for rating in ("low", "medium", "high", "critical"):  # in score_bands' order: the same ids as
            register_differential_style(workbook, band_style(rating))  # when the Summary registers them
        #: Cells share their house style's array (write-only: nobody restyles a cell once made);
        #: in normal mode (a template) each cell gets its own copy, as a plugin may restyle it.
        self.shared_styles = bool(getattr(workbook, "write_only", False))
        self._pairs: dict[str, SharedPair] = {}
        self._days: dict[str, Any] = {}  # ISO date text -> its date (or None), see date()
        self.titles = SheetTitles(existing_titles)
        self.table_names = TableNames(existing_names)
        self.links: dict[int, int] = {}
        #: Built-in sheet titles a plugin may take over (casefolded wish -> reserved title).
        self.claimable: dict[str, str] = {}
        policy = mapping(results.get("policy"))
        self.policy: Mapping[str, Any] = policy
        bands = mapping(policy.get("bands"))
        self.bands: dict[str, float] = {}
        for key, default in DEFAULT_BANDS.items():
            given = num(bands.get(key))
            self.bands[key] = default if given is None else given
        self.check_titles = {str(c.get("id")): str(c.get("title") or c.get("id"))
                             for c in sorted_by_id(results.get("checks"))}

    # -- sheets
    def new_sheet(self, title: str, *, header_rows: str | None, landscape: bool = True,
                  gridlines: bool = True, scale: int | None = None) -> Any:
        """A sheet with the house print setup (see :func:`print_setup`). Call before any row is appended."""
        ws = self.wb.create_sheet(title)
        print_setup(ws, self.as_of, header_rows, landscape, scale)
        ws.sheet_view.showGridLines = gridlines
        ws.sheet_view.tabSelected = False
        return ws

    # -- cells
    def _pair(self, style: str) -> SharedPair:
        pair = self._pairs.get(style)
        if pair is None:
            pair = self._pairs[style] = self.styles.shared(style)
        return pair

    def _styled(self, ws: Any, style: str) -> Cell:
        """An empty cell of ``ws`` (at A1 until placed) with house style ``style`` (shared or its own copy)."""
        if self.shared_styles:
            return new_cell(ws, self._pair(style)[0])
        return new_cell(ws, self.styles.array(style))

    def text(self, ws: Any, value: Any, style: str = "text", limit: int = CELL_TEXT_LIMIT) -> Cell:
        """A string cell (never a formula or error value) with ``style``."""
        if self.shared_styles:
            pair = self._pairs.get(style) or self._pair(style)
            return text_cell(ws, pair, safe_text(value, limit))
        return put_text(new_cell(ws, self.styles.array(style)), safe_text(value, limit))

    def number(self, ws: Any, value: Any, style: str = "score", missing: str | None = "n/a",
               missing_style: str = "na") -> Cell | None:
        """A number cell; a missing or non-finite number shows ``missing`` (or nothing)."""
        number = num(value)
        if number is None:
            return self.text(ws, missing, missing_style) if missing else None
        return put_number(self._styled(ws, style), number)

    def date(self, ws: Any, value: Any, style: str = "date") -> Cell | None:
        """A real date for ``YYYY-MM-DD``; months (``2026-03``) and anything else stay text."""
        if type(value) is str and self.shared_styles:  # a flat table repeats its dates: each read once
            day = self._days.get(value, _UNKNOWN)
            if day is _UNKNOWN:
                day = iso_date(value)
                if len(self._days) < _DAYS_KEPT:
                    self._days[value] = day
        else:
            day = iso_date(value)
        if day is None:
            return self.text(ws, value, "text") if value not in (None, "") else None
        if self.shared_styles and self._pair(style)[2]:
            return put_date(new_cell(ws, self._pairs[style][0]), day)
        cell = new_cell(ws, self.styles.array(style))
        cell.value = day
        return cell

    def rating(self, ws: Any, rating: Any) -> Cell:
        """The rating/tier word in its colour (blank-ish grey when there is none)."""
        key = str(rating) if rating in TIER_COLOURS else None
        if key is None:
            return self.text(ws, humanise(rating) if rating else "n/a", "na_center")
        return self.text(ws, humanise(key), f"tier_{key}")

    def link(self, ws: Any, text: Any, url: Any, style: str = "link", plain: str = "wrap") -> Cell:
        """``text`` linked to ``url`` when the URL is safe; otherwise plain text, not linked."""
        target = safe_url(url)
        if target is None or not self._link_budget(ws):
            return self.text(ws, text, plain)
        return put_link(self.text(ws, text, style), target)

    def goto(self, ws: Any, text: Any, sheet_title: str | None, style: str = "link",
             plain: str = "wrap") -> Cell:
        """``text`` linked to cell A1 of another sheet of this workbook."""
        if not sheet_title or not self._link_budget(ws):
            return self.text(ws, text, plain)
        cell = self.text(ws, text, style)
        cell.hyperlink = Hyperlink(ref="", location=f"{quote_sheetname(sheet_title)}!A1",
                                   tooltip="Open the sheet")
        return cell

    def _link_budget(self, ws: Any) -> bool:
        used = self.links.get(id(ws), 0)
        if used >= limits.MAX_LINKS_PER_SHEET:
            return False
        self.links[id(ws)] = used + 1
        return True

    # -- tables and formats
    def add_table(self, ws: Any, hint: str, headers: Sequence[str], header_row: int, last_row: int,
                  first_col: int = 1) -> None:
        """An Excel table (filters, banding) over ``headers`` and the rows below, if any."""
        if last_row <= header_row:
            return  # Excel wants at least one data row in a table
        last_col = first_col + len(headers) - 1
        ref = f"{get_column_letter(first_col)}{header_row}:{get_column_letter(last_col)}{last_row}"
        table = Table(displayName=self.table_names.take(hint), ref=ref)
        table.tableColumns = [TableColumn(id=i, name=h) for i, h in enumerate(headers, 1)]
        table.autoFilter = AutoFilter(ref=ref)
        table.tableStyleInfo = TableStyleInfo(name="TableStyleLight1", showRowStripes=True)
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="In write-only mode")
            ws.add_table(table)

    def score_bands(self, ws: Any, ref: str) -> None:
        """Colour the numbers in ``ref`` by the policy's bands (text such as n/a stays plain)."""
        first = ref.split(":")[0]
        cell = first.replace("$", "")
        low, medium, high = self.bands["low"], self.bands["medium"], self.bands["high"]
        conditions = {
            "low": f"{cell}>={low}",
            "medium": f"AND({cell}>={medium},{cell}<{low})",
            "high": f"AND({cell}>={high},{cell}<{medium})",
            "critical": f"{cell}<{high}",
        }
        for rating, condition in conditions.items():
            rule = Rule(type="expression", dxf=band_style(rating), stopIfTrue=True,
                        formula=[f"AND(ISNUMBER({cell}),{condition})"])
            ws.conditional_formatting.add(ref, rule)


def band_style(rating: str) -> DifferentialStyle:
    """The colours :meth:`Book.score_bands` gives a score rated ``rating``."""
    fill, colour = TIER_COLOURS[rating]
    # A differential font names no face (as Excel writes them): it only recolours.
    return DifferentialStyle(font=Font(color=colour, bold=rating == "critical"),
                             fill=PatternFill("solid", fgColor=fill, bgColor=fill))


def print_setup(ws: Any, as_of: dt.date, header_rows: str | None, landscape: bool,
                scale: int | None = None) -> None:
    """Landscape, repeated header rows, page numbers in the footer; printed at ``scale`` percent,
    or (``scale`` None) fitted to one page wide.

    A fixed scale keeps text readable where fitting would shrink it (and LibreOffice shrinks a
    fitted sheet further to save a page). Write-only sheets keep only what is set before their
    first row: call this first.
    """
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    if scale is None:
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    else:
        ws.page_setup.scale = scale
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=False)
    ws.page_margins = PageMargins(left=0.3, right=0.3, top=0.3, bottom=0.4, header=0.12, footer=0.15)
    ws.print_options.gridLines = False
    if header_rows:
        ws.print_title_rows = header_rows
    ws.oddFooter.left.text = "&A"
    ws.oddFooter.center.text = "Page &P of &N"
    ws.oddFooter.right.text = f"vendordd · as of {as_of.isoformat()}"
    for part in (ws.oddFooter.left, ws.oddFooter.center, ws.oddFooter.right):
        part.font = FONT
        part.size = 9

