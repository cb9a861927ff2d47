"""The types plugins and the host exchange: `Check`, `CheckContext`, `Finding`.

These are the public plugin API (see docs/plugins.md). They import nothing
heavy so that `vendordd --help` stays fast.
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

#: Risk levels, safest first. A *rating* (per check) and a *tier* (per vendor)
#: use the same four words.
RATINGS: tuple[str, ...] = ("low", "medium", "high", "critical")

#: What happened when a check ran.
STATUSES: tuple[str, ...] = ("ok", "insufficient_data", "error", "skipped")

#: Default score bands: a score at or above the bound gets the rating.
DEFAULT_BANDS: Mapping[str, float] = {"low": 75.0, "medium": 50.0, "high": 25.0}


def rating_rank(rating: str) -> int:
    """0 for low ... 3 for critical; raises ValueError for an unknown rating."""
    return RATINGS.index(rating)


def worst(*ratings: str | None) -> str | None:
    """The riskiest of the given ratings (None where none is given)."""
    given = [r for r in ratings if r]
    return max(given, key=rating_rank) if given else None


def rating_for(score: float, bands: Mapping[str, float] = DEFAULT_BANDS) -> str:
    """Map a 0-100 score (higher is safer) to a rating through the bands."""
    for rating in ("low", "medium", "high"):
        if score >= bands[rating]:
            return rating
    return "critical"


@dataclass
class Finding:
    """What one check concluded about one vendor.

    A check returns a Finding; the host fills in the check's identity and,
    when ``rating`` is None, derives the rating from ``score`` through the
    policy's bands. A check may set a rating worse than its score implies (a
    sanctions listing is critical whatever else is true) but never better.

    ``score`` is 0-100, higher is safer, and must be None unless ``status`` is
    ``ok``: missing evidence is ``insufficient_data``, never a number.
    ``confidence`` (0-1) says how complete, fresh and well-sourced the
    evidence was. ``metrics`` holds the numbers the check computed,
    ``facts`` the profile facts it used (so that a later run can say what
    changed), ``sources`` the source ids it relied on.
    """

    status: str = "ok"
    score: float | None = None
    rating: str | None = None
    confidence: float = 0.0
    summary: str = ""
    rationale: list[str] = field(default_factory=list)
    metrics: dict[str, Any] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)
    recommendations: list[str] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def insufficient(cls, summary: str, *, rationale: list[str] | None = None,
                     recommendations: list[str] | None = None) -> Finding:
        """A finding that says the profile lacks what the check needs."""
        return cls(status="insufficient_data", summary=summary,
                   rationale=list(rationale or []),
                   recommendations=list(recommendations or []))

    def problems(self) -> list[str]:
        """What is malformed about this finding (empty when it is well formed)."""
        out: list[str] = []
        if self.status not in STATUSES:
            out.append(f"status {self.status!r} is not one of {', '.join(STATUSES)}")
        if self.rating is not None and self.rating not in RATINGS:
            out.append(f"rating {self.rating!r} is not one of {', '.join(RATINGS)}")
        if self.score is not None:
            if isinstance(self.score, bool) or not isinstance(self.score, (int, float)):
                out.append(f"score {self.score!r} is not a number")
            elif not math.isfinite(self.score) or not 0 <= self.score <= 100:
                out.append(f"score {self.score!r} is outside 0-100")
            elif self.status != "ok":
                out.append(f"a finding with status {self.status!r} must have no score")
        elif self.status == "ok":
            out.append("a finding with status 'ok' needs a score")
        if isinstance(self.confidence, bool) or not isinstance(self.confidence, (int, float)) \
                or not math.isfinite(self.confidence) or not 0 <= self.confidence <= 1:
            out.append(f"confidence {self.confidence!r} is outside 0-1")
        if not isinstance(self.summary, str):
            out.append("summary is not text")
        for name in ("rationale", "sources", "recommendations"):
            value = getattr(self, name)
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                out.append(f"{name} is not a list of text")
        for name in ("metrics", "facts"):
            if not isinstance(getattr(self, name), dict):
                out.append(f"{name} is not a mapping")
        return out


@dataclass(frozen=True)
class CheckContext:
    """What a check gets besides the profile.

    ``as_of`` is the assessment date: the only clock a check may read.
    ``settings`` are the check's parameters: its ``defaults`` overlaid with
    the policy's ``checks.<id>.settings``. ``policy`` is the whole effective
    policy (a plain dict) for buyer-level facts such as jurisdictions and the
    sanctions lists the buyer is bound by.

    A check may call ``ctx.warn(message)`` to report something the reader
    should know that is not a finding (facts it left out, say).

    ``screening`` is the run's :class:`vendordd.screening.Screener` when
    screening list files were given (``--screening-list`` or the policy's
    ``screening.lists``), else None. A check may call its
    ``screen(names, countries)``, which returns matches against the official
    lists; the lists themselves are read once per run, never by a check.
    """

    as_of: _dt.date
    settings: Mapping[str, Any]
    policy: Mapping[str, Any]
    screening: Any = None
    #: what the check said with :meth:`warn` (the host moves them into the results' warnings)
    warnings: list[str] = field(default_factory=list)

    def warn(self, message: str) -> None:
        """Record a warning for this vendor (say, facts left out); it reaches the results'
        warnings, the Methodology sheet and stderr, prefixed with the vendor and check ids."""
        self.warnings.append(" ".join(str(message).split())[:500])

    def source(self, profile: Mapping[str, Any], source_id: str) -> Mapping[str, Any] | None:
        """The profile's source with that id, or None."""
        for src in profile.get("sources") or ():
            if src.get("id") == source_id:
                return src
        return None


