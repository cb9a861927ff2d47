"""The JSON Schemas (profile, policy, portfolio) and the profile skeleton.

The schemas are the contract users write to, so these tests pin both what
they accept (a full profile, the skeleton, DESIGN.md's shapes) and what they
must refuse (typos, bad codes, impossible dates, absurd numbers). Every
rejection asserts *where* the error is, so a schema that fails for another
reason does not pass the test.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from vendordd import dates
from vendordd.loader import parse_text

SCHEMA_FILES = {
    "profile": "vendor-profile.schema.json",
    "policy": "policy.schema.json",
    "portfolio": "portfolio.schema.json",
}


@cache
def _schema_text(kind: str) -> str:
    return resources.files("vendordd.schemas").joinpath(SCHEMA_FILES[kind]).read_text("utf-8")


def schema(kind: str) -> dict[str, Any]:
    """A fresh copy of the packaged schema of that kind."""
    return json.loads(_schema_text(kind))


def _format_checker() -> FormatChecker:
    """jsonschema's checkers plus vendordd-date (a day, a month or a year: core/dates.py)."""
    checker = FormatChecker()

    @checker.checks("vendordd-date")
    def _date(value: object) -> bool:
        return not isinstance(value, str) or dates.is_valid(value)

    return checker


@cache
def validator(kind: str) -> Draft202012Validator:
    return Draft202012Validator(schema(kind), format_checker=_format_checker())


def errors(kind: str, instance: Any) -> list[tuple[list[Any], str]]:
    """(path, keyword) of every error, for readable assertions."""
    return [(list(e.absolute_path), e.validator) for e in validator(kind).iter_errors(instance)]


def assert_valid(kind: str, instance: Any) -> None:
    found = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
             for e in validator(kind).iter_errors(instance)]
    assert not found, "\n".join(found)


def assert_rejected_at(kind: str, instance: Any, path: list[Any], keyword: str | None = None) -> None:
    """The instance is invalid, with an error at ``path`` (and of ``keyword``, if given)."""
    found = errors(kind, instance)
    assert found, "expected the instance to be rejected"
    here = [kw for p, kw in found if p == path]
    assert here, f"no error at {path}; errors: {found}"
    if keyword is not None:
        assert keyword in here, f"error at {path} is {here}, not {keyword}"


# --------------------------------------------------------------------------- #
# A full profile of a made-up vendor, using every field of the v1 model.


