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

:func:`safe_text` cleans and caps text, :func:`text_cell` builds a cell that
is always of string type (with Excel's quote prefix when an edit would turn it
into a formula), and :func:`safe_url` decides whether a URL may become a
clickable link.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any
from urllib.parse import urlsplit

from openpyxl.cell.cell import ERROR_CODES, Cell

#: Excel's limit on the text in one cell, in UTF-16 code units.
CELL_TEXT_LIMIT = 32767

#: Excel's limit on the length of a hyperlink target.
URL_LIMIT = 2079

#: Link schemes that may become clickable; anything else is shown as text only.
SAFE_URL_SCHEMES = frozenset({"http", "https", "mailto"})

#: First characters that make Excel or LibreOffice read typed-in text as a
#: formula (or split it on edit): such text gets the quote prefix.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
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
    """Drop what XML cannot hold; pair up split surrogates first; CR/CRLF become LF."""
    if "\r" not in text and not _XML_ILLEGAL.search(text):
        return text  # the common case: one scan (surrogates are in _XML_ILLEGAL too)
    if _SURROGATE.search(text):
        # A str can hold a high and a low surrogate as two code points (e.g. from
        # a careless decoder): join them into one character, drop lone halves.
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "ignore")
    if "\r" in text:
        # XML parsers turn a literal CR into LF anyway; do it visibly and once.
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _XML_ILLEGAL.sub("", text)


def safe_text(value: Any, limit: int = CELL_TEXT_LIMIT) -> str:
    """``value`` as text a cell can hold: XML-safe and at most ``limit`` UTF-16 units.

    None becomes ``""``; anything else that is not a string goes through
    ``str()``. Characters XML 1.0 cannot hold (C0 controls other than tab and
    line feed, lone surrogates, U+FFFE, U+FFFF) are removed, carriage returns
    become line feeds. Text longer than ``limit`` code units is cut and ends
    with a visible marker ``"… [cut: N characters]"`` (N counts the characters
    removed), the whole fitting within ``limit``. The result is plain text:
    whether it is *written* as text is :func:`text_cell`'s job.
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


def text_cell(worksheet: Any, value: Any, limit: int = CELL_TEXT_LIMIT) -> Cell:
    """A cell for ``worksheet`` that holds ``safe_text(value)`` as a string.

    The data type is forced to string, so ``=HYPERLINK(...)`` is shown, never
    evaluated, and ``#N/A`` stays text. Text that starts with ``= + - @``, a
    tab or a line break (or is an error literal) also gets the quote prefix,
    so that editing the cell in Excel or LibreOffice keeps it text. Works in
    write-only and normal mode (``worksheet.append([cell, ...])``). To style
    the cell, assign the style first and then call :func:`mark_text`: a
    style assignment replaces the quote prefix flag.
    """
    cell = Cell(worksheet, row=1, column=1)
    mark_text(cell, safe_text(value, limit))
    return cell


def mark_text(cell: Cell, text: str) -> Cell:
    """Put already-safe ``text`` into ``cell`` as a string, with the quote prefix when needed.

    Call it after any style assignment: assigning a style array replaces the
    quote prefix flag.
    """
    cell._value = text
    cell.data_type = "s"
    if needs_quote_prefix(text):
        cell.quotePrefix = True
    return cell


_ASCII_CONTROL_OR_SPACE = re.compile(r"[\x00-\x20\x7f]")
#: The start of an http(s) URL with a plain host (and port): once the character checks
#: passed, the urlsplit checks below accept it (the usual case, decided without them).
_PLAIN_WEB_URL = re.compile(r"https?://[a-z0-9.-]+(?::[0-9]*)?(?:[/?#]|\Z)", re.IGNORECASE)


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
    if not url or len(url) > URL_LIMIT or _URL_FORBIDDEN.search(url):
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


def display_width(text: str) -> int:
    """Width of the longest line of ``text`` in character cells (wide CJK counts 2)."""
    best = 0
    for line in text.split("\n"):
        if line.isascii():
            width = len(line)
        else:  # count each distinct wide character once, not every character
            width = len(line) + sum(line.count(ch) for ch in set(line)
                                    if not ch.isascii() and unicodedata.east_asian_width(ch) in ("W", "F"))
        best = max(best, width)
    return best
