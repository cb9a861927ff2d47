"""What every list format module provides, and the helpers they share.

A format module defines ``FORMAT = ListFormat(...)``: its name (recorded in
the results), a ``detect`` function that looks at the file's first bytes and
a ``read`` function that turns the whole file into entries. The registry in
:mod:`vendordd.screening.formats` asks each format in turn.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from ...loader import InputError, Problem
from ..model import ListEntry

#: A bad list file reports at most this many problems.
MAX_PROBLEMS = 20



@dataclass(frozen=True)
class Head:
    """The start of a list file, as the detectors see it.

    ``text`` is the first bytes decoded leniently (byte-order mark and leading
    space removed); ``first_line`` its first line, stripped; ``suffix`` the
    file's name in lower case (it settles JSON lines whose first line is
    longer than the head).
    """

    text: str
    first_line: str
    suffix: str

    @classmethod
    def of(cls, head: bytes, suffix: str = "") -> Head:
        text = head.decode("utf-8", errors="replace").lstrip("\ufeff").lstrip()
        # Any line ending: old Mac files end lines with a lone CR.
        return cls(text, re.split(r"\r\n|\r|\n", text, maxsplit=1)[0].strip(), suffix)


class NotUTF8(Exception):
    """A line that is not UTF-8 (raised by :meth:`ListSource.text_lines` when a fallback may be tried)."""


class ListSource:
    """One list file open for reading, read as a stream so that memory does not grow with its size.

    ``fh`` is a seekable binary file: the file itself, or the copy of a pipe
    (read once, ``/dev/stdin`` included). Each of :meth:`chunks`,
    :meth:`binary_lines` and :meth:`text_lines` reads it from the start and
    hashes what it reads: once a reader has read to the end, :attr:`sha256`
    is the file's. ``path`` is the name given (companion files are looked for
    beside it); ``name`` the name messages use; ``regular`` False for a pipe's
    copy; ``size`` the size in bytes.
    """

    def __init__(self, path: Path, name: str, fh: BinaryIO, *, regular: bool = True, size: int | None = None):
        self.path = path
        self.name = name
        self.fh = fh
        self.regular = regular
        self.size = size
        self._digest = hashlib.sha256()

    @property
    def sha256(self) -> str:
        return self._digest.hexdigest()

    def chunks(self, size: int = 1 << 20) -> Iterator[bytes]:
        """The file's bytes from the start, in pieces, hashed as they are read."""
        self.fh.seek(0)
        self._digest = hashlib.sha256()
        while chunk := self.fh.read(size):
            self._digest.update(chunk)
            yield chunk

    def read_bytes(self) -> bytes:
        """The whole file (for formats that must parse it whole: a JSON document)."""
        return b"".join(self.chunks())

    def binary_lines(self) -> Iterator[bytes]:
        """The file's lines with their endings (``\\r\\n``, ``\\n`` or a lone ``\\r``), a byte-order mark dropped."""
        carry = b""
        first = True
        for chunk in self.chunks():
            data = carry + chunk
            if first:
                data = data.removeprefix(b"\xef\xbb\xbf")
                first = False
            held = b"\r" if data.endswith(b"\r") else b""  # may be the first half of \r\n
            # bytes.splitlines breaks at \r\n, \n and \r only (not at the other
            # characters str.splitlines knows), each line keeping its ending.
            lines = (data[:-1] if held else data).splitlines(keepends=True)
            carry = held
            if lines and not lines[-1].endswith((b"\n", b"\r")):
                carry = lines.pop() + held  # the start of a line the next chunk ends
            yield from lines
        if carry:
            yield carry

    def text_lines(self, encoding: str = "utf-8", errors: str = "strict", *,
                   fallback: bool = False) -> Iterator[str]:
        """The file's lines decoded; a line that is not ``encoding`` raises InputError naming it,
        or :class:`NotUTF8` when ``fallback`` (the caller then reads again in another encoding)."""
        offset = 0
        for number, raw in enumerate(self.binary_lines(), 1):
            try:
                yield raw.decode(encoding, errors)
            except UnicodeDecodeError as exc:
                if fallback:
                    raise NotUTF8 from None
                raise InputError([Problem(self.name, f"not UTF-8 text (byte {offset + exc.start} is "
                                                     f"0x{raw[exc.start]:02x})", line=number)]) from None
            offset += len(raw)


