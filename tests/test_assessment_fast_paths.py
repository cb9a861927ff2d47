"""The assessment's fast paths give what their plain twins give (benchmarks/README.md lists them).

Each fast path keeps its plain form reachable: ``frozen.freeze`` /
``_freeze_plain``, ``dates.parse`` (cached) / ``_parse_plain``,
``validation._uri`` / ``_uri_plain``, the compiled schema check
(``fastcheck``) / jsonschema itself and its shortcuts /
``compile_check(..., shortcuts=False)``, ``profile_walk.walk_profile`` /
``walk_profile_plain`` (the shape rules, freeze and the citations),
``runner.time_limit`` / ``_time_limit_plain``, ``runner.well_formed`` /
``Finding.problems``, ``results._file_source`` / ``_file_source_plain``, and
the others below. Hypothesis compares each pair on many generated inputs,
including the awkward ones (subclasses, shared nodes, near-miss dates and
URLs, schemas that fuse a type with its keywords).
"""

from __future__ import annotations

import datetime as dt
import string
from collections import OrderedDict
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from vendordd import dates, evidence
from vendordd.fastcheck import compile_check
from vendordd.frozen import FrozenDict, FrozenList, _freeze_plain, freeze
from vendordd.validation import FormatRules, _uri, _uri_plain

MANY = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# --------------------------------------------------------------------------- freeze

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=5))
json_like = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.text(max_size=4), inner, max_size=4),
        # containers that are not exactly dict or list take the plain path
        st.dictionaries(st.text(max_size=3), inner, max_size=3).map(OrderedDict),
        st.lists(inner, max_size=3).map(_freeze_plain),
        st.dictionaries(st.text(max_size=3), inner, max_size=3).map(_freeze_plain),
        st.tuples(inner, inner),
    ),
    max_leaves=30)


def _shape(value: Any) -> Any:
    """``value`` with each container's exact type written out, for an exact comparison."""
    if isinstance(value, dict):
        return (type(value).__name__, [(k, _shape(v)) for k, v in value.items()])
    if isinstance(value, list):
        return (type(value).__name__, [_shape(v) for v in value])
    if isinstance(value, tuple):
        return ("tuple", [_shape(v) for v in value], id(value))
    return (type(value).__name__, value)


@MANY
@given(json_like)
def test_freeze_equals_its_plain_twin(value: Any) -> None:
    assert _shape(freeze(value)) == _shape(_freeze_plain(value))


def test_freeze_keeps_shared_and_odd_values_as_the_plain_twin_does() -> None:
    shared = [1, 2]
    marker = object()
    value = {"a": shared, "b": [shared, {"c": marker}], "d": (shared,)}
    fast, plain = freeze(value), _freeze_plain(value)
    assert _shape(fast) == _shape(plain)
    assert type(fast["a"]) is FrozenList and fast["a"] is not fast["b"][0]  # one copy per place
    assert fast["b"][1]["c"] is marker and fast["d"] is value["d"]          # not containers: kept
    assert type(freeze(FrozenDict({"x": [1]}))["x"]) is FrozenList


# --------------------------------------------------------------------------- dates

date_like = st.one_of(
    st.text(alphabet="0123456789-", max_size=11),
    st.dates(min_value=dt.date(1, 1, 1)).map(lambda d: d.isoformat()[: [4, 7, 10][d.day % 3]]),
    st.builds(lambda y, m, d: f"{y:04d}-{m:02d}-{d:02d}", st.integers(0, 9999), st.integers(0, 13),
              st.integers(0, 32)),
    st.text(max_size=12),
    st.sampled_from(["2025\n", "2025-02-29", "2024-02-29", "0000", "2025-00", "2025-1-01"]),
)


@MANY
@given(st.lists(date_like, min_size=1, max_size=8))
def test_cached_date_parse_equals_the_plain_parse(values: list[str]) -> None:
    for value in [*values, *values]:  # the second time from the cache
        assert dates.parse(value) == dates._parse_plain(value)
        assert dates.is_valid(value) is (dates._parse_plain(value) is not None)


def test_date_cache_is_bounded_and_passes_other_types_through(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dates, "_CACHE", {})
    monkeypatch.setattr(dates, "_CACHE_SIZE", 10)
    for year in range(2000, 2050):
        assert dates.parse(str(year)) == dates._parse_plain(str(year))
        assert len(dates._CACHE) <= 10
    for value in (None, 2025, dt.date(2025, 1, 2), dt.datetime(2025, 1, 2, 3, 4), ["2025"]):
        assert dates.parse(value) == dates._parse_plain(value)

    class Text(str):
        pass

    dates._CACHE.clear()
    assert dates.parse(Text("2025-03")) == dates._parse_plain("2025-03")
    assert dates._CACHE == {}  # only exact text is kept


# --------------------------------------------------------------------------- URIs

url_alphabet = string.ascii_letters + string.digits + ":/?#[]@!$&'()*+,;=-._~% \t\n\"<>\\^`{|}\x00\x7fé"
uri_like = st.one_of(
    st.text(alphabet=url_alphabet, max_size=30),
    st.builds(lambda scheme, sep, host, rest: scheme + sep + host + rest,
              st.sampled_from(["https", "http", "ftp", "a+b.c-d", "1http", "ht tp", "", "H"]),
              st.sampled_from(["://", ":", ":/", "//", "::", ""]),
              st.text(alphabet=url_alphabet, max_size=15),
              st.text(alphabet=url_alphabet, max_size=15)),
    st.from_regex(r"[A-Za-z][A-Za-z0-9+.\-]*://[!$&-.0-9;=A-Z_a-z~:@%\[\]]+(?:[/?#][!#-~ ]*)?", fullmatch=True),
)


@MANY
@given(uri_like)
def test_uri_fast_path_equals_urlsplit_rule(value: str) -> None:
    try:
        expected: Any = _uri_plain(value)
    except ValueError as exc:  # urlsplit refuses some hosts (unbalanced brackets): so must the fast path
        expected = type(exc)
    try:
        got: Any = _uri(value)
    except ValueError as exc:
        got = type(exc)
    assert got == expected


