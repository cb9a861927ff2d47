"""The vendordd benchmark: the full run against its floor, screening, start-up, results size, memory.

For each input format (JSON and YAML by default) it generates N seeded
synthetic profiles (benchmarks/generate.py, N = 1,000 by default) in a
temporary folder and measures, each in its own subprocess, ``--repeat``
times interleaved (so that a change in the machine's load hits all alike):

- ``full -j1``: ``python -m vendordd run DIR -o out.xlsx --json out.json --as-of 2026-06-01 --jobs 1``;
- ``full``: the same with the default ``--jobs`` (one process per CPU);
- ``screened``: ``full -j1`` plus ``--screening-list`` of a synthetic
  20,000-entry Consolidated Screening List CSV (benchmarks/screening_bench.py's names);
- ``floor``: reading and parsing the same files (``json``, PyYAML's C
  loader) and writing the same number of cells, sheet by sheet, with
  openpyxl in write-only mode: the least any tool must do to turn these
  files into that workbook.

Then start-up (median of interleaved runs, byte code cached): a bare
``python -c "import click, pluggy"``, ``vendordd validate one.json``,
``vendordd --help`` and ``vendordd checks``; and, with ``--memory`` (or
``--check-targets`` without ``--no-memory``), the peak memory of a default
run over 10,000 JSON profiles.

It prints what it measured and the goals of issue 21 (:data:`GOALS`) side by
side: CPU ratio (``full -j1`` CPU / floor CPU), wall ratio (``full`` wall /
floor wall), screening ratio (``screened`` CPU / ``full -j1`` CPU), validate
start-up ratio (validate / bare import), results KB per vendor, peak
memory at 10,000. Ratios use medians of the same run's measurements; the
goals are judged on the JSON input (YAML parsing is slow enough to hide the
product's own work; its ratios are printed for comparison).

Usage::

    python benchmarks/run_bench.py [--n 1000] [--formats json,yaml] [--repeat 3]
                                   [--memory] [--check-targets] [--no-memory] [--smoke]

``--smoke`` runs N = 20 once, JSON only, no memory run (what CI runs, so
that the script keeps working). The exit status is 1 when a measured run
fails and, with ``--check-targets``, when a goal is missed (each missed
goal is printed). Profiles and outputs go to a temporary folder, never into
the checkout.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
AS_OF = "2026-06-01"
MIB = 1024**2
#: Bytes read at a time when counting the cells of a worksheet.
CHUNK = 1 << 20
#: Entries of the synthetic screening list.
SCREENING_ENTRIES = 20_000
#: Profiles of the memory run.
MEMORY_N = 10_000


@dataclass(frozen=True)
class Goal:
    """A goal of issue 21: ``key`` names a figure of :func:`figures`; met when ``value <= limit``
    (``strict``: ``value < limit``)."""

    key: str
    label: str
    limit: float
    unit: str = ""
    strict: bool = False

    def met(self, value: float) -> bool:
        return value < self.limit if self.strict else value <= self.limit


GOALS = [
    Goal("cpu_ratio", "CPU, full --jobs 1 / floor", 1.5),
    Goal("wall_ratio", "wall, full (default jobs) / floor", 1.2),
    Goal("screening_ratio", "CPU, with a 20,000-entry screening list / without", 1.05),
    Goal("validate_ratio", "vendordd validate one.json / bare import", 2.5),
    Goal("results_kb", "results JSON per vendor", 30, " KB"),
    Goal("peak_mib_10k", "peak memory at 10,000 profiles", 400, " MiB", strict=True),
]


@dataclass
class Measure:
    """One subprocess: wall and CPU seconds (user + system, its worker processes included),
    peak RSS in bytes, exit code, output, and the machine's 1-minute load average before it.

    ``peak_rss`` is the highest sum of the resident memory of the process and
    all its descendants (worker processes), sampled every 20 ms from /proc
    on Linux; memory the workers share copy-on-write with their parent is
    counted once per process, so it errs high (a child forked from a big
    parent counts the parent's whole memory again). ``peak_pss`` is the
    highest sum of their proportional set sizes (a page shared by n
    processes counts 1/n in each: what the run takes from the machine), the
    figure the memory goal is judged on; 0 where /proc has no smaps_rollup.
    Elsewhere (and for runs too short to sample) ``peak_rss`` is the largest
    single process's peak from wait4.
    """

    seconds: float
    cpu: float
    peak_rss: int
    code: int
    stdout: str
    stderr: str
    load: float = 0.0
    peak_pss: int = 0


#: Seconds between two samples of the process tree's memory.
SAMPLE_EVERY = 0.02
PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and its descendants now (Linux /proc; 0 where unreadable)."""
    return tree_memory(pid)[0]


def tree_memory(pid: int) -> tuple[int, int]:
    """Resident and proportional (PSS) bytes of ``pid`` and its descendants now, each summed
    (Linux /proc; 0 where unreadable)."""
    rss = pss = 0
    stack = [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/statm", "rb") as fh:
                rss += int(fh.read().split()[1]) * PAGE
            pss += _pss(current)
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", "rb") as fh:
                    stack.extend(int(child) for child in fh.read().split())
        except (OSError, ValueError, IndexError):
            continue
    return rss, pss


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as fh:
            for line in fh:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def load_average() -> float:
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return float("nan")


def measure(cmd: list[str], timeout: float | None = None, env: dict[str, str] | None = None,
            sample: bool = True) -> Measure:
    """Run ``cmd`` to the end: wall and CPU time, and peak memory of it and its workers (see Measure).

    ``sample``: read the process tree's memory from /proc every 20 ms. The
    reads are not free for the run being read: on this 2-core machine they
    took about 1.3 s of the sampler's CPU during a 6.6 s default run and added
    0.7-1.0 s to a ``--jobs 1`` run's own CPU (the kernel walks the run's page
    tables under its memory map's lock). A small one-process run such as the
    floor hardly feels them, so timed runs are not sampled
    (``sample=False``: the wait blocks, and costs nothing).
    """
    load = load_average()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env)
        if sample:
            status, usage, sampled, sampled_pss = _wait_sampling(proc, None if timeout is None else start + timeout)
        else:
            status, usage = _wait(proc, timeout)
            sampled = sampled_pss = 0
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        # ru_maxrss is in KiB on Linux, in bytes on macOS.
        peak = max(sampled, usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024))
        return Measure(seconds, usage.ru_utime + usage.ru_stime, peak, proc.returncode,
                       out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"), load,
                       sampled_pss)


