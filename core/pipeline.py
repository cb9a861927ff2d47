"""The run: policy -> plugins -> load -> validate -> checks -> aggregate -> results.

:func:`assess` is what ``vendordd run`` and ``vendordd validate`` call. It
returns an :class:`Outcome` holding the results document
(schemas/results.schema.json), the input problems (one per bad file or
place; the good profiles are still assessed) and the plugin problems. It
raises InputError only for a bad policy or portfolio (every score depends on
them) and PluginError only under ``strict`` or for duplicate check ids.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import __version__
from .evidence import is_stale, parse_date
from .host import Host, RegisteredCheck
from .loader import Document, InputError, Problem, describe_type, expand_paths, load_file
from .policy import as_of_date, load_policy
from .runner import apply_override, check_weight, effective_settings, find_override, run_check
from .scoring import aggregate, area_scores, top_risks

FORMAT_VERSION = 1


@dataclass
class Outcome:
    """What a run produced. ``results`` is the JSON results document."""

    results: dict[str, Any]
    input_problems: list[Problem] = field(default_factory=list)
    plugin_problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    host: Host | None = None
    policy: dict[str, Any] = field(default_factory=dict)
    input_paths: list[str] = field(default_factory=list)


def build_host(policy: Mapping[str, Any], plugin_paths: Iterable[str] = (),
               strict: bool = False, trace: bool | None = None) -> Host:
    """A host with the built-ins, entry points and local plugins loaded."""
    plugins = policy.get("plugins") or {}
    return Host(strict=strict, trace=trace).load(
        paths=[*plugin_paths, *(plugins.get("paths") or [])], disable=plugins.get("disable") or [])


def selected_checks(host: Host, policy: Mapping[str, Any],
                    only: Iterable[str] | None) -> tuple[list[RegisteredCheck], list[str]]:
    """The checks to run (policy-enabled, limited by ``--checks``) and unknown ids asked for."""
    available = host.checks()
    wanted = list(only) if only else None
    unknown = [c for c in wanted or () if c not in available]
    chosen = []
    for cid, rc in available.items():
        if wanted is not None and cid not in wanted:
            continue
        chosen.append(rc)
    return chosen, unknown


def read_profile(path: Any, validator: Any) -> tuple[Document | None, list[Problem]]:
    """Parse and validate one profile file: the document, or None and its problems."""
    from .validation import schema_problems, semantic_problems

    try:
        doc = load_file(path)
    except InputError as exc:
        return None, list(exc.problems)
    if not isinstance(doc.data, dict):
        return None, [Problem(doc.name, f"a profile must be a mapping, not {describe_type(doc.data)}", "/")]
    found = schema_problems(validator, doc)
    if not found:
        found = semantic_problems(doc)
    return (None, found) if found else (doc, [])


def duplicate_ids(named: Iterable[tuple[str, str]]) -> tuple[set[str], list[Problem]]:
    """``(vendor id, file name)`` pairs -> the ids used by more than one file, and a problem per such file."""
    by_id: dict[str, list[str]] = {}
    for vid, name in named:
        by_id.setdefault(vid, []).append(name)
    dups, problems = set(), []
    for vid, names in by_id.items():
        if len(names) > 1:
            dups.add(vid)
            listed = ", ".join(names)
            problems += [Problem(name, f"vendor id {vid!r} is used by more than one file ({listed}); "
                                       f"none of them was assessed", "/vendor/id") for name in names]
    return dups, problems


def load_profiles(paths: Iterable[str], validator: Any
                  ) -> tuple[list[Document], list[Problem], list[str]]:
    """Parse and validate every profile.

    Returns the good profiles (sorted by vendor id), the problems of the bad
    ones, and every file read (so that no output is ever written over one).
    """
    files, problems = expand_paths(paths)
    good: list[Document] = []
    for path in files:
        doc, found = read_profile(path, validator)
        problems.extend(found)
        if doc is not None:
            good.append(doc)
    dups, found = duplicate_ids((d.data["vendor"]["id"], d.name) for d in good)
    problems.extend(found)
    kept = sorted((d for d in good if d.data["vendor"]["id"] not in dups), key=lambda d: d.data["vendor"]["id"])
    return kept, problems, [str(p) for p in files]


def assess_vendor(doc: Document, checks: list[RegisteredCheck], policy: Mapping[str, Any],
                  as_of: dt.date, settings: Mapping[str, Mapping[str, Any]],
                  screening: Any = None) -> dict[str, Any]:
    """The results entry for one validated profile (``screening``: the run's Screener or None)."""
    from .validation import future_facts

    profile = doc.data
    vendor = profile["vendor"]
    warnings = []
    later = future_facts(profile, as_of)
    if later:
        warnings.append(f"{len(later)} fact(s) dated after the as-of date {as_of} were left out "
                        f"of this assessment (first: {later[0]})")
    results = []
    for rc in checks:
        enabled = ((policy.get("checks") or {}).get(rc.check.id) or {}).get("enabled", True)
        if enabled:
            res = run_check(rc, profile, as_of, policy, settings[rc.check.id], screening)
        else:
            res = {"status": "skipped", "score": None, "rating": None, "confidence": 0.0,
                   "summary": "Turned off by the policy.", "rationale": [], "metrics": {},
                   "sources": [], "recommendations": [], "facts": {}, "error": None}
        res = {"id": rc.check.id, "title": rc.check.title, "category": rc.check.category,
               "version": rc.check.version, "plugin": rc.plugin,
               "weight": check_weight(rc, policy), **res, "override": None}
        entry, warning = find_override(policy, vendor["id"], rc.check.id, as_of)
        if warning:
            warnings.append(warning)
        if entry is not None:
            apply_override(res, entry, policy["bands"])
        results.append(res)
    overall = aggregate(results, policy)
    return {
        "id": vendor["id"], "name": vendor["name"], "legal_name": vendor.get("legal_name"),
        "headquarters": vendor.get("headquarters"), "website": vendor.get("website"),
        "capabilities": list(vendor.get("capabilities") or []),
        "source_file": doc.name, "profile_date": profile.get("profile_date"),
        "overall": overall, "areas": area_scores(results), "top_risks": top_risks(results),
        "checks": results, "sources": _sources(profile, results, as_of, policy),
        "warnings": warnings,
    }


def _sources(profile: Mapping[str, Any], results: list[dict[str, Any]], as_of: dt.date,
             policy: Mapping[str, Any]) -> list[dict[str, Any]]:
    used: dict[str, list[str]] = {}
    for res in results:
        for sid in res["sources"]:
            used.setdefault(sid, []).append(res["id"])
    out = []
    for src in profile.get("sources") or ():
        published = parse_date(src.get("published"))
        out.append({"id": src["id"], "title": src.get("title"), "url": src.get("url"),
                    "publisher": src.get("publisher"), "published": src.get("published"),
                    "kind": src.get("kind"),
                    "stale": is_stale(published, as_of, int(policy.get("freshness_days", 365))),
                    "used_by": sorted(set(used.get(src["id"], []))),
                    "collected": _collected(src)})
    return out


def _collected(src: Mapping[str, Any]) -> dict[str, Any] | None:
    """Which collector wrote a source, and when (its ``x-collected`` mark), or None (docs/collect.md)."""
    mark = src.get("x-collected")
    if not isinstance(mark, Mapping):
        return None
    return {"source": str(mark.get("source") or "unknown"),
            "date": mark.get("date") if isinstance(mark.get("date"), str) else None}


def assess(profiles: Iterable[str], *, policy_path: str | None = None,
           portfolio_path: str | None = None, plugin_paths: Iterable[str] = (),
           as_of: str | None = None, only_checks: Iterable[str] | None = None,
           strict: bool = False, today: dt.date | None = None,
           host: Host | None = None, baseline_path: str | None = None,
           overrides_path: str | None = None, trace: bool | None = None,
           progress: Callable[[int, int], None] | None = None,
           screening_lists: Iterable[str] = (), jobs: int | None = None,
           keep_as_objects: int | None = None) -> Outcome:
    """Run the whole assessment; see the module docstring for the contract.

    ``screening_lists`` are ``--screening-list`` files, read once with the
    policy's ``screening.lists`` into the Screener every check gets as
    ``ctx.screening``; a bad list file raises InputError like a bad policy.

    ``jobs``: processes assessing the profiles (None: one per CPU for big
    runs; see :func:`vendordd.workers.choose_jobs`); the results are the
    same for any number. Above ``keep_as_objects`` profiles (default
    :data:`vendordd.vendor_store.KEEP_AS_OBJECTS`), ``results["vendors"]``
    is a :class:`~vendordd.vendor_store.VendorStore` of packed entries
    instead of a list (see that module).
    """
    # Imported here, not at the top: `vendordd checks` imports this module too.
    from .screening import load_screening
    from .validation import compile_validator, profile_schema
    from .vendor_store import KEEP_AS_OBJECTS, VendorStore
    from .workers import FileResult, Job, assess_files, choose_jobs

    policy, policy_sha = load_policy(policy_path)
    day = as_of_date(as_of, policy, today or dt.date.today())
    policy["as_of"] = day.isoformat()
    portfolio, portfolio_doc = None, None
    if portfolio_path:
        portfolio_doc = _load_portfolio(portfolio_path)
        portfolio = portfolio_doc.data
    overrides_doc = None
    if overrides_path:
        overrides_doc = load_overrides(overrides_path)
        policy["overrides"] = [*policy.get("overrides", []), *overrides_doc.data["overrides"]]
    baseline_doc = load_baseline(baseline_path) if baseline_path else None
    screener, screening_warnings = load_screening(screening_lists, policy, day)
    host = host or build_host(policy, plugin_paths, strict, trace)
    checks, unknown = selected_checks(host, policy, only_checks)
    if unknown:
        raise InputError([Problem("--checks", f"unknown check id {c!r}") for c in unknown])
    settings = {rc.check.id: effective_settings(rc, policy) for rc in checks}
    validator = compile_validator(profile_schema(host.schemas()))
    files, problems = expand_paths(profiles)
    packed = len(files) > (KEEP_AS_OBJECTS if keep_as_objects is None else keep_as_objects)
    job = Job(validator=validator, checks=checks, policy=policy, day=day, settings=settings,
              screener=screener, packed=packed)
    if baseline_doc is not None:
        job.baseline = {v["id"]: v for v in baseline_doc.data.get("vendors", [])}
        job.step = float(policy.get("diff_alert_step", 10))
    entries: list[dict[str, Any]] = []
    store = VendorStore()
    assessed: list[FileResult] = []  # without their entries
    for i, res in enumerate(assess_files(files, job, choose_jobs(jobs, len(files)))):
        problems.extend(res.problems)
        if res.vendor_id is not None:
            if res.blob is not None:
                store.add_packed(res.vendor_id, res.blob)
            else:
                entries.append(res.entry)
            res.entry = res.blob = None
            assessed.append(res)
        if progress:
            progress(i + 1, len(files))
    dups, found = duplicate_ids((r.vendor_id, r.name) for r in assessed)
    problems.extend(found)
    assessed = sorted((r for r in assessed if r.vendor_id not in dups), key=lambda r: r.vendor_id)
    vendors: Sequence[Mapping[str, Any]]
    if packed:
        store.drop(dups)
        store.sort_by_id()
        vendors = store
    else:
        vendors = sorted((e for e in entries if e["id"] not in dups), key=lambda e: e["id"])
    inputs = [{"file": r.name, "sha256": r.sha256, "role": "profile"}
              for r in sorted(assessed, key=lambda r: r.name)]
    if policy_path:
        inputs.append({"file": str(policy_path), "sha256": policy_sha, "role": "policy"})
    if portfolio_doc is not None:
        inputs.append({"file": portfolio_doc.name, "sha256": portfolio_doc.sha256, "role": "portfolio"})
    for doc, role in ((baseline_doc, "baseline"), (overrides_doc, "overrides")):
        if doc is not None:
            inputs.append({"file": doc.name, "sha256": doc.sha256, "role": role})
    list_files = [f for lst in (screener.lists if screener else ()) for f in lst.files]
    inputs.extend({"file": f, "sha256": sha, "role": "screening_list"} for f, sha in list_files)
    results: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "tool": {"name": "vendordd", "version": __version__},
        "as_of": day.isoformat(),
        "policy": policy,
        "plugins": [p.as_dict() for p in host.info()],
        "checks": [{"id": rc.check.id, "title": rc.check.title, "category": rc.check.category,
                    "version": rc.check.version, "plugin": rc.plugin,
                    "weight": check_weight(rc, policy), "doc": rc.check.doc, "url": rc.check.url,
                    "needs": list(rc.check.needs), "settings": settings[rc.check.id]}
                   for rc in checks],
        "inputs": inputs,
        "vendors": vendors,
        "portfolio": {},
        "errors": [p.as_dict() for p in sorted(problems, key=lambda p: (p.file, p.line or 0, p.pointer))],
        "warnings": [],
    }
    if screener is not None:
        results["screening"] = screener.summary()
    if baseline_doc is not None:
        results["baseline"] = {"file": baseline_doc.name, "as_of": baseline_doc.data.get("as_of"),
                               "step": job.step,
                               "removed": sorted(set(job.baseline) - {r.vendor_id for r in assessed}),
                               "got_worse": [r.vendor_id for r in assessed if r.got_worse]}
    for name, section in host.call_each("analyse_portfolio", results=results, portfolio=portfolio,
                                        policy=policy):
        if not section:
            continue
        if not isinstance(section, Mapping):
            host.problems.append(f"plugin {name!r} returned {type(section).__name__} from "
                                 f"analyse_portfolio, not a mapping; ignored")
            continue
        for key, value in section.items():
            if key in results["portfolio"]:
                host.problems.append(f"plugin {name!r}: portfolio section {key!r} is already "
                                     f"taken; ignored")
            else:
                results["portfolio"][key] = value
    results["warnings"] = [*host.problems, *screening_warnings,
                           *(f"{r.vendor_id}: {w}" for r in assessed for w in r.warnings)]
    return Outcome(results=results, input_problems=problems, plugin_problems=list(host.problems),
                   warnings=results["warnings"], host=host, policy=policy,
                   input_paths=[*map(str, files), *(p for p in (policy_path, portfolio_path, baseline_path,
                                                     overrides_path) if p),
                                *(f for f, _ in list_files)])


