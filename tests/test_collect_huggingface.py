"""vendordd collect huggingface against a local fake Hub: the real huggingface_hub code path, offline."""

from __future__ import annotations

import json

import pytest
import yaml
from click.testing import CliRunner

from vendordd.cli import cli
from vendordd.collect import MARK, CollectError, CollectRequest
from vendordd.collect.families import family_of
from vendordd.collect.huggingface import collect, releases_of
from vendordd.collect.licences import hub_licence
from vendordd.collect.profiles import validate

from .fake_hub import FakeHub, fictional_author, loopback_only, model, point_hub_client_at

DAY = "2026-03-10"


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
        assert not refused, f"a request left the machine: {refused}"


def _run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def _request(target: str = "northwind-ai"):
    import datetime as dt

    return CollectRequest(target=target, vendor_id="northwind-ai", day=dt.date.fromisoformat(DAY))


def test_thirty_models_in_five_families_make_a_valid_profile_with_five_releases(hub, tmp_path):
    hub.state.page_size = 7  # five pages: the client must follow the Link header
    out = tmp_path / "northwind.yaml"
    res = _run("collect", "huggingface", "northwind-ai", "--vendor", "northwind-ai", "--name", "Northwind AI",
               "-o", str(out), "--date", DAY)
    assert res.exit_code == 0, res.output
    profile = yaml.safe_load(out.read_text())
    assert validate(profile, None, str(out)) == []
    releases = {r["name"]: r for r in profile["open_source"]["releases"]}
    assert set(releases) == {"Nimbus-1", "Nimbus-1.5", "Nimbus-Coder", "Stratus-v2", "Cirrus-Embed"}
    assert releases["Nimbus-1"] | {"notes": None, MARK: None} == {
        "name": "Nimbus-1", "date": "2025-01-10", "availability": "open_weights", "license": "Apache-2.0",
        "sources": ["hf-northwind-ai-Nimbus-1-1B"], "notes": None, MARK: None}
    assert releases["Nimbus-1"][MARK]["repository_count"] == 8  # sizes, instruct and the two quantisations
    assert releases["Nimbus-1.5"]["license"] == "MIT"
    assert releases["Stratus-v2"]["availability"] == "gated_weights"
    assert releases["Stratus-v2"]["license"] == "LicenseRef-northwind-community"
    assert releases["Cirrus-Embed"]["license"] == "CC-BY-NC-4.0"
    assert releases["Cirrus-Embed"]["date"] == "2026-02-01"
    sources = {s["id"]: s for s in profile["sources"]}
    for rel in releases.values():
        (sid,) = rel["sources"]
        assert sources[sid]["url"].startswith(hub.url + "/northwind-ai/")
        assert sources[sid]["accessed"] == DAY and sources[sid]["kind"] == "primary"
        assert sources[sid][MARK]["source"] == "huggingface" and sources[sid][MARK]["date"] == DAY
        assert rel[MARK]["target"] == "northwind-ai"
    adoption = profile["open_source"]["adoption"]
    expected_downloads = sum(m["downloadsAllTime"] for m in fictional_author())
    assert adoption["downloads"] == expected_downloads
    assert adoption["derivative_models"] == 3 * 3 + 3 * 5
    assert adoption["as_of"] == DAY
    assert "vendordd collect huggingface northwind-ai, 2026-03-10" in profile["open_source"]["notes"]
    pages = [r for r in hub.state.requests if r.startswith("/api/models?")]
    assert len(pages) == 5 and "cursor=7" in pages[1]
    assert "childrenModelCount" not in pages[0]  # the listing refuses it; asked per repository
    assert hub.state.model_requests == 30
    # the written profile is one vendordd validate accepts, and never says "closed"
    assert _run("validate", str(out)).exit_code == 0
    assert "closed" not in out.read_text() and "api_only" not in out.read_text()


