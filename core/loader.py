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

The reading is split by concern: :mod:`vendordd.documents` (the types),
:mod:`vendordd.file_reading` (bytes, within the limit), :mod:`vendordd.text_parsing`
(JSON/YAML/TOML), :mod:`vendordd.data_shape` (depth, aliases, numbers, surrogates),
:mod:`vendordd.profile_paths` (which files) and :mod:`vendordd.error_places`
(line and column of a pointer). This module is :func:`load_file`, which joins
them, :func:`load_profile`, the same for a profile with one walk doing the shape
rules, the checks' read-only copy and the citations (:mod:`vendordd.profile_walk`),
and the names callers import from it.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any, TypeVar

from .data_shape import MAX_DEPTH, check_shape, shape_is_fine
from .documents import Document, InputError, Problem, ProfileDocument, describe_type, escape_pointer
from .error_places import locate
from .file_reading import (
    MAX_FILE_BYTES,
    cannot_open,
    decode_text,
    file_kind,
    open_input,
    read_limited,
    too_large,
)
from .profile_paths import PROFILE_SUFFIXES, expand_paths
from .profile_walk import may_hold_surrogates, walk_json_profile, walk_profile, walk_profile_plain
from .text_parsing import kind_of, parse_text

D = TypeVar("D", bound=Document)

__all__ = ["MAX_DEPTH", "MAX_FILE_BYTES", "PROFILE_SUFFIXES", "Document", "InputError", "Problem", "ProfileDocument",
           "cannot_open", "check_shape", "describe_type", "escape_pointer", "expand_paths", "file_kind",
           "kind_of", "load_file", "load_profile", "locate", "open_input", "parse_text", "read_limited", "shape_is_fine",
           "too_large"]


def load_file(path: str | os.PathLike, display: str | None = None, limit: int | None = None) -> Document:
    """Read and parse one file (see the module docstring for the guarantees); ``limit``: its
    largest size in bytes (default :data:`MAX_FILE_BYTES`)."""
    path = Path(path)
    name = display or str(path)
    raw, regular, kind, data, _ = _parse_file(path, name, limit)
    check_shape(data, name)
    return _document(Document(name=name, path=path, data=data, sha256=hashlib.sha256(raw).hexdigest(),
                              kind=kind), raw, regular)


def load_profile(path: str | os.PathLike, display: str | None = None) -> ProfileDocument:
    """:func:`load_file` for a profile: the same guarantees and errors, and the read-only copy
    the checks get and the citations found in the walk that checks the shape rules
    (:func:`vendordd.profile_walk.walk_profile`, or :func:`~vendordd.profile_walk.walk_json_profile`
    for JSON it may trust further; one walk instead of three)."""
    path = Path(path)
    name = display or str(path)
    raw, regular, kind, data, text = _parse_file(path, name, None)
    # JSON text without an escape that could make a lone surrogate gives data only depth and
    # floats can make unfit: the walk made for it (walk_json_profile) tests just those
    walked = (walk_json_profile(data) if kind == "json" and not may_hold_surrogates(text)
              else walk_profile(data))
    if not walked.fine:
        check_shape(data, name)  # raises, naming the place
        walked = walk_profile_plain(data)
    doc = ProfileDocument(name=name, path=path, data=data, sha256=hashlib.sha256(raw).hexdigest(), kind=kind,
                          view=walked.view, cited=walked.cited, cited_ids=walked.cited_ids,
                          top_text=walked.top_text)
    return _document(doc, raw, regular)


def _parse_file(path: Path, name: str, limit: int | None) -> tuple[bytes, bool, str, Any, str]:
    """A file's bytes, whether it is a regular file, its kind, its parsed data (not yet
    shape-checked) and the text that was parsed."""
    raw, regular = read_limited(path, name, limit)
    kind = kind_of(path)
    text = decode_text(raw, name)
    data = parse_text(text, kind, name)
    if data is None:
        raise InputError([Problem(name, "the file holds no data: its YAML document is null "
                                        "(only comments, '~' or 'null')")])
    return raw, regular, kind, data, text


def _document(doc: D, raw: bytes, regular: bool) -> D:
    if not regular:  # a pipe cannot be read again to locate an error
        doc.extra["raw"] = raw
    return doc
