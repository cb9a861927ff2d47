"""The built-in checks' settings schemas are valid JSON Schema (a run does not check them again)."""

from __future__ import annotations

import pytest
from jsonschema import Draft202012Validator

from vendordd.policy import load_policy
from vendordd.profile_files import build_host


def _builtin_checks():
    host = build_host(load_policy(None)[0])
    return [rc for rc in host.checks().values() if host.plugins[rc.plugin].origin == "builtin"]


def test_there_are_builtin_checks_with_settings() -> None:
    assert sum(rc.check.settings_schema is not None for rc in _builtin_checks()) >= 4


@pytest.mark.parametrize("rc", _builtin_checks(), ids=lambda rc: rc.check.id)
def test_a_builtin_settings_schema_is_valid_json_schema(rc) -> None:
    if rc.check.settings_schema is not None:
        Draft202012Validator.check_schema(rc.check.settings_schema)
