"""The flat sheets written by a second process while this one writes the others.

On a machine with two or more cores, the Evidence sheet (a row for every
source of every vendor: most of a big workbook's rows) is written by a
forked child process while this process writes the Summary and the vendor
sheets; Findings is written by whichever of the two comes to it first
(the child after Evidence, this process at Findings' turn), so that their
shares even out whatever the data. The child runs the same sheet writers on
the same workbook state (as of the fork), closes the sheets, and hands back
their files and what saving needs (relationships, tables, print ranges).
This process takes them over when the turn of one comes
(:meth:`Offload.finish`).

The result is byte for byte what writing the sheet here would give. Three
things make that so, and the child checks the last two:

* every house style, and the score bands' colours, are registered when
  the workbook starts (:class:`~vendordd.scorecard.styles.Styles`,
  :class:`~vendordd.scorecard.book.Book`), so an id does not depend on
  which process used it first;
* the child added nothing to the workbook's style registries (a style it
  had to add would get an id this process does not know);
* the table names it took are still free here (built-in sheets take
  distinct names; plugin sheets are written after the join).

After its sheets, the child may do one more job for the caller while this
process saves the workbook: write the JSON results (``alongside``), once
this process says, after the plugins' sheets, that the results have not
changed since the fork (:meth:`Offload.release`).

When a check fails, or the child fails or is lost, :meth:`Offload.finish`
says so and the caller writes the sheets here, each at its turn, as a run
with one process does. Linux only (see :func:`vendordd.workers.can_fork`).
"""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
from collections.abc import Callable
from typing import Any

from ..vendor_store import VendorStore
from .book import Book
from .openpyxl_internals import (
    ClosedSheet,
    adopt_closed_sheet,
    close_and_keep,
    discard_sheet_file,
    registry_sizes,
)
from .registry import Run, SheetSpec

#: The sheet (by key) the second process writes: the largest flat table, which only reads the results.
OFFLOADED = "evidence"
#: Sheets the second process writes next if this process has not come to them yet (whichever
#: process is free first takes each, so that their shares even out on any data).
SHARED = ("findings",)
#: Fewer sources than this (Evidence rows) and the sheets are written here: starting a process
#: costs more than it saves.
MIN_ROWS = 5000
#: Seconds a stopped child gets to clean up and end before it is killed.
STOP_SECONDS = 10.0

_FREE, _HERE, _CHILD = 0, 1, 2


def worth_offloading(run: Run) -> bool:
    """Whether the run's flat sheets are big enough to pay for a second process.

    Not when the run keeps its vendors packed (a :class:`~vendordd.vendor_store.VendorStore`,
    above 2,000 profiles): such a run bounds its memory, and the child would hold a second
    sheet's working set (its links, its measured rows) beside this process's (measured at
    10,000 profiles: 363 -> 453 MiB PSS).
    """
    if isinstance(run.vendors, VendorStore):
        return False
    rows = 0
    for vendor in run.vendors:
        rows += len(vendor.get("sources") or ())
        if rows >= MIN_ROWS:
            return True
    return False


