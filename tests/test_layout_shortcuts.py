"""The workbook's measuring shortcuts give the answers of the plain computations they replace.

Row heights, one-line cuts of titles and URLs decide bytes of the workbook,
which must not change when they are computed faster: each shortcut is
compared here with the straightforward form it replaced, on generated text.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vendordd.scorecard import layout
from vendordd.scorecard.layout import surely_wider_than_a_line, wrapped_lines
from vendordd.scorecard.sheets import vendor
from vendordd.xlsx_text import (
    _WIDTH_TABLES,
    _extra_width,
    char_widths,
    display_width,
    milli_width,
    text_width,
)

# Words of several widths, separators that matter to wrapping, and non-ASCII characters
# (bullets, dashes, wide CJK, combining marks).
ALPHABET = st.sampled_from(list("aiIlmwMW0.,/-_?&=@ ") + ["\n", "•", "—", "…", "漢", "é", "\u0301", "👩"])
TEXT = st.text(ALPHABET, max_size=160)
WIDTH = st.sampled_from([3.0, 8.0, 11.0, 18.5, 24.0, 40.0, 60.0])


def _plain_text_width(line: str, bold: bool = False) -> float:
    """text_width as it was: character by character for non-ASCII text."""
    table = _WIDTH_TABLES[bold]
    if line.isascii():
        return sum(map(table.__getitem__, line.encode("ascii")))
    return sum(table[ord(ch)] if ord(ch) < 128 else 1.0 + _extra_width(ch) for ch in line)


def _plain_lines(text: str, width: float, bold: bool) -> int:
    """wrapped_lines without its memory of answers and word widths."""
    avail = max(1.0, (width - layout._PADDING) * layout._SAFETY)
    space = _plain_text_width(" ", bold)
    lines = 0
    for paragraph in text[:40000].split("\n"):
        if _plain_text_width(paragraph, bold) <= avail:
            lines += 1
            continue
        used, count = 0.0, 1
        for word in paragraph.split(" "):
            size = _plain_text_width(word, bold)
            if used and used + space + size > avail:
                count += 1
                used = 0.0
            if size > avail:
                count, used = layout._long_word(word, bold, avail, count, used)
            else:
                used += size + (space if used else 0.0)
        lines += count
    return lines


def _plain_one_line(text: str, width: float) -> str:
    if _plain_lines(text, width, False) <= 1:
        return text
    words = text[: int(width * 3)].split(" ")
    while len(words) > 1 and _plain_lines(" ".join(words) + "…", width, False) > 1:
        words.pop()
    return " ".join(words).rstrip(",;:—- ") + "…"


def _plain_short_url(url: str, width: float) -> str:
    shown = vendor._URL_SCHEME.sub("", url)
    if _plain_lines(shown, width, False) <= 1:
        return shown
    host, _, rest = shown.partition("/")
    tail = rest[-int(width * 3):]
    while tail and _plain_lines(f"{host}/…/{tail}", width, False) > 1:
        tail = tail[1:]
    return f"{host}/…/{tail}" if tail else _plain_one_line(host, width)


@given(TEXT, st.booleans())
def test_text_width_is_the_character_by_character_sum(text: str, bold: bool) -> None:
    assert text_width(text, bold) == _plain_text_width(text, bold)  # the same float, not just close


@settings(max_examples=300)
@given(TEXT, WIDTH, st.booleans())
def test_wrapped_lines_with_memory_equals_the_plain_layout(text: str, width: float, bold: bool) -> None:
    assert wrapped_lines(text, width, bold) == _plain_lines(text, width, bold)
    assert wrapped_lines(text, width, bold) == _plain_lines(text, width, bold)  # remembered answer


#: Text, and text after a start the line drops (spaces, a combining mark, a zero-width space).
STARTS = st.one_of(TEXT, st.builds(str.__add__, st.sampled_from(["\u0301", "\u0301 ", " ", "\u200b", "a", "漢"]), TEXT))


@settings(max_examples=300)
@given(STARTS, WIDTH)
def test_surely_wider_is_never_wrong(text: str, width: float) -> None:
    if surely_wider_than_a_line(text_width(text), width, text):
        assert _plain_lines(text, width, False) > 1


def test_a_start_of_no_width_is_not_estimated() -> None:
    # "\u0301 " is dropped at the start of the line: the rest fits although the whole is wider.
    width = 24.3  # room for 23.265 digit widths: 23 digits fit, with a space (0.446) before them not
    room = max(1.0, (width - layout._PADDING) * layout._SAFETY)
    text = "\u0301 " + "0" * int(room)
    assert text_width(text) > room + 1e-6 and _plain_lines(text, width, False) == 1
    assert not surely_wider_than_a_line(text_width(text), width, text)
    assert layout.fits_one_line(text, width)
    assert vendor._one_line(text, width) == _plain_one_line(text, width) == text


@given(TEXT, st.booleans())
def test_char_widths_are_each_characters_text_width(text: str, bold: bool) -> None:
    assert list(char_widths(text, bold)) == [text_width(ch, bold) for ch in text]


@settings(max_examples=500)
@given(STARTS, WIDTH, st.booleans())
def test_fits_one_line_is_one_wrapped_line(text: str, width: float, bold: bool) -> None:
    assert layout.fits_one_line(text, width, bold) == (_plain_lines(text, width, bold) <= 1)


def test_fits_one_line_at_the_edge_of_a_line() -> None:
    # Widths at, just under and just over a line's room, and a start of no width.
    for width in (8.0, 11.0, 24.0, 60.0):
        room = max(1.0, (width - layout._PADDING) * layout._SAFETY)
        for text in ("0" * int(room), "0" * (int(room) + 1), "0" * int(room) + ".", "\u0301 " + "0" * int(room),
                     "\u0301 " + "0" * (int(room) + 1), "  " + "0" * int(room)):
            for bold in (False, True):
                assert layout.fits_one_line(text, width, bold) == (_plain_lines(text, width, bold) <= 1), (text, width)


@settings(max_examples=300)
@given(STARTS, WIDTH)
def test_one_line_cut_equals_the_word_by_word_cut(text: str, width: float) -> None:
    assert vendor._one_line(text, width) == _plain_one_line(text, width)


URL = st.builds(lambda host, path: f"https://{host}/{path}",
                st.text(st.sampled_from(list("abcdexyz.-")), min_size=1, max_size=40),
                st.text(st.sampled_from(list("abcdemwWI0/-_?&=.%é漢")), max_size=200))


@settings(max_examples=300)
@given(URL, WIDTH)
def test_short_url_equals_the_character_by_character_cut(url: str, width: float) -> None:
    assert vendor._short_url(url, width) == _plain_short_url(url, width)


@settings(max_examples=200)
@given(st.builds(lambda host, path: f"https://{host}/{path}",
                 st.text(st.sampled_from(list("abc. \n")), min_size=1, max_size=30),
                 st.text(st.sampled_from(list("abmW/- \n漢")), max_size=200)), WIDTH)
def test_short_url_of_odd_urls_equals_the_character_by_character_cut(url: str, width: float) -> None:
    # line feeds and spaces: such URLs are not estimable (every cut measured whole, _short_url_plain)
    assert vendor._short_url(url, width) == _plain_short_url(url, width)


def test_the_cuts_on_long_real_shapes() -> None:
    title = "Quarterly report on the model release and licence terms of the platform " * 4
    url = "https://www.example.org/" + "/".join(f"section-{i}/page_{i}?q={i}&x=long" for i in range(30))
    for width in (20.0, 34.0, 45.0, 60.0):
        assert vendor._one_line(title, width) == _plain_one_line(title, width)
        assert vendor._short_url(url, width) == _plain_short_url(url, width)
    assert unicodedata.combining("\u0301")  # the alphabet's combining mark is one


def _edge_width(words: list[str], cut: int, suffix: str) -> float:
    """A column width whose line's room is exactly as wide (in decimals) as the first ``cut`` words
    joined with ``suffix``: (width - 0.8) * 0.99 * 1000 is that text's width when the width is
    this, so words_that_may_fit meets a text exactly at the edge."""
    return milli_width(" ".join(words[:cut]) + suffix) / 990 + 0.8


@settings(max_examples=400, deadline=None)
@given(st.lists(st.text(st.sampled_from(list("aiIlmwMW0.,/-") + ["—", "漢", "é", "\u0301"]), min_size=1, max_size=12),
                min_size=1, max_size=14),
       st.one_of(WIDTH, st.floats(min_value=2.0, max_value=80.0)), st.sampled_from(["…", "", " x"]),
       st.integers(0, 13))
def test_words_that_may_fit_drops_only_texts_wider_than_a_line(words: list[str], width: float, suffix: str,
                                                               edge: int) -> None:
    # _one_line's estimate: the texts with more words than it keeps surely take more than one line
    # (the plain layout says so), and the text it keeps is not surely too wide (it is the most)
    for column in (width, _edge_width(words, min(edge, len(words)), suffix)):
        if not layout.estimable(" ".join(words) + suffix):
            continue
        keep = layout.words_that_may_fit(words, column, suffix)
        for more in range(max(keep, 0) + 1, len(words) + 1):
            assert _plain_lines(" ".join(words[:more]) + suffix, column, False) > 1, (words, column, keep, more)
        if keep >= 0:
            _room, _lo, hi = layout._limits(column)
            assert milli_width(" ".join(words[:keep]) + suffix) < hi or not words[:keep]


@settings(max_examples=400, deadline=None)
@given(st.text(st.sampled_from(list("abcmW0.-") + ["漢", "é"]), min_size=1, max_size=30),
       st.text(st.sampled_from(list("aiIlmwMW0/-_?&=.,%") + ["—", "漢", "é", "\u0301"]), max_size=150),
       st.one_of(WIDTH, st.floats(min_value=2.0, max_value=80.0)), st.integers(0, 150))
def test_chars_that_must_go_drops_only_texts_wider_than_a_line(host: str, tail: str, width: float, edge: int) -> None:
    # _short_url's estimate: keeping more of the tail surely takes more than one line (the plain
    # layout says so), and the text it keeps is not surely too wide (it drops the fewest)
    head = f"{host}/…/"
    cut = min(edge, len(tail))
    for column in (width, milli_width(head + tail[cut:]) / 990 + 0.8):  # the second: that text on the edge
        if not layout.estimable(head + tail):
            continue
        drop = layout.chars_that_must_go(head, tail, column)
        assert 0 <= drop <= len(tail)
        for fewer in range(drop):
            assert _plain_lines(head + tail[fewer:], column, False) > 1, (head, tail, column, drop, fewer)
        if drop < len(tail):
            _room, _lo, hi = layout._limits(column)
            assert milli_width(head + tail[drop:]) < hi


@settings(max_examples=300)
@given(st.lists(st.text(ALPHABET, max_size=60), min_size=1, max_size=6), st.sampled_from([8.0, 14.0, 30.0]))
def test_row_height_with_the_short_text_shortcut_equals_the_plain_one(texts: list[str], width: float) -> None:
    from openpyxl import Workbook

    from vendordd.scorecard.book import Book

    book = Book(Workbook(write_only=True), {"as_of": "2026-01-01"}, __import__("datetime").date(2026, 1, 1), [], [])
    ws = book.new_sheet("S", header_rows=None)
    styles = ["wrap", "bold", "text", "verdict", "section"]
    row = [book.text(ws, t, styles[i % len(styles)]) for i, t in enumerate(texts)]
    widths = [width] * len(row)
    fonts = layout.fonts_of(book.wb)
    needed = 0.0
    for cell in row:
        value = cell.value
        wraps, size, bold = fonts.of(cell)
        if isinstance(value, str) and value and wraps:
            needed = max(needed, _plain_lines(value, width * 11 / size, bold) * size * layout.LINE_HEIGHT)
    expected = None if needed <= 15.5 else min(round(needed + 2), 409)
    assert layout.row_height(row, widths, fonts) == expected


CELL_VALUE = st.one_of(st.none(), TEXT, st.text(max_size=40), st.text(ALPHABET, min_size=1990, max_size=2100),
                       st.integers(-10**6, 10**6), st.floats(allow_nan=False, allow_infinity=False),
                       st.dates(min_value=dt.date(1900, 3, 1)))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.tuples(CELL_VALUE, st.sampled_from(["wrap", "bold", "text", "header", "section"])),
                         max_size=6), min_size=1, max_size=5))
def test_grid_measures_each_column_as_cell_width_does(rows: list[list[tuple[object, str]]]) -> None:
    from openpyxl import Workbook

    from vendordd.scorecard.book import Book

    book = Book(Workbook(write_only=True), {"as_of": "2026-01-01"}, dt.date(2026, 1, 1), [], [])
    ws = book.new_sheet("S", header_rows=None)
    grid = layout.Grid(ws, [layout.Col()] * 5)
    fonts = layout.fonts_of(book.wb)
    expected = [0.0] * 5
    for values in rows:
        cells = []
        for value, style in values:
            if isinstance(value, str):
                cells.append(book.text(ws, value, style))
            elif isinstance(value, dt.date):
                cells.append(book.date(ws, value.isoformat()))
            elif value is None:
                cells.append(None)
            else:
                cells.append(book.number(ws, value))
        grid.add(cells)
        for idx, cell in enumerate(cells[:5]):
            if cell is not None and cell.value is not None:
                expected[idx] = max(expected[idx], layout.cell_width(cell, fonts.of(cell)))
    assert grid._measured == expected
    assert [type(width) for width in grid._measured] == [type(width) for width in expected]  # 12 vs 12.0 is a byte


def _plain_display_width(text: str) -> int:
    """display_width as it was: each distinct non-ASCII character of a line measured by itself."""
    best = 0
    for line in text.split("\n"):
        if line.isascii():
            width = len(line)
        else:
            width = len(line) + sum(line.count(ch) * _extra_width(ch) for ch in set(line) if not ch.isascii())
        best = max(best, width)
    return best


@settings(max_examples=500)
@given(st.one_of(TEXT, st.text(max_size=80), st.text(st.sampled_from("ab\n"), max_size=30)))
def test_display_width_equals_the_character_by_character_count(text: str) -> None:
    assert display_width(text) == _plain_display_width(text)
    assert type(display_width(text)) is int


def _row_cells(write_only: bool, spec: list[tuple[object, str]]) -> tuple[list[object], object]:
    """Cells of a row: house styles through Book (shared arrays in a write-only workbook, a copy
    each otherwise), and cells styled through openpyxl with other font sizes."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import Cell
    from openpyxl.styles import Alignment, Font

    from vendordd.scorecard.book import Book
    from vendordd.xlsx_text import safe_text

    wb = Workbook(write_only=write_only)
    book = Book(wb, {"as_of": "2026-01-01"}, dt.date(2026, 1, 1), wb.sheetnames, [])
    ws = book.new_sheet("S", header_rows=None)
    cells: list[object] = []
    for value, style in spec:
        if style.startswith("size"):
            cell = Cell(ws, row=1, column=1, value=safe_text(value) if isinstance(value, str) else value)
            cell.font = Font(size=float(style[4:]), bold=style.endswith("5"))
            cell.alignment = Alignment(wrap_text=True)
        elif value is None:
            cell = None
        elif isinstance(value, str):
            cell = book.text(ws, value, style)
        else:
            cell = book.number(ws, value, "score")
        cells.append(cell)
    return cells, wb


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.one_of(st.none(), TEXT, st.text(max_size=50), st.floats(0, 100)),
                          st.sampled_from(["wrap", "bold", "text", "header", "warn", "link", "size14", "size8.5"])),
                max_size=8),
       st.lists(st.sampled_from([3.0, 7.0, 11.0, 24.0, 45.0, 73.0]), max_size=8), st.booleans())
