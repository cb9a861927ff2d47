"""Third-party plugins: the package template, `new-plugin`, local plugins and the examples."""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator

from vendordd.cli import cli
from vendordd.scaffold import placeholders, validate_plugin_name, write_plugin_package
from vendordd.testing import minimal_profile, registered_plugin, run_assessment, run_check, validate_profile

from .conftest import EXAMPLES

PLUGIN_EXAMPLES = EXAMPLES / "plugins"
DEMO_PROFILES = PLUGIN_EXAMPLES / "profiles"
FINANCIAL = PLUGIN_EXAMPLES / "vendordd-financial"
CLEAN_ENV = {"VENDORDD_PLUGINS": "", "VENDORDD_DISABLE_PLUGINS": "", "VENDORDD_TRACE_HOOKS": ""}

GOOD = """
    from vendordd import Check, Finding, hookimpl

    def run(profile, ctx):
        return Finding(score=80, confidence=0.5, summary="fine")

    @hookimpl
    def register_checks(register):
        register(Check(id="{cid}", title="Local check", category="custom", run=run))
"""


def _invoke(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, list(args), env={**CLEAN_ENV, **(env or {})},
                              catch_exceptions=False)


def _check_ids(*args: str, env: dict[str, str] | None = None) -> list[str]:
    result = _invoke("checks", "--json", *args, env=env)
    assert result.exit_code == 0, result.stderr
    return [row["id"] for row in json.loads(result.stdout)]


@pytest.fixture
def import_from(monkeypatch):
    """Import a module from a folder (not installed); the modules it imported are dropped after."""
    added: list[str] = []

    def do(folder: Path, module: str):
        monkeypatch.syspath_prepend(str(folder))
        before = set(sys.modules)
        imported = importlib.import_module(module)
        added.extend(set(sys.modules) - before)
        return imported

    yield do
    for name in added:
        sys.modules.pop(name, None)


def _run_subprocess(args: list[str], cwd: Path, pythonpath: Path | None = None, **env_extra: str):
    env = {**os.environ, **CLEAN_ENV, **env_extra}
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def _pip_install_target(package: Path, target: Path) -> None:
    proc = _run_subprocess([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-index",
                            "--no-build-isolation", "--target", str(target), str(package)],
                           cwd=package.parent)
    assert proc.returncode == 0, proc.stdout + proc.stderr


# -- the package template -------------------------------------------------------------------------

EXPECTED_FILES = [
    "README.md",
    "examples/example-vendor.yaml",
    "pyproject.toml",
    "src/vendordd_acme_check/__init__.py",
    "src/vendordd_acme_check/check.py",
    "src/vendordd_acme_check/plugin.py",
    "src/vendordd_acme_check/schema.json",
    "src/vendordd_acme_check/section.py",
    "tests/test_acme_check.py",
]


def test_write_plugin_package_renders_an_installable_package(tmp_path):
    root = write_plugin_package("acme_check", tmp_path)
    assert root == tmp_path / "acme_check"
    files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    assert files == EXPECTED_FILES
    for path in root.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            assert "{{" not in text, path
            if path.suffix == ".py":
                compile(text, str(path), "exec")
    meta = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    assert meta["project"]["name"] == "vendordd-acme-check"
    assert meta["project"]["entry-points"]["vendordd"] == {"acme_check": "vendordd_acme_check.plugin"}
    assert meta["tool"]["setuptools"]["package-data"] == {"vendordd_acme_check": ["schema.json"]}
    Draft202012Validator.check_schema(json.loads((root / "src/vendordd_acme_check/schema.json")
                                                 .read_text(encoding="utf-8")))
    assert [p.name for p in tmp_path.iterdir()] == ["acme_check"]  # no staging folder left


def test_placeholders():
    assert placeholders("acme_check") == {
        "{{name}}": "acme_check", "{{package}}": "vendordd_acme_check",
        "{{dist}}": "vendordd-acme-check", "{{title}}": "Acme check",
        "{{vendordd_version}}": __import__("vendordd").__version__}


@pytest.mark.parametrize(("name", "message"), [
    ("", "a plugin name is required"),
    ("Acme-Check", "use lower-case letters, digits and underscores, starting with a letter "
                   "(try 'acme_check')"),
    ("acme check", "(try 'acme_check')"),
    ("9lives", "starting with a letter"),
    ("acme__check", "no trailing or doubled underscores (try 'acme_check')"),
    ("acme_", "no trailing or doubled underscores"),
    ("x" * 41, "at most 40 characters"),
    ("import", "is reserved"),
    ("vendordd", "is reserved"),
    ("leadership_turnover", "is the name of a built-in vendordd check"),
])
def test_invalid_plugin_names_are_refused_with_the_reason(name, message, tmp_path):
    with pytest.raises(ValueError) as info:
        write_plugin_package(name, tmp_path)
    assert message in str(info.value)
    assert list(tmp_path.iterdir()) == []


