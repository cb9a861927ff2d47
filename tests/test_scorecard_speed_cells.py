"""The scorecard's fast paths give what the slow ones they replace give.

Cells, hyperlinks and relationships made without openpyxl's initialisers;
rows written as raw text; the one-line shortcut of the row-height estimate;
the shortcuts of ``safe_text`` and ``safe_url``.
"""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from lxml import etree
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.packaging.relationship import Relationship
from openpyxl.styles import Alignment, Font
from openpyxl.styles.cell_style import StyleArray
from openpyxl.worksheet.hyperlink import Hyperlink

from vendordd import xlsx_text
from vendordd.scorecard import layout
from vendordd.scorecard.openpyxl_internals import (
    RowWriter,
    _LinkRelationship,
    fonts_of,
    new_cell,
    new_hyperlink,
)

_TRICKY = ("plain", " padded ", "a & b < c > d \"q\" 's'", "tab\there\nnew line", "·•—中文🙂",
           "\x7f\x80\x85\x9f\u00a0\u2028\ufdd0\ufffd\U0010ffff", "]]>", "=1+1", "")


def _slots(cls: type) -> set[str]:
    return {name for klass in cls.__mro__ for name in getattr(klass, "__slots__", ())}


def test_new_cell_sets_every_slot_as_cell_init_does():
    ws = Workbook(write_only=True).create_sheet("S")
    style = StyleArray([1, 0, 0, 0, 0, 2, 0, 0, 0])
    fast, slow = new_cell(ws, style), Cell(ws, row=1, column=1)
    slow._style = style
    for name in _slots(Cell):
        assert getattr(fast, name) is getattr(slow, name) or getattr(fast, name) == getattr(slow, name), name
    assert fast._style is style  # not copied


def test_new_hyperlink_and_link_relationship_are_what_the_constructors_make():
    assert type(new_hyperlink("A1", target="https://e.org")) is Hyperlink
    assert vars(new_hyperlink("A1", target="https://e.org")) == vars(Hyperlink(ref="A1", target="https://e.org"))
    assert list(vars(new_hyperlink("B2", location="'S'!A1", tooltip="t")).items()) == \
        list(vars(Hyperlink(ref="B2", location="'S'!A1", tooltip="t")).items())  # in the same order too
    rel = _LinkRelationship("https://e.org/?a=1&b=2", "rId7")
    assert isinstance(rel, Relationship)
    assert vars(rel) == vars(Relationship(type="hyperlink", TargetMode="External",
                                          Target="https://e.org/?a=1&b=2", Id="rId7"))


def _greedy_reference(text: str, width: float, bold: bool) -> int:
    """Greedy word wrap measured with the font's widths, written out plainly (no shortcuts)."""
    avail = max(1.0, (width - 0.8) * 0.99)
    lines = 0
    for paragraph in text[:40000].split("\n"):
        used, count = 0.0, 1
        for word in paragraph.split(" "):
            size = xlsx_text.text_width(word, bold)
            space = xlsx_text.text_width(" ", bold)
            if used and used + space + size > avail:
                count += 1
                used = 0.0
            if size > avail:  # broken after / - _ ? & = . , and a piece still too wide anywhere
                for piece in re.split(r"(?<=[/\-_?&=.,])", word):
                    piece_size = xlsx_text.text_width(piece, bold)
                    if used and used + piece_size > avail:
                        count += 1
                        used = 0.0
                    if piece_size > avail:
                        extra, used = divmod(piece_size, avail)
                        count += int(extra)
                    else:
                        used += piece_size
            else:
                used += size + (space if used else 0.0)
        # a paragraph that fits whole is one line, whatever its words
        lines += 1 if xlsx_text.text_width(paragraph, bold) <= avail else count
    return lines


@example("中中中", 7.0, False)
@example("see alibabacloud.com/zh/notice/model_studionotice_on_the_decommissioning_of_x_7317", 30.0, False)
@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab  \n-中🙂éWM"), max_size=120),
       st.floats(min_value=1, max_value=80), st.booleans())