def test_uri_fast_path_on_known_cases() -> None:
    for value in ("https://example.org/a b", "https://example.org/\x7f", "https://[::1]/x", "https://exa mple.org",
                  "http://x", "https://example.org/path?q=1#frag", "mailto:x@example.org", "https:", "//x", 5):
        try:
            expected: Any = _uri_plain(value)
        except ValueError:
            expected = ValueError
        try:
            got: Any = _uri(value)
        except ValueError:
            got = ValueError
        assert got == expected, value


# --------------------------------------------------------------------------- the compiled schema check

leaf_schemas = st.one_of(
    st.fixed_dictionaries({"type": st.sampled_from(["string", "integer", "number", "boolean", "null", "object",
                                                    "array"])}),
    st.fixed_dictionaries({"type": st.just("string")},
                          optional={"minLength": st.integers(0, 3), "maxLength": st.integers(0, 4),
                                    "pattern": st.sampled_from(["^a", "b$", "[0-9]"]),
                                    "format": st.sampled_from(["vendordd-date", "uri", "date", "email"])}),
    st.fixed_dictionaries({"enum": st.lists(st.sampled_from(["a", "b", "2025", 1, True, None]), min_size=1,
                                            max_size=3)},
                          optional={"type": st.sampled_from(["string", "integer"])}),
    st.fixed_dictionaries({}, optional={"format": st.sampled_from(["vendordd-date", "uri"]),
                                        "maxLength": st.integers(0, 3)}),
    st.fixed_dictionaries({"type": st.sampled_from(["number", "integer"])},
                          optional={"minimum": st.integers(-2, 2), "exclusiveMaximum": st.integers(0, 5)}),
    st.just({}),
)
schemas = st.recursive(
    leaf_schemas,
    lambda inner: st.one_of(
        st.fixed_dictionaries(
            {}, optional={"type": st.just("object"),
                          "properties": st.dictionaries(st.sampled_from(["a", "b", "x-c", "s"]), inner, max_size=3),
                          "patternProperties": st.dictionaries(st.sampled_from(["^x-", "^b", "c$"]), inner,
                                                               max_size=2),
                          "additionalProperties": st.one_of(st.booleans(), inner),
                          "required": st.lists(st.sampled_from(["a", "b"]), max_size=2, unique=True),
                          "propertyNames": st.just({"maxLength": 2}),
                          "minProperties": st.integers(0, 2), "maxProperties": st.integers(1, 3)}),
        st.fixed_dictionaries(
            {}, optional={"type": st.sampled_from(["array", ["array", "null"]]), "items": inner,
                          "minItems": st.integers(0, 2), "maxItems": st.integers(1, 3),
                          "uniqueItems": st.booleans()}),
        st.fixed_dictionaries({"anyOf": st.lists(inner, min_size=1, max_size=2)}),
        st.fixed_dictionaries({"oneOf": st.lists(inner, min_size=1, max_size=2)}),
        st.fixed_dictionaries({"not": inner}),
    ),
    max_leaves=8)
instance_scalars = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.floats(-3, 3, allow_nan=False),
                             st.sampled_from(["", "a", "ab", "b", "2025", "2025-02-30", "2025-03", "https://x.org/a",
                                              "x y", "abc1", "s"]))
instances = st.recursive(
    instance_scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.sampled_from(["a", "b", "x-c", "s", "zz", "bc"]), inner, max_size=4)),
    max_leaves=10)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(schemas, st.lists(instances, min_size=1, max_size=12))
def test_compiled_check_agrees_with_jsonschema_on_generated_schemas(schema: dict[str, Any],
                                                                     docs: list[Any]) -> None:
    fast = compile_check(schema, FormatRules())
    assert fast is not None
    reference = Draft202012Validator(schema, format_checker=_jsonschema_rules())
    for doc in [*docs, *docs]:  # the second round goes through the object checks' kept key plans
        try:
            verdict = fast(doc)
        except Exception:  # validation.schema_problems then asks jsonschema: no wrong "valid" possible
            continue
        assert verdict is reference.is_valid(doc), (schema, doc)


def _verdict(check: Any, doc: Any) -> Any:
    try:
        return check(doc)
    except Exception as exc:  # noqa: BLE001 - the same failure is the same answer
        return type(exc)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(schemas, st.lists(instances, min_size=1, max_size=12))
def test_compiled_check_shortcuts_equal_the_plain_form(schema: dict[str, Any], docs: list[Any]) -> None:
    fast = compile_check(schema, FormatRules())
    plain = compile_check(schema, FormatRules(), shortcuts=False)
    assert fast is not None and plain is not None
    for doc in [*docs, *docs]:  # the second round from the kept answers and key plans
        assert _verdict(fast, doc) == _verdict(plain, doc), (schema, doc)


@pytest.mark.parametrize("schema", [{"type": "string", "minLength": low, "maxLength": high}
                                    for low in (0, 1, 2, 3) for high in (0, 1, 2, 4)]
                         + [{"minLength": 1, "maxLength": 2}, {"type": "string", "minLength": 1}])
def test_compiled_length_range_equals_the_plain_form_and_jsonschema(schema: dict[str, Any]) -> None:
    """A text with only a length range (the profile's names: 1 to 200 characters) is one
    expression in the compiled check: it answers as the plain form and jsonschema, at and past
    each end of the range."""
    fast = compile_check(schema, FormatRules())
    plain = compile_check(schema, FormatRules(), shortcuts=False)
    reference = Draft202012Validator(schema, format_checker=_jsonschema_rules())
    assert fast is not None and plain is not None
    for doc in ["", "a", "ab", "abc", "abcd", "abcde", "é", 1, None, ["ab"], {"a": 1}]:
        assert fast(doc) is plain(doc) is reference.is_valid(doc), (schema, doc)


def test_compiled_check_kept_answers_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    from vendordd import fastcheck

    monkeypatch.setattr(fastcheck, "_ANSWERS_KEPT", 3)
    schema = {"type": "array", "items": {"type": "string", "pattern": "^s[0-9]+$", "format": "vendordd-date"}}
    fast = compile_check(schema, FormatRules())
    plain = compile_check(schema, FormatRules(), shortcuts=False)
    assert fast is not None and plain is not None
    texts = ["s1", "2025", "s2", "x", "2025-02-30", "s3", "s1", "2025-01", _Label("s4")]
    for n in range(len(texts)):
        for doc in (texts[:n], [texts[n]], [texts[n], 5]):
            assert _verdict(fast, doc) == _verdict(plain, doc)


