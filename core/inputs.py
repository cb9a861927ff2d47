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


def load_baseline(path: str) -> Document:
    """An earlier run's JSON results (checked against the results schema)."""
    doc = load_file(path)
    if not isinstance(doc.data, dict):
        raise InputError([Problem(doc.name, "a baseline must be a vendordd results document", "/")])
    problems = schema_problems(compile_validator(load_schema("results")), doc)
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
