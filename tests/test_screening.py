"""Screening against official lists: readers, normalisation, matching, the check, the CLI.

Fixtures in each published format are under tests/data/screening/ (README
there: the real Zhipu AI Entity List entry as the fact base gives it, and
fictional entries for the traps). Nothing here touches the network.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from vendordd.cli import cli
from vendordd.loader import InputError
from vendordd.model import rating_for, worst
from vendordd.plugins import geopolitical_exposure as ge
from vendordd.policy import DEFAULT_POLICY, load_policy
from vendordd.screening import (
    CSL_LISTS,
    ListEntry,
    Screener,
    ScreeningList,
    csl_list_id,
    dataset_list_id,
    load_screening,
    name_variants,
    normalise,
    read_list,
    vendor_names,
    words,
)
from vendordd.testing import make_context, minimal_profile

from .conftest import DATA, EXAMPLES, ROOT

LISTS = DATA / "screening"
CSL_CSV = LISTS / "consolidated.csv"
CSL_JSON = LISTS / "consolidated.json"
SDN = LISTS / "ofac" / "sdn.csv"
FTM = LISTS / "opensanctions.ftm.json"
ZHIPU = "Beijing Zhipu Huazhang Technology Co., Ltd."
AS_OF = "2026-03-10"
US_BUYER = {"jurisdictions": ["US"], "bound_by_lists": ["US-BIS-ENTITY", "US-OFAC-SDN"],
            "restricted_jurisdictions": [], "requires_data_residency": []}
EU_BUYER = {"jurisdictions": ["EU"], "bound_by_lists": ["EU-CONSOLIDATED"],
            "restricted_jurisdictions": [], "requires_data_residency": []}


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener([read_list(CSL_JSON), read_list(SDN), read_list(FTM)])


def by_name(lst: ScreeningList, name: str) -> ListEntry:
    return next(e for e in lst.entries if e.name == name)


# -- readers -------------------------------------------------------------------------------------

def test_csl_csv_reads_the_zhipu_entity_list_entry():
    lst = read_list(CSL_CSV)
    assert lst.format == "csl-csv" and len(lst.entries) == 11
    assert lst.lists() == {"US-BIS-DPL": 1, "US-BIS-ENTITY": 8, "US-OFAC-SDN": 2}
    entry = by_name(lst, ZHIPU)
    assert entry.list_id == "US-BIS-ENTITY"
    assert entry.source == "Entity List (EL) - Bureau of Industry and Security"
    assert entry.alt_names == ("Zhipu AI",)
    assert entry.countries == ("CN",)
    assert (entry.citation, entry.start_date) == ("90 FR 4617", "2025-01-16")
    assert entry.url == "https://www.federalregister.gov/d/2025-00704"
    assert entry.line == 2
    subsidiaries = [e.name for e in lst.entries if e.citation == "90 FR 4617" and e.name != ZHIPU]
    assert subsidiaries == ["Zhipu Future", "Zhipu Linghang", "Zhipu Qingyan", "Hangzhou Zhipu Huazhang"]
    falcon = by_name(lst, "Falcon Crest Shipping LLC")
    assert (falcon.list_id, falcon.programs, falcon.entity_number, falcon.kind, falcon.countries) == \
        ("US-OFAC-SDN", ("IRAN-EO13846",), "900001", "entity", ("AE",))
    assert by_name(lst, "PETROV, Ivan Fictitious").countries == ("RU",)  # from nationalities


def test_csl_csv_and_json_hold_the_same_entries():
    def comparable(lst):
        return [dataclasses.replace(e, line=None) for e in lst.entries]

    assert comparable(read_list(CSL_CSV)) == comparable(read_list(CSL_JSON))


def test_list_dates_come_from_the_policy_then_the_content_then_the_file():
    assert (read_list(CSL_JSON).date, read_list(CSL_JSON).date_source) == ("2026-03-03", "file content")
    csv_list = read_list(CSL_CSV)
    modified = dt.datetime.fromtimestamp(CSL_CSV.stat().st_mtime, dt.UTC).date().isoformat()
    assert (csv_list.date, csv_list.date_source) == (modified, "file modified")
    stated = read_list(CSL_CSV, date="2026-03-01")
    assert (stated.date, stated.date_source) == ("2026-03-01", "policy")
    with pytest.raises(InputError, match="not a day"):
        read_list(CSL_CSV, date="March")


def test_ofac_sdn_csv_with_its_alt_csv():
    lst = read_list(SDN)
    assert lst.format == "ofac-sdn-csv" and lst.lists() == {"US-OFAC-SDN": 4}
    falcon = by_name(lst, "FALCON CREST SHIPPING LLC")
    # a.k.a. from the remarks, then the fka from alt.csv
    assert falcon.alt_names == ("FALCON CREST MARINE", "FALCON CREST LINES")
    assert (falcon.kind, falcon.programs, falcon.countries, falcon.citation) == \
        ("entity", ("IRAN-EO13846",), (), None)
    assert by_name(lst, "ORBITAL HARBOR TRADING CO.").programs == ("SDGT", "IRGC")
    assert by_name(lst, "PETROV, Ivan Fictitious").kind == "individual"
    assert by_name(lst, "SEA LANTERN").kind == "vessel"
    assert [f for f, _ in lst.files] == [str(SDN), str(SDN.with_name("alt.csv"))]
    assert all(re.fullmatch(r"[0-9a-f]{64}", sha) for _, sha in lst.files)
    assert lst.as_dict()["companion_files"][0]["file"].endswith("alt.csv")


def test_sdn_csv_alone_reads_the_aliases_in_its_remarks(tmp_path):
    shutil.copy(SDN, tmp_path / "sdn.csv")
    lst = read_list(tmp_path / "sdn.csv")
    assert by_name(lst, "FALCON CREST SHIPPING LLC").alt_names == ("FALCON CREST MARINE",)
    assert len(lst.files) == 1


def test_opensanctions_targets_joined_with_their_sanctions():
    lst = read_list(FTM)
    assert lst.format == "opensanctions-ftm"
    assert lst.lists() == {"EU-CONSOLIDATED": 1, "OPENSANCTIONS-CH-SECO-SANCTIONS": 1, "UK-OFSI": 1,
                           "US-BIS-ENTITY": 1, "US-DOD-1260H": 1}
    eu = next(e for e in lst.entries if e.list_id == "EU-CONSOLIDATED")
    assert (eu.name, eu.alt_names, eu.countries) == ("Aurora Vale Robotics LLC",
                                                     ("OOO Avrora Vale Robotika",), ("RU",))
    assert (eu.programs, eu.start_date, eu.citation, eu.url) == (
        ("EU Russia regime (fictional)",), "2024-02-23", "EU-FX-0001", "https://example.org/eu/fx-0001")
    cirrus = next(e for e in lst.entries if e.list_id == "US-BIS-ENTITY")  # by the Sanction's authority
    assert (cirrus.citation, cirrus.start_date) == ("99 FR 2001", "2025-03-25")
    assert next(e for e in lst.entries if e.list_id.startswith("OPENSANCTIONS")).kind == "individual"
    names = {e.name for e in lst.entries}
    assert "Example Politician Fictitious" not in names  # a PEP, not a screening target
    # the newest last_change of the targets read (the PEP's later one does not count)
    assert (lst.date, lst.date_source) == ("2026-03-05", "file content")


@pytest.mark.parametrize("source, list_id", [
    ("Entity List (EL) - Bureau of Industry and Security", "US-BIS-ENTITY"),
    ("Specially Designated Nationals (SDN) - Treasury Department", "US-OFAC-SDN"),
    ("Military End User (MEU) List - Bureau of Industry and Security", "US-BIS-MEU"),
    ("Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department", "US-OFAC-NS-MBS"),
    ("Non-SDN Chinese Military-Industrial Complex Companies List (CMIC) - Treasury Department",
     "US-OFAC-CMIC"),
    ("ITAR Debarred (DTC) - State Department", "US-DDTC-DEBARRED"),
    ("A New List (XYZ) - Somewhere", "US-CSL-XYZ"),
    ("No abbreviation", "US-CSL-OTHER"),
])
def test_csl_list_ids(source, list_id):
    assert csl_list_id(source) == list_id


def test_list_ids_fit_the_policy_schema_pattern():
    pattern = re.compile(r"^[A-Z0-9]+(-[A-Z0-9]+)+$")
    ids = [*CSL_LISTS.values(), dataset_list_id("eu_fsf"), dataset_list_id("gb_hmt_sanctions"),
           dataset_list_id("ch_seco_sanctions"), csl_list_id("odd (??)")]
    assert all(pattern.match(i) for i in ids), ids
    assert dataset_list_id("ch_seco_sanctions") == "OPENSANCTIONS-CH-SECO-SANCTIONS"
    assert csl_list_id("Office of Foreign Assets Control (OFAC)", default=None) is None


CSL_HEADER = "_id,source,entity_number,type,programs,name,alt_names,addresses\n"
EL = "Entity List (EL) - Bureau of Industry and Security"


@pytest.mark.parametrize("name, content, where, message", [
    ("extra.csv", CSL_HEADER + f"1,{EL},,,,Good Co,,CN\n2,{EL},,,,Bad Co,,CN,extra,more\n", ":3:",
     "10 fields, the header has 8"),
    ("noname.csv", CSL_HEADER + f"1,{EL},,,,,Alias,CN\n", ":2:", "an entry without a name"),
    ("nosource.csv", CSL_HEADER + "1,,,,,Some Co,,CN\n", ":2:", "has no source"),
    ("header.csv", "_id,source,title\n1,x,y\n", ":1:", "no 'name' column"),
    ("short.csv", '900001,"A CO",-0- ,"SDGT"\n', ":1:", "4 fields; sdn.csv rows have 12"),
    ("number.csv", '900001,"A",-0-,"P",-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-\n'
                   'x1,"B",-0-,"P",-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-\n', ":2:", "ent_num 'x1' is not a number"),
    ("bad.jsonl", '{"id": "a", "schema": "Company", "properties": {}}\n{not json}\n', ":2:",
     "invalid JSON line"),
    ("shape.jsonl", '{"id": "a", "schema": "Company", "properties": {}}\n[1, 2]\n', ":2:",
     "not a FollowTheMoney entity"),
    ("syntax.json", '{"results": [\n  {"name": "A", "source": "x"},\n]}', ":3:", "invalid JSON"),
    ("item.json", '{"results": [{"name": "A", "source": "x"}, 5]}', " /results/1:", "not an object"),
    ("words.txt", "just some words\n", ":1:", "not a screening list vendordd can read"),
    ("empty.csv", "", "", "the file is empty"),
    ("only.csv", CSL_HEADER, "", "no entries to screen against"),
])
def test_bad_list_files_name_the_file_and_the_place(tmp_path, name, content, where, message):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_list(path)
    text = str(info.value.problems[0])
    assert text.startswith(f"{path}{where}"), text
    assert message in text


def test_a_csl_file_that_is_not_utf8_is_refused_with_its_line(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes((CSL_HEADER + f"1,{EL},,,,Caf\xe9 Co,,FR\n").encode("latin-1"))
    with pytest.raises(InputError, match=r"latin1.csv:2: not UTF-8"):
        read_list(path)


def test_a_missing_list_file(tmp_path):
    with pytest.raises(InputError, match="cannot read"):
        read_list(tmp_path / "nope.csv")


# -- normalisation ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name, key", [
    (ZHIPU, "beijing huazhang zhipu"),
    ("Beijing Zhipu Huazhang Technology Co.", "beijing huazhang zhipu"),
    ("ZHIPU AI, INC.", "ai zhipu"),
    ("Z.ai", "zai"),
    ("PETROV, Ivan", "ivan petrov"),
    ("Société Générale S.A.", "generale societe"),
    ("ООО Кестрел Меридиан", "kestrel meridian"),
    ("Smith & Sons Limited", "smith sons"),
    ("The Company", "company"),  # nothing but legal words: keep them
    ("Maersk A/S", "a maersk s"),  # a slash inside a word splits it (name_variants keeps it whole)
])
def test_normalise(name, key):
    assert normalise(name) == key


def test_words_drop_the_suffixes_the_issue_names():
    assert words("Acme Technology Co., Ltd.") == words("ACME Limited") == words("Acme Inc.") == ["acme"]


@pytest.mark.parametrize("name, variants", [
    ("Zhipu AI (Z.ai / GLM)", ["Zhipu AI (Z.ai / GLM)", "Zhipu AI"]),
    ("Z.ai / GLM", ["Z.ai / GLM", "Z.ai", "GLM"]),
    ("Maersk A/S", ["Maersk A/S"]),
    ("Cambricon Jixingge (Nanjing) Technology Co., Ltd.",
     ["Cambricon Jixingge (Nanjing) Technology Co., Ltd.", "Cambricon Jixingge Technology Co., Ltd."]),
])
def test_name_variants(name, variants):
    assert name_variants(name) == variants


# -- matching --------------------------------------------------------------------------------------

def test_the_zhipu_profile_names_match_the_entity_list_strongly(screener):
    profile = yaml.safe_load((EXAMPLES / "profiles" / "zhipu-ai.yaml").read_text(encoding="utf-8"))
    names, countries = vendor_names(profile)
    assert countries == ["CN"]
    matches = screener.screen([n for n, _ in names], countries)
    entities = {m.entry.name for m in matches if m.strength == "strong"}
    assert {ZHIPU, "Zhipu Future", "Zhipu Linghang", "Zhipu Qingyan", "Hangzhou Zhipu Huazhang"} <= entities
    parent = next(m for m in matches if m.entry.name == ZHIPU)
    assert (parent.entry.list_id, parent.basis, parent.country, parent.score) == \
        ("US-BIS-ENTITY", "exact", "corroborated", 100.0)
    assert all(m.entry.list_id == "US-BIS-ENTITY" for m in matches)


def test_same_name_in_another_country_is_only_potential(screener):
    [match] = screener.screen(["Meridian Lantern Photonics Inc."], ["US"])
    assert (match.strength, match.basis, match.country, match.score) == \
        ("potential", "exact", "contradicted", 100.0)
    assert "countries differ (listed: CN)" in match.describe()


@pytest.mark.parametrize("name, country", [
    ("Zhipu Analytics Ltd", "GB"),
    ("Zhipu Huazhang Trading GmbH", "DE"),
    ("Zhip", "CN"),           # four letters: exact matches only
    ("OpenAI", "US"),
    ("Ivan Petrov Fictitious Consulting Services", "RU"),  # an individual's name inside: no containment
])
def test_false_positive_traps_do_not_match(screener, name, country):
    assert screener.screen([name], [country]) == []


@pytest.mark.parametrize("countries, strength, country", [
    (["AE"], "strong", "corroborated"),
    (["US"], "potential", "contradicted"),
    ([], "potential", "unknown"),
])
def test_a_close_name_is_strong_only_with_the_country(countries, strength, country):
    [match] = Screener([read_list(CSL_JSON)]).screen(["Falcon Crest Shiping"], countries)
    assert match.entry.list_id == "US-OFAC-SDN" and match.entry.countries == ("AE",)
    assert (match.basis, match.strength, match.country) == ("fuzzy", strength, country)
    assert 92 <= match.score < 100


def test_below_the_strong_threshold_is_potential_even_with_the_country():
    [match] = Screener([read_list(CSL_JSON)]).screen(["Falkon Crest Shipin"], ["AE"])
    assert match.basis == "fuzzy" and 80 <= match.score < 92
    assert match.strength == "potential"


def test_thresholds_come_from_the_policy():
    lists = [read_list(CSL_JSON)]
    strict = Screener.from_policy(lists, {"screening": {"strong_threshold": 99, "potential_threshold": 95}})
    assert strict.screen(["Falkon Crest Shipin"], ["AE"]) == []
    [match] = strict.screen(["Falcon Crest Shiping"], ["AE"])
    assert match.strength == "potential"  # 97.6 is below a strong threshold of 99
    with pytest.raises(ValueError):
        Screener(lists, strong_threshold=80, potential_threshold=90)


def test_a_corporate_family_member_is_a_contained_name_match(screener):
    [match] = screener.screen(["Northwind Quantum Cloud Services"], ["CN"])
    assert (match.basis, match.strength, match.entry.name) == \
        ("contains", "potential", "Northwind Quantum Technologies Co., Ltd.")
    off = Screener([read_list(CSL_JSON)], contained_names=False)
    assert off.screen(["Northwind Quantum Cloud Services"], ["CN"]) == []


def test_a_shortened_vendor_name_inside_listed_names(screener):
    matches = screener.screen(["Zhipu"], ["CN"])
    assert {m.entry.name for m in matches} == {ZHIPU, "Zhipu Future", "Zhipu Linghang", "Zhipu Qingyan",
                                               "Hangzhou Zhipu Huazhang"}
    assert {(m.basis, m.strength) for m in matches} == {("contains", "potential")}


def test_transliterated_alias_and_alt_csv_alias(screener):
    [kestrel] = Screener([read_list(CSL_CSV)]).screen(["Кестрел Меридиан Авионикс"], ["RU"])
    assert (kestrel.listed_name, kestrel.strength) == ("ООО Кестрел Меридиан Авионикс", "strong")
    [orbital] = screener.screen(["Orbital Harbour Trading Company"], [])
    assert (orbital.listed_name, orbital.entry.name, orbital.basis) == \
        ("ORBITAL HARBOUR TRADING", "ORBITAL HARBOR TRADING CO.", "exact")


def test_one_match_per_entry_best_first_and_stable(screener):
    names = ["Aurora Vale Robotics", "Aurora Vale Robotik", "Meridian Lantern Photonics", "Zhipu AI"]
    first = screener.screen(names, ["RU", "CN"])
    assert first == screener.screen(list(reversed(names)), ["CN", "RU"])  # input order does not matter
    entries = [m.entry for m in first]
    assert len(entries) == len(set(map(id, entries)))
    aurora = [m for m in first if m.entry.name == "Aurora Vale Robotics LLC"]
    assert {m.entry.list_id for m in aurora} == {"EU-CONSOLIDATED", "UK-OFSI"}
    assert all(m.vendor_name == "Aurora Vale Robotics" and m.basis == "exact" for m in aurora)
    strengths = [m.strength for m in first]
    assert strengths == sorted(strengths, key=lambda s: s != "strong")


def test_exhaustive_finds_what_blocking_cannot():
    """Two letters changed near both ends of every word: no block in common, still similar."""
    lists = [read_list(CSL_JSON)]
    name = "Mxridiyn Lxntexn Pxotonixs"  # Meridian Lantern Photonics, edited at both ends of each word
    blocked = Screener(lists, potential_threshold=70)
    exhaustive = Screener(lists, potential_threshold=70, exhaustive=True)
    assert blocked.screen([name]) == []
    [match] = exhaustive.screen([name])
    assert match.entry.name == "Meridian Lantern Photonics Co., Ltd." and 70 <= match.score < 80


def test_exhaustive_and_blocked_agree_on_the_fixtures():
    lists = [read_list(CSL_JSON), read_list(SDN), read_list(FTM)]
    names = ["Zhipu AI", "Falcon Crest Shiping", "Meridian Lantern Photonics Inc.", "Aurora Vale Robotik"]
    assert Screener(lists).screen(names, ["CN"]) == Screener(lists, exhaustive=True).screen(names, ["CN"])


# -- clearances and a run's lists -----------------------------------------------------------------

CLEARANCE = {"vendor": "meridian-lantern", "list": "US-BIS-ENTITY",
             "listed_name": "Meridian Lantern Photonics Co., Ltd.", "reason": "Different company, checked",
             "approved_by": "J. Smith", "expires": "2026-09-30"}


@pytest.mark.parametrize("change, cleared, note", [
    ({}, True, False),
    ({"listed_name": "MERIDIAN LANTERN PHOTONICS CO LTD"}, True, False),  # compared after normalisation
    ({"vendor": "someone-else"}, False, False),
    ({"list": "US-OFAC-SDN"}, False, False),
    ({"entity_number": "123"}, False, False),
    ({"expires": "2026-03-01"}, False, True),
])
def test_clearances(change, cleared, note):
    scr = Screener([read_list(CSL_JSON)], clearances=[{**CLEARANCE, **change}])
    [match] = scr.screen(["Meridian Lantern Photonics Inc."], ["US"])
    entry, message = scr.clearance("meridian-lantern", match, dt.date(2026, 3, 10))
    assert (entry is not None) is cleared
    assert (message is not None) is note
    if note:
        assert "expired on 2026-03-01" in message


def test_load_screening_reads_each_file_once_and_warns_about_age(tmp_path):
    policy = {"screening": {**DEFAULT_POLICY["screening"],
                            "lists": [str(CSL_JSON), {"path": str(SDN), "date": "2026-01-01"}]}}
    screener, warnings = load_screening([str(CSL_JSON)], policy, dt.date(2026, 3, 10))
    assert [lst.file for lst in screener.lists] == [str(CSL_JSON), str(SDN)]
    assert [lst.date for lst in screener.lists] == ["2026-03-03", "2026-01-01"]
    assert len(warnings) == 1 and f"{SDN} is dated 2026-01-01 (policy), 68 days before" in warnings[0]
    _, later = load_screening([str(CSL_JSON)], {}, dt.date(2026, 3, 1))
    assert "after the assessment date 2026-03-01" in later[0]
    assert load_screening([], DEFAULT_POLICY, dt.date(2026, 3, 10)) == (None, [])


def test_load_screening_reports_every_bad_file(tmp_path):
    one, two = tmp_path / "one.csv", tmp_path / "two.jsonl"
    one.write_text("just words\n", encoding="utf-8")
    two.write_text('{"id": 1, "schema": "X"}\nnope\n', encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_screening([str(one), str(two)], {}, dt.date(2026, 3, 10))
    assert [p.file for p in info.value.problems] == [str(one), str(two)]


def test_policy_thresholds_are_checked(tmp_path):
    path = tmp_path / "policy.yaml"
    path.write_text("policy_version: 1\nscreening: {potential_threshold: 95}\n", encoding="utf-8")
    with pytest.raises(InputError, match="potential_threshold <= strong_threshold"):
        load_policy(str(path))
    path.write_text("policy_version: 1\nscreening: {lists: [{path: a.csv, when: today}]}\n", encoding="utf-8")
    with pytest.raises(InputError):
        load_policy(str(path))
    path.write_text("policy_version: 1\nscreening:\n  lists: [a.csv, {path: b.csv, date: '2026-03-01'}]\n"
                    "  clearances:\n    - {vendor: acme, list: US-BIS-ENTITY, listed_name: Acme Co,\n"
                    "       reason: checked the registry, approved_by: J. Smith, expires: '2026-12-31'}\n",
                    encoding="utf-8")
    policy, _ = load_policy(str(path))
    assert policy["screening"]["strong_threshold"] == 92 and len(policy["screening"]["clearances"]) == 1


# -- the geopolitical_exposure check ---------------------------------------------------------------

def check(profile, buyer=US_BUYER, *, lists=(CSL_JSON,), as_of=AS_OF, screening=None, settings=None):
    policy = {"buyer": buyer, "screening": {**DEFAULT_POLICY["screening"], **(screening or {})}}
    scr = Screener.from_policy([read_list(p) for p in lists], policy)
    ctx = dataclasses.replace(make_context(as_of, settings, policy, defaults=ge.CHECK.defaults), screening=scr)
    finding = ge.CHECK.run(profile, ctx)
    assert finding.problems() == []
    return finding


def vendor(vid="example-vendor", name="Example Vendor", hq="US", **fields):
    profile = minimal_profile(vid)
    profile["vendor"].update({"name": name, "headquarters": hq, **fields})
    profile["geopolitics"] = {"jurisdictions": [hq], "sanctions": []}
    return profile


def test_strong_match_on_a_bound_list_is_critical_like_a_recorded_listing():
    f = check(vendor("zhipu", "Zhipu AI (Z.ai)", "CN"))
    assert (f.score, f.rating) == (0, "critical")
    assert f.summary == (f"Critical: a strong match for {ZHIPU!r} on US-BIS-ENTITY since 2025-01-16, a list "
                         "the buyer is bound by.")
    assert f.recommendations[0].startswith("Do not contract")
    assert f.metrics["hard_rule"] is True
    assert (f.metrics["screening_strong"], f.metrics["screening_potential"]) == (1, 0)
    [row] = f.facts["screening_matches"]
    assert (row["vendor_name"], row["role"], row["listed_name"], row["entry_name"], row["list"], row["bound"],
            row["citation"], row["start_date"], row["status"]) == (
        "Zhipu AI (Z.ai)", "name", "Zhipu AI", ZHIPU, "US-BIS-ENTITY", True, "90 FR 4617", "2025-01-16",
        "in_force")
    line = next(r for r in f.rationale if r.startswith("Screening: strong match"))
    assert "'Zhipu AI (Z.ai)'" in line and "90 FR 4617" in line and "score 100" in line


def test_a_listed_subsidiary_is_the_vendors_listing():
    f = check(vendor("parent", "Example Parent Holdings", "CN", subsidiaries=["Zhipu Qingyan"]))
    assert f.rating == "critical"
    assert f.facts["screening_matches"][0]["role"] == "subsidiary"


def test_strong_match_on_a_list_the_buyer_is_not_bound_by_counts_as_a_listing_once():
    f = check(vendor("zhipu", "Zhipu AI", "CN"), EU_BUYER)
    assert f.metrics["deduction.listed:US-BIS-ENTITY"] == 35 and f.score == 65
    assert f.rating != "critical"
    recorded = vendor("zhipu", "Zhipu AI", "CN")
    recorded["geopolitics"]["sanctions"] = [{"list": "US-BIS-ENTITY", "status": "listed",
                                            "since": "2025-01-16"}]
    f = check(recorded, EU_BUYER)
    assert f.metrics["deductions_total"] == 35
    assert any("the listing on US-BIS-ENTITY is already counted" in r for r in f.rationale)


@pytest.mark.parametrize("buyer, points", [(US_BUYER, 15), (EU_BUYER, 5)])
def test_potential_match_is_a_deduction_and_a_review(buyer, points):
    f = check(vendor("meridian-lantern", "Meridian Lantern Photonics Inc.", "US"), buyer)
    assert f.metrics["deduction.screening_potential:US-BIS-ENTITY"] == points
    assert f.score == 100 - points and f.metrics["screening_potential"] == 1
    line = next(r for r in f.rationale if r.startswith("Screening: potential match on US-BIS-ENTITY"))
    for part in ("'Meridian Lantern Photonics Inc.'", "'Meridian Lantern Photonics Co., Ltd.'", "score 100",
                 "99 FR 1001", "since 2024-05-01", "countries differ (listed: CN)", f": -{points}."):
        assert part in line, part
    assert any(r.startswith("Review the 1 potential screening match(es) on US-BIS-ENTITY")
               for r in f.recommendations)
    assert "potential screening match on US-BIS-ENTITY" in f.summary


def test_potential_matches_count_once_per_list():
    f = check(vendor("zhipu-fan", "Zhipu", "US"), EU_BUYER)
    assert f.metrics["screening_potential"] == 5
    assert f.metrics["deduction.screening_potential:US-BIS-ENTITY"] == 5 and f.score == 95
    assert sum("(counted once per list)" in r for r in f.rationale) == 4


def test_a_cleared_match_is_shown_without_a_deduction():
    f = check(vendor("meridian-lantern", "Meridian Lantern Photonics Inc.", "US"),
              screening={"clearances": [CLEARANCE]})
    assert f.score == 100 and f.metrics["screening_cleared"] == 1 and f.metrics["screening_matches"] == 0
    assert any("cleared by J. Smith (expires 2026-09-30): Different company, checked: no deduction." in r
               for r in f.rationale)
    assert f.facts["screening_matches"][0]["status"] == "cleared"
    expired = check(vendor("meridian-lantern", "Meridian Lantern Photonics Inc.", "US"),
                    screening={"clearances": [{**CLEARANCE, "expires": "2026-03-01"}]})
    assert expired.score == 85 and any("expired on 2026-03-01" in r for r in expired.rationale)


def test_a_listing_dated_after_the_assessment_date_is_ignored():
    profile = vendor("horizon", "Future Horizon Robotics", "CN")
    f = check(profile)
    assert f.score == 100 and f.metrics["screening_matches"] == 0
    assert f.facts["screening_matches"][0]["status"] == "future"
    assert any(r.startswith("Ignored the screening strong match on US-BIS-ENTITY") and "2027-01-01" in r
               for r in f.rationale)
    assert check(profile, as_of="2027-02-01").rating == "critical"


def test_no_match_is_said_and_counts_as_the_sanctions_evidence():
    profile = vendor("acme", "Acme Widgets", "US")
    del profile["geopolitics"]["sanctions"]
    f = check(profile)
    assert f.score == 100 and f.metrics["screening_matches"] == 0
    assert f.rationale[0].startswith("Screening: 1 name(s) screened against 1 list file(s) "
                                     f"({CSL_JSON} dated 2026-03-03): no match.")
    assert not any("Screen the vendor" in r for r in f.recommendations)
    without = ge.CHECK.run(profile, make_context(AS_OF, None, {"buyer": US_BUYER}, defaults=ge.CHECK.defaults))
    assert any("Screen the vendor" in r for r in without.recommendations)
    assert f.metrics["completeness"] > without.metrics["completeness"]
    assert "screening_matches" not in without.facts and "screening_matches" not in without.metrics


def test_screen_facts_record_the_lists():
    f = check(vendor("acme", "Acme Widgets", "US"), lists=(CSL_JSON, FTM))
    assert f.facts["screening"]["names"] == [{"name": "Acme Widgets", "role": "name"}]
    assert [lst["format"] for lst in f.facts["screening"]["lists"]] == ["csl-json", "opensanctions-ftm"]
    assert all(len(lst["sha256"]) == 64 for lst in f.facts["screening"]["lists"])


# -- the methodology page's screening examples ----------------------------------------------------

DOC = ROOT / "docs" / "methodology" / "geopolitical_exposure.md"


def _screening_examples():
    return re.findall(r"```yaml\n# screening example, as of (\d{4}-\d{2}-\d{2}), list (\S+)\n(.*?)```\n+"
                      r"```text\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)


def test_the_page_has_two_screening_examples():
    assert len(_screening_examples()) == 2


@pytest.mark.parametrize("as_of, list_path, block, expected", _screening_examples())
def test_screening_examples_match_the_code(as_of, list_path, block, expected, monkeypatch):
    monkeypatch.chdir(ROOT)  # the page names the list relative to the checkout
    doc = yaml.safe_load(block)
    policy = doc["policy"]
    ctx = dataclasses.replace(make_context(as_of, None, policy, defaults=ge.CHECK.defaults),
                              screening=Screener.from_policy([read_list(list_path)], policy))
    f = ge.CHECK.run(doc["profile"], ctx)
    rating = worst(f.rating, rating_for(f.score)) if f.score is not None else None
    got = "\n".join([*f.rationale, f"=> status {f.status}, score {f.score}, rating {rating}, "
                                   f"confidence {f.confidence}"]) + "\n"
    assert got == expected


# -- the pipeline and the CLI ----------------------------------------------------------------------

def _invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def _write_profile(folder: Path, profile: dict) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / f"{profile['vendor']['id']}.json"
    path.write_text(json.dumps(profile), encoding="utf-8")
    return path


def _us_policy(tmp_path: Path, **screening) -> Path:
    path = tmp_path / "policy.yaml"
    path.write_text(yaml.safe_dump({"policy_version": 1, "buyer": US_BUYER,
                                    **({"screening": screening} if screening else {})}), encoding="utf-8")
    return path


def test_run_screens_records_the_lists_and_gates_the_vendor(tmp_path):
    folder = tmp_path / "profiles"
    _write_profile(folder, vendor("zhipu", "Zhipu AI", "CN"))
    _write_profile(folder, vendor("acme", "Acme Widgets", "US"))
    out = tmp_path / "results.json"
    policy = _us_policy(tmp_path, lists=[str(CSL_JSON)])
    result = _invoke("run", str(folder), "--policy", str(policy), "--as-of", AS_OF,
                     "--screening-list", str(CSL_JSON), "--screening-list", str(SDN), "--json", str(out),
                     "-o", str(tmp_path / "card.xlsx"))
    assert result.exit_code == 0, result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    lists = [i for i in data["inputs"] if i["role"] == "screening_list"]
    assert [i["file"] for i in lists] == [str(CSL_JSON), str(SDN), str(SDN.with_name("alt.csv"))]
    assert lists[0]["sha256"] == read_list(CSL_JSON).sha256
    meta = data["screening"]
    assert (meta["strong_threshold"], meta["potential_threshold"]) == (92, 80)
    assert [(m["file"], m["format"], m["date"], m["entries"]) for m in meta["lists"]][0] == \
        (str(CSL_JSON), "csl-json", "2026-03-03", 11)
    tiers = {v["id"]: v["overall"]["tier"] for v in data["vendors"]}
    assert tiers["zhipu"] == "critical" and tiers["acme"] != "critical"
    assert any("sdn.csv is dated" in w for w in data["warnings"])  # its date is the file's mtime


def test_run_with_a_bad_list_exits_2_naming_the_file_and_line(tmp_path):
    folder = tmp_path / "profiles"
    _write_profile(folder, vendor())
    bad = tmp_path / "list.csv"
    bad.write_text(CSL_HEADER + f"1,{EL},,,,,Alias,CN\n", encoding="utf-8")
    result = _invoke("run", str(folder), "--screening-list", str(bad), "--as-of", AS_OF)
    assert result.exit_code == 2
    assert f"vendordd: error: {bad}:2: an entry without a name" in result.stderr
    assert "Traceback" not in result.output


def test_screen_a_name_strong_match_exits_1():
    result = _invoke("screen", "Zhipu AI", "--screening-list", str(CSL_CSV), "--country", "CN")
    assert result.exit_code == 1
    out = result.stdout
    assert "1 strong and 0 potential match(es)" in out
    assert ZHIPU in out and "90 FR 4617" in out and "US-BIS-ENTITY" in out and "2025-01-16" in out


def test_screen_json():
    result = _invoke("screen", "Meridian Lantern Photonics Inc.", "--screening-list", str(CSL_JSON),
                     "--country", "US", "--json", "--as-of", AS_OF)
    assert result.exit_code == 0  # potential only
    data = json.loads(result.stdout)
    [match] = data["matches"]
    assert (match["strength"], match["list"], match["listed_name"], match["score"], match["citation"]) == \
        ("potential", "US-BIS-ENTITY", "Meridian Lantern Photonics Co., Ltd.", 100.0, "99 FR 1001")
    assert data["screening"]["lists"][0]["sha256"] == read_list(CSL_JSON).sha256
    assert data["countries"] == ["US"] and data["vendor"] is None


def test_screen_fail_on_potential_and_no_match():
    args = ["--screening-list", str(CSL_JSON), "--country", "US"]
    assert _invoke("screen", "Meridian Lantern Photonics Inc.", *args, "--fail-on", "potential").exit_code == 1
    quiet = _invoke("screen", "Acme Widgets", *args)
    assert quiet.exit_code == 0 and "No match." in quiet.stdout


def test_screen_a_profile_with_the_policys_clearance(tmp_path):
    path = _write_profile(tmp_path / "p", vendor("meridian-lantern", "Meridian Lantern Photonics Inc.", "US"))
    policy = _us_policy(tmp_path, lists=[str(CSL_JSON)], clearances=[CLEARANCE])
    result = _invoke("screen", str(path), "--policy", str(policy), "--fail-on", "potential", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert "potential (cleared)" in result.stdout and "US-BIS-ENTITY (bound)" in result.stdout


def test_screen_the_example_zhipu_profile():
    result = _invoke("screen", str(EXAMPLES / "profiles" / "zhipu-ai.yaml"), "--screening-list", str(CSL_CSV),
                     "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["vendor"] == "zhipu-ai" and data["countries"] == ["CN"]
    assert {m["entry_name"] for m in data["matches"] if m["strength"] == "strong"} >= {ZHIPU, "Zhipu Qingyan"}


@pytest.mark.parametrize("args, message", [
    (["Acme"], "no screening list"),
    (["missing.yaml", "--screening-list", str(CSL_CSV)], "missing.yaml: no such profile file"),
    (["Acme", "--screening-list", "nope.csv"], "nope.csv: cannot read"),
])
def test_screen_bad_input_exits_2(args, message):
    result = _invoke("screen", *args)
    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.output


def test_methodology_sheet_records_each_list(tmp_path):
    import openpyxl

    out = tmp_path / "s.xlsx"
    lst = DATA / "screening" / "consolidated.csv"
    result = CliRunner().invoke(cli, ["run", str(EXAMPLES / "profiles" / "zhipu-ai.yaml"), "--screening-list",
                                      str(lst), "--as-of", "2026-11-29", "-o", str(out)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    rows = list(openpyxl.load_workbook(out)["Methodology"].iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r[0] == "Screening lists")
    header, entry = rows[start + 1], rows[start + 2]
    assert header[:5] == ("File", "Format", "List date", "Date from", "Entries")
    assert entry[0] == str(lst) and entry[1] == "csl-csv" and entry[4] > 0