def _wait(proc: subprocess.Popen[bytes], timeout: float | None) -> tuple[int, Any]:
    """Block until ``proc`` ends (killed after ``timeout`` seconds): its wait status and rusage."""
    killer = threading.Timer(timeout, proc.kill) if timeout is not None else None
    if killer is not None:
        killer.start()
    try:
        _, status, usage = os.wait4(proc.pid, 0)
    finally:
        if killer is not None:
            killer.cancel()
    return status, usage


def _wait_sampling(proc: subprocess.Popen[bytes], deadline: float | None) -> tuple[int, Any, int, int]:
    """Wait for ``proc`` (killed past ``deadline``), sampling its tree's memory: status, rusage,
    peak summed RSS and peak summed PSS (0 off Linux)."""
    sampled = sampled_pss = 0
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            return status, usage, sampled, sampled_pss
        if deadline is not None and time.perf_counter() > deadline:
            proc.kill()
            _, status, usage = os.wait4(proc.pid, 0)
            return status, usage, sampled, sampled_pss
        if sys.platform.startswith("linux"):
            rss, pss = tree_memory(proc.pid)
            sampled, sampled_pss = max(sampled, rss), max(sampled_pss, pss)
        time.sleep(SAMPLE_EVERY)


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


def write_screening_list(path: Path, entries: int, seed: int = 7) -> Path:
    """A synthetic Consolidated Screening List CSV of ``entries`` made-up entities on the Entity List."""
    sys.path.insert(0, str(HERE))
    from screening_bench import COUNTRIES, _company

    rng = random.Random(seed)
    source = "Entity List (EL) - Bureau of Industry and Security"
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["_id", "source", "entity_number", "type", "programs", "name", "alt_names", "addresses"])
        for i in range(entries):
            alts = "; ".join(_company(rng) for _ in range(rng.randint(0, 2)))
            out.writerow([i + 1, source, "", "Entity", "", _company(rng), alts,
                          f"Street {i}, City, {rng.choice(COUNTRIES)}"])
    return path


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


def _checked(m: Measure, what: str) -> Measure:
    if m.code != 0:
        raise RuntimeError(f"{what} exited {m.code}:\n{m.stderr[-3000:]}")
    return m


