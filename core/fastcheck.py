"""A compiled yes/no check for the JSON Schema subset vendordd's schemas use.

jsonschema stays the reference validator and the only source of error
messages. This module only answers "would jsonschema report no error?" about
ten times faster, so that the common case (a valid profile) skips the
reference validator; any document it does not accept is validated again by
jsonschema, which then says what is wrong.

The contract: :func:`compile_check` returns a predicate ``check(instance) ->
bool`` that is True exactly when ``Draft202012Validator(schema,
format_checker=...)`` reports no error for ``instance``, or None when the
schema uses something outside the supported subset (the caller then uses
jsonschema alone). Supported: ``type``, ``enum``, ``const``, ``properties``,
``patternProperties``, ``additionalProperties``, ``required``,
``propertyNames``, ``min/maxProperties``, ``items`` (without
``prefixItems``), ``min/maxItems``, ``uniqueItems``, ``min/maxLength``,
``pattern``, ``format`` (through the same format checker), ``minimum``,
``maximum``, ``exclusiveMinimum``, ``exclusiveMaximum``, ``allOf``,
``anyOf``, ``oneOf``, ``not``, and local ``$ref`` ("#/..."), recursive ones
included. Keywords jsonschema ignores are ignored here too.
tests/test_fastcheck.py compares the two verdicts over the whole test
corpus and about 2,800 mutated documents.

Shortcuts make the check of a valid profile cheaper; ``compile_check(...,
shortcuts=False)`` is the plain form without them, which
tests/test_assessment_fast_paths.py holds them to: a pattern or format check
keeps its answer per text (profiles repeat their source ids and dates), and an
object check keeps one combined test per key and tests its required keys as
one set; a text with only a length range is one expression. An object check keeps a refused
key's plan as a test that always fails, so that its loop only calls.
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import unquote


# The reference validator's own equality and uniqueness rules (bool is not 1), imported on first
# use (most values are strings, compared without them): each name is then rebound to
# jsonschema's function. Should a future jsonschema move them, the ImportError makes the check
# fail, and jsonschema decides (see validation.schema_problems).
def _equal(one: Any, two: Any) -> bool:
    global _equal
    from jsonschema._utils import equal

    _equal = equal
    return bool(equal(one, two))


def _uniq(values: Any) -> bool:
    global _uniq
    from jsonschema._utils import uniq

    _uniq = uniq
    return bool(uniq(values))


Check = Callable[[Any], bool]

_DRAFT = "https://json-schema.org/draft/2020-12/schema"
_SUPPORTED = {"$ref", "type", "enum", "const", "properties", "patternProperties", "additionalProperties",
              "required", "propertyNames", "minProperties", "maxProperties", "items", "minItems",
              "maxItems", "uniqueItems", "minLength", "maxLength", "pattern", "format", "minimum",
              "maximum", "exclusiveMinimum", "exclusiveMaximum", "allOf", "anyOf", "oneOf", "not"}
#: Every validating keyword of Draft 2020-12 (jsonschema's ``Draft202012Validator.VALIDATORS``,
#: written out so that compiling a check does not import jsonschema; tests/test_fastcheck.py
#: compares the two).
DRAFT_2020_12_KEYWORDS = frozenset({
    "$dynamicRef", "$ref", "additionalProperties", "allOf", "anyOf", "const", "contains", "dependentRequired",
    "dependentSchemas", "enum", "exclusiveMaximum", "exclusiveMinimum", "format", "if", "items", "maxItems",
    "maxLength", "maxProperties", "maximum", "minItems", "minLength", "minProperties", "minimum", "multipleOf",
    "not", "oneOf", "pattern", "patternProperties", "prefixItems", "properties", "propertyNames", "required",
    "type", "unevaluatedItems", "unevaluatedProperties", "uniqueItems"})
_OBJECT_KEYWORDS = ("properties", "patternProperties", "additionalProperties", "required", "propertyNames",
                    "minProperties", "maxProperties")
_ARRAY_KEYWORDS = ("items", "minItems", "maxItems", "uniqueItems")
_STRING_KEYWORDS = ("minLength", "maxLength", "pattern", "format")
#: How many distinct keys an object check keeps the plan of (see ``_Compiler.object``).
_PLANS_KEPT = 512
#: Keywords that are not validators but change how references resolve.
_RESOLUTION = {"$id", "$anchor", "$dynamicAnchor", "$recursiveAnchor", "$recursiveRef"}


class Unsupported(Exception):
    """The schema uses something this compiler does not reproduce exactly."""


def _is_number(x: Any) -> bool:
    return not isinstance(x, bool) and isinstance(x, numbers.Number)


def _is_integer(x: Any) -> bool:
    if isinstance(x, bool):
        return False
    return isinstance(x, int) or (isinstance(x, float) and x.is_integer())


_TYPES: dict[str, Check] = {
    "object": lambda x: isinstance(x, dict),
    "array": lambda x: isinstance(x, list),
    "string": lambda x: isinstance(x, str),
    "boolean": lambda x: isinstance(x, bool),
    "null": lambda x: x is None,
    "number": _is_number,
    "integer": _is_integer,
}


def _always(_: Any) -> bool:
    return True


def _never(_: Any) -> bool:
    return False


class _Compiler:
    def __init__(self, root: Any, format_checker: Any, memo: bool = True) -> None:
        self.root = root
        self.format_checker = format_checker
        self.memo = memo
        self.refs: dict[str, Check] = {}
        self.pending: dict[str, list[Check]] = {}

    def ref(self, ref: str) -> Check:
        if not isinstance(ref, str) or not ref.startswith("#"):
            raise Unsupported(f"non-local $ref {ref!r}")
        if ref in self.refs:
            return self.refs[ref]
        if ref in self.pending:  # a recursive reference: bind late
            late = self.pending[ref]
            return lambda x: late[0](x)
        box: list[Check] = []
        self.pending[ref] = box
        target = self.resolve(ref)
        compiled = self.node(target)
        box.append(compiled)
        self.refs[ref] = compiled
        del self.pending[ref]
        return compiled

    def resolve(self, ref: str) -> Any:
        node = self.root
        fragment = unquote(ref[1:])
        if not fragment:
            return node
        if not fragment.startswith("/"):
            raise Unsupported(f"anchor reference {ref!r}")
        for raw in fragment[1:].split("/"):
            part = raw.replace("~1", "/").replace("~0", "~")
            if node is not self.root and isinstance(node, Mapping) and "$id" in node:
                raise Unsupported(f"$ref {ref!r} passes through a schema with its own $id")
            if isinstance(node, Mapping) and part in node:
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                raise Unsupported(f"unresolvable $ref {ref!r}")
        return node

    def node(self, schema: Any, root: bool = False) -> Check:
        if schema is True:
            return _always
        if schema is False:
            return _never
        if not isinstance(schema, Mapping):
            raise Unsupported(f"schema of type {type(schema).__name__}")
        for key in schema:
            if key in _RESOLUTION and not (root and key == "$id"):
                raise Unsupported(f"keyword {key!r}")
            if key in DRAFT_2020_12_KEYWORDS and key not in _SUPPORTED:
                raise Unsupported(f"keyword {key!r}")
        checks: list[Check] = []
        # A single type whose own keywords are present is tested inside that keyword's check
        # ("typed"), which then refuses other types itself: one call per value instead of two.
        single = schema.get("type") if isinstance(schema.get("type"), str) else None
        typed = None
        if single == "object" and any(k in schema for k in _OBJECT_KEYWORDS):
            typed = "object"
        elif single == "array" and any(k in schema for k in _ARRAY_KEYWORDS):
            typed = "array"
        elif single == "string" and any(k in schema for k in _STRING_KEYWORDS):
            typed = "string"
        elif single == "string" and "enum" in schema and all(isinstance(v, str) for v in schema["enum"]):
            typed = "enum"
        if "$ref" in schema:
            checks.append(self.ref(schema["$ref"]))
        if "type" in schema and typed is None:
            checks.append(self.type(schema["type"]))
        if "enum" in schema:
            checks.append(self.enum(schema["enum"], typed == "enum"))
        if "const" in schema:
            checks.append(self.const(schema["const"]))
        if any(k in schema for k in _OBJECT_KEYWORDS):
            checks.append(self.object(schema, typed == "object"))
        if any(k in schema for k in _ARRAY_KEYWORDS):
            checks.append(self.array(schema, typed == "array"))
        if any(k in schema for k in _STRING_KEYWORDS):
            checks.append(self.string(schema, typed == "string"))
        if any(k in schema for k in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")):
            checks.append(self.number(schema))
        for key in ("allOf", "anyOf", "oneOf"):
            if key in schema:
                checks.append(self.combine(key, schema[key]))
        if "not" in schema:
            inner = self.node(schema["not"])
            checks.append(lambda x: not inner(x))
        return _all(checks)

    def type(self, types: Any) -> Check:
        names = [types] if isinstance(types, str) else list(types)
        if not names or any(n not in _TYPES for n in names):
            raise Unsupported(f"type {types!r}")
        tests = [_TYPES[n] for n in names]
        if len(tests) == 1:
            return tests[0]
        return lambda x: any(t(x) for t in tests)

    def enum(self, values: Any, typed: bool = False) -> Check:
        if all(isinstance(v, str) for v in values):
            allowed = frozenset(values)
            if typed:  # "type": "string" too: only text can pass
                return lambda x: isinstance(x, str) and x in allowed
            return lambda x: (x in allowed) if isinstance(x, str) else any(_equal(v, x) for v in values)
        return lambda x: any(_equal(v, x) for v in values)

    def const(self, value: Any) -> Check:
        return lambda x: x is value or _equal(x, value)  # jsonschema's equal starts with `is` too

    def object(self, schema: Mapping[str, Any], typed: bool = False) -> Check:
        props = {k: self.node(v) for k, v in (schema.get("properties") or {}).items()}
        patterns = [(re.compile(p), self.node(v)) for p, v in (schema.get("patternProperties") or {}).items()]
        joined = "|".join(schema.get("patternProperties") or {})
        extra_rx = re.compile(joined) if joined else None
        addl = schema.get("additionalProperties", True)
        addl_check = None if addl is True or addl is False else self.node(addl)
        closed = addl is False
        required = list(schema.get("required") or ())
        names = self.node(schema["propertyNames"]) if "propertyNames" in schema else None
        low, high = schema.get("minProperties"), schema.get("maxProperties")
        no_extras_rule = addl is True

        def plan(key: Any) -> Check | None:
            """The test the value at ``key`` must pass (all that apply, as one), or None when the
            key itself is refused."""
            if names is not None and not names(key):
                return None
            tests = [props[key]] if key in props else []
            tests += [ptest for rx, ptest in patterns if rx.search(key)]
            if not no_extras_rule and key not in props and not (extra_rx and extra_rx.search(key)):
                if closed or addl_check is None:
                    return None
                tests.append(addl_check)
            return _all([t for t in tests if t is not _always])

        # A key's plan depends on the key only: kept for the keys seen (a bounded number; a
        # document's own odd keys beyond that are planned each time). A refused key's plan is
        # kept as _never, so that the loop below only calls.
        plans: dict[Any, Check] = {}
        needed = frozenset(required)
        if not self.memo:  # the plain form: each required key looked up, each test of a key called in turn
            return self._object_plain(plan, required, low, high, typed)

        def check(x: Any) -> bool:
            if not isinstance(x, dict):
                return not typed
            if needed and not x.keys() >= needed:
                return False
            if low is not None and len(x) < low:
                return False
            if high is not None and len(x) > high:
                return False
            for key, value in x.items():
                try:
                    test = plans[key]
                except KeyError:
                    test = plan(key) or _never
                    if len(plans) < _PLANS_KEPT:
                        plans[key] = test
                if not test(value):
                    return False
            return True

        return check

    @staticmethod
    def _object_plain(plan: Callable[[Any], Check | None], required: list[Any], low: Any, high: Any,
                      typed: bool) -> Check:
        """:meth:`object`'s check without its shortcuts (no kept plans, no set of required keys)."""

        def check(x: Any) -> bool:
            if not isinstance(x, dict):
                return not typed
            for key in required:
                if key not in x:
                    return False
            if low is not None and len(x) < low:
                return False
            if high is not None and len(x) > high:
                return False
            for key, value in x.items():
                test = plan(key)
                if test is None or not test(value):
                    return False
            return True

        return check

    def array(self, schema: Mapping[str, Any], typed: bool = False) -> Check:
        items = self.node(schema["items"]) if "items" in schema else None
        if schema.get("items") is True or items is _always:
            items = None
        low, high = schema.get("minItems"), schema.get("maxItems")
        unique = bool(schema.get("uniqueItems"))

        def check(x: Any) -> bool:
            if not isinstance(x, list):
                return not typed
            if low is not None and len(x) < low:
                return False
            if high is not None and len(x) > high:
                return False
            if items is not None:
                for value in x:
                    if not items(value):
                        return False
            if unique and x:
                if set(map(type, x)) == _TEXT:  # text only: Python's equality is jsonschema's
                    return len(set(x)) == len(x)
                return _uniq(x)
            return True

        return check

    def string(self, schema: Mapping[str, Any], typed: bool = False) -> Check:
        low, high = schema.get("minLength"), schema.get("maxLength")
        rx = re.compile(schema["pattern"]) if "pattern" in schema else None
        fmt = schema.get("format")
        conforms = None
        if fmt is not None and self.format_checker is not None and fmt in self.format_checker.checkers:
            # jsonschema's FormatChecker.conforms, inlined: the format's function, False on its exceptions
            func, raises = self.format_checker.checkers[fmt]

            def conforms(x: Any) -> bool:
                try:
                    return bool(func(x))
                except raises:
                    return False

        if typed and conforms is None and low is None and rx is None and high is not None:
            return lambda x: isinstance(x, str) and len(x) <= high  # the common "text of at most N"
        if self.memo and typed and conforms is None and rx is None and low is not None and high is not None:
            return lambda x: isinstance(x, str) and low <= len(x) <= high  # names: "1 to N characters"

        def check(x: Any) -> bool:
            if not isinstance(x, str):
                # format applies to every type; with "type": "string" nothing else passes anyway
                return not typed and (conforms is None or conforms(x))
            if low is not None and len(x) < low:
                return False
            if high is not None and len(x) > high:
                return False
            if rx is not None and rx.search(x) is None:
                return False
            return conforms is None or conforms(x)

        if not self.memo or (rx is None and conforms is None):
            return check
        return _remembered(check)

    def number(self, schema: Mapping[str, Any]) -> Check:
        low, high = schema.get("minimum"), schema.get("maximum")
        xlow, xhigh = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")

        def check(x: Any) -> bool:
            if not _is_number(x):
                return True
            if low is not None and x < low:
                return False
            if high is not None and x > high:
                return False
            if xlow is not None and x <= xlow:
                return False
            return xhigh is None or x < xhigh

        return check

    def combine(self, key: str, subschemas: Any) -> Check:
        if not isinstance(subschemas, list) or not subschemas:
            raise Unsupported(f"{key} of {subschemas!r}")
        tests = [self.node(s) for s in subschemas]
        if key == "allOf":
            return _all(tests)
        if key == "anyOf":
            return lambda x: any(t(x) for t in tests)
        return lambda x: sum(1 for t in tests if t(x)) == 1


