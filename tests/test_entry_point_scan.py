"""may_declare: False only where importlib.metadata finds no entry point of the group."""

from __future__ import annotations

import importlib.metadata
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vendordd.entry_point_scan import may_declare

#: What a folder on sys.path may hold, by name: (kind of entry, what its entry_points.txt says).
ITEMS = {
    "plain-1.0.dist-info": ("dist", None),
    "scripts-1.0.dist-info": ("dist", "[console_scripts]\nscripts = scripts:main\n"),
    "other-1.0.dist-info": ("dist", "[pytest11]\nother = other.plugin\n"),
    "acme-1.0.dist-info": ("dist", "[vendordd]\nacme = acme.plugin\n"),
    "spaced-1.0.dist-info": ("dist", "[console_scripts]\ns = s:m\n\n[vendordd]\nspaced = spaced.plugin\n"),
    "legacy-1.0.egg-info": ("dist", "[vendordd]\nlegacy = legacy.plugin\n"),
    "pkginfo-1.0.egg-info": ("file", None),
    "module.py": ("file", None),
}


def _folder(root: Path, names: list[str]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name in names:
        kind, entry_points = ITEMS[name]
        if kind == "file":
            (root / name).write_text("Name: x\n" if name.endswith("-info") else "")
            continue
        (root / name).mkdir(exist_ok=True)
        dist = name.split("-")[0]
        (root / name / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 1.0\n")
        if entry_points is not None:
            (root / name / "entry_points.txt").write_text(entry_points)
    return root


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=st.lists(st.sampled_from(sorted(ITEMS)), unique=True),
       second=st.lists(st.sampled_from(sorted(ITEMS)), unique=True))
def test_false_only_where_importlib_metadata_finds_none(tmp_path_factory: pytest.TempPathFactory,
                                                         monkeypatch: pytest.MonkeyPatch,
                                                         first: list[str], second: list[str]) -> None:
    base = tmp_path_factory.mktemp("site")
    folders = [str(_folder(base / "a", first)), str(_folder(base / "b", second)), str(base / "missing")]
    with monkeypatch.context() as patch:
        patch.setattr(sys, "path", folders)
        declared = bool(importlib.metadata.entry_points(group="vendordd"))
        assert may_declare("vendordd") == declared  # on plain folders it is exact
        assert may_declare("console_scripts") == bool(importlib.metadata.entry_points(group="console_scripts"))


def test_unsure_for_zip_files_eggs_and_other_distribution_finders(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    plain = str(_folder(tmp_path / "plain", ["plain-1.0.dist-info", "scripts-1.0.dist-info"]))
    monkeypatch.setattr(sys, "path", [plain])
    assert may_declare("vendordd") is False
    archive = tmp_path / "bundle.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("module.py", "")
    monkeypatch.setattr(sys, "path", [plain, str(archive)])
    assert may_declare("vendordd") is True
    (tmp_path / "plain" / "old-1.0-py3.11.egg").mkdir()
    monkeypatch.setattr(sys, "path", [plain])
    assert may_declare("vendordd") is True
    (tmp_path / "plain" / "old-1.0-py3.11.egg").rmdir()

    class Lister:
        @staticmethod
        def find_distributions(context=None):
            return iter(())

    monkeypatch.setattr(sys, "meta_path", [*sys.meta_path, Lister])
    assert may_declare("vendordd") is True


def test_this_environment_agrees_with_importlib_metadata() -> None:
    if not may_declare("vendordd"):
        assert not importlib.metadata.entry_points(group="vendordd")
