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

The package, one module per concern: :mod:`.styles` (the house look),
:mod:`.naming` (sheet, table and header names), :mod:`.layout` (column
widths, row heights, the row grid), :mod:`.charts`, :mod:`.book` (the cells
every sheet makes), :mod:`.plugin_api` (the ``scorecard_sheets`` hook's
writer), :mod:`.registry` and :mod:`.sheets` (one module per sheet),
:mod:`.template`, :mod:`.saving` (reproducible, atomic), :mod:`.limits`
(Excel's row limits), :mod:`.writer` (the entry point). Every use of
openpyxl's private names is in :mod:`.openpyxl_internals`.
"""

from __future__ import annotations

from .errors import ScorecardError
from .limits import MAX_TABLE_ROWS, check_row_limits, row_counts
from .naming import SheetTitles
from .plugin_api import HouseSheet, SheetWriter
from .saving import save_reproducibly
from .writer import write_scorecard

__all__ = ["MAX_TABLE_ROWS", "HouseSheet", "ScorecardError", "SheetTitles", "SheetWriter", "check_row_limits",
           "row_counts", "save_reproducibly", "write_scorecard"]
