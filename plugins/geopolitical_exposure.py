"""Built-in check ``geopolitical_exposure``: the vendor's exposure *relative to the buyer*.

Method (docs/methodology/geopolitical_exposure.md, which this module must match):
everything is judged against ``policy.buyer`` (jurisdictions, bound_by_lists,
restricted_jurisdictions, requires_data_residency); no country is named in the
code. The score starts at 100 and loses points per component:

- a ``listed`` sanction on a list the buyer is bound by: hard rule, score 0 and
  rating ``critical``; on another list, a deduction per list; ``proposed``
  listings a smaller deduction and a re-verification; ``delisted`` a note;
- government restrictions on use: full or partial in the buyer's
  jurisdictions (strong, capped), elsewhere (small, per restriction, capped);
- headquarters / operating jurisdictions in the buyer's restricted list;
- required data-residency regions that the vendor does not offer (unknown
  residency lowers confidence only);
- state ownership (scaled by the share) and state links; shareholders from a
  restricted jurisdiction;
- export controls on the vendor's compute supply;
- with screening list files (``ctx.screening``): the vendor's names matched
  against the lists themselves; a strong match on a bound list is the hard
  rule, a strong match elsewhere counts as a listing there, potential matches
  a deduction per list and a review (docs/screening.md).

Facts dated after the assessment date are ignored and named in the rationale.

Engagement-aware (``run(profile, ctx, engagement=None)``, docs/plugins.md):
for a ``self_hosted_weights`` use the weights run on the buyer's own
infrastructure, so the vendor's government restrictions, headquarters,
jurisdictions, data residency, ownership and compute supply do not reach the
buyer. The use is judged on sanctions and screening (as above: a bound
listing is still the hard rule), the licence jurisdiction clause of the
vendor's open or gated weights (a clause in a restricted jurisdiction is a
deduction) and export controls on those weights in the buyer's
jurisdictions. Other deployments are judged as the vendor alone.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from vendordd import Check, CheckContext, Finding, hookimpl
from vendordd import evidence as ev
from vendordd.settings import schema_for_defaults

#: Region codes a policy may use in buyer or vendor fields, with their member
#: countries (ISO 3166-1 alpha-2). Membership is a fact, not a judgement; the
#: policy may extend it (setting ``regions``).
EU_MEMBERS = ["AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE",
              "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"]
DEFAULT_REGIONS: dict[str, list[str]] = {"EU": EU_MEMBERS, "EEA": [*EU_MEMBERS, "IS", "LI", "NO"]}

# Completeness weights of the profile's inputs (docs: "Confidence").
_COMPLETENESS_WEIGHTS = {"headquarters": 0.1, "jurisdictions": 0.15, "sanctions": 0.3,
                         "government_restrictions": 0.15, "ownership": 0.15, "data_residency": 0.15}
#: Confidence is multiplied by this when the buyer requires residency and the profile is silent.
UNKNOWN_RESIDENCY_FACTOR = 0.8

#: What a listing on a list the buyer is bound by does, per list (docs: "Lists and their effects").
#: reject: score 0, rating critical (the default gate then makes the tier critical);
#: escalate: the unbound-listing deduction and a rating of at least high (the default gate
#: then makes the tier at least high); deduction: the unbound-listing deduction only.
DEFAULT_BOUND_LIST_EFFECTS: dict[str, str] = {
    "US-OFAC-SDN": "reject",       # 31 CFR 501.603 ff., IEEPA: dealings with an SDN are prohibited
    "EU-CONSOLIDATED": "reject",   # e.g. Council Reg. 269/2014 art. 2: no funds or economic resources
    "UK-OFSI": "reject",           # Sanctions and Anti-Money Laundering Act 2018: asset freeze
    "US-BIS-ENTITY": "reject",     # 15 CFR 744.11, Supp. 4 to Part 744: a licence is needed to export
                                   # any item subject to the EAR to the entity, mostly with a presumption
                                   # of denial; not a ban on buying services, so a policy may say escalate
    "US-DOD-1260H": "escalate",    # NDAA FY2021 s.1260H, FY2024 s.805: DoD contracting only
}

DEFAULTS: dict[str, Any] = {
    "bound_list_effects": DEFAULT_BOUND_LIST_EFFECTS,
    "unknown_bound_list_effect": "reject",
    "ownership_rule_pct": 50,
    "listed_shareholder_deduction": 10,
    "unbound_listing_deduction": 35,
    "proposed_bound_deduction": 20,
    "proposed_unbound_deduction": 10,
    "restriction_in_buyer_deduction": 20,
    "restriction_partial_factor": 0.5,
    "restriction_in_buyer_cap": 40,
    "restriction_elsewhere_deduction": 3,
    "restriction_elsewhere_cap": 15,
    "restricted_headquarters_deduction": 40,
    "restricted_headquarters": "gate",
    # share of restriction_in_buyer_deduction each kind of measure counts (unspecified: 1)
    "measure_weights": {"national_ban": 1.0, "regulator_order": 0.75, "delisting_request": 0.5,
                        "government_devices": 0.25, "advisory": 0.25, "investigation": 0.25,
                        "other": 0.5},
    "residency_unknown": "block",
    "restricted_jurisdiction_deduction": 20,
    "residency_missing_deduction": 15,
    "state_owned_max_deduction": 30,
    "state_linked_deduction": 10,
    "state_link_deductions": {"none": 0, "minority_investor": 5, "influence": 15, "controlled": 30},
    "restricted_shareholder_min_pct": 10,
    "restricted_shareholder_deduction": 15,
    "export_control_deduction": 10,
    "screening_potential_bound_deduction": 15,
    "screening_potential_unbound_deduction": 5,
    "regions": DEFAULT_REGIONS,
    # self-hosted weights (an engagement)
    "licence_jurisdiction_deduction": 30,
    "weights_export_control_deduction": 15,
    # standard licences whose text has no governing-law or venue clause
    "licences_without_jurisdiction_clause": ["Apache-2.0", "MIT", "BSD-2-Clause", "BSD-3-Clause"],
}


# -- places --------------------------------------------------------------------------------------

def _code(value: Any) -> str:
    """A place code for comparison: upper case, trimmed (``us-tx`` -> ``US-TX``)."""
    return str(value).strip().upper()


def covers(outer: str, inner: str, regions: Mapping[str, Iterable[str]]) -> bool:
    """True when place ``inner`` lies within place ``outer``.

    Places are ISO 3166-1 countries (``US``), ISO 3166-2 subdivisions
    (``US-TX``) or region codes from ``regions`` (``EU``). A place covers
    itself; a country covers its subdivisions; a region covers its members,
    their subdivisions, and any region whose members it all contains.
    """
    outer, inner = _code(outer), _code(inner)
    if not outer or not inner:
        return False
    if outer == inner or inner.startswith(outer + "-"):
        return True
    members = {_code(m) for m in regions.get(outer, ())} if outer in regions else set()
    if not members:
        return False
    if inner in regions:
        inner_members = {_code(m) for m in regions[inner]}
        return bool(inner_members) and inner_members <= members
    return inner.split("-", 1)[0] in members


def restriction_effect(place: str, buyer_places: Iterable[str], regions: Mapping[str, Iterable[str]]
                       ) -> tuple[str, str | None]:
    """How a restriction at ``place`` reaches the buyer: (``full``|``partial``|``elsewhere``, buyer place).

    ``full`` when the restricted place covers a buyer jurisdiction (a national
    ban reaches a buyer in one of its states; an EU-wide one a buyer in a
    member state); ``partial`` when a buyer jurisdiction covers the restricted
    place without being covered by it (a US-TX ban for a US buyer, an IT ban for
    a buyer whose jurisdiction is EU).
    """
    partial: str | None = None
    for area in buyer_places:
        if covers(place, area, regions):
            return "full", _code(area)
        if partial is None and covers(area, place, regions):
            partial = _code(area)
    return ("partial", partial) if partial else ("elsewhere", None)


# -- working state ---------------------------------------------------------------------------------

@dataclass
class _Work:
    """What the check gathers while it reads the profile."""

    settings: Mapping[str, Any]
    as_of: dt.date
    rationale: list[str] = field(default_factory=list)
    recommendations: list[str] = field(default_factory=list)
    deductions: list[tuple[str, float]] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)
    evidence: list[tuple[dt.date | None, list[str]]] = field(default_factory=list)
    critical: str | None = None
    floor: str | None = None
    floor_reasons: list[str] = field(default_factory=list)
    blocking: list[str] = field(default_factory=list)
    listed_unbound: list[str] = field(default_factory=list)
    screening_metrics: dict[str, int] = field(default_factory=dict)

    def num(self, key: str) -> float:
        """A numeric setting, falling back to the default when malformed."""
        value = self.settings.get(key)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            return float(DEFAULTS[key])
        return float(value)

    def raise_floor(self, rating: str, reason: str) -> None:
        """Make the check's rating at least ``rating`` (the reason goes to the rationale)."""
        from vendordd.model import worst
        self.floor = worst(self.floor, rating)
        self.floor_reasons.append(reason)
        self.rationale.append(f"Rating at least {rating}: {reason}.")

    def effect(self, list_id: str) -> str:
        """The policy's effect of a listing on ``list_id``, a list the buyer is bound by."""
        effects = self.settings.get("bound_list_effects")
        effects = effects if isinstance(effects, Mapping) else DEFAULT_BOUND_LIST_EFFECTS
        value = effects.get(list_id, self.settings.get("unknown_bound_list_effect", "reject"))
        return value if value in ("reject", "escalate", "deduction") else "reject"

    def deduct(self, label: str, points: float, line: str) -> None:
        """Record a deduction and its rationale line (``line`` ends without the points)."""
        self.deductions.append((label, points))
        self.rationale.append(f"{line}: -{points:g}.")

    def cite(self, entry: Any, date: dt.date | None) -> None:
        """Remember an entry's sources and date for confidence and the sources list."""
        ids = [s for s in (entry.get("sources") or ()) if isinstance(s, str)] \
            if isinstance(entry, Mapping) else []
        for sid in ids:
            if sid not in self.sources:
                self.sources.append(sid)
        self.evidence.append((date, ids))

    def in_future(self, date: dt.date | None, what: str) -> bool:
        """True (with a rationale line) when a fact is dated after the assessment date."""
        if date is not None and date > self.as_of:
            self.rationale.append(f"Ignored {what}: dated {date.isoformat()}, after the assessment date "
                                  f"{self.as_of.isoformat()}.")
            return True
        return False


