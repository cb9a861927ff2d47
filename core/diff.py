"""Change since an earlier assessment: compares two results documents.

Per vendor and check: the score and rating deltas, and the facts that
changed (each check records the facts it used in ``facts``, so runs months
apart can be compared without the old profiles). A vendor *got worse* when
its overall score fell by at least the alert step (the policy's
``diff_alert_step``), its tier became riskier, or its recommendation became
worse (approve < approve_with_conditions < needs_evidence < escalate <
reject); ``vendordd diff`` exits 1 then, so a scheduled job can alert.

A change in the buyer's policy (the lists it is bound by, its jurisdictions,
restricted jurisdictions or residency requirements) is reported once, as a
policy change, and the buyer-relative parts of each check's facts (``bound``
flags, the ``buyer`` block) are left out of the per-vendor fact comparison,
so that binding a new list does not read as ten "no longer in sanctions" lines.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from .model import rating_rank
from .scoring import recommendation_rank

#: Keys of a check's facts that describe the buyer, not the vendor (reported as a policy change).
_BUYER_KEYS = frozenset({"bound", "buyer"})
#: Keys whose values are judged against the buyer's policy (a restriction's effect for this buyer,
#: the restricted places hit, residency against the buyer's requirement, a measure's policy weight):
#: left out too when the buyer's policy itself changed, so one policy change is not ten fact changes.
_JUDGED_KEYS = frozenset({"effect", "buyer_jurisdiction", "measure_weight", "restricted_hits",
                          "data_residency"})
_BUYER_FIELDS = ("jurisdictions", "bound_by_lists", "restricted_jurisdictions", "requires_data_residency")


def _vendor_only(item: Any, drop: frozenset[str] = _BUYER_KEYS) -> Any:
    """``item`` without the ``drop`` keys (buyer-relative ones), at any depth."""
    if isinstance(item, Mapping):
        return {k: _vendor_only(v, drop) for k, v in item.items() if k not in drop}
    if isinstance(item, list):
        return [_vendor_only(v, drop) for v in item]
    return item


def buyer_changed(old_policy: Mapping[str, Any] | None, new_policy: Mapping[str, Any] | None) -> bool:
    """True when the buyer block differs in a field that findings are judged against."""
    return bool(policy_changes({"policy": old_policy or {}}, {"policy": new_policy or {}}))


def policy_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """Sentences naming what changed in the buyer's policy between two results documents."""
    ob = (old.get("policy") or {}).get("buyer") or {}
    nb = (new.get("policy") or {}).get("buyer") or {}
    out = []
    for key in _BUYER_FIELDS:
        was, now = list(ob.get(key) or []), list(nb.get(key) or [])
        if sorted(was) != sorted(now):
            added = sorted(set(now) - set(was))
            removed = sorted(set(was) - set(now))
            out.append(f"buyer {key.replace('_', ' ')}: " + "; ".join(
                [*(["added " + ", ".join(added)] if added else []),
                 *(["removed " + ", ".join(removed)] if removed else [])]))
    return out


def _key(item: Any) -> str:
    return json.dumps(item, sort_keys=True, ensure_ascii=False, default=str)


def _describe(item: Any) -> str:
    if isinstance(item, Mapping):
        head = item.get("name") or item.get("list") or item.get("type") or item.get("jurisdiction")
        rest = ", ".join(f"{k} {v}" for k, v in item.items()
                         if v not in (None, "", [], {}) and v != head and k != "sources")
        return f"{head} ({rest})" if head and rest else str(head or rest)
    return str(item)


def fact_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """Sentences naming what changed between two ``facts`` mappings."""
    out: list[str] = []
    for key in sorted(set(old) | set(new)):
        before, after = old.get(key), new.get(key)
        if _key(before) == _key(after):
            continue
        label = key.replace("_", " ")
        if isinstance(before, list) or isinstance(after, list):
            was = {_key(i): i for i in before or []}
            now = {_key(i): i for i in after or []}
            out += [f"new {label}: {_describe(now[k])}" for k in now if k not in was]
            out += [f"no longer in {label}: {_describe(was[k])}" for k in was if k not in now]
        else:
            out.append(f"{label}: {_describe(before)} -> {_describe(after)}")
    return out


def _delta(old: float | None, new: float | None) -> float | None:
    return None if old is None or new is None else round(new - old, 1)


def _worse(old_tier: str | None, new_tier: str | None) -> bool:
    return bool(old_tier and new_tier and rating_rank(new_tier) > rating_rank(old_tier))