def test_valid_names():
    for name in ("acme_check", "ab", "vendor_risk_2", "a" * 40):
        assert validate_plugin_name(name) == name


def test_an_existing_folder_is_never_overwritten(tmp_path):
    (tmp_path / "acme_check").mkdir()
    (tmp_path / "acme_check" / "mine.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(FileExistsError, match="acme_check: already exists; not overwritten"):
        write_plugin_package("acme_check", tmp_path)
    assert [p.name for p in (tmp_path / "acme_check").iterdir()] == ["mine.txt"]
    (tmp_path / "empty_one").mkdir()
    assert (write_plugin_package("empty_one", tmp_path) / "pyproject.toml").is_file()


def test_the_generated_plugin_works_in_process(tmp_path, import_from):
    root = write_plugin_package("render_probe", tmp_path)
    plugin = import_from(root / "src", "vendordd_render_probe.plugin")
    check = sys.modules["vendordd_render_probe.check"].CHECK
    with registered_plugin(plugin) as host:
        assert list(host.checks()) == ["render_probe"]
        assert list(host.schemas()) == ["render_probe"]
        assert host.problems == []
    import yaml

    example = yaml.safe_load((root / "examples/example-vendor.yaml").read_text(encoding="utf-8"))
    assert validate_profile(example, plugins=[plugin]) == []
    result = run_check(check, example, as_of="2026-06-01")
    assert (result["status"], result["score"], result["rating"]) == ("ok", 85.0, "low")
    assert run_check(check, minimal_profile())["status"] == "insufficient_data"
    # the vendor_sheet_section example: the counted incident on the vendor's own sheet
    done = run_assessment([example, minimal_profile("no-data")], plugins=[plugin], as_of="2026-06-01")
    assert not done.warnings, done.warnings
    rows = [row for row in done.workbook["Example Vendor (made up)"].iter_rows(values_only=True)]
    head = next(i for i, row in enumerate(rows) if "Render probe: incidents counted" in row)
    assert rows[head + 1][:5] == ("2026-03-01", "Medium", None, "Six-hour outage of the inference API", "major")
    assert not any("Render probe: incidents counted" in row for row in done.workbook["No Data"].iter_rows(
        values_only=True))


# -- `vendordd new-plugin` ------------------------------------------------------------------------

def test_new_plugin_command(tmp_path, monkeypatch):
    assert "new-plugin" in cli.commands, "core/cli.py has no new-plugin command yet"
    monkeypatch.chdir(tmp_path)
    result = _invoke("new-plugin", "acme_check")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "acme_check" / "pyproject.toml").is_file()
    assert 'pip install -e "./acme_check[test]"' in result.stdout
    again = _invoke("new-plugin", "acme_check")
    assert again.exit_code == 2
    assert again.stderr == "vendordd: error: acme_check: already exists; not overwritten\n"
    bad = _invoke("new-plugin", "Acme-Check")
    assert bad.exit_code == 2
    assert bad.stderr.startswith("vendordd: error: plugin name 'Acme-Check': use lower-case")
    elsewhere = _invoke("new-plugin", "other_check", "--dest", str(tmp_path / "sub"))
    assert elsewhere.exit_code == 0, elsewhere.stderr
    assert (tmp_path / "sub" / "other_check" / "README.md").is_file()


