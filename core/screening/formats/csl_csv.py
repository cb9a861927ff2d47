"""The US Consolidated Screening List as CSV (``consolidated.csv``)."""

from __future__ import annotations

import csv
import io

from ...loader import InputError, Problem
from ..model import ListEntry
from .base import Head, ListFormat, ListRead, ListSource, Problems, decode, sha256
from .csl import COLUMNS, record_entry


def detect(head: Head) -> bool:
    """A first line that is a CSV header holding two of the CSL's column names."""
    try:
        cells = next(csv.reader([head.first_line]))
    except (csv.Error, StopIteration):
        return False
    return len({c.strip().lower() for c in cells} & COLUMNS) >= 2


def read(source: ListSource) -> ListRead:
    raw = source.read_bytes()
    return ListRead(parse(decode(raw, source.name), source.name), None, [(source.name, sha256(raw))])


def parse(text: str, name: str) -> list[ListEntry]:
    """The entries of CSL CSV text; InputError naming the line of every bad row."""
    problems = Problems(name)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except (StopIteration, csv.Error) as exc:
        raise InputError([Problem(name, f"no CSV header: {exc}", line=1)]) from None
    missing = [c for c in ("source", "name") if c not in header]
    if missing:
        raise InputError([Problem(name, "not a Consolidated Screening List CSV: no "
                                        + " or ".join(repr(c) for c in missing) + " column", line=1)])
    entries: list[ListEntry] = []
    start = reader.line_num + 1
    try:
        for row in reader:
            if row and any(cell.strip() for cell in row) and row != ["\x1a"]:
                if len(row) > len(header):
                    problems.add(f"{len(row)} fields, the header has {len(header)}", start)
                else:
                    entry = record_entry(dict(zip(header, row)), problems, start, "")
                    if entry:
                        entries.append(entry)
            start = reader.line_num + 1
    except csv.Error as exc:
        problems.add(f"invalid CSV: {exc}", reader.line_num)
    problems.check()
    return entries


FORMAT = ListFormat("csl-csv", "the Consolidated Screening List (CSV)", detect, read)
