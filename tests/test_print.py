"""The examples' scorecard as a reader prints it: LibreOffice's PDF, measured.

Each printed page names its sheet in the footer (``&A``), so pages are counted per sheet;
``pdftotext -bbox`` gives every word's box. A cell in 8 pt Calibri (Carlito) at 100 % prints
with a word-box height of about 10.4 pt, so "8 pt or more on paper" is a median word height
of at least 10.2 on the page (fitting or scaling a sheet shrinks it proportionally).

Skipped, with the reason, when LibreOffice or poppler's pdftotext is not installed
(``.ci/run`` installs both).
"""

from __future__ import annotations

import re
import shutil
import statistics
import subprocess
from collections import defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner

from vendordd.cli import cli

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"),
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler's pdftotext is not installed"),
]

#: Median word-box height (pt) of text printed at 8 pt (measured: 10.4 for 8 pt Carlito at 100 %).
MIN_WORD_HEIGHT = 10.2
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> dict[str, list[float]]:
    """Sheet name -> the median word height of each of its printed pages (the examples, US policy)."""
    return _print(tmp_path_factory.mktemp("print"))


@pytest.fixture(scope="module")
def printed_a4(tmp_path_factory) -> dict[str, list[float]]:
    """The same on A4 (the workbook names no paper size; LibreOffice's default here is Letter, taller)."""
    return _print(tmp_path_factory.mktemp("print-a4"), paper=9)


#: A plugin giving every vendor sheet the longest section the scorecard shows (issue 19).
SECTION_PLUGIN = """
from vendordd import hookimpl
from vendordd.sections import SectionRow, VendorSection

LONG = ("A long line of plugin text about certifications, audits, attestation reports and their scope, "
        "which wraps over several printed lines in the wide column. ") * 4


@hookimpl
def vendor_sheet_section(vendor):
    return VendorSection(title="Certifications and audits, from the buyer's register " * 3, note=LONG,
                         rows=[SectionRow(text=LONG, label="ISO 27001", rating="high", score=40.0, detail=LONG)
                               for _ in range(20)])
"""


@pytest.fixture(scope="module")
def printed_with_sections(tmp_path_factory) -> dict[str, list[float]]:
    """The same, with SECTION_PLUGIN's section on every vendor sheet."""
    tmp = tmp_path_factory.mktemp("print-sections")
    plugin = tmp / "long_section.py"
    plugin.write_text(SECTION_PLUGIN, encoding="utf-8")
    return _print(tmp, "--plugin", str(plugin))


@pytest.fixture(scope="module")
def printed_with_sections_a4(tmp_path_factory) -> dict[str, list[float]]:
    """With sections, on A4."""
    tmp = tmp_path_factory.mktemp("print-sections-a4")
    plugin = tmp / "long_section.py"
    plugin.write_text(SECTION_PLUGIN, encoding="utf-8")
    return _print(tmp, "--plugin", str(plugin), paper=9)


def _print(tmp: Path, *extra: str, paper: int | None = None) -> dict[str, list[float]]:
    root = Path(__file__).resolve().parent.parent / "examples"
    out = tmp / "scorecard.xlsx"
    result = CliRunner().invoke(cli, ["run", str(root / "profiles"), "--policy", str(root / "policy-us-buyer.yaml"),
                                      "--portfolio", str(root / "portfolio.yaml"), "--as-of", "2026-11-29",
                                      "-o", str(out), *extra])
    assert result.exit_code in (0, 1), result.output
    if paper is not None:
        from openpyxl import load_workbook

        book = load_workbook(out)
        for ws in book.worksheets:
            ws.page_setup.paperSize = paper
        book.save(out)
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp / 'lo').as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp), str(out)], capture_output=True, timeout=240)
    pdf = tmp / "scorecard.pdf"
    assert pdf.is_file(), "LibreOffice wrote no PDF"
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True,
                          timeout=120, check=True).stdout
    pages: dict[str, list[float]] = defaultdict(list)
    for page in html.split("<page ")[1:]:
        words = [(float(x0), float(y0), float(y1) - float(y0), text) for x0, y0, _x1, y1, text in _WORD.findall(page)]
        if not words:
            continue
        bottom = max(y for _x, y, _h, _t in words)
        footer = [t for x, y, _h, t in words if y >= bottom - 1 and x < 200]  # left part: the sheet name
        body = [h for _x, y, h, _t in words if y < bottom - 5]
        pages[" ".join(footer)].append(statistics.median(body) if body else 0.0)
    return dict(pages)


def _vendor_sheets(printed: dict[str, list[float]]) -> dict[str, list[float]]:
    others = {"Summary", "Findings", "Evidence", "Portfolio", "Methodology", "Input errors", "Engagements",
              "Screening"}
    return {name: pages for name, pages in printed.items()
            if name not in others and not name.startswith(("Portfolio", "Fallbacks", "Changes"))}


def test_the_summary_is_one_page_at_8_pt_or_more(printed):
    assert len(printed["Summary"]) == 1
    assert printed["Summary"][0] >= MIN_WORD_HEIGHT


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_each_vendor_sheet_is_at_most_two_pages_at_8_pt_or_more(request, paper):
    printed = request.getfixturevalue("printed" if paper == "letter" else "printed_a4")
    vendors = _vendor_sheets(printed)
    assert len(vendors) == 10, sorted(printed)
    for name, pages in vendors.items():
        assert len(pages) <= 2, (name, len(pages))
        assert min(pages) >= MIN_WORD_HEIGHT, (name, pages)


def test_detail_sheets_print_readably_not_squeezed(printed):
    for name in ("Findings", "Evidence", "Methodology", "Engagements"):
        assert min(printed[name]) >= MIN_WORD_HEIGHT, (name, printed[name])


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_plugin_sections_keep_each_vendor_sheet_to_two_pages_at_8_pt_or_more(request, paper):
    printed = request.getfixturevalue("printed_with_sections" if paper == "letter" else "printed_with_sections_a4")
    vendors = _vendor_sheets(printed)
    assert len(vendors) == 10, sorted(printed)
    for name, pages in vendors.items():
        assert len(pages) <= 2, (name, len(pages))
        assert min(pages) >= MIN_WORD_HEIGHT, (name, pages)