def spans_lines(problems: Problems, start: int, end: int, row: list[str], fields: int,
                names: dict[int, str]) -> bool:
    """Report a CSV record that a quote left open may have made of several rows; True when reported.

    ``start``-``end`` are the physical lines the record took; ``fields`` the
    number of fields a row has; ``names`` the name fields (index -> column).
    A record over several lines is refused when a name field holds a line
    break or its field count is not ``fields``: a quote opened in one field
    and never closed swallows the rows after it into that field, and the
    entries on them would be lost without a word.
    """
    if end <= start:
        return False
    broken = [column for i, column in names.items() if i < len(row) and ("\n" in row[i] or "\r" in row[i])]
    if broken:
        problems.add(f"lines {start}-{end} were read as one record: the {broken[0]} field holds a line "
                     f"break, so a quote left open on line {start} swallowed the rows after it "
                     f"(close or remove that quote)", start)
        return True
    if len(row) != fields:
        problems.add(f"lines {start}-{end} were read as one record of {len(row)} fields, not {fields}: "
                     f"a quote left open on line {start} may have swallowed the rows after it", start)
        return True
    return False


@dataclass
class ListRead:
    """What a format's reader returns: the entries, the date the content states, the files read.

    ``files`` are ``(name, sha256)`` pairs, the list file first, then any
    companion file (OFAC's ``alt.csv``).
    """

    entries: list[ListEntry]
    date: str | None = None
    files: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class ListFormat:
    """A list format: its name, how to recognise it, how to read it.

    ``detect(head)`` says whether a file starting with ``head`` is in this
    format; ``read(source)`` reads the whole file or raises InputError naming
    the file and the line (or JSON pointer) of each problem.
    """

    name: str
    description: str
    detect: Callable[[Head], bool]
    read: Callable[[ListSource], ListRead]


class Problems:
    """Collects a file's problems; raises once there are too many or at the end."""

    def __init__(self, name: str):
        self.name = name
        self.items: list[Problem] = []

    def add(self, message: str, line: int | None = None, pointer: str = "") -> None:
        self.items.append(Problem(self.name, message, pointer, line))
        if len(self.items) >= MAX_PROBLEMS:
            self.items.append(Problem(self.name, f"stopped after {MAX_PROBLEMS} problems"))
            raise InputError(self.items)

    def check(self) -> None:
        if self.items:
            raise InputError(self.items)


def decode(raw: bytes, name: str, fallback: str | None = None) -> str:
    """UTF-8 text (a byte-order mark is dropped); ``fallback`` encoding when given and UTF-8 fails."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        if fallback:
            return raw.decode(fallback, errors="replace")
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError([Problem(name, f"not UTF-8 text (byte {exc.start} is 0x{raw[exc.start]:02x})",
                                  line=line)]) from None


def sha256(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def split_values(value: Any) -> list[str]:
    """A multi-valued field: a JSON list, or CSV text joined with ``;``."""
    if value is None or value == "":
        return []
    if isinstance(value, str):  # a CSV cell: one value (most cells), or values joined with ";"
        if ";" not in value:
            text = " ".join(value.split())
            return [text] if text else []
        return [text for text in (" ".join(v.split()) for v in value.split(";")) if text]
    if isinstance(value, list):
        items = value
    else:
        items = str(value).split(";")
    return [" ".join(str(v).split()) for v in items if isinstance(v, (str, int, float)) and str(v).strip()]


def text_or_none(value: Any) -> str | None:
    """The value's text with runs of white space made one space; None when nothing is left."""
    text = " ".join(str(value).split()) if value is not None else ""
    return text or None