def test_row_height_equals_its_plain_twin(spec: list[tuple[object, str]], widths: list[float],
                                          write_only: bool) -> None:
    row, wb = _row_cells(write_only, spec)
    fonts = layout.fonts_of(wb)
    expected = layout.row_height_plain(row, widths)
    assert layout.row_height(row, widths, fonts) == expected == layout.row_height_plain(row, widths, fonts)
    assert layout.row_height(row, widths, fonts) == expected  # the fonts' answers now remembered


def test_short_chars_is_the_plain_test_at_its_edge() -> None:
    for column in (0.5, 0.8, 1.0, 1.79, 3.0, 7.07, 11.0, 24.0, 45.0, 60.0, 73.0, 12.1):
        room = (column - layout._PADDING) * layout._SAFETY
        count = layout._short_chars(column)
        assert count == -1 or count * layout.WIDEST_ASCII + 1e-6 <= room
        assert not (count + 1) * layout.WIDEST_ASCII + 1e-6 <= room


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.one_of(TEXT, st.text(max_size=50), st.dates(min_value=dt.date(1900, 3, 1))),
                          st.sampled_from(["wrap", "bold", "warn", "link", "text", "header", "na_left"])),
                min_size=1, max_size=5),
       st.lists(st.lists(st.sampled_from([3.0, 8.0, 24.0, 45.0]), min_size=5, max_size=5), min_size=1, max_size=4),
       st.lists(st.integers(0, 4), max_size=3))