def test_wrapped_lines_is_the_greedy_wrap_measured_with_the_font(text, width, bold):
    lines = layout.wrapped_lines(text, width, bold)
    assert lines == _greedy_reference(text, width, bold)
    assert lines >= text.count("\n") + 1
    assert layout.wrapped_lines(text, width + 10, bold) <= lines  # a wider column never needs more lines


def test_short_names_with_capitals_get_a_second_line():
    # At width 30 this wrapped in LibreOffice and overlapped the next row.
    assert layout.wrapped_lines("Google DeepMind (Gemma / Gemini)", 30, False) == 2  # 29.9 digits: no room to spare
    assert layout.wrapped_lines("google-deepmind", 30, False) == 1
    assert layout.wrapped_lines("Mistral AI", 12, False) == 1
    assert xlsx_text.text_width("0123456789") == 10
    assert xlsx_text.text_width("中") == 2 and xlsx_text.text_width("é") == 1


def test_row_height_is_the_same_with_the_grids_font_cache():
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("S")
    cells = []
    for value, wrap, size, bold in [("short", True, 11, False), ("word " * 40, True, 11, True),
                                    ("x" * 300, False, 11, False), ("中文 " * 30, True, 14, False), (3.5, True, 11, False)]:
        cell = Cell(ws, row=1, column=1, value=value)
        cell.alignment = Alignment(wrap_text=wrap, vertical="top")
        cell.font = Font(name="Calibri", size=size, bold=bold)
        cells.append(cell)
    widths = [10, 20, 30, 12]  # the fifth cell has no width: not measured
    fonts = fonts_of(wb)
    assert layout.row_height(cells, widths, fonts) == layout.row_height(cells, widths) is not None
    assert fonts.of(cells[1]) == (True, 11.0, True)
    assert fonts.of(Cell(ws, row=1, column=1)) == (False, 11.0, False)  # no style array at all


def _clean_reference(text: str) -> str:
    if xlsx_text._SURROGATE.search(text):
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "ignore")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return xlsx_text.XML_ILLEGAL.sub("", text)


@settings(max_examples=300, deadline=None)
@given(st.one_of(
    st.text(alphabet=st.sampled_from(["a", " ", "\r", "\n", "\t", "\x01", "\ud83d", "\ude42", "\uffff",
                                      "\ufffe", "é", "\u00a0", "\u2028", "\u200b", "\x7f", "中", "🙂"]),
            max_size=30),
    st.text(max_size=30)))
def test_clean_shortcuts_change_nothing(text):
    assert xlsx_text._clean(text) == xlsx_text._clean_plain(text) == _clean_reference(text)


def test_no_printable_character_is_one_clean_changes():
    # _clean's shortcut: printable text is returned as it is. Every code point, one at a time.
    for code in range(0x110000):
        char = chr(code)
        if char.isprintable():
            assert char != "\r" and not xlsx_text.XML_ILLEGAL.search(char), hex(code)


_URL_PARTS = st.text(alphabet=st.sampled_from(list("hHtTpPsS:/.-?#@[]%a0_~") + list(' "<>\\^`{|}\x00\x1f\x7f\té')),
                     max_size=14)


#: Web addresses shaped like real ones: a host (and port), then a path that mostly holds characters
#: a URL may hold, sometimes one it may not (where the one-scan shortcut must say no).
_URL_TAILS = st.builds(lambda host, port, sep, path: f"://{host}{port}{sep}{path}",
                       st.text(alphabet=st.sampled_from(list("aZ0.-_@[]é ")), min_size=0, max_size=8),
                       st.sampled_from(["", ":", ":80", ":x"]), st.sampled_from(["", "/", "?", "#", "x"]),
                       st.lists(st.one_of(st.sampled_from(list("abz09-._~/?#=&%:@!$'()*+,;")),
                                          st.sampled_from(list(' "<>\\^`{|}\x00\x1f\x7f\té[]'))),
                                max_size=12).map("".join))


