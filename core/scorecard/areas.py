"""The areas a vendor is scored in: the Summary's area columns and the vendor sheets' area chart."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .values import humanise

AREA_ORDER = ("leadership", "open_source", "compute", "geopolitics")
AREA_LABELS = {"leadership": "Leadership", "open_source": "Open source", "compute": "Compute",
               "geopolitics": "Geopolitics"}


def area_label(key: str) -> str:
    """The column label of area ``key``."""
    return AREA_LABELS.get(key, humanise(key))


def areas_of(results: Mapping[str, Any], vendors: Sequence[Mapping[str, Any]]) -> list[str]:
    """The four built-in areas, then any other category present, sorted."""
    extra: set[str] = set()
    for vendor in vendors:
        areas = vendor.get("areas")
        if isinstance(areas, Mapping):
            extra.update(str(k) for k in areas if k not in AREA_ORDER)
        for check in vendor.get("checks") or ():
            cat = check.get("category") if isinstance(check, Mapping) else None
            if cat and cat not in AREA_ORDER:
                extra.add(str(cat))
    return list(AREA_ORDER) + sorted(extra)
