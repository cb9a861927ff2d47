"""Verdicts in words, light enough for the command line (no openpyxl): labels, order, the tally."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

#: Verdicts from the most to the least severe.
VERDICT_ORDER = ("reject", "escalate", "needs_evidence", "approve_with_conditions", "approve")


def verdict_label(recommendation: Any) -> str:
    """``approve_with_conditions`` -> "Approve with conditions"; none -> "No verdict"."""
    if not recommendation:
        return "No verdict"
    text = str(recommendation).replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def verdict_counts(vendors: Iterable[Mapping[str, Any]]) -> list[tuple[str, int]]:
    """(recommendation, count) for each verdict present, most severe first."""
    counts: dict[str, int] = {}
    for vendor in vendors:
        overall = vendor.get("overall")
        rec = str(overall.get("recommendation") or "") if isinstance(overall, Mapping) else ""
        counts[rec] = counts.get(rec, 0) + 1
    order = [*VERDICT_ORDER, *sorted(k for k in counts if k not in VERDICT_ORDER)]
    return [(rec, counts[rec]) for rec in order if rec in counts]


def tally(vendors: Iterable[Mapping[str, Any]]) -> str:
    """"10 vendors: 2 reject, 4 escalate, 1 approve with conditions, 3 approve"."""
    counts = verdict_counts(vendors)
    n = sum(count for _rec, count in counts)
    parts = [f"{count} {verdict_label(rec).lower() if rec else 'without a verdict'}" for rec, count in counts]
    head = f"{n} vendor{'s' if n != 1 else ''}"
    return f"{head}: {', '.join(parts)}" if parts else head
