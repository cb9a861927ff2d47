"""The results text is ``json.dumps``'s, byte for byte, though orjson writes most of it.

Each case where orjson's text differs from ``json``'s (small floats, big
integers, keys that are not strings, NaN outside vendor entries, types json
refuses) is checked on its own, compact and indented, and inside a vendor
entry (the part orjson writes).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
from typing import Any

import orjson
import pytest

from vendordd.frozen import freeze
from vendordd.results_json import dumps, encode, iter_results_json
from vendordd.vendor_store import VendorStore, pack

ODD_TEXT = "Ünïcode ☃ 🚀 \u2028\u2029 \x7f \x00\x1f \"quoted\" \\ back / 智能"


def _reference(doc: Any, indent: int | None) -> bytes:
    options: dict[str, Any] = {"indent": indent} if indent is not None else {"separators": (",", ":")}
    return json.dumps(doc, ensure_ascii=False, **options).encode("utf-8")


def _document(vendor_value: Any) -> dict[str, Any]:
    return {"format_version": 1, "vendors": [{"id": "a", "value": vendor_value}, {"id": "b", "value": []}],
            "portfolio": {"k": vendor_value}, "errors": []}


CASES = [
    pytest.param(ODD_TEXT, id="non-ascii and escapes"),
    pytest.param({"z": 1, "a": 2, "m": {"y": [], "b": {}}}, id="key order kept"),
    pytest.param([0.1, 1.0, -0.0, 1e16, 1e22, 1.2345678901234568e17, 8066666666.666667, 0.0001,
                  5e-324, 1.7976931348623157e308], id="floats orjson writes as json"),
    pytest.param([1e-05, 1.5e-05, 1e-07, -3e-9], id="floats below 1e-4 (orjson: 0.00001, 1e-7)"),
    pytest.param([2**63 - 1, -(2**63), 2**64 - 1, 2**64, 10**30, -(10**25)], id="integers beyond 64 bits"),
    pytest.param({2: "int key", 1.5: "float key", True: "bool key", None: "none key"}, id="keys not strings"),
    pytest.param(("a", 1, (2, 3)), id="tuples"),
    pytest.param({"text": "the version is 0.00001 or 1e-9"}, id="small-float lookalike in text"),
    pytest.param([True, False, None, 0, -1, ""], id="scalars"),
    pytest.param(freeze({"facts": [{"name": "a", "n": 1.5}], "empty": {}}), id="read-only profile views"),
]


@pytest.mark.parametrize("indent", [None, 2, 4])
@pytest.mark.parametrize("value", CASES)
def test_encode_is_json_dumps(value: Any, indent: int | None) -> None:
    assert encode(value, indent) == _reference(value, indent)
    assert dumps(value, indent).encode("utf-8") == _reference(value, indent)


@pytest.mark.parametrize("indent", [None, 2, 4])
@pytest.mark.parametrize("value", CASES)
def test_document_is_json_dumps_in_a_vendor_entry_and_elsewhere(value: Any, indent: int | None) -> None:
    doc = _document(value)
    expected = _reference(doc, indent)
    assert b"".join(iter_results_json(doc, indent)) == expected
    store = VendorStore((v["id"], pack(v)) for v in doc["vendors"])
    assert b"".join(iter_results_json({**doc, "vendors": store}, indent)) == expected


def test_orjson_really_differs_where_the_fallback_is_used() -> None:
    """Pins why the fallbacks exist: if orjson changes, these document it."""
    assert orjson.dumps(1e-05) != json.dumps(1e-05).encode()
    with pytest.raises(TypeError):
        orjson.dumps(2**64)
    with pytest.raises(TypeError):
        orjson.dumps({1: 2})
    assert orjson.dumps(math.nan) == b"null" != json.dumps(math.nan).encode()


@pytest.mark.parametrize("indent", [None, 2])
def test_nan_outside_vendor_entries_is_written_as_json_writes_it(indent: int | None) -> None:
    doc = {"format_version": 1, "vendors": [{"id": "a"}], "portfolio": {"plugin": [math.nan, math.inf]}}
    text = b"".join(iter_results_json(doc, indent))
    assert text == _reference(doc, indent)
    assert b"NaN" in text and b"Infinity" in text


@dataclasses.dataclass
class _Point:
    x: int


@pytest.mark.parametrize("value", [dt.date(2026, 1, 1), _Point(1), {1, 2}, object()])
def test_types_json_refuses_are_still_refused(value: Any) -> None:
    """orjson would write dates and dataclasses; the results never did, and still raise."""
    with pytest.raises(TypeError):
        json.dumps(value)
    with pytest.raises(TypeError):
        encode({"v": value})
    with pytest.raises(TypeError):
        b"".join(iter_results_json({"vendors": [{"id": "a", "v": value}]}))


@pytest.mark.parametrize("indent", [None, 2])
def test_big_document_in_batches_is_json_dumps(indent: int | None) -> None:
    import io

    from vendordd.outputs import JSON_BATCH_BYTES, dump_json

    vendor = {"id": "v", "name": ODD_TEXT, "scores": [1.5, None, True, 10**20, 1e-06],
              "nested": {"empty": {}, "list": [], "text": "x" * 5000}}
    doc = {"format_version": 1, "vendors": [dict(vendor, id=f"v{i}") for i in range(800)]}
    out = io.BytesIO()
    dump_json(doc, out, indent)
    expected = _reference(doc, indent) + b"\n"
    assert len(expected) > 2 * JSON_BATCH_BYTES  # several batches were written
    assert out.getvalue() == expected


@pytest.mark.parametrize("indent", [None, 2])
def test_orjson_writes_an_ordinary_vendor_entry(monkeypatch: pytest.MonkeyPatch, indent: int | None) -> None:
    """The fast path is taken (json is not asked) for what vendor entries hold."""
    import vendordd.results_json as results_json

    entry = {"id": "a", "name": ODD_TEXT, "overall": {"score": 53.9, "tier": "medium", "gates": []},
             "checks": [{"id": "c", "score": 0.0, "facts": {"capex": [{"amount_usd": 2.42e10, "annual": 8066666666.666667}]},
                         "metrics": {"share": 0.0001, "big": 10**18}}], "sources": [], "change": None}
    expected = _reference(entry, indent)

    def refuse(value: Any, indent: int | None = None) -> str:
        raise AssertionError("json was used")

    monkeypatch.setattr(results_json, "dumps", refuse)
    assert encode(entry, indent) == expected


def test_standard_output_without_a_byte_buffer_gets_the_same_text(monkeypatch: pytest.MonkeyPatch) -> None:
    """A replaced sys.stdout that takes text only (no ``buffer``) still gets the JSON, decoded."""
    import io
    import sys

    from vendordd import outputs

    doc = {"format_version": 2, "vendors": [{"id": "a", "name": ODD_TEXT}], "errors": []}
    text_only = io.StringIO()
    monkeypatch.setattr(sys, "stdout", text_only)
    outputs._write_stdout(doc, None)
    assert text_only.getvalue() == _reference(doc, None).decode("utf-8") + "\n"
