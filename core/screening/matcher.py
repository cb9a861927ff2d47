"""The matcher: every listed name indexed once, a few vendor names compared with all of them.

:class:`Screener` builds the index (unique normalised keys, an exact-key
dictionary, blocks of keys for rapidfuzz, word postings for containment) and
:meth:`Screener.screen` returns :class:`~vendordd.screening.model.Match`
objects, each ``strong`` or ``potential`` (docs/screening.md, "Matching").
Nothing compares pairs in a Python loop. rapidfuzz is imported when a
screener is built, so the CLI's start-up stays light.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from itertools import compress
from typing import Any

from .. import dates
from .fields import country_codes, section
from .model import ListEntry, Match, ScreeningList
from .names import letters, name_variants, normalise

DEFAULT_STRONG_THRESHOLD = 92.0
DEFAULT_POTENTIAL_THRESHOLD = 80.0

#: Names shorter than this many letters (after normalisation, spaces not
#: counted) match only exactly: two short strings are "similar" by chance.
MIN_FUZZY_LETTERS = 5
#: A one-word name is looked for inside longer listed names only when the word
#: occurs in at most this many listed names (a city or a common word is not a name).
MAX_CONTAINED_WORD_NAMES = 25


def _blocks(key: str) -> set[str]:
    """The blocking keys of a normalised name.

    For each word: its letters 1-3 and 2-4 (marked ``<``) and its last three
    and the three before the last (marked ``>``), so that one edit at either
    end of a word still leaves a block in common.
    """
    return {b for w in key.split()
            for b in ("<" + w[:3], "<" + w[1:4], w[-3:] + ">", w[-4:-1] + ">") if len(b) > 1}


def _length_window(length: int, cutoff: float) -> tuple[float, float]:
    """The lengths a string may have to reach ``cutoff`` (0-100) in rapidfuzz's ratio with one of ``length``.

    ratio = 2 x LCS / (a + b) <= 2 x min(a, b) / (a + b), so with c = cutoff / 100
    the other length lies in [a x c / (2 - c), a x (2 - c) / c].
    """
    c = cutoff / 100.0
    if c <= 0:
        return 0.0, float("inf")
    return length * c / (2 - c) - 1e-9, length * (2 - c) / c + 1e-9


def _order(m: Match) -> tuple[bool, bool, float, str, str]:
    """Best first: strong, exact, higher score; then by name, so that ties never depend on set order."""
    return (m.strength != "strong", m.basis != "exact", -m.score, m.listed_name, m.vendor_name)


class Screener:
    """Screens names against the entries of one or more lists, indexed once.

    Thresholds are rapidfuzz token-sort ratios (0-100). ``contained_names``
    turns on containment matches (corporate families, shortened names).
    ``exhaustive`` scores every listed name of a possible length instead of
    the blocked candidates (slower; finds names edited at both ends of every
    word). ``clearances`` is the policy's ``screening.clearances`` register.
    """

    def __init__(self, lists: Sequence[ScreeningList], *, strong_threshold: float = DEFAULT_STRONG_THRESHOLD,
                 potential_threshold: float = DEFAULT_POTENTIAL_THRESHOLD, contained_names: bool = True,
                 exhaustive: bool = False, clearances: Iterable[Mapping[str, Any]] = ()):
        if not 0 <= potential_threshold <= strong_threshold <= 100:
            raise ValueError("thresholds must satisfy 0 <= potential <= strong <= 100")
        self.lists = list(lists)
        self.strong_threshold = float(strong_threshold)
        self.potential_threshold = float(potential_threshold)
        self.contained_names = bool(contained_names)
        self.exhaustive = bool(exhaustive)
        self.clearances = [c for c in clearances if isinstance(c, Mapping)]
        self.entries: list[ListEntry] = [e for lst in self.lists for e in lst.entries]
        self._summary: dict[str, Any] | None = None
        self._build()

    @classmethod
    def from_policy(cls, lists: Sequence[ScreeningList], policy: Mapping[str, Any]) -> Screener:
        """A screener with the thresholds, containment switch and clearances of ``policy.screening``."""
        conf = section(policy, "screening")
        return cls(lists, strong_threshold=conf.get("strong_threshold", DEFAULT_STRONG_THRESHOLD),
                   potential_threshold=conf.get("potential_threshold", DEFAULT_POTENTIAL_THRESHOLD),
                   contained_names=conf.get("contained_names", True),
                   exhaustive=conf.get("exhaustive", False),
                   clearances=conf.get("clearances") or ())

    def _build(self) -> None:
        """The index: unique normalised keys, their owners, a fuzzy array and word postings.

        Written for the fixed cost of a large list (benchmarks/README.md,
        "Screening"): a name is normalised once however often it is listed,
        one word -> keys table serves the blocks and the containment postings,
        and a block's keys (:class:`_BlockIndex`) and a word's postings are
        put together when a vendor name first asks for them.
        """
        from rapidfuzz import fuzz, process

        self._fuzz, self._process = fuzz, process
        ids: dict[str, int] = {}
        keys: list[str] = []
        owners: list[dict[int, str]] = []  # key -> {entry index: the listed name}
        companies: list[bool] = []  # key -> owned by at least one entry that is not an individual
        seen: dict[str, list[str]] = {}  # listed name -> its keys, in variant order
        for ei, entry in enumerate(self.entries):
            company = entry.kind != "individual"
            for listed in (entry.name, *entry.alt_names):
                listed_keys = seen.get(listed)
                if listed_keys is None:
                    listed_keys = seen[listed] = [k for k in map(normalise, name_variants(listed)) if k]
                for key in listed_keys:
                    ki = ids.get(key)
                    if ki is None:
                        ki = ids[key] = len(keys)
                        keys.append(key)
                        owners.append({ei: listed})
                        companies.append(company)
                        continue
                    owners[ki].setdefault(ei, listed)
                    if company:
                        companies[ki] = True
        self._ids, self._keys, self._owners = ids, keys, owners
        self._companies = companies
        # Fuzzy candidates (short keys match exactly only), by block; sorted by
        # length for the exhaustive comparison when that is first asked for.
        fuzzy = [len(key) - key.count(" ") >= MIN_FUZZY_LETTERS for key in keys]  # letters(key), inline
        self._fuzzy = fuzzy
        self._by_length: tuple[list[int], list[str], list[int]] | None = None
        # Word -> every key having it, ascending (lists: most words have one
        # key). The blocks keep the fuzzy keys of a word; the containment
        # postings and the keys filed under their rarest word are made from
        # it when a vendor name first asks for a word.
        word_keys: dict[str, list[int]] = {}
        for ki, key in enumerate(keys):
            for word in key.split():
                found = word_keys.get(word)
                if found is None:
                    word_keys[word] = [ki]
                elif found[-1] != ki:  # a word twice in one name is filed once
                    found.append(ki)
        self._word_keys = word_keys
        self._blocking = _BlockIndex(keys, fuzzy, word_keys)
        self._postings: dict[str, list[int]] = {}  # word -> _company_postings(word)
        self._by_rarest: dict[str, list[int]] = {}  # word -> _filed_under(word)
        self._words: dict[int, frozenset[str]] = {}  # key -> its words, for the keys compared

    def _company_postings(self, word: str) -> list[int]:
        """The keys having ``word`` that entries other than individuals own, ascending; empty when none."""
        found = self._postings.get(word)
        if found is None:
            companies = self._companies
            found = self._postings[word] = [ki for ki in self._word_keys.get(word, ()) if companies[ki]]
        return found

    def _filed_under(self, word: str) -> list[int]:
        """The company keys (:meth:`_company_postings`) long enough to be fuzzy whose rarest word is ``word``.

        Each such key is filed under one word, its rarest (fewest keys; then
        the first in order), so finding the listed names contained in a
        vendor name touches few keys. Which word a key is filed under
        changes only the speed, never what is found.
        """
        found = self._by_rarest.get(word)
        if found is None:
            word_keys, fuzzy = self._word_keys, self._fuzzy
            found = []
            for ki in self._company_postings(word):
                if fuzzy[ki]:
                    key_words = self._key_words(ki)
                    if len(key_words) == 1 or min(key_words, key=lambda w: (len(word_keys[w]), w)) == word:
                        found.append(ki)
            self._by_rarest[word] = found
        return found

    def _key_words(self, ki: int) -> frozenset[str]:
        found = self._words.get(ki)
        if found is None:
            found = self._words[ki] = frozenset(self._keys[ki].split())
        return found

    def _length_index(self) -> tuple[list[int], list[str], list[int]]:
        """The fuzzy keys sorted by length: (key ids, keys, lengths), for the exhaustive comparison."""
        if self._by_length is None:
            keys = self._keys
            by_length = sorted(compress(range(len(keys)), self._fuzzy), key=lambda ki: len(keys[ki]))
            length_keys = [keys[ki] for ki in by_length]
            self._by_length = (by_length, length_keys, [len(k) for k in length_keys])
        return self._by_length

    def _contained(self, key: str) -> set[int]:
        """Keys whose words all occur in ``key``, and keys containing all of ``key``'s words."""
        query = frozenset(key.split())
        found = {ki for word in query for ki in self._filed_under(word)
                 if self._key_words(ki) <= query and self._keys[ki] != key}
        if letters(key) >= MIN_FUZZY_LETTERS and all(self._company_postings(w) for w in query):
            postings = sorted((self._company_postings(w) for w in query), key=len)
            if len(query) >= 2 or len(postings[0]) <= MAX_CONTAINED_WORD_NAMES:
                found |= {ki for ki in set(postings[0]).intersection(*postings[1:]) if self._keys[ki] != key}
        return found

    def _judge(self, score: float, basis: str, entry: ListEntry, countries: set[str]) -> tuple[str, str]:
        if not entry.countries or not countries:
            country = "unknown"
        elif countries & set(entry.countries):
            country = "corroborated"
        else:
            country = "contradicted"
        strong = (basis == "exact" and country != "contradicted") or \
            (basis == "fuzzy" and score >= self.strong_threshold and country == "corroborated")
        return ("strong" if strong else "potential"), country

    def screen(self, names: Iterable[str], countries: Iterable[str] | str | None = None) -> list[Match]:
        """Matches of ``names`` (and their :func:`name_variants`) against every entry.

        ``countries`` (ISO codes; subdivisions such as ``US-TX`` count as their
        country) corroborate or contradict a match. One match per listed entry
        (the best), strong first, then by score, list id and name.
        """
        wanted = country_codes([countries] if isinstance(countries, str) else (countries or ()))
        country_set = set(wanted)
        best: dict[int, Match] = {}
        for name in dict.fromkeys(n for n in names if isinstance(n, str) and n.strip()):
            for variant in name_variants(name):
                for ki, (score, basis) in self._hits(normalise(variant)).items():
                    for ei, listed in self._owners[ki].items():
                        entry = self.entries[ei]
                        if basis == "contains" and entry.kind == "individual":
                            continue
                        strength, country = self._judge(score, basis, entry, country_set)
                        match = Match(name, listed, entry, score, basis, strength, country)
                        if ei not in best or _order(match) < _order(best[ei]):
                            best[ei] = match
        ranked = sorted(best.items(), key=lambda item: (item[1].strength != "strong", -item[1].score,
                                                        item[1].entry.list_id, item[1].entry.name,
                                                        item[1].listed_name, item[1].vendor_name, item[0]))
        return [m for _, m in ranked]

    def _similar(self, key: str) -> list[tuple[int, float]]:
        """(key index, score) of the keys scoring at least the potential threshold against ``key``.

        Blocked: only keys sharing a block (:func:`_blocks`) are scored.
        Exhaustive: every key whose length allows the threshold is scored.
        Either way rapidfuzz does the scoring in one C call.
        """
        extract, cutoff = self._process.extract, self.potential_threshold
        if self.exhaustive:
            by_length, length_keys, lengths = self._length_index()
            lo, hi = _length_window(len(key), cutoff)
            start = bisect.bisect_left(lengths, lo)
            stop = bisect.bisect_right(lengths, hi)
            return [(by_length[start + i], score) for _c, score, i in extract(
                key, length_keys[start:stop], scorer=self._fuzz.ratio, processor=None,
                score_cutoff=cutoff, limit=None)]
        found: dict[int, float] = {}
        # One C call per block over its prebuilt array; a key in several blocks is scored again.
        for block in _blocks(key):
            ids, keys = self._blocking.block(block)
            for _c, score, i in extract(key, keys, scorer=self._fuzz.ratio, processor=None,
                                        score_cutoff=cutoff, limit=None):
                found[ids[i]] = score
        return list(found.items())

    def _hits(self, key: str) -> dict[int, tuple[float, str]]:
        """Index keys matching one normalised name: (score, basis) per key index."""
        if not key:
            return {}
        hits: dict[int, tuple[float, str]] = {}
        if (ki := self._ids.get(key)) is not None:
            hits[ki] = (100.0, "exact")
        if letters(key) >= MIN_FUZZY_LETTERS:
            for ki, score in self._similar(key):
                hits.setdefault(ki, (round(float(score), 1), "fuzzy"))
            if self.contained_names:
                for ki in self._contained(key):
                    if ki not in hits:
                        hits[ki] = (round(float(self._fuzz.ratio(key, self._keys[ki])), 1), "contains")
        return hits

    def clearance(self, vendor_id: str, match: Match, as_of: dt.date
                  ) -> tuple[Mapping[str, Any] | None, str | None]:
        """The clearance in force for (vendor, match), and a note for an expired one.

        A clearance names the vendor, the list and the listed name (the name
        or alt name that matched, or the entry's name; compared after
        normalisation) and, optionally, the entity number.
        """
        note = None
        for entry in self.clearances:
            if entry.get("vendor") != vendor_id \
                    or str(entry.get("list", "")).strip().upper() != match.entry.list_id:
                continue
            if normalise(str(entry.get("listed_name", ""))) not in (normalise(match.listed_name),
                                                                   normalise(match.entry.name)):
                continue
            if entry.get("entity_number") and str(entry["entity_number"]) != match.entry.entity_number:
                continue
            expires = dates.expiry_day(entry.get("expires"))
            if expires is not None and expires < as_of:
                note = (f"the clearance of {match.entry.name!r} on {match.entry.list_id} expired on "
                        f"{expires} and was ignored")
                continue
            return entry, None
        return None, note

    def summary(self) -> dict[str, Any]:
        """What was screened against: thresholds and the lists' metadata.

        Counted once per screener (the lists do not change after the index is
        built; a check calls this for every vendor), returned as a new copy.
        """
        if self._summary is None:
            self._summary = {
                "strong_threshold": self.strong_threshold, "potential_threshold": self.potential_threshold,
                "contained_names": self.contained_names, "exhaustive": self.exhaustive,
                "entries": len(self.entries), "lists": [lst.as_dict() for lst in self.lists]}
        summary = self._summary
        return {**summary, "lists": [{**lst, "lists": dict(lst["lists"]),
                                      "companion_files": [dict(f) for f in lst["companion_files"]]}
                                     for lst in summary["lists"]]}


