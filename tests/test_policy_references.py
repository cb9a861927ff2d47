"""Overrides and clearances that name an unknown vendor or check are warned about, refused under --strict."""

from __future__ import annotations

import json

from click.testing import CliRunner

from vendordd.cli import cli
from vendordd.policy import unknown_references
from vendordd.testing import minimal_profile

OVERRIDE = {"rating": "medium", "reason": "Name match is a different company", "approved_by": "J. Doe",
            "expires": "2030-01-01"}


def test_unknown_ids_are_named_with_the_closest_known_one():
    policy = {"overrides": [{**OVERRIDE, "vendor": "acme", "check": "geopolitical_exposur"},
                            {**OVERRIDE, "vendor": "acme-ai", "check": "geopolitical_exposure"}],
              "screening": {"clearances": [{"vendor": "zzz"}]}}
    out = unknown_references(policy, ["geopolitical_exposure", "compute_capacity"], ["acme-ai"])
    assert out == [
        "policy /overrides/0: vendor 'acme' was not assessed in this run, so the override is not applied; "
        "did you mean 'acme-ai'?",
        "policy /overrides/0: check 'geopolitical_exposur' does not exist, so the override is not applied; "
        "did you mean 'geopolitical_exposure'?",
        "policy /screening/clearances/0: vendor 'zzz' was not assessed in this run, so the clearance is not "
        "applied"]


def test_known_ids_give_no_warning():
    policy = {"overrides": [{**OVERRIDE, "vendor": "acme-ai", "check": "geopolitical_exposure"}]}
    assert unknown_references(policy, ["geopolitical_exposure"], ["acme-ai"]) == []


def test_run_warns_and_strict_refuses(tmp_path):
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "acme.json").write_text(json.dumps(minimal_profile("acme-ai")), encoding="utf-8")
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps({"policy_version": 1, "overrides": [
        {**OVERRIDE, "vendor": "acme-ai", "check": "leadership_turnovr"}]}), encoding="utf-8")
    out = tmp_path / "r.json"
    args = ["run", str(folder), "--policy", str(policy), "--as-of", "2026-06-01", "--json", str(out)]
    relaxed = CliRunner().invoke(cli, args)
    assert relaxed.exit_code == 0
    assert any("did you mean 'leadership_turnover'" in w for w in json.loads(out.read_text())["warnings"])
    strict = CliRunner().invoke(cli, [*args, "--strict"])
    assert strict.exit_code == 2 and "leadership_turnovr" in strict.stderr
