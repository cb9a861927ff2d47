"""Built-in check ``compute_capacity``: how far the vendor's compute is from the frontier.

Method (docs/methodology/compute_capacity.md, which this module must match):

1. Capacity in H100-equivalents (H100e): each accelerator entry counts
   ``count x factor``, the factor being the chip's published dense BF16 peak
   relative to the H100 SXM's 989 TFLOPS (:data:`ACCELERATOR_SPECS`). Unknown
   types are not counted; they are listed and lower confidence. An analyst's
   ``compute.h100_equivalents`` overrides the sum.
2. Gap to the policy's frontier reference in orders of magnitude,
   ``gap = log10(frontier_h100e / vendor_h100e)``; capacity score 100 at a gap
   of at most ``full_score_gap_orders``, falling linearly to ``floor_score`` at
   ``floor_gap_orders``.
3. Capex: the largest annualised commitment (``amount_usd / period_years``)
   announced within ``capex_window_years``; capex score linear in log10 of
   it between ``capex_floor_usd_per_year`` (0) and ``capex_full_usd_per_year``
   (100).
4. Base = weighted mean of the two when both exist, else the one that does.
5. Deductions: each distinct supply-constraint type once, and the rented share
   of counted H100e times ``rented_max_deduction``. Each fact counts in one
   check only: an export control is scored by ``geopolitical_exposure`` (named
   here, not deducted), and a ``single_supplier`` constraint is not deducted
   again when the rented share already prices the landlord dependency.
6. Score = clamp(base - deductions, 0, 100).

Like is compared with like: each accelerator entry counts by its ``basis``
(``basis_factors``: a fleet or a training cluster counts in full, the
cluster as a lower bound of the fleet; a commitment half; a target not at
all), each capex entry by its ``basis`` (``capex_basis_factors``), and the
reference depends on the policy's ``question``: ``frontier_training`` (the
frontier fleet, ``frontier_h100e``) or ``serving`` (``serving_h100e``, the
capacity to serve a large API workload).

``largest_training_run_flop`` and compute disclosure affect only the context
and confidence, never the score.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from vendordd import Check, CheckContext, Finding, hookimpl
from vendordd import evidence as ev
from vendordd.settings import schema_for_defaults

#: The reference chip: NVIDIA H100 SXM, dense BF16 Tensor Core peak (the
#: datasheet's 1,979 TFLOPS is with 2:4 sparsity; dense is half).
H100_DENSE_BF16_TFLOPS = 989.0

#: canonical name -> (dense BF16 peak TFLOPS, basis, is_assumption). Where a
#: vendor publishes no BF16 figure the basis says which figure stands in.
ACCELERATOR_SPECS: Mapping[str, tuple[float, str, bool]] = {
    "H100": (989.0, "NVIDIA H100 Tensor Core GPU datasheet, SXM: BF16 1,979 TFLOPS with sparsity", False),
    "H100 PCIe": (756.0, "NVIDIA H100 datasheet, PCIe: BF16 1,513 TFLOPS with sparsity", False),
    "H100 NVL": (835.0, "NVIDIA H100 datasheet, NVL: BF16 1,671 TFLOPS with sparsity", False),
    "H800": (989.0, "NVIDIA H800 datasheet: H100 SXM tensor throughput, NVLink cut to 400 GB/s "
                    "(interconnect not counted)", False),
    "GH200": (989.0, "NVIDIA GH200 Grace Hopper Superchip datasheet: one H100-class GPU, BF16 1,979 "
                      "TFLOPS with sparsity", False),
    "H200": (989.0, "NVIDIA H200 datasheet, SXM: BF16 1,979 TFLOPS with sparsity; its larger, faster "
                    "memory (141 GB, 4.8 TB/s) is not counted", False),
    "H20": (148.0, "reported specification (no public NVIDIA datasheet): FP16/BF16 148 TFLOPS dense",
            True),
    "A100": (312.0, "NVIDIA A100 datasheet: BF16 312 TFLOPS dense", False),
    "A800": (312.0, "NVIDIA A800 datasheet: A100 tensor throughput, NVLink cut to 400 GB/s", False),
    "V100": (125.0, "NVIDIA V100 datasheet, SXM2: FP16 tensor 125 TFLOPS (no BF16)", False),
    "L40S": (362.0, "NVIDIA L40S datasheet: BF16 362 TFLOPS dense (733 with sparsity)", False),
    "B200": (2250.0, "NVIDIA HGX B200 datasheet: FP16/BF16 36 PFLOPS with sparsity per 8 GPUs", False),
    "B300": (2250.0, "HGX B300 per-GPU FP16/BF16 2.25 PFLOPS dense as reported", True),
    "GB200": (2500.0, "NVIDIA GB200 NVL72 datasheet: FP16/BF16 360 PFLOPS with sparsity per 72 GPUs; "
                      "counted per Blackwell GPU", False),
    "GB200 Superchip": (5000.0, "one Grace CPU + two Blackwell GPUs = 2 x the GB200 per-GPU figure", False),
    "GB300": (2500.0, "NVIDIA GB300 NVL72 datasheet: FP16/BF16 360 PFLOPS with sparsity per 72 GPUs; "
                      "counted per Blackwell Ultra GPU", False),
    "Grace Blackwell": (2500.0, "unit ambiguous (GPU, superchip or system); counted as one GB200 GPU, "
                                "the smallest reading", True),
    "MI300X": (1307.0, "AMD Instinct MI300X datasheet: BF16 1,307.4 TFLOPS dense", False),
    "MI325X": (1307.0, "AMD Instinct MI325X datasheet: BF16 1,307.4 TFLOPS dense", False),
    "MI355X": (2500.0, "AMD MI355X announcement: FP16/BF16 about 2.5 PFLOPS dense", True),
    "Gaudi 3": (1835.0, "Intel Gaudi 3 white paper: BF16 matrix 1,835 TFLOPS", False),
    "TPU v4": (275.0, "Google Cloud TPU v4 documentation: peak 275 TFLOPS (bf16) per chip", False),
    "TPU v5e": (197.0, "Google Cloud TPU v5e documentation: peak 197 TFLOPS (bf16) per chip", False),
    "TPU v5p": (459.0, "Google Cloud TPU v5p documentation: peak 459 TFLOPS (bf16) per chip", False),
    "TPU v6e": (918.0, "Google Cloud TPU v6e (Trillium) documentation: peak 918 TFLOPS (bf16) per chip",
                False),
    "TPU7x": (2307.0, "Google Cloud TPU7x (Ironwood) documentation: peak 2,307 TFLOPS (bf16) per chip",
              False),
    "Trainium": (190.0, "AWS Neuron documentation, Trainium architecture: 190 FP16/BF16 TFLOPS", False),
    "Trainium2": (667.0, "AWS Neuron documentation, Trainium2 architecture: 667 BF16 TFLOPS dense", False),
    "Trainium3": (671.0, "AWS Neuron documentation, Trainium3 architecture: 671 BF16 TFLOPS dense", False),
    "Ascend 910": (256.0, "Huawei Ascend 910 launch specification (2019): FP16 256 TFLOPS", False),
    "Ascend 910B": (320.0, "reported FP16 about 320 TFLOPS; Huawei publishes no datasheet figure", True),
    "Ascend 910C": (800.0, "reported FP16 about 800 TFLOPS (dual-die, Huawei roadmap as reported)", True),
    "T-Head PPU": (148.0, "no published figure; Alibaba claims parity with the NVIDIA H20, so the H20 "
                          "figure is used", True),
}

#: Other spellings of the canonical names (normalised with :func:`normalise_type`).
ALIASES: Mapping[str, str] = {
    "blackwellultra": "GB300", "mi300": "MI300X",
    "trillium": "TPU v6e", "tpuv6": "TPU v6e", "tpuv6trillium": "TPU v6e",
    "ironwood": "TPU7x", "tpu7": "TPU7x", "tpuv7": "TPU7x", "tpuv7x": "TPU7x", "tpu7xironwood": "TPU7x",
    "tpuironwood": "TPU7x", "trainium1": "Trainium", "trn1": "Trainium", "trn2": "Trainium2",
    "trn3": "Trainium3", "ppu": "T-Head PPU", "zhenwuppu": "T-Head PPU",
}

_VENDOR_WORDS = ("nvidia", "google", "cloud", "amd", "instinct", "aws", "amazon", "huawei", "intel",
                 "alibaba")


def _factor(tflops: float) -> float:
    """The H100-equivalence factor for a dense BF16 peak, to two decimals."""
    return round(tflops / H100_DENSE_BF16_TFLOPS, 2)


#: The default conversion table (setting ``h100_equivalence``).
DEFAULT_EQUIVALENCE: dict[str, float] = {name: _factor(spec[0]) for name, spec in ACCELERATOR_SPECS.items()}

#: Types whose factor rests on an assumption rather than a vendor datasheet.
ASSUMED_TYPES: frozenset[str] = frozenset(name for name, spec in ACCELERATOR_SPECS.items() if spec[2])

#: Epoch AI thresholds for training compute (context only).
EPOCH_LARGE_SCALE_FLOP = 1e23
EPOCH_FRONTIER_LIST_FLOP = 1e25

#: Above this an entry is a data error, not a fleet (the frontier reference is 1e6).
_MAX_PLAUSIBLE_H100E = 1e12

# Completeness weights (docs: "Confidence").
_W_CAPACITY, _W_CAPEX, _W_RUN, _W_OWNERSHIP = 0.6, 0.2, 0.1, 0.1
_ASSUMPTION_PENALTY = 0.25


def normalise_type(name: Any) -> str:
    """A comparison key for an accelerator type: lowercase letters and digits only.

    Vendor words (``NVIDIA``, ``Google Cloud``, ...), memory sizes (``80GB``)
    and the SXM/OAM form factor are dropped: ``"NVIDIA H100 SXM5 80GB"`` and
    ``"H100"`` give the same key.
    """
    return _normalise_text(str(name))


@functools.lru_cache(maxsize=4096)  # a run sees few distinct type names, thousands of times
def _normalise_text(name: str) -> str:
    text = name.lower()
    text = re.sub(r"\b\d+\s*gi?b\b", " ", text)
    text = re.sub(r"\b(sxm\d?|oam)\b", " ", text)
    for word in _VENDOR_WORDS:
        text = re.sub(rf"\b{word}\b", " ", text)
    return re.sub(r"[^a-z0-9]", "", text)


_ASSUMED_KEYS = frozenset(normalise_type(name) for name in ASSUMED_TYPES)


def equivalence_table(settings: Mapping[str, Any]) -> dict[str, tuple[str, float]]:
    """Normalised key -> (display name, factor), from the settings' tables.

    ``extra_h100_equivalence`` entries are added on top of
    ``h100_equivalence`` (a policy can add a chip without restating the
    table); aliases point at their canonical entry when it is in the table.
    """
    table: dict[str, tuple[str, float]] = {}
    merged: dict[Any, Any] = {}
    for key in ("h100_equivalence", "extra_h100_equivalence"):
        value = settings.get(key)
        if isinstance(value, Mapping):
            merged.update(value)
    for name, factor in merged.items():
        number = _number(factor)
        if number is not None and number >= 0:
            table[normalise_type(name)] = (str(name), number)
    for alias, canonical in ALIASES.items():
        key = normalise_type(canonical)
        if alias not in table and key in table:
            table[alias] = table[key]
    return table


def _number(value: Any) -> float | None:
    """A finite float, or None for anything else (bools are not numbers here)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        number = float(value)
    except OverflowError:  # an int too large for a float
        return None
    return number if math.isfinite(number) else None


