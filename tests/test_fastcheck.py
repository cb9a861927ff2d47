"""The compiled schema check (vendordd.fastcheck) agrees with jsonschema.

jsonschema is the reference validator; the compiled check may only skip it
for documents jsonschema accepts. These tests compare the two verdicts on
the whole test corpus (every example, template, test data file, the
hand-written rejection cases of test_schemas.py, synthetic benchmark
profiles) and on about 2,800 seeded mutations of those documents, for
each of the four schemas and for a profile schema with plugin fragments.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import random
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from tests import test_schemas as ts
from vendordd.fastcheck import compile_check
from vendordd.loader import Document, InputError, load_file
from vendordd.validation import (
    _FAST_CHECKS,
    compile_validator,
    load_schema,
    profile_schema,
    schema_problems,
)

ROOT = Path(__file__).resolve().parent.parent


def _generator() -> Any:
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "benchmarks" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _files(*patterns: str) -> Iterator[Any]:
    for pattern in patterns:
        for path in sorted(ROOT.glob(pattern)):
            try:
                doc = load_file(path)
            except InputError:
                continue  # unreadable on purpose (tests/data/bad): nothing to validate
            yield doc.data


def _plugin_schema() -> dict[str, Any]:
    """The profile schema with the example plugins' fragments (deprecation_log, financial)."""
    from vendordd.host import Host

    host = Host().load(paths=[str(ROOT / "examples" / "plugins" / "deprecation_log.py")])
    fragments = dict(host.schemas())
    financial = ROOT / "examples" / "plugins" / "vendordd-financial" / "src" / "vendordd_financial" / "schema.json"
    fragments["financial"] = (json.loads(financial.read_text("utf-8")), "tests")
    fragments["strict-numbers"] = ({"type": "object", "required": ["level"], "additionalProperties": False,
                                    "properties": {"level": {"type": "integer", "minimum": 0},
                                                   "tags": {"type": "array", "uniqueItems": True,
                                                            "items": {"enum": [1, True, "a", None, [1]]}},
                                                   "mode": {"oneOf": [{"const": 1}, {"type": "number"}]},
                                                   "note": {"not": {"type": "string", "maxLength": 3}}}},
                                   "tests")
    return profile_schema(fragments)


def _results_document() -> dict[str, Any]:
    """A fresh results document (two example vendors), as a reader of --json sees it."""
    from vendordd.pipeline import assess

    paths = sorted(str(p) for p in (ROOT / "examples" / "profiles").glob("*.yaml"))[:1]
    return json.loads(json.dumps(assess(paths, as_of="2026-06-01").results))


@cache
def _corpus() -> dict[str, tuple[dict[str, Any], list[Any]]]:
    """Schema name -> (schema, documents that should be checked against it)."""
    gen = _generator()
    profiles = [*_files("examples/profiles/*.yaml", "examples/plugins/profiles/*", "tests/data/good/*",
                        "tests/data/bad/*.yaml", "tests/data/bad/*.json", "tests/data/screening/**/*.yaml"),
                ts.full_profile(), *(gen.make_profile(3, i) for i in range(1, 4))]
    for _name, change, _path, _kw in ts.REJECTIONS:
        doc = ts.full_profile()
        change(doc)
        profiles.append(doc)
    policies = [*_files("examples/policy-*.yaml", "templates/policy.yaml"), ts.full_policy()]
    for _name, change, _path, _kw in ts.POLICY_REJECTIONS:
        doc = ts.full_policy()
        change(doc)
        policies.append(doc)
    portfolios = [*_files("examples/portfolio.yaml"), ts.full_portfolio()]
    for _name, change, _path, _kw in ts.PORTFOLIO_REJECTIONS:
        doc = ts.full_portfolio()
        change(doc)
        portfolios.append(doc)
    results = [_results_document()]
    with_extensions = ts.full_profile()
    with_extensions["extensions"] = {
        "financial": {"as_of": "2026-01", "revenue_usd_annual": 10**9, "cash_usd": 5.5e8, "sources": ["s1"]},
        "strict-numbers": {"level": 2, "tags": [1, "a", None], "mode": 2.5, "note": "long enough"}}
    plugin_profiles = [*_files("examples/plugins/profiles/*"), ts.full_profile(), with_extensions]
    # Values where JSON Schema's rules and Python's differ: 1 == True == 1.0, oneOf vs anyOf.
    for key, value in [("mode", 1), ("mode", 1.0), ("mode", True), ("mode", "1"), ("tags", [1, True]),
                       ("tags", [1, 1.0]), ("tags", [[1], [1]]), ("tags", [None, None]), ("note", "abc"),
                       ("note", "abcd"), ("note", 5), ("level", 2.0), ("level", True), ("level", -1)]:
        doc = copy.deepcopy(with_extensions)
        doc["extensions"]["strict-numbers"][key] = value
        plugin_profiles.append(doc)
    return {
        "profile": (profile_schema(), profiles),
        "profile+plugins": (_plugin_schema(), plugin_profiles),
        "policy": (load_schema("policy"), policies),
        "portfolio": (load_schema("portfolio"), portfolios),
        "results": (load_schema("results"), results),
    }


