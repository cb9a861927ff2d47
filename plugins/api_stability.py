"""API and model-lifecycle stability: how much notice a vendor gives before a model you use goes away.

Method (docs/methodology/api_stability.md is the full text; this code does
exactly what it says). Input: the profile's ``api_lifecycle`` section (the
published deprecation policy, retirements with their announcement and
shutdown dates, pinned snapshots, the SLA, breaking changes).

1. Retirements counted: announced on or before the as-of date (when the
   announcement date is unknown: shut down on or before it) and still serving
   at some point inside the trailing window (``window_months``, 24).
   Notice = shutdown - announcement, read conservatively for a partial date
   (the latest day the announcement may have been, the earliest day the
   shutdown may have been). A retirement whose notice is unknown is counted
   at the vendor's promised notice for its kind, when it promises one.
2. Six components, each 0-100: the promised notice (the policy's
   ``min_notice_days`` for generally available models), the shortest and the
   median notice given in the window for scored kinds (``ga``, ``endpoint``),
   pinned snapshots, the SLA, breaking changes in the window. A notice scores
   on a piecewise-linear curve through (0, 0), (``abrupt_notice_days``, 25),
   (``short_notice_days``, 50), (``min_notice_days``, 75) and
   (``target_notice_days``, 100).
3. A commitment the buyer cannot see counts as absent (fail closed): no
   published policy, no minimum in it, or none recorded scores 0 for the
   promise; pinned snapshots or an SLA not recorded score 0. Events are
   judged on what is recorded: a breaking-change history not recorded is
   left out (its weight drops out) and lowers the confidence.
   With no retirement in the window the promised notice stands in for the
   notice given: retiring nothing is judged by the promise.
4. Score = weighted mean of the components (a reported or unconfirmed
   breaking change costs ``uncertain_factor`` of its points) - ``broken_promise_points`` per
   retirement with less notice than the vendor's own policy promised for its
   kind (even on the longest reading of its dates), half that for a reported
   or unconfirmed one, capped at ``broken_promise_cap``.
5. Rating at least ``abrupt_rating`` (high) when a scored retirement in the
   window gave less than ``abrupt_notice_days`` of known notice; at least
   ``broken_promise_rating`` (medium) for a confirmed broken promise.

``insufficient_data`` when the profile has no ``api_lifecycle``, or when
there is no evidence of notice at all: no published minimum notice and no
retirement in the window with a known notice. A vendor that never published
anything is therefore never scored better than one that retires often with
long notice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from vendordd import Check, CheckContext, Finding, dates, hookimpl
from vendordd.evidence import clamp, confidence, months_before
from vendordd.model import worst
from vendordd.settings import schema_for_defaults

DEFAULTS: dict[str, Any] = {
    "window_months": 24,
    "abrupt_notice_days": 30,
    "short_notice_days": 90,
    # The buyer's minimum for a generally available model: enterprise practice is 6-12 months.
    "min_notice_days": 180,
    "target_notice_days": 365,
    "weights": {"promised_notice": 0.25, "shortest_notice": 0.20, "median_notice": 0.20,
                "pinned_snapshots": 0.15, "sla": 0.10, "breaking_changes": 0.10},
    "scored_kinds": ["ga", "endpoint"],
    "sla_full_pct": 99.9,
    "sla_partial_pct": 99.0,
    "sla_partial_score": 50.0,
    "points_per_breaking_change": 25.0,
    "broken_promise_points": 15.0,
    "uncertain_factor": 0.5,
    "broken_promise_cap": 30.0,
    "abrupt_rating": "high",
    "broken_promise_rating": "medium",
}

UNCERTAIN = ("reported", "unconfirmed")


# -- dates ---------------------------------------------------------------------

def date_interval(value: Any) -> tuple[dt.date, dt.date] | None:
    """(earliest, latest) day a ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` date may be; None if absent.

    A partial date is an interval (``vendordd.dates``): ``2025-11`` is
    1-30 November 2025, ``2026`` the whole year.
    """
    span = dates.parse(value)
    return None if span is None else (span.start, span.end)


def notice_score(days: float, s: Mapping[str, Any]) -> float:
    """0-100 for a notice of ``days``: linear between the curve's points, 100 at and above the target."""
    points = [(0.0, 0.0), (float(s["abrupt_notice_days"]), 25.0),
              (float(s["short_notice_days"]), 50.0), (float(s["min_notice_days"]), 75.0),
              (float(s["target_notice_days"]), 100.0)]
    if any(b[0] <= a[0] for a, b in zip(points, points[1:])):
        raise ValueError("settings: abrupt_notice_days < short_notice_days < min_notice_days "
                         "< target_notice_days must hold")
    if days >= points[-1][0]:
        return 100.0
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        if days < x1:
            return round(y0 + (y1 - y0) * (max(days, 0.0) - x0) / (x1 - x0), 1)
    return 100.0  # pragma: no cover - the loop always returns below the target


def _median(values: Sequence[int]) -> float:
    """``statistics.median``, imported when first needed (it pulls in decimal and fractions,
    which every start-up of vendordd would otherwise pay)."""
    import statistics

    return statistics.median(values)


# -- reading the profile -------------------------------------------------------


@dataclass(frozen=True)
class Retirement:
    """A retirement counted in the window, with the notice read from its dates."""

    model: str
    kind: str
    announced: str | None
    shutdown: str | None
    notice: int | None  # conservative (shortest) reading; None when unknown
    longest: int | None  # the longest notice the dates allow (for broken promises)
    assumed: bool  # notice unknown, counted at the vendor's promise
    certainty: str
    replacement: str | None
    sources: tuple[str, ...]
    when: dt.date | None  # for freshness: the shutdown's earliest day, else the announcement's

    def label(self) -> str:
        dates = f"{self.announced or '?'} -> {self.shutdown or '?'}"
        if self.notice is None:
            told = "notice unknown"
        elif self.assumed:
            told = f"notice unknown, counted at the promised {self.notice} days"
        else:
            told = f"{self.notice} days' notice"
        flag = f", {self.certainty}" if self.certainty in UNCERTAIN else ""
        return f"{self.model} ({self.kind}, {dates}: {told}{flag})"


def promised_for(policy: Mapping[str, Any] | None, kind: str) -> int | None:
    """The notice the vendor's published policy promises for retirements of ``kind``, or None."""
    if not policy or policy.get("published") is False:
        return None
    if kind == "ga":
        return policy.get("min_notice_days")
    return (policy.get("notice_days_by_kind") or {}).get(kind)


def _notice(item: Mapping[str, Any]) -> tuple[int | None, int | None]:
    """(shortest, longest) notice in days the entry's dates allow; a stated ``notice_days`` is both."""
    if item.get("notice_days") is not None:
        return int(item["notice_days"]), int(item["notice_days"])
    announced, shutdown = date_interval(item.get("announced")), date_interval(item.get("shutdown"))
    if announced is None or shutdown is None:
        return None, None
    return max(0, (shutdown[0] - announced[1]).days), max(0, (shutdown[1] - announced[0]).days)


def read_retirements(raw: Iterable[Mapping[str, Any]], policy: Mapping[str, Any] | None,
                     start: dt.date, as_of: dt.date) -> tuple[list[Retirement], list[str], int]:
    """The retirements counted in the window [start, as_of], the undated ones, and the number of future facts."""
    counted: list[Retirement] = []
    undated: list[str] = []
    future = 0
    for item in raw:
        announced, shutdown = date_interval(item.get("announced")), date_interval(item.get("shutdown"))
        known_by = announced or shutdown
        if known_by is None:
            undated.append(str(item["model"]))
            continue
        if known_by[0] > as_of:
            future += 1
            continue
        if shutdown is not None and shutdown[1] < start:
            continue  # retired before the window opened
        if shutdown is None and announced is not None and announced[1] < start:
            continue
        kind = item.get("kind", "ga")
        shortest, longest = _notice(item)
        assumed = False
        promise = promised_for(policy, kind)
        if shortest is None and promise is not None:
            shortest, assumed = int(promise), True
        counted.append(Retirement(
            model=str(item["model"]), kind=kind, announced=item.get("announced"),
            shutdown=item.get("shutdown"), notice=shortest, longest=longest, assumed=assumed,
            certainty=item.get("certainty", "confirmed"), replacement=item.get("replacement"),
            sources=tuple(item.get("sources") or ()),
            when=(shutdown or announced or (None, None))[0]))
    counted.sort(key=lambda r: (r.shutdown or r.announced or "", r.model))
    return counted, undated, future


def read_breaking_changes(raw: Iterable[Mapping[str, Any]], start: dt.date, as_of: dt.date
                          ) -> tuple[list[Mapping[str, Any]], int]:
    """Breaking changes whose date may fall inside [start, as_of], and how many are future facts."""
    out, future = [], 0
    for item in raw:
        span = date_interval(item.get("date"))
        if span is None:
            continue
        if span[0] > as_of:
            future += 1
        elif span[1] >= start:
            out.append(item)
    return sorted(out, key=lambda c: str(c["date"])), future


# -- the components ------------------------------------------------------------

@dataclass
class Component:
    name: str
    score: float
    text: str


def promised_component(policy: Mapping[str, Any] | None, s: Mapping[str, Any]) -> Component:
    """The promise in the vendor's published policy for generally available models."""
    if not policy:
        return Component("promised_notice", 0.0,
                         "Deprecation policy: not recorded; counted as no promise (0).")
    if policy.get("published") is False:
        return Component("promised_notice", 0.0,
                         "Deprecation policy: none published; no promised notice (0).")
    days = policy.get("min_notice_days")
    if days is None:
        return Component("promised_notice", 0.0,
                         "Deprecation policy: published, but it states no minimum notice for "
                         "generally available models (0).")
    score = notice_score(days, s)
    return Component("promised_notice", score,
                     f"Deprecation policy: at least {days} days' notice promised for generally "
                     f"available models -> {score:g}.")


def observed_components(scored: Sequence[Retirement], promised: Component,
                        s: Mapping[str, Any]) -> list[Component]:
    """Shortest and median notice over the scored retirements with a (known or assumed) notice.

    With none in the window the promise stands in for both: a vendor that
    retired nothing is judged by what it promises.
    """
    notices = [r.notice for r in scored if r.notice is not None]
    if not notices:
        return [Component(name, promised.score,
                          f"{label}: no retirement with a notice in the window; the promised "
                          f"notice stands in -> {promised.score:g}.")
                for name, label in (("shortest_notice", "Shortest notice given"),
                                    ("median_notice", "Median notice given"))]
    shortest, median = min(notices), _median(notices)
    return [Component("shortest_notice", notice_score(shortest, s),
                      f"Shortest notice given: {shortest} days -> {notice_score(shortest, s):g}."),
            Component("median_notice", notice_score(median, s),
                      f"Median notice given: {median:g} days -> {notice_score(median, s):g}.")]


def pinned_component(policy: Mapping[str, Any] | None) -> Component:
    pinned = (policy or {}).get("pinned_snapshots")
    if pinned is True:
        return Component("pinned_snapshots", 100.0, "Pinned (dated) model versions: yes -> 100.")
    if pinned is False:
        return Component("pinned_snapshots", 0.0,
                         "Pinned (dated) model versions: none; the model behind a name can change "
                         "under callers (0).")
    return Component("pinned_snapshots", 0.0, "Pinned model versions: not recorded; counted as none (0).")


def sla_component(sla: Mapping[str, Any] | None, s: Mapping[str, Any]) -> Component:
    if not sla:
        return Component("sla", 0.0, "SLA: not recorded; counted as none (0).")
    uptime = sla.get("uptime_pct")
    if sla.get("published") is False:
        return Component("sla", 0.0, "SLA: no published uptime commitment (0).")
    if uptime is None:
        return Component("sla", 0.0, "SLA: referred to, but no uptime figure is recorded (0).")
    scope = f" ({sla['scope']})" if sla.get("scope") else ""
    if uptime >= s["sla_full_pct"]:
        score = 100.0
    elif uptime >= s["sla_partial_pct"]:
        score = float(s["sla_partial_score"])
    else:
        score = 0.0
    return Component("sla", score, f"SLA: {uptime:g}% uptime{scope} -> {score:g}.")


def breaking_component(recorded: bool, changes: Sequence[Mapping[str, Any]],
                       s: Mapping[str, Any]) -> Component | None:
    """100 less ``points_per_breaking_change`` per change in the window; None when nobody looked.

    A reported or unconfirmed change costs ``uncertain_factor`` of the points.
    """
    if not recorded:
        return None
    uncertain = sum(1 for c in changes if c.get("certainty") in UNCERTAIN)
    weight = len(changes) - uncertain + uncertain * float(s["uncertain_factor"])
    score = clamp(100.0 - float(s["points_per_breaking_change"]) * weight)
    told = f" ({uncertain} reported, counted at {float(s['uncertain_factor']):g})" if uncertain else ""
    return Component("breaking_changes", score,
                     f"Breaking changes in the window: {len(changes)}{told} -> {score:g}.")


def broken_promises(scored: Iterable[Retirement], policy: Mapping[str, Any] | None
                    ) -> list[Retirement]:
    """Retirements with less notice than the vendor's own policy promised for their kind.

    Judged on the longest notice the dates allow, so a partial date never
    invents a broken promise.
    """
    out = []
    for r in scored:
        promise = promised_for(policy, r.kind)
        if promise is not None and not r.assumed and r.longest is not None and r.longest < promise:
            out.append(r)
    return out


# -- the check -----------------------------------------------------------------

def assess(profile: Mapping[str, Any], ctx: CheckContext) -> Finding:
    """Score the vendor's API and model-lifecycle stability (module docstring)."""
    data = profile.get("api_lifecycle")
    if not data:
        return Finding.insufficient(
            "The profile has no API lifecycle facts (api_lifecycle).",
            recommendations=["Record the vendor's deprecation policy, its retirements with "
                             "announcement and shutdown dates, pinned snapshots and SLA under "
                             "api_lifecycle (from its deprecations page and changelog)."])
    s, as_of = ctx.settings, ctx.as_of
    start = months_before(as_of, int(s["window_months"]))
    policy = data.get("deprecation_policy")
    retirements, undated, future = read_retirements(data.get("retirements") or (), policy, start, as_of)
    scored_kinds = set(s["scored_kinds"])
    scored = [r for r in retirements if r.kind in scored_kinds]
    changes, future_changes = read_breaking_changes(data.get("breaking_changes") or (), start, as_of)
    future += future_changes

    promised = promised_component(policy, s)
    observed = observed_components(scored, promised, s)
    listing = _retirement_lines(retirements, scored_kinds, s, start, as_of)
    if undated:
        listing.append(f"Retirement without dates (not counted): {', '.join(undated)}.")
    if promised_for(policy, "ga") is None and not any(r.notice is not None and not r.assumed
                                                      for r in scored):
        return Finding.insufficient(
            "No evidence of the notice this vendor gives: no published minimum notice and no "
            f"retirement with a known notice in the {s['window_months']} months to "
            f"{as_of.isoformat()}.",
            rationale=[promised.text, *listing, *_change_lines(changes)],
            recommendations=[f"Ask the vendor for its deprecation policy and the notice it gave "
                             f"for past retirements; negotiate a contractual notice of at least "
                             f"{s['target_notice_days']} days before signing."])

    breaking = breaking_component("breaking_changes" in data, changes, s)
    parts = [promised, *observed, pinned_component(policy), sla_component(data.get("sla"), s),
             *([breaking] if breaking else [])]
    weights = s["weights"]
    total_weight = sum(float(weights[p.name]) for p in parts)
    mean = sum(float(weights[p.name]) * p.score for p in parts) / total_weight
    broken = broken_promises(scored, policy)
    deduction = min(float(s["broken_promise_cap"]),
                    sum(float(s["broken_promise_points"])
                        * (float(s["uncertain_factor"]) if r.certainty in UNCERTAIN else 1.0)
                        for r in broken))
    score = round(clamp(mean - deduction), 1)

    rationale = [*listing, *_change_lines(changes), *(p.text for p in parts)]
    if breaking is None:
        rationale.append("Breaking changes: no history recorded; left out (its weight drops out).")
    rationale.append("Weighted mean = " + " + ".join(
        f"{float(weights[p.name]):g} x {p.score:g}" for p in parts)
        + (f", over weights summing to {total_weight:g}" if abs(total_weight - 1) > 1e-9 else "")
        + f" = {mean:.1f}.")
    for r in broken:
        promise = promised_for(policy, r.kind)
        rationale.append(f"Broken promise: {r.model} got {r.longest} days' notice against the "
                         f"{promise} days the vendor's policy promises for {r.kind} models"
                         + (f" ({r.certainty}; counted at {float(s['uncertain_factor']):g})"
                            if r.certainty in UNCERTAIN else "") + ".")
    if broken:
        rationale.append(f"Score = {mean:.1f} - {deduction:g} (broken promises) = {score:g}.")
    abrupt = [r for r in scored if r.notice is not None and not r.assumed
              and r.notice < s["abrupt_notice_days"]]
    rating = None
    if abrupt:
        rating = s["abrupt_rating"]
        rationale.append(f"Less than {s['abrupt_notice_days']} days' notice for "
                         f"{', '.join(r.model for r in abrupt)}: rated at least {rating}.")
    if any(r.certainty not in UNCERTAIN for r in broken):
        rating = worst(rating, s["broken_promise_rating"])
        rationale.append(f"A confirmed broken promise: rated at least {s['broken_promise_rating']}.")
    if future:
        rationale.append(f"{future} fact(s) dated after {as_of.isoformat()} left out.")

    notices = [r.notice for r in scored if r.notice is not None]
    known = [r for r in scored if r.notice is not None and not r.assumed]
    completeness = (sum([policy is not None, "sla" in data, "breaking_changes" in data,
                         (policy or {}).get("pinned_snapshots") is not None])
                    + (len(known) / len(scored) if scored else 1.0)) / 5
    facts: list[tuple[dt.date | None, Iterable[str]]] = []
    if policy:
        facts.append((None, policy.get("sources") or ()))
    facts += [(r.when, r.sources) for r in retirements]
    facts += [((date_interval(c["date"]) or (None,))[0], c.get("sources") or ()) for c in changes]
    if data.get("sla"):
        facts.append((None, data["sla"].get("sources") or ()))
    upcoming = [r for r in retirements if (date_interval(r.shutdown) or (as_of,))[0] > as_of]
    return Finding(
        score=score,
        rating=rating,
        confidence=confidence(completeness, facts, profile, as_of,
                              int(ctx.policy.get("freshness_days", 365))),
        summary=_summary(scored, notices, promised, policy, s),
        rationale=rationale,
        metrics={"retirements_in_window": len(retirements),
                 "scored_retirements": len(scored),
                 "known_notice": len(known),
                 "shortest_notice_days": min(notices) if notices else None,
                 "median_notice_days": float(_median(notices)) if notices else None,
                 "promised_notice_days": (policy or {}).get("min_notice_days")
                 if (policy or {}).get("published") is not False else None,
                 "broken_promises": len(broken),
                 "abrupt_retirements": len(abrupt),
                 "breaking_changes_in_window": len(changes),
                 "weighted_mean": round(mean, 1),
                 "deduction": deduction,
                 "completeness": round(completeness, 2)},
        sources=sorted({sid for _, ids in facts for sid in ids}),
        recommendations=_recommendations(data, policy, scored, broken, upcoming, changes, s, profile),
        facts={"components": {p.name: p.score for p in parts},
               "retirements": [{"model": r.model, "kind": r.kind, "announced": r.announced,
                                "shutdown": r.shutdown, "notice_days": r.notice,
                                "assumed": r.assumed} for r in retirements]},
    )


def _retirement_lines(retirements: Sequence[Retirement], scored_kinds: set[str],
                      s: Mapping[str, Any], start: dt.date, as_of: dt.date) -> list[str]:
    if not retirements:
        return [f"No retirement in the {s['window_months']} months from {start.isoformat()} "
                f"to {as_of.isoformat()}."]
    lines = []
    for r in retirements:
        scope = "" if r.kind in scored_kinds else " (listed, not scored)"
        lines.append(f"Retirement: {r.label()}{scope}.")
    return lines


def _change_lines(changes: Sequence[Mapping[str, Any]]) -> list[str]:
    return [f"Breaking change ({c['date']}): {c['summary']}"
            + (f" [{c['certainty']}]" if c.get("certainty") in UNCERTAIN else "")
            for c in changes]


def _summary(scored: Sequence[Retirement], notices: Sequence[int], promised: Component,
             policy: Mapping[str, Any] | None, s: Mapping[str, Any]) -> str:
    days = (policy or {}).get("min_notice_days")
    promise = (f"promises {days} days" if days is not None and (policy or {}).get("published") is not False
               else "no published minimum notice")
    if notices:
        return (f"{len(scored)} retirement(s) in {s['window_months']} months, shortest notice "
                f"{min(notices)} days, median {_median(notices):g}; {promise}.")
    return f"No scored retirement in {s['window_months']} months; {promise}."


def _recommendations(data: Mapping[str, Any], policy: Mapping[str, Any] | None,
                     scored: Sequence[Retirement], broken: Sequence[Retirement],
                     upcoming: Sequence[Retirement], changes: Sequence[Mapping[str, Any]],
                     s: Mapping[str, Any], profile: Mapping[str, Any]) -> list[str]:
    out = []
    days = (policy or {}).get("min_notice_days") if (policy or {}).get("published") is not False else None
    if days is None or days < s["target_notice_days"]:
        now = f"its policy promises {days} days" if days is not None else "it promises no minimum"
        out.append(f"Negotiate a contractual notice of at least {s['target_notice_days']} days "
                   f"before a model you use is retired ({now}).")
    if broken:
        out.append("Write the notice period into the contract with a remedy: the vendor gave less "
                   "notice than its own policy promised (" + ", ".join(r.model for r in broken) + ").")
    if (policy or {}).get("pinned_snapshots") is True:
        out.append("Pin dated model versions in production and monitor the vendor's deprecation "
                   "notices.")
    else:
        out.append("Ask for pinned, dated model versions; until then re-run your evaluations on "
                   "every model update, since the model behind a name may change without notice.")
    sla = data.get("sla") or {}
    if sla.get("uptime_pct") is None or sla.get("published") is False:
        out.append("Obtain a contractual uptime SLA with service credits (none is published).")
    if len(scored) >= 2:
        per_year = len(scored) / (float(s["window_months"]) / 12)
        out.append(f"Budget a migration project for each retirement: {len(scored)} in "
                   f"{s['window_months']} months (about {per_year:.1f} a year).")
    if changes:
        out.append("Require advance notice of breaking changes in the contract and run regression "
                   "tests against the vendor's API on a schedule.")
    used = {p.casefold() for p in (profile.get("vendor") or {}).get("products") or ()}
    for r in upcoming:
        if r.model.casefold() in used:
            target = f" to {r.replacement}" if r.replacement else ""
            out.append(f"Migrate off {r.model}{target} before it is retired on {r.shutdown}.")
    return out


CHECK = Check(
    id="api_stability",
    title="API and model-lifecycle stability",
    category="api_stability",
    run=assess,
    version="1.0",
    weight=1.0,
    needs=("/api_lifecycle",),
    defaults=DEFAULTS,
    settings_schema=schema_for_defaults(DEFAULTS),
    doc="Weighted mean of the promised notice, the shortest and median notice given for "
        "retirements in the last 24 months (a curve through 30 d = 25, 90 d = 50, 180 d = 75, "
        "365 d = 100), pinned snapshots, the SLA and breaking changes; unknown counts as absent; "
        "minus 15 per broken promise (7.5 if reported). Notice under 30 days rates at least high. "
        "No notice evidence: insufficient_data.",
)


@hookimpl
def register_checks(register):
    register(CHECK)