def _setting(settings: Mapping[str, Any], key: str) -> float:
    """A numeric setting, falling back to the check's default when malformed."""
    value = _number(settings.get(key))
    return value if value is not None else float(DEFAULTS[key])


def _fmt(value: float) -> str:
    """A number for a rationale line: thousands separators, no needless decimals."""
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:,.2f}".rstrip("0").rstrip(".") if value else "0"


def _usd(value: float) -> str:
    """Dollars for a rationale line: US$1.50bn, US$250.0M."""
    if value >= 1e9:
        return f"US${value / 1e9:,.2f}bn"
    if value >= 1e6:
        return f"US${value / 1e6:,.1f}M"
    return f"US${value:,.0f}"


@dataclass
class _Work:
    """What the check gathers while it reads the profile."""

    rationale: list[str] = field(default_factory=list)
    recommendations: list[str] = field(default_factory=list)
    metrics: dict[str, Any] = field(default_factory=dict)
    facts: dict[str, Any] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)
    evidence: list[tuple[dt.date | None, list[str]]] = field(default_factory=list)

    def cite(self, entry: Mapping[str, Any], date: dt.date | None) -> None:
        ids = [s for s in entry.get("sources") or () if isinstance(s, str)]
        for sid in ids:
            if sid not in self.sources:
                self.sources.append(sid)
        self.evidence.append((date, ids))


