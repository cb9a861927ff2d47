"""Which collectors exist: the built-in ones and those plugins register.

A plugin adds a collector with the ``register_collectors(register)`` hook,
calling ``register(collector)`` with a :class:`vendordd.collect.Collector`.
Implementations are called one at a time in plugin-name order, each in its
own guard (a raising one becomes a message naming the plugin); a name
already taken (by a built-in or another plugin) is refused with a message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from . import Collector
from .huggingface import COLLECTOR as HUGGINGFACE

NAME_PATTERN = re.compile(r"^[a-z][a-z0-9-]{0,39}$")
BUILTIN: tuple[Collector, ...] = (HUGGINGFACE,)
#: Names the ``collect`` command uses itself.
RESERVED = frozenset({"lists", "sources"})


@dataclass(frozen=True)
class RegisteredCollector:
    collector: Collector
    plugin: str


def collectors(host: Any | None) -> tuple[dict[str, RegisteredCollector], list[str]]:
    """``({name: collector}, problems)``: the built-ins, then the plugins' (``host`` may be None)."""
    found = {c.name: RegisteredCollector(c, "vendordd.collect") for c in BUILTIN}
    problems: list[str] = []
    if host is None:
        return found, problems
    caller = getattr(host.pm.hook, "register_collectors", None)
    if caller is None:
        return found, problems
    current = [""]

    def register(collector: Collector) -> None:
        if not isinstance(collector, Collector):
            raise TypeError(f"register() takes a vendordd.collect.Collector, not {type(collector).__name__}")
        if not NAME_PATTERN.match(collector.name) or collector.name in RESERVED:
            raise ValueError(f"collector name {collector.name!r} is not allowed (lower-case letters, digits "
                             f"and dashes; not {', '.join(sorted(RESERVED))})")
        if collector.name in found:
            raise ValueError(f"collector {collector.name!r} is already registered by "
                             f"{found[collector.name].plugin!r}")
        found[collector.name] = RegisteredCollector(collector, current[0])

    for impl in sorted(caller.get_hookimpls(), key=lambda i: i.plugin_name):
        current[0] = impl.plugin_name
        try:
            impl.function(*[{"register": register}[a] for a in impl.argnames])
        except Exception as exc:  # isolation: one plugin's failure is a message
            first = str(exc).splitlines()[0] if str(exc) else ""
            problems.append(f"plugin {impl.plugin_name!r} failed in register_collectors: "
                            f"{type(exc).__name__}: {first}")
    return dict(sorted(found.items())), problems
