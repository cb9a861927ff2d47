"""The vendordd benchmark: the full run against its floor, and start-up.

For each N it generates N seeded synthetic profiles (benchmarks/generate.py)
in a temporary folder, then measures, each in its own subprocess:

- full: ``python -m vendordd run DIR -o out.xlsx --json out.json --as-of 2026-06-01``;
- floor: reading and parsing the same files (PyYAML's C loader, json) and
  writing the same number of cells, sheet by sheet, with openpyxl in
  write-only mode: the least any tool must do to turn these files into
  that workbook;

and prints wall time, cost per profile, peak RSS (``os.wait4``'s rusage of
that child alone) and the ratio full / floor. Start-up compares
``vendordd --help`` and ``vendordd checks`` with a bare ``python -c "import
click, pluggy"`` (median of several runs).

Usage::

    python benchmarks/run_bench.py [--sizes 100,1000,10000] [--smoke] [--check-targets]

``--smoke`` runs N = 20 only (what CI runs, so that the script keeps
working). The exit status is 1 when a measured run fails and, with
``--check-targets``, when a target of benchmarks/README.md is missed.
Profiles and outputs go to a temporary folder, never into the checkout.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
AS_OF = "2026-06-01"
GIB = 1024**3
#: Bytes read at a time when counting the cells of a worksheet.
CHUNK = 1 << 20

#: The targets (benchmarks/README.md) on a 2-core machine.
TARGET_RATIO_AT_1000 = 2.0
TARGET_GROWTH_1000_TO_10000 = 1.3
TARGET_PEAK_AT_10000 = 1 * GIB
TARGET_HELP_OVER_BARE = 1.5
TARGET_CHECKS_SECONDS = 0.5


@dataclass
class Measure:
    """One subprocess: wall and CPU seconds (user + system, its worker processes included),
    peak RSS in bytes, exit code, output.

    ``peak_rss`` is the highest sum of the resident memory of the process and
    all its descendants (worker processes), sampled every 20 ms from /proc
    on Linux; memory the workers share copy-on-write with their parent is
    counted once per process, so it errs high. Elsewhere (and for runs too
    short to sample) it is the largest single process's peak from wait4.
    """

    seconds: float
    cpu: float
    peak_rss: int
    code: int
    stdout: str
    stderr: str


#: Seconds between two samples of the process tree's memory.
SAMPLE_EVERY = 0.02


def tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and its descendants now (Linux /proc; 0 where unreadable)."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/statm", "rb") as fh:
                total += int(fh.read().split()[1]) * PAGE
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", "rb") as fh:
                    stack.extend(int(child) for child in fh.read().split())
        except (OSError, ValueError, IndexError):
            continue
    return total


PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def measure(cmd: list[str], timeout: float | None = None, env: dict[str, str] | None = None) -> Measure:
    """Run ``cmd`` to the end: wall and CPU time, and peak memory of it and its workers (see Measure)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env)
        deadline = None if timeout is None else start + timeout
        sampled = 0
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if deadline is not None and time.perf_counter() > deadline:
                proc.kill()
                _, status, usage = os.wait4(proc.pid, 0)
                break
            if sys.platform.startswith("linux"):
                sampled = max(sampled, tree_rss(proc.pid))
            time.sleep(SAMPLE_EVERY)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        # ru_maxrss is in KiB on Linux, in bytes on macOS.
        peak = max(sampled, usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024))
        return Measure(seconds, usage.ru_utime + usage.ru_stime, peak, proc.returncode, out.read().decode("utf-8", "replace"),
                       err.read().decode("utf-8", "replace"))


def cells_per_sheet(xlsx: Path) -> list[int]:
    """How many cells each worksheet of ``xlsx`` holds, in workbook order."""
    counts = []
    with zipfile.ZipFile(xlsx) as zf:
        names = [n for n in zf.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)]
        names.sort(key=lambda n: int(re.search(r"\d+", n.rsplit("/", 1)[1]).group()))
        for name in names:
            count, tail = 0, b""
            with zf.open(name) as fh:
                while chunk := fh.read(CHUNK):
                    # The 2-byte tail carried over completes a tag split across chunks; it
                    # cannot hold a whole 3-byte tag, so nothing is counted twice.
                    data = tail + chunk
                    count += data.count(b"<c ") + data.count(b"<c>")
                    tail = data[-2:]
            counts.append(count)
    return counts


