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
    add_named_table,
    new_cell,
    new_repeated_cell,
    put_date,
    put_link,
    put_number,
    put_text,
    register_differential_style,
    repeated_text_cell,
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
        #: Flat tables hand one cell to every row that shows the same text (:class:`RepeatedCells`):
        #: write-only sheets only read a cell when they write its row. False: a new cell each time.
        self.repeat_cells = bool(getattr(workbook, "write_only", False))
        self._pairs: dict[str, SharedPair] = {}
        self._days: dict[str, Any] = {}  # ISO date text -> its date (or None), see date()
        self.titles = SheetTitles(existing_titles)
        self.table_names = TableNames(existing_names)
        #: True while every table in the workbook has its name from ``table_names`` (a template's
        #: are among ``existing_names``): :meth:`add_table` then skips openpyxl's check of every
        #: sheet's tables. Set to False before plugins get the workbook (they may add tables).
        self.tables_named_here = True
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

    def text(self, ws: Any, value: Any, style: str = "text", limit: int = CELL_TEXT_LIMIT, *,
             repeated: bool = False) -> Cell:
        """A string cell (never a formula or error value) with ``style``; ``repeated``: a
        :class:`~.openpyxl_internals.RepeatedCell` when styles are shared (for :class:`RepeatedCells`)."""
        if self.shared_styles:
            pair = self._pairs.get(style) or self._pair(style)
            if repeated:
                return repeated_text_cell(ws, pair, safe_text(value, limit))
            return text_cell(ws, pair, safe_text(value, limit))
        return put_text(new_cell(ws, self.styles.array(style)), safe_text(value, limit))

    def repeated(self, ws: Any) -> RepeatedCells:
        """Cells for the text and dates that the rows of ``ws`` repeat (see :class:`RepeatedCells`)."""
        return RepeatedCells(self, ws)

    def number(self, ws: Any, value: Any, style: str = "score", missing: str | None = "n/a",
               missing_style: str = "na") -> Cell | None:
        """A number cell; a missing or non-finite number shows ``missing`` (or nothing)."""
        number = num(value)
        if number is None:
            return self.text(ws, missing, missing_style) if missing else None
        return put_number(self._styled(ws, style), number)

    def date(self, ws: Any, value: Any, style: str = "date", *, repeated: bool = False) -> Cell | None:
        """A real date for ``YYYY-MM-DD``; months (``2026-03``) and anything else stay text.
        ``repeated``: a :class:`~.openpyxl_internals.RepeatedCell` when styles are shared."""
        if type(value) is str and self.shared_styles:  # a flat table repeats its dates: each read once
            day = self._days.get(value, _UNKNOWN)
            if day is _UNKNOWN:
                day = iso_date(value)
                if len(self._days) < _DAYS_KEPT:
                    self._days[value] = day
        else:
            day = iso_date(value)
        if day is None:
            return self.text(ws, value, "text", repeated=repeated) if value not in (None, "") else None
        if self.shared_styles and self._pair(style)[2]:
            return put_date((new_repeated_cell if repeated else new_cell)(ws, self._pairs[style][0]), day)
        cell = new_cell(ws, self.styles.array(style))
        cell.value = day
        return cell

    def rating(self, ws: Any, rating: Any) -> Cell:
        """The rating/tier word in its colour (blank-ish grey when there is none)."""
        return self.text(ws, *rating_text(rating))

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
        if self.tables_named_here:  # its name is unique: table_names gave it
            add_named_table(ws, table)
            return
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


class RepeatedCells:
    """The cells of one sheet's rows for text they repeat (a vendor's name, a kind, "No"): what
    :meth:`Book.text` and :meth:`Book.date` make, made once per value and style and handed to every
    row that shows it.

    Only when the book's ``repeat_cells`` is set (a write-only workbook): such a sheet writes each
    row as it comes and only reads its cells (their text, style and type), so one cell may stand
    in many rows. A normal-mode sheet keeps the very cells it is given, so otherwise (and in the
    plain twin) each call makes a new cell. A cell from here must not be changed: no link, no
    new style. Text values of up to ``_REPEATED_CHARS`` characters are remembered, at most
    ``_REPEATED_KEPT`` (then all are forgotten); anything else gets a new cell each time.
    """

    __slots__ = ("_book", "_cells", "_kept", "_reuse", "_ws")

    def __init__(self, book: Book, ws: Any) -> None:
        self._book, self._ws = book, ws
        self._reuse = book.repeat_cells
        self._cells: dict[str, dict[str | None, Cell | None]] = {}
        self._kept = 0

    def text(self, value: Any, style: str = "text") -> Cell:
        """:meth:`Book.text` of ``value`` in ``style`` (default limit)."""
        if not self._reuse or (type(value) is not str and value is not None):
            return self._book.text(self._ws, value, style)
        known = self._cells.get(style)
        cell = known.get(value) if known is not None else None
        if cell is None:
            cell = self._book.text(self._ws, value, style, repeated=True)
            self._keep(style, value, cell)
        return cell

    def date(self, value: Any, style: str = "date") -> Cell | None:
        """:meth:`Book.date` of ``value`` in ``style`` (None for no value)."""
        if not self._reuse or type(value) is not str:
            return self._book.date(self._ws, value, style)
        key = "date:" + style
        known = self._cells.get(key)
        if known is not None and value in known:
            return known[value]
        cell = self._book.date(self._ws, value, style, repeated=True)
        self._keep(key, value, cell)
        return cell

    def rating(self, rating: Any) -> Cell:
        """:meth:`Book.rating` of ``rating``."""
        return self.text(*rating_text(rating))

    def _keep(self, key: str, value: str | None, cell: Cell | None) -> None:
        if value is not None and len(value) > _REPEATED_CHARS:
            return
        if self._kept >= _REPEATED_KEPT:
            self._cells.clear()
            self._kept = 0
        self._cells.setdefault(key, {})[value] = cell
        self._kept += 1


#: Text values :class:`RepeatedCells` remembers: up to this many characters, at most this many.
_REPEATED_CHARS = 200
_REPEATED_KEPT = 20_000


def rating_text(rating: Any) -> tuple[str, str]:
    """The word a rating or tier is shown as, and its house style (its colour; grey for none)."""
    key = str(rating) if rating in TIER_COLOURS else None
    if key is None:
        return humanise(rating) if rating else "n/a", "na_center"
    return humanise(key), f"tier_{key}"


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

