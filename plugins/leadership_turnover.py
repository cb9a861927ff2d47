"""Leadership turnover: key-person risk from departures, clusters and restructuring.

Method (docs/methodology/leadership_turnover.md is the full text; this code
does exactly what it says). The score starts at 100 and loses points for:

1. departures of key people in the trailing window, weighted by seniority;
2. the turnover rate (departures / key people in post at the window's start);
3. a cluster ("exodus"): ``cluster_min`` or more departures within
   ``cluster_days`` days;
4. restructuring-type events in the window;
5. areas whose lead left in the window with no key person of that area in post;
6. a short mean tenure among the key people still in post.

Components 1, 2, 3 and 5 all derive from the same departures, so together
they take at most ``departure_derived_cap`` points; a ``departure_wave`` or
``leadership_change`` event within ``cluster_days`` of a counted departure
describes it and is not counted again. Departures in the ``fade_months``
before the window count with a weight falling linearly to 0 (no cliff at
the window's edge). Partial dates are intervals (core/dates.py): a
departure counts in the window when its interval overlaps it, read at its
latest possible day, and the rationale says so. Fewer than
``min_sourced_key_people`` key people citing a source is insufficient data.

The result is clamped to 0-100. A cluster also floors the rating at
``exodus_rating`` (default ``high``), a hard rule the score bands cannot soften.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from vendordd import Check, CheckContext, Finding, dates, hookimpl
from vendordd.evidence import clamp, confidence, months_before, parse_date, years_between
from vendordd.model import RATINGS
from vendordd.settings import schema_for_defaults

DEFAULTS: dict[str, Any] = {
    "window_months": 12,
    "fade_months": 6,
    "min_sourced_key_people": 3,
    "departure_derived_cap": 60.0,
    "departure_event_types": ["departure_wave", "leadership_change"],
    "context_months": 36,
    "seniority_weights": {"c_level": 1.0, "lead": 0.7, "senior": 0.4},
    "unknown_seniority_weight": 0.4,
    "points_per_weighted_departure": 18.0,
    "departure_points_cap": 54.0,
    # [rate at or above, points]; the highest band reached applies.
    "turnover_bands": [[0.10, 5.0], [0.25, 12.0], [0.50, 20.0]],
    "cluster_days": 90,
    "cluster_min": 3,
    "cluster_points": 15.0,
    "exodus_rating": "high",
    "event_types": ["restructuring", "leadership_change", "departure_wave", "layoff"],
    "points_per_event": 8.0,
    "event_points_cap": 16.0,
    "orphan_seniorities": ["lead", "c_level"],
    "points_per_orphaned_area": 10.0,
    "orphan_points_cap": 20.0,
    # [mean tenure in years below, points]; the highest band reached applies.
    "tenure_bands": [[2.0, 5.0], [1.0, 10.0]],
}


@dataclass(slots=True)
class Person:
    """A key person as of the assessment date (a later ``left`` is already dropped).

    Made by :func:`read_people` and only read after. Not a frozen dataclass, nor is
    :class:`Event`: a frozen one's ``__init__`` sets each field through ``object.__setattr__``,
    about three times the cost, paid for every key person of every vendor.
    """

    name: str
    role: str
    area: str | None
    seniority: str | None
    joined: dt.date | None
    left: dt.date | None
    sources: tuple[str, ...]
    partial: tuple[str, ...] = ()
    certainty: str = "confirmed"

    def in_post(self, day: dt.date) -> bool:
        """True when the person had joined by ``day`` (or joined unknown) and had not left before it."""
        return (self.joined is None or self.joined <= day) and (self.left is None or self.left >= day)

    def as_fact(self) -> dict[str, Any]:
        return {"name": self.name, "role": self.role, "area": self.area,
                "seniority": self.seniority,
                "joined": self.joined.isoformat() if self.joined else None,
                "left": self.left.isoformat() if self.left else None}


@dataclass(slots=True)
class Event:
    """A leadership event dated on or before the assessment date."""

    date: dt.date
    type: str
    summary: str
    sources: tuple[str, ...]

    def as_fact(self) -> dict[str, Any]:
        return {"date": self.date.isoformat(), "type": self.type, "summary": self.summary}


# -- reading the profile -------------------------------------------------------

def read_people(raw: Iterable[Mapping[str, Any]], as_of: dt.date) -> tuple[list[Person], int]:
    """The key people as of ``as_of`` and how many facts dated after it were left out.

    A person who joined after ``as_of`` is left out; a departure dated after
    ``as_of`` is dropped (the person was still in post on that date).
    The words for partial dates are made only for a person with one (most dates are days);
    :func:`_read_people_plain` makes them for everyone and must give the same
    (tests/test_assessment_fast_paths.py).
    """
    people: list[Person] = []
    future = 0
    parse = dates.parse
    for item in raw:
        get = item.get
        # each date read once (dates.parse), then as dates.is_after and dates.latest_day read it
        joined_iv = parse(get("joined"))
        if joined_iv is not None and joined_iv.start > as_of:
            future += 1
            continue
        # conservative readings of partial dates: the latest possible day (not after as_of)
        # for a departure (recent) and for a start (shorter tenure)
        left_iv = parse(get("left"))
        joined = joined_iv.latest_by(as_of) if joined_iv is not None else None
        left = left_iv.latest_by(as_of) if left_iv is not None else None
        if left_iv is not None and left_iv.start > as_of:
            future += 1
            left = None
        partial: tuple[str, ...] = ()
        if ((joined_iv is not None and joined_iv.precision != "day")
                or (left is not None and left_iv is not None and left_iv.precision != "day")):
            partial = tuple(f"{key} {dates.describe(item[key])}"
                            for key, iv, day in (("joined", joined_iv, joined), ("left", left_iv, left))
                            if day is not None and iv is not None and iv.partial)
        people.append(Person(name=str(get("name", "?")), role=str(get("role", "")),
                             area=get("area") or None, seniority=get("seniority") or None,
                             joined=joined, left=left, sources=tuple(get("sources") or ()),
                             partial=partial, certainty=str(get("certainty") or "confirmed")))
    return people, future


def _read_people_plain(raw: Iterable[Mapping[str, Any]], as_of: dt.date) -> tuple[list[Person], int]:
    """:func:`read_people`'s plain twin: the partial-date words looked for in every person."""
    people: list[Person] = []
    future = 0
    for item in raw:
        joined_iv = dates.parse(item.get("joined"))
        if joined_iv is not None and joined_iv.start > as_of:
            future += 1
            continue
        left_iv = dates.parse(item.get("left"))
        joined = joined_iv.latest_by(as_of) if joined_iv is not None else None
        left = left_iv.latest_by(as_of) if left_iv is not None else None
        if left_iv is not None and left_iv.start > as_of:
            future += 1
            left = None
        partial = tuple(f"{key} {dates.describe(item[key])}"
                        for key, iv, day in (("joined", joined_iv, joined), ("left", left_iv, left))
                        if day is not None and iv is not None and iv.partial)
        people.append(Person(name=str(item.get("name", "?")), role=str(item.get("role", "")),
                             area=item.get("area") or None, seniority=item.get("seniority") or None,
                             joined=joined, left=left, sources=tuple(item.get("sources") or ()),
                             partial=partial, certainty=str(item.get("certainty") or "confirmed")))
    return people, future


