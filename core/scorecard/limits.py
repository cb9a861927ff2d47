"""Excel's size limits that openpyxl does not enforce, and the check made before anything is built."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from .errors import ScorecardError
from .values import flatten, mapping, vendors_of

MAX_ROWS = 1_048_576
MAX_COLS = 16_384
#: Excel's cap is 65,530 links per sheet; beyond this many, links are shown as text.
MAX_LINKS_PER_SHEET = 65_000
SHEET_TITLE_LIMIT = 31

#: Data rows a sheet holds below its header row (Excel: 1,048,576 rows in all).
MAX_TABLE_ROWS = MAX_ROWS - 1
#: Summary rows besides one per vendor (title, notes, header, the chart's rows), with room to spare.
SUMMARY_EXTRA_ROWS = 100
#: Methodology rows besides the counted ones (run facts, method text, section headings).
METHODOLOGY_EXTRA_ROWS = 200


def _mappings(items: Any) -> int:
    return sum(1 for item in items or () if isinstance(item, Mapping)) if isinstance(items, list) else 0


def row_counts(results: Mapping[str, Any]) -> dict[str, tuple[int, str]]:
    """The rows each sheet that grows with the input will need, and what they count.

    Cheap: counts entries of ``results``, builds nothing. Per-vendor sheets
    are left out: their size is bounded by the profile schema's list limits.
    """
    vendors = vendors_of(results)
    checks = overrides = 0
    for vendor in vendors:
        listed = vendor.get("checks")
        for check in listed if isinstance(listed, list) else ():
            if isinstance(check, Mapping):
                checks += 1
                overrides += check.get("override") not in (None, "", {})
    policy = mapping(results.get("policy"))
    methodology = (METHODOLOGY_EXTRA_ROWS + len(results.get("plugins") or ()) + len(results.get("checks") or ())
                   + len(flatten({k: v for k, v in policy.items() if k not in ("gates", "overrides")}))
                   + len(policy.get("gates") or ()) + overrides + len(results.get("inputs") or ())
                   + len(results.get("warnings") or ()))
    return {
        "Summary": (len(vendors) + SUMMARY_EXTRA_ROWS, f"{len(vendors):,} vendors"),
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
