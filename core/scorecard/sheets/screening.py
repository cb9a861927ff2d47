"""Screening (only when screening lists were given): every name match, the vendor it hit, why it
matched, whether it counts, and the clearances the policy records.

The matches come from the checks' ``facts["screening_matches"]`` (the geopolitical exposure
check records them); the lists screened from ``results["screening"]``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..book import Book
from ..layout import Col, Grid
from ..registry import Run, SheetSpec
from ..values import humanise, mapping, num, readable, sorted_by_id

_HEADERS = ["Vendor", "Name screened", "Listed entity", "List", "Buyer bound by it", "Strength", "Match score",
            "Why it matched", "Status", "Listed since", "Citation", "Source"]
_STATUS = {"in_force": "Counts", "cleared": "Cleared by the policy", "future": "Listed after the as-of date"}
_STRENGTH_STYLE = {"strong": "alert", "potential": "value_bold"}


def write(book: Book, ws: Any, run: Run) -> None:
    _write_screening(book, ws, run)


SHEET = SheetSpec(key="screening", order=25, title="Screening", write=write, header_rows=None, print_scale=75,
                  applies=lambda run: isinstance(run.results.get("screening"), Mapping))


def _write_screening(book: Book, ws: Any, run: Run) -> None:
    screening = mapping(run.results.get("screening"))
    cols = [Col(12, 16), Col(14, 24), Col(14, 26), Col(12, 14), Col(8, 8), Col(9, 9), Col(7, 7), Col(20, 24),
            Col(11, 12), Col(11, 11), Col(10, 11), Col(6, 6)]
    grid = Grid(ws, cols)
    grid.add([book.text(ws, "Screening against sanctions and export-control lists", "title")], measure=False)
    lists = [item for item in screening.get("lists") or () if isinstance(item, Mapping)]
    strong, potential = num(screening.get("strong_threshold")), num(screening.get("potential_threshold"))
    grid.add([book.text(ws, f"{len(lists)} list file(s), {screening.get('entries', '?')} entries; a name "
                            f"similarity of {strong:g} or more is a strong match, {potential:g} or more a potential "
                            "one (0-100). A strong match on a list the buyer is bound by rates the vendor critical."
                            if strong is not None and potential is not None else
                            f"{len(lists)} list file(s) screened.", "subtitle")], measure=False)
    for item in lists:
        counts = mapping(item.get("lists"))
        grid.add([book.text(ws, f"{item.get('file')}: {item.get('format')}, dated {item.get('date')} "
                                f"({item.get('date_source')}), {item.get('entries')} entries"
                                + (f" ({', '.join(f'{k} {v}' for k, v in sorted(counts.items()))})" if counts else ""),
                            "note")], measure=False)
    grid.blank()
    header = grid.add([book.text(ws, h, "header") for h in _HEADERS], measure=False)
    rows = 0
    for vendor in run.vendors:
        for check in sorted_by_id(vendor.get("checks")):
            for match in mapping(check.get("facts")).get("screening_matches") or ():
                if isinstance(match, Mapping):
                    grid.add(_match_row(book, ws, vendor, match))
                    rows += 1
    last = grid.next_row - 1
    if not rows:
        grid.add([book.text(ws, "No vendor's name matched an entry on the lists screened.", "note")],
                 measure=False)
    clearances = [c for c in mapping(book.policy.get("screening")).get("clearances") or () if isinstance(c, Mapping)]
    grid.blank()
    grid.add([book.text(ws, "Clearances in the policy", "section")], measure=False)
    for clearance in clearances:
        grid.add([book.text(ws, readable(dict(sorted(clearance.items()))), "wrap")], measure=False)
    if not clearances:
        grid.add([book.text(ws, "None: every match counts.", "note")], measure=False)
    grid.flush(freeze=f"B{header + 1}")
    book.add_table(ws, "tbl_Screening", _HEADERS, header, last)
    ws.print_title_rows = f"{header}:{header}"
    ws.print_area = f"A1:{grid.last_col_letter}{grid.next_row - 1}"


def _match_row(book: Book, ws: Any, vendor: Mapping[str, Any], match: Mapping[str, Any]) -> list[Any]:
    why = [humanise(match.get("basis")) + " name match" if match.get("basis") else None,
           f"country {match.get('country')}" if match.get("country") else None,
           f"as its {humanise(match.get('role')).lower()}" if match.get("role") else None]
    strength = str(match.get("strength") or "")
    url = match.get("url")
    return [
        book.text(ws, vendor.get("name") or vendor.get("id"), "bold"),
        book.text(ws, match.get("vendor_name"), "wrap"),
        book.text(ws, match.get("entry_name") or match.get("listed_name"), "wrap"),
        book.text(ws, match.get("list"), "wrap"),
        book.text(ws, "yes" if match.get("bound") else "no", "alert" if match.get("bound") else "text"),
        book.text(ws, humanise(strength), _STRENGTH_STYLE.get(strength, "text")),
        book.number(ws, match.get("score"), "score_whole", missing=None),
        book.text(ws, ", ".join(w for w in why if w), "wrap"),
        book.text(ws, _STATUS.get(str(match.get("status")), humanise(match.get("status"))), "wrap"),
        book.date(ws, match.get("start_date")),
        book.text(ws, match.get("citation"), "wrap"),
        book.link(ws, "open", url, style="link", plain="na_left") if url else None,
    ]
