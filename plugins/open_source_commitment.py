"""Open-source commitment: how open the vendor's models are, and whether that is changing.

Method (docs/methodology/open_source_commitment.md is the full text; this
code does exactly what it says). Six components, each 0-1, combine with
weights into 0-100 (components without data are left out of both sums):

* recency     - how long since the last open-weights release (gated counts half);
* license     - mean licence openness of the releases in the flagship window;
* flagship    - share of flagship releases in the window that were open weights;
* artifacts   - Model Openness Framework class reached by the best recent release;
* adoption    - downloads and derivative models on a log10 scale;
* commitments - public commitments to openness, and how recent they are.

A provider whose earlier flagships were open and whose latest flagship is
API-only or closed is *pivoting to closed*: a flag with its evidence (the
flagships compared), not a deduction, since the licence and flagship
components already count the closed flagship. A vendor that has ever
released open weights keeps at least ``ever_open_floor`` points (released
weights stay usable under their licence), so never-open < pivoted < open.
Only releases with ``status`` ``released`` (or no status) count: an
announcement or a reported plan is not a release. The result is clamped
to 0-100.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from vendordd import Check, CheckContext, Finding, dates, hookimpl
from vendordd.evidence import clamp, confidence, months_before, parse_date
from vendordd.settings import schema_for_defaults

_PERMISSIVE = ("Apache-2.0", "MIT", "BSD-2-Clause", "BSD-3-Clause", "BSD-3-Clause-Clear", "0BSD",
               "ISC", "Unlicense", "Zlib", "BSL-1.0", "UPL-1.0", "CC0-1.0", "CC-BY-4.0",
               "CDLA-Permissive-2.0")
_COPYLEFT = ("GPL-2.0-only", "GPL-2.0-or-later", "GPL-3.0-only", "GPL-3.0-or-later",
             "AGPL-3.0-only", "AGPL-3.0-or-later", "LGPL-2.1-only", "LGPL-2.1-or-later",
             "LGPL-3.0-only", "LGPL-3.0-or-later", "MPL-2.0", "EPL-2.0", "CC-BY-SA-4.0",
             "CDLA-Sharing-1.0")
_CUSTOM = ("CC-BY-NC-4.0", "CC-BY-NC-SA-4.0", "CC-BY-NC-ND-4.0", "CC-BY-ND-4.0")

#: Openness classes, most open first. A release of unknown availability is
#: class ``unknown`` and is left out of the openness components.
CLASSES: tuple[str, ...] = ("permissive", "copyleft", "custom", "gated", "closed")
AVAILABILITIES: tuple[str, ...] = ("open_weights", "gated_weights", "api_only", "closed")

#: Trend labels (metric ``trend``).
TRENDS: tuple[str, ...] = ("open", "pivoting_to_closed", "closed", "opening", "mixed")

#: The artifacts each Model Openness Framework class needs, reduced to the
#: seven the profile records (MOF Class III < II < I; each includes the last).
MOF_CLASSES: tuple[tuple[str, frozenset[str]], ...] = (
    ("class_i", frozenset({"weights", "model_card", "technical_report", "inference_code",
                           "training_code", "evaluation_code", "training_data"})),
    ("class_ii", frozenset({"weights", "model_card", "technical_report", "inference_code",
                            "training_code", "evaluation_code"})),
    ("class_iii", frozenset({"weights", "model_card", "technical_report"})),
)
MOF_LABELS: Mapping[str, str] = {"class_i": "Class I", "class_ii": "Class II", "class_iii": "Class III"}
ARTIFACTS: tuple[str, ...] = ("weights", "inference_code", "training_code", "training_data",
                              "technical_report", "evaluation_code", "model_card")

DEFAULTS: dict[str, Any] = {
    "component_weights": {"recency": 25.0, "license": 20.0, "flagship": 20.0, "artifacts": 15.0,
                          "adoption": 15.0, "commitments": 5.0},
    # [released within N months, points]; the best band reached applies.
    "recency_bands": [[6, 1.0], [12, 0.75], [24, 0.4], [36, 0.15]],
    "gated_recency_factor": 0.5,
    "license_classes": {**dict.fromkeys(_PERMISSIVE, "permissive"),
                        **dict.fromkeys(_COPYLEFT, "copyleft"),
                        **dict.fromkeys(_CUSTOM, "custom")},
    "class_points": {"permissive": 1.0, "copyleft": 0.8, "custom": 0.6, "gated": 0.3, "closed": 0.0},
    "restriction_penalties": {"non_commercial": 0.2, "mau_cap": 0.05, "acceptable_use": 0.05,
                              "field_of_use": 0.05, "no_training_other_models": 0.05,
                              "naming_attribution": 0.02},
    "unknown_restriction_penalty": 0.05,
    "custom_floor": 0.35,
    "flagship_window_months": 24,
    "trend_lookback": 3,
    "ever_open_floor": 5.0,
    "mof_points": {"class_i": 1.0, "class_ii": 0.75, "class_iii": 0.5},
    "partial_artifact_factor": 0.4,
    "downloads_log_range": [5, 9],
    "derivatives_log_range": [2, 6],
    "commitment_window_months": 24,
    # [at least N commitments in the window, points]; the best band reached applies.
    "commitment_bands": [[1, 0.6], [2, 1.0]],
    "old_commitment_points": 0.2,
}


@dataclass(slots=True)
class Release:
    """A dated release on or before the assessment date, with its openness worked out.

    Made by :func:`read_releases` and only read after; not a frozen dataclass, whose
    ``__init__`` costs about three times as much (paid for every release of every vendor).
    """

    name: str
    date: dt.date
    availability: str | None
    license: str | None
    restrictions: tuple[str, ...]
    artifacts: Mapping[str, bool] | None
    flagship: bool
    sources: tuple[str, ...]
    cls: str = "closed"
    openness: float = 0.0

    @property
    def open(self) -> bool:
        return self.availability == "open_weights"

    @property
    def known(self) -> bool:
        """True when the release's availability is recorded."""
        return self.availability in AVAILABILITIES

    @property
    def has_weights(self) -> bool:
        return self.availability in ("open_weights", "gated_weights")

    def as_fact(self) -> dict[str, Any]:
        return {"name": self.name, "date": self.date.isoformat(), "availability": self.availability,
                "license": self.license, "restrictions": list(self.restrictions),
                "flagship": self.flagship, "class": self.cls, "openness": round(self.openness, 3)}


