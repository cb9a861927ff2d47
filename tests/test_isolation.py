"""Failure isolation, end to end through the CLI: one bad plugin never spoils the run.

Each case puts one misbehaving plugin next to a good one and runs
``vendordd run``. The misbehaviour must become exactly one clear message on
stderr, or an ``error`` finding for that check on every vendor, while the
good plugin, the built-in checks and the outputs (JSON, and the workbook)
stay intact.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from vendordd.cli import cli
from vendordd.testing import minimal_profile

GOOD = """
    from vendordd import Check, Finding, hookimpl

    def run(profile, ctx):
        return Finding(score=80, confidence=0.6, summary="good plugin ran")

    @hookimpl
    def register_checks(register):
        register(Check(id="good_check", title="Good check", category="custom", run=run))
"""

# name -> plugin source; each registers the check "<name>_check" unless it fails earlier.
CHECK_PLUGIN = """\
import time

from vendordd import Check, Finding, hookimpl


def run(profile, ctx):
{body}


@hookimpl
def register_checks(register):
    register(Check(id="{name}_check", title="{name}", category="custom", run=run))
"""

IMPORT_FAILS = "import json\nraise RuntimeError('boom at import')\n"

BAD_FRAGMENT = """
    from vendordd import Check, Finding, hookimpl

    def run(profile, ctx):
        return Finding(score=70, confidence=0.5, summary="ran without its schema")

    @hookimpl
    def register_checks(register):
        register(Check(id="bad_fragment_check", title="Bad fragment", category="custom", run=run))

    @hookimpl
    def register_schemas(register):
        register("bad_fragment", {"type": "object", "properties": {"n": {"minimum": "zero"}}})
