"""Helpers for testing checks and plugins (public; plugin authors use them).

Grows with the plugin issue: ``run_check`` through the real host, and a
context manager that registers a plugin for the duration of a test.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any, Mapping

from .model import CheckContext


def minimal_profile(vendor_id: str = "example-vendor", **sections: Any) -> dict[str, Any]:
    """The smallest valid profile, with ``sections`` (e.g. ``leadership={...}``) added."""
    profile: dict[str, Any] = {
        "schema_version": 1,
        "vendor": {"id": vendor_id, "name": vendor_id.replace("-", " ").title(),
                   "headquarters": "US"},
        "profile_date": "2026-01-01",
        "sources": [],
    }
    for key, value in sections.items():
        profile[key] = copy.deepcopy(value)
    return profile


def make_context(as_of: str | dt.date = "2026-06-01", settings: Mapping[str, Any] | None = None,
                 policy: Mapping[str, Any] | None = None, defaults: Mapping[str, Any] | None = None
                 ) -> CheckContext:
    """A CheckContext with ``settings`` overlaid on ``defaults`` (a check's own)."""
    day = dt.date.fromisoformat(as_of) if isinstance(as_of, str) else as_of
    merged = {**(defaults or {}), **(settings or {})}
    return CheckContext(as_of=day, settings=merged, policy=dict(policy or {}))
