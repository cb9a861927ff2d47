"""The house look: font, colours, and the named cell styles every sheet uses.

Every ``Font`` names its face: a nameless font renders as DejaVu Serif in
LibreOffice. A sheet asks :class:`Styles` for a style by name; every style is
registered when the workbook starts and copied onto each cell, or (in a
write-only workbook, whose cells nobody restyles once made) shared by them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray

from .openpyxl_internals import SharedPair, register_with_quote_prefix, shared_styles, style_array

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
BAR_COLOURS: Mapping[str | None, str] = {"low": "70AD47", "medium": "FFC000", "high": "ED7D31",
                                         "critical": "C00000", None: "A5A5A5"}

_THIN = Side(style="thin", color="BFBFBF")
_TOP = Alignment(vertical="top")
_NUMBER = Alignment(vertical="top", horizontal="right", indent=1)  # the indent keeps text next door apart
_TOP_WRAP = Alignment(vertical="top", wrap_text=True)

#: The house styles by name.
STYLE_SPECS: Mapping[str, Mapping[str, Any]] = {
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
    # one decimal, but 100 as "100": "100.0" does not fit the Summary's narrow area columns
    "score_narrow": {"font": Font(name=FONT, size=11), "alignment": _NUMBER, "number_format": "[=100]0;0.0"},
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
    "note": {"font": Font(name=FONT, size=11, italic=True, color=GREY), "alignment": _TOP},
    "link": {"font": Font(name=FONT, size=11, color=LINK_BLUE, underline="single"), "alignment": _TOP_WRAP},
    "link_bold": {"font": Font(name=FONT, size=11, bold=True, color=LINK_BLUE, underline="single"),
                  "alignment": _TOP_WRAP},
    "nav": {"font": Font(name=FONT, size=11, color=LINK_BLUE, underline="single"), "alignment": _TOP},
    "header_up": {"font": Font(name=FONT, size=11, bold=True, color="FFFFFF"),
                  "fill": PatternFill("solid", fgColor=NAVY),
                  "alignment": Alignment(vertical="bottom", horizontal="center", text_rotation=90),
                  "border": Border(bottom=_THIN)},
    "score_big_one": {"font": Font(name=FONT, size=14, bold=True), "alignment": _NUMBER, "number_format": "0.0"},
    "verdict": {"font": Font(name=FONT, size=14, bold=True, color=NAVY), "alignment": _TOP},
    "label_right": {"font": Font(name=FONT, size=11, bold=True, color="404040"), "alignment": _NUMBER},
    "label_small": {"font": Font(name=FONT, size=11, bold=True, color=GREY), "alignment": _TOP},
    "note_wrap": {"font": Font(name=FONT, size=11, italic=True, color=GREY), "alignment": _TOP_WRAP},
    "arith": {"font": Font(name=FONT, size=11, color="404040"), "alignment": _TOP_WRAP},
    "score_whole": {"font": Font(name=FONT, size=11), "alignment": _NUMBER, "number_format": "0"},
    "tally": {"font": Font(name=FONT, size=12, bold=True, color=NAVY), "alignment": _TOP},
    **{f"tier_{name}_left": {"font": Font(name=FONT, size=11, bold=True, color=text),
                             "fill": PatternFill("solid", fgColor=fill), "alignment": _TOP}
       for name, (fill, text) in TIER_COLOURS.items()},
    **{f"tier_{name}": {"font": Font(name=FONT, size=11, bold=True, color=text),
                        "fill": PatternFill("solid", fgColor=fill),
                        "alignment": Alignment(vertical="top", horizontal="center")}
       for name, (fill, text) in TIER_COLOURS.items()},
}


class Styles:
    """The house styles of one workbook, registered up front and copied onto cells.

    Copying a prepared style array is much faster than assigning font, fill,
    border and alignment to every cell. Every house style, and its variant
    with the quote prefix (:func:`vendordd.scorecard.openpyxl_internals.put_text`),
    is registered when the workbook starts, in :data:`STYLE_SPECS` order: a
    style's id then does not depend on which sheet used it first, so a sheet
    written in another process (:mod:`vendordd.scorecard.sheet_process`)
    gives the same bytes as one written here.
    """

    def __init__(self, workbook: Any) -> None:
        self._workbook = workbook
        self._arrays: dict[str, StyleArray] = {}
        self._shared: dict[str, SharedPair] = {}
        for name in STYLE_SPECS:
            register_with_quote_prefix(workbook, self.array(name))

    def _array(self, name: str) -> StyleArray:
        found = self._arrays.get(name)
        if found is None:
            found = self._arrays[name] = style_array(self._workbook, STYLE_SPECS[name])
        return found

    def array(self, name: str) -> StyleArray:
        """A fresh copy of house style ``name``'s array, for one cell."""
        return StyleArray(self._array(name))

    def shared(self, name: str) -> SharedPair:
        """House style ``name``'s arrays shared by many cells: plain, quote-prefixed, and whether
        it shows dates (:func:`~vendordd.scorecard.openpyxl_internals.shared_styles`).

        The same style as :meth:`array`'s copies (both registered up front), so
        the workbook's style table does not depend on which one a sheet asks for.
        """
        found = self._shared.get(name)
        if found is None:
            found = self._shared[name] = shared_styles(self._workbook, self._array(name))
        return found