def _jsonschema_rules() -> Any:
    from vendordd.validation import _format_checker

    return _format_checker()


# --------------------------------------------------------------------------- JSON objects

@MANY
@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c", "d", "é", ""]), st.integers()), max_size=6))
def test_json_pairs_equals_its_plain_twin(pairs: list[tuple[str, int]]) -> None:
    from vendordd.text_parsing import _DuplicateKey, _json_pairs, _json_pairs_plain

    def outcome(build: Any) -> Any:
        try:
            made = build(list(pairs))
        except _DuplicateKey as exc:
            return ("duplicate", str(exc))
        return ("made", list(made.items()), type(made))

    assert outcome(_json_pairs) == outcome(_json_pairs_plain)


# --------------------------------------------------------------------------- source strength

source_lists = st.lists(st.fixed_dictionaries({"id": st.sampled_from(["s1", "s2", "s3", None])},
                                              optional={"kind": st.sampled_from(["primary", "news", "analyst",
                                                                                  "self_reported", "odd"])}),
                        max_size=5)


@MANY
@given(source_lists, st.lists(st.lists(st.sampled_from(["s1", "s2", "s3", "s9"]), max_size=3), max_size=4),
       st.booleans())
def test_source_index_equals_the_plain_index(sources: list[dict[str, Any]], citations: list[list[str]],
                                             frozen: bool) -> None:
    from vendordd import evidence

    profile: Any = {"sources": sources}
    if frozen:
        profile = freeze(profile)
    for _ in range(2):  # the second time from the kept index
        assert evidence._sources_by_id(profile) == evidence._sources_by_id_plain(profile)
        for ids in citations:
            by_fast = evidence.source_strength(profile, ids)
            plain = evidence._sources_by_id_plain(profile)
            best = max((evidence.SOURCE_KIND_WEIGHT.get(plain[i].get("kind", "news"), 0.7) for i in ids if i in plain),
                       default=0.0)
            assert by_fast == (best or evidence.UNSOURCED_WEIGHT)


@MANY
@given(source_lists,
       st.lists(st.tuples(st.one_of(st.none(), st.dates(dt.date(2023, 1, 1), dt.date(2026, 12, 31))),
                          st.one_of(st.none(), st.lists(st.sampled_from(["s1", "s2", "s3", "s9", None]), max_size=3)
                                    .map(tuple))), max_size=6),
       st.floats(-0.5, 1.5), st.integers(0, 900), st.booleans())
@example([{"id": "s1", "kind": "odd"}], [(None, ("s1",)), (dt.date(2026, 1, 1), ())], 0.7, 365, True)
@example([{"id": "s1"}], [(None, [["x"]])], 1.0, 365, True)
@example([{"id": "s1", "kind": "primary"}], [(dt.date(2025, 6, 1), ("s1",)), (dt.date(2026, 1, 1), ())], 1.0, 365,
         True)  # a fact exactly freshness_days old is fresh
def test_confidence_equals_its_plain_twin(sources: list[dict[str, Any]], facts: list[Any], completeness: float,
                                          freshness: int, frozen: bool) -> None:
    """confidence (weights by id, kept per read-only view) equals _confidence_plain, the second
    time too (from the kept weights), and fails where the plain one fails."""
    profile: Any = {"sources": sources}
    if frozen:
        profile = freeze(profile)
    as_of = dt.date(2026, 6, 1)
    for _ in range(2):
        try:
            plain = evidence._confidence_plain(completeness, facts, profile, as_of, freshness)
        except TypeError:
            with pytest.raises(TypeError):
                evidence.confidence(completeness, facts, profile, as_of, freshness)
            continue
        assert evidence.confidence(completeness, facts, profile, as_of, freshness) == plain


def test_source_index_is_kept_only_for_read_only_sources() -> None:
    from vendordd import evidence

    plain = {"sources": [{"id": "s1", "kind": "news"}]}
    assert evidence.source_strength(plain, ["s1"]) == 0.7
    plain["sources"][0]["kind"] = "primary"  # a changeable list is indexed again each time
    assert evidence.source_strength(plain, ["s1"]) == 1.0
    view = freeze({"sources": [{"id": "s1", "kind": "news"}, {"id": "s1", "kind": "analyst"}]})
    assert evidence.source_strength(view, ["s1"]) == 0.8  # the later of two with one id, as before
    other = freeze({"sources": [{"id": "s1", "kind": "primary"}]})
    assert evidence.source_strength(other, ["s1"]) == 1.0  # another vendor's view: indexed afresh


# --------------------------------------------------------------------------- the profile walks

KEYS = ["sources", "key_sources", "x-sources", "leadership", "key_people", "left", "date", "events", "x-note",
        "open_source", "releases", "name", "extensions", "audits", "passed", "[]"]
walk_values = st.recursive(
    st.one_of(st.sampled_from(["2025-01", "2027-03-01", "2026", "2030", "s1", "x", "2026-06-02"]), st.integers(),
              st.none()),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(KEYS), inner, max_size=4)),
    max_leaves=25)


@MANY
@given(st.dictionaries(st.sampled_from([*KEYS, "profile_date", "vendor"]), walk_values, max_size=6))
def test_profile_walks_equal_their_plain_twins(data: dict[str, Any]) -> None:
    from vendordd.profile_walk import _cited_sources, _cited_sources_plain
    from vendordd.validation import (
        DateFields,
        _future_facts_plain,
        core_date_fields,
        future_facts,
        profile_schema,
    )

    assert _cited_sources(data) == _cited_sources_plain(data)
    with_fragment = DateFields.of(profile_schema({"audits": ({"type": "array", "items": {
        "type": "object", "properties": {"passed": {"$ref": "#/$defs/date"}}}}, "p")}))
    for fields in (None, core_date_fields(), with_fragment):
        for as_of in (dt.date(2026, 6, 1), dt.date(2024, 1, 1)):
            assert future_facts(data, as_of, fields) == _future_facts_plain(data, as_of, fields)


