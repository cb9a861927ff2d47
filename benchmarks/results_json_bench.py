"""The JSON results: bytes per vendor and the time to write them.

Generates N seeded synthetic profiles (benchmarks/generate.py) as JSON in a
temporary folder (or reads DEST's), assesses them once in this process
(``pipeline.assess``, default policy, ``--as-of 2026-06-01``, no outputs),
then writes the results document several times and prints, per way of
writing, the median seconds and the bytes per vendor:

- ``vendordd``: :func:`vendordd.outputs.dump_json`, what ``vendordd run
  --json`` writes (its default layout);
- ``vendordd indent=2``: the same with ``--json-indent 2``;
- ``json indent=2``: ``json.dumps(results, indent=2, ensure_ascii=False)``
  of the in-memory document, what the results file held up to format 1;
- ``format 1 writer``: the same bytes, streamed an entry at a time with the
  ``json`` module, as vendordd wrote them up to format 1 (its code, kept
  here as :func:`_format1_writer`).

Usage::

    python benchmarks/results_json_bench.py [--count 1000] [--seed 0] [--repeat 3] [--profiles DEST]

It also prints, for the file vendordd wrote, the share of its bytes in each
vendor's ``sources`` and check ``facts``. Files go to a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

HERE = Path(__file__).resolve().parent
AS_OF = "2026-06-01"


def _time(write: Callable[[IO[bytes]], None], path: Path, repeat: int) -> tuple[float, int]:
    """Median seconds of ``repeat`` writes of ``path`` (opened anew each time) and its size."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        with path.open("wb") as fh:
            write(fh)
        times.append(time.perf_counter() - start)
    return statistics.median(times), path.stat().st_size


def _format1_writer(results: Any, fh: IO[bytes]) -> None:
    """How format 1 was written (vendor_store.iter_results_json before format 2)."""
    def indented(value: Any, indent: str) -> str:
        return json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n" + indent)

    for n, (key, value) in enumerate(results.items()):
        fh.write((("{" if n == 0 else ",") + "\n  " + json.dumps(key, ensure_ascii=False) + ": ").encode())
        if isinstance(value, list) and value:
            for i, item in enumerate(value):
                fh.write((("[" if i == 0 else ",") + "\n    " + indented(item, "    ")).encode())
            fh.write(b"\n  ]")
        else:
            fh.write(indented(value, "  ").encode())
    fh.write(b"\n}\n")


def _compact(value: Any) -> int:
    return len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profiles", help="a folder of profiles to use instead of generated ones")
    args = parser.parse_args(argv)

    from vendordd.outputs import dump_json
    from vendordd.pipeline import assess

    with tempfile.TemporaryDirectory(prefix="vendordd-json-bench-") as tmp:
        work = Path(tmp)
        if args.profiles:
            profiles = Path(args.profiles)
        else:
            sys.path.insert(0, str(HERE))
            from generate import write_profiles

            profiles = work / "profiles"
            write_profiles(profiles, args.count, args.seed, "json")
        start = time.perf_counter()
        outcome = assess([str(profiles)], as_of=AS_OF, jobs=1)
        assessed = time.perf_counter() - start
        results = outcome.results
        n = len(results["vendors"])
        print(f"{n} vendors assessed in {assessed:.1f} s; writing the results {args.repeat} times each")

        ways: dict[str, Callable[[IO[bytes]], None]] = {
            "vendordd": lambda fh: dump_json(results, fh),
            "vendordd indent=2": lambda fh: dump_json(results, fh, 2),
            "json indent=2": lambda fh: fh.write(
                (json.dumps(results, indent=2, ensure_ascii=False) + "\n").encode("utf-8")),
            "format 1 writer": lambda fh: _format1_writer(results, fh),
        }
        print(f"{'way':<18} {'median s':>9} {'MB':>8} {'KB/vendor':>10}")
        for name, write in ways.items():
            seconds, size = _time(write, work / "out.json", args.repeat)
            print(f"{name:<18} {seconds:9.3f} {size / 1e6:8.2f} {size / n / 1e3:10.1f}")

        with (work / "out.json").open("wb") as fh:
            dump_json(results, fh)
        written = json.loads((work / "out.json").read_bytes())
        total = _compact(written)
        sources = sum(_compact(v.get("sources")) for v in written["vendors"])
        facts = sum(_compact(c.get("facts")) for v in written["vendors"] for c in v["checks"])
        print(f"vendordd's file, compact: {total / n / 1e3:.1f} KB/vendor; sources {sources / total:.0%}, "
              f"check facts {facts / total:.0%}; format_version {written.get('format_version')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
