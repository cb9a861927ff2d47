"""Built-in portfolio analysis: concentration, risk-weighted exposure, fallbacks.

Implements the ``analyse_portfolio`` hook (so a plugin can add to it or
replace it by disabling ``vendordd.plugins.portfolio_concentration``) and
adds the Portfolio sheet through ``scorecard_sheets``.

Method (docs/methodology.md, "Portfolio"):

- shares are normalised to sum to 1 (a warning says so when they did not);
- HHI = sum of (share in percent)^2, 0-10,000. Bands, from the policy's
  ``portfolio`` settings: below 1,000 unconcentrated, 1,000-1,800 moderately
  concentrated, above 1,800 highly concentrated (the 1992 US Horizontal
  Merger Guidelines' bands; 1,800 is again the "highly concentrated" bound
  in the 2023 Merger Guidelines);
- risk-weighted exposure of a vendor = share x (100 - overall score) / 100;
  a vendor with no score has unknown exposure;
- a fallback for a workload is an assessed vendor, other than the ones
  serving it, whose capabilities cover the workload's and whose
  recommendation is approve or approve with conditions; best score first.
  When the portfolio declares engagements for the workload, that
  recommendation is the candidate's verdict for each of those uses (its
  deployment, data sensitivity and criticality: docs/methodology/engagements.md),
  and it must be approvable for every one of them; a self-hosted use also
  needs evidence that the candidate publishes downloadable weights (an
  open or gated release in its open-source facts). Without engagements for
  the workload it is the vendor's verdict alone;
- a single point of failure is a workload served by one vendor with no
  acceptable fallback in place; it is flagged first. A fallback named in the
  portfolio whose vendor has no assessed profile in the run (a refused or
  missing profile) is never a fallback in place: it is listed as
  ``unassessed_fallbacks`` and a warning says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from vendordd import hookimpl
from vendordd.engagements import assess_engagement
from vendordd.model import USE_FIELDS, use_key

DEFAULT_BANDS = {"moderate": 1000, "high": 1800}
ACCEPTABLE = ("approve", "approve_with_conditions")


def hhi_band(hhi: float, bands: Mapping[str, float] = DEFAULT_BANDS) -> str:
    """unconcentrated / moderately_concentrated / highly_concentrated."""
    if hhi > bands["high"]:
        return "highly_concentrated"
    if hhi >= bands["moderate"]:
        return "moderately_concentrated"
    return "unconcentrated"


def analyse(results: Mapping[str, Any], portfolio: Mapping[str, Any],
            policy: Mapping[str, Any]) -> dict[str, Any]:
    """The ``concentration`` section of the results (see the module docstring)."""
    settings = {**DEFAULT_BANDS, **((policy.get("portfolio") or {}).get("hhi_bands") or {})}
    uses = _uses(portfolio)
    as_of = dt.date.fromisoformat(str(results.get("as_of") or policy.get("as_of"))) if uses else None
    # Only what is used: results["vendors"] may be a VendorStore that decodes each entry when read.
    assessed = {v["id"]: {"name": v["name"], "capabilities": v.get("capabilities"), "overall": v["overall"],
                          "alone": v.get("unconditioned") or v["overall"],
                          "for_use": {key: _verdict_for(use, v, policy, as_of) for key, use in uses.items()}
                          if as_of else {}}
                for v in results.get("vendors", [])}
    entries = list(portfolio.get("vendors") or [])
    total = sum(float(e.get("share", 0)) for e in entries)
    warnings: list[str] = []
    if entries and abs(total - 1.0) > 0.005:
        warnings.append(f"portfolio shares sum to {total:.3f}, not 1; they were normalised")
    vendors = []
    for e in sorted(entries, key=lambda e: (-float(e.get("share", 0)), e["vendor"])):
        share = float(e.get("share", 0)) / total if total > 0 else 0.0
        res = assessed.get(e["vendor"])
        score = res["overall"]["score"] if res else None
        if res is None:
            warnings.append(f"portfolio vendor {e['vendor']!r} has no assessed profile in this run")
        named = list(e.get("fallbacks") or [])
        unassessed = [f for f in named if f not in assessed]
        for f in unassessed:
            warnings.append(f"portfolio vendor {e['vendor']!r} names {f!r} as a fallback, but {f!r} has no "
                            "assessed profile in this run: not counted as a fallback in place")
        vendors.append({
            "vendor": e["vendor"], "name": res["name"] if res else f"{e['vendor']} (not assessed)",
            "assessed": res is not None,
            "share": round(share, 4), "criticality": e.get("criticality"),
            "score": score, "tier": res["overall"]["tier"] if res else None,
            "recommendation": res["overall"]["recommendation"] if res else None,
            "risk_weighted_exposure": (round(share * (100 - score) / 100, 4)
                                       if score is not None else None),
            "workloads": list(e.get("workloads") or []),
            "fallbacks_in_place": [f for f in named if f in assessed],
            "unassessed_fallbacks": unassessed,
        })
    hhi = round(sum((v["share"] * 100) ** 2 for v in vendors), 0)
    largest = vendors[0] if vendors else None
    known = [v["risk_weighted_exposure"] for v in vendors if v["risk_weighted_exposure"] is not None]
    workloads = [_workload(w, vendors, assessed, _workload_uses(w["id"], portfolio))
                 for w in portfolio.get("workloads") or []]
    workloads.sort(key=lambda w: (not w["single_point_of_failure"], bool(w["fallbacks"]), w["id"]))
    return {
        "name": portfolio.get("name"), "basis": portfolio.get("basis", "spend"),
        "hhi": hhi, "hhi_band": hhi_band(hhi, settings), "hhi_bands": settings,
        "largest_share": largest["share"] if largest else None,
        "largest_vendor": largest["vendor"] if largest else None,
        "risk_weighted_exposure": round(sum(known), 4) if known else None,
        "exposure_unknown_share": round(sum(v["share"] for v in vendors
                                            if v["risk_weighted_exposure"] is None), 4),
        "vendors": vendors, "workloads": workloads,
        "flags": _flags(hhi, settings, largest, workloads, {v["vendor"]: v["name"] for v in vendors}),
        "warnings": warnings,
    }


def _uses(portfolio: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The distinct uses (:data:`vendordd.model.USE_FIELDS`) of the portfolio's engagements that
    name a workload, by :func:`vendordd.model.use_key`."""
    return {use_key(e): {k: e.get(k) for k in USE_FIELDS}
            for e in portfolio.get("engagements") or () if e.get("workload")}