def vendor_change(old: Mapping[str, Any] | None, new: Mapping[str, Any], step: float,
                  policy_changed: bool = False) -> dict[str, Any]:
    """The ``change`` block of one vendor against its baseline entry (None: new vendor).

    With ``policy_changed`` (the buyer's policy differs from the baseline's), facts judged
    against the policy are left out of the fact comparison: the policy change is reported once.
    The verdicts compared are the vendor's alone (``unconditioned`` when a portfolio's
    engagements judged it for its uses, docs/methodology/engagements.md), so that a change of
    portfolio is not reported as a change of the vendor.
    """
    drop = _BUYER_KEYS | _JUDGED_KEYS if policy_changed else _BUYER_KEYS
    if old is None:
        return {"status": "new", "score_delta": None, "tier_before": None, "got_worse": False,
                "checks": [], "summary": "Not in the baseline."}
    o, n = old.get("unconditioned") or old["overall"], new.get("unconditioned") or new["overall"]
    delta = _delta(o.get("score"), n.get("score"))
    rec_before, rec_after = o.get("recommendation"), n.get("recommendation")
    rec_worse = bool(rec_before and rec_after
                     and recommendation_rank(rec_after) > recommendation_rank(rec_before))
    worse = (delta is not None and delta <= -step) or _worse(o.get("tier"), n.get("tier")) or rec_worse
    old_checks = {c["id"]: c for c in old.get("checks", [])}
    checks = []
    for c in new.get("checks", []):
        before = old_checks.get(c["id"])
        if before is None:
            checks.append({"id": c["id"], "title": c["title"], "score_before": None,
                           "score_after": c["score"], "score_delta": None, "rating_before": None,
                           "rating_after": c["rating"], "facts": ["new check"]})
            continue
        facts = fact_changes(_vendor_only(before.get("facts") or {}, drop),
                             _vendor_only(c.get("facts") or {}, drop))
        d = _delta(before.get("score"), c.get("score"))
        if facts or d or before.get("rating") != c.get("rating") or before.get("status") != c.get("status"):
            checks.append({"id": c["id"], "title": c["title"], "score_before": before.get("score"),
                           "score_after": c.get("score"), "score_delta": d,
                           "rating_before": before.get("rating"), "rating_after": c.get("rating"),
                           "facts": facts})
    parts = []
    if delta:
        parts.append(f"score {o.get('score')} -> {n.get('score')} ({delta:+.1f})")
    if o.get("tier") != n.get("tier"):
        parts.append(f"tier {o.get('tier')} -> {n.get('tier')}")
    if rec_before != rec_after:
        parts.append(f"recommendation {rec_before} -> {rec_after}"
                     + (" (worse)" if rec_worse else " (better)" if rec_before and rec_after else ""))
    return {"status": "changed" if parts or checks else "unchanged", "score_delta": delta,
            "score_before": o.get("score"), "tier_before": o.get("tier"),
            "recommendation_before": rec_before, "recommendation_after": rec_after,
            "recommendation_worse": rec_worse, "got_worse": worse,
            "checks": checks, "summary": "; ".join(parts) or "no change in score or tier"}


def compare(old: Mapping[str, Any], new: Mapping[str, Any], step: float | None = None) -> dict[str, Any]:
    """Every vendor of ``new`` against ``old``; also vendors that disappeared."""
    if step is None:
        step = float((new.get("policy") or {}).get("diff_alert_step", 10))
    before = {v["id"]: v for v in old.get("vendors", [])}
    changed = bool(policy_changes(old, new))
    vendors = {v["id"]: vendor_change(before.get(v["id"]), v, step, changed) for v in new.get("vendors", [])}
    gone = sorted(set(before) - set(vendors))
    return {"baseline_as_of": old.get("as_of"), "as_of": new.get("as_of"), "step": step,
            "policy_changes": policy_changes(old, new), "vendors": vendors, "removed": gone,
            "got_worse": sorted(vid for vid, ch in vendors.items() if ch["got_worse"])}


def render(diff: Mapping[str, Any], names: Mapping[str, str]) -> str:
    """The terminal report of ``vendordd diff``."""
    lines = [f"Changes from {diff['baseline_as_of']} to {diff['as_of']} "
             f"(alert step {diff['step']:g} points):"]
    for change in diff.get("policy_changes") or ():
        lines.append(f"- POLICY {change} (reported once; vendors' findings relative to the buyer may "
                     "change because of it)")
    for vid, ch in diff["vendors"].items():
        if ch["status"] == "unchanged":
            continue
        mark = "WORSE " if ch["got_worse"] else ""
        lines.append(f"- {mark}{names.get(vid, vid)}: {ch['summary']}")
        for c in ch["checks"]:
            d = "" if c["score_delta"] is None else f" ({c['score_delta']:+.1f})"
            lines.append(f"    {c['title']}: {c['score_before']} -> {c['score_after']}{d}, "
                         f"rating {c['rating_before']} -> {c['rating_after']}")
            lines += [f"      {f}" for f in c["facts"]]
    for vid in diff["removed"]:
        lines.append(f"- {vid}: no longer assessed")
    if len(lines) == 1:
        lines.append("- no vendor changed")
    return "\n".join(lines)
