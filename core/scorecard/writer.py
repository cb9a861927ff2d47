"""The entry point: :func:`write_scorecard` builds every sheet and saves the workbook.

Without a template the workbook is streamed (openpyxl write-only mode); with a
template it is built in normal mode on top of the template's sheets. Both go
through the same code: every sheet is built as rows of cells in memory, its
column sizes are set, and the rows are appended in one go. The sheets come
from :func:`vendordd.scorecard.registry.sheet_specs`, in their ``order``;
the plugins' sheets (``extra_sheets``) come between the built-in ones that
are written before them and those written after.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from ..atomic import ProtectedPathError, ProtectedPaths, atomic_write
from .areas import areas_of
from .book import Book
from .errors import ScorecardError
from .limits import check_row_limits
from .openpyxl_internals import deflate_streamed_sheets, discard_write_only
from .plugin_api import SheetWriter
from .registry import Run, SheetSpec, sheet_specs
from .saving import as_of_date, check_output, save, set_properties
from .template import open_template
from .values import mapping, vendors_of


def write_scorecard(results: Mapping, path: os.PathLike, *, template: os.PathLike | None = None,
                    extra_sheets: Callable[[Workbook, SheetWriter], None] | None = None,
                    vendor_sheet_limit: int = 250, protected_paths: Iterable[os.PathLike | str] = (),
                    vendor_sections: Callable[[Mapping[str, Any]], Sequence[tuple[str, Any]]] | None = None,
                    jobs: int = 1, alongside: Callable[[], object] | None = None,
                    alongside_still: Callable[[], bool] | None = None) -> bool:
    """Write the scorecard for ``results`` (the results document) to ``path`` (.xlsx).

    ``template``: a .xlsx whose sheets (a cover, say) come first; macro-enabled
    files are refused. ``extra_sheets(workbook, writer)`` is called after the
    built-in sheets and before Methodology, with a :class:`SheetWriter`.
    ``vendor_sections(vendor)`` gives the plugins' sections of that vendor's
    sheet, ``[(plugin name, VendorSection)]`` (called while the vendor
    sheets are written, before ``extra_sheets``).
    Vendors beyond ``vendor_sheet_limit`` get no sheet of their own (the
    Summary says so; Findings and Evidence list everyone).
    ``protected_paths``: the run's inputs, never overwritten. ``jobs``: with
    more than one, a large Evidence sheet (and Findings, when that process gets
    there first) is written by a second process meanwhile
    (:mod:`vendordd.scorecard.sheet_process`); the file is the same.
    ``alongside``: a job that process runs after its sheets, while this one
    saves (the caller's JSON results; it must not depend on the workbook),
    from the results as they were when the workbook started: only when
    ``alongside_still()``, asked once the plugins' sheets are written, says
    they are still right. Returns True when ``alongside`` was done there;
    False when it was not run (no second process, not still right, or it
    failed), and the caller runs it.

    The same ``results`` (and template) give a byte-identical file. The file
    at ``path`` is replaced all-or-nothing. Raises :class:`ScorecardError`
    (one line) for a bad template or output path, or for results too large
    for Excel's rows (:func:`check_row_limits`, checked before anything is
    built); errors raised by ``extra_sheets`` propagate unchanged and leave
    ``path`` untouched.
    """
    out = Path(path)
    more = [template] if template is not None else []
    protected = (protected_paths.plus(*more) if isinstance(protected_paths, ProtectedPaths)
                 else ProtectedPaths([*protected_paths, *more]))
    check_output(out, protected)
    as_of = as_of_date(results)
    check_row_limits(results)
    if template is not None:
        workbook = open_template(Path(template))
        existing_names = [*workbook.defined_names.keys(),
                          *(name for ws in workbook.worksheets for name in ws.tables)]
    else:
        workbook = Workbook(write_only=True)
        deflate_streamed_sheets(workbook)  # saved by saving.save below, which copies them as they are
        existing_names = []
    book = Book(workbook, results, as_of, workbook.sheetnames, existing_names)
    started: list[Any] = []  # the second process, when _build starts one
    try:
        _build(book, extra_sheets, max(int(vendor_sheet_limit), 0), vendor_sections, jobs, alongside, started)
        if started:
            started[0].release(alongside_still is None or alongside_still())
        set_properties(workbook, results, as_of)
        try:
            atomic_write(out, lambda fh: save(workbook, fh, as_of), protected=protected)
        except ProtectedPathError as exc:
            raise ScorecardError(f"output {out} is one of the inputs; {exc}") from None
        except OSError as exc:
            raise ScorecardError(f"could not write {out}: {exc.strerror or exc}") from exc
        return bool(started) and started[0].alongside_done()
    except BaseException:
        for offload in started:
            offload.cancel()
        discard_write_only(workbook)
        raise


def _build(book: Book, extra_sheets: Callable[[Workbook, SheetWriter], None] | None, limit: int,
           vendor_sections: Callable[[Mapping[str, Any]], Sequence[tuple[str, Any]]] | None = None,
           jobs: int = 1, alongside: Callable[[], object] | None = None, started: list[Any] | None = None) -> None:
    """Build every sheet; a second process it starts goes into ``started`` (the caller ends it)."""
    results = book.results
    vendors = vendors_of(results)
    run = Run(book=book, vendors=vendors,
              errors=[e for e in results.get("errors") or () if isinstance(e, Mapping)],
              portfolio=mapping(results.get("portfolio")), areas=areas_of(results, vendors),
              vendor_sheet_limit=limit, sections=vendor_sections)
    specs = [spec for spec in sheet_specs() if spec.claimable or spec.applies(run)]
    # Fixed titles first, so a vendor called "Summary" gets "Summary (2)".
    for spec in specs:
        if spec.title is not None:
            title = run.titles[spec.key] = book.titles.take(spec.title)
            if spec.claimable:  # no vendor takes it; a plugin asking for it gets it (SheetWriter.sheet)
                book.claimable[spec.title.casefold()] = title
    run.vendor_titles = [book.titles.take(vendor.get("name") or vendor.get("id"), fallback="Vendor")
                         for vendor in vendors[:limit]]
    run.vendor_titles += [None] * (len(vendors) - len(run.vendor_titles))

    # Every sheet before the plugins' is created before any is written: write-only sheets keep
    # creation order.
    before = [spec for spec in specs if not spec.after_plugins and spec.applies(run)]
    made = [(spec, _create(book, spec, run)) for spec in before]
    offload = _offload(book, made, run, alongside) if jobs > 1 and started is not None else None
    if offload is not None and started is not None:
        started.append(offload)
    written: list[Any] = []  # written here and not closed yet
    for spec, sheets in made:
        if offload is not None and spec.key in offload.keys and not offload.claim(spec.key):
            _close(book, written)  # while the other process finishes its sheet, not after
            if offload.finish():
                continue  # written by the other process (else written here, as with one process)
        for index, (ws, vendor) in enumerate(sheets, 1):
            if spec.per_vendor:
                spec.write(book, ws, run, vendor, index)
            else:
                spec.write(book, ws, run)
            written.append(ws)
    _close(book, written)
    if extra_sheets is not None:
        book.tables_named_here = False  # the plugins may add tables of their own to the workbook
        writer = SheetWriter(book)
        extra_sheets(book.wb, writer)
        writer._finish()
    present = {title.casefold() for title in book.wb.sheetnames}
    for title in book.wb.sheetnames:  # a plugin may have made sheets directly
        book.titles.reserve(title)
    for spec in specs:
        if not spec.after_plugins:
            continue
        sheet_title: str | None = run.titles.get(spec.key)
        if spec.claimable:
            sheet_title = book.claimable.pop(spec.title.casefold(), None) if spec.title else None
            if not spec.applies(run) or not sheet_title or sheet_title.casefold() in present:
                continue  # a plugin made it
        elif sheet_title in book.wb.sheetnames:
            sheet_title = run.titles[spec.key] = book.titles.take(spec.title)
        for index, (ws, vendor) in enumerate(_create(book, spec, run, sheet_title), 1):
            if spec.per_vendor:
                spec.write(book, ws, run, vendor, index)
            else:
                spec.write(book, ws, run)


def _close(book: Book, sheets: list[Any]) -> None:
    """Close the streamed sheets in ``sheets`` (their tails written, their files complete), and
    empty the list. Saving would close them anyway; closing each once it is complete lets a run with
    a second process do it while that process is still writing. The built-in sheets are therefore
    closed when the plugins' sheets are written, with any number of processes."""
    if book.wb.write_only:
        for ws in sheets:
            if not ws.closed:
                ws.close()
    sheets.clear()