def _entries(value: Any) -> list[Mapping[str, Any]]:
    """The mapping entries of a list field (anything else is ignored)."""
    return [e for e in value if isinstance(e, Mapping)] if isinstance(value, list) else []


def _codes(value: Any) -> list[str]:
    """Place or list codes from a list field, normalised, without blanks or repeats."""
    out: list[str] = []
    for item in value if isinstance(value, list) else ():
        code = _code(item) if isinstance(item, str) else ""
        if code and code not in out:
            out.append(code)
    return out


# -- components ------------------------------------------------------------------------------------

def _sanctions(geo: Mapping[str, Any], bound: list[str], work: _Work) -> None:
    """Listings: bound list -> hard rule; other list -> deduction; proposed; delisted."""
    rows: list[dict[str, Any]] = []
    unbound_lists: list[str] = []
    proposed_seen: set[str] = set()
    for entry in _entries(geo.get("sanctions")):
        name = _code(entry.get("list", "?"))
        status = str(entry.get("status", "")).strip().lower()
        since = ev.parse_date(entry.get("since"))
        if work.in_future(since, f"the {status or 'unknown'} entry on {name}"):
            continue
        is_bound = name in bound
        rows.append({"list": name, "status": status, "since": entry.get("since"), "bound": is_bound})
        work.cite(entry, since)
        when = f" since {entry['since']}" if entry.get("since") else ""
        if status == "listed" and is_bound and work.effect(name) == "reject":
            work.critical = work.critical or f"listed on {name}{when}, a list the buyer is bound by"
            work.rationale.append(f"Sanctions: listed on {name}{when}; the buyer is bound by {name}, whose "
                                  "effect in the policy is reject: hard rule, score 0 and rating critical.")
        elif status == "listed" and is_bound and name not in unbound_lists:
            effect = work.effect(name)
            unbound_lists.append(name)
            work.deduct(f"listed:{name}", work.num("unbound_listing_deduction"),
                        f"Sanctions: listed on {name}{when}, a list the buyer is bound by with the "
                        f"effect {effect!r} in the policy")
            if effect == "escalate":
                work.raise_floor("high", f"listed on {name}, a bound list whose effect is escalate")
                work.recommendations.append(f"Refer the {name} listing to trade compliance before contracting: "
                                            "confirm that no item, software or technology subject to the list's "
                                            "licence requirement would flow to the vendor.")
        elif status == "listed":
            if name in unbound_lists:
                work.rationale.append(f"Sanctions: another listed entry on {name}: counted once.")
                continue
            unbound_lists.append(name)
            work.deduct(f"listed:{name}", work.num("unbound_listing_deduction"),
                        f"Sanctions: listed on {name}{when}, a list the buyer is not bound by")
        elif status == "proposed" and name not in proposed_seen:
            proposed_seen.add(name)
            key = "proposed_bound_deduction" if is_bound else "proposed_unbound_deduction"
            work.deduct(f"proposed:{name}", work.num(key),
                        f"Sanctions: proposed for {name}{when} ("
                        f"{'a list the buyer is bound by' if is_bound else 'not a list the buyer is bound by'})")
            work.recommendations.append(f"Re-verify the vendor's status on {name} against the official "
                                        "list before contracting; a proposed listing can become final.")
        elif status == "proposed":
            work.rationale.append(f"Sanctions: another proposed entry on {name}: counted once.")
        elif status == "delisted":
            work.rationale.append(f"Sanctions: delisted from {name}{when}: noted, no deduction.")
        elif status == "not_listed":
            checked = f" (checked {entry['since']})" if entry.get("since") else ""
            work.rationale.append(f"Sanctions: screened, not listed on {name}{checked}: no deduction.")
        else:
            work.rationale.append(f"Sanctions: entry on {name} has status {status or 'none'!r}, which the "
                                  "method does not score; no deduction.")
            work.recommendations.append(f"Establish the vendor's current status on {name}.")
    if unbound_lists:
        work.recommendations.append(
            "The vendor is listed on " + ", ".join(unbound_lists) + ", which the buyer is not bound by: "
            "check with counsel whether the listing affects your supply chain, partners or US-origin "
            "technology before relying on the vendor.")
    work.facts["sanctions"] = rows
    work.listed_unbound.extend(unbound_lists)


