"""The vendor_sheet_section hook: a plugin's section on each vendor's own sheet (issue 19)."""

from __future__ import annotations

import pytest
from openpyxl import Workbook

from vendordd import hookimpl
from vendordd.scorecard import vendor_sections
from vendordd.scorecard.book import Book
from vendordd.sections import MAX_SECTION_ROWS, SectionRow, VendorSection, section_problems
from vendordd.testing import minimal_profile, run_assessment

PROFILES = [minimal_profile("vendor-a"), minimal_profile("vendor-b")]


def _cells(book, title):
    return [[c for c in row] for row in book[title].iter_rows(values_only=True)]


def _texts(book, title):
    return [str(c) for row in _cells(book, title) for c in row if c is not None]


def _row_of(rows, text):
    return next(i for i, row in enumerate(rows) if any(str(c or "").startswith(text) for c in row))


class Certifications:
    """A section per vendor, with every kind of cell, and hostile text."""

    @hookimpl
    def vendor_sheet_section(self, vendor, results, policy):
        return VendorSection(
            title="Certifications", note="From the buyer's register.",
            rows=[SectionRow(text="SOC 2 Type II, valid to 2027-03", label="SOC 2", rating="low", score=90,
                             detail="report seen 2026-04"),
                  SectionRow(text="=HYPERLINK(\"http://x\",\"click\")", label="ISO 27001", rating="high"),
                  f"{vendor['id']} has {len(vendor['checks'])} checks"])


def test_a_section_is_on_each_vendor_sheet_after_the_checks_and_before_the_evidence():
    done = run_assessment(PROFILES, plugins=[Certifications()])
    assert not done.warnings
    for title, vid in (("Vendor A", "vendor-a"), ("Vendor B", "vendor-b")):
        rows = _cells(done.workbook, title)
        head = _row_of(rows, "Certifications")
        assert _row_of(rows, "Checks, worst first") < head < _row_of(rows, "Evidence the checks relied on")
        assert rows[head][4] == "From the buyer's register."
        assert rows[head + 1][:5] == ["SOC 2", "Low", 90, "SOC 2 Type II, valid to 2027-03", "report seen 2026-04"]
        assert rows[head + 2][:4] == ["ISO 27001", "High", None, "=HYPERLINK(\"http://x\",\"click\")"]
        assert rows[head + 3][3] == f"{vid} has 5 checks"
    cell = next(c for row in done.workbook["Vendor A"].iter_rows() for c in row
                if str(c.value).startswith("=HYPERLINK"))
    assert cell.data_type == "s"  # text, never a formula


def test_no_section_when_the_hook_returns_none_and_no_hook_call_without_vendor_sheets():
    calls = []

    class Quiet:
        @hookimpl
        def vendor_sheet_section(self, vendor):
            calls.append(vendor["id"])

    done = run_assessment(PROFILES, plugins=[Quiet()])
    assert calls == ["vendor-a", "vendor-b"] and not done.warnings
    assert "Certifications" not in _texts(done.workbook, "Vendor A")
    calls.clear()
    run_assessment(PROFILES, plugins=[Quiet()], workbook=False)
    assert calls == []  # no workbook, no vendor sheet: not called


def test_a_long_section_shows_its_first_rows_and_says_how_many_more():
    class Long:
        @hookimpl
        def vendor_sheet_section(self):
            return VendorSection(title="Long", rows=[f"line {i}" for i in range(MAX_SECTION_ROWS + 4)])

    texts = _texts(run_assessment(PROFILES[:1], plugins=[Long()]).workbook, "Vendor A")
    assert f"line {MAX_SECTION_ROWS - 1}" in texts and f"line {MAX_SECTION_ROWS}" not in texts
    assert any(t.startswith("… 4 more lines, left out so that") for t in texts)


def test_a_section_failing_for_one_vendor_costs_only_that_vendor_s_section():
    class Picky:
        @hookimpl
        def vendor_sheet_section(self, vendor):
            if vendor["id"] == "vendor-b":
                raise KeyError("certifications")
            return VendorSection(title="Picky section", rows=["ok"])

    done = run_assessment(PROFILES, plugins=[Picky()])
    line = ("plugin 'Picky' failed in vendor_sheet_section for vendor 'vendor-b': KeyError: 'certifications'; "
            "its section is left out")
    assert done.warnings == [line]
    assert line in done.results["warnings"]
    assert "Picky section" in _texts(done.workbook, "Vendor A")
    assert "Picky section" not in _texts(done.workbook, "Vendor B")
    assert line in _texts(done.workbook, "Methodology")