@pytest.mark.slow
def test_generated_package_installs_passes_its_tests_and_shows_up(tmp_path):
    """The issue's "done when", with a target folder standing in for a fresh venv."""
    root = write_plugin_package("acme_check", tmp_path)
    lint = _run_subprocess([sys.executable, "-m", "ruff", "check", "--isolated", "."], cwd=root)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    site = tmp_path / "site"
    _pip_install_target(root, site)

    tests = _run_subprocess([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
                            cwd=root, pythonpath=site)
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert "10 passed" in tests.stdout

    checks = _run_subprocess([sys.executable, "-m", "vendordd", "checks", "--json"], cwd=tmp_path,
                             pythonpath=site)
    assert checks.returncode == 0, checks.stderr
    row = next(r for r in json.loads(checks.stdout) if r["id"] == "acme_check")
    assert (row["plugin"], row["title"], row["version"]) == ("acme_check", "Acme check", "0.1.0")
    plugins = _run_subprocess([sys.executable, "-m", "vendordd", "plugins", "--json"], cwd=tmp_path,
                              pythonpath=site)
    info = next(p for p in json.loads(plugins.stdout) if p["name"] == "acme_check")
    assert (info["origin"], info["where"], info["loaded"]) == ("entry_point", "vendordd-acme-check 0.1.0",
                                                               True)

    run = _run_subprocess([sys.executable, "-m", "vendordd", "run", str(EXAMPLES / "profiles"),
                           str(root / "examples"), "--as-of", "2026-06-01", "-o", "out.xlsx",
                           "--json", "out.json"], cwd=tmp_path, pythonpath=site)
    assert run.returncode == 0, run.stderr
    results = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    by_vendor = {v["id"]: next(c for c in v["checks"] if c["id"] == "acme_check")
                 for v in results["vendors"]}
    assert by_vendor.pop("example-vendor")["score"] == 85.0
    assert by_vendor and all(c["status"] == "insufficient_data" for c in by_vendor.values())
    from openpyxl import load_workbook

    book = load_workbook(tmp_path / "out.xlsx", read_only=True)
    findings = {str(c) for row in book["Findings"].iter_rows(values_only=True) for c in row if c}
    assert "acme_check" in findings or "Acme check" in findings


# -- local plugins: --plugin FILE or FOLDER, VENDORDD_PLUGINS, the policy -------------------------

def test_plugin_option_takes_a_file_or_a_folder(write_plugin, tmp_path):
    one = write_plugin("one", GOOD.format(cid="one_check"))
    write_plugin("two", GOOD.format(cid="two_check"), folder=tmp_path / "more")
    write_plugin("three", GOOD.format(cid="three_check"), folder=tmp_path / "more")
    write_plugin("_helper", "raise RuntimeError('never imported')\n", folder=tmp_path / "more")
    assert {"one_check"} <= set(_check_ids("--plugin", str(one)))
    ids = _check_ids("--plugin", str(one), "--plugin", str(tmp_path / "more"))
    assert {"one_check", "two_check", "three_check"} <= set(ids)
    assert ids == sorted(ids)


def test_vendordd_plugins_env_and_disable(write_plugin):
    path = write_plugin("envplug", GOOD.format(cid="env_check"))
    assert "env_check" in _check_ids(env={"VENDORDD_PLUGINS": str(path)})
    assert "env_check" not in _check_ids(env={"VENDORDD_PLUGINS": str(path),
                                               "VENDORDD_DISABLE_PLUGINS": "envplug"})


def test_the_policy_lists_and_disables_plugins(write_plugin, tmp_path):
    write_plugin("from_policy", GOOD.format(cid="policy_check"), folder=tmp_path / "pol")
    write_plugin("unwanted", GOOD.format(cid="unwanted_check"), folder=tmp_path / "pol")
    policy = tmp_path / "policy.yaml"
    policy.write_text(f"policy_version: 1\nplugins:\n  paths: [{json.dumps(str(tmp_path / 'pol'))}]\n"
                      f"  disable: [unwanted, vendordd.plugins.compute_capacity]\n", encoding="utf-8")
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    (profiles / "acme.json").write_text(json.dumps(minimal_profile("acme")), encoding="utf-8")
    result = _invoke("run", str(profiles), "--policy", str(policy), "--as-of", "2026-06-01",
                     "--json", "-")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    ids = [c["id"] for c in data["vendors"][0]["checks"]]
    assert "policy_check" in ids
    assert "unwanted_check" not in ids and "compute_capacity" not in ids
    assert {p["name"]: p["origin"] for p in data["plugins"]}["from_policy"] == "local"


# -- the example plugins --------------------------------------------------------------------------

DEPRECATION_LOG = PLUGIN_EXAMPLES / "deprecation_log.py"


@pytest.fixture
def deprecation_log(monkeypatch):
    """The example file imported as vendordd imports a local plugin (in sys.modules)."""
    spec = importlib.util.spec_from_file_location("example_deprecation_log", DEPRECATION_LOG)
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)
    spec.loader.exec_module(module)
    return module


def _history(deprecations=(), breaking=(), **extra):
    sources = [{"id": "d", "url": "https://docs.example.com/deprecations", "kind": "primary",
                "published": "2026-05-01"}]
    data = {"deprecations": list(deprecations), "breaking_changes": list(breaking), **extra}
    return minimal_profile("example-vendor", sources=sources, extensions={"deprecation_log": data})


