"""How the scorecard words a result: gates, reasons (the sentences a reader sees)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .book import Book
from .values import bullets


def gates_text(book: Book, overall: Mapping[str, Any]) -> str:
    lines = []
    for gate in overall.get("gates") or ():
        if not isinstance(gate, Mapping):
            continue
        check = book.check_titles.get(str(gate.get("check")), str(gate.get("check", "?")))
        lines.append(f"{check} rated {gate.get('rating', '?')}: tier capped at {gate.get('tier', '?')}")
    return bullets(lines)
