"""Evaluation: how name normalisation choices change what screening finds (not a test; prints a table).

Compares ways of building the comparison key of a name:

- ``hand``: NFKD, a hand table for Cyrillic and a few Latin letters, the
  hand list of one-word legal forms (what vendordd used before);
- ``anyascii``: anyascii for every script except Han and kana (kept as
  written), then the hand legal forms;
- ``anyascii+rigour``: the same, then OpenSanctions' ``rigour`` legal-form
  table (``remove_org_types``: thousands of multi-word forms from the GLEIF
  entity legal forms list) before the hand legal forms;
- ``current``: whatever ``vendordd.screening.normalise`` does now.

on a labelled set of name pairs written before any method was run: pairs
that name the same party (a name in its own script against the Latin
spelling US lists use, BGN/PCGN for Russian; a legal form spelled out
against its abbreviation) and pairs that name different parties. For each
method it prints, per pair, the rapidfuzz ratio of the two keys and
whether screening would call it exact (keys equal), fuzzy (ratio >= 80)
or nothing; then recall on the same-party pairs and false matches on the
others; then the time to normalise 40,000 synthetic names.

Usage::

    pip install anyascii rigour   # rigour only for the comparison
    python benchmarks/names_eval.py [--names 40000]
"""

from __future__ import annotations

import argparse
import random
import re
import time
import unicodedata
from collections.abc import Callable

from rapidfuzz import fuzz

from vendordd.screening import names as current

SAME = [
    ("ООО Кестрел", "Kestrel LLC"),
    ("Общество с ограниченной ответственностью «Кестрел»", "Kestrel LLC"),
    ("Limited Liability Company Kestrel", "Kestrel LLC"),
    ("Joint Stock Company Almaz-Antey", "Almaz-Antey JSC"),
    ("Акционерное общество «Алмаз-Антей»", "Almaz-Antey JSC"),
    ("Открытое акционерное общество Кестрел", "Kestrel OJSC"),
    ("ТОВ «Мотор Січ»", "Motor Sich LLC"),
    ("Товариство з обмеженою відповідальністю «Мотор Січ»", "Motor Sich LLC"),
    ("Ελληνική Τράπεζα", "Elliniki Trapeza"),
    ("Հայաստան Բանկ", "Hayastan Bank"),
    ("საქართველოს ბანკი", "Sakartvelos Banki"),
    ("Kestrel Gesellschaft mit beschränkter Haftung", "Kestrel GmbH"),
    ("Kestrel Aktiengesellschaft", "Kestrel AG"),
    ("Kestrel spółka z ograniczoną odpowiedzialnością", "Kestrel Sp. z o.o."),
    ("Kestrel S.A. de C.V.", "Kestrel"),
    ("Kestrel Sdn. Bhd.", "Kestrel"),
    ("Kestrel Private Limited", "Kestrel Pvt Ltd"),
    ("Kestrel Société anonyme", "Kestrel SA"),
    ("Kestrel Anonim Şirketi", "Kestrel A.Ş."),
    ("Kestrel Public Joint Stock Company", "PJSC Kestrel"),
    ("华为技术有限公司", "华为技术有限公司"),
    ("株式会社東芝", "Toshiba Corporation"),
]
DIFFERENT = [
    ("Almaz Bank", "Almaz-Antey JSC"),
    ("华为技术有限公司", "华大基因有限公司"),
    ("中兴通讯", "中芯国际"),
    ("Motor Sich", "Motor Sport LLC"),
    ("Kestrel Bank", "Kestrel Insurance"),
    ("Kestrel Trading Company", "Kestrel Shipping Company"),
]

_KEEP = ("CJK", "HIRAGANA", "KATAKANA", "IDEOGRAPHIC")
# The hand table vendordd used before anyascii (Cyrillic, BGN/PCGN-like, and a few Latin letters).
_HAND_TABLE = str.maketrans({
    **dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґ",
               ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r",
                "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya", "i", "yi",
                "ye", "g"])),
    "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ð": "d", "ł": "l", "þ": "th", "ı": "i", "ħ": "h"})


