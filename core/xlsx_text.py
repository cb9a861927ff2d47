"""Make untrusted text safe for a spreadsheet cell.

Vendor profiles and plugin output are untrusted. Three things go wrong when
such text reaches openpyxl unchecked (docs measured in
notes/excel-scorecards.md):

* a string starting with ``=`` becomes a formula, and ``#N/A`` and friends
  become error values;
* characters XML 1.0 cannot hold (C0 controls, lone surrogates, U+FFFE,
  U+FFFF) are rejected at assignment or, worse, make the save fail at the end;
* text longer than 32,767 UTF-16 code units is silently cut by code points,
  so emoji-heavy text can still overflow the cell.

:func:`safe_text` cleans and caps text, :func:`needs_quote_prefix` says when a
string cell needs Excel's quote prefix (an edit would turn it into a formula;
the scorecard's cells are made by ``vendordd.scorecard.openpyxl_internals.put_text``),
and :func:`safe_url` decides whether a URL may become a clickable link.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any
from urllib.parse import urlsplit

from openpyxl.cell.cell import ERROR_CODES

#: Excel's limit on the text in one cell, in UTF-16 code units.
CELL_TEXT_LIMIT = 32767

#: Excel's limit on the length of a hyperlink target.
URL_LIMIT = 2079

#: Link schemes that may become clickable; anything else is shown as text only.
SAFE_URL_SCHEMES = frozenset({"http", "https", "mailto"})

#: First characters that make Excel or LibreOffice read typed-in text as a
#: formula (or split it on edit): such text gets the quote prefix.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")

XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_URL_FORBIDDEN = re.compile(r"[\x00-\x20\x7f\"<>\\^`{|}]")


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units (what Excel counts)."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def utf16_prefix(text: str, units: int) -> str:
    """The longest prefix of ``text`` that fits in ``units`` UTF-16 code units.

    Never splits a surrogate pair: a character that does not fit whole is left out.
    """
    if units <= 0:
        return ""
    return text.encode("utf-16-le")[: 2 * units].decode("utf-16-le", "ignore")


def _cut_marker(removed: int) -> str:
    return f"… [cut: {removed:,} characters]"


def _clean(text: str) -> str:
    """What :func:`_clean_plain` gives, with a cheaper test for the common case: no character of
    printable text is one XML cannot hold or a carriage return (those are all control characters,
    surrogates or noncharacters, none printable), and ``str.isprintable`` is a few times faster
    than the regular expression. Line feeds and tabs (bulleted lines) are not printable but are
    allowed: text that is printable once they are spaces is returned as it is too."""
    if text.isprintable():
        return text
    if ("\n" in text or "\t" in text) and text.replace("\n", " ").replace("\t", " ").isprintable():
        return text
    return _clean_plain(text)


def _clean_plain(text: str) -> str:
    """Drop what XML cannot hold; pair up split surrogates first; CR/CRLF become LF."""
    if "\r" not in text and not XML_ILLEGAL.search(text):
        return text  # the common case: one scan (surrogates are in XML_ILLEGAL too)
    if _SURROGATE.search(text):
        # A str can hold a high and a low surrogate as two code points (e.g. from
        # a careless decoder): join them into one character, drop lone halves.
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "ignore")
    if "\r" in text:
        # XML parsers turn a literal CR into LF anyway; do it visibly and once.
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return XML_ILLEGAL.sub("", text)


def safe_text(value: Any, limit: int = CELL_TEXT_LIMIT) -> str:
    """``value`` as text a cell can hold: XML-safe and at most ``limit`` UTF-16 units.

    None becomes ``""``; anything else that is not a string goes through
    ``str()``. Characters XML 1.0 cannot hold (C0 controls other than tab and
    line feed, lone surrogates, U+FFFE, U+FFFF) are removed, carriage returns
    become line feeds. Text longer than ``limit`` code units is cut and ends
    with a visible marker ``"… [cut: N characters]"`` (N counts the characters
    removed), the whole fitting within ``limit``. The result is plain text:
    whether it is *written* as text is the cell maker's job (``openpyxl_internals.put_text``).
    """
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    text = _clean(text)
    if len(text) <= limit // 2 or utf16_len(text) <= limit:
        return text
    if limit < 40:  # no room for a marker: a hard cut is the best we can do
        return utf16_prefix(text, limit)
    total = len(text)
    removed = 0
    for _ in range(3):  # the marker's own length depends on N; settles in two rounds
        marker = _cut_marker(removed)
        kept = utf16_prefix(text, limit - utf16_len(marker))
        if total - len(kept) == removed:
            break
        removed = total - len(kept)
    marker = _cut_marker(removed)
    kept = utf16_prefix(text, limit - utf16_len(marker))
    return kept + marker


def needs_quote_prefix(text: str) -> bool:
    """True when an edit of a cell holding ``text`` would turn it into a formula or error."""
    return text.startswith(FORMULA_TRIGGERS) or text in ERROR_CODES


_ASCII_CONTROL_OR_SPACE = re.compile(r"[\x00-\x20\x7f]")
#: The start of an http(s) URL with a plain host (and port): once the character checks
#: passed, the urlsplit checks below accept it (the usual case, decided without them).
_PLAIN_WEB_URL = re.compile(r"https?://[a-z0-9.-]+(?::[0-9]*)?(?:[/?#]|\Z)", re.IGNORECASE)
#: A whole ASCII URL that :data:`_PLAIN_WEB_URL` matches and that holds none of
#: :data:`_URL_FORBIDDEN`'s characters: such a URL passes every check below, decided in one scan.
_SAFE_PLAIN_WEB_URL = re.compile(r'https?://[a-z0-9.-]+(?::[0-9]*)?(?:[/?#][^\x00-\x20\x7f"<>\\^`{|}]*)?',
                                 re.IGNORECASE)


def safe_url(url: Any) -> str | None:
    """``url`` if it may become a clickable link, else None.

    Allowed: ``http``/``https`` URLs with a host and ``mailto:`` addresses, at
    most 2,079 characters (Excel's limit), without spaces, control characters
    or characters that have no business in a URL. Everything else
    (``javascript:``, ``file:``, ``data:``, relative paths, UNC paths) returns
    None: show such text, never link it.
    """
    if not isinstance(url, str):
        return None
    url = url.strip()
    if not url or len(url) > URL_LIMIT:
        return None
    if url.isascii() and _SAFE_PLAIN_WEB_URL.fullmatch(url):  # the usual case, in one scan
        return url
    if _URL_FORBIDDEN.search(url):
        return None
    if url.isascii():  # in ASCII, exactly these are Cc or Zs (and none is Cf, Zl or Zp)
        if _ASCII_CONTROL_OR_SPACE.search(url):
            return None
        if _PLAIN_WEB_URL.match(url):
            return url
    elif any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Zs") for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in SAFE_URL_SCHEMES:
        return None
    if scheme in ("http", "https"):
        try:
            host = parts.hostname
        except ValueError:
            return None
        if not host or not url[len(scheme):].startswith("://"):
            return None
    elif len(url) <= len("mailto:"):
        return None
    return url


#: A character that is not ASCII.
_NON_ASCII = re.compile("[^\x00-\x7f]")


def display_width(text: str) -> int:
    """Width of the longest line of ``text`` in character cells (wide CJK counts 2, a combining
    mark 0)."""
    if text.isascii():
        return max(map(len, text.split("\n")))
    best = 0
    extra = _EXTRA_WIDTHS.__getitem__
    for line in text.split("\n"):  # an ASCII character takes no extra width: only the others are looked up
        width = len(line) if line.isascii() else len(line) + sum(map(extra, _NON_ASCII.findall(line)))
        if width > best:
            best = width
    return best


class _ExtraWidths(dict[str, int]):
    """Character -> :func:`_extra_width` (0 for ASCII); a character not seen before is measured once."""

    def __init__(self) -> None:
        super().__init__((chr(i), 0) for i in range(128))

    def __missing__(self, ch: str) -> int:
        width = _extra_width(ch)
        if len(self) < _MAX_CHARS_KEPT:
            self[ch] = width
        return width


#: Advance widths of the printable ASCII characters (U+0020-U+007E) in Carlito, the
#: metric-compatible twin of Calibri (the house font), in widths of the digit 0: the unit of
#: an Excel column width. Read from the fonts' hmtx tables (2048 units per em; digit 1038).
_CARLITO_REGULAR = (
    0.446, 0.643, 0.791, 0.983, 1, 1.41, 1.346, 0.435, 0.598, 0.598, 0.983, 0.983, 0.492, 0.604,
    0.498, 0.762, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0.528, 0.528, 0.983, 0.983, 0.983, 0.914, 1.764,
    1.142, 1.073, 1.052, 1.214, 0.963, 0.907, 1.245, 1.229, 0.497, 0.629, 1.025, 0.829, 1.687,
    1.274, 1.306, 1.019, 1.328, 1.071, 0.907, 0.961, 1.266, 1.119, 1.755, 1.024, 0.961, 0.924,
    0.605, 0.762, 0.605, 0.983, 0.983, 0.574, 0.945, 1.037, 0.834, 1.037, 0.982, 0.602, 0.929,
    1.037, 0.453, 0.472, 0.897, 0.453, 1.576, 1.037, 1.04, 1.037, 1.037, 0.688, 0.772, 0.661,
    1.037, 0.891, 1.41, 0.855, 0.893, 0.779, 0.62, 0.908, 0.62, 0.983,
)
_CARLITO_BOLD = (
    0.446, 0.643, 0.865, 0.983, 1, 1.438, 1.39, 0.461, 0.615, 0.615, 0.983, 0.983, 0.509, 0.604,
    0.527, 0.848, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0.544, 0.544, 0.983, 0.983, 0.983, 0.914, 1.773,
    1.196, 1.106, 1.044, 1.244, 0.962, 0.906, 1.257, 1.245, 0.526, 0.653, 1.079, 0.834, 1.724,
    1.3, 1.334, 1.05, 1.354, 1.111, 0.933, 0.977, 1.288, 1.167, 1.788, 1.087, 1.025, 0.943,
    0.641, 0.848, 0.641, 0.983, 0.983, 0.592, 0.974, 1.059, 0.826, 1.059, 0.993, 0.624, 0.935,
    1.059, 0.485, 0.504, 0.947, 0.485, 1.605, 1.059, 1.061, 1.059, 1.059, 0.701, 0.787, 0.684,
    1.059, 0.934, 1.47, 0.907, 0.934, 0.784, 0.678, 0.937, 0.678, 0.983,
)

#: Byte value -> width, for ``sum(map(table.__getitem__, line.encode()))``; controls count 1.
_WIDTH_TABLES = {bold: (1.0,) * 32 + widths + (1.0,) for bold, widths in
                 ((False, _CARLITO_REGULAR), (True, _CARLITO_BOLD))}


#: The widest ASCII character's width (regular or bold): no ASCII line of n characters is wider
#: than n times this.
WIDEST_ASCII = max(max(table) for table in _WIDTH_TABLES.values())


class _CharWidths(dict[str, float]):
    """Character -> width in digit widths; a character not seen before is measured once."""

    def __init__(self, table: tuple[float, ...]) -> None:
        super().__init__((chr(i), width) for i, width in enumerate(table))

    def __missing__(self, ch: str) -> float:
        width = 1.0 + _extra_width(ch)
        if len(self) < _MAX_CHARS_KEPT:  # hostile text cannot make it grow without end
            self[ch] = width
        return width


#: Distinct characters a width table keeps.
_MAX_CHARS_KEPT = 50_000


_CHAR_WIDTHS = {bold: _CharWidths(table) for bold, table in _WIDTH_TABLES.items()}
_EXTRA_WIDTHS = _ExtraWidths()


def text_width(line: str, bold: bool = False) -> float:
    """Width of one line of text in the house font, in digit widths (the unit of a column width).

    ASCII characters are measured from the font; any other character counts
    one digit (two for wide East Asian ones), as :func:`display_width` does.
    """
    if line.isascii():
        return sum(map(_WIDTH_TABLES[bold].__getitem__, line.encode("ascii")))
    # the same widths summed in the same order as character by character, without a Python loop
    return sum(map(_CHAR_WIDTHS[bold].__getitem__, line))


def char_widths(text: str, bold: bool = False) -> Any:
    """The :func:`text_width` of each character of ``text``, in order (an iterator)."""
    return map(_CHAR_WIDTHS[bold].__getitem__, text)


#: Byte value -> width in thousandths of a digit width (of ``_WIDTH_TABLES``): every width
#: above has three decimals, so these are exact and their sums exact integers (where a float
#: sum depends on its order).
MILLI_ASCII = {bold: tuple(round(width * 1000) for width in table) for bold, table in _WIDTH_TABLES.items()}


class _CharMilli(dict[str, int]):
    """Character -> width in thousandths of a digit width (as :class:`_CharWidths`, times 1000)."""

    def __init__(self, table: tuple[int, ...]) -> None:
        super().__init__((chr(i), width) for i, width in enumerate(table))

    def __missing__(self, ch: str) -> int:
        width = 1000 + 1000 * _extra_width(ch)
        if len(self) < _MAX_CHARS_KEPT:
            self[ch] = width
        return width


_CHAR_MILLI = {bold: _CharMilli(table) for bold, table in MILLI_ASCII.items()}


def milli_width(line: str, bold: bool = False) -> int:
    """:func:`text_width` in thousandths of a digit width, exactly: ``text_width(line)`` is this
    divided by 1000 up to the rounding of a float sum.

    ASCII characters are summed from two translations of their bytes (:data:`_MILLI_BYTES`),
    several times faster than a table lookup per character; any others are looked up one by
    one. Integers: the sum is the same in any order."""
    low, high = _MILLI_BYTES[bold]
    if line.isascii():
        raw = line.encode("ascii")
        return sum(raw.translate(low)) + 256 * sum(raw.translate(high))
    raw = line.encode("ascii", "ignore")  # its ASCII characters (a title with a dash, a "…")
    return (sum(raw.translate(low)) + 256 * sum(raw.translate(high))
            + sum(map(_CHAR_MILLI[bold].__getitem__, _NON_ASCII.findall(line))))


def char_milli_widths(text: str, bold: bool = False) -> Any:
    """The :func:`milli_width` of each character of ``text``, in order (an iterator)."""
    return map(_CHAR_MILLI[bold].__getitem__, text)


def milli_width_plain(line: str, bold: bool = False) -> int:
    """:func:`milli_width`, each character's width looked up and added (its plain twin)."""
    if line.isascii():
        return sum(map(MILLI_ASCII[bold].__getitem__, line.encode("ascii")))
    return sum(map(_CHAR_MILLI[bold].__getitem__, line))


#: Per boldness, two ``bytes.translate`` tables: byte value -> its :data:`MILLI_ASCII` width's low
#: byte, and its high byte (a width is below 65,536), so a text's width is ``sum(low) + 256 * sum(high)``.
_MILLI_BYTES = {bold: (bytes(width % 256 for width in table) + bytes(128), bytes(width // 256 for width in table)
                       + bytes(128)) for bold, table in MILLI_ASCII.items()}


def _extra_width(ch: str) -> int:
    """Cells beyond one that a non-ASCII character takes: +1 for wide East Asian ones, -1 for a
    combining mark (drawn over the letter before it).

    Measured against wcwidth 0.9.4, which counts a combining mark and a zero-width space as 0
    (rendered so) but a ZWJ emoji sequence such as 👩‍💻 as 2; the fallback fonts LibreOffice uses
    beside Carlito may draw it as two emoji, so the sequence keeps its parts' widths here (never
    too narrow), and no dependency is added for the difference.
    """
    if unicodedata.combining(ch) or ch == "\u200b":
        return -1
    return 1 if unicodedata.east_asian_width(ch) in ("W", "F") else 0
