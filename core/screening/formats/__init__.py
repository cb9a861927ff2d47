"""The registry of list formats: which formats vendordd reads, and which one a file is in.

Each format is one module in this package defining ``FORMAT``
(:class:`~vendordd.screening.formats.base.ListFormat`: a name, a detector, a
reader). Adding a format is one new module and one line in :data:`REGISTRY`.
Detectors are asked in the registry's order and the first that recognises
the file's start wins, so a stricter detector goes before a looser one
(FollowTheMoney's JSON lines before the CSL's JSON).
"""

from __future__ import annotations

from . import csl_csv, csl_json, ofac_sdn, opensanctions
from .base import Head, ListFormat, ListRead, ListSource

#: Every format, in the order the detectors are asked.
REGISTRY: tuple[ListFormat, ...] = (opensanctions.FORMAT, csl_json.FORMAT, csl_csv.FORMAT, ofac_sdn.FORMAT)
#: The formats' names, as recorded in the results (``screening.lists[].format``).
FORMATS: tuple[str, ...] = tuple(sorted(f.name for f in REGISTRY))

__all__ = ["FORMATS", "REGISTRY", "Head", "ListFormat", "ListRead", "ListSource", "detect", "expected"]


def detect(head: bytes, suffix: str = "") -> ListFormat | None:
    """The format of a file starting with ``head`` (``suffix``: its name in lower case), or None."""
    start = Head.of(head, suffix)
    if not start.text:
        return None
    return next((f for f in REGISTRY if f.detect(start)), None)


def expected() -> str:
    """The formats vendordd reads, for a message: "A, B or C"."""
    names = [f.description for f in sorted(REGISTRY, key=lambda f: f.name)]
    return ", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else names[0]