def _restrictions(geo: Mapping[str, Any], buyer_places: list[str], regions: Mapping[str, Any],
                  work: _Work) -> None:
    """Government restrictions on use: in the buyer's jurisdictions (full or partial) or elsewhere."""
    rows: list[dict[str, Any]] = []
    inside = elsewhere = 0.0
    for entry in _entries(geo.get("government_restrictions")):
        place = _code(entry.get("jurisdiction", ""))
        date = ev.parse_date(entry.get("date"))
        if not place or work.in_future(date, f"the government restriction in {place or '?'}"):
            continue
        effect, via = restriction_effect(place, buyer_places, regions)
        measure = entry.get("measure")
        weight = _measure_weight(work, measure)
        rows.append({"jurisdiction": place, "date": entry.get("date"), "effect": effect,
                     "buyer_jurisdiction": via, "scope": entry.get("scope"),
                     "measure": measure, "measure_weight": weight})
        work.cite(entry, date)
        if effect == "full":
            inside += work.num("restriction_in_buyer_deduction") * weight
        elif effect == "partial":
            inside += (work.num("restriction_in_buyer_deduction") * work.num("restriction_partial_factor")
                       * weight)
        else:
            elsewhere += work.num("restriction_elsewhere_deduction")
    work.facts["government_restrictions"] = rows
    here = [r for r in rows if r["effect"] != "elsewhere"]
    if here:
        points = min(inside, work.num("restriction_in_buyer_cap"))
        listing = ", ".join(f"{r['jurisdiction']} ({r['effect']}, {r['measure'] or 'measure unspecified'}"
                            f" x {r['measure_weight']:g})" for r in here)
        work.deduct("restrictions_in_buyer_jurisdictions", points,
                    f"Government restrictions in the buyer's jurisdictions: {listing}; "
                    f"{work.num('restriction_in_buyer_deduction'):g} each x the measure's weight, x "
                    f"{work.num('restriction_partial_factor'):g} when partial, at most "
                    f"{work.num('restriction_in_buyer_cap'):g}")
        work.recommendations.append("Government bodies where you operate restrict this vendor ("
                                    + ", ".join(r["jurisdiction"] for r in here)
                                    + "): check whether the restrictions cover your use and sector.")
    away = [r for r in rows if r["effect"] == "elsewhere"]
    if away:
        points = min(elsewhere, work.num("restriction_elsewhere_cap"))
        work.deduct("restrictions_elsewhere", points,
                    f"Government restrictions elsewhere: {len(away)} ("
                    + ", ".join(r["jurisdiction"] for r in away)
                    + f") x {work.num('restriction_elsewhere_deduction'):g}, at most "
                      f"{work.num('restriction_elsewhere_cap'):g}")


def _restricted_places(hq: str | None, geo: Mapping[str, Any], restricted: list[str],
                       regions: Mapping[str, Any], work: _Work) -> None:
    """Headquarters or operating jurisdictions inside the buyer's restricted jurisdictions."""
    def hit(code: str) -> str | None:
        return next((r for r in restricted if covers(r, code, regions)), None)

    if hq and (rule := hit(hq)):
        work.deduct("restricted_headquarters", work.num("restricted_headquarters_deduction"),
                    f"Headquarters {hq} is within the buyer's restricted jurisdiction {rule}")
        if work.settings.get("restricted_headquarters", "gate") == "gate":
            work.raise_floor("critical", f"headquarters {hq} is in the buyer's restricted jurisdiction {rule} "
                                         "(setting restricted_headquarters: gate)")
        work.recommendations.append(f"The vendor is headquartered in {hq}, a jurisdiction your policy "
                                    "restricts: approval needs an exception from the policy owner.")
    others = [c for c in _codes(geo.get("jurisdictions")) if c != hq and hit(c)]
    if others:
        work.deduct("restricted_jurisdictions", work.num("restricted_jurisdiction_deduction"),
                    "Operates or processes data in the buyer's restricted jurisdiction(s) "
                    + ", ".join(others) + " (once)")
        work.recommendations.append("Contract to keep your data and workloads out of "
                                    + ", ".join(others) + ".")
    work.facts["restricted_hits"] = {"headquarters": bool(hq and hit(hq)), "jurisdictions": others}


