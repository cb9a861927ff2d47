"""Merging collected facts into a profile without touching the analyst's.

The rules (docs/collect.md, "Merging into a profile"):

- A fact or source the profile does not have is **added**, with its
  ``x-collected`` mark.
- A fact the same collector wrote earlier for the same target (it still
  carries the mark) is the collector's own: it is **refreshed** with the new
  values. Removing the mark makes a fact the analyst's.
- A fact the analyst entered (no mark) that the collected one matches
  (same release name, same person, ...) is **never changed**: each field
  whose values disagree is a **conflict**, reported and left for the
  analyst. Dates agree when one contains the other (``2024-09`` and
  ``2024-09-19``).
- A collected fact of an earlier run that the source no longer shows is
  **kept** and reported: absence at the source is not evidence (a model may
  have been made private, renamed or moved).
- A collected source whose URL the profile already cites under another id
  is not added twice: the collected facts cite the analyst's id.

The result records the run in the profile's root ``x-collected`` list (the
last :data:`MAX_RUNS`) and in the ``notes`` of each section it touched.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from . import MARK
from .families import family_key, release_family

#: Fields that identify the same fact in a list, per list (else every plain field).
IDENTITY: dict[str, tuple[str, ...]] = {
    "open_source.releases": ("name",),
    "open_source.commitments": ("statement",),
    "leadership.key_people": ("name",),
    "leadership.events": ("date", "type"),
    "compute.accelerators": ("type", "owned"),
    "compute.capex_commitments": ("announced", "amount_usd"),
    "compute.supply_constraints": ("type", "summary"),
    "geopolitics.sanctions": ("list",),
    "geopolitics.government_restrictions": ("jurisdiction", "date"),
    "geopolitics.data_residency": ("region",),
}
#: Fields never compared (they describe the fact rather than state it).
NOT_COMPARED = frozenset({"notes", "sources"})
DATE_FIELDS = frozenset({"date", "as_of", "joined", "left", "since", "announced", "published", "accessed"})
MAX_RUNS = 20


@dataclass
class MergeReport:
    """What a merge did, one line per fact."""

    added: list[str] = field(default_factory=list)
    refreshed: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{len(self.added)} added, {len(self.refreshed)} refreshed, "
                f"{len(self.conflicts)} conflict(s) left for the analyst, "
                f"{len(self.kept)} earlier collected fact(s) no longer at the source kept")


def _is_mine(node: Any, collector: str, target: str | None) -> bool:
    m = node.get(MARK) if isinstance(node, Mapping) else None
    return (isinstance(m, Mapping) and m.get("source") == collector
            and (target is None or m.get("target") in (None, target)))


def _plain(node: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in node.items() if not k.startswith("x-")}


def _norm(value: Any) -> Any:
    return family_key(value) if isinstance(value, str) else value


def _label(node: Mapping[str, Any]) -> str:
    for key in ("name", "statement", "list", "type", "region", "summary"):
        if isinstance(node.get(key), str):
            return repr(node[key][:60])
    return ""


def dates_agree(a: str, b: str) -> bool:
    """True when one ISO date (day, month or year) contains the other."""
    return a.startswith(b) or b.startswith(a)


def _values_agree(key: str, a: Any, b: Any) -> bool:
    if key in DATE_FIELDS and isinstance(a, str) and isinstance(b, str):
        return dates_agree(a, b)
    if key == "license" and isinstance(a, str) and isinstance(b, str):
        return a.lower() == b.lower()  # SPDX ids (LicenseRef- ones too) match case-insensitively
    return a == b


class _Merger:
    def __init__(self, collector: str, target: str, report: MergeReport) -> None:
        self.collector, self.target, self.report = collector, target, report
        self.new_sources: list[str] = []  # ids of the sources this merge added

    def compare(self, old: Mapping[str, Any], new: Mapping[str, Any], where: str,
                skip: frozenset[str] = frozenset()) -> None:
        """Report each field the analyst's fact and the collected one disagree on.

        Figures measured on different dates (``as_of``) are one line: newer
        figures are not a contradiction, but replacing the analyst's is theirs to do.
        """
        if isinstance(old.get("as_of"), str) and isinstance(new.get("as_of"), str) \
                and not dates_agree(old["as_of"], new["as_of"]):
            def figures(node: Mapping[str, Any]) -> str:
                return ", ".join(f"{k} {v!r}" for k, v in _plain(node).items()
                                 if k not in NOT_COMPARED and k != "as_of")

            self.report.conflicts.append(
                f"{where}: the profile has figures as of {old['as_of']} ({figures(old)}), {self.collector} "
                f"has figures as of {new['as_of']} ({figures(new)}); left as it is")
            return
        for key, value in _plain(new).items():
            if key in NOT_COMPARED or key in skip or key not in old:
                continue
            if isinstance(value, dict):
                differs = not isinstance(old[key], Mapping) or _plain(old[key]) != _plain(value)
            else:
                differs = not _values_agree(key, old[key], value)
            if differs:
                self.report.conflicts.append(f"{where}/{key}: the profile has {old[key]!r}, "
                                             f"{self.collector} has {value!r}; left as it is")

    def node(self, old: dict[str, Any], new: Mapping[str, Any], path: str) -> None:
        for key, value in new.items():
            if key.startswith("x-"):
                continue
            where = f"{path}/{key}"
            dotted = where.strip("/").replace("/", ".")
            if key not in old:
                old[key] = copy.deepcopy(value)
                self.report.added.append(f"{where} {_label(value) if isinstance(value, Mapping) else ''}".rstrip())
            elif isinstance(value, list) and isinstance(old[key], list):
                self.list(old[key], value, where, dotted)
            elif isinstance(value, Mapping) and isinstance(old[key], dict):
                if MARK in value:
                    self.fact(old, key, value, where)
                else:
                    self.node(old[key], value, where)
            elif not _values_agree(key, old[key], value):
                self.report.conflicts.append(f"{where}: the profile has {old[key]!r}, "
                                             f"{self.collector} has {value!r}; left as it is")

    def fact(self, parent: dict[str, Any], key: str, new: Mapping[str, Any], where: str) -> None:
        old = parent[key]
        if _is_mine(old, self.collector, self.target):
            if _plain(old) != _plain(new):
                self.report.refreshed.append(where)
            parent[key] = copy.deepcopy(dict(new))
        else:
            self.compare(old, new, where)

    def _aliases(self, item: Mapping[str, Any]) -> set[str]:
        m = item.get(MARK) or {}
        names: set[str] = set()
        for repo in m.get("repositories") or () if isinstance(m, Mapping) else ():
            if isinstance(repo, str):
                names.add(family_key(repo))
                names.add(family_key(repo.rsplit("/", 1)[-1]))
        return names

    def _identity(self, item: Mapping[str, Any], dotted: str) -> tuple[Any, ...]:
        keys = IDENTITY.get(dotted) or tuple(sorted(k for k, v in _plain(item).items()
                                                    if k not in NOT_COMPARED and not isinstance(v, (dict, list))))
        return tuple((k, _norm(item.get(k))) for k in keys)

    def _family(self, item: Mapping[str, Any]) -> str | None:
        m = item.get(MARK)
        fam = m.get("family") if isinstance(m, Mapping) else None
        return family_key(fam) if isinstance(fam, str) and fam else None

    def _pairs(self, old: list[Any], new: list[Any], dotted: str) -> dict[int, tuple[int, str]]:
        """``{new index: (old index, how)}``, strongest evidence first, each old fact used once.

        How, in order: ``identity`` (same name, or the list's identity fields);
        ``repository`` (an analyst release named after one of the collected
        release's repositories); ``family+licence`` and ``family`` (an analyst
        release whose name, without sizes, brackets and words such as
        "updates" or "models", is the collected family; one with the same
        licence first, so that a family split by licence pairs each part
        with the analyst's release of that licence).
        """
        pairs: dict[int, tuple[int, str]] = {}
        used: set[int] = set()
        olds = [(i, e) for i, e in enumerate(old) if isinstance(e, Mapping)]
        news = [(j, n) for j, n in enumerate(new) if isinstance(n, Mapping)]

        def assign(how: str, test: Any) -> None:
            for j, item in news:
                if j in pairs:
                    continue
                for i, existing in olds:
                    if i not in used and test(existing, item):
                        pairs[j] = (i, how)
                        used.add(i)
                        break

        assign("identity", lambda e, n: self._identity(e, dotted) == self._identity(n, dotted))

        def by_repository(e: Mapping[str, Any], n: Mapping[str, Any]) -> bool:
            name = e.get("name")
            return isinstance(name, str) and family_key(name) in self._aliases(n)

        assign("repository", by_repository)

        def same_family(e: Mapping[str, Any], n: Mapping[str, Any]) -> bool:
            fam, name = self._family(n), e.get("name")
            return fam is not None and isinstance(name, str) and family_key(release_family(name)) == fam

        assign("family+licence", lambda e, n: same_family(e, n) and _values_agree(
            "license", e.get("license"), n.get("license")))
        assign("family", same_family)
        return pairs

    def list(self, old: list[Any], new: list[Any], where: str, dotted: str) -> None:
        pairs = self._pairs(old, new, dotted)
        matched = {i for i, _ in pairs.values()}
        for j, item in enumerate(new):
            if not isinstance(item, Mapping):
                if item not in old:
                    old.append(copy.deepcopy(item))
                    self.report.added.append(f"{where}: {item!r}")
                continue
            if j not in pairs:
                old.append(copy.deepcopy(dict(item)))
                matched.add(len(old) - 1)
                self.report.added.append(f"{where}/{len(old) - 1} {_label(item)}".rstrip())
                continue
            hit, how = pairs[j]
            existing = old[hit]
            place = f"{where}/{hit} {_label(existing)}".rstrip()
            if _is_mine(existing, self.collector, self.target):
                if _plain(existing) != _plain(item):
                    self.report.refreshed.append(place)
                old[hit] = copy.deepcopy(dict(item))
            else:
                # Matched by a repository or the family, not the name: the analyst's release
                # may be one checkpoint or a differently named group, so the family's earliest
                # repository date is not comparable with its date, nor the names.
                self.compare(existing, item, place,
                             skip=frozenset() if how == "identity" else frozenset({"date", "name"}))
        for i, existing in enumerate(old):
            if i not in matched and _is_mine(existing, self.collector, self.target):
                self.report.kept.append(f"{where}/{i} {_label(existing)}: collected earlier, "
                                        f"not at the source now; left as it is".replace("  ", " "))


def _sources(profile: dict[str, Any], fragment: dict[str, Any], merger: _Merger) -> dict[str, str]:
    """Merge ``sources``; returns collected id -> id to cite in the profile."""
    existing: list[dict[str, Any]] = profile.setdefault("sources", [])
    by_id = {s.get("id"): i for i, s in enumerate(existing) if isinstance(s, Mapping)}
    by_url = {s.get("url"): s.get("id") for s in existing if isinstance(s, Mapping) and not _is_mine(
        s, merger.collector, merger.target)}
    rename: dict[str, str] = {}
    taken = set(by_id)
    for src in fragment.get("sources") or ():
        sid = src["id"]
        if sid in by_id and _is_mine(existing[by_id[sid]], merger.collector, merger.target):
            if _plain(existing[by_id[sid]]) != _plain(src):
                merger.report.refreshed.append(f"/sources/{by_id[sid]} {sid!r}")
            existing[by_id[sid]] = copy.deepcopy(src)
            continue
        if src.get("url") in by_url:
            rename[sid] = str(by_url[src["url"]])
            continue
        new_id, n = sid, 2
        while new_id in taken:
            new_id, n = f"{sid}-{n}"[:64], n + 1
        taken.add(new_id)
        if new_id != sid:
            rename[sid] = new_id
        existing.append({**copy.deepcopy(src), "id": new_id})
        merger.new_sources.append(new_id)
    return rename


def _recite(node: Any, rename: Mapping[str, str]) -> Any:
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            if k == "sources" and isinstance(v, list):
                out[k] = list(dict.fromkeys(rename.get(s, s) if isinstance(s, str) else s for s in v))
            else:
                out[k] = _recite(v, rename)
        return out
    if isinstance(node, list):
        return [_recite(v, rename) for v in node]
    return node


def _cited(node: Any, out: set[str]) -> set[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key.startswith("x-"):
                continue
            if key == "sources" and isinstance(value, list):
                out.update(v for v in value if isinstance(v, str))
            else:
                _cited(value, out)
    elif isinstance(node, list):
        for value in node:
            _cited(value, out)
    return out


def _drop_uncited(result: dict[str, Any], merger: _Merger) -> None:
    """Leave out the sources this merge added that no fact cites, and report the rest as added.

    A collected release that matched the analyst's is not added, and the
    analyst's fact is not changed to cite the collected page: its source
    would be cited by nothing.
    """
    cited = _cited({k: v for k, v in result.items() if k != "sources"}, set())
    new = set(merger.new_sources)
    kept = [s for s in result.get("sources") or [] if not (isinstance(s, Mapping) and s.get("id") in new
                                                           and s.get("id") not in cited)]
    result["sources"] = kept
    for i, src in enumerate(kept):
        if isinstance(src, Mapping) and src.get("id") in new:
            merger.report.added.append(f"/sources/{i} {src['id']!r}")


def note_line(collector: str, target: str, day: dt.date, text: str) -> str:
    return f"vendordd collect {collector} {target}, {day.isoformat()}: {text}"


def _set_note(section: dict[str, Any], collector: str, target: str, line: str) -> None:
    prefix = f"vendordd collect {collector} {target},"
    lines = [ln for ln in str(section.get("notes") or "").splitlines() if not ln.startswith(prefix)]
    lines.append(line)
    while len("\n".join(lines)) > 2000 and len(lines) > 1:
        lines.pop(next((i for i, ln in enumerate(lines) if ln.startswith("vendordd collect ")), 0))
    section["notes"] = "\n".join(lines)[:2000]


def merge(profile: Mapping[str, Any], fragment: Mapping[str, Any], *, collector: str, target: str,
          day: dt.date, summary: str) -> tuple[dict[str, Any], MergeReport]:
    """``profile`` with ``fragment`` merged in (a new dict), and what was done.

    ``profile`` is not modified. See the module docstring for the rules.
    """
    result = copy.deepcopy(dict(profile))
    report = MergeReport()
    merger = _Merger(collector, target, report)
    frag = copy.deepcopy(dict(fragment))
    rename = _sources(result, frag, merger)
    frag = _recite({k: v for k, v in frag.items() if k != "sources"}, rename)
    touched = []
    for key, value in frag.items():
        if key.startswith("x-"):
            continue
        if key not in result:
            result[key] = value
            report.added.append(f"/{key}")
        elif isinstance(value, Mapping) and isinstance(result[key], dict):
            merger.node(result[key], value, f"/{key}")
        elif result[key] != value:
            report.conflicts.append(f"/{key}: the profile has {result[key]!r}, {collector} has {value!r}; "
                                    f"left as it is")
        if isinstance(result.get(key), dict):
            touched.append(key)
    _drop_uncited(result, merger)
    line = note_line(collector, target, day, f"{summary}. Merge: {report.summary()}.")
    for key in touched:
        if key not in ("vendor", "extensions"):
            _set_note(result[key], collector, target, line[:2000])
    runs = [r for r in result.get(MARK) or [] if isinstance(r, Mapping)] if isinstance(
        result.get(MARK), list) else []
    runs.append({"source": collector, "target": target, "date": day.isoformat(),
                 "summary": summary, "added": len(report.added), "refreshed": len(report.refreshed),
                 "conflicts": report.conflicts[:50], "kept": len(report.kept)})
    result[MARK] = runs[-MAX_RUNS:]
    return result, report