# -- classification --------------------------------------------------------------

def license_class(availability: str | None, license_id: str | None, restrictions: Sequence[str],
                  table: Mapping[str, str]) -> str:
    """The openness class of one release (see CLASSES).

    API-only or closed is ``closed``; gated weights are ``gated``; an
    unrecorded availability is ``unknown`` (not evidence either way); open weights take the class of their licence from ``table``
    (SPDX ids, matched case-insensitively), except that any listed
    restriction, a ``LicenseRef-`` licence, an id not in the table or no
    licence at all make them ``custom``.
    """
    return _license_class(availability, license_id, restrictions, lambda: _by_lower(table))


def _by_lower(table: Mapping[str, str]) -> dict[str, str]:
    return {k.lower(): v for k, v in table.items()}


def _license_class(availability: str | None, license_id: str | None, restrictions: Sequence[str],
                   by_lower: Callable[[], Mapping[str, str]]) -> str:
    """:func:`license_class` with the table's lower-cased form given (made by the caller once
    for all of a profile's releases, or on demand)."""
    if availability == "gated_weights":
        return "gated"
    if availability in ("api_only", "closed"):
        return "closed"
    if availability != "open_weights":
        return "unknown"
    if restrictions or not license_id:
        return "custom"
    cls = by_lower().get(license_id.lower(), "custom")
    return cls if cls in CLASSES else "custom"


def openness(cls: str, restrictions: Sequence[str], s: Mapping[str, Any]) -> float:
    """Openness points (0-1) of a class; a custom licence loses points per restriction."""
    points = float(s["class_points"].get(cls, 0.0))
    if cls != "custom":
        return points
    penalty = sum(float(s["restriction_penalties"].get(r, s["unknown_restriction_penalty"]))
                  for r in restrictions)
    return max(float(s["custom_floor"]), points - penalty)


