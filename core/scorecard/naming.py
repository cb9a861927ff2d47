"""Names Excel accepts: sheet titles, table names and table column headers.

openpyxl checks few of Excel's rules (see the notes in docs/architecture.md):
titles of at most 31 UTF-16 units without ``[]:*?/\\``, never "History";
table names that do not look like cell references, unique across the
workbook case-insensitively; unique, one-line header texts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from ..xlsx_text import safe_text, utf16_prefix
from .limits import SHEET_TITLE_LIMIT

_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\\s]+")


def clean_title(wanted: Any) -> str:
    """``wanted`` with what a sheet title may not hold removed, cut to 31 UTF-16 units."""
    text = _TITLE_FORBIDDEN.sub(" ", safe_text(wanted, limit=200)).strip()
    text = utf16_prefix(text.strip("' "), SHEET_TITLE_LIMIT)
    return text.strip("' ")


class SheetTitles:
    """Hands out sheet titles Excel accepts: unique (case-insensitively), at most 31
    UTF-16 units, none of ``[]:*?/\\``, not "History", no apostrophe at either end.

    Duplicates get `` (2)``, `` (3)``...; a per-name counter keeps this linear
    in the number of titles, however many vendors share a name.
    """

    def __init__(self, existing: Iterable[str] = ()) -> None:
        self._used: set[str] = {t.casefold() for t in existing} | {"history"}
        self._next: dict[str, int] = {}

    def reserve(self, title: str) -> None:
        """Mark ``title`` (already in the workbook) as taken."""
        self._used.add(title.casefold())

    def take(self, wanted: Any, fallback: str = "Sheet") -> str:
        """A fresh title as close to ``wanted`` as the rules allow."""
        base = clean_title(wanted) or fallback
        key = base.casefold()
        if key not in self._used:
            self._used.add(key)
            return base
        n = self._next.get(key, 2)
        while True:
            suffix = f" ({n})"
            stem = utf16_prefix(base, SHEET_TITLE_LIMIT - len(suffix)).rstrip("' ")
            candidate = (stem or fallback) + suffix
            n += 1
            if candidate.casefold() not in self._used:
                break
        self._next[key] = n
        self._used.add(candidate.casefold())
        return candidate

    def taken(self) -> set[str]:
        """The names taken so far (casefolded), the existing ones included."""
        return set(self._used)

    def add(self, names: Iterable[str]) -> None:
        """Mark ``names`` (as :meth:`taken` gives them) as taken: names another process took."""
        self._used.update(names)


_CELL_REF_LIKE = re.compile(r"^([A-Za-z]{1,3}\d+|[Rr]\d*[Cc]\d*|[RrCc])$")


class TableNames:
    """Valid, workbook-unique (case-insensitive) names for Excel tables."""

    def __init__(self, existing: Iterable[str] = ()) -> None:
        self._used = {n.casefold() for n in existing}

    def take(self, hint: str) -> str:
        name = re.sub(r"[^A-Za-z0-9_.]", "_", hint)[:200] or "Table"
        if not re.match(r"[A-Za-z_]", name) or _CELL_REF_LIKE.match(name):
            name = "T_" + name
        candidate, n = name, 2
        while candidate.casefold() in self._used:
            candidate, n = f"{name}_{n}", n + 1
        self._used.add(candidate.casefold())
        return candidate

    def taken(self) -> set[str]:
        """The names taken so far (casefolded), the existing ones included."""
        return set(self._used)

    def add(self, names: Iterable[str]) -> None:
        """Mark ``names`` (as :meth:`taken` gives them) as taken: names another process took."""
        self._used.update(names)


def unique_headers(headers: Sequence[Any]) -> list[str]:
    """Header texts usable as table column names: one line, non-empty, unique."""
    out: list[str] = []
    seen: set[str] = set()
    for idx, header in enumerate(headers, 1):
        text = " ".join(safe_text(header, limit=255).split()) or f"Column {idx}"
        base, n = text, 2
        while text.casefold() in seen:
            text, n = f"{base} ({n})", n + 1
        seen.add(text.casefold())
        out.append(text)
    return out