def floor_worker(profiles: Path, cells: list[int], output: Path) -> dict[str, Any]:
    """The floor: parse every profile, then write ``cells[i]`` cells on sheet i (write-only)."""
    import yaml
    from openpyxl import Workbook

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    start = time.perf_counter()
    pool: list[Any] = []
    files = sorted(p for p in profiles.rglob("*") if p.suffix in (".yaml", ".yml", ".json"))
    for path in files:
        text = path.read_bytes().decode("utf-8")
        data = json.loads(text) if path.suffix == ".json" else yaml.load(text, Loader=loader)  # noqa: S506
        if len(pool) < 50_000:
            pool.extend(_leaves(data))
    parsed = time.perf_counter()
    pool = pool or ["x"]
    workbook = Workbook(write_only=True)
    width, at = 10, 0
    for index, count in enumerate(cells):
        ws = workbook.create_sheet(f"Sheet{index + 1}")
        for start_at in range(0, count, width):
            row = []
            for _ in range(min(width, count - start_at)):
                row.append(pool[at % len(pool)])
                at += 1
            ws.append(row)
    workbook.save(output)
    done = time.perf_counter()
    return {"files": len(files), "parse_s": parsed - start, "cells_s": done - parsed, "cells": sum(cells)}


def _leaves(node: Any) -> list[Any]:
    out: list[Any] = []
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif item is not None:
            out.append(item)
    return out


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}")


def run_size(n: int, seed: int, fmt: str, work: Path, vendor_sheets: int | None,
             timeout: float | None, jobs: int | None = None) -> dict[str, Any]:
    """Generate N profiles and measure the full run and the floor on them."""
    sys.path.insert(0, str(HERE))
    from generate import write_profiles

    folder = work / f"n{n}"
    profiles = folder / "profiles"
    start = time.perf_counter()
    write_profiles(profiles, n, seed, fmt)
    generated = time.perf_counter() - start
    size = sum(p.stat().st_size for p in profiles.iterdir())

    cmd = [sys.executable, "-m", "vendordd", "run", str(profiles), "-o", str(folder / "out.xlsx"),
           "--json", str(folder / "out.json"), "--as-of", AS_OF]
    if vendor_sheets is not None:
        cmd += ["--vendor-sheets", str(vendor_sheets)]
    if jobs is not None:
        cmd += ["--jobs", str(jobs)]
    full = measure(cmd, timeout=timeout)
    if full.code != 0:
        raise RuntimeError(f"vendordd run on N={n} exited {full.code}:\n{full.stderr[-3000:]}")
    cells = cells_per_sheet(folder / "out.xlsx")
    spec = folder / "cells.json"
    spec.write_text(json.dumps(cells))
    floor = measure([sys.executable, str(Path(__file__).resolve()), "--floor", str(profiles),
                     "--cells", str(spec), "--out", str(folder / "floor.xlsx")], timeout=timeout)
    if floor.code != 0:
        raise RuntimeError(f"floor on N={n} exited {floor.code}:\n{floor.stderr[-3000:]}")
    split = json.loads(floor.stdout.strip().splitlines()[-1])
    result = {"n": n, "bytes": size, "generate_s": generated, "full": full, "floor": floor,
              "floor_split": split, "cells": sum(cells), "sheets": len(cells),
              "xlsx_bytes": (folder / "out.xlsx").stat().st_size,
              "json_bytes": (folder / "out.json").stat().st_size}
    for name in ("out.xlsx", "out.json", "floor.xlsx"):
        (folder / name).unlink()
    return result