def read_releases(raw: Iterable[Mapping[str, Any]], as_of: dt.date, s: Mapping[str, Any]
                  ) -> tuple[list[Release], int, int]:
    """Dated releases on or before ``as_of`` (oldest first), undated count, future count.

    A release's class and openness depend on its availability, licence and restrictions only:
    worked out once per such combination (releases repeat them); :func:`_read_releases_plain`
    works them out for each release and must give the same (tests/test_assessment_fast_paths.py).
    """
    out: list[Release] = []
    undated = future = 0
    lowered: list[dict[str, str]] = []  # the licence table lower-cased, made at the first need
    classes: dict[tuple[Any, ...], tuple[str, float]] = {}
    parse = dates.parse

    def by_lower() -> dict[str, str]:
        if not lowered:
            lowered.append(_by_lower(s["license_classes"]))
        return lowered[0]

    for item in raw:
        get = item.get
        if get("status", "released") != "released":
            continue  # an announcement or a reported plan is not a release (counted by the caller)
        iv = parse(get("date"))  # its first day, as parse_date reads it
        if iv is None:
            undated += 1
            continue
        day = iv.start
        if day > as_of:
            future += 1
            continue
        availability = get("availability")
        license_id = get("license")
        restrictions = tuple(get("restrictions") or ())
        key = (availability, license_id, restrictions)
        try:
            cls, points = classes[key]
        except KeyError:
            cls = _license_class(availability, license_id, restrictions, by_lower)
            points = openness(cls, restrictions, s)
            classes[key] = (cls, points)
        except TypeError:  # something unhashable where the schema has text: worked out alone
            cls = _license_class(availability, license_id, restrictions, by_lower)
            points = openness(cls, restrictions, s)
        out.append(Release(name=str(get("name", "?")), date=day, availability=availability,
                           license=license_id, restrictions=restrictions,
                           artifacts=get("artifacts"), flagship=bool(get("flagship")),
                           sources=tuple(get("sources") or ()), cls=cls, openness=points))
    out.sort(key=lambda r: (r.date, r.name))
    return out, undated, future


def _read_releases_plain(raw: Iterable[Mapping[str, Any]], as_of: dt.date, s: Mapping[str, Any]
                         ) -> tuple[list[Release], int, int]:
    """:func:`read_releases`'s plain twin: each release's date, class and openness worked out alone."""
    out: list[Release] = []
    undated = future = 0
    for item in raw:
        if item.get("status", "released") != "released":
            continue
        day = parse_date(item.get("date"))
        if day is None:
            undated += 1
            continue
        if day > as_of:
            future += 1
            continue
        availability = item.get("availability")
        restrictions = tuple(item.get("restrictions") or ())
        cls = license_class(availability, item.get("license"), restrictions, s["license_classes"])
        out.append(Release(name=str(item.get("name", "?")), date=day, availability=availability,
                           license=item.get("license"), restrictions=restrictions,
                           artifacts=item.get("artifacts"), flagship=bool(item.get("flagship")),
                           sources=tuple(item.get("sources") or ()), cls=cls,
                           openness=openness(cls, restrictions, s)))
    out.sort(key=lambda r: (r.date, r.name))
    return out, undated, future


# -- components ------------------------------------------------------------------

def within(day: dt.date, as_of: dt.date, months: int) -> bool:
    """True when ``day`` falls on or after the date ``months`` calendar months before ``as_of``."""
    return day >= months_before(as_of, months)


def recency_points(day: dt.date | None, as_of: dt.date, bands: Iterable[Sequence[float]]) -> float:
    """Points of the best recency band ``day`` falls in (0 for None or older than every band)."""
    if day is None:
        return 0.0
    return max((float(p) for months, p in bands if within(day, as_of, int(months))), default=0.0)


def log_points(value: float | None, low_exp: float, high_exp: float) -> float | None:
    """0 at 10**low_exp or less, 1 at 10**high_exp or more, linear in log10 between."""
    if value is None:
        return None
    exp = math.log10(max(float(value), 1.0))
    return clamp((exp - low_exp) / (high_exp - low_exp), 0.0, 1.0)


