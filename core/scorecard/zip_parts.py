"""Workbook parts deflated as they are written, so that saving only copies them into the zip.

A streamed sheet's XML (tens of megabytes for a big run's Findings and
Evidence) used to go to a temporary file, then be read back, deflated and
written into the workbook when it was saved. :class:`DeflatingFile` deflates
it on the way to its temporary file instead (raw deflate, as a zip entry
holds it, with the entry's CRC-32 and size counted on the way), which
writes a tenth of the bytes to disk and, when the sheet is written by the
second process (:mod:`vendordd.scorecard.sheet_process`), deflates it there.
:class:`DeflatedPart` names such a file; :mod:`vendordd.scorecard.saving`
copies it into the zip as it is.

zlib's output does not depend on how its input is cut into pieces (without
flushes in between), so a part deflated here is the part ``ZipFile.write``
would have deflated: ``tests/test_zip_parts.py`` checks it.
"""

from __future__ import annotations

import zlib
from typing import Any

#: zlib's compression level for every part of the workbook. Level 3, not zlib's default 6: on the
#: 1,000-vendor benchmark's 71 MB of sheet XML, deflate takes 0.32 s instead of 0.65 s and the file
#: grows 16 % (8.9 MB of parts instead of 7.7; level 1: 0.26 s, +30 %). The parts themselves, and
#: so everything a reader sees, do not depend on the level; the bytes stay reproducible.
COMPRESS_LEVEL = 3


class DeflatedPart(str):
    """The path of a file holding a raw-deflated part, with the part's CRC-32 and size (uncompressed)."""

    crc: int
    size: int

    def __new__(cls, path: str, crc: int, size: int) -> DeflatedPart:
        part = super().__new__(cls, path)
        part.crc, part.size = crc, size
        return part

    def __reduce__(self) -> tuple[Any, ...]:
        return (DeflatedPart, (str(self), self.crc, self.size))


class DeflatingFile:
    """A binary file at ``path`` that holds what is written to it raw-deflated (write-only).

    :meth:`part` (after :meth:`close`) names the file as a :class:`DeflatedPart`.
    """

    def __init__(self, path: str, level: int = COMPRESS_LEVEL) -> None:
        self.path = path
        self._file = open(path, "wb")  # noqa: SIM115 - closed in close()
        self._deflate = zlib.compressobj(level, zlib.DEFLATED, -15)
        self.crc = 0
        self.size = 0

    def write(self, data: bytes) -> int:
        self.crc = zlib.crc32(data, self.crc)
        self.size += len(data)
        out = self._deflate.compress(data)
        if out:
            self._file.write(out)
        return len(data)

    def flush(self) -> None:
        """Nothing to do: what is deflated reaches the file when zlib hands it over, or at :meth:`close`."""

    def close(self) -> None:
        if not self._file.closed:
            try:
                self._file.write(self._deflate.flush())
            finally:
                self._file.close()

    @property
    def closed(self) -> bool:
        return self._file.closed

    def part(self) -> DeflatedPart:
        if not self._file.closed:
            raise ValueError(f"{self.path} is still being written")
        return DeflatedPart(self.path, self.crc, self.size)

    def __enter__(self) -> DeflatingFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