def test_profile_walks_on_synthetic_profiles_with_dates_moved_later() -> None:
    import importlib.util
    import random
    from pathlib import Path

    from vendordd.profile_walk import _cited_sources, _cited_sources_plain
    from vendordd.validation import _future_facts_plain, future_facts

    spec = importlib.util.spec_from_file_location("bench_generate",
                                                  Path(__file__).resolve().parent.parent / "benchmarks" / "generate.py")
    assert spec is not None and spec.loader is not None
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    rng = random.Random("walks")
    hits = 0
    for i in range(1, 40):
        profile = gen.make_profile(40, i)

        def shift(node: Any) -> None:  # some dates moved past the as-of date, anywhere they are
            items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
            for key, value in list(items):
                if isinstance(value, str) and value[:2] == "20" and rng.random() < 0.3:
                    node[key] = "2031" + value[4:]
                else:
                    shift(value)

        shift(profile)
        found = future_facts(profile, dt.date(2026, 6, 1))
        hits += len(found)
        assert found == _future_facts_plain(profile, dt.date(2026, 6, 1))
        data = {k: v for k, v in profile.items() if k != "sources"}
        assert _cited_sources(data) == _cited_sources_plain(data)
    assert hits > 50  # the comparison saw many later facts


# --------------------------------------------------------------------------- findings' JSON data

class _Label(str):
    pass


finding_data = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.integers(min_value=2**70), st.floats(),
              st.text(max_size=4), st.builds(_Label, st.text(max_size=2)), st.just(dt.date(2026, 1, 1)),
              st.just({1, 2}), st.just(b"x")),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=3), inner, max_size=3),
                            st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=3), inner, max_size=3),
                            st.tuples(inner),
                            st.dictionaries(st.one_of(st.integers(), st.none(), st.floats()), inner, min_size=1, max_size=2),
                            st.dictionaries(st.text(max_size=3), inner, max_size=3).map(freeze)),
    max_leaves=20)


def _dumps_verdict(value: Any) -> bool:
    import json

    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError):
        return False
    return True


@MANY
@given(finding_data)
@example({"a": float("nan")})
@example([{"a": [1, float("-inf")]}])
@example({"a": {1: "x", float("nan"): 2}})
def test_plain_json_never_says_yes_where_json_dumps_fails(value: Any) -> None:
    from vendordd.runner import is_plain_json

    if is_plain_json(value):
        assert _dumps_verdict(value)
    if _dumps_verdict(value) and _shape(value) == _shape(_as_exact(value)):
        assert is_plain_json(value)  # exact JSON types only: the fast answer is given


def _as_exact(value: Any) -> Any:
    """``value`` with every container and scalar of an exact JSON type (what the fast walk accepts)."""
    if isinstance(value, dict):
        return {k: _as_exact(v) for k, v in value.items()} if all(type(k) is str for k in value) else None
    if isinstance(value, list):
        return [_as_exact(v) for v in value]
    if type(value) in (str, int, bool, float) or value is None:
        return value
    return object()


def test_plain_json_leaves_cycles_and_deep_nesting_to_json() -> None:
    from vendordd.runner import _PLAIN_DEPTH, is_plain_json

    cyclic: dict[str, Any] = {"a": []}
    cyclic["a"].append(cyclic)
    assert not is_plain_json(cyclic) and not _dumps_verdict(cyclic)
    deep: Any = "x"
    for _ in range(_PLAIN_DEPTH + 5):
        deep = [deep]
    assert not is_plain_json(deep) and _dumps_verdict(deep)  # json.dumps decides, and accepts
    assert is_plain_json({"n": [1, 2.5, None, True, "t", {"k": []}]})
    assert not is_plain_json({"n": float("nan")}) and not is_plain_json([float("inf")])


@MANY
@given(st.lists(st.tuples(st.dates(min_value=dt.date(101, 1, 1), max_value=dt.date(9800, 12, 31)),
                          st.integers(-1200, 1200)), min_size=1, max_size=6))
def test_cached_add_months_equals_the_plain_one(pairs: list[tuple[dt.date, int]]) -> None:
    from vendordd import evidence

    for day, months in [*pairs, *pairs]:  # the second time from the cache
        assert evidence.add_months(day, months) == evidence._add_months_plain(day, months)
    moment = dt.datetime(2026, 1, 31, 12)
    assert evidence.add_months(moment, 1) == evidence._add_months_plain(moment, 1)  # not cached: not a date


# --------------------------------------------------------------------------- the loader's shape pass

class _Float(float):
    pass


shape_leaves = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=3),
                         st.sampled_from(["\ud800", "a\udfff", "é", "ok"]), st.builds(_Label, st.sampled_from(["x", "\ud801"])),
                         st.builds(_Float, st.sampled_from([1.5, float("inf")])), st.just(b"\xff"))
shape_keys = st.one_of(st.text(max_size=3), st.sampled_from(["\udc00", "k\ud800", "é"]), st.integers())
shape_trees = st.recursive(
    shape_leaves,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(shape_keys, inner, max_size=3),
                            st.lists(inner, max_size=2).map(freeze), st.tuples(inner)),
    max_leaves=20)


def _nest_in(value: Any, depth: int) -> Any:
    for _ in range(depth):
        value = {"a": [value]} if depth % 2 else [value]
    return value


@MANY
@given(shape_trees, st.integers(0, 40), st.booleans())
@example(float("inf"), 0, False)
@example({"a": [1.0, float("-inf")]}, 3, False)
@example({"k": _Float("inf")}, 1, False)
@example({"\udc00": 1, 2: "x"}, 2, False)
@example(["ok", "a\ud800"], 0, True)
def test_shape_pass_equals_its_plain_twin(tree: Any, depth: int, share: bool) -> None:
    from vendordd.data_shape import _shape_is_fine_plain, shape_is_fine

    data = _nest_in(tree, depth)
    if share and isinstance(tree, (dict, list)):
        data = [data, tree]  # the same node twice: a YAML alias
    assert shape_is_fine(data) is _shape_is_fine_plain(data)


def test_shape_pass_at_the_depth_limit() -> None:
    from vendordd.data_shape import MAX_DEPTH, _shape_is_fine_plain, shape_is_fine

    for depth in range(MAX_DEPTH - 2, MAX_DEPTH + 3):
        node: Any = "leaf"
        for _ in range(depth):
            node = [node]
        assert shape_is_fine(node) is _shape_is_fine_plain(node)
    assert shape_is_fine(float("inf")) is _shape_is_fine_plain(float("inf")) is False
    assert shape_is_fine({"\ud800": 1}) is _shape_is_fine_plain({"\ud800": 1}) is False


