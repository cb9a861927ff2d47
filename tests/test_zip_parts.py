"""A part deflated as it is written is saved as the same zip bytes as ``ZipFile.write`` makes of it."""

from __future__ import annotations

import datetime as dt
import io
import pickle
import zipfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from vendordd.scorecard.saving import _FixedTimeZipFile, _zip_time
from vendordd.scorecard.zip_parts import DeflatedPart, DeflatingFile

DAY = _zip_time(dt.date(2026, 6, 1))


def _zip(entries: list[tuple[str, str]]) -> bytes:
    buffer = io.BytesIO()
    with _FixedTimeZipFile(buffer, DAY) as archive:
        archive.writestr("first.xml", b"<a/>")  # an entry before, so offsets matter
        for filename, arcname in entries:
            archive.write(filename, arcname)
        archive.writestr("last.xml", b"<b/>")
    return buffer.getvalue()


@settings(max_examples=60, deadline=None)
@given(pieces=st.lists(st.binary(max_size=3000) | st.text(max_size=2000).map(str.encode), max_size=40),
       repeat=st.integers(1, 300))
def test_deflated_while_written_gives_zipfiles_bytes(tmp_path_factory, pieces: list[bytes], repeat: int) -> None:
    folder = tmp_path_factory.mktemp("parts")
    content = b"".join(pieces) * repeat  # repeated: long runs, as sheet XML has
    plain = folder / "plain.xml"
    plain.write_bytes(content)
    with DeflatingFile(str(folder / "deflated.xml")) as out:
        for piece in pieces * repeat:  # handed over in pieces, as lxml and the row writer do
            out.write(piece)
    part = out.part()
    assert (part.size, part.crc) == (len(content), zipfile.crc32(content))
    assert _zip([(part, "xl/worksheets/sheet1.xml")]) == _zip([(str(plain), "xl/worksheets/sheet1.xml")])
    with zipfile.ZipFile(io.BytesIO(_zip([(part, "s.xml")]))) as archive:
        assert archive.testzip() is None
        assert archive.read("s.xml") == content


@settings(max_examples=40, deadline=None)
@given(pieces=st.lists(st.binary(max_size=3000) | st.text(max_size=2000).map(str.encode), max_size=30),
       repeat=st.integers(1, 100), kept=st.sampled_from([-1, 0, 100, 5000, 1 << 20]))
def test_a_part_kept_in_memory_or_moved_to_a_file_gives_the_same_zip(tmp_path_factory, pieces: list[bytes],
                                                                     repeat: int, kept: int) -> None:
    from vendordd.scorecard import zip_parts

    folder = tmp_path_factory.mktemp("parts")
    with DeflatingFile(str(folder / "file.xml")) as out:
        for piece in pieces * repeat:
            out.write(piece)
    spilled: list[str] = []

    def spill() -> str:
        spilled.append(str(folder / f"spilled-{len(spilled)}.xml"))
        return spilled[-1]

    saved = zip_parts.KEPT_IN_MEMORY
    zip_parts.KEPT_IN_MEMORY = kept
    try:
        with DeflatingFile(None, spill=spill) as kept_out:
            for piece in pieces * repeat:
                kept_out.write(piece)
    finally:
        zip_parts.KEPT_IN_MEMORY = saved
    part, other = out.part(), kept_out.part()
    assert (other.size, other.crc) == (part.size, part.crc)
    if other.data is None:  # grew past what is kept: in the file spill() named, once
        assert spilled == [str(other)] and kept_out.path == str(other)
        assert Path(other).read_bytes() == Path(part).read_bytes()
    else:
        assert spilled == [] and str(other) == "" and other.data == Path(part).read_bytes()
        assert len(other.data) <= kept
    assert _zip([(other, "xl/worksheets/sheet1.xml")]) == _zip([(part, "xl/worksheets/sheet1.xml")])
    again = pickle.loads(pickle.dumps(other))
    assert (again, again.crc, again.size, again.data) == (other, other.crc, other.size, other.data)


