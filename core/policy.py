"""The effective policy: vendordd's defaults overlaid with the buyer's file.

Buyer-specific judgement (jurisdictions, lists the buyer is bound by,
weights, bands, gates, windows) lives here, never in profiles, and no country
judgement is hard-coded: the defaults below name no restricted country.
``templates/policy.yaml`` is the commented version of these defaults.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from .loader import InputError, Problem, load_file

DEFAULT_POLICY: dict[str, Any] = {
    "policy_version": 1,
    "name": "vendordd default policy",
    "as_of": None,
    "buyer": {
        "name": "Example buyer",
        "jurisdictions": [],
        "bound_by_lists": [],
        "restricted_jurisdictions": [],
        "requires_data_residency": [],
    },
    "bands": {"low": 75, "medium": 50, "high": 25},
    "freshness_days": 365,
    "min_confidence": 0.5,
    "min_check_confidence": 0.15,
    "check_timeout_seconds": 10,
    "missing_data": "penalise",
    "missing_data_score": 0,
    "incomplete_assessment": {"tier": "medium", "approvable": False},
    "checks": {},
    "gates": [
        {"check": "*", "rating": "critical", "tier": "high",
         "reason": "a critical finding in any area needs review, whatever the average"},
        {"check": "geopolitical_exposure", "rating": "critical", "tier": "critical",
         "reason": "listed on a sanctions or export-control list the buyer is bound by, "
                   "or otherwise critical geopolitical exposure"},
        {"check": "geopolitical_exposure", "rating": "high", "tier": "high",
         "reason": "high geopolitical exposure for this buyer (a bound list whose effect is escalate, "
                   "or several restrictions) needs review, whatever the average"},
    ],
    "overrides": [],
    "plugins": {"paths": [], "disable": []},
    "recommendations": {
        "low": "approve",
        "medium": "approve_with_conditions",
        "high": "escalate",
        "critical": "reject",
    },
    "diff_alert_step": 10,
    "screening": {
        "lists": [],
        "strong_threshold": 92,
        "potential_threshold": 80,
        "contained_names": True,
        "exhaustive": False,
        "max_age_days": 7,
        "clearances": [],
    },
}


def _merge(base: dict[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    """Deep-merge mappings; lists and scalars in ``over`` replace those in ``base``."""
    out = copy.deepcopy(base)
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _plain(value: Any) -> Any:
    """TOML gives date objects; the policy keeps ISO text like YAML and JSON."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    return value


def load_policy(path: str | None) -> tuple[dict[str, Any], str | None]:
    """The effective policy and the sha256 of its file (None without a file).

    Raises InputError (file, pointer, message) for a policy that does not
    parse or validate: a bad policy stops the run, since every score
    depends on it.
    """
    if path is None:
        return copy.deepcopy(DEFAULT_POLICY), None
    from .validation import compile_validator, load_schema, schema_problems

    doc = load_file(path)
    doc.data = _plain(doc.data)
    if not isinstance(doc.data, dict):
        raise InputError([Problem(doc.name, "a policy must be a mapping", "/")])
    problems = schema_problems(compile_validator(load_schema("policy")), doc)
    bands = doc.data.get("bands")
    if not problems and isinstance(bands, dict):
        merged = {**DEFAULT_POLICY["bands"], **bands}
        if not merged["low"] > merged["medium"] > merged["high"]:
            problems.append(Problem(doc.name, "bands must satisfy low > medium > high", "/bands"))
    screening = doc.data.get("screening")
    if not problems and isinstance(screening, dict):
        merged = {**DEFAULT_POLICY["screening"], **screening}
        if not merged["potential_threshold"] <= merged["strong_threshold"]:
            problems.append(Problem(doc.name, "screening thresholds must satisfy potential_threshold <= "
                                              "strong_threshold", "/screening"))
    if problems:
        raise InputError(problems)
    return _merge(DEFAULT_POLICY, doc.data), doc.sha256


def as_of_date(cli_value: str | None, policy: Mapping[str, Any], today: dt.date) -> dt.date:
    """``--as-of``, else the policy's as_of, else today: the only clock read."""
    value = cli_value or policy.get("as_of")
    if value:
        return dt.date.fromisoformat(str(value))
    return today


def unknown_references(policy: Mapping[str, Any], check_ids: Iterable[str],
                       vendor_ids: Iterable[str]) -> list[str]:
    """Warnings for overrides and screening clearances naming a vendor or check that does not exist.

    Such an entry would otherwise be silently ignored (a typo in an exception
    register must not go unnoticed). Each warning names the id, where it is,
    and the closest known id when there is one.
    """
    checks, vendors = sorted(set(check_ids)), sorted(set(vendor_ids))

    def closest(value: str, known: list[str]) -> str:
        import difflib  # only on this path: a run without a stray reference need not import it

        match = difflib.get_close_matches(value, known, n=1, cutoff=0.6)
        return f"; did you mean {match[0]!r}?" if match else ""

    out: list[str] = []
    for i, entry in enumerate(policy.get("overrides") or ()):
        vendor, check = entry.get("vendor"), entry.get("check")
        if isinstance(vendor, str) and vendor not in vendors:
            out.append(f"policy /overrides/{i}: vendor {vendor!r} was not assessed in this run, so the "
                       f"override is not applied{closest(vendor, vendors)}")
        if isinstance(check, str) and check not in checks:
            out.append(f"policy /overrides/{i}: check {check!r} does not exist, so the override is not "
                       f"applied{closest(check, checks)}")
    for i, entry in enumerate((policy.get("screening") or {}).get("clearances") or ()):
        vendor = entry.get("vendor") if isinstance(entry, Mapping) else None
        if isinstance(vendor, str) and vendor not in vendors:
            out.append(f"policy /screening/clearances/{i}: vendor {vendor!r} was not assessed in this run, "
                       f"so the clearance is not applied{closest(vendor, vendors)}")
    return out
