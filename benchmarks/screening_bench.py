"""Benchmark: screening vendors against a large list (not a test; prints timings).

Builds a seeded synthetic list (default 20,000 entries with 0-2 alt names
each, made-up pronounceable names, no real company) and screens a seeded
set of vendors (default 1,000, three names each: two made up and one a
listed name with a one-letter change, the case screening exists for). It
prints, measured in the same run so that the figures compare on any machine:

- the baseline: the time to normalise every name once (list and vendors),
  the least any screen must do;
- the time to build the index and to screen every vendor (blocked, the
  default), with the number of matches;
- with ``--exhaustive``, the time of the exhaustive comparison and the
  share of its matches the blocked screen also found (overall, and for the
  planted one-letter variants).

Usage::

    python benchmarks/screening_bench.py [--entries 20000] [--vendors 1000] [--seed 7] [--exhaustive]
"""

from __future__ import annotations

import argparse
import random
import time

from vendordd.screening import ListEntry, Screener, ScreeningList, normalise

ONSETS = ["", "b", "ch", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "q", "r", "s", "sh", "t",
          "v", "w", "x", "y", "z", "zh", "br", "tr", "kr", "st"]
VOWELS = ["a", "e", "i", "o", "u", "ai", "ao", "ei", "ia", "ou", "ua", "uo"]
CODAS = ["", "", "", "n", "ng", "r", "s", "l", "k"]
FORMS = [" Co., Ltd.", " LLC", " Technology Co., Ltd.", " Inc.", "", " Group"]
COUNTRIES = ["CN", "RU", "IR", "AE", "KP", "BY"]


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS)
                   for _ in range(rng.randint(2, 3))).capitalize()


def _company(rng: random.Random) -> str:
    return " ".join(_word(rng) for _ in range(rng.randint(1, 3))) + rng.choice(FORMS)


def _variant(rng: random.Random, name: str) -> str:
    """The name with one letter changed."""
    i = rng.randrange(len(name))
    return name[:i] + rng.choice("aeiou") + name[i + 1:]


def make_list(count: int, rng: random.Random) -> ScreeningList:
    """A synthetic list of ``count`` entries on US-BIS-ENTITY."""
    entries = [ListEntry("US-BIS-ENTITY", "synthetic", _company(rng),
                         alt_names=tuple(_company(rng) for _ in range(rng.randint(0, 2))),
                         countries=(rng.choice(COUNTRIES),), kind="entity")
               for _ in range(count)]
    return ScreeningList(file="synthetic", sha256="0" * 64, format="csl-csv", entries=entries)


def make_vendors(count: int, listed: ScreeningList, rng: random.Random) -> list[list[str]]:
    """``count`` vendors of three names; the second is a listed name with one letter changed."""
    return [[_company(rng), _variant(rng, rng.choice(listed.entries).name), _company(rng)]
            for _ in range(count)]


def _timed(fn):
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=20000)
    parser.add_argument("--vendors", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--exhaustive", action="store_true",
                        help="also time the exhaustive comparison and measure what blocking misses")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    listed = make_list(args.entries, rng)
    vendors = make_vendors(args.vendors, listed, rng)
    names = [n for e in listed.entries for n in (e.name, *e.alt_names)] + [n for v in vendors for n in v]

    _, baseline = _timed(lambda: [normalise(n) for n in names])
    screener, build = _timed(lambda: Screener([listed]))
    found, blocked = _timed(lambda: [screener.screen(v, ["CN"]) for v in vendors])
    print(f"list: {args.entries} entries, {len(screener._keys)} distinct names; "
          f"vendors: {args.vendors} x 3 names")
    print(f"baseline (normalise {len(names)} names once): {baseline:.2f} s")
    print(f"index build: {build:.2f} s ({build / baseline:.1f} x baseline)")
    print(f"screen, blocked (default): {blocked:.2f} s ({blocked / baseline:.1f} x baseline); "
          f"{sum(map(len, found))} matches")
    if args.exhaustive:
        full = Screener([listed], exhaustive=True)
        everything, exhaustive = _timed(lambda: [full.screen(v, ["CN"]) for v in vendors])
        print(f"screen, exhaustive: {exhaustive:.2f} s ({exhaustive / baseline:.1f} x baseline); "
              f"{sum(map(len, everything))} matches")

        def keys(matches, only=None):
            return {(m.vendor_name, m.entry.name, m.listed_name) for m in matches
                    if only is None or m.vendor_name == only}

        both = sum(len(keys(a) & keys(b)) for a, b in zip(found, everything))
        total = sum(len(keys(b)) for b in everything)
        planted = sum(len(keys(a, v[1]) & keys(b, v[1])) for a, b, v in zip(found, everything, vendors))
        planted_total = sum(len(keys(b, v[1])) for b, v in zip(everything, vendors))
        print(f"blocked found {both}/{total} of the exhaustive matches ({both / max(total, 1):.1%}); "
              f"of the matches of the one-letter variants: {planted}/{planted_total} "
              f"({planted / max(planted_total, 1):.1%})")


if __name__ == "__main__":
    main()