def run_format(n: int, fmt: str, seed: int, work: Path, repeat: int, screening: Path | None,
               vendor_sheets: int | None, timeout: float | None) -> dict[str, Any]:
    """Generate N profiles in ``fmt`` and measure full -j1, full, screened and floor ``repeat`` times."""
    sys.path.insert(0, str(HERE))
    from generate import write_profiles

    folder = work / f"{fmt}{n}"
    profiles = folder / "profiles"
    write_profiles(profiles, n, seed, fmt)
    size = sum(p.stat().st_size for p in profiles.iterdir())

    def run(*extra: str) -> list[str]:
        cmd = [sys.executable, "-m", "vendordd", "run", str(profiles), "-o", str(folder / "out.xlsx"),
               "--json", str(folder / "out.json"), "--as-of", AS_OF, *extra]
        return cmd + (["--vendor-sheets", str(vendor_sheets)] if vendor_sheets is not None else [])

    # The first run also gives the cell counts the floor writes and the results' size.
    first = _checked(measure(run("--jobs", "1"), timeout, sample=False), f"vendordd run --jobs 1 on {n} {fmt}")
    cells = cells_per_sheet(folder / "out.xlsx")
    json_bytes = (folder / "out.json").stat().st_size
    xlsx_bytes = (folder / "out.xlsx").stat().st_size
    vendors = len(json.loads((folder / "out.json").read_bytes())["vendors"])
    spec = folder / "cells.json"
    spec.write_text(json.dumps(cells))
    floor_cmd = [sys.executable, str(Path(__file__).resolve()), "--floor", str(profiles),
                 "--cells", str(spec), "--out", str(folder / "floor.xlsx")]
    kinds: dict[str, list[str]] = {"full_j1": run("--jobs", "1"), "full": run(), "floor": floor_cmd}
    if screening is not None:
        kinds["screened"] = run("--jobs", "1", "--screening-list", str(screening))
    got: dict[str, list[Measure]] = {k: [] for k in kinds}
    got["full_j1"].append(first)
    splits: list[dict[str, Any]] = []
    for round_ in range(repeat):
        for kind, cmd in kinds.items():
            if kind == "full_j1" and round_ == 0:
                continue  # the first run above counts
            m = _checked(measure(cmd, timeout, sample=False), f"{kind} on {n} {fmt}")
            got[kind].append(m)
            if kind == "floor":
                splits.append(json.loads(m.stdout.strip().splitlines()[-1]))
    # Memory is sampled in one more run of each kind, not timed: the sampler's reads of /proc
    # slow the run it samples (see measure), and more so a large run on every core than the floor.
    memory = {kind: _checked(measure(cmd, timeout), f"{kind} on {n} {fmt}") for kind, cmd in kinds.items()}
    for name in ("out.xlsx", "out.json", "floor.xlsx"):
        (folder / name).unlink(missing_ok=True)
    return {"n": n, "fmt": fmt, "bytes": size, "cells": sum(cells), "sheets": len(cells), "vendors": vendors,
            "json_bytes": json_bytes, "xlsx_bytes": xlsx_bytes, "runs": got, "splits": splits, "memory": memory}


def memory_run(n: int, seed: int, work: Path, timeout: float | None) -> Measure:
    """A default run over ``n`` JSON profiles: its peak memory (run and workers together)."""
    sys.path.insert(0, str(HERE))
    from generate import write_profiles

    folder = work / f"memory{n}"
    profiles = folder / "profiles"
    write_profiles(profiles, n, seed, "json")
    m = _checked(measure([sys.executable, "-m", "vendordd", "run", str(profiles), "-o", str(folder / "out.xlsx"),
                          "--json", str(folder / "out.json"), "--as-of", AS_OF], timeout),
                 f"vendordd run on {n} json")
    return m