def mof_class(release: Release) -> str | None:
    """The highest MOF class the release reaches, or None.

    A class counts only for open weights under a permissive or copyleft
    licence (MOF: a component counts only under an open licence). Weights of an
    open-weights release count as released even when ``artifacts`` omits them.
    """
    if not release.open or release.cls not in ("permissive", "copyleft"):
        return None
    present = released_artifacts(release)
    for name, needed in MOF_CLASSES:
        if needed <= present:
            return name
    return None


def released_artifacts(release: Release) -> frozenset[str]:
    """The artifacts recorded as released (unknown counts as not released)."""
    given = {k for k, v in (release.artifacts or {}).items() if v is True and k in ARTIFACTS}
    if release.has_weights:
        given.add("weights")
    return frozenset(given)


def artifact_points(release: Release, s: Mapping[str, Any]) -> tuple[float, str | None]:
    """(points, MOF class) of one release: class points, else a share of the seven artifacts."""
    cls = mof_class(release)
    if cls is not None:
        return float(s["mof_points"][cls]), cls
    share = len(released_artifacts(release)) / len(ARTIFACTS)
    return float(s["partial_artifact_factor"]) * share, None


def flagship_trend(flagships: Sequence[Release], lookback: int) -> str:
    """open | pivoting_to_closed | closed | opening | mixed, from the latest flagship vs earlier ones.

    ``flagships`` (of known availability) are oldest first; the latest is
    compared with up to ``lookback`` flagships before it.
    """
    latest = flagships[-1]
    earlier = list(flagships[:-1])[-lookback:] if lookback > 0 else []
    shut = latest.availability in ("api_only", "closed")
    if not earlier:
        return "open" if latest.open else ("closed" if shut else "mixed")
    share = sum(1 for r in earlier if r.open) / len(earlier)
    if latest.open:
        return "open" if share == 1 else ("opening" if share < 0.5 else "mixed")
    if shut and share >= 0.5:
        return "pivoting_to_closed"
    if shut and share == 0:
        return "closed"
    return "mixed"


def band_points(value: float, bands: Iterable[Sequence[float]]) -> float:
    """Points of the highest ``[at least, points]`` band ``value`` reaches (0 for none)."""
    return max((float(p) for bound, p in bands if value >= bound), default=0.0)


# -- the check -------------------------------------------------------------------

def _settings(ctx: CheckContext) -> dict[str, Any]:
    merged = {**DEFAULTS, **dict(ctx.settings)}
    for key in ("component_weights", "license_classes", "class_points", "restriction_penalties",
                "mof_points"):
        merged[key] = {**DEFAULTS[key], **dict(ctx.settings.get(key) or {})}
    return merged


def _fmt(x: float) -> str:
    return f"{x:g}" if x == int(x) else f"{x:.3f}".rstrip("0")


def _plural(n: int, word: str) -> str:
    return f"{n} {word if n == 1 else word + 's'}"


def _unique(ids: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(i for i in ids if i))


def _months_since(day: dt.date, as_of: dt.date) -> float:
    return round((as_of - day).days / 30.4375, 1)


@dataclass
class Part:
    """One component's outcome: ``points`` 0-1 (None: no data, left out), its rationale line,
    the releases it relied on, its metrics and its dated facts for confidence."""

    points: float | None
    line: str
    used: list[Release] = field(default_factory=list)
    metrics: dict[str, Any] = field(default_factory=dict)
    facts: list[tuple[dt.date | None, Sequence[str]]] = field(default_factory=list)
    future: int = 0


