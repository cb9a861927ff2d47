"""The Excel scorecard: content, safety, reproducibility, atomicity, templates, LibreOffice."""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from python_calamine import CalamineWorkbook

from vendordd import __version__
from vendordd.atomic import ProtectedPathError, atomic_write, atomic_write_text
from vendordd.scorecard import ScorecardError, SheetTitles, write_scorecard
from vendordd.templates import make_scorecard_template
from vendordd.xlsx_text import utf16_len

DATA = Path(__file__).resolve().parent / "data"
SAMPLE = DATA / "results_sample.json"
SHIPPED_TEMPLATE = Path(make_scorecard_template.__file__).with_name("scorecard.xlsx")

EXPECTED_SHEETS = ["Summary", "Input errors", "Aurora Models International Hol",
                   "Aurora Models International (2)", "Zephyr 智能 AI 🚀", "Findings", "Evidence",
                   "Portfolio", "Methodology"]
HOSTILE = ['=HYPERLINK("http://x","y")', "@SUM(A1)", "+1", "-1", "#N/A", "=cmd|' /C calc'!A0"]
SAFE_SCHEMES = ("http://", "https://", "mailto:")


def load_results() -> dict:
    return json.loads(SAMPLE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def sample_xlsx(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("scorecard") / "scorecard.xlsx"
    write_scorecard(load_results(), path)
    return path


@pytest.fixture(scope="module")
def book(sample_xlsx):
    return load_workbook(sample_xlsx)


def all_cells(wb):
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    yield ws, cell


def column_values(ws, header: str, header_row: int = 1) -> list:
    headers = [c.value for c in ws[header_row]]
    col = headers.index(header) + 1
    return [ws.cell(r, col).value for r in range(header_row + 1, ws.max_row + 1)]


def summary_header_row(ws) -> int:
    for row in ws.iter_rows(max_col=1):
        if row[0].value == "Vendor":
            return row[0].row
    raise AssertionError("no header row on Summary")


# --------------------------------------------------------------------------- structure

def test_sheet_names_order_and_active_sheet(book):
    assert book.sheetnames == EXPECTED_SHEETS
    assert book.active.title == "Summary"
    assert book["Summary"].sheet_view.tabSelected
    assert not any(ws.sheet_view.tabSelected for ws in book.worksheets[1:])


def test_sheet_titles_obey_excel_rules(book):
    seen = set()
    for title in book.sheetnames:
        assert utf16_len(title) <= 31
        assert not re.search(r"[\[\]:*?/\\]", title)
        assert not title.startswith("'") and not title.endswith("'")
        assert title.casefold() != "history"
        assert title.casefold() not in seen
        seen.add(title.casefold())


def test_summary_rows_are_typed_and_linked(book):
    """Worst verdict first; whole-number scores; the reasons and actions stated; areas from the checks."""
    ws = book["Summary"]
    header = summary_header_row(ws)
    headers = [c.value for c in ws[header]]
    assert headers == ["Vendor", "Verdict", "Tier", "Score", "Why", "Actions", "Compute", "Geopolitics",
                       "Leadership", "Open source", "Profile date"]
    rows = range(header + 1, header + 4)
    assert [ws.cell(r, 1).value for r in rows] == ["Zephyr 智能 AI 🚀", "Aurora Models International Holdings (Global)",
                                                  "Aurora Models International Holdings (Europe)"]
    assert [ws.cell(r, 2).value for r in rows] == ["Reject", "Escalate", "Approve with conditions"]
    assert [ws.cell(r, 3).value for r in rows] == ["Critical", "Medium", "Medium"]
    assert ws.cell(header + 1, 3).fill.fgColor.rgb.endswith("C00000")
    assert [ws.cell(r, 4).value for r in rows] == [38.33, 54.33, 72.5]
    assert all(ws.cell(r, 4).number_format == "[=100]0;0.0" for r in rows)
    why = [ws.cell(r, 5).value for r in rows]
    assert why[0].startswith("• Raised to at least critical by Geopolitical exposure")
    assert "No evidence scored for Compute concentration" in why[1]  # the reason for escalating
    assert all("capped" not in w for w in why)
    assert all(ws.cell(r, 6).value for r in rows)  # an action for each
    # an area with no scored check shows n/a as text, never a number
    assert ws.cell(header + 2, 7).value == "n/a" and ws.cell(header + 2, 7).data_type == "s"
    links = [ws.cell(r, 1).hyperlink for r in rows]
    assert [link.location for link in links] == [
        "'Zephyr 智能 AI 🚀'!A1", "'Aurora Models International (2)'!A1", "'Aurora Models International Hol'!A1"]
    assert all(link.target is None for link in links)
    assert ws.freeze_panes == f"B{header + 1}"
    assert ws.print_title_rows == f"${header}:${header}"
    assert ws.page_setup.fitToHeight == 1  # one printed page
    text = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert "3 vendors: 1 reject, 1 escalate, 1 approve with conditions" in text
    assert "Critical risk: score below 25" in text  # the colour legend


def test_summary_table_and_chart(book, sample_xlsx):
    ws = book["Summary"]
    header = summary_header_row(ws)
    table = ws.tables["tbl_Summary"]
    assert table.ref.startswith(f"A{header}:")
    assert table.ref.endswith(str(header + 3))
    assert [c.name for c in table.tableColumns] == [c.value for c in ws[header]][: len(table.tableColumns)]
    with zipfile.ZipFile(sample_xlsx) as archive:
        charts = sorted(n for n in archive.namelist() if n.startswith("xl/charts/chart"))
        assert len(charts) == 4  # Summary + one per vendor sheet
        xml = archive.read(charts[0]).decode("utf-8")
    assert "<numCache>" in xml and '<ptCount val="3"/>' in xml
    assert "<v>72.5</v>" in xml and "<strCache>" in xml and "<v>Zephyr 智能 AI 🚀</v>" in xml
    assert xml.count('<delete val="0"/>') == 2


def test_table_names_are_valid_and_unique(book):
    names = [name for ws in book.worksheets for name in ws.tables]
    assert len({n.casefold() for n in names}) == len(names)
    for ws in book.worksheets:
        for name, table in zip(ws.tables, ws.tables.values(), strict=True):
            assert re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", name)
            header_row = int(re.match(r"[A-Z]+(\d+)", table.ref).group(1))
            headers = [c.value for c in ws[header_row]][: len(table.tableColumns)]
            assert [c.name for c in table.tableColumns] == headers
            assert len({h.casefold() for h in headers}) == len(headers)


def test_vendor_sheet_content(book):
    ws = book["Aurora Models International Hol"]
    assert ws["A1"].value == "← Summary" and ws["A1"].hyperlink.location == "'Summary'!A1"
    assert ws["A2"].value == "Aurora Models International Holdings (Europe)"
    labels = {ws.cell(r, 1).value: r for r in range(3, 30) if ws.cell(r, 1).value}
    verdict = labels["Verdict"]
    assert ws.cell(verdict, 2).value == "Medium" and ws.cell(verdict, 3).value == 72.5
    assert ws.cell(verdict, 4).value == "Approve with conditions"
    assert ws.cell(labels["Confidence"], 4).value.startswith("82%")
    assert ws["F3"].hyperlink.target == "https://aurora.example/eu" and ws["F3"].value == "aurora.example/eu"
    assert ws.cell(labels["Profile date"], 4).value == "2026-09-15"
    checks = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Checks, worst first")
    geo = next(r for r in range(checks, ws.max_row + 1)
               if str(ws.cell(r, 4).value).split(":")[0] == "Geopolitical exposure")
    assert ws.cell(geo, 3).value == 45.0 and ws.cell(geo, 2).value == "Medium"
    notes = [str(ws.cell(r, 4).value) for r in range(geo, ws.max_row + 1) if ws.cell(r, 4).value]
    assert any("approved by: J. Doe (Risk)" in n for n in notes)
    assert len(ws._charts) == 1
    evidence_header = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Published")
    assert ws.print_title_rows == f"${evidence_header}:${evidence_header}"  # repeats on each page
    assert ws.page_setup.scale == 73 and not ws.sheet_properties.pageSetUpPr.fitToPage


def test_no_chart_covers_a_non_empty_cell(book):
    """Every chart is anchored over cells that hold nothing (so it hides no text)."""
    checked = 0
    for ws in book.worksheets:
        for chart in ws._charts:
            anchor = chart.anchor
            start = anchor._from
            end = getattr(anchor, "to", None)
            if end is None:  # a one-cell anchor: the chart's own size, over default-size cells
                assert ws.title == "Summary" or ws.title not in book.sheetnames[:12], ws.title
                continue
            for row in range(start.row + 1, end.row + 1):
                for col in range(start.col + 1, end.col + 1):
                    value = ws.cell(row, col).value
                    assert value in (None, ""), (ws.title, ws.cell(row, col).coordinate, value)
            checked += 1
    assert checked == 3  # one per vendor sheet


def test_insufficient_data_and_error_are_shown_not_scored(book):
    ws = book["Findings"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    headers = [c.value for c in ws[1]]
    by_key = {(r[0], r[2]): dict(zip(headers, r, strict=True)) for r in rows}
    missing = by_key[("aurora-models-global", "compute_concentration")]
    assert missing["Status"] == "Insufficient data" and missing["Score"] is None
    failed = by_key[("zephyr-ai", "open_source_posture")]
    assert failed["Status"] == "Check failed" and failed["Score"] is None
    assert failed["Error"].startswith("KeyError")
    assert len(rows) == 12  # 3 vendors x 4 checks


def test_findings_and_evidence_cover_every_vendor_and_source(book):
    evidence = book["Evidence"]
    ids = [(r[0], r[2]) for r in evidence.iter_rows(min_row=2, values_only=True)]
    assert ids == [("aurora-models-eu", f"s{i}") for i in range(1, 5)] + \
                  [("aurora-models-global", f"s{i}") for i in range(1, 4)] + \
                  [("zephyr-ai", "s1"), ("zephyr-ai", "s2")]
    stale = column_values(evidence, "Stale")
    assert stale.count("Stale") == 3


def test_no_formula_or_error_cells_and_hostile_text_is_kept_as_text(book):
    found = set()
    for _ws, cell in all_cells(book):
        assert cell.data_type not in ("f", "e"), (cell.coordinate, cell.value)
        if isinstance(cell.value, str):
            for text in HOSTILE:
                if cell.value == text:
                    found.add(text)
                    assert cell.data_type == "s"
                    if text[0] in "=+-@":
                        assert cell.quotePrefix, text
    assert {'=HYPERLINK("http://x","y")', "=cmd|' /C calc'!A0", "#N/A"} <= found
    rationale = book["Findings"]
    lines = [c.value for c in rationale["M"] if isinstance(c.value, str) and "@SUM(A1)" in c.value]
    assert lines and "• +1\n• -1\n• #N/A" in lines[0]


def test_hyperlinks_only_use_safe_schemes(book):
    targets, locations = [], []
    for ws in book.worksheets:
        for link in ws._hyperlinks:
            if link.target:
                targets.append(link.target)
            else:
                locations.append(link.location)
    for _ws, cell in all_cells(book):
        if cell.hyperlink is not None and cell.hyperlink.target:
            targets.append(cell.hyperlink.target)
    assert targets and all(t.startswith(SAFE_SCHEMES) for t in targets)
    assert "mailto:compliance@aurora.example" in targets
    assert locations or any(c.hyperlink and c.hyperlink.location for _w, c in all_cells(book))
    evidence = book["Evidence"]
    urls = {c.value: c for c in evidence["J"][1:]}
    assert urls["javascript:alert(document.cookie)"].hyperlink is None
    assert urls["file:///etc/passwd"].hyperlink is None
    assert urls["https://aurora.example/about?q=1&x=%3D"].hyperlink.target == \
        "https://aurora.example/about?q=1&x=%3D"
    website = book["Zephyr 智能 AI 🚀"]["F3"]
    assert website.value == "javascript:alert(1)" and website.hyperlink is None


def test_text_is_cleaned_and_capped(book):
    texts = [c.value for _ws, c in all_cells(book) if isinstance(c.value, str)]
    assert all(utf16_len(t) <= 32767 for t in texts)
    assert not any(re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", t) for t in texts)
    assert any("Summary had control chars: ab and cd" in t for t in texts)
    cut = [t for t in texts if t.endswith("characters]") and "[cut: " in t]
    assert cut, "the 100,000-character rationale should be cut with a marker"


def test_methodology_records_versions_policy_overrides_and_inputs(book):
    ws = book["Methodology"]
    text = "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)
    assert f"vendordd {__version__}" in text
    assert "2026-11-29" in text
    assert "vendordd.plugins.leadership" in text
    assert "key_roles: CEO, CTO, Chief Scientist\nwindow_months: 12" in text  # as the policy spells them, not JSON
    assert "Bands › Low" in text and "Freshness days" in text and "Buyer › Restricted jurisdictions" in text
    assert "Raises the tier to at least" in text and "Caps" not in text
    assert "Ownership restructuring completed" in text
    assert "3f1c2d9e8b7a6f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0f9e8d7c" in text
    assert "docs/methodology.md" in text


def test_input_errors_and_portfolio_sheets(book):
    errors = book["Input errors"]
    assert [c.value for c in errors[2]] == ["profiles/broken.yaml", "/vendor/id", 3, 5,
                                            "'Bad Id!' does not match '^[a-z0-9][a-z0-9-]*$'"]
    portfolio = book["Portfolio"]
    rows = list(portfolio.iter_rows(min_row=2, values_only=True))
    assert ("Concentration", "note", "=1+1 is not a formula") in rows
    assert ("Concentration", "vendors_by_headquarters.CN", 1) in rows


def test_print_setup_fonts_and_properties(book, sample_xlsx):
    for ws in book.worksheets:
        assert ws.page_setup.orientation == "landscape", ws.title
        if ws.sheet_properties.pageSetUpPr.fitToPage:  # Summary and small sheets: one page wide
            assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight in (0, 1), ws.title
        else:  # vendor and detail sheets: a fixed scale at which 11 pt prints at 8 pt or more
            assert ws.page_setup.scale >= 73, ws.title
        assert "&P" in ws.oddFooter.center.text
        assert ws.print_area, ws.title
    props = book.properties
    assert props.creator == f"vendordd {__version__}"
    assert props.created == props.modified == dt.datetime(2026, 11, 29)
    assert props.title == "Vendor due-diligence scorecard"
    with zipfile.ZipFile(sample_xlsx) as archive:
        styles = archive.read("xl/styles.xml").decode("utf-8")
    cell_fonts = re.search(r"<fonts[^>]*>(.*?)</fonts>", styles, flags=re.S).group(1)
    fonts = re.findall(r"<font>.*?</font>|<font/>", cell_fonts, flags=re.S)
    assert fonts and all('<name val="Calibri"/>' in f for f in fonts)


def test_calamine_reads_values_and_unicode(sample_xlsx):
    wb = CalamineWorkbook.from_path(str(sample_xlsx))
    assert wb.sheet_names == EXPECTED_SHEETS
    summary = wb.get_sheet_by_name("Summary").to_python()
    flat = [v for row in summary for v in row]
    assert "Zephyr 智能 AI 🚀" in flat
    assert 72.5 in flat and 38.33 in flat
    findings = wb.get_sheet_by_name("Findings").to_python()
    text = "\n".join(str(v) for row in findings for v in row)
    assert "林俊旸" in text and "🚀🤖" in text and "שלום עולם" in text and "مرحبا بالعالم" in text
    assert '=HYPERLINK("http://x","y")' in text


# --------------------------------------------------------------------------- reproducibility

def test_same_results_give_identical_bytes(tmp_path, sample_xlsx):
    again = tmp_path / "again.xlsx"
    write_scorecard(load_results(), again)
    assert again.read_bytes() == sample_xlsx.read_bytes()
    with zipfile.ZipFile(again) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2026, 11, 29, 0, 0, 0)}


def test_every_part_is_deflated_at_the_house_level(sample_xlsx):
    import zlib

    from vendordd.scorecard.zip_parts import COMPRESS_LEVEL

    with zipfile.ZipFile(sample_xlsx) as archive:
        infos = archive.infolist()
        assert len(infos) > 10 and {info.compress_type for info in infos} == {zipfile.ZIP_DEFLATED}
        for info in infos:  # the same deflate stream, so the same size, as zlib makes at that level
            deflate = zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, -15)
            assert info.compress_size == len(deflate.compress(archive.read(info)) + deflate.flush()), info.filename


@pytest.mark.slow
def test_identical_bytes_across_processes_and_hash_seeds(tmp_path, sample_xlsx):
    code = ("import json, sys; from vendordd.scorecard import write_scorecard; "
            "write_scorecard(json.load(open(sys.argv[1], encoding='utf-8')), sys.argv[2])")
    outputs = []
    for seed in ("1", "4242"):
        out = tmp_path / f"seed{seed}.xlsx"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", code, str(SAMPLE), str(out)], check=True, env=env, timeout=120)
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1] == sample_xlsx.read_bytes()


