"""The Hugging Face Hub collector: an author's public models as releases and adoption.

What it writes (all marked ``x-collected``, citing sources marked too):

- ``open_source.releases``: one per family (see :mod:`.families`), split
  when a family's repositories differ in licence or access. ``date`` is the
  earliest repository creation date; ``availability`` is ``gated_weights``
  when any repository of the release is gated, else ``open_weights``;
  ``license`` the SPDX id or ``LicenseRef-`` (left out when the Hub states
  none, or several). It cites a source whose URL is the model page of the
  release's first repository, ``accessed`` on the collection date.
- ``open_source.adoption``: all-time downloads and derivative models summed
  over the author's public repositories, ``as_of`` the collection date,
  citing the author's Hub page.

What it never writes: ``closed`` or ``api_only`` (a model the Hub does not
list may be closed, private, deleted or hosted elsewhere: absence is not
evidence), licence restrictions, artifacts, flagship (judgements for the
analyst).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from . import MARK, Collected, CollectError, Collector, CollectRequest, mark
from .families import family_key, group_families
from .hub import HubModel, children_counts, endpoint, list_author_models

NAME = "huggingface"
AUTHOR_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,95}$")
#: Repository ids listed in a release's annotation, at most (the count is always given).
MAX_LISTED = 500
#: Above this many repositories, derivatives are not counted (one request per repository);
#: the policy's collect.sources.huggingface.max_derivative_lookups changes it.
DERIVATIVE_LOOKUPS = 1000


def _source_id(text: str, taken: set[str]) -> str:
    base = "hf-" + re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-.")[:56]
    sid, n = base, 2
    while sid in taken:
        sid, n = f"{base}-{n}", n + 1
    taken.add(sid)
    return sid


def _access(model: HubModel) -> str:
    return "gated" if model.gated else "open"


def releases_of(models: Sequence[HubModel]) -> list[tuple[str, str, list[HubModel]]]:
    """``(release name, family, repositories)``, oldest release first.

    Repositories are grouped by family (by key, so ``Qwen2.5`` and
    ``qwen2.5`` are one), then split by licence and access when they differ.
    """
    families = group_families([m.repo_id for m in models], {m.repo_id: m.tags for m in models})
    by_family: dict[str, list[HubModel]] = defaultdict(list)
    for m in models:
        by_family[family_key(families[m.repo_id])].append(m)
    out: list[tuple[str, str, list[HubModel]]] = []
    for members in by_family.values():
        members.sort(key=lambda m: (m.created is None, m.created, m.repo_id))
        name = families[members[0].repo_id]
        parts: dict[tuple[str | None, str], list[HubModel]] = defaultdict(list)
        for m in members:
            parts[(m.licence or m.licence_raw, _access(m))].append(m)
        for (licence, access), group in parts.items():
            if len(parts) == 1:
                label = name
            else:
                label = f"{name} ({licence or 'no licence stated'}{', gated' if access == 'gated' else ''})"
            out.append((label[:200], name, group))
    out.sort(key=lambda item: (item[2][0].created is None, item[2][0].created, item[0]))
    return out


def _release(name: str, family: str, group: list[HubModel], sid: str, req: CollectRequest) -> dict[str, Any]:
    first = group[0]
    dated = [m.created for m in group if m.created]
    rel: dict[str, Any] = {"name": name}
    if dated:
        rel["date"] = min(dated).isoformat()
    rel["availability"] = "gated_weights" if any(m.gated for m in group) else "open_weights"
    if first.licence:
        rel["license"] = first.licence
    rel["sources"] = [sid]
    ids = [m.repo_id for m in group]
    shown = ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
    bits = [f"{len(ids)} Hugging Face {'repository' if len(ids) == 1 else 'repositories'} ({shown})"]
    if first.licence_raw and not first.licence:
        bits.append(f"licence on the Hub: {first.licence_raw} ({first.licence_how}); not recorded")
    elif first.licence is None:
        bits.append("no licence stated on the Hub")
    elif first.licence_how == "outside SPDX":
        bits.append(f"licence '{first.licence_raw}' on the Hub is not an SPDX id")
    if not dated:
        bits.append("the Hub gave no creation date")
    rel["notes"] = (f"Collected from the Hugging Face Hub on {req.day.isoformat()}: " + "; ".join(bits) + ".")[:2000]
    rel[MARK] = mark(NAME, req.day, family=family, repositories=ids[:MAX_LISTED], repository_count=len(ids))
    return rel


def _adoption(models: Sequence[HubModel], author: str, sid: str, req: CollectRequest) -> dict[str, Any] | None:
    def total(values: list[int | None]) -> int | None:
        known = [v for v in values if v is not None]
        return sum(known) if known else None

    downloads = total([m.downloads_all_time for m in models])
    children = total([m.children for m in models])
    likes = total([m.likes for m in models])
    recent = total([m.downloads_30d for m in models])
    if downloads is None and children is None:
        return None
    adoption: dict[str, Any] = {}
    if downloads is not None:
        adoption["downloads"] = downloads
    if children is not None:
        adoption["derivative_models"] = children
    adoption["as_of"] = req.day.isoformat()
    adoption["sources"] = [sid]
    lines = [f"Collected from the Hugging Face Hub on {req.day.isoformat()}: sums over {len(models)} "
             f"public model repositories of {author}"]
    if downloads is not None:
        lines.append("downloads: all-time downloads as the Hub counts them")
    if children is not None:
        lines.append("derivative models: models whose base_model is one of these repositories "
                     "(the Hub's model tree; a model derived from two of them counts twice)")
    if recent is not None:
        lines.append(f"last 30 days: {recent:,} downloads")
    if likes is not None:
        lines.append(f"likes: {likes:,}")
    adoption["notes"] = ("; ".join(lines) + ".")[:2000]
    adoption[MARK] = mark(NAME, req.day, likes=likes, downloads_30d=recent)
    return adoption


def facts_from_models(models: Sequence[HubModel], author: str, req: CollectRequest,
                      hub: str | None = None) -> Collected:
    """The profile fragment for an author's repositories (see the module docstring)."""
    hub = (hub or endpoint()).rstrip("/")
    taken: set[str] = set()
    sources: list[dict[str, Any]] = []
    releases: list[dict[str, Any]] = []
    day = req.day.isoformat()
    for name, family, group in releases_of(models):
        first = group[0]
        sid = _source_id(first.repo_id.replace("/", "-"), taken)
        src: dict[str, Any] = {"id": sid, "title": f"{first.repo_id} (Hugging Face model page)",
                               "url": first.url(hub), "publisher": f"Hugging Face Hub ({author})"}
        if first.last_modified:
            src["published"] = first.last_modified.isoformat()
        src.update({"kind": "primary", "accessed": day, MARK: mark(NAME, req.day, repository=first.repo_id)})
        sources.append(src)
        releases.append(_release(name, family, group, sid, req))
    open_source: dict[str, Any] = {"releases": releases}
    author_sid = _source_id(f"{author}-models", taken)
    adoption = _adoption(models, author, author_sid, req)
    if adoption is not None:
        sources.append({"id": author_sid, "title": f"Models by {author} on the Hugging Face Hub",
                        "url": f"{hub}/{author}", "publisher": "Hugging Face Hub", "kind": "primary",
                        "accessed": day, MARK: mark(NAME, req.day, repositories=len(models))})
        open_source["adoption"] = adoption
    gated = sum(1 for m in models if m.gated)
    unlicensed = sum(1 for m in models if not m.licence)
    summary = (f"{len(models)} public model repositories of {author} on the Hugging Face Hub "
               f"({hub}) on {day}: {len(releases)} releases, {gated} gated repositories, "
               f"{unlicensed} without a recordable licence")
    notes = []
    if unlicensed:
        notes.append(f"{unlicensed} repositories state no licence, or one that cannot be recorded "
                     f"(several, or 'other' without a name): their releases have no licence")
    return Collected(facts={"sources": sources, "open_source": open_source}, summary=summary, notes=notes)