@dataclass
class _Fleet:
    """The accelerator entries, converted."""

    sum_h100e: float = 0.0
    counted_units: float = 0.0
    unknown_units: float = 0.0
    unknown_types: list[str] = field(default_factory=list)
    assumed_h100e: float = 0.0
    rented_h100e: float = 0.0
    ownership_known_h100e: float = 0.0


def _read_fleet(compute: Mapping[str, Any], ctx: CheckContext, work: _Work) -> _Fleet:
    """Convert ``compute.accelerators`` to H100e; facts after ``as_of`` are ignored."""
    table = equivalence_table(ctx.settings)
    defaults = {normalise_type(k): v for k, v in DEFAULT_EQUIVALENCE.items()}
    fleet = _Fleet()
    rows: list[dict[str, Any]] = []
    future: list[str] = []
    for entry in compute.get("accelerators") or ():
        if not isinstance(entry, Mapping):
            continue
        kind = str(entry.get("type", "?"))
        count = _number(entry.get("count"))
        date = ev.parse_date(entry.get("as_of"))
        if date is not None and date > ctx.as_of:
            future.append(f"{kind} x {_fmt(count or 0)} (as of {entry.get('as_of')})")
            continue
        if count is None or count < 0:
            work.rationale.append(f"Accelerators: entry {kind!r} has no usable count and was skipped.")
            continue
        key = normalise_type(kind)
        owned = entry.get("owned")
        basis = entry.get("basis") if isinstance(entry.get("basis"), str) else None
        weight = _basis_factor(ctx.settings, "basis_factors", basis)
        if weight <= 0:
            work.rationale.append(f"Accelerators: {_fmt(count)} x {kind} is a {basis} (basis), not capacity "
                                  "the vendor has: listed, not counted.")
            rows.append({"type": kind, "count": count, "owned": owned, "basis": basis, "factor": None,
                         "h100e": 0.0, "as_of": entry.get("as_of")})
            work.cite(entry, date)
            continue
        if key not in table:
            fleet.unknown_units += count
            if kind not in fleet.unknown_types:
                fleet.unknown_types.append(kind)
            rows.append({"type": kind, "count": count, "owned": owned, "factor": None,
                         "h100e": None, "as_of": entry.get("as_of")})
            work.cite(entry, date)
            continue
        name, factor = table[key]
        h100e = count * factor * weight
        if not math.isfinite(h100e) or h100e > _MAX_PLAUSIBLE_H100E:
            work.rationale.append(f"Accelerators: entry {kind!r} x {count:g} is implausibly large and "
                                  "was skipped.")
            continue
        fleet.sum_h100e += h100e
        fleet.counted_units += count
        # An assumed chip stops being an assumption once the policy sets its own factor.
        if normalise_type(name) in _ASSUMED_KEYS and defaults.get(normalise_type(name)) == factor:
            fleet.assumed_h100e += h100e
        if isinstance(owned, bool):
            fleet.ownership_known_h100e += h100e
            if not owned:
                fleet.rented_h100e += h100e
        rows.append({"type": kind, "count": count, "owned": owned, "basis": basis, "factor": factor,
                     "h100e": round(h100e, 1), "as_of": entry.get("as_of")})
        work.cite(entry, date)
        how = {"training_cluster": " (a training cluster: a lower bound of the fleet)",
               "commitment": f" (a commitment, not yet delivered: x {weight:g})",
               "fleet": " (fleet)"}.get(basis or "", "")
        work.rationale.append(f"Accelerators: {_fmt(count)} x {kind} x {factor:g}"
                              + (f" x {weight:g}" if weight != 1 else "") + f" = {_fmt(h100e)} H100e"
                              f"{'' if owned is not False else ' (rented)'}{how}.")
    if future:
        work.rationale.append("Ignored (dated after the assessment date "
                              f"{ctx.as_of.isoformat()}): " + "; ".join(future) + ".")
    if fleet.unknown_types:
        work.rationale.append("Not counted (no H100-equivalence factor for the type): "
                              + ", ".join(fleet.unknown_types) + ".")
        work.recommendations.append(
            "Obtain the exact accelerator model(s) behind " + ", ".join(fleet.unknown_types) + " (from the "
            "vendor, or an analyst's H100-equivalent estimate) and record them in the profile; for a model "
            "vendordd does not know, your analyst adds its H100-equivalence factor to the policy "
            "(checks.compute_capacity.settings.extra_h100_equivalence).")
    if fleet.assumed_h100e > 0:
        work.rationale.append(f"{_fmt(fleet.assumed_h100e)} of the counted H100e rest on factors that are "
                              "assumptions, not datasheet figures (see the method).")
    work.facts["accelerators"] = rows
    return fleet


