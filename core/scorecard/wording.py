"""How the scorecard words a result (verdict labels and the tally: :mod:`vendordd.verdicts`): verdicts, the reasons that drive them, actions, staleness.

One place for the sentences a reader sees, so that the Summary and the vendor
sheets say the same thing. The wording rules (docs/methodology.md): a gate
"raises the tier to at least X", never "caps" it; one line per gate cause
(per check, its strongest gate); names, never raw ids, where a name exists;
scores with their one decimal in headlines (a whole number could cross a band's bound).

Result fields added by later versions of the results format are used when
present and never required: ``overall.conditions``, ``overall.incomplete``,
``overall.failed_checks``, ``overall.missing_checks`` and the
``needs_evidence`` recommendation.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from ..engagements import deployment_words
from ..verdicts import VERDICT_ORDER
from .values import humanise, mapping, num

TIER_ORDER = ("critical", "high", "medium", "low")
_RATING_RANK = {name: rank for rank, name in enumerate(TIER_ORDER)}


def overall_of(vendor: Mapping[str, Any]) -> Mapping[str, Any]:
    return mapping(vendor.get("overall"))


def score_text(score: Any) -> str:
    """A score with the one decimal the results keep ("74.9"), or "n/a".

    Never a whole number: 74.9 shown as 75 would read as the low band's lower bound.
    """
    value = num(score)
    return "n/a" if value is None else f"{value:.1f}"


def severity_key(vendor: Mapping[str, Any]) -> tuple[Any, ...]:
    """Sort key: worst verdict first, then worst tier, lowest score, then name and id."""
    overall = overall_of(vendor)
    rec = overall.get("recommendation")
    verdict = VERDICT_ORDER.index(rec) if rec in VERDICT_ORDER else len(VERDICT_ORDER)
    tier = overall.get("tier")
    tier_rank = TIER_ORDER.index(tier) if tier in TIER_ORDER else -1  # unknown tier: as bad as it gets
    score = num(overall.get("score"))
    return (verdict, tier_rank, -1.0 if score is None else score,
            str(vendor.get("name") or vendor.get("id") or ""), str(vendor.get("id") or ""))


def check_title(titles: Mapping[str, str], check_id: Any) -> str:
    """A check's title (its id when the results name no title)."""
    return titles.get(str(check_id), humanise(check_id))


def gate_causes(titles: Mapping[str, str], overall: Mapping[str, Any], *, deciding_only: bool = False,
                because: Mapping[str, str] | None = None) -> list[str]:
    """One line per gate cause: per check, the strongest tier its gates raised the vendor to.

    ``Raised to at least critical by Geopolitical exposure (rated critical)``,
    strongest first. ``deciding_only`` keeps the gates that set the final tier.
    """
    strongest: dict[str, Mapping[str, Any]] = {}
    for gate in overall.get("gates") or ():
        if not isinstance(gate, Mapping):
            continue
        check = str(gate.get("check", "?"))
        known = strongest.get(check)
        if known is None or _rank(gate.get("tier")) < _rank(known.get("tier")):
            strongest[check] = gate
    ordered = sorted(strongest.items(), key=lambda kv: (_rank(kv[1].get("tier")), check_title(titles, kv[0])))
    if deciding_only:
        ordered = [(c, g) for c, g in ordered if g.get("tier") == overall.get("tier")] or ordered[:1]
    return [f"Raised to at least {gate.get('tier', '?')} by {check_title(titles, check)}"
            + ("" if deciding_only else f" (rated {gate.get('rating', '?')})")
            + (f": {because[check]}" if because and because.get(check) else "") for check, gate in ordered]


_RATED_PREFIX = re.compile(r"^(Rated at least \w+|Critical|High|Medium|Low):\s*", re.IGNORECASE)


def gate_reasons(vendor: Mapping[str, Any], width: int) -> dict[str, str]:
    """Per gated check, the cause in its own words (its summary without a 'Rated at least x:' lead),
    cut to ``width``: 'headquarters CN is in the buyer's restricted jurisdiction CN …'."""
    return {str(c.get("id")): clip(_RATED_PREFIX.sub("", str(c.get("summary") or "")), width)
            for c in _checks(vendor) if c.get("summary")}


