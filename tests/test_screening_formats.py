"""The screening package's seams: the format registry and the screener's summary."""

from __future__ import annotations

import pkgutil

import pytest

from vendordd.screening import FORMATS, REGISTRY, Screener, ScreeningList, detect_format, formats, read_list

from .conftest import DATA

LISTS = DATA / "screening"


def test_every_format_module_is_in_the_registry_once():
    modules = {m.name for m in pkgutil.iter_modules(formats.__path__)} - {"base", "csl"}
    registered = {f.read.__module__.rsplit(".", 1)[-1] for f in REGISTRY}
    assert modules == registered
    assert len({f.name for f in REGISTRY}) == len(REGISTRY)
    assert FORMATS == ("csl-csv", "csl-json", "ofac-sdn-csv", "opensanctions-ftm")


@pytest.mark.parametrize("path, name", [
    ("consolidated.csv", "csl-csv"), ("consolidated.json", "csl-json"),
    ("ofac/sdn.csv", "ofac-sdn-csv"), ("opensanctions.ftm.json", "opensanctions-ftm")])
def test_each_fixture_is_detected_as_its_format(path, name):
    file = LISTS / path
    assert detect_format(file.read_bytes()[:65536], file.name.lower()) == name
    assert read_list(file).format == name


def test_json_lines_without_a_schema_key_are_the_csl_unless_named_as_json_lines():
    head = b'{"results": []}\n'
    assert detect_format(head, "list.json") == "csl-json"
    assert detect_format(head, "list.jsonl") == "opensanctions-ftm"
    assert detect_format(b"just words\n", "x.csv") is None


def test_the_summary_counts_the_entries_once_per_screener(monkeypatch):
    lst = read_list(LISTS / "consolidated.json")
    calls = []
    original = ScreeningList.lists
    monkeypatch.setattr(ScreeningList, "lists", lambda self: calls.append(1) or original(self))
    screener = Screener([lst])
    first = screener.summary()
    first["lists"][0]["entries"] = -1  # a caller changing its copy changes nobody else's
    for _ in range(50):
        assert screener.summary()["lists"][0]["entries"] == len(lst.entries)
    assert len(calls) == 1


@pytest.mark.parametrize("expires, in_force", [
    ("2026-03-10", True),        # the last day it applies is the as-of date
    ("2026-03-09", False),
    (None, True),                # no expiry
    ("not a date", True),        # the policy schema refuses it; read as no expiry, as before
])
def test_clearance_expiry_is_compared_as_dates(expires, in_force):
    import datetime as dt

    clearance = {"vendor": "meridian-lantern", "list": "US-BIS-ENTITY",
                 "listed_name": "Meridian Lantern Photonics Co., Ltd.", "reason": "checked",
                 "approved_by": "J. Smith", "expires": expires}
    screener = Screener([read_list(LISTS / "consolidated.json")], clearances=[clearance])
    [match] = screener.screen(["Meridian Lantern Photonics Inc."], ["US"])
    entry, note = screener.clearance("meridian-lantern", match, dt.date(2026, 3, 10))
    assert (entry is not None) is in_force and (note is None) is in_force
