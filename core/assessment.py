"""One profile file, assessed: read -> validate -> checks -> aggregate -> its results entry.

:func:`assess_one` is the only way a profile is assessed: the serial path
of a run and its worker processes (:mod:`vendordd.workers`) both call it
with the run's :class:`Job`. Its read/validate half,
:func:`~vendordd.profile_files.read_profile`, lives in
:mod:`vendordd.profile_files`, which ``vendordd validate`` uses on its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from . import dates
from .diff import vendor_change
from .evidence import is_stale
from .frozen import freeze
from .host import RegisteredCheck
from .loader import Document
from .model import USE_FIELDS, use_key
from .profile_files import FileResult, read_profile
from .results import CheckResult, SourceEntry, VendorEntry, check_result, vendor_entry
from .runner import apply_override, check_weight, find_override, run_check, skipped_outcome
from .scoring import aggregate, area_scores, top_risks
from .validation import DateFields, future_facts
from .vendor_store import pack


@dataclass
class Job:
    """What assessing any file of a run needs; the same for every file."""

    validator: Any
    checks: list[RegisteredCheck]
    policy: Mapping[str, Any]
    day: dt.date
    settings: Mapping[str, Mapping[str, Any]]
    screener: Any = None
    baseline: Mapping[str, Mapping[str, Any]] | None = None  # baseline entries by vendor id
    step: float = 10.0
    policy_changed: bool = False  # the buyer's policy differs from the baseline's
    packed: bool = False
    date_fields: DateFields | None = None  # where the run's schema puts dated facts (the as-of guard)
    #: per vendor id, the distinct uses of its portfolio engagements (only with engagement-aware checks)
    uses: Mapping[str, list[Mapping[str, Any]]] = field(default_factory=dict)
    #: ids of the engagement-aware checks (:func:`vendordd.model.takes_engagement`)
    aware: frozenset[str] = frozenset()


def assess_one(path: str | Path, job: Job) -> FileResult:
    """Read, validate and assess one profile file."""
    doc, problems = read_profile(path, job.validator)
    if doc is None:
        return FileResult(problems=problems)
    entry = assess_vendor(doc, job.checks, job.policy, job.day, job.settings, job.screener, job.date_fields,
                          aware=job.aware)
    uses = job.uses.get(entry["id"]) if job.aware else None
    in_use = assess_in_use(doc, uses, job) if uses else {}
    got_worse = False
    if job.baseline is not None:
        entry["change"] = vendor_change(job.baseline.get(entry["id"]), entry, job.step, job.policy_changed)
        got_worse = bool(entry["change"]["got_worse"])
    result = FileResult(vendor_id=entry["id"], name=doc.name, sha256=doc.sha256,
                        warnings=list(entry["warnings"]), got_worse=got_worse,
                        failed=[(c["id"], c["plugin"], c["error"] or "", list(c.get("traceback") or ()))
                                for c in [*entry["checks"], *(r for rs in in_use.values() for r in rs)]
                                if c["status"] == "error"], in_use=in_use,
                        no_data=[c["id"] for c in entry["checks"] if c["status"] == "insufficient_data"])
    if job.packed:
        result.blob = pack(entry)
    else:
        result.entry = entry
    return result


def assess_vendor(doc: Document, checks: list[RegisteredCheck], policy: Mapping[str, Any],
                  as_of: dt.date, settings: Mapping[str, Mapping[str, Any]],
                  screening: Any = None, date_fields: DateFields | None = None,
                  aware: frozenset[str] = frozenset()) -> VendorEntry:
    """The results entry for one validated profile.

    ``screening``: the run's Screener or None; ``date_fields``: the run's
    dated fields (:class:`~vendordd.validation.DateFields`; default: the core
    schema's), facts after ``as_of`` in them are reported in the warnings.
    ``aware``: ids of the engagement-aware checks, run here with ``engagement=None``.
    """
    profile = doc.data
    vendor_id = profile["vendor"]["id"]
    warnings = []
    later = later_facts(doc, as_of, date_fields)
    if later:
        warnings.append(f"{len(later)} fact(s) dated after the as-of date {as_of} were left out "
                        f"of this assessment (first: {later[0]})")
    results = []
    view = _view(doc)  # read-only: one check cannot change what the next one sees
    for rc in checks:
        results.append(_judge(rc, view, vendor_id, policy, as_of, settings, screening, warnings,
                              None, rc.check.id in aware))
    plain = cast(list[dict[str, Any]], results)  # scoring reads (and fills) plain dicts
    overall = aggregate(plain, policy)
    return vendor_entry(profile, doc.name, overall=overall, areas=area_scores(plain, {*overall["missing_checks"], *overall["failed_checks"]}),
                        top_risks=top_risks(plain), checks=results, sources=_sources(profile, results, as_of, policy),
                        warnings=warnings)


def later_facts(doc: Document, as_of: dt.date, date_fields: DateFields | None = None) -> list[str]:
    """:func:`~vendordd.validation.future_facts` of ``doc``'s profile, or [] without a walk when
    the reading found no text that can be a date after ``as_of``.

    The JSON walk keeps ``top_text``, the greatest text value below ":" in the profile. A text
    ``future_facts`` reports is a date after ``as_of`` (:func:`vendordd.dates.is_after`): it
    begins with four digits (so it is below ":" and at most ``top_text``), and its start is
    after ``as_of`` only when its year, year-month or day (its first 4, 7 or 10 characters)
    is greater than the same part of ``as_of.isoformat()``, which makes the text greater than
    that whole text. So ``top_text <= as_of.isoformat()`` rules every such text out
    (tests/test_assessment_fast_paths.py compares this with ``future_facts``).
    """
    top = getattr(doc, "top_text", None)
    if top is not None and top <= as_of.isoformat():
        return []
    return future_facts(doc.data, as_of, date_fields)


def _view(doc: Document) -> Any:
    """The read-only copy of the profile the checks get: the one its reading made, else a new one."""
    view = getattr(doc, "view", None)
    return view if view is not None else freeze(doc.data)


def _judge(rc: RegisteredCheck, view: Any, vendor_id: str, policy: Mapping[str, Any], as_of: dt.date,
           settings: Mapping[str, Mapping[str, Any]], screening: Any, warnings: list[str],
           engagement: Mapping[str, Any] | None, aware: bool) -> CheckResult:
    """One check's results entry for the vendor (alone, or for one use), its override applied."""
    enabled = _enabled(policy, rc.check.id)
    said: list[str] = []
    found = (run_check(rc, view, as_of, policy, settings[rc.check.id], screening, said,
                       engagement=engagement, aware=aware) if enabled else skipped_outcome())
    warnings.extend(f"{rc.check.id}: {line}" for line in said)
    res = check_result(rc.check, rc.plugin, check_weight(rc, policy), found)
    entry, warning = find_override(policy, vendor_id, rc.check.id, as_of)
    if warning:
        warnings.append(warning)
    if entry is not None:
        apply_override(res, entry, policy["bands"])
    return res


def _enabled(policy: Mapping[str, Any], check_id: str) -> bool:
    """The policy's ``checks.<id>.enabled`` (default true)."""
    return bool(((policy.get("checks") or {}).get(check_id) or {}).get("enabled", True))


def assess_in_use(doc: Document, uses: Iterable[Mapping[str, Any]], job: Job) -> dict[str, list[CheckResult]]:
    """The engagement-aware checks run again for each use of the vendor: their results by use key.

    Only the enabled ``job.aware`` checks run (the others' findings do not depend on the use); what they
    say with ``ctx.warn`` in these runs is not repeated (the run alone reported it).
    """
    view = _view(doc)
    vendor_id = doc.data["vendor"]["id"]
    aware = [rc for rc in job.checks if rc.check.id in job.aware and _enabled(job.policy, rc.check.id)]
    out: dict[str, list[CheckResult]] = {}
    for use in uses:
        context = freeze({k: use.get(k) for k in USE_FIELDS})
        out[use_key(use)] = [_judge(rc, view, vendor_id, job.policy, job.day, job.settings, job.screener, [],
                                    context, True) for rc in aware]
    return out


def _sources(profile: Mapping[str, Any], results: list[CheckResult], as_of: dt.date,
             policy: Mapping[str, Any]) -> list[SourceEntry]:
    """The profile's sources as the results show them: staleness, the checks that cited each.

    The same entries as :func:`_sources_plain` (tests/test_assessment_fast_paths.py compares
    them), with fewer calls and objects per source (50 a profile): the date read once with
    :func:`vendordd.dates.parse` for ``is_stale(dates.earliest_day(...))``, and a source cited by
    one check listed without a set.
    """
    used: dict[str, list[str]] = {}
    for res in results:
        check_id = res["id"]
        for sid in res["sources"]:
            used.setdefault(sid, []).append(check_id)
    freshness = int(policy.get("freshness_days", 365))  # the run's, read once per vendor
    parse = dates.parse
    out: list[SourceEntry] = []
    for src in profile.get("sources") or ():
        get = src.get
        sid = src["id"]
        published = get("published")
        cited_by = used.get(sid)
        first = parse(published)  # its first day is dates.earliest_day(published)
        out.append({"id": sid, "title": get("title"), "url": get("url"),
                    "publisher": get("publisher"), "published": published,
                    "kind": get("kind"),
                    "stale": first is not None and (as_of - first.start).days > freshness,
                    "used_by": ((sorted(set(cited_by)) if len(cited_by) > 1 else [cited_by[0]])
                                if cited_by else []),
                    "collected": _collected(src) if "x-collected" in src else None})
    return out


def _sources_plain(profile: Mapping[str, Any], results: list[CheckResult], as_of: dt.date,
                   policy: Mapping[str, Any]) -> list[SourceEntry]:
    """:func:`_sources`'s plain twin."""
    used: dict[str, list[str]] = {}
    for res in results:
        for sid in res["sources"]:
            used.setdefault(sid, []).append(res["id"])
    freshness = int(policy.get("freshness_days", 365))
    out: list[SourceEntry] = []
    for src in profile.get("sources") or ():
        sid = src["id"]
        published = src.get("published")
        cited_by = used.get(sid)
        out.append({"id": sid, "title": src.get("title"), "url": src.get("url"),
                    "publisher": src.get("publisher"), "published": published,
                    "kind": src.get("kind"),
                    "stale": is_stale(dates.earliest_day(published), as_of, freshness),
                    "used_by": sorted(set(cited_by)) if cited_by else [],
                    "collected": _collected(src) if "x-collected" in src else None})
    return out


def _collected(src: Mapping[str, Any]) -> dict[str, Any] | None:
    """Which collector wrote a source, and when (its ``x-collected`` mark), or None (docs/collect.md)."""
    mark = src.get("x-collected")
    if not isinstance(mark, Mapping):
        return None
    return {"source": str(mark.get("source") or "unknown"),
            "date": mark.get("date") if isinstance(mark.get("date"), str) else None}
