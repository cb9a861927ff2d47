"""Property-based tests (hypothesis): whatever the profiles and policy, the run never crashes.

For generated *valid* profiles and policies the run assesses every vendor;
for generated *invalid* ones it reports an input error naming the file.
Either way: no exception other than the documented InputError (bad
policy), scores within 0-100, confidences within 0-1, missing evidence never
a score, and a JSON results document that is valid JSON (no NaN, no
Infinity, UTF-8 encodable) and validates against schemas/results.schema.json.

One host (the built-in checks) is shared by every example, as one run
shares it among its vendors.
"""

from __future__ import annotations

import copy
import json
import string
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from vendordd.host import Host
from vendordd.loader import InputError
from vendordd.pipeline import assess
from vendordd.scorecard import write_scorecard
from vendordd.validation import compile_validator, load_schema

HOST = Host().load()
CHECK_IDS = sorted(HOST.checks())
RESULTS_VALIDATOR = compile_validator(load_schema("results"))
AS_OF = "2026-06-01"
FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

COUNTRIES = ["US", "CN", "FR", "GB", "DE", "SG", "AE", "IT", "JP", "RU"]
JURISDICTIONS = [*COUNTRIES, "EU", "US-TX", "CN-BJ"]
LISTS = ["US-BIS-ENTITY", "US-OFAC-SDN", "EU-CONSOLIDATED", "UK-OFSI"]
LICENSES = ["Apache-2.0", "MIT", "GPL-3.0-only", "CC-BY-NC-4.0", "LicenseRef-Llama-3-Community",
            "LicenseRef-Custom.1", "BSD-3-Clause"]
CHIPS = ["H100", "H800", "A100", "B200", "H20", "TPU v5p", "Ascend 910B", "MI300X"]

# --------------------------------------------------------------------------- valid profiles

names = st.text(min_size=1, max_size=40)
texts = st.text(max_size=80)
counts = st.integers(min_value=0, max_value=10**12)
pcts = st.floats(min_value=0, max_value=100, allow_nan=False)
dates = st.builds(
    lambda d, month_only: d.isoformat()[:7] if month_only else d.isoformat(),
    st.dates(min_value=__import__("datetime").date(2000, 1, 1),
             max_value=__import__("datetime").date(2030, 12, 31)),
    st.booleans())


def _optional(**fields):
    """A fixed_dictionaries strategy where every field is optional."""
    return st.fixed_dictionaries({}, optional=fields)