def recency_part(releases: Sequence[Release], as_of: dt.date, s: Mapping[str, Any]) -> Part:
    """Recency of the last open-weights release, or half that of the last gated one."""
    last_open = next((r for r in reversed(releases) if r.open), None)
    last_gated = next((r for r in reversed(releases) if r.availability == "gated_weights"), None)
    open_pts = recency_points(last_open.date if last_open else None, as_of, s["recency_bands"])
    gated_pts = recency_points(last_gated.date if last_gated else None, as_of, s["recency_bands"]) \
        * float(s["gated_recency_factor"])
    points = max(open_pts, gated_pts)
    line = ("Recency: " + (f"last open-weights release {last_open.name} {last_open.date.isoformat()} "
                           f"({_months_since(last_open.date, as_of)} months) → {_fmt(open_pts)}"
                           if last_open else "no open-weights release → 0")
            + (f"; last gated {last_gated.name} {last_gated.date.isoformat()} → {_fmt(gated_pts)}"
               if last_gated else "") + f"; component {_fmt(points)}")
    return Part(points, line, [r for r in (last_open, last_gated) if r], {
        "months_since_open_release": _months_since(last_open.date, as_of) if last_open else None,
        "months_since_gated_release": _months_since(last_gated.date, as_of) if last_gated else None})


def license_part(known: Sequence[Release], as_of: dt.date, window: int) -> Part:
    """Mean openness of the releases in the window (else of the latest release)."""
    start = months_before(as_of, window)  # within(day, as_of, window) is day >= start
    in_window = [r for r in known if r.date >= start]
    basis = in_window or list(known[-1:])
    points = sum(r.openness for r in basis) / len(basis)
    line = (f"Licence openness: mean of {len(basis)} "
            + (f"release(s) in the last {window} months" if in_window else "latest release (none in window)")
            + " [" + ", ".join(f"{r.name} {r.cls} {_fmt(round(r.openness, 3))}" for r in basis)
            + f"] = {_fmt(round(points, 3))}")
    return Part(points, line, basis, {"releases_in_window": len(in_window),
                                      "open_releases_in_window": sum(1 for r in in_window if r.open)})


def flagships_of(releases: Sequence[Release], known: Sequence[Release]) -> tuple[list[Release], bool]:
    """The flagships of known availability, and whether every release counts (none is marked)."""
    everyone = not any(r.flagship for r in releases)
    return (list(known) if everyone else [r for r in known if r.flagship]), everyone


def flagship_part(flagships: Sequence[Release], everyone: bool, as_of: dt.date, window: int) -> Part:
    """Share of the flagships in the window that are open weights (None with no flagship there)."""
    start = months_before(as_of, window)  # within(day, as_of, window) is day >= start
    in_window = [r for r in flagships if r.date >= start]
    if not in_window:
        return Part(None, f"Flagships in the last {window} months: none → component left out",
                    metrics={"flagships_in_window": 0, "flagship_open_share": None})
    n_open = sum(1 for r in in_window if r.open)
    points = n_open / len(in_window)
    line = (f"Flagships in the last {window} months: {n_open} of {len(in_window)} open weights"
            f" = {_fmt(round(points, 3))}"
            + (" (no release is marked flagship: every release of known availability counts)"
               if everyone else ""))
    return Part(points, line, in_window, {"flagships_in_window": len(in_window),
                                          "flagship_open_share": round(points, 3)})


def trend_line(flagships: Sequence[Release], trend: str | None, lookback: int) -> str:
    if not flagships:
        return "Trend: no flagship of known availability → not assessed"
    latest = flagships[-1]
    line = (f"Trend: latest flagship {latest.name} ({latest.availability}) vs up to {lookback} earlier"
            f" → {trend}")
    if trend == "pivoting_to_closed":
        earlier = ", ".join(f"{r.name} ({r.availability})" for r in list(flagships[:-1])[-lookback:])
        line += (f" (flag, not a deduction: earlier {earlier}; the licence and flagship components "
                 "already count the closed flagship)")
    return line


