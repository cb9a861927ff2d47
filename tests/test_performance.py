"""The speed-ups keep the observable behaviour (benchmarks/README.md lists them).

- the JSON results are streamed in batches: the bytes are json.dumps's;
- the loader's fast shape pass refuses exactly what the precise walk refuses,
  and the error still names the place;
- the semantic rules and the future-facts walk build pointers only on hits;
- the CLI process turns off automatic full garbage collections only.
"""

from __future__ import annotations

import gc
import io
import json
import math
import sys
from pathlib import Path
from typing import Any

import pytest

from vendordd.cli import _no_full_collections
from vendordd.data_shape import MAX_DEPTH, check_shape, shape_is_fine
from vendordd.loader import Document, InputError
from vendordd.outputs import dump_json
from vendordd.validation import future_facts, semantic_problems


def _big_results() -> dict[str, Any]:
    vendor = {"id": "v", "name": "Ünïcode ☃ \u2028 \"quoted\" \\ back", "scores": [1.5, None, True, 10**20],
              "nested": {"empty": {}, "list": [], "text": "x" * 5000}}
    return {"format_version": 1, "vendors": [dict(vendor, id=f"v{i}") for i in range(500)]}


@pytest.mark.parametrize("indent", [None, 2])
def test_streamed_json_is_byte_for_byte_json_dumps(indent: int | None) -> None:
    results = _big_results()
    out = io.BytesIO()
    dump_json(results, out, indent)
    layout: dict[str, Any] = {"indent": indent} if indent else {"separators": (",", ":")}
    expected = (json.dumps(results, ensure_ascii=False, sort_keys=False, **layout) + "\n").encode("utf-8")
    assert len(expected) > 2 << 20  # several batches were written
    assert out.getvalue() == expected


def test_run_writes_the_same_json_as_before(tmp_path: Path) -> None:
    """Compact by default; ``--json-indent N`` is json.dumps's indent=N of the same document."""
    from click.testing import CliRunner

    from vendordd.cli import cli

    examples = Path(__file__).resolve().parent.parent / "examples" / "profiles"
    texts = {}
    for indent in (None, 2, 3):
        out = tmp_path / f"r{indent}.json"
        extra = ["--json-indent", str(indent)] if indent else []
        done = CliRunner().invoke(cli, ["run", str(examples), "--json", str(out), "--as-of", "2026-06-01", *extra])
        assert done.exit_code == 0, done.output
        texts[indent] = out.read_text("utf-8")
    doc = json.loads(texts[None])
    assert texts[None] == json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n"
    assert texts[2] == json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    assert texts[3] == json.dumps(doc, indent=3, ensure_ascii=False) + "\n"


def _nest(depth: int) -> Any:
    node: Any = "leaf"
    for _ in range(depth):
        node = {"a": [node]}
    return node


_shared = {"k": 1}
SHAPES = [
    ("fine", {"a": [1, 2.5, "é", {"b": None}], "c": "日本"}, None),
    ("not too deep", _nest(MAX_DEPTH // 2), None),
    ("too deep", _nest(MAX_DEPTH), "nested deeper than"),
    ("alias", {"a": _shared, "b": [_shared]}, "YAML aliases"),
    ("infinity", {"a": [1.0, math.inf]}, "too large to represent"),
    ("lone surrogate", {"a": {"b": "ok \ud800"}}, "lone UTF-16 surrogate"),
    ("surrogate key", {"a": {"\udc00": 1}}, "a key holds a lone"),
    ("scalar root", math.inf, "too large to represent"),
]


@pytest.mark.parametrize("case", SHAPES, ids=[c[0] for c in SHAPES])
def test_fast_shape_pass_refuses_what_the_precise_walk_refuses(case: tuple[str, Any, str | None]) -> None:
    _, data, message = case
    assert shape_is_fine(data) is (message is None)
    if message is None:
        check_shape(data, "f.yaml")
        return
    with pytest.raises(InputError) as info:
        check_shape(data, "f.yaml")
    problem = info.value.problems[0]
    assert message in problem.message
    if case[0] == "infinity":
        assert problem.pointer == "/a/1"
    if case[0] == "lone surrogate":
        assert problem.pointer == "/a/b"


def test_semantic_and_future_walks_point_at_the_right_places(tmp_path: Path) -> None:
    data = {"schema_version": 1, "vendor": {"id": "v", "name": "V"}, "profile_date": "2027-01-01",
            "sources": [{"id": "s1", "url": "https://a.example", "published": "2027-02-01"}],
            "leadership": {"key_people": [{"name": "A", "sources": ["s1", "s9"], "left": "2026-07"},
                                          {"name": "B/C~", "joined": "2020-01"}],
                           "events": [{"date": "2027-01-05", "type": "layoff", "sources": ["nope"]}]},
            "compute": {"h100_equivalents_sources": ["s1", "s2"]}}
    doc = Document(name="p.json", path=tmp_path / "p.json", data=data, sha256="", kind="json")
    (tmp_path / "p.json").write_text(json.dumps(data, indent=1), "utf-8")
    found = [(p.pointer, p.message) for p in semantic_problems(doc)]
    assert [f[0] for f in found] == ["/leadership/key_people/0/sources/1", "/leadership/events/0/sources/0",
                                     "/compute/h100_equivalents_sources/1"]
    assert all(p.line for p in semantic_problems(doc))
    import datetime as dt

    later = future_facts(data, dt.date(2026, 6, 1))
    assert later == ["/leadership/key_people/0/left", "/leadership/events/0/date"]  # sources are not facts


def test_the_cli_turns_off_only_automatic_full_collections() -> None:
    before = gc.get_threshold()
    try:
        _no_full_collections()
        young, middle, old = gc.get_threshold()
        assert (young, middle) == before[:2] and old >= 2**30
        assert gc.isenabled()
    finally:
        gc.set_threshold(*before)


def test_gc_setting_is_made_by_main_not_on_import() -> None:
    import subprocess

    code = ("import gc; t = gc.get_threshold(); import vendordd.cli, vendordd.pipeline; "
            "assert gc.get_threshold() == t, gc.get_threshold()")
    subprocess.run([sys.executable, "-c", code], check=True)
