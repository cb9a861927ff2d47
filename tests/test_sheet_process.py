"""The Findings and Evidence sheets written by a second process give the bytes of sheets written here.

``MIN_ROWS`` is lowered so that the example profiles (about 250 sources)
are enough to start the child. Each test checks that the child's sheet was
really taken over (or, for the failure cases, really refused), so a silent
fallback cannot pass for the parallel path.
"""

from __future__ import annotations

import copy
import os
from dataclasses import replace
from pathlib import Path

import pytest

from vendordd import workers
from vendordd.pipeline import assess
from vendordd.scorecard import ScorecardError, sheet_process, write_scorecard
from vendordd.scorecard import writer as scorecard_writer
from vendordd.scorecard.registry import sheet_specs

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
pytestmark = pytest.mark.skipif(not workers.can_fork(), reason="the second process is forked on Linux only")


@pytest.fixture(scope="module")
def results() -> dict:
    outcome = assess([str(EXAMPLES / "profiles")], policy_path=str(EXAMPLES / "policy-us-buyer.yaml"),
                     portfolio_path=str(EXAMPLES / "portfolio.yaml"), as_of="2026-06-01", jobs=1)
    return outcome.results


@pytest.fixture()
def finished(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Start the child for any number of rows; record what :meth:`Offload.finish` answered (once)."""
    monkeypatch.setattr(sheet_process, "MIN_ROWS", 1)
    answers: list[bool] = []
    finish = sheet_process.Offload.finish

    def spy(self: sheet_process.Offload) -> bool:
        assert self.keys == ["evidence", "findings"]
        answer = finish(self)
        if not answers:  # asked again at a later sheet's turn: the same answer
            answers.append(answer)
        assert answer == answers[0]
        return answer

    monkeypatch.setattr(sheet_process.Offload, "finish", spy)
    return answers


@pytest.fixture()
def adopted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The titles of the sheets taken over from the child."""
    titles: list[str] = []
    adopt = sheet_process.adopt_closed_sheet

    def record(ws, closed) -> None:
        titles.append(ws.title)
        adopt(ws, closed)

    monkeypatch.setattr(sheet_process, "adopt_closed_sheet", record)
    return titles


@pytest.fixture(params=["child", "here"])
def findings_by(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Who writes Findings: the child after Evidence, or this process at Findings' turn (forced,
    where it would depend on timing)."""
    take, parent = sheet_process._take, os.getpid()
    if request.param == "child":  # this process never gets there first
        monkeypatch.setattr(sheet_process.Offload, "claim", lambda self, key: self._outcome is False)
    else:  # the child leaves Findings alone
        monkeypatch.setattr(sheet_process, "_take", lambda owners, key, who: (
            take(owners, key, who) if os.getpid() == parent or key != "findings" else False))
    return request.param


def _write(results: dict, path: Path, jobs: int, **options) -> bytes:
    write_scorecard(results, path, jobs=jobs, **options)
    return path.read_bytes()


def test_the_second_process_writes_the_same_bytes(results: dict, tmp_path: Path, finished: list[bool],
                                                  findings_by: str, adopted: list[str]) -> None:
    here = _write(results, tmp_path / "one.xlsx", 1)
    assert finished == []  # one job: no second process
    there = _write(results, tmp_path / "two.xlsx", 2)
    assert finished == [True]
    assert adopted == (["Evidence", "Findings"] if findings_by == "child" else ["Evidence"])
    assert there == here


def test_hostile_source_text_still_gives_the_same_bytes(results: dict, tmp_path: Path, finished: list[bool],
                                                        findings_by: str) -> None:
    hostile = copy.deepcopy(results)
    texts = ["=HYPERLINK(\"http://evil\")", "+1", "-2", "@SUM(A1)", "#N/A", " lead and trail ", "tab\there",
             "line\nfeed", "a\x07bell", "emoji 👩‍💻 and 東京", "x" * 40000]
    for vendor in hostile["vendors"]:
        for source, text in zip(vendor.get("sources") or (), texts * 50):
            source["title"] = text
            source["publisher"] = text[::-1]
    here = _write(hostile, tmp_path / "one.xlsx", 1)
    there = _write(hostile, tmp_path / "two.xlsx", 2)
    assert finished == [True]
    assert there == here


def test_a_template_is_written_in_one_process(results: dict, tmp_path: Path, finished: list[bool]) -> None:
    from openpyxl import Workbook
    from openpyxl.worksheet.table import Table

    template = tmp_path / "cover.xlsx"
    wb = Workbook()
    wb.active.title = "Cover"
    wb.active.append(["a", "b"])
    wb.active.append([1, 2])
    wb.active.add_table(Table(displayName="tbl_Evidence", ref="A1:B2"))
    wb.save(template)
    here = _write(results, tmp_path / "one.xlsx", 1, template=template)
    there = _write(results, tmp_path / "two.xlsx", 2, template=template)
    assert finished == []  # a template's workbook is built in memory: nothing to stream elsewhere
    assert there == here


def test_a_failing_child_leaves_the_sheet_to_this_process(results: dict, tmp_path: Path, finished: list[bool],
                                                          findings_by: str, monkeypatch: pytest.MonkeyPatch) -> None:
    here = _write(results, tmp_path / "one.xlsx", 1)

    def broken(ws, path):  # only the child closes the sheet early
        raise OSError("disk full in the child")

    monkeypatch.setattr(sheet_process, "close_and_keep", broken)
    there = _write(results, tmp_path / "two.xlsx", 2)
    assert finished == [False]
    assert there == here


def test_a_child_that_adds_a_style_is_refused(results: dict, tmp_path: Path, finished: list[bool],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    here = _write(results, tmp_path / "one.xlsx", 1)
    calls = iter(range(1000))
    monkeypatch.setattr(sheet_process, "registry_sizes", lambda wb: (next(calls),))  # differs before/after
    there = _write(results, tmp_path / "two.xlsx", 2)
    assert finished == [False]
    assert there == here


def test_an_error_here_stops_the_child_and_leaves_no_file(results: dict, tmp_path: Path, finished: list[bool],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setattr("tempfile.tempdir", None)
    specs = sheet_specs()

    def fails(*args, **kwargs):
        raise ScorecardError("the summary failed")

    monkeypatch.setattr(scorecard_writer, "sheet_specs",
                        lambda: [replace(s, write=fails) if s.key == "summary" else s for s in specs])
    with pytest.raises(ScorecardError, match="the summary failed"):
        write_scorecard(results, tmp_path / "out.xlsx", jobs=2)
    assert finished == []  # never reached the Evidence sheet's turn
    assert not (tmp_path / "out.xlsx").exists()
    assert os.listdir(temp) == []


def test_a_run_keeping_its_vendors_packed_stays_in_one_process(tmp_path: Path, finished: list[bool]) -> None:
    outcome = assess([str(EXAMPLES / "profiles")], policy_path=str(EXAMPLES / "policy-us-buyer.yaml"),
                     as_of="2026-06-01", jobs=1, keep_as_objects=0)  # a VendorStore, as above 2,000 profiles
    _write(outcome.results, tmp_path / "two.xlsx", 2)
    assert finished == []  # such a run bounds its memory: no second sheet's working set beside this one


def _run(tmp_path: Path, tag: str, jobs: int, plugin: str | None = None) -> tuple[bytes, bytes]:
    from vendordd.outputs import Outputs

    xlsx, json_path = tmp_path / f"{tag}.xlsx", tmp_path / f"{tag}.json"
    assess([str(EXAMPLES / "profiles")], policy_path=str(EXAMPLES / "policy-us-buyer.yaml"),
           portfolio_path=str(EXAMPLES / "portfolio.yaml"), as_of="2026-06-01", jobs=jobs,
           plugin_paths=[plugin] if plugin else [], outputs=Outputs(workbook=str(xlsx), json=str(json_path)))
    return xlsx.read_bytes(), json_path.read_bytes()


@pytest.fixture()
def alongside(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """What each :meth:`Offload.alongside_done` answered (did the child write the JSON?)."""
    monkeypatch.setattr(sheet_process, "MIN_ROWS", 1)
    monkeypatch.setattr(workers, "choose_jobs", lambda requested, files: requested or 1)
    answers: list[bool] = []
    done = sheet_process.Offload.alongside_done

    def spy(self: sheet_process.Offload) -> bool:
        answers.append(done(self))
        return answers[-1]

    monkeypatch.setattr(sheet_process.Offload, "alongside_done", spy)
    return answers


def test_the_second_process_writes_the_json_while_this_one_saves(tmp_path: Path, alongside: list[bool]) -> None:
    one = _run(tmp_path, "one", 1)
    assert alongside == []
    two = _run(tmp_path, "two", 2)
    assert alongside == [True]
    assert two == one
    assert not list(tmp_path.glob(".*tmp*"))  # no temporary left beside the outputs


def test_json_the_child_failed_to_write_is_written_here(tmp_path: Path, alongside: list[bool],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from vendordd import outputs

    one = _run(tmp_path, "one", 1)
    write, parent = outputs._write_json_file, os.getpid()

    def fails_in_the_child(*args, **kwargs):
        if os.getpid() != parent:
            raise OSError("no room in the child")
        return write(*args, **kwargs)

    monkeypatch.setattr(outputs, "_write_json_file", fails_in_the_child)
    two = _run(tmp_path, "two", 2)
    assert alongside == [False]
    assert two == one


def test_with_a_plugin_sheet_the_json_waits_for_the_workbook(tmp_path: Path, alongside: list[bool]) -> None:
    plugin = tmp_path / "sheet_plugin.py"
    plugin.write_text(
        "from vendordd import hookimpl\n\n"
        "@hookimpl\n"
        "def scorecard_sheets(workbook, results, policy, writer):\n"
        "    raise RuntimeError('this plugin fails, so the results get a warning')\n", encoding="utf-8")
    one = _run(tmp_path, "one", 1, str(plugin))
    two = _run(tmp_path, "two", 2, str(plugin))
    assert alongside == [False]  # the results change while the workbook is written: JSON written after it
    assert two == one
    assert b"this plugin fails" in two[1]


def test_the_built_in_sheets_are_closed_before_the_plugins_sheets_with_any_number_of_processes(
        tmp_path: Path, alongside: list[bool]) -> None:
    plugin = tmp_path / "closed_probe.py"
    plugin.write_text(
        "from vendordd import hookimpl\n\n"
        "@hookimpl\n"
        "def scorecard_sheets(workbook, writer):\n"
        "    sheet = writer.sheet('Probe', ['Sheet', 'Closed'])\n"
        "    for ws in workbook.worksheets:\n"
        "        if ws.title != 'Probe':\n"
        "            sheet.append([ws.title, str(ws.closed)])\n", encoding="utf-8")
    one = _run(tmp_path, "one", 1, str(plugin))
    two = _run(tmp_path, "two", 2, str(plugin))
    assert alongside == [True]  # the child wrote Evidence (and the JSON): the parallel path ran
    assert two == one
    from openpyxl import load_workbook

    probe = load_workbook(tmp_path / "two.xlsx", read_only=True)["Probe"]
    seen = list(probe.iter_rows(min_row=2, values_only=True))
    built_in = seen[: [title for title, _ in seen].index("Evidence") + 1]  # other plugins' sheets follow
    assert {"Summary", "Findings"} <= {title for title, _ in built_in} and len(built_in) > 10
    assert [title for title, closed in built_in if closed != "True"] == []


def test_this_process_closes_its_sheets_before_it_waits_for_the_child(
        results: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, adopted: list[str]) -> None:
    monkeypatch.setattr(sheet_process, "MIN_ROWS", 1)
    seen: list[list[bool]] = []
    finish = sheet_process.Offload.finish

    def spy(self: sheet_process.Offload) -> bool:
        if not seen:
            seen.append([ws.closed for ws in self.book.wb.worksheets if ws.title not in ("Evidence", "Findings")
                         and ws._writer is not None])
        return finish(self)

    monkeypatch.setattr(sheet_process.Offload, "finish", spy)
    write_scorecard(results, tmp_path / "two.xlsx", jobs=2)
    assert adopted == ["Evidence"] or set(adopted) == {"Evidence", "Findings"}
    assert len(seen[0]) > 10 and all(seen[0])


@pytest.mark.parametrize("wait_for_the_child", [False, True])
def test_a_stopped_child_ends_at_once_whatever_this_process_does_with_sigterm(
        results: dict, tmp_path: Path, finished: list[bool], monkeypatch: pytest.MonkeyPatch,
        wait_for_the_child: bool) -> None:
    """The run's process fails (at once, or once the child is blocked sending more than a pipe holds,
    which nobody reads now) and stops the child. With the CLI's own SIGTERM handler in this process
    (which a forked child inherits), the child must still end at once and leave no file: it used to
    lose the SIGTERM and wait for ever."""
    import signal
    import time

    from vendordd.lifecycle import handle_termination

    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setattr("tempfile.tempdir", None)
    done = tmp_path / "child-closed-its-sheets"
    close = sheet_process.close_and_keep

    def big(ws, path):
        closed = close(ws, path)
        closed.padding = "x" * (4 << 20)  # far beyond a pipe's 64 KiB
        done.touch()
        return closed

    monkeypatch.setattr(sheet_process, "close_and_keep", big)
    specs = sheet_specs()
    failed: list[float] = []

    def fails(*args, **kwargs):
        if wait_for_the_child:
            deadline = time.monotonic() + 20
            while not done.exists() and time.monotonic() < deadline:
                time.sleep(0.01)
            time.sleep(1)  # the child has written Findings too, and is blocked in its send
        failed.append(time.monotonic())
        raise ScorecardError("the summary failed")

    monkeypatch.setattr(scorecard_writer, "sheet_specs",
                        lambda: [replace(s, write=fails) if s.key == "summary" else s for s in specs])

    def hung(signum, frame):
        raise TimeoutError("stopping the child hung")

    previous_term = signal.getsignal(signal.SIGTERM)
    handle_termination()
    previous_alarm = signal.signal(signal.SIGALRM, hung)
    signal.alarm(60)
    try:
        with pytest.raises(ScorecardError, match="the summary failed"):
            write_scorecard(results, tmp_path / "out.xlsx", jobs=2)
        # ended by its SIGTERM, not killed after STOP_SECONDS
        assert time.monotonic() - failed[0] < sheet_process.STOP_SECONDS / 2
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous_alarm)
        signal.signal(signal.SIGTERM, previous_term)
    assert not (tmp_path / "out.xlsx").exists()
    assert os.listdir(temp) == []