def artifacts_part(releases: Sequence[Release], as_of: dt.date, s: Mapping[str, Any]) -> Part:
    """The best MOF class (or artifact share) among the recent weight releases; 0 without any."""
    candidates = [r for r in releases if r.has_weights]
    start = months_before(as_of, int(s["flagship_window_months"]))  # within(...) is day >= start
    recent = [r for r in candidates if r.date >= start] or candidates[-1:]
    best, best_pts, best_cls = None, 0.0, None
    for r in recent:
        pts, cls = artifact_points(r, s)
        if best is None or pts >= best_pts:  # a tie goes to the later release
            best, best_pts, best_cls = r, pts, cls
    if best is None:
        return Part(0.0, "Artifacts: no release with downloadable weights → 0", metrics={"mof_class": None})
    present = sorted(released_artifacts(best))
    line = (f"Artifacts: best of {len(recent)} weight release(s) is {best.name} with "
            f"{len(present)}/7 ({', '.join(present)}) → "
            + (f"MOF {MOF_LABELS[best_cls]} = {_fmt(best_pts)}" if best_cls else
               f"no MOF class; {_fmt(float(s['partial_artifact_factor']))} × {len(present)}/7 = "
               f"{_fmt(round(best_pts, 3))}"))
    return Part(best_pts, line, [best], {"mof_class": best_cls})


def adoption_part(section: Mapping[str, Any], as_of: dt.date, profile_date: dt.date | None,
                  s: Mapping[str, Any]) -> Part:
    """Mean of the log-scaled downloads and derivatives given (None without figures)."""
    adoption = section.get("adoption") or {}
    day = parse_date(adoption.get("as_of"))
    future = int(day is not None and day > as_of)
    empty = {"downloads": None, "derivative_models": None}
    if not adoption or future:
        return Part(None, "Adoption: no figures" + (" (dated after the as-of date)" if future else "")
                    + " → component left out", metrics=empty, future=future)
    figures = (("downloads", "downloads", log_points(adoption.get("downloads"), *s["downloads_log_range"])),
               ("derivatives", "derivative_models",
                log_points(adoption.get("derivative_models"), *s["derivatives_log_range"])))
    given = [pts for _, _, pts in figures if pts is not None]
    if not given:
        return Part(None, "Adoption: no figures → component left out", metrics=empty)
    points = sum(given) / len(given)
    line = ("Adoption: " + ", ".join(
        f"{label} not given" if pts is None else f"{label} {adoption.get(key)} → {_fmt(round(pts, 3))}"
        for label, key, pts in figures) + f"; mean {_fmt(round(points, 3))}")
    return Part(points, line, metrics={"downloads": adoption.get("downloads"),
                                       "derivative_models": adoption.get("derivative_models")},
                facts=[(day or profile_date, tuple(adoption.get("sources") or ()))])


def commitments_part(section: Mapping[str, Any], as_of: dt.date, s: Mapping[str, Any]) -> Part:
    """Points for recent public commitments (None when ``commitments`` is absent)."""
    if "commitments" not in section:
        return Part(None, "Commitments: none recorded → component left out",
                    metrics={"commitments_recent": 0, "commitments_older": 0})
    window = int(s["commitment_window_months"])
    recent = old = future = 0
    facts: list[tuple[dt.date | None, Sequence[str]]] = []
    for item in section.get("commitments") or ():
        day = parse_date(item.get("date"))
        if day is not None and day > as_of:
            future += 1
            continue
        facts.append((day, tuple(item.get("sources") or ())))
        if day is not None and within(day, as_of, window):
            recent += 1
        else:
            old += 1
    points = band_points(recent, s["commitment_bands"]) or (float(s["old_commitment_points"]) if old else 0.0)
    line = f"Commitments: {recent} in the last {window} months, {old} older or undated → {_fmt(points)}"
    return Part(points, line, metrics={"commitments_recent": recent, "commitments_older": old},
                facts=facts, future=future)


