"""Methodology: versions, checks, weights, the policy, overrides and input hashes, for an auditor."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ... import __version__
from ..areas import area_label
from ..book import Book
from ..layout import Col, Grid
from ..registry import Run, SheetSpec
from ..values import flatten, humanise, mapping, num, override_text, readable, settings_text, sorted_by_id


def write(book: Book, ws: Any, run: Run) -> None:
    _write_methodology(book, ws, run.vendors)


SHEET = SheetSpec(key="methodology", order=90, title="Methodology", write=write, header_rows=None,
                  print_scale=80)


#: The columns of the Checks table (docs/methodology.md, "Reproducing a run", lists them).
CHECKS_COLUMNS = ("Check", "Method", "Area", "Version", "Weight", "Plugin")


def _method(check: Mapping[str, Any]) -> str:
    """The Method cell: the check's ``doc``, its full method's ``url``, the fields it reads
    (``needs``) and its effective settings."""
    doc = " ".join(str(check.get("doc") or "").split())
    needs = [str(n) for n in check.get("needs") or ()]
    parts = [doc or "(the check gives no description of its method)"]
    if check.get("url"):
        parts.append(f"Full method: {check['url']}")
    parts.append(f"Reads: {', '.join(needs)}" if needs else "Reads: (not declared)")
    parts.append("Settings:\n" + settings_text(check.get("settings")))
    return "\n".join(parts)


def _write_methodology(book: Book, ws: Any, vendors: Sequence[Mapping[str, Any]]) -> None:
    results, policy = book.results, book.policy
    cols = [Col(30, 30), Col(66, 66), Col(12, 12), Col(9, 9), Col(8, 8), Col(30, 30)]
    grid = Grid(ws, cols)
    tool = mapping(results.get("tool"))

    def section(title: str, headers: Sequence[str] = ()) -> None:
        grid.blank()
        grid.add([book.text(ws, title, "section")], measure=False)
        if headers:
            grid.add([book.text(ws, h, "header") for h in headers], measure=False)

    def pair(label: str, value: Any) -> None:
        grid.add([book.text(ws, label, "label"), book.text(ws, value, "wrap")])

    grid.add([book.text(ws, "Methodology and audit trail", "title")], measure=False)
    grid.add([book.text(ws, "Everything needed to reproduce this scorecard: the same inputs, policy, "
                            "plugins and as-of date give the same workbook.", "subtitle")], measure=False)
    section("Run")
    pair("Tool", f"{tool.get('name', 'vendordd')} {tool.get('version', __version__)}")
    pair("Results format", str(results.get("format_version", "")))
    pair("Assessed as of", book.as_of.isoformat())
    pair("Policy", f"{policy.get('name') or 'Default policy'} (policy format {policy.get('policy_version', '?')})")
    pair("Vendors assessed", str(len(vendors)))

    section("How scores are computed")
    low, medium, high = (f"{book.bands[k]:g}" for k in ("low", "medium", "high"))
    min_conf = num(policy.get("min_confidence"))
    lines = [
        "Each check scores one aspect of a vendor from 0 to 100 (higher is safer), using only the facts in the "
        "vendor's profile and the sources it cites.",
        "A check without enough evidence reports 'insufficient data' and is left out of the score: missing "
        "evidence never counts as a number.",
        "The overall score is the weighted average of the scored checks (weights below); 'weighted "
        "contribution' is each check's share of it.",
        f"Bands: low risk at {low} or above, medium at {medium} or above, high at {high} or above, "
        f"critical below {high}. A gate raises a vendor's tier to at least its level, whatever the "
        "average: it can make a tier worse, never better.",
        "Confidence (0-100%) reflects how complete, recent and well sourced the evidence is"
        + (f"; below {min_conf:.0%} a recommendation to approve needs escalation." if min_conf is not None
           else "."),
        "Analyst overrides are listed below with their reason and approver. "
        "See docs/methodology.md for the full method.",
    ]
    for line in lines:
        grid.add([None, book.text(ws, line, "wrap")], measure=False)

    section("Plugins", ["Plugin", "Where", "Origin", "Version"])
    for plugin in sorted((p for p in results.get("plugins") or () if isinstance(p, Mapping)),
                         key=lambda p: (str(p.get("name", "")), str(p.get("where", "")))):
        grid.add([book.text(ws, plugin.get("name"), "wrap"), book.text(ws, plugin.get("where"), "wrap"),
                  book.text(ws, plugin.get("origin")), book.text(ws, plugin.get("version"))])

    section("Checks", list(CHECKS_COLUMNS))
    for check in sorted_by_id(results.get("checks")):
        grid.add([book.text(ws, f"{check.get('title') or check.get('id')}\n({check.get('id')})", "wrap"),
                  book.text(ws, _method(check), "wrap"),
                  book.text(ws, area_label(str(check.get("category") or "")), "wrap"),
                  book.text(ws, check.get("version")),
                  book.number(ws, check.get("weight"), "weight", missing=None),
                  book.text(ws, check.get("plugin"), "wrap")])

    section("Policy in force", ["Setting", "Value"])
    rest = {k: v for k, v in policy.items() if k not in ("gates", "overrides")}
    for key, value in flatten(rest):
        grid.add([book.text(ws, " › ".join(humanise(part) for part in key.split(".")), "wrap"),
                  book.text(ws, readable(value), "wrap")])

    section("Gates", ["Check", "Rated at or above", "Raises the tier to at least", "", "", "Why"])
    gates = [g for g in policy.get("gates") or () if isinstance(g, Mapping)]
    for gate in gates:
        gate_check = str(gate.get("check"))
        name = "any check" if gate_check == "*" else book.check_titles.get(gate_check, gate_check)
        grid.add([book.text(ws, name, "wrap"), book.text(ws, gate.get("rating")),
                  book.text(ws, gate.get("tier")), None, None, book.text(ws, gate.get("reason"), "wrap")])
    if not gates:
        grid.add([book.text(ws, "No gates.", "note")], measure=False)

    section("Overrides applied", ["Vendor — check", "Override"])
    applied = 0
    for vendor in vendors:
        for check in sorted_by_id(vendor.get("checks")):
            if check.get("override") not in (None, "", {}):
                applied += 1
                grid.add([book.text(ws, f"{vendor.get('name') or vendor.get('id')} — "
                                        f"{check.get('title') or check.get('id')}", "wrap"),
                          book.text(ws, override_text(check.get("override")), "wrap")])
    if not applied:
        grid.add([book.text(ws, "No override was applied.", "note")], measure=False)

    section("Input files", ["File", "SHA-256"])
    for item in sorted((i for i in results.get("inputs") or () if isinstance(i, Mapping)),
                       key=lambda i: str(i.get("file", ""))):
        grid.add([book.text(ws, item.get("file"), "wrap"), book.text(ws, item.get("sha256"))])

    screening = _m if isinstance(_m := results.get("screening"), Mapping) else None
    if screening:
        section("Screening lists", ["File", "Format", "List date", "Date from", "Entries", "Lists"])
        for item in screening.get("lists") or ():
            counts = _m if isinstance(_m := item.get("lists"), Mapping) else {}
            grid.add([book.text(ws, item.get("file"), "wrap"), book.text(ws, item.get("format")),
                      book.text(ws, item.get("date")), book.text(ws, item.get("date_source"), "wrap"),
                      book.number(ws, item.get("entries"), "general", missing=None),
                      book.text(ws, ", ".join(f"{k} {v}" for k, v in sorted(counts.items())), "wrap")])
        pair("Thresholds", f"strong at {screening.get('strong_threshold')}, potential at "
                           f"{screening.get('potential_threshold')} (0-100 name similarity)")

    run_warnings = [w for w in results.get("warnings") or () if w not in (None, "")]
    if run_warnings:
        section("Run warnings")
        for warning in run_warnings:
            grid.add([book.text(ws, warning, "text")], measure=False)
    grid.flush()
    ws.print_area = f"A1:{grid.last_col_letter}{grid.next_row - 1}"
