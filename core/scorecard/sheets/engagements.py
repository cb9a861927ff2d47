"""Engagements (only when the portfolio declares them): one row per use of a vendor, worst verdict
first, with its inherent risk, residual verdict, the reason, the conditions and the next review.

The rows come from ``results["engagements"]`` (core/engagements.py,
docs/methodology/engagements.md); the vendor's own verdict stays on the Summary.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...verdicts import VERDICT_ORDER, verdict_label
from ..book import Book
from ..layout import Col, Grid
from ..registry import Run, SheetSpec
from ..values import humanise
from ..wording import clip

_HEADERS = ["Vendor", "Use", "Inherent risk", "Tier", "Verdict", "Why", "Conditions", "Next review"]
_RISK = {"critical": 0, "high": 1, "medium": 2, "low": 3}


def _engagements(run: Run) -> list[Mapping[str, Any]]:
    return [e for e in run.results.get("engagements") or () if isinstance(e, Mapping)]


def write(book: Book, ws: Any, run: Run) -> None:
    _write_engagements(book, ws, run)


SHEET = SheetSpec(key="engagements", order=27, title="Engagements", write=write, header_rows=None,
                  print_scale=75, applies=lambda run: bool(_engagements(run)))


def _order(eng: Mapping[str, Any]) -> tuple[int, int, int, str]:
    rec = str(eng.get("recommendation"))
    return (VERDICT_ORDER.index(rec) if rec in VERDICT_ORDER else len(VERDICT_ORDER),
            0 if eng.get("overdue") else 1, _RISK.get(str(eng.get("inherent_risk")), 9), str(eng.get("vendor")))


def _write_engagements(book: Book, ws: Any, run: Run) -> None:
    names = {str(v.get("id")): str(v.get("name") or v.get("id")) for v in run.vendors}
    cols = [Col(13, 14), Col(17, 17), Col(8, 8), Col(8, 8), Col(10, 10), Col(24, 24), Col(24, 24), Col(10, 10)]
    grid = Grid(ws, cols)
    grid.add([book.text(ws, "Engagements: each use of a vendor, judged for that use", "title")], measure=False)
    # two lines: one line of subtitle runs past the printed page
    for line in ("Worst verdict first. Inherent risk comes from criticality and data sensitivity (the policy's "
                 "matrix);", "it sets the evidence an approval needs and the review cadence. Checks that do not "
                 "apply to a deployment are left out of its verdict."):
        grid.add([book.text(ws, line, "subtitle")], measure=False)
    grid.blank()
    header = grid.add([book.text(ws, h, "header") for h in _HEADERS], measure=False)
    for eng in sorted(_engagements(run), key=_order):
        # the inherent-risk line is in its own columns; the score line says less than the rest
        reasons = [str(r) for r in eng.get("reasons") or ()
                   if r and not str(r).startswith(("Inherent risk", "Weighted score"))]
        conditions = [str(c) for c in eng.get("conditions") or () if c]
        deployment = humanise(eng.get("deployment"))
        if eng.get("hosting_provider"):
            deployment += f" ({eng.get('hosting_provider')})"
        use = "\n".join(x for x in (str(eng.get("workload") or ""), deployment,
                                      f"{humanise(eng.get('data_sensitivity'))} data",
                                      f"{humanise(eng.get('criticality'))} criticality") if x)
        review = str(eng.get("next_review") or "-") + ("\nOVERDUE" if eng.get("overdue") else "")
        grid.add([
            book.text(ws, names.get(str(eng.get("vendor")), f"{eng.get('vendor')} (not assessed)"), "bold"),
            book.text(ws, use, "wrap"),
            book.rating(ws, eng.get("inherent_risk")),
            book.rating(ws, eng.get("tier")),
            book.text(ws, verdict_label(eng.get("recommendation")), "bold"),
            book.text(ws, "\n".join(f"• {clip(r, 150)}" for r in reasons[:2]), "wrap"),
            book.text(ws, "\n".join(f"• {clip(c, 150)}" for c in conditions[:2]) or "-", "wrap"),
            book.text(ws, review, "alert" if eng.get("overdue") else "wrap"),
        ])
    last = grid.next_row - 1
    grid.flush(freeze=f"B{header + 1}")
    book.add_table(ws, "tbl_Engagements", _HEADERS, header, last)
    ws.print_title_rows = f"{header}:{header}"
    ws.print_area = f"A1:{grid.last_col_letter}{grid.next_row - 1}"