# --------------------------------------------------------------------------- one walk: shape, copy, citations

def _walked(walked: Any) -> Any:
    """A :class:`~vendordd.profile_walk.Walked` with its copy's exact types written out."""
    return walked.fine, _shape(walked.view), walked.cited


profile_trees = st.recursive(
    st.one_of(shape_leaves, walk_values, st.just(dt.date(2026, 1, 1))),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(shape_keys, inner, max_size=3),
                            st.dictionaries(st.sampled_from(KEYS), inner, max_size=4),
                            st.lists(inner, max_size=2).map(freeze), st.tuples(inner)),
    max_leaves=25)


@MANY
@given(st.one_of(st.dictionaries(st.sampled_from([*KEYS, "vendor"]), profile_trees, max_size=6), profile_trees),
       st.integers(0, 40), st.booleans())
@example({"sources": [{"id": "s1"}], "a": {"sources": ["s1", 2, {"b": {"sources": ["s2"]}}]}}, 0, False)
@example({"key_sources": ["s1"], "a": [[{"x_sources": ["s2"]}]]}, 0, False)
@example({"a": {"sources": "s1", "b_sources": {"sources": ["s3"]}}}, 2, False)
@example({"a": [1.0, float("nan")]}, 0, False)
@example({"a": {"k": "\ud800"}}, 0, False)
@example({"a": [{"b": 1}]}, 0, True)
def test_one_walk_equals_the_three_passes(data: Any, depth: int, share: bool) -> None:
    from vendordd.profile_walk import walk_profile, walk_profile_plain

    if depth and not isinstance(data, dict):
        data = _nest_in(data, depth)
    elif depth:
        data = {**data, "deep": _nest_in(data.get("a", 1), depth)}
    if share and isinstance(data, dict) and data:
        data = {**data, "again": next(iter(data.values()))}  # a node twice when it is a container
    assert _walked(walk_profile(data)) == _walked(walk_profile_plain(data))


def test_one_walk_at_the_depth_limit_and_on_the_synthetic_profiles() -> None:
    import importlib.util
    from pathlib import Path

    from vendordd.data_shape import MAX_DEPTH
    from vendordd.profile_walk import walk_profile, walk_profile_plain

    for depth in range(MAX_DEPTH - 2, MAX_DEPTH + 3):
        for top in ({"a": "x"}, ["x"]):
            node: Any = top
            for _ in range(depth):
                node = {"sources": [node], "b": [node]} if isinstance(top, dict) and depth % 2 else [node]
            assert _walked(walk_profile(node)) == _walked(walk_profile_plain(node))
    spec = importlib.util.spec_from_file_location("bench_generate",
                                                  Path(__file__).resolve().parent.parent / "benchmarks" / "generate.py")
    assert spec is not None and spec.loader is not None
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    cited = 0
    for i in range(1, 31):
        profile = gen.make_profile(40, i)
        walked = walk_profile(profile)
        assert walked.fine and _walked(walked) == _walked(walk_profile_plain(profile))
        cited += len(walked.cited)
    assert cited > 300  # the comparison saw many citations


# --------------------------------------------------------------------------- the walk for JSON text

json_leaves = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False),
                        st.text(max_size=3), st.sampled_from(["s1", "s2", "\ud800", "a\udfff", "\U0001F600", "é", "\\ud800"]))
json_trees = st.recursive(
    json_leaves,
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=2),
                                                      st.sampled_from(["\udc00", "k_sources"])), inner, max_size=4)),
    max_leaves=25)


def _json_texts(data: Any) -> list[str]:
    """``data`` as JSON text several ways: escaped and not, and with a number that overflows."""
    import json

    texts = [json.dumps(data), json.dumps(data, ensure_ascii=False, indent=1)]
    if isinstance(data, dict):
        texts.append(json.dumps({**data, "x-big": "BIG"}).replace('"BIG"', "1e400"))
    return texts


@MANY
@given(st.one_of(st.dictionaries(st.sampled_from([*KEYS, "vendor"]), json_trees, max_size=6), json_trees),
       st.integers(0, 70))
@example({"sources": [{"id": "s1", "sources": ["s9"]}], "a": {"sources": ["s1", 2, {"b": {"sources": ["s2"]}}]}}, 0)
@example({"key_sources": ["s1"], "a": [[{"x_sources": ["s2", 3]}]], "b": {"c_sources": "s3"}}, 0)
@example({"a": {"k": "\ud800"}}, 0)
@example({"\udc00": 1}, 0)
@example({"a": [1.5, -0.0]}, 63)
@example({"a": ["x"]}, 64)
@example(["s1"], 65)
def test_json_walk_equals_the_three_passes(data: Any, depth: int) -> None:
    """walk_json_profile, on what json.loads makes of text that may_hold_surrogates clears, gives
    the three passes' verdict and copy, and their citations' ids; the text test is sound."""
    from vendordd.data_shape import _LONE_SURROGATE
    from vendordd.file_reading import decode_text
    from vendordd.profile_walk import may_hold_surrogates, walk_json_profile, walk_profile_plain
    from vendordd.text_parsing import parse_text

    if depth:
        data = {**data, "deep": _nest_in(data.get("a", 1), depth)} if isinstance(data, dict) else _nest_in(data, depth)
    for text in _json_texts(data):
        try:
            text = decode_text(text.encode("utf-8"), "t.json")  # what a file gives: UTF-8 decoded
        except UnicodeEncodeError:  # a raw lone surrogate (ensure_ascii=False): no file holds that
            continue
        parsed = parse_text(text, "json", "t.json")
        if may_hold_surrogates(text):
            continue
        # the precondition holds: no lone surrogate in any key or text of the parsed data
        assert not _LONE_SURROGATE.search("".join(_texts_of(parsed)))
        fast, plain = walk_json_profile(parsed), walk_profile_plain(parsed)
        assert fast.fine is plain.fine
        assert _shape(fast.view) == _shape(plain.view)
        assert fast.cited is None
        assert fast.cited_ids == (None if plain.cited is None else [sid for sid, _ in plain.cited])
        if fast.fine:  # the greatest text value (keys apart) below ":"
            assert fast.top_text == max((t for t in _texts_of(parsed, keys=False) if t < ":"), default="")


