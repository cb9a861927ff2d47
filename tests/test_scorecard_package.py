"""The scorecard package's structure: openpyxl internals stay fenced, sheets are found by module."""

from __future__ import annotations

import ast
from pathlib import Path

import vendordd.scorecard as scorecard
from vendordd.scorecard.registry import sheet_specs

PACKAGE = Path(scorecard.__file__).parent
FENCE = PACKAGE / "openpyxl_internals.py"
#: Our own private names that one scorecard module calls on another's object.
OWN_PRIVATE = {"_finish"}
#: The standard library's: zipfile.ZipInfo's compression level (public as compress_level from Python 3.13).
STDLIB_PRIVATE = {"_compresslevel"}


def _private_uses(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
            if isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"):
                continue
            if node.attr not in OWN_PRIVATE | STDLIB_PRIVATE:
                found.append(f"{path.name}:{node.lineno} .{node.attr}")
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("openpyxl"):
            private = [a.name for a in node.names if a.name.startswith("_")]
            if any(part.startswith("_") for part in node.module.split(".")) or private:
                found.append(f"{path.name}:{node.lineno} from {node.module} import {private}")
    return found


def test_only_the_fenced_module_touches_openpyxl_private_names():
    modules = [p for p in PACKAGE.rglob("*.py") if p != FENCE]
    modules.append(PACKAGE.parent / "xlsx_text.py")
    assert len(modules) > 10
    offenders = [use for path in modules for use in _private_uses(path)]
    assert offenders == []
    assert _private_uses(FENCE), "the fence itself is where the private names are"


def test_every_sheet_module_declares_its_sheet_in_a_unique_place():
    specs = sheet_specs()
    keys = [s.key for s in specs]
    assert len(set(keys)) == len(keys)
    assert len({s.order for s in specs}) == len(specs)
    assert keys[:2] == ["summary", "input_errors"] and keys[-1] == "methodology"
    modules = {p.stem for p in (PACKAGE / "sheets").glob("*.py")} - {"__init__"}
    assert len(specs) == len(modules)


def test_the_public_names_still_import_from_the_package():
    from vendordd.scorecard import (  # noqa: F401
        MAX_TABLE_ROWS,
        HouseSheet,
        ScorecardError,
        SheetTitles,
        SheetWriter,
        check_row_limits,
        row_counts,
        save_reproducibly,
        write_scorecard,
    )
