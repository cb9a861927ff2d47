"""Example local plugin ``deprecation_log``: a buyer's own log of a provider's deprecations.

A single-file plugin, loaded with ``vendordd run --plugin examples/plugins/deprecation_log.py``
(or ``VENDORDD_PLUGINS``, or the policy's ``plugins.paths``). It registers the
check ``deprecation_log`` and a schema fragment for ``extensions.deprecation_log``.

It shows how a single-file plugin ships a check with its own data. vendordd's
built-in ``api_stability`` check (docs/methodology/api_stability.md) is the
supported assessment of API and model-lifecycle stability, over the profile's
``api_lifecycle`` section; this example keeps a simpler method a buyer might
run over its own incident log (for instance the deprecations that actually hit
its integrations)::

    extensions:
      deprecation_log:
        as_of: 2026-05-01            # when the history was compiled
        sources: [s1]                # e.g. the provider's deprecations page
        deprecations:                # [] when the provider retired nothing
          - {model: example-chat-1, announced: 2025-10-01, retired: 2026-01-05,
             notice_days: 96, replacement: example-chat-2, sources: [s1]}
        breaking_changes:            # [] when there were none
          - {date: 2026-02-01, summary: "...", notice_days: 14, sources: [s2]}

Both lists are required: an empty list says "looked, found none". Without
``extensions.deprecation_log`` the result is ``insufficient_data``.

Method (settings in brackets, defaults after them):

1. Notice of a deprecation = ``notice_days`` when given, else the days from
   ``announced`` to ``retired``; unknown when neither is given.
2. The events counted are those in the ``window_months`` (24) before the
   as-of date: a deprecation by its announcement (or its retirement when
   no announcement date is known), a breaking change by its date. Facts
   dated after the as-of date are left out (the as-of date is the only clock).
3. Each deprecation costs points by its notice: at least
   ``target_notice_days`` (180): ``points_good_notice`` (2), it is still
   churn; at least ``min_notice_days`` (90): ``points_short_notice`` (8);
   less: ``points_abrupt`` (20); unknown: ``points_unknown_notice`` (12).
4. Each breaking change costs ``points_breaking_with_notice`` (5) when it
   came with at least ``min_notice_days`` of notice, else
   ``points_breaking`` (15) (unknown notice counts as none).
5. Score = max(0, 100 - points). Any counted event with a known notice
   under ``abrupt_notice_days`` (30) rates the vendor at least
   ``abrupt_rating`` (``high``), whatever the score.
6. Confidence = ``vendordd.evidence.confidence`` with completeness = the
   share of counted deprecations whose notice is known (1 when none),
   over the counted events' sources and dates plus the history's own.

History outside the window is reported, not scored: ``retired_models`` (all
retirements on or before the as-of date) and the retirements still to come.
A scheduled retirement of a model listed in ``vendor.products`` adds a
recommendation to migrate before its date.

Worked example (as of 2026-06-01): a deprecation announced 2025-10-01 with 96
days' notice (8 points), another with 200 days (2 points) and a breaking
change with 14 days' notice (15 points): 100 - 25 = 75, which the 14-day
change floors at ``high``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from vendordd import Check, CheckContext, Finding, hookimpl
from vendordd.evidence import clamp, confidence, months_before, parse_date
from vendordd.sections import SectionRow, VendorSection

vendordd_plugin_api = 1
__version__ = "1.0"

EXTENSION = "deprecation_log"

DEFAULTS: dict[str, Any] = {
    "window_months": 24,
    "target_notice_days": 180,
    "min_notice_days": 90,
    "abrupt_notice_days": 30,
    "points_good_notice": 2.0,
    "points_short_notice": 8.0,
    "points_abrupt": 20.0,
    "points_unknown_notice": 12.0,
    "points_breaking_with_notice": 5.0,
    "points_breaking": 15.0,
    "abrupt_rating": "high",
}

_DATE = {"type": "string", "format": "vendordd-date", "pattern": "^[0-9]{4}-[0-9]{2}(-[0-9]{2})?$"}
_SOURCES = {"type": "array", "uniqueItems": True,
            "items": {"type": "string", "pattern": "^[A-Za-z0-9_.-]+$"}}
_NOTICE = {"type": "integer", "minimum": 0, "maximum": 36500,
           "description": "Days of notice the provider gave, when it says so."}

SCHEMA: dict[str, Any] = {
    "title": "API stability history",
    "description": "The provider's model deprecations and breaking API changes. Empty lists mean "
                   "the analyst looked and found none.",
    "type": "object",
    "required": ["deprecations", "breaking_changes"],
    "additionalProperties": False,
    "properties": {
        "as_of": {**_DATE, "description": "When this history was compiled."},
        "sources": {**_SOURCES, "description": "Sources for the history as a whole."},
        "deprecations": {
            "type": "array", "maxItems": 10000,
            "items": {
                "type": "object", "required": ["model"], "additionalProperties": False,
                "anyOf": [{"required": ["announced"]}, {"required": ["retired"]}],
                "properties": {
                    "model": {"type": "string", "minLength": 1, "maxLength": 200},
                    "announced": {**_DATE, "description": "When the deprecation was announced."},
                    "retired": {**_DATE, "description": "When the model stopped (or stops) serving."},
                    "notice_days": _NOTICE,
                    "replacement": {"type": "string", "maxLength": 200},
                    "sources": _SOURCES,
                },
            },
        },
        "breaking_changes": {
            "type": "array", "maxItems": 10000,
            "items": {
                "type": "object", "required": ["date", "summary"], "additionalProperties": False,
                "properties": {
                    "date": {**_DATE, "description": "When the change took effect."},
                    "summary": {"type": "string", "minLength": 1, "maxLength": 2000},
                    "notice_days": _NOTICE,
                    "sources": _SOURCES,
                },
            },
        },
    },
}


def notice_days(entry: Mapping[str, Any]) -> int | None:
    """Days of notice for a deprecation: stated, else announced->retired, else None."""
    if entry.get("notice_days") is not None:
        return int(entry["notice_days"])
    announced, retired = parse_date(entry.get("announced")), parse_date(entry.get("retired"))
    if announced is not None and retired is not None:
        return max(0, (retired - announced).days)
    return None


def _deprecation_points(notice: int | None, s: Mapping[str, Any]) -> float:
    if notice is None:
        return float(s["points_unknown_notice"])
    if notice >= s["target_notice_days"]:
        return float(s["points_good_notice"])
    if notice >= s["min_notice_days"]:
        return float(s["points_short_notice"])
    return float(s["points_abrupt"])


@dataclass
class Tally:
    """What the events in the window cost, and the evidence for it."""

    points: float = 0.0
    deprecations: int = 0
    breaking: int = 0
    unknown_notice: int = 0
    notices: list[int] = field(default_factory=list)
    abrupt: list[str] = field(default_factory=list)
    rationale: list[str] = field(default_factory=list)
    facts: list[tuple[dt.date | None, list[str]]] = field(default_factory=list)


def _count_deprecations(tally: Tally, deprecations: list[Mapping[str, Any]], start: dt.date,
                        as_of: dt.date, s: Mapping[str, Any]) -> None:
    for dep in deprecations:
        when = parse_date(dep.get("announced")) or parse_date(dep.get("retired"))
        if when is None or not start <= when <= as_of:
            continue
        notice = notice_days(dep)
        cost = _deprecation_points(notice, s)
        tally.points += cost
        tally.deprecations += 1
        tally.facts.append((when, dep.get("sources", [])))
        if notice is None:
            tally.unknown_notice += 1
        else:
            tally.notices.append(notice)
            if notice < s["abrupt_notice_days"]:
                tally.abrupt.append(f"{dep['model']} ({notice} days)")
        tally.rationale.append(f"Deprecation of {dep['model']} ({when.isoformat()}): "
                               f"{'unknown' if notice is None else notice} days' notice (-{cost:g}).")


def _count_breaking_changes(tally: Tally, changes: list[Mapping[str, Any]], start: dt.date,
                            as_of: dt.date, s: Mapping[str, Any]) -> None:
    for change in changes:
        day = parse_date(change["date"])
        if day is None or not start <= day <= as_of:
            continue
        notice = change.get("notice_days")
        with_notice = notice is not None and notice >= s["min_notice_days"]
        cost = float(s["points_breaking_with_notice"] if with_notice else s["points_breaking"])
        tally.points += cost
        tally.breaking += 1
        tally.facts.append((day, change.get("sources", [])))
        if notice is not None and notice < s["abrupt_notice_days"]:
            tally.abrupt.append(f"breaking change of {day.isoformat()} ({notice} days)")
        tally.rationale.append(f"Breaking change ({day.isoformat()}): {change['summary']}; "
                               f"{'unknown' if notice is None else notice} days' notice (-{cost:g}).")


def assess(profile: Mapping[str, Any], ctx: CheckContext) -> Finding:
    """Score deprecation notice and breaking changes in the window (module docstring)."""
    data = (profile.get("extensions") or {}).get(EXTENSION)
    if data is None:
        return Finding.insufficient(
            "The profile has no deprecation log (extensions.deprecation_log).",
            recommendations=["Record the provider's model deprecations and breaking API changes "
                             "that affected you under extensions.deprecation_log."])
    s, as_of = ctx.settings, ctx.as_of
    start = months_before(as_of, int(s["window_months"]))
    tally = Tally()
    _count_deprecations(tally, data["deprecations"], start, as_of, s)
    _count_breaking_changes(tally, data["breaking_changes"], start, as_of, s)
    retired_models, upcoming = _retirements(data["deprecations"], as_of)
    if data.get("sources"):
        tally.facts.append((parse_date(data.get("as_of")), data["sources"]))
    rationale = list(tally.rationale)
    if not tally.deprecations and not tally.breaking:
        rationale.append(f"No deprecation or breaking change in the {s['window_months']} months "
                         f"before {as_of.isoformat()}.")
    if tally.abrupt:
        rationale.append(f"Less than {s['abrupt_notice_days']} days' notice: "
                         f"{', '.join(tally.abrupt)}; rated at least {s['abrupt_rating']}.")
    completeness = 1 - tally.unknown_notice / tally.deprecations if tally.deprecations else 1.0
    shortest = min(tally.notices) if tally.notices else None
    return Finding(
        score=clamp(100.0 - tally.points),
        rating=s["abrupt_rating"] if tally.abrupt else None,
        confidence=confidence(completeness, tally.facts, profile, as_of,
                              int(ctx.policy.get("freshness_days", 365))),
        summary=(f"{tally.deprecations} deprecation(s) and {tally.breaking} breaking change(s) in "
                 f"{s['window_months']} months"
                 + (f"; shortest deprecation notice {shortest} days" if tally.notices else "") + "."),
        rationale=rationale,
        metrics={"deprecations_in_window": tally.deprecations,
                 "breaking_changes_in_window": tally.breaking,
                 "shortest_notice_days": shortest,
                 "median_notice_days": _median(tally.notices),
                 "unknown_notice": tally.unknown_notice,
                 "retired_models": len(retired_models),
                 "scheduled_retirements": len(upcoming),
                 "points": tally.points},
        sources=sorted({sid for _, ids in tally.facts for sid in ids}),
        recommendations=_recommendations(profile, upcoming, tally.abrupt, ctx),
        facts={"retired_models": retired_models,
               "scheduled_retirements": [{"model": d["model"], "retired": day.isoformat(),
                                          "in_use": d["model"].casefold() in _products(profile)}
                                         for day, d in upcoming]},
    )


def _retirements(deprecations: list[Mapping[str, Any]], as_of: dt.date
                 ) -> tuple[list[str], list[tuple[dt.date, Mapping[str, Any]]]]:
    """Models retired on or before ``as_of``, and (date, entry) of retirements still to come.

    A retirement to come counts when its announcement is not after ``as_of``
    (or its announcement date is unknown).
    """
    retired, upcoming = [], []
    for dep in deprecations:
        day, announced = parse_date(dep.get("retired")), parse_date(dep.get("announced"))
        if day is None:
            continue
        if day <= as_of:
            retired.append(dep["model"])
        elif announced is None or announced <= as_of:
            upcoming.append((day, dep))
    return sorted(retired), sorted(upcoming, key=lambda item: (item[0], item[1]["model"]))


def _median(values: list[int]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    return float(ordered[mid]) if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def _products(profile: Mapping[str, Any]) -> set[str]:
    """The vendor's products the buyer uses (``vendor.products``), case-folded."""
    return {p.casefold() for p in (profile.get("vendor") or {}).get("products") or ()}


