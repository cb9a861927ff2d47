"""The hooks a vendordd plugin may implement. Each docstring is the contract.

Every hook is optional. Implement one by decorating a module-level function
(or a method of a registered object) with ``vendordd.hookimpl`` and giving it
the hook's name; it may accept any subset of the arguments below, so new
arguments can be added without breaking plugins. docs/plugins.md documents
each hook with an example; a test fails when a hook here is missing there.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pluggy

hookspec = pluggy.HookspecMarker("vendordd")


@hookspec
def register_checks(register: Callable[..., None]) -> None:
    """Register due-diligence checks.

    Call ``register(check)`` once per :class:`vendordd.Check`. Called once
    per run, after all plugins are loaded. The host records which plugin
    registered each check; two checks with the same id are an error naming
    both plugins. Return value: ignored.
    """


@hookspec
def register_schemas(register: Callable[[str, Mapping[str, Any]], None]) -> None:
    """Contribute JSON Schema fragments for profile extension data.

    Call ``register(name, schema)`` where ``schema`` (a Draft 2020-12 schema,
    as a dict) validates ``extensions.<name>`` in vendor profiles. The host
    checks each fragment with the metaschema, refuses an invalid one with a
    message naming the plugin, and compiles the core schema plus all fragments
    once per run. Return value: ignored.
    """


@hookspec
def analyse_portfolio(results: Mapping[str, Any], portfolio: Mapping[str, Any] | None,
                      policy: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """Analyse the assessed vendors together (concentration, fallbacks, ...).

    Called once per run, after every vendor is scored. ``results`` is the
    results document so far (see schemas/results.schema.json), ``portfolio``
    the buyer's portfolio file as a dict (None when none was given),
    ``policy`` the effective policy. Return a mapping ``{section: data}`` of
    JSON-serialisable data to merge into ``results["portfolio"]``, or None.
    Every implementation is called; sections must not collide.
    """


@hookspec
def scorecard_sheets(workbook: Any, results: Mapping[str, Any],
                     policy: Mapping[str, Any], writer: Any) -> None:
    """Add sheets to the Excel scorecard.

    Called once, after the built-in sheets are written and before the
    Methodology sheet. ``workbook`` is an openpyxl ``Workbook``, in write-only
    mode (normal mode when the user gave ``--template``), so only create
    sheets with ``workbook.create_sheet(title)`` and ``append`` rows.
    ``writer`` offers ``writer.sheet(title, headers, widths=None)``, a
    house-styled sheet whose ``append`` makes every string safe text (asking
    for "Portfolio" replaces the built-in placeholder),
    ``writer.text(value)``, a safe string cell for any sheet, and
    ``writer.bar_chart(sheet, ...)``, 0-100 bars coloured by rating. Use them
    for any vendor-supplied text. Return value: ignored.
    """


@hookspec
def vendor_sheet_section(vendor: Mapping[str, Any], results: Mapping[str, Any],
                         policy: Mapping[str, Any]) -> Any:
    """Add a section to one vendor's own sheet of the Excel scorecard.

    Called once per vendor that gets a sheet, while the workbook is written
    (after ``analyse_portfolio``). ``vendor`` is that vendor's results entry,
    ``results`` the results document, ``policy`` the effective policy.
    Return a :class:`vendordd.sections.VendorSection` (a title, an optional
    note, rows of :class:`vendordd.sections.SectionRow`) or None for no
    section. vendordd lays it out in the sheet's own columns after the
    checks, caps it so the sheet still prints on two pages, and makes all
    its text safe. A section that raises or is malformed is left out whole
    and reported once per plugin. Return value: the section, or None.
    """


@hookspec
def register_collectors(register: Callable[..., None]) -> None:
    """Register sources that ``vendordd collect`` can gather profile facts from.

    Call ``register(collector)`` once per :class:`vendordd.collect.Collector`
    (a name, a title and ``collect(request) -> Collected``). Called when a
    ``collect`` command runs, never during ``run``. A name already taken is
    refused with a message naming the plugin. Return value: ignored.
    """