@dataclass(frozen=True)
class Check:
    """A due-diligence check a plugin registers through ``register_checks``.

    ``id`` is a stable slug (lowercase letters, digits, ``_`` and ``.``) used
    in policies, results and overrides. ``category`` is the area the score
    rolls up into (the built-ins use ``leadership``, ``open_source``,
    ``compute`` and ``geopolitics``). ``weight`` is the default weight in the
    overall score; the policy may change it. ``needs`` lists the JSON
    pointers of the profile fields the check reads. ``defaults`` are its
    tunable settings, shown in the Methodology sheet. ``doc`` explains the
    method in a few lines; ``url`` may point at the full method.
    ``settings_schema`` (a JSON Schema for the settings mapping;
    :func:`vendordd.settings.schema_for_defaults` writes one from
    ``defaults``) makes a run refuse a policy whose settings for this check
    have an unknown key or a value of the wrong type, before any profile
    is read.

    ``run(profile, ctx)`` takes the validated profile (a dict) and a
    :class:`CheckContext` and returns a :class:`Finding`. It must not modify
    the profile (it gets a read-only view; a change fails the check), read
    the clock, or touch the network.

    ``run(profile, ctx, engagement=None)``: a check whose ``run`` names a
    parameter ``engagement`` (as a pluggy hook implementation names the
    arguments it takes) is engagement-aware. It runs once with
    ``engagement=None`` (the vendor alone) and, when the portfolio declares
    engagements for the vendor, once more per distinct use, with a read-only
    mapping of ``deployment`` (``hosted_api``, ``cloud_marketplace``,
    ``self_hosted_weights``), ``hosting_provider``, ``data_sensitivity`` and
    ``criticality``; those findings replace its finding in that engagement's
    verdict (docs/plugins.md, "Engagement context"). Other checks run once.
    """

    id: str
    title: str
    category: str
    run: Callable[[Mapping[str, Any], CheckContext], Finding]
    version: str = "1.0"
    weight: float = 1.0
    needs: tuple[str, ...] = ()
    defaults: Mapping[str, Any] = field(default_factory=dict)
    doc: str = ""
    url: str | None = None
    settings_schema: Mapping[str, Any] | None = None


#: The fields of an engagement a check sees (``run(profile, ctx, engagement)``).
USE_FIELDS: tuple[str, ...] = ("deployment", "hosting_provider", "data_sensitivity", "criticality")


def takes_engagement(run: Callable[..., Any]) -> bool:
    """True when ``run`` has a parameter named ``engagement`` (an engagement-aware check)."""
    import inspect

    try:
        return "engagement" in inspect.signature(run).parameters
    except (TypeError, ValueError):  # a callable without a signature (some built-ins): not aware
        return False


def use_key(engagement: Mapping[str, Any]) -> str:
    """A stable key of an engagement's use ("self_hosted_weights||internal|low")."""
    return "|".join(str(engagement.get(k) or "") for k in USE_FIELDS)
