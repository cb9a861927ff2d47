"""--profile merges without clobbering the analyst's facts; --dry-run writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from click.testing import CliRunner

from vendordd.cli import cli
from vendordd.collect import MARK
from vendordd.collect.merge import dates_agree, merge
from vendordd.collect.profiles import validate

from .fake_hub import FakeHub, fictional_author, loopback_only, point_hub_client_at

DAY = "2026-03-10"

ANALYST = {
    "schema_version": 1,
    "vendor": {"id": "northwind-ai", "name": "Northwind AI", "headquarters": "GB"},
    "profile_date": "2025-11-01",
    "sources": [
        {"id": "s1", "url": "https://northwind.example/blog/nimbus-1", "kind": "primary",
         "published": "2025-01-10", "title": "Nimbus 1 launch"},
        {"id": "s2", "url": "https://news.example/northwind", "kind": "news", "published": "2025-10-05"},
    ],
    "leadership": {"key_people": [{"name": "A. Founder", "role": "CEO", "area": "executive",
                                   "seniority": "c_level", "sources": ["s2"]}]},
    "open_source": {
        "releases": [
            # entered by the analyst with a licence the Hub contradicts, a month date it agrees with
            {"name": "Nimbus-1", "date": "2025-01", "availability": "open_weights", "license": "MIT",
             "flagship": True, "sources": ["s1"]},
            # one checkpoint of a family, by its repository name: matched, dates not compared
            {"name": "Stratus-v2-70B", "date": "2025-12-01", "availability": "gated_weights",
             "license": "LicenseRef-northwind-community", "sources": ["s2"]},
            # a model the Hub does not list: never touched, never called closed
            {"name": "Nimbus-Ultra", "date": "2025-09-01", "availability": "api_only", "sources": ["s2"]},
        ],
        "adoption": {"downloads": 5, "as_of": "2025-10", "sources": ["s2"]},
        "notes": "Analyst note: check the Nimbus licence change.",
    },
}


@pytest.fixture
def hub(monkeypatch, tmp_path):
    refused = loopback_only(monkeypatch)
    server = FakeHub()
    point_hub_client_at(monkeypatch, server.url, tmp_path / "hf-home")
    server.state.models = fictional_author()
    try:
        yield server
    finally:
        server.close()
        assert not refused


def _run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def _write(path, data):
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_profile_merge_adds_and_never_clobbers(hub, tmp_path):
    src = _write(tmp_path / "northwind.yaml", ANALYST)
    before = src.read_bytes()
    out = tmp_path / "northwind-new.yaml"
    res = _run("collect", "huggingface", "northwind-ai", "--vendor", "northwind-ai", "--profile", str(src),
               "-o", str(out), "--date", DAY)
    assert res.exit_code == 0, res.output
    assert src.read_bytes() == before  # the input is never modified
    merged = yaml.safe_load(out.read_text())
    assert validate(merged, None, str(out)) == []
    rels = merged["open_source"]["releases"]
    # the analyst's three releases are first and unchanged (marks, values, order)
    assert rels[:3] == ANALYST["open_source"]["releases"]
    added = {r["name"] for r in rels[3:]}
    assert added == {"Nimbus-1.5", "Nimbus-Coder", "Cirrus-Embed"}  # Nimbus-1 and Stratus-v2 matched
    assert all(MARK in r for r in rels[3:])
    # the analyst's adoption figures stay; the Hub's are reported as a conflict
    assert merged["open_source"]["adoption"] == ANALYST["open_source"]["adoption"]
    assert merged["leadership"] == ANALYST["leadership"]
    assert merged["vendor"] == ANALYST["vendor"] and merged["profile_date"] == "2025-11-01"
    assert merged["sources"][:2] == ANALYST["sources"]
    assert "Analyst note: check the Nimbus licence change." in merged["open_source"]["notes"]
    assert "vendordd collect huggingface northwind-ai, 2026-03-10" in merged["open_source"]["notes"]
    conflicts = [ln for ln in res.stderr.splitlines() if ln.startswith("vendordd: conflict:")]
    assert any("/open_source/releases/0 'Nimbus-1'/license" in c and "'MIT'" in c and "'Apache-2.0'" in c
               for c in conflicts), conflicts
    assert any("/open_source/adoption: the profile has figures as of 2025-10 (downloads 5)" in c
               for c in conflicts), conflicts
    assert not any("releases/0 'Nimbus-1'/date" in c for c in conflicts)  # 2025-01 contains 2025-01-10
    assert not any("Stratus" in c for c in conflicts), conflicts  # matched by repository name, agrees
    assert merged[MARK][-1]["conflicts"] and merged[MARK][-1]["date"] == DAY


def test_a_second_collection_refreshes_its_own_facts_and_keeps_the_rest(hub, tmp_path):
    first = tmp_path / "one.yaml"
    assert _run("collect", "huggingface", "northwind-ai", "--vendor", "northwind-ai", "-o", str(first),
                "--date", "2026-03-01").exit_code == 0
    hub.state.models = [m for m in fictional_author() if "Cirrus" not in m["id"]]  # made private since
    for m in hub.state.models:
        m["downloadsAllTime"] += 1
    second = tmp_path / "two.yaml"
    res = _run("collect", "huggingface", "northwind-ai", "--vendor", "northwind-ai", "--profile", str(first),
               "-o", str(second), "--date", DAY)
    assert res.exit_code == 0, res.output
    merged = yaml.safe_load(second.read_text())
    names = [r["name"] for r in merged["open_source"]["releases"]]
    assert names.count("Nimbus-1") == 1 and "Cirrus-Embed" in names  # refreshed once, the gone one kept
    assert merged["open_source"]["adoption"]["as_of"] == DAY  # the collector's own fact is refreshed
    assert merged["open_source"]["adoption"]["downloads"] == sum(m["downloadsAllTime"] for m in hub.state.models)
    assert len(merged["sources"]) == len({s["id"] for s in merged["sources"]})
    assert "kept: /open_source/releases/" in res.stderr and "Cirrus-Embed" in res.stderr
    assert "vendordd: conflict:" not in res.stderr
    assert len(merged[MARK]) == 2


def test_dry_run_writes_nothing_and_shows_a_diff(hub, tmp_path):
    src = _write(tmp_path / "northwind.yaml", ANALYST)
    before = sorted(p.name for p in tmp_path.iterdir())
    res = _run("collect", "huggingface", "northwind-ai", "--vendor", "northwind-ai", "--profile", str(src),
               "--dry-run", "--date", DAY)
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert res.stdout.startswith("--- ")
    assert "+  - name: Nimbus-1.5" in res.stdout
    assert "-  - name: Nimbus-1\n" not in res.stdout  # nothing of the analyst's is removed
    assert "nothing written" in res.stderr


def test_dry_run_with_output_still_writes_nothing(hub, tmp_path):
    out = tmp_path / "p.yaml"
    res = _run("collect", "huggingface", "northwind-ai", "--vendor", "northwind-ai", "-o", str(out), "--dry-run")
    assert res.exit_code == 0 and not out.exists()


def test_profile_without_output_or_dry_run_is_refused(hub, tmp_path):
    src = _write(tmp_path / "n.yaml", ANALYST)
    res = _run("collect", "huggingface", "northwind-ai", "--vendor", "northwind-ai", "--profile", str(src))
    assert res.exit_code == 2 and "--profile needs -o FILE" in res.stderr
    assert hub.state.requests == []


def test_output_over_the_input_profile_is_refused(hub, tmp_path):
    src = _write(tmp_path / "n.yaml", ANALYST)
    before = src.read_bytes()
    res = _run("collect", "huggingface", "northwind-ai", "--vendor", "northwind-ai", "--profile", str(src),
               "-o", str(src))
    assert res.exit_code == 2 and "refusing to overwrite input file" in res.stderr
    assert src.read_bytes() == before


def test_wrong_vendor_and_invalid_profile_are_refused(hub, tmp_path):
    src = _write(tmp_path / "n.yaml", ANALYST)
    res = _run("collect", "huggingface", "northwind-ai", "--vendor", "other-vendor", "--profile", str(src),
               "-o", str(tmp_path / "o.yaml"))
    assert res.exit_code == 2 and "not 'other-vendor'" in res.stderr
    bad = _write(tmp_path / "bad.yaml", {**ANALYST, "profile_date": "yesterday"})
    res = _run("collect", "huggingface", "northwind-ai", "--vendor", "northwind-ai", "--profile", str(bad),
               "-o", str(tmp_path / "o.yaml"))
    assert res.exit_code == 2 and "is not a valid profile" in res.stderr and "/profile_date" in res.stderr
    assert not (tmp_path / "o.yaml").exists()


def test_an_analyst_source_with_the_same_url_is_reused_not_duplicated():
    day = dt.date(2026, 3, 10)
    profile = {"schema_version": 1, "vendor": {"id": "v", "name": "V"}, "profile_date": "2026-01-01",
               "sources": [{"id": "mine", "url": "https://hf.example/a/M-1-7B"}, {"id": "hf-x", "url": "https://o"}]}
    fragment = {"sources": [{"id": "hf-x", "url": "https://hf.example/a/M-1-7B",
                             MARK: {"source": "huggingface", "target": "a"}},
                            {"id": "hf-x2", "url": "https://hf.example/a",
                             MARK: {"source": "huggingface", "target": "a"}}],
                "open_source": {"releases": [{"name": "M-1", "sources": ["hf-x"],
                                              MARK: {"source": "huggingface", "target": "a"}}],
                                "adoption": {"downloads": 1, "sources": ["hf-x2"],
                                             MARK: {"source": "huggingface", "target": "a"}}}}
    merged, report = merge(profile, fragment, collector="huggingface", target="a", day=day, summary="s")
    assert [s["id"] for s in merged["sources"]] == ["mine", "hf-x", "hf-x2"]
    assert merged["sources"][1] == {"id": "hf-x", "url": "https://o"}  # the analyst's, untouched
    assert merged["open_source"]["releases"][0]["sources"] == ["mine"]
    assert validate(merged, None, "x") == []
    assert profile["sources"][0] == {"id": "mine", "url": "https://hf.example/a/M-1-7B"}  # input not mutated


@pytest.mark.parametrize(("a", "b", "agree"), [("2025-01", "2025-01-10", True), ("2025", "2025-06-01", True),
                                              ("2025-02", "2025-01-10", False), ("2025-01-10", "2025-01-11", False)])
def test_partial_dates_agree_when_one_contains_the_other(a, b, agree):
    assert dates_agree(a, b) is agree and dates_agree(b, a) is agree
