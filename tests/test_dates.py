"""core/dates.py: a partial date is an interval, resolved conservatively for risk."""

from __future__ import annotations

import datetime as dt

import pytest

from vendordd import dates
from vendordd.validation import compile_validator, load_schema

D = dt.date


@pytest.mark.parametrize(("text", "start", "end", "precision"), [
    ("2025-11-12", D(2025, 11, 12), D(2025, 11, 12), "day"),
    ("2025-11", D(2025, 11, 1), D(2025, 11, 30), "month"),
    ("2024-02", D(2024, 2, 1), D(2024, 2, 29), "month"),
    ("2025", D(2025, 1, 1), D(2025, 12, 31), "year"),
])
def test_parse_gives_the_whole_interval(text, start, end, precision):
    iv = dates.parse(text)
    assert (iv.start, iv.end, iv.precision) == (start, end, precision)
    assert iv.partial == (precision != "day")


@pytest.mark.parametrize("bad", ["2025-13", "2025-02-30", "25", "2025-1", "20251", "", None, 2025, "2025-11-12T00:00"])
def test_parse_refuses_what_is_not_a_profile_date(bad):
    assert dates.parse(bad) is None
    if isinstance(bad, str):
        assert not dates.is_valid(bad)


def test_a_month_overlapping_a_window_counts_and_one_before_it_does_not():
    as_of = D(2026, 11, 29)
    first = D(2025, 11, 29)  # a 12-month window
    assert dates.overlaps("2025-11", first, as_of)       # 29-30 Nov 2025 are inside
    assert not dates.overlaps("2025-10", first, as_of)   # every day is before
    assert dates.overlaps("2025", first, as_of)
    assert not dates.overlaps("2024", first, as_of)
    assert not dates.overlaps("2025-11-28", first, as_of)
    assert dates.overlaps("2025-11-29", first, as_of)


def test_recency_uses_the_latest_possible_day_and_age_the_earliest():
    as_of = D(2026, 11, 29)
    assert dates.days_since("2025-11", as_of) == (as_of - D(2025, 11, 30)).days
    assert dates.age_days("2025-11", as_of) == (as_of - D(2025, 11, 1)).days
    # a month containing the as-of date may be today
    assert dates.latest_day("2026-11", as_of) == as_of
    assert dates.days_since("2026-11", as_of) == 0
    assert dates.latest_day("2026-11") == D(2026, 11, 30)


def test_a_fact_is_after_the_as_of_date_only_when_all_of_it_is():
    as_of = D(2026, 11, 29)
    assert not dates.is_after("2026-11", as_of)
    assert not dates.is_after("2026", as_of)
    assert dates.is_after("2026-12", as_of)
    assert dates.is_after("2026-11-30", as_of)


def test_expiries_compare_on_the_earliest_possible_day():
    assert dates.expiry_day("2026-06") == D(2026, 6, 1)
    assert dates.expires_first("2026-06", "2026-06-15") == "2026-06"
    assert dates.expires_first("2026-06-15", "2026-06") == "2026-06"
    assert dates.expires_first("2026-06-01", "2026-06") == "2026-06-01"  # tie: the precise one
    assert dates.expires_first(None, "2026") == "2026"
    assert dates.expires_first("2027-01-01", "2026") == "2026"


def test_describe_says_how_a_partial_date_was_read():
    assert dates.describe("2025-11") == "2025-11 (a month: 2025-11-01 to 2025-11-30)"
    assert dates.describe("2025-11-12") == "2025-11-12"


def test_the_profile_schema_accepts_days_months_and_years_only():
    validator = compile_validator(load_schema("profile"))
    base = {"schema_version": 1, "vendor": {"id": "v", "name": "V"}}
    for good in ("2026", "2026-03", "2026-03-03"):
        assert validator.is_valid({**base, "profile_date": good})
    for bad in ("2026-13", "2026-02-30", "26", "2026-3"):
        assert not validator.is_valid({**base, "profile_date": bad})


def test_the_new_profile_fields_are_optional_and_checked():
    validator = compile_validator(load_schema("profile"))
    base = {"schema_version": 1, "vendor": {"id": "v", "name": "V"}, "profile_date": "2026-01"}
    good = {**base,
            "leadership": {"key_people": [{"name": "A", "certainty": "reported"}],
                           "events": [{"date": "2025", "type": "layoff", "certainty": "unconfirmed"}]},
            "open_source": {"releases": [{"name": "M", "status": "announced", "certainty": "confirmed"}]},
            "compute": {"accelerators": [{"type": "H100", "basis": "training_cluster", "certainty": "reported"}],
                        "capex_commitments": [{"amount_usd": 1, "basis": "purchase_commitment", "period_years": 4}]},
            "geopolitics": {"ownership": {"state_link": "minority_investor",
                                          "major_shareholders": [{"name": "T", "pct": 10,
                                                                  "listed_on": ["US-DOD-1260H"]}]},
                            "government_restrictions": [{"jurisdiction": "US", "measure": "government_devices"}]}}
    assert validator.is_valid(good)
    for bad in ({"leadership": {"key_people": [{"name": "A", "certainty": "maybe"}]}},
                {"open_source": {"releases": [{"name": "M", "status": "rumoured"}]}},
                {"compute": {"accelerators": [{"type": "H100", "basis": "dream"}]}},
                {"geopolitics": {"ownership": {"state_link": "yes"}}},
                {"geopolitics": {"government_restrictions": [{"jurisdiction": "US", "measure": "ban"}]}}):
        assert not validator.is_valid({**base, **bad})
