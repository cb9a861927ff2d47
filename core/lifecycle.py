"""The edges of a vendordd process: being stopped, a closed standard output, temporary files.

- :func:`handle_termination`: SIGTERM (``kill``, a CI timeout, a service
  manager) is handled like Ctrl-C: it raises :class:`Terminated`, a
  KeyboardInterrupt, so every clean-up that runs for Ctrl-C runs for it too
  (temporary files removed, earlier outputs left as they were).
- :func:`guard_stdout`: a write to a standard output whose reader has gone
  (``vendordd run --json - | head``) raises :class:`OutputClosed`, which the
  entry point turns into a quiet exit with the shell's code for a process
  ended by SIGPIPE (141), never a traceback and never 1, which means "a
  vendor at or above --fail-on".
- :func:`run_scratch`: the run's temporary files (openpyxl writes each sheet
  to one before the save) go to one folder per process,
  ``$TMPDIR/vendordd-<pid>-XXXX``, removed when the run ends however it ends;
  a run killed with SIGKILL cannot clean up, so each run first removes the
  folders of processes that no longer exist (:func:`sweep_stale`, also used
  for the output's own temporary file, :mod:`vendordd.atomic`).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

#: Exit code of a run stopped by SIGTERM (128 + 15), as a shell reports a process it ended.
EXIT_TERMINATED = 128 + 15
#: Exit code when standard output was closed by its reader (128 + SIGPIPE).
EXIT_BROKEN_PIPE = 128 + 13
#: Prefix of the per-run temporary folders in the system's temporary folder.
SCRATCH_PREFIX = "vendordd-"


class Terminated(KeyboardInterrupt):
    """SIGTERM arrived: stop as for Ctrl-C."""


class OutputClosed(Exception):
    """Standard output's reader went away (a broken pipe)."""


def handle_termination() -> None:
    """Make SIGTERM raise :class:`Terminated` in this process (main thread; POSIX)."""
    if hasattr(signal, "SIGTERM"):
        with contextlib.suppress(ValueError):  # not the main thread
            signal.signal(signal.SIGTERM, _terminated)


def _terminated(signum: int, frame: Any) -> None:
    raise Terminated()


class _GuardedStream:
    """A text stream whose writes raise OutputClosed instead of BrokenPipeError."""

    def __init__(self, stream: Any):
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except BrokenPipeError as exc:
            raise OutputClosed() from exc

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError as exc:
            raise OutputClosed() from exc

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def guard_stdout() -> None:
    """Route ``sys.stdout`` through a guard that turns a broken pipe into :class:`OutputClosed`."""
    if sys.stdout is not None and not isinstance(sys.stdout, _GuardedStream):
        sys.stdout = _GuardedStream(sys.stdout)


def silence_stdout() -> None:
    """Point standard output at the null device, so that the flush at exit cannot fail again."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.__stdout__.fileno())  # type: ignore[union-attr]
        os.close(null)


def process_exists(pid: int) -> bool:
    """True when a process ``pid`` exists (or might: anything but a clear "no such process")."""
    if os.name != "posix" or pid <= 0:
        return True  # never guess on other systems: keep the file
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def sweep_stale(folder: Path, pattern: re.Pattern[str]) -> list[Path]:
    """Remove the entries of ``folder`` whose name matches ``pattern`` and whose process is gone.

    ``pattern`` has a ``pid`` group: the process that made the entry. Entries
    of live processes (another run writing now) are left alone; so is
    anything that cannot be removed. Returns what was removed.
    """
    removed: list[Path] = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    for name in names:
        found = pattern.match(name)
        if not found or process_exists(int(found.group("pid"))):
            continue
        path = folder / name
        try:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
            removed.append(path)
        except OSError:
            continue
    return removed


@contextlib.contextmanager
def run_scratch() -> Iterator[Path | None]:
    """This process's temporary folder for the duration of the block (None when it cannot be made).

    Sets :data:`tempfile.tempdir`, so that every temporary file made through
    :mod:`tempfile` (openpyxl's, the workers') lands in it; removes it at the
    end, and first the folders left by runs that were killed.
    """
    base = Path(tempfile.gettempdir())
    sweep_stale(base, re.compile(rf"^{re.escape(SCRATCH_PREFIX)}(?P<pid>\d+)-"))
    try:
        path = Path(tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-", dir=base))
    except OSError:  # an unwritable or full $TMPDIR: the write that needs it says so, naming it
        yield None
        return
    previous = tempfile.tempdir
    tempfile.tempdir = str(path)
    try:
        yield path
    finally:
        tempfile.tempdir = previous
        shutil.rmtree(path, ignore_errors=True)


def exit_at_once(code: int = EXIT_TERMINATED) -> NoReturn:
    """End this (forked) process now, without Python's own clean-up: what a child told to stop does
    once it has deleted its files."""
    os._exit(code)


def die_with_parent(parent: int, quietly: bool = True) -> None:
    """In a worker process of ``parent``: be sent SIGTERM when it dies (Linux), and exit now if it has.

    A worker whose parent was killed would otherwise stay blocked on the
    results pipe and then print a BrokenPipeError traceback. With
    ``quietly``, SIGTERM then takes its default action (the worker ends
    quietly); otherwise the caller has set its own SIGTERM handler already,
    which is kept: switching to the default action would drop a SIGTERM that
    arrived since the fork and that Python has not yet handed to a handler.
    """
    if quietly and hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):
            import ctypes

            ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # it died before the line above
        os._exit(EXIT_TERMINATED)