_TEXT = {str}
#: How many texts a pattern or format check keeps its answer for (emptied when full, as dates.parse's cache).
_ANSWERS_KEPT = 4096


def _remembered(check: Check) -> Check:
    """``check`` with its answers for exact text kept: profiles repeat their source ids, dates and
    names, and a pattern search or format function costs more than a dict lookup. The answer for a
    text depends on the text only (patterns and the format functions are pure)."""
    answers: dict[str, bool] = {}

    def remembered(x: Any) -> bool:
        if type(x) is not str:
            return check(x)
        try:
            return answers[x]
        except KeyError:
            if len(answers) >= _ANSWERS_KEPT:
                answers.clear()
            found = answers[x] = check(x)
            return found

    return remembered


def _all(checks: list[Check]) -> Check:
    if not checks:
        return _always
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda x: first(x) and second(x)
    return lambda x: all(c(x) for c in checks)


def compile_check(schema: Any, format_checker: Any = None, *, shortcuts: bool = True) -> Check | None:
    """A predicate equal to "jsonschema finds no error", or None (see the module docstring).

    ``shortcuts=False`` gives the plain form (tests/test_assessment_fast_paths.py compares the
    two): no answers kept for texts (:func:`_remembered`), no key plans kept, required keys
    looked up one by one.
    """
    if isinstance(schema, Mapping) and schema.get("$schema", _DRAFT) != _DRAFT:
        return None
    try:
        return _Compiler(schema, format_checker, memo=shortcuts).node(schema, root=True)
    except (Unsupported, re.error, TypeError, ValueError):
        return None