def use_cached_bytecode(work: Path) -> None:
    """Have every measured process read compiled byte code, as after any ``pip install``.

    Where PYTHONDONTWRITEBYTECODE is set (this project's CI machines set it), an
    editable install's modules would be compiled again at every start, while
    the floor's libraries (openpyxl) come compiled from their wheels: that
    would charge the full run about a tenth of a second per run that no user
    pays. Byte code goes under ``work`` (PYTHONPYCACHEPREFIX), written once
    here for vendordd's own packages, not beside the sources.
    """
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    folders = [str(Path(p)) for p in _vendordd_paths()]
    subprocess.run([sys.executable, "-m", "compileall", "-q", *folders], check=False,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _vendordd_paths() -> list[str]:
    import vendordd
    import vendordd.plugins

    return [*vendordd.__path__, *vendordd.plugins.__path__]


def startup(repeat: int, work: Path, profile: Path) -> dict[str, list[float]]:
    """Wall seconds of the bare import, ``validate one.json``, ``--help`` and ``checks``, interleaved.

    Byte code is written and read (under ``work``, not beside the sources) even
    where PYTHONDONTWRITEBYTECODE is set, as after any ``pip install``: else
    vendordd's modules would be compiled at every start and click's would not
    (see :func:`use_cached_bytecode`).
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    commands = {
        "bare": [sys.executable, "-c", "import click, pluggy"],
        "validate": [sys.executable, "-m", "vendordd", "validate", str(profile)],
        "help": [sys.executable, "-m", "vendordd", "--help"],
        "checks": [sys.executable, "-m", "vendordd", "checks"],
    }
    for cmd in commands.values():  # warm the file cache and write the byte code
        measure(cmd, env=env, sample=False)
    times: dict[str, list[float]] = {k: [] for k in commands}
    for _ in range(repeat):
        for name, cmd in commands.items():  # interleaved, so drift hits all alike
            m = _checked(measure(cmd, env=env, sample=False), " ".join(cmd[1:]))
            times[name].append(m.seconds)
    return times


def _med(values: list[float]) -> float:
    return statistics.median(values)


def _spread(values: list[float], fmt: str = ".2f") -> str:
    if len(values) == 1:
        return format(values[0], fmt)
    return f"{format(_med(values), fmt)} ({format(min(values), fmt)}-{format(max(values), fmt)})"


def figures(rows: list[dict[str, Any]], boot: dict[str, list[float]] | None,
            memory: Measure | None) -> dict[str, dict[str, float]]:
    """The goals' figures per input format (``memory`` and start-up under every format alike)."""
    out: dict[str, dict[str, float]] = {}
    for r in rows:
        runs = r["runs"]
        cpu = {k: _med([m.cpu for m in v]) for k, v in runs.items()}
        wall = {k: _med([m.seconds for m in v]) for k, v in runs.items()}
        got = {"cpu_ratio": cpu["full_j1"] / cpu["floor"], "wall_ratio": wall["full"] / wall["floor"],
               "results_kb": r["json_bytes"] / max(r["vendors"], 1) / 1000}
        if "screened" in runs:
            got["screening_ratio"] = cpu["screened"] / cpu["full_j1"]
        if boot:
            got["validate_ratio"] = _med(boot["validate"]) / _med(boot["bare"])
        if memory is not None:
            got["peak_mib_10k"] = (memory.peak_pss or memory.peak_rss) / MIB
        out[r["fmt"]] = got
    return out


def report(rows: list[dict[str, Any]], boot: dict[str, list[float]] | None, memory: Measure | None,
           memory_n: int, judged: str = "json") -> list[str]:
    """Print what was measured and the goals side by side; return the goals missed (or not measured)."""
    print(f"machine: {machine()}")
    loads = [m.load for r in rows for v in r["runs"].values() for m in v]
    if loads:
        print(f"load average (1 min) before each run: median {_med(loads):.2f}, "
              f"{min(loads):.2f}-{max(loads):.2f}")
    print("medians of the repeats, (min-max) where repeated; time runs unsampled, memory from one more sampled run")
    print()
    for r in rows:
        print(f"{r['fmt'].upper()} input: N = {r['n']}, {r['bytes'] / MIB:.1f} MiB, {r['cells']} cells "
              f"on {r['sheets']} sheets; results {r['json_bytes'] / MIB:.1f} MiB, workbook "
              f"{r['xlsx_bytes'] / MIB:.1f} MiB")
        print(f"  {'run':<10} {'wall s':>22} {'CPU s':>22} {'peak RSS MiB':>13} {'peak PSS MiB':>13}")
        for kind in ("full_j1", "full", "screened", "floor"):
            if kind not in r["runs"]:
                continue
            ms = r["runs"][kind]
            label = {"full_j1": "full -j1", "full": "full", "screened": "screened", "floor": "floor"}[kind]
            sampled = r["memory"][kind]
            print(f"  {label:<10} {_spread([m.seconds for m in ms]):>22} {_spread([m.cpu for m in ms]):>22} "
                  f"{sampled.peak_rss / MIB:>13.0f} {sampled.peak_pss / MIB:>13.0f}")
        if r["splits"]:
            print(f"  floor split: parse {_spread([s['parse_s'] for s in r['splits']])} s, "
                  f"cells {_spread([s['cells_s'] for s in r['splits']])} s")
        print()
    if boot:
        print("start-up (wall s, median of interleaved runs): "
              + ", ".join(f"{k} {_spread(v, '.3f')}" for k, v in boot.items()))
    if memory is not None:
        print(f"memory run: N = {memory_n} JSON, default jobs: wall {memory.seconds:.1f} s, "
              f"CPU {memory.cpu:.1f} s, peak PSS {memory.peak_pss / MIB:.0f} MiB (the goal's figure; "
              f"summed RSS {memory.peak_rss / MIB:.0f} MiB, which counts pages shared with a forked child twice)")
    print()
    got = figures(rows, boot, memory)
    fmts = [r["fmt"] for r in rows]
    print(f"{'goal':<52} {'limit':>9} " + " ".join(f"{f.upper():>9}" for f in fmts) + "  status")
    missed: list[str] = []
    for goal in GOALS:
        values = [got[f].get(goal.key) for f in fmts]
        shown = " ".join(f"{'-' if v is None else format(v, '.2f'):>9}" for v in values)
        mine = got.get(judged, {}).get(goal.key)
        if mine is None:
            status = "not measured"
            missed.append(f"{goal.label}: not measured")
        elif goal.met(mine):
            status = "met"
        else:
            status = "MISSED"
            missed.append(f"{goal.label} = {mine:.2f}{goal.unit} ({judged}), goal "
                          f"{'<' if goal.strict else '<='} {goal.limit:g}{goal.unit}")
        limit = f"{'<' if goal.strict else '<='} {goal.limit:g}"
        print(f"{goal.label + goal.unit:<52} {limit:>9} {shown}  {status}")
    print(f"(goals judged on the {judged.upper()} input)")
    return missed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="vendordd benchmark: the goals of issue 21")
    parser.add_argument("--n", type=int, default=1000, help="profiles per format (default 1000)")
    parser.add_argument("--formats", default="json,yaml", help="input formats (default json,yaml)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each kind (median; default 3)")
    parser.add_argument("--startup-repeat", type=int, default=9, help="start-up runs per command (median)")
    parser.add_argument("--smoke", action="store_true", help="N = 20, JSON, once; no memory run (for CI)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--vendor-sheets", type=int, help="passed to vendordd run (default: the CLI's)")
    parser.add_argument("--timeout", type=float, help="seconds allowed per measured run")
    parser.add_argument("--memory", action="store_true", help=f"measure peak memory at N = {MEMORY_N}")
    parser.add_argument("--no-memory", action="store_true", help="skip the memory run under --check-targets")
    parser.add_argument("--no-screening", action="store_true", help="skip the screened runs")
    parser.add_argument("--no-startup", action="store_true", help="skip the start-up measurements")
    parser.add_argument("--check-targets", action="store_true", help="exit 1 when a goal is missed")
    parser.add_argument("--floor", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--cells", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.floor:  # the floor subprocess
        print(json.dumps(floor_worker(args.floor, json.loads(args.cells.read_text()), args.out)))
        return 0

    n, fmts, repeat = args.n, [f.strip() for f in args.formats.split(",") if f.strip()], args.repeat
    startup_repeat = args.startup_repeat
    do_memory = (args.memory or args.check_targets) and not args.no_memory
    if args.smoke:
        n, fmts, repeat, startup_repeat, do_memory = 20, ["json"], 1, 3, False
    say: Callable[[str], None] = lambda text: print(text, file=sys.stderr, flush=True)  # noqa: E731
    rows = []
    boot = memory = None
    with tempfile.TemporaryDirectory(prefix="vendordd-bench-") as tmp:
        work = Path(tmp)
        use_cached_bytecode(work)
        try:
            screening = None
            if not args.no_screening:
                screening = write_screening_list(work / "screening.csv", SCREENING_ENTRIES)
            for fmt in fmts:
                say(f"{fmt}, N={n}: generating and measuring ({repeat} rounds) ...")
                rows.append(run_format(n, fmt, args.seed, work, repeat, screening, args.vendor_sheets,
                                       args.timeout))
            if not args.no_startup:
                say("start-up ...")
                sys.path.insert(0, str(HERE))
                from generate import write_profiles

                one = write_profiles(work / "one", 1, args.seed, "json")[0]
                boot = startup(startup_repeat, work, one)
            if do_memory:
                say(f"memory, N={MEMORY_N} ...")
                memory = memory_run(MEMORY_N, args.seed, work, args.timeout)
        except RuntimeError as exc:
            print(f"run_bench: {exc}", file=sys.stderr)
            return 1
    missed = report(rows, boot, memory, MEMORY_N, judged="json" if "json" in fmts else fmts[0])
    if missed:
        print("goals missed or not measured: " + "; ".join(missed))
    return 1 if missed and args.check_targets else 0


if __name__ == "__main__":
    sys.exit(main())