def test_without_output_the_profile_goes_to_stdout_and_nothing_is_written(hub, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    res = _run("collect", "huggingface", "northwind-ai", "--vendor", "northwind-ai", "--date", DAY)
    assert res.exit_code == 0
    assert yaml.safe_load(res.stdout)["vendor"]["id"] == "northwind-ai"
    assert not [p for p in tmp_path.iterdir() if p.name != "hf-home"]


def test_gated_missing_and_non_spdx_licences(hub):
    a = "edge-lab"
    hub.state.models = [
        model(f"{a}/Gate-1-8B", "2025-03-01", gated="auto", licence="llama3.1"),
        model(f"{a}/Gate-1-8B-Instruct", "2025-03-02", gated="manual", licence="llama3.1"),
        model(f"{a}/Bare-2-1B", "2025-04-01", card=False),  # no card data, no licence tag
        model(f"{a}/Odd-3-3B", "2025-05-01", licence="acme-responsible-ai-v2"),  # not SPDX, not known
        model(f"{a}/Other-4-7B", "2025-06-01", licence="other"),  # custom, unnamed
        model(f"{a}/Mixed-5-7B", "2025-07-01", licence="apache-2.0"),
        model(f"{a}/Mixed-5-70B", "2025-07-02", licence="other", license_name="Mixed Research Licence"),
    ]
    got = collect(_request(a))
    rels = {r["name"]: r for r in got.facts["open_source"]["releases"]}
    assert rels["Gate-1"]["availability"] == "gated_weights"
    assert rels["Gate-1"]["license"] == "LicenseRef-Llama-3.1-Community"
    assert "license" not in rels["Bare-2"] and "no licence stated" in rels["Bare-2"]["notes"]
    assert rels["Odd-3"]["license"] == "LicenseRef-acme-responsible-ai-v2"
    assert "not an SPDX id" in rels["Odd-3"]["notes"]
    assert "license" not in rels["Other-4"] and "other without a name" in rels["Other-4"]["notes"]
    # one family, two licences: two releases, each with its own licence
    assert rels["Mixed-5 (Apache-2.0)"]["license"] == "Apache-2.0"
    assert rels["Mixed-5 (LicenseRef-Mixed-Research-Licence)"]["license"] == "LicenseRef-Mixed-Research-Licence"
    assert all(r["availability"] in ("open_weights", "gated_weights") for r in rels.values())


def test_hundreds_of_variants_are_one_release(hub):
    a = "quant-house"
    models = [model(f"{a}/Big-7-{size}B-Instruct", "2025-09-01") for size in (1, 3, 8, 70)]
    quants = ("GGUF", "AWQ", "GPTQ-Int4", "FP8", "Q4_K_M-GGUF", "MLX-4bit", "bnb-4bit", "Int8")
    for i in range(300):
        base = models[i % 4]["id"]
        models.append(model(f"{base}-{quants[i % len(quants)]}-r{i}", "2025-09-02",
                            tags=[f"base_model:quantized:{base}"]))
    hub.state.models = models
    hub.state.page_size = 100
    got = collect(_request(a))
    (rel,) = got.facts["open_source"]["releases"]
    assert rel["name"] == "Big-7" and rel[MARK]["repository_count"] == 304
    assert len(got.facts["sources"]) == 2  # the release's model page and the author's page


def test_derivatives_can_be_skipped_and_are_skipped_above_the_lookup_limit(hub):
    import dataclasses

    skip = dataclasses.replace(_request(), options={"derivatives": False})
    got = collect(skip)
    assert "derivative_models" not in got.facts["open_source"]["adoption"]
    assert hub.state.model_requests == 0 and any("not counted" in n for n in got.notes)
    capped = collect(dataclasses.replace(_request(), options={"max_derivative_lookups": 29}))
    assert "derivative_models" not in capped.facts["open_source"]["adoption"]
    assert any("more than max_derivative_lookups (29)" in n for n in capped.notes)
    assert hub.state.model_requests == 0


def test_a_failing_model_info_is_retried_then_fails_whole(hub, tmp_path, monkeypatch):
    from vendordd.collect import hub as hub_module

    waits: list[float] = []
    monkeypatch.setattr(hub_module.time, "sleep", waits.append)
    hub.state.fail_model_info = 502
    out = tmp_path / "p.yaml"
    res = _run("collect", "huggingface", "northwind-ai", "--vendor", "northwind-ai", "-o", str(out))
    assert res.exit_code == 2 and "HTTP 502" in res.stderr and not out.exists()
    assert waits == [1, 2, 4, 8]
    assert hub.state.model_requests == 5  # one repository, five attempts: no partial count


def test_a_failing_server_is_one_line_exit_2_and_nothing_written(hub, tmp_path, monkeypatch):
    from huggingface_hub.utils import _http

    waits: list[float] = []
    monkeypatch.setattr(_http.time, "sleep", waits.append)  # the client's back-off, without waiting
    hub.state.fail_status = 503
    out = tmp_path / "p.yaml"
    res = _run("collect", "huggingface", "northwind-ai", "--vendor", "northwind-ai", "-o", str(out))
    assert res.exit_code == 2
    lines = res.stderr.strip().splitlines()
    assert lines[-1].startswith("vendordd: error: the Hugging Face Hub") and "HTTP 503" in lines[-1]
    assert "Traceback" not in res.output
    assert not out.exists()
    assert waits == [1, 2, 4, 8, 8]  # retried with exponential back-off before giving up


def test_failing_on_the_third_page_writes_nothing(hub, tmp_path, monkeypatch):
    from huggingface_hub.utils import _http

    monkeypatch.setattr(_http.time, "sleep", lambda s: None)
    hub.state.page_size, hub.state.fail_after_pages, hub.state.fail_status = 7, 2, 500
    out = tmp_path / "p.yaml"
    res = _run("collect", "huggingface", "northwind-ai", "--vendor", "northwind-ai", "-o", str(out))
    assert res.exit_code == 2 and not out.exists()


def test_rate_limited_says_so(hub, monkeypatch):
    from huggingface_hub.utils import _http

    monkeypatch.setattr(_http.time, "sleep", lambda s: None)
    hub.state.fail_status, hub.state.retry_after = 429, "1"
    with pytest.raises(CollectError, match="rate-limiting"):
        collect(_request())


def test_offline_is_one_clear_line(monkeypatch, tmp_path):
    import socket

    from huggingface_hub.utils import _http

    loopback_only(monkeypatch)
    monkeypatch.setattr(_http.time, "sleep", lambda s: None)
    with socket.socket() as s:  # a port with nothing listening
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    point_hub_client_at(monkeypatch, f"http://127.0.0.1:{port}", tmp_path)
    with pytest.raises(CollectError, match="cannot reach the Hugging Face Hub .*offline"):
        collect(_request())


def test_an_unknown_author_is_an_error_not_an_empty_profile(hub):
    with pytest.raises(CollectError, match="lists no public models by 'nobody'"):
        collect(_request("nobody"))


def test_a_bad_author_name_is_refused_before_any_request(hub):
    with pytest.raises(CollectError, match="not a Hugging Face user"):
        collect(_request("../etc"))
    assert hub.state.requests == []


@pytest.mark.parametrize(("repo", "family"), [
    ("Qwen/Qwen2.5-72B-Instruct", "Qwen2.5"), ("Qwen/Qwen2.5-7B-Instruct-GGUF", "Qwen2.5"),
    ("Qwen/Qwen2.5-Coder-7B", "Qwen2.5-Coder"), ("Qwen/Qwen3-30B-A3B-Instruct-2507-FP8", "Qwen3-2507"),
    ("meta-llama/Llama-3.1-8B-Instruct", "Llama-3.1"), ("google/gemma-2-9b-it", "gemma-2"),
    ("mistralai/Mixtral-8x7B-Instruct-v0.1", "Mixtral-v0.1"), ("deepseek-ai/DeepSeek-V3-Base", "DeepSeek-V3"),
    ("x/7B", "7B"),
])
def test_family_names(repo, family):
    assert family_of(repo) == family


@pytest.mark.parametrize(("value", "name", "expected"), [
    ("apache-2.0", None, "Apache-2.0"), ("MIT", None, "MIT"), ("cc-by-nc-4.0", None, "CC-BY-NC-4.0"),
    ("llama3", None, "LicenseRef-Llama-3-Community"), ("gemma", None, "LicenseRef-Gemma-Terms"),
    ("other", "qwen", "LicenseRef-qwen"), ("other", None, None), ("unknown", None, None), (None, None, None),
    ("weird licence!", None, "LicenseRef-weird-licence"),
])
def test_hub_licences(value, name, expected):
    assert hub_licence(value, name)[0] == expected


def test_release_grouping_is_deterministic_and_oldest_first(hub):
    import datetime as dt

    from vendordd.collect.hub import HubModel

    def m(repo, day):
        return HubModel(repo, dt.date.fromisoformat(day), None, "MIT", "spdx", "mit", False, 1, 1, 1, 0)

    got = releases_of([m("a/Z-2-7B", "2025-05-01"), m("a/A-1-7B", "2025-01-01"), m("a/a-1-13b", "2024-12-01")])
    assert [(name, [x.repo_id for x in group]) for name, _family, group in got] == [
        ("a-1", ["a/a-1-13b", "a/A-1-7B"]), ("Z-2", ["a/Z-2-7B"])]


def test_json_output_when_the_file_ends_in_json(hub, tmp_path):
    out = tmp_path / "p.json"
    res = _run("collect", "huggingface", "northwind-ai", "--vendor", "northwind-ai", "-o", str(out), "--date", DAY)
    assert res.exit_code == 0
    assert json.loads(out.read_text())["profile_date"] == DAY


def test_without_the_collect_extra_the_error_says_how_to_install_it(monkeypatch, tmp_path):
    import sys

    monkeypatch.setitem(sys.modules, "huggingface_hub", None)  # as if not installed
    res = _run("collect", "huggingface", "northwind-ai", "--vendor", "northwind-ai", "-o", str(tmp_path / "p.yaml"))
    assert res.exit_code == 2
    assert "pip install 'vendordd[collect]'" in res.stderr and not (tmp_path / "p.yaml").exists()