def _basis_factor(settings: Mapping[str, Any], key: str, basis: str | None) -> float:
    """How much a figure of that basis counts (unspecified: 1, as before bases existed)."""
    table = settings.get(key)
    table = table if isinstance(table, Mapping) else DEFAULTS[key]
    value = _number(table.get(basis)) if basis else None
    return value if value is not None and value >= 0 else 1.0


def reference_h100e(settings: Mapping[str, Any]) -> tuple[float, str]:
    """The capacity the vendor is compared with, and the question it answers."""
    if settings.get("question") == "serving":
        return _setting(settings, "serving_h100e"), "serving"
    return _setting(settings, "frontier_h100e"), "frontier_training"


def capacity_score(vendor_h100e: float, settings: Mapping[str, Any]) -> tuple[float, float]:
    """(gap in orders of magnitude, capacity score) for a vendor's H100e.

    A vendor with no capacity at all has an infinite gap and the floor score.
    The reference is the policy's question (:func:`reference_h100e`).
    """
    frontier, _ = reference_h100e(settings)
    full_gap = _setting(settings, "full_score_gap_orders")
    floor_gap = _setting(settings, "floor_gap_orders")
    floor = ev.clamp(_setting(settings, "floor_score"))
    if vendor_h100e <= 0 or frontier <= 0:
        return math.inf, floor
    gap = math.log10(frontier / vendor_h100e)
    if gap <= full_gap:
        return gap, 100.0
    if gap >= floor_gap or floor_gap <= full_gap:
        return gap, floor
    return gap, 100.0 - (gap - full_gap) / (floor_gap - full_gap) * (100.0 - floor)