class Offload:
    """Sheets being written by a child process.

    ``sheets``: ``(spec, worksheet)`` pairs; the child writes the first, then each of the others
    that this process has not claimed (:meth:`claim`). At a sheet's turn, this process either
    claims it (and writes it itself) or calls :meth:`finish`, which waits for the child's sheets
    and takes them over. ``alongside``: a job the child runs next, once :meth:`release` says so
    (the JSON results, while this process saves the workbook); :meth:`alongside_done` waits for
    it and ends the child.
    :meth:`cancel` stops the child and drops what it wrote.
    """

    def __init__(self, book: Book, sheets: list[tuple[SheetSpec, Any]], run: Run,
                 alongside: Callable[[], object] | None = None) -> None:
        import multiprocessing

        self.book = book
        self.sheets = sheets
        self._paths = []
        for _ in sheets:
            handle, path = tempfile.mkstemp(prefix="vendordd-sheet-", suffix=".xml")
            os.close(handle)
            self._paths.append(path)
        self._names_before = book.table_names.taken()
        self._outcome: bool | None = None
        self._more = False
        context = multiprocessing.get_context("fork")
        self._owners = {spec.key: context.Value("b", _CHILD if index == 0 else _FREE)
                        for index, (spec, _) in enumerate(sheets)}
        self._alongside = alongside
        self._go, self._tell = context.Pipe(duplex=False)
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(target=_write_in_child,
                                         args=(send, self._go, book, sheets, run, self._paths, self._owners,
                                               alongside, os.getpid()),
                                         daemon=True)
        # SIGTERM is held back across the fork: the child takes it only once its own handler is set,
        # so that Offload.cancel's SIGTERM cannot reach a handler inherited from this process.
        held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
        try:
            self._process.start()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
        send.close()
        self._go.close()

    @property
    def keys(self) -> list[str]:
        return [spec.key for spec, _ in self.sheets]

    def claim(self, key: str) -> bool:
        """True when this process is to write sheet ``key`` itself: the child has not taken it,
        or the child failed (after :meth:`finish` said so)."""
        if self._outcome is False:
            return True
        return _take(self._owners, key, _HERE)

    def finish(self) -> bool:
        """Wait for the child (once); True when the sheets it wrote were taken over, False when
        the caller must write them (then nothing was written to them here).
        """
        if self._outcome is not None:
            return self._outcome
        try:
            outcome = self._receive.recv()
        except (EOFError, OSError):  # the child died without a word
            outcome = ("lost",)
        except BaseException:  # Ctrl-C while waiting: the child ignores it, so stop it here
            self.cancel()
            raise
        self._outcome = False
        self._more = outcome[0] in ("written", "refused")  # the child goes on with ``alongside``
        if outcome[0] == "written":
            closed, names = outcome[1], outcome[2]
            if not names & (self.book.table_names.taken() - self._names_before):
                self.book.table_names.add(names)
                for spec, ws in self.sheets:
                    if spec.key in closed:
                        adopt_closed_sheet(ws, closed[spec.key])
                self._outcome = True
        if not self._outcome:
            self._remove()
        return self._outcome

    def release(self, go: bool) -> None:
        """Let the child run ``alongside`` (``go``) or end without it."""
        if self._alongside is not None:
            with contextlib.suppress(OSError):  # a child that is gone says so in alongside_done
                self._tell.send(bool(go))
        self._tell.close()

    def alongside_done(self) -> bool:
        """Wait for the child to end; True when it did ``alongside``, False when it did not run it."""
        self.finish()
        done = False
        if self._alongside is not None and self._more:
            try:
                done = self._receive.recv() == ("alongside", True)
            except (EOFError, OSError):
                done = False
            except BaseException:
                self.cancel()
                raise
        self._receive.close()
        self._process.join()
        return done

    def cancel(self) -> None:
        """Stop the child (if still running) and delete its files (those not taken over: those are
        the workbook's now, deleted with it)."""
        with contextlib.suppress(Exception):
            if self._process.is_alive():
                self._process.terminate()
            self._process.join(STOP_SECONDS)
            if self._process.is_alive():  # stuck where SIGTERM cannot reach its Python code
                self._process.kill()
                self._process.join()
            self._receive.close()
            self._tell.close()
        if not self._outcome:
            self._remove()

    def _remove(self) -> None:
        for path in self._paths:
            with contextlib.suppress(FileNotFoundError):
                os.remove(path)


def _take(owners: dict[str, Any], key: str, who: int) -> bool:
    """Claim sheet ``key`` for ``who`` unless the other process has it; whether ``who`` has it."""
    owner = owners[key]
    with owner.get_lock():
        if owner.value == _FREE:
            owner.value = who
        return bool(owner.value == who)


def _write_in_child(send: Any, go: Any, book: Book, sheets: list[tuple[SheetSpec, Any]], run: Run,
                    paths: list[str], owners: dict[str, Any], alongside: Callable[[], object] | None,
                    parent: int) -> None:
    from ..lifecycle import die_with_parent

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle; it stops this child
    _CHILD_SHEETS[:] = [ws for _, ws in sheets]
    signal.signal(signal.SIGTERM, _exit_on_term)
    die_with_parent(parent, quietly=False)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})  # held back since the fork (Offload)
    try:
        sizes, names = registry_sizes(book.wb), book.table_names.taken()
        closed: dict[str, ClosedSheet] = {}
        for (spec, ws), path in zip(sheets, paths, strict=True):
            if _take(owners, spec.key, _CHILD):
                spec.write(book, ws, run)
                closed[spec.key] = close_and_keep(ws, path)
        if registry_sizes(book.wb) != sizes:
            send.send(("refused", "a sheet added a style the parent does not know"))
        else:
            send.send(("written", closed, book.table_names.taken() - names))
    except BaseException as exc:  # the parent writes the sheets itself, and meets the error there
        for _, ws in sheets:
            discard_sheet_file(ws)
        with contextlib.suppress(Exception):
            send.send(("failed", f"{type(exc).__name__}: {exc}"))
        send.close()
        return
    try:
        if alongside is not None and go.recv():
            alongside()
            send.send(("alongside", True))
    except BaseException:  # the parent runs it itself, and meets the error there
        with contextlib.suppress(Exception):
            send.send(("alongside", False))
    finally:
        send.close()


#: The child's sheets, for its SIGTERM handler.
_CHILD_SHEETS: list[Any] = []


def _exit_on_term(signum: int, frame: Any) -> None:
    """The parent stopped this child (:meth:`Offload.cancel`): delete its sheets' temporary files
    and end now.

    Not an exception: one raised while Python runs a finaliser is only printed,
    and the child would go on, possibly to wait for ever sending a message
    larger than the pipe holds to a parent that no longer reads. Nothing is
    said to the parent either, for the same reason.
    """
    from ..lifecycle import exit_at_once

    for ws in _CHILD_SHEETS:
        with contextlib.suppress(Exception):
            discard_sheet_file(ws)
    exit_at_once()
