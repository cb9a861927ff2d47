"""Workbook parts deflated as they are written, so that saving only copies them into the zip.

A streamed sheet's XML (tens of megabytes for a big run's Findings and
Evidence) used to go to a temporary file, then be read back, deflated and
written into the workbook when it was saved. :class:`DeflatingFile` deflates
it on the way to its temporary file instead (raw deflate, as a zip entry
holds it, with the entry's CRC-32 and size counted on the way), which
writes a tenth of the bytes to disk and, when the sheet is written by the
second process (:mod:`vendordd.scorecard.sheet_process`), deflates it there.
A small part (a vendor's sheet) stays in memory and never becomes a file.
:class:`DeflatedPart` names such a file, or holds the bytes;
:mod:`vendordd.scorecard.saving` copies it into the zip as it is.

zlib's output does not depend on how its input is cut into pieces (without
flushes in between), so a part deflated here is the part ``ZipFile.write``
would have deflated: ``tests/test_zip_parts.py`` checks it.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Callable
from typing import Any

#: zlib's compression level for every part of the workbook. Level 3, not zlib's default 6: on the
#: 1,000-vendor benchmark's 71 MB of sheet XML, deflate takes 0.32 s instead of 0.65 s and the file
#: grows 16 % (8.9 MB of parts instead of 7.7; level 1: 0.26 s, +30 %). The parts themselves, and
#: so everything a reader sees, do not depend on the level; the bytes stay reproducible.
COMPRESS_LEVEL = 3


#: Deflated bytes a :class:`DeflatingFile` without a path keeps in memory before it moves them to a
#: file: a vendor's sheet (a few kilobytes) never reaches the disk, a big run's Evidence sheet soon does.
KEPT_IN_MEMORY = 1 << 20


class DeflatedPart(str):
    """A raw-deflated part, with its CRC-32 and size (uncompressed): the path of the file holding it,
    or (``data`` not None) the deflated bytes themselves, and then the text is empty."""

    crc: int
    size: int
    data: bytes | None

    def __new__(cls, path: str, crc: int, size: int, data: bytes | None = None) -> DeflatedPart:
        part = super().__new__(cls, path)
        part.crc, part.size, part.data = crc, size, data
        return part

    def __reduce__(self) -> tuple[Any, ...]:
        return (DeflatedPart, (str(self), self.crc, self.size, self.data))


class DeflatingFile:
    """A binary file at ``path`` that holds what is written to it raw-deflated (write-only).

    Without a ``path``, the deflated bytes are kept in memory; when they grow past
    :data:`KEPT_IN_MEMORY`, ``spill()`` names a file for them (its ``path`` from then on) and
    they go on there. Creating, writing back and deleting a file cost more than a small part
    (a vendor's sheet): 254 of them took 0.15-0.2 s of CPU and nearly a second of wall time in
    a 1,000-vendor run.

    :meth:`part` (after :meth:`close`) names the file, or holds the bytes, as a :class:`DeflatedPart`.
    """

    def __init__(self, path: str | None, level: int = COMPRESS_LEVEL, spill: Callable[[], str] | None = None) -> None:
        self.path = path
        self._memory: io.BytesIO | None = None
        if path is None:
            if spill is None:
                raise ValueError("a DeflatingFile without a path needs a spill() that names one")
            self._memory = io.BytesIO()
            self._spill_to = spill
        self._file: Any = open(path, "wb") if path is not None else self._memory  # noqa: SIM115 - closed in close()
        self._deflate = zlib.compressobj(level, zlib.DEFLATED, -15)
        self.crc = 0
        self.size = 0
        self._closed = False

    def write(self, data: bytes) -> int:
        self.crc = zlib.crc32(data, self.crc)
        self.size += len(data)
        out = self._deflate.compress(data)
        if out:
            self._file.write(out)
            if self._memory is not None and self._memory.tell() > KEPT_IN_MEMORY:
                self._spill()
        return len(data)

    def _spill(self) -> None:
        """Move the bytes kept so far to a file named by ``spill()`` and go on writing there."""
        assert self._memory is not None
        self.path = self._spill_to()
        file = open(self.path, "wb")  # noqa: SIM115 - closed in close()
        try:
            file.write(self._memory.getbuffer())
        except BaseException:
            file.close()
            raise
        self._file, self._memory = file, None

    def flush(self) -> None:
        """Nothing to do: what is deflated reaches the file when zlib hands it over, or at :meth:`close`."""

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            try:
                self._file.write(self._deflate.flush())
                if self._memory is not None and self._memory.tell() > KEPT_IN_MEMORY:
                    self._spill()
            finally:
                if self._memory is None:
                    self._file.close()

    @property
    def closed(self) -> bool:
        return self._closed

    def part(self) -> DeflatedPart:
        if not self._closed:
            raise ValueError(f"{self.path or 'a part in memory'} is still being written")
        if self._memory is not None:
            return DeflatedPart("", self.crc, self.size, self._memory.getvalue())
        assert self.path is not None
        return DeflatedPart(self.path, self.crc, self.size)

    def __enter__(self) -> DeflatingFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
