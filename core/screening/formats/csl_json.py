"""The US Consolidated Screening List as JSON (``{"results": [...]}`` or a bare list of entries)."""

from __future__ import annotations

import json
from collections.abc import Mapping

from ...loader import InputError, Problem, too_large
from ..fields import iso_day
from ..model import ListEntry
from .base import Head, ListFormat, ListRead, ListSource, Problems, decode
from .csl import record_entry

#: Largest CSL JSON file read: a JSON document is parsed whole, and takes about
#: ten times its size in memory (the CSV and JSON-lines formats are streamed).
MAX_JSON_BYTES = 256 * 1024 * 1024


def detect(head: Head) -> bool:
    """A JSON object or array (asked after the FollowTheMoney format, whose lines are objects too)."""
    return head.first_line.startswith(("{", "["))


def read(source: ListSource) -> ListRead:
    """Read whole (a JSON document): refused above :data:`MAX_JSON_BYTES`."""
    if source.size is not None and source.size > MAX_JSON_BYTES:
        raise too_large(source.name, source.size, MAX_JSON_BYTES)
    raw = source.read_bytes()
    entries, date = parse(decode(raw, source.name), source.name)
    return ListRead(entries, date, [(source.name, source.sha256)])


def parse(text: str, name: str) -> tuple[list[ListEntry], str | None]:
    """The entries of CSL JSON text and the newest date in its ``sources_used``."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError([Problem(name, f"invalid JSON: {exc.msg}", line=exc.lineno, column=exc.colno)]) from None
    if isinstance(data, Mapping) and isinstance(data.get("results"), list):
        results, base = data["results"], "/results"
    elif isinstance(data, list):
        results, base = data, ""
    else:
        raise InputError([Problem(name, "not a Consolidated Screening List JSON: expected "
                                        "{\"results\": [...]} or a list of entries", pointer="/")])
    problems = Problems(name)
    entries = []
    for i, record in enumerate(results):
        if not isinstance(record, Mapping):
            problems.add("an entry that is not an object", pointer=f"{base}/{i}")
            continue
        entry = record_entry(record, problems, None, f"{base}/{i}")
        if entry:
            entries.append(entry)
    problems.check()
    date = None
    if isinstance(data, Mapping) and isinstance(data.get("sources_used"), list):
        days = [d for s in data["sources_used"] if isinstance(s, Mapping)
                for k in ("source_last_updated", "last_imported", "import_rate_date") if (d := iso_day(s.get(k)))]
        date = max(days) if days else None
    return entries, date


FORMAT = ListFormat("csl-json", "the Consolidated Screening List (JSON)", detect, read)
