"""RowWriter writes what openpyxl's own write-only path writes (compared as canonical XML)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.hyperlink import Hyperlink

from vendordd.scorecard.openpyxl_internals import RowWriter, xml_bytes, xml_bytes_plain


def _cells(ws, row_idx: int) -> list[Cell | None]:
    """One row of every kind of cell the scorecard writes, and some it never does."""
    def cell(value, **style):
        c = Cell(ws, row=row_idx, column=1)
        c.value = value
        for key, val in style.items():
            setattr(c, key, val)
        return c

    link = cell("https://example.org/a?b=1&c=<2>", font=Font(color="0563C1", u="single"))
    link.hyperlink = Hyperlink(ref="", target="https://example.org/a?b=1&c=<2>")
    inner = cell("Summary", font=Font(u="single"))
    inner.hyperlink = Hyperlink(ref="", location="'Vendor (2)'!A1", tooltip="Open the sheet")
    quoted = cell("=1+1 is text here")
    quoted.data_type = "s"
    quoted.quotePrefix = True
    return [
        cell("plain"), None, cell(" leading and trailing ", alignment=Alignment(wrap_text=True)),
        cell("a & b < c > d \"quoted\" 'single'"), cell("line one\nline two\ttab"),
        cell("中文 · ünïcödé — emoji 🙂"), cell(""), cell(None, font=Font(bold=True)), cell(None),
        cell(42), cell(-3.25, number_format="0.0"), cell(0.1 + 0.2), cell(float("nan")), cell(True),
        cell(False), cell(dt.date(2026, 3, 14), number_format="yyyy-mm-dd"),
        cell(dt.datetime(2026, 3, 14, 9, 30)), link, inner, quoted,
    ]


def _sheet_xml(build) -> tuple[bytes, list[str]]:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("S")
    build(ws)
    buf = io.BytesIO()
    wb.save(buf)
    with zipfile.ZipFile(buf) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml")
        rels = [n for n in zf.namelist() if "_rels/sheet1" in n]
        rel_text = [etree.tostring(etree.fromstring(zf.read(n)), method="c14n").decode() for n in rels]
    return etree.tostring(etree.fromstring(sheet), method="c14n"), rel_text


def _by_openpyxl(rows):
    def build(ws):
        ws.column_dimensions["A"].width = 30
        for idx, (cells, height) in enumerate(rows(ws), 1):
            for col, cell in enumerate(cells, 1):
                if cell is not None:
                    cell.row, cell.column = idx, col
                    if cell.hyperlink is not None:
                        cell.hyperlink.ref = cell.coordinate
            if height is not None:
                ws.row_dimensions[idx].height = height
            ws.append(cells)
    return _sheet_xml(build)


def _by_row_writer(rows):
    def build(ws):
        ws.column_dimensions["A"].width = 30
        writer = RowWriter(ws)
        for idx, (cells, height) in enumerate(rows(ws), 1):
            writer.write(idx, cells, height)
    return _sheet_xml(build)


def test_same_xml_as_openpyxl_for_every_kind_of_cell():
    def rows(ws):
        yield [], None
        for idx in range(2, 6):
            yield _cells(ws, idx), (None if idx % 2 else 31.5)

    assert _by_row_writer(rows) == _by_openpyxl(rows)


def test_rows_it_does_not_handle_go_to_openpyxl_with_the_same_result():
    def rows(ws):
        commented = Cell(ws, row=1, column=1, value="has a comment")
        commented.comment = Comment("a note", "vendordd")
        rich = Cell(ws, row=1, column=1)
        rich.value = CellRichText(["plain ", TextBlock(InlineFont(b=True), "bold")])
        carriage = Cell(ws, row=1, column=1)
        carriage._value, carriage.data_type = "a\rb", "s"
        formula = Cell(ws, row=1, column=1, value="=SUM(1,2)")
        yield [commented, Cell(ws, row=1, column=1, value="next")], 40
        yield [rich], None
        yield [carriage], None
        yield [formula, Cell(ws, row=1, column=1, value=1)], None
        yield _cells(ws, 5), 20

    assert _by_row_writer(rows) == _by_openpyxl(rows)


def test_append_after_rows_numbers_on_and_a_set_row_dimension_wins():
    def build(ws):
        ws.row_dimensions[2].height = 50
        writer = RowWriter(ws)
        writer.write(1, [Cell(ws, row=1, column=1, value="one")], 20)
        writer.write(2, [Cell(ws, row=1, column=1, value="two")], 99)
        ws.append(["three", 3])

    sheet, _ = _sheet_xml(build)
    rows = etree.fromstring(sheet).findall(".//{*}row")
    assert [r.get("r") for r in rows] == ["1", "2", "3"]
    assert [r.get("ht") for r in rows] == ["20", "50", None]
    assert rows[2][0].get("r") == "A3"


def test_rows_must_come_in_order_and_the_writer_comes_first():
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("S")
    writer = RowWriter(ws)
    writer.write(3, [Cell(ws, row=1, column=1, value="x")])
    with pytest.raises(ValueError, match="comes after row 3"):
        writer.write(2, [Cell(ws, row=1, column=1, value="y")])
    other = wb.create_sheet("T")
    other.append(["already"])
    with pytest.raises(ValueError, match="already has rows"):
        RowWriter(other)
    wb.save(io.BytesIO())  # closes both sheets' streams


def test_cells_sharing_house_styles_same_xml_as_openpyxl():
    """Cells holding a shared style array (their style ids remembered by identity) as openpyxl writes them."""
    from vendordd.scorecard.openpyxl_internals import text_cell
    from vendordd.scorecard.styles import Styles

    styles: dict[int, Styles] = {}

    def rows(ws):
        house = styles.setdefault(id(ws.parent), Styles(ws.parent))
        texts = ["plain", "=1+1", "#N/A", " padded ", "a & b", "", "-3"]
        for idx in range(1, 8):
            yield [text_cell(ws, house.shared(name), texts[(idx + col) % len(texts)])
                   for col, name in enumerate(["text", "wrap", "header", "tier_low", "text"])], None

    assert _by_row_writer(rows) == _by_openpyxl(rows)


@settings(max_examples=500)
@given(st.one_of(st.lists(st.sampled_from(list("ab<>&\t\n\r \x00\x01\x0b\x1f\x7f")
                                         + ["\ufffe", "\uffff", "\ud800", "\udfff", "\ud83d\udc69", "👩", "漢", "é", "•"]),
                          max_size=200).map("".join),
                 st.text(max_size=200)))
def test_xml_bytes_equals_its_plain_twin(text: str) -> None:
    # what XML cannot hold found without the regular expression: the same answer, the same bytes
    assert xml_bytes(text) == xml_bytes_plain(text)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.floats(), st.integers(-10**20, 10**20), st.booleans(),
                          st.lists(st.sampled_from(list("ab ") + ["\u00a0", "\u2028", "\x85", "\u3000", "\t", "\n"]),
                                   min_size=1, max_size=6).map("".join)),
                min_size=1, max_size=12))
def test_numbers_and_edge_spaces_as_openpyxl_writes_them(values: list) -> None:
    # RowWriter's own float formatting and its test for text to keep whitespace in (xml:space="preserve")
    def rows(ws):
        cells = []
        for value in values:
            c = Cell(ws, row=1, column=1)
            c.value = value
            cells.append(c)
        yield cells, None

    assert _by_row_writer(rows) == _by_openpyxl(rows)
