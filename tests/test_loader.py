"""Loading and validating profiles: every error names the file and the place."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vendordd.loader import MAX_FILE_BYTES, InputError, expand_paths, load_file
from vendordd.profile_files import unique_vendors, validate_one
from vendordd.testing import minimal_profile
from vendordd.validation import compile_validator, profile_schema


def _write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def validate_all(paths: list[str], validator) -> tuple[list, list]:
    """What `vendordd validate` does: the valid files (duplicate ids dropped) and the problems."""
    files, problems = expand_paths(paths)
    return unique_vendors((validate_one(f, validator) for f in files), problems), problems


def _problems(path: Path) -> list[str]:
    validator = compile_validator(profile_schema())
    valid, problems = validate_all([str(path)], validator)
    assert not valid
    return [str(p) for p in problems]


def _one_error(path: Path) -> str:
    with pytest.raises(InputError) as err:
        load_file(path)
    assert len(err.value.problems) == 1
    return str(err.value.problems[0])


def test_malformed_json_names_line_and_column(tmp_path):
    path = _write(tmp_path, "p.json", '{\n  "vendor": {"id": "x",\n}')
    assert _one_error(path).startswith(f"{path}:3:1: invalid JSON:")


def test_malformed_yaml_names_line(tmp_path):
    path = _write(tmp_path, "p.yaml", "vendor:\n  id: x\n name: y\n")
    assert _one_error(path).startswith(f"{path}:3:")


def test_duplicate_keys_json_and_yaml(tmp_path):
    j = _write(tmp_path, "d.json", '{"schema_version": 1,\n "schema_version": 1}')
    assert _one_error(j) == f"{j}:2:2: duplicate key 'schema_version'"
    y = _write(tmp_path, "d.yaml", "vendor:\n  id: a\n  id: b\n")
    assert _one_error(y) == f"{y}:3:3: invalid YAML: duplicate key 'id'"


def test_empty_and_not_utf8(tmp_path):
    assert _one_error(_write(tmp_path, "e.yaml", "  \n")).endswith("the file is empty")
    msg = _one_error(_write(tmp_path, "l.yaml", "name: caf\xe9\n".encode("latin-1")))
    assert "not UTF-8 text" in msg and msg.startswith(f"{tmp_path / 'l.yaml'}:1:")


def test_bom_is_accepted(tmp_path):
    path = _write(tmp_path, "b.json", b"\xef\xbb\xbf" + json.dumps(minimal_profile()).encode())
    assert load_file(path).data["vendor"]["id"] == "example-vendor"


def test_yaml_aliases_and_custom_tags_refused(tmp_path):
    laughs = "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n"
    assert "YAML aliases" in _one_error(_write(tmp_path, "bl.yaml", laughs))
    tag = _write(tmp_path, "t.yaml", "x: !!python/object/apply:os.system [echo hi]\n")
    assert "custom YAML tags are not allowed" in _one_error(tag)


def test_yaml_12_booleans_and_dates_stay_text(tmp_path):
    path = _write(tmp_path, "n.yaml", "a: NO\nb: 2026-03-03\nc: true\n")
    assert load_file(path).data == {"a": "NO", "b": "2026-03-03", "c": True}


def test_oversized_file_refused_before_reading(tmp_path):
    path = tmp_path / "big.json"
    with path.open("wb") as fh:
        fh.truncate(MAX_FILE_BYTES + 1)
    # the byte counts, not "5.0 MiB; the limit is 5 MiB" for one byte over
    assert _one_error(path).endswith(": the file is 5,242,881 bytes; the limit is 5,242,880 bytes (5 MiB)")


def test_deep_nesting_refused(tmp_path):
    path = _write(tmp_path, "deep.json", "[" * 5000 + "]" * 5000)
    assert "nested deeper than" in _one_error(path)


def test_nan_refused(tmp_path):
    assert "NaN" in _one_error(_write(tmp_path, "nan.json", '{"a": NaN}'))


def test_schema_errors_all_reported_with_pointer_and_line(tmp_path):
    profile = minimal_profile()
    profile["vendor"]["headquarters"] = "XX"
    profile["profile_date"] = "2026-02-30"
    text = "\n".join(f"{k}: {json.dumps(v)}" for k, v in profile.items())
    path = _write(tmp_path, "bad.yaml", text)
    lines = _problems(path)
    assert any("/profile_date: '2026-02-30' is not a valid date" in m and f"{path}:" in m for m in lines)
    assert any("/vendor/headquarters" in m and "'XX'" in m for m in lines)
    assert len(lines) == 2


def test_type_error_message(tmp_path):
    profile = minimal_profile()
    profile["schema_version"] = "one"
    path = _write(tmp_path, "type.json", json.dumps(profile, indent=1))
    [line] = _problems(path)
    assert line.startswith(f"{path}:2:") and "/schema_version" in line


def test_top_level_array_refused(tmp_path):
    [line] = _problems(_write(tmp_path, "arr.json", "[1, 2]"))
    assert line == f"{tmp_path / 'arr.json'} /: a profile must be a mapping, not a list"


def test_cited_but_undefined_source(tmp_path):
    profile = minimal_profile(leadership={"key_people": [
        {"name": "A", "role": "CEO", "area": "executive", "seniority": "c_level", "sources": ["s9"]}]})
    path = _write(tmp_path, "src.json", json.dumps(profile, indent=1))
    [line] = _problems(path)
    assert "/leadership/key_people/0/sources/0: source 's9' is cited but not defined" in line


def test_duplicate_vendor_ids_name_both_files(tmp_path):
    a = _write(tmp_path, "a.json", json.dumps(minimal_profile("same")))
    b = _write(tmp_path, "b.json", json.dumps(minimal_profile("same")))
    c = _write(tmp_path, "c.json", json.dumps(minimal_profile("other")))
    valid, problems = validate_all([str(tmp_path)], compile_validator(profile_schema()))
    assert [r.vendor_id for r in valid] == ["other"]
    assert len(problems) == 2
    assert all(str(a) in str(p) and str(b) in str(p) for p in problems)
    assert c.exists()


def test_expand_paths_folders_globs_and_missing(tmp_path):
    _write(tmp_path, "x.yaml", "a: 1")
    _write(tmp_path, "y.json", "{}")
    _write(tmp_path, "notes.txt", "ignored")
    files, problems = expand_paths([str(tmp_path), str(tmp_path / "*.json"), "nope.yaml"])
    assert [f.name for f in files] == ["x.yaml", "y.json"]
    assert [str(p) for p in problems] == ["nope.yaml: no such file or folder"]


def test_a_file_with_many_errors_is_parsed_for_lines_once(tmp_path, monkeypatch):
    import yaml  # the loader imports it when it first needs it

    profile = minimal_profile()
    profile["sources"] = [{"id": f"s{i}", "title": "t", "url": "https://example.com", "kind": "nope"}
                          for i in range(50)]
    path = _write(tmp_path, "many.json", json.dumps(profile, indent=1))
    calls = []
    real = yaml.compose
    monkeypatch.setattr(yaml, "compose", lambda *a, **k: calls.append(1) or real(*a, **k))
    lines = _problems(path)
    assert len(lines) == 50 and all(f"{path}:" in line and "/kind: 'nope'" in line for line in lines)
    assert len(calls) == 1
