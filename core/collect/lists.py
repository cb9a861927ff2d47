"""``vendordd collect lists``: the official list files, downloaded with their date and sha256.

For each list asked for (``--list US-CSL``), every file of the list is
downloaded into a staging folder inside ``DIR``, checked (complete, and
readable by ``vendordd.screening.read_list`` as a list it knows), and only
when every list asked for has been fetched and checked are the files moved
into place:

- ``DIR/<file>``: the current copy, the path to give ``--screening-list``;
  its modification time is set to the list's publication date (the
  ``Last-Modified`` the publisher sent, else the download day), which is
  the date screening records when the file states none;
- ``DIR/previous/<file>``: the copy it replaced, kept so that an earlier run
  can still be reproduced and the two compared;
- ``DIR/vendordd-lists.json``: the manifest: per list, each file's URL,
  sha256, size, publication date (and where it came from), download time,
  and the same for the previous copy.

A file whose sha256 equals the current copy's is *unchanged*: the current
copy, its date and the previous copy stay as they are. Any failure
(offline, an HTTP error after the retries, a truncated or unreadable file)
leaves ``DIR`` exactly as it was.

Which lists exist and where they are is configuration, not judgement:
:data:`DEFAULT_LISTS` holds the publishers' addresses as documented when
this was written; the policy's ``collect.lists`` replaces or adds entries.
Which lists a buyer is bound by stays the policy's ``buyer.bound_by_lists``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import CollectError
from .download import Downloaded, download

MANIFEST = "vendordd-lists.json"
PREVIOUS = "previous"

#: Download addresses by list id (policy ``collect.lists`` overrides). The first file is the list;
#: later files are companions read with it (OFAC's alt.csv beside sdn.csv).
DEFAULT_LISTS: dict[str, dict[str, Any]] = {
    "US-CSL": {
        "title": "US Consolidated Screening List (International Trade Administration)",
        "files": [{"name": "consolidated.csv",
                   "url": "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv"}],
    },
    "US-OFAC-SDN": {
        "title": "OFAC Specially Designated Nationals list (US Treasury), legacy CSV files",
        "files": [{"name": "sdn.csv",
                   "url": "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/SDN.CSV"},
                  {"name": "alt.csv",
                   "url": "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/ALT.CSV"}],
    },
    "OPENSANCTIONS-SANCTIONS": {
        "title": "OpenSanctions consolidated sanctions (check OpenSanctions' licence before commercial use)",
        "files": [{"name": "opensanctions-sanctions.ftm.json",
                   "url": "https://data.opensanctions.org/datasets/latest/sanctions/entities.ftm.json"}],
    },
    "OPENSANCTIONS-DEFAULT": {
        "title": "OpenSanctions default collection (large; needs a licence for commercial use)",
        "files": [{"name": "opensanctions-default.ftm.json",
                   "url": "https://data.opensanctions.org/datasets/latest/default/entities.ftm.json"}],
    },
}


@dataclass
class ListFileResult:
    name: str
    url: str
    sha256: str
    size: int
    published: str
    published_source: str  # "Last-Modified" | "downloaded"
    status: str  # new | updated | unchanged
    previous_sha256: str | None = None


@dataclass
class ListResult:
    list_id: str
    files: list[ListFileResult] = field(default_factory=list)
    entries: int | None = None

    @property
    def status(self) -> str:
        states = {f.status for f in self.files}
        return "unchanged" if states == {"unchanged"} else ("new" if states == {"new"} else "updated")


def configured_lists(policy: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The list definitions: the defaults, replaced or extended by the policy's ``collect.lists``."""
    out = {k: dict(v) for k, v in DEFAULT_LISTS.items()}
    for list_id, spec in ((policy.get("collect") or {}).get("lists") or {}).items():
        out[list_id] = dict(spec)
    return out


def _safe_name(name: str) -> str:
    if not name or name != os.path.basename(name) or name in (".", "..", MANIFEST, PREVIOUS) \
            or name.startswith("."):
        raise CollectError(f"list file name {name!r}: a plain file name is needed")
    return name


def _sha256(path: Path) -> str | None:
    import hashlib

    try:
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 16), b""):
                digest.update(chunk)
        return digest.hexdigest()
    except OSError:
        return None


def _read_manifest(folder: Path) -> dict[str, Any]:
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _set_date(path: Path, day: str) -> None:
    when = dt.datetime.combine(dt.date.fromisoformat(day), dt.time(12), tzinfo=dt.UTC).timestamp()
    os.utime(path, (when, when))