def frontier_position(gap: float) -> str:
    """A word for the gap: frontier (<=0.3), near_frontier (<=1), trailing (<=2), far_behind (<3), sub_scale."""
    if gap <= 0.3:
        return "frontier"
    if gap <= 1.0:
        return "near_frontier"
    if gap <= 2.0:
        return "trailing"
    if gap < 3.0:
        return "far_behind"
    return "sub_scale"


def capex_score(annual_usd: float, settings: Mapping[str, Any]) -> float:
    """0-100, linear in log10(annual capex) between the floor and full settings."""
    low = _setting(settings, "capex_floor_usd_per_year")
    high = _setting(settings, "capex_full_usd_per_year")
    if low <= 0 or high <= low:  # a malformed policy setting: use the documented defaults
        low, high = float(DEFAULTS["capex_floor_usd_per_year"]), float(DEFAULTS["capex_full_usd_per_year"])
    if annual_usd <= 0:
        return 0.0
    return ev.clamp(100.0 * (math.log10(annual_usd) - math.log10(low)) / (math.log10(high) - math.log10(low)))


def _read_capex(compute: Mapping[str, Any], ctx: CheckContext, work: _Work) -> float | None:
    """The largest annualised commitment in the window, or None when there is none."""
    window = min(max(_setting(ctx.settings, "capex_window_years"), 0.0), 100.0)
    start = ev.months_before(ctx.as_of, round(window * 12))
    best: float | None = None
    rows: list[dict[str, Any]] = []
    for entry in compute.get("capex_commitments") or ():
        if not isinstance(entry, Mapping):
            continue
        amount = _number(entry.get("amount_usd"))
        years = _number(entry.get("period_years"))
        years = years if years is not None and years > 0 else 1.0
        date = ev.parse_date(entry.get("announced"))
        label = f"{_usd(amount or 0)} over {years:g} year(s) announced {entry.get('announced', 'undated')}"
        if amount is None or amount < 0:
            work.rationale.append(f"Capex: an entry has no usable amount_usd and was skipped ({label}).")
            continue
        if date is not None and date > ctx.as_of:
            work.rationale.append(f"Capex: ignored {label} (after the assessment date "
                                  f"{ctx.as_of.isoformat()}).")
            continue
        if date is not None and date < start:
            work.rationale.append(f"Capex: ignored {label} (before the {window:g}-year window from "
                                  f"{start.isoformat()}).")
            continue
        cbasis = entry.get("basis") if isinstance(entry.get("basis"), str) else None
        cweight = _basis_factor(ctx.settings, "capex_basis_factors", cbasis)
        annual = amount / years * cweight
        if cweight != 1:
            work.rationale.append(f"Capex: {label} is a {cbasis} (basis): counted x {cweight:g}.")
        if not math.isfinite(annual):
            work.rationale.append(f"Capex: ignored {label} (not a finite amount per year).")
            continue
        rows.append({"amount_usd": amount, "period_years": years, "announced": entry.get("announced"),
                     "basis": cbasis, "annual_usd": annual})
        work.cite(entry, date)
        best = annual if best is None else max(best, annual)
    work.facts["capex"] = rows
    return best


def _read_constraints(compute: Mapping[str, Any], ctx: CheckContext, work: _Work) -> list[str]:
    """Distinct supply-constraint types in force at ``as_of`` (order of first appearance)."""
    kinds: list[str] = []
    for entry in compute.get("supply_constraints") or ():
        if not isinstance(entry, Mapping):
            continue
        kind = str(entry.get("type") or "other")
        date = ev.parse_date(entry.get("date") or entry.get("since"))
        if date is not None and date > ctx.as_of:
            work.rationale.append(f"Supply constraint {kind!r} ignored: dated after the assessment date "
                                  f"{ctx.as_of.isoformat()}.")
            continue
        work.cite(entry, date)
        if kind not in kinds:
            kinds.append(kind)
    work.facts["supply_constraints"] = list(kinds)
    return kinds


