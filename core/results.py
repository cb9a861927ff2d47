"""The results model: a check result, a vendor entry and the run's results document.

The shapes are ``TypedDict``s (plain dicts at run time, so JSON, pickling
and plugins see what they always saw) and each is built by one constructor
here; the runner, the assessment, the testing helpers, the CLI and the
scorecard all use these. ``schemas/results.schema.json`` is the published
contract; the key order below is the order of the JSON text.

The results *file* (``--json``) is :func:`file_form` of the document: each
vendor's sources there leave out the details the profile holds
(:data:`SOURCE_DETAILS_IN_PROFILE`), which the profile's SHA-256 in
``inputs`` pins. In memory (the scorecard, the plugins' hooks, the testing
helpers) the sources keep them. docs/results.md describes the formats.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NotRequired, TypedDict, cast

from .model import Check
from .vendor_store import DecodedView

#: The results document's format (``format_version``); docs/results.md says what changed when.
FORMAT_VERSION = 2
#: The formats ``vendordd diff`` and ``--baseline`` read.
READABLE_FORMATS = (1, 2)
#: A profile source's fields the results file leaves out (format 2): copies of the profile's text,
#: pinned by its SHA-256 in ``inputs``. ``published`` and ``kind`` stay: they say why a source is
#: stale and how much it weighs.
SOURCE_DETAILS_IN_PROFILE = frozenset({"title", "url", "publisher"})


class CheckOutcome(TypedDict):
    """What running a check produced, before the check's identity is added."""

    status: str
    score: float | None
    rating: str | None
    confidence: float
    summary: str
    rationale: list[str]
    metrics: dict[str, Any]
    sources: list[str]
    recommendations: list[str]
    facts: dict[str, Any]
    error: str | None
    traceback: NotRequired[list[str]]


class CheckResult(CheckOutcome):
    """One check's entry in a vendor's ``checks`` list: its outcome, who ran it, how it counts."""

    id: str
    title: str
    category: str
    version: str
    plugin: str
    weight: float
    override: dict[str, Any] | None
    weighted_contribution: NotRequired[float | None]


class SourceEntry(TypedDict):
    """A profile source as the results show it: with staleness and the checks that used it."""

    id: str
    title: str | None
    url: str | None
    publisher: str | None
    published: str | None
    kind: str | None
    stale: bool
    used_by: list[str]
    collected: dict[str, Any] | None


class VendorEntry(TypedDict):
    """One vendor's entry in ``results["vendors"]``."""

    id: str
    name: str
    legal_name: str | None
    headquarters: str | None
    website: str | None
    capabilities: list[str]
    source_file: str
    profile_date: str | None
    overall: dict[str, Any]
    areas: dict[str, float | None]
    top_risks: list[str]
    checks: list[CheckResult]
    sources: list[SourceEntry]
    warnings: list[str]
    change: NotRequired[dict[str, Any]]


class Results(TypedDict):
    """The results document (``--json``)."""

    format_version: int
    tool: dict[str, str]
    as_of: str
    policy: dict[str, Any]
    plugins: list[dict[str, Any]]
    checks: list[dict[str, Any]]
    inputs: list[dict[str, Any]]
    vendors: Sequence[VendorEntry]
    portfolio: dict[str, Any]
    errors: list[dict[str, Any]]
    warnings: list[str]
    screening: NotRequired[dict[str, Any]]
    baseline: NotRequired[dict[str, Any]]
    engagements: NotRequired[list[dict[str, Any]]]  # with portfolio engagements (core/engagements.py)


def outcome(*, status: str, score: float | None = None, rating: str | None = None,
            confidence: float = 0.0, summary: str = "", rationale: Sequence[str] = (),
            metrics: Mapping[str, Any] | None = None, sources: Sequence[str] = (),
            recommendations: Sequence[str] = (), facts: Mapping[str, Any] | None = None,
            error: str | None = None, traceback: Sequence[str] | None = None) -> CheckOutcome:
    """A :class:`CheckOutcome`; ``traceback`` (the last frames of a failure) is kept only when given."""
    out: CheckOutcome = {"status": status, "score": score, "rating": rating, "confidence": confidence,
                         "summary": summary, "rationale": list(rationale), "metrics": dict(metrics or {}),
                         "sources": list(sources), "recommendations": list(recommendations),
                         "facts": dict(facts or {}), "error": error}
    if traceback:
        out["traceback"] = list(traceback)
    return out


