"""The optional template: a plain .xlsx whose sheets (a cover, say) come before the scorecard's.

Anything but a modest .xlsx is refused: macro-enabled files, ActiveX, XML
document type declarations (entity bombs), more than 100 MB unpacked.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from openpyxl import Workbook, load_workbook

from .errors import ScorecardError

MAX_TEMPLATE_BYTES = 100 * 1024 * 1024


def check_template(template: Path) -> None:
    """Refuse anything but a plain, modest .xlsx: no macros, no DTDs (entity bombs)."""
    suffix = template.suffix.lower()
    if suffix in (".xlsm", ".xltm", ".xlsb", ".xlam"):
        raise ScorecardError(f"template {template} is a macro-enabled workbook ({suffix}); use a .xlsx template")
    if suffix != ".xlsx":
        raise ScorecardError(f"template {template} must be a .xlsx file")
    if not template.is_file():
        raise ScorecardError(f"template {template} does not exist or is not a file")
    try:
        with zipfile.ZipFile(template) as archive:
            infos = archive.infolist()
            if sum(i.file_size for i in infos) > MAX_TEMPLATE_BYTES:
                raise ScorecardError(f"template {template} is too large (over 100 MB unpacked)")
            for info in infos:
                name = info.filename.lower()
                if name.endswith("vbaproject.bin") or name.startswith("xl/activex"):
                    raise ScorecardError(f"template {template} contains macros or ActiveX; "
                                         "use a template without them")
                if name.endswith((".xml", ".rels", ".vml")):
                    with archive.open(info) as fh:
                        head = fh.read(4096)
                    if b"<!DOCTYPE" in head.upper() or b"<!ENTITY" in head.upper():
                        raise ScorecardError(f"template {template} contains an XML document type "
                                             f"declaration ({info.filename}); refusing to read it")
    except zipfile.BadZipFile:
        raise ScorecardError(f"template {template} is not a valid .xlsx file") from None
    except OSError as exc:
        raise ScorecardError(f"template {template} could not be read: {exc.strerror or exc}") from None


def open_template(template: Path) -> Workbook:
    check_template(template)
    try:
        workbook = load_workbook(template, keep_vba=False, keep_links=False, rich_text=False)
    except Exception as exc:  # an untrusted file can fail in many ways; report it in one line
        raise ScorecardError(f"template {template} could not be read: {type(exc).__name__}: "
                             f"{' '.join(str(exc).split())[:200]}") from None
    workbook.template = False
    for sheet in [*workbook.worksheets, *workbook.chartsheets]:
        view = getattr(sheet, "sheet_view", None)
        if view is not None:
            view.tabSelected = False
    return workbook
