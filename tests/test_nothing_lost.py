"""Nothing lost silently: the file-system and list edge cases of issue 20, each through the real CLI.

Faults that a test running as root cannot create (an unreadable folder) are
simulated by making the system call raise; pipes, FIFOs, symbolic links and
devices are real. docs/security.md maps each case to its guarantee.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from vendordd.cli import cli

from .conftest import DATA, EXAMPLES

ENV = {"COLUMNS": "200", "NO_COLOR": "1"}
PROFILE = EXAMPLES / "profiles" / "zhipu-ai.yaml"
AS_OF = "2026-11-29"
EL = "Entity List (EL) - Bureau of Industry and Security"
HEADER = "_id,source,entity_number,type,programs,name,title,addresses,federal_register_notice,start_date\n"
ROWS = [f"a1,{EL},,Entity,,\"Alpha Widgets Co., Ltd.\",,\"Shenzhen, CN\",,2025-01-01\n",
        f"a2,{EL},,Entity,,\"Zhipu Future Ltd,,Beijing CN,,2025-01-01\n",   # the quote is never closed
        f"a3,{EL},,Entity,,Zhipu Future,,Beijing CN,,2025-01-01\n"]
POSIX = pytest.mark.skipif(os.name != "posix", reason="FIFOs, /dev/zero and /dev/stdin are POSIX")


def _invoke(*args: str):
    return CliRunner().invoke(cli, list(args), env=ENV, catch_exceptions=False)


def _errors(stderr: str) -> list[str]:
    assert "Traceback" not in stderr
    return [line for line in stderr.splitlines() if line.startswith("vendordd: error: ")]


def _vendordd(*args: str, stdin: bytes | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    """The installed command in its own process (pipes and devices need a real one)."""
    return subprocess.run([sys.executable, "-m", "vendordd", *args], input=stdin, capture_output=True,
                          timeout=timeout, env={**os.environ, **ENV})


# -- 1. a stray quote in a screening list -------------------------------------------------------------

def test_a_stray_quote_that_swallows_a_row_is_an_error_not_a_clean_pass(tmp_path):
    bad = tmp_path / "m.csv"
    bad.write_text(HEADER + "".join(ROWS), encoding="utf-8")
    result = _invoke("screen", "Zhipu Future", "--screening-list", str(bad))
    assert result.exit_code == 2
    assert _errors(result.stderr) == [
        f"vendordd: error: {bad}:3: lines 3-4 were read as one record: the name field holds a line break, "
        f"so a quote left open on line 3 swallowed the rows after it (close or remove that quote)"]
    run = _invoke("run", str(PROFILE), "--screening-list", str(bad), "--as-of", AS_OF,
                  "--json", str(tmp_path / "r.json"))
    assert run.exit_code == 2 and f"{bad}:3: lines 3-4" in run.stderr
    assert not (tmp_path / "r.json").exists()
    # the control: with the quote closed, three entries and the strong match the stray quote hid
    good = tmp_path / "good.csv"
    good.write_text(HEADER + "".join(ROWS).replace('"Zhipu Future Ltd,', '"Zhipu Future Ltd",'), encoding="utf-8")
    result = _invoke("screen", "Zhipu Future", "--screening-list", str(good), "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["screening"]["entries"] == 3 and data["matches"][0]["strength"] == "strong"


def test_a_stray_quote_in_ofac_sdn_and_alt_csv_is_found_too(tmp_path):
    sdn = tmp_path / "sdn.csv"
    row = "{n},{name},-0-,SDGT,-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-\n"
    sdn.write_text(row.format(n=1, name="ALPHA CO") + row.format(n=2, name='"BETA CO')
                   + row.format(n=3, name="GAMMA CO"), encoding="utf-8")
    result = _invoke("screen", "Gamma", "--screening-list", str(sdn))
    assert result.exit_code == 2
    assert f"{sdn}:2: lines 2-3 were read as one record" in result.stderr
    sdn.write_text(row.format(n=1, name="ALPHA CO"), encoding="utf-8")
    (tmp_path / "alt.csv").write_text('1,10,aka,"ALPHA ONE,-0-\n1,11,aka,ALPHA TWO,-0-\n', encoding="utf-8")
    result = _invoke("screen", "Alpha", "--screening-list", str(sdn))
    assert result.exit_code == 2 and f"{tmp_path / 'alt.csv'}:1: lines 1-2 were read as one record" in result.stderr


def test_cr_only_line_endings_are_read():
    """Old Mac line endings: the list is read, not "not a screening list vendordd can read"."""
    text = (HEADER + ROWS[0] + ROWS[2]).replace("\n", "\r")
    path = DATA.parent / "_cr_only.csv"
    try:
        path.write_bytes(text.encode())
        result = _invoke("screen", "Zhipu Future", "--screening-list", str(path), "--json")
        assert result.exit_code == 1, result.stderr
        assert json.loads(result.stdout)["screening"]["entries"] == 2
    finally:
        path.unlink()


# -- 2. folders and files that cannot be read ----------------------------------------------------------

def _two_folders(tmp_path: Path) -> Path:
    top = tmp_path / "in2"
    (top / "locked").mkdir(parents=True)
    shutil.copy(PROFILE, top / "zhipu-ai.yaml")
    shutil.copy(EXAMPLES / "profiles" / "mistral-ai.yaml", top / "locked" / "mistral-ai.yaml")
    return top


def _refuse(monkeypatch, folder: Path) -> None:
    """Make listing ``folder`` fail as it does for a folder without read permission."""
    real = os.scandir

    def scandir(path: object = "."):
        if Path(os.fspath(path)).resolve() == folder.resolve():
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)


def test_an_unreadable_subfolder_is_an_error_naming_it(tmp_path, monkeypatch):
    top = _two_folders(tmp_path)
    _refuse(monkeypatch, top / "locked")
    result = _invoke("run", str(top), "--as-of", AS_OF, "--json", str(tmp_path / "r.json"))
    assert result.exit_code == 2
    message = f"{top / 'locked'}: cannot read this folder: Permission denied; its profiles were not assessed"
    assert _errors(result.stderr) == [f"vendordd: error: {message}"]
    results = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert [v["id"] for v in results["vendors"]] == ["zhipu-ai"]
    assert [e["file"] for e in results["errors"]] == [str(top / "locked")]


def test_an_unreadable_top_folder_says_so_not_that_it_holds_no_profiles(tmp_path, monkeypatch):
    top = _two_folders(tmp_path)
    _refuse(monkeypatch, top)
    result = _invoke("validate", str(top))
    assert result.exit_code == 2
    assert _errors(result.stderr) == [
        f"vendordd: error: {top}: cannot read this folder: Permission denied; its profiles were not assessed"]


def test_an_unreadable_profile_in_a_folder_is_an_error_naming_it(tmp_path, monkeypatch):
    top = _two_folders(tmp_path)
    locked = top / "locked" / "mistral-ai.yaml"
    real = os.open

    def refuse(path, flags, *args, **kwargs):
        if Path(os.fspath(path)).resolve() == locked.resolve():
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    result = _invoke("run", str(top), "--as-of", AS_OF, "--json", str(tmp_path / "r.json"))
    assert result.exit_code == 2
    assert _errors(result.stderr) == [f"vendordd: error: {locked}: cannot read: Permission denied"]
    results = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert [v["id"] for v in results["vendors"]] == ["zhipu-ai"]


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="chmod does not bite as root")
def test_an_unreadable_subfolder_for_real(tmp_path):
    top = _two_folders(tmp_path)
    (top / "locked").chmod(0)
    try:
        result = _invoke("validate", str(top))
    finally:
        (top / "locked").chmod(0o755)
    assert result.exit_code == 2 and "cannot read this folder" in result.stderr


# -- 3. files named like profiles that are not regular files -------------------------------------------

@POSIX
def test_a_fifo_a_symlink_loop_and_a_dangling_symlink_in_a_folder_are_each_reported(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(PROFILE, folder / "zhipu-ai.yaml")
    os.mkfifo(folder / "b.yaml")
    (folder / "loop.json").symlink_to("loop.json")
    (folder / "dangling.yaml").symlink_to("nowhere.yaml")
    result = _vendordd("validate", str(folder), timeout=30)  # a FIFO must not hang the run
    assert result.returncode == 2
    assert _errors(result.stderr.decode()) == [
        f"vendordd: error: {folder / 'b.yaml'}: not a regular file but a pipe; not assessed",
        f"vendordd: error: {folder / 'dangling.yaml'}: cannot read: a symbolic link to nowhere.yaml, "
        f"which does not exist; not assessed",
        f"vendordd: error: {folder / 'loop.json'}: cannot read: a symbolic link loop (too many levels of "
        f"symbolic links); not assessed"]
    assert "1 profile(s) valid, 3 file(s) with errors" in result.stdout.decode()
    by_glob = _vendordd("validate", str(folder / "*.*"), timeout=30)  # a pattern says the same
    assert by_glob.returncode == 2
    assert _errors(by_glob.stderr.decode()) == _errors(result.stderr.decode())


# -- 4. policy and list files that are not regular files -----------------------------------------------

@POSIX
def test_a_policy_fifo_without_a_writer_does_not_hang(tmp_path):
    os.mkfifo(tmp_path / "policy.yaml")
    result = _vendordd("run", str(PROFILE), "--policy", str(tmp_path / "policy.yaml"), "--as-of", AS_OF,
                       timeout=30)
    assert result.returncode == 2
    assert _errors(result.stderr.decode()) == [
        f"vendordd: error: {tmp_path / 'policy.yaml'}: nothing came through the pipe (a named pipe that no "
        f"program was writing to reads as empty)"]


@POSIX
def test_a_policy_that_is_a_device_is_refused_by_kind():
    result = _invoke("run", str(PROFILE), "--policy", "/dev/zero", "--as-of", AS_OF)
    assert result.exit_code == 2
    assert _errors(result.stderr) == [
        "vendordd: error: /dev/zero: not a regular file or a pipe but a character device"]


@POSIX
def test_a_policy_through_a_pipe_is_read_once_within_the_limit():
    big = b"policy_version: 1\n" + b"#" * (20 * 1024 * 1024) + b"\n"
    result = _vendordd("run", str(PROFILE), "--policy", "/dev/stdin", "--as-of", AS_OF, stdin=big)
    assert result.returncode == 2
    assert _errors(result.stderr.decode()) == [
        "vendordd: error: /dev/stdin: more than 5,242,880 bytes came through the pipe; the limit is "
        "5,242,880 bytes (5 MiB); stopped reading there"]
    small = (EXAMPLES / "policy-us-buyer.yaml").read_bytes()
    result = _vendordd("run", str(PROFILE), "--policy", "/dev/stdin", "--as-of", AS_OF, "--json", "-",
                       stdin=small)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["vendors"][0]["id"] == "zhipu-ai"


@POSIX
def test_a_screening_list_on_standard_input_is_read_once():
    listed = (DATA / "screening" / "consolidated.csv").read_bytes()
    result = _vendordd("screen", "Zhipu AI", "--screening-list", "/dev/stdin", "--json", stdin=listed)
    assert result.returncode == 1, result.stderr
    data = json.loads(result.stdout)
    assert data["screening"]["entries"] == 11 and data["matches"][0]["strength"] == "strong"
    assert data["screening"]["lists"][0]["date"] is None  # a pipe has no modification time
    import hashlib
    assert data["screening"]["lists"][0]["sha256"] == hashlib.sha256(listed).hexdigest()


@POSIX
def test_a_screening_list_fifo_without_a_writer_does_not_hang(tmp_path):
    os.mkfifo(tmp_path / "list.csv")
    result = _vendordd("screen", "Zhipu AI", "--screening-list", str(tmp_path / "list.csv"), timeout=30)
    assert result.returncode == 2 and "nothing came through the pipe" in result.stderr.decode()


def test_a_screening_list_over_the_limit_is_refused_before_reading(tmp_path, monkeypatch):
    from vendordd.screening import reading

    monkeypatch.setattr(reading, "MAX_LIST_BYTES", 1000)
    path = tmp_path / "list.csv"
    path.write_bytes(HEADER.encode() + ROWS[0].encode() * 20)
    result = _invoke("screen", "Alpha", "--screening-list", str(path))
    assert result.exit_code == 2
    assert _errors(result.stderr) == [
        f"vendordd: error: {path}: the file is {path.stat().st_size:,} bytes; the limit is 1,000 bytes "
        f"(0.000953674 MiB)"]


# -- 9. wording ---------------------------------------------------------------------------------------

NULL_DOCUMENT = ": the file holds no data: its YAML document is null (only comments, '~' or 'null')"


@pytest.mark.parametrize("text, message", [
    ("# only a comment\n", NULL_DOCUMENT),
    ("~\n", NULL_DOCUMENT),
    ("just text\n", " /: a profile must be a mapping, not text"),
    ("[1, 2]\n", " /: a profile must be a mapping, not a list"),
])
def test_a_document_that_is_not_a_mapping_is_named_in_words(tmp_path, text, message):
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    result = _invoke("validate", str(path))
    assert result.exit_code == 2
    assert _errors(result.stderr) == [f"vendordd: error: {path}{message}"]
    assert "NoneType" not in result.stderr


def test_toml_nan_is_named_nan(tmp_path):
    path = tmp_path / "policy.toml"
    path.write_text("policy_version = 1\nx-note = nan\n", encoding="utf-8")
    result = _invoke("run", str(PROFILE), "--policy", str(path), "--as-of", AS_OF)
    assert result.exit_code == 2
    assert _errors(result.stderr) == [
        f"vendordd: error: {path} /x-note: NaN (not a number) is not allowed: JSON results cannot hold it"]


# -- 6. SIGTERM, SIGKILL and the temporary files ------------------------------------------------------

SLOW = '''
import os, pathlib, time

from vendordd import Check, Finding, hookimpl

MARK = pathlib.Path(os.environ["VENDORDD_TEST_MARK"])


def run(profile, ctx):
    MARK.touch()  # the run is assessing now
    time.sleep(0.5)
    return Finding(score=80, confidence=0.6, summary="slow")


@hookimpl
def register_checks(register):
    register(Check(id="slow_check", title="Slow", category="custom", run=run))
'''


def _slow_run(tmp_path: Path, *extra: str) -> tuple[subprocess.Popen, Path, Path]:
    """A run over 40 copies of a profile, two worker processes, a check that sleeps: started, assessing."""
    folder = tmp_path / "profiles"
    folder.mkdir()
    text = PROFILE.read_text(encoding="utf-8")
    for i in range(40):
        (folder / f"p{i:02}.yaml").write_text(text.replace("id: zhipu-ai", f"id: zhipu-ai-{i:02}"),
                                               encoding="utf-8")
    plugin = tmp_path / "slow.py"
    plugin.write_text(SLOW, encoding="utf-8")
    scratch, mark = tmp_path / "tmp", tmp_path / "assessing"
    scratch.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / "s.xlsx").write_bytes(b"the previous scorecard")
    env = {**os.environ, **ENV, "TMPDIR": str(scratch), "VENDORDD_TEST_MARK": str(mark)}
    process = subprocess.Popen([sys.executable, "-m", "vendordd", "run", str(folder), "--plugin", str(plugin),
                                "--as-of", AS_OF, "--jobs", "2", "-o", str(out / "s.xlsx"),
                                "--json", str(out / "s.json"), *extra],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    deadline = 60
    import time
    started = time.monotonic()
    while not mark.exists():
        assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
        assert time.monotonic() - started < deadline
        time.sleep(0.05)
    return process, out, scratch


@POSIX
@pytest.mark.slow
def test_sigterm_is_handled_like_ctrl_c(tmp_path):
    import signal

    process, out, scratch = _slow_run(tmp_path)
    process.send_signal(signal.SIGTERM)
    stderr = process.stderr.read().decode()  # EOF once the workers are gone too
    assert process.wait(timeout=60) == 143
    assert "Traceback" not in stderr and stderr.strip().splitlines()[-1] == "vendordd: terminated"
    assert sorted(p.name for p in out.iterdir()) == ["s.xlsx"]  # no JSON, no temporary file
    assert (out / "s.xlsx").read_bytes() == b"the previous scorecard"
    assert list(scratch.iterdir()) == []  # the run's temporary folder is gone


@POSIX
@pytest.mark.slow
def test_after_sigkill_the_workers_exit_quietly_and_the_next_run_removes_the_debris(tmp_path):
    import signal

    process, out, scratch = _slow_run(tmp_path)
    process.send_signal(signal.SIGKILL)
    stderr = process.stderr.read().decode()  # EOF only once every worker has exited
    process.wait(timeout=60)
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr, stderr
    left = [p.name for p in scratch.iterdir()]
    assert len(left) == 1 and left[0].startswith(f"vendordd-{process.pid}-"), (left, process.pid)
    # a temporary output a killed run left, and one a live run is writing
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True)
    dead = int(gone.stdout)
    (out / f".s.{dead}.abcd1234.tmp.xlsx").write_bytes(b"")
    (out / f"..s.{dead}.abcd1234.tmp.xlsx.{dead}.ijkl9012.tmp").write_bytes(b"half a zip")
    (out / f".s.{dead}.mnop3456.tmp.json").write_bytes(b"half the JSON")
    (out / f".s.{os.getpid()}.efgh5678.tmp.xlsx").write_bytes(b"another run's")
    result = subprocess.run([sys.executable, "-m", "vendordd", "run", str(PROFILE), "--as-of", AS_OF,
                             "-o", str(out / "s.xlsx")], capture_output=True,
                            env={**os.environ, **ENV, "TMPDIR": str(scratch)}, timeout=120)
    assert result.returncode == 0, result.stderr
    assert list(scratch.iterdir()) == [], result.stderr
    # the live run's file stays; the JSON one waits for a run writing s.json
    assert sorted(p.name for p in out.iterdir()) == sorted([f".s.{os.getpid()}.efgh5678.tmp.xlsx",
                                                            f".s.{dead}.mnop3456.tmp.json", "s.xlsx"])


# -- 7. a full temporary folder ------------------------------------------------------------------------

def test_a_full_temporary_folder_names_the_path_and_what_was_written(tmp_path, monkeypatch):
    import errno
    import tempfile

    from openpyxl.worksheet import _writer

    def full(suffix=""):
        raise OSError(errno.ENOSPC, "No space left on device")

    from vendordd.scorecard import zip_parts

    monkeypatch.setattr(_writer, "create_temporary_file", full)
    monkeypatch.setattr(zip_parts, "KEPT_IN_MEMORY", -1)  # every sheet needs its file (small ones stay in memory)
    (tmp_path / "s.xlsx").write_bytes(b"the previous scorecard")
    result = _invoke("run", str(PROFILE), "--as-of", AS_OF, "-o", str(tmp_path / "s.xlsx"))
    assert result.exit_code == 2
    assert _errors(result.stderr) == [
        f"vendordd: error: {tmp_path / 's.xlsx'}: cannot write the scorecard: No space left on device while "
        f"writing temporary files in {tempfile.gettempdir()} (set TMPDIR to a folder with room)"]
    assert (tmp_path / "s.xlsx").read_bytes() == b"the previous scorecard"


# -- 8. standard output closed by its reader -----------------------------------------------------------

@POSIX
def test_json_to_a_closed_pipe_exits_quietly_with_141():
    process = subprocess.Popen([sys.executable, "-m", "vendordd", "run", str(EXAMPLES / "profiles"),
                                "--as-of", AS_OF, "--json", "-"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, **ENV})
    process.stdout.close()  # the reader is gone before the first byte (`| head -c 0`)
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=120) == 141  # 128 + SIGPIPE, not 1 ("a vendor at or above --fail-on")
    assert "Traceback" not in stderr and "error" not in stderr
