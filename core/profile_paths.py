"""Which profile files the command line names: files, folders (walked) and globs.

The contract: :func:`expand_paths` returns the files in a stable order
without repeats and a :class:`Problem` for everything it could not use (an
argument matching nothing, a folder it could not list, an entry named like a
profile that is not a regular file): nothing is skipped without a word.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable
from pathlib import Path

from .documents import Problem
from .file_reading import cannot_open, file_kind

PROFILE_SUFFIXES = (".json", ".yaml", ".yml")


def expand_paths(args: Iterable[str]) -> tuple[list[Path], list[Problem]]:
    """Profile files named by ``args``: files, folders (every profile in them) and globs.

    Returns the files in a stable order without repeats, and a problem for
    each argument that matched nothing, each folder that could not be read,
    and each entry named like a profile that is not a regular file (a named
    pipe, a device, a broken or looping symbolic link): nothing is skipped
    without a word. A pipe named on its own (``<(...)``) is read like a file.
    """
    files: list[Path] = []
    problems: list[Problem] = []
    seen: set[Path] = set()

    def add(p: Path) -> None:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            files.append(p)

    for arg in args:
        path = Path(arg)
        if path.is_dir():
            found, trouble = _profiles_in(path)
            problems.extend(trouble)
            if not found and not trouble:
                problems.append(Problem(arg, "no .json, .yaml or .yml profiles in this folder"))
            for p in found:
                add(p)
        elif os.path.lexists(arg):
            add(path)
        elif glob.has_magic(arg):
            matched = sorted(Path(m) for m in glob.glob(arg, recursive=True) if not Path(m).is_dir())
            matches = [m for m in matched if m.is_file()]
            for m in matched:
                if not m.is_file():  # a named pipe, a device, a broken or looping link: said, not read
                    problems.append(_not_a_file(m))
            if not matched:
                problems.append(Problem(arg, "the pattern matched no file"))
            for p in matches:
                add(p)
        else:
            problems.append(Problem(arg, "no such file or folder"))
    return files, problems


def _profiles_in(folder: Path) -> tuple[list[Path], list[Problem]]:
    """The profile files under ``folder`` (symbolic links followed, each folder once), sorted,
    and a problem for each folder that could not be listed and each non-regular file named like a profile."""
    found: list[Path] = []
    problems: list[Problem] = []
    visited: set[Path] = set()
    pending = [folder]
    while pending:
        current = pending.pop()
        try:
            real = current.resolve()
            if real in visited:
                continue
            visited.add(real)
            with os.scandir(current) as listing:
                entries = list(listing)
        except OSError as exc:
            problems.append(Problem(str(current), f"cannot read this folder: {exc.strerror or exc}; "
                                                  f"its profiles were not assessed"))
            continue
        for entry in entries:
            path = Path(current, entry.name)
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                pending.append(path)
                continue
            if path.suffix.lower() not in PROFILE_SUFFIXES:
                continue
            if path.is_file():
                found.append(path)
            else:
                problems.append(_not_a_file(path))
    return sorted(found), sorted(problems, key=lambda p: p.file)


def _not_a_file(path: Path) -> Problem:
    """The problem for an entry named like a profile that is not a regular file (it is not read)."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        return Problem(str(path), cannot_open(path, exc) + "; not assessed")
    return Problem(str(path), f"not a regular file but a {file_kind(mode)}; not assessed")
