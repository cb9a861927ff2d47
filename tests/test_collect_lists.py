"""vendordd collect lists against a local server: new, unchanged, updated, truncated, failing."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os

import pytest
import yaml
from click.testing import CliRunner

from vendordd.cli import cli
from vendordd.collect import CollectError
from vendordd.collect.lists import MANIFEST, collect_lists
from vendordd.screening import read_list

from .conftest import DATA
from .fake_hub import FakeHub, loopback_only

CSL = (DATA / "screening" / "consolidated.csv").read_bytes()
SDN = (DATA / "screening" / "ofac" / "sdn.csv").read_bytes()
ALT = (DATA / "screening" / "ofac" / "alt.csv").read_bytes()
NOW = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def server(monkeypatch):
    refused = loopback_only(monkeypatch)
    srv = FakeHub()
    srv.state.files = {"/csl/consolidated.csv": CSL, "/ofac/SDN.CSV": SDN, "/ofac/ALT.CSV": ALT}
    srv.state.last_modified = {"/csl/consolidated.csv": "Mon, 02 Mar 2026 14:00:00 GMT"}
    try:
        yield srv
    finally:
        srv.close()
        assert not refused


def _policy(srv, retries=0):
    return {"collect": {"retries": retries, "timeout_seconds": 5, "lists": {
        "US-CSL": {"files": [{"name": "consolidated.csv", "url": f"{srv.url}/csl/consolidated.csv"}]},
        "US-OFAC-SDN": {"files": [{"name": "sdn.csv", "url": f"{srv.url}/ofac/SDN.CSV"},
                                  {"name": "alt.csv", "url": f"{srv.url}/ofac/ALT.CSV"}]}}}}


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_new_then_unchanged_then_updated_keeps_the_previous_copy(server, tmp_path):
    folder = tmp_path / "lists"
    first = collect_lists(["US-CSL", "US-OFAC-SDN"], folder, _policy(server), now=NOW)
    assert [(r.list_id, r.status) for r in first] == [("US-CSL", "new"), ("US-OFAC-SDN", "new")]
    assert (folder / "consolidated.csv").read_bytes() == CSL
    assert (folder / "sdn.csv").read_bytes() == SDN and (folder / "alt.csv").read_bytes() == ALT
    manifest = json.loads((folder / MANIFEST).read_text())
    csl = manifest["lists"]["US-CSL"]["files"][0]
    assert csl["sha256"] == _sha(CSL) and csl["published"] == "2026-03-02"
    assert csl["published_source"] == "Last-Modified" and csl["size"] == len(CSL)
    assert manifest["lists"]["US-OFAC-SDN"]["files"][0]["published_source"] == "downloaded"
    assert manifest["lists"]["US-CSL"]["entries"] == len(read_list(folder / "consolidated.csv").entries)
    # screening reads the file's date from its modification time: the publication date
    mtime = dt.datetime.fromtimestamp(os.stat(folder / "consolidated.csv").st_mtime, dt.UTC).date()
    assert mtime == dt.date(2026, 3, 2)
    assert read_list(folder / "consolidated.csv").date == "2026-03-02"

    second = collect_lists(["US-CSL"], folder, _policy(server), now=NOW + dt.timedelta(days=1))
    assert second[0].status == "unchanged" and not (folder / "previous").exists()
    again = json.loads((folder / MANIFEST).read_text())["lists"]["US-CSL"]["files"][0]
    assert again["downloaded"] == csl["downloaded"] and again["checked"] != csl["checked"]

    newer = CSL + CSL.splitlines(keepends=True)[1].replace(b"el-zhipu-1", b"el-new-1")
    server.state.files["/csl/consolidated.csv"] = newer
    server.state.last_modified["/csl/consolidated.csv"] = "Thu, 05 Mar 2026 14:00:00 GMT"
    third = collect_lists(["US-CSL"], folder, _policy(server), now=NOW + dt.timedelta(days=3))
    assert third[0].status == "updated"
    assert (folder / "consolidated.csv").read_bytes() == newer
    assert (folder / "previous" / "consolidated.csv").read_bytes() == CSL
    rec = json.loads((folder / MANIFEST).read_text())["lists"]["US-CSL"]["files"][0]
    assert rec["sha256"] == _sha(newer) and rec["published"] == "2026-03-05"
    assert rec["previous"] == {"sha256": _sha(CSL), "size": len(CSL), "published": "2026-03-02",
                               "downloaded": "2026-03-10T09:00:00Z", "path": "previous/consolidated.csv"}
    assert "US-OFAC-SDN" in json.loads((folder / MANIFEST).read_text())["lists"]  # other lists kept


def test_a_truncated_download_is_refused_and_the_current_copy_kept(server, tmp_path):
    folder = tmp_path / "lists"
    collect_lists(["US-CSL"], folder, _policy(server), now=NOW)
    server.state.files["/csl/consolidated.csv"] = CSL + b"\n"  # an update: previous/ now holds CSL
    collect_lists(["US-CSL"], folder, _policy(server), now=NOW)
    before = {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    assert before["previous/consolidated.csv"] == CSL
    server.state.files["/csl/consolidated.csv"] = CSL + CSL  # a new version...
    server.state.truncate.add("/csl/consolidated.csv")  # ...that arrives cut short
    waits: list[float] = []
    with pytest.raises(CollectError, match="truncated download|stopped after"):
        collect_lists(["US-CSL"], folder, _policy(server, retries=2), now=NOW, sleep=waits.append)
    assert waits == [1.0, 2.0]  # retried with back-off, then refused
    after = {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    assert after == before  # current, previous copy and manifest untouched
    assert {p.name for p in folder.iterdir()} == {"consolidated.csv", "previous", MANIFEST}  # no staging left


def test_one_failing_list_changes_nothing_for_the_others(server, tmp_path):
    folder = tmp_path / "lists"
    policy = _policy(server)
    policy["collect"]["lists"]["US-OFAC-SDN"]["files"][1]["url"] = f"{server.url}/ofac/missing.csv"
    with pytest.raises(CollectError, match="HTTP 404"):
        collect_lists(["US-CSL", "US-OFAC-SDN"], folder, policy, now=NOW)
    assert list(folder.iterdir()) == []  # not even the CSL, which downloaded fine


def test_a_file_screening_cannot_read_is_refused(server, tmp_path):
    folder = tmp_path / "lists"
    server.state.files["/csl/consolidated.csv"] = b"<html>Service moved</html>\n"
    with pytest.raises(CollectError, match="cannot be read as a screening list"):
        collect_lists(["US-CSL"], folder, _policy(server), now=NOW)
    assert list(folder.iterdir()) == []


def test_a_failing_server_is_retried_then_one_line(server, tmp_path):
    server.state.fail_status = 503
    waits: list[float] = []
    with pytest.raises(CollectError, match=r"HTTP 503 .*after 4 attempts"):
        collect_lists(["US-CSL"], tmp_path / "l", _policy(server, retries=3), now=NOW, sleep=waits.append)
    assert waits == [1.0, 2.0, 4.0]


def test_rate_limited_honours_retry_after(server, tmp_path):
    server.state.fail_status, server.state.retry_after = 429, "7"
    waits: list[float] = []
    with pytest.raises(CollectError, match="rate-limited"):
        collect_lists(["US-CSL"], tmp_path / "l", _policy(server, retries=1), now=NOW, sleep=waits.append)
    assert waits == [7.0]


def test_unknown_list_and_no_list(tmp_path):
    with pytest.raises(CollectError, match="unknown list id"):
        collect_lists(["EU-NOPE"], tmp_path, {})
    with pytest.raises(CollectError, match="name the lists"):
        collect_lists([], tmp_path, {})


def test_cli_downloads_and_prints_a_policy_snippet(server, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "policy.yaml").write_text(yaml.safe_dump({"policy_version": 1, **_policy(server)}))
    res = CliRunner().invoke(cli, ["collect", "lists", "--list", "US-CSL", "--list", "US-OFAC-SDN",
                                   "--dir", "lists", "--policy", "policy.yaml"], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    assert f"lists/consolidated.csv  new  published 2026-03-02 (Last-Modified)  sha256 {_sha(CSL)}" in res.stdout
    snippet = yaml.safe_load(res.stdout.split("add to the policy:\n", 1)[1])
    assert snippet["screening"]["lists"][0] == {"path": "lists/consolidated.csv", "date": dt.date(2026, 3, 2)}
    # the run can use the files at once
    screen = CliRunner().invoke(cli, ["screen", "Zhipu AI", "--screening-list", "lists/consolidated.csv"])
    assert screen.exit_code in (0, 1) and "consolidated.csv" in screen.output


def test_cli_failure_is_exit_2_with_one_line(server, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    server.state.fail_status = 500
    (tmp_path / "policy.yaml").write_text(yaml.safe_dump({"policy_version": 1, **_policy(server)}))
    res = CliRunner().invoke(cli, ["collect", "lists", "--list", "US-CSL", "--policy", "policy.yaml"])
    assert res.exit_code == 2
    assert res.stderr.strip().count("\n") == 0 and res.stderr.startswith("vendordd: error:")
    assert not (tmp_path / "lists" / "consolidated.csv").exists()


def test_show_lists_the_default_addresses():
    res = CliRunner().invoke(cli, ["collect", "lists", "--show"])
    assert res.exit_code == 0
    assert "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv" in res.stdout
    assert "US-OFAC-SDN" in res.stdout
