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


QWEN_LIKE = {
    "schema_version": 1, "vendor": {"id": "qwen-like", "name": "Qwen-like"}, "profile_date": "2026-03-04",
    "sources": [{"id": "s1", "url": "https://example.org/qwen"}],
    "open_source": {"releases": [
        {"name": "Qwen2 (sizes below 72B)", "date": "2024-06-06", "availability": "open_weights",
         "license": "Apache-2.0", "sources": ["s1"]},
        {"name": "Qwen2-72B", "date": "2024-06-06", "availability": "open_weights",
         "license": "LicenseRef-Tongyi-Qianwen", "sources": ["s1"]},
        {"name": "Qwen2.5-7B-Instruct", "date": "2024-09-19", "availability": "open_weights",
         "license": "Apache-2.0", "sources": ["s1"]},
        {"name": "Qwen3 (dense 0.6B-32B; MoE 30B-A3B and 235B-A22B)", "date": "2025-04-29",
         "availability": "open_weights", "license": "Apache-2.0", "sources": ["s1"]},
        {"name": "Qwen3-2507 updates", "date": "2025-07", "availability": "open_weights",
         "license": "Apache-2.0", "sources": ["s1"]},
        {"name": "Qwen3.5 small models (0.8B, 2B, 4B, 9B)", "date": "2026-03-02",
         "availability": "open_weights", "sources": ["s1"]},
    ]},
}


def test_analyst_release_names_as_written_in_practice_are_matched_not_duplicated(hub, tmp_path):
    from .fake_hub import model

    q = "Qwen"
    hub.state.models = [
        model(f"{q}/Qwen2-7B", "2024-06-05"), model(f"{q}/Qwen2-7B-Instruct", "2024-06-05"),
        model(f"{q}/Qwen2-72B", "2024-06-05", licence="other", license_name="tongyi-qianwen"),
        model(f"{q}/Qwen2.5-7B-Instruct", "2024-09-16"),
        model(f"{q}/Qwen2.5-3B-Instruct", "2024-09-16", licence="other", license_name="qwen-research"),
        model(f"{q}/Qwen3-8B", "2025-04-27"), model(f"{q}/Qwen3-30B-A3B", "2025-04-27"),
        model(f"{q}/Qwen3-235B-A22B-Instruct-2507", "2025-07-21"),
        model(f"{q}/Qwen3.5-2B", "2026-03-01"), model(f"{q}/Qwen3.5-9B", "2026-03-01"),
    ]
    src = _write(tmp_path / "q.yaml", QWEN_LIKE)
    out = tmp_path / "q2.yaml"
    res = _run("collect", "huggingface", q, "--vendor", "qwen-like", "--profile", str(src), "-o", str(out),
               "--date", DAY)
    assert res.exit_code == 0, res.output
    merged = yaml.safe_load(out.read_text())
    rels = merged["open_source"]["releases"]
    assert rels[:6] == QWEN_LIKE["open_source"]["releases"]
    # only the part the analyst did not record is added: Qwen2.5 under its research licence
    assert [r["name"] for r in rels[6:]] == ["Qwen2.5 (LicenseRef-qwen-research)"]
    # with the one source it cites: the matched releases' pages would be cited by nothing
    assert [s["id"] for s in merged["sources"]] == ["s1", "hf-Qwen-Qwen2.5-3B-Instruct", "hf-Qwen-models"]
    conflicts = [ln for ln in res.stderr.splitlines() if ln.startswith("vendordd: conflict:")]
    # LicenseRef-tongyi-qianwen (the Hub) is LicenseRef-Tongyi-Qianwen: SPDX ids ignore case
    assert not [c for c in conflicts if "/license" in c], conflicts
    # Qwen3.5's licence is missing in the profile: the Hub's is not added into the analyst's fact
    assert "license" not in rels[5]


@pytest.mark.parametrize(("name", "family"), [
    ("Qwen3 (dense 0.6B-32B; MoE 30B-A3B and 235B-A22B)", "Qwen3"), ("Qwen3-2507 updates", "Qwen3-2507"),
    ("Qwen3.5 small models (0.8B, 2B, 4B, 9B)", "Qwen3.5"), ("Qwen2 (sizes below 72B)", "Qwen2"),
    ("Llama 3.1 405B", "Llama-3.1"), ("DeepSeek-V3", "DeepSeek-V3"),
])
def test_release_family_of_analyst_names(name, family):
    from vendordd.collect.families import release_family

    assert release_family(name) == family


COMMENTED = """\
# Northwind AI: compiled by J. Analyst for the 2026 review.
schema_version: 1
vendor:
  id: northwind-ai
  name: Northwind AI   # trading name
  headquarters: GB
profile_date: 2025-11-01
sources:
  - {id: s1, url: "https://northwind.example/blog/nimbus-1", kind: primary, published: 2025-01-10}
open_source:
  releases:
    # The first family; the licence changed in 2025 (see s1).
    - name: Nimbus-1
      date: 2025-01
      availability: open_weights
      license: MIT
      sources: [s1]
"""


def test_comments_and_layout_of_a_yaml_profile_are_kept(hub, tmp_path):
    from vendordd.loader import load_file

    src = tmp_path / "n.yaml"
    src.write_text(COMMENTED, encoding="utf-8")
    dry = _run("collect", "huggingface", "northwind-ai", "--vendor", "northwind-ai", "--profile", str(src),
               "--dry-run", "--date", DAY)
    assert dry.exit_code == 0, dry.output
    removed = [ln for ln in dry.stdout.splitlines() if ln.startswith("-") and not ln.startswith("---")]
    assert removed == [], removed  # a true file diff: nothing of the analyst's text goes
    out = tmp_path / "n2.yaml"
    res = _run("collect", "huggingface", "northwind-ai", "--vendor", "northwind-ai", "--profile", str(src),
               "-o", str(out), "--date", DAY)
    assert res.exit_code == 0, res.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith(COMMENTED.split("sources:")[0])  # header comment, inline comment, layout
    assert "    # The first family; the licence changed in 2025 (see s1)." in text
    assert '  - {id: s1, url: "https://northwind.example/blog/nimbus-1", kind: primary, published: 2025-01-10}' in text
    merged = load_file(out).data
    assert validate(merged, None, str(out)) == []
    assert [r["name"] for r in merged["open_source"]["releases"]][:1] == ["Nimbus-1"]
    assert len(merged["open_source"]["releases"]) == 5 and "warning" not in res.stderr


def test_without_ruamel_the_yaml_is_rewritten_with_a_warning(hub, tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "ruamel.yaml", None)
    src = tmp_path / "n.yaml"
    src.write_text(COMMENTED, encoding="utf-8")
    out = tmp_path / "n2.yaml"
    res = _run("collect", "huggingface", "northwind-ai", "--vendor", "northwind-ai", "--profile", str(src),
               "-o", str(out), "--date", DAY)
    assert res.exit_code == 0 and "could not be kept" in res.stderr
    assert "# Northwind AI" not in out.read_text() and yaml.safe_load(out.read_text())["vendor"]["id"] == "northwind-ai"
