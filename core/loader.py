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
- files above :data:`MAX_FILE_BYTES` are refused before they are read, and
  a pipe (``<(...)``, ``/dev/stdin``) is read once and refused as soon as it
  passes that size; folders, devices and sockets are refused by kind.
"""

from __future__ import annotations

import errno
import glob
import hashlib
import json
import math
import os
import re
import stat
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
    """Raise the InputError for what _shape_is_fine refused, with its pointer.

    Nodes are visited in document order, so a YAML alias is named at the
    alias (the second occurrence), with the place of its anchor.
    """
    seen: dict[int, str] = {}
    stack: list[tuple[Any, str, int]] = [(data, "", 0)]
    while stack:
        node, pointer, depth = stack.pop()
        if isinstance(node, float) and math.isnan(node):
            raise InputError([Problem(name, "NaN (not a number) is not allowed: JSON results cannot hold it",
                                      pointer or "/")])
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
            raise InputError([Problem(name, f"YAML aliases (*name) are not allowed: this repeats "
                                            f"{seen[id(node)] or '/'}", pointer)])
        seen[id(node)] = pointer
        items = node.items() if isinstance(node, dict) else enumerate(node)
        children = []
        for key, value in items:
            if isinstance(key, str) and _LONE_SURROGATE.search(key):
                raise InputError([Problem(name, "a key holds a lone UTF-16 surrogate escape, which is "
                                                "not a character", pointer or "/")])
            children.append((value, f"{pointer}/{escape_pointer(key)}", depth + 1))
        stack.extend(reversed(children))


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


def _parse_yaml(text: str, name: str) -> Any:
    """YAML text parsed with the strict loader (see :mod:`vendordd.yaml_loader`, imported only here)."""
    import yaml

    from .yaml_loader import YAML_LOADER

    try:
        return yaml.load(text, Loader=YAML_LOADER)  # noqa: S506 - a SafeLoader subclass
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
        return _parse_yaml(text, name)
    except _DuplicateKey as exc:
        line, column, pointer = _locate_duplicate(text, str(exc))
        raise InputError([Problem(name, f"duplicate key {str(exc)!r}", pointer, line, column)]) from None
    except json.JSONDecodeError as exc:
        raise InputError([Problem(name, f"invalid JSON: {exc.msg}", line=exc.lineno,
                                  column=exc.colno)]) from None
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


def load_file(path: str | os.PathLike, display: str | None = None, limit: int | None = None) -> Document:
    """Read and parse one file (see the module docstring for the guarantees); ``limit``: its
    largest size in bytes (default :data:`MAX_FILE_BYTES`)."""
    path = Path(path)
    name = display or str(path)
    raw, regular = read_limited(path, name, limit)
    kind = kind_of(path)
    data = parse_text(_decode(raw, name), kind, name)
    if data is None:
        raise InputError([Problem(name, "the file holds no data: its YAML document is null "
                                        "(only comments, '~' or 'null')")])
    _check_shape(data, name)
    doc = Document(name=name, path=path, data=data, sha256=hashlib.sha256(raw).hexdigest(), kind=kind)
    if not regular:  # a pipe cannot be read again to locate an error
        doc.extra["raw"] = raw
    return doc


def describe_type(value: Any) -> str:
    """What a parsed value is, in words: ``a list``, ``text``, ``a number``, ``true or false``, ``null``."""
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "null" if value is None else type(value).__name__


def too_large(name: str, size: int | None, limit: int) -> InputError:
    """The error for input over ``limit`` bytes (``size``: the file's, None when a pipe ran past it)."""
    mib = f"{limit / 1048576:g} MiB"
    if size is None:
        return InputError([Problem(name, f"more than {limit:,} bytes came through the pipe; the limit is "
                                         f"{limit:,} bytes ({mib}); stopped reading there")])
    return InputError([Problem(name, f"the file is {size:,} bytes; the limit is {limit:,} bytes ({mib})")])


def file_kind(mode: int) -> str:
    """``file``, ``folder``, ``pipe`` or what else a stat mode is, in words."""
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISFIFO(mode):
        return "pipe"
    if stat.S_ISCHR(mode):
        return "character device"
    if stat.S_ISBLK(mode):
        return "block device"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "special file"


def cannot_open(path: Path, exc: OSError) -> str:
    """Why ``path`` could not be opened, in words, telling a broken or looping symbolic link apart."""
    if exc.errno == errno.ELOOP:
        return "cannot read: a symbolic link loop (too many levels of symbolic links)"
    if exc.errno == errno.ENOENT and path.is_symlink():
        return f"cannot read: a symbolic link to {os.readlink(path)}, which does not exist"
    return f"cannot read: {exc.strerror or exc}"


def open_input(path: Path, name: str) -> tuple[int, str, int]:
    """Open ``path`` for reading without hanging: (descriptor, kind, size).

    A named pipe is opened without waiting for a writer (one that has none
    reads as empty). Only regular files and pipes are accepted: a folder, a
    device (``/dev/zero``, a terminal) or a socket raises InputError naming
    what it is. The caller closes the descriptor.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) \
        | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise InputError([Problem(name, cannot_open(path, exc))]) from None
    try:
        info = os.fstat(fd)
        kind = file_kind(info.st_mode)
        if kind not in ("file", "pipe"):
            raise InputError([Problem(name, f"not a regular file or a pipe but a {kind}")])
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd, kind, info.st_size


def read_limited(path: Path, name: str, limit: int | None = None) -> tuple[bytes, bool]:
    """The bytes of a regular file or a pipe, read once and never more than ``limit`` (MAX_FILE_BYTES).

    Returns the bytes and whether it was a regular file. A regular file over
    the limit is refused before it is read; a pipe is read until it passes
    the limit, then refused. Raises InputError naming the file.
    """
    limit = MAX_FILE_BYTES if limit is None else limit
    fd, kind, size = open_input(path, name)
    try:
        if kind == "file" and size > limit:
            raise too_large(name, size, limit)
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise too_large(name, None if kind == "pipe" else total, limit)
        if kind == "pipe" and not total:
            raise InputError([Problem(name, "nothing came through the pipe (a named pipe that no program "
                                            "was writing to reads as empty)")])
    except OSError as exc:
        raise InputError([Problem(name, f"cannot read: {exc.strerror or exc}")]) from None
    finally:
        os.close(fd)
    return b"".join(chunks), kind == "file"


def expand_paths(args: Iterable[str]) -> tuple[list[Path], list[Problem]]:
    """Profile files named by ``args``: files, folders (every profile in them) and globs.

    Returns the files in a stable order without repeats, and a problem for
    each argument that matched nothing, each folder that could not be read,
    and each entry named like a profile that is not a regular file (a named
    pipe, a device, a broken or looping symbolic link): nothing is skipped
    without a word. A pipe named on its own (``<(...)``) is read like a file.
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
            found, trouble = _profiles_in(path)
            problems.extend(trouble)
            if not found and not trouble:
                problems.append(Problem(arg, "no .json, .yaml or .yml profiles in this folder"))
            for p in found:
                add(p)
        elif os.path.lexists(arg):
            add(path)
        elif glob.has_magic(arg):
            matched = sorted(Path(m) for m in glob.glob(arg, recursive=True) if not Path(m).is_dir())
            matches = [m for m in matched if m.is_file()]
            for m in matched:
                if not m.is_file():  # a named pipe, a device, a broken or looping link: said, not read
                    problems.append(_not_a_file(m))
            if not matched:
                problems.append(Problem(arg, "the pattern matched no file"))
            for p in matches:
                add(p)
        else:
            problems.append(Problem(arg, "no such file or folder"))
    return files, problems


def _profiles_in(folder: Path) -> tuple[list[Path], list[Problem]]:
    """The profile files under ``folder`` (symbolic links followed, each folder once), sorted,
    and a problem for each folder that could not be listed and each non-regular file named like a profile."""
    found: list[Path] = []
    problems: list[Problem] = []
    visited: set[Path] = set()
    pending = [folder]
    while pending:
        current = pending.pop()
        try:
            real = current.resolve()
            if real in visited:
                continue
            visited.add(real)
            with os.scandir(current) as listing:
                entries = list(listing)
        except OSError as exc:
            problems.append(Problem(str(current), f"cannot read this folder: {exc.strerror or exc}; "
                                                  f"its profiles were not assessed"))
            continue
        for entry in entries:
            path = Path(current, entry.name)
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                pending.append(path)
                continue
            if path.suffix.lower() not in PROFILE_SUFFIXES:
                continue
            if path.is_file():
                found.append(path)
            else:
                problems.append(_not_a_file(path))
    return sorted(found), sorted(problems, key=lambda p: p.file)


def _not_a_file(path: Path) -> Problem:
    """The problem for an entry named like a profile that is not a regular file (it is not read)."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        return Problem(str(path), cannot_open(path, exc) + "; not assessed")
    return Problem(str(path), f"not a regular file but a {file_kind(mode)}; not assessed")


def locate(doc: Document, pointer_parts: Iterable[Any],
           key: str | None = None) -> tuple[int | None, int | None]:
    """The (line, column) of a JSON pointer in the document's text, when findable.

    With ``key``, the place of that key inside the mapping the pointer names
    (an unknown field is reported where it is written, not where its parent starts).

    Only used when reporting errors, so it may re-read and re-parse the file:
    YAML and JSON (a YAML flow document) are composed into nodes with marks,
    once per document however many errors it has (kept in ``doc.extra``).
    """
    import yaml

    from .yaml_loader import StrictLoader

    if "nodes" not in doc.extra:
        try:
            raw = doc.extra["raw"] if "raw" in doc.extra else read_limited(doc.path, doc.name)[0]
            text = _decode(raw, doc.name)
            doc.extra["nodes"] = yaml.compose(text, Loader=StrictLoader)
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
    if key is not None and isinstance(node, yaml.MappingNode):
        node = next((k for k, _ in node.value if k.value == key), node)
    return node.start_mark.line + 1, node.start_mark.column + 1