def check_result(check: Check, plugin: str, weight: float, result: CheckOutcome) -> CheckResult:
    """A check's results entry: its identity, its weight, then what it found (no override yet)."""
    entry = cast(CheckResult, {
        "id": check.id, "title": check.title, "category": check.category, "version": check.version,
        "plugin": plugin, "weight": weight,
        "status": result["status"], "score": result["score"], "rating": result["rating"],
        "confidence": result["confidence"], "summary": result["summary"],
        "rationale": result["rationale"], "metrics": result["metrics"], "sources": result["sources"],
        "recommendations": result["recommendations"], "facts": result["facts"],
        "error": result["error"]})
    if "traceback" in result:
        entry["traceback"] = result["traceback"]
    entry["override"] = None
    return entry


def vendor_entry(profile: Mapping[str, Any], source_file: str, *, overall: dict[str, Any],
                 areas: dict[str, float | None], top_risks: list[str], checks: list[CheckResult],
                 sources: list[SourceEntry], warnings: list[str]) -> VendorEntry:
    """A vendor's results entry from its (validated) profile and its assessment."""
    vendor = profile["vendor"]
    return {
        "id": vendor["id"], "name": vendor["name"], "legal_name": vendor.get("legal_name"),
        "headquarters": vendor.get("headquarters"), "website": vendor.get("website"),
        "capabilities": list(vendor.get("capabilities") or []),
        "source_file": source_file, "profile_date": profile.get("profile_date"),
        "overall": overall, "areas": areas, "top_risks": top_risks,
        "checks": checks, "sources": sources, "warnings": warnings,
    }


def run_results(*, version: str, as_of: str, policy: dict[str, Any], plugins: list[dict[str, Any]],
                checks: list[dict[str, Any]], inputs: list[dict[str, Any]],
                vendors: Sequence[VendorEntry], errors: list[dict[str, Any]]) -> Results:
    """The results document, before the portfolio hooks fill ``portfolio`` and the warnings are added."""
    return {
        "format_version": FORMAT_VERSION,
        "tool": {"name": "vendordd", "version": version},
        "as_of": as_of,
        "policy": policy,
        "plugins": plugins,
        "checks": checks,
        "inputs": inputs,
        "vendors": vendors,
        "portfolio": {},
        "errors": errors,
        "warnings": [],
    }


def file_vendor_entry(entry: Mapping[str, Any]) -> dict[str, Any]:
    """A vendor entry as the results file holds it: its sources without :data:`SOURCE_DETAILS_IN_PROFILE`."""
    out = dict(entry)
    if isinstance(entry.get("sources"), list):
        out["sources"] = [_file_source(source) for source in entry["sources"]]
    return out


def _file_source(source: Any) -> Any:
    """A source as the results file holds it (:func:`_file_source_plain`, the reference it equals:
    tests/test_assessment_fast_paths.py). A plain dict is copied in one step and the details
    dropped from the copy, which keeps the other keys' order: a third of the dict comprehension's
    cost, for the 50,000 sources of 1,000 synthetic vendors."""
    if type(source) is not dict:
        return _file_source_plain(source)
    out = source.copy()
    for key in SOURCE_DETAILS_IN_PROFILE:
        out.pop(key, None)
    return out


def _file_source_plain(source: Any) -> Any:
    """:func:`_file_source`'s plain twin: a mapping's items but the details, in order; anything else as it is."""
    if isinstance(source, Mapping):
        return {k: v for k, v in source.items() if k not in SOURCE_DETAILS_IN_PROFILE}
    return source


def file_form(results: Mapping[str, Any]) -> dict[str, Any]:
    """The results document as the file holds it; its vendor entries are made as they are read."""
    out = dict(results)
    if isinstance(out.get("vendors"), Sequence):
        # each entry through file_vendor_entry when read (a VendorStore stays packed)
        out["vendors"] = DecodedView(out["vendors"], file_vendor_entry)
    return out


