"""Reading one list file: detect its format, read it, date it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..loader import InputError, Problem
from .fields import iso_day
from .formats import ListSource, detect, expected
from .model import ScreeningList

#: How much of a file the detectors see.
HEAD_BYTES = 65536


def detect_format(head: bytes, suffix: str = "") -> str | None:
    """The name of the format of a list file from its first bytes, or None.

    ``suffix`` (the file name, lower case) settles JSON lines whose first line
    is longer than ``head``: ``.jsonl``, ``.ndjson`` and ``.ftm.json``.
    """
    found = detect(head, suffix)
    return found.name if found else None


def read_list(path: str | Path, *, display: str | None = None, date: str | None = None) -> ScreeningList:
    """Read one screening list file (format detected from its content).

    ``date`` (an ISO day) is the list's date as the analyst states it; without
    it the date comes from the file (CSL JSON ``sources_used``, the newest
    OpenSanctions ``last_change``), else from the file's modification time.
    Raises InputError naming the file and the line (or pointer) of every
    problem found, up to :data:`vendordd.screening.formats.base.MAX_PROBLEMS`.
    """
    path = Path(path)
    name = display or str(path)
    try:
        with path.open("rb") as fh:
            head = fh.read(HEAD_BYTES)
        mtime = path.stat().st_mtime
        if not head.strip():
            raise InputError([Problem(name, "the file is empty")])
        kind = detect(head, path.name.lower())
        if kind is None:
            raise InputError([Problem(name, f"not a screening list vendordd can read: expected {expected()}",
                                      line=1)])
        found = kind.read(ListSource(path, name))
    except OSError as exc:
        raise InputError([Problem(name, f"cannot read: {exc.strerror or exc}")]) from None
    if not found.entries:
        raise InputError([Problem(name, f"the {kind.name} file has no entries to screen against")])
    if date:
        day, source = iso_day(date), "policy"
        if day is None:
            raise InputError([Problem(name, f"list date {date!r} is not a day (YYYY-MM-DD)")])
    elif found.date:
        day, source = found.date, "file content"
    else:
        day, source = dt.datetime.fromtimestamp(mtime, dt.UTC).date().isoformat(), "file modified"
    return ScreeningList(file=name, sha256=found.files[0][1], format=kind.name, entries=found.entries,
                         date=day, date_source=source, files=found.files)