def test_vendor_order_in_input_does_not_matter(tmp_path, sample_xlsx):
    results = load_results()
    results["vendors"].reverse()
    out = tmp_path / "reversed.xlsx"
    write_scorecard(results, out)
    assert out.read_bytes() == sample_xlsx.read_bytes()


# --------------------------------------------------------------------------- options

def test_vendor_sheet_limit(tmp_path):
    out = tmp_path / "limited.xlsx"
    write_scorecard(load_results(), out, vendor_sheet_limit=1)
    wb = load_workbook(out)
    assert wb.sheetnames == ["Summary", "Input errors", "Aurora Models International Hol", "Findings",
                             "Evidence", "Portfolio", "Methodology"]
    notes = [c.value for c in wb["Summary"]["A"] if isinstance(c.value, str)]
    assert any("Only the first 1 of 3 vendors" in n for n in notes)
    header = summary_header_row(wb["Summary"])
    assert wb["Summary"].cell(header + 1, 1).hyperlink is None  # Zephyr: no sheet to link to
    assert wb["Summary"].cell(header + 3, 1).hyperlink is not None  # the first vendor by id has one
    assert wb["Findings"].max_row == 13


def test_extra_categories_and_no_errors_or_portfolio(tmp_path):
    results = load_results()
    results["errors"] = []
    results["portfolio"] = {}
    results["vendors"][0]["areas"]["data_protection"] = 66.0
    out = tmp_path / "extra.xlsx"
    write_scorecard(results, out)
    wb = load_workbook(out)
    assert "Input errors" not in wb.sheetnames and "Portfolio" not in wb.sheetnames
    ws = wb["Summary"]
    headers = [c.value for c in ws[summary_header_row(ws)]]
    assert headers[6:11] == ["Compute", "Geopolitics", "Leadership", "Open source", "Data protection"]