@settings(max_examples=800, deadline=None)
@given(st.sampled_from(["http", "https", "HTTPS", "mailto", "ftp", ""]), st.one_of(_URL_PARTS, _URL_TAILS))
def test_safe_url_shortcut_decides_as_urlsplit_does(scheme, rest):
    url = scheme + rest
    fast = xlsx_text.safe_url(url)
    saved = xlsx_text._PLAIN_WEB_URL, xlsx_text._SAFE_PLAIN_WEB_URL
    # neither shortcut ever matches: the full checks decide
    xlsx_text._PLAIN_WEB_URL = xlsx_text._SAFE_PLAIN_WEB_URL = re.compile(r"(?!)")
    try:
        assert fast == xlsx_text.safe_url(url)
    finally:
        xlsx_text._PLAIN_WEB_URL, xlsx_text._SAFE_PLAIN_WEB_URL = saved


_URL_GOOD = st.text(alphabet=st.sampled_from(list("abz09-._~/?#=&%:@!$'()*+,;[]")), max_size=8)


@settings(max_examples=600, deadline=None)
@given(st.sampled_from(["http", "https", "HTTP", "hTTps", "ftp"]),
       st.text(alphabet=st.sampled_from(list("az09.-")), min_size=1, max_size=6) | st.sampled_from(["a_b", "é.org", ""]),
       st.sampled_from(["", ":", ":8080", ":x"]), st.sampled_from(["/", "?", "#", ""]), _URL_GOOD,
       st.sampled_from(["", *' "<>\\^`{|}\x00\x1f\x7f\té\u00a0']), _URL_GOOD)
def test_safe_url_one_scan_decides_as_the_full_checks(scheme, host, port, sep, before, odd, after):
    # plain web addresses, most of which the one-scan shortcut (_SAFE_PLAIN_WEB_URL) takes, some with
    # one character that a URL may not hold (or a host or port it may not have)
    url = f"{scheme}://{host}{port}{sep}{before}{odd}{after}"
    fast = xlsx_text.safe_url(url)
    saved = xlsx_text._SAFE_PLAIN_WEB_URL
    xlsx_text._SAFE_PLAIN_WEB_URL = re.compile(r"(?!)")  # never matches: the checks after it decide
    try:
        assert fast == xlsx_text.safe_url(url)
    finally:
        xlsx_text._SAFE_PLAIN_WEB_URL = saved


def _workbook_parts(build) -> dict[str, bytes]:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("S")
    build(ws)
    buf = io.BytesIO()
    wb.save(buf)
    with zipfile.ZipFile(buf) as zf:
        return {n: zf.read(n) for n in zf.namelist() if "sheet1" in n}


def _rows(ws):
    rows = []
    for idx, value in enumerate(_TRICKY, 1):
        text = Cell(ws, row=1, column=1)
        text._value, text.data_type = value, "s"
        link = Cell(ws, row=1, column=1, value=f"link {idx}")
        link.font = Font(name="Calibri", u="single")
        link.hyperlink = Hyperlink(ref="", target=f"https://e.org/{idx}?a=1&b=\"{value[:3]}\"")
        inner = Cell(ws, row=1, column=1, value="sheet")
        inner.hyperlink = Hyperlink(ref="", location=f"'S & {idx}'!A1", tooltip=f"Open\t\"{value}\"\n<now>")
        rows.append([text, None, link, inner, Cell(ws, row=1, column=1, value=idx * 1.5)])
    return rows


