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