def load_overrides(path: str) -> Document:
    """An exceptions register kept apart from the policy: ``{overrides: [...]}``.

    Each entry has the shape of the policy's ``overrides`` entries (reason,
    approver and expiry required); they are added to the policy's own.
    """
    from .validation import compile_validator, load_schema, schema_problems

    policy_schema = load_schema("policy")
    register = policy_schema["properties"]["overrides"]
    doc = load_file(path)
    if isinstance(doc.data, list):  # the bare list: pointers are then /0, /1, ...
        schema = {**register, "$defs": policy_schema["$defs"]}
    elif isinstance(doc.data, dict):
        schema = {"$defs": policy_schema["$defs"], "type": "object", "required": ["overrides"],
                  "additionalProperties": False, "properties": {"overrides": register}}
    else:
        raise InputError([Problem(doc.name, "an overrides file holds a list of overrides", "/")])
    problems = schema_problems(compile_validator(schema), doc)
    if problems:
        raise InputError(problems)
    if isinstance(doc.data, list):
        doc.data = {"overrides": doc.data}
    return doc


def load_baseline(path: str) -> Document:
    """An earlier run's JSON results (checked against the results schema)."""
    from .validation import compile_validator, load_schema, schema_problems

    doc = load_file(path)
    if not isinstance(doc.data, dict):
        raise InputError([Problem(doc.name, "a baseline must be a vendordd results document", "/")])
    problems = schema_problems(compile_validator(load_schema("results")), doc)
    if problems:
        raise InputError(problems[:5])
    return doc


def _load_portfolio(path: str) -> Document:
    from .validation import compile_validator, load_schema, schema_problems

    doc = load_file(path)
    if not isinstance(doc.data, dict):
        raise InputError([Problem(doc.name, "a portfolio must be a mapping", "/")])
    problems = schema_problems(compile_validator(load_schema("portfolio")), doc)
    if problems:
        raise InputError(problems)
    return doc