@st.composite
def profiles(draw, vendor_id: str | None = None):
    """A profile the schema accepts, citing only defined sources."""
    n_sources = draw(st.integers(0, 4))
    ids = [f"s{i}" for i in range(n_sources)]
    refs = st.lists(st.sampled_from(ids), unique=True, max_size=3) if ids else st.just([])

    def cited(**fields):
        return _optional(sources=refs, **fields)

    person = st.builds(lambda req, opt: {**req, **opt}, st.fixed_dictionaries({"name": names}), cited(
        role=names, area=st.sampled_from(["executive", "research", "pre_training", "post_training",
                                          "multimodal", "code", "infrastructure", "safety", "product"]),
        seniority=st.sampled_from(["c_level", "lead", "senior"]), joined=dates, left=dates,
        destination=names, notes=texts))
    event = st.builds(lambda req, opt: {**req, **opt}, st.fixed_dictionaries({
        "date": dates, "type": st.sampled_from(["restructuring", "departure_wave", "appointment", "layoff",
                                                "acquisition", "leadership_change"])}), cited(summary=texts))
    release = st.builds(lambda req, opt: {**req, **opt}, st.fixed_dictionaries({"name": names}), cited(
        date=dates, availability=st.sampled_from(["open_weights", "gated_weights", "api_only", "closed"]),
        license=st.sampled_from(LICENSES), flagship=st.booleans(),
        restrictions=st.lists(st.sampled_from(["mau_cap", "acceptable_use", "non_commercial",
                                               "naming_attribution", "field_of_use",
                                               "no_training_other_models"]), unique=True, max_size=3),
        artifacts=_optional(weights=st.booleans(), inference_code=st.booleans(), training_code=st.booleans(),
                            training_data=st.booleans(), technical_report=st.booleans(),
                            evaluation_code=st.booleans(), model_card=st.booleans())))
    accelerator = st.builds(lambda req, opt: {**req, **opt},
                            st.fixed_dictionaries({"type": st.one_of(st.sampled_from(CHIPS),
                                                                     st.text(min_size=1, max_size=30))}),
                            cited(count=counts, owned=st.booleans(), as_of=dates))
    capex = st.builds(lambda req, opt: {**req, **opt},
                      st.fixed_dictionaries({"amount_usd": st.floats(0, 1e15, allow_nan=False)}),
                      cited(period_years=st.floats(0, 100, exclude_min=True), announced=dates))
    sanction = st.builds(lambda req, opt: {**req, **opt}, st.fixed_dictionaries({
        "list": st.sampled_from(LISTS),
        "status": st.sampled_from(["listed", "delisted", "proposed", "not_listed"])}),
        cited(since=dates, entity=names))
    sections = _optional(
        leadership=_optional(key_people=st.lists(person, max_size=6), events=st.lists(event, max_size=3)),
        open_source=_optional(releases=st.lists(release, max_size=5),
                              adoption=cited(downloads=counts, derivative_models=counts, as_of=dates),
                              commitments=st.lists(st.builds(lambda s, o: {"statement": s, **o}, texts,
                                                             cited(date=dates)), max_size=2)),
        compute=_optional(accelerators=st.lists(accelerator, max_size=4),
                          h100_equivalents=st.floats(0, 1e12, allow_nan=False),
                          largest_training_run_flop=st.floats(0, 1e30, exclude_min=True),
                          capex_commitments=st.lists(capex, max_size=3),
                          supply_constraints=st.lists(st.builds(
                              lambda t, o: {"type": t, **o},
                              st.sampled_from(["export_control", "single_supplier", "energy", "other"]),
                              cited(date=dates, summary=texts)), max_size=2)),
        geopolitics=_optional(
            jurisdictions=st.lists(st.sampled_from(JURISDICTIONS), unique=True, max_size=4),
            data_residency=st.lists(st.builds(lambda r, o: {"region": r, **o},
                                              st.sampled_from(["EU", "US", "APAC", "GB"]),
                                              cited(available=st.booleans())), max_size=3),
            ownership=cited(state_owned_pct=pcts, state_linked=st.booleans(), as_of=dates,
                            major_shareholders=st.lists(st.builds(
                                lambda n, o: {"name": n, **o}, names,
                                _optional(country=st.sampled_from(COUNTRIES), pct=pcts)), max_size=3)),
            sanctions=st.lists(sanction, max_size=3),
            government_restrictions=st.lists(st.builds(
                lambda j, o: {"jurisdiction": j, **o}, st.sampled_from(JURISDICTIONS),
                cited(scope=texts, date=dates)), max_size=2)),
    )
    vid = vendor_id or draw(st.from_regex(r"[a-z0-9][a-z0-9-]{0,20}", fullmatch=True))
    vendor = {"id": vid, "name": draw(names),
              **draw(_optional(headquarters=st.sampled_from(COUNTRIES), legal_name=names,
                               capabilities=st.lists(st.sampled_from(["chat", "code", "vision"]), unique=True),
                               website=st.just("https://example.com/")))}
    sources = [{"id": sid, "url": f"https://example.com/{sid}",
                **draw(_optional(title=texts, kind=st.sampled_from(["primary", "news", "analyst",
                                                                    "self_reported"]),
                                 published=dates, publisher=names))} for sid in ids]
    return {"schema_version": 1, "vendor": vendor, "profile_date": draw(dates), "sources": sources,
            **draw(sections)}


# --------------------------------------------------------------------------- policies

@st.composite
def policies(draw, vendor_ids: list[str]):
    """A policy the schema accepts (bands ordered, overrides well formed)."""
    bands = sorted(draw(st.lists(st.integers(0, 100), min_size=3, max_size=3, unique=True)), reverse=True)
    override = st.builds(
        lambda vendor, check, change, reason, by, expires: {"vendor": vendor, "check": check, **change,
                                                            "reason": reason, "approved_by": by,
                                                            "expires": expires},
        st.sampled_from(vendor_ids), st.sampled_from(CHECK_IDS),
        st.one_of(st.fixed_dictionaries({"score": st.one_of(st.none(), st.floats(0, 100))}),
                  st.fixed_dictionaries({"rating": st.sampled_from(["low", "medium", "high", "critical"])}),
                  st.fixed_dictionaries({"score": st.floats(0, 100),
                                         "rating": st.sampled_from(["low", "critical"])})),
        st.text(min_size=10, max_size=40), names,
        st.dates().map(lambda d: d.isoformat()).filter(lambda s: len(s) == 10))
    check_config = _optional(enabled=st.booleans(), weight=st.floats(0, 1000, allow_nan=False))
    policy = {
        "policy_version": 1,
        **draw(_optional(
            name=names,
            buyer=_optional(jurisdictions=st.lists(st.sampled_from(JURISDICTIONS), unique=True, max_size=3),
                            bound_by_lists=st.lists(st.sampled_from(LISTS), unique=True, max_size=2),
                            restricted_jurisdictions=st.lists(st.sampled_from(JURISDICTIONS), unique=True,
                                                              max_size=3),
                            requires_data_residency=st.lists(st.sampled_from(["EU", "US", "APAC"]),
                                                             unique=True, max_size=2)),
            freshness_days=st.integers(1, 36500),
            min_confidence=st.floats(0, 1),
            check_timeout_seconds=st.floats(5, 60),
            missing_data=st.sampled_from(["exclude", "penalise"]),
            missing_data_score=st.floats(0, 100),
            checks=st.dictionaries(st.sampled_from(CHECK_IDS), check_config, max_size=len(CHECK_IDS)),
            gates=st.lists(st.fixed_dictionaries({
                "check": st.sampled_from([*CHECK_IDS, "*"]),
                "rating": st.sampled_from(["low", "medium", "high", "critical"]),
                "tier": st.sampled_from(["low", "medium", "high", "critical"])}), max_size=3),
            overrides=st.lists(override, max_size=3),
            recommendations=_optional(**{tier: st.sampled_from(["approve", "approve_with_conditions",
                                                                "escalate", "reject"])
                                         for tier in ("low", "medium", "high", "critical")}),
        )),
        "bands": {"low": bands[0], "medium": bands[1], "high": bands[2]},
    }
    return policy