def _hand_words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).translate(_HAND_TABLE)
    return _legal(re.findall(r"[^\W_]+", re.sub(r"[.'’`ʼ]", "", text.replace("&", " and "))))


def _legal(found: list[str]) -> list[str]:
    kept = [w for w in found if w not in current.LEGAL_WORDS and w not in current.STOP_WORDS]
    return kept or [w for w in found if w not in current.STOP_WORDS] or found


def _ascii(text: str) -> str:
    from anyascii import anyascii

    return "".join(ch if unicodedata.name(ch, "").startswith(_KEEP) else anyascii(ch) for ch in text)


def _anyascii_words(text: str) -> list[str]:
    text = _ascii(text.casefold()).casefold()
    return _legal(re.findall(r"[^\W_]+", re.sub(r"[.'’`ʼ]", "", text.replace("&", " and "))))


def _rigour_words(text: str) -> list[str]:
    from rigour.names import remove_org_types

    text = _ascii(text.casefold()).casefold()
    text = re.sub(r"[.'’`ʼ]", "", text.replace("&", " and "))
    stripped = remove_org_types(" ".join(re.findall(r"[^\W_]+", text)))
    return _legal(re.findall(r"[^\W_]+", stripped)) if stripped.strip() else _legal(re.findall(r"[^\W_]+", text))


METHODS: dict[str, Callable[[str], list[str]]] = {
    "hand": _hand_words, "anyascii": _anyascii_words, "anyascii+rigour": _rigour_words, "current": current.words,
}


def _key(method: Callable[[str], list[str]], name: str) -> str:
    return " ".join(sorted(method(name)))


def _verdict(a: str, b: str) -> tuple[str, float]:
    score = fuzz.ratio(a, b)
    letters = min(len(a.replace(" ", "")), len(b.replace(" ", "")))
    if a == b:
        return "exact", 100.0
    return ("fuzzy" if score >= 80 and letters >= 5 else "-"), score


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--names", type=int, default=40000)
    args = parser.parse_args()
    totals: dict[str, dict[str, int]] = {m: {"exact": 0, "found": 0, "false": 0} for m in METHODS}
    for label, pairs in (("same party", SAME), ("different parties", DIFFERENT)):
        print(f"\n{label}:")
        for a, b in pairs:
            cells = []
            for m, fn in METHODS.items():
                verdict, score = _verdict(_key(fn, a), _key(fn, b))
                cells.append(f"{m}={verdict} {score:.0f}")
                if label == "same party":
                    totals[m]["exact"] += verdict == "exact"
                    totals[m]["found"] += verdict != "-"
                else:
                    totals[m]["false"] += verdict != "-"
            print(f"  {a!r} ~ {b!r}: " + "; ".join(cells))
    print(f"\n{'method':<18} exact/{len(SAME)}  found/{len(SAME)}  false/{len(DIFFERENT)}  "
          f"normalise {args.names:,} names")
    rng = random.Random(7)
    syllables = ["ka", "zhi", "pu", "hua", "mo", "tor", "sich", "al", "maz", "an", "tey", "kes", "trel"]
    forms = [" Co., Ltd.", " LLC", " Limited Liability Company", " JSC", " GmbH", ""]
    sample = [" ".join("".join(rng.choice(syllables) for _ in range(rng.randint(2, 3))).capitalize()
                       for _ in range(rng.randint(1, 3))) + rng.choice(forms) for _ in range(args.names)]
    for m, fn in METHODS.items():
        start = time.perf_counter()
        for name in sample:
            fn(name)
        took = time.perf_counter() - start
        t = totals[m]
        print(f"{m:<18} {t['exact']:>8}  {t['found']:>8}  {t['false']:>8}  {took:.2f} s")


if __name__ == "__main__":
    main()
