"""What reading an input file yields: a :class:`Document`, or an :class:`InputError` of :class:`Problem` lines.

Every input reader (profiles, policies, portfolios, screening lists) speaks
these types; a :class:`Problem` names the file and, where known, the JSON
pointer, line and column, and prints as the one line the CLI shows.
This module imports nothing of vendordd.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One input error: where it is and what is wrong."""

    file: str
    message: str
    pointer: str = ""
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        place = self.file
        if self.line is not None:
            place += f":{self.line}"
            if self.column is not None:
                place += f":{self.column}"
        if self.pointer:
            place += f" {self.pointer}"
        return f"{place}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "pointer": self.pointer, "line": self.line,
                "column": self.column, "message": self.message}


class InputError(Exception):
    """A file that cannot be used; ``problems`` lists every reason found."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(map(str, problems)))
        self.problems = problems


@dataclass
class Document:
    """A parsed file. ``name`` is the path as the user gave it (for messages)."""

    name: str
    path: Path
    data: Any
    sha256: str
    kind: str  # json | yaml | toml
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class ProfileDocument(Document):
    """A parsed profile, with what the reading's one walk over it found (``vendordd.profile_walk``):
    ``view``, its read-only copy for the checks, and ``cited``, the (source id, path) of each
    citation outside ``/sources`` in document order (None when the data is not a mapping), or
    ``cited_ids``, the same ids without their paths (the JSON walk's; paths are built only for
    a citation that needs reporting); ``top_text``, when the JSON walk read it, the greatest
    text value below ":" (see :func:`vendordd.assessment.later_facts`), else None."""

    view: Any = None
    cited: list[tuple[str, list[Any]]] | None = None
    cited_ids: list[str] | None = None
    top_text: str | None = None


def escape_pointer(part: Any) -> str:
    """One JSON-pointer segment (RFC 6901)."""
    return str(part).replace("~", "~0").replace("/", "~1")


def describe_type(value: Any) -> str:
    """What a parsed value is, in words: ``a list``, ``text``, ``a number``, ``true or false``, ``null``."""
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "null" if value is None else type(value).__name__