def _workload_uses(workload: str, portfolio: Mapping[str, Any]) -> list[str]:
    return sorted({use_key(e) for e in portfolio.get("engagements") or () if e.get("workload") == workload})


def _verdict_for(use: Mapping[str, Any], vendor: Mapping[str, Any], policy: Mapping[str, Any],
                 as_of: dt.date) -> dict[str, Any]:
    """The vendor's score, tier and recommendation for that use; a self-hosted use without evidence
    of downloadable weights is not feasible (recommendation None)."""
    judged = assess_engagement({**use, "vendor": vendor["id"]}, vendor, policy, as_of)
    feasible = use.get("deployment") != "self_hosted_weights" or _publishes_weights(vendor)
    return {"score": judged.get("score"), "tier": judged["tier"],
            "recommendation": judged["recommendation"] if feasible else None}


def _publishes_weights(vendor: Mapping[str, Any]) -> bool:
    """Evidence of an open or gated weights release among the open-source check's facts."""
    for check in vendor.get("checks") or ():
        if check.get("id") == "open_source_commitment":
            releases = (check.get("facts") or {}).get("releases") or ()
            return any(r.get("availability") in ("open_weights", "gated_weights") for r in releases
                       if isinstance(r, Mapping))
    return False


def _candidate_verdict(res: Mapping[str, Any], uses: list[str]) -> Mapping[str, Any] | None:
    """The candidate's verdict for the workload: alone without uses; else its worst over the uses
    (None when one of them is not feasible)."""
    if not uses:
        return res["alone"]
    verdicts = [res["for_use"][u] for u in uses]
    if any(v["recommendation"] is None for v in verdicts):
        return None
    return max(verdicts, key=lambda v: (ACCEPTABLE.index(v["recommendation"]) if v["recommendation"] in ACCEPTABLE
                                        else len(ACCEPTABLE), -(v["score"] or 0)))


