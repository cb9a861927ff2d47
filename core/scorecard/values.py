"""Small, pure helpers that turn result values into what a cell shows (no openpyxl here)."""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

from ..vendor_store import VendorStore
from ..xlsx_text import safe_text

STATUS_LABELS = {"ok": "Scored", "insufficient_data": "Insufficient data", "error": "Check failed",
                 "skipped": "Skipped"}


def num(value: Any) -> float | None:
    """A finite number, or None (booleans and text are not numbers)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) else None


#: Words a label keeps in capitals (``api_stability`` -> "API stability").
ACRONYMS = {"api": "API", "ai": "AI", "sla": "SLA", "id": "ID", "url": "URL", "eu": "EU", "us": "US"}


def humanise(key: Any) -> str:
    """``approve_with_conditions`` -> ``Approve with conditions``; ``api_stability`` -> ``API stability``.

    Answers for text keys are remembered (the flat tables ask for the same
    few kinds, statuses and ids on every row); :func:`humanise_plain` works it out.
    """
    if type(key) is not str:
        return humanise_plain(key)
    text = _HUMANISED.get(key)
    if text is None:
        text = humanise_plain(key)
        if len(_HUMANISED) < _HUMANISED_KEPT:
            _HUMANISED[key] = text
    return text


def humanise_plain(key: Any) -> str:
    """:func:`humanise`, worked out every time."""
    words = str(key or "").replace("_", " ").strip().split(" ")
    text = " ".join(ACRONYMS.get(word, word) for word in words)
    return text[:1].upper() + text[1:]


_HUMANISED: dict[str, str] = {}
_HUMANISED_KEPT = 10_000


def compact_json(value: Any) -> str:
    """Settings and other structures as one line of JSON, keys sorted (deterministic)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(", ", ": "), default=str)


def bullets(lines: Any) -> str:
    """A list of lines as one cell's text: bulleted when there are several."""
    if lines is None:
        return ""
    if isinstance(lines, str):
        return lines
    items = [safe_text(line) for line in lines if line not in (None, "")]
    if len(items) == 1:
        return items[0]
    return "\n".join(f"• {item}" for item in items)


def override_text(override: Any) -> str:
    """An override record as readable text (``reason: ...; approved by: ...``)."""
    if override in (None, "", {}):
        return ""
    if not isinstance(override, Mapping):
        return str(override)
    preferred = ("rating_before", "score_before", "rating", "score", "tier", "reason", "approved_by",
                 "approved_on", "expires")
    keys = [k for k in preferred if k in override] + sorted(k for k in override if k not in preferred)
    parts = []
    for key in keys:
        value = override[key]
        shown = value if isinstance(value, str) else compact_json(value)
        parts.append(f"{humanise(key).lower()}: {shown}")
    return "Override — " + "; ".join(parts)


def iso_date(value: Any) -> dt.date | None:
    """A date from a full ``YYYY-MM-DD`` string; None for months, None or junk."""
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def sorted_by_id(items: Any) -> list[Mapping[str, Any]]:
    """The mappings among ``items``, by their ``id``."""
    # a dict is a Mapping: asked first, as the ABC's check costs more than the rest of an item
    return sorted((i for i in (items or ()) if type(i) is dict or isinstance(i, Mapping)),
                  key=lambda i: str(i.get("id", "")))


def vendors_of(results: Mapping[str, Any]) -> Sequence[Mapping[str, Any]]:
    """The results' vendor entries by id; a VendorStore (already sorted) is read as it is, never copied."""
    vendors = results.get("vendors")
    return vendors if isinstance(vendors, VendorStore) else sorted_by_id(vendors)


def flatten(value: Any, prefix: str = "") -> list[tuple[str, Any]]:
    """Nested mappings as ``(dotted.key, leaf)`` pairs, keys sorted; lists are leaves."""
    if isinstance(value, Mapping) and value:
        out: list[tuple[str, Any]] = []
        for key in sorted(value, key=str):
            out.extend(flatten(value[key], f"{prefix}.{key}" if prefix else str(key)))
        return out
    return [(prefix, value)]


def leaf_text(value: Any) -> str:
    """A policy or portfolio leaf value as text."""
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    return compact_json(value)


def mapping(value: Any) -> Mapping[str, Any]:
    """``value`` when it is a mapping, else an empty one."""
    return value if isinstance(value, Mapping) else {}


def readable(value: Any) -> str:
    """A setting's value in words: lists joined with commas, mappings as "key value" pairs,
    numbers without trailing zeros, booleans as yes/no; never JSON."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, Mapping):
        return "; ".join(f"{humanise(k).lower()} {readable(v)}" for k, v in sorted(value.items(), key=lambda kv: str(kv[0])))
    if isinstance(value, (list, tuple)):
        return ", ".join(readable(item) for item in value)
    return str(value)


def settings_text(settings: Any) -> str:
    """A check's settings, one "key: value" line each, keys sorted and as the policy spells them
    (``checks.<id>.settings.<key>``), so an auditor can copy one into a policy."""
    if not isinstance(settings, Mapping) or not settings:
        return "—"
    return "\n".join(f"{key}: {readable(value)}" for key, value in sorted(settings.items(), key=lambda kv: str(kv[0])))
