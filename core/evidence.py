"""Helpers the checks share: dates, freshness, source strength, confidence.

Profile dates are ISO 8601 days (``2026-03-03``), months (``2026-03``) or
years (``2026``); a partial date is an interval with one meaning everywhere,
defined in core/dates.py (docs/methodology.md, "Dates").
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from . import dates
from .frozen import FrozenDict, FrozenList

#: How much a source of each kind counts towards confidence (docs/methodology.md).
SOURCE_KIND_WEIGHT: Mapping[str, float] = {
    "primary": 1.0,
    "analyst": 0.8,
    "news": 0.7,
    "self_reported": 0.5,
}
UNSOURCED_WEIGHT = 0.3

__all__ = ["SOURCE_KIND_WEIGHT", "UNSOURCED_WEIGHT", "add_months", "clamp", "confidence", "is_stale",
           "months_before", "parse_date", "source_strength", "within_months", "years_between"]


def parse_date(value: Any) -> dt.date | None:
    """The first day of a profile date (``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY``) or a date.

    A partial date is an interval (core/dates.py); this returns its first
    day, which is the conservative reading for the age of evidence. Checks
    that ask "did it happen in a window" or "how recent" use core/dates.py.
    Returns None for None or anything that is not such a date.
    """
    return dates.earliest_day(value)


def years_between(earlier: dt.date, later: dt.date) -> float:
    """Years (365.25 days) from ``earlier`` to ``later``."""
    return (later - earlier).days / 365.25


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months later (earlier when negative), clamped to month end.

    ``add_months(date(2026, 1, 31), 1)`` is 2026-02-28; ``add_months(date(2024, 3, 31), -1)``
    is 2024-02-29. ``day`` is a day: resolve a partial profile date first (:func:`parse_date`,
    or :mod:`vendordd.dates` for the reading a question needs), or use :func:`within_months`.
    """
    if type(day) is dt.date and type(months) is int:  # checks ask the same few (as-of, window) pairs
        key = (day, months)
        try:
            return _MONTHS_CACHE[key]
        except KeyError:
            if len(_MONTHS_CACHE) >= 4096:
                _MONTHS_CACHE.clear()
            found = _MONTHS_CACHE[key] = _add_months_plain(day, months)
            return found
    return _add_months_plain(day, months)


#: :func:`add_months`'s answers by (day, months); dates are immutable, so they are shared.
_MONTHS_CACHE: dict[tuple[dt.date, int], dt.date] = {}