def test_no_vendors_still_writes_a_workbook(tmp_path):
    results = load_results()
    results["vendors"] = []
    out = tmp_path / "empty.xlsx"
    write_scorecard(results, out)
    wb = load_workbook(out)
    assert wb.sheetnames[0] == "Summary" and "Methodology" in wb.sheetnames
    assert not wb["Summary"].tables


def test_vendor_names_that_clash_with_built_in_sheets(tmp_path):
    results = load_results()
    results["vendors"][0]["name"] = "Summary"
    results["vendors"][1]["name"] = "History"
    results["vendors"][2]["name"] = "'[Quoted]: A/B*?'"
    extra = copy.deepcopy(results["vendors"][2])
    extra.update(id="zz-obrien", name="O'Brien & Sons")
    results["vendors"].append(extra)
    out = tmp_path / "clash.xlsx"
    write_scorecard(results, out)
    wb = load_workbook(out)
    assert wb.sheetnames[:6] == ["Summary", "Input errors", "Summary (2)", "History (2)", "Quoted A B",
                                 "O'Brien & Sons"]
    assert wb["Summary (2)"]["A1"].hyperlink.location == "'Summary'!A1"
    summary = wb["Summary"]
    links = [c.hyperlink.location for c in summary["A"] if c.hyperlink is not None and c.hyperlink.location]
    assert "'O''Brien & Sons'!A1" in links
    assert wb["O'Brien & Sons"]["A2"].value == "O'Brien & Sons"


