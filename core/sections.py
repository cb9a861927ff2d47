"""What a plugin's ``vendor_sheet_section`` hook returns: a section of a vendor's own sheet.

A section is data, not cells: the scorecard lays it out in the vendor
sheet's own columns and styles, after the checks and before the evidence
table, so that a plugin cannot break the sheet's print layout (docs/plugins.md,
``vendor_sheet_section``). Importing this module imports nothing heavy.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from .model import RATINGS

#: Rows a section shows on the vendor sheet; the rest become one "… N more" line.
MAX_SECTION_ROWS = 8

__all__ = ["MAX_SECTION_ROWS", "SectionRow", "VendorSection", "section_problems"]


@dataclass(frozen=True)
class SectionRow:
    """One line of a section, in the vendor sheet's columns.

    ``text`` is the line itself (the wide column, wrapped); ``label`` a short
    word before it; ``rating`` one of ``vendordd.RATINGS`` shown in its
    colour; ``score`` a 0-100 number; ``detail`` a note beside the text (the
    arithmetic, a date, what to do). Text is cut to a few printed lines.
    """

    text: str
    label: str | None = None
    rating: str | None = None
    score: float | None = None
    detail: str | None = None


@dataclass(frozen=True)
class VendorSection:
    """A titled block on one vendor's sheet: ``title``, an optional ``note`` beside it, ``rows``.

    ``rows`` are :class:`SectionRow` objects or plain strings (a string is
    ``SectionRow(text=...)``). A section with no rows shows its title and
    note only.
    """

    title: str
    rows: Sequence[SectionRow | str] = field(default_factory=tuple)
    note: str | None = None

    def lines(self) -> list[SectionRow]:
        """The rows, strings made :class:`SectionRow`."""
        return [row if isinstance(row, SectionRow) else SectionRow(text=row) for row in self.rows]


def section_problems(value: object) -> list[str]:
    """Why ``value`` is not a usable section (empty when it is one).

    Checked before anything is written, so a malformed section is left out
    whole, never half drawn.
    """
    if not isinstance(value, VendorSection):
        return [f"returned {type(value).__name__}, not a vendordd.sections.VendorSection"]
    problems = []
    if not isinstance(value.title, str) or not value.title.strip():
        problems.append("the section has no title")
    if value.note is not None and not isinstance(value.note, str):
        problems.append(f"note is {type(value.note).__name__}, not text")
    if isinstance(value.rows, (str, bytes)) or not isinstance(value.rows, Sequence):
        return [*problems, f"rows is {type(value.rows).__name__}, not a list"]
    for idx, row in enumerate(value.rows):
        if isinstance(row, str):
            continue
        if not isinstance(row, SectionRow):
            problems.append(f"row {idx} is {type(row).__name__}, not a SectionRow or text")
            continue
        for name in ("text", "label", "detail"):
            item = getattr(row, name)
            if item is not None and not isinstance(item, str):
                problems.append(f"row {idx}: {name} is {type(item).__name__}, not text")
        if row.rating is not None and row.rating not in RATINGS:
            problems.append(f"row {idx}: rating {row.rating!r} is not one of {', '.join(RATINGS)}")
        score = row.score
        if score is not None and (isinstance(score, bool) or not isinstance(score, (int, float))
                                  or not math.isfinite(score) or not 0 <= score <= 100):
            problems.append(f"row {idx}: score {score!r} is not a number from 0 to 100")
    return problems
