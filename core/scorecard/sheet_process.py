"""The largest flat sheet written by a second process while this one writes the others.

On a machine with two or more cores, the Evidence sheet (a row for every
source of every vendor: most of a big workbook's rows) is written by a
forked child process while this process writes the Summary, the vendor
sheets and Findings. The child runs the same sheet writer on the same
workbook state (as of the fork), closes the sheet, and hands back its file
and what saving needs (relationships, tables, print ranges). This process
takes them over when the sheet's turn comes (:meth:`Offload.finish`).

The result is byte for byte what writing the sheet here would give. Three
things make that so, and the child checks the last two:

* every house style is registered when the workbook starts
  (:class:`~vendordd.scorecard.styles.Styles`), so a style's id does not
  depend on which process used it first;
* the child added nothing to the workbook's style registries (a style it
  had to add would get an id this process does not know);
* the table names it took are still free here (built-in sheets take
  distinct names; plugin sheets are written after the join).

When a check fails, or the child fails or is lost, :meth:`Offload.finish`
says so and the caller writes the sheet here, at its turn, as a run with
one process does. Linux only (see :func:`vendordd.workers.can_fork`).
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import tempfile
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

#: Sheets (by key) that may be written by a second process: flat tables that only read the results.
OFFLOADABLE = frozenset({"evidence"})
#: Fewer rows than this are written here: starting a process costs more than it saves.
MIN_ROWS = 5000


def worth_offloading(spec: SheetSpec, run: Run) -> bool:
    """Whether ``spec``'s sheet is one that may be written elsewhere, and big enough to pay for it.

    Not when the run keeps its vendors packed (a :class:`~vendordd.vendor_store.VendorStore`,
    above 2,000 profiles): such a run bounds its memory, and the child would hold a second
    sheet's working set (its links, its measured rows) beside this process's (measured at
    10,000 profiles: 363 -> 453 MiB PSS).
    """
    if spec.key not in OFFLOADABLE or spec.per_vendor or isinstance(run.vendors, VendorStore):
        return False
    rows = 0
    for vendor in run.vendors:
        rows += len(vendor.get("sources") or ())
        if rows >= MIN_ROWS:
            return True
    return False


class Offload:
    """A sheet being written by a child process; :meth:`finish` takes it over, :meth:`cancel` drops it."""

    def __init__(self, book: Book, spec: SheetSpec, ws: Any, run: Run) -> None:
        import multiprocessing

        self.book, self.ws = book, ws
        handle, self._path = tempfile.mkstemp(prefix="vendordd-sheet-", suffix=".xml")
        os.close(handle)
        self._names_before = book.table_names.taken()
        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(target=_write_in_child, args=(send, book, spec, ws, run, self._path,
                                                                     os.getpid()), daemon=True)
        # The child's garbage collector would otherwise touch every object it inherits, and so copy
        # the pages the two processes share (as Python's gc.freeze documentation advises).
        gc.freeze()
        try:
            self._process.start()
        finally:
            gc.unfreeze()
        send.close()

    def finish(self) -> bool:
        """Wait for the child; True when its sheet was taken over, False when the caller must write it.

        False leaves the worksheet untouched (nothing was written to it here).
        """
        try:
            outcome = self._receive.recv()
        except (EOFError, OSError):  # the child died without a word
            outcome = ("lost",)
        except BaseException:  # Ctrl-C while waiting: the child ignores it, so stop it here
            self.cancel()
            raise
        self._receive.close()
        self._process.join()
        if outcome[0] == "written":
            closed, names = outcome[1], outcome[2]
            if not names & (self.book.table_names.taken() - self._names_before):
                self.book.table_names.add(names)
                adopt_closed_sheet(self.ws, closed)
                return True
        self._remove()
        return False

    def cancel(self) -> None:
        """Stop the child (if still running) and delete its file."""
        with contextlib.suppress(Exception):
            if self._process.is_alive():
                self._process.terminate()
            self._process.join()
            self._receive.close()
        self._remove()

    def _remove(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.remove(self._path)


def _write_in_child(send: Any, book: Book, spec: SheetSpec, ws: Any, run: Run, path: str, parent: int) -> None:
    from ..lifecycle import die_with_parent

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle; it stops this child
    signal.signal(signal.SIGTERM, _exit_on_term)
    die_with_parent(parent)
    try:
        sizes, names = registry_sizes(book.wb), book.table_names.taken()
        spec.write(book, ws, run)
        closed: ClosedSheet = close_and_keep(ws, path)
        if registry_sizes(book.wb) != sizes:
            send.send(("refused", "the sheet added a style the parent does not know"))
        else:
            send.send(("written", closed, book.table_names.taken() - names))
    except BaseException as exc:  # the parent writes the sheet itself, and meets the error there
        discard_sheet_file(ws)
        with contextlib.suppress(Exception):
            send.send(("failed", f"{type(exc).__name__}: {exc}"))
    finally:
        send.close()


def _exit_on_term(signum: int, frame: Any) -> None:
    raise SystemExit(1)  # so the child's clean-up runs (its temporary sheet file is deleted)
