"""check_not_protected against its plain twin (one is_same_path per pair), on real files and links."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vendordd.atomic import (
    ProtectedPathError,
    ProtectedPaths,
    check_not_protected,
    check_not_protected_pairwise,
)

#: Names in a small folder: files, a symbolic and a hard link to one of them, a dangling link,
#: a linked folder, and names that do not exist (one of them through the linked folder).
NAMES = ["a.json", "b.json", "sym-a.json", "hard-a.json", "dangling.json", "missing.json",
         "sub/c.json", "linked/c.json", "linked/missing.json", "sub/../a.json", "./b.json"]


def _folder(root: Path) -> Path:
    (root / "sub").mkdir(exist_ok=True)
    for name in ("a.json", "b.json", "sub/c.json"):
        (root / name).write_text("{}")
    for link, to in (("sym-a.json", "a.json"), ("dangling.json", "gone.json"), ("linked", "sub")):
        if not (root / link).is_symlink():
            (root / link).symlink_to(to)
    if not (root / "hard-a.json").exists():
        os.link(root / "a.json", root / "hard-a.json")
    return root


def _verdict(check, path: Path, protected: list[Path]) -> str | None:
    try:
        check(path, protected)
    except ProtectedPathError as exc:
        return str(exc.protected)
    return None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(target=st.sampled_from(NAMES), protected=st.lists(st.sampled_from(NAMES), max_size=6))
def test_the_one_stat_check_agrees_with_the_pairwise_check(tmp_path: Path, target: str,
                                                             protected: list[str]) -> None:
    root = _folder(tmp_path)
    paths = [root / name for name in protected]
    assert _verdict(check_not_protected, root / target, paths) == \
        _verdict(check_not_protected_pairwise, root / target, paths)


def test_links_to_an_input_are_refused_and_other_files_are_not(tmp_path: Path) -> None:
    root = _folder(tmp_path)
    for name in ("a.json", "sym-a.json", "hard-a.json", "sub/../a.json"):
        with pytest.raises(ProtectedPathError):
            check_not_protected(root / name, [root / "b.json", root / "a.json"])
    check_not_protected(root / "missing.json", [root / "a.json", root / "b.json"])
    check_not_protected(root / "b.json", [root / "a.json", root / "dangling.json"])


def test_protected_paths_made_once_answer_like_the_pairwise_check_for_every_output(tmp_path: Path) -> None:
    root = _folder(tmp_path)
    inputs = [root / name for name in ("b.json", "linked/c.json", "missing.json", "sym-a.json")]
    guard = ProtectedPaths(inputs).plus(root / "sub/../dangling.json")
    assert list(guard) == [*inputs, root / "sub/../dangling.json"] and len(guard) == 5
    for name in NAMES:
        assert _verdict(check_not_protected, root / name, guard) == \
            _verdict(check_not_protected_pairwise, root / name, list(guard)), name