def test_sheet_titles_for_many_duplicates_are_unique_and_valid():
    titles = SheetTitles()
    names = ["Same Vendor Name That Is Far Too Long For A Sheet"] * 3000 + ["林俊旸" * 20] * 3 + ["😀" * 40] * 2
    out = [titles.take(n) for n in names]
    assert len({t.casefold() for t in out}) == len(out)
    assert all(utf16_len(t) <= 31 for t in out)
    assert out[0] == "Same Vendor Name That Is Far To"
    assert out[2999].endswith("(3000)")
    assert out[3000] == "林俊旸" * 10 + "林"
    assert not any("\ud800" <= ch <= "\udfff" for t in out for ch in t)
    assert titles.take("") == "Sheet" and titles.take("   ''   ") == "Sheet (2)"


# --------------------------------------------------------------------------- plugin sheets

def test_extra_sheets_are_safe_and_placed_before_methodology(tmp_path):
    def plugin(workbook, writer):
        sheet = writer.sheet("Concentration: top/flop", ["Vendor", "Share", "Note", "Note"])
        sheet.append(["=HYPERLINK(\"http://x\",\"y\")", 0.5, {"k": [1, 2]}, True])
        sheet.append([writer.text("#N/A"), 3, None, dt.date(2026, 1, 2)])
        sheet.append([writer.text("long words " * 40), 1])
        raw = workbook.create_sheet("Raw plugin")
        raw.append([writer.text("=1+1"), writer.text("@cmd")])

    out = tmp_path / "plugins.xlsx"
    write_scorecard(load_results(), out, extra_sheets=plugin)
    wb = load_workbook(out)
    assert wb.sheetnames[-4:] == ["Concentration top flop", "Raw plugin", "Portfolio", "Methodology"]
    ws = wb["Concentration top flop"]
    assert [c.value for c in ws[1]] == ["Vendor", "Share", "Note", "Note (2)"]
    assert ws["A2"].value == '=HYPERLINK("http://x","y")' and ws["A2"].data_type == "s" and ws["A2"].quotePrefix
    assert ws["B2"].value == 0.5 and ws["C2"].value == '{"k": [1, 2]}' and ws["D2"].value == "Yes"
    assert ws["A3"].value == "#N/A" and ws["A3"].data_type == "s"
    assert ws["D3"].value == dt.datetime(2026, 1, 2)
    assert ws.row_dimensions[4].height and ws.row_dimensions[4].height > 30  # wrapped text gets room
    assert list(ws.tables) and ws.freeze_panes == "A2"
    raw = wb["Raw plugin"]
    assert raw["A1"].value == "=1+1" and raw["A1"].data_type == "s" and raw["A1"].quotePrefix
    assert raw["B1"].value == "@cmd" and raw["B1"].data_type == "s"