def full_profile() -> dict[str, Any]:
    return {
        "$schema": "https://vendordd.dev/schemas/vendor-profile.schema.json",
        "schema_version": 1,
        "vendor": {
            "id": "example-ai",
            "name": "Example AI (Example-LM)",
            "legal_name": "Example AI Holdings Limited",
            "aliases": ["Example Labs"],
            "headquarters": "CN",
            "website": "https://example-ai.example",
            "capabilities": ["chat", "code", "vision", "embeddings"],
            "products": ["Example-LM 3", "Example Studio API"],
            "notes": "A made-up vendor for tests.",
        },
        "profile_date": "2026-03-10",
        "sources": [
            {"id": "s1", "title": "Lead leaves", "url": "https://news.example.org/a",
             "publisher": "Example News", "published": "2026-03-04", "kind": "news",
             "accessed": "2026-03-10"},
            {"id": "s2", "title": "README", "url": "https://github.com/example/lm",
             "kind": "primary"},
            {"id": "s.3_x-y", "url": "http://analyst.example.net/report"},
        ],
        "leadership": {
            "key_people": [
                {"name": "Ann Example", "role": "Technical lead", "area": "research",
                 "seniority": "lead", "joined": "2019-06", "left": "2026-03-03",
                 "destination": "a start-up", "sources": ["s1"], "notes": "resigned"},
                {"name": "Bo Example", "area": "executive", "seniority": "c_level"},
            ],
            "events": [
                {"date": "2026-02", "type": "restructuring",
                 "summary": "Team split into pre-training, post-training and multimodal silos",
                 "sources": ["s1"]},
            ],
            "notes": "",
        },
        "open_source": {
            "releases": [
                {"name": "Example-LM-72B-Instruct", "date": "2024-09-19",
                 "availability": "open_weights", "license": "Apache-2.0", "restrictions": [],
                 "artifacts": {"weights": True, "inference_code": True, "training_code": False,
                               "training_data": False, "technical_report": True,
                               "evaluation_code": False, "model_card": True},
                 "flagship": True, "sources": ["s2"]},
                {"name": "Example-LM-VL", "availability": "gated_weights",
                 "license": "LicenseRef-Example-Research",
                 "restrictions": ["mau_cap", "acceptable_use", "non_commercial",
                                  "naming_attribution", "field_of_use", "no_training_other_models"]},
                {"name": "Example-LM-Max", "availability": "api_only"},
                {"name": "Example-LM-Internal", "availability": "closed"},
            ],
            "adoption": {"downloads": 600000000, "derivative_models": 170000, "as_of": "2026-03",
                         "sources": ["s1"]},
            "commitments": [{"date": "2025-04-29", "statement": "Open weights stay Apache 2.0",
                             "sources": ["s2"]}],
        },
        "compute": {
            "accelerators": [
                {"type": "H800", "count": 10000, "owned": True, "as_of": "2025-01", "sources": ["s2"]},
                {"type": "Ascend910B", "count": 0, "owned": False},
            ],
            "h100_equivalents": 120000,
            "h100_equivalents_basis": "analyst estimate",
            "h100_equivalents_sources": ["s.3_x-y"],
            "largest_training_run_flop": 3.0e24,
            "largest_training_run_basis": "GPU-hours x peak x utilisation",
            "largest_training_run_sources": ["s2"],
            "capex_commitments": [
                {"amount_usd": 53000000000, "period_years": 3, "announced": "2025-02-24",
                 "sources": ["s1"], "notes": "converted from RMB"},
            ],
            "supply_constraints": [
                {"type": "export_control", "summary": "Cannot buy H100s", "date": "2023-10",
                 "sources": ["s1"]},
                {"type": "single_supplier"}, {"type": "energy"}, {"type": "other"},
            ],
        },
        "geopolitics": {
            "jurisdictions": ["CN", "SG", "US-TX", "EU"],
            "data_residency": [{"region": "EU", "available": True, "sources": ["s2"]},
                               {"region": "US-GOV", "available": False}],
            "ownership": {"state_owned_pct": 0, "state_linked": False, "as_of": "2026-01",
                          "major_shareholders": [{"name": "Example Fund", "country": "HK",
                                                  "pct": 12.5, "sources": ["s1"]}],
                          "sources": ["s1"]},
            "sanctions": [
                {"list": "US-BIS-ENTITY", "status": "listed", "since": "2025-01-15",
                 "entity": "Example AI Holdings Limited", "sources": ["s1"]},
                {"list": "US-OFAC-SDN", "status": "not_listed"},
                {"list": "US-DOD-1260H", "status": "proposed"},
                {"list": "UK-OFSI", "status": "delisted"},
            ],
            "government_restrictions": [
                {"jurisdiction": "IT", "scope": "App blocked", "date": "2025-01-30", "sources": ["s1"]},
            ],
        },
        "extensions": {"my-plugin": {"anything": [1, 2, 3]}},
        "x-reviewed-by": "analyst",
    }


def mutate(path: list[Any], value: Any) -> Callable[[dict[str, Any]], None]:
    """Set ``path`` to ``value`` in a profile (creating nothing)."""
    def apply(doc: dict[str, Any]) -> None:
        node = doc
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = value
    return apply


def delete(path: list[Any]) -> Callable[[dict[str, Any]], None]:
    def apply(doc: dict[str, Any]) -> None:
        node = doc
        for part in path[:-1]:
            node = node[part]
        del node[path[-1]]
    return apply


# --------------------------------------------------------------------------- #
# The schemas themselves.


