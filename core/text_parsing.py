"""Parsing text as JSON, YAML (strict, safe) or TOML, with the place of every error.

The contract: :func:`parse_text` returns the parsed data or raises
:class:`InputError` whose :class:`Problem` has the line and column when the
parser knows them: duplicate keys are errors (JSON here, YAML in
:mod:`vendordd.yaml_loader`), NaN and Infinity are refused, nesting deeper
than :data:`vendordd.data_shape.MAX_DEPTH` is named even when the parser ran
out of stack, and so is an integer of more digits than Python converts.
:func:`kind_of` says which parser a file name gets.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

from .data_shape import MAX_DEPTH
from .documents import InputError, Problem


class _DuplicateKey(ValueError):
    pass


def _json_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """The object of ``pairs``; a key given twice raises _DuplicateKey with the first such key."""
    out = dict(pairs)
    if len(out) == len(pairs):  # no key repeated: the common case, without a loop in Python
        return out
    return _json_pairs_plain(pairs)


def _json_pairs_plain(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """:func:`_json_pairs`'s plain twin, which finds the duplicate (tests/test_assessment_fast_paths.py)."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


#: The decoder json.loads(text, object_pairs_hook=_json_pairs, parse_constant=_refuse_constant)
#: makes, made once: json.loads builds a new one, and its scanner, for every text.
_JSON_DECODER = json.JSONDecoder(object_pairs_hook=_json_pairs, parse_constant=_refuse_constant)


def _parse_json(text: str) -> Any:
    """``json.loads(text, object_pairs_hook=_json_pairs, parse_constant=_refuse_constant)``, with
    the kept decoder (tests/test_assessment_fast_paths.py compares the two)."""
    if text.startswith("\ufeff"):  # json.loads's own message for a byte-order mark
        return json.loads(text, object_pairs_hook=_json_pairs, parse_constant=_refuse_constant)
    return _JSON_DECODER.decode(text)


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
            return _parse_json(text)
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
    """``json``, ``toml`` or ``yaml`` (the default) from the file name's suffix."""
    suffix = path.suffix.lower()
    return {".json": "json", ".toml": "toml", ".yaml": "yaml", ".yml": "yaml"}.get(suffix, "yaml")