@pytest.mark.parametrize(("section", "problem"), [
    ("not a section", "returned str, not a vendordd.sections.VendorSection"),
    (VendorSection(title=""), "the section has no title"),
    (VendorSection(title="t", rows="abc"), "rows is str, not a list"),
    (VendorSection(title="t", rows=[1]), "row 0 is int, not a SectionRow or text"),
    (VendorSection(title="t", rows=[SectionRow(text="x", rating="severe")]),
     "row 0: rating 'severe' is not one of low, medium, high, critical"),
    (VendorSection(title="t", rows=[SectionRow(text="x", score=150)]), "row 0: score 150 is not a number from 0 to 100"),
    (VendorSection(title="t", rows=[SectionRow(text="x", score=float("nan"))]), "row 0: score nan is not a number"),
    (VendorSection(title="t", rows=[SectionRow(text=3)]), "row 0: text is int, not text"),
])
def test_a_malformed_section_is_named_precisely(section, problem):
    assert any(p.startswith(problem) for p in section_problems(section)), section_problems(section)


def test_a_good_section_has_no_problems():
    assert section_problems(VendorSection(title="t", rows=["a", SectionRow(text="b", rating="low", score=0)])) == []


def _book():
    wb = Workbook(write_only=True)
    results = {"as_of": "2026-06-01", "policy": {}, "vendors": [], "checks": []}
    book = Book(wb, results, __import__("datetime").date(2026, 6, 1), [], [])
    return book, wb.create_sheet("V")


def _rows(book, ws, before: int, sources: int):
    """A sheet of ``before`` one-line rows, then the evidence heading, header and ``sources`` rows."""
    return vendor_sections.SheetRows(before=[[book.text(ws, f"row {i}")] for i in range(before)],
                                     intro=[[book.text(ws, "Evidence")], [book.text(ws, "Published")]],
                                     sources=[[book.text(ws, f"source {i}")] for i in range(sources)], after=[])


def test_pages_lays_rows_out_whole_and_repeats_the_header():
    assert vendor_sections.pages([100.0] * 7, page=300) == 3
    assert vendor_sections.pages([100.0, 250.0], page=300) == 2       # a row never splits
    assert vendor_sections.pages([100.0] * 6, page=300, repeat=(0, 100.0)) == 3
    assert vendor_sections.pages([100.0] * 6, page=300, repeat=(0, 150.0)) == 4  # the header again on each page


def test_fit_drops_sources_first_then_section_lines_and_never_sources_below_the_minimum():
    book, ws = _book()
    widths = [12, 10, 7.5, 73, 65, 14]
    rows_a_page = int(vendor_sections.PAGE // 15)

    def laid():
        return vendor_sections.lay_out(book, ws, [("p", VendorSection(title="T", rows=[f"r{i}" for i in range(6)]))],
                                       widths)

    kwargs = {"cut_row": vendor_sections.cut_line(book, ws, 9),
              "more_sources_row": vendor_sections.more_sources_line(book, ws, 9)}
    # room for everything: nothing dropped
    sections = laid()
    assert vendor_sections.fit(ws, _rows(book, ws, 20, 10), sections, widths, **kwargs) == (10, 1)
    assert (len(sections[0].lines), sections[0].cut) == (6, 0)
    # four rows too many for two pages: five sources less (four, and one for the line saying so)
    sections = laid()
    before = 2 * rows_a_page - 7 - 2 - 10 + 4
    assert vendor_sections.fit(ws, _rows(book, ws, before, 10), sections, widths, **kwargs) == (5, 2)
    assert len(sections[0].lines) == 6
    # far too long: sources down to the minimum, then the section's last lines
    sections = laid()
    keep, pages = vendor_sections.fit(ws, _rows(book, ws, before + 6, 10), sections, widths, **kwargs)
    assert keep == vendor_sections.MIN_SOURCES and pages == 2
    assert 0 < len(sections[0].lines) < 6 and sections[0].cut == 6 - len(sections[0].lines)
    # too long whatever is cut: everything cut, and the pages it still takes
    sections = laid()
    keep, pages = vendor_sections.fit(ws, _rows(book, ws, 3 * rows_a_page, 10), sections, widths, **kwargs)
    assert (keep, pages, sections[0].lines, sections[0].cut) == (vendor_sections.MIN_SOURCES, 4, [], 6)


@pytest.mark.parametrize("lines", [1, 2, 3])
def test_fit_lines_cuts_text_to_the_printed_lines_it_may_take(lines):
    from vendordd.scorecard.layout import wrapped_lines

    text = "word " * 300 + "https://example.com/" + "x" * 500
    cut = vendor_sections.fit_lines(text, 73, lines)
    assert cut.endswith("…") and wrapped_lines(cut, 73, False) <= lines
    assert vendor_sections.fit_lines("short", 73, 1) == "short"
    assert wrapped_lines(vendor_sections.fit_lines("x" * 2000, 12, 1), 12, False) == 1
