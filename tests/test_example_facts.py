"""The specialist's items of issue 17 stay fixed: each fact entered as what it is."""

from __future__ import annotations

import pytest
import yaml

from .conftest import EXAMPLES


@pytest.fixture(scope="module")
def profiles() -> dict[str, dict]:
    return {p.stem: yaml.safe_load(p.read_text(encoding="utf-8"))
            for p in (EXAMPLES / "profiles").glob("*.yaml")}


def _release(profile: dict, prefix: str) -> dict:
    return next(r for r in profile["open_source"]["releases"] if r["name"].startswith(prefix))


def test_a_report_is_not_a_release(profiles):
    avocado = _release(profiles["meta-llama"], "Avocado")
    assert (avocado["status"], avocado["certainty"]) == ("reported_plan", "reported")


@pytest.mark.parametrize("vendor, accelerator, basis", [
    ("meta-llama", "H100", "target"), ("deepseek", "H800", "training_cluster"),
    ("microsoft", "H100", "training_cluster"), ("openai", "GB200 Superchip", "commitment"),
    ("mistral-ai", "GB300", "fleet"), ("mistral-ai", "H200", "training_cluster")])
def test_capacity_figures_carry_their_basis(profiles, vendor, accelerator, basis):
    entry = next(a for a in profiles[vendor]["compute"]["accelerators"] if a["type"] == accelerator)
    assert entry["basis"] == basis


def test_mistral_counts_the_delivered_gb300s_not_the_announcement(profiles):
    types = [a["type"] for a in profiles["mistral-ai"]["compute"]["accelerators"]]
    assert "Grace Blackwell" not in types
    assert next(a for a in profiles["mistral-ai"]["compute"]["accelerators"]
                if a["type"] == "GB300")["count"] == 13800


def test_openai_commitments_are_not_a_years_capex(profiles):
    capex = {c["amount_usd"]: c for c in profiles["openai"]["compute"]["capex_commitments"]}
    assert capex[250_000_000_000]["basis"] == "purchase_commitment"
    assert "period_years" not in capex[250_000_000_000]
    assert capex[500_000_000_000]["basis"] == "plan"


def test_restrictions_carry_their_measure(profiles):
    deepseek = profiles["deepseek"]["geopolitics"]["government_restrictions"]
    assert next(r for r in deepseek if r["jurisdiction"] == "DE")["measure"] == "delisting_request"
    assert next(r for r in deepseek if r["jurisdiction"] == "IT")["measure"] == "regulator_order"
    assert all("measure" in r for r in deepseek)
    openai = profiles["openai"]["geopolitics"]["government_restrictions"]
    assert [(r["jurisdiction"], r["measure"]) for r in openai] == [("IN", "advisory")]


def test_qwen_roster_and_uncertain_departure(profiles):
    people = {p["name"]: p for p in profiles["alibaba-qwen"]["leadership"]["key_people"]}
    assert not {"Eddie Wu Yongming", "Joe Tsai"} & set(people)
    assert people["Li Kaixin"]["certainty"] == "reported"
    [commitment] = profiles["alibaba-qwen"]["open_source"]["commitments"]
    assert "date" not in commitment


def test_no_key_person_rests_on_the_ai_generated_encyclopaedia(profiles):
    anthropic = profiles["anthropic"]
    weak = {"grokipedia-india"}
    assert all(not set(p["sources"]) <= weak for p in anthropic["leadership"]["key_people"])
    assert all(e.get("certainty") == "reported" for e in anthropic["leadership"]["events"]
               if set(e["sources"]) <= weak)


@pytest.mark.parametrize("vendor, minimum", [("openai", 10), ("anthropic", 13), ("google-deepmind", 5),
                                             ("mistral-ai", 4)])
def test_closed_flagships_are_entered_with_dates(profiles, vendor, minimum):
    closed = [r for r in profiles[vendor]["open_source"]["releases"]
              if r.get("availability") in ("api_only", "closed") and r.get("flagship")]
    assert len(closed) >= minimum
    assert all(r.get("date") for r in closed)


def test_gemma_4_and_gemini_are_dated(profiles):
    gemma4 = _release(profiles["google-deepmind"], "Gemma 4")
    assert (gemma4["date"], gemma4["license"], gemma4["certainty"]) == ("2026-04-02", "Apache-2.0",
                                                                         "reported")
    gemini = [r for r in profiles["google-deepmind"]["open_source"]["releases"]
              if r["name"].startswith("Gemini")]
    assert gemini and all(r.get("date") for r in gemini)


def test_mistral_medium_3x_is_dated(profiles):
    medium3 = next(r for r in profiles["mistral-ai"]["open_source"]["releases"]
                   if r["name"] == "Mistral Medium 3")
    assert (medium3["date"], medium3["availability"]) == ("2025-05-07", "api_only")
    assert _release(profiles["mistral-ai"], "Mistral Medium 3.1")["date"] == "2025-08"


@pytest.mark.parametrize("vendor", ["zhipu-ai", "moonshot-ai"])
def test_tencent_is_an_investor_on_the_1260h_list(profiles, vendor):
    tencent = next(s for s in profiles[vendor]["geopolitics"]["ownership"]["major_shareholders"]
                   if s["name"] == "Tencent")
    assert tencent["listed_on"] == ["US-DOD-1260H"]


def test_embeddings_are_declared_where_the_vendor_sells_them(profiles):
    assert {vid for vid, p in profiles.items() if "embeddings" in p["vendor"]["capabilities"]} == {
        "openai", "google-deepmind", "mistral-ai"}
