"""The Excel scorecard a procurement officer opens.

:func:`write_scorecard` turns the results document (docs/architecture.md)
into a workbook:

* **Summary** (active sheet): one row per vendor with overall score, tier,
  recommendation, confidence, area scores, gates and top risks; an Excel
  table with filters and a bar chart of the overall scores.
* **Input errors** (only when profiles were rejected).
* **One sheet per vendor** (up to ``vendor_sheet_limit``): header block,
  area scores and chart, every check, the evidence cited.
* **Findings** (vendor x check) and **Evidence** (every source): flat tables
  for filters and pivots, covering every vendor.
* Plugin sheets (``extra_sheets``).
* **Portfolio** (when ``results["portfolio"]`` is non-empty and no plugin
  made a sheet of that name): its sections as key/value rows, a placeholder
  that a portfolio plugin replaces by calling ``writer.sheet("Portfolio", ...)``.
* **Methodology**: versions, checks, weights, the policy, overrides and input
  hashes.

Guarantees: vendor and plugin text only ever lands in string cells (see
:mod:`vendordd.xlsx_text`), scores are numbers (never formulas), links only
use http/https/mailto, the same results give a byte-identical file (document
and zip times are pinned to the as-of date), and the file at ``path`` is
replaced all-or-nothing and never when it is one of the inputs.

Without a template the workbook is streamed (openpyxl write-only mode); with a
template it is built in normal mode on top of the template's sheets. Both
go through the same code: every sheet is built as rows of cells in memory,
its column sizes are set, and the rows are appended in one go.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
import os
import re
import shutil
import types
import warnings
import weakref
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.chart import BarChart, Reference, Series
from openpyxl.chart.data_source import AxDataSource, NumData, NumVal, StrData, StrRef, StrVal
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.marker import DataPoint
from openpyxl.chart.series import SeriesLabel
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.chart.text import RichText, Text
from openpyxl.chart.title import Title
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties, RegularTextRun
from openpyxl.drawing.text import Font as DrawingFont
from openpyxl.formatting.rule import Rule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.styles.differential import DifferentialStyle
from openpyxl.styles.styleable import StyleableObject
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo
from openpyxl.writer.excel import ExcelWriter

from . import __version__
from .atomic import ProtectedPathError, atomic_write, check_not_protected
from .model import DEFAULT_BANDS, rating_for
from .vendor_store import VendorStore
from .xlsx_rows import RowWriter, new_cell, new_hyperlink, place_cells
from .xlsx_text import (
    CELL_TEXT_LIMIT,
    display_width,
    mark_text,
    safe_text,
    safe_url,
    text_width,
    utf16_prefix,
)

__all__ = ["HouseSheet", "ScorecardError", "SheetTitles", "SheetWriter", "check_row_limits", "row_counts",
           "save_reproducibly", "write_scorecard"]


class ScorecardError(Exception):
    """A problem the user can fix (bad template, bad output path); the message is one line."""


# --------------------------------------------------------------------------- look

FONT = "Calibri"
NAVY = "1F3864"
GREY = "595959"
LINK_BLUE = "0563C1"

#: (fill, text colour) per tier/rating: readable text on every fill.
TIER_COLOURS: Mapping[str, tuple[str, str]] = {
    "low": ("C6EFCE", "006100"),
    "medium": ("FFEB9C", "7F6000"),
    "high": ("F8CBAD", "843C0C"),
    "critical": ("C00000", "FFFFFF"),
}
#: Stronger colours for chart bars, per rating.
BAR_COLOURS: Mapping[str, str] = {"low": "70AD47", "medium": "FFC000", "high": "ED7D31",
                                  "critical": "C00000", None: "A5A5A5"}

AREA_ORDER = ("leadership", "open_source", "compute", "geopolitics")
AREA_LABELS = {"leadership": "Leadership", "open_source": "Open source", "compute": "Compute",
               "geopolitics": "Geopolitics"}
STATUS_LABELS = {"ok": "Scored", "insufficient_data": "Insufficient data", "error": "Check failed",
                 "skipped": "Skipped"}

#: Excel limits openpyxl does not enforce.
MAX_ROWS = 1_048_576
MAX_COLS = 16_384
MAX_LINKS_PER_SHEET = 65_000
SHEET_TITLE_LIMIT = 31
#: Bars in the Summary chart (one printed page); beyond it the chart shows the first vendors by id.
SUMMARY_CHART_LIMIT = 30
RESERVED_TITLES = ("Summary", "Input errors", "Findings", "Evidence", "Portfolio", "Methodology")

_THIN = Side(style="thin", color="BFBFBF")
_TOP = Alignment(vertical="top")
_NUMBER = Alignment(vertical="top", horizontal="right", indent=1)  # the indent keeps text next door apart
_TOP_WRAP = Alignment(vertical="top", wrap_text=True)

#: The house styles. Every Font names its face (a nameless font renders as
#: DejaVu Serif in LibreOffice).
_STYLE_SPECS: Mapping[str, Mapping[str, Any]] = {
    "title": {"font": Font(name=FONT, size=16, bold=True, color=NAVY), "alignment": Alignment(vertical="center")},
    "subtitle": {"font": Font(name=FONT, size=11, color=GREY), "alignment": _TOP},
    "section": {"font": Font(name=FONT, size=13, bold=True, color=NAVY), "alignment": Alignment(vertical="bottom")},
    "label": {"font": Font(name=FONT, size=11, bold=True, color="404040"), "alignment": _TOP},
    "value": {"font": Font(name=FONT, size=11), "alignment": _TOP},
    "value_bold": {"font": Font(name=FONT, size=11, bold=True), "alignment": _TOP},
    "header": {"font": Font(name=FONT, size=11, bold=True, color="FFFFFF"),
               "fill": PatternFill("solid", fgColor=NAVY),
               "alignment": Alignment(vertical="center", wrap_text=True),
               "border": Border(bottom=_THIN)},
    "text": {"font": Font(name=FONT, size=11), "alignment": _TOP},
    "wrap": {"font": Font(name=FONT, size=11), "alignment": _TOP_WRAP},
    "bold": {"font": Font(name=FONT, size=11, bold=True), "alignment": _TOP_WRAP},
    "score": {"font": Font(name=FONT, size=11), "alignment": _NUMBER, "number_format": "0.0"},
    "score_big": {"font": Font(name=FONT, size=12, bold=True), "alignment": Alignment(vertical="top", horizontal="left"),
                  "number_format": "0.0"},
    "pct": {"font": Font(name=FONT, size=11), "alignment": _NUMBER, "number_format": "0%"},
    "pct_left": {"font": Font(name=FONT, size=11), "alignment": Alignment(vertical="top", horizontal="left"),
                 "number_format": "0%"},
    "weight": {"font": Font(name=FONT, size=11), "alignment": _NUMBER, "number_format": "0.0#"},
    "int": {"font": Font(name=FONT, size=11), "alignment": Alignment(vertical="top", horizontal="center"),
            "number_format": "0"},
    "date": {"font": Font(name=FONT, size=11), "alignment": Alignment(vertical="top", horizontal="left"),
             "number_format": "yyyy-mm-dd"},
    "na": {"font": Font(name=FONT, size=11, italic=True, color="808080"), "alignment": _NUMBER},
    "na_center": {"font": Font(name=FONT, size=11, italic=True, color="808080"),
                  "alignment": Alignment(vertical="top", horizontal="center")},
    "na_left": {"font": Font(name=FONT, size=11, italic=True, color="808080"), "alignment": _TOP},
    "warn": {"font": Font(name=FONT, size=11, bold=True, color="C00000"), "alignment": _TOP_WRAP},
    "alert": {"font": Font(name=FONT, size=11, bold=True, color="C00000"), "alignment": _TOP},
    "alert_link": {"font": Font(name=FONT, size=11, bold=True, color="C00000", underline="single"),
                   "alignment": _TOP},
    "general": {"font": Font(name=FONT, size=11), "alignment": _NUMBER},
    "center": {"font": Font(name=FONT, size=11), "alignment": Alignment(vertical="top", horizontal="center")},
    "note": {"font": Font(name=FONT, size=10, italic=True, color=GREY), "alignment": _TOP},
    "link": {"font": Font(name=FONT, size=11, color=LINK_BLUE, underline="single"), "alignment": _TOP_WRAP},
    "link_bold": {"font": Font(name=FONT, size=11, bold=True, color=LINK_BLUE, underline="single"),
                  "alignment": _TOP_WRAP},
    "nav": {"font": Font(name=FONT, size=10, color=LINK_BLUE, underline="single"), "alignment": _TOP},
    **{f"tier_{name}": {"font": Font(name=FONT, size=11, bold=True, color=text),
                        "fill": PatternFill("solid", fgColor=fill),
                        "alignment": Alignment(vertical="top", horizontal="center")}
       for name, (fill, text) in TIER_COLOURS.items()},
}


# --------------------------------------------------------------------------- small helpers

def _num(value: Any) -> float | None:
    """A finite number, or None (booleans and text are not numbers)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) else None


def _humanise(key: Any) -> str:
    """``approve_with_conditions`` -> ``Approve with conditions``."""
    text = str(key or "").replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def _area_label(key: str) -> str:
    return AREA_LABELS.get(key, _humanise(key))


def _compact_json(value: Any) -> str:
    """Settings and other structures as one line of JSON, keys sorted (deterministic)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(", ", ": "), default=str)


def _bullets(lines: Any) -> str:
    """A list of lines as one cell's text: bulleted when there are several."""
    if lines is None:
        return ""
    if isinstance(lines, str):
        return lines
    items = [safe_text(line) for line in lines if line not in (None, "")]
    if len(items) == 1:
        return items[0]
    return "\n".join(f"• {item}" for item in items)


