"""vendordd.evidence: the helpers checks share, month arithmetic above all (docs/evidence.md)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vendordd import evidence
from vendordd.evidence import add_months, months_before, within_months
from vendordd.testing import minimal_profile, validate_profile

D = dt.date


@pytest.mark.parametrize(("day", "months", "expected"), [
    (D(2026, 1, 15), 1, D(2026, 2, 15)),
    (D(2026, 1, 31), 1, D(2026, 2, 28)),     # clamped to the month's end
    (D(2024, 1, 31), 1, D(2024, 2, 29)),     # a leap year
    (D(2024, 3, 31), -1, D(2024, 2, 29)),
    (D(2026, 11, 29), 12, D(2027, 11, 29)),
    (D(2026, 11, 29), -12, D(2025, 11, 29)),
    (D(2026, 12, 31), 1, D(2027, 1, 31)),    # across a year end
    (D(2026, 1, 10), -1, D(2025, 12, 10)),
    (D(2026, 5, 31), -3, D(2026, 2, 28)),
    (D(2026, 5, 31), 0, D(2026, 5, 31)),
    (D(2026, 8, 31), 1, D(2026, 9, 30)),     # a 30-day month
])
def test_add_months_moves_by_calendar_months_clamping_to_the_month_end(day, months, expected):
    assert add_months(day, months) == expected
    assert months_before(day, -months) == expected


@given(st.dates(min_value=D(1900, 1, 1), max_value=D(2900, 12, 31)), st.integers(-1200, 1200))
def test_add_months_keeps_the_day_unless_the_month_is_shorter(day, months):
    moved = add_months(day, months)
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == months
    assert moved.day == day.day or (moved.day < day.day and (moved + dt.timedelta(days=1)).day == 1)


def test_within_months_counts_a_partial_date_that_may_be_inside_the_window():
    as_of = D(2026, 11, 29)                             # the window: 2025-11-29 to 2026-11-29
    assert within_months("2025-11", as_of, 12)          # 29-30 November 2025 are inside
    assert not within_months("2025-10", as_of, 12)      # every day of it is before
    assert within_months("2025", as_of, 12)
    assert not within_months("2024", as_of, 12)
    assert within_months("2025-11-29", as_of, 12)       # the edge day is inside
    assert not within_months("2025-11-28", as_of, 12)
    assert within_months("2026-11", as_of, 12)          # may be today
    assert not within_months("2026-12", as_of, 12)      # every day is after the as-of date
    assert not within_months(None, as_of, 12)
    assert not within_months("2025-13", as_of, 12)


def test_parse_date_reads_a_partial_date_as_its_first_day():
    assert evidence.parse_date("2025-11") == D(2025, 11, 1)
    assert evidence.parse_date("2025") == D(2025, 1, 1)
    assert evidence.parse_date("2025-11-12") == D(2025, 11, 12)
    assert evidence.parse_date("not a date") is None


def test_a_fragment_may_ref_the_core_profile_defs():
    """docs/plugins.md, register_schemas: fragments may $ref the core schema's #/$defs."""
    from vendordd import hookimpl

    class Audits:
        @hookimpl
        def register_schemas(self, register):
            register("audits", {"type": "array", "items": {
                "type": "object", "required": ["passed"], "additionalProperties": False,
                "properties": {"passed": {"$ref": "#/$defs/date"},
                               "country": {"$ref": "#/$defs/country"},
                               "sources": {"$ref": "#/$defs/source_refs"}}}})

    sources = [{"id": "s1", "title": "Audit report", "kind": "primary", "url": "https://example.com/a"}]
    good = minimal_profile("audited", sources=sources,
                           extensions={"audits": [{"passed": "2026-03", "country": "US", "sources": ["s1"]}]})
    assert validate_profile(good, plugins=[Audits()]) == []
    bad = minimal_profile("audited", sources=sources,
                          extensions={"audits": [{"passed": "March 2026", "country": "US", "sources": ["s1"]}]})
    problems = validate_profile(bad, plugins=[Audits()])
    assert problems and all(p.startswith("/extensions/audits/0/passed") for p in problems), problems


def test_a_fragment_date_marked_planned_is_not_a_fact_after_the_as_of_date():
    """docs/evidence.md, "Dated facts in a plugin's own data": x-vendordd-planned in a fragment."""
    from vendordd.validation import DateFields, profile_schema

    schema = profile_schema({"certs": ({"type": "array", "items": {"type": "object", "properties": {
        "issued": {"$ref": "#/$defs/date"},
        "expires": {"$ref": "#/$defs/date", "x-vendordd-planned": True}}}}, "p")})
    pointers = DateFields.of(schema).pointers()
    assert "/extensions/certs/[]/issued" in pointers
    assert "/extensions/certs/[]/expires" not in pointers
