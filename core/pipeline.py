"""The run, in one function: prepare -> assess each profile -> portfolio hooks -> write outputs.

:func:`assess` is what ``vendordd run`` calls (the spine, drawn in
docs/architecture.md). It returns an :class:`Outcome` holding the results
document (schemas/results.schema.json), the input problems (one per bad
file or place; the good profiles are still assessed) and the plugin
problems. It raises InputError only for a bad policy, portfolio, baseline,
overrides or screening list (every score depends on them), PluginError only
under ``strict`` or for duplicate check ids, and OutputError when an output
could not be written (then no output changed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, cast

from . import __version__
from .assessment import FileResult, Job
from .diff import buyer_changed
from .host import Host, PluginInfo, RegisteredCheck
from .inputs import load_baseline, load_overrides, load_portfolio
from .loader import Document, InputError, Problem, expand_paths, load_file
from .model import USE_FIELDS, takes_engagement, use_key
from .outputs import Outputs, write_outputs
from .policy import as_of_date, load_policy, unknown_references
from .profile_files import build_host, unique_vendors
from .results import Results, VendorEntry, run_results
from .runner import check_weight, effective_settings
from .validation import DateFields, compile_validator, profile_schema
from .vendor_store import KEEP_AS_OBJECTS, VendorStore
from .workers import assess_files, choose_jobs


@dataclass
class Outcome:
    """What a run produced. ``results`` is the JSON results document."""

    results: Results
    input_problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    host: Host | None = None
    policy: dict[str, Any] = field(default_factory=dict)
    input_paths: list[str] = field(default_factory=list)
    #: one entry per check that failed on any vendor (see :func:`check_failures`)
    check_failures: list[dict[str, Any]] = field(default_factory=list)


def assess(profiles: Iterable[str], *, policy_path: str | None = None,
           portfolio_path: str | None = None, plugin_paths: Iterable[str] = (),
           as_of: str | None = None, only_checks: Iterable[str] | None = None,
           strict: bool = False, today: dt.date | None = None,
           host: Host | None = None, baseline_path: str | None = None,
           overrides_path: str | None = None, trace: bool | None = None,
           progress: Callable[[int, int], None] | None = None,
           screening_lists: Iterable[str] = (), jobs: int | None = None,
           keep_as_objects: int | None = None, outputs: Outputs | None = None) -> Outcome:
    """Run the whole assessment; see the module docstring for the contract.

    ``screening_lists`` are ``--screening-list`` files, read once with the
    policy's ``screening.lists`` into the Screener every check gets as
    ``ctx.screening``. ``jobs``: processes assessing the profiles (None:
    automatic, see :func:`vendordd.workers.choose_jobs`); the results are the
    same for any number. Above ``keep_as_objects`` profiles (default
    :data:`vendordd.vendor_store.KEEP_AS_OBJECTS`) ``results["vendors"]`` is
    a :class:`~vendordd.vendor_store.VendorStore`. ``outputs``: the files to
    write (none: the caller only wants the results).
    """
    run = prepare(policy_path=policy_path, portfolio_path=portfolio_path, plugin_paths=plugin_paths,
                  as_of=as_of, only_checks=only_checks, strict=strict, today=today, host=host,
                  baseline_path=baseline_path, overrides_path=overrides_path, trace=trace,
                  screening_lists=screening_lists)
    files, problems = expand_paths(profiles)
    limit = KEEP_AS_OBJECTS if keep_as_objects is None else keep_as_objects
    job = run.job(packed=len(files) > limit)
    processes = choose_jobs(jobs, len(files))
    assessed = unique_vendors(_assess_all(files, job, processes, progress), problems)
    # an override or clearance naming no assessed vendor or no check: warned, refused under --strict
    dangling = unknown_references(run.policy, run.host.checks(), (r.vendor_id or "" for r in assessed))
    if strict:
        problems.extend(Problem(run.policy_path or "policy", w.split(": ", 1)[1], w.split(":", 1)[0][7:])
                        for w in dangling)
        dangling = []
    in_use = {r.vendor_id: r.in_use for r in assessed if r.in_use and r.vendor_id}
    results = run.results(assessed, problems, job)
    if run.portfolio and run.portfolio.get("engagements"):
        # before the portfolio hooks, so that they see each engaged vendor's verdict in use
        from .engagements import apply_engagements
        apply_engagements(cast(dict[str, Any], results), run.portfolio, run.policy, in_use)
    results["portfolio"] = run.host.analyse_portfolio(results, run.portfolio, run.policy)
    failures = check_failures(assessed)
    results["warnings"] = [*run.host.problems, *run.screening_warnings, *dangling, *(f["line"] for f in failures),
                           *no_data_everywhere(assessed, run.host),
                           *(f"{r.vendor_id}: {w}" for r in assessed for w in r.warnings)]
    outcome = Outcome(results=results, input_problems=problems,
                      warnings=list(results["warnings"]), host=run.host, policy=run.policy,
                      input_paths=[*map(str, files), *run.input_paths()], check_failures=failures)
    if outputs is not None:
        write(outcome, outputs, jobs=processes)
    return outcome


def write(outcome: Outcome, outputs: Outputs, jobs: int = 1) -> None:
    """The output step: the workbook (with the plugins' sheets and sections) and the JSON, as one unit.

    ``jobs``: processes the workbook may use (the file is the same for any number).

    A warning raised while the plugins' vendor-sheet sections or sheets are
    written joins the results' warnings (so the Methodology sheet and the
    JSON hold it) and ``outcome.warnings``.
    """
    host, results = outcome.host, outcome.results
    seen = len(host.problems) if host is not None else 0

    def sections(vendor: Mapping[str, Any]) -> list[tuple[str, Any]]:
        return host.vendor_sections(vendor, results, outcome.policy) if host is not None else []

    def sheets(workbook: Any, writer: Any) -> None:
        if host is None:
            return
        host.report_section_failures()  # the vendor sheets, and so their sections, are written by now
        host.scorecard_sheets(workbook, results, outcome.policy, writer)
        results["warnings"].extend(host.problems[seen:])
        outcome.warnings.extend(host.problems[seen:])

    write_outputs(cast(dict[str, Any], results), outputs, sheets=sheets, protected=outcome.input_paths,
                  sections=sections, jobs=jobs)


@dataclass
class Run:
    """A prepared run: the effective policy, its side inputs, the plugins and the validator."""

    policy: dict[str, Any]
    day: dt.date
    host: Host
    checks: list[RegisteredCheck]
    settings: dict[str, dict[str, Any]]
    validator: Any
    date_fields: DateFields
    screener: Any
    screening_warnings: list[str]
    policy_path: str | None
    policy_sha: str | None
    portfolio_doc: Document | None
    baseline_doc: Document | None
    overrides_doc: Document | None

    @property
    def portfolio(self) -> dict[str, Any] | None:
        return self.portfolio_doc.data if self.portfolio_doc is not None else None

    def job(self, packed: bool) -> Job:
        """What assessing each profile file needs (the same for every file)."""
        job = Job(validator=self.validator, checks=self.checks, policy=self.policy, day=self.day,
                  settings=self.settings, screener=self.screener, packed=packed,
                  date_fields=self.date_fields)
        job.aware = frozenset(rc.check.id for rc in self.checks if takes_engagement(rc.check.run))
        if job.aware and self.portfolio:
            job.uses = uses_by_vendor(self.portfolio)
        if self.baseline_doc is not None:
            job.baseline = {v["id"]: v for v in self.baseline_doc.data.get("vendors", [])}
            job.step = float(self.policy.get("diff_alert_step", 10))
            job.policy_changed = buyer_changed(self.baseline_doc.data.get("policy"), self.policy)
        return job

    def input_paths(self) -> list[str]:
        """Every input file besides the profiles (never written over)."""
        docs = (self.portfolio_doc, self.baseline_doc, self.overrides_doc)
        return [*([self.policy_path] if self.policy_path else []),
                *(str(d.path) for d in docs if d is not None),
                *(f for f, _ in self._list_files())]

    def _list_files(self) -> list[tuple[str, str]]:
        return [f for lst in (self.screener.lists if self.screener else ()) for f in lst.files]

    def results(self, assessed: list[FileResult], problems: list[Problem], job: Job) -> Results:
        """The results document of the assessed files (see :func:`unique_vendors`), before the hooks."""
        vendors: Sequence[VendorEntry]
        if job.packed:
            vendors = VendorStore((r.vendor_id, r.blob) for r in assessed
                                  if r.vendor_id is not None and r.blob is not None)
        else:
            vendors = [r.entry for r in assessed if r.entry is not None]
        for r in assessed:
            r.entry = r.blob = None
        results = run_results(
            version=__version__, as_of=self.day.isoformat(), policy=self.policy,
            plugins=[p.as_dict() for p in self.host.info()],
            checks=[{"id": rc.check.id, "title": rc.check.title, "category": rc.check.category,
                     "version": rc.check.version, "plugin": rc.plugin,
                     "weight": check_weight(rc, self.policy), "doc": rc.check.doc, "url": rc.check.url,
                     "needs": list(rc.check.needs), "settings": self.settings[rc.check.id]}
                    for rc in self.checks],
            inputs=self._inputs(assessed), vendors=vendors,
            errors=[p.as_dict() for p in sorted(problems, key=lambda p: (p.file, p.line or 0, p.pointer))])
        if self.screener is not None:
            results["screening"] = self.screener.summary()
        if self.baseline_doc is not None and job.baseline is not None:
            results["baseline"] = {"file": self.baseline_doc.name, "as_of": self.baseline_doc.data.get("as_of"),
                                   "step": job.step,
                                   "removed": sorted(set(job.baseline) - {r.vendor_id for r in assessed}),
                                   "got_worse": [r.vendor_id for r in assessed if r.got_worse]}
        return results

    def _inputs(self, kept: list[FileResult]) -> list[dict[str, Any]]:
        inputs: list[dict[str, Any]] = [{"file": r.name, "sha256": r.sha256, "role": "profile"}
                                        for r in sorted(kept, key=lambda r: r.name or "")]
        if self.policy_path:
            inputs.append({"file": str(self.policy_path), "sha256": self.policy_sha, "role": "policy"})
        for doc, role in ((self.portfolio_doc, "portfolio"), (self.baseline_doc, "baseline"),
                          (self.overrides_doc, "overrides")):
            if doc is not None:
                inputs.append({"file": doc.name, "sha256": doc.sha256, "role": role})
        inputs.extend({"file": f, "sha256": sha, "role": "screening_list"} for f, sha in self._list_files())
        return inputs


def prepare(*, policy_path: str | None = None, portfolio_path: str | None = None,
            plugin_paths: Iterable[str] = (), as_of: str | None = None,
            only_checks: Iterable[str] | None = None, strict: bool = False,
            today: dt.date | None = None, host: Host | None = None, baseline_path: str | None = None,
            overrides_path: str | None = None, trace: bool | None = None,
            screening_lists: Iterable[str] = ()) -> Run:
    """Read the policy and side inputs, load the plugins, compile the validator."""
    from .screening import load_screening  # its list readers are only needed here

    policy, policy_sha = load_policy(policy_path)
    day = as_of_date(as_of, policy, today or dt.date.today())
    policy["as_of"] = day.isoformat()
    portfolio_doc = load_portfolio(portfolio_path) if portfolio_path else None
    overrides_doc = load_overrides(overrides_path) if overrides_path else None
    if overrides_doc is not None:
        policy["overrides"] = [*policy.get("overrides", []), *overrides_doc.data["overrides"]]
    baseline_doc = load_baseline(baseline_path) if baseline_path else None
    screener, screening_warnings = load_screening(screening_lists, policy, day)
    host = host or build_host(policy, plugin_paths, strict, trace)
    checks, unknown = selected_checks(host, only_checks)
    if unknown:
        raise InputError([Problem("--checks", f"unknown check id {c!r}") for c in unknown])
    wrong = [Problem(policy_path or "the default policy", message, f"/checks/{rc.check.id}/settings{where}")
             for rc in checks for where, message in check_settings_problems(rc, policy, host)]
    if wrong:
        raise InputError(_placed(wrong, policy_path))
    schema = profile_schema(host.schemas())
    return Run(policy=policy, day=day, host=host, checks=checks,
               settings={rc.check.id: effective_settings(rc, policy) for rc in checks},
               validator=compile_validator(schema), date_fields=DateFields.of(schema),
               screener=screener, screening_warnings=screening_warnings,
               policy_path=policy_path, policy_sha=policy_sha, portfolio_doc=portfolio_doc,
               baseline_doc=baseline_doc, overrides_doc=overrides_doc)


def _placed(problems: list[Problem], path: str | None) -> list[Problem]:
    """``problems`` of the policy file with the line and column of each pointer, where findable
    (as profile errors have them); the file is read again, on this error path only."""
    if path is None:
        return problems
    from .error_places import locate

    try:
        doc = load_file(path)
    except InputError:
        return problems
    placed = []
    for problem in problems:
        *parent, key = problem.pointer.split("/")[1:] or [""]
        line, column = locate(doc, parent, key=key)  # where the setting's key is written
        placed.append(replace(problem, line=line, column=column))
    return placed


def uses_by_vendor(portfolio: Mapping[str, Any]) -> dict[str, list[Mapping[str, Any]]]:
    """Per vendor id, the distinct uses of its engagements (:data:`vendordd.model.USE_FIELDS`)."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for eng in portfolio.get("engagements") or ():
        use = {k: eng.get(k) for k in USE_FIELDS}
        out.setdefault(str(eng.get("vendor")), {})[use_key(use)] = use
    return {vid: [uses[k] for k in sorted(uses)] for vid, uses in out.items()}


