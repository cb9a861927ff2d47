"""The command line, through click's CliRunner and once as a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from vendordd.cli import cli, slugify
from vendordd.testing import minimal_profile
from vendordd.validation import load_schema

from .conftest import EXAMPLES


def _invoke(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def _profiles(tmp_path: Path, *ids: str) -> Path:
    folder = tmp_path / "profiles"
    folder.mkdir(exist_ok=True)
    for vid in ids:
        (folder / f"{vid}.json").write_text(json.dumps(minimal_profile(vid)), encoding="utf-8")
    return folder


def test_validate_examples():
    result = _invoke("validate", str(EXAMPLES / "profiles"))
    assert result.exit_code == 0, result.output
    assert "0 file(s) with errors" in result.output


def test_validate_bad_file_exit_2_one_line(tmp_path):
    folder = _profiles(tmp_path, "good")
    (folder / "bad.json").write_text('{"schema_version": 1,,}', encoding="utf-8")
    result = _invoke("validate", str(folder))
    assert result.exit_code == 2
    assert f"vendordd: error: {folder / 'bad.json'}:1:22: invalid JSON" in result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert "1 profile(s) valid, 1 file(s) with errors" in result.stdout


def test_run_json_validates_against_results_schema(tmp_path):
    folder = _profiles(tmp_path, "alpha", "beta")
    out = tmp_path / "results.json"
    result = _invoke("run", str(folder), "--json", str(out), "--as-of", "2026-06-01")
    assert result.exit_code == 0, result.stderr
    data = json.loads(out.read_text())
    jsonschema.Draft202012Validator(load_schema("results")).validate(data)
    assert [v["id"] for v in data["vendors"]] == ["alpha", "beta"]
    assert data["as_of"] == "2026-06-01"
    assert "alpha" in result.stdout  # the terminal table


def test_run_keeps_good_profiles_when_one_is_bad(tmp_path):
    folder = _profiles(tmp_path, "alpha")
    (folder / "dup.yaml").write_text("vendor: {id: a}\nvendor: {id: b}\n", encoding="utf-8")
    out = tmp_path / "r.json"
    result = _invoke("run", str(folder), "--json", str(out), "--as-of", "2026-06-01")
    assert result.exit_code == 2
    assert "duplicate key 'vendor'" in result.stderr
    data = json.loads(out.read_text())
    assert [v["id"] for v in data["vendors"]] == ["alpha"]
    assert data["errors"][0]["file"].endswith("dup.yaml")


def test_fail_on(tmp_path):
    folder = _profiles(tmp_path, "alpha")
    out = tmp_path / "r.json"
    policy = tmp_path / "policy.yaml"
    policy.write_text("policy_version: 1\nmin_check_confidence: 0\nmissing_data: exclude\n"
                      "incomplete_assessment: {tier: low, approvable: true}\n", encoding="utf-8")
    at_low = _invoke("run", str(folder), "--as-of", "2026-06-01", "--json", str(out), "--fail-on", "low",
                     "--policy", str(policy))
    [vendor] = json.loads(out.read_text())["vendors"]
    assert vendor["overall"]["tier"] == "low"
    assert at_low.exit_code == 1
    assert _invoke("run", str(folder), "--as-of", "2026-06-01", "--fail-on", "medium",
                   "--policy", str(policy)).exit_code == 0


def test_fail_on_trips_on_a_vendor_that_could_not_be_rated(tmp_path):
    """Fail closed: a headquarters alone cannot vouch for a vendor, and an unrated vendor trips --fail-on."""
    folder = _profiles(tmp_path, "alpha")
    out = tmp_path / "r.json"
    result = _invoke("run", str(folder), "--as-of", "2026-06-01", "--json", str(out), "--fail-on", "critical")
    [vendor] = json.loads(out.read_text())["vendors"]
    assert vendor["overall"]["tier"] is None and vendor["overall"]["recommendation"] == "escalate"
    assert result.exit_code == 1


def test_raising_check_becomes_error_finding(tmp_path, write_plugin):
    plugin = write_plugin("raiser", """
        from vendordd import Check, hookimpl

        def _run(profile, ctx):
            raise ZeroDivisionError("division by zero")

        @hookimpl
        def register_checks(register):
            register(Check(id="raiser_check", title="Raiser", category="custom", run=_run))
    """)
    out = tmp_path / "r.json"
    result = _invoke("run", str(_profiles(tmp_path, "alpha")), "--plugin", str(plugin),
                     "--json", str(out), "--as-of", "2026-06-01")
    assert result.exit_code == 0, result.stderr
    [vendor] = json.loads(out.read_text())["vendors"]
    res = next(c for c in vendor["checks"] if c["id"] == "raiser_check")
    assert res["status"] == "error" and res["error"] == "ZeroDivisionError: division by zero"
    assert {c["id"] for c in vendor["checks"]} >= {"leadership_turnover", "geopolitical_exposure"}


def test_checks_plugins_schema_commands():
    checks = json.loads(_invoke("checks", "--json").stdout)
    assert {c["id"] for c in checks} >= {"leadership_turnover", "open_source_commitment",
                                         "compute_capacity", "geopolitical_exposure"}
    plugins = json.loads(_invoke("plugins", "--json").stdout)
    assert all(p["origin"] == "builtin" for p in plugins if p["name"].startswith("vendordd."))
    schema = json.loads(_invoke("schema").stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    policy = json.loads(_invoke("schema", "--kind", "policy").stdout)
    assert "buyer" in policy["properties"]


def test_new_profile_writes_a_valid_skeleton(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = _invoke("new-profile", "Acme AI, Inc.")
    assert result.exit_code == 0
    path = tmp_path / "acme-ai-inc.yaml"
    assert path.exists()
    assert _invoke("validate", str(path)).exit_code == 0
    again = _invoke("new-profile", "Acme AI, Inc.")
    assert again.exit_code == 2 and "already exists" in again.stderr


def test_slugify():
    assert slugify("林俊旸 Labs") == "labs"
    assert slugify("***") == "vendor"


def test_bad_as_of_is_usage_error(tmp_path):
    result = _invoke("run", str(_profiles(tmp_path, "a")), "--as-of", "2026-02-30")
    assert result.exit_code == 2 and "not a date" in result.stderr


@pytest.mark.slow
def test_real_process_from_outside_the_checkout(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    exe = Path(sys.executable).with_name("vendordd")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "vendordd"]
    ok = subprocess.run([*cmd, "validate", str(EXAMPLES / "profiles")], cwd=tmp_path, env=env,
                        capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema_version": 1, "vendor": {"id": "x", "name": 5}, "profile_date": "2026-01-01"}')
    res = subprocess.run([*cmd, "validate", str(bad)], cwd=tmp_path, env=env,
                         capture_output=True, text=True)
    assert res.returncode == 2
    assert res.stderr.startswith(f"vendordd: error: {bad}:1:")
    assert "/vendor/name" in res.stderr and "Traceback" not in res.stderr
    help_run = subprocess.run([*cmd, "--help"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert help_run.returncode == 0 and "vendordd run" in help_run.stdout


def test_help_imports_no_heavy_module():
    code = ("import sys; from vendordd.cli import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "bad = [m for m in ('openpyxl', 'jsonschema', 'yaml', 'vendordd.plugins.leadership_turnover')"
            " if m in sys.modules]\nprint(bad)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().endswith("[]")


def test_validate_of_good_json_imports_no_heavy_module(tmp_path):
    """``vendordd validate`` of valid JSON needs neither jsonschema (the compiled check accepts
    it), PyYAML, openpyxl, multiprocessing, the assessment nor importlib.metadata (no plugin is
    installed here); a bad profile still gets jsonschema's messages."""
    good = tmp_path / "good.json"
    good.write_text(json.dumps(minimal_profile()))
    code = ("import sys; from vendordd.cli import main\n"
            "try:\n    main(['validate', sys.argv[1]])\nexcept SystemExit as exc:\n    print('exit', exc.code)\n"
            "print([m for m in ('openpyxl', 'jsonschema', 'yaml', 'multiprocessing', 'vendordd.screening',"
            " 'vendordd.pipeline', 'vendordd.assessment', 'importlib.metadata') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code, str(good)], capture_output=True, text=True, check=True)
    from vendordd.entry_point_scan import may_declare

    expected = "['importlib.metadata']" if may_declare("vendordd") else "[]"  # a plugin is installed here
    assert out.stdout.strip().endswith(f"exit 0\n{expected}"), out.stdout
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**minimal_profile(), "schema_version": 2}))
    out = subprocess.run([sys.executable, "-c", code, str(bad)], capture_output=True, text=True, check=True)
    assert "exit 2" in out.stdout and "'jsonschema'" in out.stdout
    assert f"{bad}:" in out.stderr and "/schema_version" in out.stderr