def _offload(book: Book, made: list[tuple[SheetSpec, list[tuple[Any, Any]]]], run: Run,
             alongside: Callable[[], object] | None = None) -> Any:
    """Start writing the flat sheets in a second process when that pays (:mod:`.sheet_process`);
    the :class:`~.sheet_process.Offload`, or None."""
    from ..workers import can_fork
    from .sheet_process import OFFLOADED, SHARED, Offload, worth_offloading

    if not can_fork() or not book.wb.write_only:  # a template's workbook is built in memory, not streamed
        return None
    found = {spec.key: (spec, sheets[0][0]) for spec, sheets in made if not spec.per_vendor}
    if OFFLOADED not in found or not worth_offloading(run):
        return None
    return Offload(book, [found[key] for key in (OFFLOADED, *SHARED) if key in found], run, alongside)


def _create(book: Book, spec: SheetSpec, run: Run, title: str | None = None) -> list[tuple[object, object]]:
    """The worksheet(s) of ``spec``, each with the vendor it is for (None for a single sheet)."""
    if spec.per_vendor:
        return [(book.new_sheet(t, header_rows=spec.header_rows, gridlines=spec.gridlines, scale=spec.print_scale),
                 vendor)
                for vendor, t in zip(run.vendors, run.vendor_titles, strict=False) if t]
    ws = book.new_sheet(title or run.titles[spec.key] or spec.key, header_rows=spec.header_rows,
                        gridlines=spec.gridlines, scale=spec.print_scale)
    if spec.active:
        ws.sheet_view.tabSelected = True
        book.wb.active = ws
    return [(ws, None)]
