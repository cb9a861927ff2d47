"""A profile file read and checked, not assessed: what ``vendordd validate`` needs, and no more.

:func:`read_profile` (parse, schema, semantic rules) is the first half of
every assessment (:func:`vendordd.assessment.assess_one`) and the whole of
``vendordd validate``, which imports this module and not the assessment's
(the check runner, scoring, the results), so that it starts sooner: its
start is judged against a bare Python importing click and pluggy
(benchmarks/README.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .host import Host
from .loader import Document, InputError, Problem, describe_type, load_profile
from .validation import compile_validator, profile_schema, schema_problems, semantic_problems

if TYPE_CHECKING:
    from .results import CheckResult, VendorEntry


@dataclass
class FileResult:
    """One file's outcome: problems, or its vendor's entry (``entry`` or ``blob`` when packed)."""

    problems: list[Problem] = field(default_factory=list)
    vendor_id: str | None = None
    name: str | None = None
    sha256: str | None = None
    entry: VendorEntry | None = None
    blob: bytes | None = None
    warnings: list[str] = field(default_factory=list)
    got_worse: bool = False
    #: the checks that failed on this vendor: (check id, plugin, error, traceback lines)
    failed: list[tuple[str, str, str, list[str]]] = field(default_factory=list)
    #: the checks that found no data in this vendor's profile (status ``insufficient_data``)
    no_data: list[str] = field(default_factory=list)
    #: the engagement-aware checks' results per use of the vendor (:func:`vendordd.model.use_key`)
    in_use: dict[str, list[CheckResult]] = field(default_factory=dict)


def read_profile(path: str | Path, validator: Any) -> tuple[Document | None, list[Problem]]:
    """Parse and validate one profile file: the document, or None and its problems."""
    try:
        doc = load_profile(path)
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
    dups: set[str] = set()
    problems: list[Problem] = []
    for vid, names in by_id.items():
        if len(names) > 1:
            dups.add(vid)
            listed = ", ".join(names)
            problems += [Problem(name, f"vendor id {vid!r} is used by more than one file ({listed}); "
                                       f"none of them was assessed", "/vendor/id") for name in names]
    return dups, problems


def validate_one(path: str | Path, validator: Any) -> FileResult:
    """Read and validate one profile file (what ``vendordd validate`` does with each)."""
    doc, problems = read_profile(path, validator)
    if doc is None:
        return FileResult(problems=problems)
    return FileResult(vendor_id=doc.data["vendor"]["id"], name=doc.name, sha256=doc.sha256)


def prepare_validation(*, plugin_paths: Iterable[str] = (), strict: bool = False,
                       trace: bool | None = None) -> tuple[Host, Any]:
    """What checking profiles needs, and no more: the plugins (for their schema fragments) and the
    compiled validator. ``vendordd validate`` uses it: no policy file, screening list or check
    settings is read (an assessment needs them, a schema check does not), so it starts faster."""
    from .policy import load_policy

    policy, _ = load_policy(None)
    host = build_host(policy, plugin_paths, strict, trace)
    return host, compile_validator(profile_schema(host.schemas()))


def unique_vendors(assessed: Iterable[FileResult], problems: list[Problem]) -> list[FileResult]:
    """The files that gave a vendor, sorted by vendor id, with every problem added to ``problems``.

    A vendor id used by more than one file is an error for each of those
    files, and none of them is kept.
    """
    good: list[FileResult] = []
    for res in assessed:
        problems.extend(res.problems)
        if res.vendor_id is not None:
            good.append(res)
    dups, found = duplicate_ids((r.vendor_id or "", r.name or "") for r in good)
    problems.extend(found)
    return sorted((r for r in good if r.vendor_id not in dups), key=lambda r: r.vendor_id or "")


def build_host(policy: Mapping[str, Any], plugin_paths: Iterable[str] = (),
               strict: bool = False, trace: bool | None = None) -> Host:
    """A host with the built-ins, entry points and local plugins loaded."""
    plugins = policy.get("plugins") or {}
    return Host(strict=strict, trace=trace).load(
        paths=[*plugin_paths, *(plugins.get("paths") or [])], disable=plugins.get("disable") or [])