def _recommendations(profile: Mapping[str, Any], upcoming: list[tuple[dt.date, Mapping[str, Any]]],
                     abrupt: list[str], ctx: CheckContext) -> list[str]:
    out = []
    used = _products(profile)
    for day, dep in upcoming:
        if dep["model"].casefold() in used:
            target = f" to {dep['replacement']}" if dep.get("replacement") else ""
            out.append(f"Migrate off {dep['model']}{target} before it is retired on {day.isoformat()}.")
    if abrupt:
        out.append(f"Negotiate a contractual deprecation notice of at least "
                   f"{ctx.settings['target_notice_days']} days.")
    return out


CHECK = Check(
    id="deprecation_log",
    title="Deprecation log (example plugin)",
    category="api_stability",
    run=assess,
    version="1.0",
    weight=1.0,
    needs=("/extensions/deprecation_log",),
    defaults=DEFAULTS,
    doc="Deprecations and breaking changes in the last 24 months cost points by notice given "
        "(>=180 days: 2, >=90: 8, less: 20, unknown: 12; breaking change 5 with >=90 days' notice, "
        "else 15); score = 100 - points. Notice under 30 days rates at least high. No "
        "extensions.deprecation_log: insufficient_data.",
)


@hookimpl
def register_checks(register):
    register(CHECK)


@hookimpl
def register_schemas(register):
    register(EXTENSION, SCHEMA)


@hookimpl
def vendor_sheet_section(vendor):
    """A "Model retirements" block on the vendor's sheet: what retires when, and what is gone.

    Read from this check's result (its ``facts``), so the sheet shows what was scored;
    a scheduled retirement of a model the profile lists in ``vendor.products`` is rated high.
    """
    check = next((c for c in vendor.get("checks") or () if c.get("id") == CHECK.id), None)
    if check is None or check.get("status") != "ok":
        return None
    facts = check.get("facts") or {}
    rows = [SectionRow(label=item["retired"], text=f"{item['model']} is scheduled to retire",
                       rating="high" if item.get("in_use") else None,
                       detail="in vendor.products: plan the migration" if item.get("in_use") else None)
            for item in facts.get("scheduled_retirements") or ()]
    if facts.get("retired_models"):
        rows.append(SectionRow(label="Retired", text=", ".join(facts["retired_models"])))
    if not rows:
        return None
    return VendorSection(title="Model retirements", rows=rows,
                         note="From extensions.deprecation_log (the Deprecation log check above scores "
                              "the notice given).")
