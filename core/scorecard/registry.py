"""The sheets of the scorecard: what a sheet module declares, and how they are found.

Each module of :mod:`vendordd.scorecard.sheets` declares one ``SHEET =
SheetSpec(...)``: its place in the workbook (``order``), its title, when it
applies, and the function that writes it. :func:`sheet_specs` finds them all,
so a new sheet is one new module (docs/architecture.md, "A new sheet").

Built-in orders (leave gaps for new sheets): Summary 10, Input errors 20,
Screening 25, Engagements 27, vendor sheets 30, Findings 40, Evidence 50, plugin sheets (the
``scorecard_sheets`` hook) 60, Portfolio 70, Methodology 90.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .book import Book

#: Where the plugins' sheets go (``order`` below it: written before them).
PLUGIN_SHEETS_ORDER = 60


@dataclass
class Run:
    """What the sheet writers share about this workbook besides the :class:`Book`.

    ``titles`` maps each sheet's ``key`` to its title (None when it has none);
    ``vendor_titles`` holds one title per vendor (None beyond the limit);
    ``sections`` gives the plugins' sections of a vendor's sheet (the
    ``vendor_sheet_section`` hook), or is None.
    """

    book: Book
    vendors: Sequence[Mapping[str, Any]]
    errors: Sequence[Mapping[str, Any]]
    portfolio: Mapping[str, Any]
    areas: Sequence[str]
    vendor_sheet_limit: int
    titles: dict[str, str | None] = field(default_factory=dict)
    vendor_titles: list[str | None] = field(default_factory=list)
    #: the plugins' sections for a vendor's sheet: ``sections(vendor)`` -> ``[(plugin, VendorSection)]``
    sections: Callable[[Mapping[str, Any]], Sequence[tuple[str, Any]]] | None = None

    @property
    def results(self) -> Mapping[str, Any]:
        return self.book.results


def _always(run: Run) -> bool:
    return True


@dataclass(frozen=True)
class SheetSpec:
    """One sheet (or one per vendor) of the scorecard.

    ``write(book, ws, run)`` fills the sheet ``ws`` (already made with the
    house print setup, ``header_rows`` repeated on each page); a
    ``per_vendor`` sheet's ``write(book, ws, run, vendor, index)`` fills one
    vendor's sheet. ``title`` is reserved before any vendor's, so that a
    vendor called "Summary" gets "Summary (2)". ``applies(run)`` says whether
    the sheet is made. A ``claimable`` title is always reserved and handed to
    a plugin that asks for it (``writer.sheet("Portfolio", ...)``); the
    built-in sheet is then left out.
    """

    key: str
    order: int
    write: Callable[..., None]
    title: str | None = None
    applies: Callable[[Run], bool] = _always
    per_vendor: bool = False
    claimable: bool = False
    header_rows: str | None = "1:1"
    gridlines: bool = True
    active: bool = False
    #: Print scale in percent; None fits the sheet to one page wide.
    print_scale: int | None = None

    @property
    def after_plugins(self) -> bool:
        return self.order > PLUGIN_SHEETS_ORDER


def sheet_specs() -> list[SheetSpec]:
    """Every sheet module's ``SHEET``, in workbook order."""
    from . import sheets

    specs = []
    for info in sorted(pkgutil.iter_modules(sheets.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{sheets.__name__}.{info.name}")
        spec = getattr(module, "SHEET", None)
        if isinstance(spec, SheetSpec):
            specs.append(spec)
    return sorted(specs, key=lambda s: (s.order, s.key))