def test_a_portfolio_plugin_replaces_the_placeholder_sheet(tmp_path):
    def plugin(workbook, writer):
        sheet = writer.sheet("Portfolio", ["Workload", "HHI"])
        sheet.append(["chat", 5000])

    out = tmp_path / "p.xlsx"
    write_scorecard(load_results(), out, extra_sheets=plugin)
    wb = load_workbook(out)
    assert wb.sheetnames[-2:] == ["Portfolio", "Methodology"]
    assert wb.sheetnames.count("Portfolio") == 1 and "Portfolio (2)" not in wb.sheetnames
    assert [c.value for c in wb["Portfolio"][1]] == ["Workload", "HHI"]

    direct = tmp_path / "d.xlsx"
    write_scorecard(load_results(), direct,
                    extra_sheets=lambda workbook, writer: workbook.create_sheet("Portfolio"))
    assert load_workbook(direct).sheetnames[-2:] == ["Portfolio", "Methodology"]


def test_a_plugin_named_like_methodology_does_not_clash(tmp_path):
    out = tmp_path / "m.xlsx"
    write_scorecard(load_results(), out, extra_sheets=lambda wb, writer: wb.create_sheet("Methodology"))
    names = load_workbook(out).sheetnames
    assert names[-3:] == ["Methodology", "Portfolio", "Methodology (2)"]


