"""What `vendordd run` tells the user on the console: the outputs written, the tally, --fail-on names."""

from __future__ import annotations

import json
import re

from click.testing import CliRunner

from vendordd.cli import cli


def _run(examples, tmp_path, *extra: str):
    return CliRunner().invoke(cli, ["run", str(examples / "profiles"), "--policy",
                                    str(examples / "policy-us-buyer.yaml"), "--as-of", "2026-11-29", *extra])


def test_run_prints_each_output_written_and_a_tally(examples, tmp_path):
    out, data = tmp_path / "s.xlsx", tmp_path / "r.json"
    result = _run(examples, tmp_path, "-o", str(out), "--json", str(data))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:2] == [f"wrote {out}", f"wrote {data}"]
    vendors = json.loads(data.read_text(encoding="utf-8"))["vendors"]
    assert re.fullmatch(rf"{len(vendors)} vendors: \d+ \w[\w ]*(, \d+ \w[\w ]*)*", lines[2]), lines[2]
    counts = sum(int(n) for n in re.findall(r"(\d+) [a-z]", lines[2].split(": ", 1)[1]))
    assert counts == len(vendors)


def test_json_on_stdout_stays_json(examples, tmp_path):
    result = _run(examples, tmp_path, "--json", "-")
    assert result.exit_code == 0
    json.loads(result.stdout)  # the tally went to stderr
    assert "vendors:" in result.stderr


def test_fail_on_names_each_vendor_at_or_above_the_level(examples, tmp_path):
    data = tmp_path / "r.json"
    result = _run(examples, tmp_path, "--json", str(data), "--fail-on", "high")
    vendors = json.loads(data.read_text(encoding="utf-8"))["vendors"]
    flagged = [v for v in vendors if v["overall"]["tier"] in ("high", "critical")]
    assert flagged and result.exit_code == 1
    named = [line for line in result.stderr.splitlines() if "at or above --fail-on high" in line]
    assert len(named) == len(flagged)
    for vendor in flagged:
        assert any(f"({vendor['id']}) is rated {vendor['overall']['tier']}" in line for line in named)