class _BlockIndex:
    """The fuzzy keys of a block (:func:`_blocks`), gathered when the block is first probed.

    A screen probes a few hundred of a large list's blocks, so filing every
    key under each of its blocks up front (half a million dictionary
    insertions for 20,000 entries, and a key list per block) is mostly
    wasted. Instead each distinct word of the keys is filed under its own
    blocks (a word's blocks are those :func:`_blocks` gives for it alone),
    and a block's fuzzy keys, those of its words in ascending order as the
    eager index had them, are put together when a vendor name first probes it.
    """

    def __init__(self, keys: Sequence[str], fuzzy: Sequence[bool], word_keys: Mapping[str, Sequence[int]]):
        self._keys = keys
        self._fuzzy = fuzzy
        self._word_keys = word_keys  # word -> key ids having it, ascending
        # Block -> the words having it. Written out rather than through
        # _blocks(): this loop runs once per distinct word of the list.
        by_block: defaultdict[str, list[str]] = defaultdict(list)
        for word in word_keys:
            by_block["<" + word[:3]].append(word)
            by_block[word[-3:] + ">"].append(word)
            if len(word) > 1:  # one letter has no letters 2-4 and nothing before the last
                by_block["<" + word[1:4]].append(word)
                by_block[word[-4:-1] + ">"].append(word)
        self._block_words = by_block  # looked up with .get(): probing adds no entries
        self._cache: dict[str, tuple[list[int], list[str]]] = {}

    def block(self, block: str) -> tuple[list[int], list[str]]:
        """(key ids, keys) of the fuzzy keys having ``block``, ascending; empty lists when none has it."""
        found = self._cache.get(block)
        if found is None:
            words = self._block_words.get(block, ())
            fuzzy = self._fuzzy
            key_ids = sorted({ki for word in words for ki in self._word_keys[word] if fuzzy[ki]})
            found = self._cache[block] = (key_ids, [self._keys[ki] for ki in key_ids])
        return found