def read_events(raw: Iterable[Mapping[str, Any]], as_of: dt.date) -> tuple[list[Event], int]:
    """Dated events on or before ``as_of`` (oldest first), and how many were dated after it."""
    events: list[Event] = []
    future = 0
    for item in raw:
        iv = dates.parse(item.get("date"))  # read once, then as dates.latest_day and dates.is_after read it
        if iv is None:
            continue
        if iv.start > as_of:
            future += 1
            continue
        day = iv.latest_by(as_of)
        events.append(Event(date=day, type=str(item.get("type", "")),
                            summary=str(item.get("summary", "")),
                            sources=tuple(item.get("sources") or ())))
    events.sort(key=lambda e: (e.date, e.type))
    return events, future


# -- the measures --------------------------------------------------------------

def departures_between(people: Iterable[Person], start: dt.date, end: dt.date) -> list[Person]:
    """People who left on a day in [start, end], oldest departure first."""
    out = [p for p in people if p.left is not None and start <= p.left <= end]
    return sorted(out, key=lambda p: (p.left, p.name))


def roster_at(people: Iterable[Person], day: dt.date) -> list[Person]:
    """Key people in post on ``day``: joined on or before it (or unknown), not left before it."""
    return [p for p in people if p.in_post(day)]


def current_people(people: Iterable[Person]) -> list[Person]:
    """Key people still in post on the assessment date (no departure on or before it)."""
    return [p for p in people if p.left is None]


