"""The strict YAML loaders profiles and policies are read with (PyYAML, imported only when YAML is read).

YAML 1.2 booleans (``yes`` and ``no`` stay text), dates as text, YAML 1.2
floats, duplicate and non-text keys refused. :data:`YAML_LOADER` uses
libyaml's C parser where PyYAML has it; :class:`StrictLoader` (pure Python)
gives nodes with marks, for locating errors.
"""

from __future__ import annotations

import re
from typing import Any

import yaml


class StrictLoader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 booleans, dates as text, duplicate keys refused."""


def _strip_resolvers(cls: type[yaml.SafeLoader], tags: set[str]) -> None:
    cls.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag not in tags]
        for first, resolvers in cls.yaml_implicit_resolvers.items()
    }


_strip_resolvers(StrictLoader, {"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool",
                                 "tag:yaml.org,2002:float"})
StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"))
# YAML 1.2 floats (3.0e24 is a number, as in JSON); .inf and .nan stay text,
# so the schema refuses them instead of comparing NaN with a bound.
StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$"),
    list("-+.0123456789"))


def _key_kind(key: Any) -> str:
    if isinstance(key, (list, dict)):
        return "a list or mapping"
    shown = "null" if key is None else str(key).lower() if isinstance(key, bool) else repr(key)
    return f"{shown} (quote it)"


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    loader.flatten_mapping(node)
    out: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if not isinstance(key, str):  # JSON Schema and JSON output only know text keys
            raise yaml.constructor.ConstructorError(
                None, None, f"a mapping key must be text, not {_key_kind(key)}", key_node.start_mark)
        if key in out:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark)
        out[key] = loader.construct_object(value_node, deep=deep)
    return out


def _construct_bool(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> bool:
    return loader.construct_scalar(node).lower() == "true"


StrictLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
StrictLoader.add_constructor("tag:yaml.org,2002:bool", _construct_bool)

try:  # the C parser is several times faster; same constructor and resolver rules
    class _FastLoader(yaml.CSafeLoader):
        pass

    _FastLoader.yaml_implicit_resolvers = StrictLoader.yaml_implicit_resolvers
    _FastLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
    _FastLoader.add_constructor("tag:yaml.org,2002:bool", _construct_bool)
    YAML_LOADER: type = _FastLoader
except AttributeError:  # PyYAML built without libyaml
    YAML_LOADER = StrictLoader
