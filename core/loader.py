"""Reads profile, policy and portfolio files: JSON, YAML (safe) and TOML.

The contract: :func:`load_file` returns a :class:`Document` or raises
:class:`InputError` carrying one or more :class:`Problem` lines that name the
file and, where the parser knows them, the JSON pointer, line and column. It
never executes anything from the file and never loses data silently:

- duplicate keys are errors (a later key hiding an earlier one is data loss),
  and so are YAML keys that are not text (``true:``, ``1:``);
- YAML keeps dates as text (the schema checks them) and reads booleans the
  YAML 1.2 way (``NO`` is Norway, not false);
- YAML custom tags and aliases are refused (aliases are how "billion laughs"
  documents explode; profiles do not need them);
- a UTF-8 byte-order mark is accepted; other encodings are refused;
- NaN and Infinity are refused, and so are numbers that overflow to it
  (``1e400``) and text holding lone UTF-16 surrogates (``"\\ud800"``):
  neither could be written to the JSON results;
- files above :data:`MAX_FILE_BYTES` are refused before they are read.
"""

from __future__ import annotations

import glob
import hashlib
import json
import math
import os
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

#: Largest profile/policy file read, in bytes (docs/security.md).
MAX_FILE_BYTES = 5 * 1024 * 1024
#: Deepest nesting accepted.
MAX_DEPTH = 64

PROFILE_SUFFIXES = (".json", ".yaml", ".yml")


@dataclass(frozen=True)
class Problem:
    """One input error: where it is and what is wrong."""

    file: str
    message: str
    pointer: str = ""
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        place = self.file
        if self.line is not None:
            place += f":{self.line}"
            if self.column is not None:
                place += f":{self.column}"
        if self.pointer:
            place += f" {self.pointer}"
        return f"{place}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "pointer": self.pointer, "line": self.line,
                "column": self.column, "message": self.message}


class InputError(Exception):
    """A file that cannot be used; ``problems`` lists every reason found."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(map(str, problems)))
        self.problems = problems


@dataclass
class Document:
    """A parsed file. ``name`` is the path as the user gave it (for messages)."""

    name: str
    path: Path
    data: Any
    sha256: str
    kind: str  # json | yaml | toml
    extra: dict[str, Any] = field(default_factory=dict)


class _DuplicateKey(ValueError):
    pass


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 booleans, dates as text, duplicate keys refused."""


def _strip_resolvers(cls: type[yaml.SafeLoader], tags: set[str]) -> None:
    cls.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag not in tags]
        for first, resolvers in cls.yaml_implicit_resolvers.items()
    }


_strip_resolvers(_StrictLoader, {"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool",
                                 "tag:yaml.org,2002:float"})