def _subschemas(node: Any, pointer: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every schema object inside a schema, with its JSON pointer."""
    if isinstance(node, dict):
        yield pointer, node
        for key, value in node.items():
            if key in ("examples", "enum", "const"):
                continue
            yield from _subschemas(value, f"{pointer}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _subschemas(value, f"{pointer}/{i}")


@pytest.mark.parametrize("kind", SCHEMA_FILES)
def test_schema_is_valid_draft_2020_12(kind: str) -> None:
    doc = schema(kind)
    Draft202012Validator.check_schema(doc)
    assert doc["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert doc["$id"] == f"https://vendordd.dev/schemas/{SCHEMA_FILES[kind]}"
    assert doc["title"] and doc["description"]


@pytest.mark.parametrize("kind", SCHEMA_FILES)
def test_schema_file_is_readable_json(kind: str) -> None:
    """2-space indentation, no tabs, newline at the end."""
    text = _schema_text(kind)
    assert "\t" not in text and text.endswith("}\n")
    indents = {len(line) - len(line.lstrip(" ")) for line in text.splitlines()}
    assert all(i % 2 == 0 for i in indents)


@pytest.mark.parametrize("kind", SCHEMA_FILES)
def test_every_model_object_is_closed_but_takes_x_annotations(kind: str) -> None:
    """A typo must not silently drop data; ``x-`` keys stay allowed everywhere."""
    checked = 0
    for pointer, sub in _subschemas(schema(kind)):
        if sub.get("type") != "object" or "properties" not in sub:
            continue
        if pointer == "/properties/extensions":
            continue
        checked += 1
        assert sub.get("additionalProperties") is False, pointer
        assert "^x-" in sub.get("patternProperties", {}), pointer
    assert checked >= 3


@pytest.mark.parametrize("kind", SCHEMA_FILES)
def test_every_example_in_a_schema_validates(kind: str) -> None:
    """The examples editors offer for completion are themselves valid."""
    root = Draft202012Validator(schema(kind), format_checker=_format_checker())
    seen = 0
    for pointer, sub in _subschemas(schema(kind)):
        for example in sub.get("examples", ()):
            seen += 1
            problems = [e.message for e in root.evolve(schema=sub).iter_errors(example)]
            assert not problems, f"{pointer}: example {example!r}: {problems}"
    assert seen >= 5


def test_country_codes_are_the_249_assigned_iso_3166_codes() -> None:
    codes = schema("profile")["$defs"]["country"]["enum"]
    assert len(codes) == len(set(codes)) == 249
    assert all(re.fullmatch("[A-Z]{2}", c) for c in codes)
    assert {"GB", "US", "CN", "TW", "HK", "SS", "BQ", "CW", "SX"} <= set(codes)
    assert not {"UK", "EU", "XK", "XX", "AN"} & set(codes)
    tab = Path("/usr/share/zoneinfo/iso3166.tab")
    if tab.exists():  # tzdata's list of assigned codes: an independent source
        listed = {line.split("\t")[0] for line in tab.read_text("utf-8").splitlines()
                  if line and not line.startswith("#")}
        assert set(codes) == listed


@pytest.mark.parametrize("name", ["country", "jurisdiction", "region", "sanctions_list"])
def test_shared_definitions_agree_between_profile_and_policy(name: str) -> None:
    """The policy names jurisdictions, regions and lists the way profiles do."""
    def strip(d: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in d.items() if k not in ("description", "examples", "title")}
    assert strip(schema("profile")["$defs"][name]) == strip(schema("policy")["$defs"][name])


@pytest.mark.parametrize("name", ["capability", "date"])
def test_shared_definitions_agree_between_profile_and_portfolio(name: str) -> None:
    def strip(d: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in d.items() if k not in ("description", "examples", "title")}
    assert strip(schema("profile")["$defs"][name]) == strip(schema("portfolio")["$defs"][name])


def test_vendor_id_rule_is_the_same_everywhere() -> None:
    slug = schema("profile")["$defs"]["vendor"]["properties"]["id"]["pattern"]
    assert slug == "^[a-z0-9][a-z0-9-]{0,62}$"
    assert schema("policy")["$defs"]["vendor_id"]["pattern"] == slug
    assert schema("portfolio")["$defs"]["vendor_id"]["pattern"] == slug


# --------------------------------------------------------------------------- #
# Profiles: what is accepted.


def test_full_profile_validates() -> None:
    assert_valid("profile", full_profile())


def test_minimal_profile_validates() -> None:
    assert_valid("profile", {"schema_version": 1, "vendor": {"id": "v", "name": "V"},
                             "profile_date": "2026-03"})


@pytest.mark.parametrize("value", ["2026-03-03", "2026-03", "2024-02-29", "1999-12-31"])
def test_dates_accept_days_and_months(value: str) -> None:
    doc = full_profile()
    doc["profile_date"] = value
    assert_valid("profile", doc)


@pytest.mark.parametrize("value", ["Apache-2.0", "MIT", "GPL-3.0-or-later", "GPL-2.0+",
                                   "LicenseRef-Llama-3-Community", "LicenseRef-x.y"])
def test_licences_accept_spdx_ids_and_licenseref(value: str) -> None:
    doc = full_profile()
    doc["open_source"]["releases"][0]["license"] = value
    assert_valid("profile", doc)


def test_x_annotations_are_accepted_at_any_depth() -> None:
    doc = full_profile()
    doc["vendor"]["x-crm-id"] = 42
    doc["leadership"]["key_people"][0]["x-confidence"] = {"any": ["thing"]}
    doc["open_source"]["releases"][0]["artifacts"]["x-note"] = "weights on request"
    doc["sources"][0]["x-archived"] = "https://archive.example/1"
    assert_valid("profile", doc)


def test_plugin_fragments_validate_extensions_through_the_host() -> None:
    """The host places a plugin's fragment at extensions.<name>; its data is then checked."""
    from vendordd.validation import compile_validator, profile_schema

    fragment = {"type": "object", "required": ["level"], "additionalProperties": False,
                "properties": {"level": {"type": "integer", "minimum": 0}}}
    check = compile_validator(profile_schema({"my-plugin": (fragment, "tests")}))
    good = full_profile()
    good["extensions"] = {"my-plugin": {"level": 2}, "other": {"free": True}}
    assert not list(check.iter_errors(good))
    bad = full_profile()
    bad["extensions"] = {"my-plugin": {"level": -1}}
    assert [list(e.absolute_path) for e in check.iter_errors(bad)] == [
        ["extensions", "my-plugin", "level"]]


# --------------------------------------------------------------------------- #
# Profiles: what is refused, and where.

REJECTIONS = [
    ("unknown top-level field", mutate(["vendro"], {"id": "x"}), [], "additionalProperties"),
    ("unknown field in a key person (typo)", mutate(["leadership", "key_people", 0, "nmae"], "A"),
     ["leadership", "key_people", 0], "additionalProperties"),
    ("schema_version 2", mutate(["schema_version"], 2), ["schema_version"], "const"),
    ("schema_version as text", mutate(["schema_version"], "1"), ["schema_version"], "type"),
    ("missing profile_date", delete(["profile_date"]), [], "required"),
    ("missing vendor name", delete(["vendor", "name"]), ["vendor"], "required"),
    ("country XX", mutate(["vendor", "headquarters"], "XX"), ["vendor", "headquarters"], "enum"),
    ("country UK (not ISO)", mutate(["vendor", "headquarters"], "UK"), ["vendor", "headquarters"], "enum"),
    ("country in lower case", mutate(["vendor", "headquarters"], "cn"), ["vendor", "headquarters"], "enum"),
    ("jurisdiction XX", mutate(["geopolitics", "jurisdictions"], ["CN", "XX"]),
     ["geopolitics", "jurisdictions", 1], "anyOf"),
    ("subdivision too long", mutate(["geopolitics", "government_restrictions", 0, "jurisdiction"],
                                    "US-TEXA"),
     ["geopolitics", "government_restrictions", 0, "jurisdiction"], "anyOf"),
    ("duplicate jurisdiction", mutate(["geopolitics", "jurisdictions"], ["CN", "CN"]),
     ["geopolitics", "jurisdictions"], "uniqueItems"),
    ("shareholder country XX", mutate(["geopolitics", "ownership", "major_shareholders", 0, "country"], "XX"),
     ["geopolitics", "ownership", "major_shareholders", 0, "country"], "enum"),
    ("slug with capitals", mutate(["vendor", "id"], "Alibaba-Qwen"), ["vendor", "id"], "pattern"),
    ("slug with a space", mutate(["vendor", "id"], "alibaba qwen"), ["vendor", "id"], "pattern"),
    ("slug starting with a dash", mutate(["vendor", "id"], "-qwen"), ["vendor", "id"], "pattern"),
    ("slug of 64 characters", mutate(["vendor", "id"], "a" * 64), ["vendor", "id"], "pattern"),
    ("empty slug", mutate(["vendor", "id"], ""), ["vendor", "id"], "pattern"),
    ("2026-02-30", mutate(["profile_date"], "2026-02-30"), ["profile_date"], "format"),
    ("month 13", mutate(["leadership", "events", 0, "date"], "2026-13"),
     ["leadership", "events", 0, "date"], "format"),
    ("day-first date", mutate(["sources", 0, "published"], "04-03-2026"),
     ["sources", 0, "published"], "pattern"),
    ("date with a time", mutate(["profile_date"], "2026-03-10T10:00:00"), ["profile_date"], "pattern"),
    ("negative count", mutate(["compute", "accelerators", 0, "count"], -1),
     ["compute", "accelerators", 0, "count"], "minimum"),
    ("fractional count", mutate(["open_source", "adoption", "downloads"], 1.5),
     ["open_source", "adoption", "downloads"], "type"),
    ("absurd count", mutate(["open_source", "adoption", "derivative_models"], 10**13),
     ["open_source", "adoption", "derivative_models"], "maximum"),
    ("boolean as a count", mutate(["compute", "accelerators", 0, "count"], True),
     ["compute", "accelerators", 0, "count"], "type"),
    ("absurd FLOP", mutate(["compute", "largest_training_run_flop"], 1e31),
     ["compute", "largest_training_run_flop"], "maximum"),
    ("zero FLOP", mutate(["compute", "largest_training_run_flop"], 0),
     ["compute", "largest_training_run_flop"], "exclusiveMinimum"),
    ("absurd capex", mutate(["compute", "capex_commitments", 0, "amount_usd"], 1e16),
     ["compute", "capex_commitments", 0, "amount_usd"], "maximum"),
    ("zero-year period", mutate(["compute", "capex_commitments", 0, "period_years"], 0),
     ["compute", "capex_commitments", 0, "period_years"], "exclusiveMinimum"),
    ("negative H100 equivalents", mutate(["compute", "h100_equivalents"], -5),
     ["compute", "h100_equivalents"], "minimum"),
    ("percentage above 100", mutate(["geopolitics", "ownership", "state_owned_pct"], 101),
     ["geopolitics", "ownership", "state_owned_pct"], "maximum"),
    ("bad availability", mutate(["open_source", "releases", 0, "availability"], "open"),
     ["open_source", "releases", 0, "availability"], "enum"),
    ("bad restriction", mutate(["open_source", "releases", 0, "restrictions"], ["no_military"]),
     ["open_source", "releases", 0, "restrictions", 0], "enum"),
    ("unknown artifact", mutate(["open_source", "releases", 0, "artifacts", "dataset"], True),
     ["open_source", "releases", 0, "artifacts"], "additionalProperties"),
    ("artifact not a boolean", mutate(["open_source", "releases", 0, "artifacts", "weights"], "yes"),
     ["open_source", "releases", 0, "artifacts", "weights"], "type"),
    ("licence with a space", mutate(["open_source", "releases", 0, "license"], "Apache 2.0"),
     ["open_source", "releases", 0, "license"], "pattern"),
    ("licence expression", mutate(["open_source", "releases", 0, "license"], "MIT OR Apache-2.0"),
     ["open_source", "releases", 0, "license"], "pattern"),
    ("unknown source kind", mutate(["sources", 0, "kind"], "blog"), ["sources", 0, "kind"], "enum"),
    ("source without url", delete(["sources", 0, "url"]), ["sources", 0], "required"),
    ("javascript url", mutate(["sources", 0, "url"], "javascript:alert(1)"),
     ["sources", 0, "url"], "pattern"),
    ("bad source id", mutate(["sources", 0, "id"], "s 1"), ["sources", 0, "id"], "pattern"),
    ("citation not a list", mutate(["leadership", "events", 0, "sources"], "s1"),
     ["leadership", "events", 0, "sources"], "type"),
    ("unknown area", mutate(["leadership", "key_people", 0, "area"], "marketing"),
     ["leadership", "key_people", 0, "area"], "enum"),
    ("unknown seniority", mutate(["leadership", "key_people", 0, "seniority"], "vp"),
     ["leadership", "key_people", 0, "seniority"], "enum"),
    ("unknown event type", mutate(["leadership", "events", 0, "type"], "reshuffle"),
     ["leadership", "events", 0, "type"], "enum"),
    ("unknown sanctions status", mutate(["geopolitics", "sanctions", 0, "status"], "pending"),
     ["geopolitics", "sanctions", 0, "status"], "enum"),
    ("sanctions list in words", mutate(["geopolitics", "sanctions", 0, "list"], "Entity List"),
     ["geopolitics", "sanctions", 0, "list"], "pattern"),
    ("unknown supply constraint", mutate(["compute", "supply_constraints", 0, "type"], "tariff"),
     ["compute", "supply_constraints", 0, "type"], "enum"),
    ("lower-case region", mutate(["geopolitics", "data_residency", 0, "region"], "eu"),
     ["geopolitics", "data_residency", 0, "region"], "pattern"),
    ("capability with a capital", mutate(["vendor", "capabilities"], ["Chat"]),
     ["vendor", "capabilities", 0], "pattern"),
    ("overlong name", mutate(["vendor", "name"], "n" * 201), ["vendor", "name"], "maxLength"),
    ("overlong text", mutate(["leadership", "events", 0, "summary"], "t" * 2001),
     ["leadership", "events", 0, "summary"], "maxLength"),
    ("extensions not an object", mutate(["extensions"], ["a"]), ["extensions"], "type"),
]


@pytest.mark.parametrize("case", REJECTIONS, ids=[c[0] for c in REJECTIONS])
def test_profile_rejections(case: tuple[str, Callable, list[Any], str]) -> None:
    _, change, path, keyword = case
    doc = full_profile()
    change(doc)
    assert_rejected_at("profile", doc, path, keyword)


def test_too_many_items_are_refused() -> None:
    doc = full_profile()
    doc["leadership"]["events"] = [{"date": "2026-01", "type": "layoff"}] * 10001
    assert_rejected_at("profile", doc, ["leadership", "events"], "maxItems")


# --------------------------------------------------------------------------- #
# The skeleton written by `vendordd new-profile`.


def _template() -> str:
    return resources.files("vendordd.templates").joinpath("profile.yaml").read_text("utf-8")


def _fill(text: str, vendor_id: str = "acme-ai", name: str = "Acme AI") -> str:
    return text.replace("{{id}}", vendor_id).replace("{{name}}", name)


def _uncomment_examples(text: str) -> str:
    """The template with every example line ("# " at column 0) uncommented."""
    return "\n".join(line[2:] if line.startswith("# ") else line for line in text.splitlines())


def test_template_uses_exactly_the_two_placeholders() -> None:
    assert set(re.findall(r"{{[^}]*}}", _template())) == {"{{id}}", "{{name}}"}


@pytest.mark.parametrize("name", ["Acme AI", "O'Brien: Labs #1 & Co", "Ünïcödé 模型", "123", "null"])
def test_skeleton_validates_after_replacement(name: str) -> None:
    doc = parse_text(_fill(_template(), "acme-ai", name), "yaml", "profile.yaml")
    assert_valid("profile", doc)
    assert doc["vendor"] == {"id": "acme-ai", "name": name}


@pytest.mark.parametrize("vendor_id", ["123", "null", "true", "0x1f", "1e3"])
def test_skeleton_keeps_a_numeric_looking_id_as_text(vendor_id: str) -> None:
    doc = parse_text(_fill(_template(), vendor_id), "yaml", "profile.yaml")
    assert doc["vendor"]["id"] == vendor_id
    assert_valid("profile", doc)


def test_skeleton_examples_validate_when_uncommented() -> None:
    """Uncommenting every example block gives a valid profile using each section."""
    doc = parse_text(_fill(_uncomment_examples(_template())), "yaml", "profile.yaml")
    assert_valid("profile", doc)
    assert {"sources", "leadership", "open_source", "compute", "geopolitics",
            "api_lifecycle", "extensions"} <= set(doc)
    assert {"legal_name", "headquarters", "capabilities"} <= set(doc["vendor"])
    defined = {s["id"] for s in doc["sources"]}
    cited = set(_cited({k: v for k, v in doc.items() if k != "sources"}))
    assert cited and cited <= defined


def _cited(node: Any) -> Iterator[str]:
    """Every source id cited under a ``sources`` or ``*_sources`` key."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "sources" or key.endswith("_sources"):
                yield from value
            else:
                yield from _cited(value)
    elif isinstance(node, list):
        for value in node:
            yield from _cited(value)


def test_skeleton_examples_are_about_a_made_up_vendor() -> None:
    """Example URLs must not point at a real vendor's site."""
    urls = re.findall(r"https?://[^\s,}]+", _template())
    assert urls
    assert all(re.match(r"https?://([a-z0-9-]+\.)*example\.(com|org|net)/?", u) for u in urls), urls


# --------------------------------------------------------------------------- #
# Policies.


def full_policy() -> dict[str, Any]:
    return {
        "$schema": "https://vendordd.dev/schemas/policy.schema.json",
        "policy_version": 1,
        "name": "Example policy",
        "description": "For tests",
        "as_of": "2026-03-31",
        "buyer": {"name": "Example buyer", "jurisdictions": ["US", "EU", "US-CA"],
                  "bound_by_lists": ["US-BIS-ENTITY", "US-OFAC-SDN"],
                  "restricted_jurisdictions": ["RU"],
                  "requires_data_residency": ["EU"]},
        "bands": {"low": 80, "medium": 55, "high": 30},
        "freshness_days": 365,
        "min_confidence": 0.5,
        "check_timeout_seconds": 2.5,
        "missing_data": "penalise",
        "missing_data_score": 25,
        "checks": {"leadership_turnover": {"enabled": True, "weight": 2,
                                           "settings": {"window_months": 12, "nested": {"a": 1}}},
                   "acme.custom_check": {"enabled": False}},
        "gates": [{"check": "geopolitical_exposure", "rating": "critical", "tier": "critical",
                   "reason": "sanctions"}],
        "overrides": [
            {"vendor": "example-ai", "check": "compute_capacity", "score": 60,
             "reason": "Contract guarantees capacity", "approved_by": "J. Doe",
             "approved_on": "2026-03-01", "expires": "2026-09-30"},
            {"vendor": "example-ai", "check": "open_source_commitment", "score": None,
             "rating": "high", "reason": "Licence under legal review", "approved_by": "J. Doe",
             "expires": "2026-06-30"},
        ],
        "plugins": {"paths": ["./checks"], "disable": ["vendordd.plugins.compute_capacity"]},
        "recommendations": {"low": "approve", "medium": "approve_with_conditions",
                            "high": "escalate", "critical": "reject"},
        "diff_alert_step": 10,
        "x-owner": "vendor risk",
    }


def test_full_policy_validates() -> None:
    assert_valid("policy", full_policy())


def test_minimal_policy_and_null_as_of_validate() -> None:
    assert_valid("policy", {"policy_version": 1})
    assert_valid("policy", {"policy_version": 1, "as_of": None})


def test_default_policy_validates() -> None:
    """The host's built-in defaults are themselves a valid policy."""
    from vendordd.policy import DEFAULT_POLICY

    assert_valid("policy", DEFAULT_POLICY)


POLICY_REJECTIONS = [
    ("missing policy_version", delete(["policy_version"]), [], "required"),
    ("policy_version 2", mutate(["policy_version"], 2), ["policy_version"], "const"),
    ("unknown key", mutate(["weights"], {}), [], "additionalProperties"),
    ("as_of a month", mutate(["as_of"], "2026-03"), ["as_of"], "pattern"),
    ("as_of impossible", mutate(["as_of"], "2026-02-30"), ["as_of"], "format"),
    ("band above 100", mutate(["bands", "low"], 101), ["bands", "low"], "maximum"),
    ("unknown band", mutate(["bands", "critical"], 10), ["bands"], "additionalProperties"),
    ("freshness 0 days", mutate(["freshness_days"], 0), ["freshness_days"], "minimum"),
    ("fractional freshness", mutate(["freshness_days"], 30.5), ["freshness_days"], "type"),
    ("confidence above 1", mutate(["min_confidence"], 1.5), ["min_confidence"], "maximum"),
    ("zero timeout", mutate(["check_timeout_seconds"], 0), ["check_timeout_seconds"], "exclusiveMinimum"),
    ("unknown missing-data rule", mutate(["missing_data"], "ignore"), ["missing_data"], "enum"),
    ("missing-data score above 100", mutate(["missing_data_score"], 150), ["missing_data_score"], "maximum"),
    ("check id with capitals", mutate(["checks", "Leadership"], {}), ["checks"], "pattern"),
    ("typo in a check entry", mutate(["checks", "leadership_turnover", "wieght"], 1),
     ["checks", "leadership_turnover"], "additionalProperties"),
    ("negative weight", mutate(["checks", "leadership_turnover", "weight"], -1),
     ["checks", "leadership_turnover", "weight"], "minimum"),
    ("settings not a mapping", mutate(["checks", "leadership_turnover", "settings"], [1]),
     ["checks", "leadership_turnover", "settings"], "type"),
    ("unknown gate rating", mutate(["gates", 0, "rating"], "severe"), ["gates", 0, "rating"], "enum"),
    ("gate without tier", delete(["gates", 0, "tier"]), ["gates", 0], "required"),
    ("override reason too short", mutate(["overrides", 0, "reason"], "ok"),
     ["overrides", 0, "reason"], "minLength"),
    ("override without expiry", delete(["overrides", 0, "expires"]), ["overrides", 0], "required"),
    ("override without approver", delete(["overrides", 0, "approved_by"]), ["overrides", 0], "required"),
    ("override changing nothing", delete(["overrides", 0, "score"]), ["overrides", 0], "anyOf"),
    ("override score above 100", mutate(["overrides", 0, "score"], 101),
     ["overrides", 0, "score"], "maximum"),
    ("override expiry a month", mutate(["overrides", 0, "expires"], "2026-09"),
     ["overrides", 0, "expires"], "pattern"),
    ("override vendor not a slug", mutate(["overrides", 0, "vendor"], "Example AI"),
     ["overrides", 0, "vendor"], "pattern"),
    ("buyer jurisdiction UK", mutate(["buyer", "jurisdictions"], ["UK"]),
     ["buyer", "jurisdictions", 0], "anyOf"),
    ("list id in words", mutate(["buyer", "bound_by_lists"], ["Entity List"]),
     ["buyer", "bound_by_lists", 0], "pattern"),
    ("recommendation for an unknown tier", mutate(["recommendations", "severe"], "x"),
     ["recommendations"], "additionalProperties"),
    ("zero diff step", mutate(["diff_alert_step"], 0), ["diff_alert_step"], "exclusiveMinimum"),
]


@pytest.mark.parametrize("case", POLICY_REJECTIONS, ids=[c[0] for c in POLICY_REJECTIONS])
def test_policy_rejections(case: tuple[str, Callable, list[Any], str]) -> None:
    _, change, path, keyword = case
    doc = full_policy()
    change(doc)
    assert_rejected_at("policy", doc, path, keyword)


# --------------------------------------------------------------------------- #
# Portfolios.


def full_portfolio() -> dict[str, Any]:
    return {
        "portfolio_version": 1,
        "name": "Production AI providers",
        "description": "For tests",
        "basis": "spend",
        "as_of": "2026-03",
        "vendors": [
            {"vendor": "example-ai", "share": 0.6, "criticality": "critical",
             "workloads": ["support-chat", "code_review"], "fallbacks": ["other-ai"],
             "notes": "main provider"},
            {"vendor": "other-ai", "share": 0.4, "criticality": "low"},
        ],
        "workloads": [
            {"id": "support-chat", "name": "Support chat", "capabilities": ["chat", "embeddings"],
             "criticality": "high", "notes": "customer facing"},
            {"id": "code_review", "capabilities": ["code", "reasoning"]},
        ],
        "x-owner": "platform team",
    }


def test_full_portfolio_validates() -> None:
    assert_valid("portfolio", full_portfolio())


PORTFOLIO_REJECTIONS = [
    ("missing vendors", delete(["vendors"]), [], "required"),
    ("no vendors", mutate(["vendors"], []), ["vendors"], "minItems"),
    ("version 2", mutate(["portfolio_version"], 2), ["portfolio_version"], "const"),
    ("unknown key", mutate(["owner"], "x"), [], "additionalProperties"),
    ("unknown basis", mutate(["basis"], "revenue"), ["basis"], "enum"),
    ("share above 1", mutate(["vendors", 0, "share"], 1.5), ["vendors", 0, "share"], "maximum"),
    ("share as a percentage", mutate(["vendors", 1, "share"], 40), ["vendors", 1, "share"], "maximum"),
    ("vendor without share", delete(["vendors", 0, "share"]), ["vendors", 0], "required"),
    ("vendor not a slug", mutate(["vendors", 0, "vendor"], "Example AI"), ["vendors", 0, "vendor"], "pattern"),
    ("unknown criticality", mutate(["vendors", 0, "criticality"], "severe"),
     ["vendors", 0, "criticality"], "enum"),
    ("fallback not a slug", mutate(["vendors", 0, "fallbacks"], ["Other AI"]),
     ["vendors", 0, "fallbacks", 0], "pattern"),
    ("typo in a vendor entry", mutate(["vendors", 0, "fallback"], ["other-ai"]),
     ["vendors", 0], "additionalProperties"),
    ("workload without id", delete(["workloads", 1, "id"]), ["workloads", 1], "required"),
    ("workload id with a space", mutate(["workloads", 0, "id"], "support chat"),
     ["workloads", 0, "id"], "pattern"),
    ("capability with a capital", mutate(["workloads", 0, "capabilities"], ["Chat"]),
     ["workloads", 0, "capabilities", 0], "pattern"),
    ("impossible date", mutate(["as_of"], "2026-02-30"), ["as_of"], "format"),
]


@pytest.mark.parametrize("case", PORTFOLIO_REJECTIONS, ids=[c[0] for c in PORTFOLIO_REJECTIONS])
def test_portfolio_rejections(case: tuple[str, Callable, list[Any], str]) -> None:
    _, change, path, keyword = case
    doc = full_portfolio()
    change(doc)
    assert_rejected_at("portfolio", doc, path, keyword)