def test_overrides_file_is_applied_and_recorded(tmp_path):
    folder = _profiles(tmp_path, "alpha")
    register = tmp_path / "exceptions.yaml"
    register.write_text(
        "- vendor: alpha\n  check: geopolitical_exposure\n  rating: high\n  score: 40\n"
        "  reason: Pending legal review of a new subsidiary\n  approved_by: J. Doe\n"
        "  expires: '2027-01-01'\n"
        "- vendor: alpha\n  check: leadership_turnover\n  rating: low\n"
        "  reason: Old exception, kept for the record\n  approved_by: J. Doe\n  expires: '2026-01-01'\n",
        encoding="utf-8")
    out = tmp_path / "r.json"
    result = _invoke("run", str(folder), "--overrides", str(register), "--json", str(out),
                     "--as-of", "2026-06-01")
    assert result.exit_code == 0, result.stderr
    data = json.loads(out.read_text())
    geo = next(c for c in data["vendors"][0]["checks"] if c["id"] == "geopolitical_exposure")
    assert (geo["score"], geo["rating"]) == (40.0, "high")
    assert geo["override"]["approved_by"] == "J. Doe"
    assert "override of leadership_turnover for alpha expired on 2026-01-01" in result.stderr
    assert {"file": str(register), "role": "overrides"}.items() <= next(
        i for i in data["inputs"] if i.get("role") == "overrides").items()


