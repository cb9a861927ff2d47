"""What the two Consolidated Screening List formats (CSV and JSON) share: a record becomes an entry."""

from __future__ import annotations

import functools
import operator
from collections.abc import Mapping, Sequence
from typing import Any

from ..fields import country_codes, iso_day
from ..list_ids import csl_list_id
from ..model import ListEntry
from .base import Problems, split_values, text_or_none

#: The published CSL CSV header; a header with two of these is read as the CSL.
COLUMNS = frozenset({
    "_id", "source", "entity_number", "type", "programs", "name", "title", "addresses",
    "federal_register_notice", "start_date", "end_date", "standard_order", "license_requirement",
    "license_policy", "call_sign", "vessel_type", "gross_tonnage", "gross_registered_tonnage",
    "vessel_flag", "vessel_owner", "remarks", "source_list_url", "alt_names", "citizenships",
    "dates_of_birth", "nationalities", "places_of_birth", "source_information_url", "ids"})

_KINDS = {"individual": "individual", "entity": "entity", "vessel": "vessel", "aircraft": "aircraft"}


def record_countries(record: Mapping[str, Any]) -> tuple[str, ...]:
    """Countries of a CSL record: each address's country, then nationalities and citizenships."""
    found: list[Any] = []
    addresses = record.get("addresses")
    if isinstance(addresses, list):
        found += [a.get("country") for a in addresses if isinstance(a, Mapping)]
    elif isinstance(addresses, str):
        # CSV: addresses joined by "; ", each ending ", <country code>".
        found += [part.rsplit(",", 1)[-1] for part in addresses.split(";")]
    for key in ("nationalities", "citizenships"):
        found += split_values(record.get(key))
    return country_codes(found)


def record_entry(record: Mapping[str, Any], problems: Problems, line: int | None, pointer: str
                 ) -> ListEntry | None:
    """One CSL record (a CSV row as a dict or a JSON object) -> an entry, or None with a problem."""
    name = " ".join(str(record.get("name") or "").split())
    if not name:
        problems.add("an entry without a name", line, pointer)
        return None
    source, list_id = _source(str(record.get("source") or ""))
    if not source:
        problems.add(f"entry {name!r} has no source (the list it is on)", line, pointer)
        return None
    alt = [a for a in split_values(record.get("alt_names")) if a != name]
    url = record.get("source_information_url") or record.get("source_list_url")
    return ListEntry(  # positional, in the field order: this runs once per list entry
        list_id, source, name, tuple(dict.fromkeys(alt)), record_countries(record),
        tuple(split_values(record.get("programs"))), iso_day(record.get("start_date")),
        " ".join(str(record.get("federal_register_notice") or "").split()) or None,
        text_or_none(record.get("entity_number")), text_or_none(url), _kind(str(record.get("type") or "")), line)


@functools.lru_cache(maxsize=256)
def _source(text: str) -> tuple[str, str]:
    """A record's ``source`` with white space made single, and its list id (a list holds a few sources)."""
    source = " ".join(text.split())
    return source, (csl_list_id(source) or "") if source else ""


@functools.lru_cache(maxsize=64)
def _kind(text: str) -> str:
    """A record's ``type`` as a :class:`ListEntry` kind."""
    return _KINDS.get(text.strip().lower(), "unknown")


#: The columns :class:`CsvRows` reads, in the order it reads them.
_ROW_COLUMNS = ("name", "source", "alt_names", "addresses", "nationalities", "citizenships", "programs",
                "start_date", "federal_register_notice", "entity_number", "source_information_url",
                "source_list_url", "type")


class CsvRows:
    """CSV rows under ``header`` -> entries, as :func:`record_entry` makes them from ``dict(zip(header, row))``.

    The same entry and the same problems, without a dict and thirteen
    lookups per row (a list has tens of thousands of rows); a cell is text,
    a column the header does not have is absent (as ``record.get`` gives
    None). ``tests/test_screening_index.py`` compares the two on generated
    headers and rows.
    """

    def __init__(self, header: Sequence[str]):
        self._header = list(header)
        at = {column: i for i, column in enumerate(header)}  # a repeated column: the last, as dict() keeps
        self._width = len(header)
        self._cells = operator.itemgetter(*(at.get(column, self._width) for column in _ROW_COLUMNS))

    def entry(self, row: list[str], problems: Problems, line: int | None) -> ListEntry | None:
        """The row's entry, or None after adding its problem; ``row`` gets one more (absent) cell."""
        if len(row) != self._width:  # a short row (rare): which repeated column it reaches varies
            return record_entry(dict(zip(self._header, row)), problems, line, "")
        row.append(None)  # type: ignore[arg-type]  # the cell of every column the header does not have
        (name, source, alt_names, addresses, nationalities, citizenships, programs, start_date, notice,
         entity_number, information_url, list_url, kind) = self._cells(row)
        name = " ".join(name.split()) if name else ""
        if not name:
            problems.add("an entry without a name", line, "")
            return None
        source, list_id = _source(source or "")
        if not source:
            problems.add(f"entry {name!r} has no source (the list it is on)", line, "")
            return None
        found = [part.rsplit(",", 1)[-1] for part in addresses.split(";")] if addresses is not None else []
        if nationalities:
            found += split_values(nationalities)
        if citizenships:
            found += split_values(citizenships)
        alt = [a for a in split_values(alt_names) if a != name] if alt_names else ()
        url = information_url or list_url
        return ListEntry(
            list_id, source, name, tuple(dict.fromkeys(alt)), country_codes(found),
            tuple(split_values(programs)) if programs else (), iso_day(start_date) if start_date else None,
            " ".join(notice.split()) or None if notice else None, text_or_none(entity_number),
            text_or_none(url), _kind(kind or ""), line)
