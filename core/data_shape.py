"""The shape rules a parsed document must meet, whatever its format.

The contract: :func:`check_shape` returns when ``data`` holds no nesting
deeper than :data:`MAX_DEPTH`, no node shared twice (a YAML alias), no number
that overflowed to infinity or NaN and no text with a lone UTF-16 surrogate;
otherwise it raises :class:`InputError` with the pointer of the first such
place (the JSON results could not hold any of them). The common case, a fine
document, costs one pass without building pointers.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any

from .documents import InputError, Problem, escape_pointer

#: Deepest nesting accepted.
MAX_DEPTH = 64

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def check_shape(data: Any, name: str) -> None:
    """Refuse nesting deeper than MAX_DEPTH, shared nodes (YAML aliases), numbers that
    overflow to infinity (``1e400``) and text holding lone UTF-16 surrogates (``"\\ud800"``).

    The last two cannot be written back out: JSON has no infinity, UTF-8 no surrogates.
    """
    if not shape_is_fine(data):
        _raise_shape_problem(data, name)


def shape_is_fine(data: Any) -> bool:
    """check_shape's fast pass: the same rules, without building a pointer per node.

    Children are told apart by their exact type first (text, numbers, dicts and lists
    of a parsed document), a mapping's keys are searched for surrogates as one text;
    :func:`_shape_is_fine_plain` is the plain walk it must agree with
    (tests/test_assessment_fast_paths.py). Recursion is bounded by :data:`MAX_DEPTH`.
    """
    search = _LONE_SURROGATE.search
    isfinite = math.isfinite
    seen: set[int] = set()

    def fine(node: Any, depth: int) -> bool:
        if depth > MAX_DEPTH or id(node) in seen:
            return False
        seen.add(id(node))
        if isinstance(node, dict):
            try:
                keys = "".join(node)
            except TypeError:  # keys that are not text: only the text ones can hold a surrogate
                keys = "".join(key for key in node if isinstance(key, str))
            if not keys.isascii() and search(keys):
                return False
            children: Iterable[Any] = node.values()
        else:
            children = node
        for child in children:
            kind = type(child)
            if kind is str:
                if not child.isascii() and search(child):
                    return False
            elif kind is dict or kind is list:
                if not fine(child, depth + 1):
                    return False
            elif kind is int or kind is bool or child is None:
                continue
            elif kind is float:
                if not isfinite(child):
                    return False
            elif isinstance(child, str):
                if not child.isascii() and search(child):
                    return False
            elif isinstance(child, (dict, list)):
                if not fine(child, depth + 1):
                    return False
            elif isinstance(child, float) and not isfinite(child):
                return False
        return True

    return fine(data if isinstance(data, (dict, list)) else [data], 0)


def _shape_is_fine_plain(data: Any) -> bool:
    """:func:`shape_is_fine`'s plain twin: one node at a time from a stack."""
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
    """Raise the InputError for what shape_is_fine refused, with its pointer.

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
