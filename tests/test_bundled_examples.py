"""`vendordd examples`: the example inputs a pip install carries, copied out (issue 19)."""

from __future__ import annotations

import json

import pytest

from vendordd.bundled_examples import bundled, copy_examples
from vendordd.cli import main

from .conftest import ROOT

EXAMPLES = ROOT / "examples"


def _source_files() -> list[str]:
    return sorted([*(f"profiles/{p.name}" for p in (EXAMPLES / "profiles").glob("*.yaml")),
                   "policy-eu-buyer.yaml", "policy-us-buyer.yaml", "portfolio.yaml"])


def test_the_package_carries_every_example_profile_policy_and_the_portfolio():
    assert [rel for rel, _ in bundled()] == _source_files()


def test_copies_them_byte_for_byte_and_never_overwrites(tmp_path):
    written = copy_examples(tmp_path / "ex")
    assert sorted(str(p.relative_to(tmp_path / "ex")) for p in written) == _source_files()
    for rel in _source_files():
        assert (tmp_path / "ex" / rel).read_bytes() == (EXAMPLES / rel).read_bytes()
    (tmp_path / "ex" / "portfolio.yaml").write_text("# my edits\n", encoding="utf-8")
    with pytest.raises(FileExistsError, match="already exists; nothing was written"):
        copy_examples(tmp_path / "ex")
    assert (tmp_path / "ex" / "portfolio.yaml").read_text(encoding="utf-8") == "# my edits\n"


def test_the_copied_examples_run_as_the_docs_say(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as done:
        main(["examples"])
    assert done.value.code in (0, None)
    assert "wrote 13 files to examples: 10 profiles" in capsys.readouterr().out
    with pytest.raises(SystemExit) as done:
        main(["run", "examples/profiles", "--policy", "examples/policy-us-buyer.yaml",
              "--portfolio", "examples/portfolio.yaml", "--as-of", "2026-11-29", "--json", "r.json"])
    assert done.value.code in (0, None, 1)
    assert len(json.loads((tmp_path / "r.json").read_text("utf-8"))["vendors"]) == 10
    with pytest.raises(SystemExit) as done:
        main(["examples"])
    assert done.value.code == 2 and "already exists" in capsys.readouterr().err
