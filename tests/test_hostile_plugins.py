"""Hostile plugins through the real CLI (issue 19): isolation that holds, failures you can see.

Each plugin below misbehaves in one way, next to the built-in checks, on
two vendors. For each: every other check and vendor is assessed, the
workbook and the JSON are written, one clear line on stderr names the
plugin, ``--strict`` exits 2 and ``--debug`` shows a traceback.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from openpyxl import load_workbook

from vendordd.cli import main
from vendordd.testing import minimal_profile

AS_OF = "2026-06-01"

HOSTILE = {
    # a schema fragment whose $ref points nowhere: its data goes unvalidated, the run goes on
    "bad_ref": """
        from vendordd import hookimpl

        @hookimpl
        def register_schemas(register):
            register("bad_ref", {"$ref": "#/$defs/nonexistent"})
            register("bad_ref_ok", {"type": "object"})  # a later registration still counts
    """,
    # a check that changes the profile it reads
    "mutating": """
        from vendordd import Check, Finding, hookimpl

        def run(profile, ctx):
            profile["vendor"]["name"] = "HACKED"
            return Finding(score=50, confidence=0.5, summary="changed the profile")

        @hookimpl
        def register_checks(register):
            register(Check(id="aaa_mutating", title="Mutating", category="custom", run=run))
    """,
    "raising_check": """
        from vendordd import Check, Finding, hookimpl

        def run(profile, ctx):
            return {}["missing"]

        @hookimpl
        def register_checks(register):
            register(Check(id="raising", title="Raising", category="custom", run=run))
    """,
    "raising_register": """
        from vendordd import hookimpl

        @hookimpl
        def register_checks(register):
            raise RuntimeError("cannot register")
    """,
    "raising_schemas": """
        from vendordd import hookimpl

        @hookimpl
        def register_schemas(register):
            raise RuntimeError("no schema today")
    """,
    "raising_portfolio": """
        from vendordd import hookimpl

        @hookimpl
        def analyse_portfolio(results):
            raise RuntimeError("portfolio broke")
    """,
    "raising_sheet": """
        from vendordd import hookimpl

        @hookimpl
        def scorecard_sheets(writer):
            sheet = writer.sheet("Half written", ["a", "b"])
            sheet.append(["one", "two"])
            raise RuntimeError("sheet broke")
    """,
    "raising_section": """
        from vendordd import hookimpl
        from vendordd.sections import VendorSection

        @hookimpl
        def vendor_sheet_section(vendor):
            if vendor["id"] == "vendor-a":
                return VendorSection(title="Hostile section", rows=["fine for vendor a"])
            raise RuntimeError("section broke")
    """,
    "malformed_section": """
        from vendordd import hookimpl

        @hookimpl
        def vendor_sheet_section(vendor):
            return {"title": "Hostile section", "rows": ["a dict is not a section"]}
    """,
    "colliding": """
        from vendordd import Check, Finding, hookimpl

        def run(profile, ctx):
            return Finding(score=100, confidence=1.0, summary="impostor")

        @hookimpl
        def register_checks(register):
            register(Check(id="leadership_turnover", title="Impostor", category="leadership", run=run))
            register(Check(id="colliding_own", title="Own", category="custom", run=run))
    """,
    "bad_settings_schema": """
        from vendordd import Check, Finding, hookimpl

        def run(profile, ctx):
            return Finding(score=60, confidence=0.5, summary="ran")

        @hookimpl
        def register_checks(register):
            register(Check(id="odd_settings", title="Odd", category="custom", run=run,
                           settings_schema={"type": "not-a-type"}))
    """,
}

#: What the one stderr line about each plugin must say.
EXPECTED = {
    "bad_ref": "plugin 'bad_ref': the schema for extension 'bad_ref' has a $ref that does not resolve: "
               "'#/$defs/nonexistent'; its data is not validated",
    "mutating": "check 'aaa_mutating' of plugin 'mutating' failed for 2 vendors (first 'vendor-a'): "
                "ReadOnlyError: the profile is read-only",
    "raising_check": "check 'raising' of plugin 'raising_check' failed for 2 vendors (first 'vendor-a'): "
                     "KeyError: 'missing'",
    "raising_register": "plugin 'raising_register' failed in register_checks: RuntimeError: cannot register",
    "raising_schemas": "plugin 'raising_schemas' failed in register_schemas: RuntimeError: no schema today",
    "raising_portfolio": "plugin 'raising_portfolio' failed in analyse_portfolio: RuntimeError: portfolio broke",
    "raising_sheet": "plugin 'raising_sheet' failed in scorecard_sheets: RuntimeError: sheet broke",
    "raising_section": "plugin 'raising_section' failed in vendor_sheet_section for vendor 'vendor-b': "
                       "RuntimeError: section broke; its section is left out",
    "malformed_section": "plugin 'malformed_section' failed in vendor_sheet_section for 2 vendors (first "
                         "'vendor-a'): returned dict, not a vendordd.sections.VendorSection",
    "colliding": "plugin 'colliding': check id 'leadership_turnover' is already registered by plugin "
                 "'vendordd.plugins.leadership_turnover'",
    "bad_settings_schema": "plugin 'bad_settings_schema': the settings_schema of check 'odd_settings' is not "
                           "a valid JSON Schema",
}


@pytest.fixture
def ws(tmp_path, monkeypatch):
    monkeypatch.setenv("VENDORDD_PLUGINS", "")
    monkeypatch.setenv("VENDORDD_DISABLE_PLUGINS", "")
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    for vid in ("vendor-a", "vendor-b"):
        data = minimal_profile(vid, extensions={"bad_ref": {"anything": 1}})
        (profiles / f"{vid}.json").write_text(json.dumps(data), encoding="utf-8")
    return tmp_path


def _run(ws: Path, name: str, capsys, *extra: str) -> tuple[int, str, Path, Path]:
    plugin = ws / f"{name}.py"
    plugin.write_text(textwrap.dedent(HOSTILE[name]), encoding="utf-8")
    xlsx, out = ws / f"{name}.xlsx", ws / f"{name}.json"
    with pytest.raises(SystemExit) as done:
        main(["run", str(ws / "profiles"), "--plugin", str(plugin), "--as-of", AS_OF,
              "-o", str(xlsx), "--json", str(out), *extra])
    return int(done.value.code or 0), capsys.readouterr().err, xlsx, out


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_plugin_costs_only_itself(ws, capsys, name):
    code, err, xlsx, out = _run(ws, name, capsys)
    assert code == 0, err
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if f"'{name}'" in line or f"'{name}_" in line]
    assert len(lines) == 1, err
    assert EXPECTED[name] in lines[0], lines[0]
    results = json.loads(out.read_text("utf-8"))
    assert [v["id"] for v in results["vendors"]] == ["vendor-a", "vendor-b"]
    assert [v["name"] for v in results["vendors"]] == ["Vendor A", "Vendor B"]  # nobody changed them
    for vendor in results["vendors"]:
        builtin = {c["id"]: c for c in vendor["checks"] if c["plugin"].startswith("vendordd.plugins.")}
        assert len(builtin) >= 5 and all(c["status"] != "error" for c in builtin.values())
        assert builtin["leadership_turnover"]["title"] != "Impostor"
    assert any(EXPECTED[name] in w for w in results["warnings"])  # recorded where warnings go
    book = load_workbook(xlsx, read_only=True)
    assert "Half written" not in book.sheetnames  # a failed sheet hook leaves no partial sheet
    methodology = "\n".join(str(c) for row in book["Methodology"].iter_rows(values_only=True) for c in row if c)
    assert EXPECTED[name][:60] in methodology
    vendor_b = "\n".join(str(c) for row in book["Vendor B"].iter_rows(values_only=True) for c in row if c)
    assert "Hostile section" not in vendor_b  # a failed section is left out whole


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_strict_exits_2(ws, capsys, name):
    code, err, _, _ = _run(ws, name, capsys, "--strict")
    assert code == 2, err
    assert "Traceback" not in err and f"'{name}'" in err


@pytest.mark.parametrize("name", ["raising_check", "raising_portfolio", "raising_sheet", "raising_section",
                                  "mutating"])
def test_debug_shows_the_traceback(ws, capsys, name):
    plugin = ws / f"{name}.py"
    plugin.write_text(textwrap.dedent(HOSTILE[name]), encoding="utf-8")
    with pytest.raises(SystemExit) as done:
        main(["--debug", "run", str(ws / "profiles"), "--plugin", str(plugin), "--as-of", AS_OF,
              "-o", str(ws / "r.xlsx"), "--json", str(ws / "r.json")])
    err = capsys.readouterr().err
    assert done.value.code in (0, None)
    assert "Traceback" in err and f"{name}.py" in err


def test_results_keep_the_last_frames_of_a_failing_check(ws, capsys):
    _, _, _, out = _run(ws, "raising_check", capsys)
    check = next(c for c in json.loads(out.read_text("utf-8"))["vendors"][0]["checks"] if c["id"] == "raising")
    assert check["status"] == "error" and check["error"] == "KeyError: 'missing'"
    assert any("raising_check.py" in frame and "in run" in frame for frame in check["traceback"])


def test_a_policy_setting_with_a_typo_or_a_wrong_type_is_refused(ws, capsys):
    policy = ws / "policy.json"
    policy.write_text(json.dumps({"policy_version": 1, "checks": {"leadership_turnover": {"settings": {
        "window_monthz": 12, "cluster_days": "ninety"}}}}), encoding="utf-8")
    with pytest.raises(SystemExit) as done:
        main(["run", str(ws / "profiles"), "--policy", str(policy), "--as-of", AS_OF, "--json", str(ws / "r.json")])
    err = capsys.readouterr().err
    assert done.value.code == 2
    assert "unknown setting 'window_monthz' of check 'leadership_turnover' (did you mean 'window_months'?)" in err
    assert "setting 'cluster_days' of check 'leadership_turnover': 'ninety' is not of type 'number'" in err
    assert f"{policy}" in err and "/checks/leadership_turnover/settings/" in err
    assert not (ws / "r.json").exists()


def test_a_check_may_warn(ws, capsys):
    HOSTILE["warning"] = """
        from vendordd import Check, Finding, hookimpl

        def run(profile, ctx):
            ctx.warn("left out 3 facts dated after the as-of date")
            return Finding(score=70, confidence=0.5, summary="ran")

        @hookimpl
        def register_checks(register):
            register(Check(id="warner", title="Warner", category="custom", run=run))
    """
    try:
        code, err, xlsx, out = _run(ws, "warning", capsys)
    finally:
        del HOSTILE["warning"]
    assert code == 0
    line = "vendor-a: warner: left out 3 facts dated after the as-of date"
    assert line in err
    assert line in json.loads(out.read_text("utf-8"))["warnings"]


def test_a_policy_setting_error_names_the_line_and_column_of_its_key(ws, capsys):
    policy = ws / "policy.yaml"
    policy.write_text("policy_version: 1\nchecks:\n  leadership_turnover:\n    settings:\n"
                      "      window_months: 12\n      cluster_dayz: 90\n", encoding="utf-8")
    with pytest.raises(SystemExit) as done:
        main(["run", str(ws / "profiles"), "--policy", str(policy), "--as-of", AS_OF])
    assert done.value.code == 2
    assert (f"{policy}:6:7 /checks/leadership_turnover/settings/cluster_dayz: unknown setting 'cluster_dayz'"
            in capsys.readouterr().err)
