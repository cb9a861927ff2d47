"""Seeded synthetic vendor profiles for benchmarks.

The contract: :func:`make_profile` returns a profile (a dict) that the real
profile schema and vendordd's semantic rules accept; the same ``(seed,
index)`` always gives the same profile. Sizes follow what analysts keep on
a large supplier: 10-40 key people, 5-60 model releases and 20-80 sources
per profile, with events, adoption, compute and geopolitics filled in to
varying degrees (some sections left out, so the checks also report
insufficient data). :func:`write_profiles` writes ``count`` of them to a
folder as YAML, JSON or a mix.

Every vendor, person, model and URL is made up (``synth-00042``,
``example.org``): no figure here is about a real company. All dates fall
before 2026-05-01, so a run ``--as-of 2026-06-01`` has no future facts.

Usage::

    python benchmarks/generate.py DEST --count 1000 [--seed 7] [--format yaml|json|mixed]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from pathlib import Path
from typing import Any

import yaml

#: Latest date any fact may carry (a month before the benchmark's --as-of).
LATEST = dt.date(2026, 4, 30)
EARLIEST = dt.date(2015, 1, 1)

AREAS = ["executive", "research", "pre_training", "post_training", "multimodal", "code",
         "infrastructure", "safety", "product"]
SENIORITY = ["c_level", "lead", "senior"]
EVENT_TYPES = ["restructuring", "departure_wave", "appointment", "layoff", "acquisition",
               "leadership_change"]
AVAILABILITY = ["open_weights", "open_weights", "gated_weights", "api_only", "closed"]
LICENCES = ["Apache-2.0", "MIT", "BSD-3-Clause", "CC-BY-NC-4.0", "LicenseRef-Synthetic-Community",
            "LicenseRef-Synthetic-Research"]
RESTRICTIONS = ["mau_cap", "acceptable_use", "non_commercial", "naming_attribution", "field_of_use",
                "no_training_other_models"]
ACCELERATORS = ["H100", "H800", "A100", "H20", "TPU v5p", "TPU v6e", "Trainium2", "MI300X"]
COUNTRIES = ["US", "CN", "FR", "GB", "DE", "CA", "JP", "KR", "SG", "AE", "IL", "IN", "NL", "SE", "CH"]
LISTS = ["US-BIS-ENTITY", "US-OFAC-SDN", "EU-CONSOLIDATED", "UK-OFSI", "US-DOD-1260H"]
SOURCE_KINDS = ["primary", "news", "news", "analyst", "self_reported"]
CAPABILITIES = ["chat", "code", "vision", "embeddings", "reasoning", "speech"]
WORDS = ["model", "release", "licence", "weights", "training", "cluster", "team", "lead", "departure",
         "restructuring", "research", "compute", "capacity", "export", "control", "partnership",
         "investment", "data", "centre", "announcement", "agreement", "platform", "inference", "safety",
         "evaluation", "report", "benchmark", "open", "source", "community", "download", "derivative",
         "checkpoint", "roadmap", "governance", "board", "shareholder", "regulator", "notice", "filing"]


def _date(rng: random.Random, start: dt.date = EARLIEST, end: dt.date = LATEST,
          month_share: float = 0.25) -> str:
    """A day (or, ``month_share`` of the time, a month) between ``start`` and ``end``."""
    day = start + dt.timedelta(days=rng.randrange((end - start).days + 1))
    return day.strftime("%Y-%m") if rng.random() < month_share else day.isoformat()


def _text(rng: random.Random, low: int, high: int) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return " ".join(words).capitalize() + "."


def _cite(rng: random.Random, ids: list[str], most: int = 3) -> list[str]:
    return rng.sample(ids, rng.randint(1, min(most, len(ids))))


def _sources(rng: random.Random, vid: str) -> list[dict[str, Any]]:
    out = []
    for i in range(rng.randint(20, 80)):
        src: dict[str, Any] = {
            "id": f"s{i + 1}",
            "title": _text(rng, 6, 14),
            "url": f"https://news{rng.randint(1, 40)}.example.org/{vid}/{i + 1}/"
                   f"{'-'.join(rng.choice(WORDS) for _ in range(5))}",
            "publisher": f"Example Publisher {rng.randint(1, 60)}",
            "kind": rng.choice(SOURCE_KINDS),
        }
        if rng.random() < 0.9:
            src["published"] = _date(rng, dt.date(2020, 1, 1))
        if rng.random() < 0.2:
            src["notes"] = _text(rng, 10, 30)
        out.append(src)
    return out


def _people(rng: random.Random, ids: list[str]) -> list[dict[str, Any]]:
    out = []
    for i in range(rng.randint(10, 40)):
        person: dict[str, Any] = {
            "name": f"Person {i + 1} {rng.choice(['Ash', 'Birch', 'Cedar', 'Elm', 'Fir', 'Oak'])}",
            "role": f"{rng.choice(['Head', 'Lead', 'Director', 'VP'])} of {rng.choice(WORDS)}",
            "area": rng.choice(AREAS),
            "seniority": rng.choice(SENIORITY),
            "sources": _cite(rng, ids),
        }
        if rng.random() < 0.6:
            person["joined"] = _date(rng, EARLIEST, dt.date(2024, 12, 31))
        if rng.random() < 0.25:
            person["left"] = _date(rng, dt.date(2025, 1, 1))
            if rng.random() < 0.5:
                person["destination"] = f"Rival Lab {rng.randint(1, 20)}"
        if rng.random() < 0.15:
            person["notes"] = _text(rng, 8, 25)
        out.append(person)
    return out


def _events(rng: random.Random, ids: list[str]) -> list[dict[str, Any]]:
    return [{"date": _date(rng, dt.date(2022, 1, 1)), "type": rng.choice(EVENT_TYPES),
             "summary": _text(rng, 8, 24), "sources": _cite(rng, ids)}
            for _ in range(rng.randint(0, 12))]


def _releases(rng: random.Random, ids: list[str], vid: str) -> list[dict[str, Any]]:
    out = []
    for i in range(rng.randint(5, 60)):
        rel: dict[str, Any] = {
            "name": f"{vid}-model-{i + 1}-{rng.choice(['7B', '13B', '70B', 'MoE', 'Instruct', 'Base'])}",
            "date": _date(rng, dt.date(2019, 1, 1)),
            "availability": rng.choice(AVAILABILITY),
            "sources": _cite(rng, ids),
        }
        if rel["availability"] in ("open_weights", "gated_weights"):
            rel["license"] = rng.choice(LICENCES)
            rel["restrictions"] = sorted(rng.sample(RESTRICTIONS, rng.randint(0, 3)))
            rel["artifacts"] = {k: rng.random() < 0.6 for k in
                                ("weights", "inference_code", "training_code", "training_data",
                                 "technical_report")}
        if rng.random() < 0.1:
            rel["flagship"] = True
        if rng.random() < 0.1:
            rel["notes"] = _text(rng, 8, 25)
        out.append(rel)
    return out


def _open_source(rng: random.Random, ids: list[str], vid: str) -> dict[str, Any]:
    section: dict[str, Any] = {"releases": _releases(rng, ids, vid)}
    if rng.random() < 0.7:
        section["adoption"] = {"downloads": rng.randint(0, 10**9),
                               "derivative_models": rng.randint(0, 200_000),
                               "as_of": _date(rng, dt.date(2025, 1, 1)), "sources": _cite(rng, ids, 2)}
    section["commitments"] = [{"date": _date(rng, dt.date(2022, 1, 1)), "statement": _text(rng, 8, 20),
                               "sources": _cite(rng, ids, 2)} for _ in range(rng.randint(0, 3))]
    return section


def _compute(rng: random.Random, ids: list[str]) -> dict[str, Any]:
    section: dict[str, Any] = {
        "accelerators": [{"type": rng.choice(ACCELERATORS), "count": rng.randint(100, 200_000),
                          "owned": rng.random() < 0.5, "as_of": _date(rng, dt.date(2024, 1, 1)),
                          "sources": _cite(rng, ids, 2)} for _ in range(rng.randint(1, 5))],
        "capex_commitments": [{"amount_usd": rng.randint(1, 500) * 10**8, "period_years": rng.randint(1, 5),
                               "announced": _date(rng, dt.date(2023, 1, 1)), "sources": _cite(rng, ids, 2)}
                              for _ in range(rng.randint(0, 3))],
        "supply_constraints": [{"type": rng.choice(["export_control", "single_supplier", "energy", "other"]),
                                "summary": _text(rng, 8, 20), "date": _date(rng, dt.date(2023, 1, 1)),
                                "sources": _cite(rng, ids, 2)} for _ in range(rng.randint(0, 3))],
    }
    if rng.random() < 0.5:
        section["largest_training_run_flop"] = float(f"{rng.uniform(1, 9):.1f}e{rng.randint(22, 26)}")
        section["largest_training_run_basis"] = _text(rng, 6, 14)
        section["largest_training_run_sources"] = _cite(rng, ids, 2)
    return section


def _geopolitics(rng: random.Random, ids: list[str], hq: str) -> dict[str, Any]:
    section: dict[str, Any] = {
        "jurisdictions": sorted({hq, *rng.sample(COUNTRIES, rng.randint(0, 4))}),
        "data_residency": [{"region": r, "available": rng.random() < 0.7}
                           for r in rng.sample(["EU", "US", "GB", "APAC", "CA"], rng.randint(0, 3))],
        "ownership": {"state_owned_pct": rng.choice([0, 0, 0, 5, 20]), "state_linked": rng.random() < 0.2,
                      "major_shareholders": [{"name": f"Holder {j + 1}", "country": rng.choice(COUNTRIES),
                                              "pct": round(rng.uniform(1, 30), 1)}
                                             for j in range(rng.randint(0, 4))],
                      "sources": _cite(rng, ids, 2)},
    }
    if rng.random() < 0.15:
        section["sanctions"] = [{"list": rng.choice(LISTS), "status": rng.choice(["listed", "proposed", "delisted"]),
                                 "since": _date(rng, dt.date(2020, 1, 1)), "entity": "Synthetic affiliate",
                                 "sources": _cite(rng, ids, 2)}]
    if rng.random() < 0.2:
        section["government_restrictions"] = [{"jurisdiction": rng.choice(COUNTRIES), "scope": _text(rng, 6, 14),
                                               "date": _date(rng, dt.date(2022, 1, 1)),
                                               "sources": _cite(rng, ids, 2)}]
    return section


def make_profile(seed: int, index: int) -> dict[str, Any]:
    """The synthetic profile number ``index`` of the set seeded by ``seed`` (see module docstring)."""
    rng = random.Random(f"{seed}:{index}")
    vid = f"synth-{index:05d}"
    hq = rng.choice(COUNTRIES)
    sources = _sources(rng, vid)
    ids = [s["id"] for s in sources]
    profile: dict[str, Any] = {
        "schema_version": 1,
        "vendor": {"id": vid, "name": f"Synthetic Vendor {index:05d}", "legal_name": f"Synthetic {index:05d} Ltd",
                   "headquarters": hq, "website": f"https://{vid}.example.org",
                   "capabilities": sorted(rng.sample(CAPABILITIES, rng.randint(1, 4))),
                   "products": [f"{vid}-product-{j + 1}" for j in range(rng.randint(1, 6))]},
        "profile_date": _date(rng, dt.date(2026, 1, 1), LATEST, month_share=0),
        "sources": sources,
        "leadership": {"key_people": _people(rng, ids), "events": _events(rng, ids)},
        "open_source": _open_source(rng, ids, vid),
    }
    if rng.random() < 0.8:
        profile["compute"] = _compute(rng, ids)
    if rng.random() < 0.9:
        profile["geopolitics"] = _geopolitics(rng, ids, hq)
    if rng.random() < 0.1:
        profile["x-reviewer"] = "synthetic benchmark data"
    return profile


def _dump(profile: dict[str, Any], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(profile, indent=2, ensure_ascii=False) + "\n"
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(profile, Dumper=dumper, sort_keys=False, allow_unicode=True, width=100)


def write_profiles(dest: Path | str, count: int, seed: int = 0, fmt: str = "yaml") -> list[Path]:
    """Write ``count`` profiles into ``dest`` (created if missing); return their paths.

    ``fmt`` is ``yaml``, ``json`` or ``mixed`` (every fourth profile JSON, the
    rest YAML).
    """
    if fmt not in ("yaml", "json", "mixed"):
        raise ValueError(f"unknown format {fmt!r}")
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(1, count + 1):
        kind = fmt if fmt != "mixed" else ("json" if i % 4 == 0 else "yaml")
        path = dest / f"synth-{i:05d}.{kind}"
        path.write_text(_dump(make_profile(seed, i), kind), encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dest", help="folder to write the profiles into (created if missing)")
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--format", dest="fmt", choices=["yaml", "json", "mixed"], default="yaml")
    args = parser.parse_args(argv)
    paths = write_profiles(args.dest, args.count, args.seed, args.fmt)
    print(f"wrote {len(paths)} profiles to {args.dest}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
