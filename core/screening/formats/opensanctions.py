"""OpenSanctions' FollowTheMoney entity export (JSON lines): targets joined with their Sanction objects.

Only ``target: true`` entities whose topics include ``sanction*``,
``export*`` or ``debarment`` (or that have no topics) are read; politically
exposed persons and the like are left out.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ..fields import country_codes, iso_day
from ..list_ids import csl_list_id, dataset_list_id
from ..model import ListEntry
from .base import Head, ListFormat, ListRead, ListSource, Problems

#: OpenSanctions topics that make a target relevant to screening (a prefix match).
SCREENING_TOPICS: tuple[str, ...] = ("sanction", "export", "debarment")

_NAMES = ("name", "alias", "previousName")
_COUNTRIES = ("country", "jurisdiction", "nationality", "citizenship", "mainCountry",
              "registrationCountry")
_KINDS = {"Person": "individual", "Vessel": "vessel", "Airplane": "aircraft"}
_SUFFIXES = (".jsonl", ".ndjson", ".ftm.json")


def detect(head: Head) -> bool:
    """A first line that is a JSON object with a ``schema`` key, or a ``.jsonl``/``.ndjson``/``.ftm.json`` file
    starting with an object."""
    if not head.first_line.startswith("{"):
        return False
    if head.suffix.endswith(_SUFFIXES):
        return True
    try:
        obj = json.loads(head.first_line)
    except json.JSONDecodeError:
        return False
    return isinstance(obj, dict) and "schema" in obj


#: What is kept of each entity until targets and sanctions are joined (an export holds much more).
_TARGET_PROPERTIES = (*_NAMES, *_COUNTRIES, "topics")
_SANCTION_PROPERTIES = ("entity", "authority", "program", "startDate", "listingDate", "authorityId", "sourceUrl")
_KEYS = ("id", "schema", "caption", "target", "datasets", "last_change")


def _kept(obj: dict[str, Any], properties: tuple[str, ...]) -> dict[str, Any]:
    props = obj.get("properties") or {}
    return {**{k: obj[k] for k in _KEYS if k in obj},
            "properties": {k: props[k] for k in properties if k in props}}


def _values(props: Mapping[str, Any], key: str) -> list[str]:
    value = props.get(key)
    return [" ".join(v.split()) for v in value if isinstance(v, str) and v.strip()] \
        if isinstance(value, list) else []


def read(source: ListSource) -> ListRead:
    """The entries, the newest ``last_change`` and the file's sha256, in one pass over the lines.

    Only the fields screening uses are kept of each entity until targets and
    their Sanction objects are joined, so memory grows with the entries, not
    with the export's size.
    """
    name = source.name
    problems = Problems(name)
    targets: list[tuple[dict[str, Any], int]] = []
    sanctions: dict[str, list[dict[str, Any]]] = {}
    for line_no, raw in enumerate(source.binary_lines(), 1):
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
                sanctions.setdefault(target, []).append(_kept(obj, _SANCTION_PROPERTIES))
        elif obj.get("target") is True:
            targets.append((_kept(obj, _TARGET_PROPERTIES), line_no))
    problems.check()
    entries: list[ListEntry] = []
    newest: list[str] = []
    for obj, line_no in targets:
        props = obj.get("properties") or {}
        topics = _values(props, "topics")
        if topics and not any(t.startswith(SCREENING_TOPICS) for t in topics):
            continue
        names = list(dict.fromkeys(n for key in _NAMES for n in _values(props, key)))
        primary = obj.get("caption") if isinstance(obj.get("caption"), str) and obj["caption"].strip() \
            else (names[0] if names else None)
        if not primary:
            problems.add(f"target {obj.get('id')!r} has no name", line_no)
            continue
        if (day := iso_day(obj.get("last_change"))):
            newest.append(day)
        for list_id, info in _lists(obj, sanctions.get(str(obj.get("id")), [])).items():
            entries.append(ListEntry(
                list_id=list_id, source=info["source"], name=primary,
                alt_names=tuple(n for n in names if n != primary),
                countries=country_codes(c for key in _COUNTRIES for c in _values(props, key)),
                programs=tuple(dict.fromkeys(info["programs"])), start_date=info["start"],
                citation=info["citation"], entity_number=str(obj.get("id")), url=info["url"]
                or f"https://www.opensanctions.org/entities/{obj.get('id')}/",
                kind=_KINDS.get(obj["schema"], "entity"), line=line_no))
    problems.check()
    return ListRead(entries, max(newest) if newest else None, [(name, source.sha256)])


def _lists(target: Mapping[str, Any], linked: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
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
        starts = sorted(d for d in map(iso_day, _values(props, "startDate") + _values(props, "listingDate"))
                        if d)
        if starts and (info["start"] is None or starts[0] < info["start"]):
            info["start"] = starts[0]
        info["citation"] = info["citation"] or next(iter(_values(props, "authorityId")), None)
        info["url"] = info["url"] or next(iter(_values(props, "sourceUrl")), None)
    for dataset in target.get("datasets") or ():
        if isinstance(dataset, str) and dataset not in covered:
            out.setdefault(dataset_list_id(dataset), {"source": dataset, "programs": [], "start": None,
                                                      "citation": None, "url": None})
    return out


FORMAT = ListFormat("opensanctions-ftm", "an OpenSanctions FollowTheMoney export (JSON lines)", detect, read)
