"""One walk over a parsed profile for three passes that each walked all of it.

:func:`walk_profile` answers, in one pass over the document:

- whether it meets the shape rules (:func:`vendordd.data_shape.shape_is_fine`);
- its read-only copy for the checks (:func:`vendordd.frozen.freeze`);
- the source ids it cites outside ``/sources``, with their paths, in document
  order (what :func:`vendordd.validation.semantic_problems` checks:
  :func:`_cited_sources` of the profile without its ``sources``).

Each answer is exactly the one its own pass gives (tests/test_assessment_fast_paths.py
compares them on generated documents and the synthetic profiles). The walk
knows the exact types parsers make (dict, list, text, numbers, booleans,
None, and TOML's dates and times); on anything else (a subclass of dict,
list, text or float, keys that are not text) it says so and the caller runs
the three passes instead (:func:`walk_profile_plain`, the plain twin).
"""

from __future__ import annotations

import math
import re
from typing import Any, NamedTuple

from .data_shape import _LONE_SURROGATE, MAX_DEPTH, shape_is_fine
from .frozen import FrozenDict, FrozenList, freeze

#: A cited source id and the keys and indexes of the path to it.
Citation = tuple[str, list[Any]]


class Walked(NamedTuple):
    """What :func:`walk_profile` found. ``view`` and ``cited`` are None when ``fine`` is False;
    ``cited`` is None too when the document is not a mapping (it is not a profile then) or has
    a key that is not text (which no parser makes; :func:`_cited_sources` fails on it).
    :func:`walk_json_profile` gives ``cited_ids`` instead of ``cited``: the same source ids in
    the same order, without their paths (built only when one needs reporting). It also gives
    ``top_text``, which lets the as-of guard pass over a profile without a later date
    (:func:`vendordd.assessment.later_facts`)."""

    fine: bool
    view: Any
    cited: list[Citation] | None
    cited_ids: list[str] | None = None
    #: :func:`walk_json_profile`'s: the greatest text value below ":" (every text that begins with
    #: a digit, so every date, is at most this); "" when there is none
    top_text: str | None = None


class _Refused(Exception):
    """The document breaks a shape rule."""


class _Odd(Exception):
    """A value of a type the walk leaves to the three passes."""


#: Exact scalar types kept as they are, besides text and floats (which have rules).
_PLAIN = frozenset({int, bool, type(None)})
_TEXT = frozenset({str})
_DICTS = {dict}
#: Kinds whose subclasses the walk does not handle (the shape rules and freeze look at them by isinstance).
_RULED = (str, dict, list, float)


def walk_profile(data: Any) -> Walked:
    """The shape verdict, the read-only copy and the citations of ``data`` (see the module docstring)."""
    try:
        return _walk(data)
    except _Refused:
        return Walked(False, None, None)
    except _Odd:
        return walk_profile_plain(data)


def walk_profile_plain(data: Any) -> Walked:
    """:func:`walk_profile`'s plain twin: the three passes, one after the other."""
    if not shape_is_fine(data):
        return Walked(False, None, None)
    cited = None
    if isinstance(data, dict):
        try:
            cited = _cited_sources({k: v for k, v in data.items() if k != "sources"})
        except AttributeError:  # a key that is not text (no parser makes one): left to semantic_problems
            cited = None
    return Walked(True, freeze(data), cited)