def test_overrides_file_needs_a_reason(tmp_path):
    register = tmp_path / "exceptions.yaml"
    register.write_text("- vendor: alpha\n  check: x\n  rating: low\n  approved_by: J\n  expires: '2027-01-01'\n")
    result = _invoke("run", str(_profiles(tmp_path, "alpha")), "--overrides", str(register))
    assert result.exit_code == 2 and f"{register}:1:3 /0: 'reason' is a required property" in result.stderr
    assert "reason" in result.stderr


def test_debug_traces_hook_calls(tmp_path):
    result = _invoke("--debug", "run", str(_profiles(tmp_path, "alpha")), "--as-of", "2026-06-01")
    assert result.exit_code == 0
    assert "vendordd trace: register_checks -> vendordd.plugins.leadership_turnover" in result.stderr


_CERTIFICATIONS = """
    from vendordd import Check, Finding, hookimpl

    def _run(profile, ctx):
        if profile["vendor"]["id"] != "gamma":
            return Finding.insufficient("no certifications entered")
        return Finding(score=80, rating="low", confidence=0.8, summary="SOC 2 seen")

    @hookimpl
    def register_checks(register):
        register(Check(id="certifications", title="Certifications", category="security", run=_run))
"""


def test_an_extra_check_with_no_data_for_every_vendor_is_one_warning(tmp_path, write_plugin):
    from openpyxl import load_workbook

    plugin = write_plugin("certs", _CERTIFICATIONS)
    out, book = tmp_path / "r.json", tmp_path / "r.xlsx"
    result = _invoke("run", str(_profiles(tmp_path, "alpha", "beta")), "--plugin", str(plugin),
                     "--json", str(out), "-o", str(book), "--as-of", "2026-06-01")
    line = (f"check 'certifications' had no data for any of the 2 vendors: every vendor is incomplete; "
            f"enter its data in the profiles or remove the plugin 'certs' (drop --plugin {plugin} or its "
            "policy plugins.paths entry)")
    assert result.stderr.count("had no data for any") == 1
    assert f"vendordd: warning: {line}" in result.stderr
    data = json.loads(out.read_text())
    assert data["warnings"].count(line) == 1
    assert all(v["overall"]["recommendation"] != "approve" for v in data["vendors"])
    cells = [c for row in load_workbook(book)["Methodology"].iter_rows(values_only=True) for c in row]
    assert line in cells
    # built-in checks the minimal profiles lack are not named: that is the documented fail-closed case
    assert "'api_stability' had no data" not in result.stderr


def test_no_such_warning_when_one_vendor_has_the_extra_checks_data(tmp_path, write_plugin):
    plugin = write_plugin("certs", _CERTIFICATIONS)
    out = tmp_path / "r.json"
    result = _invoke("run", str(_profiles(tmp_path, "alpha", "gamma")), "--plugin", str(plugin),
                     "--json", str(out), "--as-of", "2026-06-01")
    assert "had no data for any" not in result.stderr
    assert not [w for w in json.loads(out.read_text())["warnings"] if "had no data" in w]


@pytest.mark.parametrize("ending", [SystemExit(3), KeyboardInterrupt()])
def test_the_console_command_freezes_the_collector_however_main_ends(monkeypatch, ending):
    """``console`` (the installed command) keeps main's exit and freezes what is alive, so the
    interpreter's last collection does not walk the run's objects; main alone leaves gc as it is."""
    import gc

    import vendordd.cli as cli_module

    frozen: list[bool] = []
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(True))

    def ends() -> None:
        raise ending

    monkeypatch.setattr(cli_module, "main", ends)
    with pytest.raises(type(ending)) as caught:
        cli_module.console()
    assert frozen == [True]
    if isinstance(ending, SystemExit):
        assert caught.value.code == 3


def test_python_m_vendordd_runs_the_console_command(tmp_path):
    folder = _profiles(tmp_path, "alpha")
    res = subprocess.run([sys.executable, "-m", "vendordd", "run", str(folder), "-o", str(tmp_path / "s.xlsx"),
                          "--json", str(tmp_path / "r.json"), "--as-of", "2026-06-01"],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert json.loads((tmp_path / "r.json").read_text())["vendors"][0]["id"] == "alpha"
