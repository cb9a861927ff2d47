"""Reading one list file: detect its format, read it, date it."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path
from typing import BinaryIO

from ..loader import InputError, Problem, open_input, too_large
from .fields import iso_day
from .formats import ListSource, detect, expected
from .model import ScreeningList

#: How much of a file the detectors see.
HEAD_BYTES = 65536
#: Largest list file read (docs/screening.md, "Limits"). The CSV and JSON-lines
#: formats are read line by line, so memory grows with the entries kept, not
#: with the file; CSL JSON has its own, lower, limit (formats.csl_json).
MAX_LIST_BYTES = 1024 * 1024 * 1024


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
    OpenSanctions ``last_change``), else from the file's modification time
    (a pipe has none: its date is then unknown). Raises InputError naming the
    file and the line (or pointer) of every problem found, up to
    :data:`vendordd.screening.formats.base.MAX_PROBLEMS`. The file is read
    once (a pipe, ``/dev/stdin``, works) and never beyond
    :data:`MAX_LIST_BYTES`; a folder, a device or a socket is refused.
    """
    path = Path(path)
    name = display or str(path)
    fd, kind_of_file, size = open_input(path, name)
    try:
        if kind_of_file == "file":
            if size > MAX_LIST_BYTES:
                raise too_large(name, size, MAX_LIST_BYTES)
            mtime: float | None = os.fstat(fd).st_mtime
            fh: BinaryIO = os.fdopen(fd, "rb")
        else:
            mtime, fh = None, _copy_of_pipe(fd, name)
    except BaseException:
        os.close(fd)
        raise
    with fh:
        try:
            head = fh.read(HEAD_BYTES)
            fh.seek(0)
            if not head.strip():
                raise InputError([Problem(name, "the file is empty" if mtime is not None else
                                          "nothing came through the pipe (a named pipe that no program "
                                          "was writing to reads as empty)")])
            kind = detect(head, path.name.lower())
            if kind is None:
                raise InputError([Problem(name, f"not a screening list vendordd can read: expected "
                                                f"{expected()}", line=1)])
            found = kind.read(ListSource(path, name, fh, regular=mtime is not None,
                                         size=size if mtime is not None else None))
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
    elif mtime is not None:
        day, source = dt.datetime.fromtimestamp(mtime, dt.UTC).date().isoformat(), "file modified"
    else:
        day, source = None, "not known: read from a pipe (state it in the policy)"
    return ScreeningList(file=name, sha256=found.files[0][1], format=kind.name, entries=found.entries,
                         date=day, date_source=source, files=found.files)


def _copy_of_pipe(fd: int, name: str) -> BinaryIO:
    """What comes through a pipe, read once into a temporary file (in memory while small).

    Stops with InputError past :data:`MAX_LIST_BYTES`; closes ``fd``.
    """
    copy = tempfile.SpooledTemporaryFile(max_size=16 << 20)  # noqa: SIM115 - returned open
    total = 0
    with os.fdopen(fd, "rb") as pipe:
        while chunk := pipe.read(1 << 20):
            total += len(chunk)
            if total > MAX_LIST_BYTES:
                copy.close()
                raise too_large(name, None, MAX_LIST_BYTES)
            copy.write(chunk)
    copy.seek(0)
    return copy  # type: ignore[return-value]
