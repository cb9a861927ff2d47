"""Build templates/scorecard.xlsx, the example scorecard template (a cover sheet).

Run ``python -m vendordd.templates.make_scorecard_template [OUT.xlsx]``. The
output is byte-stable: the same code gives the same file, so the shipped
template can be checked against a fresh build.

A customer copies the template, puts in their name and logo and their own
confidentiality wording, and passes it with ``vendordd run --template``: its
sheets come first, the scorecard's sheets follow.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties

from vendordd.scorecard import save_reproducibly

#: The date pinned into the template's document properties and zip entries.
TEMPLATE_DATE = dt.date(2026, 1, 1)

FONT = "Calibri"
NAVY = "1F3864"
GREY = "595959"

GUIDE = [
    ("Summary", "one row per vendor: overall score, tier, recommendation, area scores, top risks."),
    ("Vendor sheets", "every check with its score, rationale and recommendations, and the evidence cited."),
    ("Findings, Evidence", "flat tables of every check and every source, for filters and pivot tables."),
    ("Methodology", "tool and plugin versions, weights, the policy and input file hashes, for audit."),
]


def build(path: Path) -> None:
    """Write the cover-sheet template to ``path``."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Cover"
    ws.sheet_view.showGridLines = False
    for col, width in {"A": 3, "B": 24, "C": 16, "D": 60, "E": 3}.items():
        ws.column_dimensions[col].width = width

    ws["B2"] = "Vendor due-diligence scorecard"
    ws["B2"].font = Font(name=FONT, size=26, bold=True, color=NAVY)
    ws.row_dimensions[2].height = 40
    ws["B3"] = "Prepared for [Customer name]"
    ws["B3"].font = Font(name=FONT, size=14, color=GREY)
    ws.row_dimensions[3].height = 22

    dashed = Side(style="dashed", color="A6A6A6")
    ws.merge_cells("B5:B10")
    ws["B5"] = "[Your logo here]"
    ws["B5"].font = Font(name=FONT, size=11, italic=True, color="A6A6A6")
    ws["B5"].alignment = Alignment(horizontal="center", vertical="center")
    for row in range(5, 11):
        ws.cell(row, 2).border = Border(left=dashed, right=dashed,
                                        top=dashed if row == 5 else None,
                                        bottom=dashed if row == 10 else None)
    details = [("Prepared by", "[Procurement / third-party risk team]"),
               ("Contact", "[name@customer.example]"),
               ("Reference", "[Procurement case number]")]
    for offset, (label, value) in enumerate(details):
        ws.cell(5 + offset, 3, label).font = Font(name=FONT, size=11, bold=True, color="404040")
        ws.cell(5 + offset, 3).alignment = Alignment(indent=1)
        ws.cell(5 + offset, 4, value).font = Font(name=FONT, size=11, color=GREY)

    ws["B12"] = "Confidential"
    ws["B12"].font = Font(name=FONT, size=12, bold=True, color="C00000")
    ws.merge_cells("B13:D15")
    ws["B13"] = ("This workbook holds confidential information prepared for [Customer name]'s internal "
                 "procurement decisions. Do not share it outside the organisation without approval. "
                 "Scores reflect only the evidence listed in the workbook, as of the assessment date shown "
                 "on the Summary sheet; they are an input to a decision, not the decision.")
    ws["B13"].font = Font(name=FONT, size=11)
    ws["B13"].alignment = Alignment(wrap_text=True, vertical="top")
    ws["B13"].fill = PatternFill("solid", fgColor="F2F2F2")
    for row in (13, 14, 15):
        ws.row_dimensions[row].height = 20

    ws["B17"] = "How to read this workbook"
    ws["B17"].font = Font(name=FONT, size=13, bold=True, color=NAVY)
    for offset, (sheet, what) in enumerate(GUIDE):
        ws.cell(18 + offset, 2, sheet).font = Font(name=FONT, size=11, bold=True)
        ws.cell(18 + offset, 3, what).font = Font(name=FONT, size=11)

    ws["B23"] = "Edit this cover (name, logo, wording) and pass the file with vendordd run --template."
    ws["B23"].font = Font(name=FONT, size=9, italic=True, color=GREY)

    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins = PageMargins(left=0.6, right=0.6, top=0.8, bottom=0.8)
    ws.print_area = "A1:E24"

    wb.properties.title = "Vendor due-diligence scorecard template"
    wb.properties.creator = "vendordd"
    wb.properties.lastModifiedBy = "vendordd"
    save_reproducibly(wb, path, TEMPLATE_DATE)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else Path(__file__).with_name("scorecard.xlsx")
    build(out)
    print(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