def collect_lists(list_ids: Sequence[str], folder: str | os.PathLike, policy: Mapping[str, Any], *,
                  now: dt.datetime | None = None, sleep: Callable[[float], None] | None = None,
                  progress: Callable[[str, int, int | None], None] | None = None,
                  verify: Callable[[Path], int] | None = None) -> list[ListResult]:
    """Download the lists into ``folder``; all or nothing (see the module docstring).

    ``verify(path) -> entries`` reads a downloaded list (default: screening's
    ``read_list``) and raises on a file it cannot read. Returns what each
    list's files became (new, updated, unchanged).
    """
    from .. import __version__

    known = configured_lists(policy)
    unknown = [i for i in list_ids if i not in known]
    if unknown:
        raise CollectError(f"unknown list id(s) {', '.join(unknown)}; known: {', '.join(sorted(known))} "
                           f"(add others under collect.lists in the policy)")
    if not list_ids:
        raise CollectError(f"name the lists to download with --list (known: {', '.join(sorted(known))})")
    settings = policy.get("collect") or {}
    timeout = float(settings.get("timeout_seconds", 60))
    retries = int(settings.get("retries", 4))
    now = now or dt.datetime.now(dt.UTC)
    target = Path(folder)
    try:
        target.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=target))
    except OSError as exc:
        raise CollectError(f"{target}: cannot create the folder: {exc.strerror or exc}") from None
    verify = verify or _read_entries
    try:
        fetched: list[tuple[str, list[tuple[dict[str, Any], Downloaded]], int | None]] = []
        for list_id in dict.fromkeys(list_ids):
            spec = known[list_id]
            files = spec.get("files") or []
            if not files:
                raise CollectError(f"list {list_id}: no files configured")
            here = staging / list_id
            here.mkdir()
            got = []
            for item in files:
                name = _safe_name(str(item.get("name") or ""))
                url = str(item.get("url") or "")
                if not url.startswith(("https://", "http://")):
                    raise CollectError(f"list {list_id}: {url!r} is not an http(s) URL")
                tick = (lambda done, total, n=name: progress(n, done, total)) if progress else None
                with (here / name).open("wb") as out:
                    got.append((item, download(url, out, timeout=timeout, retries=retries,
                                               progress=tick, user_agent=f"vendordd/{__version__}",
                                               **({"sleep": sleep} if sleep else {}))))
            entries = None
            if spec.get("verify", True):
                try:
                    entries = verify(here / _safe_name(str(files[0]["name"])))
                except CollectError:
                    raise
                except Exception as exc:
                    first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                    raise CollectError(f"list {list_id}: the downloaded {files[0]['name']} cannot be read "
                                       f"as a screening list ({first}); nothing was replaced") from None
            fetched.append((list_id, got, entries))
        return _install(fetched, staging, target, now)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _read_entries(path: Path) -> int:
    from ..loader import InputError
    from ..screening import read_list

    try:
        return len(read_list(path, display=path.name).entries)
    except InputError as exc:
        raise CollectError(f"the downloaded {path.name} cannot be read as a screening list: "
                           f"{exc.problems[0] if exc.problems else exc}") from None


def _install(fetched: list[tuple[str, list[tuple[dict[str, Any], Downloaded]], int | None]],
             staging: Path, target: Path, now: dt.datetime) -> list[ListResult]:
    """Move checked downloads into place, keeping the replaced copies, and write the manifest."""
    from ..atomic import atomic_write_text

    manifest = _read_manifest(target)
    lists = manifest.setdefault("lists", {})
    results = []
    previous_dir = target / PREVIOUS
    stamp = now.replace(microsecond=0).isoformat().replace("+00:00", "Z")
    for list_id, got, entries in fetched:
        result = ListResult(list_id, entries=entries)
        record = lists.get(list_id) if isinstance(lists.get(list_id), dict) else {}
        old_files = {f.get("name"): f for f in record.get("files") or [] if isinstance(f, dict)}
        new_record_files = []
        for item, done in got:
            name = str(item["name"])
            current = target / name
            current_sha = _sha256(current) if current.exists() else None
            published, source = (done.last_modified, "Last-Modified") if done.last_modified else (
                now.date().isoformat(), "downloaded")
            old = old_files.get(name) or {}
            if current_sha == done.sha256:
                status = "unchanged"
                entry = {**old, "name": name, "url": done.url, "sha256": done.sha256, "size": done.size,
                         "checked": stamp}
                entry.setdefault("published", published)
                entry.setdefault("published_source", source)
                entry.setdefault("downloaded", stamp)
            else:
                status = "new" if current_sha is None else "updated"
                if current_sha is not None:
                    previous_dir.mkdir(exist_ok=True)
                    os.replace(current, previous_dir / name)
                os.replace(staging / list_id / name, current)
                _set_date(current, published)
                entry = {"name": name, "url": done.url, "sha256": done.sha256, "size": done.size,
                         "published": published, "published_source": source, "downloaded": stamp,
                         "checked": stamp}
                if current_sha is not None:
                    entry["previous"] = {k: old.get(k) for k in ("sha256", "size", "published", "downloaded")
                                         if old.get(k) is not None} or {"sha256": current_sha}
                    entry["previous"]["path"] = f"{PREVIOUS}/{name}"
            result.files.append(ListFileResult(name, done.url, done.sha256, done.size,
                                               str(entry["published"]), str(entry["published_source"]),
                                               status, (entry.get("previous") or {}).get("sha256")))
            new_record_files.append(entry)
        lists[list_id] = {"files": new_record_files, "entries": entries}
        results.append(result)
    manifest["tool"] = "vendordd collect lists"
    atomic_write_text(target / MANIFEST, json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return results


def policy_snippet(results: Sequence[ListResult], folder: str) -> str:
    """The policy lines that make a run read these files with their publication dates."""
    lines = ["screening:", "  lists:"]
    for res in results:
        main = res.files[0]
        path = f"{folder.rstrip('/')}/{main.name}"
        lines.append(f"    - {{path: {path}, date: {main.published}}}   # {res.list_id}, sha256 {main.sha256[:12]}")
    return "\n".join(lines)