def _override_text(override: Any) -> str:
    """An override record as readable text (``reason: ...; approved by: ...``)."""
    if override in (None, "", {}):
        return ""
    if not isinstance(override, Mapping):
        return str(override)
    preferred = ("rating_before", "score_before", "rating", "score", "tier", "reason", "approved_by",
                 "approved_on", "expires")
    keys = [k for k in preferred if k in override] + sorted(k for k in override if k not in preferred)
    parts = []
    for key in keys:
        value = override[key]
        shown = value if isinstance(value, str) else _compact_json(value)
        parts.append(f"{_humanise(key).lower()}: {shown}")
    return "Override — " + "; ".join(parts)


def _iso_date(value: Any) -> dt.date | None:
    """A date from a full ``YYYY-MM-DD`` string; None for months, None or junk."""
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _sorted_by_id(items: Any) -> list[Mapping[str, Any]]:
    return sorted((i for i in (items or ()) if isinstance(i, Mapping)), key=lambda i: str(i.get("id", "")))


def _vendors(results: Mapping[str, Any]) -> Sequence[Mapping[str, Any]]:
    """The results' vendor entries by id; a VendorStore (already sorted) is read as it is, never copied."""
    vendors = results.get("vendors")
    return vendors if isinstance(vendors, VendorStore) else _sorted_by_id(vendors)


# --------------------------------------------------------------------------- names

_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\\s]+")


def _clean_title(wanted: Any) -> str:
    text = _TITLE_FORBIDDEN.sub(" ", safe_text(wanted, limit=200)).strip()
    text = utf16_prefix(text.strip("' "), SHEET_TITLE_LIMIT)
    return text.strip("' ")


class SheetTitles:
    """Hands out sheet titles Excel accepts: unique (case-insensitively), at most 31
    UTF-16 units, none of ``[]:*?/\\``, not "History", no apostrophe at either end.

    Duplicates get `` (2)``, `` (3)``...; a per-name counter keeps this linear
    in the number of titles, however many vendors share a name.
    """

    def __init__(self, existing: Iterable[str] = ()) -> None:
        self._used: set[str] = {t.casefold() for t in existing} | {"history"}
        self._next: dict[str, int] = {}

    def reserve(self, title: str) -> None:
        """Mark ``title`` (already in the workbook) as taken."""
        self._used.add(title.casefold())

    def take(self, wanted: Any, fallback: str = "Sheet") -> str:
        """A fresh title as close to ``wanted`` as the rules allow."""
        base = _clean_title(wanted) or fallback
        key = base.casefold()
        if key not in self._used:
            self._used.add(key)
            return base
        n = self._next.get(key, 2)
        while True:
            suffix = f" ({n})"
            stem = utf16_prefix(base, SHEET_TITLE_LIMIT - len(suffix)).rstrip("' ")
            candidate = (stem or fallback) + suffix
            n += 1
            if candidate.casefold() not in self._used:
                break
        self._next[key] = n
        self._used.add(candidate.casefold())
        return candidate


_CELL_REF_LIKE = re.compile(r"^([A-Za-z]{1,3}\d+|[Rr]\d*[Cc]\d*|[RrCc])$")


class _TableNames:
    """Valid, workbook-unique (case-insensitive) names for Excel tables."""

    def __init__(self, existing: Iterable[str] = ()) -> None:
        self._used = {n.casefold() for n in existing}

    def take(self, hint: str) -> str:
        name = re.sub(r"[^A-Za-z0-9_.]", "_", hint)[:200] or "Table"
        if not re.match(r"[A-Za-z_]", name) or _CELL_REF_LIKE.match(name):
            name = "T_" + name
        candidate, n = name, 2
        while candidate.casefold() in self._used:
            candidate, n = f"{name}_{n}", n + 1
        self._used.add(candidate.casefold())
        return candidate


def _unique_headers(headers: Sequence[Any]) -> list[str]:
    """Header texts usable as table column names: one line, non-empty, unique."""
    out: list[str] = []
    seen: set[str] = set()
    for idx, header in enumerate(headers, 1):
        text = " ".join(safe_text(header, limit=255).split()) or f"Column {idx}"
        base, n = text, 2
        while text.casefold() in seen:
            text, n = f"{base} ({n})", n + 1
        seen.add(text.casefold())
        out.append(text)
    return out


# --------------------------------------------------------------------------- cells

class _Styles:
    """The house styles, each registered in the workbook on first use and copied onto cells.

    Copying a prepared style array is much faster than assigning font, fill,
    border and alignment to every cell, and registers only the styles used.
    """

    def __init__(self, workbook: Workbook) -> None:
        self._holder = types.SimpleNamespace(parent=workbook)
        self._arrays: dict[str, StyleArray] = {}

    def array(self, name: str) -> StyleArray:
        found = self._arrays.get(name)
        if found is None:
            spec = _STYLE_SPECS[name]
            obj = StyleableObject(sheet=self._holder)
            for attr in ("font", "fill", "border", "alignment", "number_format"):
                if attr in spec:
                    setattr(obj, attr, spec[attr])
            found = self._arrays[name] = obj._style
        return StyleArray(found)


class _DetachedTextCell(Cell):
    """A string cell not yet bound to a sheet (what ``SheetWriter.text`` returns).

    In write-only mode an appended cell keeps its parent, and a styled cell
    needs the workbook to register its style; this one carries the workbook
    itself so plugins may append it to any sheet of the scorecard.
    """

    __slots__ = ("_workbook",)

    def __repr__(self) -> str:
        return f"<Cell (not yet placed) {self._value!r}>"

    @property
    def style_id(self) -> int:
        if self._style is None:
            self._style = StyleArray()
        workbook = self.parent.parent if self.parent is not None else self._workbook
        return workbook._cell_styles.add(self._style)


class _Book:
    """Everything the sheet builders share: the workbook, styles, names, the results."""

    def __init__(self, workbook: Workbook, results: Mapping[str, Any], as_of: dt.date,
                 existing_titles: Iterable[str], existing_names: Iterable[str]) -> None:
        self.wb = workbook
        self.results = results
        self.as_of = as_of
        self.styles = _Styles(workbook)
        self.titles = SheetTitles(existing_titles)
        self.table_names = _TableNames(existing_names)
        self.links: dict[int, int] = {}
        #: Built-in sheet titles a plugin may take over (casefolded wish -> reserved title).
        self.claimable: dict[str, str] = {}
        policy = results.get("policy") if isinstance(results.get("policy"), Mapping) else {}
        self.policy: Mapping[str, Any] = policy
        bands = policy.get("bands") if isinstance(policy.get("bands"), Mapping) else {}
        self.bands = {k: _num(bands.get(k)) if _num(bands.get(k)) is not None else v
                      for k, v in DEFAULT_BANDS.items()}
        self.check_titles = {str(c.get("id")): str(c.get("title") or c.get("id"))
                             for c in _sorted_by_id(results.get("checks"))}

    # -- sheets
    def new_sheet(self, title: str, *, header_rows: str | None, landscape: bool = True,
                  gridlines: bool = True) -> Any:
        """A sheet with the house print setup. Call before any row is appended."""
        ws = self.wb.create_sheet(title)
        _print_setup(ws, self.as_of, header_rows, landscape)
        ws.sheet_view.showGridLines = gridlines
        ws.sheet_view.tabSelected = False
        return ws

    # -- cells
    def _styled(self, ws: Any, style: str) -> Cell:
        """An empty cell of ``ws`` (at A1 until placed) with its own copy of house style ``style``."""
        return new_cell(ws, self.styles.array(style))

    def text(self, ws: Any, value: Any, style: str = "text", limit: int = CELL_TEXT_LIMIT) -> Cell:
        """A string cell (never a formula or error value) with ``style``."""
        return mark_text(self._styled(ws, style), safe_text(value, limit))

    def number(self, ws: Any, value: Any, style: str = "score", missing: str | None = "n/a",
               missing_style: str = "na") -> Cell | None:
        """A number cell; a missing or non-finite number shows ``missing`` (or nothing)."""
        number = _num(value)
        if number is None:
            return self.text(ws, missing, missing_style) if missing else None
        cell = self._styled(ws, style)
        cell._value = number  # what ``cell.value = number`` does for a float
        return cell

    def date(self, ws: Any, value: Any, style: str = "date") -> Cell | None:
        """A real date for ``YYYY-MM-DD``; months (``2026-03``) and anything else stay text."""
        day = _iso_date(value)
        if day is None:
            return self.text(ws, value, "text") if value not in (None, "") else None
        cell = self._styled(ws, style)
        cell.value = day
        return cell

    def rating(self, ws: Any, rating: Any) -> Cell:
        """The rating/tier word in its colour (blank-ish grey when there is none)."""
        key = str(rating) if rating in TIER_COLOURS else None
        if key is None:
            return self.text(ws, _humanise(rating) if rating else "n/a", "na_center")
        return self.text(ws, _humanise(key), f"tier_{key}")

    def link(self, ws: Any, text: Any, url: Any, style: str = "link", plain: str = "wrap") -> Cell:
        """``text`` linked to ``url`` when the URL is safe; otherwise plain text, not linked."""
        target = safe_url(url)
        if target is None or not self._link_budget(ws):
            return self.text(ws, text, plain)
        cell = self.text(ws, text, style)
        cell._hyperlink = new_hyperlink(cell.coordinate, target=target)  # as ``cell.hyperlink = ...`` sets it
        return cell

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
        if used >= MAX_LINKS_PER_SHEET:
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
            fill, colour = TIER_COLOURS[rating]
            # A differential font names no face (as Excel writes them): it only recolours.
            dxf = DifferentialStyle(font=Font(color=colour, bold=rating == "critical"),
                                    fill=PatternFill("solid", fgColor=fill, bgColor=fill))
            rule = Rule(type="expression", dxf=dxf, stopIfTrue=True,
                        formula=[f"AND(ISNUMBER({cell}),{condition})"])
            ws.conditional_formatting.add(ref, rule)


