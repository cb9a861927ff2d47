"""Saving: reproducible bytes, all-or-nothing, never over an input.

openpyxl stamps the document times and every zip entry with the clock; here
both are pinned to the assessment's as-of date, so the same results give a
byte-identical file. The file is written to a temporary file in the same
folder and moved into place (:func:`vendordd.atomic.atomic_write`).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

from .. import __version__
from ..atomic import ProtectedPathError, atomic_write, check_not_protected
from ..xlsx_text import safe_text
from .errors import ScorecardError
from .openpyxl_internals import saving_rendered_xml
from .values import mapping
from .zip_parts import COMPRESS_LEVEL, DeflatedPart


def _zip_time(as_of: dt.date) -> tuple[int, int, int, int, int, int]:
    return max((as_of.year, as_of.month, as_of.day, 0, 0, 0), (1980, 1, 1, 0, 0, 0))


class _FixedTimeZipFile(zipfile.ZipFile):
    """A zip file whose every entry gets the same timestamp, attributes and compression (reproducible bytes)."""

    def __init__(self, file: IO[bytes], date_time: tuple[int, int, int, int, int, int]) -> None:
        super().__init__(file, "w", zipfile.ZIP_DEFLATED, allowZip64=True, compresslevel=COMPRESS_LEVEL)
        self._fixed_time = date_time

    def _info(self, name: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=self._fixed_time)
        info.compress_type = zipfile.ZIP_DEFLATED
        # What ZipFile.writestr(name) sets (named compress_level, with this alias, from Python 3.13).
        info._compresslevel = COMPRESS_LEVEL  # type: ignore[attr-defined]
        info.create_system = 0
        info.external_attr = 0
        return info

    def writestr(self, zinfo_or_arcname: Any, data: Any, compress_type: Any = None,
                 compresslevel: Any = None) -> None:
        info = zinfo_or_arcname
        if not isinstance(info, zipfile.ZipInfo):
            info = self._info(str(info))
        super().writestr(info, data)

    def write(self, filename: Any, arcname: Any = None, compress_type: Any = None,
              compresslevel: Any = None, *, strict_timestamps: bool = True) -> None:
        info = self._info(str(arcname if arcname is not None else filename))
        if isinstance(filename, DeflatedPart):
            self._write_deflated(filename, info)
            return
        info.file_size = os.path.getsize(filename)
        with open(filename, "rb") as src, self.open(info, "w") as dst:
            shutil.copyfileobj(src, dst, 1024 * 1024)


    def _write_deflated(self, part: DeflatedPart, info: zipfile.ZipInfo) -> None:
        """Copy an already deflated part in as entry ``info``: the bytes ``ZipFile.open(info, "w")``
        writes for the same content (its local header as rewritten on close, then the data)."""
        info.file_size, info.CRC = part.size, part.crc
        info.compress_size = len(part.data) if part.data is not None else os.path.getsize(part)
        info.flag_bits = 0
        info.external_attr = info.external_attr or 0o600 << 16
        zip64 = info.file_size * 1.05 > zipfile.ZIP64_LIMIT
        fp: Any = self.fp
        fp.seek(self.start_dir)
        info.header_offset = fp.tell()
        self._writecheck(info)  # type: ignore[attr-defined]
        self._didModify = True
        fp.write(info.FileHeader(zip64))
        if part.data is not None:  # a part kept in memory
            fp.write(part.data)
        else:
            with open(part, "rb") as src:
                shutil.copyfileobj(src, fp, 1024 * 1024)
        self.start_dir = fp.tell()
        self.filelist.append(info)
        self.NameToInfo[info.filename] = info


def save(workbook: Workbook, fh: IO[bytes], as_of: dt.date) -> None:
    """Serialise ``workbook`` into ``fh`` without touching its (pinned) document times."""
    archive = _FixedTimeZipFile(fh, _zip_time(as_of))
    try:
        with saving_rendered_xml():
            ExcelWriter(workbook, archive).save()
    finally:
        archive.close()


def save_reproducibly(workbook: Workbook, path: os.PathLike | str, day: dt.date,
                      protected: Iterable[os.PathLike | str] = ()) -> None:
    """Save ``workbook`` atomically to ``path`` so that the bytes depend only on its content and ``day``.

    Document times are pinned to midnight of ``day`` and every zip entry is
    stamped with that date (openpyxl would use the clock for both).
    """
    moment = dt.datetime(day.year, day.month, day.day)
    workbook.properties.created = moment
    workbook.properties.modified = moment
    atomic_write(path, lambda fh: save(workbook, fh, day), protected=protected)


def set_properties(workbook: Workbook, results: Mapping[str, Any], as_of: dt.date) -> None:
    moment = dt.datetime(as_of.year, as_of.month, as_of.day)
    props = workbook.properties
    tool = mapping(results.get("tool"))
    version = safe_text(tool.get("version") or __version__, 40)
    policy = mapping(results.get("policy"))
    props.title = "Vendor due-diligence scorecard"
    props.subject = safe_text(f"Vendor due diligence as of {as_of.isoformat()} under "
                              f"{policy.get('name') or 'the default policy'}", 255)
    props.creator = f"vendordd {version}"
    props.lastModifiedBy = f"vendordd {version}"
    props.keywords = "vendor due diligence; scorecard"
    props.created = moment
    props.modified = moment


def as_of_date(results: Mapping[str, Any]) -> dt.date:
    value = results.get("as_of")
    if isinstance(value, dt.date):
        return value if not isinstance(value, dt.datetime) else value.date()
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ScorecardError(f"the results have no valid as_of date (got {value!r})") from None


def check_output(path: Path, protected: Iterable[os.PathLike | str]) -> None:
    if path.suffix.lower() != ".xlsx":
        raise ScorecardError(f"output {path} must end in .xlsx (Excel refuses other extensions for this format)")
    try:
        check_not_protected(path, protected)
    except ProtectedPathError as exc:
        raise ScorecardError(f"output {path} is one of the inputs; {exc}") from None
    folder = path.absolute().parent
    if not folder.is_dir():
        raise ScorecardError(f"output folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ScorecardError(f"output folder {folder} is not writable")
    if path.is_dir():
        raise ScorecardError(f"output {path} is a folder")
