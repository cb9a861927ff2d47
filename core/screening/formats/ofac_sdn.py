"""OFAC's ``sdn.csv`` (no header), with the aliases of ``alt.csv`` when that file sits beside it.

Read as UTF-8, else as Windows-1252; ``-0-`` is OFAC's null and the
end-of-file mark (``\\x1a``) OFAC appends is skipped.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from ...loader import open_input
from ..model import ListEntry
from .base import Head, ListFormat, ListRead, ListSource, NotUTF8, Problems, spans_lines

_KINDS = {"individual": "individual", "vessel": "vessel", "aircraft": "aircraft"}
_AKA = re.compile(r"\b[afn]\.k\.a\.,?\s*'([^']+)'", re.I)
_SOURCE = "Specially Designated Nationals (SDN) - Treasury Department"


def detect(head: Head) -> bool:
    """A CSV line of two or more fields whose first is a number (``ent_num``)."""
    try:
        cells = next(csv.reader([head.first_line]))
    except (csv.Error, StopIteration):
        return False
    return len(cells) >= 2 and cells[0].strip().isdigit()


def read(source: ListSource) -> ListRead:
    """Read line by line, as UTF-8, else (any line not UTF-8) again as Windows-1252."""
    try:
        entries = parse(source.text_lines(fallback=True), source.name)
    except NotUTF8:
        entries = parse(source.text_lines("cp1252", "replace"), source.name)
    files = [(source.name, source.sha256)]
    return ListRead(_with_aliases(source, entries, files), None, files)


def _value(cell: str) -> str | None:
    value = " ".join(cell.split())
    return None if value in ("", "-0-") else value


def parse(lines: Iterable[str], name: str) -> list[ListEntry]:
    """The entries of ``sdn.csv`` lines; InputError naming the line of every bad row."""
    problems = Problems(name)
    entries: list[ListEntry] = []
    reader = csv.reader(lines)
    start = 1
    try:
        for row in reader:
            if row and row != ["\x1a"] and any(c.strip() for c in row) \
                    and not spans_lines(problems, start, reader.line_num, row, 12, {1: "SDN_Name"}):
                entry = _entry(row, problems, start)
                if entry:
                    entries.append(entry)
            start = reader.line_num + 1
    except csv.Error as exc:
        problems.add(f"invalid CSV: {exc}", reader.line_num)
    problems.check()
    return entries


def _entry(row: list[str], problems: Problems, line: int) -> ListEntry | None:
    """One ``sdn.csv`` row: ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign, Vess_type,
    Tonnage, GRT, Vess_flag, Vess_owner, Remarks; ``-0-`` is OFAC's null."""
    if len(row) != 12:
        problems.add(f"{len(row)} fields; sdn.csv rows have 12 (ent_num, SDN_Name, SDN_Type, Program, "
                     "Title, Call_Sign, Vess_type, Tonnage, GRT, Vess_flag, Vess_owner, Remarks)", line)
        return None
    number = row[0].strip()
    if not number.isdigit():
        problems.add(f"ent_num {number!r} is not a number", line)
        return None
    name = _value(row[1])
    if not name:
        problems.add(f"entry {number} has no name", line)
        return None
    remarks = _value(row[11]) or ""
    programs = [p.strip() for p in re.split(r"\]\s*\[", (_value(row[3]) or "").strip("[] ")) if p.strip()]
    return ListEntry(
        list_id="US-OFAC-SDN", source=_SOURCE,
        name=name, alt_names=tuple(dict.fromkeys(a.strip() for a in _AKA.findall(remarks) if a.strip())),
        programs=tuple(programs), entity_number=number,
        url=f"https://sanctionssearch.ofac.treas.gov/Details.aspx?id={number}",
        kind=_KINDS.get((_value(row[2]) or "").lower(), "entity"), line=line)


def _read_alt_csv(source: ListSource) -> dict[str, list[str]]:
    """OFAC's ``alt.csv`` (ent_num, alt_num, alt_type, alt_name, alt_remarks): aliases by ent_num."""
    try:
        return _aliases(source.text_lines(fallback=True), source.name)
    except NotUTF8:
        return _aliases(source.text_lines("cp1252", "replace"), source.name)


def _aliases(lines: Iterable[str], name: str) -> dict[str, list[str]]:
    problems = Problems(name)
    out: dict[str, list[str]] = {}
    reader = csv.reader(lines)
    start = 1
    try:
        for row in reader:
            if row and row != ["\x1a"] and any(c.strip() for c in row) \
                    and not spans_lines(problems, start, reader.line_num, row, 5, {3: "alt_name"}):
                if len(row) < 4 or not row[0].strip().isdigit():
                    problems.add("not an alt.csv row (ent_num, alt_num, alt_type, alt_name, alt_remarks)", start)
                elif (alias := _value(row[3])):
                    out.setdefault(row[0].strip(), []).append(alias)
            start = reader.line_num + 1
    except csv.Error as exc:
        problems.add(f"invalid CSV: {exc}", reader.line_num)
    problems.check()
    return out


def _with_aliases(source: ListSource, entries: list[ListEntry],
                  files: list[tuple[str, str]]) -> list[ListEntry]:
    """Add the aliases of OFAC's ``alt.csv`` when it sits beside ``sdn.csv`` (a file, not a pipe)."""
    path = source.path
    if path.name.lower() != "sdn.csv" or not source.regular:
        return entries
    alt = next((p for p in path.parent.iterdir() if p.name.lower() == "alt.csv" and p.is_file()), None)
    if alt is None:
        return entries
    alt_name = str(Path(source.name).with_name(alt.name))
    fd, _kind, size = open_input(alt, alt_name)
    with os.fdopen(fd, "rb") as fh:
        companion = ListSource(alt, alt_name, fh, size=size)
        aliases = _read_alt_csv(companion)
        files.append((alt_name, companion.sha256))
    out = []
    for entry in entries:
        extra = [a for a in aliases.get(entry.entity_number or "", []) if a not in entry.alt_names]
        out.append(replace(entry, alt_names=(*entry.alt_names, *extra)) if extra else entry)
    return out


FORMAT = ListFormat("ofac-sdn-csv", "OFAC sdn.csv", detect, read)
