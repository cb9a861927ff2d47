"""The results file, format 2: what it leaves out, what it keeps, and reading format 1 beside it.

``tests/data/results_format1.json`` was written by vendordd before format 2
(main at f98e3eb, ``vendordd run examples/profiles/mistral-ai.yaml
examples/profiles/alibaba-qwen.yaml --policy examples/policy-us-buyer.yaml
--as-of 2026-11-29 --json ...``).
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from vendordd.cli import cli
from vendordd.diff import compare
from vendordd.inputs import load_baseline
from vendordd.loader import InputError
from vendordd.outputs import dump_json
from vendordd.pipeline import assess
from vendordd.results import FORMAT_VERSION, SOURCE_DETAILS_IN_PROFILE, file_form, file_vendor_entry
from vendordd.validation import compile_validator, load_schema
from vendordd.vendor_store import VendorStore, pack

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
FORMAT1 = Path(__file__).resolve().parent / "data" / "results_format1.json"
TWO = [str(EXAMPLES / "profiles" / "mistral-ai.yaml"), str(EXAMPLES / "profiles" / "alibaba-qwen.yaml")]


@pytest.fixture(scope="module")
def run() -> Any:
    return assess([str(EXAMPLES / "profiles")], policy_path=str(EXAMPLES / "policy-us-buyer.yaml"),
                  portfolio_path=str(EXAMPLES / "portfolio.yaml"), as_of="2026-11-29", jobs=1)


def _file(results: Any, indent: int | None = None) -> dict[str, Any]:
    out = io.BytesIO()
    dump_json(results, out, indent)
    return json.loads(out.getvalue())


def test_the_file_leaves_out_the_source_details_the_profile_holds(run: Any) -> None:
    written = _file(run.results)
    assert written["format_version"] == FORMAT_VERSION == 2
    for memory, filed in zip(run.results["vendors"], written["vendors"], strict=True):
        assert [s["id"] for s in filed["sources"]] == [s["id"] for s in memory["sources"]]
        for src_mem, src_file in zip(memory["sources"], filed["sources"], strict=True):
            assert not SOURCE_DETAILS_IN_PROFILE & set(src_file)
            assert src_file == {k: v for k, v in src_mem.items() if k not in SOURCE_DETAILS_IN_PROFILE}
        assert any(s.get("title") for s in memory["sources"])  # the in-memory entries keep them
        # everything else is as in memory; checks refer to the vendor's sources by id
        assert {k: v for k, v in filed.items() if k != "sources"} == \
            json.loads(json.dumps({k: v for k, v in memory.items() if k != "sources"}))
        ids = {s["id"] for s in filed["sources"]}
        assert {sid for check in filed["checks"] for sid in check["sources"]} <= ids


def test_the_profile_hash_pins_what_was_left_out(run: Any) -> None:
    written = _file(run.results)
    pinned = {i["file"] for i in written["inputs"] if i["role"] == "profile"}
    assert {v["source_file"] for v in written["vendors"]} <= pinned


@pytest.mark.parametrize("indent", [None, 2])
def test_the_written_file_is_valid_against_the_results_schema(run: Any, indent: int | None) -> None:
    validator = compile_validator(load_schema("results"))
    errors = [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(_file(run.results, indent))]
    assert errors == []


def test_file_form_reads_a_packed_store_lazily_and_keeps_other_keys() -> None:
    entry = {"id": "a", "sources": [{"id": "s1", "title": "T", "url": "u", "publisher": "p", "kind": "news",
                                     "published": "2026-01", "stale": False, "used_by": [], "collected": None}]}
    store = VendorStore([("a", pack(entry))])
    form = file_form({"format_version": 2, "vendors": store, "errors": []})
    assert form["errors"] == [] and len(form["vendors"]) == 1
    assert form["vendors"][0]["sources"] == [{"id": "s1", "kind": "news", "published": "2026-01", "stale": False,
                                             "used_by": [], "collected": None}]
    assert list(form["vendors"]) == form["vendors"][:]
    assert store[0] == entry  # the store is unchanged
    assert file_vendor_entry({"id": "b"}) == {"id": "b"}  # no sources key added


def test_the_format1_fixture_is_read_and_compared_with_format2() -> None:
    old = load_baseline(str(FORMAT1)).data
    assert old["format_version"] == 1 and any("title" in s for v in old["vendors"] for s in v["sources"])
    new = {**old, "format_version": 2}
    as_file = _file(new)
    assert as_file["format_version"] == 2
    same = compare(old, old)
    across = compare(old, as_file)
    back = compare(as_file, old)
    assert across["vendors"] == same["vendors"] == back["vendors"]
    assert {ch["status"] for ch in across["vendors"].values()} == {"unchanged"}
    assert across["got_worse"] == [] and across["removed"] == []


def test_vendordd_diff_compares_format1_with_format2(tmp_path: Path) -> None:
    new = tmp_path / "new.json"
    done = CliRunner().invoke(cli, ["run", *TWO, "--policy", str(EXAMPLES / "policy-us-buyer.yaml"),
                                    "--as-of", "2026-11-29", "--json", str(new)])
    assert done.exit_code == 0, done.output
    assert json.loads(new.read_text("utf-8"))["format_version"] == 2
    for old, later in ((FORMAT1, new), (new, FORMAT1)):
        done = CliRunner().invoke(cli, ["diff", str(old), str(later), "--json"])
        assert done.exit_code in (0, 1), done.output
        report = json.loads(done.output)
        assert set(report["vendors"]) == {"alibaba-qwen", "mistral-ai"} and report["removed"] == []


def test_a_format1_baseline_gives_change_blocks(tmp_path: Path) -> None:
    outcome = assess(TWO, policy_path=str(EXAMPLES / "policy-us-buyer.yaml"), as_of="2026-11-29",
                     baseline_path=str(FORMAT1), jobs=1)
    assert outcome.input_problems == []
    assert {v["id"]: v["change"]["status"] != "new" for v in outcome.results["vendors"]} == \
        {"alibaba-qwen": True, "mistral-ai": True}
    assert outcome.results["baseline"]["as_of"] == "2026-11-29"


@pytest.mark.parametrize("version", [3, 0, "2", None, True])
def test_an_unreadable_format_is_one_clear_error(tmp_path: Path, version: Any) -> None:
    doc = json.loads(FORMAT1.read_text("utf-8"))
    doc["format_version"] = version
    path = tmp_path / "odd.json"
    path.write_text(json.dumps(doc), "utf-8")
    with pytest.raises(InputError) as caught:
        load_baseline(str(path))
    assert len(caught.value.problems) == 1
    done = CliRunner().invoke(cli, ["diff", str(path), str(FORMAT1)])
    assert done.exit_code == 2
    lines = [line for line in done.output.splitlines() if line]
    assert lines == [f"vendordd: error: {path} /format_version: results format_version {version!r} cannot be "
                     f"read: this vendordd reads results formats 1 and 2 (docs/results.md)"]


def test_a_format1_file_must_still_be_a_results_document(tmp_path: Path) -> None:
    doc = json.loads(FORMAT1.read_text("utf-8"))
    del doc["vendors"][0]["overall"]
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(doc), "utf-8")
    with pytest.raises(InputError) as caught:
        load_baseline(str(path))
    assert "overall" in str(caught.value.problems[0])


def test_size_per_vendor_on_the_examples_is_well_below_format1(run: Any) -> None:
    """Not a speed test: the file holds fewer bytes than format 1's layout of the same run."""
    compact = io.BytesIO()
    dump_json(run.results, compact)
    format1 = json.dumps({**run.results, "vendors": list(run.results["vendors"])}, indent=2, ensure_ascii=False)
    assert len(compact.getvalue()) < 0.6 * len(format1.encode("utf-8"))


