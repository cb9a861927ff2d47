"""The screening index's shortcuts give what the plain computations they replaced give.

:class:`vendordd.screening.matcher._BlockIndex` finds a block's keys when the
block is first probed; here every block (and blocks no key has) is compared
with filing each fuzzy key under each of its :func:`_blocks` up front, the
index's former construction. :func:`name_variants`' shortcut for names with
nothing to drop or split is compared with the bracket and separator path,
:func:`country_codes`' two-letter check with the regex it replaced, and
:meth:`ListSource.binary_lines` (``bytes.splitlines``) with the regex split
it replaced, at any chunk edge, :func:`words`' ASCII shortcut with the
regexes, and the CSV rows' entries with :func:`record_entry`'s.
"""

from __future__ import annotations

import functools
import io
import random
import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from vendordd.screening import ListEntry, Screener, ScreeningList, country_codes
from vendordd.screening.formats.base import ListSource, Problems, split_values
from vendordd.screening.formats.csl import CsvRows, record_entry
from vendordd.screening.matcher import MIN_FUZZY_LETTERS, _blocks
from vendordd.screening.names import LEGAL_WORDS, STOP_WORDS, letters, name_variants, transliterate, words

# Short words, one-letter words, accents, Han and kana, digits: every length case of a block.
ALPHABET = "abcdeé东京カ0"


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 6)))


def _name(rng: random.Random) -> str:
    return " ".join(_word(rng) for _ in range(rng.randint(1, 3)))


def test_blocks_found_on_probe_equal_the_eager_filing():
    rng = random.Random(21)
    entries = [ListEntry("US-BIS-ENTITY", "test", _name(rng), alt_names=(_name(rng),),
                         kind=rng.choice(["entity", "individual"])) for _ in range(3000)]
    screener = Screener([ScreeningList(file="t", sha256="0" * 64, format="csl-csv", entries=entries)])
    keys = screener._keys
    eager: dict[str, list[int]] = {}
    for ki, key in enumerate(keys):
        if letters(key) >= MIN_FUZZY_LETTERS:
            for block in _blocks(key):
                eager.setdefault(block, []).append(ki)
    probes = set(eager)
    for _ in range(3000):
        probes |= _blocks(_word(rng))
    assert len(probes) > len(eager)  # blocks no key has are probed too
    for block in sorted(probes):
        ids, found = screener._blocking.block(block)
        assert ids == eager.get(block, []), block
        assert found == [keys[ki] for ki in ids]


def _variants_the_long_way(name: str) -> list[str]:
    text = " ".join(str(name).split())
    out = [text] if text else []
    outside = " ".join(re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", text).split())
    for part in [outside, *re.split(r"\s+/\s*|\s*/\s+|\s*;\s*|\s*\|\s*", outside)]:
        part = part.strip(" ,-")
        if part and part not in out:
            out.append(part)
    return out


def test_name_variants_shortcut_equals_the_long_way():
    rng = random.Random(5)
    pieces = ["Acme", "Co.,", "-", ",", " ", "  ", "(Beijing)", "[x]", "/", " / ", ";", "|", "A/S", "Ltd", "\t",
              "é", "(", ")"]
    for _ in range(5000):
        name = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 6)))
        assert name_variants(name) == _variants_the_long_way(name), repr(name)


@given(st.lists(st.one_of(st.text(max_size=6), st.sampled_from(["cn", " US-TX ", "ua-cri", "ß", "ſt", "Ab", "A1", "éé", "ıi", "a_", "１２"]),
                          st.integers(), st.none()), max_size=8))
def test_country_codes_check_equals_the_regex(values):
    expected: list[str] = []
    for value in values:
        if isinstance(value, str):
            code = value.strip().upper().split("-", 1)[0]
            if re.fullmatch(r"[A-Z]{2}", code) and code not in expected:
                expected.append(code)
    assert country_codes(values) == tuple(expected)


def _lines_the_regex_way(chunks: list[bytes]) -> list[bytes]:
    """binary_lines as it was: the chunks split with a regex, a first-chunk byte-order mark dropped."""
    out, carry = [], b""
    for n, chunk in enumerate(chunks):
        data = carry + chunk
        if n == 0:
            data = data.removeprefix(b"\xef\xbb\xbf")
        held = b"\r" if data.endswith(b"\r") else b""
        parts = re.split(rb"(\r\n|\n|\r)", data[:-1] if held else data)
        out += [parts[i] + parts[i + 1] for i in range(0, len(parts) - 1, 2)]
        carry = parts[-1] + held
    return out + [carry] if carry else out