def _workload(w: Mapping[str, Any], vendors: list[dict[str, Any]],
              assessed: Mapping[str, Any], uses: Sequence[str] = ()) -> dict[str, Any]:
    needed = set(w.get("capabilities") or [])
    serving = [v for v in vendors if w["id"] in v["workloads"]]
    serving_ids = {v["vendor"] for v in serving}
    candidates = []
    for vid, res in sorted(assessed.items()):
        if vid in serving_ids:
            continue
        caps = set(res.get("capabilities") or [])
        if not needed <= caps:
            continue
        verdict = _candidate_verdict(res, list(uses))
        if verdict is None or verdict["recommendation"] not in ACCEPTABLE:
            continue
        candidates.append({"vendor": vid, "name": res["name"], "score": verdict["score"],
                           "tier": verdict["tier"], "recommendation": verdict["recommendation"]})
    candidates.sort(key=lambda c: (-(c["score"] or 0), c["vendor"]))
    in_place = sorted({f for v in serving for f in v["fallbacks_in_place"]})  # assessed ones only
    unassessed = sorted({f for v in serving for f in v["unassessed_fallbacks"]})
    acceptable_in_place = [c["vendor"] for c in candidates if c["vendor"] in in_place]
    spof = len(serving) <= 1 and not acceptable_in_place
    return {"id": w["id"], "name": w.get("name", w["id"]), "capabilities": sorted(needed),
            "criticality": w.get("criticality"), "served_by": sorted(serving_ids),
            "fallbacks_in_place": in_place, "acceptable_fallbacks_in_place": acceptable_in_place,
            "unassessed_fallbacks": unassessed, "fallbacks": candidates, "single_point_of_failure": spof,
            "no_acceptable_fallback": not candidates}


def _flags(hhi: float, bands: Mapping[str, float], largest: Mapping[str, Any] | None,
           workloads: list[dict[str, Any]], names: Mapping[str, str]) -> list[str]:
    flags = []
    for w in workloads:
        if w["single_point_of_failure"]:
            who = ", ".join(names.get(v, v) for v in w["served_by"]) or "no assessed vendor"
            flags.append(f"Single point of failure: workload {w['name']!r} depends on {who} "
                         f"with no acceptable fallback in place"
                         + ("" if w["fallbacks"] else " and none among the assessed vendors") + ".")
        elif w["no_acceptable_fallback"]:
            flags.append(f"Workload {w['name']!r} has no acceptable fallback among the assessed vendors.")
        if w.get("unassessed_fallbacks"):
            flags.append(f"Workload {w['name']!r}: the fallback(s) {', '.join(w['unassessed_fallbacks'])} named "
                         "in the portfolio are not assessed in this run and do not count as in place.")
    if hhi > bands["high"] and largest:
        flags.append(f"Spend is highly concentrated (HHI {hhi:,.0f}); {largest['name']} "
                     f"holds {largest['share']:.0%}.")
    return flags


@hookimpl
def analyse_portfolio(results, portfolio, policy):
    if not portfolio:
        return None
    return {"concentration": analyse(results, portfolio, policy)}


def _pct(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 1)


