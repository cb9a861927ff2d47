"""File-system faults, through the CLI entry point: nothing partial, nothing lost.

Each case first writes a good scorecard and JSON results, then runs again
with one fault: a missing output folder, a folder we may not write to, an
output path that is one of the inputs, a write that fails half way, Ctrl-C
in the middle of the save. Every time the exit code and the one-line message
are checked, the previous outputs must be byte-for-byte intact, and the
folder must hold no partial or temporary file.

We run as root, so ``chmod`` cannot make a folder read-only: the
permission faults are simulated by making ``os.replace`` or the temporary
file's creation raise PermissionError. tests/test_scorecard.py covers the
same guarantees at the level of ``write_scorecard`` and ``atomic_write``.
"""

from __future__ import annotations

import errno
import json
import os
import tempfile
import zipfile
from pathlib import Path

import pytest
from openpyxl.worksheet._writer import ALL_TEMP_FILES

import vendordd.outputs as outputs
from vendordd.cli import main
from vendordd.outputs import lock_path, output_locks
from vendordd.testing import minimal_profile

AS_OF = "2026-06-01"
#: What main() prints for Ctrl-C (click turns KeyboardInterrupt into Abort inside a command).
INTERRUPTED = ("vendordd: aborted", "vendordd: interrupted")


def _run(capsys, *argv: str) -> tuple[int, str]:
    """``vendordd run ...`` through main() (exit codes as the shell sees them); (code, stderr)."""
    with pytest.raises(SystemExit) as done:
        main(["run", *argv])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return int(done.value.code or 0), err