def collect(req: CollectRequest) -> Collected:
    """Read ``req.target`` (a Hub user or organisation) and return its facts."""
    author = req.target.strip().strip("/")
    if not AUTHOR_PATTERN.match(author):
        raise CollectError(f"{req.target!r} is not a Hugging Face user or organisation name")
    timeout = float(req.options.get("timeout_seconds", 30))
    progress = req.progress

    def tick(done: int) -> None:
        if progress is not None:
            progress(done, None)

    models = list_author_models(author, progress=tick, timeout=timeout)
    if not models:
        raise CollectError(f"the Hugging Face Hub ({endpoint()}) lists no public models by {author!r} "
                           f"(check the spelling: user and organisation names are case-sensitive)")
    limit = int(req.options.get("max_derivative_lookups", DERIVATIVE_LOOKUPS))
    skipped = None
    if not req.options.get("derivatives", True):
        skipped = "derivative models not counted (collect.sources.huggingface.derivatives: false)"
    elif len(models) > limit:
        skipped = (f"derivative models not counted: {len(models)} repositories, more than "
                   f"max_derivative_lookups ({limit}) requests, one per repository")
    else:
        models = children_counts(models, progress=progress, timeout=timeout)
    collected = facts_from_models(models, author, req)
    if skipped:
        collected.notes.append(skipped)
    return collected


COLLECTOR = Collector(name=NAME, title="Hugging Face Hub: an author's public models", collect=collect,
                      target="AUTHOR",
                      doc="Releases (grouped by family), licences, gating, downloads and derivatives "
                          "of a Hub user's or organisation's public model repositories.")