dated_values = st.recursive(
    st.one_of(st.sampled_from(["2025-01", "2027-03-01", "2026", "2030", "s1", "x", "2026-06-02", "2026-06-01",
                               "2026-07-01\n", "2026-06", "2026-13", "99999", "0999", ":x", "9 x", ""]),
              st.integers(), st.none(), st.text(max_size=3)),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(KEYS), inner, max_size=4)),
    max_leaves=25)


@MANY
@given(st.dictionaries(st.sampled_from([*KEYS, "profile_date", "vendor"]), dated_values, max_size=6))
@example({"leadership": {"key_people": [{"left": "2026-07-01\n"}]}})
@example({"leadership": {"events": [{"date": "2026-06-02"}]}, "x-note": "2031"})
@example({"extensions": {"audits": [{"passed": ["2026-06-02", "s1"]}]}})  # a list of dates (a plugin's)
def test_later_facts_equal_future_facts(data: dict[str, Any]) -> None:
    """later_facts (nothing walked when the JSON walk's top text rules every later date out)
    gives future_facts' pointers, for as-of dates before, on and after the profile's dates."""
    import json
    from pathlib import Path

    from vendordd.assessment import later_facts
    from vendordd.documents import ProfileDocument
    from vendordd.profile_walk import walk_json_profile
    from vendordd.text_parsing import parse_text
    from vendordd.validation import DateFields, core_date_fields, future_facts, profile_schema

    parsed = parse_text(json.dumps(data), "json", "p.json")
    walked = walk_json_profile(parsed)
    assert walked.fine and walked.top_text is not None
    doc = ProfileDocument(name="p.json", path=Path("p.json"), data=parsed, sha256="", kind="json",
                          view=walked.view, cited_ids=walked.cited_ids, top_text=walked.top_text)
    plain_doc = ProfileDocument(name="p.json", path=Path("p.json"), data=parsed, sha256="", kind="json")
    with_fragment = DateFields.of(profile_schema({"audits": ({"type": "array", "items": {
        "type": "object", "properties": {"passed": {"type": "array", "items": {"$ref": "#/$defs/date"}}}}}, "p")}))
    for fields in (None, core_date_fields(), with_fragment):
        for as_of in (dt.date(2024, 1, 1), dt.date(2026, 5, 31), dt.date(2026, 6, 1), dt.date(2026, 6, 30),
                      dt.date(2026, 7, 1), dt.date(2031, 1, 1), dt.date(999, 12, 31)):
            expected = future_facts(parsed, as_of, fields)
            assert later_facts(doc, as_of, fields) == expected
            assert later_facts(plain_doc, as_of, fields) == expected


def _texts_of(node: Any, keys: bool = True) -> list[str]:
    """Every key (unless ``keys`` is False) and text value in ``node``."""
    if isinstance(node, dict):
        return [*(node if keys else ()), *(t for v in node.values() for t in _texts_of(v, keys))]
    if isinstance(node, list):
        return [t for v in node for t in _texts_of(v, keys)]
    return [node] if isinstance(node, str) else []


@pytest.mark.parametrize("text,may", [
    ('{"a": "x"}', False), ('{"a": "\\u00e9 \\n \\""}', False), ('{"a": "\\ud83d\\ude00"}', True),
    ('{"a": "\\uDFFF"}', True), ('{"a": "\\ud7ff"}', False), ('{"a": "\\\\ud800"}', True)])
def test_surrogate_escapes_are_found(text: str, may: bool) -> None:
    """Any escape in the surrogate range is found (a false alarm, as an escaped backslash before
    'ud800', only costs the full walk)."""
    from vendordd.profile_walk import may_hold_surrogates

    assert may_hold_surrogates(text) is may


def test_json_walk_on_the_synthetic_profiles_and_semantic_rules_with_ids_only() -> None:
    """On synthetic profiles (some with an undefined citation), a document read with the JSON walk
    gives the semantic problems the one with full citations gives."""
    import copy
    import importlib.util
    import json
    from pathlib import Path

    from vendordd.documents import ProfileDocument
    from vendordd.profile_walk import walk_json_profile, walk_profile_plain
    from vendordd.text_parsing import parse_text
    from vendordd.validation import semantic_problems

    spec = importlib.util.spec_from_file_location("bench_generate",
                                                  Path(__file__).resolve().parent.parent / "benchmarks" / "generate.py")
    assert spec is not None and spec.loader is not None
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    reported = 0
    for i in range(1, 21):
        profile = gen.make_profile(40, i)
        if i % 3 == 0:
            profile = copy.deepcopy(profile)
            profile["leadership"]["key_people"][0]["sources"] = ["s1", f"missing-{i}"]
            profile["x-note"] = {"sources": ["nowhere"]}
        if i % 5 == 0:
            profile = copy.deepcopy(profile)
            profile["sources"].append(dict(profile["sources"][0]))  # an id defined twice
        text = json.dumps(profile, ensure_ascii=False)
        parsed = parse_text(text, "json", "p.json")
        fast, plain = walk_json_profile(parsed), walk_profile_plain(parsed)
        assert fast.fine and _shape(fast.view) == _shape(plain.view)
        assert fast.cited_ids == [sid for sid, _ in plain.cited]
        docs = [ProfileDocument(name="p.json", path=Path("p.json"), data=parsed, sha256="", kind="json",
                                extra={"raw": text.encode()}, **found)
                for found in ({"cited": plain.cited}, {"cited_ids": fast.cited_ids}, {})]
        problems = [[(p.pointer, p.message, p.line, p.column) for p in semantic_problems(doc)] for doc in docs]
        assert problems[0] == problems[1] == problems[2]
        reported += len(problems[0])
    assert reported >= 8  # the comparison saw problems to report


# --------------------------------------------------------------------------- a check's guard

def _odd_text() -> Any:
    return st.one_of(st.sampled_from(["ok", "insufficient_data", "error", "skipped", "low", "medium", "high",
                                      "critical", "OK", ""]), st.builds(_Label, st.sampled_from(["ok", "low"])))