_POOL = [None, True, False, 0, 1, -1, 1.0, 1.5, 2, 10**13, 1e31, 0.0, -0.0, "", " ", "x", "X", "a" * 2001,
         "n" * 201, "2026-02-30", "2026-13", "2026-03", "2026-03-10", "2026-3-1", "20260310", "US", "us",
         "XX", "EU", "US-TX", "US-TEXA", "CN", "https://example.org/a", "http://x", "ftp://example.org",
         "https://exa mple.org", "javascript:alert(1)", "s1", "s 1", "Apache-2.0", "MIT OR Apache-2.0",
         "LicenseRef-X", "open_weights", "news", "critical", "low", "x-note", [], [1], ["s1", "s1"],
         ["a", "a"], [True, 1], [1, 1.0], [[1], [1]], [{"a": 1}, {"a": 1}], {}, {"x-a": 1}, {"zz": 1}]


def _paths(node: Any, path: tuple = ()) -> Iterator[tuple]:
    yield path
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _paths(value, (*path, i))


def _property_names(schema: Any) -> list[str]:
    names: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            names.update(k for k in (node.get("properties") or {}) if isinstance(k, str))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    return sorted(names)


def _mutate(doc: Any, rng: random.Random, names: list[str]) -> Any:
    """A copy of ``doc`` with one to three random changes."""
    doc = copy.deepcopy(doc)
    for _ in range(rng.randint(1, 3)):
        paths = list(_paths(doc))
        path = rng.choice(paths)
        parent = doc
        for part in path[:-1]:
            parent = parent[part]
        target = parent[path[-1]] if path else doc
        op = rng.randrange(6)
        if op == 0 and path:
            parent[path[-1]] = copy.deepcopy(rng.choice(_POOL))
        elif op == 1 and path:
            del parent[path[-1]]
        elif op == 2 and isinstance(target, dict):
            target[rng.choice([*names, "zzz", "x-note", "X-no"])] = copy.deepcopy(rng.choice(_POOL))
        elif op == 3 and isinstance(target, list) and target:
            target.append(copy.deepcopy(rng.choice(target)))
        elif op == 4 and path and isinstance(target, str):
            parent[path[-1]] = rng.choice([target.upper(), target + " ", target[:-1], target * 2, "-" + target])
        elif op == 5 and path and isinstance(target, (int, float)) and not isinstance(target, bool):
            parent[path[-1]] = rng.choice([-target, float(target), target + 0.5, target * 10**9, True])
    return doc


#: Mutated documents per schema and format checker (split across its documents).
MUTATIONS = {"vendordd": 500, "jsonschema": 160}


