"""docs/plugins.md documents every hook, every public type field and the testing helpers."""

from __future__ import annotations

import dataclasses
import inspect
import re
import textwrap

import pytest

import vendordd.testing
from vendordd import hookspecs
from vendordd.model import Check, CheckContext, Finding

from .conftest import ROOT

DOC = ROOT / "docs" / "plugins.md"
HEADING = re.compile(r"^### `(?P<name>\w+)\((?P<args>[^)]*)\)`\s*$", re.MULTILINE)


def _text() -> str:
    return DOC.read_text(encoding="utf-8")


def _hooks() -> dict[str, list[str]]:
    """Every hook of vendordd.hookspecs and its argument names, in order."""
    found = {name: list(inspect.signature(func).parameters)
             for name, func in inspect.getmembers(hookspecs, inspect.isfunction)
             if hasattr(func, "vendordd_spec")}
    assert found, "no hookspecs found: did the marker's project name change?"
    return found


def _section(text: str, name: str) -> str:
    """The text from a hook's heading to the next heading."""
    start = next(m for m in HEADING.finditer(text) if m["name"] == name).end()
    end = re.compile(r"^#{2,3} ", re.MULTILINE).search(text, start)
    return text[start:end.start() if end else len(text)]


def test_every_hook_has_a_heading_in_exact_signature_form():
    documented = {m["name"]: [a.strip() for a in m["args"].split(",") if a.strip()]
                  for m in HEADING.finditer(_text())}
    missing = sorted(set(_hooks()) - set(documented))
    assert not missing, f"hooks without a ### `name(args)` heading in docs/plugins.md: {missing}"
    for name, args in _hooks().items():
        assert documented[name] == args, f"docs/plugins.md heading for {name}: {documented[name]} != {args}"


def test_no_heading_documents_a_hook_that_does_not_exist():
    hook_like = {m["name"] for m in HEADING.finditer(_text())}
    assert hook_like <= set(_hooks()), f"documented but not in hookspecs: {hook_like - set(_hooks())}"


@pytest.mark.parametrize("name", sorted(_hooks()))
def test_each_hook_section_says_when_returns_firstresult_and_shows_an_example(name):
    section = _section(_text(), name)
    for part in ("**When:**", "**Arguments:**", "**Returns:**", "**firstresult:** no"):
        assert part in section, f"{name}: no {part}"
    examples = re.findall(r"```python\n(.*?)```", section, re.DOTALL)
    assert examples, f"{name}: no example"
    assert any(re.search(rf"@hookimpl\s+def {name}\(", code) for code in examples), \
        f"{name}: the example does not implement the hook"


def test_no_hook_is_firstresult_as_the_docs_say():
    for name in _hooks():
        assert not getattr(hookspecs, name).vendordd_spec.get("firstresult"), name


def test_every_python_example_compiles():
    for i, code in enumerate(re.findall(r"```python\n(.*?)```", _text(), re.DOTALL)):
        compile(textwrap.dedent(code), f"docs/plugins.md example {i + 1}", "exec")


@pytest.mark.parametrize("cls", [Check, CheckContext, Finding])
def test_every_field_of_the_public_types_is_in_its_table(cls):
    text = _text()
    start = text.index(f"### `{cls.__name__}`")
    table = text[start:text.index("\n### ", start + 1)]
    for field in dataclasses.fields(cls):
        assert re.search(rf"^\| `{field.name}` \|", table, re.MULTILINE), \
            f"{cls.__name__}.{field.name} is not in its table in docs/plugins.md"


def test_every_public_testing_helper_is_documented_with_its_signature():
    text = _text()
    for name in vendordd.testing.__all__:
        obj = getattr(vendordd.testing, name)
        if not callable(obj):
            continue
        params = list(inspect.signature(obj).parameters)
        heading = re.search(rf"^`{name}\((?P<args>[^)]*)\)", text, re.MULTILINE)
        assert heading, f"vendordd.testing.{name} is not documented in docs/plugins.md"
        shown = [a.split("=")[0].strip(" *") for a in heading["args"].split(",")]
        assert [a for a in shown if a] == params, f"{name}: documented {shown}, actual {params}"


def test_the_settings_and_environment_are_documented():
    text = _text()
    for word in ("VENDORDD_PLUGINS", "VENDORDD_DISABLE_PLUGINS", "VENDORDD_TRACE_HOOKS", "--plugin",
                 "--strict", "plugins.paths", "plugins.disable", "vendordd plugins --json",
                 "vendordd_plugin_api = 1", "check_timeout_seconds", "vendordd new-plugin"):
        assert word in text, word


def test_plugins_json_keys_are_the_documented_ones():
    from vendordd.host import PluginInfo

    keys = set(PluginInfo(name="x", origin="local", where="x").as_dict())
    table = _text().split("### `vendordd plugins --json`", 1)[1]
    for key in keys:
        assert f"| `{key}` |" in table, key
