"""Plugin discovery from all three sources, and failure isolation."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from vendordd.host import BUILTIN_PLUGINS, Host, PluginError

GOOD = """
    from vendordd import Check, Finding, hookimpl

    def _run(profile, ctx):
        return Finding(score=80, confidence=0.5, summary="fine")

    @hookimpl
    def register_checks(register):
        register(Check(id="{cid}", title="Local check", category="custom", run=_run))
"""


def _host(**kw) -> Host:
    return Host().load(builtins=False, entry_points=False, **kw)


def test_builtins_register_the_four_checks():
    host = Host().load(entry_points=False)
    assert host.problems == []
    assert set(host.checks()) >= {"leadership_turnover", "open_source_commitment",
                                  "compute_capacity", "geopolitical_exposure"}
    assert {p.name for p in host.info() if p.origin == "builtin"} == set(BUILTIN_PLUGINS)


def test_local_file_and_folder(write_plugin, tmp_path):
    one = write_plugin("first", GOOD.format(cid="first_check"))
    write_plugin("second", GOOD.format(cid="second_check"), folder=tmp_path / "more")
    host = _host(paths=[one, tmp_path / "more"])
    assert list(host.checks()) == ["first_check", "second_check"]
    info = {p.name: p for p in host.info()}
    assert info["first"].origin == "local" and info["first"].where == str(one)
    assert info["first"].checks == ["first_check"]


def test_env_paths_and_disable(write_plugin, monkeypatch):
    path = write_plugin("envplug", GOOD.format(cid="env_check"))
    monkeypatch.setenv("VENDORDD_PLUGINS", str(path))
    assert "env_check" in _host().checks()
    monkeypatch.setenv("VENDORDD_DISABLE_PLUGINS", "envplug")
    assert "env_check" not in _host().checks()


def test_import_error_is_one_line_and_the_rest_loads(write_plugin, tmp_path):
    write_plugin("broken", "import not_a_module_anywhere\n")
    write_plugin("fine", GOOD.format(cid="fine_check"))
    host = _host(paths=[tmp_path / "plugins"])
    assert list(host.checks()) == ["fine_check"]
    [problem] = host.problems
    assert problem.startswith("plugin 'broken' (") and "ModuleNotFoundError" in problem
    assert "\n" not in problem


def test_strict_makes_a_broken_plugin_fatal(write_plugin):
    path = write_plugin("broken", "raise RuntimeError('boom')\n")
    with pytest.raises(PluginError, match="plugin 'broken'.*RuntimeError: boom"):
        Host(strict=True).load(builtins=False, entry_points=False, paths=[path])


def test_bad_hookimpl_signature(write_plugin):
    path = write_plugin("badsig", """
        from vendordd import hookimpl

        @hookimpl
        def register_checks(register, not_an_argument):
            pass
    """)
    host = _host(paths=[path])
    [problem] = host.problems
    assert "plugin 'badsig'" in problem and "invalid hook implementation" in problem
    assert "not_an_argument" in problem


def test_unknown_hook_is_refused_with_a_message(write_plugin):
    path = write_plugin("future", """
        from vendordd import hookimpl

        @hookimpl
        def register_time_machine(register):
            pass
    """)
    host = _host(paths=[path])
    [problem] = host.problems
    assert problem == ("plugin 'future' implements unknown hook 'register_time_machine' "
                       "(written for a newer vendordd?); not loaded")
    assert not host.info()[0].loaded


def test_newer_plugin_api_is_refused(write_plugin):
    path = write_plugin("tomorrow", "vendordd_plugin_api = 99\n")
    [problem] = _host(paths=[path]).problems
    assert "needs vendordd plugin API 99" in problem


def test_raising_register_checks_is_isolated(write_plugin, tmp_path):
    write_plugin("raiser", """
        from vendordd import hookimpl

        @hookimpl
        def register_checks(register):
            raise ValueError("no checks today")
    """)
    write_plugin("fine", GOOD.format(cid="fine_check"))
    host = _host(paths=[tmp_path / "plugins"])
    assert list(host.checks()) == ["fine_check"]
    assert host.problems == ["plugin 'raiser' failed in register_checks: ValueError: no checks today"]


def test_duplicate_check_id_names_both_plugins(write_plugin, tmp_path):
    write_plugin("alpha", GOOD.format(cid="same_check"))
    write_plugin("beta", GOOD.format(cid="same_check"))
    host = _host(paths=[tmp_path / "plugins"])
    assert host.checks()["same_check"].plugin == "alpha"  # the first (by origin, then name) is kept
    assert host.problems == ["plugin 'beta': check id 'same_check' is already registered by plugin 'alpha'; "
                             "'beta''s check is not run"]
    with pytest.raises(PluginError, match="already registered by plugin 'alpha'"):
        Host(strict=True).load(builtins=False, entry_points=False, paths=[tmp_path / "plugins"]).checks()


def test_invalid_schema_fragment_is_refused(write_plugin):
    path = write_plugin("badschema", """
        from vendordd import hookimpl

        @hookimpl
        def register_schemas(register):
            register("badschema", {"type": "no-such-type"})
    """)
    host = _host(paths=[path])
    assert host.schemas() == {}
    [problem] = host.problems
    assert problem.startswith("plugin 'badschema': the schema for extension 'badschema'")
    assert "not a valid JSON Schema" in problem


def _make_package(root: Path) -> Path:
    pkg = root / "vendordd-throwaway"
    (pkg / "throwaway_plugin").mkdir(parents=True)
    (pkg / "pyproject.toml").write_text(textwrap.dedent("""
        [build-system]
        requires = ["setuptools>=68"]
        build-backend = "setuptools.build_meta"

        [project]
        name = "vendordd-throwaway"
        version = "0.3.1"

        [project.entry-points.vendordd]
        throwaway = "throwaway_plugin"
    """))
    (pkg / "throwaway_plugin" / "__init__.py").write_text(textwrap.dedent(GOOD.format(cid="throwaway_check")))
    return pkg


@pytest.mark.slow
def test_entry_point_plugin_from_a_real_installed_package(tmp_path):
    pkg = _make_package(tmp_path)
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-index",
                    "--no-build-isolation", "--target", str(target), str(pkg)],
                   check=True, capture_output=True)
    env = {**os.environ, "PYTHONPATH": str(target)}
    out = subprocess.run([sys.executable, "-m", "vendordd", "plugins", "--json"], env=env,
                         cwd=tmp_path, capture_output=True, text=True, check=True)
    info = {p["name"]: p for p in json.loads(out.stdout)}
    assert info["throwaway"]["origin"] == "entry_point"
    assert info["throwaway"]["where"] == "vendordd-throwaway 0.3.1"
    assert info["throwaway"]["version"] == "0.3.1"
    assert info["throwaway"]["checks"] == ["throwaway_check"]
    env["VENDORDD_DISABLE_PLUGINS"] = "throwaway"
    out = subprocess.run([sys.executable, "-m", "vendordd", "checks", "--json"], env=env,
                         cwd=tmp_path, capture_output=True, text=True, check=True)
    assert "throwaway_check" not in out.stdout
