"""``vendordd collect``: facts gathered from public sources into vendor profiles.

A *collector* reads one public source (the Hugging Face Hub is built in;
plugins add more through the ``register_collectors`` hook) and returns a
profile fragment: facts in the profile's own shape, each marked
``x-collected`` and citing a source that is marked too. :mod:`.merge` adds
the fragment to a profile without touching what an analyst entered;
:mod:`.lists` downloads the official sanctions and export-control list files.

Importing this package imports nothing heavy: ``huggingface_hub`` is loaded
only when the Hub is read (it is the optional ``collect`` extra).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

#: The annotation that marks a collected fact or source (an ``x-`` key: the schema allows it everywhere).
MARK = "x-collected"


class CollectError(Exception):
    """A collection that cannot go on: one line for the user; nothing is written."""


@dataclass(frozen=True)
class CollectRequest:
    """What a collector is asked for.

    ``target`` is the collector's argument (a Hub author, a repository, a
    company number); ``day`` the collection date, recorded on every fact and
    source; ``options`` the policy's ``collect.sources.<name>`` settings;
    ``progress(done, total or None)`` may be called as items arrive.
    """

    target: str
    vendor_id: str
    day: dt.date
    options: Mapping[str, Any] = field(default_factory=dict)
    progress: Callable[[int, int | None], None] | None = None


@dataclass
class Collected:
    """What a collector found: a profile fragment and what to tell the user.

    ``facts`` has the profile's shape (``sources``, ``open_source``,
    ``leadership``, ...). Each fact should carry ``x-collected`` (see
    :func:`mark`); the host marks any fact or source the collector left
    unmarked. ``summary`` is one line (what was read); ``notes`` are lines
    for the profile's notes and the console (what could not be read).
    """

    facts: dict[str, Any]
    summary: str
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Collector:
    """A source of facts; register one with the ``register_collectors`` hook.

    ``name`` is the command (``vendordd collect NAME TARGET``): lower-case
    letters, digits and dashes. ``collect(request) -> Collected`` must raise
    :class:`CollectError` (one line) on failure, and write nothing itself.
    """

    name: str
    title: str
    collect: Callable[[CollectRequest], Collected]
    target: str = "TARGET"  # how the target is shown in --help
    doc: str = ""


def mark(source: str, day: dt.date, **extra: Any) -> dict[str, Any]:
    """The ``x-collected`` annotation: which collector, on which date, plus details."""
    from .. import __version__

    return {"source": source, "date": day.isoformat(), "tool": f"vendordd {__version__}", **extra}
