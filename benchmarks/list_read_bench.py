"""Benchmark: reading a large screening list (not a test; prints time and peak memory).

Writes a seeded synthetic Consolidated Screening List CSV of about
``--megabytes`` MB (rows shaped like the fixture's, with made-up names and
longer remarks; no real party), then reads it with
``vendordd.screening.read_list`` in a fresh process and prints the entries,
the time and the peak resident memory (``ru_maxrss``), and the same for
building the screener over it with ``--index``.

Usage::

    python benchmarks/list_read_bench.py [--megabytes 200] [--seed 7] [--index] [--keep FILE]

On the development machine (two shared cores), 200 MB (505,344 entries):
read 8-10 s at a peak of 397 MiB; ``vendordd screen`` against it 875 MiB
(before the lists were streamed: 1,813 MiB and 1,815 MiB).
"""

from __future__ import annotations

import argparse
import csv
import random
import subprocess
import sys
import tempfile
from pathlib import Path

FIXTURE = Path(__file__).resolve().parent.parent / "tests" / "data" / "screening" / "consolidated.csv"
SYLLABLES = ["ka", "zhi", "pu", "hua", "mo", "tor", "sich", "al", "maz", "an", "tey", "kes", "trel", "ling",
             "hang", "qing", "yan"]

MEASURE = """
import resource, sys, time
from vendordd.screening import Screener, read_list
start = time.perf_counter()
lst = read_list(sys.argv[1])
took = time.perf_counter() - start
if sys.argv[2] == "index":
    Screener([lst])
    took = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{len(lst.entries):,} entries, {sys.argv[2]}: {took:.1f} s, peak RSS {peak:,.0f} MiB")
"""


def write_list(path: Path, megabytes: float, seed: int) -> int:
    """A synthetic CSL CSV of about ``megabytes`` MB at ``path``; returns the number of rows."""
    rng = random.Random(seed)
    with FIXTURE.open(newline="", encoding="utf-8") as fh:
        header, *rows = list(csv.reader(fh))
    name, number, remarks = header.index("name"), header.index("_id"), header.index("remarks")
    count = 0
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        while out.tell() < megabytes * 1024 * 1024:
            row = list(rng.choice(rows))
            row[name] = " ".join("".join(rng.choice(SYLLABLES) for _ in range(3)).capitalize()
                                 for _ in range(rng.randint(1, 3))) + " Co., Ltd."
            row[number] = str(count)
            row[remarks] = (row[remarks] + " ") * 3
            writer.writerow(row)
            count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--megabytes", type=float, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--index", action="store_true", help="also build the screener's index")
    parser.add_argument("--keep", type=Path, help="write the list here and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = args.keep or Path(folder) / "consolidated.csv"
        rows = write_list(path, args.megabytes, args.seed)
        print(f"{path}: {path.stat().st_size:,} bytes, {rows:,} rows")
        for what in ("read", *(("index",) if args.index else ())):
            subprocess.run([sys.executable, "-c", MEASURE, str(path), what], check=True)


if __name__ == "__main__":
    main()
