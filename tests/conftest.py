"""Shared fixtures: paths into the checkout and a writer for throwaway plugins."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest
from hypothesis import settings

# .ci/run sets HYPOTHESIS_PROFILE=ci: the same examples on every CI run, so that a landing
# never depends on luck; on a developer's machine the search stays random and finds new cases.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def examples() -> Path:
    return EXAMPLES


@pytest.fixture
def write_plugin(tmp_path: Path):
    """Write a local plugin file from source text; returns its path."""

    def write(name: str, source: str, folder: Path | None = None) -> Path:
        where = folder or tmp_path / "plugins"
        where.mkdir(parents=True, exist_ok=True)
        path = where / f"{name}.py"
        path.write_text(textwrap.dedent(source), encoding="utf-8")
        return path

    return write