def _rank(rating: Any) -> int:
    return _RATING_RANK.get(str(rating), 9)


def gated_checks(overall: Mapping[str, Any]) -> list[str]:
    """Ids of the checks whose gates set the final tier."""
    return [str(g.get("check")) for g in overall.get("gates") or ()
            if isinstance(g, Mapping) and g.get("tier") == overall.get("tier")]


def _checks(vendor: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [c for c in vendor.get("checks") or () if isinstance(c, Mapping)]


def missing_evidence(titles: Mapping[str, str], vendor: Mapping[str, Any]) -> list[str]:
    """Titles of the checks that could not score this vendor (no data, failed, or missing)."""
    overall = overall_of(vendor)
    ids: list[str] = []
    for key in ("missing_checks", "failed_checks"):
        ids.extend(str(i) for i in overall.get(key) or () if str(i) not in ids)
    for check in _checks(vendor):
        if check.get("status") in ("insufficient_data", "error") and str(check.get("id")) not in ids:
            ids.append(str(check.get("id")))
    local = {str(c.get("id")): str(c.get("title") or c.get("id")) for c in _checks(vendor)}
    return sorted({local.get(i) or check_title(titles, i) for i in ids})


def confidence_shortfall(vendor: Mapping[str, Any], policy: Mapping[str, Any], *, brief: bool = False) -> str | None:
    """"Confidence 21% is below the policy minimum of 30%" (brief: "Confidence 21%, under the 30%
    minimum"), or None."""
    confidence = num(overall_of(vendor).get("confidence"))
    minimum = num(policy.get("min_confidence"))
    if confidence is None or minimum is None or confidence >= minimum:
        return None
    if brief:
        return f"Confidence {confidence:.0%}, under the {minimum:.0%} minimum"
    return f"Confidence {confidence:.0%} is below the policy minimum of {minimum:.0%}"


def conditions_of(vendor: Mapping[str, Any]) -> list[str]:
    """``overall.conditions`` (the conditions of approval, or the evidence to obtain), when given."""
    return [str(c) for c in overall_of(vendor).get("conditions") or () if c not in (None, "")]


def worst_findings(vendor: Mapping[str, Any], limit: int = 2) -> list[Mapping[str, Any]]:
    """The scored checks behind the verdict, worst first (at most ``limit``): those rated high or
    critical; for a medium-risk vendor without such, those rated medium (its conditions).
    """
    scored = [c for c in _checks(vendor) if c.get("status") == "ok"]
    rated = [c for c in scored if c.get("rating") in ("high", "critical")]
    if not rated and overall_of(vendor).get("tier") == "medium":
        rated = [c for c in scored if c.get("rating") == "medium"]
    rated.sort(key=lambda c: (_RATING_RANK[str(c.get("rating"))], num(c.get("score")) or 0.0,
                              str(c.get("title") or c.get("id"))))
    return rated[:limit]


def reason_lines(titles: Mapping[str, str], vendor: Mapping[str, Any], policy: Mapping[str, Any], *,
                 brief: bool = False) -> list[str]:
    """The reasons that drive the verdict, strongest first: gates, missing evidence, confidence,
    the worst findings, else the score's band. ``brief`` (the Summary): only the gates that set
    the tier, findings cut to one short clause, at most two lines (the strongest).
    """
    overall = overall_of(vendor)
    lines = list(gate_causes(titles, overall, deciding_only=brief,
                             because=gate_reasons(vendor, 60 if brief else 300)))
    use = mapping(overall.get("worst_engagement")) if overall.get("basis") == "engagements" else {}
    judged_for_use = {str(c) for c in use.get("judged_for_use") or ()}
    lines += [brief_use_reason(str(line)) if brief else str(line) for line in use.get("use_reasons") or ()]
    missing = missing_evidence(titles, vendor)
    if missing:
        lines.append("No evidence scored for " + ", ".join(missing))
    elif overall.get("incomplete"):
        lines.append("The assessment is incomplete")
    shortfall = confidence_shortfall(vendor, policy, brief=brief)
    if shortfall:
        lines.append(shortfall)
    gated = {str(g.get("check")) for g in overall.get("gates") or () if isinstance(g, Mapping)}
    for check in [c for c in worst_findings(vendor, 2 + len(judged_for_use))
                  if str(c.get("id")) not in judged_for_use][:2]:
        if str(check.get("id")) in gated:
            continue  # its gate line says it, or the use's finding replaced it
        summary = clip(check.get("summary"), 55 if brief else 400)
        lines.append(f"{check.get('title') or check.get('id')} rated {check.get('rating')}: {summary}")
    tier = overall.get("tier")
    if not lines or (tier in ("low", "medium") and not overall.get("gates") and not missing and not shortfall):
        lines.insert(0, f"Score {score_text(overall.get('score'))}, in the {tier} risk band" if tier
                     else "No check could score this vendor")
    return lines[:2] if brief else lines


_USE_REASON = re.compile(r"^(?P<head>.+? \((?:no score|[0-9.]+)), confidence [0-9]+%\): ")
_NOT_APPLIED = re.compile(r" Not applied to this use[^:]*: (?P<left>[^,;]+)")


def brief_use_reason(line: str) -> str:
    """An engagement's use-finding reason (core/engagements.py) for the Summary, two short lines at most:
    "Geopolitical exposure for self-hosted weights: low (90); headquarters in CN not applied"."""
    found = _USE_REASON.match(line)
    if not found:
        return clip(line, 90)
    left = _NOT_APPLIED.search(line)  # the first thing left out (the headquarters), its gloss dropped
    return found["head"] + ")" + (f"; {re.sub(r' [(].*', '', left['left'])} not applied" if left else "")


def use_judged(vendor: Mapping[str, Any]) -> str:
    """" — riskiest use: self-hosted weights (alone: Reject)" after the verdict of a vendor judged for
    its engagements (core/engagements.py); "" for a vendor judged alone."""
    overall = overall_of(vendor)
    use = mapping(overall.get("worst_engagement"))
    if overall.get("basis") != "engagements" or not use:
        return ""
    deployment = deployment_words(use.get("deployment"))
    alone = mapping(vendor.get("unconditioned")).get("recommendation")
    differs = alone and alone != overall.get("recommendation")
    return f" — riskiest use: {deployment}" + (f" (alone: {str(alone).replace('_', ' ')})" if differs else "")


def action_lines(titles: Mapping[str, str], vendor: Mapping[str, Any], policy: Mapping[str, Any], *,
                 limit: int | None = None, width: int | None = None) -> list[str]:
    """What to do: the results' conditions when given; else the first recommendation of each check
    behind the verdict (the gates' first), the evidence to obtain, and a refresh when confidence
    is too low. ``limit`` keeps the first lines, ``width`` cuts each (the Summary).
    """
    lines = conditions_of(vendor)
    if not lines:
        overall = overall_of(vendor)
        gated = gated_checks(overall)
        by_id = {str(c.get("id")): c for c in _checks(vendor)}
        drivers = [by_id[g] for g in gated if g in by_id] + worst_findings(vendor)
        seen: set[str] = set()
        for check in drivers:
            if str(check.get("id")) in seen:
                continue
            seen.add(str(check.get("id")))
            recs = [r for r in check.get("recommendations") or () if r not in (None, "")]
            if recs:
                lines.append(str(recs[0]))
        missing = missing_evidence(titles, vendor)
        if missing:
            lines.append("Obtain evidence for " + ", ".join(missing))
        if confidence_shortfall(vendor, policy):
            lines.append("Refresh the profile with recent, well-sourced facts")
    if limit is not None:
        lines = lines[:limit]
    return [clip(line, width) for line in lines] if width else lines


def clip(text: Any, width: int) -> str:
    """``text`` on one line, cut at a word boundary to at most ``width`` characters ("…" when cut)."""
    text = " ".join(str(text or "").split())
    if len(text) <= width:
        return text
    return text[: width - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def profile_day(value: Any) -> dt.date | None:
    """The earliest day a profile date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) can mean.

    For staleness the earliest day is the conservative reading: a profile
    dated "2025-10" is as old as 1 October 2025.
    """
    text = str(value or "")
    match = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", text)
    if not match:
        return None
    try:
        return dt.date(int(match.group(1)), int(match.group(2) or 1), int(match.group(3) or 1))
    except ValueError:
        return None


def is_stale(vendor: Mapping[str, Any], as_of: dt.date, policy: Mapping[str, Any]) -> bool:
    """True when the profile is older than the policy's ``freshness_days`` (default 365) on ``as_of``."""
    day = profile_day(vendor.get("profile_date"))
    days = num(policy.get("freshness_days"))
    return day is not None and (as_of - day).days > (days if days is not None else 365)


_ARROW = re.compile(r"\s+(?:→|->)\s+")
_LABELLED_FORMULA = re.compile(r"^([A-Za-z][A-Za-z ]{0,24}?)\s*=\s*(.+)$")
_TRAILING_POINTS = re.compile(r"^(.*\S):\s*([+\-−]\s?\d[\d.,]*)\.?$")


def split_rationale(line: Any) -> tuple[str, str]:
    """A rationale line as (plain words, arithmetic): the sum goes in its own column.

    ``"Capex: US$17.67bn/year -> 100 x (log10(...)) = 74.9."`` gives
    ``("Capex: US$17.67bn/year", "100 x (log10(...)) = 74.9.")``;
    ``"Score = 74.9 - 15.0 = 59.9"`` gives ``("Score", "74.9 - 15.0 = 59.9")``;
    ``"Sanctions: proposed for X: -10."`` gives ``("Sanctions: proposed for X", "-10")``;
    a line with no arithmetic stays whole in the first part.
    """
    text = " ".join(str(line or "").split())
    parts = _ARROW.split(text, maxsplit=1)
    if len(parts) == 2:
        return parts[0], parts[1]
    match = _LABELLED_FORMULA.match(text)
    if match:
        return match.group(1), match.group(2)
    match = _TRAILING_POINTS.match(text)
    if match:
        return match.group(1), match.group(2)
    if " = " in text:
        left, right = text.rsplit(" = ", 1)
        return left, "= " + right
    return text, ""


_POINTS = re.compile(r"^[+\-−]\s?\d[\d.,]*\.?$")
_LABEL_ONLY = re.compile(r"^[A-Za-z]+(?: [A-Za-z]+)?$")
#: Rationale lines that add up the score rather than give a reason.
_SUM_LABELS = {"score", "base", "weighted", "total"}


def plain_rationale(lines: Any) -> list[str]:
    """A check's rationale in plain words, for the vendor sheets: each line's reasoning with its
    effect ("Headquarters CN is within the buyer's restricted jurisdiction CN: −40 points";
    a formula shows only its result), lines that deducted nothing said once, and the closing
    sums ("Score = 100 − 40 = 60") left out (the score is beside them). The full lines, with
    the arithmetic, are on the Findings sheet and in the JSON results.
    """
    out: list[str] = []
    nothing: list[str] = []
    for line in lines or ():
        plain, arithmetic = split_rationale(line)
        plain = plain.rstrip(" .")
        label = plain.split(":", 1)[0].strip().lower()
        if arithmetic and (_LABEL_ONLY.match(plain) or label in _SUM_LABELS):
            continue  # "Score = …", "Base = …", "Weighted: …": the sum, not a reason
        effect = arithmetic.rstrip(" .")
        if re.fullmatch(r"[−-]\s?0(?:\.0+)?", effect):
            nothing.append(plain.split(":", 1)[0])
            continue
        if not effect:
            out.append(plain)
        elif _POINTS.match(effect):
            out.append(f"{plain}: {effect} points")
        else:
            result = effect.rsplit("=", 1)[1].strip() if "=" in effect else effect
            out.append(f"{plain} → {result}")
    if nothing:
        out.append("Nothing found for: " + "; ".join(n[:1].lower() + n[1:] for n in nothing))
    return out
