"""OFAC's ``sdn.csv`` (no header), with the aliases of ``alt.csv`` when that file sits beside it.

Read as UTF-8, else as Windows-1252; ``-0-`` is OFAC's null and the
end-of-file mark (``\\x1a``) OFAC appends is skipped.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace
from pathlib import Path

from ...loader import InputError, Problem
from ..model import ListEntry
from .base import Head, ListFormat, ListRead, ListSource, Problems, decode, sha256

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
    raw = source.read_bytes()
    files = [(source.name, sha256(raw))]
    entries = parse(decode(raw, source.name, "cp1252"), source.name)
    return ListRead(_with_aliases(source.path, source.name, entries, files), None, files)


def _value(cell: str) -> str | None:
    value = " ".join(cell.split())
    return None if value in ("", "-0-") else value


def parse(text: str, name: str) -> list[ListEntry]:
    """The entries of ``sdn.csv`` text; InputError naming the line of every bad row."""
    problems = Problems(name)
    entries: list[ListEntry] = []
    reader = csv.reader(io.StringIO(text, newline=""))
    start = 1
    try:
        for row in reader:
            if row and row != ["\x1a"] and any(c.strip() for c in row):
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


def _read_alt_csv(path: Path, display: str) -> tuple[dict[str, list[str]], str]:
    """OFAC's ``alt.csv`` (ent_num, alt_num, alt_type, alt_name, alt_remarks): aliases by ent_num."""
    raw = path.read_bytes()
    problems = Problems(display)
    out: dict[str, list[str]] = {}
    reader = csv.reader(io.StringIO(decode(raw, display, "cp1252"), newline=""))
    start = 1
    try:
        for row in reader:
            if row and row != ["\x1a"] and any(c.strip() for c in row):
                if len(row) < 4 or not row[0].strip().isdigit():
                    problems.add("not an alt.csv row (ent_num, alt_num, alt_type, alt_name, alt_remarks)", start)
                elif (alias := _value(row[3])):
                    out.setdefault(row[0].strip(), []).append(alias)
            start = reader.line_num + 1
    except csv.Error as exc:
        problems.add(f"invalid CSV: {exc}", reader.line_num)
    problems.check()
    return out, sha256(raw)


def _with_aliases(path: Path, name: str, entries: list[ListEntry],
                  files: list[tuple[str, str]]) -> list[ListEntry]:
    """Add the aliases of OFAC's ``alt.csv`` when it sits beside ``sdn.csv``."""
    if path.name.lower() != "sdn.csv":
        return entries
    alt = next((p for p in path.parent.iterdir() if p.name.lower() == "alt.csv" and p.is_file()), None)
    if alt is None:
        return entries
    alt_name = str(Path(name).with_name(alt.name))
    try:
        aliases, digest = _read_alt_csv(alt, alt_name)
    except OSError as exc:
        raise InputError([Problem(alt_name, f"cannot read: {exc.strerror or exc}")]) from None
    files.append((alt_name, digest))
    out = []
    for entry in entries:
        extra = [a for a in aliases.get(entry.entity_number or "", []) if a not in entry.alt_names]
        out.append(replace(entry, alt_names=(*entry.alt_names, *extra)) if extra else entry)
    return out


FORMAT = ListFormat("ofac-sdn-csv", "OFAC sdn.csv", detect, read)
