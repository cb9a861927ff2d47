"""Write output files all-or-nothing, and never over an input.

A save that fails half way (a bug, a full disk, Ctrl-C) must leave whatever
was at the target before untouched: we write to a temporary file in the same
folder, flush it to disk and rename it over the target in one step
(``os.replace`` is atomic on POSIX and Windows within one file system).
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO

from .lifecycle import sweep_stale


class ProtectedPathError(ValueError):
    """The output path is one of the inputs (after resolving links)."""

    def __init__(self, path: os.PathLike | str, protected: os.PathLike | str) -> None:
        super().__init__(f"refusing to overwrite input file {os.fspath(protected)}")
        self.path = Path(path)
        self.protected = Path(protected)


def is_same_path(a: os.PathLike | str, b: os.PathLike | str) -> bool:
    """True when ``a`` and ``b`` name the same file (symlinks and hard links included)."""
    pa, pb = Path(a), Path(b)
    if pa.resolve() == pb.resolve():
        return True
    try:
        return os.path.samefile(pa, pb)
    except OSError:  # one of them does not exist yet
        return False


class ProtectedPaths:
    """A run's inputs, indexed once by resolved name and by file (device and inode), so that each
    output checked against them costs one ``resolve`` and one ``stat``, not two of each per input.

    Iterating gives the paths as given. The files' identities are taken when
    this is made: make it when the run's outputs are about to be written.
    """

    def __init__(self, paths: Iterable[os.PathLike | str]) -> None:
        self.paths = list(paths)
        self._by_name: dict[Path, int] = {}
        self._by_file: dict[tuple[int, int], int] = {}
        for index, path in enumerate(self.paths):
            self._index(index, path)

    def _index(self, index: int, path: os.PathLike | str) -> None:
        self._by_name.setdefault(Path(path).resolve(), index)
        found = _identity(path)
        if found is not None:
            self._by_file.setdefault(found, index)

    def plus(self, *more: os.PathLike | str) -> ProtectedPaths:
        """These paths and ``more`` after them."""
        out = ProtectedPaths(())
        out.paths = [*self.paths, *more]
        out._by_name, out._by_file = dict(self._by_name), dict(self._by_file)
        for index, path in enumerate(more, len(self.paths)):
            out._index(index, path)
        return out

    def __iter__(self) -> Iterator[os.PathLike | str]:
        return iter(self.paths)

    def __len__(self) -> int:
        return len(self.paths)

    def first_same(self, path: os.PathLike | str) -> os.PathLike | str | None:
        """The first of these paths that names the same file as ``path`` (as :func:`is_same_path`
        says), or None."""
        hits = [self._by_name.get(Path(path).resolve())]
        found = _identity(path)
        if found is not None:
            hits.append(self._by_file.get(found))
        known = [hit for hit in hits if hit is not None]
        return self.paths[min(known)] if known else None


def _identity(path: os.PathLike | str) -> tuple[int, int] | None:
    """The (device, inode) of the file ``path`` names, links followed; None when it cannot be read."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return st.st_dev, st.st_ino


def check_not_protected(path: os.PathLike | str, protected: Iterable[os.PathLike | str]) -> None:
    """Raise :class:`ProtectedPathError` when ``path`` is one of ``protected`` (naming the first).

    Pass a :class:`ProtectedPaths` where the same inputs guard several
    outputs (a run protects every profile it read).
    """
    paths = protected if isinstance(protected, ProtectedPaths) else ProtectedPaths(protected)
    other = paths.first_same(path)
    if other is not None:
        raise ProtectedPathError(path, other)


def check_not_protected_pairwise(path: os.PathLike | str, protected: Iterable[os.PathLike | str]) -> None:
    """:func:`check_not_protected` as one :func:`is_same_path` per pair: its plain twin, for the tests."""
    for other in protected:
        if is_same_path(path, other):
            raise ProtectedPathError(path, other)


def new_file_mode(target: Path) -> int:
    """Permissions for the output: the old file's when replacing, else 0o666 minus umask."""
    try:
        st = target.stat()
        if stat.S_ISREG(st.st_mode):
            return stat.S_IMODE(st.st_mode)
    except OSError:
        pass
    return 0o666 & ~_umask()


def _umask() -> int:
    try:  # Linux: read it without changing it (os.umask would race other threads)
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def fsync_dir(folder: Path) -> None:
    """Make the rename durable where the platform allows (not on Windows)."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def atomic_write(path: os.PathLike | str, write_fn: Callable[[IO[bytes]], object],
                 protected: Iterable[os.PathLike | str] = ()) -> None:
    """Create or replace the file at ``path`` with what ``write_fn`` writes, or change nothing.

    ``write_fn(fh)`` gets a binary file open on a temporary file in the same
    folder as ``path`` (seekable, so a zip file can be written to it). When it
    returns, the data is flushed and fsynced and the file renamed over
    ``path``. When anything raises (including KeyboardInterrupt), the
    temporary file is removed, any previous file at ``path`` is left as it
    was, and the exception propagates; a temporary file left by a killed run
    (named ``.<name>.<pid>.XXXXXXXX.tmp``) is removed by the next write to the
    same path once that process is gone. A replaced file keeps its permissions;
    a new one gets the usual ones (0o666 less the umask).

    Raises :class:`ProtectedPathError` before writing anything when ``path``
    resolves to one of ``protected`` (the run's inputs), and OSError when the
    folder does not exist or is not writable.
    """
    target = Path(path)
    check_not_protected(target, protected)
    folder = target.absolute().parent
    # The temporary file names its process, so that the next run can remove
    # one left by a run that was killed (SIGKILL: no clean-up) without
    # touching one that another run is writing now.
    sweep_stale(folder, re.compile(rf"^\.{re.escape(target.name)}\.(?P<pid>\d+)\.[^.]+\.tmp$"))
    fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            write_fn(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, new_file_mode(target))
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    fsync_dir(folder)


def atomic_write_text(path: os.PathLike | str, text: str,
                      protected: Iterable[os.PathLike | str] = ()) -> None:
    """:func:`atomic_write` for text: ``text`` encoded as UTF-8, newlines untouched."""
    data = text.encode("utf-8")
    atomic_write(path, lambda fh: fh.write(data), protected)
