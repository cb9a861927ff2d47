"""What a screening list is once read: its entries, the file's metadata, and a match.

:class:`ListEntry` is one listed party, whatever format it came from;
:class:`ScreeningList` one file as read (entries, sha256, date and where the
date came from); :class:`Match` one vendor name that matched one entry.
Plain data: nothing here reads files or compares names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: Match strengths, strongest first.
STRENGTHS: tuple[str, ...] = ("strong", "potential")


@dataclass(frozen=True, slots=True)
class ListEntry:
    """One listed party as its list publishes it.

    ``list_id`` is the policy's id of the list (see
    :data:`vendordd.screening.list_ids.CSL_LISTS`); ``source`` the publisher's
    own name for it. ``countries`` are ISO 3166-1 alpha-2 codes from the
    entry's addresses and nationalities (empty when the format gives none).
    ``citation`` is the Federal Register notice (CSL) or the authority's
    reference (OpenSanctions). ``kind`` is ``entity``, ``individual``,
    ``vessel``, ``aircraft`` or ``unknown``. ``line`` is where the entry
    starts in its file.
    """

    list_id: str
    source: str
    name: str
    alt_names: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    programs: tuple[str, ...] = ()
    start_date: str | None = None
    citation: str | None = None
    entity_number: str | None = None
    url: str | None = None
    kind: str = "unknown"
    line: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"list": self.list_id, "source": self.source, "name": self.name,
                "alt_names": list(self.alt_names), "countries": list(self.countries),
                "programs": list(self.programs), "start_date": self.start_date,
                "citation": self.citation, "entity_number": self.entity_number, "url": self.url,
                "kind": self.kind}


@dataclass
class ScreeningList:
    """A list file as read: its entries and what an auditor needs to reproduce the screen.

    ``date`` is the list's date (ISO day) and ``date_source`` says where it
    came from: ``policy`` (stated by the analyst), the file's own content, or
    ``file modified`` (the file's modification time, the last resort).
    ``files`` are the files read, each ``(name, sha256)``: the list itself and
    any companion file (OFAC's ``alt.csv``).
    """

    file: str
    sha256: str
    format: str
    entries: list[ListEntry]
    date: str | None = None
    date_source: str | None = None
    files: list[tuple[str, str]] = field(default_factory=list)

    def lists(self) -> dict[str, int]:
        """Entries per list id, sorted by id."""
        counts: dict[str, int] = {}
        for entry in self.entries:
            counts[entry.list_id] = counts.get(entry.list_id, 0) + 1
        return dict(sorted(counts.items()))

    def as_dict(self) -> dict[str, Any]:
        """The metadata recorded in results["screening"]["lists"]."""
        return {"file": self.file, "sha256": self.sha256, "format": self.format,
                "date": self.date, "date_source": self.date_source, "entries": len(self.entries),
                "lists": self.lists(),
                "companion_files": [{"file": f, "sha256": s} for f, s in self.files[1:]]}


@dataclass(frozen=True, slots=True)
class Match:
    """A vendor name that matched a listed name.

    ``score`` is rapidfuzz's token-sort ratio (0-100) of the two normalised
    names; ``basis`` is ``exact`` (the normalised names are equal), ``fuzzy``
    (score at or above the potential threshold) or ``contains`` (one name's
    words all occur in the other: a corporate family or a shortened name).
    ``country`` is ``corroborated`` (a vendor country is among the entry's),
    ``contradicted`` (both sides give countries and none is shared) or
    ``unknown``. ``strength``: ``strong`` for an exact match whose country is
    not contradicted or a fuzzy one at or above the strong threshold with the
    country corroborated; ``potential`` for everything else.
    """

    vendor_name: str
    listed_name: str
    entry: ListEntry
    score: float
    basis: str
    strength: str
    country: str

    def as_dict(self) -> dict[str, Any]:
        e = self.entry
        return {"vendor_name": self.vendor_name, "listed_name": self.listed_name, "entry_name": e.name,
                "list": e.list_id, "source": e.source, "score": self.score, "basis": self.basis,
                "strength": self.strength, "country": self.country, "entry_countries": list(e.countries),
                "programs": list(e.programs), "citation": e.citation, "start_date": e.start_date,
                "entity_number": e.entity_number, "kind": e.kind, "url": e.url}

    def describe(self) -> str:
        """One line: both names, score, basis, country, programmes, citation, start date."""
        e = self.entry
        listed = repr(self.listed_name) if self.listed_name == e.name \
            else f"{self.listed_name!r} (listed as {e.name!r})"
        basis = {"exact": "exact match after normalisation", "fuzzy": "similar name",
                 "contains": "one name contains the other"}[self.basis]
        country = {"corroborated": "country corroborated",
                   "contradicted": "countries differ (listed: " + ", ".join(e.countries) + ")",
                   "unknown": "country not compared"}[self.country]
        facts = [f"score {self.score:g}", basis, country,
                 "programme " + ", ".join(e.programs) if e.programs else "no programme stated",
                 e.citation or "no Federal Register citation",
                 f"since {e.start_date}" if e.start_date else "start date not stated"]
        return f"vendor name {self.vendor_name!r} ~ listed {listed} ({'; '.join(facts)})"
