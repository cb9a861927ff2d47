"""The example profiles are faithful to the fact base: every source is traceable, every capability sourced."""

from __future__ import annotations

import csv
import re

import pytest
import yaml

from .conftest import EXAMPLES

FACTS = EXAMPLES / "facts"
PROFILES = sorted((EXAMPLES / "profiles").glob("*.yaml"))


def fact_base_urls() -> set[str]:
    urls: set[str] = set()
    for path in sorted(FACTS.glob("*.tsv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                if row["source_url"].startswith(("http://", "https://")):
                    urls.add(row["source_url"].strip())
    return urls


def listed_urls() -> dict[str, str]:
    """URL -> reason, from the table in examples/SOURCES.md."""
    text = (EXAMPLES / "SOURCES.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (https?://\S+) \| ([^|]+) \| ([^|]+) \|$", text, re.M)
    return {url: why.strip() for url, _profile, why in rows}


def test_the_fact_base_copy_is_there():
    assert {p.name for p in FACTS.glob("*.tsv")} == {
        "ai-vendors.tsv", "ai-vendors-additions.tsv", "api-lifecycle.tsv"}
    assert len(fact_base_urls()) > 250


@pytest.mark.parametrize("path", PROFILES, ids=lambda p: p.stem)
def test_every_source_url_is_in_the_fact_base_or_listed_with_a_reason(path):
    known, listed = fact_base_urls(), listed_urls()
    profile = yaml.safe_load(path.read_text(encoding="utf-8"))
    strays = [s["url"] for s in profile.get("sources", ())
              if s["url"] not in known and not listed.get(s["url"])]
    assert strays == [], f"{path.name}: add to examples/SOURCES.md with why, or use a fact-base source"


def test_sources_md_lists_only_urls_a_profile_cites_and_not_in_the_fact_base():
    cited = {s["url"] for path in PROFILES
             for s in yaml.safe_load(path.read_text(encoding="utf-8")).get("sources", ())}
    listed = listed_urls()
    assert listed, "the table in examples/SOURCES.md did not parse"
    assert set(listed) <= cited
    assert not set(listed) & fact_base_urls()
    assert all(len(why) > 40 for why in listed.values())


def cited_ids(node, texts: list[str]) -> set[str]:
    """Source ids cited in lists under a ``*sources`` key; the free texts are collected too."""
    out: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key.endswith("sources") and isinstance(value, list):
                out.update(v for v in value if isinstance(v, str))
            elif key == "capability_sources" and isinstance(value, dict):
                out.update(sid for ids in value.values() for sid in ids)
            else:
                out |= cited_ids(value, texts)
    elif isinstance(node, list):
        for item in node:
            out |= cited_ids(item, texts)
    elif isinstance(node, str):
        texts.append(node)
    return out


@pytest.mark.parametrize("path", PROFILES, ids=lambda p: p.stem)
def test_every_capability_cites_a_source_and_every_source_is_used(path):
    profile = yaml.safe_load(path.read_text(encoding="utf-8"))
    vendor = profile["vendor"]
    by_capability = vendor.get("capability_sources") or {}
    assert set(vendor.get("capabilities", ())) == set(by_capability), path.name
    assert all(by_capability.values()), path.name
    defined = {s["id"] for s in profile["sources"]}
    texts: list[str] = []
    cited = cited_ids({k: v for k, v in profile.items() if k != "sources"}, texts)
    assert cited <= defined, path.name
    mentioned = {sid for sid in defined - cited
                 if any(re.search(rf"\b{re.escape(sid)}\b", text) for text in texts)}
    assert defined - cited - mentioned == set(), f"{path.name}: sources never cited"


@pytest.mark.parametrize("path", PROFILES, ids=lambda p: p.stem)
def test_no_profile_points_outside_the_project(path):
    assert "/work/" not in path.read_text(encoding="utf-8")