def test_raw_rows_give_the_bytes_of_parsed_rows_and_openpyxls_xml():
    def raw(ws):
        writer = RowWriter(ws)  # makes the sheet's writer: rows go to the file as text
        for idx, row in enumerate(_rows(ws), 1):
            writer.write(idx, row, 20.25 if idx % 2 else None)
        ws.append(["appended", 1])

    def parsed(ws):
        ws._get_writer()  # a writer made before the RowWriter: rows are parsed into elements
        raw(ws)

    def by_openpyxl(ws):
        for idx, row in enumerate(_rows(ws), 1):
            for col, cell in enumerate(row, 1):
                if cell is not None:
                    cell.row, cell.column = idx, col
                    if cell.hyperlink is not None:
                        cell.hyperlink.ref = cell.coordinate
            if idx % 2:
                ws.row_dimensions[idx].height = 20.25
            ws.append(row)
        ws.append(["appended", 1])

    fast, slow, reference = _workbook_parts(raw), _workbook_parts(parsed), _workbook_parts(by_openpyxl)
    assert fast == slow
    assert fast.keys() == reference.keys() and len(fast) == 2  # the sheet and its relationships
    for name in fast:
        assert etree.tostring(etree.fromstring(fast[name]), method="c14n") == \
            etree.tostring(etree.fromstring(reference[name]), method="c14n"), name


@pytest.mark.parametrize("bad_text", ["bell \x07", "\x00", "unit \x1f sep", "é bell \x07", "é \ufffe", "lone \ud800"])
@pytest.mark.parametrize("early_writer", [False, True])
def test_text_xml_cannot_hold_gets_openpyxls_error(early_writer, bad_text):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("S")
    if early_writer:
        ws._get_writer()
    writer = RowWriter(ws)
    bad = Cell(ws, row=1, column=1)
    bad._value, bad.data_type = bad_text, "s"
    with pytest.raises(ValueError, match="XML compatible|surrogates not allowed"):  # openpyxl's or lxml's
        writer.write(1, [bad])


def _house_workbook():
    from vendordd.scorecard.styles import Styles

    wb = Workbook(write_only=True)
    return wb, wb.create_sheet("S"), Styles(wb)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.sampled_from([*_TRICKY, "#N/A", "#DIV/0!", "+1", "-", "@x", "\tx", "\nx", "x=1"]),
                 st.text(alphabet=st.sampled_from("=+-@#\t\n aA1/!?"), max_size=8)),
       st.sampled_from(["text", "wrap", "header", "link", "tier_critical", "score", "date"]))
def test_text_cell_is_put_text_on_a_copy_of_the_style(text, style):
    from vendordd.scorecard.openpyxl_internals import put_text, text_cell

    wb, ws, styles = _house_workbook()
    fast = text_cell(ws, styles.shared(style), text)
    slow = put_text(new_cell(ws, styles.array(style)), text)
    for name in _slots(Cell):
        if name != "_style":
            assert getattr(fast, name) == getattr(slow, name), name
    assert list(fast._style) == list(slow._style)
    assert fast.quotePrefix == slow.quotePrefix == xlsx_text.needs_quote_prefix(text)


def test_put_date_is_the_value_setter_for_a_date_style():
    import datetime as dt

    from vendordd.scorecard.openpyxl_internals import put_date

    wb, ws, styles = _house_workbook()
    plain, _, shows_dates = styles.shared("date")
    assert shows_dates and not styles.shared("text")[2] and not styles.shared("score")[2]
    for day in (dt.date(2026, 3, 14), dt.date(1900, 1, 1), dt.date(9999, 12, 31)):
        slow = new_cell(ws, styles.array("date"))
        slow.value = day
        fast = put_date(new_cell(ws, plain), day)
        assert (fast._value, fast.data_type, list(fast._style)) == (slow._value, slow.data_type, list(slow._style))


def test_a_shared_style_cannot_be_changed_through_a_cell():
    from vendordd.scorecard.openpyxl_internals import text_cell

    wb, ws, styles = _house_workbook()
    cell = text_cell(ws, styles.shared("text"), "x")
    before = list(cell._style)
    with pytest.raises(TypeError, match="shared house style"):
        cell.font = Font(bold=True)
    with pytest.raises(TypeError, match="shared house style"):
        cell.quotePrefix = True
    assert list(styles.shared("text")[0]) == before
    cell._style = StyleArray(cell._style)  # its own copy: now it may change
    cell.font = Font(bold=True)
    assert list(styles.shared("text")[0]) == before