# --------------------------------------------------------------------------- templates

@pytest.fixture
def template(tmp_path) -> Path:
    path = tmp_path / "cover.xlsx"
    make_scorecard_template.build(path)
    return path


def test_shipped_template_matches_its_builder(template):
    assert SHIPPED_TEMPLATE.read_bytes() == template.read_bytes()


def test_template_sheets_come_first_and_summary_is_active(tmp_path, template):
    out = tmp_path / "with-cover.xlsx"
    write_scorecard(load_results(), out, template=template)
    wb = load_workbook(out)
    assert wb.sheetnames == ["Cover", *EXPECTED_SHEETS]
    assert wb.active.title == "Summary"
    assert not wb["Cover"].sheet_view.tabSelected
    assert wb["Cover"]["B2"].value == "Vendor due-diligence scorecard"
    assert wb.properties.creator == f"vendordd {__version__}"
    for _ws, cell in all_cells(wb):
        assert cell.data_type not in ("f", "e")
    again = tmp_path / "again.xlsx"
    write_scorecard(load_results(), again, template=template)
    assert again.read_bytes() == out.read_bytes()
    header = summary_header_row(wb["Summary"])
    assert wb["Summary"].cell(header + 3, 1).hyperlink.location == "'Aurora Models International Hol'!A1"


def test_template_with_plugin_sheets(tmp_path, template):
    def plugin(workbook, writer):
        writer.sheet("Extra", ["A"]).append(["=2+2"])
        workbook.create_sheet("Raw").append([writer.text("=3+3")])

    out = tmp_path / "t.xlsx"
    write_scorecard(load_results(), out, template=template, extra_sheets=plugin)
    wb = load_workbook(out)
    assert wb.sheetnames[-4:] == ["Extra", "Raw", "Portfolio", "Methodology"]
    assert wb["Extra"]["A2"].data_type == "s" and wb["Raw"]["A1"].data_type == "s"