def _add_months_plain(day: dt.date, months: int) -> dt.date:
    """:func:`add_months` without its cache (tests/test_assessment_fast_paths.py compares them)."""
    total = day.year * 12 + (day.month - 1) + months
    year, month = divmod(total, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months earlier (clamped to month end): ``add_months(day, -months)``."""
    return add_months(day, -months)


def within_months(value: Any, as_of: dt.date, months: int) -> bool:
    """True when the profile date ``value`` may fall in the ``months`` calendar months up to ``as_of``.

    The window is ``months_before(as_of, months)`` to ``as_of``, both days
    included. A partial date counts when any of its days is in the window
    (core/dates.py: "did it happen inside a window" is read conservatively
    for risk): ``"2025-11"`` is within 12 months of 2026-11-29 although
    1 November 2025 is not. None or a malformed date is never within.
    """
    return dates.overlaps(value, months_before(as_of, months), as_of)


def is_stale(fact_date: dt.date | None, as_of: dt.date, freshness_days: int) -> bool:
    """True when a dated fact is older than the freshness window."""
    return fact_date is not None and (as_of - fact_date).days > freshness_days


def source_strength(profile: Mapping[str, Any], source_ids: Iterable[str]) -> float:
    """The strength (0-1) of the best source cited, by its ``kind``.

    An uncited fact gets ``UNSOURCED_WEIGHT``; a cited source without a kind
    counts as news.
    """
    by_id = _sources_by_id(profile)
    best = 0.0
    for sid in source_ids or ():
        src = by_id.get(sid)
        if src is not None:
            best = max(best, SOURCE_KIND_WEIGHT.get(src.get("kind", "news"), 0.7))
    return best if best else UNSOURCED_WEIGHT


#: The last read-only sources list indexed by :func:`_sources_by_id`, and its index. The checks of
#: one vendor all read the same view (core/frozen.py), whose sources cannot change, so it is indexed
#: once per vendor instead of once per fact; the list is held, so its identity is not reused.
_LAST_INDEX: tuple[Any, dict[Any, Any]] = (object(), {})


def _sources_by_id(profile: Mapping[str, Any]) -> Mapping[Any, Any]:
    """The profile's sources by id (the later of two with one id wins), as :func:`_sources_by_id_plain`."""
    global _LAST_INDEX
    sources = profile.get("sources")
    held, index = _LAST_INDEX
    if held is sources:
        return index
    index = _sources_by_id_plain(profile)
    if type(sources) is FrozenList and all(type(src) is FrozenDict for src in sources):
        _LAST_INDEX = (sources, index)
    return index


def _sources_by_id_plain(profile: Mapping[str, Any]) -> dict[Any, Any]:
    """:func:`_sources_by_id`'s plain twin (tests/test_assessment_fast_paths.py)."""
    return {s.get("id"): s for s in profile.get("sources") or ()}


def confidence(completeness: float, facts: Iterable[tuple[dt.date | None, Iterable[str]]],
               profile: Mapping[str, Any], as_of: dt.date, freshness_days: int) -> float:
    """The confidence of a finding, 0-1, rounded to two places.

    ``completeness`` is the share (0-1) of the check's inputs the profile
    gave. ``facts`` are the (date, source ids) of the facts the check used.
    Confidence = completeness x mean source strength x freshness, where
    freshness is the share of dated facts inside the freshness window, floored
    at 0.5 so that old but well-sourced evidence still counts for something.
    With no facts at all, confidence is completeness x UNSOURCED_WEIGHT.

    Each fact's :func:`source_strength` is read from the profile's sources' weights by id
    (worked out once per read-only view, as the sources index is); :func:`_confidence_plain`
    calls it per fact and must give the same (tests/test_assessment_fast_paths.py).
    """
    facts = list(facts)
    if not facts:
        return round(max(0.0, min(1.0, completeness)) * UNSOURCED_WEIGHT, 2)
    weights = _source_weights(profile)
    if weights is None:
        return _confidence_plain(completeness, facts, profile, as_of, freshness_days)
    weight = weights.get
    strengths = []
    try:
        for _, ids in facts:
            best = 0.0
            for sid in ids or ():
                found = weight(sid)
                if found is not None and found > best:
                    best = found
            strengths.append(best if best else UNSOURCED_WEIGHT)
    except TypeError:  # an id that cannot be a key: the plain path fails where it always did
        return _confidence_plain(completeness, facts, profile, as_of, freshness_days)
    strength = sum(strengths) / len(facts)
    dated = [d for d, _ in facts if d is not None]
    fresh = 1.0
    if dated:
        fresh_share = sum(1 for d in dated if (as_of - d).days <= freshness_days) / len(dated)  # not is_stale
        fresh = max(0.5, fresh_share)
    value = max(0.0, min(1.0, completeness)) * strength * fresh
    return round(max(0.0, min(1.0, value)), 2)


def _confidence_plain(completeness: float, facts: Iterable[tuple[dt.date | None, Iterable[str]]],
                      profile: Mapping[str, Any], as_of: dt.date, freshness_days: int) -> float:
    """:func:`confidence`'s plain twin: :func:`source_strength` and :func:`is_stale` per fact."""
    facts = list(facts)
    if not facts:
        return round(max(0.0, min(1.0, completeness)) * UNSOURCED_WEIGHT, 2)
    strength = sum(source_strength(profile, ids) for _, ids in facts) / len(facts)
    dated = [d for d, _ in facts if d is not None]
    fresh = 1.0
    if dated:
        fresh_share = sum(1 for d in dated if not is_stale(d, as_of, freshness_days)) / len(dated)
        fresh = max(0.5, fresh_share)
    value = max(0.0, min(1.0, completeness)) * strength * fresh
    return round(max(0.0, min(1.0, value)), 2)


#: The last read-only sources list :func:`_source_weights` worked out, and its weights by id.
_LAST_WEIGHTS: tuple[Any, dict[Any, float]] = (object(), {})


def _source_weights(profile: Mapping[str, Any]) -> dict[Any, float] | None:
    """Each source id's weight as :func:`source_strength` counts it (the later of two sources
    with one id wins, as in the index), kept for the last read-only sources list; None when a
    source's id or kind cannot be a key (the plain path then decides)."""
    global _LAST_WEIGHTS
    sources = profile.get("sources")
    held, weights = _LAST_WEIGHTS
    if held is sources:
        return weights
    try:
        weights = {sid: SOURCE_KIND_WEIGHT.get(src.get("kind", "news"), 0.7)
                   for sid, src in _sources_by_id(profile).items()}
    except (TypeError, AttributeError):
        return None
    if type(sources) is FrozenList and all(type(src) is FrozenDict for src in sources):
        _LAST_WEIGHTS = (sources, weights)
    return weights


def clamp(value: float, low: float = 0.0, high: float = 100.0) -> float:
    """``value`` limited to [low, high]."""
    return max(low, min(high, value))