def _print_setup(ws: Any, as_of: dt.date, header_rows: str | None, landscape: bool) -> None:
    """Landscape, fit to one page wide, repeated header rows, page numbers in the footer."""
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.6, header=0.25, footer=0.3)
    ws.print_options.gridLines = False
    if header_rows:
        ws.print_title_rows = header_rows
    ws.oddFooter.left.text = "&A"
    ws.oddFooter.center.text = "Page &P of &N"
    ws.oddFooter.right.text = f"vendordd · as of {as_of.isoformat()}"
    for part in (ws.oddFooter.left, ws.oddFooter.center, ws.oddFooter.right):
        part.font = FONT
        part.size = 9


# --------------------------------------------------------------------------- grid

#: The flat tables fit their column widths to this many rows, then stream the rest.
STREAM_AFTER_ROWS = 2000


@dataclass(frozen=True)
class _Col:
    """A column: its width is fitted to the content between ``min`` and ``max`` characters."""

    min: float = 8
    max: float = 40


class _Grid:
    """The rows of one sheet, measured for column widths, then written.

    Write-only sheets drop column widths and freeze panes set after the first
    row, so the grid measures its content first. Cells get their final
    coordinates here (a hyperlink's ref is taken from its cell at assignment,
    and normal-mode ``append`` does not update it).

    With ``stream_after=N`` (the long flat tables), widths are fitted to the
    first N rows and every later row is written at once instead of kept, so
    memory does not grow with the number of vendors; ``freeze`` must then be
    given here, since it too must be set before the first row is written.
    """

    def __init__(self, ws: Any, columns: Sequence[_Col], *, stream_after: int | None = None,
                 freeze: str | None = None) -> None:
        self.ws = ws
        self.columns = list(columns)
        self.rows: list[list[Cell | None]] = []
        self._measured: list[float] = [0.0] * len(columns)
        self._stream_after = stream_after
        self._freeze = freeze
        self._widths: list[float] | None = None  # set once the rows start being written
        self._written = 0
        self._writer: RowWriter | None = None
        self._fonts = _fonts_of(ws.parent)  # every cell of the grid belongs to this sheet's workbook

    @property
    def next_row(self) -> int:
        return self._written + len(self.rows) + 1

    def add(self, cells: Sequence[Cell | None], measure: bool = True) -> int:
        """Queue a row; returns its 1-based row number. ``measure`` counts it for widths."""
        row_idx = self.next_row
        if row_idx > MAX_ROWS:
            raise ScorecardError(f"sheet {self.ws.title!r} would exceed Excel's {MAX_ROWS:,} rows")
        row = list(cells)
        if self._widths is not None:
            self._emit(row_idx, row)
            return row_idx
        self.rows.append(row)
        if measure:
            for idx, cell in enumerate(row[: len(self._measured)]):
                if cell is not None and cell._value is not None:
                    self._measured[idx] = max(self._measured[idx], _cell_width(cell, self._fonts.of(cell)))
        if self._stream_after is not None and len(self.rows) >= self._stream_after:
            self._start()
        return row_idx

    def blank(self, count: int = 1) -> None:
        for _ in range(count):
            self.add([], measure=False)

    def flush(self, freeze: str | None = None) -> None:
        """Write what is still queued (setting widths and frozen panes first if not yet done).

        Rows with wrapped text get an explicit height: LibreOffice does not
        fit row heights when it opens a file, so without one wrapped lines
        overlap the next row (Excel then keeps that height too).
        """
        if self._widths is None:
            self._start(freeze)

    def _start(self, freeze: str | None = None) -> None:
        widths = []
        for idx, col in enumerate(self.columns):
            width = round(min(max(self._measured[idx] + 2, col.min), col.max), 1)
            widths.append(width)
            self.ws.column_dimensions[get_column_letter(idx + 1)].width = width
        self._widths = widths
        if freeze or self._freeze:
            self.ws.freeze_panes = freeze or self._freeze
        queued, self.rows = self.rows, []
        for row_idx, row in enumerate(queued, self._written + 1):
            self._emit(row_idx, row)

    def _emit(self, row_idx: int, row: list[Cell | None]) -> None:
        dims = self.ws.row_dimensions
        height = None
        if dims.get(row_idx) is None or dims[row_idx].height is None:
            height = _row_height(row, self._widths, self._fonts)
        if self.ws.parent.write_only:
            if self._writer is None:
                self._writer = RowWriter(self.ws)
            self._writer.write(row_idx, row, height)
        else:  # a template's workbook: normal mode
            if height is not None:
                dims[row_idx].height = height
            place_cells(row, row_idx)
            self.ws.append(row)
        self._written += 1

    @property
    def last_col_letter(self) -> str:
        return get_column_letter(max(len(self.columns), 1))


class _Fonts:
    """(wraps, font size, bold) of the styles of one workbook, looked up once per style.

    Keyed by (fontId, alignmentId): every cell has its own style array, so
    the ids are the cheapest key. Get it with :func:`_fonts_of`.
    """

    __slots__ = ("_known", "_workbook")

    def __init__(self, workbook: Workbook) -> None:
        self._workbook = weakref.ref(workbook)  # a strong one would keep it alive in _FONTS
        self._known: dict[tuple[int, int], tuple[bool, float, bool]] = {}

    def of(self, cell: Cell) -> tuple[bool, float, bool]:
        style = cell._style
        key = (style[0], style[5]) if style is not None else (0, 0)  # fontId, alignmentId
        info = self._known.get(key)
        if info is None:
            workbook = self._workbook()
            font, alignment = workbook._fonts[key[0]], workbook._alignments[key[1]]
            info = self._known[key] = (bool(alignment.wrap_text), float(font.sz or 11), bool(font.b))
        return info


_FONTS: weakref.WeakKeyDictionary[Any, _Fonts] = weakref.WeakKeyDictionary()


def _fonts_of(workbook: Workbook) -> _Fonts:
    """The :class:`_Fonts` of ``workbook`` (one per workbook, dropped with it)."""
    fonts = _FONTS.get(workbook)
    if fonts is None:
        fonts = _FONTS[workbook] = _Fonts(workbook)
    return fonts


def _font_info(cell: Cell) -> tuple[bool, float, bool]:
    """(wraps, font size, bold) of a cell (callers with many cells keep a :class:`_Fonts`)."""
    workbook = cell.parent.parent if cell.parent is not None else cell._workbook  # a detached cell
    return _fonts_of(workbook).of(cell)


def _row_height(row: Sequence[Cell | None], widths: Sequence[float], fonts: _Fonts | None = None) -> float | None:
    """Points needed to show every wrapped cell of ``row`` whole; None when one line will do.

    ``fonts`` is the :class:`_Fonts` of the cells' workbook, when the caller has it.
    """
    needed = 0.0
    for cell, width in zip(row, widths):  # cells beyond the known widths are not measured
        if cell is None:
            continue
        value = cell._value
        if not isinstance(value, str) or not value:
            continue
        wraps, size, bold = fonts.of(cell) if fonts is not None else _font_info(cell)
        if not wraps:
            continue
        lines = _wrapped_lines(value, width * 11 / size, bold)
        needed = max(needed, lines * size * 1.33)
    if needed <= 15.5:
        return None
    return min(round(needed + 3), 409)


def _wrapped_lines(text: str, width: float, bold: bool) -> int:
    """How many lines ``text`` takes in a column ``width`` characters wide (greedy word wrap).

    A column width counts digits of the default font; ordinary text averages
    a little narrower, word wrapping wastes the end of each line. The estimate
    errs towards one line too many: a row slightly too tall beats clipped text.
    """
    per_line = max(3.0, width * (1.0 if bold else 1.1) - 1)
    if "\n" not in text and len(text) <= per_line:
        return _short_lines(text, width, bold)
    return _greedy_lines(text, per_line, width, bold)


#: Column-width units per digit width: a column width counts the digit's width rounded to
#: whole pixels (7 px for Calibri 11 at 96 dpi), the text is drawn at its real width (7.4 px).
_UNITS_PER_DIGIT = 1.07
#: Column-width units taken by the cell's left and right margins.
_CELL_MARGINS = 1.0


def _short_lines(text: str, width: float, bold: bool) -> int:
    """The lines of a text of at most one estimated line, measured with the font's widths (1 or 2, in practice).

    The average-width estimate of :func:`_greedy_lines` is too optimistic for
    names with capitals ("Google DeepMind (Gemma / Gemini)"), which then
    overlapped the next row in LibreOffice.
    """
    if len(text) * 2 * _UNITS_PER_DIGIT + _CELL_MARGINS <= width:
        return 1  # fits even if every character were a wide East Asian one (the widest)
    needed = text_width(text, bold) * _UNITS_PER_DIGIT + _CELL_MARGINS
    return 1 if needed <= width else max(2, math.ceil(needed / max(width, 1.0)))


def _greedy_lines(text: str, per_line: float, width: float, bold: bool) -> int:
    """Lines that greedy word wrap at ``per_line`` characters makes of ``text`` (of its first 40,000).

    A paragraph of at most ``per_line`` characters is measured instead (:func:`_short_lines`).
    """
    lines = 0
    for paragraph in text[:40000].split("\n"):
        if len(paragraph) <= per_line:
            lines += _short_lines(paragraph, width, bold)  # a short bullet, most often
            continue
        used, count = 0.0, 1
        words = paragraph.split(" ")
        if paragraph.isascii():
            sizes: Iterable[int] = map(len, words)
        else:
            sizes = [len(w) if w.isascii() else display_width(w) for w in words]
        for size in sizes:
            if used and used + 1 + size > per_line:
                count += 1
                used = 0.0
            if size > per_line:  # a long word (a URL) breaks anywhere
                extra, used = divmod(size, per_line)
                count += int(extra)
            else:
                used += size + (1 if used else 0)
        lines += count
    return lines