def _training_run_context(compute: Mapping[str, Any], work: _Work) -> bool:
    """Report the largest training run against Epoch AI's thresholds; True when given.

    Its sources join the finding's ``sources`` but not the confidence facts:
    the figure does not feed the score.
    """
    flop = _number(compute.get("largest_training_run_flop"))
    if flop is None or flop <= 0:
        return False
    for sid in compute.get("largest_training_run_sources") or ():
        if isinstance(sid, str) and sid not in work.sources:
            work.sources.append(sid)
    if flop >= EPOCH_FRONTIER_LIST_FLOP:
        where = "at or above Epoch AI's 1e25 FLOP threshold"
    elif flop >= EPOCH_LARGE_SCALE_FLOP:
        where = "large-scale by Epoch AI's 1e23 FLOP threshold, below 1e25"
    else:
        where = "below Epoch AI's 1e23 FLOP large-scale threshold"
    work.metrics["largest_training_run_flop"] = flop
    work.facts["largest_training_run_flop"] = flop
    work.rationale.append(f"Context (not scored): largest training run {flop:.2e} FLOP, {where}.")
    return True


def _deductions(kinds: list[str], fleet: _Fleet, ctx: CheckContext, work: _Work) -> float:
    """Supply-constraint and rented-capacity deductions, with their rationale lines."""
    table = ctx.settings.get("constraint_deductions")
    if not isinstance(table, Mapping):
        table = DEFAULTS["constraint_deductions"]
    total = 0.0
    rented = fleet.rented_h100e > 0 and fleet.sum_h100e > 0
    for kind in kinds:
        if kind == "export_control":
            work.rationale.append("Supply constraint export_control: scored once, by geopolitical_exposure "
                                  "(each fact counts in one check): -0 here.")
            continue
        if kind == "single_supplier" and rented:
            work.rationale.append("Supply constraint single_supplier: the rented share below already prices "
                                  "the landlord dependency (counted once): -0 here.")
            continue
        points = _number(table.get(kind, table.get("other", 0))) or 0.0
        total += points
        work.rationale.append(f"Supply constraint {kind}: -{points:g}.")
    if "export_control" in kinds:
        work.recommendations.append(
            "Export controls limit the vendor's access to accelerators: ask for its sourcing plan "
            "(which chips, which suppliers) and contract for notice if capacity for your workloads "
            "is reduced.")
    if any(k != "export_control" for k in kinds):
        work.recommendations.append("Ask the vendor how it mitigates its supply constraints ("
                                    + ", ".join(k for k in kinds if k != "export_control") + ").")
    if rented:
        share = fleet.rented_h100e / fleet.sum_h100e
        points = share * _setting(ctx.settings, "rented_max_deduction")
        total += points
        work.metrics["rented_share"] = round(share, 3)
        work.rationale.append(f"Rented capacity: {share:.0%} of counted H100e x "
                              f"{_setting(ctx.settings, 'rented_max_deduction'):g} = -{points:.1f} "
                              "(depends on the landlord's terms).")
        work.recommendations.append(f"{share:.0%} of the vendor's counted compute is rented: ask who its "
                                    "landlords are and for the term and renewal of its capacity contracts.")
    return total


def _completeness(fleet: _Fleet, has_override: bool, has_capex: bool, has_run: bool) -> float:
    """The share of the check's inputs the profile gave (docs: "Confidence")."""
    capacity = 0.0
    if has_override:
        capacity = _W_CAPACITY
    elif fleet.counted_units + fleet.unknown_units > 0:
        known = fleet.counted_units / (fleet.counted_units + fleet.unknown_units)
        assumed = fleet.assumed_h100e / fleet.sum_h100e if fleet.sum_h100e > 0 else 0.0
        capacity = _W_CAPACITY * known * (1 - _ASSUMPTION_PENALTY * assumed)
    ownership = (_W_OWNERSHIP * fleet.ownership_known_h100e / fleet.sum_h100e
                 if fleet.sum_h100e > 0 else 0.0)
    return capacity + (_W_CAPEX if has_capex else 0.0) + (_W_RUN if has_run else 0.0) + ownership


def _vendor_h100e(compute: Mapping[str, Any], fleet: _Fleet, work: _Work) -> tuple[float | None, float | None]:
    """(the capacity to score, the analyst's override if any); the override wins over the sum."""
    override = _number(compute.get("h100_equivalents"))
    if override is not None and not 0 <= override <= _MAX_PLAUSIBLE_H100E:
        work.rationale.append(f"Capacity: h100_equivalents {override:g} is not plausible and was ignored.")
        override = None
    if override is not None:
        work.rationale.insert(0, f"Capacity: analyst estimate of {_fmt(override)} H100e "
                                 f"(compute.h100_equivalents) overrides the accelerator sum "
                                 f"({_fmt(fleet.sum_h100e)} H100e).")
        work.cite({"sources": compute.get("h100_equivalents_sources")}, None)
        if compute.get("h100_equivalents_basis"):
            work.rationale.insert(1, f"Basis of the estimate: {compute['h100_equivalents_basis']}")
        return override, override
    return (fleet.sum_h100e if fleet.counted_units > 0 else None), None