def assess(profile: Mapping[str, Any], ctx: CheckContext) -> Finding:
    """Score open-source commitment (100 = consistently and recently open) from ``open_source``."""
    section = profile.get("open_source")
    if not section:
        return Finding.insufficient(
            "No open_source section: openness cannot be assessed.",
            rationale=["The profile has no open_source section."],
            recommendations=["Record the vendor's model releases (date, availability, licence) "
                             "from its model hub pages and licences."])
    if not section.get("releases"):
        return Finding.insufficient(
            "No model releases recorded: no evidence of openness either way.",
            rationale=["open_source.releases is empty or missing."
                       + (" Note: " + str(section["notes"])[:200] if section.get("notes") else "")],
            recommendations=["Record the vendor's model releases, open or not, each with its "
                             "availability and licence."])
    s = _settings(ctx)
    as_of = ctx.as_of
    releases, undated, future = read_releases(section["releases"], as_of, s)
    if not releases:
        return Finding.insufficient(
            "No dated release on or before the as-of date.",
            rationale=[f"{undated} undated and {future} later-dated releases were left out."])
    known = [r for r in releases if r.known]
    if not known:
        return Finding.insufficient(
            "No release has a recorded availability: no evidence of openness either way.",
            rationale=[f"{_plural(len(releases), 'release')} without availability "
                       "(open_weights, gated_weights, api_only or closed)."],
            recommendations=["Record each release's availability and licence."])
    window = int(s["flagship_window_months"])
    profile_date = parse_date(profile.get("profile_date"))
    flagships, everyone = flagships_of(releases, known)
    trend = flagship_trend(flagships, int(s["trend_lookback"])) if flagships else None
    pivot = trend == "pivoting_to_closed"
    announced = sum(1 for item in section["releases"] if item.get("status", "released") != "released")
    parts = {"recency": recency_part(releases, as_of, s),
             "license": license_part(known, as_of, window),
             "flagship": flagship_part(flagships, everyone, as_of, window),
             "artifacts": artifacts_part(releases, as_of, s),
             "adoption": adoption_part(section, as_of, profile_date, s),
             "commitments": commitments_part(section, as_of, s)}
    comp = {k: p.points for k, p in parts.items() if p.points is not None}

    weights = s["component_weights"]
    total_w = sum(float(weights[k]) for k in comp)
    weighted = 100.0 * sum(float(weights[k]) * v for k, v in comp.items()) / total_w if total_w else 0.0
    ever_open = any(r.open for r in releases)
    floor = float(s["ever_open_floor"]) if ever_open else 0.0
    score = round(clamp(max(weighted, floor)), 1)

    lines = [p.line for p in parts.values()]
    lines.insert(3, trend_line(flagships, trend, int(s["trend_lookback"])))
    lines.append("Weighted: 100 × (" + " + ".join(f"{_fmt(float(weights[k]))}×{_fmt(round(v, 3))}"
                                                   for k, v in comp.items())
                 + f") / {_fmt(total_w)} = {weighted:.1f}"
                 + (f"; raised to the once-open floor {_fmt(floor)}" if weighted < floor else "")
                 + f" → score {_fmt(score)}")
    if announced:
        lines.append(f"{_plural(announced, 'announced or planned release')} left out: an announcement "
                     "is not a release.")
    n_future = future + sum(p.future for p in parts.values())
    unknown = len(releases) - len(known)
    if n_future:
        lines.append(f"{_plural(n_future, 'fact')} dated after the as-of date "
                     f"{'was' if n_future == 1 else 'were'} left out.")
    if undated:
        lines.append(f"{_plural(undated, 'undated release')} left out.")
    if unknown:
        lines.append(f"{_plural(unknown, 'release')} of unknown availability left out of licence, "
                     "flagship and trend.")

    used = list({id(r): r for p in parts.values() for r in p.used}.values())
    all_weights = sum(float(v) for v in weights.values())
    detail = sum(1 for r in releases if r.known and (r.license or not r.has_weights)) / len(releases)
    completeness = ((total_w / all_weights if all_weights else 0.0) + detail) / 2
    other_facts = [f for p in parts.values() for f in p.facts]
    dated: list[tuple[dt.date | None, Sequence[str]]] = [(profile_date, r.sources) for r in used]
    conf = confidence(completeness, dated + other_facts,
                      profile, as_of, int(ctx.policy.get("freshness_days", 365)))

    metrics: dict[str, Any] = {"releases_considered": len(releases)}
    for part in parts.values():
        metrics.update(part.metrics)
    metrics.update({
        "trend": trend,
        **{f"component_{k}": round(v, 3) for k, v in comp.items()},
        "weighted_score": round(weighted, 2),
        "pivot": pivot,
        "ever_open": ever_open,
        "announced_or_planned_releases": announced,
        "facts_after_as_of": n_future,
        "undated_releases": undated,
        "unknown_availability_releases": unknown,
        "completeness": round(completeness, 2),
    })
    adoption = section.get("adoption") or {}
    facts = {"releases": [r.as_fact() for r in releases],
             "adoption": ({k: adoption.get(k) for k in ("downloads", "derivative_models", "as_of")}
                          if "adoption" in comp else None),
             "trend": trend}
    sources = _unique([i for r in used for i in r.sources] + [i for _, ids in other_facts for i in ids])
    last_open = next((r for r in reversed(releases) if r.open), None)
    return Finding(status="ok", score=score, confidence=conf,
                   summary=_summary(last_open, as_of, comp, trend, score),
                   rationale=lines, metrics=metrics, sources=sources,
                   recommendations=_recommendations(parts["license"].used, last_open, trend,
                                                    metrics["mof_class"],
                                                    flagships[-1] if flagships else None, as_of, conf),
                   facts=facts)