def startup(repeat: int, work: Path) -> dict[str, float]:
    """Median wall seconds of the bare import, ``vendordd --help`` and ``vendordd checks``.

    Byte code is written and read (under ``work``, not beside the sources) even
    where PYTHONDONTWRITEBYTECODE is set, as after any ``pip install``: else
    vendordd's modules would be compiled at every start and click's would not.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    commands = {
        "bare": [sys.executable, "-c", "import click, pluggy"],
        "help": [sys.executable, "-m", "vendordd", "--help"],
        "checks": [sys.executable, "-m", "vendordd", "checks"],
    }
    for cmd in commands.values():  # warm the file cache and write the byte code
        measure(cmd, env=env)
    times: dict[str, list[float]] = {k: [] for k in commands}
    for _ in range(repeat):
        for name, cmd in commands.items():  # interleaved, so drift hits all three alike
            m = measure(cmd, env=env)
            if m.code != 0:
                raise RuntimeError(f"{' '.join(cmd[1:])} exited {m.code}: {m.stderr[-2000:]}")
            times[name].append(m.seconds)
    return {k: statistics.median(v) for k, v in times.items()}


def report(rows: list[dict[str, Any]], boot: dict[str, float] | None) -> list[str]:
    """Print the tables and the ratio lines; return the targets missed."""
    mib = 1024**2
    print(f"machine: {machine()}")
    print()
    print(f"{'N':>6} {'input MiB':>9} {'cells':>9} {'full s':>8} {'cpu s':>8} {'ms/profile':>10} "
          f"{'RSS MiB':>8} {'floor s':>8} {'cpu s':>8} {'(parse s':>8} {'cells s)':>8} {'RSS MiB':>8} "
          f"{'full/floor':>10} {'(cpu)':>6}")
    for r in rows:
        full, floor, split = r["full"], r["floor"], r["floor_split"]
        print(f"{r['n']:>6} {r['bytes'] / mib:>9.1f} {r['cells']:>9} {full.seconds:>8.2f} {full.cpu:>8.2f} "
              f"{1000 * full.seconds / r['n']:>10.2f} {full.peak_rss / mib:>8.0f} {floor.seconds:>8.2f} "
              f"{floor.cpu:>8.2f} {split['parse_s']:>8.2f} {split['cells_s']:>8.2f} "
              f"{floor.peak_rss / mib:>8.0f} {full.seconds / floor.seconds:>10.2f} "
              f"{full.cpu / floor.cpu:>6.2f}")
    print()
    missed: list[str] = []
    by_n = {r["n"]: r for r in rows}
    for r in rows:
        ratio = r["full"].seconds / r["floor"].seconds
        note = ""
        if r["n"] == 1000:
            ok = ratio <= TARGET_RATIO_AT_1000
            note = f" (target <= {TARGET_RATIO_AT_1000}: {'met' if ok else 'MISSED'})"
            if not ok:
                missed.append(f"full/floor {ratio:.2f} at N=1000")
        print(f"ratio N={r['n']}: full/floor = {ratio:.2f}{note}; by CPU time "
              f"{r['full'].cpu / r['floor'].cpu:.2f}")
    if 1000 in by_n and 10000 in by_n:
        growth = (by_n[10000]["full"].seconds / 10000) / (by_n[1000]["full"].seconds / 1000)
        ok = growth <= TARGET_GROWTH_1000_TO_10000
        print(f"ratio cost per profile N=10000/N=1000 = {growth:.2f} "
              f"(target <= {TARGET_GROWTH_1000_TO_10000}: {'met' if ok else 'MISSED'})")
        if not ok:
            missed.append(f"cost growth {growth:.2f} from 1,000 to 10,000")
    if 10000 in by_n:
        peak = by_n[10000]["full"].peak_rss
        ok = peak < TARGET_PEAK_AT_10000
        print(f"peak RSS N=10000 = {peak / mib:.0f} MiB (target < 1024 MiB: {'met' if ok else 'MISSED'})")
        if not ok:
            missed.append(f"peak RSS {peak / mib:.0f} MiB at N=10000")
    if boot:
        help_ratio = boot["help"] / boot["bare"]
        ok_help = help_ratio <= TARGET_HELP_OVER_BARE
        ok_checks = boot["checks"] < TARGET_CHECKS_SECONDS
        print(f"startup: bare import {boot['bare']:.3f} s, vendordd --help {boot['help']:.3f} s, "
              f"vendordd checks {boot['checks']:.3f} s")
        print(f"ratio startup: --help/bare = {help_ratio:.2f} "
              f"(target <= {TARGET_HELP_OVER_BARE}: {'met' if ok_help else 'MISSED'})")
        print(f"ratio startup: checks = {boot['checks']:.3f} s "
              f"(target < {TARGET_CHECKS_SECONDS} s: {'met' if ok_checks else 'MISSED'})")
        if not ok_help:
            missed.append(f"--help at {help_ratio:.2f}x the bare import")
        if not ok_checks:
            missed.append(f"vendordd checks in {boot['checks']:.3f} s")
    return missed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="vendordd benchmark: full run vs floor, and start-up")
    parser.add_argument("--sizes", default="100,1000,10000", help="comma-separated N (default 100,1000,10000)")
    parser.add_argument("--smoke", action="store_true", help="N = 20 only, 3 start-up repeats (for CI)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--format", dest="fmt", choices=["yaml", "json", "mixed"], default="yaml")
    parser.add_argument("--vendor-sheets", type=int, help="passed to vendordd run (default: the CLI's)")
    parser.add_argument("--jobs", type=int, help="passed to vendordd run (default: the CLI's, one per CPU)")
    parser.add_argument("--repeat", type=int, default=7, help="start-up runs per command (median)")
    parser.add_argument("--timeout", type=float, help="seconds allowed per measured run")
    parser.add_argument("--check-targets", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--no-startup", action="store_true", help="skip the start-up measurements")
    parser.add_argument("--floor", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--cells", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.floor:  # the floor subprocess
        print(json.dumps(floor_worker(args.floor, json.loads(args.cells.read_text()), args.out)))
        return 0

    sizes = [20] if args.smoke else [int(s) for s in args.sizes.split(",") if s.strip()]
    repeat = 3 if args.smoke else args.repeat
    rows = []
    with tempfile.TemporaryDirectory(prefix="vendordd-bench-") as tmp:
        try:
            for n in sizes:
                print(f"N={n}: generating and measuring ...", file=sys.stderr, flush=True)
                rows.append(run_size(n, args.seed, args.fmt, Path(tmp), args.vendor_sheets, args.timeout,
                                     args.jobs))
            boot = None if args.no_startup else startup(repeat, Path(tmp))
        except RuntimeError as exc:
            print(f"run_bench: {exc}", file=sys.stderr)
            return 1
    missed = report(rows, boot)
    if missed:
        print("targets missed: " + "; ".join(missed))
    return 1 if missed and args.check_targets else 0


if __name__ == "__main__":
    sys.exit(main())