def check_failures(assessed: Iterable[FileResult]) -> list[dict[str, Any]]:
    """One entry per check that failed: its warning ``line``, the vendors, the first traceback.

    A check failing on many vendors is one line with the count, so a broken
    plugin does not bury the run's other messages.
    """
    by_check: dict[str, dict[str, Any]] = {}
    for res in assessed:
        for check_id, plugin, error, frames in res.failed:
            entry = by_check.setdefault(check_id, {"check": check_id, "plugin": plugin, "vendors": [],
                                                   "error": error, "traceback": frames})
            entry["vendors"].append(res.vendor_id)
    out = []
    for check_id in sorted(by_check):
        entry = by_check[check_id]
        vendors = entry["vendors"]
        who = (f"vendor {vendors[0]!r}" if len(vendors) == 1
               else f"{len(vendors)} vendors (first {vendors[0]!r})")
        entry["line"] = (f"check {check_id!r} of plugin {entry['plugin']!r} failed for {who}: "
                         f"{entry['error']}")
        out.append(entry)
    return out


def no_data_everywhere(assessed: Sequence[FileResult], host: Host) -> list[str]:
    """One warning line per extra check that had no data (``insufficient_data``) for every vendor.

    Fail-closed makes each of those vendors incomplete (``needs_evidence``);
    when it is every vendor, the usual cause is a plugin installed before
    anyone entered its data, so the run says so once, with the way out.
    Extra checks only (entry-point and local plugins): a built-in check the
    profiles lack is the documented fail-closed case and is listed on each
    vendor's sheet. Only for two or more vendors: with one, its own sheet
    already lists the missing check.
    """
    if len(assessed) < 2:
        return []
    everywhere = set(assessed[0].no_data).intersection(*(r.no_data for r in assessed[1:]))
    checks = host.checks()
    out = []
    for check_id in sorted(everywhere):
        plugin = checks[check_id].plugin if check_id in checks else None
        info = host.plugins.get(plugin) if plugin else None
        if info is None or info.origin == "builtin":
            continue
        out.append(f"check {check_id!r} had no data for any of the {len(assessed)} vendors: every vendor "
                   f"is incomplete; enter its data in the profiles or {_way_out(info)}")
    return out