def _cell_width(cell: Cell, info: tuple[bool, float, bool]) -> float:
    value = cell._value
    if isinstance(value, str):
        width = display_width(value[:2000])
        return width * 1.1 if info[2] else width
    if isinstance(value, (dt.date, dt.datetime)):
        return 10
    if isinstance(value, (int, float)):
        return 6
    return len(str(value))


# --------------------------------------------------------------------------- charts

def _rich(size_pt: float, bold: bool = False) -> CharacterProperties:
    return CharacterProperties(sz=int(size_pt * 100), b=bold, latin=DrawingFont(typeface=FONT))


def _text_props(size_pt: float) -> RichText:
    props = _rich(size_pt)
    return RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=props), endParaRPr=props, r=[])])


def _chart_title(text: str) -> Title:
    props = _rich(12, bold=True)
    para = Paragraph(pPr=ParagraphProperties(defRPr=props), r=[RegularTextRun(rPr=props, t=text)])
    return Title(tx=Text(rich=RichText(p=[para])), overlay=False)


def _score_bar_chart(ws: Any, *, title: str, label_col: int, value_col: int, first_row: int,
                     labels: Sequence[str], values: Sequence[float | None],
                     ratings: Sequence[str | None], series_name: str) -> BarChart:
    """Horizontal bars of 0-100 scores, coloured by rating, with cached values.

    openpyxl writes charts without cached data, so previews and Protected
    View would show them empty: the caches are filled from ``labels`` and
    ``values`` (which must match the referenced cells).
    """
    count = len(labels)
    last_row = first_row + count - 1
    chart = BarChart()
    chart.type = "bar"
    chart.grouping = "clustered"
    chart.gapWidth = 50
    chart.title = _chart_title(title)
    chart.legend = None
    series = Series(Reference(ws, min_col=value_col, min_row=first_row, max_row=last_row), title=series_name)
    series.tx = SeriesLabel(v=series_name)
    series.val.numRef.numCache = NumData(
        formatCode="0.0", ptCount=count,
        pt=[NumVal(idx=i, v=v) for i, v in enumerate(values) if v is not None])
    cat_ref = f"{quote_sheetname(ws.title)}!${get_column_letter(label_col)}${first_row}:" \
              f"${get_column_letter(label_col)}${last_row}"
    series.cat = AxDataSource(strRef=StrRef(f=cat_ref, strCache=StrData(
        ptCount=count, pt=[StrVal(idx=i, v=label) for i, label in enumerate(labels)])))
    series.invertIfNegative = False
    series.dPt = [DataPoint(idx=i, invertIfNegative=False,
                            spPr=GraphicalProperties(solidFill=BAR_COLOURS.get(r, BAR_COLOURS[None])))
                  for i, r in enumerate(ratings)]
    series.dLbls = DataLabelList(showVal=True, showSerName=False, showCatName=False, showLegendKey=False,
                                 showPercent=False, showBubbleSize=False, txPr=_text_props(9))
    chart.series.append(series)
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.x_axis.scaling.orientation = "maxMin"   # first row on top
    chart.y_axis.crosses = "max"                  # ... and the value axis at the bottom
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 100
    chart.y_axis.majorUnit = 25
    chart.y_axis.number_format = "0"
    chart.x_axis.txPr = _text_props(9)
    chart.y_axis.txPr = _text_props(9)
    return chart


# --------------------------------------------------------------------------- plugin API

class HouseSheet:
    """A sheet made by :meth:`SheetWriter.sheet`: rows appended here are made safe.

    ``append(row)`` writes text through :func:`~vendordd.xlsx_text.safe_text`
    as string cells (never formulas), finite numbers as numbers, dates as
    dates, lists and mappings as compact JSON text, and passes cells made by
    :meth:`SheetWriter.text` through. Any other attribute is the underlying
    openpyxl worksheet's (``add_chart``, ``title``...).
    """

    def __init__(self, book: _Book, ws: Any, headers: Sequence[str], widths: Sequence[float]) -> None:
        self._book = book
        self.worksheet = ws
        self.headers = list(headers)
        self.widths = list(widths)
        self.rows = 1  # the header row
        self.print_rows = 1  # the print area reaches at least this row (charts below the table)

    def append(self, row: Iterable[Any]) -> None:
        """Append one row of values (see the class docstring for how each type is written)."""
        if self.rows >= MAX_ROWS:
            raise ValueError(f"sheet {self.worksheet.title!r} is full ({MAX_ROWS:,} rows)")
        cells = [self._cell(v) for v in list(row)[:MAX_COLS]]
        self.rows += 1
        for col_idx, cell in enumerate(cells, 1):
            if cell is not None:
                cell.row, cell.column = self.rows, col_idx
        height = _row_height(cells, self.widths)
        if height is not None:  # before the append: write-only rows are written at once
            self.worksheet.row_dimensions[self.rows].height = height
        self.worksheet.append(cells)

    def _cell(self, value: Any) -> Cell | None:
        book, ws = self._book, self.worksheet
        if value is None:
            return None
        if isinstance(value, Cell):
            return value
        if isinstance(value, bool):
            return book.text(ws, "Yes" if value else "No")
        if isinstance(value, (int, float)):
            return book.number(ws, value, "general", missing="")
        if isinstance(value, (dt.date, dt.datetime)):
            return book.date(ws, value.isoformat()[:10])
        if isinstance(value, (list, tuple, Mapping)):
            return book.text(ws, _compact_json(value), "wrap")
        return book.text(ws, value, "wrap")

    def __getattr__(self, name: str) -> Any:
        return getattr(self.worksheet, name)


class SheetWriter:
    """What the ``scorecard_sheets`` hook gets as ``writer``: house-styled, safe sheets.

    ``sheet(title, headers)`` adds a sheet after the built-in ones (the title
    is made valid and unique; read the result's ``title``; asking for
    "Portfolio" replaces the built-in placeholder sheet) with a styled,
    frozen, repeated header row; append rows to it. ``text(value)`` returns a
    string cell holding neutralised text (no formula, no error value, no
    invalid XML, capped at Excel's cell limit) for use in any sheet of this
    workbook, including one made with ``workbook.create_sheet``. Each sheet
    made here becomes an Excel table with filters when it has data rows.
    """

    def __init__(self, book: _Book) -> None:
        self._book = book
        self._sheets: list[HouseSheet] = []

    def sheet(self, title: str, headers: Sequence[Any], widths: Sequence[float] | None = None) -> HouseSheet:
        """A new sheet titled (close to) ``title`` whose first row is ``headers``.

        ``widths`` optionally gives column widths in characters (10-80);
        otherwise each column is as wide as its header plus a margin.
        """
        book = self._book
        names = _unique_headers(list(headers)[:MAX_COLS] or ["Value"])
        claimed = book.claimable.pop(_clean_title(title).casefold(), None)
        ws = book.new_sheet(claimed or book.titles.take(title, fallback="Plugin"), header_rows="1:1")
        sizes = []
        for idx, name in enumerate(names):
            wanted = widths[idx] if widths and idx < len(widths) else display_width(name) + 4
            sizes.append(min(max(float(wanted), 10), 80))
            ws.column_dimensions[get_column_letter(idx + 1)].width = sizes[-1]
        ws.freeze_panes = "A2"
        header = [book.text(ws, name, "header") for name in names]
        height = _row_height(header, sizes)
        if height is not None:
            ws.row_dimensions[1].height = height
        ws.append(header)
        house = HouseSheet(book, ws, names, sizes)
        self._sheets.append(house)
        return house

    def bar_chart(self, sheet: HouseSheet, *, title: str, label_col: int, value_col: int,
                  labels: Sequence[str], values: Sequence[float | None],
                  ratings: Sequence[str | None], anchor: str, series_name: str = "Value",
                  width_cm: float = 16.0) -> None:
        """Add horizontal 0-100 bars for data rows 2.. of ``sheet``, coloured by rating.

        ``labels`` and ``values`` must be what the sheet holds in
        ``label_col`` and ``value_col`` (1-based) from row 2 on: they fill
        the chart's caches so that previews show it.
        """
        chart = _score_bar_chart(sheet.worksheet, title=title, label_col=label_col,
                                 value_col=value_col, first_row=2, labels=list(labels),
                                 values=list(values), ratings=list(ratings), series_name=series_name)
        chart.width = width_cm
        chart.height = max(6.0, 1.2 + 0.7 * len(labels))
        sheet.worksheet.add_chart(chart, anchor)
        anchor_row = int("".join(ch for ch in anchor if ch.isdigit()) or 1)
        sheet.print_rows = max(sheet.print_rows, anchor_row + _chart_rows(chart.height))

    def text(self, value: Any) -> Cell:
        """A string cell for ``value`` that can never become a formula or an error value."""
        cell = _DetachedTextCell(None, row=1, column=1)
        cell._workbook = self._book.wb
        cell._style = self._book.styles.array("wrap")
        return mark_text(cell, safe_text(value))

    def _finish(self) -> None:
        """Give every house sheet with data rows a table and a print area."""
        for house in self._sheets:
            ws = house.worksheet
            last_col = get_column_letter(len(house.headers))
            self._book.add_table(ws, f"tbl_{ws.title}", house.headers, 1, house.rows)
            ws.print_area = f"A1:{last_col}{max(house.rows, house.print_rows, 1)}"


# --------------------------------------------------------------------------- sheets

