"""Determinism: the same inputs, policy and --as-of give byte-identical xlsx and JSON.

Whatever the order the profiles are given in (arguments reversed, a folder
whose files were created in the opposite order, so the file system lists
them differently), and in another process with another hash seed. The
paths are given relative to the working folder, as a user would, because
the outputs record the input file names (for the auditor).

tests/test_scorecard.py proves the same for ``write_scorecard`` alone on a
fixed results document; this file proves it for the whole run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from vendordd.cli import cli

AS_OF = "2026-06-01"
ENV = {"VENDORDD_PLUGINS": "", "VENDORDD_DISABLE_PLUGINS": ""}
NAMES = ["alibaba-qwen.yaml", "deepseek.yaml", "mistral-ai.yaml", "openai.yaml", "zhipu-ai.yaml"]


def _workspace(root: Path, examples: Path, order: list[str]) -> Path:
    """A folder with profiles/ (files created in ``order``), the EU-buyer policy and the portfolio."""
    (root / "profiles").mkdir(parents=True)
    for name in order:
        shutil.copyfile(examples / "profiles" / name, root / "profiles" / name)
    shutil.copyfile(examples / "policy-eu-buyer.yaml", root / "policy.yaml")
    shutil.copyfile(examples / "portfolio.yaml", root / "portfolio.yaml")
    # A rejected file too: the errors list and the Input errors sheet must be stable as well.
    (root / "profiles" / "broken.yaml").write_text("vendor: [\n", encoding="utf-8")
    return root


ARGS = ["--policy", "policy.yaml", "--portfolio", "portfolio.yaml", "--as-of", AS_OF,
        "-o", "out/scorecard.xlsx", "--json", "out/results.json"]


def _run_here(root: Path, monkeypatch, profiles: list[str]) -> tuple[bytes, bytes]:
    monkeypatch.chdir(root)
    (root / "out").mkdir(exist_ok=True)
    result = CliRunner().invoke(cli, ["run", *profiles, *ARGS], env=ENV, catch_exceptions=False)
    assert result.exit_code == 2, result.stderr  # 2: broken.yaml was rejected, the rest assessed
    return (root / "out" / "scorecard.xlsx").read_bytes(), (root / "out" / "results.json").read_bytes()


@pytest.fixture
def reference(tmp_path, examples, monkeypatch) -> tuple[bytes, bytes]:
    root = _workspace(tmp_path / "a", examples, NAMES)
    return _run_here(root, monkeypatch, ["profiles"])


def test_reruns_in_the_same_process_are_identical(tmp_path, monkeypatch, reference):
    assert _run_here(tmp_path / "a", monkeypatch, ["profiles"]) == reference
    assert b'"as_of":"2026-06-01"' in reference[1]


def test_files_created_in_reverse_order_give_identical_outputs(tmp_path, examples, monkeypatch, reference):
    root = _workspace(tmp_path / "b", examples, list(reversed(NAMES)))
    assert _run_here(root, monkeypatch, ["profiles"]) == reference


def test_files_given_in_reverse_order_or_by_glob_give_identical_outputs(tmp_path, monkeypatch, reference):
    root = tmp_path / "a"
    files = [f"profiles/{n}" for n in ["broken.yaml", *NAMES]]
    assert _run_here(root, monkeypatch, list(reversed(files))) == reference
    assert _run_here(root, monkeypatch, ["profiles/*.yaml"]) == reference


def test_a_different_as_of_changes_the_outputs(tmp_path, monkeypatch, reference):
    """The control: the comparison above can fail."""
    monkeypatch.chdir(tmp_path / "a")
    args = [a if a != AS_OF else "2026-06-02" for a in ARGS]
    CliRunner().invoke(cli, ["run", "profiles", *args], env=ENV, catch_exceptions=False)
    xlsx, results = (tmp_path / "a" / "out" / "scorecard.xlsx").read_bytes(), \
        (tmp_path / "a" / "out" / "results.json").read_bytes()
    assert xlsx != reference[0] and results != reference[1]


@pytest.mark.slow
def test_two_processes_with_different_hash_seeds_give_identical_outputs(tmp_path, examples, monkeypatch,
                                                                        reference):
    outputs = []
    for seed, order in (("1", NAMES), ("4242", list(reversed(NAMES)))):
        root = _workspace(tmp_path / f"seed{seed}", examples, order)
        (root / "out").mkdir()
        env = {**os.environ, **ENV, "PYTHONHASHSEED": seed}
        proc = subprocess.run([sys.executable, "-m", "vendordd", "run", "profiles", *ARGS], cwd=root,
                              env=env, capture_output=True, text=True, timeout=120)
        assert proc.returncode == 2, proc.stderr
        assert "Traceback" not in proc.stderr
        outputs.append(((root / "out" / "scorecard.xlsx").read_bytes(),
                        (root / "out" / "results.json").read_bytes()))
    assert outputs[0] == outputs[1] == reference
