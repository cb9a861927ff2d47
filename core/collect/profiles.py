"""From collected facts to a profile on disk: skeleton, merge, validation, diff, write.

The contract of a collection that writes a profile:

- the result validates (schema with the plugins' fragments, and every cited
  source defined), or nothing is written and the problems are raised;
- the output is written atomically, never over the input profile;
- ``--dry-run`` writes nothing and shows what would change as a unified
  diff of the profile's data (as YAML) before and after.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from . import MARK, Collected, CollectError, mark
from .merge import MergeReport, merge

PROFILE_KEY_ORDER = ("$schema", "schema_version", "vendor", "profile_date", "sources", "leadership",
                     "open_source", "compute", "geopolitics", "api_lifecycle", "extensions")


def stamp(facts: Mapping[str, Any], collector: str, target: str, day: dt.date) -> dict[str, Any]:
    """A copy of ``facts`` with every source and fact marked (``target`` added to every mark).

    A fact is an object in a list, or an object directly under a section
    (``open_source.adoption``). Marks the collector set are kept, with
    ``target`` added.
    """
    out = copy.deepcopy(dict(facts))

    def fill(node: dict[str, Any]) -> None:
        m = node.get(MARK)
        if not isinstance(m, dict):
            node[MARK] = mark(collector, day, target=target)
        else:
            m.setdefault("source", collector)
            m.setdefault("date", day.isoformat())
            m["target"] = target

    def walk(node: Any, depth: int) -> None:
        if isinstance(node, list):
            for item in node:
                if isinstance(item, dict):
                    fill(item)
                    walk(item, depth + 1)
        elif isinstance(node, dict):
            for key, value in node.items():
                if key.startswith("x-"):
                    continue
                if isinstance(value, dict) and depth == 1 and key != "notes":
                    fill(value)
                walk(value, depth + 1)

    for key, value in out.items():
        if key in ("vendor", "extensions") or key.startswith("x-"):
            continue
        walk(value, 1)
    return out


def new_profile(vendor_id: str, name: str, day: dt.date) -> dict[str, Any]:
    """The smallest valid profile for a vendor, dated the collection day."""
    return {"schema_version": 1,
            "vendor": {"id": vendor_id, "name": name,
                       "notes": f"Created by vendordd collect on {day.isoformat()}: check the name and "
                                f"add what a public source cannot show (legal name, headquarters)."},
            "profile_date": day.isoformat()}


def ordered(profile: Mapping[str, Any]) -> dict[str, Any]:
    """The profile's keys in the usual order (known keys first, then the rest as they were)."""
    out = {k: profile[k] for k in PROFILE_KEY_ORDER if k in profile}
    out.update({k: v for k, v in profile.items() if k not in out})
    return out


def render(profile: Mapping[str, Any], kind: str) -> str:
    """The profile as text: ``json`` or ``yaml`` (block style, keys in order, Unicode kept)."""
    if kind == "json":
        return json.dumps(profile, indent=2, ensure_ascii=False) + "\n"
    import yaml

    return yaml.safe_dump(dict(profile), sort_keys=False, allow_unicode=True, width=100,
                          default_flow_style=False)


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, (dict, list)) or isinstance(new, (dict, list)):
        return False
    if isinstance(old, bool) or isinstance(new, bool):
        return old is new
    return old == new or (isinstance(new, str) and isinstance(old, (dt.date, dt.datetime)) and str(old) == new)