@given(st.lists(st.sampled_from([b"a", b"bc", b",", b"\r", b"\n", b"\r\n", b"\x0b", b"\x0c", b"\x1c", b"\x85",
                                 b"\xef\xbb\xbf", b"\xe2\x80\xa8", b" "]), max_size=40),
       st.integers(min_value=1, max_value=7))
def test_binary_lines_equal_the_regex_split(pieces, size):
    data = b"".join(pieces)
    source = ListSource(Path("t.csv"), "t.csv", io.BytesIO(data))
    source.chunks = functools.partial(ListSource.chunks, source, size)  # chunk edges anywhere
    chunks = [data[i:i + size] for i in range(0, len(data), size)]
    assert list(source.binary_lines()) == _lines_the_regex_way(chunks)


def _words_the_regex_way(name: str) -> list[str]:
    text = transliterate(str(name).casefold())
    found = re.findall(r"[^\W_]+", re.sub(r"[.'’`ʼ]", "", text.replace("&", " and ")))
    kept = [w for w in found if w not in LEGAL_WORDS and w not in STOP_WORDS]
    return kept or [w for w in found if w not in STOP_WORDS] or found


@given(st.lists(st.one_of(st.text(max_size=4), st.sampled_from(
    ["Co.", "Ltd", "Z.ai", "O'Brien", "`x`", "’", "ʼ", "&", "the", "and", " ", "_", "東京", "Ωmega", "é", "-"])),
    max_size=8))
def test_words_ascii_shortcut_equals_the_regex(pieces):
    name = "".join(pieces)
    assert words(name) == _words_the_regex_way(name)


def _split_values_the_long_way(value: object) -> list[str]:
    if value is None or value == "":
        return []
    items = value if isinstance(value, list) else str(value).split(";")
    return [" ".join(str(v).split()) for v in items if isinstance(v, (str, int, float)) and str(v).strip()]


@given(st.one_of(st.text(alphabet=" ;\t\u00a0\u2028ab,", max_size=12), st.none(), st.integers(),
                 st.lists(st.one_of(st.text(max_size=3), st.integers(), st.none()), max_size=4)))
def test_split_values_shortcuts_equal_the_long_way(value):
    assert split_values(value) == _split_values_the_long_way(value)


_CELLS = st.text(alphabet="ab ;,-\t", max_size=8) | st.sampled_from(
    ["", "  ", "Entity List (EL) - Bureau of Industry and Security", "Individual", " vessel ", "2025-01-16",
     "01/16/2025", "x, CN; y, ru-mow", "CN; US-TX", "A; A; B", "https://x.test/a", "https://y.test/b"])
_COLUMNS = ["name", "source", "alt_names", "addresses", "nationalities", "citizenships", "programs", "start_date",
            "federal_register_notice", "entity_number", "source_information_url", "source_list_url", "type",
            "_id", "remarks"]


def _same_entries(header: list[str], row: list[str]) -> None:
    fast, plain = Problems("t.csv"), Problems("t.csv")
    got = CsvRows(header).entry(list(row), fast, 3)
    assert got == record_entry(dict(zip(header, row)), plain, 3, "")
    assert [p.message for p in fast.items] == [p.message for p in plain.items]


@settings(max_examples=300)
@given(st.permutations(_COLUMNS), st.lists(_CELLS, min_size=len(_COLUMNS), max_size=len(_COLUMNS)),
       st.lists(st.sampled_from(_COLUMNS), max_size=3), st.integers(min_value=0, max_value=len(_COLUMNS) + 3))
def test_csv_rows_give_what_record_entry_gives(columns, cells, repeated, drop):
    """Every column (some repeated, some dropped), full rows with a name and a source, and short rows."""
    header = [c for c in columns if c not in ("name", "source")][: len(_COLUMNS) - drop] + ["name", "source"]
    header += repeated
    row = (cells + ["x"] * len(header))[: len(header) - 2 - len(repeated)] + ["Acme", "List (EL)"]
    row += cells[: len(repeated)]
    _same_entries(header, row)
    _same_entries(header, row[: len(row) - drop])
    _same_entries(header, cells[: len(header)])