def test_row_height_of_repeated_cells_equals_its_plain_twin(spec: list[tuple[object, str]],
                                                            widths_by_row: list[list[float]],
                                                            fresh: list[int]) -> None:
    # The same repeated cells in several rows, their columns of several widths: each is measured
    # once per width (RepeatedCell.measured; a date, an empty text or a style that does not wrap
    # as needing no height), the plain twin measures every time. Some rows also hold cells of
    # their own (``fresh``: those columns get a new, unrepeated cell each row).
    from openpyxl import Workbook

    from vendordd.scorecard.book import Book
    from vendordd.scorecard.openpyxl_internals import RepeatedCell

    wb = Workbook(write_only=True)
    book = Book(wb, {"as_of": "2026-01-01"}, dt.date(2026, 1, 1), [], [])
    ws = book.new_sheet("S", header_rows=None)

    def cell(value: object, style: str, repeated: bool) -> object:
        if isinstance(value, dt.date):
            return book.date(ws, value.isoformat(), repeated=repeated)
        return book.text(ws, value, style, repeated=repeated)

    row = [cell(value, style, True) for value, style in spec]
    assert all(type(c) is RepeatedCell for c in row)
    fonts = layout.fonts_of(wb)
    for number, widths in enumerate(widths_by_row * 2):
        cells = list(row)
        if number % 2:
            for col in fresh:
                if col < len(cells):
                    cells[col] = cell(*spec[col], False)
        assert layout.row_height(cells, widths, fonts) == layout.row_height_plain(cells, widths)


def test_a_grid_writes_in_its_fixed_widths_and_uses_the_heights_handed_in() -> None:
    from openpyxl import Workbook

    from vendordd.scorecard.book import Book
    from vendordd.scorecard.openpyxl_internals import discard_write_only

    book = Book(Workbook(write_only=True), {"as_of": "2026-01-01"}, dt.date(2026, 1, 1), [], [])
    ws = book.new_sheet("S", header_rows=None)
    assert layout.Grid(ws, [layout.Col(8, 40)]).fixed_widths() is None  # a width that follows the content
    grid = layout.Grid(ws, [layout.Col(12, 12), layout.Col(7.5, 7.5), layout.Col(73, 73)])
    widths = grid.fixed_widths()
    assert widths == [12, 7.5, 73] and [type(w) for w in widths] == [int, float, int]  # as _start sets them
    long = book.text(ws, "word " * 60, "wrap")
    first = grid.add([None, None, long], measure=True)
    grid.measured(first, layout.row_height([None, None, long], widths, layout.fonts_of(book.wb)))
    with pytest.raises(ValueError):
        grid.measured(first + 1, 30.0)  # not queued
    grid.flush()
    assert grid._widths == widths
    discard_write_only(book.wb)  # close the sheet's stream (left open, its collection warns)