def _residency(geo: Mapping[str, Any], required: list[str], regions: Mapping[str, Any],
               work: _Work) -> bool:
    """Required residency regions the vendor does not offer; True when residency is unknown."""
    if not required:
        return False
    offered = geo.get("data_residency")
    if not isinstance(offered, list):
        block = work.settings.get("residency_unknown", "block") == "block"
        work.rationale.append("Data residency: the buyer requires " + ", ".join(required)
                              + " but the profile says nothing about the vendor's residency options: "
                              + ("a blocking condition (setting residency_unknown: block), lower confidence."
                                 if block else "no deduction, lower confidence."))
        if block:
            work.blocking.append("Data residency in " + ", ".join(required) + " is required by the policy "
                                 "but unknown for this vendor: obtain its residency terms in writing.")
        work.recommendations.append("Obtain the vendor's data-residency options for "
                                    + ", ".join(required) + " in writing.")
        work.facts["data_residency"] = {r: "unknown" for r in required}
        return True
    status: dict[str, str] = {}
    for region in required:
        matches = [e for e in _entries(offered) if covers(region, _code(e.get("region", "")), regions)]
        for entry in matches:
            work.cite(entry, None)
        if any(e.get("available") is True for e in matches):
            status[region] = "available"
            continue
        status[region] = "unavailable" if matches else "not_offered"
        work.deduct(f"residency:{region}", work.num("residency_missing_deduction"),
                    f"Data residency in {region} required by the buyer is "
                    f"{'unavailable' if matches else 'not offered'}")
        work.recommendations.append(f"The vendor offers no {region} data residency: keep regulated data "
                                    "away from it or require residency by contract.")
    work.facts["data_residency"] = status
    return False


def _ownership(geo: Mapping[str, Any], restricted: list[str], regions: Mapping[str, Any],
               work: _Work) -> None:
    """State ownership (scaled by the share), state links, shareholders from restricted places."""
    own = geo.get("ownership")
    if not isinstance(own, Mapping):
        return
    date = ev.parse_date(own.get("as_of"))
    if work.in_future(date, "the ownership facts"):
        return
    work.cite(own, date)
    pct = own.get("state_owned_pct")
    pct = float(pct) if isinstance(pct, (int, float)) and not isinstance(pct, bool) \
        and math.isfinite(pct) else None
    if pct is not None and pct > 0:
        share = min(pct, 100.0) / 100.0
        work.deduct("state_owned", share * work.num("state_owned_max_deduction"),
                    f"State ownership {pct:g}% x {work.num('state_owned_max_deduction'):g}")
    link = own.get("state_link")
    table = work.settings.get("state_link_deductions")
    table = table if isinstance(table, Mapping) else DEFAULTS["state_link_deductions"]
    if isinstance(link, str) and link in table:
        points = float(table[link])
        owned = (min(pct, 100.0) / 100.0 * work.num("state_owned_max_deduction")) if pct else 0.0
        if link == "controlled" and owned:  # the stake and the control are one fact
            points = max(0.0, points - owned)
        if points:
            work.deduct("state_linked", points, f"State link graded {link!r}"
                        + (" (beyond the state share already counted)" if link == "controlled" and owned else ""))
    elif own.get("state_linked") is True:
        work.deduct("state_linked", work.num("state_linked_deduction"), "State-linked (investors or control)")
    flagged: list[str] = []
    for holder in _entries(own.get("major_shareholders")):
        hp = holder.get("pct")
        country = holder.get("country")
        if isinstance(country, str) and isinstance(hp, (int, float)) and not isinstance(hp, bool) \
                and hp >= work.num("restricted_shareholder_min_pct") \
                and any(covers(r, country, regions) for r in restricted):
            flagged.append(f"{holder.get('name', '?')} ({_code(country)}, {hp:g}%)")
    _listed_shareholders(own, work)
    if flagged:
        work.deduct("restricted_shareholders", work.num("restricted_shareholder_deduction"),
                    "Shareholders of at least " f"{work.num('restricted_shareholder_min_pct'):g}% from the "
                    "buyer's restricted jurisdictions: " + ", ".join(flagged) + " (once)")
    work.facts["ownership"] = {"state_owned_pct": pct, "state_linked": own.get("state_linked"),
                               "restricted_shareholders": flagged}


def _listed_shareholders(own: Mapping[str, Any], work: _Work) -> None:
    """Shareholders that are themselves on lists: the ownership rule (e.g. OFAC's 50 % rule).

    Per list, the shares of the listed shareholders are added; at or above
    ``ownership_rule_pct`` the vendor is treated as listed there itself (by
    ownership); below it, a deduction and a recommendation.
    """
    bound = work.facts.get("_bound", [])
    per_list: dict[str, list[tuple[str, float | None]]] = {}
    for holder in _entries(own.get("major_shareholders")):
        hp = holder.get("pct")
        share = float(hp) if isinstance(hp, (int, float)) and not isinstance(hp, bool) else None
        for lid in _codes(holder.get("listed_on")):
            per_list.setdefault(lid, []).append((str(holder.get("name", "?")), share))
    rows = []
    for lid, holders in sorted(per_list.items()):
        # An unknown stake is not a zero stake: the known shares are a lower bound.
        total = sum(p for _, p in holders if p is not None)
        unknown = [n for n, p in holders if p is None]
        names = ", ".join(f"{n} ({p:g}%)" if p is not None else f"{n} (stake unknown)" for n, p in holders)
        rule = work.num("ownership_rule_pct")
        rows.append({"list": lid, "holders": [n for n, _ in holders], "pct": total,
                     "pct_unknown": unknown, "bound": lid in bound, "by_ownership": total >= rule})
        if unknown and total < rule and lid in bound:
            work.blocking.append(
                f"The stake of {', '.join(unknown)} (on {lid}, a list the buyer is bound by) is unknown, so "
                f"the {rule:g}% ownership rule cannot be ruled out: obtain the shareholding.")
        if total >= rule and lid in bound:
            effect = work.effect(lid)
            what = f"owned {total:g}% by shareholders on {lid} ({names}), at or above the {rule:g}% rule"
            if effect == "reject":
                work.critical = work.critical or what + ", a list the buyer is bound by"
                work.rationale.append(f"Ownership: {what}; treated as listed on {lid}: hard rule, score 0 "
                                      "and rating critical.")
                continue
            work.deduct(f"listed:{lid}", work.num("unbound_listing_deduction"),
                        f"Ownership: {what}; treated as listed on {lid} (effect {effect!r})")
            if effect == "escalate":
                work.raise_floor("high", what)
        else:
            work.deduct(f"listed_shareholder:{lid}", work.num("listed_shareholder_deduction"),
                        f"Ownership: shareholders on {lid} hold " + _share_against_rule(total, unknown, rule, names)
                        + ("" if lid in bound else f"; {lid} is not a list the buyer is bound by"))
        work.recommendations.append(f"Shareholders on {lid} ({names}): have counsel confirm whether "
                                    "ownership rules extend the listing to the vendor.")
    if rows:
        work.facts["listed_shareholders"] = rows


