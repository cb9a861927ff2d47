"""The as-of guard finds dated facts from the schema, not from a list of field names."""

from __future__ import annotations

import datetime as dt
import json

from click.testing import CliRunner

from vendordd.cli import cli
from vendordd.testing import minimal_profile
from vendordd.validation import DateFields, core_date_fields, future_facts, load_schema, profile_schema

AS_OF = dt.date(2026, 6, 1)


def test_every_date_field_of_the_core_schema_is_guarded_but_planned_ones():
    pointers = core_date_fields().pointers()
    for expected in ("/leadership/key_people/[]/left", "/leadership/events/[]/date",
                     "/open_source/releases/[]/date", "/compute/capex_commitments/[]/announced",
                     "/geopolitics/sanctions/[]/since", "/api_lifecycle/breaking_changes/[]/date"):
        assert expected in pointers
    assert "/api_lifecycle/retirements/[]/shutdown" not in pointers  # x-vendordd-planned: a schedule


def test_a_new_date_field_in_the_schema_is_guarded_without_code():
    schema = load_schema("profile")
    schema["$defs"]["key_person"]["properties"]["appointed"] = {"$ref": "#/$defs/date"}
    profile = minimal_profile(leadership={"key_people": [{"name": "A", "role": "CEO", "appointed": "2027-01"}]})
    assert future_facts(profile, AS_OF) == []  # the core schema has no such field
    assert future_facts(profile, AS_OF, DateFields.of(schema)) == ["/leadership/key_people/0/appointed"]


def test_a_field_of_the_same_name_but_not_a_date_is_not_guarded():
    schema = {"type": "object", "properties": {"x": {"type": "object", "properties": {
        "date": {"type": "string"}, "when": {"format": "vendordd-date"}}}}}
    data = {"x": {"date": "2030-01-01", "when": "2030-01-01"}}
    assert future_facts(data, AS_OF, DateFields.of(schema)) == ["/x/when"]


def test_recursive_schemas_and_lists_of_dates():
    schema = {"$defs": {"node": {"type": "object", "properties": {
        "on": {"type": "array", "items": {"$ref": "#/$defs/date"}},
        "next": {"$ref": "#/$defs/node"}}}, "date": {"type": "string"}},
        "$ref": "#/$defs/node"}
    data = {"on": ["2026-01-01", "2027-01-01"], "next": {"next": {"on": ["2028-02"]}}}
    assert future_facts(data, AS_OF, DateFields.of(schema)) == ["/on/1", "/next/next/on/0"]


def test_a_plugin_fragment_date_field_is_guarded_in_a_run(tmp_path):
    schema = profile_schema({"audits": ({"type": "array", "items": {"type": "object", "properties": {
        "passed": {"$ref": "#/$defs/date"}}}}, "p")})
    assert "/extensions/audits/[]/passed" in DateFields.of(schema).pointers()
    plugin = tmp_path / "dated_ext.py"
    plugin.write_text(
        "from vendordd import hookimpl\n\n"
        "@hookimpl\n"
        "def register_schemas(register):\n"
        "    register('audits', {'type': 'array', 'items': {'type': 'object', 'properties': {\n"
        "        'passed': {'$ref': '#/$defs/date'}, 'label': {'type': 'string'}}}})\n", encoding="utf-8")
    profile = minimal_profile("audited", extensions={"audits": [{"passed": "2027-03-01", "label": "2030-01-01"}]})
    path = tmp_path / "p.json"
    path.write_text(json.dumps(profile), encoding="utf-8")
    out = tmp_path / "r.json"
    result = CliRunner().invoke(cli, ["run", str(path), "--plugin", str(plugin), "--as-of", "2026-06-01",
                                      "--json", str(out)])
    assert result.exit_code == 0, result.output
    warnings = json.loads(out.read_text("utf-8"))["vendors"][0]["warnings"]
    assert any("1 fact(s) dated after" in w and "/extensions/audits/0/passed" in w for w in warnings)
