"""register_collectors: the docs/plugins.md example runs; bad collectors are refused with a message."""

from __future__ import annotations

import re

import yaml
from click.testing import CliRunner

from vendordd.cli import cli
from vendordd.collect import MARK
from vendordd.collect.profiles import validate

from .conftest import ROOT


def _doc_example() -> str:
    text = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
    section = text.split("### `register_collectors(register)`", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.DOTALL).group(1)


def _run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_the_documented_example_collects_into_a_valid_marked_profile(write_plugin, tmp_path):
    plugin = write_plugin("status_page", _doc_example())
    out = tmp_path / "example-ai.yaml"
    res = _run("collect", "--plugin", str(plugin), "status-page", "https://status.example.com",
               "--vendor", "example-ai", "-o", str(out), "--date", "2026-03-10")
    assert res.exit_code == 0, res.output
    profile = yaml.safe_load(out.read_text())
    assert validate(profile, None, str(out)) == []
    (commitment,) = profile["open_source"]["commitments"]
    assert commitment[MARK] | {"tool": None} == {"source": "status-page", "date": "2026-03-10",
                                                 "target": "https://status.example.com", "tool": None}
    assert profile["sources"][0][MARK]["source"] == "status-page"  # the host marked the source too
    listed = _run("collect", "--plugin", str(plugin), "sources")
    assert re.search(r"^status-page\s+URL\s+status_page\s", listed.stdout, re.MULTILINE), listed.stdout
    assert re.search(r"^huggingface\s+AUTHOR\s+vendordd.collect\s", listed.stdout, re.MULTILINE)


def test_a_collector_error_is_one_line_and_nothing_is_written(write_plugin, tmp_path):
    plugin = write_plugin("status_page", _doc_example())
    out = tmp_path / "p.yaml"
    res = _run("collect", "--plugin", str(plugin), "status-page", "ftp://nope", "--vendor", "x", "-o", str(out))
    assert res.exit_code == 2 and "give the status page's https:// address" in res.stderr
    assert not out.exists()


def test_duplicate_and_bad_collectors_are_refused_and_others_still_register(write_plugin):
    write_plugin("a_dup", """
        from vendordd import hookimpl
        from vendordd.collect import Collector

        @hookimpl
        def register_collectors(register):
            register(Collector(name="huggingface", title="mine", collect=lambda r: None))
    """)
    write_plugin("b_raises", """
        from vendordd import hookimpl

        @hookimpl
        def register_collectors(register):
            raise RuntimeError("boom")
    """)
    folder = write_plugin("c_good", """
        from vendordd import hookimpl
        from vendordd.collect import Collector

        @hookimpl
        def register_collectors(register):
            register(Collector(name="good-one", title="fine", collect=lambda r: None))
            register("not a collector")
    """).parent
    res = _run("collect", "--plugin", str(folder), "sources", "--json")
    assert res.exit_code == 0
    names = [row["name"] for row in __import__("json").loads(res.stdout)]
    assert names == ["good-one", "huggingface"]
    assert "plugin 'a_dup' failed in register_collectors: ValueError: collector 'huggingface' is already " \
           "registered by 'vendordd.collect'" in res.stderr
    assert "plugin 'b_raises' failed in register_collectors: RuntimeError: boom" in res.stderr
    assert "plugin 'c_good' failed in register_collectors: TypeError" in res.stderr


def test_an_unknown_source_is_a_usage_error(tmp_path):
    res = _run("collect", "no-such-source", "x", "--vendor", "v")
    assert res.exit_code == 2 and "No such command 'no-such-source'" in res.output
