"""Profile dates with one meaning for day, month and year precision.

A profile date is ``YYYY-MM-DD`` (a day), ``YYYY-MM`` (a month) or ``YYYY``
(a year). A partial date is an **interval**: ``2025-11`` is every day from
1 to 30 November 2025, ``2025`` every day of 2025. Nothing in vendordd reads
a partial date as its first day.

Checks resolve an interval **conservatively for risk**, and say so:

- *Did it happen inside a window?* It counts when the interval overlaps the
  window (:func:`overlaps`): a departure reported "2025-11" is inside a
  12-month window ending 2026-11-29 even though 1 November is not.
- *How long ago did a risk event happen?* The most recent possible day
  (:func:`latest_day`, clamped to the as-of date): recent events weigh more.
- *How old is the evidence?* The earliest possible day (:func:`earliest_day`):
  evidence is at least that old, so staleness is never understated.
- *When does something expire or shut down?* The earliest possible day
  (:func:`expiry_day`, :func:`expires_first`): a retirement "2026-06" may
  happen on 1 June, so notice periods are measured to that day.
- *Is a fact after the as-of date?* Only when the whole interval is after it
  (:func:`is_after`): a fact that may already have happened is kept.

:func:`describe` gives the words a rationale uses to say how a partial date
was read.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Literal

Precision = Literal["day", "month", "year"]

#: The text forms a profile date may take (the schema's pattern, the format checker's rule).
DATE_PATTERN = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"
_FORM = re.compile(DATE_PATTERN)


@dataclass(frozen=True)
class DateInterval:
    """The days a profile date may mean: ``start`` to ``end``, both included."""

    text: str
    start: dt.date
    end: dt.date
    precision: Precision

    @property
    def partial(self) -> bool:
        """True for a month or a year (more than one possible day)."""
        return self.precision != "day"

    def overlaps(self, first: dt.date, last: dt.date) -> bool:
        """True when any day of this interval is in [first, last]."""
        return self.start <= last and self.end >= first

    def latest_by(self, as_of: dt.date) -> dt.date:
        """The most recent day this may be, not after ``as_of`` (if it can be)."""
        if self.start <= as_of < self.end:
            return as_of
        return self.end


#: :func:`parse`'s answers for text, by the text (intervals are immutable, so they are shared).
#: Profiles repeat few distinct dates; the cache is emptied when it reaches :data:`_CACHE_SIZE`.
_CACHE: dict[str, DateInterval | None] = {}
_CACHE_SIZE = 8192


def parse(value: Any) -> DateInterval | None:
    """The interval a profile date means, or None when ``value`` is not one.

    Accepts ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` text, a ``datetime.date``
    (a day) and a ``datetime.datetime`` (its day). None, malformed text and
    impossible days (2025-02-30) give None: the schema has already refused
    malformed dates, so None means "not given".

    Text is answered from a bounded cache of :func:`_parse_plain`'s answers
    (tests/test_assessment_fast_paths.py compares the two).
    """
    if type(value) is str:
        try:
            return _CACHE[value]
        except KeyError:
            if len(_CACHE) >= _CACHE_SIZE:
                _CACHE.clear()
            found = _CACHE[value] = _parse_plain(value)
            return found
    return _parse_plain(value)


def _parse_plain(value: Any) -> DateInterval | None:
    """:func:`parse` without its cache: the reference it must equal."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        day = value.date()
        return DateInterval(day.isoformat(), day, day, "day")
    if isinstance(value, dt.date):
        return DateInterval(value.isoformat(), value, value, "day")
    if not isinstance(value, str) or not _FORM.match(value):
        return None
    try:
        year = int(value[:4])
        if len(value) == 4:
            return DateInterval(value, dt.date(year, 1, 1), dt.date(year, 12, 31), "year")
        month = int(value[5:7])
        if len(value) == 7:
            last = calendar.monthrange(year, month)[1]
            return DateInterval(value, dt.date(year, month, 1), dt.date(year, month, last), "month")
        day = dt.date(year, month, int(value[8:10]))
    except ValueError:
        return None
    return DateInterval(value, day, day, "day")


def is_valid(value: str) -> bool:
    """True when ``value`` is a well-formed profile date (used by the schema's format check)."""
    return parse(value) is not None


def earliest_day(value: Any) -> dt.date | None:
    """The first day ``value`` may mean (for the age of evidence: never understated)."""
    iv = parse(value)
    return iv.start if iv else None


def latest_day(value: Any, as_of: dt.date | None = None) -> dt.date | None:
    """The last day ``value`` may mean, not after ``as_of`` when given and possible.

    For "how recent was this risk event": a month that contains the as-of
    date resolves to the as-of date itself.
    """
    iv = parse(value)
    if iv is None:
        return None
    return iv.latest_by(as_of) if as_of is not None else iv.end


def overlaps(value: Any, first: dt.date, last: dt.date) -> bool:
    """True when ``value``'s interval overlaps [first, last] (it counts, conservatively)."""
    iv = parse(value)
    return iv is not None and iv.overlaps(first, last)


def is_after(value: Any, as_of: dt.date) -> bool:
    """True only when every day ``value`` may mean is after ``as_of``."""
    iv = parse(value)
    return iv is not None and iv.start > as_of


def days_since(value: Any, as_of: dt.date) -> int | None:
    """Days from the most recent day ``value`` may mean to ``as_of`` (0 or more)."""
    day = latest_day(value, as_of)
    return None if day is None else max(0, (as_of - day).days)


def age_days(value: Any, as_of: dt.date) -> int | None:
    """Days from the earliest day ``value`` may mean to ``as_of`` (the evidence's age)."""
    day = earliest_day(value)
    return None if day is None else (as_of - day).days


def expiry_day(value: Any) -> dt.date | None:
    """The day something dated ``value`` may first expire or shut down: its first day."""
    return earliest_day(value)


def expires_first(a: Any, b: Any) -> Any:
    """Of two expiry dates, the one that may come first (ties: the more precise one).

    None (unknown) loses to any known date.
    """
    ia, ib = parse(a), parse(b)
    if ia is None:
        return b
    if ib is None:
        return a
    if ia.start != ib.start:
        return a if ia.start < ib.start else b
    return a if ia.end <= ib.end else b


def describe(value: Any) -> str:
    """How a date was read, for a rationale: '2025-11 (a month: 2025-11-01 to 2025-11-30)'."""
    iv = parse(value)
    if iv is None:
        return str(value)
    if not iv.partial:
        return iv.text
    return f"{iv.text} (a {iv.precision}: {iv.start.isoformat()} to {iv.end.isoformat()})"