def _walk(data: Any) -> Walked:
    """:func:`walk_profile`'s walk; raises _Refused or _Odd. Scalars are handled in the loops
    (a call per container, none per scalar); the citing loops keep the path, the others do not.
    The four loops are spelt out rather than sharing a function per value: a call per scalar
    would cost about what walking once saves."""
    seen: set[int] = set()
    path: list[Any] = []
    found: list[Citation] = []
    search = _LONE_SURROGATE.search
    isfinite = math.isfinite

    def scalar(item: Any) -> None:
        """The rules for a value that is neither text nor an exact dict or list."""
        if type(item) is float:
            if not isfinite(item):
                raise _Refused
        elif type(item) not in _PLAIN and isinstance(item, _RULED):
            raise _Odd

    # -- shape rules and the copy (the profile's sources, a list of citations, and under them)

    def copy_dict(node: dict[Any, Any], depth: int) -> FrozenDict:
        if depth > MAX_DEPTH or id(node) in seen:
            raise _Refused
        seen.add(id(node))
        try:
            keys = "".join(node)
        except TypeError:  # keys that are not text: the three passes decide
            raise _Odd from None
        if not keys.isascii() and search(keys):
            raise _Refused
        out = {}
        for key, item in node.items():
            kind = type(item)
            if kind is str:
                if not item.isascii() and search(item):
                    raise _Refused
            elif kind is dict:
                item = copy_dict(item, depth + 1)
            elif kind is list:
                item = copy_list(item, depth + 1)
            elif kind not in _PLAIN:
                scalar(item)
            out[key] = item
        return FrozenDict(out)

    def copy_list(node: list[Any], depth: int) -> FrozenList:
        if depth > MAX_DEPTH or id(node) in seen:
            raise _Refused
        seen.add(id(node))
        if set(map(type, node)) <= _TEXT:  # a list of text (source ids, names): its rule on all at once
            joined = "".join(node)
            if not joined.isascii() and search(joined):
                raise _Refused
            return FrozenList(node)
        out = []
        for item in node:
            kind = type(item)
            if kind is str:
                if not item.isascii() and search(item):
                    raise _Refused
            elif kind is dict:
                item = copy_dict(item, depth + 1)
            elif kind is list:
                item = copy_list(item, depth + 1)
            elif kind not in _PLAIN:
                scalar(item)
            out.append(item)
        return FrozenList(out)

    # -- the same, and the citations (everywhere else)

    def cite_dict(node: dict[Any, Any], depth: int) -> FrozenDict:
        if depth > MAX_DEPTH or id(node) in seen:
            raise _Refused
        seen.add(id(node))
        try:
            keys = "".join(node)
        except TypeError:  # keys that are not text: the three passes decide
            raise _Odd from None
        if not keys.isascii() and search(keys):
            raise _Refused
        out = {}
        for key, item in node.items():
            kind = type(item)
            if kind is str:
                if not item.isascii() and search(item):
                    raise _Refused
            elif kind is dict:
                path.append(key)
                item = cite_dict(item, depth + 1)
                path.pop()
            elif kind is list:
                if key == "sources" or key.endswith("_sources"):  # a list of citations: nothing under it is one
                    for i, sid in enumerate(item):
                        if type(sid) is str:
                            found.append((sid, [*path, key, i]))
                    item = copy_list(item, depth + 1)
                else:
                    path.append(key)
                    item = cite_list(item, depth + 1)
                    path.pop()
            elif kind not in _PLAIN:
                scalar(item)
            out[key] = item
        return FrozenDict(out)

    def cite_list(node: list[Any], depth: int) -> FrozenList:
        if depth > MAX_DEPTH or id(node) in seen:
            raise _Refused
        seen.add(id(node))
        out = []
        for i, item in enumerate(node):
            kind = type(item)
            if kind is str:
                if not item.isascii() and search(item):
                    raise _Refused
            elif kind is dict:
                path.append(i)
                item = cite_dict(item, depth + 1)
                path.pop()
            elif kind is list:
                path.append(i)
                item = cite_list(item, depth + 1)
                path.pop()
            elif kind not in _PLAIN:
                scalar(item)
            out.append(item)
        return FrozenList(out)

    kind = type(data)
    if kind is dict:
        seen.add(id(data))
        try:
            keys = "".join(data)
        except TypeError:  # keys that are not text: the three passes decide
            raise _Odd from None
        if not keys.isascii() and search(keys):
            raise _Refused
        top = {}
        for key, value in data.items():  # the top's sources are the definitions; its *_sources no citations
            kind = type(value)
            if kind is str:
                if not value.isascii() and search(value):
                    raise _Refused
            elif kind is dict:
                if key == "sources":
                    value = copy_dict(value, 1)
                else:
                    path.append(key)
                    value = cite_dict(value, 1)
                    path.pop()
            elif kind is list:
                if key == "sources":
                    value = copy_list(value, 1)
                else:
                    path.append(key)
                    value = cite_list(value, 1)
                    path.pop()
            elif kind not in _PLAIN:
                scalar(value)
            top[key] = value
        return Walked(True, FrozenDict(top), found)
    if kind is list:
        return Walked(True, copy_list(data, 0), None)
    return Walked(True, copy_list([data], 0)[0], None)