def _sync(old: Any, new: Any) -> Any:
    """``new``'s data in ``old``'s round-trip nodes: unchanged parts keep their comments and style."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(old, CommentedMap) and isinstance(new, Mapping):
        for key in [k for k in old if k not in new]:
            del old[key]
        for key, value in new.items():
            old[key] = _sync(old[key], value) if key in old else value
        return old
    if isinstance(old, CommentedSeq) and isinstance(new, list):
        for i, value in enumerate(new):
            if i < len(old):
                old[i] = _sync(old[i], value)
            else:
                old.append(value)
        del old[len(new):]
        return old
    return old if _same(old, new) else new


def render_keeping_comments(original: str, profile: Mapping[str, Any], name: str) -> str | None:
    """``profile`` as YAML written over ``original``'s text, keeping its comments and layout.

    Uses ruamel.yaml's round-trip mode (part of the ``collect`` extra). Returns
    None when ruamel.yaml is missing or when the result would not read back as
    exactly ``profile`` (then the caller writes plain YAML): data first,
    comments second.
    """
    try:
        from ruamel.yaml import YAML
    except ImportError:
        return None
    import io

    from ..loader import parse_text

    try:
        from ruamel.yaml.util import load_yaml_guess_indent

        _, indent, offset = load_yaml_guess_indent(original)
        rt = YAML()
        rt.preserve_quotes = True
        rt.width = 100_000  # never re-wrap the analyst's long lines
        sequence, offset = indent or 2, offset or 0  # the guess is the sequence's indent and dash offset
        rt.indent(mapping=max(2, sequence - offset), sequence=sequence, offset=offset)
        doc = rt.load(original)
        out = io.StringIO()
        rt.dump(_sync(doc, json.loads(json.dumps(profile))), out)
        text = out.getvalue()
        back = parse_text(text, "yaml", name)
    except Exception:  # any round-trip failure (InputError included): fall back to plain YAML
        return None
    return text if json.dumps(back, sort_keys=True) == json.dumps(profile, sort_keys=True) else None


def kind_for(path: str | None) -> str:
    return "json" if path and path.lower().endswith(".json") else "yaml"


def unified_diff(before: Mapping[str, Any] | None, after: Mapping[str, Any], name: str) -> str:
    """A unified diff of two profiles rendered as YAML (the data, not the file's formatting)."""
    old = render(before, "yaml").splitlines(keepends=True) if before is not None else []
    new = render(after, "yaml").splitlines(keepends=True)
    return "".join(difflib.unified_diff(old, new, fromfile=f"{name} (now)", tofile=f"{name} (collected)"))


def text_diff(before: str, after: str, name: str) -> str:
    """A unified diff of two texts of the same file."""
    return "".join(difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                        fromfile=f"{name} (now)", tofile=f"{name} (collected)"))


def validate(profile: Mapping[str, Any], host: Any | None, name: str) -> list[str]:
    """Problems of ``profile`` against the profile schema (with plugin fragments) and source rules."""
    from ..loader import Document
    from ..validation import compile_validator, profile_schema, schema_problems, semantic_problems

    validator = compile_validator(profile_schema(host.schemas() if host is not None else {}))
    doc = Document(name=name, path=Path(name), data=json.loads(json.dumps(profile)), sha256="", kind="json")
    return [str(p) for p in [*schema_problems(validator, doc), *semantic_problems(doc)]]


def combine(collected: Collected, *, collector: str, target: str, vendor_id: str, vendor_name: str | None,
            day: dt.date, base: Mapping[str, Any] | None) -> tuple[dict[str, Any], MergeReport]:
    """The profile after merging ``collected`` into ``base`` (or into a new profile)."""
    if base is not None:
        found = (base.get("vendor") or {}).get("id")
        if found != vendor_id:
            raise CollectError(f"the profile is for vendor {found!r}, not {vendor_id!r} (--vendor)")
        start = dict(base)
    else:
        start = new_profile(vendor_id, vendor_name or target, day)
    facts = stamp(collected.facts, collector, target, day)
    summary = "; ".join([collected.summary, *collected.notes])
    merged, report = merge(start, facts, collector=collector, target=target, day=day, summary=summary[:1000])
    return ordered(merged), report


def write(path: str, text: str, protected: list[str]) -> None:
    """Write ``text`` to ``path`` atomically, refusing to replace an input file."""
    from ..atomic import ProtectedPathError, atomic_write_text, check_not_protected

    try:
        check_not_protected(path, protected)
        atomic_write_text(path, text)
    except ProtectedPathError as exc:
        raise CollectError(f"{path}: {exc}; write the result to a new file and compare") from None
    except OSError as exc:
        raise CollectError(f"{path}: cannot write: {exc.strerror or exc}") from None


def exists(path: str) -> bool:
    return os.path.exists(path)
