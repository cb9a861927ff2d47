"""The line-at-a-time wrap (layout._wrapped_lines) answers what the word-by-word one does.

Row heights follow from these line counts, and the workbook's bytes from the
heights, so the fast layout is compared with the plain one
(``_wrapped_lines_plain``) on generated text, on texts built to sit exactly on
a line's edge (where float sums taken in another order could tip the answer,
and the fast layout must hand over to the plain one), and on every text the
bundled examples and a batch of synthetic profiles put in a workbook.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from vendordd.cli import main
from vendordd.scorecard import layout
from vendordd.xlsx_text import milli_width, text_width

from .conftest import ROOT
from .test_benchmarks_smoke import generate

# Words of several widths, every character a long word breaks after, repeated spaces, line feeds,
# and characters of other widths: wide CJK, emoji, combining marks and a zero-width space (no
# width at all), an accented letter, a control character.
ALPHABET = st.sampled_from(list("aiIlmwMW0.,/-_?&=@:% ") + ["  ", "\n", "•", "—", "漢", "é", "\u0301", "\u200b",
                                                              "👩", "\t"])
TEXT = st.lists(ALPHABET, max_size=300).map("".join)
# Column widths as the scorecard makes them: one decimal, or scaled by a font size (width * 11 / size).
WIDTH = st.one_of(st.integers(10, 900).map(lambda w: w / 10),
                  st.tuples(st.integers(30, 600), st.sampled_from([8, 9, 10, 12, 14, 16])).map(
                      lambda t: t[0] / 10 * 11 / t[1]),
                  st.floats(min_value=0.1, max_value=300))
URL = st.builds(lambda host, path, tail: f"https://{host}/{path}{tail}",
                st.text(st.sampled_from(list("abcdexyz.-0")), min_size=1, max_size=40),
                st.text(st.sampled_from(list("abcdemwWI0/-_?&=.,%é漢\u0301")), max_size=400),
                st.sampled_from(["", " ", " and more words", "\nnext line", "/", "//"]))


@example("Google DeepMind (Gemma / Gemini)", 30.0, False)
@example("a" * 50_000, 20.0, True)
@example(" " * 10 + "word", 2.0, False)
@example("\u0301\u0301 \u0301 wide wide", 3.0, False)
@settings(max_examples=1500, deadline=None)
@given(TEXT, WIDTH, st.booleans())
def test_fast_wrap_equals_the_plain_one_on_generated_text(text: str, width: float, bold: bool) -> None:
    assert layout._wrapped_lines(text, width, bold) == layout._wrapped_lines_plain(text, width, bold)


@settings(max_examples=800, deadline=None)
@given(URL, WIDTH, st.booleans())
def test_fast_wrap_equals_the_plain_one_on_urls(url: str, width: float, bold: bool) -> None:
    assert layout._wrapped_lines(url, width, bold) == layout._wrapped_lines_plain(url, width, bold)


def test_the_integer_widths_are_the_float_widths() -> None:
    rng = random.Random(3)
    chars = [chr(c) for c in range(32, 127)] + ["漢", "é", "\u0301", "👩", "\t"]
    for _ in range(2000):
        text = "".join(rng.choices(chars, k=rng.randrange(0, 60)))
        for bold in (False, True):
            assert abs(milli_width(text, bold) / 1000 - text_width(text, bold)) < 1e-9


@given(st.one_of(URL, TEXT), st.booleans())
def test_a_long_words_pieces_are_the_plain_layouts_pieces(word: str, bold: bool) -> None:
    pieces = layout._BREAK_AFTER.split(word)
    ends = layout._piece_ends(word, bold)
    assert len(ends) == len(pieces) + 1
    assert ends == [milli_width("".join(pieces[:i]), bold) for i in range(len(pieces) + 1)]


def _edge_cases(seed: int, wanted: int) -> list[tuple[str, float, bool]]:
    """Texts whose first k words (or the first pieces of a long word) are, exactly in decimals, as
    wide as a line's room: (width - 0.8) * 0.99 with a width of one decimal is w/990 + 0.8 for a
    width of w thousandths, so w must be a multiple of 99."""
    rng = random.Random(seed)
    words = ["model", "weights", "Board", "licence", "a", "I", "WWW", "0", "lead-in", "x/y",
             "news.example.org/path-to_page?q=1&r=2", "漢字", "Cafe\u0301"]
    cases: list[tuple[str, float, bool]] = []
    while len(cases) < wanted:
        bold = rng.random() < 0.3
        text = " ".join(rng.choices(words, k=rng.randrange(2, 14)))
        if rng.random() < 0.3:
            text = text.replace(" ", "")  # one long word: its pieces meet the edge
        prefix = [milli_width(text[:i], bold) for i in range(len(text) + 1)]
        # where a line may end: at a word's end (a space, the end) or after a long word's piece
        ends = [i for i, ch in enumerate(text) if ch == " "] + [len(text)]
        ends += [i + 1 for i, ch in enumerate(text) if ch in "/-_?&=.," and " " not in text]
        cut = rng.choice(ends)
        if prefix[cut] % 99 == 0 and prefix[cut] > 0:
            cases.append((text, prefix[cut] / 990 + 0.8, bold))
            # also a piece as wide as two or three lines exactly (a long word's whole lines)
            for lines in (2, 3):
                if prefix[cut] % (99 * lines) == 0:
                    cases.append((text, prefix[cut] / lines / 990 + 0.8, bold))
    return cases


def test_texts_on_a_lines_edge_get_the_plain_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    plain = layout._wrapped_lines_plain
    handed_over = []

    def counting(text: str, width: float, bold: bool) -> int:
        handed_over.append(text)
        return plain(text, width, bold)

    monkeypatch.setattr(layout, "_wrapped_lines_plain", counting)
    for text, width, bold in _edge_cases(seed=1, wanted=400):
        assert layout._wrapped_lines(text, width, bold) == plain(text, width, bold), (text, width, bold)
    # the edge cases did reach the hand-over (otherwise this test would prove nothing about it)
    assert len(handed_over) > 200


def test_the_memory_of_answers_and_widths_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = ["Quarterly report on the model release and licence terms " * 3,
             "https://www.example.org/" + "/".join(f"section-{i}/page_{i}?q={i}&x=long" for i in range(30))]
    for width in (12.0, 34.0, 45.5, 60.0):
        for text in texts:
            for bold in (False, True):
                first = layout.wrapped_lines(text, width, bold)
                assert layout.wrapped_lines(text, width, bold) == first == layout._wrapped_lines_plain(text, width, bold)
    # a full memory is forgotten at once and keeps answering right
    monkeypatch.setattr(layout, "_MEMO_ENTRIES", 5)
    monkeypatch.setattr(layout, "_LINES", layout._Answers())
    for i in range(40):
        text = f"word {i} " * (i % 7 + 1)
        for width in (3.0, 9.5):
            assert layout.wrapped_lines(text, width, i % 2 == 0) == layout._wrapped_lines_plain(text, width, i % 2 == 0)
            assert layout._LINES.kept <= 5


def _run_recording(monkeypatch: pytest.MonkeyPatch, args: list[str]) -> list[tuple[str, float, bool]]:
    """Run the CLI in this process, recording every text whose lines were counted."""
    seen: list[tuple[str, float, bool]] = []
    fast = layout._wrapped_lines

    def recording(text: str, width: float, bold: bool) -> int:
        seen.append((text, width, bold))
        return fast(text, width, bold)

    monkeypatch.setattr(layout, "_wrapped_lines", recording)
    monkeypatch.setattr(layout, "_LINES", layout._Answers())  # no remembered answers: every text is counted
    with pytest.raises(SystemExit) as done:
        main(args)
    assert done.value.code in (0, None, 1)
    monkeypatch.undo()
    return seen


def test_every_text_of_the_bundled_examples_and_of_synthetic_profiles(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    examples = ROOT / "examples"
    seen = _run_recording(monkeypatch, [
        "run", str(examples / "profiles"), "--policy", str(examples / "policy-eu-buyer.yaml"),
        "--portfolio", str(examples / "portfolio.yaml"), "--as-of", "2026-11-29", "--jobs", "1",
        "-o", str(tmp_path / "ex.xlsx"), "--json", str(tmp_path / "ex.json")])
    generate.write_profiles(tmp_path / "synth", 25, seed=11, fmt="json")
    seen += _run_recording(monkeypatch, [
        "run", str(tmp_path / "synth"), "--as-of", "2026-06-01", "--jobs", "1",
        "-o", str(tmp_path / "s.xlsx"), "--json", str(tmp_path / "s.json")])
    assert len(seen) > 2000  # the workbooks' texts did pass through here
    for text, width, bold in seen:
        for column in (width, width - 0.1, width + 0.1):  # and their neighbours' column widths
            assert layout._wrapped_lines(text, column, bold) == layout._wrapped_lines_plain(text, column, bold)