def _share_against_rule(total: float, unknown: list[str], rule: float, names: str) -> str:
    """'15% (A (15%)), below the 50% ownership rule', saying so when a stake is unknown."""
    if not unknown:
        return f"{total:g}% ({names}), " + ("below" if total < rule else "at or above") + f" the {rule:g}% ownership rule"
    if not total:
        return f"an unknown share ({names}); the {rule:g}% ownership rule cannot be checked"
    return f"at least {total:g}% ({names}); below the {rule:g}% ownership rule as far as known"


def _measure_weight(work: _Work, measure: Any) -> float:
    """The share of a restriction's deduction its kind of measure counts (unspecified: 1)."""
    weights = work.settings.get("measure_weights")
    weights = weights if isinstance(weights, Mapping) else DEFAULTS["measure_weights"]
    value = weights.get(measure) if isinstance(measure, str) else None
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 1.0


def _export_controls(profile: Mapping[str, Any], work: _Work) -> None:
    """Export controls on the vendor's compute supply (``compute.supply_constraints``)."""
    compute = profile.get("compute")
    found = False
    for entry in _entries(compute.get("supply_constraints") if isinstance(compute, Mapping) else None):
        if entry.get("type") != "export_control":
            continue
        date = ev.parse_date(entry.get("date") or entry.get("since"))
        if work.in_future(date, "the export-control supply constraint"):
            continue
        work.cite(entry, date)
        found = True
    if found:
        work.deduct("export_control", work.num("export_control_deduction"),
                    "Export controls constrain the vendor's compute supply (once)")
    work.facts["export_control"] = found


# -- screening against list files -------------------------------------------------------------------

def _screening(profile: Mapping[str, Any], ctx: CheckContext, bound: list[str], work: _Work) -> bool:
    """Matches of the vendor's names against the run's screening lists; False when none were given.

    A strong match on a list the buyer is bound by is the hard rule, like a
    ``listed`` entry in the profile; a strong match on another list counts as
    a listing there (once per list, shared with the profile's entries); a
    potential match costs a deduction once per list and asks for review.
    Matches dated after the assessment date are ignored; cleared ones are
    shown without a deduction.
    """
    screener = ctx.screening
    if screener is None:
        return False
    from vendordd.screening import vendor_names

    names, countries = vendor_names(profile)
    vendor_id = str((profile.get("vendor") or {}).get("id", ""))
    matches = screener.screen([n for n, _ in names], countries)
    roles = dict(names)
    lists = screener.summary()["lists"]
    work.rationale.append(
        f"Screening: {len(names)} name(s) screened against {len(lists)} list file(s) ("
        + "; ".join(f"{lst['file']} dated {lst['date']}" for lst in lists) + "): "
        + (f"{sum(m.strength == 'strong' for m in matches)} strong and "
           f"{sum(m.strength == 'potential' for m in matches)} potential match(es)." if matches
           else "no match."))
    rows: list[dict[str, Any]] = []
    potential: dict[str, int] = {}
    confirm: dict[str, list[str]] = {}
    for match in matches:
        entry, lid = match.entry, match.entry.list_id
        row = {**match.as_dict(), "role": roles.get(match.vendor_name, "name"), "bound": lid in bound,
               "status": "in_force"}
        rows.append(row)
        what = f"{match.strength} match on {lid}: {match.describe()}"
        if work.in_future(ev.parse_date(entry.start_date), f"the screening {what}"):
            row["status"] = "future"
            continue
        cleared, note = screener.clearance(vendor_id, match, ctx.as_of)
        if note:
            work.rationale.append(f"Screening: {note}.")
        if cleared is not None:
            row["status"] = "cleared"
            work.rationale.append(f"Screening: {what}; cleared by {cleared.get('approved_by')} (expires "
                                  f"{cleared.get('expires')}): {cleared.get('reason')}: no deduction.")
        elif match.strength == "strong" and lid in bound:
            since = f" since {entry.start_date}" if entry.start_date else ""
            work.critical = work.critical or (f"a strong match for {entry.name!r} on {lid}{since}, a list "
                                              "the buyer is bound by")
            work.rationale.append(f"Screening: {what}; the buyer is bound by {lid}: hard rule, score 0 "
                                  "and rating critical.")
            confirm.setdefault(lid, []).append(entry.name)
        elif match.strength == "strong" and lid in work.listed_unbound:
            work.rationale.append(f"Screening: {what}; the listing on {lid} is already counted.")
        elif match.strength == "strong":
            work.listed_unbound.append(lid)
            work.deduct(f"listed:{lid}", work.num("unbound_listing_deduction"),
                        f"Screening: {what}; {lid} is a list the buyer is not bound by")
            work.recommendations.append(f"The vendor matches an entry on {lid}, which the buyer is not "
                                        "bound by: check with counsel whether the listing affects your "
                                        "supply chain, partners or US-origin technology.")
        elif lid in potential:
            potential[lid] += 1
            work.rationale.append(f"Screening: {what} (counted once per list).")
        else:
            potential[lid] = 1
            key = "screening_potential_bound_deduction" if lid in bound \
                else "screening_potential_unbound_deduction"
            work.deduct(f"screening_potential:{lid}", work.num(key),
                        f"Screening: {what}; "
                        + ("a list the buyer is bound by" if lid in bound else "not a list the buyer is bound by"))
    _screening_advice(confirm, potential, work)
    in_force = [r for r in rows if r["status"] == "in_force"]
    work.screening_metrics = {
        "screening_matches": len(in_force),
        "screening_strong": sum(r["strength"] == "strong" for r in in_force),
        "screening_potential": sum(r["strength"] == "potential" for r in in_force),
        "screening_cleared": sum(r["status"] == "cleared" for r in rows)}
    work.facts["screening_matches"] = rows
    work.facts["screening"] = {"names": [{"name": n, "role": r} for n, r in names], "countries": countries,
                               "lists": [{k: lst[k] for k in ("file", "sha256", "format", "date")}
                                         for lst in lists]}
    return True