findings = st.builds(
    lambda status, score, rating, confidence, summary, lists, metrics, facts: _finding(
        status, score, rating, confidence, summary, lists, metrics, facts),
    _odd_text(),
    st.one_of(st.none(), st.floats(), st.integers(-5, 105), st.booleans(), st.just("50")),
    st.one_of(st.none(), _odd_text(), st.just(1)),
    st.one_of(st.floats(), st.integers(-1, 2), st.booleans(), st.none()),
    st.one_of(st.text(max_size=3), st.none(), st.builds(_Label, st.text(max_size=2))),
    st.lists(st.one_of(st.lists(st.one_of(st.text(max_size=2), st.builds(_Label, st.just("x")), st.just(3)),
                                max_size=3),
                       st.just(("a",)), st.none()), min_size=3, max_size=3),
    st.one_of(st.just({}), st.just({"n": 1}), st.just([]), st.just(FrozenDict({"n": 1}))),
    st.one_of(st.just({}), st.just({"f": "x"}), st.none()))


def _finding(status: Any, score: Any, rating: Any, confidence: Any, summary: Any, lists: list[Any],
             metrics: Any, facts: Any) -> Any:
    from vendordd.model import Finding

    return Finding(status=status, score=score, rating=rating, confidence=confidence, summary=summary,
                   rationale=lists[0], sources=lists[1], recommendations=lists[2], metrics=metrics, facts=facts)


@MANY
@given(findings)
@example(_finding("ok", 80.0, None, 0.5, "s", [["a"], ["s1"], []], {}, {}))
@example(_finding("insufficient_data", None, None, 0, "", [[], [], []], {}, {}))
@example(_finding("ok", float("nan"), None, 0.5, "s", [[], [], []], {}, {}))
@example(_finding("ok", 50, "low", float("inf"), "s", [[], [], []], {}, {}))
def test_well_formed_finding_equals_no_problems(finding: Any) -> None:
    from vendordd.runner import well_formed

    if well_formed(finding):
        assert finding.problems() == []
    exact = (type(finding.status) is str and type(finding.summary) is str
             and (finding.rating is None or type(finding.rating) is str)
             and all(type(v) is str for name in ("rationale", "sources", "recommendations")
                     if type(getattr(finding, name)) is list for v in getattr(finding, name))
             and type(finding.metrics) is dict and type(finding.facts) is dict
             and type(finding.score) in (int, float, type(None)) and type(finding.confidence) in (int, float))
    if exact and finding.problems() == []:
        assert well_formed(finding)  # exact types: the fast answer is given


def _time_limits() -> list[Any]:
    from vendordd.runner import _time_limit_plain, time_limit

    return [time_limit, _time_limit_plain]


@pytest.mark.parametrize("limit", _time_limits(), ids=["class", "plain"])
def test_time_limit_and_its_plain_twin_stop_a_block_and_restore_the_handler(limit: Any) -> None:
    import signal
    import threading

    from vendordd.runner import CheckTimeout

    def mine(signum: int, frame: Any) -> None:
        raise AssertionError("the block's own handler must be in place instead")

    before = signal.signal(signal.SIGALRM, mine)
    try:
        for previous in (mine, signal.SIG_DFL, signal.SIG_IGN):
            signal.signal(signal.SIGALRM, previous)
            with pytest.raises(CheckTimeout, match=r"^ran longer than the policy's limit of 0.05 s$"), limit(0.05):
                while True:
                    pass
            assert signal.getsignal(signal.SIGALRM) == previous
            assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
            with limit(30):  # a block within its limit: the timer off and the handler back after it
                assert signal.getsignal(signal.SIGALRM) not in (mine, signal.SIG_DFL, signal.SIG_IGN)
            assert signal.getsignal(signal.SIGALRM) == previous
            assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
            with pytest.raises(KeyError), limit(30):  # the block's own error passes through, the guard is undone
                raise KeyError("x")
            assert signal.getsignal(signal.SIGALRM) == previous
            assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
        signal.signal(signal.SIGALRM, mine)
        for seconds in (None, 0, -1):  # no limit: nothing installed
            with limit(seconds):
                assert signal.getsignal(signal.SIGALRM) is mine
        seen: list[Any] = []
        thread = threading.Thread(target=lambda: seen.append(_in_block(limit)))
        thread.start()
        thread.join()
        assert seen == [mine]  # outside the main thread: no limit, no handler change
    finally:
        signal.signal(signal.SIGALRM, before)


def _in_block(limit: Any) -> Any:
    import signal

    with limit(5):
        return signal.getsignal(signal.SIGALRM)


# --------------------------------------------------------------------------- the results file's sources

source_entries = st.one_of(
    st.dictionaries(st.sampled_from(["id", "title", "url", "publisher", "published", "kind", "stale", "used_by",
                                     "collected", "x-note"]),
                    st.one_of(st.none(), st.text(max_size=3), st.booleans(), st.lists(st.text(max_size=2))),
                    max_size=10),
    st.dictionaries(st.sampled_from(["id", "title", "kind"]), st.text(max_size=2)).map(OrderedDict),
    st.dictionaries(st.sampled_from(["id", "url", "kind"]), st.text(max_size=2)).map(freeze),
    st.text(max_size=2), st.none(), st.lists(st.text(max_size=2), max_size=2))


@MANY
@given(st.lists(source_entries, max_size=5))
def test_file_sources_equal_their_plain_twin(sources: list[Any]) -> None:
    from vendordd.results import _file_source, _file_source_plain, file_vendor_entry

    before = [list(s.items()) if isinstance(s, dict) else s for s in sources]
    for source in sources:
        fast, plain = _file_source(source), _file_source_plain(source)
        assert fast == plain and type(fast) is type(plain)
        if isinstance(plain, dict):
            assert list(fast) == list(plain)  # the same order of keys: the same JSON text
    entry = {"id": "v", "sources": sources, "warnings": []}
    assert file_vendor_entry(entry)["sources"] == [_file_source_plain(s) for s in sources]
    assert [list(s.items()) if isinstance(s, dict) else s for s in sources] == before  # the entry is not changed


# --------------------------------------------------------------------------- open-source releases