# --------------------------------------------------------------------------- invalid inputs

def _set(path: list, value):
    def apply(profile: dict) -> dict:
        out = copy.deepcopy(profile)
        node = out
        for key in path[:-1]:
            node = node.setdefault(key, {})
        node[path[-1]] = value
        return out
    return apply


def _drop(*path: str):
    def apply(profile: dict) -> dict:
        out = copy.deepcopy(profile)
        node = out
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]
        return out
    return apply


MUTATIONS = [
    _drop("schema_version"), _drop("vendor"), _drop("profile_date"), _drop("vendor", "id"), _drop("vendor", "name"),
    _set(["schema_version"], 2), _set(["schema_version"], "1"), _set(["profile_date"], "2026-02-30"),
    _set(["profile_date"], "2026-13"), _set(["profile_date"], 20260101), _set(["vendor", "id"], "Bad Id!"),
    _set(["vendor", "name"], ""), _set(["vendor", "name"], "x" * 201), _set(["vendor", "ceo"], "typo"),
    _set(["leadership"], []), _set(["compute", "h100_equivalents"], -1),
    _set(["compute", "accelerators"], [{"type": "H100", "count": -5}]),
    _set(["open_source", "adoption"], {"downloads": 10**13}),
    _set(["vendor", "website"], "javascript:alert(1)"),
    _set(["sources"], [{"id": "s1", "url": "https://a.example"}, {"id": "s1", "url": "https://b.example"}]),
    _set(["leadership", "events"], [{"date": "2026-01", "type": "layoff", "sources": ["undefined-source"]}]),
    _set(["geopolitics", "jurisdictions"], ["XX"]),
    _set(["unknown_section"], {}),
]


def _write(folder: Path, name: str, content: str | bytes) -> str:
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return str(path)


def check_results(results: dict) -> None:
    """The invariants every results document must satisfy."""
    text = json.dumps(results, allow_nan=False, ensure_ascii=False)  # no NaN / Infinity
    text.encode("utf-8")  # no lone surrogate
    errors = sorted(RESULTS_VALIDATOR.iter_errors(json.loads(text)), key=lambda e: list(e.absolute_path))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:3]]
    ids = [v["id"] for v in results["vendors"]]
    assert ids == sorted(ids)
    for vendor in results["vendors"]:
        overall = vendor["overall"]
        assert overall["score"] is None or 0 <= overall["score"] <= 100
        assert 0 <= overall["confidence"] <= 1
        assert (overall["tier"] is None) == (overall["score"] is None) or overall["gates"]
        for area in vendor["areas"].values():
            assert area is None or 0 <= area <= 100
        for check in vendor["checks"]:
            assert check["score"] is None or 0 <= check["score"] <= 100
            assert 0 <= check["confidence"] <= 1
            if check["status"] != "ok":  # missing evidence, a failure or a skip is never a score
                assert check["score"] is None
            if check["status"] == "error":
                assert check["error"], check
        assert [c["id"] for c in vendor["checks"]] == sorted(c["id"] for c in vendor["checks"])


# --------------------------------------------------------------------------- properties

