"""The bad-input corpus (tests/data/bad/) through the real CLI, and facts dated after the as-of date.

Every bad file must give exit code 2 and one clear line per problem on
stderr, ``vendordd: error: FILE[:LINE[:COL]] [POINTER]: message``, never a
traceback, in bounded time and memory. In a batch the good profiles are
still assessed and every bad file is listed in the JSON ``errors`` and on
the workbook's "Input errors" sheet.

tests/test_loader.py proves the loader's rules on small inline texts; this
file proves the same rules end to end, on committed files, plus the size
limit on a real 50 MB file and the as-of rule on every built-in check.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import time
import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from vendordd import scorecard
from vendordd.cli import cli
from vendordd.evidence import parse_date
from vendordd.host import Host
from vendordd.loader import MAX_FILE_BYTES, InputError, load_file
from vendordd.pipeline import assess
from vendordd.scorecard import MAX_TABLE_ROWS, ScorecardError, check_row_limits, row_counts
from vendordd.testing import minimal_profile, run_check, validate_profile

BAD = Path(__file__).resolve().parent / "data" / "bad"
AS_OF = "2026-06-01"
ENV = {"VENDORDD_PLUGINS": "", "VENDORDD_DISABLE_PLUGINS": ""}

#: file -> (the place, as printed after the file name, and a fragment of the message).
#: A place of "" is a problem with the whole file (nothing narrower to name).
CASES: dict[str, list[tuple[str, str]]] = {
    "malformed.json": [(":6:1", "invalid JSON: Expecting ',' delimiter")],
    "malformed.yaml": [(":5:2", "invalid YAML: did not find expected key")],
    "empty.yaml": [("", "the file is empty")],
    "latin1.yaml": [(":4", "not UTF-8 text (byte 52 is 0xe9); save the file as UTF-8")],
    "top-level-array.json": [(" /", "a profile must be a mapping, not a list")],
    "wrong-types.yaml": [(":8:21 /compute/h100_equivalents", "'lots' is not of type 'number'"),
                         (":1:17 /schema_version", "'1' is not of type 'integer'"),
                         (":5:17 /vendor/capabilities", "'chat' is not of type 'array'")],
    "unknown-field.yaml": [(":5:3 /vendor", "unknown field 'ceo' (keys starting with x- are allowed")],
    "duplicate-key.json": [(":5:3", "duplicate key 'vendor'")],
    "duplicate-key.yaml": [(":5:3", "duplicate key 'name'")],
    "duplicate-source-id.yaml": [(" /sources/1/id", "source id 's1' is defined twice (also at /sources/0)")],
    "nonexistent-date.yaml": [(":5:15 /profile_date", "'2026-02-30' is not a valid date")],
    "negative-count.yaml": [(":9:14 /compute/accelerators/0/count", "-5000 is less than the minimum of 0")],
    "enormous-float.json": [(" /compute/h100_equivalents", "a number too large to represent")],
    "enormous-integer.yaml": [(":8:16 /open_source/adoption/downloads", "is greater than the maximum of")],
    "deep-nesting.json": [(":2:75", "nested deeper than 64 levels")],
    # named at the first alias (the anchor is earlier), with the anchor's place
    "billion-laughs.yaml": [(" /x-b/0", "YAML aliases (*name) are not allowed: this repeats /x-a")],
    "custom-tag.yaml": [(":4:9", "custom YAML tags are not allowed: "
                                 "'tag:yaml.org,2002:python/object/apply:os.system'")],
    "undefined-source.yaml": [(":13:21 /leadership/events/0/sources/1",
                               "source 's2' is cited but not defined in /sources")],
    "non-text-key.yaml": [(":7:3", "invalid YAML: a mapping key must be text, not true (quote it)")],
    "javascript-url.yaml": [(":9:10 /sources/0/url", "'file:///etc/passwd' does not match http(s) URL"),
                            (":5:12 /vendor/website", "'javascript:alert(document.cookie)' does not match")],
}
#: Valid on their own; rejected together (the same vendor id in two files).
DUPLICATE_IDS = ("duplicate-vendor-id-a.yaml", "duplicate-vendor-id-b.yaml")
#: Edge cases that must be accepted: file -> vendor id.
ACCEPTED = {"ok-utf8-bom.json": "ok-bom", "ok-x-annotations.yaml": "ok-x-annotations",
            "ok-future-facts.yaml": "ok-future-facts"}


def _invoke(*args: str):
    return CliRunner().invoke(cli, list(args), env=ENV, catch_exceptions=False)


def _error_lines(stderr: str) -> list[str]:
    assert "Traceback" not in stderr
    return [line for line in stderr.splitlines() if line.startswith("vendordd: error: ")]


def test_every_corpus_file_has_an_expectation():
    files = {p.name for p in BAD.iterdir() if p.suffix in (".json", ".yaml", ".yml")}
    assert files == set(CASES) | set(DUPLICATE_IDS) | set(ACCEPTED)


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_bad_file_gives_one_clear_line_per_problem_and_exit_2(name):
    path = str(BAD / name)
    started = time.monotonic()
    result = _invoke("validate", path)
    assert time.monotonic() - started < 5
    assert result.exit_code == 2
    lines = _error_lines(result.stderr)
    assert len(lines) == len(CASES[name]), lines
    for place, fragment in CASES[name]:
        prefix = f"vendordd: error: {path}{place}: "
        assert [line for line in lines if line.startswith(prefix) and fragment in line], (prefix, lines)
    assert result.stdout.strip() == "0 profile(s) valid, 1 file(s) with errors"


def test_custom_yaml_tag_is_never_executed(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = _invoke("run", str(BAD / "custom-tag.yaml"), "--as-of", AS_OF, "--json", "out.json")
    assert result.exit_code == 2
    assert not (tmp_path / "vendordd-pwned.txt").exists()
    assert json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))["vendors"] == []


def test_duplicate_vendor_ids_reject_both_files_naming_each_other():
    a, b = (str(BAD / n) for n in DUPLICATE_IDS)
    assert _invoke("validate", a).exit_code == 0
    result = _invoke("validate", a, b)
    assert result.exit_code == 2
    lines = _error_lines(result.stderr)
    assert len(lines) == 2
    for line, own in zip(sorted(lines), (a, b)):
        assert line.startswith(f"vendordd: error: {own} /vendor/id: vendor id 'same-vendor' is used by "
                               f"more than one file ({a}, {b}); none of them was assessed")


@pytest.mark.parametrize(("name", "vendor_id"), sorted(ACCEPTED.items()))
def test_edge_cases_that_are_accepted(name, vendor_id):
    doc = load_file(BAD / name)
    assert doc.data["vendor"]["id"] == vendor_id
    result = _invoke("validate", str(BAD / name))
    assert result.exit_code == 0, result.stderr
    assert _error_lines(result.stderr) == []


def test_bom_is_not_part_of_the_data_and_x_keys_may_go_anywhere_in_the_core_model():
    assert load_file(BAD / "ok-utf8-bom.json").data["vendor"]["name"] == "BOM Vendor"
    profile = minimal_profile(**{"x-owner": {"any": ["value", 1]}})
    profile["vendor"]["x-crm"] = 7
    profile["sources"] = [{"id": "s1", "url": "https://example.com", "x-archived": "yes"}]
    assert validate_profile(profile) == []
    profile["vendor"]["crm"] = 7
    [problem] = validate_profile(profile)
    assert "unknown field 'crm'" in problem


def _fifty_megabytes(path: Path) -> Path:
    """A real 50 MB profile-shaped JSON file (written, not sparse)."""
    chunk = b"a" * (1024 * 1024)
    with path.open("wb") as fh:
        fh.write(b'{"schema_version": 1, "x-padding": "')
        for _ in range(50):
            fh.write(chunk)
        fh.write(b'"}\n')
    return path


def test_a_50_mb_file_is_refused_before_it_is_read(tmp_path):
    big = _fifty_megabytes(tmp_path / "huge.json")
    assert big.stat().st_size > 10 * MAX_FILE_BYTES
    tracemalloc.start()
    try:
        with pytest.raises(InputError) as err:
            load_file(big)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1024 * 1024  # the file was never read into memory
    size = big.stat().st_size
    message = f"the file is {size:,} bytes; the limit is 5,242,880 bytes (5 MiB)"
    assert str(err.value) == f"{big}: {message}"
    result = _invoke("validate", str(big))
    assert result.exit_code == 2
    assert _error_lines(result.stderr) == [f"vendordd: error: {big}: {message}"]


@pytest.mark.parametrize("name", ["billion-laughs.yaml", "deep-nesting.json", "enormous-float.json"])
def test_hostile_shapes_take_bounded_time_and_memory(name):
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(InputError):
            load_file(BAD / name)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.monotonic() - started < 2
    assert peak < 16 * 1024 * 1024


def test_numbers_with_thousands_of_digits_name_their_place(tmp_path):
    for suffix, text in ((".json", '{"a":\n  ' + "9" * 5000 + "}"), (".yaml", "a:\n  " + "9" * 5000)):
        path = tmp_path / f"digits{suffix}"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(InputError) as err:
            load_file(path)
        assert str(err.value) == f"{path}:2:3: a number with more than 4,300 digits"


def test_lone_surrogates_and_overflowing_numbers_are_refused_anywhere(tmp_path):
    """They would make the JSON results unwritable (UTF-8) or invalid JSON (Infinity)."""
    surrogate = tmp_path / "s.json"
    surrogate.write_text('{"vendor": {"name": "A\\ud800B"}}', encoding="utf-8")
    with pytest.raises(InputError, match=r"/vendor/name: text holds a lone UTF-16 surrogate"):
        load_file(surrogate)
    pair = tmp_path / "pair.json"  # an escaped surrogate *pair* is one character and is fine
    pair.write_text('{"name": "\\ud83d\\ude80"}', encoding="utf-8")
    assert load_file(pair).data == {"name": "🚀"}
    policy = tmp_path / "policy.json"
    policy.write_text('{"policy_version": 1, "x-note": 1e400}', encoding="utf-8")
    result = _invoke("run", str(BAD / "ok-utf8-bom.json"), "--policy", str(policy), "--as-of", AS_OF,
                     "--json", str(tmp_path / "out.json"))
    assert result.exit_code == 2
    assert _error_lines(result.stderr) == [
        f"vendordd: error: {policy} /x-note: a number too large to represent (it overflows to infinity)"]
    assert not (tmp_path / "out.json").exists()


def test_a_batch_assesses_the_good_profiles_and_lists_every_bad_file(tmp_path, examples):
    big = _fifty_megabytes(tmp_path / "huge.json")
    good = examples / "profiles" / "mistral-ai.yaml"
    xlsx, out = tmp_path / "scorecard.xlsx", tmp_path / "results.json"
    result = _invoke("run", str(BAD), str(good), str(big), "--as-of", AS_OF, "-o", str(xlsx), "--json", str(out))
    assert result.exit_code == 2
    rejected = {str(BAD / n) for n in [*CASES, *DUPLICATE_IDS]} | {str(big)}
    lines = _error_lines(result.stderr)
    named = {f for f in rejected for line in lines if line.startswith((f"vendordd: error: {f}:",
                                                                       f"vendordd: error: {f} "))}
    assert named == rejected and len(lines) == sum(len(c) for c in CASES.values()) + 3
    data = json.loads(out.read_text(encoding="utf-8"))
    assert sorted(v["id"] for v in data["vendors"]) == sorted(["mistral-ai", *ACCEPTED.values()])
    assert {e["file"] for e in data["errors"]} == rejected
    assert all(e["message"] and "Traceback" not in e["message"] for e in data["errors"])
    book = load_workbook(xlsx, read_only=True)
    assert book.sheetnames[:2] == ["Summary", "Input errors"]
    rows = list(book["Input errors"].iter_rows(values_only=True))
    assert rows[0] == ("File", "Pointer", "Line", "Column", "Message")
    assert {r[0] for r in rows[1:]} == rejected
    assert len(rows) - 1 == len(data["errors"])
    summary = {c for row in book["Summary"].iter_rows(values_only=True) for c in row if isinstance(c, str)}
    assert {v["name"] for v in data["vendors"]} <= summary  # every assessed vendor, by name
    assert any("were rejected and are not assessed" in c for c in summary)


# --------------------------------------------------------------------------- facts after the as-of date

_FACT_DATES = ("date", "joined", "since", "announced", "as_of")


def _after(value: object, day: dt.date) -> bool:
    parsed = parse_date(value)
    return parsed is not None and parsed > day


def as_known_on(profile: dict, day: dt.date) -> dict:
    """The profile as an analyst could have written it on ``day`` (the oracle).

    A list entry dated after ``day`` did not exist yet; a block (adoption,
    ownership) ``as_of`` after it neither; a ``left`` after it had not
    happened (the person was still in post). Sources are documents, kept.
    """
    def walk(node):
        if isinstance(node, dict):
            return {k: walk(v) for k, v in node.items()
                    if not (isinstance(v, dict) and _after(v.get("as_of"), day))
                    and not (k == "left" and _after(v, day))}
        if isinstance(node, list):
            return [walk(i) for i in node
                    if not (isinstance(i, dict) and any(_after(i.get(k), day) for k in _FACT_DATES))]
        return node

    known = walk({k: v for k, v in profile.items() if k != "sources"})
    known["sources"] = copy.deepcopy(profile["sources"])
    return known


def _redated(profile: dict, day: dt.date) -> dict:
    """The profile with every later date moved to ``day``: those facts now count."""
    def walk(node):
        if isinstance(node, dict):
            return {k: (day.isoformat() if k in (*_FACT_DATES, "left") and _after(v, day) else walk(v))
                    for k, v in node.items()}
        return [walk(i) for i in node] if isinstance(node, list) else node

    return {**walk({k: v for k, v in profile.items() if k != "sources"}), "sources": profile["sources"]}


def _outcome(result: dict) -> dict:
    metrics = {k: v for k, v in result["metrics"].items() if k != "facts_after_as_of"}
    return {"status": result["status"], "score": result["score"], "rating": result["rating"],
            "confidence": result["confidence"], "metrics": metrics, "sources": sorted(result["sources"])}


BUILTIN_CHECKS = sorted(cid for cid, rc in Host().load().checks().items()
                        if rc.plugin.startswith("vendordd.plugins."))


def test_the_builtin_checks_are_all_covered():
    assert BUILTIN_CHECKS == ["api_stability", "compute_capacity", "geopolitical_exposure",
                              "leadership_turnover", "open_source_commitment"]


@pytest.mark.parametrize("check_id", BUILTIN_CHECKS)
def test_every_builtin_check_leaves_out_facts_dated_after_the_as_of_date(check_id):
    day = dt.date.fromisoformat(AS_OF)
    profile = load_file(BAD / "ok-future-facts.yaml").data
    with_later = _outcome(run_check(check_id, profile, as_of=AS_OF))
    as_known = _outcome(run_check(check_id, as_known_on(profile, day), as_of=AS_OF))
    assert with_later == as_known
    # Not vacuous: had those facts been dated on the as-of date, they would have counted.
    counted = _outcome(run_check(check_id, _redated(profile, day), as_of=AS_OF))
    assert counted != as_known
    assert (counted["score"], counted["confidence"]) != (as_known["score"], as_known["confidence"])


def test_the_pipeline_warns_and_scores_as_if_the_later_facts_were_not_there(tmp_path):
    day = dt.date.fromisoformat(AS_OF)
    source = BAD / "ok-future-facts.yaml"
    past = tmp_path / "past.json"
    past.write_text(json.dumps(as_known_on(load_file(source).data, day)), encoding="utf-8")
    newer = assess([str(source)], as_of=AS_OF).results
    older = assess([str(past)], as_of=AS_OF).results
    [vendor], [reference] = newer["vendors"], older["vendors"]
    assert vendor["warnings"] == [f"14 fact(s) dated after the as-of date {AS_OF} were left out of this "
                                  f"assessment (first: /leadership/key_people/2/left)"]
    assert f"ok-future-facts: {vendor['warnings'][0]}" in newer["warnings"]
    assert reference["warnings"] == []
    for key in ("overall", "areas", "top_risks"):
        assert vendor[key] == reference[key]
    assert [_outcome(c) for c in vendor["checks"]] == [_outcome(c) for c in reference["checks"]]
    assert vendor["overall"]["score"] is not None
    # Re-run as of a date after every fact: nothing is left out, nothing warned.
    later = assess([str(source)], as_of="2026-12-01").results["vendors"][0]
    assert later["warnings"] == []
    assert later["overall"] != vendor["overall"]


def test_sources_and_annotations_dated_later_are_not_counted_as_left_out(tmp_path):
    profile = minimal_profile(sources=[{"id": "s1", "url": "https://example.com", "published": "2027-01-01"}])
    profile["x-review"] = {"date": "2027-02-02"}
    path = tmp_path / "p.json"
    path.write_text(json.dumps(profile), encoding="utf-8")
    [vendor] = assess([str(path)], as_of=AS_OF).results["vendors"]
    assert vendor["warnings"] == []


# --------------------------------------------------------------------------- Excel's limits

def _results(vendors: int, checks: int = 0, sources: int = 0) -> dict:
    """A cheap synthetic results document: repeated references, not a million objects."""
    check = {"id": "c", "status": "ok", "score": 50.0}
    source = {"id": "s1", "url": "https://example.com"}
    vendor = {"id": "v", "name": "V", "checks": [check] * checks, "sources": [source] * sources}
    return {"as_of": AS_OF, "vendors": [vendor] * vendors, "errors": [], "policy": {}, "checks": [],
            "inputs": [], "warnings": []}


def test_findings_rows_beyond_excels_limit_are_refused_naming_the_number():
    assert MAX_TABLE_ROWS == 1_048_575
    check_row_limits(_results(1, checks=MAX_TABLE_ROWS))  # exactly full: accepted
    with pytest.raises(ScorecardError) as err:
        check_row_limits(_results(1025, checks=1024))  # 1,049,600 findings
    assert str(err.value) == ("the Findings sheet would need 1,049,600 rows (1,025 vendors × their checks), more "
                              "than the 1,048,575 an Excel sheet holds below its header; split the profiles "
                              "into at least 2 smaller runs")


def test_evidence_rows_beyond_excels_limit_are_refused():
    with pytest.raises(ScorecardError, match=r"^the Evidence sheet would need 2,097,152 rows .* at least 3 "):
        check_row_limits(_results(2, sources=1_048_576))


def test_summary_rows_count_the_vendors_and_the_sheets_own_rows(monkeypatch):
    monkeypatch.setattr(scorecard.limits, "MAX_TABLE_ROWS", 1000)  # the arithmetic, without a million vendors
    assert row_counts(_results(900))["Summary"] == (1000, "900 vendors")
    check_row_limits(_results(900))
    with pytest.raises(ScorecardError, match=r"^the Summary sheet would need 1,001 rows \(901 vendors\)"):
        check_row_limits(_results(901))


def test_the_limit_is_checked_before_anything_is_written(tmp_path, monkeypatch, examples):
    """Through the CLI, with the limit lowered so that a small real run exceeds it."""
    monkeypatch.setattr(scorecard.limits, "MAX_TABLE_ROWS", 7)
    monkeypatch.setattr(scorecard.limits, "SUMMARY_EXTRA_ROWS", 0)
    findings = 2 * len(Host().load().checks())
    assert findings > 7
    built = []
    monkeypatch.setattr(scorecard.writer, "_build", lambda *a, **k: built.append(a))
    out = tmp_path / "scorecard.xlsx"
    out.write_bytes(b"previous")
    result = _invoke("run", str(examples / "profiles" / "mistral-ai.yaml"), str(examples / "profiles" / "openai.yaml"),
                     "--as-of", AS_OF, "-o", str(out))
    assert result.exit_code == 2
    assert _error_lines(result.stderr) == [
        f"vendordd: error: the Findings sheet would need {findings} rows (2 vendors × their checks), more than "
        f"the 7 an Excel sheet holds below its header; split the profiles into at least {-(-findings // 7)} "
        f"smaller runs"]
    assert built == [] and out.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scorecard.xlsx"]


def _sample_results() -> dict:
    return json.loads((BAD.parent / "results_sample.json").read_text(encoding="utf-8"))


def test_links_beyond_excels_per_sheet_limit_are_shown_as_text(tmp_path, monkeypatch):
    monkeypatch.setattr(scorecard.limits, "MAX_LINKS_PER_SHEET", 2)
    out = tmp_path / "links.xlsx"
    scorecard.write_scorecard(_sample_results(), out)
    evidence = load_workbook(out)["Evidence"]
    urls = [c for c in evidence["J"][1:] if c.value]
    assert len(urls) > 2
    assert sum(1 for c in urls if c.hyperlink is not None) <= 2
    assert len(evidence._hyperlinks) <= 2


def test_a_template_that_unpacks_beyond_the_limit_is_refused(tmp_path, monkeypatch):
    """A zip bomb posing as a template is refused from its directory, before anything is unpacked."""
    from vendordd.templates import make_scorecard_template

    template = Path(make_scorecard_template.__file__).with_name("scorecard.xlsx")
    monkeypatch.setattr(scorecard.template, "MAX_TEMPLATE_BYTES", 1000)
    with pytest.raises(ScorecardError, match=r"is too large \(over 100 MB unpacked\)"):
        scorecard.write_scorecard(_sample_results(), tmp_path / "out.xlsx", template=template)
    assert not (tmp_path / "out.xlsx").exists()
