"""The run's output step: the workbook and the JSON results, committed together or not at all.

:func:`write_outputs` builds the workbook (the plugins' sheets included)
into a temporary file beside its target, then the JSON results (which then
hold any warning the workbook's plugins raised) into another, and only when
both are complete renames both over their targets. When anything fails
(a plugin, a full disk, Ctrl-C) neither target changes and no temporary
file is left. Two runs writing the same outputs at once would otherwise
leave one run's workbook beside the other's JSON, so each target is locked
(:func:`output_locks`) for the length of the write; a second run is refused
with a message saying so, and writes nothing.

``--json -`` streams the JSON to standard output after the workbook is in
place (there is nothing to commit there).
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import re
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from .atomic import (
    ProtectedPathError,
    ProtectedPaths,
    check_not_protected,
    fsync_dir,
    is_same_path,
    new_file_mode,
)
from .lifecycle import OutputClosed, sweep_stale

#: The JSON text is handed to the file in pieces of about this many bytes.
JSON_BATCH_BYTES = 1 << 20


class OutputError(Exception):
    """An output could not be written; the message is one line naming the file. Nothing was changed."""


@dataclass(frozen=True)
class Outputs:
    """Where a run writes: ``workbook`` (.xlsx), ``json`` (a path or ``-``), the workbook's options,
    ``json_indent`` (spaces per level for people; None: compact)."""

    workbook: str | None = None
    json: str | None = None
    template: str | None = None
    vendor_sheets: int = 250
    json_indent: int | None = None

    def files(self) -> list[Path]:
        """The output files (not standard output)."""
        return [Path(p) for p in (self.workbook, self.json) if p and p != "-"]


def write_outputs(results: dict[str, Any], outputs: Outputs, *,
                  sheets: Callable[[Any, Any], None] | None = None,
                  protected: Iterable[str | os.PathLike[str]] = (),
                  sections: Callable[[Mapping[str, Any]], Sequence[tuple[str, Any]]] | None = None,
                  jobs: int = 1) -> None:
    """Write the workbook and the JSON of ``results`` as one unit (see the module docstring).

    ``sheets(workbook, writer)`` adds the plugins' sheets (the host's
    ``scorecard_sheets``); it may add warnings to ``results["warnings"]``,
    which the JSON then holds. ``sections(vendor)``: the plugins' sections
    of a vendor's sheet (the host's ``vendor_sections``), called before
    ``sheets``. ``protected``: the run's inputs, never written over.
    ``jobs``: processes the workbook may use (the same file for any number).
    With a second process for the workbook, that process writes the JSON
    while this one saves the workbook, unless the plugins' sheets or
    sections added warnings to ``results`` (then this one writes it after).
    Raises :class:`OutputError`.
    """
    protected = ProtectedPaths([*protected, *([outputs.template] if outputs.template else [])])
    targets = outputs.files()
    _check_targets(targets, protected)
    with output_locks(targets), _temporaries() as temp:
        staged: list[tuple[Path, Path]] = []
        json_job = json_target = json_temp = None
        if outputs.json and outputs.json != "-":
            json_target = Path(outputs.json)
            json_temp = temp(json_target, "JSON results")
            json_job = functools.partial(_write_json_file, results, json_target, json_temp, outputs.json_indent)
        written_alongside = False
        if outputs.workbook:
            target = Path(outputs.workbook)
            warnings = len(results.get("warnings") or ())
            workbook, written_alongside = _write_workbook(
                results, outputs, target, temp(target, "workbook"), sheets, protected, sections, jobs,
                alongside=json_job, still=lambda: len(results.get("warnings") or ()) == warnings)
            staged.append((workbook, target))
        if json_job is not None and json_target is not None and json_temp is not None:
            staged.append((json_temp if written_alongside else json_job(), json_target))
        _commit(staged)
    if outputs.json == "-":
        _write_stdout(results, outputs.json_indent)


def _check_targets(targets: Sequence[Path], protected: ProtectedPaths) -> None:
    for target in targets:
        try:
            check_not_protected(target, protected)
        except ProtectedPathError as exc:
            raise OutputError(f"output {target} is one of the inputs; {exc}") from None
        if target.is_dir():
            raise OutputError(f"output {target} is a folder")
        folder = target.absolute().parent
        if not folder.is_dir():
            raise OutputError(f"output folder {folder} does not exist")
    if len(targets) == 2 and is_same_path(*targets):
        raise OutputError(f"the workbook and the JSON results are the same file ({targets[0]})")


def _write_workbook(results: dict[str, Any], outputs: Outputs, target: Path, temp: Path,
                    sheets: Callable[[Any, Any], None] | None, protected: ProtectedPaths,
                    sections: Callable[[Mapping[str, Any]], Sequence[tuple[str, Any]]] | None = None,
                    jobs: int = 1, alongside: Callable[[], object] | None = None,
                    still: Callable[[], bool] | None = None) -> tuple[Path, bool]:
    """The workbook in ``temp``, and whether ``alongside`` (the JSON) was done by its second process."""
    from .scorecard import ScorecardError, write_scorecard

    try:
        done = write_scorecard(results, temp, template=Path(outputs.template) if outputs.template else None,
                               extra_sheets=sheets,
                               vendor_sheet_limit=outputs.vendor_sheets, protected_paths=protected,
                               vendor_sections=sections, jobs=jobs, alongside=alongside, alongside_still=still)
    except ScorecardError as exc:
        raise OutputError(str(exc).replace(str(temp), str(target))) from None
    except OSError as exc:  # the output's own write errors are ScorecardErrors: this is a temporary file
        where = exc.filename or f"temporary files in {tempfile.gettempdir()}"
        raise OutputError(f"{target}: cannot write the scorecard: {exc.strerror or exc} while writing "
                          f"{where} (set TMPDIR to a folder with room)") from None
    return temp, done


def _write_json_file(results: Mapping[str, Any], target: Path, temp: Path, indent: int | None) -> Path:
    try:
        with os.fdopen(os.open(temp, os.O_WRONLY | os.O_TRUNC), "wb") as fh:
            dump_json(results, fh, indent)
            fh.flush()
            os.fsync(fh.fileno())
    except (OSError, ValueError) as exc:
        raise OutputError(f"{target}: cannot write the JSON results: {exc}") from None
    return temp


def _write_stdout(results: Mapping[str, Any], indent: int | None) -> None:
    """The JSON to standard output: as bytes to its buffer (a replaced stdout may take text only)."""
    sys.stdout.flush()
    raw = getattr(sys.stdout, "buffer", None)
    try:
        for chunk in json_batches(results, indent):
            if raw is not None:
                raw.write(chunk)
            else:
                sys.stdout.write(chunk.decode("utf-8"))
        (raw or sys.stdout).flush()
    except BrokenPipeError as exc:  # the buffer is not behind lifecycle's guard of sys.stdout
        raise OutputClosed() from exc


def dump_json(results: Mapping[str, Any], fh: IO[bytes], indent: int | None = None) -> None:
    """Write the results file of ``results`` to ``fh``: the bytes of ``json.dumps(file_form(results),
    ensure_ascii=False, indent=indent) + "\\n"`` (``indent`` None: compact, ``separators=(",", ":")``)."""
    for chunk in json_batches(results, indent):
        fh.write(chunk)


def json_batches(results: Mapping[str, Any], indent: int | None = None) -> Iterator[bytes]:
    """The results file's text (:func:`vendordd.results.file_form` of ``results``, UTF-8) and a final
    line feed, in pieces of about a megabyte.

    The whole text of a run over thousands of vendors is hundreds of
    megabytes, and its pieces several times that.
    """
    from .results import file_form
    from .results_json import iter_results_json

    batch: list[bytes] = []
    size = 0
    for chunk in iter_results_json(file_form(results), indent):
        batch.append(chunk)
        size += len(chunk)
        if size >= JSON_BATCH_BYTES:
            yield b"".join(batch)
            batch.clear()
            size = 0
    batch.append(b"\n")
    yield b"".join(batch)


# --------------------------------------------------------------------------- temporaries and commit

@contextlib.contextmanager
def _temporaries() -> Iterator[Callable[[Path, str], Path]]:
    """A maker of empty temporary files beside a target (same suffix); all of them go at the end."""
    made: list[Path] = []

    def temp(target: Path, what: str) -> Path:
        # Named after this process, so that the next run removes what a killed one
        # (SIGKILL: no clean-up) left, and never what a live one is writing.
        folder = target.absolute().parent
        # (.<stem>.<pid>.X.tmp<suffix>, its .old backup, and the scorecard writer's own
        # temporary copy of it, ..<stem>.<pid>.X.tmp<suffix>.<pid>.Y.tmp).
        sweep_stale(folder, re.compile(rf"^\.\.?{re.escape(target.stem)}\.(?P<pid>\d+)\.[^.]+"
                                       rf"\.tmp{re.escape(target.suffix)}(\.old|\.\d+\.[^.]+\.tmp)?$"))
        try:
            fd, name = tempfile.mkstemp(dir=folder, prefix=f".{target.stem}.{os.getpid()}.",
                                        suffix=f".tmp{target.suffix}")
        except OSError as exc:
            raise OutputError(f"{target}: cannot write the {what}: {exc.strerror or exc}") from None
        os.close(fd)
        made.append(Path(name))
        return Path(name)

    try:
        yield temp
    finally:
        for path in made:
            with contextlib.suppress(OSError):
                path.unlink()


def _commit(staged: Sequence[tuple[Path, Path]]) -> None:
    """Rename every ``(temporary, target)`` pair, all or none.

    The previous files are first hard-linked aside, so that a rename that
    fails half way can put back the targets already replaced.
    """
    backups: dict[Path, Path] = {}
    replaced: list[Path] = []
    try:
        for temp, target in staged:
            # the old file's permissions, or (mkstemp makes 0600 files) what open() would give (0666 - umask)
            os.chmod(temp, new_file_mode(target))
            if _mode_of(target) is not None:
                backup = temp.with_name(temp.name + ".old")
                with contextlib.suppress(OSError):  # no hard links here: no way back, but go on
                    os.link(target, backup)
                    backups[target] = backup
        for temp, target in staged:
            try:
                os.replace(temp, target)
            except OSError as exc:
                raise OutputError(f"could not write {target}: {exc.strerror or exc}") from None
            replaced.append(target)
    except BaseException:
        for target in replaced:
            with contextlib.suppress(OSError):
                if target in backups:
                    os.replace(backups.pop(target), target)
                else:
                    target.unlink()
        raise
    finally:
        for backup in backups.values():
            with contextlib.suppress(OSError):
                backup.unlink()
    for folder in {target.absolute().parent for _, target in staged}:
        fsync_dir(folder)


def _mode_of(target: Path) -> int | None:
    """The permissions of the regular file at ``target`` (kept by its replacement), else None."""
    try:
        st = target.stat()
    except OSError:
        return None
    return stat.S_IMODE(st.st_mode) if stat.S_ISREG(st.st_mode) else None


# --------------------------------------------------------------------------- locks

def lock_path(target: Path) -> Path:
    """The lock file of an output: a hidden file beside it, removed when the write ends."""
    return target.absolute().parent / f".{target.name}.vendordd-lock"


@contextlib.contextmanager
def output_locks(targets: Iterable[Path]) -> Iterator[None]:
    """Hold an exclusive lock on each output for the block, or raise :class:`OutputError` at once.

    Locks are taken in a fixed order (by path) so that two runs cannot each
    wait for the other. Where the platform has no ``fcntl`` (Windows) the
    block runs unlocked.
    """
    with contextlib.ExitStack() as stack:
        for target in sorted({t.absolute() for t in targets}):
            stack.enter_context(_lock(target))
        yield


@contextlib.contextmanager
def _lock(target: Path) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    path = lock_path(target)
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError as exc:
            if exc.errno in (errno.EACCES, errno.EROFS, errno.EPERM):
                yield  # a folder we may write the output into but not a lock file: no lock
                return
            raise OutputError(f"{target}: cannot create the lock file {path}: {exc.strerror or exc}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise OutputError(f"{target} is being written by another vendordd run; nothing was "
                              f"written (run again when it has finished)") from None
        # The holder before us may have removed the file after we opened it: lock the current one.
        try:
            same = os.path.samestat(os.fstat(fd), os.stat(path))
        except OSError:
            same = False
        if same:
            break
        os.close(fd)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)
        os.close(fd)
