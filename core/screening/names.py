"""Name normalisation: the key two names are compared by (docs/screening.md, "Normalisation").

:func:`words` turns a name into its comparable words, :func:`normalise` into
the sorted key, :func:`name_variants` into the forms of it that are screened.
The same functions serve both sides: the vendor's names and the listed ones.
"""

from __future__ import annotations

import re
import unicodedata

#: Words dropped from names before comparing them: legal forms and the
#: generic words the issue names (Co., Ltd., Inc., Limited, Technology...).
LEGAL_WORDS: frozenset[str] = frozenset({
    "co", "company", "companies", "corp", "corporation", "inc", "incorporated", "ltd", "limited",
    "llc", "llp", "lp", "plc", "pllc", "gmbh", "mbh", "ag", "kg", "sa", "sas", "sarl", "srl", "spa",
    "sl", "bv", "nv", "oy", "oyj", "ab", "as", "asa", "aps", "kk", "pte", "pty", "jsc", "ojsc", "pjsc",
    "cjsc", "ooo", "zao", "oao", "pao", "tov", "fze", "fzco", "fzc", "fzllc",
    "group", "holding", "holdings", "technology", "technologies", "tech", "international", "intl",
})
STOP_WORDS: frozenset[str] = frozenset({"the", "and", "of", "und", "et"})

_CYRILLIC = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґ",
                     ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o",
                      "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e",
                      "yu", "ya", "i", "yi", "ye", "g"]))
_LATIN = {"æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ð": "d", "ł": "l", "þ": "th", "ı": "i", "ħ": "h"}
_TRANSLITERATE = str.maketrans({**_CYRILLIC, **_LATIN})
_JOINERS = re.compile(r"[.'’`ʼ]")
_WORDS = re.compile(r"[^\W_]+")


def words(name: str) -> list[str]:
    """The comparable words of a name.

    Case-folded; accents removed (NFKD); Cyrillic and a few Latin letters
    transliterated; dots and apostrophes joined (``Z.ai`` -> ``zai``, ``Co.``
    -> ``co``); ``&`` read as ``and``; other punctuation splits words; legal
    forms and stop words (:data:`LEGAL_WORDS`, :data:`STOP_WORDS`) dropped,
    unless nothing else is left.
    """
    text = unicodedata.normalize("NFKD", str(name).casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).translate(_TRANSLITERATE)
    found = _WORDS.findall(_JOINERS.sub("", text.replace("&", " and ")))
    kept = [w for w in found if w not in LEGAL_WORDS and w not in STOP_WORDS]
    if kept:
        return kept
    return [w for w in found if w not in STOP_WORDS] or found


def normalise(name: str) -> str:
    """The key names are compared by: :func:`words`, sorted, joined by spaces.

    Sorting makes the edit-distance ratio of two keys rapidfuzz's
    ``token_sort_ratio`` (word order does not count: ``SMITH, John`` equals
    ``John Smith``).
    """
    return " ".join(sorted(words(name)))


def name_variants(name: str) -> list[str]:
    """The forms of a name that are screened: itself, without bracketed parts, and its ``" / "`` parts.

    ``Zhipu AI (Z.ai / GLM)`` -> ``Zhipu AI (Z.ai / GLM)``, ``Zhipu AI``.
    Bracketed text is dropped, not screened on its own: in listed names it is
    often a place (``Cambricon Jixingge (Nanjing) Technology``). A slash with
    a space beside it separates names (``Z.ai / GLM``); ``A/S`` is one word.
    """
    text = " ".join(str(name).split())
    out = [text] if text else []
    outside = " ".join(re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", text).split())
    for part in [outside, *re.split(r"\s+/\s*|\s*/\s+|\s*;\s*|\s*\|\s*", outside)]:
        part = part.strip(" ,-")
        if part and part not in out:
            out.append(part)
    return out


def letters(key: str) -> int:
    """The letters of a key, spaces not counted."""
    return len(key) - key.count(" ")