def largest_cluster(dates: Sequence[dt.date], span_days: int) -> tuple[int, dt.date | None, dt.date | None]:
    """The most departures whose first and last fall at most ``span_days`` days apart.

    Returns (count, first date, last date); (0, None, None) for no dates.
    """
    ordered = sorted(dates)
    best: tuple[int, dt.date | None, dt.date | None] = (0, None, None)
    lo = 0
    for hi, day in enumerate(ordered):
        while (day - ordered[lo]).days > span_days:
            lo += 1
        if hi - lo + 1 > best[0]:
            best = (hi - lo + 1, ordered[lo], day)
    return best


def orphaned_areas(departed: Iterable[Person], current: Iterable[Person],
                   seniorities: Iterable[str]) -> list[str]:
    """Areas whose lead-level person left with no key person of that area still in post."""
    staffed = {p.area for p in current if p.area}
    senior = set(seniorities)
    return sorted({p.area for p in departed
                   if p.area and p.seniority in senior and p.area not in staffed})


def mean_tenure_years(current: Iterable[Person], as_of: dt.date) -> tuple[float | None, int]:
    """Mean years in post of current key people with a known join date, and how many had one."""
    tenures = [years_between(p.joined, as_of) for p in current if p.joined is not None]
    if not tenures:
        return None, 0
    return sum(tenures) / len(tenures), len(tenures)


def band_points(value: float | None, bands: Iterable[Sequence[float]], *, below: bool = False) -> float:
    """The points of the highest band ``value`` reaches (0 for None or no band).

    A band is ``[bound, points]``; ``value`` reaches it at ``value >= bound``,
    or at ``value < bound`` with ``below=True``.
    """
    if value is None:
        return 0.0
    hits = [float(points) for bound, points in bands
            if (value < bound if below else value >= bound)]
    return max(hits, default=0.0)


# -- the check -------------------------------------------------------------------

def _settings(ctx: CheckContext) -> dict[str, Any]:
    merged = {**DEFAULTS, **dict(ctx.settings)}
    merged["seniority_weights"] = {**DEFAULTS["seniority_weights"],
                                   **dict(ctx.settings.get("seniority_weights") or {})}
    return merged


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def _fmt(x: float) -> str:
    return f"{x:g}" if x == int(x) else f"{x:.2f}".rstrip("0")