def _screening_advice(confirm: Mapping[str, list[str]], potential: Mapping[str, int], work: _Work) -> None:
    """One recommendation per list: confirm its strong matches on bound lists, review its potential ones."""
    for lid, listed in confirm.items():
        work.recommendations.append(f"Confirm the strong screening match(es) on {lid} ("
                                    + "; ".join(listed) + ") with your trade-compliance function; a false "
                                    "positive is cleared in the policy's screening.clearances, with the reason.")
    for lid, count in potential.items():
        work.recommendations.append(
            f"Review the {count} potential screening match(es) on {lid}: compare the listed entries' "
            "addresses, identifiers and owners with the vendor's; record a confirmed match in "
            "geopolitics.sanctions, or clear a false positive in the policy's screening.clearances with "
            "the reason.")


# -- the check -------------------------------------------------------------------------------------

def _completeness(hq: str | None, geo: Mapping[str, Any], residency_counts: bool,
                  ownership_used: bool, screened: bool = False) -> float:
    """The weighted share of the inputs the profile gave (docs: "Confidence").

    An ownership block dated after the as-of date was left out, so it does not count.
    """
    present = {"headquarters": bool(hq),
               "jurisdictions": isinstance(geo.get("jurisdictions"), list),
               "sanctions": screened or isinstance(geo.get("sanctions"), list),
               "government_restrictions": isinstance(geo.get("government_restrictions"), list),
               "ownership": ownership_used,
               "data_residency": isinstance(geo.get("data_residency"), list)}
    weights = dict(_COMPLETENESS_WEIGHTS)
    if not residency_counts:
        weights.pop("data_residency")
    return sum(w for k, w in weights.items() if present[k]) / sum(weights.values())


def _buyer(policy: Mapping[str, Any]) -> tuple[list[str], list[str], list[str], list[str]]:
    """(bound_by_lists, jurisdictions, restricted_jurisdictions, requires_data_residency), normalised."""
    buyer = _m if isinstance(_m := policy.get("buyer"), Mapping) else {}
    return (_codes(buyer.get("bound_by_lists")), _codes(buyer.get("jurisdictions")),
            _codes(buyer.get("restricted_jurisdictions")), _codes(buyer.get("requires_data_residency")))


def _regions(settings: Mapping[str, Any]) -> dict[str, list[str]]:
    """The region table from the settings (the default one when the setting is malformed)."""
    regions = settings.get("regions")
    if not isinstance(regions, Mapping):
        return DEFAULT_REGIONS
    return {_code(k): list(v) for k, v in regions.items() if isinstance(v, list)}


def assess(profile: Mapping[str, Any], ctx: CheckContext,
           engagement: Mapping[str, Any] | None = None) -> Finding:
    """Score the vendor's geopolitical exposure for the policy's buyer (for a self-hosted
    engagement: that use's exposure, see the module docstring)."""
    if engagement is not None and engagement.get("deployment") == "self_hosted_weights":
        return assess_self_hosted(profile, ctx)
    vendor = _m if isinstance(_m := profile.get("vendor"), Mapping) else {}
    hq = _code(vendor["headquarters"]) if isinstance(vendor.get("headquarters"), str) \
        and vendor["headquarters"].strip() else None
    geo = profile.get("geopolitics")
    if not isinstance(geo, Mapping) and not hq:
        return Finding.insufficient(
            "No geopolitics section and no headquarters: exposure cannot be assessed.",
            recommendations=["Record the vendor's headquarters, jurisdictions, ownership and a "
                             "sanctions screening result in the profile."])
    geo = geo if isinstance(geo, Mapping) else {}
    bound, buyer_places, restricted, required = _buyer(ctx.policy)
    regions = _regions(ctx.settings)

    work = _Work(settings=ctx.settings, as_of=ctx.as_of)
    work.facts["_bound"] = bound
    if not buyer_places and not bound:
        work.rationale.append("The policy names no buyer jurisdictions or bound lists: exposure is "
                              "judged against an empty buyer profile.")
        work.recommendations.append("Set policy.buyer (jurisdictions, bound_by_lists, "
                                    "restricted_jurisdictions) so that exposure is judged for you.")
    _sanctions(geo, bound, work)
    screened = _screening(profile, ctx, bound, work)
    _restrictions(geo, buyer_places, regions, work)
    _restricted_places(hq, geo, restricted, regions, work)
    residency_unknown = _residency(geo, required, regions, work)
    _ownership(geo, restricted, regions, work)
    _export_controls(profile, work)
    if "sanctions" not in geo and not screened:
        work.recommendations.append("Screen the vendor and its affiliates against the lists you are bound "
                                    "by (e.g. the US Consolidated Screening List) and record the result.")

    score, total = _score(work, with_total=True)
    completeness = _completeness(hq, geo, bool(required), "ownership" in work.facts, screened)
    confidence = ev.confidence(completeness, work.evidence, profile, ctx.as_of,
                               int(ctx.policy.get("freshness_days", 365)))
    if residency_unknown:
        confidence = round(confidence * UNKNOWN_RESIDENCY_FACTOR, 2)
    if not geo:
        work.rationale.append("Only the headquarters is known: weak evidence, low confidence.")
    work.facts.pop("_bound", None)
    if work.blocking:
        work.facts["blocking_conditions"] = list(work.blocking)
    work.facts.update({"headquarters": hq, "jurisdictions": _codes(geo.get("jurisdictions")),
                       "buyer": {"jurisdictions": buyer_places, "bound_by_lists": bound,
                                 "restricted_jurisdictions": restricted,
                                 "requires_data_residency": required}})
    metrics = {"deductions_total": round(total, 1), "completeness": round(completeness, 3),
               "hard_rule": bool(work.critical), **work.screening_metrics,
               **{f"deduction.{label}": round(points, 2) for label, points in work.deductions}}
    advice = [_critical_advice(work.critical)] if work.critical else []
    rating = "critical" if work.critical else work.floor
    return Finding(status="ok", score=score, rating=rating,
                   confidence=confidence, summary=_summary(work, hq),
                   rationale=work.rationale, metrics=metrics, sources=work.sources,
                   recommendations=list(dict.fromkeys(advice + work.recommendations)),
                   facts=work.facts)