def _odd() -> Any:
    raise _Odd


# -- the same walk for what json.loads made

#: A JSON escape that may make a lone surrogate (``\\ud800``-``\\udfff``); text decoded from
#: UTF-8 holds none of its own.
SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def may_hold_surrogates(json_text: str) -> bool:
    """False when data parsed from ``json_text``, text decoded from UTF-8 (which cannot hold a
    lone surrogate itself), certainly holds none: it has no escape that could make one; True
    when it may."""
    # a search for one character is a memchr; most profiles have no backslash at all
    return "\\" in json_text and SURROGATE_ESCAPE.search(json_text) is not None


def walk_json_profile(data: Any) -> Walked:
    """:func:`walk_profile` for what ``json.loads`` made of a text that :func:`may_hold_surrogates`
    cleared: the same verdict and read-only copy, ``cited_ids`` (the cited ids, in order)
    instead of ``cited``, and ``top_text``: the greatest text value (not key) below ":" in
    code-point order, "" if none (any text that begins with a digit is at most this).

    Such data can break only two shape rules: nesting deeper than MAX_DEPTH and a number that
    overflowed to infinity. Its containers are new dicts and lists (never one node twice), its
    keys and texts exact ``str`` without surrogates, its other values int, float, bool or None;
    so the walk tests depth and floats only and keeps no path. The caller vouches for the
    precondition; tests/test_assessment_fast_paths.py compares this with the plain passes on
    generated JSON texts.
    """
    try:
        return _walk_json(data)
    except _Refused:
        return Walked(False, None, None)


def _walk_json(data: Any) -> Walked:
    found: list[str] = []
    isfinite = math.isfinite
    text = _TEXT
    put = dict.__setitem__  # FrozenDict refuses changes; the walk fills in its own copies
    top = ""  # the greatest text value below ":" so far

    def copy_dict(node: dict[str, Any], depth: int) -> FrozenDict:
        nonlocal top
        if depth > MAX_DEPTH:
            raise _Refused
        out = FrozenDict(node)  # copied in C; each container child's copy is then put in its place
        for key, item in node.items():
            kind = type(item)
            if kind is str:
                if item < ":" and item > top:
                    top = item
            elif kind is dict:
                put(out, key, copy_dict(item, depth + 1))
            elif kind is list:
                put(out, key, copy_list(item, depth + 1))
            elif kind is float and not isfinite(item):
                raise _Refused
        return out

    def copy_list(node: list[Any], depth: int) -> FrozenList:
        nonlocal top
        if depth > MAX_DEPTH:
            raise _Refused
        kinds = set(map(type, node))
        if kinds <= text:  # a list of text (source ids, names): one test in C, mostly
            if node and min(node) < ":":
                top = max(top, max(item for item in node if item < ":"))
            return FrozenList(node)
        if kinds == _DICTS:  # a list of objects (sources, people, releases)
            return FrozenList([copy_dict(item, depth + 1) for item in node])
        out = []
        for item in node:
            kind = type(item)
            if kind is str:
                if item < ":" and item > top:
                    top = item
            elif kind is dict:
                item = copy_dict(item, depth + 1)
            elif kind is list:
                item = copy_list(item, depth + 1)
            elif kind is float and not isfinite(item):
                raise _Refused
            out.append(item)
        return FrozenList(out)

    def cite_dict(node: dict[str, Any], depth: int) -> FrozenDict:
        nonlocal top
        if depth > MAX_DEPTH:
            raise _Refused
        out = FrozenDict(node)
        for key, item in node.items():
            kind = type(item)
            if kind is str:
                if item < ":" and item > top:
                    top = item
            elif kind is dict:
                put(out, key, cite_dict(item, depth + 1))
            elif kind is list:
                if key == "sources" or key.endswith("_sources"):  # a list of citations: nothing under it is one
                    item = copy_list(item, depth + 1)
                    found.extend([sid for sid in item if type(sid) is str])
                else:
                    item = cite_list(item, depth + 1)
                put(out, key, item)
            elif kind is float and not isfinite(item):
                raise _Refused
        return out

    def cite_list(node: list[Any], depth: int) -> FrozenList:
        nonlocal top
        if depth > MAX_DEPTH:
            raise _Refused
        kinds = set(map(type, node))
        if kinds <= text:
            if node and min(node) < ":":
                top = max(top, max(item for item in node if item < ":"))
            return FrozenList(node)
        if kinds == _DICTS:  # a list of objects (sources, people, releases)
            return FrozenList([cite_dict(item, depth + 1) for item in node])
        out = []
        for item in node:
            kind = type(item)
            if kind is str:
                if item < ":" and item > top:
                    top = item
            elif kind is dict:
                item = cite_dict(item, depth + 1)
            elif kind is list:
                item = cite_list(item, depth + 1)
            elif kind is float and not isfinite(item):
                raise _Refused
            out.append(item)
        return FrozenList(out)

    if type(data) is dict:
        out = {}
        for key, value in data.items():  # the top's sources are the definitions; its *_sources no citations
            kind = type(value)
            if kind is str:
                if value < ":" and value > top:
                    top = value
            elif kind is dict:
                value = copy_dict(value, 1) if key == "sources" else cite_dict(value, 1)
            elif kind is list:
                value = copy_list(value, 1) if key == "sources" else cite_list(value, 1)
            elif kind is float and not isfinite(value):
                raise _Refused
            out[key] = value
        return Walked(True, FrozenDict(out), None, found, top)
    if type(data) is list:
        view = copy_list(data, 0)
    else:
        view = copy_list([data], 0)[0]
    return Walked(True, view, None, None, top)