def _capacity_part(vendor_h100e: float, settings: Mapping[str, Any], work: _Work) -> tuple[str, float, float]:
    """The capacity component (name, score, weight), with its metrics and rationale."""
    frontier, question = reference_h100e(settings)
    gap, cap_score = capacity_score(vendor_h100e, settings)
    position = frontier_position(gap)
    gap_text = "no capacity" if math.isinf(gap) else f"{gap:.2f} orders of magnitude"
    if question == "serving":
        work.rationale.append(f"Question (policy): capacity to serve, against {_fmt(frontier)} H100e "
                              "(serving_h100e), not frontier-training competitiveness.")
    work.metrics.update({"vendor_h100e": round(vendor_h100e, 1), "frontier_h100e": frontier,
                         "question": question,
                         "gap_orders": None if math.isinf(gap) else round(gap, 3),
                         "frontier_position": position, "capacity_score": round(cap_score, 1)})
    work.rationale.append(
        f"Capacity: log10({_fmt(frontier)} / {_fmt(vendor_h100e)}) = {gap_text} below the frontier "
        f"reference ({position.replace('_', ' ')}) -> capacity score {cap_score:.1f}.")
    if not math.isinf(gap) and gap > 1.0:
        work.recommendations.append(
            f"The vendor's compute is about {gap:.1f} orders of magnitude below the frontier "
            "reference: expect slower model releases and keep a fallback provider with more capacity.")
    return "capacity", cap_score, _setting(settings, "capacity_weight")


def _capex_part(annual: float, settings: Mapping[str, Any], work: _Work) -> tuple[str, float, float]:
    """The capex component (name, score, weight), with its metrics and rationale."""
    score = capex_score(annual, settings)
    low = _setting(settings, "capex_floor_usd_per_year")
    high = _setting(settings, "capex_full_usd_per_year")
    work.metrics.update({"capex_usd_per_year": round(annual), "capex_score": round(score, 1)})
    work.rationale.append(
        f"Capex: largest annualised commitment {_usd(annual)}/year -> 100 x (log10({annual:.3g}) - "
        f"log10({low:.3g})) / (log10({high:.3g}) - log10({low:.3g})) = {score:.1f}.")
    return "capex", score, _setting(settings, "capex_weight")


def _base(parts: list[tuple[str, float, float]], work: _Work) -> float:
    """The weighted mean of the components with a positive weight (the only one if there is one)."""
    weighted = [(name, score, w) for name, score, w in parts if w > 0]
    if len(parts) == 1 or not weighted:
        work.rationale.append(f"Base = {parts[0][0]} score {parts[0][1]:.1f}.")
        return parts[0][1]
    total = sum(w for _, _, w in weighted)
    base = sum(score * w for _, score, w in weighted) / total
    work.rationale.append("Base = (" + " + ".join(f"{w:g} x {score:.1f}" for _, score, w in weighted)
                          + f") / {total:g} = {base:.1f}.")
    return base


