"""A collected profile through `vendordd run`: the Evidence sheet and the JSON say what was collected."""

from __future__ import annotations

import json

import yaml
from click.testing import CliRunner
from openpyxl import load_workbook

from vendordd.cli import cli
from vendordd.collect import MARK


def test_evidence_origin_column_and_results_mark_collected_sources(tmp_path):
    profile = {
        "schema_version": 1, "vendor": {"id": "v-ai", "name": "V AI"}, "profile_date": "2026-03-01",
        "sources": [
            {"id": "s1", "url": "https://v.example/blog", "kind": "news", "published": "2026-02-01"},
            {"id": "hf-v", "url": "https://huggingface.co/v/M-1-7B", "kind": "primary", "accessed": "2026-03-10",
             MARK: {"source": "huggingface", "date": "2026-03-10", "target": "v"}},
        ],
        "open_source": {"releases": [
            {"name": "M-1", "date": "2025-06-01", "availability": "open_weights", "license": "MIT",
             "sources": ["hf-v"], MARK: {"source": "huggingface", "date": "2026-03-10", "target": "v"}},
            {"name": "M-0", "date": "2024-06-01", "availability": "open_weights", "license": "MIT",
             "sources": ["s1"]}]},
    }
    src = tmp_path / "v.yaml"
    src.write_text(yaml.safe_dump(profile, sort_keys=False))
    xlsx, out = tmp_path / "s.xlsx", tmp_path / "r.json"
    res = CliRunner().invoke(cli, ["run", str(src), "-o", str(xlsx), "--json", str(out), "--as-of", "2026-03-15"])
    assert res.exit_code == 0, res.output
    sources = {s["id"]: s for s in json.loads(out.read_text())["vendors"][0]["sources"]}
    assert sources["hf-v"]["collected"] == {"source": "huggingface", "date": "2026-03-10"}
    assert sources["s1"]["collected"] is None
    sheet = load_workbook(xlsx, read_only=True)["Evidence"]
    rows = list(sheet.iter_rows(values_only=True))
    origin = rows[0].index("Origin")
    by_id = {r[rows[0].index("Source id")]: r[origin] for r in rows[1:]}
    assert by_id == {"hf-v": "Collected (huggingface, 2026-03-10)", "s1": "Entered"}