def _and(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _unique(ids: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(i for i in ids if i))


@dataclass(frozen=True)
class Measures:
    """What the check measured, before any points."""

    as_of: dt.date
    window_start: dt.date
    departed: list[Person]
    earlier: list[Person]
    roster: list[Person]
    current: list[Person]
    weighted: float
    rate: float
    cluster: tuple[int, dt.date | None, dt.date | None]
    exodus: bool
    events: list[Event]
    described: list[Event]
    faded: list[tuple[Person, float]]
    orphans: list[str]
    tenure: float | None
    tenure_n: int


def measure(people: Sequence[Person], events: Sequence[Event], as_of: dt.date,
            s: Mapping[str, Any]) -> Measures:
    """Every measure of the method (docs/methodology/leadership_turnover.md, Definitions)."""
    window_start = months_before(as_of, int(s["window_months"]))
    context_start = months_before(window_start, int(s["context_months"]))
    weights, unknown_weight = s["seniority_weights"], float(s["unknown_seniority_weight"])
    departed = departures_between(people, window_start, as_of)
    roster = roster_at(people, window_start)
    current = current_people(people)
    cluster = largest_cluster([p.left for p in departed if p.left is not None], int(s["cluster_days"]))
    tenure, tenure_n = mean_tenure_years(current, as_of)
    fade_days = (window_start - months_before(window_start, int(s["fade_months"]))).days
    faded = []
    for p in departures_between(people, window_start - dt.timedelta(days=fade_days),
                                window_start - dt.timedelta(days=1)) if fade_days > 0 else []:
        if p.left is not None:  # always, for a departure
            faded.append((p, round(1 - (window_start - p.left).days / fade_days, 3)))
    in_window = [e for e in events if e.date >= window_start and e.type in set(s["event_types"])]
    span = int(s["cluster_days"])
    describing = set(s["departure_event_types"])
    described = [e for e in in_window if e.type in describing
                 and any(abs((e.date - p.left).days) <= span for p in departed if p.left)]
    return Measures(
        as_of=as_of, window_start=window_start, departed=departed,
        earlier=departures_between(people, context_start, window_start - dt.timedelta(days=1)),
        roster=roster, current=current,
        weighted=sum(float(weights.get(p.seniority, unknown_weight)) for p in departed)
        + sum(float(weights.get(p.seniority, unknown_weight)) * f for p, f in faded),
        rate=len(departed) / max(len(roster), 1),
        cluster=cluster, exodus=cluster[0] >= int(s["cluster_min"]),
        events=[e for e in in_window if e not in described], described=described, faded=faded,
        orphans=orphaned_areas(departed, current, s["orphan_seniorities"]),
        tenure=tenure, tenure_n=tenure_n)


def deductions(m: Measures, s: Mapping[str, Any]) -> dict[str, float]:
    """The points each component would take off 100 before the joint cap (see :func:`capped`)."""
    d = {
        "departures": min(m.weighted * float(s["points_per_weighted_departure"]),
                          float(s["departure_points_cap"])),
        "turnover": band_points(m.rate, s["turnover_bands"]),
        "cluster": float(s["cluster_points"]) if m.exodus else 0.0,
        "events": min(len(m.events) * float(s["points_per_event"]), float(s["event_points_cap"])),
        "orphaned_areas": min(len(m.orphans) * float(s["points_per_orphaned_area"]),
                              float(s["orphan_points_cap"])),
        "tenure": band_points(m.tenure, s["tenure_bands"], below=True),
    }
    return d


DERIVED = ("departures", "turnover", "cluster", "orphaned_areas")


def capped(raw: Mapping[str, float], s: Mapping[str, Any]) -> dict[str, float]:
    """``raw`` with the departure-derived components scaled so their sum is at most the joint cap."""
    total = sum(raw[k] for k in DERIVED)
    cap = float(s["departure_derived_cap"])
    scale = cap / total if total > cap else 1.0
    return {k: (v * scale if k in DERIVED else v) for k, v in raw.items()}


def rationale_lines(m: Measures, d: Mapping[str, float], final: Mapping[str, float], score: float,
                    s: Mapping[str, Any]) -> list[str]:
    """One line per component, with its arithmetic, then the total and the context."""
    wm = int(s["window_months"])
    n_cluster, first, last = m.cluster
    raw_derived = sum(d[k] for k in DERIVED)
    cap = float(s["departure_derived_cap"])
    extra = [f"Departure-derived deductions (departures, turnover, cluster, orphaned areas) together: "
             f"{_fmt(round(raw_derived, 2))}" + (f", limited to {_fmt(cap)} (one set of departures, counted once)"
                                                  if raw_derived > cap else f" (cap {_fmt(cap)})")
             + f" → −{_fmt(round(sum(final[k] for k in DERIVED), 2))}"]
    partial = [f"{p.name}: {', '.join(p.partial)}" for p in [*m.departed, *(q for q, _ in m.faded)]
               if any(x.startswith("left") for x in p.partial)]
    if partial:
        extra.append("Partial dates read conservatively (a departure counts when its interval overlaps "
                     "the window, at its latest possible day): " + "; ".join(partial) + ".")
    unconfirmed = _unconfirmed(m)
    if unconfirmed:
        extra.append("Not confirmed, counted in full (for risk, a reported departure counts until it is "
                     "disproved): " + "; ".join(f"{p.name} ({p.certainty})" for p in unconfirmed) + ".")
    if m.faded:
        extra.append(f"Fading departures (in the {s['fade_months']} months before the window, weight "
                     "falling linearly to 0): " + ", ".join(f"{p.name} ({p.left}) × {f:g}"
                                                           for p, f in m.faded) + ".")
    if m.described:
        extra.append(f"Not counted again: {_plural(len(m.described), 'event')} describing departures "
                     "already counted (" + ", ".join(f"{e.type} {e.date.isoformat()}" for e in m.described)
                     + f", within {s['cluster_days']} days of a counted departure).")
    lines = [
        f"Window: {m.window_start.isoformat()} to {m.as_of.isoformat()} ({wm} months).",
        f"Departures in window: {len(m.departed)} weighted {_fmt(round(m.weighted, 2))} "
        f"× {_fmt(float(s['points_per_weighted_departure']))} (cap {_fmt(float(s['departure_points_cap']))})"
        f" → −{_fmt(round(d['departures'], 2))}",
        f"Turnover rate: {len(m.departed)} / {len(m.roster)} in post at window start = {m.rate:.2f}"
        f" → −{_fmt(d['turnover'])}",
        (f"Cluster: {n_cluster} departures between {first} and {last} "
         f"(≥ {s['cluster_min']} within {s['cluster_days']} days = exodus) → −{_fmt(d['cluster'])}")
        if m.exodus else
        f"Cluster: largest group {n_cluster} within {s['cluster_days']} days (< {s['cluster_min']}) → −0",
        f"Restructuring-type events in window: {len(m.events)} × {_fmt(float(s['points_per_event']))}"
        f" (cap {_fmt(float(s['event_points_cap']))}) → −{_fmt(d['events'])}",
        f"Areas left without a lead: {len(m.orphans)}"
        f"{' (' + ', '.join(m.orphans) + ')' if m.orphans else ''} × "
        f"{_fmt(float(s['points_per_orphaned_area']))} (cap {_fmt(float(s['orphan_points_cap']))})"
        f" → −{_fmt(d['orphaned_areas'])}",
        (f"Mean tenure of {_plural(m.tenure_n, 'current key person', 'current key people')} "
         f"with a known start: {m.tenure:.2f} years → −{_fmt(d['tenure'])}") if m.tenure is not None else
        "Mean tenure: no current key person with a known start date → not scored (−0)",
        *extra[1:], extra[0],
        f"Score: 100 − {_fmt(round(sum(final.values()), 2))} = {_fmt(score)} (clamped to 0-100)",
        f"Context, not scored: {_plural(len(m.earlier), 'key departure')} in the "
        f"{int(s['context_months'])} months before the window.",
    ]
    return lines


def assess(profile: Mapping[str, Any], ctx: CheckContext) -> Finding:
    """Score key-person risk (100 = no sign of it) from ``leadership`` in the profile."""
    s = _settings(ctx)
    leadership = profile.get("leadership") or {}
    raw_people = leadership.get("key_people") or []
    if not raw_people:
        return Finding.insufficient(
            "No key people recorded: key-person risk cannot be assessed.",
            rationale=["The profile has no leadership.key_people."],
            recommendations=["Ask the vendor for its key technical and executive leaders "
                             "(name, role, area, start date) and record them in the profile."])
    as_of = ctx.as_of
    people, future_people = read_people(raw_people, as_of)
    events, future_events = read_events(leadership.get("events") or [], as_of)
    if not people:
        return Finding.insufficient(
            "Every key person on record joined after the as-of date.",
            rationale=[f"{_plural(future_people, 'key person', 'key people')} dated after "
                       f"{as_of.isoformat()} left out."])

    sourced = [p for p in people if p.sources]
    minimum = int(s["min_sourced_key_people"])
    if len(sourced) < minimum:
        return Finding.insufficient(
            f"Only {_plural(len(sourced), 'key person', 'key people')} with a source (minimum {minimum}): "
            "too few to measure key-person risk.",
            rationale=[f"{len(people)} key people recorded, {len(sourced)} citing a source; the policy's "
                       f"minimum is {minimum} (setting min_sourced_key_people). A short roster is not a "
                       "stable one: it is missing evidence."],
            recommendations=["Record the vendor's key technical and executive leaders (at least "
                             f"{minimum}, each with a source: name, role, area, start date)."])
    m = measure(people, events, as_of, s)
    raw = deductions(m, s)
    d = capped(raw, s)
    total = sum(d.values())
    score = round(clamp(100.0 - total), 1)
    rationale = rationale_lines(m, raw, d, score, s)
    future = future_people + future_events
    if future:
        rationale.append(f"{_plural(future, 'fact')} dated after the as-of date "
                         f"{'was' if future == 1 else 'were'} left out.")
    rating = None
    if m.exodus and s.get("exodus_rating") in RATINGS:
        rating = s["exodus_rating"]
        rationale.append(f"Hard rule: an exodus cluster rates this check at least {rating}.")

    completeness = _completeness(people, "events" in leadership, s["seniority_weights"])
    profile_date = parse_date(profile.get("profile_date"))
    facts_used = ([(p.left, p.sources) for p in m.departed]
                  + [(e.date, e.sources) for e in m.events]
                  + [(profile_date, p.sources) for p in m.current])
    conf = confidence(completeness, facts_used, profile, as_of, int(ctx.policy.get("freshness_days", 365)))

    metrics = {
        "window_start": m.window_start.isoformat(),
        "departures_in_window": len(m.departed),
        "weighted_departures": round(m.weighted, 3),
        "key_people_at_window_start": len(m.roster),
        "key_people_current": len(m.current),
        "turnover_rate": round(m.rate, 3),
        "largest_cluster": m.cluster[0],
        "exodus": m.exodus,
        "restructuring_events_in_window": len(m.events),
        "events_describing_counted_departures": len(m.described),
        "fading_departures": len(m.faded),
        "orphaned_areas": len(m.orphans),
        "mean_tenure_years": None if m.tenure is None else round(m.tenure, 2),
        "departures_before_window": len(m.earlier),
        "facts_after_as_of": future,
        "completeness": round(completeness, 2),
        **{f"deduction_{k}": round(v, 2) for k, v in d.items()},
        "deductions_total": round(total, 2),
    }
    facts = {
        "departures": [p.as_fact() for p in m.departed],
        "departures_before_window": [p.as_fact() for p in m.earlier],
        "events": [e.as_fact() for e in m.events],
        "orphaned_areas": m.orphans,
        "current": sorted(p.name for p in m.current),
    }
    sources = _unique([i for p in [*m.departed, *m.current] for i in p.sources]
                      + [i for e in m.events for i in e.sources])
    return Finding(status="ok", score=score, rating=rating, confidence=conf,
                   summary=_summary(m, int(s["window_months"]), score),
                   rationale=rationale, metrics=metrics, sources=sources,
                   recommendations=_recommendations(m, d["tenure"], conf), facts=facts)


def _completeness(people: Sequence[Person], events_given: bool, weights: Mapping[str, Any]) -> float:
    """Mean of: events recorded (1/0), share with a start date, share with seniority and area."""
    joined_share = sum(1 for p in people if p.joined is not None) / len(people)
    classified = sum(1 for p in people if p.seniority in weights and p.area) / len(people)
    return (float(events_given) + joined_share + classified) / 3


def _summary(m: Measures, window_months: int, score: float) -> str:
    if not m.departed and not m.events:
        return f"No key departures or restructuring in the last {window_months} months (score {_fmt(score)})."
    parts = [f"{_plural(len(m.departed), 'key departure')} in {window_months} months "
             f"(weighted {_fmt(round(m.weighted, 2))})" if m.departed
             else f"no key departures in {window_months} months"]
    if m.exodus:
        parts.append(f"{m.cluster[0]} of them in one cluster")
    if m.orphans:
        parts.append(f"no lead in post for {_and(m.orphans)}")
    if m.events:
        parts.append(_plural(len(m.events), "restructuring-type event"))
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + f" (score {_fmt(score)})."


def _unconfirmed(m: Measures) -> list[Person]:
    """Counted departures (in the window or fading) whose fact is reported or unconfirmed."""
    return [p for p in [*m.departed, *(q for q, _ in m.faded)] if p.certainty != "confirmed"]


def _recommendations(m: Measures, d_tenure: float, conf: float) -> list[str]:
    out: list[str] = []
    if m.orphans:
        out.append(f"Ask the vendor in writing who now leads {_and(m.orphans)}, and for its "
                   "succession plan; make named-successor notice a contract condition.")
    if m.exodus:
        out.append("Treat the cluster of departures as an exodus signal: keep a tested fallback "
                   "provider for this workload (NIST AI RMF GOVERN 6.2) and re-assess in 3 months.")
    elif m.departed:
        out.append("Ask the vendor how the departed leaders' responsibilities were handed over.")
    unconfirmed = [p.name for p in _unconfirmed(m)]
    if unconfirmed:
        out.append(f"Confirm with the vendor whether {_and(unconfirmed)} left: the departure is reported, "
                   "not confirmed, and counts in full until it is disproved.")
    if m.events:
        out.append("Ask how the restructuring changes the roadmap, release cadence and support "
                   "commitments for the models you use.")
    if d_tenure:
        out.append(f"Current leaders average {m.tenure:.2f} years in post: watch the next releases "
                   "for continuity before deepening the dependency.")
    if conf < 0.5:
        out.append("Evidence is thin or stale: confirm the key-people list with the vendor or "
                   "recent primary sources.")
    if not out:
        out.append("No action needed now; re-check leadership news at the next review.")
    return out


CHECK = Check(
    id="leadership_turnover",
    title="Leadership turnover (key-person risk)",
    category="leadership",
    run=assess,
    version="1.0",
    weight=1.0,
    needs=("/leadership/key_people", "/leadership/events", "/profile_date"),
    defaults=DEFAULTS,
    settings_schema=schema_for_defaults(DEFAULTS),
    doc=("Starts at 100 and deducts points for key departures in the trailing window "
         "(weighted by seniority), the turnover rate, a cluster of departures (exodus), "
         "restructuring-type events, areas left without a lead, and a short mean tenure of "
         "those in post; an exodus floors the rating at high. "
         "See docs/methodology/leadership_turnover.md."),
)


@hookimpl
def register_checks(register):
    register(CHECK)