# -- self-hosted weights ----------------------------------------------------------------------------

#: Completeness weights of a self-hosted use's inputs (docs: "Self-hosted weights").
_SELF_HOSTED_WEIGHTS = {"sanctions": 0.5, "licence_jurisdiction": 0.3, "export_control": 0.2}


def _weights_releases(profile: Mapping[str, Any], work: _Work) -> list[Mapping[str, Any]]:
    """The vendor's released open or gated weights, dated by the as-of date."""
    source = profile.get("open_source")
    out = []
    for rel in _entries(source.get("releases") if isinstance(source, Mapping) else None):
        if rel.get("availability") not in ("open_weights", "gated_weights") \
                or rel.get("status", "released") != "released":
            continue
        date = ev.parse_date(rel.get("date"))
        if work.in_future(date, f"the release {rel.get('name')!r}"):
            continue
        out.append(rel)
    return out


def assess_self_hosted(profile: Mapping[str, Any], ctx: CheckContext) -> Finding:
    """The exposure of a self-hosted weights use (module docstring; docs: "Self-hosted weights")."""
    geo = _m if isinstance(_m := profile.get("geopolitics"), Mapping) else {}
    bound, buyer_places, restricted, _required = _buyer(ctx.policy)
    regions = _regions(ctx.settings)
    work = _Work(settings=ctx.settings, as_of=ctx.as_of)
    work.facts["_bound"] = bound
    work.rationale.append("Self-hosted weights: judged on sanctions, the weights' licence jurisdiction and export "
                          "controls on the weights; the vendor's government restrictions, headquarters, "
                          "jurisdictions, data residency, ownership and compute supply do not reach weights run "
                          "on the buyer's own infrastructure.")
    _sanctions(geo, bound, work)
    screened = _screening(profile, ctx, bound, work)
    releases = _weights_releases(profile, work)
    if not releases and not work.critical:
        return Finding.insufficient(
            "No open or gated weights release recorded: nothing the buyer could self-host.",
            rationale=work.rationale,
            recommendations=["Record the vendor's open-weights releases (open_source.releases) or judge "
                             "this engagement as an API use."])
    plain = set(_codes(ctx.settings.get("licences_without_jurisdiction_clause")
                       if isinstance(ctx.settings.get("licences_without_jurisdiction_clause"), list)
                       else DEFAULTS["licences_without_jurisdiction_clause"]))
    known_clause, clause_hits, known_export, export_hits = 0, [], 0, []
    for rel in releases:
        name = str(rel.get("name") or "?")
        if "license_jurisdiction" in rel or _code(rel.get("license") or "") in plain:
            known_clause += 1
            work.cite(rel, ev.parse_date(rel.get("date")))
            place = rel.get("license_jurisdiction")
            if isinstance(place, str) and any(covers(r, place, regions) for r in restricted):
                clause_hits.append(f"{name} ({_code(place)})")
        if isinstance(rel.get("export_controlled_in"), list):
            known_export += 1
            work.cite(rel, ev.parse_date(rel.get("date")))
            places = _codes(rel.get("export_controlled_in"))
            if any(covers(c, b, regions) or covers(b, c, regions) for c in places for b in buyer_places):
                export_hits.append(f"{name} ({', '.join(places)})")
    if clause_hits:
        work.deduct("licence_jurisdiction", work.num("licence_jurisdiction_deduction"),
                    "The licence of " + "; ".join(clause_hits) + " is governed by the law or courts of a "
                    "jurisdiction the buyer restricts")
        work.recommendations.append("Self-host only weights whose licence has no governing-law or venue clause "
                                    "in a restricted jurisdiction, or have counsel clear the clause.")
    if export_hits:
        work.deduct("weights_export_control", work.num("weights_export_control_deduction"),
                    "Export controls where the buyer operates cover " + "; ".join(export_hits))
        work.recommendations.append("Check with trade compliance before moving or sharing these weights "
                                    "across borders.")
    if releases and known_clause < len(releases):
        work.rationale.append(f"The licence jurisdiction clause of {len(releases) - known_clause} of "
                              f"{len(releases)} weights release(s) is not recorded: lower confidence.")
        work.recommendations.append("Read the governing-law and venue clauses of the weights' licence and "
                                    "record them (open_source.releases[].license_jurisdiction).")
    if "sanctions" not in geo and not screened:
        work.recommendations.append("Screen the vendor and its affiliates against the lists you are bound "
                                    "by and record the result.")
    score, total = _score(work, with_total=False)
    count = len(releases) or 1
    completeness = (_SELF_HOSTED_WEIGHTS["sanctions"] * (screened or isinstance(geo.get("sanctions"), list))
                    + _SELF_HOSTED_WEIGHTS["licence_jurisdiction"] * known_clause / count
                    + _SELF_HOSTED_WEIGHTS["export_control"] * known_export / count)
    confidence = ev.confidence(completeness, work.evidence, profile, ctx.as_of,
                               int(ctx.policy.get("freshness_days", 365)))
    work.facts.pop("_bound", None)
    work.facts.update({"deployment": "self_hosted_weights", "weights_releases": len(releases),
                       "licence_jurisdiction_known": known_clause, "export_control_known": known_export,
                       "not_applied": _not_applied(profile, restricted, regions)})
    metrics = {"deductions_total": round(total, 1), "completeness": round(completeness, 3),
               "hard_rule": bool(work.critical), **work.screening_metrics,
               **{f"deduction.{label}": round(points, 2) for label, points in work.deductions}}
    summary = (f"Critical: {work.critical}." if work.critical else
               "Self-hosted weights: " + ("; ".join(f"{_label(k)} (-{p:g})" for k, p in work.deductions)
                                          if work.deductions else "no exposure found for this use") + ".")
    return Finding(status="ok", score=score, rating="critical" if work.critical else work.floor,
                   confidence=confidence, summary=summary, rationale=work.rationale, metrics=metrics,
                   sources=work.sources,
                   recommendations=list(dict.fromkeys(([_critical_advice(work.critical)] if work.critical else [])
                                                      + work.recommendations)),
                   facts=work.facts)