_CHART_TEXT = st.text(alphabet=st.sampled_from(list("aZ &<>\"'\r\n\t·中🙂=$!")), max_size=12)
_CHART_WORDS = st.one_of(_CHART_TEXT, _CHART_TEXT.map(lambda t: t.strip() or "x"),
                         _CHART_TEXT.map(lambda t: t.strip() or "x"))


@settings(max_examples=300, deadline=None)
@example("Mistral AI", "Area scores (0-100, higher is safer)", "Area score",
         [("Security", 72.5, "medium"), ("Openness", None, None), ("Stability", 100.0, "low")], 4, 3, 12)
@given(_CHART_WORDS.filter(lambda t: t.strip() and len(t) <= 31 and not any(c in t for c in "[]:*?/\\")),
       _CHART_WORDS, _CHART_WORDS,
       st.lists(st.tuples(_CHART_WORDS, st.one_of(st.none(), st.floats(0, 100), st.integers(0, 100).map(float)),
                          st.sampled_from(["low", "medium", "high", "critical", None])), min_size=1, max_size=9),
       st.integers(1, 30), st.integers(1, 30), st.integers(1, 2000))
def test_chart_text_is_what_openpyxl_writes_for_the_chart_objects(sheet_title, title, series, points, label_col,
                                                                  value_col, first_row):
    from openpyxl.xml.functions import tostring

    from vendordd.scorecard.charts import plain_score_bar_chart, score_bar_chart

    ws = Workbook(write_only=True).create_sheet(sheet_title)
    labels, values, ratings = (list(column) for column in zip(*points, strict=True))
    args = dict(title=title, label_col=label_col, value_col=value_col, first_row=first_row, labels=labels,
                values=values, ratings=ratings, series_name=series)
    fast, plain = score_bar_chart(ws, **args), plain_score_bar_chart(ws, **args)
    assert tostring(fast._write()) == tostring(plain._write())
    if len(labels) > 1 and all(t and t == t.strip() for t in (title, series, *labels)):
        assert type(fast).__name__ == "TextChart"  # made as text, not built


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(alphabet=st.sampled_from("ab_ API idurl \t中"), max_size=20), st.none(), st.integers(),
                 st.sampled_from(["self_reported", "api_stability", "insufficient_data", "", "_", "eu_ai"])))
def test_remembered_humanise_is_the_worked_out_one(key):
    from vendordd.scorecard.values import humanise, humanise_plain

    assert humanise(key) == humanise_plain(key) == humanise(key)  # the second call is remembered


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["Leadership turnover", "API stability", "=1+1", "a\nb", "", "中文"]), max_size=4))
def test_remembered_used_by_text_is_the_worked_out_one(titles):
    from vendordd.scorecard.sheets.evidence import used_by_text
    from vendordd.scorecard.values import bullets

    expected = bullets(titles) if len(titles) > 1 else ", ".join(titles)
    assert used_by_text(tuple(titles)) == expected == used_by_text(tuple(titles))


@settings(max_examples=200)
@given(st.lists(st.lists(st.one_of(st.sampled_from(["a", "b", "c", "zz", "1", "True"]), st.integers(0, 3),
                                   st.booleans(), st.just(1.0), st.lists(st.just("x"), max_size=1)), max_size=4),
                max_size=8))
def test_a_vendors_used_by_texts_remembered_by_their_ids_are_the_worked_out_ones(id_lists):
    # one vendor's sources: the same lists of check ids come back (1, True and 1.0 are equal keys
    # but name different checks; a list is no key at all)
    from vendordd.scorecard.sheets.evidence import _used_by, used_by_text

    titles = {"a": "Check A", "b": "Check B", "0": "Zero", "1": "One", "True": "Yes", "1.0": "One point"}
    texts: dict = {}
    for ids in id_lists * 2:
        expected = used_by_text(tuple(titles.get(str(c), str(c)) for c in ids))  # as source_cells had it
        assert _used_by(ids, titles, texts) == expected == _used_by(ids, titles, None)
