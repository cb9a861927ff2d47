"""The run's side inputs besides profiles and policy: portfolio, baseline, overrides.

Each is read with the loader and checked against its schema; a bad one
raises :class:`~vendordd.loader.InputError` (every score depends on it, so
the run stops, unlike a bad profile).
"""

from __future__ import annotations

from .loader import Document, InputError, Problem, load_file
from .validation import compile_validator, load_schema, schema_problems


def load_portfolio(path: str) -> Document:
    """The buyer's portfolio file (schemas/portfolio.schema.json)."""
    doc = load_file(path)
    if not isinstance(doc.data, dict):
        raise InputError([Problem(doc.name, "a portfolio must be a mapping", "/")])
    problems = schema_problems(compile_validator(load_schema("portfolio")), doc)
    if problems:
        raise InputError(problems)
    return doc


#: Largest results file read as a baseline or by ``vendordd diff``: vendordd's own output, about
#: 26 KB per vendor in format 2, so about 2,500 vendors; parsed, it takes about 4 times its size
#: in memory (docs/security.md, "Limits").
MAX_RESULTS_BYTES = 64 * 1024 * 1024


def load_baseline(path: str) -> Document:
    """An earlier run's JSON results, of any format this version reads (checked against the results
    schema; format 1 differs from 2 only in what format 2 leaves out, which the schema never required)."""
    from .results import FORMAT_VERSION, READABLE_FORMATS

    doc = load_file(path, limit=MAX_RESULTS_BYTES)
    if not isinstance(doc.data, dict):
        raise InputError([Problem(doc.name, "a baseline must be a vendordd results document", "/")])
    version = doc.data.get("format_version")
    if isinstance(version, bool) or version not in READABLE_FORMATS:
        readable = " and ".join(map(str, READABLE_FORMATS))
        raise InputError([Problem(doc.name, f"results format_version {version!r} cannot be read: this "
                                            f"vendordd reads results formats {readable} (docs/results.md)",
                                  "/format_version")])
    schema = load_schema("results")
    if version != FORMAT_VERSION:
        schema = {**schema, "properties": {**schema["properties"], "format_version": {"const": version}}}
    problems = schema_problems(compile_validator(schema), doc)
    if problems:
        raise InputError(problems[:5])
    return doc


def load_overrides(path: str) -> Document:
    """An exceptions register kept apart from the policy: ``{overrides: [...]}``.

    Each entry has the shape of the policy's ``overrides`` entries (reason,
    approver and expiry required); they are added to the policy's own.
    """
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
