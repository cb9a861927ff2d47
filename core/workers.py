"""Assessing profile files one at a time, in worker processes where that pays.

:func:`assess_files` reads, validates and assesses each file and yields a
:class:`FileResult` per file, in the files' order, so that a run's results
do not depend on how many processes made them. With more than one job it
forks worker processes (Linux only: forking is the one start method that
needs no re-import of plugins loaded from local files, and macOS advises
against it); each inherits the run's :class:`Job` and returns only the
entry, packed when the run keeps its entries packed (see
:mod:`vendordd.vendor_store`), so the parent never holds parsed profiles.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import signal
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .loader import Problem

#: Fewer files than this are assessed in the calling process: starting workers costs more.
PARALLEL_MIN_FILES = 64
#: The most worker processes a run starts by default.
MAX_DEFAULT_JOBS = 8


@dataclass
class Job:
    """What assessing any file of a run needs; the same for every file."""

    validator: Any
    checks: list[Any]
    policy: Mapping[str, Any]
    day: dt.date
    settings: Mapping[str, Mapping[str, Any]]
    screener: Any = None
    baseline: Mapping[str, Mapping[str, Any]] | None = None  # baseline entries by vendor id
    step: float = 10.0
    packed: bool = False


@dataclass
class FileResult:
    """One file's outcome: problems, or its vendor's entry (``entry`` or ``blob`` when packed)."""

    problems: list[Problem] = field(default_factory=list)
    vendor_id: str | None = None
    name: str | None = None
    sha256: str | None = None
    entry: dict[str, Any] | None = None
    blob: bytes | None = None
    warnings: list[str] = field(default_factory=list)
    got_worse: bool = False


_JOB: Job | None = None


def assess_one(path: Path, job: Job | None = None) -> FileResult:
    """Read, validate and assess one profile file (``job``: the run's, by default the forked one)."""
    from .diff import vendor_change
    from .pipeline import assess_vendor, read_profile
    from .vendor_store import pack

    job = job or _JOB
    assert job is not None, "assess_one needs a Job"
    doc, problems = read_profile(path, job.validator)
    if doc is None:
        return FileResult(problems=problems)
    entry = assess_vendor(doc, job.checks, job.policy, job.day, job.settings, job.screener)
    got_worse = False
    if job.baseline is not None:
        entry["change"] = vendor_change(job.baseline.get(entry["id"]), entry, job.step)
        got_worse = bool(entry["change"]["got_worse"])
    result = FileResult(vendor_id=entry["id"], name=doc.name, sha256=doc.sha256,
                        warnings=list(entry["warnings"]), got_worse=got_worse)
    if job.packed:
        result.blob = pack(entry)
    else:
        result.entry = entry
    return result


def can_fork() -> bool:
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def available_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def choose_jobs(requested: int | None, files: int) -> int:
    """How many processes assess ``files`` files: ``requested`` (None: automatic), within what can run.

    Automatic: one per available CPU (at most :data:`MAX_DEFAULT_JOBS`) from
    :data:`PARALLEL_MIN_FILES` files on; one where worker processes cannot
    be forked.
    """
    if not can_fork() or files < 2:
        return 1
    if requested is None:
        return min(available_cpus(), MAX_DEFAULT_JOBS) if files >= PARALLEL_MIN_FILES else 1
    return max(1, min(int(requested), files))


def assess_files(files: Sequence[Path], job: Job, jobs: int = 1) -> Iterator[FileResult]:
    """A :class:`FileResult` per file of ``files``, in that order, using ``jobs`` processes."""
    if jobs <= 1:
        for path in files:
            yield assess_one(path, job)
        return
    global _JOB
    _JOB = job
    try:
        context = multiprocessing.get_context("fork")
        with context.Pool(jobs, initializer=_ignore_interrupts, initargs=(os.getpid(),)) as pool:
            yield from pool.imap(assess_one, files, chunksize=4)
    finally:
        _JOB = None


def _ignore_interrupts(parent: int) -> None:
    # Ctrl-C reaches the whole process group: the parent stops the pool, the workers stay quiet.
    # SIGTERM (the pool's own way to stop them) and the parent's death end a worker quietly.
    from .lifecycle import die_with_parent

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent(parent)
