"""The scorecard's one error type."""

from __future__ import annotations


class ScorecardError(Exception):
    """A problem the user can fix (bad template, bad output path); the message is one line."""
