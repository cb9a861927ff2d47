"""The worked examples on each methodology page, re-run against the code.

A page shows each example as a ```yaml block (first line ``# worked example,
as of YYYY-MM-DD``) holding either a profile or ``{profile, policy}``,
followed by a ```text block: the finding's rationale and a closing
``=> status ..., score ..., rating ..., confidence ...`` line.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from vendordd.model import Check, rating_for, worst
from vendordd.testing import make_context, validate_profile

METHODOLOGY = Path(__file__).resolve().parent.parent / "docs" / "methodology"
_EXAMPLE = re.compile(r"```yaml\n# worked example, as of (\d{4}-\d{2}-\d{2})\n(.*?)```\n+```text\n(.*?)```", re.S)


def worked_examples(check_id: str) -> list[tuple[str, str, str]]:
    """(as-of date, yaml block, expected text) for each example on the check's page."""
    return _EXAMPLE.findall((METHODOLOGY / f"{check_id}.md").read_text(encoding="utf-8"))


def render(check: Check, block: str, as_of: str, number_format: str = "") -> str:
    """The text the page shows for that example, computed by the check now."""
    doc = yaml.safe_load(block)
    profile, policy = (doc["profile"], doc.get("policy") or {}) if "profile" in doc else (doc, {})
    assert validate_profile(profile) == []
    own = ((policy.get("checks") or {}).get(check.id) or {}).get("settings")
    f = check.run(profile, make_context(as_of, own, policy, defaults=check.defaults))
    assert f.problems() == []
    rating = worst(f.rating, rating_for(f.score)) if f.score is not None else f.rating
    score = f.score if f.score is None else format(f.score, number_format)
    return "\n".join([*f.rationale, f"=> status {f.status}, score {score}, rating {rating}, "
                                    f"confidence {format(f.confidence, number_format)}"])