def test_json_indent_without_json_is_a_usage_error() -> None:
    done = CliRunner().invoke(cli, ["run", TWO[0], "--json-indent", "2"])
    assert done.exit_code == 2 and "--json-indent" in done.output and "--json FILE" in done.output


def test_json_indent_to_standard_output(tmp_path: Path) -> None:
    done = CliRunner().invoke(cli, ["run", TWO[0], "--as-of", "2026-11-29", "--json", "-", "--json-indent", "4"])
    assert done.exit_code == 0, done.output
    doc = json.loads(done.stdout)
    assert done.stdout == json.dumps(doc, indent=4, ensure_ascii=False) + "\n"
    assert doc["format_version"] == 2


def test_results_files_have_their_own_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A run's results pass the profiles' 5 MiB limit from about 200 vendors; diff reads them up to
    MAX_RESULTS_BYTES, and refuses a larger file before reading it, naming both sizes."""
    from vendordd import inputs, loader

    doc = json.loads(FORMAT1.read_text("utf-8"))
    template = doc["vendors"][0]
    doc["vendors"] = [dict(template, id=f"v{i:04d}") for i in range(150)]
    big = tmp_path / "big.json"
    big.write_text(json.dumps(doc, indent=2), "utf-8")
    size = big.stat().st_size
    assert loader.MAX_FILE_BYTES < size < inputs.MAX_RESULTS_BYTES
    done = CliRunner().invoke(cli, ["diff", str(big), str(big)])
    assert done.exit_code == 0, done.output
    assert "no vendor changed" in done.output
    monkeypatch.setattr(inputs, "MAX_RESULTS_BYTES", size - 1)
    with pytest.raises(InputError) as caught:
        load_baseline(str(big))
    assert str(caught.value.problems[0]).endswith(f"the file is {size:,} bytes; the limit is {size - 1:,} "
                                                  f"bytes ({(size - 1) / 1048576:g} MiB)")
