"""Assessing a run's profile files in worker processes where that pays.

:func:`assess_files` yields a :class:`~vendordd.assessment.FileResult` per
file, in the files' order, so that a run's results do not depend on how
many processes made them. Each file goes through
:func:`vendordd.assessment.assess_one`, in this process or, with more than
one job, in forked worker processes (Linux only: forking is the one start
method that needs no re-import of plugins loaded from local files, and
macOS advises against it). Workers inherit the run's
:class:`~vendordd.assessment.Job` and send back only the entry, packed when
the run keeps its entries packed (see :mod:`vendordd.vendor_store`), so the
parent never holds parsed profiles.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from .assessment import FileResult, Job, assess_one

#: Fewer files than this are assessed in the calling process: starting workers costs more.
PARALLEL_MIN_FILES = 64
#: The most worker processes a run starts by default.
MAX_DEFAULT_JOBS = 8

_JOB: Job | None = None  # the run's Job, inherited by forked workers


def can_fork() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    import multiprocessing  # only where workers may be started: it is slow to import

    return "fork" in multiprocessing.get_all_start_methods()


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
        import multiprocessing

        context = multiprocessing.get_context("fork")
        with context.Pool(jobs, initializer=_ignore_interrupts, initargs=(os.getpid(),)) as pool:
            yield from pool.imap(_assess_in_worker, files, chunksize=4)
    finally:
        _JOB = None


def _assess_in_worker(path: Path) -> FileResult:
    assert _JOB is not None, "a worker runs only inside assess_files"
    return assess_one(path, _JOB)


def _ignore_interrupts(parent: int) -> None:
    # Ctrl-C reaches the whole process group: the parent stops the pool, the workers stay quiet.
    # SIGTERM (the pool's own way to stop them) and the parent's death end a worker quietly.
    from .lifecycle import die_with_parent

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent(parent)
