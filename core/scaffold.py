"""``vendordd new-plugin NAME``: render the plugin package template.

The template is package data (``templates/plugin/``). Every file there ends
in ``.tmpl`` (so no linter or test runner mistakes it for project code);
file contents and path parts may hold the placeholders below, replaced
verbatim:

============================  =====================================  =========================
placeholder                   meaning                                for ``acme_check``
============================  =====================================  =========================
``{{name}}``                  plugin name, check id, extension name  ``acme_check``
``{{package}}``               import package                         ``vendordd_acme_check``
``{{dist}}``                  distribution (pip) name                ``vendordd-acme-check``
``{{title}}``                 the check's title                      ``Acme check``
``{{vendordd_version}}``      the least vendordd it needs            this vendordd's version
============================  =====================================  =========================
"""

from __future__ import annotations

import keyword
import os
import re
import shutil
import tempfile
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path, PurePosixPath

TEMPLATE_SUFFIX = ".tmpl"
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_MAX_NAME = 40


def validate_plugin_name(name: str) -> str:
    """Return ``name`` when it can be a plugin name, else raise ValueError saying why.

    A plugin name is also the check id, the entry-point name and the
    extension key, and ``vendordd_<name>`` is the import package, so it must
    be lower-case letters, digits and underscores, start with a letter, and
    be at most 40 characters.
    """
    if not isinstance(name, str) or not name:
        raise ValueError("a plugin name is required, e.g. acme_check")
    suggestion = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
    hint = f" (try {suggestion!r})" if suggestion and _NAME.match(suggestion) and suggestion != name else ""
    if not _NAME.match(name):
        raise ValueError(f"plugin name {name!r}: use lower-case letters, digits and underscores, "
                         f"starting with a letter{hint}")
    if len(name) > _MAX_NAME:
        raise ValueError(f"plugin name {name!r}: at most {_MAX_NAME} characters")
    if name.endswith("_") or "__" in name:
        raise ValueError(f"plugin name {name!r}: no trailing or doubled underscores{hint}")
    if keyword.iskeyword(name) or name in {"vendordd", "test", "tests"}:
        raise ValueError(f"plugin name {name!r} is reserved; choose another")
    builtin = _builtin_names()
    if name in builtin:
        raise ValueError(f"plugin name {name!r} is the name of a built-in vendordd check; "
                         f"choose another")
    return name


def placeholders(name: str) -> dict[str, str]:
    """The placeholder values for plugin ``name`` (assumed valid)."""
    from . import __version__

    return {
        "{{name}}": name,
        "{{package}}": f"vendordd_{name}",
        "{{dist}}": "vendordd-" + name.replace("_", "-"),
        "{{title}}": name.replace("_", " ").capitalize(),
        "{{vendordd_version}}": __version__,
    }


def write_plugin_package(name: str, dest: Path) -> Path:
    """Write the plugin package for ``name`` into ``dest/<name>``; return that folder.

    Raises ValueError for an invalid name (the message says what is allowed)
    and FileExistsError when ``dest/<name>`` exists and is not an empty
    folder. The package is written into a temporary folder beside it first
    and moved into place at the end, so a failure leaves nothing behind.
    """
    validate_plugin_name(name)
    dest = Path(dest)
    root = dest / name
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise FileExistsError(f"{root}: already exists; not overwritten")
    values = placeholders(name)
    files = dict(_render_tree(_template_root(), PurePosixPath(), values))
    dest.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=dest))
    try:
        for rel, text in sorted(files.items()):
            target = staging.joinpath(*rel.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        if root.is_dir():
            root.rmdir()  # empty, checked above
        os.replace(staging, root)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return root


def _template_root() -> Traversable:
    return resources.files("vendordd.templates").joinpath("plugin")


def _render_tree(folder: Traversable, rel: PurePosixPath,
                 values: dict[str, str]) -> list[tuple[PurePosixPath, str]]:
    """(relative output path, rendered text) for every template file under ``folder``."""
    out: list[tuple[PurePosixPath, str]] = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name == "__pycache__" or entry.name.startswith("."):
            continue
        part = _fill(entry.name, values)
        if entry.is_dir():
            out.extend(_render_tree(entry, rel / part, values))
        elif entry.name.endswith(TEMPLATE_SUFFIX):
            text = _fill(entry.read_text(encoding="utf-8"), values)
            out.append((rel / part[: -len(TEMPLATE_SUFFIX)], text))
    return out


def _fill(text: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        text = text.replace(key, value)
    if "{{" in text:
        # A placeholder the renderer does not know: a template bug, never user input.
        left = text[text.index("{{"):][:40]
        raise RuntimeError(f"plugin template has an unknown placeholder near {left!r}")
    return text


def _builtin_names() -> set[str]:
    """The last part of each built-in plugin module's name (their check ids)."""
    from .host import BUILTIN_PLUGINS

    return {mod.rsplit(".", 1)[-1] for mod in BUILTIN_PLUGINS}
