"""Screening names against official sanctions and export-control lists.

The contract (docs/screening.md is the user-facing description):

- :func:`read_list` reads one list file a compliance team downloads, in its
  published format, and returns a :class:`ScreeningList` of
  :class:`ListEntry` objects; the format is detected from the content: the
  US Consolidated Screening List (CSL) as CSV or JSON, OFAC's ``sdn.csv``
  (with its ``alt.csv`` aliases when that file sits beside it), and
  OpenSanctions' FollowTheMoney entity export (JSON lines). A file that
  cannot be read as one of them raises :class:`vendordd.loader.InputError`
  naming the file and the line (or JSON pointer).
- :class:`Screener` indexes the names of every entry once; its
  :meth:`Screener.screen` compares a few vendor names with the whole index
  (rapidfuzz's C loop, an exact-key dictionary and a token index: never a
  Python loop over every pair) and returns :class:`Match` objects, each
  ``strong`` or ``potential``.
- :func:`load_screening` builds the screener of a run from ``--screening-list``
  files and the policy's ``screening.lists`` and says which lists are stale.

Every list entry carries a *list id* in the policy's vocabulary
(``US-BIS-ENTITY``, ``US-OFAC-SDN``, ``EU-CONSOLIDATED``...), so a match can be
compared with ``policy.buyer.bound_by_lists``; :data:`CSL_LISTS` and
:data:`OPENSANCTIONS_LISTS` are the mapping.

This module imports rapidfuzz only when a screener is built, so the CLI's
start-up stays light.
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import hashlib
import io
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .loader import InputError, Problem

#: The formats :func:`read_list` understands.
FORMATS: tuple[str, ...] = ("csl-csv", "csl-json", "ofac-sdn-csv", "opensanctions-ftm")

DEFAULT_STRONG_THRESHOLD = 92.0
DEFAULT_POTENTIAL_THRESHOLD = 80.0
DEFAULT_MAX_AGE_DAYS = 7

#: Names shorter than this many letters (after normalisation, spaces not
#: counted) match only exactly: two short strings are "similar" by chance.
MIN_FUZZY_LETTERS = 5
#: A one-word name is looked for inside longer listed names only when the word
#: occurs in at most this many listed names (a city or a common word is not a name).
MAX_CONTAINED_WORD_NAMES = 25
#: A bad list file reports at most this many problems.
MAX_PROBLEMS = 20

#: CSL ``source`` -> policy list id, keyed by the abbreviation in the source's
#: parentheses ("Entity List (EL) - Bureau of Industry and Security" -> EL).
CSL_LISTS: Mapping[str, str] = {
    "EL": "US-BIS-ENTITY",
    "DPL": "US-BIS-DPL",
    "UVL": "US-BIS-UVL",
    "MEU": "US-BIS-MEU",
    "SDN": "US-OFAC-SDN",
    "FSE": "US-OFAC-FSE",
    "SSI": "US-OFAC-SSI",
    "PLC": "US-OFAC-PLC",
    "CAP": "US-OFAC-CAPTA",
    "NS-MBS": "US-OFAC-NS-MBS",
    "CMIC": "US-OFAC-CMIC",
    "DTC": "US-DDTC-DEBARRED",
    "ISN": "US-STATE-ISN",
}

#: OpenSanctions dataset -> policy list id. Any other dataset becomes
#: ``OPENSANCTIONS-<DATASET>`` (``ch_seco_sanctions`` -> ``OPENSANCTIONS-CH-SECO-SANCTIONS``).
OPENSANCTIONS_LISTS: Mapping[str, str] = {
    "us_ofac_sdn": "US-OFAC-SDN",
    "us_ofac_cons": "US-OFAC-CONS",
    "us_bis_denied": "US-BIS-DPL",
    "us_dod_chinese_milcorps": "US-DOD-1260H",
    "eu_fsf": "EU-CONSOLIDATED",
    "gb_hmt_sanctions": "UK-OFSI",
    "un_sc_sanctions": "UN-SC",
}

#: OpenSanctions topics that make a target relevant to screening (a prefix match).
SCREENING_TOPICS: tuple[str, ...] = ("sanction", "export", "debarment")


# -- entries -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ListEntry:
    """One listed party as its list publishes it.

    ``list_id`` is the policy's id of the list (see :data:`CSL_LISTS`);
    ``source`` the publisher's own name for it. ``countries`` are ISO 3166-1
    alpha-2 codes from the entry's addresses and nationalities (empty when the
    format gives none). ``citation`` is the Federal Register notice (CSL) or
    the authority's reference (OpenSanctions). ``kind`` is ``entity``,
    ``individual``, ``vessel``, ``aircraft`` or ``unknown``. ``line`` is where
    the entry starts in its file.
    """

    list_id: str
    source: str
    name: str
    alt_names: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    programs: tuple[str, ...] = ()
    start_date: str | None = None
    citation: str | None = None
    entity_number: str | None = None
    url: str | None = None
    kind: str = "unknown"
    line: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"list": self.list_id, "source": self.source, "name": self.name,
                "alt_names": list(self.alt_names), "countries": list(self.countries),
                "programs": list(self.programs), "start_date": self.start_date,
                "citation": self.citation, "entity_number": self.entity_number, "url": self.url,
                "kind": self.kind}


@dataclass
class ScreeningList:
    """A list file as read: its entries and what an auditor needs to reproduce the screen.

    ``date`` is the list's date (ISO day) and ``date_source`` says where it
    came from: ``policy`` (stated by the analyst), the file's own content, or
    ``file modified`` (the file's modification time, the last resort).
    ``files`` are the files read, each ``(name, sha256)``: the list itself and
    any companion file (OFAC's ``alt.csv``).
    """

    file: str
    sha256: str
    format: str
    entries: list[ListEntry]
    date: str | None = None
    date_source: str | None = None
    files: list[tuple[str, str]] = field(default_factory=list)

    def lists(self) -> dict[str, int]:
        """Entries per list id, sorted by id."""
        counts: dict[str, int] = {}
        for entry in self.entries:
            counts[entry.list_id] = counts.get(entry.list_id, 0) + 1
        return dict(sorted(counts.items()))

    def as_dict(self) -> dict[str, Any]:
        """The metadata recorded in results["screening"]["lists"]."""
        return {"file": self.file, "sha256": self.sha256, "format": self.format,
                "date": self.date, "date_source": self.date_source, "entries": len(self.entries),
                "lists": self.lists(),
                "companion_files": [{"file": f, "sha256": s} for f, s in self.files[1:]]}


def csl_list_id(source: str, default: str | None = "") -> str | None:
    """The policy list id of a CSL ``source`` text.

    Unknown sources give ``default``; with the default ``""`` they give
    ``US-CSL-<abbreviation>`` (``US-CSL-OTHER`` without one).
    """
    found = re.search(r"\(([^)]*)\)", source or "")
    abbreviation = re.sub(r"[^A-Z0-9-]", "", found.group(1).split()[0].upper()) \
        if found and found.group(1).split() else ""
    if abbreviation in CSL_LISTS:
        return CSL_LISTS[abbreviation]
    if default != "":
        return default
    return f"US-CSL-{abbreviation.strip('-') or 'OTHER'}"


def dataset_list_id(dataset: str) -> str:
    """The policy list id of an OpenSanctions dataset name."""
    if dataset in OPENSANCTIONS_LISTS:
        return OPENSANCTIONS_LISTS[dataset]
    return "OPENSANCTIONS-" + (re.sub(r"[^A-Z0-9]+", "-", dataset.upper()).strip("-") or "UNKNOWN")


# -- normalisation -----------------------------------------------------------------------------------

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


def _letters(key: str) -> int:
    return len(key) - key.count(" ")


def _countries(values: Iterable[Any]) -> tuple[str, ...]:
    """ISO alpha-2 codes (upper case, unique, in order) from codes such as ``cn``, ``US-TX``, ``ua-cri``."""
    out: list[str] = []
    for value in values:
        if not isinstance(value, str):
            continue
        code = value.strip().upper().split("-", 1)[0]
        if re.fullmatch(r"[A-Z]{2}", code) and code not in out:
            out.append(code)
    return tuple(out)


def _day(value: Any) -> str | None:
    """An ISO day from ``2025-01-16``, ``2025-01-16T10:00:00`` or ``01/16/2025``; None otherwise."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        return dt.date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        pass
    try:
        return dt.datetime.strptime(text, "%m/%d/%Y").date().isoformat()
    except ValueError:
        return None


# -- readers -----------------------------------------------------------------------------------------

class _Problems:
    """Collects a file's problems; raises once there are too many or at the end."""

    def __init__(self, name: str):
        self.name = name
        self.items: list[Problem] = []

    def add(self, message: str, line: int | None = None, pointer: str = "") -> None:
        self.items.append(Problem(self.name, message, pointer, line))
        if len(self.items) >= MAX_PROBLEMS:
            self.items.append(Problem(self.name, f"stopped after {MAX_PROBLEMS} problems"))
            raise InputError(self.items)

    def check(self) -> None:
        if self.items:
            raise InputError(self.items)


def _text(raw: bytes, name: str, fallback: str | None = None) -> str:
    """UTF-8 text (a byte-order mark is dropped); ``fallback`` encoding when given and UTF-8 fails."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        if fallback:
            return raw.decode(fallback, errors="replace")
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError([Problem(name, f"not UTF-8 text (byte {exc.start} is 0x{raw[exc.start]:02x})",
                                  line=line)]) from None


def _split(value: Any) -> list[str]:
    """A multi-valued CSL field: a JSON list, or CSV text joined with ``;``."""
    if value is None:
        return []
    if isinstance(value, list):
        items = value
    else:
        items = str(value).split(";")
    return [" ".join(str(v).split()) for v in items if isinstance(v, (str, int, float)) and str(v).strip()]


def _text_or_none(value: Any) -> str | None:
    text = " ".join(str(value).split()) if value is not None else ""
    return text or None


def _csl_countries(record: Mapping[str, Any]) -> tuple[str, ...]:
    """Countries of a CSL record: each address's country, then nationalities and citizenships."""
    found: list[str] = []
    addresses = record.get("addresses")
    if isinstance(addresses, list):
        found += [a.get("country") for a in addresses if isinstance(a, Mapping)]
    elif isinstance(addresses, str):
        # CSV: addresses joined by "; ", each ending ", <country code>".
        found += [part.rsplit(",", 1)[-1] for part in addresses.split(";")]
    for key in ("nationalities", "citizenships"):
        found += _split(record.get(key))
    return _countries(found)


_CSL_KINDS = {"individual": "individual", "entity": "entity", "vessel": "vessel", "aircraft": "aircraft"}


def _csl_entry(record: Mapping[str, Any], problems: _Problems, line: int | None, pointer: str
               ) -> ListEntry | None:
    """One CSL record (a CSV row as a dict or a JSON object) -> an entry, or None with a problem."""
    name = " ".join(str(record.get("name") or "").split())
    if not name:
        problems.add("an entry without a name", line, pointer)
        return None
    source = " ".join(str(record.get("source") or "").split())
    if not source:
        problems.add(f"entry {name!r} has no source (the list it is on)", line, pointer)
        return None
    alt = [a for a in _split(record.get("alt_names")) if a != name]
    url = record.get("source_information_url") or record.get("source_list_url")
    return ListEntry(
        list_id=csl_list_id(source) or "", source=source, name=name,
        alt_names=tuple(dict.fromkeys(alt)), countries=_csl_countries(record),
        programs=tuple(_split(record.get("programs"))),
        start_date=_day(record.get("start_date")),
        citation=" ".join(str(record.get("federal_register_notice") or "").split()) or None,
        entity_number=_text_or_none(record.get("entity_number")), url=_text_or_none(url),
        kind=_CSL_KINDS.get(str(record.get("type") or "").strip().lower(), "unknown"), line=line)


def _read_csl_csv(text: str, name: str) -> list[ListEntry]:
    problems = _Problems(name)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except (StopIteration, csv.Error) as exc:
        raise InputError([Problem(name, f"no CSV header: {exc}", line=1)]) from None
    missing = [c for c in ("source", "name") if c not in header]
    if missing:
        raise InputError([Problem(name, "not a Consolidated Screening List CSV: no "
                                        + " or ".join(repr(c) for c in missing) + " column", line=1)])
    entries: list[ListEntry] = []
    start = reader.line_num + 1
    try:
        for row in reader:
            if row and any(cell.strip() for cell in row) and row != ["\x1a"]:
                if len(row) > len(header):
                    problems.add(f"{len(row)} fields, the header has {len(header)}", start)
                else:
                    entry = _csl_entry(dict(zip(header, row)), problems, start, "")
                    if entry:
                        entries.append(entry)
            start = reader.line_num + 1
    except csv.Error as exc:
        problems.add(f"invalid CSV: {exc}", reader.line_num)
    problems.check()
    return entries


def _read_csl_json(text: str, name: str) -> tuple[list[ListEntry], str | None]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError([Problem(name, f"invalid JSON: {exc.msg}", line=exc.lineno, column=exc.colno)]) from None
    if isinstance(data, Mapping) and isinstance(data.get("results"), list):
        results, base = data["results"], "/results"
    elif isinstance(data, list):
        results, base = data, ""
    else:
        raise InputError([Problem(name, "not a Consolidated Screening List JSON: expected "
                                        "{\"results\": [...]} or a list of entries", pointer="/")])
    problems = _Problems(name)
    entries = []
    for i, record in enumerate(results):
        if not isinstance(record, Mapping):
            problems.add("an entry that is not an object", pointer=f"{base}/{i}")
            continue
        entry = _csl_entry(record, problems, None, f"{base}/{i}")
        if entry:
            entries.append(entry)
    problems.check()
    date = None
    if isinstance(data, Mapping) and isinstance(data.get("sources_used"), list):
        days = [_day(s.get(k)) for s in data["sources_used"] if isinstance(s, Mapping)
                for k in ("source_last_updated", "last_imported", "import_rate_date")]
        days = [d for d in days if d]
        date = max(days) if days else None
    return entries, date


_SDN_KINDS = {"individual": "individual", "vessel": "vessel", "aircraft": "aircraft"}
_AKA = re.compile(r"\b[afn]\.k\.a\.,?\s*'([^']+)'", re.I)


def _sdn_value(cell: str) -> str | None:
    value = " ".join(cell.split())
    return None if value in ("", "-0-") else value


def _read_alt_csv(path: Path, display: str) -> tuple[dict[str, list[str]], str]:
    """OFAC's ``alt.csv`` (ent_num, alt_num, alt_type, alt_name, alt_remarks): aliases by ent_num."""
    raw = path.read_bytes()
    problems = _Problems(display)
    out: dict[str, list[str]] = {}
    reader = csv.reader(io.StringIO(_text(raw, display, "cp1252"), newline=""))
    start = 1
    try:
        for row in reader:
            if row and row != ["\x1a"] and any(c.strip() for c in row):
                if len(row) < 4 or not row[0].strip().isdigit():
                    problems.add("not an alt.csv row (ent_num, alt_num, alt_type, alt_name, alt_remarks)", start)
                elif (alias := _sdn_value(row[3])):
                    out.setdefault(row[0].strip(), []).append(alias)
            start = reader.line_num + 1
    except csv.Error as exc:
        problems.add(f"invalid CSV: {exc}", reader.line_num)
    problems.check()
    return out, hashlib.sha256(raw).hexdigest()


def _read_sdn_csv(text: str, name: str) -> list[ListEntry]:
    problems = _Problems(name)
    entries: list[ListEntry] = []
    reader = csv.reader(io.StringIO(text, newline=""))
    start = 1
    try:
        for row in reader:
            if row and row != ["\x1a"] and any(c.strip() for c in row):
                entry = _sdn_entry(row, problems, start)
                if entry:
                    entries.append(entry)
            start = reader.line_num + 1
    except csv.Error as exc:
        problems.add(f"invalid CSV: {exc}", reader.line_num)
    problems.check()
    return entries


def _sdn_entry(row: list[str], problems: _Problems, line: int) -> ListEntry | None:
    """One ``sdn.csv`` row: ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign, Vess_type,
    Tonnage, GRT, Vess_flag, Vess_owner, Remarks; ``-0-`` is OFAC's null."""
    if len(row) != 12:
        problems.add(f"{len(row)} fields; sdn.csv rows have 12 (ent_num, SDN_Name, SDN_Type, Program, "
                     "Title, Call_Sign, Vess_type, Tonnage, GRT, Vess_flag, Vess_owner, Remarks)", line)
        return None
    number = row[0].strip()
    if not number.isdigit():
        problems.add(f"ent_num {number!r} is not a number", line)
        return None
    name = _sdn_value(row[1])
    if not name:
        problems.add(f"entry {number} has no name", line)
        return None
    remarks = _sdn_value(row[11]) or ""
    programs = [p.strip() for p in re.split(r"\]\s*\[", (_sdn_value(row[3]) or "").strip("[] ")) if p.strip()]
    return ListEntry(
        list_id="US-OFAC-SDN", source="Specially Designated Nationals (SDN) - Treasury Department",
        name=name, alt_names=tuple(dict.fromkeys(a.strip() for a in _AKA.findall(remarks) if a.strip())),
        programs=tuple(programs), entity_number=number,
        url=f"https://sanctionssearch.ofac.treas.gov/Details.aspx?id={number}",
        kind=_SDN_KINDS.get((_sdn_value(row[2]) or "").lower(), "entity"), line=line)


_FTM_NAMES = ("name", "alias", "previousName")
_FTM_COUNTRIES = ("country", "jurisdiction", "nationality", "citizenship", "mainCountry",
                  "registrationCountry")
_FTM_KINDS = {"Person": "individual", "Vessel": "vessel", "Airplane": "aircraft"}


def _values(props: Mapping[str, Any], key: str) -> list[str]:
    value = props.get(key)
    return [" ".join(v.split()) for v in value if isinstance(v, str) and v.strip()] \
        if isinstance(value, list) else []


def _read_ftm(path: Path, name: str) -> tuple[list[ListEntry], str | None, str]:
    """OpenSanctions FollowTheMoney JSON lines: targets joined with their Sanction objects.

    Returns the entries, the newest ``last_change`` and the file's sha256 (one pass).
    """
    problems = _Problems(name)
    targets: list[tuple[dict[str, Any], int]] = []
    sanctions: dict[str, list[dict[str, Any]]] = {}
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for line_no, raw in enumerate(fh, 1):
            digest.update(raw)
            if line_no == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw)
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                problems.add(f"invalid JSON line: {getattr(exc, 'msg', exc)}", line_no)
                continue
            if not isinstance(obj, dict) or not isinstance(obj.get("schema"), str) \
                    or not isinstance(obj.get("properties", {}), dict):
                problems.add("not a FollowTheMoney entity (an object with 'schema' and 'properties')",
                             line_no)
                continue
            props = obj.get("properties") or {}
            if obj["schema"] == "Sanction":
                for target in _values(props, "entity"):
                    sanctions.setdefault(target, []).append(obj)
            elif obj.get("target") is True:
                targets.append((obj, line_no))
    problems.check()
    entries: list[ListEntry] = []
    newest: list[str] = []
    for obj, line_no in targets:
        props = obj.get("properties") or {}
        topics = _values(props, "topics")
        if topics and not any(t.startswith(SCREENING_TOPICS) for t in topics):
            continue
        names = list(dict.fromkeys(n for key in _FTM_NAMES for n in _values(props, key)))
        primary = obj.get("caption") if isinstance(obj.get("caption"), str) and obj["caption"].strip() \
            else (names[0] if names else None)
        if not primary:
            problems.add(f"target {obj.get('id')!r} has no name", line_no)
            continue
        if (day := _day(obj.get("last_change"))):
            newest.append(day)
        for list_id, info in _ftm_lists(obj, sanctions.get(str(obj.get("id")), [])).items():
            entries.append(ListEntry(
                list_id=list_id, source=info["source"], name=primary,
                alt_names=tuple(n for n in names if n != primary),
                countries=_countries(c for key in _FTM_COUNTRIES for c in _values(props, key)),
                programs=tuple(dict.fromkeys(info["programs"])), start_date=info["start"],
                citation=info["citation"], entity_number=str(obj.get("id")), url=info["url"]
                or f"https://www.opensanctions.org/entities/{obj.get('id')}/",
                kind=_FTM_KINDS.get(obj["schema"], "entity"), line=line_no))
    problems.check()
    return entries, max(newest) if newest else None, digest.hexdigest()


def _ftm_lists(target: Mapping[str, Any], linked: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The lists a target is on: one per linked Sanction (by authority, else dataset), then per dataset."""
    out: dict[str, dict[str, Any]] = {}
    covered: set[str] = set()
    for sanction in linked:
        props = sanction.get("properties") or {}
        datasets = [d for d in sanction.get("datasets") or () if isinstance(d, str)]
        covered.update(datasets)
        authorities = _values(props, "authority")
        list_id = next((lid for a in authorities if (lid := csl_list_id(a, default=None))), None) \
            or dataset_list_id(datasets[0] if datasets else "unknown")
        info = out.setdefault(list_id, {"source": authorities[0] if authorities else (datasets or ["?"])[0],
                                        "programs": [], "start": None, "citation": None, "url": None})
        info["programs"] += _values(props, "program")
        starts = sorted(d for d in map(_day, _values(props, "startDate") + _values(props, "listingDate")) if d)
        if starts and (info["start"] is None or starts[0] < info["start"]):
            info["start"] = starts[0]
        info["citation"] = info["citation"] or next(iter(_values(props, "authorityId")), None)
        info["url"] = info["url"] or next(iter(_values(props, "sourceUrl")), None)
    for dataset in target.get("datasets") or ():
        if isinstance(dataset, str) and dataset not in covered:
            out.setdefault(dataset_list_id(dataset), {"source": dataset, "programs": [], "start": None,
                                                      "citation": None, "url": None})
    return out


#: The published CSL CSV header; a header with two of these is read as the CSL.
_CSL_COLUMNS = frozenset({
    "_id", "source", "entity_number", "type", "programs", "name", "title", "addresses",
    "federal_register_notice", "start_date", "end_date", "standard_order", "license_requirement",
    "license_policy", "call_sign", "vessel_type", "gross_tonnage", "gross_registered_tonnage",
    "vessel_flag", "vessel_owner", "remarks", "source_list_url", "alt_names", "citizenships",
    "dates_of_birth", "nationalities", "places_of_birth", "source_information_url", "ids"})


def detect_format(head: bytes, suffix: str = "") -> str | None:
    """The format of a list file from its first bytes, or None.

    ``suffix`` (the file name, lower case) settles JSON lines whose first line
    is longer than ``head``: ``.jsonl``, ``.ndjson`` and ``.ftm.json``.
    """
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff").lstrip()
    if not text:
        return None
    first = text.split("\n", 1)[0].strip()
    if first.startswith("{"):
        try:
            obj = json.loads(first)
        except json.JSONDecodeError:
            obj = None
        if (isinstance(obj, dict) and "schema" in obj) or suffix.endswith((".jsonl", ".ndjson", ".ftm.json")):
            return "opensanctions-ftm"
        return "csl-json"
    if first.startswith("["):
        return "csl-json"
    try:
        cells = next(csv.reader([first]))
    except (csv.Error, StopIteration):
        return None
    if len({c.strip().lower() for c in cells} & _CSL_COLUMNS) >= 2:
        return "csl-csv"
    if len(cells) >= 2 and cells[0].strip().isdigit():
        return "ofac-sdn-csv"
    return None


def read_list(path: str | Path, *, display: str | None = None, date: str | None = None) -> ScreeningList:
    """Read one screening list file (format detected from its content).

    ``date`` (an ISO day) is the list's date as the analyst states it; without
    it the date comes from the file (CSL JSON ``sources_used``, the newest
    OpenSanctions ``last_change``), else from the file's modification time.
    Raises InputError naming the file and the line (or pointer) of every
    problem found, up to :data:`MAX_PROBLEMS`.
    """
    path = Path(path)
    name = display or str(path)
    try:
        with path.open("rb") as fh:
            head = fh.read(65536)
        mtime = path.stat().st_mtime
        if not head.strip():
            raise InputError([Problem(name, "the file is empty")])
        kind = detect_format(head, path.name.lower())
        if kind is None:
            raise InputError([Problem(name, "not a screening list vendordd can read: expected the "
                                            "Consolidated Screening List (CSV or JSON), OFAC sdn.csv or an "
                                            "OpenSanctions FollowTheMoney export (JSON lines)", line=1)])
        content_date: str | None = None
        if kind == "opensanctions-ftm":
            entries, content_date, sha = _read_ftm(path, name)
            files = [(name, sha)]
        else:
            raw = path.read_bytes()
            files = [(name, hashlib.sha256(raw).hexdigest())]
            entries, content_date = _parse(kind, raw, path, name, files)
    except OSError as exc:
        raise InputError([Problem(name, f"cannot read: {exc.strerror or exc}")]) from None
    if not entries:
        raise InputError([Problem(name, f"the {kind} file has no entries to screen against")])
    if date:
        day, source = _day(date), "policy"
        if day is None:
            raise InputError([Problem(name, f"list date {date!r} is not a day (YYYY-MM-DD)")])
    elif content_date:
        day, source = content_date, "file content"
    else:
        day, source = dt.datetime.fromtimestamp(mtime, dt.UTC).date().isoformat(), "file modified"
    return ScreeningList(file=name, sha256=files[0][1], format=kind, entries=entries, date=day,
                         date_source=source, files=files)


def _parse(kind: str, raw: bytes, path: Path, name: str, files: list[tuple[str, str]]
           ) -> tuple[list[ListEntry], str | None]:
    """Entries (and the content's date) of a file read whole: the CSL (CSV, JSON) or OFAC's sdn.csv."""
    if kind == "csl-csv":
        return _read_csl_csv(_text(raw, name), name), None
    if kind == "csl-json":
        return _read_csl_json(_text(raw, name), name)
    entries = _read_sdn_csv(_text(raw, name, "cp1252"), name)
    return _with_sdn_aliases(path, name, entries, files), None


def _with_sdn_aliases(path: Path, name: str, entries: list[ListEntry],
                      files: list[tuple[str, str]]) -> list[ListEntry]:
    """Add the aliases of OFAC's ``alt.csv`` when it sits beside ``sdn.csv``."""
    if path.name.lower() != "sdn.csv":
        return entries
    alt = next((p for p in path.parent.iterdir() if p.name.lower() == "alt.csv" and p.is_file()), None)
    if alt is None:
        return entries
    alt_name = str(Path(name).with_name(alt.name))
    try:
        aliases, sha = _read_alt_csv(alt, alt_name)
    except OSError as exc:
        raise InputError([Problem(alt_name, f"cannot read: {exc.strerror or exc}")]) from None
    files.append((alt_name, sha))
    out = []
    for entry in entries:
        extra = [a for a in aliases.get(entry.entity_number or "", []) if a not in entry.alt_names]
        out.append(replace(entry, alt_names=(*entry.alt_names, *extra)) if extra else entry)
    return out


# -- matching ----------------------------------------------------------------------------------------

STRENGTHS: tuple[str, ...] = ("strong", "potential")


@dataclass(frozen=True)
class Match:
    """A vendor name that matched a listed name.

    ``score`` is rapidfuzz's token-sort ratio (0-100) of the two normalised
    names; ``basis`` is ``exact`` (the normalised names are equal), ``fuzzy``
    (score at or above the potential threshold) or ``contains`` (one name's
    words all occur in the other: a corporate family or a shortened name).
    ``country`` is ``corroborated`` (a vendor country is among the entry's),
    ``contradicted`` (both sides give countries and none is shared) or
    ``unknown``. ``strength``: ``strong`` for an exact match whose country is
    not contradicted or a fuzzy one at or above the strong threshold with the
    country corroborated; ``potential`` for everything else.
    """

    vendor_name: str
    listed_name: str
    entry: ListEntry
    score: float
    basis: str
    strength: str
    country: str

    def as_dict(self) -> dict[str, Any]:
        e = self.entry
        return {"vendor_name": self.vendor_name, "listed_name": self.listed_name, "entry_name": e.name,
                "list": e.list_id, "source": e.source, "score": self.score, "basis": self.basis,
                "strength": self.strength, "country": self.country, "entry_countries": list(e.countries),
                "programs": list(e.programs), "citation": e.citation, "start_date": e.start_date,
                "entity_number": e.entity_number, "kind": e.kind, "url": e.url}

    def describe(self) -> str:
        """One line: both names, score, basis, country, programmes, citation, start date."""
        e = self.entry
        listed = repr(self.listed_name) if self.listed_name == e.name \
            else f"{self.listed_name!r} (listed as {e.name!r})"
        basis = {"exact": "exact match after normalisation", "fuzzy": "similar name",
                 "contains": "one name contains the other"}[self.basis]
        country = {"corroborated": "country corroborated",
                   "contradicted": "countries differ (listed: " + ", ".join(e.countries) + ")",
                   "unknown": "country not compared"}[self.country]
        facts = [f"score {self.score:g}", basis, country,
                 "programme " + ", ".join(e.programs) if e.programs else "no programme stated",
                 e.citation or "no Federal Register citation",
                 f"since {e.start_date}" if e.start_date else "start date not stated"]
        return f"vendor name {self.vendor_name!r} ~ listed {listed} ({'; '.join(facts)})"


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
        self._build()

    @classmethod
    def from_policy(cls, lists: Sequence[ScreeningList], policy: Mapping[str, Any]) -> Screener:
        """A screener with the thresholds, containment switch and clearances of ``policy.screening``."""
        conf = policy.get("screening") if isinstance(policy.get("screening"), Mapping) else {}
        return cls(lists, strong_threshold=conf.get("strong_threshold", DEFAULT_STRONG_THRESHOLD),
                   potential_threshold=conf.get("potential_threshold", DEFAULT_POTENTIAL_THRESHOLD),
                   contained_names=conf.get("contained_names", True),
                   exhaustive=conf.get("exhaustive", False),
                   clearances=conf.get("clearances") or ())

    def _build(self) -> None:
        """The index: unique normalised keys, their owners, a fuzzy array and word postings."""
        from rapidfuzz import fuzz, process

        self._fuzz, self._process = fuzz, process
        ids: dict[str, int] = {}
        self._keys: list[str] = []
        self._owners: list[dict[int, str]] = []  # key -> {entry index: the listed name}
        for ei, entry in enumerate(self.entries):
            for listed in (entry.name, *entry.alt_names):
                for variant in name_variants(listed):
                    key = normalise(variant)
                    if not key:
                        continue
                    ki = ids.setdefault(key, len(self._keys))
                    if ki == len(self._keys):
                        self._keys.append(key)
                        self._owners.append({})
                    self._owners[ki].setdefault(ei, listed)
        self._ids = ids
        # Fuzzy candidates (short keys match exactly only): by block, or all of
        # them sorted by length for the exhaustive comparison.
        fuzzy = [ki for ki, key in enumerate(self._keys) if _letters(key) >= MIN_FUZZY_LETTERS]
        self._blocks: dict[str, tuple[list[int], list[str]]] = {}  # block -> (key ids, keys)
        for ki in fuzzy:
            for block in _blocks(self._keys[ki]):
                ids, keys = self._blocks.setdefault(block, ([], []))
                ids.append(ki)
                keys.append(self._keys[ki])
        self._by_length = sorted(fuzzy, key=lambda ki: len(self._keys[ki]))
        self._length_keys = [self._keys[ki] for ki in self._by_length]
        self._lengths = [len(k) for k in self._length_keys]
        self._words = [frozenset(k.split()) for k in self._keys]
        self._postings: dict[str, set[int]] = {}
        for ki, key_words in enumerate(self._words):
            if any(self.entries[ei].kind != "individual" for ei in self._owners[ki]):
                for word in key_words:
                    self._postings.setdefault(word, set()).add(ki)
        # Each key filed once, under its rarest word: finding the listed names
        # contained in a vendor name then touches few keys.
        self._by_rarest: dict[str, list[int]] = {}
        for ki in sorted({k for keys in self._postings.values() for k in keys}):
            if _letters(self._keys[ki]) >= MIN_FUZZY_LETTERS:
                rarest = min(self._words[ki], key=lambda w: (len(self._postings[w]), w))
                self._by_rarest.setdefault(rarest, []).append(ki)

    def _contained(self, key: str) -> set[int]:
        """Keys whose words all occur in ``key``, and keys containing all of ``key``'s words."""
        query = frozenset(key.split())
        found = {ki for word in query for ki in self._by_rarest.get(word, ())
                 if self._words[ki] <= query and self._keys[ki] != key}
        if _letters(key) >= MIN_FUZZY_LETTERS and all(w in self._postings for w in query):
            postings = sorted((self._postings[w] for w in query), key=len)
            if len(query) >= 2 or len(postings[0]) <= MAX_CONTAINED_WORD_NAMES:
                found |= {ki for ki in set.intersection(*postings) if self._keys[ki] != key}
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
        wanted = _countries([countries] if isinstance(countries, str) else (countries or ()))
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
            lo, hi = _length_window(len(key), cutoff)
            start = bisect.bisect_left(self._lengths, lo)
            stop = bisect.bisect_right(self._lengths, hi)
            return [(self._by_length[start + i], score) for _c, score, i in extract(
                key, self._length_keys[start:stop], scorer=self._fuzz.ratio, processor=None,
                score_cutoff=cutoff, limit=None)]
        found: dict[int, float] = {}
        # One C call per block over its prebuilt array; a key in several blocks is scored again.
        for block in _blocks(key):
            ids, keys = self._blocks.get(block, ((), ()))
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
        if _letters(key) >= MIN_FUZZY_LETTERS:
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
            expires = _day(str(entry.get("expires") or ""))
            if expires is not None and expires < as_of.isoformat():
                note = (f"the clearance of {match.entry.name!r} on {match.entry.list_id} expired on "
                        f"{expires} and was ignored")
                continue
            return entry, None
        return None, note

    def summary(self) -> dict[str, Any]:
        """What was screened against: thresholds and the lists' metadata."""
        return {"strong_threshold": self.strong_threshold, "potential_threshold": self.potential_threshold,
                "contained_names": self.contained_names, "exhaustive": self.exhaustive,
                "entries": len(self.entries),
                "lists": [lst.as_dict() for lst in self.lists]}


# -- a run's screener ----------------------------------------------------------------------------------

def policy_lists(policy: Mapping[str, Any]) -> list[tuple[str, str | None]]:
    """The policy's ``screening.lists`` as (path, stated date or None)."""
    conf = policy.get("screening") if isinstance(policy.get("screening"), Mapping) else {}
    out: list[tuple[str, str | None]] = []
    for item in conf.get("lists") or ():
        if isinstance(item, str):
            out.append((item, None))
        elif isinstance(item, Mapping) and isinstance(item.get("path"), str):
            out.append((item["path"], item.get("date")))
    return out


def load_screening(paths: Iterable[str], policy: Mapping[str, Any], as_of: dt.date
                   ) -> tuple[Screener | None, list[str]]:
    """The run's screener (None without any list) and warnings about stale or future-dated lists.

    ``paths`` are the ``--screening-list`` files; the policy's
    ``screening.lists`` are added (a file named twice is read once). Every
    bad file's problems are raised together as one InputError.
    """
    wanted: dict[Path, tuple[str, str | None]] = {}
    for path, date in [*((p, None) for p in paths), *policy_lists(policy)]:
        key = Path(path).resolve()
        if key not in wanted or (date and not wanted[key][1]):
            wanted[key] = (path, date or (wanted[key][1] if key in wanted else None))
    if not wanted:
        return None, []
    lists, problems = [], []
    for path, date in wanted.values():
        try:
            lists.append(read_list(path, date=date))
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    conf = policy.get("screening") if isinstance(policy.get("screening"), Mapping) else {}
    max_age = int(conf.get("max_age_days", DEFAULT_MAX_AGE_DAYS))
    warnings = []
    for lst in lists:
        day = dt.date.fromisoformat(lst.date) if lst.date else None
        if day is None:
            continue
        age = (as_of - day).days
        if age > max_age:
            warnings.append(f"screening list {lst.file} is dated {lst.date} ({lst.date_source}), {age} days "
                            f"before the assessment date {as_of}: lists change weekly; screen against a "
                            f"current download")
        elif age < 0:
            warnings.append(f"screening list {lst.file} is dated {lst.date} ({lst.date_source}), after the "
                            f"assessment date {as_of}: entries added later are ignored by their start date "
                            f"only where the list gives one")
    return Screener.from_policy(lists, policy), warnings


def vendor_names(profile: Mapping[str, Any]) -> tuple[list[tuple[str, str]], list[str]]:
    """The names a profile is screened under, each with its role, and its countries.

    Names: ``vendor.name`` (``name``), ``legal_name``, each of ``aliases``
    (``alias``) and ``subsidiaries`` (``subsidiary``), without repeats.
    Countries: ``vendor.headquarters`` and ``geopolitics.jurisdictions``.
    """
    vendor = profile.get("vendor") if isinstance(profile.get("vendor"), Mapping) else {}
    names: dict[str, str] = {}
    for key, role in (("name", "name"), ("legal_name", "legal name")):
        if isinstance(vendor.get(key), str) and vendor[key].strip():
            names.setdefault(vendor[key].strip(), role)
    for key, role in (("aliases", "alias"), ("subsidiaries", "subsidiary")):
        values = vendor.get(key) if isinstance(vendor.get(key), list) else []
        for value in values:
            if isinstance(value, str) and value.strip():
                names.setdefault(value.strip(), role)
    geo = profile.get("geopolitics") if isinstance(profile.get("geopolitics"), Mapping) else {}
    jurisdictions = geo.get("jurisdictions") if isinstance(geo.get("jurisdictions"), list) else []
    places = [vendor.get("headquarters"), *jurisdictions]
    return list(names.items()), list(_countries(places))
