"""Field values as the lists write them, made comparable: country codes and days."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any


def country_codes(values: Iterable[Any]) -> tuple[str, ...]:
    """ISO alpha-2 codes (upper case, unique, in order) from codes such as ``cn``, ``US-TX``, ``ua-cri``."""
    out: list[str] = []
    for value in values:
        if not isinstance(value, str):
            continue
        code = value.strip().upper().split("-", 1)[0]
        # Two letters A-Z, said without a regex: this runs for every list entry.
        if len(code) == 2 and code.isascii() and code.isalpha() and code.isupper() and code not in out:
            out.append(code)
    return tuple(out)


def iso_day(value: Any) -> str | None:
    """An ISO day from ``2025-01-16``, ``2025-01-16T10:00:00`` or ``01/16/2025``; None otherwise."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        return dt.date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        pass
    try:
        return dt.datetime.strptime(text, "%m/%d/%Y").date().isoformat()
    except ValueError:
        return None


def section(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    """``data[key]`` when it is a mapping, else an empty one (input is read defensively)."""
    value = data.get(key)
    return value if isinstance(value, Mapping) else {}


def items(data: Mapping[str, Any], key: str) -> list[Any]:
    """``data[key]`` when it is a list, else an empty one."""
    value = data.get(key)
    return value if isinstance(value, list) else []
