"""vendordd.testing: the helpers plugin authors (and our own tests) use."""

from __future__ import annotations

import json
import time
import types

import pytest

from vendordd import Check, Finding, hookimpl
from vendordd.host import Host, PluginError
from vendordd.pipeline import assess
from vendordd.policy import DEFAULT_POLICY
from vendordd.testing import (
    TEST_PLUGIN_NAME,
    make_context,
    make_policy,
    minimal_profile,
    registered_plugin,
    run_check,
    validate_profile,
)

RESULT_KEYS = {"id", "title", "category", "version", "plugin", "weight", "status", "score", "rating",
               "confidence", "summary", "rationale", "metrics", "sources", "recommendations", "facts",
               "error"}


def _check(run, cid: str = "helper_check", **kw) -> Check:
    return Check(id=cid, title="Helper check", category="custom", run=run, **kw)


def _plugin_module(name: str, *checks: Check, schemas: dict | None = None) -> types.ModuleType:
    """A plugin module built in memory: registers ``checks`` and ``schemas``."""
    module = types.ModuleType(name)

    @hookimpl
    def register_checks(register):
        for check in checks:
            register(check)

    @hookimpl
    def register_schemas(register):
        for ext, schema in (schemas or {}).items():
            register(ext, schema)

    module.register_checks = register_checks
    module.register_schemas = register_schemas
    return module


def _scored(score, **kw):
    return lambda profile, ctx: Finding(score=score, confidence=0.5, summary="s", **kw)


# -- minimal_profile / make_context / make_policy ---------------------------------------------

def test_minimal_profile_is_valid_and_copies_sections():
    leadership = {"key_people": []}
    profile = minimal_profile("acme-ai", leadership=leadership)
    assert validate_profile(profile) == []
    assert profile["vendor"] == {"id": "acme-ai", "name": "Acme Ai", "headquarters": "US"}
    leadership["key_people"].append({"name": "x"})
    assert profile["leadership"] == {"key_people": []}


def test_make_context_overlays_settings_on_defaults():
    ctx = make_context("2026-02-03", settings={"a": 2}, defaults={"a": 1, "b": 1})
    assert ctx.as_of.isoformat() == "2026-02-03"
    assert dict(ctx.settings) == {"a": 2, "b": 1}


def test_make_policy_merges_over_the_defaults():
    policy = make_policy({"bands": {"low": 90}, "buyer": {"jurisdictions": ["FR"]}}, as_of="2026-01-02")
    assert policy["bands"] == {**DEFAULT_POLICY["bands"], "low": 90}
    assert policy["buyer"]["jurisdictions"] == ["FR"]
    assert policy["check_timeout_seconds"] == DEFAULT_POLICY["check_timeout_seconds"]
    assert policy["as_of"] == "2026-01-02"
    assert DEFAULT_POLICY["bands"]["low"] != 90  # the default is not modified


# -- run_check ----------------------------------------------------------------------------------

def test_run_check_returns_the_results_entry_with_a_derived_rating():
    result = run_check(_check(_scored(60)), minimal_profile())
    assert set(result) == RESULT_KEYS
    assert (result["status"], result["score"], result["rating"]) == ("ok", 60.0, "medium")
    assert result["plugin"] == TEST_PLUGIN_NAME and result["error"] is None


def test_run_check_gives_what_a_real_run_gives(tmp_path, write_plugin):
    source = """
        from vendordd import Check, Finding, hookimpl

        def run(profile, ctx):
            n = len(profile["sources"])
            return Finding(score=40 + 10 * n, confidence=0.7, summary=f"{n} sources",
                           metrics={"n": n, "window": ctx.settings["window"]},
                           sources=[s["id"] for s in profile["sources"]])

        CHECK = Check(id="same_path", title="Same path", category="custom", run=run,
                      defaults={"window": 12})

        @hookimpl
        def register_checks(register):
            register(CHECK)
    """
    plugin = write_plugin("same_path", source)
    profile = minimal_profile("acme", sources=[{"id": "s1", "url": "https://example.com/a"}])
    (tmp_path / "acme.json").write_text(json.dumps(profile), encoding="utf-8")
    policy_file = tmp_path / "policy.json"
    policy = {"policy_version": 1, "bands": {"low": 80, "medium": 60, "high": 30},
              "checks": {"same_path": {"weight": 2, "settings": {"window": 6}}}}
    policy_file.write_text(json.dumps(policy), encoding="utf-8")

    real = assess([str(tmp_path / "acme.json")], policy_path=str(policy_file),
                  plugin_paths=[str(plugin)], as_of="2026-06-01")
    [entry] = [c for c in real.results["vendors"][0]["checks"] if c["id"] == "same_path"]
    module = real.host.pm.get_plugin("same_path")

    ours = run_check(module.CHECK, profile, as_of="2026-06-01", policy=policy)
    expected = {k: v for k, v in entry.items() if k in RESULT_KEYS}
    assert {**ours, "plugin": entry["plugin"]} == expected
    assert ours["rating"] == "high" and ours["weight"] == 2.0
    assert ours["metrics"] == {"n": 1, "window": 6}