def test_deprecation_log_worked_example(deprecation_log):
    profile = _history(
        deprecations=[{"model": "m1", "announced": "2025-10-01", "notice_days": 96, "sources": ["d"]},
                      {"model": "m2", "announced": "2025-11-01", "retired": "2026-05-20",
                       "sources": ["d"]}],
        breaking=[{"date": "2026-02-01", "summary": "format change", "notice_days": 14}])
    assert validate_profile(profile, plugins=[deprecation_log]) == []
    result = run_check(deprecation_log.CHECK, profile, as_of="2026-06-01")
    assert (result["score"], result["rating"]) == (75.0, "high")
    assert result["metrics"]["shortest_notice_days"] == 96
    assert result["metrics"]["median_notice_days"] == 148.0  # 96 and 200 days' notice
    assert result["metrics"]["retired_models"] == 1


def test_deprecation_log_without_data_or_with_none_found(deprecation_log):
    assert run_check(deprecation_log.CHECK, minimal_profile())["status"] == "insufficient_data"
    clean = run_check(deprecation_log.CHECK, _history(sources=["d"], as_of="2026-05-01"))
    assert (clean["status"], clean["score"], clean["rating"]) == ("ok", 100.0, "low")


def test_deprecation_log_unknown_notice_and_future_facts(deprecation_log):
    profile = _history(deprecations=[{"model": "m1", "retired": "2026-03-01"},
                                     {"model": "later", "announced": "2026-07-01",
                                      "retired": "2026-12-01"},
                                     {"model": "old", "announced": "2020-01-01", "notice_days": 5}])
    result = run_check(deprecation_log.CHECK, profile, as_of="2026-06-01")
    assert result["score"] == 88.0  # only m1 counts: unknown notice, 12 points
    assert result["rating"] == "low"  # the 5-day notice is outside the window
    assert result["metrics"]["unknown_notice"] == 1
    assert result["confidence"] == 0.0  # no deprecation in the window has a known notice
    assert result["facts"]["scheduled_retirements"] == []  # announced after the as-of date


def test_deprecation_log_recommends_migrating_a_product_in_use(deprecation_log):
    profile = _history(deprecations=[{"model": "chat-2", "announced": "2026-04-01",
                                      "retired": "2026-08-01", "replacement": "chat-3"}])
    profile["vendor"]["products"] = ["Chat-2"]
    result = run_check(deprecation_log.CHECK, profile, as_of="2026-06-01")
    assert "Migrate off chat-2 to chat-3 before it is retired on 2026-08-01." in result["recommendations"]


def test_deprecation_log_schema_fragment(deprecation_log):
    bad = _history(deprecations=[{"model": "m1", "notice_days": -3}], breaking=[{"date": "2026-01"}])
    problems = validate_profile(bad, plugins=[deprecation_log])
    assert problems == [
        "/extensions/deprecation_log/breaking_changes/0: 'summary' is a required property",
        # the anyOf [announced | retired]: the validator names the first alternative
        "/extensions/deprecation_log/deprecations/0: 'announced' is a required property",
        "/extensions/deprecation_log/deprecations/0/notice_days: -3 is less than the minimum of 0",
    ]
    assert validate_profile(bad) == []  # without the plugin, extension data is not checked


def test_deprecation_log_through_the_cli_on_the_demo_profile():
    result = _invoke("run", str(DEMO_PROFILES), "--plugin", str(DEPRECATION_LOG), "--as-of", "2026-06-01",
                     "--json", "-")
    assert result.exit_code == 0, result.stderr
    [vendor] = json.loads(result.stdout)["vendors"]
    entry = next(c for c in vendor["checks"] if c["id"] == "deprecation_log")
    assert (entry["status"], entry["score"], entry["rating"], entry["plugin"]) == (
        "ok", 67.0, "high", "deprecation_log")
    assert entry["facts"]["retired_models"] == ["efl-base", "efl-chat-1", "efl-embed-0"]
    valid = _invoke("validate", str(DEMO_PROFILES), "--plugin", str(DEPRECATION_LOG))
    assert valid.exit_code == 0, valid.stderr


def test_financial_example_in_process(import_from):
    plugin = import_from(FINANCIAL / "src", "vendordd_financial.plugin")
    check = sys.modules["vendordd_financial.check"].CHECK
    import yaml

    demo = yaml.safe_load((DEMO_PROFILES / "example-frontier-lab.yaml").read_text(encoding="utf-8"))
    assert validate_profile(demo, plugins=[plugin]) == []
    result = run_check(check, demo, as_of="2026-06-01")
    assert (result["score"], result["rating"]) == (45.0, "high")
    assert run_check(check, minimal_profile())["status"] == "insufficient_data"


