"""What big runs use: worker processes and packed vendor entries give the same outputs.

A run over more than ``KEEP_AS_OBJECTS`` profiles keeps its entries packed
(``results["vendors"]`` is a VendorStore) and, on Linux, assesses profiles
in worker processes. Both are forced here on the example profiles, with a
bad file, a duplicate vendor id, a baseline and a portfolio, and the JSON
text and the workbook bytes must equal those of a plain one-process run.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from vendordd import workers
from vendordd.cli import cli
from vendordd.outputs import dump_json
from vendordd.pipeline import assess
from vendordd.results_json import iter_results_json
from vendordd.scorecard import write_scorecard
from vendordd.vendor_store import VendorStore, pack, unpack

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
AS_OF = "2026-06-01"
needs_fork = pytest.mark.skipif(not workers.can_fork(), reason="worker processes are forked on Linux only")


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("big")
    profiles = root / "profiles"
    shutil.copytree(EXAMPLES / "profiles", profiles)
    (profiles / "broken.yaml").write_text("vendor: [\n", encoding="utf-8")
    twin = (profiles / "mistral-ai.yaml").read_text(encoding="utf-8")
    (profiles / "mistral-twin.yaml").write_text(twin, encoding="utf-8")  # same vendor id: both refused
    runner = CliRunner()
    done = runner.invoke(cli, ["run", str(profiles), "--json", str(root / "baseline.json"), "--as-of", "2026-01-01",
                               "--policy", str(EXAMPLES / "policy-us-buyer.yaml")])
    assert done.exit_code == 2, done.output  # the broken file and the twins
    return root


def _outputs(root: Path, tag: str, indent: int | None = None, **options) -> tuple[bytes, bytes, object]:
    outcome = assess([str(root / "profiles")], policy_path=str(EXAMPLES / "policy-us-buyer.yaml"),
                     portfolio_path=str(EXAMPLES / "portfolio.yaml"), baseline_path=str(root / "baseline.json"),
                     as_of=AS_OF, **options)
    json_path, xlsx_path = root / f"{tag}.json", root / f"{tag}.xlsx"
    with json_path.open("wb") as fh:
        dump_json(outcome.results, fh, indent)
    write_scorecard(outcome.results, xlsx_path, vendor_sheet_limit=4)
    return json_path.read_bytes(), xlsx_path.read_bytes(), outcome


def test_packed_entries_give_the_same_json_and_workbook(workspace: Path) -> None:
    plain_json, plain_xlsx, plain = _outputs(workspace, "plain", jobs=1)
    packed_json, packed_xlsx, packed = _outputs(workspace, "packed", jobs=1, keep_as_objects=0)
    assert isinstance(plain.results["vendors"], list)
    assert isinstance(packed.results["vendors"], VendorStore)
    assert packed_json == plain_json
    assert packed_xlsx == plain_xlsx
    data = json.loads(plain_json)
    assert len(data["vendors"]) == 9  # ten examples, Mistral and its twin refused
    assert any("used by more than one file" in e["message"] for e in data["errors"])
    assert data["baseline"]["removed"] == [] and all("change" in v for v in data["vendors"])


@needs_fork
def test_worker_processes_give_the_same_json_and_workbook(workspace: Path) -> None:
    plain_json, plain_xlsx, _ = _outputs(workspace, "serial", jobs=1)
    forked_json, forked_xlsx, _ = _outputs(workspace, "forked", jobs=3)
    packed_json, packed_xlsx, _ = _outputs(workspace, "forked-packed", jobs=2, keep_as_objects=0)
    assert forked_json == plain_json == packed_json
    assert forked_xlsx == plain_xlsx == packed_xlsx
    indented = [_outputs(workspace, f"indented-{jobs}", indent=2, jobs=jobs, keep_as_objects=keep)[0]
                for jobs, keep in ((1, None), (2, 0))]
    assert indented[0] == indented[1] == json.dumps(json.loads(plain_json), indent=2,
                                                    ensure_ascii=False).encode("utf-8") + b"\n"


@needs_fork
def test_cli_jobs_option(workspace: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    outs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"j{jobs}.xlsx"
        done = runner.invoke(cli, ["run", str(EXAMPLES / "profiles"), "-o", str(out), "--json", str(out) + ".json",
                                   "--as-of", AS_OF, "--jobs", jobs, "--json-indent", "2"])
        assert done.exit_code == 0, done.output
        outs.append((out.read_bytes(), Path(str(out) + ".json").read_bytes()))
    assert outs[0] == outs[1]
    done = runner.invoke(cli, ["run", str(EXAMPLES / "profiles"), "--jobs", "0"])
    assert done.exit_code == 2 and "--jobs" in done.output


def test_choose_jobs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "can_fork", lambda: True)
    monkeypatch.setattr(workers, "available_cpus", lambda: 2)
    assert workers.choose_jobs(None, workers.PARALLEL_MIN_FILES - 1) == 1
    assert workers.choose_jobs(None, workers.PARALLEL_MIN_FILES) == 2
    assert workers.choose_jobs(5, 3) == 3  # never more processes than files
    assert workers.choose_jobs(1, 1000) == 1
    monkeypatch.setattr(workers, "available_cpus", lambda: 64)
    assert workers.choose_jobs(None, 10_000) == workers.MAX_DEFAULT_JOBS
    monkeypatch.setattr(workers, "can_fork", lambda: False)
    assert workers.choose_jobs(4, 10_000) == 1


def test_store_is_a_read_only_sequence() -> None:
    entries = [{"id": vid, "name": vid.upper(), "checks": [{"score": 50.5}]} for vid in ("b", "c", "a")]
    store = VendorStore((e["id"], pack(e)) for e in sorted(entries, key=lambda e: e["id"]))
    assert store.ids == ["a", "b", "c"] and len(store) == 3
    assert [v["id"] for v in store] == ["a", "b", "c"]
    assert store[0] == entries[2] and store[-1]["name"] == "C"
    assert [v["id"] for v in store[1:]] == ["b", "c"]
    store[0]["name"] = "changed"
    assert store[0]["name"] == "A"  # every read decodes a fresh copy
    assert unpack(pack(entries[0])) == entries[0]


@pytest.mark.parametrize("indent", [None, 2, 4])
@pytest.mark.parametrize("doc", [
    {}, {"a": []}, {"a": [1, [2, {"b": "x\ny"}]], "b": {"c": [], "d": {}}, "e": "ü"},
    {"vendors": [{"id": "a", "n": [1.5, None, True]}, {"id": "b"}], "errors": []},
])
def test_results_json_is_json_dumps(doc: dict, indent: int | None) -> None:
    options = {"indent": indent} if indent is not None else {"separators": (",", ":")}
    expected = json.dumps(doc, ensure_ascii=False, **options).encode("utf-8")
    assert b"".join(iter_results_json(doc, indent)) == expected
    if "vendors" in doc:
        store = VendorStore((v["id"], pack(v)) for v in doc["vendors"])
        assert b"".join(iter_results_json({**doc, "vendors": store}, indent)) == expected