@pytest.mark.parametrize(("finding", "error"), [
    (lambda p, c: Finding(score=150, confidence=0.5), "malformed finding: score 150 is outside 0-100"),
    (lambda p, c: Finding(score=50, rating="severe", confidence=0.5),
     "malformed finding: rating 'severe' is not one of low, medium, high, critical"),
    (lambda p, c: Finding(score="high", confidence=0.5), "malformed finding: score 'high' is not a number"),
    (lambda p, c: Finding(status="insufficient_data", score=10, confidence=0.5),
     "must have no score"),
    (lambda p, c: {"score": 50}, "returned dict, not a vendordd.Finding"),
    (lambda p, c: 1 / 0, "ZeroDivisionError: division by zero"),
])
def test_run_check_turns_a_bad_check_into_an_error_result(finding, error):
    result = run_check(_check(finding), minimal_profile())
    assert result["status"] == "error"
    assert result["score"] is None and result["rating"] is None
    assert error in result["error"]


def test_run_check_enforces_the_policy_time_limit():
    def slow(profile, ctx):
        time.sleep(5)
        return Finding(score=100, confidence=1)

    started = time.monotonic()
    result = run_check(_check(slow), minimal_profile(), policy={"check_timeout_seconds": 0.2})
    assert time.monotonic() - started < 2
    assert result["status"] == "error"
    assert result["error"] == "ran longer than the policy's limit of 0.2 s"


def test_run_check_passes_settings_policy_and_as_of():
    seen = {}

    def spy(profile, ctx):
        seen.update(as_of=ctx.as_of.isoformat(), settings=dict(ctx.settings),
                    jurisdictions=ctx.policy["buyer"]["jurisdictions"])
        return Finding(score=90, confidence=1)

    check = _check(spy, defaults={"a": 1, "b": 2})
    run_check(check, minimal_profile(), as_of="2025-12-31",
              policy={"checks": {"helper_check": {"settings": {"b": 3}}},
                      "buyer": {"jurisdictions": ["DE"]}})
    assert seen == {"as_of": "2025-12-31", "settings": {"a": 1, "b": 3}, "jurisdictions": ["DE"]}


def test_run_check_refuses_a_check_that_modifies_the_profile():
    def meddle(profile, ctx):
        profile["vendor"]["name"] = "changed"
        return Finding(score=90, confidence=1)

    with pytest.raises(AssertionError, match="modified the profile"):
        run_check(_check(meddle), minimal_profile())


def test_run_check_by_id_finds_given_plugins_and_builtins():
    module = _plugin_module("helper_plugin", _check(_scored(80), cid="by_id"))
    result = run_check("by_id", minimal_profile(), plugins=[module])
    assert (result["plugin"], result["score"]) == ("helper_plugin", 80.0)
    builtin = run_check("leadership_turnover", minimal_profile())
    assert builtin["status"] == "insufficient_data"
    assert builtin["plugin"] == "vendordd.plugins.leadership_turnover"


def test_run_check_unknown_id_and_wrong_type():
    with pytest.raises(LookupError, match="no check 'nope' is registered; the registered checks are: .*"
                                          "leadership_turnover"):
        run_check("nope", minimal_profile())
    with pytest.raises(TypeError, match="takes a vendordd.Check or a check id, not int"):
        run_check(3, minimal_profile())


# -- registered_plugin ----------------------------------------------------------------------------