def test_an_empty_part_and_a_big_one(tmp_path: Path) -> None:
    big = (b"<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>evidence</t></is></c></row>" * 200_000)
    for name, content in (("empty.xml", b""), ("big.xml", big)):
        with DeflatingFile(str(tmp_path / name)) as out:
            for start in range(0, len(content), 65_536):
                out.write(content[start:start + 65_536])
        (tmp_path / f"plain-{name}").write_bytes(content)
        assert _zip([(out.part(), name)]) == _zip([(str(tmp_path / f"plain-{name}"), name)])


def test_a_part_keeps_its_checksum_through_pickle(tmp_path: Path) -> None:
    part = DeflatedPart(str(tmp_path / "x.xml"), 1234, 99)
    again = pickle.loads(pickle.dumps(part))
    assert isinstance(again, DeflatedPart) and (again, again.crc, again.size) == (part, 1234, 99)


def test_a_part_still_being_written_has_no_name_yet(tmp_path: Path) -> None:
    out = DeflatingFile(str(tmp_path / "open.xml"))
    out.write(b"<worksheet>")
    try:
        out.part()
    except ValueError as exc:
        assert "still being written" in str(exc)
    else:
        raise AssertionError("part() of an open file")
    finally:
        out.close()


def test_a_scorecard_with_deflated_sheets_is_the_one_without(tmp_path: Path, monkeypatch) -> None:
    from vendordd.pipeline import assess
    from vendordd.scorecard import write_scorecard
    from vendordd.scorecard import writer as scorecard_writer

    examples = Path(__file__).resolve().parent.parent / "examples"
    results = assess([str(examples / "profiles")], policy_path=str(examples / "policy-eu-buyer.yaml"),
                     as_of="2026-06-01", jobs=1).results
    write_scorecard(results, tmp_path / "deflated.xlsx")
    monkeypatch.setattr(scorecard_writer, "deflate_streamed_sheets", lambda workbook: None)
    write_scorecard(results, tmp_path / "plain.xlsx")
    assert (tmp_path / "deflated.xlsx").read_bytes() == (tmp_path / "plain.xlsx").read_bytes()


def test_a_scorecard_kept_in_memory_is_the_one_written_through_files(tmp_path: Path, monkeypatch) -> None:
    from vendordd.pipeline import assess
    from vendordd.scorecard import write_scorecard, zip_parts

    examples = Path(__file__).resolve().parent.parent / "examples"
    results = assess([str(examples / "profiles")], policy_path=str(examples / "policy-eu-buyer.yaml"),
                     as_of="2026-06-01", jobs=1).results
    write_scorecard(results, tmp_path / "memory.xlsx")
    monkeypatch.setattr(zip_parts, "KEPT_IN_MEMORY", -1)  # every sheet in a temporary file, as before
    write_scorecard(results, tmp_path / "files.xlsx")
    monkeypatch.setattr(zip_parts, "KEPT_IN_MEMORY", 300)  # some in memory, some moved to a file
    write_scorecard(results, tmp_path / "mixed.xlsx")
    assert (tmp_path / "memory.xlsx").read_bytes() == (tmp_path / "files.xlsx").read_bytes() \
        == (tmp_path / "mixed.xlsx").read_bytes()


def test_discarded_sheets_leave_no_file(tmp_path: Path, monkeypatch) -> None:
    import tempfile

    from openpyxl import Workbook

    from vendordd.scorecard import zip_parts
    from vendordd.scorecard.openpyxl_internals import RowWriter, deflate_streamed_sheets, discard_write_only

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(zip_parts, "KEPT_IN_MEMORY", 2000)
    wb = Workbook(write_only=True)
    deflate_streamed_sheets(wb)
    small, big = wb.create_sheet("small"), wb.create_sheet("big")
    RowWriter(small).write(1, [])
    RowWriter(big)
    for row in range(1, 3000):  # incompressible enough to pass 2,000 deflated bytes
        big.append([f"{row * 7919 % 104729:x}-{row}"])
    assert list(tmp_path.iterdir())  # the big one moved to a file
    discard_write_only(wb)
    assert not list(tmp_path.iterdir())