@hookimpl
def scorecard_sheets(results, writer):
    """The Portfolio sheets: figures and flags, vendors (with a chart), fallbacks."""
    conc = (results.get("portfolio") or {}).get("concentration")
    if not conc:
        return
    # Names, not ids; tiers and verdicts capitalised as on the Summary; shares and exposure in %.
    names = {v["vendor"]: v["name"] for v in conc["vendors"]}
    for w in conc["workloads"]:
        names.update({c["vendor"]: c["name"] for c in w["fallbacks"] if c.get("vendor") and c.get("name")})

    def named(ids):
        return ", ".join(names.get(i, i) for i in ids)

    def in_place(entry):
        """The fallbacks in place, then those named but not assessed (never counted as in place)."""
        return ", ".join([named(entry["fallbacks_in_place"])] * bool(entry["fallbacks_in_place"])
                         + [f"{f} (not assessed)" for f in entry.get("unassessed_fallbacks") or ()])

    def word(value, missing=""):
        return str(value).replace("_", " ").capitalize() if value else missing

    head = writer.sheet("Portfolio", ["Item", "Value", "Detail"], widths=[34, 22, 90])
    if conc["flags"]:
        head.append(["Flags", len(conc["flags"]), "\n".join(f"• {flag}" for flag in conc["flags"])])
    band = conc["hhi_band"].replace("_", " ")
    head.append(["Herfindahl-Hirschman index (0-10,000)", conc["hhi"],
                 f"{band}; bands: moderate from {conc['hhi_bands']['moderate']:,}, "
                 f"high above {conc['hhi_bands']['high']:,} (US merger guidelines)"])
    head.append(["Largest single share (%)", _pct(conc["largest_share"]),
                 names.get(conc["largest_vendor"], conc["largest_vendor"] or "")])
    head.append(["Risk-weighted exposure (%)", _pct(conc["risk_weighted_exposure"]),
                 "sum of share x (100 - overall score), in % of the portfolio"])
    head.append(["Share with unknown exposure (%)", _pct(conc["exposure_unknown_share"]),
                 "vendors in the portfolio without an overall score in this run"])
    head.append(["Basis", conc["basis"], conc.get("name") or ""])
    for warning in conc["warnings"]:
        head.append(["Warning", "", warning])

    vendors = writer.sheet("Portfolio vendors", [
        "Vendor", "Share (%)", "Tier", "Overall score", "Recommendation", "Risk-weighted exposure (%)",
        "Criticality", "Workloads", "Fallbacks in place"], widths=[28, 10, 10, 10, 22, 14, 12, 30, 30])
    for v in conc["vendors"]:
        vendors.append([v["name"], _pct(v["share"]), word(v["tier"], "n/a"), v["score"],
                        word(v["recommendation"], "Not assessed"),
                        _pct(v["risk_weighted_exposure"]), word(v["criticality"]),
                        ", ".join(v["workloads"]), in_place(v)])
    if conc["vendors"]:
        writer.bar_chart(vendors, title="Share of spend by vendor (%), coloured by tier",
                         label_col=1, value_col=2, labels=[v["name"] for v in conc["vendors"]],
                         values=[_pct(v["share"]) for v in conc["vendors"]],
                         ratings=[v["tier"] for v in conc["vendors"]], series_name="Share (%)",
                         anchor=f"A{len(conc['vendors']) + 4}")

    fallbacks = writer.sheet("Fallbacks", [
        "Workload", "Capabilities", "Criticality", "Served by", "Single point of failure",
        "Acceptable fallbacks in place", "Candidate fallbacks (best first)"],
        widths=[26, 20, 11, 22, 12, 24, 60])
    for w in conc["workloads"]:
        candidates = "; ".join(f"{c['name']} ({c['score']}, {word(c['tier'])})" for c in w["fallbacks"])
        fallbacks.append([w["name"], ", ".join(w["capabilities"]), word(w["criticality"]),
                          named(w["served_by"]) or "none assessed", w["single_point_of_failure"],
                          ", ".join([named(w["acceptable_fallbacks_in_place"]) or "none"]
                                    + [f"{f} named but not assessed" for f in w.get("unassessed_fallbacks") or ()]),
                          candidates or "none among the assessed vendors"])