def _summary(last_open: Release | None, as_of: dt.date, comp: Mapping[str, float], trend: str | None,
             score: float) -> str:
    parts = [f"last open-weights release {_months_since(last_open.date, as_of)} months ago "
             f"({last_open.license or 'licence unknown'})" if last_open else "no open-weights release"]
    if "flagship" in comp:
        parts.append(f"{comp['flagship']:.0%} of recent flagships open")
    if trend:
        parts.append(f"trend {trend.replace('_', ' ')}")
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + f" (score {_fmt(score)})."


def _recommendations(basis: Sequence[Release], last_open: Release | None, trend: str | None,
                     mof: str | None, latest_flagship: Release | None, as_of: dt.date,
                     conf: float) -> list[str]:
    out: list[str] = []
    if trend == "pivoting_to_closed" and latest_flagship is not None:
        out.append(f"The latest flagship ({latest_flagship.name}) is not open although earlier ones "
                   "were: do not plan on open successors; archive the open weights you rely on with "
                   "their licence text and budget for an API contract or another provider.")
    if last_open is None:
        out.append("No open weights: treat this vendor as an API dependency and negotiate "
                   "deprecation notice, version pinning and exit terms in the contract.")
    elif not within(last_open.date, as_of, 12):
        out.append(f"No open-weights release in {_months_since(last_open.date, as_of)} months: confirm "
                   "the open roadmap with the vendor before counting on future open releases.")
    restricted = [r for r in basis if r.cls == "custom"]
    if restricted:
        names = ", ".join(r.name for r in restricted[:3])
        terms = sorted({t for r in restricted for t in r.restrictions})
        out.append(f"Have counsel check the custom licence terms of {names}"
                   + (f" ({', '.join(terms)})" if terms else "") + " against your intended use.")
    if last_open is not None and mof not in ("class_i", "class_ii"):
        out.append("If you must audit or reproduce the model, ask for training and evaluation code "
                   "and data documentation (Model Openness Framework Class II or I).")
    if conf < 0.5:
        out.append("Evidence is thin or stale: confirm releases and licences on the vendor's model "
                   "hub pages and licence files.")
    if not out:
        out.append("Archive the weights and licence text of every version you deploy.")
    return out


CHECK = Check(
    id="open_source_commitment",
    title="Open-source commitment",
    category="open_source",
    run=assess,
    version="1.0",
    weight=1.0,
    needs=("/open_source/releases", "/open_source/adoption", "/open_source/commitments",
           "/profile_date"),
    defaults=DEFAULTS,
    settings_schema=schema_for_defaults(DEFAULTS),
    doc=("Weighted 0-100 from: recency of the last open-weights release (25), licence openness of "
         "recent releases (20), share of recent flagships released open (20), Model Openness "
         "Framework class reached (15), adoption on a log scale (15) and public commitments (5); "
         "components without data are left out; a pivot to closed flagships is a flag with its "
         "evidence, not a deduction; a vendor that ever released open weights keeps at least 5. "
         "See docs/methodology/open_source_commitment.md."),
)


@hookimpl
def register_checks(register):
    register(CHECK)
