"""What every list format module provides, and the helpers they share.

A format module defines ``FORMAT = ListFormat(...)``: its name (recorded in
the results), a ``detect`` function that looks at the file's first bytes and
a ``read`` function that turns the whole file into entries. The registry in
:mod:`vendordd.screening.formats` asks each format in turn.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
        return cls(text, text.split("\n", 1)[0].strip(), suffix)


@dataclass
class ListSource:
    """One list file to read: where it is and the name messages use for it."""

    path: Path
    name: str

    def read_bytes(self) -> bytes:
        return self.path.read_bytes()


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
    if value is None:
        return []
    if isinstance(value, list):
        items = value
    else:
        items = str(value).split(";")
    return [" ".join(str(v).split()) for v in items if isinstance(v, (str, int, float)) and str(v).strip()]


def text_or_none(value: Any) -> str | None:
    """The value's text with runs of white space made one space; None when nothing is left."""
    text = " ".join(str(value).split()) if value is not None else ""
    return text or None
