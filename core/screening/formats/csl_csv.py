"""The US Consolidated Screening List as CSV (``consolidated.csv``)."""

from __future__ import annotations

import csv
from collections.abc import Iterable

from ...loader import InputError, Problem
from ..model import ListEntry
from .base import Head, ListFormat, ListRead, ListSource, Problems, spans_lines
from .csl import COLUMNS, CsvRows

#: Columns holding names: a line break in one means a quote was left open.
_NAME_COLUMNS = ("name", "alt_names", "source")


def detect(head: Head) -> bool:
    """A first line that is a CSV header holding two of the CSL's column names."""
    try:
        cells = next(csv.reader([head.first_line]))
    except (csv.Error, StopIteration):
        return False
    return len({c.strip().lower() for c in cells} & COLUMNS) >= 2


def read(source: ListSource) -> ListRead:
    """Read line by line: memory holds the entries, not the file."""
    return ListRead(parse(source.text_lines(), source.name), None, [(source.name, source.sha256)])


def parse(lines: Iterable[str], name: str) -> list[ListEntry]:
    """The entries of CSL CSV lines; InputError naming the line of every bad row."""
    problems = Problems(name)
    reader = csv.reader(lines)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except (StopIteration, csv.Error) as exc:
        raise InputError([Problem(name, f"no CSV header: {exc}", line=1)]) from None
    missing = [c for c in ("source", "name") if c not in header]
    if missing:
        raise InputError([Problem(name, "not a Consolidated Screening List CSV: no "
                                        + " or ".join(repr(c) for c in missing) + " column", line=1)])
    names = {i: column for i, column in enumerate(header) if column in _NAME_COLUMNS}
    rows = CsvRows(header)
    entries: list[ListEntry] = []
    start = reader.line_num + 1
    try:
        for row in reader:
            if row and any(cell.strip() for cell in row) and row != ["\x1a"]:
                if len(row) > len(header):
                    problems.add(f"{len(row)} fields, the header has {len(header)}", start)
                elif not spans_lines(problems, start, reader.line_num, row, len(header), names):
                    entry = rows.entry(row, problems, start)
                    if entry:
                        entries.append(entry)
            start = reader.line_num + 1
    except csv.Error as exc:
        problems.add(f"invalid CSV: {exc}", reader.line_num)
    problems.check()
    return entries


FORMAT = ListFormat("csl-csv", "the Consolidated Screening List (CSV)", detect, read)