def _vendor_sheet_titles(book: _Book, vendors: Sequence[Mapping[str, Any]], limit: int) -> list[str | None]:
    titles: list[str | None] = [book.titles.take(vendor.get("name") or vendor.get("id"), fallback="Vendor")
                                for vendor in vendors[:limit]]
    return titles + [None] * (len(vendors) - len(titles))


def _areas(vendors: Sequence[Mapping[str, Any]]) -> list[str]:
    """The four built-in areas, then any other category present, sorted."""
    extra: set[str] = set()
    for vendor in vendors:
        areas = vendor.get("areas")
        if isinstance(areas, Mapping):
            extra.update(str(k) for k in areas if k not in AREA_ORDER)
        for check in vendor.get("checks") or ():
            cat = check.get("category") if isinstance(check, Mapping) else None
            if cat and cat not in AREA_ORDER:
                extra.add(str(cat))
    return list(AREA_ORDER) + sorted(extra)


def _gates_text(book: _Book, overall: Mapping[str, Any]) -> str:
    lines = []
    for gate in overall.get("gates") or ():
        if not isinstance(gate, Mapping):
            continue
        check = book.check_titles.get(str(gate.get("check")), str(gate.get("check", "?")))
        lines.append(f"{check} rated {gate.get('rating', '?')}: tier capped at {gate.get('tier', '?')}")
    return _bullets(lines)