def test_registered_plugin_registers_for_the_block_only():
    module = _plugin_module("temp_plugin", _check(_scored(80), cid="temp_check"),
                            schemas={"temp": {"type": "object"}})
    with registered_plugin(module) as host:
        assert list(host.checks()) == ["temp_check"]
        assert list(host.schemas()) == ["temp"]
        assert host.plugins["temp_plugin"].loaded
    assert host.checks() == {} and host.schemas() == {}
    assert "temp_plugin" not in host.plugins


def test_registered_plugin_unregisters_when_the_block_raises():
    module = _plugin_module("temp_plugin", _check(_scored(80), cid="temp_check"))
    host = Host()
    with pytest.raises(RuntimeError), registered_plugin(module, host=host):
        raise RuntimeError("test failed inside the block")
    assert host.checks() == {} and host.pm.get_plugin("temp_plugin") is None


def test_registered_plugin_into_a_loaded_host_keeps_the_others():
    host = Host().load(entry_points=False)
    before = set(host.checks())
    module = _plugin_module("extra", _check(_scored(80), cid="extra_check"))
    with registered_plugin(module, name="my-extra", host=host):
        assert set(host.checks()) == before | {"extra_check"}
        assert host.checks()["extra_check"].plugin == "my-extra"
    assert set(host.checks()) == before


def test_registered_plugin_refused_by_the_host_raises_with_its_message():
    module = types.ModuleType("from_the_future")

    @hookimpl
    def register_time_machine(register):
        pass

    module.register_time_machine = register_time_machine
    with pytest.raises(PluginError, match="implements unknown hook 'register_time_machine'"), \
            registered_plugin(module):
        pass
    newer = types.ModuleType("newer")
    newer.vendordd_plugin_api = 99
    with pytest.raises(PluginError, match="needs vendordd plugin API 99"), registered_plugin(newer):
        pass


def test_registered_plugin_name_clash_raises():
    host = Host()
    module = _plugin_module("clash")
    with registered_plugin(module, host=host), \
            pytest.raises(PluginError, match="a plugin named 'clash' is already in this host"), \
            registered_plugin(_plugin_module("clash"), host=host):
        pass
    assert host.plugins == {}


def test_registered_plugin_accepts_an_object_with_hook_methods():
    class Plugin:
        @hookimpl
        def register_checks(self, register):
            register(_check(_scored(70), cid="object_check"))

    with registered_plugin(Plugin()) as host:
        assert host.checks()["object_check"].plugin == "Plugin"


# -- validate_profile ---------------------------------------------------------------------------

def test_validate_profile_reports_schema_errors_with_pointers():
    profile = minimal_profile()
    profile["vendor"]["id"] = "Not A Slug"
    del profile["profile_date"]
    problems = validate_profile(profile)
    assert problems[0] == "/: 'profile_date' is a required property"
    assert problems[1].startswith("/vendor/id: 'Not A Slug' does not match")


def test_validate_profile_reports_semantic_errors():
    restriction = {"jurisdiction": "IT", "sources": ["s1", "s9"]}
    profile = minimal_profile(sources=[{"id": "s1", "url": "https://example.com/a"}],
                              geopolitics={"government_restrictions": [restriction]})
    assert validate_profile(profile) == [
        "/geopolitics/government_restrictions/0/sources/1: source 's9' is cited but not defined "
        "in /sources"]


def test_validate_profile_applies_plugin_fragments():
    schema = {"type": "object", "required": ["level"], "properties": {"level": {"enum": [1, 2]}}}
    module = _plugin_module("levels", schemas={"levels": schema})
    profile = minimal_profile(extensions={"levels": {"level": 3}})
    assert validate_profile(profile) == []  # no fragment: extension data is accepted as it is
    assert validate_profile(profile, plugins=[module]) == [
        "/extensions/levels/level: 3 is not one of [1, 2]"]


def test_validate_profile_reports_a_given_plugins_invalid_fragment():
    module = _plugin_module("bad_fragment", schemas={"bad": {"type": "no-such-type"}})
    [problem] = validate_profile(minimal_profile(), plugins=[module])
    assert problem.startswith("plugin 'bad_fragment': the schema for extension 'bad' is not a valid "
                              "JSON Schema at /type")


def test_validate_profile_of_a_non_mapping():
    assert validate_profile(["not", "a", "profile"]) == ["/: a profile must be a mapping, not list"]