@FAST
@given(st.lists(profiles(), min_size=1, max_size=3, unique_by=lambda p: p["vendor"]["id"]), st.data())
def test_valid_profiles_and_policies_are_always_scored(profile_list, data):
    policy = data.draw(policies([p["vendor"]["id"] for p in profile_list]))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = [_write(folder, f"p{i}.json", json.dumps(p)) for i, p in enumerate(profile_list)]
        policy_path = _write(folder, "policy.json", json.dumps(policy))
        outcome = assess(paths, policy_path=policy_path, as_of=AS_OF, host=HOST)
    assert outcome.input_problems == [], [str(p) for p in outcome.input_problems]
    assert len(outcome.results["vendors"]) == len(profile_list)
    check_results(outcome.results)
    for vendor in outcome.results["vendors"]:
        assert {c["id"] for c in vendor["checks"]} == set(CHECK_IDS)
        assert not [c for c in vendor["checks"] if c["status"] == "error"]  # built-ins never fail on valid input


@FAST
@given(profiles(), st.sampled_from(MUTATIONS), profiles(vendor_id="good-vendor"))
def test_invalid_profiles_are_reported_and_the_good_ones_still_scored(profile, mutate, good):
    assume(profile["vendor"]["id"] != "good-vendor")
    bad = mutate(profile)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        bad_path = _write(folder, "bad.json", json.dumps(bad))
        good_path = _write(folder, "good.json", json.dumps(good))
        outcome = assess([bad_path, good_path], as_of=AS_OF, host=HOST)
    assert outcome.input_problems, f"accepted: {json.dumps(bad)[:300]}"
    assert {p.file for p in outcome.input_problems} == {bad_path}
    assert all(p.message and "\n" not in str(p) for p in outcome.input_problems)
    assert [v["id"] for v in outcome.results["vendors"]] == ["good-vendor"]
    check_results(outcome.results)


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
                           lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner,
                                                                                        max_size=4),
                           max_leaves=20)


@FAST
@given(st.one_of(json_values.map(lambda v: json.dumps(v)), st.binary(max_size=300),
                 st.text(alphabet=string.printable + "{}[]:-&*!|>'\"#%@`", max_size=200)),
       st.sampled_from(["json", "yaml"]))
@example("?", "yaml")  # found by hypothesis: {None: None} once crashed the validator
@example("1: [a]\n", "yaml")
def test_arbitrary_files_never_crash_the_run(content, suffix):
    with tempfile.TemporaryDirectory() as tmp:
        path = _write(Path(tmp), f"x.{suffix}", content)
        outcome = assess([path], as_of=AS_OF, host=HOST)
    check_results(outcome.results)
    if outcome.results["vendors"]:  # it happened to be a valid profile
        assert not outcome.input_problems
    else:
        assert outcome.input_problems and all(p.file == path for p in outcome.input_problems)


@FAST
@given(policies(["some-vendor"]), st.sampled_from([
    ("policy_version", 2), ("bands", {"low": 10, "medium": 50, "high": 25}), ("freshness_days", 0),
    ("min_confidence", 1.5), ("check_timeout_seconds", 0), ("missing_data", "ignore"),
    ("gates", [{"check": "*", "rating": "severe", "tier": "high"}]), ("unknown_key", 1),
    ("overrides", [{"vendor": "v", "check": "c", "score": 50, "reason": "short", "approved_by": "x",
                    "expires": "2026-01-01"}]),
    ("overrides", [{"vendor": "v", "check": "c", "reason": "no score and no rating", "approved_by": "x",
                    "expires": "2026-01-01"}]),
    ("as_of", "2026-02-30"), ("buyer", {"jurisdictions": ["XX"]}), ("checks", {"Bad Id": {}}),
    ("recommendations", {"low": "go ahead"})]))
def test_invalid_policies_stop_the_run_with_an_input_error(policy, change):
    key, value = change
    policy = {**policy, key: value}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        profile = _write(folder, "p.json", json.dumps({"schema_version": 1, "profile_date": "2026-01-01",
                                                        "vendor": {"id": "some-vendor", "name": "V"}}))
        policy_path = _write(folder, "policy.json", json.dumps(policy))
        with pytest.raises(InputError) as err:
            assess([profile], policy_path=policy_path, as_of=AS_OF, host=HOST)
    assert err.value.problems and all(p.file == policy_path for p in err.value.problems)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(profiles(), min_size=1, max_size=2, unique_by=lambda p: p["vendor"]["id"]), st.data())
def test_every_valid_run_gives_a_workbook_that_opens(profile_list, data):
    policy = data.draw(policies([p["vendor"]["id"] for p in profile_list]))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = [_write(folder, f"p{i}.json", json.dumps(p)) for i, p in enumerate(profile_list)]
        policy_path = _write(folder, "policy.json", json.dumps(policy))
        outcome = assess(paths, policy_path=policy_path, as_of=AS_OF, host=HOST)
        out = folder / "out.xlsx"
        write_scorecard(outcome.results, out)
        book = load_workbook(out, read_only=True)
        assert book.sheetnames[0] == "Summary"
        assert len(list(book["Findings"].iter_rows())) == 1 + len(profile_list) * len(CHECK_IDS)
        book.close()
