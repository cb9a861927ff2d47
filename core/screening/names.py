"""Name normalisation: the key two names are compared by (docs/screening.md, "Normalisation").

:func:`words` turns a name into its comparable words, :func:`normalise` into
the sorted key, :func:`name_variants` into the forms of it that are screened.
The same functions serve both sides: the vendor's names and the listed ones.
"""

from __future__ import annotations

import re

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
_DROPPED = LEGAL_WORDS | STOP_WORDS

#: Han characters and Japanese kana are kept as written: anyascii reads Han by
#: its Mandarin syllables without word boundaries (株式会社東芝, Toshiba, would
#: become "zhushihuishedongzhi"), and a name in these scripts already matches
#: the same name listed in them exactly (benchmarks/names_eval.py).
_KEEP_AS_WRITTEN = re.compile("([\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
                              "\U00020000-\U0003ffff]+)")
_JOINERS = re.compile(r"[.'’`ʼ]")
_WORDS = re.compile(r"[^\W_]+")
_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_SEPARATORS = re.compile(r"\s+/\s*|\s*/\s+|\s*;\s*|\s*\|\s*")


def words(name: str) -> list[str]:
    """The comparable words of a name.

    Case-folded; transliterated to Latin letters by anyascii (accents
    removed, ``ООО Кестрел`` -> ``ooo kestrel``, ``Ελληνική`` -> ``elliniki``;
    Han characters and kana are kept as written); dots and apostrophes
    joined (``Z.ai`` -> ``zai``, ``Co.`` -> ``co``); ``&`` read as ``and``; other punctuation splits words; legal
    forms and stop words (:data:`LEGAL_WORDS`, :data:`STOP_WORDS`) dropped,
    unless nothing else is left.
    """
    text = transliterate(str(name).casefold()).replace("&", " and ")
    if text.isascii():  # _JOINERS' ASCII characters, removed without the regex's scan (most names)
        text = text.replace(".", "").replace("'", "").replace("`", "")
    else:
        text = _JOINERS.sub("", text)
    found = _WORDS.findall(text)
    kept = [w for w in found if w not in _DROPPED]
    if kept:
        return kept
    return [w for w in found if w not in STOP_WORDS] or found


def transliterate(text: str) -> str:
    """``text`` in Latin letters, case-folded (anyascii), with Han characters and kana kept as written."""
    if text.isascii():
        return text
    from anyascii import anyascii

    parts = _KEEP_AS_WRITTEN.split(text)  # odd indexes: the runs kept as written
    return "".join(part if i % 2 else anyascii(part) for i, part in enumerate(parts)).casefold()


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
    # None of the characters _BRACKETED and _SEPARATORS act on (tested one by one: no regex scan).
    if "(" not in text and "[" not in text and "/" not in text and ";" not in text and "|" not in text:
        # Nothing to drop or split (most names): the one other form is the trimmed text.
        part = text.strip(" ,-")
        if part and part != text:
            out.append(part)
        return out
    outside = " ".join(_BRACKETED.sub(" ", text).split())
    for part in [outside, *_SEPARATORS.split(outside)]:
        part = part.strip(" ,-")
        if part and part not in out:
            out.append(part)
    return out


def letters(key: str) -> int:
    """The letters of a key, spaces not counted."""
    return len(key) - key.count(" ")
