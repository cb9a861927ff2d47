"""Schema validation: one compiled Draft 2020-12 validator per run.

The effective profile schema is the core schema with each plugin's fragment
placed at ``extensions.<name>``. Every error is reported (not only the
first), each with its JSON pointer and, where findable, the line.
After the schema, semantic rules the schema cannot express: every cited
source id is defined, source ids are unique. Facts dated after the as-of
date are not errors: they are left out of that assessment with a warning
(so a past assessment can be re-run from a newer profile).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import weakref
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlsplit

from .dates import is_after
from .dates import is_valid as is_valid_date
from .fastcheck import compile_check
from .loader import Document, Problem, escape_pointer, locate
from .profile_walk import _cited_sources

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator, FormatChecker

_SCHEMA_FILES = {"profile": "vendor-profile.schema.json", "policy": "policy.schema.json",
                 "portfolio": "portfolio.schema.json", "results": "results.schema.json"}


@cache
def schema_text(kind: str) -> str:
    """The packaged schema of that kind, as text."""
    return resources.files("vendordd.schemas").joinpath(_SCHEMA_FILES[kind]).read_text("utf-8")


def load_schema(kind: str) -> dict[str, Any]:
    """A fresh copy of the packaged schema of that kind."""
    return json.loads(schema_text(kind))


def _date(value: object) -> bool:
    # YYYY, YYYY-MM or YYYY-MM-DD, a real day: one rule, in core/dates.py
    return not isinstance(value, str) or is_valid_date(value)


def _full_date(value: object) -> bool:
    if isinstance(value, str):
        dt.date.fromisoformat(value)
        return len(value) == 10
    return True


#: ``scheme://host...`` in plain ASCII: a text urlsplit gives a scheme and a host for, without
#: asking it (no space, control character, bracket or other character it treats specially).
_PLAIN_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://[!$&-.0-9;=A-Z_a-z~:@%]+(?:[/?#][!#-~]*)?")


def _uri(value: object) -> bool:
    """A URI with a scheme and a host or path (:func:`_uri_plain`, faster for ``scheme://host/...``)."""
    if isinstance(value, str) and _PLAIN_URL.fullmatch(value):
        return True
    return _uri_plain(value)


def _uri_plain(value: object) -> bool:
    """:func:`_uri`'s plain twin: the reference it must equal (tests/test_assessment_fast_paths.py)."""
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return bool(parts.scheme) and bool(parts.netloc or parts.path) and " " not in value


#: vendordd's format checks: format name -> (check, the exception that also means "no").
FORMAT_RULES: dict[str, tuple[Callable[[object], bool], type[Exception] | tuple[()]]] = {
    "vendordd-date": (_date, ()), "date": (_full_date, ValueError), "uri": (_uri, ())}


class FormatRules:
    """:data:`FORMAT_RULES` with what core/fastcheck.py asks of a format checker (``checkers``,
    ``conforms``, answered as jsonschema's ``FormatChecker`` answers), without importing jsonschema."""

    def __init__(self) -> None:
        self.checkers = dict(FORMAT_RULES)

    def conforms(self, instance: object, format: str) -> bool:
        if format not in self.checkers:
            return True
        func, raises = self.checkers[format]
        try:
            return bool(func(instance))
        except raises:
            return False


def _format_checker() -> FormatChecker:
    """jsonschema's ``FormatChecker`` with :data:`FORMAT_RULES`."""
    from jsonschema import FormatChecker

    checker = FormatChecker(formats=())
    for name, (func, raises) in FORMAT_RULES.items():
        checker.checks(name, raises=raises)(func)
    return checker


def profile_schema(fragments: Mapping[str, tuple[Mapping[str, Any], str]] = {}) -> dict[str, Any]:
    """The core profile schema with plugin fragments under ``extensions``."""
    schema = load_schema("profile")
    if fragments:
        ext = schema["properties"].setdefault("extensions", {"type": "object"})
        props = ext.setdefault("properties", {})
        for name, (fragment, _plugin) in fragments.items():
            props[name] = copy.deepcopy(dict(fragment))
    return schema


#: The compiled yes/no check (core/fastcheck.py) of each live validator made by
#: compile_validator, by id(validator); the entry goes when the validator does.
_FAST_CHECKS: dict[int, Callable[[Any], bool]] = {}


def compile_validator(schema: Mapping[str, Any]) -> Draft202012Validator:
    """A validator for ``schema`` with vendordd's format checks (dates, URIs).

    When the schema is within core/fastcheck.py's subset, a compiled check is
    kept beside it: :func:`schema_problems` then runs jsonschema only on
    documents that check rejects (it accepts exactly what jsonschema accepts).
    jsonschema itself is imported and its validator made on first use
    (:class:`LazyValidator`), so a run whose documents are all valid never
    imports it.
    """
    fast = compile_check(schema, FormatRules())
    validator = LazyValidator(schema)
    if fast is not None:
        key = id(validator)
        _FAST_CHECKS[key] = fast
        weakref.finalize(validator, _FAST_CHECKS.pop, key, None)
    return cast("Draft202012Validator", validator)


class LazyValidator:
    """A Draft 2020-12 validator of ``schema`` with vendordd's format checker, made on first use.

    Every attribute but ``schema`` is the real ``Draft202012Validator``'s.
    """

    def __init__(self, schema: Mapping[str, Any]) -> None:
        self.schema = schema
        self._real: Any = None

    def _validator(self) -> Any:
        if self._real is None:
            from jsonschema import Draft202012Validator

            self._real = Draft202012Validator(self.schema, format_checker=_format_checker())
        return self._real

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name == "_real":
            raise AttributeError(name)
        return getattr(self._validator(), name)


def _passes_fast_check(validator: Draft202012Validator, data: Any) -> bool:
    fast = _FAST_CHECKS.get(id(validator))
    if fast is None:
        return False
    try:
        return fast(data)
    except Exception:  # whatever it was, the reference validator decides
        return False


def _message(error: Any) -> str:
    """A short, human message for one jsonschema error."""
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        extra = _unknown_keys(error)
        patterns = error.schema.get("patternProperties") or {}
        if extra:
            note = " (keys starting with x- are allowed for notes)" if patterns else ""
            return f"unknown field{'s' if len(extra) > 1 else ''} {', '.join(map(repr, extra))}{note}"
    if error.validator == "enum" and len(error.validator_value) > 12:
        title = error.schema.get("title") or "the allowed values"
        return f"{error.instance!r} is not one of {title} ({len(error.validator_value)} values)"
    if error.validator in ("anyOf", "oneOf") and error.context:
        best = min(error.context, key=lambda e: (len(e.path), e.validator == "type"))
        return _message(best)
    if error.validator == "pattern" and error.schema.get("title"):
        return f"{error.instance!r} does not match {error.schema['title']} ({error.validator_value})"
    if error.validator == "format":
        return f"{error.instance!r} is not a valid {error.validator_value.replace('vendordd-', '')}"
    if error.validator == "maxLength" and isinstance(error.instance, str):
        return f"text of {len(error.instance)} characters is longer than {error.validator_value}"
    if error.validator == "maxItems":
        return f"{len(error.instance)} items; at most {error.validator_value} are allowed"
    return " ".join(error.message.split())[:500]


def _unknown_keys(error: Any) -> list[str]:
    """The keys an ``additionalProperties`` error complains about, sorted."""
    if error.validator != "additionalProperties" or not isinstance(error.instance, dict):
        return []
    known = set(error.schema.get("properties") or {})
    patterns = [re.compile(p) for p in error.schema.get("patternProperties") or {}]
    return sorted(k for k in error.instance if k not in known and not any(p.search(k) for p in patterns))


def pointer_of(path: Iterable[Any]) -> str:
    return "".join("/" + escape_pointer(p) for p in path)


def schema_problems(validator: Draft202012Validator, doc: Document) -> list[Problem]:
    """Every schema error in ``doc``, sorted by place, with lines where findable."""
    if _passes_fast_check(validator, doc.data):
        return []
    errors = sorted(validator.iter_errors(doc.data), key=lambda e: [str(p) for p in e.absolute_path])
    # A wrong type explains every other complaint about the same value.
    typed = {tuple(e.absolute_path) for e in errors if e.validator == "type"}
    errors = [e for e in errors if e.validator == "type" or tuple(e.absolute_path) not in typed]
    out = []
    for err in errors:
        parts = list(err.absolute_path)
        unknown = _unknown_keys(err)
        line, column = locate(doc, parts, key=unknown[0] if unknown else None)
        out.append(Problem(doc.name, _message(err), pointer_of(parts) or "/", line, column))
    return out


def semantic_problems(doc: Document) -> list[Problem]:
    """Rules the schema cannot say: source ids unique and every cited id defined.

    The citations are the ones the reading found (:class:`~vendordd.documents.ProfileDocument`'s
    ``cited``, from :func:`~vendordd.profile_walk.walk_profile`) when it has them, else looked for
    here; when the reading found only the cited ids (``cited_ids``) and each is defined, there is
    nothing to report and no path is built.
    """
    data = doc.data
    out: list[Problem] = []
    defined: dict[str, int] = {}
    for i, src in enumerate(data.get("sources") or []):
        sid = src.get("id")
        if sid in defined:
            out.append(Problem(doc.name, f"source id {sid!r} is defined twice (also at "
                                         f"/sources/{defined[sid]})", f"/sources/{i}/id"))
        else:
            defined[sid] = i
    cited = getattr(doc, "cited", None)
    if cited is None:
        ids = getattr(doc, "cited_ids", None)
        if ids is not None and defined.keys() >= set(ids):
            cited = []  # every cited id is defined: no citation to report, no path needed
        else:
            cited = _cited_sources({k: v for k, v in data.items() if k != "sources"})
    for sid, parts in cited:
        if sid not in defined:
            pointer = pointer_of(parts)
            line, column = locate(doc, parts)
            out.append(Problem(doc.name, f"source {sid!r} is cited but not defined in /sources",
                               pointer, line, column))
    return out


#: The profile date format; a field with it (or a ``$ref`` to ``#/$defs/date``) is a dated fact.
DATE_FORMAT = "vendordd-date"
#: Annotation on a date field that may lie after the as-of date (a plan: a scheduled shutdown).
PLANNED = "x-vendordd-planned"


class DateFields:
    """Where a schema puts dated facts, read from the schema, not from a list of names.

    A field whose schema has the profile date format (``format:
    vendordd-date``, or a ``$ref`` to the ``date`` definition) is a dated
    fact, unless it is annotated ``x-vendordd-planned: true``. Local
    ``$ref``s (recursive ones too), ``allOf``/``anyOf``/``oneOf``,
    ``properties``, ``additionalProperties`` and ``items`` are followed;
    plugin fragments count like the core schema. A node stands for the
    schemas that may apply at one place of a document; :meth:`child` steps
    to a key (or, with ``"[]"``, to an array's items).
    """

    def __init__(self, schemas: frozenset[int], space: _SchemaSpace) -> None:
        self._schemas = schemas
        self._space = space
        self._children: dict[str, DateFields | None] = {}
        #: per key, :meth:`child` when a dated field may lie at or under it, else None (the walk's cut)
        self._dated_children: dict[str, DateFields | None] = {}
        self.dated = any(space.is_date(i) for i in schemas)
        self._reaches_dates: bool | None = None

    @property
    def reaches_dates(self) -> bool:
        """True when a dated field may lie here or anywhere under here (a value of no such node
        holds no dated fact, so :func:`future_facts` does not walk it)."""
        if self._reaches_dates is None:
            self._reaches_dates = self._space.reaches_dates(self._schemas)
        return self._reaches_dates

    def dated_child(self, key: str) -> DateFields | None:
        """:meth:`child`, or None when no dated field may lie at or under ``key``."""
        try:
            return self._dated_children[key]
        except KeyError:
            inner = self.child(key)
            found = self._dated_children[key] = inner if inner is not None and inner.reaches_dates else None
            return found

    @classmethod
    def of(cls, schema: Mapping[str, Any]) -> DateFields:
        space = _SchemaSpace(schema)
        return space.node(space.expand(schema))

    def child(self, key: str) -> DateFields | None:
        """The node for the value at ``key`` (``"[]"``: an item), or None when no schema reaches it."""
        if key not in self._children:
            found: set[int] = set()
            for i in self._schemas:
                found |= self._space.step(i, key)
            self._children[key] = self._space.node(frozenset(found)) if found else None
        return self._children[key]

    def pointers(self) -> list[str]:
        """The dated fields as pointer patterns (``[]``: any item), sorted (for docs and tests)."""
        out: list[str] = []

        def walk(node: DateFields, path: str, seen: frozenset[frozenset[int]]) -> None:
            if node._schemas in seen:
                return
            if node.dated:
                out.append(path)
            for key in sorted(node._space.keys(node._schemas)):
                inner = node.child(key)
                if inner is not None:
                    walk(inner, f"{path}/{key}", seen | {node._schemas})

        walk(self, "", frozenset())
        return sorted(out)


class _SchemaSpace:
    """The sub-schemas of one schema by id, with ``$ref`` and ``*Of`` expanded (memoised)."""

    def __init__(self, root: Mapping[str, Any]) -> None:
        self.root = root
        self.by_id: dict[int, Mapping[str, Any]] = {}
        self._expanded: dict[int, frozenset[int]] = {}
        self._nodes: dict[frozenset[int], DateFields] = {}

    def node(self, schemas: frozenset[int]) -> DateFields:
        if schemas not in self._nodes:
            self._nodes[schemas] = DateFields(schemas, self)
        return self._nodes[schemas]

    def expand(self, schema: Any) -> frozenset[int]:
        """``schema`` and every schema its ``$ref`` and ``allOf``/``anyOf``/``oneOf`` bring in."""
        found: set[int] = set()
        todo = [schema]
        while todo:
            node = todo.pop()
            if not isinstance(node, Mapping) or id(node) in found:
                continue
            found.add(id(node))
            self.by_id[id(node)] = node
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/") and ref != "#/$defs/date":
                todo.append(self._resolve(ref))
            for key in ("allOf", "anyOf", "oneOf"):
                todo.extend(node.get(key) or ())
        return frozenset(found)

    def _resolve(self, ref: str) -> Any:
        target: Any = self.root
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            target = target.get(part) if isinstance(target, Mapping) else None
        return target

    def is_date(self, i: int) -> bool:
        node = self.by_id[i]
        return ((node.get("$ref") == "#/$defs/date" or node.get("format") == DATE_FORMAT)
                and node.get(PLANNED) is not True)

    def step(self, i: int, key: str) -> set[int]:
        node = self.by_id[i]
        if key == "[]":
            items = node.get("items")
            return set(self.expand(items)) if isinstance(items, Mapping) else set()
        props = node.get("properties") or {}
        if key in props:
            return set(self.expand(props[key]))
        extra = node.get("additionalProperties")
        return set(self.expand(extra)) if isinstance(extra, Mapping) else set()

    def reaches_dates(self, schemas: frozenset[int]) -> bool:
        """True when a date schema is among ``schemas`` or any schema a step from them may reach
        (every property, ``additionalProperties`` and ``items``: more than a document can use)."""
        seen: set[int] = set()
        todo = list(schemas)
        while todo:
            i = todo.pop()
            if i in seen:
                continue
            seen.add(i)
            if self.is_date(i):
                return True
            node = self.by_id[i]
            nexts = [*(node.get("properties") or {}).values(), node.get("additionalProperties"), node.get("items")]
            for target in nexts:
                if isinstance(target, Mapping):
                    todo.extend(self.expand(target))
        return False

    def keys(self, schemas: frozenset[int]) -> set[str]:
        out: set[str] = set()
        for i in schemas:
            node = self.by_id[i]
            out |= set(node.get("properties") or {})
            if isinstance(node.get("items"), Mapping):
                out.add("[]")
        return out


@cache
def core_date_fields() -> DateFields:
    """The dated fields of the core profile schema (no plugin fragments)."""
    return DateFields.of(load_schema("profile"))


def future_facts(data: Mapping[str, Any], as_of: dt.date, fields: DateFields | None = None) -> list[str]:
    """Pointers of dated facts after ``as_of`` (left out of the assessment, with a warning).

    ``fields``: the run's :class:`DateFields` (the profile schema with the
    plugins' fragments); by default the core schema's. The profile's own
    date and its sources are not facts (a later article may report an
    earlier fact), and ``x-`` annotations are ignored by vendordd: neither
    is counted.

    Values under which the schema puts no dated field are not walked
    (:attr:`DateFields.reaches_dates`); :func:`_future_facts_plain` walks
    everything and must give the same list (tests/test_assessment_fast_paths.py).
    """
    return _walk_dated(data, as_of, fields, DateFields.dated_child, _kept_dated_children)


def _future_facts_plain(data: Mapping[str, Any], as_of: dt.date, fields: DateFields | None = None) -> list[str]:
    """:func:`future_facts`'s plain twin: every value walked."""
    return _walk_dated(data, as_of, fields, DateFields.child, _kept_children)


def _kept_children(node: DateFields) -> dict[str, DateFields | None]:
    return node._children


def _kept_dated_children(node: DateFields) -> dict[str, DateFields | None]:
    return node._dated_children


#: A key no step has been asked about yet.
_UNSEEN: Any = object()


def _walk_dated(data: Mapping[str, Any], as_of: dt.date, fields: DateFields | None,
                step: Callable[[DateFields, str], DateFields | None],
                kept: Callable[[DateFields], dict[str, DateFields | None]]) -> list[str]:
    """The pointers of dated facts after ``as_of``, going down from a node to a key with ``step``;
    ``kept(node)``: the answers ``step`` keeps for that node, by key (read first: a lookup instead
    of a call for every key of every mapping walked)."""
    found: list[str] = []
    path: list[Any] = []
    tree = fields if fields is not None else core_date_fields()

    def walk(node: Any, where: DateFields) -> None:
        if isinstance(node, dict):
            answers = kept(where)
            for key, value in node.items():
                inner = answers.get(key, _UNSEEN)
                if inner is None:
                    continue  # skipped whether or not the key is an x- note
                if not isinstance(key, str) or key.startswith("x-"):
                    continue
                if inner is _UNSEEN:
                    inner = step(where, key)
                    if inner is None:
                        continue
                if inner.dated and isinstance(value, str):
                    if is_after(value, as_of):
                        found.append(pointer_of([*path, key]))
                elif isinstance(value, (dict, list)):
                    path.append(key)
                    walk(value, inner)
                    path.pop()
        elif isinstance(node, list):
            inner = step(where, "[]")
            if inner is None:
                return
            for i, value in enumerate(node):
                if inner.dated and isinstance(value, str):
                    if is_after(value, as_of):
                        found.append(pointer_of([*path, i]))
                elif isinstance(value, (dict, list)):
                    path.append(i)
                    walk(value, inner)
                    path.pop()

    walk({k: v for k, v in data.items() if k not in ("profile_date", "sources")}, tree)
    return found