def _write_summary(book: _Book, ws: Any, vendors: Sequence[Mapping[str, Any]],
                   titles: Sequence[str | None], areas: Sequence[str], limit: int,
                   errors_title: str | None) -> None:
    results = book.results
    changes = any(isinstance(v.get("change"), Mapping) for v in vendors)
    headers = ["Vendor", "Overall score", *(["Change"] if changes else []), "Tier", "Recommendation",
               "Confidence", *[_area_label(a) for a in areas], "Checks scored", "Gates triggered",
               "Top risks", "Vendor id"]
    headers = _unique_headers(headers)
    n_areas = len(areas)
    first_area_col = 6 + int(changes)
    cols = [_Col(18, 44), _Col(9, 9), *([_Col(12, 14)] if changes else []), _Col(10, 10), _Col(15, 24),
            _Col(11, 11), *[_Col(10, 12) for _ in areas], _Col(9, 9), _Col(16, 30), _Col(30, 52),
            _Col(12, 24)]
    grid = _Grid(ws, cols)
    tool = results.get("tool") if isinstance(results.get("tool"), Mapping) else {}
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
        overall = vendor.get("overall") if isinstance(vendor.get("overall"), Mapping) else {}
        vendor_areas = vendor.get("areas") if isinstance(vendor.get("areas"), Mapping) else {}
        name = vendor.get("name") or vendor.get("id") or "?"
        scored, total = overall.get("scored_checks"), overall.get("total_checks")
        checks_text = f"{scored} of {total}" if scored is not None and total is not None else ""
        tier = overall.get("tier")
        grid.add([
            book.goto(ws, name, title, style="link_bold", plain="bold"),
            book.number(ws, overall.get("score")),
            *([book.text(ws, _change_text(vendor.get("change")), "center")] if changes else []),
            book.rating(ws, tier),
            book.text(ws, _humanise(overall.get("recommendation")), "wrap"),
            book.number(ws, overall.get("confidence"), "pct"),
            *[book.number(ws, vendor_areas.get(a)) for a in areas],
            book.text(ws, checks_text, "center"),
            book.text(ws, _gates_text(book, overall), "wrap"),
            book.text(ws, _bullets(vendor.get("top_risks")), "wrap"),
            book.text(ws, vendor.get("id"), "text"),
        ])
        labels.append(safe_text(name))
        values.append(_num(overall.get("score")))
        ratings.append(tier if tier in TIER_COLOURS else None)
    last_row = grid.next_row - 1
    if not vendors:
        grid.add([book.text(ws, "No vendor was assessed.", "note")], measure=False)
    chart_rows = 0
    if vendors:
        grid.blank()
        chart_rows = _chart_rows(_summary_chart_height(len(vendors)))
        grid.blank(chart_rows)
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
        chart = _score_bar_chart(
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
    delta = _num(change.get("score_delta"))
    tier = f" (was {change['tier_before']})" if change.get("tier_before") else ""
    if not delta:
        return "unchanged" if delta == 0 else f"n/a{tier}"
    return f"{'▲' if delta > 0 else '▼'} {delta:+.1f}{tier if change.get('got_worse') else ''}"


def _summary_chart_height(count: int) -> float:
    """Centimetres: about 0.9 cm a bar, so that the chart fits one printed page."""
    return 4.0 + 0.9 * min(count, SUMMARY_CHART_LIMIT)


def _chart_rows(height_cm: float) -> int:
    """Rows of default height (15 pt = 0.529 cm) a chart of that height covers, plus one."""
    return math.ceil(height_cm / 0.529) + 1


_CHECK_HEADERS = ["Check", "Area", "Status", "Score", "Rating", "Confidence", "Summary", "Rationale",
                  "Recommendations", "Weight", "Weighted contribution", "Sources", "Override / error"]
_SOURCE_HEADERS = ["Title", "Kind", "Published", "Stale", "Publisher", "Id", "URL", "Used by"]
# The checks table and the evidence table share these columns (see _SOURCE_HEADERS): the
# narrow ones first, the long texts in G-I; about 280 characters wide, so that a
# landscape page still prints at a readable scale.
_VENDOR_COLS = [_Col(20, 30), _Col(11, 14), _Col(11, 17), _Col(8, 8), _Col(10, 15), _Col(11, 16),
                _Col(26, 38), _Col(34, 48), _Col(26, 38), _Col(8, 8), _Col(13, 13), _Col(9, 12), _Col(18, 32)]


def _check_row(book: _Book, ws: Any, check: Mapping[str, Any]) -> list[Cell | None]:
    status = str(check.get("status") or "")
    status_style = {"ok": "text", "error": "warn"}.get(status, "na_left")
    note = "\n".join(t for t in (_override_text(check.get("override")),
                                 f"Error: {check['error']}" if check.get("error") else "") if t)
    return [
        book.text(ws, check.get("title") or check.get("id"), "bold"),
        book.text(ws, _area_label(str(check.get("category") or "")), "wrap"),
        book.text(ws, STATUS_LABELS.get(status, _humanise(status)), status_style),
        book.number(ws, check.get("score")),
        book.rating(ws, check.get("rating")),
        book.number(ws, check.get("confidence"), "pct"),
        book.text(ws, check.get("summary"), "wrap"),
        book.text(ws, _bullets(check.get("rationale")), "wrap"),
        book.text(ws, _bullets(check.get("recommendations")), "wrap"),
        book.number(ws, check.get("weight"), "weight", missing=None),
        book.number(ws, check.get("weighted_contribution"), "score", missing=None),
        book.text(ws, ", ".join(str(s) for s in check.get("sources") or ()), "wrap"),
        book.text(ws, note, "warn" if check.get("error") else "wrap"),
    ]


def _write_vendor(book: _Book, ws: Any, vendor: Mapping[str, Any], summary_title: str,
                  areas: Sequence[str], index: int) -> None:
    grid = _Grid(ws, _VENDOR_COLS)
    overall = vendor.get("overall") if isinstance(vendor.get("overall"), Mapping) else {}
    checks = _sorted_by_id(vendor.get("checks"))
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
    pair("Recommendation", book.text(ws, _humanise(overall.get("recommendation")), "value_bold"))
    pair("Confidence", book.number(ws, overall.get("confidence"), "pct_left", missing_style="na_left"))
    scored, total = overall.get("scored_checks"), overall.get("total_checks")
    if scored is not None and total is not None:
        pair("Checks scored", book.text(ws, f"{scored} of {total}", "value"))
    gates = [g for g in overall.get("gates") or () if isinstance(g, Mapping)]
    pair("Gates", book.text(ws, "; ".join(_gates_text(book, {"gates": [g]}) for g in gates) or "none",
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
    vendor_areas = vendor.get("areas") if isinstance(vendor.get("areas"), Mapping) else {}
    shown_areas = [a for a in areas if a in vendor_areas] or list(AREA_ORDER)
    area_first = grid.next_row
    for area in shown_areas:
        grid.add([book.text(ws, _area_label(area), "label"), book.number(ws, vendor_areas.get(area))],
                 measure=False)
    area_last = grid.next_row - 1
    chart_height = max(6.5, 1.6 + 1.0 * len(shown_areas))
    # The chart sits to the right of the header block; pad so it ends before the checks.
    chart_end = block_start + _chart_rows(chart_height)
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
    source_header = grid.add([book.text(ws, h, "header") for h in _SOURCE_HEADERS], measure=False)
    sources = _sorted_by_id(vendor.get("sources"))
    for source in sources:
        title_c, kind_c, published_c, id_c, stale_c, publisher_c, url_c, used_c = \
            _source_cells(book, ws, source, titles)
        # In the order of _SOURCE_HEADERS: the id in the wider column F, "Stale" fits in D.
        grid.add([title_c, kind_c, published_c, stale_c, publisher_c, id_c, url_c, used_c])
    source_last = grid.next_row - 1
    if not sources:
        grid.add([book.text(ws, "The profile cites no sources.", "note")], measure=False)
    grid.flush()
    book.add_table(ws, f"tbl_Checks_{index}", _CHECK_HEADERS, check_header, check_last)
    book.add_table(ws, f"tbl_Sources_{index}", _SOURCE_HEADERS, source_header, source_last)
    if check_last > check_header:
        book.score_bands(ws, f"D{check_header + 1}:D{check_last}")
    book.score_bands(ws, f"B{area_first}:B{area_last}")
    scores = [_num(vendor_areas.get(a)) for a in shown_areas]
    chart = _score_bar_chart(
        ws, title="Area scores (0-100, higher is safer)", label_col=1, value_col=2, first_row=area_first,
        labels=[_area_label(a) for a in shown_areas], values=scores,
        ratings=[None if s is None else rating_for(s, book.bands) for s in scores], series_name="Area score")
    chart.width, chart.height = 14, chart_height
    ws.add_chart(chart, f"H{block_start}")
    ws.print_title_rows = "1:2"
    ws.print_area = f"A1:{grid.last_col_letter}{grid.next_row - 1}"


def _source_cells(book: _Book, ws: Any, source: Mapping[str, Any],
                  check_titles: Mapping[str, str]) -> list[Cell | None]:
    url = source.get("url")
    used_by = [check_titles.get(str(c), str(c)) for c in source.get("used_by") or ()]
    stale = source.get("stale")
    return [
        book.text(ws, source.get("title") or source.get("id"), "wrap"),
        book.text(ws, _humanise(source.get("kind")), "wrap"),
        book.date(ws, source.get("published")) or book.text(ws, "undated", "na_left"),
        book.text(ws, source.get("id"), "wrap"),
        book.text(ws, "Stale" if stale else "No", "warn" if stale else "text"),
        book.text(ws, source.get("publisher"), "wrap"),
        book.link(ws, url or "", url) if url else book.text(ws, "no URL", "na_left"),
        book.text(ws, _bullets(used_by) if len(used_by) > 1 else ", ".join(used_by), "wrap"),
    ]


_FINDING_HEADERS = ["Vendor id", "Vendor", "Check id", "Check", "Area", "Status", "Score", "Rating",
                    "Confidence", "Weight", "Weighted contribution", "Summary", "Rationale", "Recommendations",
                    "Sources", "Override", "Error"]


def _write_findings(book: _Book, ws: Any, vendors: Sequence[Mapping[str, Any]]) -> None:
    cols = [_Col(12, 22), _Col(16, 28), _Col(14, 24), _Col(16, 26), _Col(10, 14), _Col(10, 17),
            _Col(8, 8), _Col(9, 10), _Col(11, 11), _Col(8, 8), _Col(13, 13), _Col(26, 38), _Col(30, 50),
            _Col(26, 38), _Col(9, 14), _Col(18, 32), _Col(12, 32)]
    grid = _Grid(ws, cols, stream_after=STREAM_AFTER_ROWS, freeze="C2")
    grid.add([book.text(ws, h, "header") for h in _FINDING_HEADERS], measure=False)
    for vendor in vendors:
        name = vendor.get("name") or vendor.get("id")
        for check in _sorted_by_id(vendor.get("checks")):
            status = str(check.get("status") or "")
            grid.add([
                book.text(ws, vendor.get("id")),
                book.text(ws, name, "wrap"),
                book.text(ws, check.get("id")),
                book.text(ws, check.get("title"), "wrap"),
                book.text(ws, _area_label(str(check.get("category") or "")), "wrap"),
                book.text(ws, STATUS_LABELS.get(status, _humanise(status)),
                          {"ok": "text", "error": "warn"}.get(status, "na_left")),
                book.number(ws, check.get("score"), missing=None),
                book.rating(ws, check.get("rating")) if check.get("rating") else None,
                book.number(ws, check.get("confidence"), "pct", missing=None),
                book.number(ws, check.get("weight"), "weight", missing=None),
                book.number(ws, check.get("weighted_contribution"), missing=None),
                book.text(ws, check.get("summary"), "wrap"),
                book.text(ws, _bullets(check.get("rationale")), "wrap"),
                book.text(ws, _bullets(check.get("recommendations")), "wrap"),
                book.text(ws, ", ".join(str(s) for s in check.get("sources") or ()), "wrap"),
                book.text(ws, _override_text(check.get("override")), "wrap"),
                book.text(ws, check.get("error"), "warn"),
            ])
    last = grid.next_row - 1
    grid.flush(freeze="C2")
    book.add_table(ws, "tbl_Findings", _FINDING_HEADERS, 1, last)
    if last > 1:
        book.score_bands(ws, f"G2:G{last}")
    ws.print_area = f"A1:{grid.last_col_letter}{max(last, 1)}"


_EVIDENCE_HEADERS = ["Vendor id", "Vendor", "Source id", "Title", "Publisher", "Published", "Kind", "Stale",
                     "Used by", "URL"]


def _write_evidence(book: _Book, ws: Any, vendors: Sequence[Mapping[str, Any]]) -> None:
    cols = [_Col(12, 24), _Col(16, 30), _Col(9, 22), _Col(24, 45), _Col(14, 30), _Col(11, 11),
            _Col(10, 15), _Col(7, 7), _Col(20, 40), _Col(24, 60)]
    grid = _Grid(ws, cols, stream_after=STREAM_AFTER_ROWS, freeze="C2")
    grid.add([book.text(ws, h, "header") for h in _EVIDENCE_HEADERS], measure=False)
    for vendor in vendors:
        check_titles = {str(c.get("id")): str(c.get("title") or c.get("id"))
                        for c in _sorted_by_id(vendor.get("checks"))}
        for source in _sorted_by_id(vendor.get("sources")):
            cells = _source_cells(book, ws, source, check_titles)
            title_c, kind_c, published_c, id_c, stale_c, publisher_c, url_c, used_c = cells
            grid.add([book.text(ws, vendor.get("id")),
                      book.text(ws, vendor.get("name") or vendor.get("id"), "wrap"),
                      id_c, title_c, publisher_c, published_c, kind_c, stale_c, used_c, url_c])
    last = grid.next_row - 1
    grid.flush(freeze="C2")
    book.add_table(ws, "tbl_Evidence", _EVIDENCE_HEADERS, 1, last)
    ws.print_area = f"A1:{grid.last_col_letter}{max(last, 1)}"


_ERROR_HEADERS = ["File", "Pointer", "Line", "Column", "Message"]


def _write_errors(book: _Book, ws: Any, errors: Sequence[Any]) -> None:
    grid = _Grid(ws, [_Col(20, 50), _Col(12, 40), _Col(6, 6), _Col(8, 8), _Col(40, 90)])
    grid.add([book.text(ws, h, "header") for h in _ERROR_HEADERS], measure=False)
    rows = [e for e in errors if isinstance(e, Mapping)]
    rows.sort(key=lambda e: (str(e.get("file", "")), _num(e.get("line")) or 0, str(e.get("pointer", ""))))
    for error in rows:
        grid.add([book.text(ws, error.get("file")), book.text(ws, error.get("pointer"), "wrap"),
                  book.number(ws, error.get("line"), "int", missing=None),
                  book.number(ws, error.get("column"), "int", missing=None),
                  book.text(ws, error.get("message"), "wrap")])
    last = grid.next_row - 1
    grid.flush(freeze="A2")
    book.add_table(ws, "tbl_InputErrors", _ERROR_HEADERS, 1, last)
    ws.print_area = f"A1:E{max(last, 1)}"


def _write_portfolio(book: _Book, ws: Any, portfolio: Mapping[str, Any]) -> None:
    """The portfolio sections as Section / Item / Value rows (nested keys dotted).

    A placeholder the portfolio analysis may replace with its own layout.
    """
    grid = _Grid(ws, [_Col(16, 30), _Col(16, 50), _Col(12, 80)])
    header = ["Section", "Item", "Value"]
    grid.add([book.text(ws, h, "header") for h in header], measure=False)
    for key in sorted(portfolio, key=str):
        for item, value in _flatten(portfolio[key]):
            if _num(value) is not None:
                cell = book.number(ws, value, "general", missing=None)
            else:
                cell = book.text(ws, _leaf_text(value), "wrap")
            grid.add([book.text(ws, _humanise(key), "bold"), book.text(ws, item or "—", "wrap"), cell])
    last = grid.next_row - 1
    grid.flush(freeze="A2")
    book.add_table(ws, "tbl_Portfolio", header, 1, last)
    ws.print_area = f"A1:C{max(last, 1)}"


def _flatten(value: Any, prefix: str = "") -> list[tuple[str, Any]]:
    """Nested mappings as ``(dotted.key, leaf)`` pairs, keys sorted; lists are leaves."""
    if isinstance(value, Mapping) and value:
        out: list[tuple[str, Any]] = []
        for key in sorted(value, key=str):
            out.extend(_flatten(value[key], f"{prefix}.{key}" if prefix else str(key)))
        return out
    return [(prefix, value)]


def _leaf_text(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    return _compact_json(value)


def _write_methodology(book: _Book, ws: Any, vendors: Sequence[Mapping[str, Any]]) -> None:
    results, policy = book.results, book.policy
    cols = [_Col(22, 50), _Col(24, 66), _Col(11, 20), _Col(9, 14), _Col(8, 10), _Col(20, 36), _Col(24, 60)]
    grid = _Grid(ws, cols)
    tool = results.get("tool") if isinstance(results.get("tool"), Mapping) else {}

    def section(title: str, headers: Sequence[str] = ()) -> None:
        grid.blank()
        grid.add([book.text(ws, title, "section")], measure=False)
        if headers:
            grid.add([book.text(ws, h, "header") for h in headers], measure=False)

    def pair(label: str, value: Any) -> None:
        grid.add([book.text(ws, label, "label"), book.text(ws, value, "wrap")])

    grid.add([book.text(ws, "Methodology and audit trail", "title")], measure=False)
    grid.add([book.text(ws, "Everything needed to reproduce this scorecard: the same inputs, policy, "
                            "plugins and as-of date give the same workbook.", "subtitle")], measure=False)
    section("Run")
    pair("Tool", f"{tool.get('name', 'vendordd')} {tool.get('version', __version__)}")
    pair("Results format", str(results.get("format_version", "")))
    pair("Assessed as of", book.as_of.isoformat())
    pair("Policy", f"{policy.get('name') or 'Default policy'} (policy format {policy.get('policy_version', '?')})")
    pair("Vendors assessed", str(len(vendors)))

    section("How scores are computed")
    low, medium, high = (f"{book.bands[k]:g}" for k in ("low", "medium", "high"))
    min_conf = _num(policy.get("min_confidence"))
    lines = [
        "Each check scores one aspect of a vendor from 0 to 100 (higher is safer), using only the facts in the "
        "vendor's profile and the sources it cites.",
        "A check without enough evidence reports 'insufficient data' and is left out of the score: missing "
        "evidence never counts as a number.",
        "The overall score is the weighted average of the scored checks (weights below); 'weighted "
        "contribution' is each check's share of it.",
        f"Bands: low risk at {low} or above, medium at {medium} or above, high at {high} or above, "
        f"critical below {high}. A gate can make a tier worse, never better.",
        "Confidence (0-100%) reflects how complete, recent and well sourced the evidence is"
        + (f"; below {min_conf:.0%} a recommendation to approve needs escalation." if min_conf is not None
           else "."),
        "Analyst overrides are listed below with their reason and approver. "
        "See docs/methodology.md for the full method.",
    ]
    for line in lines:
        grid.add([book.text(ws, line, "text")], measure=False)

    section("Plugins", ["Plugin", "Where", "Origin", "Version"])
    for plugin in sorted((p for p in results.get("plugins") or () if isinstance(p, Mapping)),
                         key=lambda p: (str(p.get("name", "")), str(p.get("where", "")))):
        grid.add([book.text(ws, plugin.get("name"), "wrap"), book.text(ws, plugin.get("where"), "wrap"),
                  book.text(ws, plugin.get("origin")), book.text(ws, plugin.get("version"))])

    section("Checks", ["Check id", "Title", "Area", "Version", "Weight", "Plugin", "Settings"])
    for check in _sorted_by_id(results.get("checks")):
        settings = check.get("settings")
        grid.add([book.text(ws, check.get("id"), "wrap"), book.text(ws, check.get("title"), "wrap"),
                  book.text(ws, _area_label(str(check.get("category") or "")), "wrap"),
                  book.text(ws, check.get("version")),
                  book.number(ws, check.get("weight"), "weight", missing=None),
                  book.text(ws, check.get("plugin"), "wrap"),
                  book.text(ws, _compact_json(settings) if settings else "—", "wrap")])

    section("Policy in force", ["Setting", "Value"])
    rest = {k: v for k, v in policy.items() if k not in ("gates", "overrides")}
    for key, value in _flatten(rest):
        grid.add([book.text(ws, key, "wrap"), book.text(ws, _leaf_text(value), "wrap")])

    section("Gates", ["Check", "At or above rating", "Caps tier at"])
    gates = [g for g in policy.get("gates") or () if isinstance(g, Mapping)]
    for gate in gates:
        grid.add([book.text(ws, gate.get("check"), "wrap"), book.text(ws, gate.get("rating")),
                  book.text(ws, gate.get("tier"))])
    if not gates:
        grid.add([book.text(ws, "No gates.", "note")], measure=False)

    section("Overrides applied", ["Vendor — check", "Override"])
    applied = 0
    for vendor in vendors:
        for check in _sorted_by_id(vendor.get("checks")):
            if check.get("override") not in (None, "", {}):
                applied += 1
                grid.add([book.text(ws, f"{vendor.get('name') or vendor.get('id')} — "
                                        f"{check.get('title') or check.get('id')}", "wrap"),
                          book.text(ws, _override_text(check.get("override")), "wrap")])
    if not applied:
        grid.add([book.text(ws, "No override was applied.", "note")], measure=False)

    section("Input files", ["File", "SHA-256"])
    for item in sorted((i for i in results.get("inputs") or () if isinstance(i, Mapping)),
                       key=lambda i: str(i.get("file", ""))):
        grid.add([book.text(ws, item.get("file"), "wrap"), book.text(ws, item.get("sha256"))])

    screening = results.get("screening") if isinstance(results.get("screening"), Mapping) else None
    if screening:
        section("Screening lists", ["File", "Format", "List date", "Date from", "Entries", "Lists"])
        for item in screening.get("lists") or ():
            counts = item.get("lists") if isinstance(item.get("lists"), Mapping) else {}
            grid.add([book.text(ws, item.get("file"), "wrap"), book.text(ws, item.get("format")),
                      book.text(ws, item.get("date")), book.text(ws, item.get("date_source"), "wrap"),
                      book.number(ws, item.get("entries"), "general", missing=None),
                      book.text(ws, ", ".join(f"{k} {v}" for k, v in sorted(counts.items())), "wrap")])
        pair("Thresholds", f"strong at {screening.get('strong_threshold')}, potential at "
                           f"{screening.get('potential_threshold')} (0-100 name similarity)")

    run_warnings = [w for w in results.get("warnings") or () if w not in (None, "")]
    if run_warnings:
        section("Run warnings")
        for warning in run_warnings:
            grid.add([book.text(ws, warning, "text")], measure=False)
    grid.flush()
    ws.print_area = f"A1:{grid.last_col_letter}{grid.next_row - 1}"


# --------------------------------------------------------------------------- template and saving

_MAX_TEMPLATE_BYTES = 100 * 1024 * 1024


def _check_template(template: Path) -> None:
    """Refuse anything but a plain, modest .xlsx: no macros, no DTDs (entity bombs)."""
    suffix = template.suffix.lower()
    if suffix in (".xlsm", ".xltm", ".xlsb", ".xlam"):
        raise ScorecardError(f"template {template} is a macro-enabled workbook ({suffix}); use a .xlsx template")
    if suffix != ".xlsx":
        raise ScorecardError(f"template {template} must be a .xlsx file")
    if not template.is_file():
        raise ScorecardError(f"template {template} does not exist or is not a file")
    try:
        with zipfile.ZipFile(template) as archive:
            infos = archive.infolist()
            if sum(i.file_size for i in infos) > _MAX_TEMPLATE_BYTES:
                raise ScorecardError(f"template {template} is too large (over 100 MB unpacked)")
            for info in infos:
                name = info.filename.lower()
                if name.endswith("vbaproject.bin") or name.startswith("xl/activex"):
                    raise ScorecardError(f"template {template} contains macros or ActiveX; "
                                         "use a template without them")
                if name.endswith((".xml", ".rels", ".vml")):
                    with archive.open(info) as fh:
                        head = fh.read(4096)
                    if b"<!DOCTYPE" in head.upper() or b"<!ENTITY" in head.upper():
                        raise ScorecardError(f"template {template} contains an XML document type "
                                             f"declaration ({info.filename}); refusing to read it")
    except zipfile.BadZipFile:
        raise ScorecardError(f"template {template} is not a valid .xlsx file") from None
    except OSError as exc:
        raise ScorecardError(f"template {template} could not be read: {exc.strerror or exc}") from None


def _open_template(template: Path) -> Workbook:
    _check_template(template)
    try:
        workbook = load_workbook(template, keep_vba=False, keep_links=False, rich_text=False)
    except Exception as exc:  # an untrusted file can fail in many ways; report it in one line
        raise ScorecardError(f"template {template} could not be read: {type(exc).__name__}: "
                             f"{' '.join(str(exc).split())[:200]}") from None
    workbook.template = False
    for sheet in workbook._sheets:
        view = getattr(sheet, "sheet_view", None)
        if view is not None:
            view.tabSelected = False
    return workbook


def _zip_time(as_of: dt.date) -> tuple[int, int, int, int, int, int]:
    return max((as_of.year, as_of.month, as_of.day, 0, 0, 0), (1980, 1, 1, 0, 0, 0))


class _FixedTimeZipFile(zipfile.ZipFile):
    """A zip file whose every entry gets the same timestamp and attributes (reproducible bytes)."""

    def __init__(self, file: IO[bytes], date_time: tuple[int, int, int, int, int, int]) -> None:
        super().__init__(file, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
        self._fixed_time = date_time

    def _info(self, name: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=self._fixed_time)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.create_system = 0
        info.external_attr = 0
        return info

    def writestr(self, zinfo_or_arcname: Any, data: Any, compress_type: Any = None,
                 compresslevel: Any = None) -> None:
        info = zinfo_or_arcname
        if not isinstance(info, zipfile.ZipInfo):
            info = self._info(str(info))
        super().writestr(info, data)

    def write(self, filename: Any, arcname: Any = None, compress_type: Any = None,
              compresslevel: Any = None, *, strict_timestamps: bool = True) -> None:
        info = self._info(str(arcname if arcname is not None else filename))
        info.file_size = os.path.getsize(filename)
        with open(filename, "rb") as src, self.open(info, "w") as dst:
            shutil.copyfileobj(src, dst, 1024 * 1024)


def _save(workbook: Workbook, fh: IO[bytes], as_of: dt.date) -> None:
    """Serialise ``workbook`` into ``fh`` without touching its (pinned) document times."""
    archive = _FixedTimeZipFile(fh, _zip_time(as_of))
    try:
        ExcelWriter(workbook, archive).save()
    finally:
        archive.close()


def save_reproducibly(workbook: Workbook, path: os.PathLike | str, day: dt.date,
                      protected: Iterable[os.PathLike | str] = ()) -> None:
    """Save ``workbook`` atomically to ``path`` so that the bytes depend only on its content and ``day``.

    Document times are pinned to midnight of ``day`` and every zip entry is
    stamped with that date (openpyxl would use the clock for both).
    """
    moment = dt.datetime(day.year, day.month, day.day)
    workbook.properties.created = moment
    workbook.properties.modified = moment
    atomic_write(path, lambda fh: _save(workbook, fh, day), protected=protected)


def _set_properties(workbook: Workbook, results: Mapping[str, Any], as_of: dt.date) -> None:
    moment = dt.datetime(as_of.year, as_of.month, as_of.day)
    props = workbook.properties
    tool = results.get("tool") if isinstance(results.get("tool"), Mapping) else {}
    version = safe_text(tool.get("version") or __version__, 40)
    policy = results.get("policy") if isinstance(results.get("policy"), Mapping) else {}
    props.title = "Vendor due-diligence scorecard"
    props.subject = safe_text(f"Vendor due diligence as of {as_of.isoformat()} under "
                              f"{policy.get('name') or 'the default policy'}", 255)
    props.creator = f"vendordd {version}"
    props.lastModifiedBy = f"vendordd {version}"
    props.keywords = "vendor due diligence; scorecard"
    props.created = moment
    props.modified = moment


def _as_of(results: Mapping[str, Any]) -> dt.date:
    value = results.get("as_of")
    if isinstance(value, dt.date):
        return value if not isinstance(value, dt.datetime) else value.date()
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ScorecardError(f"the results have no valid as_of date (got {value!r})") from None


def _check_output(path: Path, protected: Sequence[os.PathLike | str]) -> None:
    if path.suffix.lower() != ".xlsx":
        raise ScorecardError(f"output {path} must end in .xlsx (Excel refuses other extensions for this format)")
    try:
        check_not_protected(path, protected)
    except ProtectedPathError as exc:
        raise ScorecardError(f"output {path} is one of the inputs; {exc}") from None
    folder = path.absolute().parent
    if not folder.is_dir():
        raise ScorecardError(f"output folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ScorecardError(f"output folder {folder} is not writable")
    if path.is_dir():
        raise ScorecardError(f"output {path} is a folder")


# --------------------------------------------------------------------------- size limits

#: Data rows a sheet holds below its header row (Excel: 1,048,576 rows in all).
MAX_TABLE_ROWS = MAX_ROWS - 1
#: Summary rows besides one per vendor (title, notes, header, the chart's rows), with room to spare.
_SUMMARY_EXTRA_ROWS = 100
#: Methodology rows besides the counted ones (run facts, method text, section headings).
_METHODOLOGY_EXTRA_ROWS = 200


def _mappings(items: Any) -> int:
    return sum(1 for item in items or () if isinstance(item, Mapping)) if isinstance(items, list) else 0


def row_counts(results: Mapping[str, Any]) -> dict[str, tuple[int, str]]:
    """The rows each sheet that grows with the input will need, and what they count.

    Cheap: counts entries of ``results``, builds nothing. Per-vendor sheets
    are left out: their size is bounded by the profile schema's list limits.
    """
    vendors = _vendors(results)
    checks = overrides = 0
    for vendor in vendors:
        for check in vendor.get("checks") if isinstance(vendor.get("checks"), list) else ():
            if isinstance(check, Mapping):
                checks += 1
                overrides += check.get("override") not in (None, "", {})
    policy = results.get("policy") if isinstance(results.get("policy"), Mapping) else {}
    methodology = (_METHODOLOGY_EXTRA_ROWS + len(results.get("plugins") or ()) + len(results.get("checks") or ())
                   + len(_flatten({k: v for k, v in policy.items() if k not in ("gates", "overrides")}))
                   + len(policy.get("gates") or ()) + overrides + len(results.get("inputs") or ())
                   + len(results.get("warnings") or ()))
    return {
        "Summary": (len(vendors) + _SUMMARY_EXTRA_ROWS, f"{len(vendors):,} vendors"),
        "Findings": (checks, f"{len(vendors):,} vendors × their checks"),
        "Evidence": (sum(_mappings(v.get("sources")) for v in vendors), f"the sources of {len(vendors):,} vendors"),
        "Input errors": (_mappings(results.get("errors")), "one per input error"),
        "Methodology": (methodology, "checks, policy settings, overrides, input files and warnings"),
    }


def check_row_limits(results: Mapping[str, Any]) -> None:
    """Raise :class:`ScorecardError` when a sheet would exceed Excel's rows (before anything is built).

    The message names the sheet, the rows it would need and how many runs
    the input should be split into.
    """
    for sheet, (rows, what) in row_counts(results).items():
        if rows > MAX_TABLE_ROWS:
            runs = math.ceil(rows / MAX_TABLE_ROWS)
            raise ScorecardError(f"the {sheet} sheet would need {rows:,} rows ({what}), more than the "
                                 f"{MAX_TABLE_ROWS:,} an Excel sheet holds below its header; split the "
                                 f"profiles into at least {runs} smaller runs")


# --------------------------------------------------------------------------- entry point

def write_scorecard(results: Mapping, path: os.PathLike, *, template: os.PathLike | None = None,
                    extra_sheets: Callable[[Workbook, SheetWriter], None] | None = None,
                    vendor_sheet_limit: int = 250, protected_paths: Iterable[os.PathLike] = ()) -> None:
    """Write the scorecard for ``results`` (the results document) to ``path`` (.xlsx).

    ``template``: a .xlsx whose sheets (a cover, say) come first; macro-enabled
    files are refused. ``extra_sheets(workbook, writer)`` is called after the
    built-in sheets and before Methodology, with a :class:`SheetWriter`.
    Vendors beyond ``vendor_sheet_limit`` get no sheet of their own (the
    Summary says so; Findings and Evidence list everyone).
    ``protected_paths``: the run's inputs, never overwritten.

    The same ``results`` (and template) give a byte-identical file. The file
    at ``path`` is replaced all-or-nothing. Raises :class:`ScorecardError`
    (one line) for a bad template or output path, or for results too large
    for Excel's rows (:func:`check_row_limits`, checked before anything is
    built); errors raised by ``extra_sheets`` propagate unchanged and leave
    ``path`` untouched.
    """
    out = Path(path)
    protected = [*protected_paths, *([template] if template is not None else [])]
    _check_output(out, protected)
    as_of = _as_of(results)
    check_row_limits(results)
    if template is not None:
        workbook = _open_template(Path(template))
        existing_names = [*workbook.defined_names.keys(),
                          *(name for ws in workbook.worksheets for name in ws.tables)]
    else:
        workbook = Workbook(write_only=True)
        existing_names = []
    book = _Book(workbook, results, as_of, workbook.sheetnames, existing_names)
    try:
        _build(book, extra_sheets, max(int(vendor_sheet_limit), 0))
        _set_properties(workbook, results, as_of)
        try:
            atomic_write(out, lambda fh: _save(workbook, fh, as_of), protected=protected)
        except ProtectedPathError as exc:
            raise ScorecardError(f"output {out} is one of the inputs; {exc}") from None
        except OSError as exc:
            raise ScorecardError(f"could not write {out}: {exc.strerror or exc}") from exc
    except BaseException:
        _discard(workbook)
        raise


def _discard(workbook: Workbook) -> None:
    """Close and delete the temporary files of a write-only workbook that will not be saved."""
    if not workbook.write_only:
        return
    for ws in workbook.worksheets:
        writer = getattr(ws, "_writer", None)
        if writer is None:
            continue
        with contextlib.suppress(Exception):
            if not ws.closed:
                ws.close()
        with contextlib.suppress(Exception):
            writer.cleanup()


def _build(book: _Book, extra_sheets: Callable[[Workbook, SheetWriter], None] | None, limit: int) -> None:
    results = book.results
    vendors = _vendors(results)
    errors = [e for e in results.get("errors") or () if isinstance(e, Mapping)]
    portfolio = results.get("portfolio") if isinstance(results.get("portfolio"), Mapping) else {}
    # Built-in titles first, so a vendor called "Summary" gets "Summary (2)".
    summary_title = book.titles.take("Summary")
    errors_title = book.titles.take("Input errors") if errors else None
    findings_title = book.titles.take("Findings")
    evidence_title = book.titles.take("Evidence")
    # Reserved so no vendor takes it; a plugin asking for it gets it (see SheetWriter.sheet).
    book.claimable["portfolio"] = book.titles.take("Portfolio")
    methodology_title = book.titles.take("Methodology")
    vendor_titles = _vendor_sheet_titles(book, vendors, limit)
    areas = _areas(vendors)

    summary = book.new_sheet(summary_title, header_rows=None, gridlines=False)
    summary.sheet_view.tabSelected = True
    book.wb.active = summary
    errors_ws = book.new_sheet(errors_title, header_rows="1:1") if errors_title else None
    # Every sheet is created before any is written: write-only sheets keep creation order.
    vendor_ws = [book.new_sheet(t, header_rows="1:2", gridlines=False) if t else None for t in vendor_titles]
    findings = book.new_sheet(findings_title, header_rows="1:1")
    evidence = book.new_sheet(evidence_title, header_rows="1:1")

    _write_summary(book, summary, vendors, vendor_titles, areas, limit, errors_title)
    if errors_ws is not None:
        _write_errors(book, errors_ws, errors)
    for index, (vendor, ws) in enumerate(zip(vendors[:limit], vendor_ws, strict=False), 1):
        _write_vendor(book, ws, vendor, summary_title, areas, index)
    _write_findings(book, findings, vendors)
    _write_evidence(book, evidence, vendors)
    if extra_sheets is not None:
        writer = SheetWriter(book)
        extra_sheets(book.wb, writer)
        writer._finish()
    present = {title.casefold() for title in book.wb.sheetnames}
    for title in book.wb.sheetnames:  # a plugin may have made sheets directly
        book.titles.reserve(title)
    portfolio_title = book.claimable.pop("portfolio", None)
    if portfolio and portfolio_title and portfolio_title.casefold() not in present:
        _write_portfolio(book, book.new_sheet(portfolio_title, header_rows="1:1"), portfolio)
    if methodology_title in book.wb.sheetnames:
        methodology_title = book.titles.take("Methodology")
    methodology = book.new_sheet(methodology_title, header_rows=None)
    _write_methodology(book, methodology, vendors)