def _way_out(info: PluginInfo) -> str:
    """How to stop running a plugin's checks, worded for where the plugin came from."""
    if info.origin == "entry_point":
        return (f"remove the plugin {info.name!r} (pip uninstall {info.where.split(' ')[0]}, "
                "or list it in the policy's plugins.disable)")
    if info.where == "in-process":
        return f"remove the plugin {info.name!r}"
    return f"remove the plugin {info.name!r} (drop --plugin {info.where} or its policy plugins.paths entry)"


def _assess_all(files: Sequence[Path], job: Job, jobs: int,
                progress: Callable[[int, int], None] | None) -> Iterable[FileResult]:
    for i, res in enumerate(assess_files(files, job, jobs)):
        yield res
        if progress:
            progress(i + 1, len(files))


def check_settings_problems(rc: RegisteredCheck, policy: Mapping[str, Any],
                            host: Host) -> list[tuple[str, str]]:
    """The policy's settings for ``rc`` checked against the schema the check declares (if any).

    A declared schema that is not valid JSON Schema is a problem of the
    check's plugin (on the host), and the settings go unchecked. The built-in
    checks' schemas are not checked here (``tests/test_settings_schemas.py``
    does), which keeps jsonschema out of a run whose policy sets nothing.
    """
    schema = rc.check.settings_schema
    if schema is None:
        return []
    info = host.plugins.get(rc.plugin)
    if info is None or info.origin != "builtin":
        from jsonschema import Draft202012Validator, SchemaError

        try:
            Draft202012Validator.check_schema(schema)
        except SchemaError as exc:
            host.problem(f"plugin {rc.plugin!r}: the settings_schema of check {rc.check.id!r} is not "
                         f"a valid JSON Schema: {exc.message}; its settings are not checked")
            return []
    own = ((policy.get("checks") or {}).get(rc.check.id) or {}).get("settings")
    if own is None:
        return []
    from .settings import settings_problems

    return settings_problems(rc.check.id, own, schema)


def selected_checks(host: Host, only: Iterable[str] | None) -> tuple[list[RegisteredCheck], list[str]]:
    """The checks to run (all registered, limited by ``--checks``) and the unknown ids asked for."""
    available = host.checks()
    wanted = list(only) if only else None
    unknown = [c for c in wanted or () if c not in available]
    chosen = [rc for cid, rc in available.items() if wanted is None or cid in wanted]
    return chosen, unknown
