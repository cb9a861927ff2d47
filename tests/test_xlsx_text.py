"""vendordd.xlsx_text: untrusted text made safe for a cell."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from vendordd.xlsx_text import (
    CELL_TEXT_LIMIT,
    display_width,
    milli_width,
    milli_width_plain,
    needs_quote_prefix,
    safe_text,
    safe_url,
    utf16_len,
    utf16_prefix,
)

XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def test_none_and_non_text():
    assert safe_text(None) == ""
    assert safe_text(12.5) == "12.5"
    assert safe_text(["a"]) == "['a']"


def test_removes_what_xml_cannot_hold_and_keeps_tab_and_newline():
    assert safe_text("a\x00b\x01c\x08d\x0be\x0cf\x1fg") == "abcdefg"
    assert safe_text("x\ufffey\uffffz") == "xyz"
    assert safe_text("tab\there\nnew line") == "tab\there\nnew line"


def test_carriage_returns_become_line_feeds():
    assert safe_text("one\r\ntwo\rthree") == "one\ntwo\nthree"


def test_lone_surrogates_removed_and_split_pairs_joined():
    assert safe_text("a\ud800b\udc00c") == "abc"
    assert safe_text("\ud83d\ude00") == "😀"  # a pair held as two code points
    assert safe_text("ok 😀") == "ok 😀"


def test_short_text_is_unchanged():
    text = "=HYPERLINK(\"http://x\",\"y\") 林俊旸 🚀 مرحبا"
    assert safe_text(text) == text


def test_long_text_is_cut_with_a_marker_that_counts_what_was_removed():
    text = "x" * 100_000
    out = safe_text(text)
    assert utf16_len(out) <= CELL_TEXT_LIMIT
    match = re.search(r"… \[cut: ([\d,]+) characters\]$", out)
    assert match
    removed = int(match.group(1).replace(",", ""))
    kept = out[: match.start()]
    assert set(kept) == {"x"}
    assert len(kept) + removed == 100_000


def test_cut_is_measured_in_utf16_units_and_never_splits_an_emoji():
    text = "😀" * 20_000  # 40,000 UTF-16 units but only 20,000 code points
    out = safe_text(text)
    assert utf16_len(out) <= CELL_TEXT_LIMIT
    assert utf16_len(out) > CELL_TEXT_LIMIT - 40
    out.encode("utf-8")  # no lone surrogate
    kept = out.split("…")[0]
    assert set(kept) == {"😀"}
    assert f"[cut: {20_000 - len(kept):,} characters]" in out


def test_text_exactly_at_the_limit_is_not_cut():
    text = "a" * CELL_TEXT_LIMIT
    assert safe_text(text) == text
    assert safe_text(text + "b").endswith("characters]")


def test_small_limit_cuts_hard():
    assert safe_text("abcdefghij", limit=4) == "abcd"
    assert utf16_len(safe_text("😀😀😀", limit=5)) <= 5


def test_utf16_helpers():
    assert utf16_len("a😀") == 3
    assert utf16_prefix("a😀b", 2) == "a"
    assert utf16_prefix("a😀b", 3) == "a😀"
    assert utf16_prefix("abc", 0) == ""


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=200),
       st.integers(min_value=1, max_value=500))
def test_safe_text_output_is_always_cell_safe(text, limit):
    out = safe_text(text, limit=limit)
    assert not XML_ILLEGAL.search(out)
    assert not ILLEGAL_CHARACTERS_RE.search(out)
    assert utf16_len(out) <= limit
    out.encode("utf-8")


@pytest.mark.parametrize("text", ["=1+1", "=HYPERLINK(\"http://x\",\"y\")", "=cmd|' /C calc'!A0",
                                  "+1", "-1", "@SUM(A1)", "\tx", "\nx", "#N/A", "#REF!", "#DIV/0!"])
def test_formula_like_text_needs_the_quote_prefix(text):
    assert needs_quote_prefix(text)


@pytest.mark.parametrize("text", ["Leadership turnover", "a=b", "N/A", "x-1"])
def test_plain_text_needs_no_quote_prefix(text):
    assert not needs_quote_prefix(text)


@pytest.mark.parametrize("url", [
    "https://example.com/a?b=c&d=%3D", "http://example.com", "mailto:risk@example.com",
    "HTTPS://EXAMPLE.COM/x",
])
def test_safe_urls_are_kept(url):
    assert safe_url(url) == url


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JAVASCRIPT:alert(1)", " javascript:alert(1)", "file:///etc/passwd",
    "data:text/html,<script>", "vbscript:msgbox", "\\\\server\\share\\x.exe", "../secret.xlsx",
    "https://", "http:example.com", "mailto:", "https://exa mple.com", "https://example.com/\x01",
    "=HYPERLINK(\"http://x\")", "https://example.com/\u202egnp.exe", "", None, 42,
    "https://example.com/" + "a" * 2100,
])
def test_unsafe_urls_are_refused(url):
    assert safe_url(url) is None


def test_url_at_excels_limit_is_allowed():
    url = "https://example.com/" + "a" * (2079 - len("https://example.com/"))
    assert len(url) == 2079
    assert safe_url(url) == url


def test_display_width_counts_wide_characters_twice():
    assert display_width("abc") == 3
    assert display_width("林俊旸") == 6
    assert display_width("Cafe\u0301") == 4  # a combining accent takes no room (as wcwidth counts it)
    assert display_width("short\nlonger line") == 11


@settings(max_examples=500)
@given(st.one_of(st.text(st.characters(max_codepoint=127), max_size=400),
                 st.text(st.sampled_from(list("WMm@%il. \t\x00\x7f~")), max_size=3000),
                 st.text(max_size=60),
                 st.text(st.sampled_from(list("abc WM.-") + ["—", "…", "漢", "é", "\u0301", "👩"]), max_size=300)),
       st.booleans())
@example("Title \ud800 — publisher…", False)
def test_milli_width_equals_its_character_by_character_twin(text, bold):
    # ASCII through two byte translations, the rest character by character: the same integer
    assert milli_width(text, bold) == milli_width_plain(text, bold)
    assert type(milli_width(text, bold)) is int