def test_financial_example_on_the_real_example_profiles(import_from):
    """The bundled providers' financial facts: Zhipu's losses, Anthropic's revenue, Moonshot's cash."""
    plugin = import_from(FINANCIAL / "src", "vendordd_financial.plugin")
    check = sys.modules["vendordd_financial.check"].CHECK
    import yaml

    outcomes = {}
    for vendor in ("zhipu-ai", "anthropic", "moonshot-ai"):
        profile = yaml.safe_load((EXAMPLES / "profiles" / f"{vendor}.yaml").read_text(encoding="utf-8"))
        assert validate_profile(profile, plugins=[plugin]) == []
        result = run_check(check, profile, as_of="2026-11-29")
        outcomes[vendor] = (result["status"], result["score"], result["rating"])
    assert outcomes == {"zhipu-ai": ("ok", 0.0, "critical"),  # losses ~12x revenue
                        "anthropic": ("ok", 95.0, "low"),  # funding ~2.4x revenue
                        "moonshot-ai": ("insufficient_data", None, None)}  # cash, no revenue or burn


@pytest.mark.slow
def test_financial_package_installs_and_runs_through_the_cli(tmp_path):
    package = tmp_path / FINANCIAL.name  # a copy: building writes build/ and *.egg-info beside the source
    shutil.copytree(FINANCIAL, package, ignore=shutil.ignore_patterns("__pycache__", "build", "*.egg-info"))
    site = tmp_path / "site"
    _pip_install_target(package, site)
    tests = _run_subprocess([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
                            cwd=package, pythonpath=site)
    assert tests.returncode == 0, tests.stdout + tests.stderr

    plugins = _run_subprocess([sys.executable, "-m", "vendordd", "plugins", "--json"], cwd=tmp_path,
                              pythonpath=site)
    info = next(p for p in json.loads(plugins.stdout) if p["name"] == "financial")
    assert (info["origin"], info["where"], info["checks"]) == (
        "entry_point", "vendordd-financial 1.0.0", ["financial_commitment"])
    assert info["hooks"] == ["register_checks", "register_schemas"]

    run = _run_subprocess([sys.executable, "-m", "vendordd", "run", str(DEMO_PROFILES),
                           "--plugin", str(DEPRECATION_LOG), "--as-of", "2026-06-01", "--json", "-"],
                          cwd=tmp_path, pythonpath=site)
    assert run.returncode == 0, run.stderr
    [vendor] = json.loads(run.stdout)["vendors"]
    checks = {c["id"]: c for c in vendor["checks"]}
    assert (checks["financial_commitment"]["score"], checks["financial_commitment"]["rating"]) == (
        45.0, "high")
    assert checks["financial_commitment"]["plugin"] == "financial"
    assert checks["deprecation_log"]["score"] == 67.0

    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(minimal_profile("bad", extensions={"financial": {"cash_usd": 1}})),
                   encoding="utf-8")
    invalid = _run_subprocess([sys.executable, "-m", "vendordd", "validate", str(bad)], cwd=tmp_path,
                              pythonpath=site)
    assert invalid.returncode == 2
    assert "/extensions/financial: 'as_of' is a required property" in invalid.stderr
    disabled = _run_subprocess([sys.executable, "-m", "vendordd", "checks", "--json"], cwd=tmp_path,
                               pythonpath=site, VENDORDD_DISABLE_PLUGINS="financial")
    assert "financial_commitment" not in disabled.stdout


def test_deprecation_log_adds_a_model_retirements_section(deprecation_log):
    import yaml

    from vendordd.testing import run_assessment

    profile = yaml.safe_load((PLUGIN_EXAMPLES / "profiles" / "example-frontier-lab.yaml").read_text("utf-8"))
    done = run_assessment([profile], plugins=[deprecation_log], as_of="2026-06-01")
    assert not [w for w in done.warnings if "vendor_sheet_section" in w]
    rows = [[c for c in row if c is not None] for row in done.workbook.worksheets[1].iter_rows(values_only=True)]
    head = rows.index(next(r for r in rows if r and r[0] == "Model retirements"))
    assert rows[head + 1] == ["2026-08-01", "High", "efl-chat-2 is scheduled to retire",
                              "in vendor.products: plan the migration"]
    assert rows[head + 2] == ["Retired", "efl-base, efl-chat-1, efl-embed-0"]