@pytest.fixture
def ws(tmp_path, capsys, monkeypatch):
    """A profile, a policy and an output folder holding a previous scorecard and results."""
    monkeypatch.setenv("VENDORDD_PLUGINS", "")
    monkeypatch.setenv("VENDORDD_DISABLE_PLUGINS", "")
    inputs = tmp_path / "inputs"
    profiles = inputs / "profiles"
    profiles.mkdir(parents=True)
    profile = profiles / "vendor.json"
    profile.write_text(json.dumps(minimal_profile("vendor-a")), encoding="utf-8")
    policy = inputs / "policy.json"
    policy.write_text(json.dumps({"policy_version": 1, "name": "Policy"}), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    xlsx, results = out / "scorecard.xlsx", out / "results.json"
    code, err = _run(capsys, str(profile), "--policy", str(policy), "--as-of", AS_OF,
                     "-o", str(xlsx), "--json", str(results))
    assert code == 0, err
    # A second profile changes the outputs, so a run that wrote anything would show.
    (profiles / "vendor-b.json").write_text(json.dumps(minimal_profile("vendor-b")), encoding="utf-8")
    return {"inputs": inputs, "profiles": profiles, "profile": profile, "policy": policy, "out": out, "xlsx": xlsx,
            "results": results, "before": {p.name: p.read_bytes() for p in (xlsx, results)},
            "inputs_before": _contents(inputs)}


def _contents(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _args(ws, *outputs: str) -> list[str]:
    return [str(ws["profiles"]), "--policy", str(ws["policy"]), "--as-of", AS_OF, *outputs]


def _assert_untouched(ws) -> None:
    """Previous outputs intact, no stray file in the output folder, inputs intact."""
    assert sorted(p.name for p in ws["out"].iterdir()) == sorted(ws["before"])
    for name, data in ws["before"].items():
        assert (ws["out"] / name).read_bytes() == data, name
    assert _contents(ws["inputs"]) == ws["inputs_before"]


def _one_error(err: str) -> str:
    lines = [line for line in err.splitlines() if line.startswith("vendordd: error:")]
    assert len(lines) == 1, err
    return lines[0]


def test_the_fault_free_run_does_replace_both_outputs(ws, capsys):
    """The control for every case below: without a fault the outputs change."""
    code, err = _run(capsys, *_args(ws, "-o", str(ws["xlsx"]), "--json", str(ws["results"])))
    assert code == 0, err
    assert ws["xlsx"].read_bytes() != ws["before"]["scorecard.xlsx"]
    assert ws["results"].read_bytes() != ws["before"]["results.json"]
    assert sorted(p.name for p in ws["out"].iterdir()) == ["results.json", "scorecard.xlsx"]


@pytest.mark.parametrize("option", ["-o", "--json"])
def test_missing_output_folder(ws, capsys, option):
    target = ws["out"] / "no" / "such" / ("scorecard.xlsx" if option == "-o" else "results.json")
    code, err = _run(capsys, *_args(ws, option, str(target)))
    assert code == 2
    assert _one_error(err) == f"vendordd: error: output folder {target.parent} does not exist"
    assert not (ws["out"] / "no").exists()
    _assert_untouched(ws)


@pytest.mark.parametrize("fault", ["replace", "create"])
@pytest.mark.parametrize("option", ["-o", "--json"])
def test_read_only_output_folder(ws, capsys, monkeypatch, option, fault):
    def denied(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    if fault == "replace":  # the rename over the old file is refused
        monkeypatch.setattr(os, "replace", denied)
    else:  # no new file may be created in the folder
        monkeypatch.setattr(tempfile, "mkstemp", denied)
    target = ws["xlsx"] if option == "-o" else ws["results"]
    code, err = _run(capsys, *_args(ws, option, str(target)))
    assert code == 2
    line = _one_error(err)
    assert "Permission denied" in line and str(target) in line
    _assert_untouched(ws)


def test_json_output_equal_to_an_input_profile_or_policy_or_a_link_to_one(ws, capsys):
    link, hard = ws["out"] / "link.json", ws["out"] / "hard.json"
    link.symlink_to(ws["profile"])
    os.link(ws["policy"], hard)
    ws["before"].update({"link.json": ws["profile"].read_bytes(), "hard.json": ws["policy"].read_bytes()})
    for target in (ws["profile"], ws["policy"], link, hard):
        code, err = _run(capsys, *_args(ws, "--json", str(target)))
        assert code == 2
        assert _one_error(err).startswith(f"vendordd: error: output {target} is one of the inputs; "
                                          f"refusing to overwrite input file ")
    assert link.is_symlink()
    _assert_untouched(ws)


def test_xlsx_output_equal_to_the_template_or_the_baseline(ws, capsys):
    template = ws["inputs"] / "cover.xlsx"
    template.write_bytes(ws["before"]["scorecard.xlsx"])
    ws["inputs_before"]["cover.xlsx"] = template.read_bytes()
    code, err = _run(capsys, *_args(ws, "--template", str(template), "-o", str(template)))
    assert code == 2
    assert _one_error(err).startswith(f"vendordd: error: output {template} is one of the inputs; "
                                      f"refusing to overwrite input file")
    code, err = _run(capsys, *_args(ws, "--baseline", str(ws["results"]), "--json", str(ws["results"])))
    assert code == 2
    assert "refusing to overwrite input file" in _one_error(err)
    _assert_untouched(ws)


class _FailingZip:
    """Makes the n-th zip entry written raise ``exc``: a save that stops half way."""

    def __init__(self, monkeypatch, exc: BaseException, after: int = 3) -> None:
        self.calls = 0
        original = zipfile.ZipFile.writestr

        def writestr(archive, *args, **kwargs):
            self.calls += 1
            if self.calls > after:
                raise exc
            return original(archive, *args, **kwargs)

        monkeypatch.setattr(zipfile.ZipFile, "writestr", writestr)


def test_xlsx_write_failing_half_way(ws, capsys, monkeypatch):
    temp_files = len(ALL_TEMP_FILES)
    failing = _FailingZip(monkeypatch, OSError(errno.ENOSPC, "No space left on device"))
    code, err = _run(capsys, *_args(ws, "-o", str(ws["xlsx"]), "--json", str(ws["results"])))
    assert failing.calls > 3  # it did fail half way, after writing some entries
    assert code == 2
    assert _one_error(err) == f"vendordd: error: could not write {ws['xlsx']}: No space left on device"
    assert len(ALL_TEMP_FILES) == temp_files
    _assert_untouched(ws)


def test_xlsx_interrupted_during_the_save(ws, capsys, monkeypatch):
    temp_files = len(ALL_TEMP_FILES)
    failing = _FailingZip(monkeypatch, KeyboardInterrupt())
    code, err = _run(capsys, *_args(ws, "-o", str(ws["xlsx"]), "--json", str(ws["results"])))
    assert failing.calls > 3
    assert code == 130
    assert err.strip().splitlines()[-1] in INTERRUPTED
    assert len(ALL_TEMP_FILES) == temp_files
    _assert_untouched(ws)


@pytest.mark.parametrize(("exc", "code"), [(OSError(errno.ENOSPC, "No space left on device"), 2),
                                           (KeyboardInterrupt(), 130)])
def test_json_write_failing_or_interrupted_half_way(ws, capsys, monkeypatch, exc, code):
    real_fdopen = os.fdopen
    written: list[int] = []

    class HalfWriter:
        def __init__(self, fh):
            self.fh = fh

        def __enter__(self):
            return self

        def __exit__(self, *exc_info):
            return self.fh.__exit__(*exc_info)

        def write(self, data):
            written.append(self.fh.write(data[: len(data) // 2]))
            self.fh.flush()
            raise exc

        def __getattr__(self, name):
            return getattr(self.fh, name)

    monkeypatch.setattr(os, "fdopen", lambda *a, **k: HalfWriter(real_fdopen(*a, **k)))
    got, err = _run(capsys, *_args(ws, "--json", str(ws["results"])))
    assert written and written[0] > 0  # half the document did reach the temporary file
    assert got == code
    if code == 2:
        assert _one_error(err) == (f"vendordd: error: {ws['results']}: cannot write the JSON results: "
                                   f"[Errno {errno.ENOSPC}] No space left on device")
    else:
        assert err.strip().splitlines()[-1] in INTERRUPTED
    _assert_untouched(ws)


def test_a_failure_with_no_previous_file_leaves_no_file(ws, capsys, monkeypatch):
    fresh_xlsx, fresh_json = ws["out"] / "fresh.xlsx", ws["out"] / "fresh.json"
    _FailingZip(monkeypatch, OSError(errno.EIO, "Input/output error"))
    code, _ = _run(capsys, *_args(ws, "-o", str(fresh_xlsx)))
    assert code == 2
    monkeypatch.setattr(os, "replace", lambda *a: (_ for _ in ()).throw(OSError(errno.EIO, "I/O error")))
    code, _ = _run(capsys, *_args(ws, "--json", str(fresh_json)))
    assert code == 2
    assert not fresh_xlsx.exists() and not fresh_json.exists()
    _assert_untouched(ws)


def test_output_that_is_a_folder_or_not_xlsx(ws, capsys):
    folder = ws["out"] / "folder.xlsx"
    folder.mkdir()
    code, err = _run(capsys, *_args(ws, "-o", str(folder)))
    assert code == 2 and f"'{folder}' is a directory" in err  # a usage error, from click
    folder.rmdir()
    code, err = _run(capsys, *_args(ws, "-o", str(ws["out"] / "scorecard.xlsm")))
    assert code == 2 and "must end in .xlsx" in _one_error(err)
    _assert_untouched(ws)


def test_outputs_written_after_a_run_with_input_errors_keep_exit_2(ws, capsys):
    """Bad input is not a file-system fault: the good profiles' outputs are still written."""
    (ws["profiles"] / "broken.json").write_text("{", encoding="utf-8")
    code, err = _run(capsys, *_args(ws, "-o", str(ws["xlsx"]), "--json", str(ws["results"])))
    assert code == 2
    assert _one_error(err).startswith(f"vendordd: error: {ws['profiles'] / 'broken.json'}:1:2: invalid JSON")
    data = json.loads(ws["results"].read_text(encoding="utf-8"))
    assert [v["id"] for v in data["vendors"]] == ["vendor-a", "vendor-b"]
    assert Path(ws["xlsx"]).read_bytes() != ws["before"]["scorecard.xlsx"]


# -- the workbook and the JSON of one run are committed together or not at all (issue 20, item 5)

def test_both_outputs_are_replaced_together(ws, capsys):
    code, err = _run(capsys, *_args(ws, "-o", str(ws["xlsx"]), "--json", str(ws["results"])))
    assert code == 0, err
    assert ws["xlsx"].read_bytes() != ws["before"]["scorecard.xlsx"]
    assert ws["results"].read_bytes() != ws["before"]["results.json"]
    assert sorted(p.name for p in ws["out"].iterdir()) == ["results.json", "scorecard.xlsx"]


def test_a_failing_json_write_keeps_the_old_workbook_too(ws, capsys, monkeypatch):
    def full_disk(results, fh, indent=None):
        fh.write(b'{"format_version":2,')
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(outputs, "dump_json", full_disk)
    code, err = _run(capsys, *_args(ws, "-o", str(ws["xlsx"]), "--json", str(ws["results"])))
    assert code == 2
    assert _one_error(err) == (f"vendordd: error: {ws['results']}: cannot write the JSON results: "
                               f"[Errno {errno.ENOSPC}] No space left on device")
    _assert_untouched(ws)  # the new workbook was complete, but is not kept without its JSON


def test_a_rename_failing_half_way_puts_the_first_output_back(ws, capsys, monkeypatch):
    real_replace = os.replace
    calls: list[str] = []

    def second_fails(src, dst, *args, **kwargs):
        if Path(dst) == ws["results"]:  # the workbook is already in place by now
            calls.append(str(dst))
            raise OSError(errno.EIO, "Input/output error")
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", second_fails)
    code, err = _run(capsys, *_args(ws, "-o", str(ws["xlsx"]), "--json", str(ws["results"])))
    assert calls, "the JSON rename was not reached"
    assert code == 2
    assert _one_error(err) == f"vendordd: error: could not write {ws['results']}: Input/output error"
    _assert_untouched(ws)


def test_a_run_writing_the_same_outputs_is_refused(ws, capsys):
    with output_locks([ws["results"]]):  # another run, in the middle of its write
        code, err = _run(capsys, *_args(ws, "-o", str(ws["xlsx"]), "--json", str(ws["results"])))
        assert code == 2
        assert _one_error(err) == (f"vendordd: error: {ws['results']} is being written by another "
                                   f"vendordd run; nothing was written (run again when it has finished)")
        assert lock_path(ws["results"]).exists()
    assert not lock_path(ws["results"]).exists()  # no debris once the holder is done
    _assert_untouched(ws)
    code, err = _run(capsys, *_args(ws, "-o", str(ws["xlsx"]), "--json", str(ws["results"])))
    assert code == 0, err  # and once it is done, the next run writes


def test_locks_leave_no_file_behind(tmp_path):
    target = tmp_path / "results.json"
    with output_locks([target]):
        assert lock_path(target).exists()
    with output_locks([target]), output_locks([tmp_path / "other.json"]):
        pass
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("umask", [0o022, 0o077])
def test_new_outputs_get_the_permissions_open_would_give_them(tmp_path, capsys, monkeypatch, umask):
    """mkstemp's 0600 must not leak into a scorecard meant to be forwarded: 0666 minus the umask."""
    monkeypatch.setenv("VENDORDD_PLUGINS", "")
    profile = tmp_path / "vendor.json"
    profile.write_text(json.dumps(minimal_profile("vendor-a")), encoding="utf-8")
    old = os.umask(umask)
    try:
        code, _ = _run(capsys, str(profile), "--as-of", AS_OF, "-o", str(tmp_path / "s.xlsx"),
                       "--json", str(tmp_path / "r.json"))
    finally:
        os.umask(old)
    assert code == 0
    for name in ("s.xlsx", "r.json"):
        assert (tmp_path / name).stat().st_mode & 0o777 == 0o666 & ~umask, name
