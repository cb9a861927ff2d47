"""``vendordd examples``: copy the example inputs shipped in the package out to a folder.

examples/ is not on a user's disk after ``pip install vendordd``; the package
carries the ten profiles, the two buyer policies and the portfolio as
``vendordd.examples`` data, so the README's and docs/plugins.md's commands
(``vendordd run examples/profiles ...``) work after ``vendordd examples``.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

#: What is copied, relative to the examples folder (pyproject.toml's package data holds the same).
FILES = ("policy-eu-buyer.yaml", "policy-us-buyer.yaml", "portfolio.yaml")
FOLDERS = ("profiles",)


def bundled() -> list[tuple[str, Traversable]]:
    """Every shipped example file, ``(relative path, resource)``, in path order."""
    root = resources.files("vendordd.examples")
    found = [(name, root / name) for name in FILES]
    for folder in FOLDERS:
        found += [(f"{folder}/{item.name}", item) for item in (root / folder).iterdir()
                  if item.is_file() and item.name.endswith(".yaml")]
    return sorted((rel, item) for rel, item in found if item.is_file())


def copy_examples(dest: Path) -> list[Path]:
    """Copy the shipped examples into ``dest`` (created); the files written.

    Raises FileExistsError naming the first file that already exists (nothing
    is then written: an analyst's edited copy is never overwritten), and
    FileNotFoundError when the package carries no examples (a broken install).
    """
    files = bundled()
    if not files:
        raise FileNotFoundError("this vendordd installation carries no example files")
    targets = [(dest / rel, item) for rel, item in files]
    for target, _ in targets:
        if target.exists():
            raise FileExistsError(f"{target} already exists; nothing was written (choose another folder)")
    for target, item in targets:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(item.read_bytes())
    return [target for target, _ in targets]