def _not_applied(profile: Mapping[str, Any], restricted: list[str],
                 regions: Mapping[str, list[str]]) -> list[str]:
    """In words, the vendor-level exposures a self-hosted weights use leaves out (the buyer runs the
    weights itself), the headquarters first, named with its restriction when the buyer restricts it."""
    vendor = _m if isinstance(_m := profile.get("vendor"), Mapping) else {}
    hq = _code(vendor["headquarters"]) if isinstance(vendor.get("headquarters"), str) \
        and vendor["headquarters"].strip() else None
    out = []
    if hq:
        hit = any(covers(r, hq, regions) for r in restricted)
        out.append(f"headquarters in {hq}" + (" (restricted by the buyer)" if hit else ""))
    return out + ["government restrictions such as app bans", "data residency", "ownership",
                  "export controls on its compute"]


def _score(work: _Work, *, with_total: bool) -> tuple[float, float]:
    """The score, 100 less the deductions (0 under a hard rule), and the deductions' total; the
    arithmetic is added to the rationale.

    ``with_total`` adds, under a hard rule, the deductions that are shown for information only.
    """
    total = sum(points for _, points in work.deductions)
    score = 0.0 if work.critical else round(ev.clamp(100.0 - total), 1)
    if work.critical:
        extra = f"; the other deductions ({total:g}) are shown for information" if with_total else ""
        work.rationale.append(f"Score = 0 (hard rule: {work.critical}){extra}.")
    else:
        arithmetic = " - ".join(["100", *(f"{p:g}" for _, p in work.deductions)])
        work.rationale.append(f"Score = {arithmetic} = {score:g} (clamped to 0-100).")
    return score, total


def _critical_advice(reason: str) -> str:
    """The first recommendation under the hard rule."""
    return (f"Do not contract: the vendor is {reason}. Refer to your trade-compliance function; any "
            "engagement needs a licence or legal clearance.")


def _summary(work: _Work, hq: str | None) -> str:
    """One line: the hard rule, or the largest deductions, or "no exposure found"."""
    if work.critical:
        return f"Critical: {work.critical}."
    if work.floor:
        lead = f"Rated at least {work.floor}: {work.floor_reasons[0]}"
        rest = sorted(work.deductions, key=lambda d: -d[1])[:2]
        return lead + ("; " + "; ".join(f"{_label(k)} (-{p:g})" for k, p in rest) if rest else "") + "."
    if not work.deductions:
        return (f"Headquartered in {hq}; no" if hq else "No") + " geopolitical exposure found for this buyer."
    top = sorted(work.deductions, key=lambda d: -d[1])[:3]
    return "Exposure for this buyer: " + "; ".join(f"{_label(key)} (-{points:g})"
                                                    for key, points in top) + "."


_LABELS = {
    "restrictions_in_buyer_jurisdictions": "government restrictions where the buyer operates",
    "restrictions_elsewhere": "government restrictions elsewhere",
    "restricted_headquarters": "headquarters in a restricted jurisdiction",
    "restricted_jurisdictions": "operates in a restricted jurisdiction",
    "state_owned": "state ownership",
    "state_linked": "state links",
    "restricted_shareholders": "shareholders from restricted jurisdictions",
    "export_control": "export controls on its compute",
    "licence_jurisdiction": "licence governed in a restricted jurisdiction",
    "weights_export_control": "export controls on the weights",
}


def _label(key: str) -> str:
    """Words for a deduction key (``listed:US-BIS-ENTITY`` -> ``listed on US-BIS-ENTITY``)."""
    kind, _, arg = key.partition(":")
    if kind == "listed":
        return f"listed on {arg} (a list the buyer is not bound by)"
    if kind == "proposed":
        return f"proposed for {arg}"
    if kind == "listed_shareholder":
        return f"shareholders on {arg}"
    if kind == "screening_potential":
        return f"potential screening match on {arg}"
    if kind == "residency":
        return f"no {arg} data residency"
    return _LABELS.get(key, key.replace("_", " "))


CHECK = Check(
    id="geopolitical_exposure",
    title="Geopolitical exposure",
    category="geopolitics",
    run=assess,
    version="1.1",  # 1.1: judges a self-hosted weights engagement on its own terms
    weight=1.0,
    needs=("/vendor/headquarters", "/geopolitics", "/compute/supply_constraints", "/vendor/name",
           "/vendor/legal_name", "/vendor/aliases", "/vendor/subsidiaries", "/open_source/releases"),
    defaults=DEFAULTS,
    settings_schema=schema_for_defaults(DEFAULTS),
    doc=("Judged against policy.buyer. Listed on a list the buyer is bound by: score 0, critical. "
         "Otherwise 100 minus: listing on another list 35; proposed 20 (bound) / 10; government "
         "restrictions in the buyer's jurisdictions 20 each (x0.5 partial, cap 40), elsewhere 3 each "
         "(cap 15); headquarters in a restricted jurisdiction 40, other jurisdictions 20; each required "
         "residency region not offered 15; state ownership up to 30, state links 10; restricted-country "
         "shareholders 15; export controls on compute 10. With screening lists: a strong name match on a "
         "bound list is the hard rule, on another list a listing (35); potential matches 15 per bound "
         "list, 5 per other list. For a self-hosted weights engagement: sanctions and screening only, plus "
         "a weights licence governed in a restricted jurisdiction 30 and weights export-controlled where the "
         "buyer operates 15."),
)


@hookimpl
def register_checks(register):
    register(CHECK)