def assess(profile: Mapping[str, Any], ctx: CheckContext) -> Finding:
    """Score the vendor's compute capacity against the policy's frontier reference."""
    compute = profile.get("compute")
    if not isinstance(compute, Mapping):
        return Finding.insufficient(
            "No compute section: capacity cannot be assessed.",
            recommendations=["Add the vendor's accelerators, an H100-equivalent estimate or its capex "
                             "commitments to the profile's compute section."])
    work = _Work()
    fleet = _read_fleet(compute, ctx, work)
    vendor_h100e, override = _vendor_h100e(compute, fleet, work)
    annual_capex = _read_capex(compute, ctx, work)
    kinds = _read_constraints(compute, ctx, work)
    if vendor_h100e is None and annual_capex is None:
        return Finding.insufficient(
            "No usable accelerator counts, H100-equivalent estimate or capex commitment.",
            rationale=work.rationale,
            recommendations=work.recommendations + [
                "Obtain the vendor's accelerator types and counts (or an analyst's H100-equivalent "
                "estimate) and its capex commitments."])

    parts: list[tuple[str, float, float]] = []
    if vendor_h100e is not None:
        parts.append(_capacity_part(vendor_h100e, ctx.settings, work))
    if annual_capex is not None:
        parts.append(_capex_part(annual_capex, ctx.settings, work))
        if vendor_h100e is None:
            work.recommendations.append("Capacity is inferred from capex alone: obtain accelerator types "
                                        "and counts.")
    base = _base(parts, work)
    deductions = _deductions(kinds, fleet, ctx, work)
    score = round(ev.clamp(base - deductions), 1)
    work.rationale.append(f"Score = {base:.1f} - {deductions:.1f} = {score:.1f} (clamped to 0-100).")
    has_run = _training_run_context(compute, work)

    completeness = _completeness(fleet, override is not None, annual_capex is not None, has_run)
    if not has_run:
        work.recommendations.append(
            "Ask the vendor to disclose its training compute (final-run FLOP, hardware type and count, "
            "owned or rented), as in the Stanford FMTI compute indicators.")
    confidence = ev.confidence(completeness, work.evidence, profile, ctx.as_of,
                               int(ctx.policy.get("freshness_days", 365)))
    work.metrics.update({"base_score": round(base, 1), "deductions": round(deductions, 1),
                         "accelerator_h100e": round(fleet.sum_h100e, 1),
                         "unknown_accelerator_units": fleet.unknown_units,
                         "assumed_h100e": round(fleet.assumed_h100e, 1),
                         "completeness": round(completeness, 3)})
    work.facts["h100_equivalents"] = override
    work.facts["frontier_h100e"] = _setting(ctx.settings, "frontier_h100e")
    return Finding(status="ok", score=score, confidence=confidence,
                   summary=_summary(work.metrics, annual_capex, kinds),
                   rationale=work.rationale, metrics=work.metrics, sources=work.sources,
                   recommendations=work.recommendations, facts=work.facts)


def _summary(metrics: Mapping[str, Any], annual_capex: float | None, kinds: list[str]) -> str:
    """One line: capacity and gap, or capex alone; plus any export control."""
    bits: list[str] = []
    if "vendor_h100e" in metrics:
        gap = metrics["gap_orders"]
        where = ("no counted capacity" if gap is None
                 else f"{gap:.1f} orders of magnitude below the {_fmt(metrics['frontier_h100e'])} H100e "
                      f"frontier reference ({metrics['frontier_position'].replace('_', ' ')})")
        bits.append(f"~{_fmt(metrics['vendor_h100e'])} H100e, {where}")
    else:
        bits.append(f"capacity inferred from capex alone ({_usd(annual_capex or 0)}/year)")
    if "export_control" in kinds:
        bits.append("supply under export controls")
    return "; ".join(bits) + "."


DEFAULTS: dict[str, Any] = {
    "question": "frontier_training",
    "frontier_h100e": 1_000_000,
    "serving_h100e": 10_000,
    "basis_factors": {"fleet": 1.0, "training_cluster": 1.0, "commitment": 0.5, "target": 0.0},
    "capex_basis_factors": {"capex": 1.0, "purchase_commitment": 1.0, "plan": 0.5},
    "frontier_basis": ("Policy choice: the largest single-company fleets reported by late 2025 are of "
                       "the order of 1e6 H100e (Meta ~600,000 H100e by end-2024; ~400,000 GB200 at "
                       "OpenAI/Oracle Abilene, 2025)."),
    "full_score_gap_orders": 0.3,
    "floor_gap_orders": 3.0,
    "floor_score": 0.0,
    "capacity_weight": 0.75,
    "capex_weight": 0.25,
    "capex_window_years": 3,
    "capex_floor_usd_per_year": 1e8,
    "capex_full_usd_per_year": 1e11,
    "constraint_deductions": {"export_control": 15, "single_supplier": 5, "energy": 5, "other": 3},
    "rented_max_deduction": 5,
    "h100_equivalence": DEFAULT_EQUIVALENCE,
    "extra_h100_equivalence": {},
}

CHECK = Check(
    id="compute_capacity",
    title="Compute capacity",
    category="compute",
    run=assess,
    version="1.0",
    weight=1.0,
    needs=("/compute/accelerators", "/compute/h100_equivalents", "/compute/capex_commitments",
           "/compute/supply_constraints", "/compute/largest_training_run_flop"),
    defaults=DEFAULTS,
    settings_schema=schema_for_defaults(DEFAULTS),
    doc=("H100-equivalents (dense BF16 peak vs H100 SXM) from accelerator counts, or the analyst's "
         "estimate; gap to the policy's frontier reference in orders of magnitude: 100 at <=0.3, "
         "linear to 0 at >=3. Weighted 0.75/0.25 with annualised capex on a log scale ($100M -> 0, "
         "$100bn -> 100). Minus supply constraints (export control 15, single supplier 5, energy 5) "
         "and up to 5 for rented capacity."),
)


@hookimpl
def register_checks(register):
    register(CHECK)
