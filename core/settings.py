"""Check settings checked at start-up against the JSON Schema each check declares.

A check declares ``settings_schema`` (a Draft 2020-12 schema for its
settings mapping; :func:`schema_for_defaults` writes one from its defaults).
:func:`settings_problems` validates the policy's ``checks.<id>.settings``
against it before any profile is read: an unknown key is an error naming it
and the closest known key, a value of the wrong type an error naming the
setting. A check without a schema gets its settings unchecked.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any


def _type_of(value: Any) -> dict[str, Any]:
    if isinstance(value, bool):
        return {"type": "boolean"}
    if isinstance(value, (int, float)):
        return {"type": "number"}
    if isinstance(value, str):
        return {"type": "string"}
    if isinstance(value, (list, tuple)):
        return {"type": "array"}
    if isinstance(value, Mapping):
        return {"type": "object"}
    return {}


def schema_for_defaults(defaults: Mapping[str, Any]) -> dict[str, Any]:
    """A settings schema from a check's defaults: those keys only, each of its default's JSON type.

    Numbers are ``number`` whether the default is 10 or 10.0; a mapping or a
    list is checked for being one, not item by item. Write the schema by
    hand where a setting needs more (a range, an enum, a nullable value).
    """
    return {"type": "object", "additionalProperties": False,
            "properties": {key: _type_of(value) for key, value in defaults.items()}}


def settings_problems(check_id: str, settings: Any, schema: Mapping[str, Any]) -> list[tuple[str, str]]:
    """``(pointer below the settings, message)`` for each problem of ``settings`` under ``schema``."""
    from jsonschema import Draft202012Validator

    if not isinstance(settings, Mapping):
        return [("", f"the settings of check {check_id!r} must be a mapping, not {type(settings).__name__}")]
    known = sorted((schema.get("properties") or {}).keys())
    out: list[tuple[str, str]] = []
    for error in sorted(Draft202012Validator(schema).iter_errors(dict(settings)),
                        key=lambda e: [str(p) for p in e.absolute_path]):
        path = "".join(f"/{p}" for p in error.absolute_path)
        if error.validator == "additionalProperties" and not error.absolute_path:
            for key in sorted(k for k in settings if k not in known):
                close = difflib.get_close_matches(str(key), known, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else (
                    f" (known: {', '.join(known)})" if known else " (it takes none)")
                out.append((f"/{key}", f"unknown setting {key!r} of check {check_id!r}{hint}"))
            continue
        name = str(error.absolute_path[0]) if error.absolute_path else "settings"
        out.append((path, f"setting {name!r} of check {check_id!r}: {' '.join(error.message.split())[:200]}"))
    return out