_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"))
# YAML 1.2 floats (3.0e24 is a number, as in JSON); .inf and .nan stay text,
# so the schema refuses them instead of comparing NaN with a bound.
_StrictLoader.add_implicit_resolver(
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


_StrictLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_StrictLoader.add_constructor("tag:yaml.org,2002:bool", _construct_bool)

try:  # the C parser is several times faster; same constructor and resolver rules
    class _FastLoader(yaml.CSafeLoader):
        pass

    _FastLoader.yaml_implicit_resolvers = _StrictLoader.yaml_implicit_resolvers
    _FastLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
    _FastLoader.add_constructor("tag:yaml.org,2002:bool", _construct_bool)
    _YAML_LOADER: type = _FastLoader
except AttributeError:  # PyYAML built without libyaml
    _YAML_LOADER = _StrictLoader


def _json_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _check_shape(data: Any, name: str) -> None:
    """Refuse nesting deeper than MAX_DEPTH, shared nodes (YAML aliases), numbers that
    overflow to infinity (``1e400``) and text holding lone UTF-16 surrogates (``"\\ud800"``).

    The last two cannot be written back out: JSON has no infinity, UTF-8 no surrogates.
    """
    if not _shape_is_fine(data):
        _raise_shape_problem(data, name)


def _shape_is_fine(data: Any) -> bool:
    """_check_shape's fast pass: the same rules, without building a pointer per node."""
    search = _LONE_SURROGATE.search
    if not isinstance(data, (dict, list)):
        data = [data]
    seen: set[int] = set()
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH or id(node) in seen:
            return False
        seen.add(id(node))
        if isinstance(node, dict):
            for key in node:
                if isinstance(key, str) and not key.isascii() and search(key):
                    return False
            children: Iterable[Any] = node.values()
        else:
            children = node
        for child in children:
            if isinstance(child, str):
                if not child.isascii() and search(child):
                    return False
            elif isinstance(child, (dict, list)):
                stack.append((child, depth + 1))
            elif isinstance(child, float) and not math.isfinite(child):
                return False
    return True


def _raise_shape_problem(data: Any, name: str) -> None:
    """Raise the InputError for what _shape_is_fine refused, with its pointer."""
    seen: set[int] = set()
    stack: list[tuple[Any, str, int]] = [(data, "", 0)]
    while stack:
        node, pointer, depth = stack.pop()
        if isinstance(node, float) and not math.isfinite(node):
            raise InputError([Problem(name, "a number too large to represent (it overflows to "
                                            "infinity)", pointer or "/")])
        if isinstance(node, str) and _LONE_SURROGATE.search(node):
            raise InputError([Problem(name, "text holds a lone UTF-16 surrogate escape (such as "
                                            "\\ud800), which is not a character", pointer or "/")])
        if not isinstance(node, (dict, list)):
            continue
        if depth > MAX_DEPTH:
            raise InputError([Problem(name, f"nested deeper than {MAX_DEPTH} levels", pointer)])
        if id(node) in seen:
            raise InputError([Problem(name, "YAML aliases (*name) are not allowed", pointer)])
        seen.add(id(node))
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in items:
            if isinstance(key, str) and _LONE_SURROGATE.search(key):
                raise InputError([Problem(name, "a key holds a lone UTF-16 surrogate escape, which is "
                                                "not a character", pointer or "/")])
            stack.append((value, f"{pointer}/{escape_pointer(key)}", depth + 1))


def escape_pointer(part: Any) -> str:
    """One JSON-pointer segment (RFC 6901)."""
    return str(part).replace("~", "~0").replace("/", "~1")


def _decode(raw: bytes, name: str) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError([Problem(name, f"not UTF-8 text (byte {exc.start} is "
                                        f"0x{raw[exc.start]:02x}); save the file as UTF-8",
                                  line=line)]) from None


def parse_text(text: str, kind: str, name: str) -> Any:
    """Parse ``text`` as ``kind`` (json, yaml, toml); raise InputError with the place."""
    if not text.strip():
        raise InputError([Problem(name, "the file is empty")])
    try:
        if kind == "json":
            return json.loads(text, object_pairs_hook=_json_pairs, parse_constant=_refuse_constant)
        if kind == "toml":
            import tomllib

            return tomllib.loads(text)
        return yaml.load(text, Loader=_YAML_LOADER)  # noqa: S506 - a SafeLoader subclass
    except _DuplicateKey as exc:
        line, column, pointer = _locate_duplicate(text, str(exc))
        raise InputError([Problem(name, f"duplicate key {str(exc)!r}", pointer, line, column)]) from None
    except json.JSONDecodeError as exc:
        raise InputError([Problem(name, f"invalid JSON: {exc.msg}", line=exc.lineno,
                                  column=exc.colno)]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = exc.problem or exc.context or "invalid YAML"
        if "could not determine a constructor" in message:
            message = "custom YAML tags are not allowed: " + message.rsplit(" ", 1)[-1]
        raise InputError([Problem(name, f"invalid YAML: {message}",
                                  line=mark.line + 1 if mark else None,
                                  column=mark.column + 1 if mark else None)]) from None
    except yaml.YAMLError as exc:
        raise InputError([Problem(name, f"invalid YAML: {' '.join(str(exc).split())}")]) from None
    except RecursionError:
        line, column = _nesting_place(text) if kind == "json" else (None, None)
        raise InputError([Problem(name, f"nested deeper than {MAX_DEPTH} levels", line=line,
                                  column=column)]) from None
    except ValueError as exc:  # tomllib errors, huge integers, NaN
        if "integer string conversion" in str(exc):  # Python's guard against quadratic int parsing
            found = re.search(f"[0-9]{{{sys.get_int_max_str_digits() + 1},}}", text)
            line = text.count("\n", 0, found.start()) + 1 if found else None
            column = found.start() - text.rfind("\n", 0, found.start()) if found else None
            raise InputError([Problem(name, f"a number with more than {sys.get_int_max_str_digits():,} "
                                            f"digits", line=line, column=column)]) from None
        raise InputError([Problem(name, f"invalid {kind.upper()}: {' '.join(str(exc).split())}")]) from None


def _nesting_place(text: str) -> tuple[int | None, int | None]:
    """(line, column) of the JSON bracket that opens level MAX_DEPTH + 1, else (None, None).

    Used when the parser itself ran out of stack, so that the error still names a place.
    """
    depth, in_string, escaped, line, start = 0, False, False, 1, 0
    for pos, ch in enumerate(text):
        if ch == "\n":
            line, start = line + 1, pos + 1
        elif in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return line, pos - start + 1
        elif ch in "]}":
            depth -= 1
    return None, None


def _locate_duplicate(text: str, key: str) -> tuple[int | None, int | None, str]:
    """Best effort: the line of the second occurrence of a duplicate JSON key."""
    hits = [m.start() for m in re.finditer(re.escape(json.dumps(key)) + r"\s*:", text)]
    if len(hits) >= 2:
        pos = hits[1]
        line = text.count("\n", 0, pos) + 1
        return line, pos - (text.rfind("\n", 0, pos) + 1) + 1, ""
    return None, None, ""


def kind_of(path: Path) -> str:
    suffix = path.suffix.lower()
    return {".json": "json", ".toml": "toml", ".yaml": "yaml", ".yml": "yaml"}.get(suffix, "yaml")


def load_file(path: str | os.PathLike, display: str | None = None) -> Document:
    """Read and parse one file (see the module docstring for the guarantees)."""
    path = Path(path)
    name = display or str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError([Problem(name, f"the file is {size / 1048576:.1f} MiB; the limit is "
                                            f"{MAX_FILE_BYTES // 1048576} MiB")])
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError([Problem(name, f"cannot read: {exc.strerror or exc}")]) from None
    kind = kind_of(path)
    data = parse_text(_decode(raw, name), kind, name)
    _check_shape(data, name)
    return Document(name=name, path=path, data=data, sha256=hashlib.sha256(raw).hexdigest(), kind=kind)


def expand_paths(args: Iterable[str]) -> tuple[list[Path], list[Problem]]:
    """Profile files named by ``args``: files, folders (every profile in them) and globs.

    Returns the files in a stable order without repeats, and a problem for
    each argument that matched nothing.
    """
    files: list[Path] = []
    problems: list[Problem] = []
    seen: set[Path] = set()

    def add(p: Path) -> None:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            files.append(p)

    for arg in args:
        path = Path(arg)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*")
                           if p.is_file() and p.suffix.lower() in PROFILE_SUFFIXES)
            if not found:
                problems.append(Problem(arg, "no .json, .yaml or .yml profiles in this folder"))
            for p in found:
                add(p)
        elif path.is_file():
            add(path)
        elif glob.has_magic(arg):
            matches = sorted(Path(m) for m in glob.glob(arg, recursive=True) if Path(m).is_file())
            if not matches:
                problems.append(Problem(arg, "the pattern matched no file"))
            for p in matches:
                add(p)
        else:
            problems.append(Problem(arg, "no such file or folder"))
    return files, problems


def locate(doc: Document, pointer_parts: Iterable[Any]) -> tuple[int | None, int | None]:
    """The (line, column) of a JSON pointer in the document's text, when findable.

    Only used when reporting errors, so it may re-read and re-parse the file:
    YAML and JSON (a YAML flow document) are composed into nodes with marks,
    once per document however many errors it has (kept in ``doc.extra``).
    """
    if "nodes" not in doc.extra:
        try:
            text = _decode(doc.path.read_bytes(), doc.name)
            doc.extra["nodes"] = yaml.compose(text, Loader=_StrictLoader)
        except Exception:
            doc.extra["nodes"] = None
    node = doc.extra["nodes"]
    if node is None:
        return None, None
    for part in pointer_parts:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if k.value == str(part)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            match = node.value[part]
        else:
            match = None
        if match is None:
            break
        node = match
    if node is None:
        return None, None
    return node.start_mark.line + 1, node.start_mark.column + 1
