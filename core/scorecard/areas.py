"""The areas a vendor is scored in: the Summary's area columns and the vendor sheets' area chart.

The areas are the categories of the registered checks (``results["checks"]``,
in check-id order), then any other category a vendor's results hold, sorted:
a plugin whose checks bring a new category gets its own column, and core
keeps no list of the built-in ones. A label is the category humanised
(``open_source`` -> "Open source").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .values import humanise, sorted_by_id


def area_label(key: str) -> str:
    """The column label of area ``key``."""
    return humanise(key)


def areas_of(results: Mapping[str, Any], vendors: Sequence[Mapping[str, Any]]) -> list[str]:
    """The registered checks' categories in check-id order, then other categories present, sorted."""
    registered: list[str] = []
    for check in sorted_by_id(results.get("checks")):
        category = check.get("category")
        if category and str(category) not in registered:
            registered.append(str(category))
    extra: set[str] = set()
    for vendor in vendors:
        areas = vendor.get("areas")
        if isinstance(areas, Mapping):
            extra.update(str(k) for k in areas if str(k) not in registered)
        for check in vendor.get("checks") or ():
            cat = check.get("category") if isinstance(check, Mapping) else None
            if cat and str(cat) not in registered:
                extra.add(str(cat))
    return registered + sorted(extra)