# -- the citations alone

def _cited_sources(node: Any) -> list[tuple[str, list[Any]]]:
    """Every (source id, path) cited under a ``sources`` list of ids, in document order.

    A path is the list of keys and indexes to the citation; pointers are
    only built for the few that need reporting. Text, numbers and the like
    are passed over by their exact type first; :func:`_cited_sources_plain`
    is the plain walk it must equal (tests/test_assessment_fast_paths.py).
    """
    found: list[tuple[str, list[Any]]] = []
    path: list[Any] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                kind = type(value)
                if kind in _LEAVES and type(key) is str:
                    continue  # neither a list of ids nor anything to walk into
                path.append(key)
                if (key == "sources" or key.endswith("_sources")) and isinstance(value, list) and len(path) > 1:
                    for i, sid in enumerate(value):
                        if isinstance(sid, str):
                            found.append((sid, [*path, i]))
                elif isinstance(value, (dict, list)):
                    walk(value)
                path.pop()
        else:
            for i, value in enumerate(node):
                if type(value) not in _LEAVES and isinstance(value, (dict, list)):
                    path.append(i)
                    walk(value)
                    path.pop()

    if isinstance(node, (dict, list)):
        walk(node)
    return found


#: Exact types :func:`_cited_sources` passes over: parsed scalars, never a dict or a list.
_LEAVES = frozenset({str, int, float, bool, type(None)})


def _cited_sources_plain(node: Any) -> list[tuple[str, list[Any]]]:
    """:func:`_cited_sources`'s plain twin: every key tested, every value looked at."""
    found: list[tuple[str, list[Any]]] = []
    path: list[Any] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                path.append(key)
                if (key == "sources" or key.endswith("_sources")) and isinstance(value, list) and len(path) > 1:
                    for i, sid in enumerate(value):
                        if isinstance(sid, str):
                            found.append((sid, [*path, i]))
                elif isinstance(value, (dict, list)):
                    walk(value)
                path.pop()
        else:
            for i, value in enumerate(node):
                if isinstance(value, (dict, list)):
                    path.append(i)
                    walk(value)
                    path.pop()

    if isinstance(node, (dict, list)):
        walk(node)
    return found
