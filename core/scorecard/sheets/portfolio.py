"""Portfolio: the portfolio analysis as Section / Item / Value rows (a plugin may replace it)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..book import Book
from ..layout import Col, Grid
from ..registry import Run, SheetSpec
from ..values import flatten, humanise, leaf_text, num


def write(book: Book, ws: Any, run: Run) -> None:
    _write_portfolio(book, ws, run.portfolio)


SHEET = SheetSpec(key="portfolio", order=70, title="Portfolio", write=write, claimable=True,
                  applies=lambda run: bool(run.portfolio))


def _write_portfolio(book: Book, ws: Any, portfolio: Mapping[str, Any]) -> None:
    """The portfolio sections as Section / Item / Value rows (nested keys dotted).

    A placeholder the portfolio analysis may replace with its own layout.
    """
    grid = Grid(ws, [Col(16, 30), Col(16, 50), Col(12, 80)])
    header = ["Section", "Item", "Value"]
    grid.add([book.text(ws, h, "header") for h in header], measure=False)
    for key in sorted(portfolio, key=str):
        for item, value in flatten(portfolio[key]):
            if num(value) is not None:
                cell = book.number(ws, value, "general", missing=None)
            else:
                cell = book.text(ws, leaf_text(value), "wrap")
            grid.add([book.text(ws, humanise(key), "bold"), book.text(ws, item or "—", "wrap"), cell])
    last = grid.next_row - 1
    grid.flush(freeze="A2")
    book.add_table(ws, "tbl_Portfolio", header, 1, last)
    ws.print_area = f"A1:C{max(last, 1)}"