@pytest.mark.parametrize("name", ["policy", "portfolio", "profile", "profile+plugins", "results"])
def test_same_verdict_as_jsonschema_on_the_corpus_and_mutations(name: str) -> None:
    schema, docs = _corpus()[name]
    assert docs, f"no {name} documents found"
    checkers = {"vendordd": compile_validator(schema).format_checker, "jsonschema": FormatChecker()}
    for label, checker in checkers.items():
        reference = Draft202012Validator(schema, format_checker=checker)
        fast = compile_check(schema, checker)
        assert fast is not None, f"the {name} schema should be within the compiled subset"
        rng = random.Random(f"fastcheck:{name}:{label}")
        names = _property_names(schema)
        verdicts = {True: 0, False: 0}
        for doc in docs:
            count = max(2, MUTATIONS[label] // len(docs) // (2 if name == "results" else 1))
            for sample in [doc, *(_mutate(doc, rng, names) for _ in range(count))]:
                expected = reference.is_valid(sample)
                assert fast(sample) is expected, (name, label, json.dumps(sample, default=str)[:2000])
                verdicts[expected] += 1
        # The comparison means something only if both answers occurred often.
        assert verdicts[True] >= 10 and verdicts[False] >= 10, (label, verdicts)


def test_problems_are_jsonschemas_whether_or_not_the_fast_path_exists(tmp_path: Path) -> None:
    """Invalid documents still get jsonschema's errors, pointers and lines; valid ones get none."""
    schema = profile_schema()
    with_fast = compile_validator(schema)
    without = Draft202012Validator(schema, format_checker=with_fast.format_checker)
    assert id(with_fast) in _FAST_CHECKS and id(without) not in _FAST_CHECKS
    for i, (_name, change, _path, _kw) in enumerate(ts.REJECTIONS[:12]):
        data = ts.full_profile()
        change(data)
        path = tmp_path / f"p{i}.json"
        path.write_text(json.dumps(data, indent=1), "utf-8")
        doc = Document(name=path.name, path=path, data=data, sha256="", kind="json")
        found = schema_problems(with_fast, doc)
        assert found and found == schema_problems(without, doc)
    good = Document(name="g.json", path=tmp_path / "g.json", data=ts.full_profile(), sha256="", kind="json")
    assert schema_problems(with_fast, good) == [] == schema_problems(without, good)


@pytest.mark.parametrize("schema", [
    {"if": {"type": "string"}, "then": {"minLength": 2}},
    {"type": "array", "prefixItems": [{"type": "string"}]},
    {"type": "number", "multipleOf": 0.1},
    {"$ref": "https://example.org/other.json"},
    {"$defs": {"a": {"$id": "https://example.org/a", "type": "string"}}, "$ref": "#/$defs/a"},
    {"$anchor": "here", "type": "string"},
    {"$schema": "http://json-schema.org/draft-07/schema#", "type": "string"},
    {"type": "object", "unevaluatedProperties": False},
    {"type": "strange"},
], ids=lambda s: next(k for k in s if k != "$defs"))
def test_schemas_outside_the_subset_are_left_to_jsonschema(schema: dict[str, Any]) -> None:
    assert compile_check(schema) is None


def test_a_plugin_fragment_outside_the_subset_still_validates_through_jsonschema(tmp_path: Path) -> None:
    fragment = {"type": "object", "properties": {"step": {"type": "number", "multipleOf": 0.5}}}
    validator = compile_validator(profile_schema({"steps": (fragment, "tests")}))
    assert id(validator) not in _FAST_CHECKS
    data = ts.full_profile()
    data["extensions"] = {"steps": {"step": 0.3}}
    doc = Document(name="s.json", path=tmp_path / "s.json", data=data, sha256="", kind="json")
    assert [p.pointer for p in schema_problems(validator, doc)] == ["/extensions/steps/step"]


def test_recursive_references_compile_and_agree() -> None:
    schema = {"$defs": {"tree": {"type": "object", "additionalProperties": False,
                                 "properties": {"v": {"type": "integer"},
                                                "kids": {"type": "array", "items": {"$ref": "#/$defs/tree"}}}}},
              "$ref": "#/$defs/tree"}
    fast = compile_check(schema)
    reference = Draft202012Validator(schema)
    for doc in ({"v": 1, "kids": [{"v": 2, "kids": [{"v": 3}]}]}, {"v": 1, "kids": [{"v": "x"}]},
                {"v": 1, "kids": [{"w": 1}]}, {"kids": []}, [], "x"):
        assert fast(doc) is reference.is_valid(doc)


def test_the_fast_check_goes_with_its_validator() -> None:
    validator = compile_validator(load_schema("portfolio"))
    key = id(validator)
    assert key in _FAST_CHECKS
    del validator
    assert key not in _FAST_CHECKS


def test_the_written_out_keywords_are_jsonschemas() -> None:
    from vendordd.fastcheck import DRAFT_2020_12_KEYWORDS

    assert set(Draft202012Validator.VALIDATORS) == DRAFT_2020_12_KEYWORDS


def test_format_rules_answer_as_jsonschemas_format_checker() -> None:
    from vendordd.validation import FormatRules, _format_checker

    rules, reference = FormatRules(), _format_checker()
    for fmt in ("vendordd-date", "date", "uri", "email"):
        for value in ("2026-03-10", "2026-03", "2026-02-30", "2026", "20260310", "https://example.org/x",
                      "example", "http://", "a b", 5, None, "", "mailto:x@example.org"):
            assert rules.conforms(value, fmt) == reference.conforms(value, fmt), (fmt, value)
