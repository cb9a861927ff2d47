"""Plugin sheets go where docs/plugins.md says, whatever their titles or plugin names sort as.

After the built-in sheets written before them (Summary ... Evidence) and before Methodology; in the
order the hook is called (built-ins, entry points, local plugins, each by plugin name), and within
one implementation in the order it made them: never sorted by title.
"""

from __future__ import annotations

import json
import textwrap

import pytest
from openpyxl import load_workbook

from vendordd.cli import main
from vendordd.testing import minimal_profile

from .conftest import ROOT

PLUGINS = {
    # plugin names sort opposite to their sheets' titles
    "aaa_sheets": """
        from vendordd import hookimpl

        @hookimpl
        def scorecard_sheets(writer, workbook):
            writer.sheet("zzz", ["Vendor"]).append(["x"])
            writer.sheet("Mmm", ["Vendor"]).append(["x"])
            workbook.create_sheet("___ direct").append(["made without the writer"])
    """,
    "zzz_sheets": """
        from vendordd import hookimpl

        @hookimpl
        def scorecard_sheets(writer):
            writer.sheet("AAA", ["Vendor"]).append(["x"])
    """,
}


@pytest.mark.parametrize("template", [False, True], ids=["streamed", "with-template"])
def test_plugin_sheets_come_after_the_built_in_ones_and_before_methodology(tmp_path, capsys, monkeypatch,
                                                                            template):
    monkeypatch.setenv("VENDORDD_PLUGINS", "")
    monkeypatch.setenv("VENDORDD_DISABLE_PLUGINS", "")
    for name, code in PLUGINS.items():
        (tmp_path / f"{name}.py").write_text(textwrap.dedent(code), encoding="utf-8")
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    for vid in ("b-vendor", "a-vendor"):
        (profiles / f"{vid}.json").write_text(json.dumps(minimal_profile(vid)), encoding="utf-8")
    out = tmp_path / "s.xlsx"
    extra = ["--template", str(ROOT / "templates" / "scorecard.xlsx")] if template else []
    # zzz first on the command line: load order must not matter either
    with pytest.raises(SystemExit) as done:
        main(["run", str(profiles), "--plugin", str(tmp_path / "zzz_sheets.py"),
              "--plugin", str(tmp_path / "aaa_sheets.py"), "--as-of", "2026-06-01", "-o", str(out), *extra])
    assert done.value.code in (0, None), capsys.readouterr().err
    names = load_workbook(out, read_only=True).sheetnames
    first = ["Cover"] if template else []
    assert names == [*first, "Summary", "A Vendor", "B Vendor", "Findings", "Evidence",
                     "zzz", "Mmm", "___ direct", "AAA", "Methodology"]