def test_template_sheet_called_summary_is_kept(tmp_path):
    wb = Workbook()
    wb.active.title = "Summary"
    wb.active["A1"] = "customer's own summary"
    path = tmp_path / "own.xlsx"
    wb.save(path)
    out = tmp_path / "out.xlsx"
    write_scorecard(load_results(), out, template=path)
    back = load_workbook(out)
    assert back.sheetnames[:2] == ["Summary", "Summary (2)"]
    assert back.active.title == "Summary (2)"


@pytest.mark.parametrize("name", ["cover.xlsm", "cover.xltm", "cover.xls", "cover.ods"])
def test_non_xlsx_templates_are_refused(tmp_path, template, name):
    other = tmp_path / name
    shutil.copy(template, other)
    with pytest.raises(ScorecardError, match="template"):
        write_scorecard(load_results(), tmp_path / "out.xlsx", template=other)


def test_template_with_macros_is_refused_even_when_named_xlsx(tmp_path, template):
    sneaky = tmp_path / "sneaky.xlsx"
    with zipfile.ZipFile(template) as src, zipfile.ZipFile(sneaky, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        dst.writestr("xl/vbaProject.bin", b"\x00macro")
    with pytest.raises(ScorecardError, match="macros"):
        write_scorecard(load_results(), tmp_path / "out.xlsx", template=sneaky)
    assert not (tmp_path / "out.xlsx").exists()


def test_template_with_a_doctype_is_refused(tmp_path, template):
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(template) as src, zipfile.ZipFile(bomb, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/workbook.xml":
                data = b'<!DOCTYPE x [<!ENTITY a "aaaa">]>' + data
            dst.writestr(item, data)
    with pytest.raises(ScorecardError, match="document type"):
        write_scorecard(load_results(), tmp_path / "out.xlsx", template=bomb)


@pytest.mark.parametrize("content", [b"not a zip at all", b""])
def test_broken_or_missing_template_is_a_clear_error(tmp_path, content):
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(content)
    with pytest.raises(ScorecardError, match="not a valid .xlsx"):
        write_scorecard(load_results(), tmp_path / "out.xlsx", template=broken)
    with pytest.raises(ScorecardError, match="does not exist"):
        write_scorecard(load_results(), tmp_path / "out.xlsx", template=tmp_path / "missing.xlsx")


def test_zip_that_is_not_a_workbook_is_a_clear_error(tmp_path):
    odd = tmp_path / "odd.xlsx"
    with zipfile.ZipFile(odd, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(ScorecardError, match="could not be read"):
        write_scorecard(load_results(), tmp_path / "out.xlsx", template=odd)


# --------------------------------------------------------------------------- output path and atomicity

def test_output_equal_to_an_input_is_refused(tmp_path, template):
    first = tmp_path / "inputs.xlsx"
    first.write_bytes(b"precious")
    with pytest.raises(ScorecardError, match="one of the inputs"):
        write_scorecard(load_results(), first, protected_paths=[first])
    link = tmp_path / "link.xlsx"
    link.symlink_to(first)
    with pytest.raises(ScorecardError, match="one of the inputs"):
        write_scorecard(load_results(), link, protected_paths=[tmp_path / "." / "inputs.xlsx"])
    before = template.read_bytes()
    with pytest.raises(ScorecardError, match="one of the inputs"):
        write_scorecard(load_results(), template, template=template)
    assert first.read_bytes() == b"precious" and template.read_bytes() == before


def test_bad_output_paths_are_clear_errors(tmp_path):
    with pytest.raises(ScorecardError, match="does not exist"):
        write_scorecard(load_results(), tmp_path / "no" / "such" / "out.xlsx")
    with pytest.raises(ScorecardError, match=r"\.xlsx"):
        write_scorecard(load_results(), tmp_path / "out.xlsm")
    folder = tmp_path / "folder.xlsx"
    folder.mkdir()
    with pytest.raises(ScorecardError, match="folder"):
        write_scorecard(load_results(), folder)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can write to read-only folders")
def test_unwritable_folder_is_a_clear_error(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(ScorecardError, match="not writable"):
            write_scorecard(load_results(), locked / "out.xlsx")
    finally:
        locked.chmod(0o700)


def test_missing_as_of_is_a_clear_error(tmp_path):
    results = load_results()
    del results["as_of"]
    with pytest.raises(ScorecardError, match="as_of"):
        write_scorecard(results, tmp_path / "out.xlsx")


def test_failure_half_way_keeps_the_previous_file_and_leaves_no_temp(tmp_path, monkeypatch):
    out = tmp_path / "scorecard.xlsx"
    write_scorecard(load_results(), out)
    before = out.read_bytes()

    def boom(self):
        raise RuntimeError("disk on fire")

    from openpyxl.worksheet._writer import ALL_TEMP_FILES
    from openpyxl.writer.excel import ExcelWriter
    temp_files = len(ALL_TEMP_FILES)
    monkeypatch.setattr(ExcelWriter, "_write_charts", boom)  # after the sheets are in the zip
    changed = load_results()
    changed["vendors"][0]["name"] = "Changed"
    with pytest.raises(RuntimeError, match="disk on fire"):
        write_scorecard(changed, out)
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scorecard.xlsx"]
    assert len(ALL_TEMP_FILES) == temp_files  # openpyxl's per-sheet temporary files are gone too
    fresh = tmp_path / "fresh.xlsx"
    with pytest.raises(RuntimeError):
        write_scorecard(changed, fresh)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scorecard.xlsx"]


def test_failing_plugin_leaves_previous_file(tmp_path):
    out = tmp_path / "scorecard.xlsx"
    out.write_bytes(b"old")

    def bad_plugin(workbook, writer):
        writer.sheet("Half", ["A"]).append(["row"])
        raise ValueError("plugin bug")

    from openpyxl.worksheet._writer import ALL_TEMP_FILES
    temp_files = len(ALL_TEMP_FILES)
    with pytest.raises(ValueError, match="plugin bug"):
        write_scorecard(load_results(), out, extra_sheets=bad_plugin)
    assert out.read_bytes() == b"old"
    assert len(ALL_TEMP_FILES) == temp_files


def test_atomic_write_text_and_protection(tmp_path):
    target = tmp_path / "results.json"
    atomic_write_text(target, "{\"a\": \"林\"}\n")
    assert target.read_text(encoding="utf-8") == "{\"a\": \"林\"}\n"
    mode = target.stat().st_mode & 0o777
    assert mode != 0o600 or os.name != "posix"  # not mkstemp's private mode
    target.chmod(0o640)
    atomic_write_text(target, "second")
    assert target.read_text() == "second" and target.stat().st_mode & 0o777 == 0o640
    with pytest.raises(ProtectedPathError):
        atomic_write_text(target, "x", protected=[tmp_path / "sub" / ".." / "results.json"])
    assert target.read_text() == "second"

    def half(fh):
        fh.write(b"partial")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, half)
    assert target.read_text() == "second"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.json"]


# --------------------------------------------------------------------------- LibreOffice

def _pdf_pages(pdf: Path) -> int:
    if shutil.which("pdfinfo"):
        out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, timeout=60).stdout
        match = re.search(r"^Pages:\s+(\d+)", out, flags=re.M)
        return int(match.group(1)) if match else 0
    return len(re.findall(rb"/Type\s*/Page\b", pdf.read_bytes()))


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_and_prints_the_scorecard(tmp_path, sample_xlsx):
    profile = tmp_path / "lo-profile"
    outdir = tmp_path / "pdf"
    proc = subprocess.run(
        ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
         "--outdir", str(outdir), str(sample_xlsx)],
        capture_output=True, text=True, timeout=180)
    pdf = outdir / "scorecard.pdf"
    # soffice exits 0 even when it cannot load the file: judge by the output
    assert pdf.is_file(), f"no PDF: {proc.stdout} {proc.stderr}"
    assert pdf.read_bytes().startswith(b"%PDF")
    assert _pdf_pages(pdf) >= len(EXPECTED_SHEETS)


def test_flat_tables_stream_after_the_measured_rows(tmp_path, monkeypatch, book):
    """Findings and Evidence hold the same cells when rows are streamed after the first few."""
    from vendordd.scorecard import layout

    monkeypatch.setattr(layout, "STREAM_AFTER_ROWS", 3)
    path = tmp_path / "streamed.xlsx"
    write_scorecard(load_results(), path)
    streamed = load_workbook(path)
    for title in ("Findings", "Evidence"):
        want = [[c.value for c in row] for row in book[title].iter_rows()]
        got = [[c.value for c in row] for row in streamed[title].iter_rows()]
        assert got == want and len(got) > 3
        assert streamed[title].freeze_panes == "C2"
        assert all(streamed[title].column_dimensions[k].width for k in "ABC")  # set before streaming