release_items = st.fixed_dictionaries(
    {"date": st.sampled_from(["2024-11", "2025", "2026-05-30", "2026-07", "2025-02-30", None, "x", "2019-01-01"])},
    optional={"status": st.sampled_from(["released", "announced", "reported"]),
              "name": st.sampled_from(["m1", "m2", "m3"]),
              "availability": st.sampled_from(["open_weights", "gated_weights", "api_only", "closed", "odd"]),
              "license": st.sampled_from(["Apache-2.0", "apache-2.0", "MIT", "GPL-3.0-only", "CC-BY-NC-4.0",
                                          "LicenseRef-Own", "Unknown-1.0", ""]),
              "restrictions": st.lists(st.sampled_from(["non_commercial", "mau_cap", "other"]), max_size=2),
              "flagship": st.booleans(),
              "sources": st.lists(st.sampled_from(["s1", "s2"]), max_size=2),
              "artifacts": st.just({"weights": True})})


@MANY
@given(st.lists(release_items, max_size=8), st.booleans())
@example([{"date": "2025", "availability": "open_weights", "license": "MIT"},
          {"date": "2025", "availability": "open_weights", "license": "mit"},
          {"date": "2025", "availability": "open_weights"},
          {"date": "2024-11", "availability": "open_weights", "license": "MIT", "restrictions": ["mau_cap"]}], True)
def test_read_releases_equals_its_plain_twin(items: list[dict[str, Any]], custom_table: bool) -> None:
    """read_releases (class and openness once per availability, licence and restrictions) gives
    what _read_releases_plain gives for each release alone."""
    from vendordd.plugins import open_source_commitment as osc

    settings = dict(osc.DEFAULTS)
    if custom_table:
        settings["license_classes"] = {**settings["license_classes"], "Unknown-1.0": "copyleft", "MIT": "odd"}
    as_of = dt.date(2026, 6, 1)
    view = freeze(items)
    assert osc.read_releases(view, as_of, settings) == osc._read_releases_plain(view, as_of, settings)


# --------------------------------------------------------------------------- key people

people_items = st.fixed_dictionaries(
    {"name": st.sampled_from(["A", "B"])},
    optional={"joined": st.sampled_from(["2015-06-05", "2024", "2025-11", "2026-07", "2027", "2026-06", "x", "2025-02-30"]),
              "left": st.sampled_from(["2026-05-01", "2026-06", "2026", "2026-07-02", "2024-03", None, "2025-02-30"]),
              "role": st.just("Head"), "area": st.sampled_from(["code", "", None]),
              "seniority": st.sampled_from(["lead", "senior", None]), "sources": st.just(["s1"]),
              "certainty": st.sampled_from(["reported", None])})


@MANY
@given(st.lists(people_items, max_size=6), st.sampled_from([dt.date(2026, 6, 1), dt.date(2026, 6, 30), dt.date(2025, 1, 1)]))
@example([{"name": "A", "joined": "2024", "left": "2026-06"}, {"name": "B", "joined": "2015-06-05",
                                                                 "left": "2026-05"}], dt.date(2026, 6, 1))
def test_read_people_equals_its_plain_twin(items: list[dict[str, Any]], as_of: dt.date) -> None:
    """read_people (partial-date words only for a person with a partial date) gives what
    _read_people_plain gives."""
    from vendordd.plugins import leadership_turnover as lt

    view = freeze(items)
    assert lt.read_people(view, as_of) == lt._read_people_plain(view, as_of)


# --------------------------------------------------------------------------- the kept JSON decoder

@MANY
@given(json_trees, st.sampled_from(["", "\ufeff", " ", "x", "NaN", "{", '{"a": 1, "a": 2}', "1e400", "[1,]"]),
       st.booleans())
@example(None, "\ufeff", False)
@example({"a": 1}, "", True)
def test_kept_json_decoder_equals_json_loads(data: Any, extra: str, before: bool) -> None:
    """The kept decoder parses as json.loads with the same hooks: the same data (exact types) or
    the same error, message and place."""
    import json

    from vendordd.text_parsing import _json_pairs, _parse_json, _refuse_constant

    text = json.dumps(data)
    text = extra + text if before else text + extra
    try:
        expected = ("ok", _shape(json.loads(text, object_pairs_hook=_json_pairs, parse_constant=_refuse_constant)))
    except Exception as exc:  # noqa: BLE001 - the same failure is the point
        expected = ("error", type(exc).__name__, str(exc))
    try:
        got = ("ok", _shape(_parse_json(text)))
    except Exception as exc:  # noqa: BLE001
        got = ("error", type(exc).__name__, str(exc))
    assert got == expected


# --------------------------------------------------------------------------- a vendor's sources in the results

@MANY
@given(st.lists(st.fixed_dictionaries(
           {"id": st.sampled_from(["s1", "s2", "s3"])},
           optional={"published": st.one_of(st.sampled_from(["2025-06-01", "2025-05-31", "2025", "2025-06", "2026-01-09",
                                                             "2025-02-30", "x"]), st.none(),
                                             st.just(dt.date(2025, 6, 1))),
                     "title": st.just("T"), "url": st.just("https://e.org"), "kind": st.sampled_from(["news", None]),
                     "x-collected": st.one_of(st.just({"source": "hub", "date": "2026-01-01"}), st.just("odd"))}),
           max_size=6),
       st.lists(st.tuples(st.sampled_from(["c1", "c2", "c3"]), st.lists(st.sampled_from(["s1", "s2", "s3", "s9"]),
                                                                      max_size=3)), max_size=4),
       st.sampled_from([365, 0, 10]), st.booleans())
def test_results_sources_equal_their_plain_twin(sources: list[Any], cites: list[Any], freshness: int,
                                                frozen: bool) -> None:
    """assessment._sources gives _sources_plain's entries (staleness at the window's edge, sources
    cited by none, one or several checks, twice by one)."""
    from vendordd.assessment import _sources, _sources_plain

    profile: Any = {"sources": sources}
    if frozen:
        profile = freeze(profile)
    results: Any = [{"id": check, "sources": ids} for check, ids in cites]
    policy = {"freshness_days": freshness}
    as_of = dt.date(2026, 6, 1)
    assert _sources(profile, results, as_of, policy) == _sources_plain(profile, results, as_of, policy)