"""

#: check-level failures: (plugin name, body of run(), the error the finding must carry)
CHECK_FAILURES = [
    ("raises", "    return {}['missing']", "KeyError: 'missing'"),
    ("score_out_of_range", "    return Finding(score=150, confidence=0.5)",
     "malformed finding: score 150 is outside 0-100"),
    ("unknown_rating", "    return Finding(score=50, rating='severe', confidence=0.5)",
     "malformed finding: rating 'severe' is not one of low, medium, high, critical"),
    ("wrong_type", "    return Finding(score='high', confidence=0.5)",
     "malformed finding: score 'high' is not a number"),
    ("not_a_finding", "    return {'score': 50}", "returned dict, not a vendordd.Finding"),
    ("too_slow", "    while True:\n        time.sleep(0.01)",
     "ran longer than the policy's limit of 0.5 s"),
]

#: A check that exits, and one whose metrics are not JSON data, are error findings too.
EXIT_AND_JSON_FAILURES = [
    pytest.param("exits", "    raise SystemExit(3)", "SystemExit", id="exits"),
    pytest.param("not_json", "    return Finding(score=50, confidence=0.5, metrics={'ids': {1, 2}})",
                 "malformed finding", id="not_json"),
]


def _plugin_source(name: str, body: str) -> str:
    return CHECK_PLUGIN.replace("{name}", name).replace("{body}", body)


@pytest.fixture
def workspace(tmp_path, write_plugin):
    """Two profiles, a policy with a 0.5 s time limit, and a folder holding the good plugin."""
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    for vid in ("alpha", "beta"):
        (profiles / f"{vid}.json").write_text(json.dumps(minimal_profile(vid)), encoding="utf-8")
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps({"policy_version": 1, "check_timeout_seconds": 0.5}),
                      encoding="utf-8")
    plugins = tmp_path / "plugins"
    write_plugin("good", GOOD, folder=plugins)
    return {"root": tmp_path, "profiles": profiles, "policy": policy, "plugins": plugins}


def _run(ws, *extra: str):
    out = ws["root"] / "results.json"
    result = CliRunner().invoke(
        cli, ["run", str(ws["profiles"]), "--policy", str(ws["policy"]), "--as-of", "2026-06-01",
              "--plugin", str(ws["plugins"]), "--json", str(out), *extra],
        env={"VENDORDD_PLUGINS": "", "VENDORDD_DISABLE_PLUGINS": ""}, catch_exceptions=False)
    data = json.loads(out.read_text(encoding="utf-8")) if out.exists() else None
    return result, data


def _by_check(data, check_id):
    return [next(c for c in v["checks"] if c["id"] == check_id) for v in data["vendors"]]


def _assert_rest_intact(result, data):
    assert "Traceback" not in result.output + result.stderr
    assert [v["id"] for v in data["vendors"]] == ["alpha", "beta"]
    for entry in _by_check(data, "good_check"):
        assert (entry["status"], entry["score"]) == ("ok", 80.0)
    for entry in _by_check(data, "leadership_turnover"):
        assert entry["status"] == "insufficient_data"


def _warnings(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("vendordd: warning:")]


def test_a_plugin_that_raises_on_import(workspace, write_plugin):
    path = write_plugin("import_boom", IMPORT_FAILS, folder=workspace["plugins"])
    result, data = _run(workspace)
    assert result.exit_code == 0, result.stderr
    assert _warnings(result) == [f"vendordd: warning: plugin 'import_boom' ({path}) failed to import: "
                                 f"RuntimeError: boom at import"]
    _assert_rest_intact(result, data)
    info = {p["name"]: p for p in data["plugins"]}
    assert info["import_boom"]["loaded"] is False
    assert info["import_boom"]["error"] == "failed to import: RuntimeError: boom at import"


def test_strict_makes_an_import_failure_fatal_with_one_line(workspace, write_plugin):
    write_plugin("import_boom", IMPORT_FAILS, folder=workspace["plugins"])
    result, data = _run(workspace, "--strict")
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert line.startswith("vendordd: error: plugin 'import_boom' (")
    assert line.endswith("failed to import: RuntimeError: boom at import")
    assert data is None


@pytest.mark.parametrize(("name", "body", "error"), [
    *(pytest.param(*case, id=case[0]) for case in CHECK_FAILURES), *EXIT_AND_JSON_FAILURES])
def test_a_check_that_misbehaves_becomes_an_error_finding(workspace, write_plugin, name, body, error):
    write_plugin(name, _plugin_source(name, body), folder=workspace["plugins"])
    started = time.monotonic()
    result, data = _run(workspace)
    assert time.monotonic() - started < 8  # the time limit stopped the runaway check
    assert result.exit_code == 0, result.stderr
    # one line for the check, with the vendor count (issue 19: failures you can see)
    [line] = _warnings(result)
    assert line.startswith(f"vendordd: warning: check '{name}_check' of plugin '{name}' failed for "
                           f"2 vendors (first 'alpha'): ") and error in line
    _assert_rest_intact(result, data)
    for entry in _by_check(data, f"{name}_check"):
        assert entry["status"] == "error"
        assert entry["score"] is None and entry["rating"] is None
        assert error in entry["error"]
        assert entry["plugin"] == name
    for vendor in data["vendors"]:
        assert any(error in reason for reason in vendor["overall"]["reasons"])


def test_a_schema_fragment_that_is_not_json_schema(workspace, write_plugin):
    write_plugin("bad_fragment", BAD_FRAGMENT, folder=workspace["plugins"])
    profile = minimal_profile("gamma", extensions={"bad_fragment": {"n": -1}})
    (workspace["profiles"] / "gamma.json").write_text(json.dumps(profile), encoding="utf-8")
    result, data = _run(workspace)
    assert result.exit_code == 0, result.stderr
    assert _warnings(result) == [
        "vendordd: warning: plugin 'bad_fragment': the schema for extension 'bad_fragment' is not a valid "
        "JSON Schema at /properties/n/minimum: 'zero' is not of type 'number'; its data is not validated"]
    assert [v["id"] for v in data["vendors"]] == ["alpha", "beta", "gamma"]
    for entry in _by_check(data, "bad_fragment_check"):  # its check still runs
        assert entry["status"] == "ok"
    assert data["errors"] == []


def test_validate_reports_each_plugin_problem_once(workspace, write_plugin):
    write_plugin("import_boom", IMPORT_FAILS, folder=workspace["plugins"])
    write_plugin("bad_fragment", BAD_FRAGMENT, folder=workspace["plugins"])
    result = CliRunner().invoke(cli, ["validate", str(workspace["profiles"]),
                                      "--plugin", str(workspace["plugins"])],
                                env={"VENDORDD_PLUGINS": ""}, catch_exceptions=False)
    assert result.exit_code == 0
    warnings = sorted(_warnings(result))
    assert len(warnings) == 2, warnings
    assert warnings[0].startswith("vendordd: warning: plugin 'bad_fragment': the schema for extension")
    assert warnings[1].startswith("vendordd: warning: plugin 'import_boom' (")


@pytest.mark.slow
def test_every_failure_at_once_in_a_real_process_keeps_the_workbook(workspace, write_plugin):
    """All the bad plugins in one real ``python -m vendordd run -o out.xlsx`` process."""
    pytest.importorskip("vendordd.scorecard")
    from openpyxl import load_workbook

    write_plugin("import_boom", IMPORT_FAILS, folder=workspace["plugins"])
    write_plugin("bad_fragment", BAD_FRAGMENT, folder=workspace["plugins"])
    for name, body, _ in CHECK_FAILURES:
        write_plugin(name, _plugin_source(name, body), folder=workspace["plugins"])
    xlsx, out = workspace["root"] / "out.xlsx", workspace["root"] / "results.json"
    env = {**os.environ, "VENDORDD_PLUGINS": "", "VENDORDD_DISABLE_PLUGINS": ""}
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "vendordd", "run", str(workspace["profiles"]), "--policy",
         str(workspace["policy"]), "--as-of", "2026-06-01", "--plugin", str(workspace["plugins"]),
         "-o", str(xlsx), "--json", str(out)],
        capture_output=True, text=True, env=env, cwd=workspace["root"], timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert time.monotonic() - started < 60
    warnings = [line for line in proc.stderr.splitlines() if line.startswith("vendordd: warning:")]
    assert len(warnings) == 2 + len(CHECK_FAILURES), proc.stderr  # plugins, then one line per failing check
    assert "Traceback" not in proc.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    for name, _, error in CHECK_FAILURES:
        assert all(error in e["error"] for e in _by_check(data, f"{name}_check"))
    book = load_workbook(xlsx, read_only=True)
    assert "Findings" in book.sheetnames
    cells = {str(c) for row in book["Findings"].iter_rows(values_only=True) for c in row if c}
    assert "good_check" in cells or "Good check" in cells
    for name, _, error in CHECK_FAILURES:
        assert any(error in c for c in cells), f"{name}: {error!r} not in the Findings sheet"


def test_a_plugin_file_path_that_is_not_python(workspace):
    (workspace["root"] / "notes.txt").write_text("not a plugin", encoding="utf-8")
    result, data = _run(workspace, "--plugin", str(workspace["root"] / "notes.txt"))
    assert result.exit_code == 0
    assert _warnings(result) == [f"vendordd: warning: plugin path {Path(workspace['root'] / 'notes.txt')}: "
                                 f"not a .py file or a folder of them"]
    _assert_rest_intact(result, data)


def test_a_plugin_folder_with_no_python_file_is_named_not_ignored(workspace):
    package = workspace["root"] / "vendordd-acme"
    package.mkdir()
    (package / "pyproject.toml").write_text("[project]\nname = 'vendordd-acme'\n", encoding="utf-8")
    result, data = _run(workspace, "--plugin", str(package))
    assert result.exit_code == 0
    assert _warnings(result) == [f"vendordd: warning: plugin path {package}: a folder with no .py plugin "
                                 "file in it (it looks like a plugin package: install it with pip install)"]
    _assert_rest_intact(result, data)
