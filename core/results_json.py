"""The text of the JSON results: ``json.dumps``'s bytes, written with orjson where that is the same.

:func:`iter_results_json` streams a results document as UTF-8 pieces whose
concatenation is exactly ``json.dumps(results, indent=indent,
ensure_ascii=False)`` (with ``indent=None``: ``separators=(",", ":")``,
the compact form). Top-level lists (and ``results["vendors"]`` as a
:class:`~vendordd.vendor_store.VendorStore`) are encoded an item at a time,
so the text of thousands of vendors never exists as one string.

Vendor entries, almost all of the bytes, are encoded with orjson (about
20 times faster than ``json``; benchmarks/results_json_bench.py) when its
text is ``json``'s. It differs in a few cases, each handled by encoding that
value with ``json`` instead (:func:`encode`):

- floats below 1e-4 (``json``: ``1e-05``; orjson: ``0.00001``, ``1e-7``):
  orjson's text is searched for such a number and, when found, not used;
- integers beyond 64 bits, keys that are not strings, types ``json`` cannot
  encode (orjson's dates and dataclasses are turned off): orjson raises;
- NaN and infinities (``json``: ``NaN``; orjson: ``null``): not found in
  orjson's text, so only vendor entries go through orjson. Their numbers are
  finite by construction: the loader refuses non-finite input numbers, the
  runner non-finite scores, confidences, metrics and facts. Everything else
  (the policy, the plugins' portfolio sections, ...) is small and is encoded
  with ``json``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import orjson

#: Types ``json`` refuses are refused by orjson too, so that ``json`` decides (and raises).
_ORJSON_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
#: How orjson writes a float below 1e-4, which ``json`` writes otherwise: ``0.0000...`` or
#: ``<digit>e-...``. Either may match inside a string too, which only costs a ``json`` encoding.
#: (The literal first and the digit looked behind: ten times faster than ``[0-9]e-``.)
_DECIMAL_SMALL = b"0.0000"
_EXPONENT_SMALL = re.compile(rb"e-(?<=[0-9]e-)")


def encode(value: Any, indent: int | None = None) -> bytes:
    """``json.dumps(value, indent=indent, ensure_ascii=False)`` as UTF-8 (compact when ``indent`` is None).

    orjson writes it when it can give the same bytes (compact or indented by
    2, and see the module docstring); otherwise ``json`` does. ``value`` must
    hold no NaN or infinity (orjson writes them as ``null``).
    """
    if indent is None or indent == 2:
        try:
            text = orjson.dumps(value, option=_ORJSON_OPTIONS | (orjson.OPT_INDENT_2 if indent else 0))
        except TypeError:  # orjson.JSONEncodeError is a TypeError
            pass
        else:
            if _DECIMAL_SMALL not in text and not _EXPONENT_SMALL.search(text):
                return text
    return dumps(value, indent).encode("utf-8")


def dumps(value: Any, indent: int | None = None) -> str:
    """The reference: ``json.dumps`` with the results file's options."""
    if indent is None:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return json.dumps(value, indent=indent, ensure_ascii=False)


def iter_results_json(results: Mapping[str, Any], indent: int | None = None) -> Iterator[bytes]:
    """The pieces of ``dumps(results, indent)`` as UTF-8 (see the module docstring)."""
    if not results:
        yield b"{}"
        return
    step = " " * indent if indent is not None else None
    key_sep = ": " if indent is not None else ":"
    for n, (key, value) in enumerate(results.items()):
        head = "{" if n == 0 else ","
        if step is not None:
            head += "\n" + step
        yield (head + json.dumps(key, ensure_ascii=False) + key_sep).encode("utf-8")
        if isinstance(value, Sequence) and not isinstance(value, (str, bytes)):
            yield from _iter_list(value, step, step, fast=key == "vendors")
        else:
            yield _nested(dumps(value, indent).encode("utf-8"), step)
    yield b"\n}" if step is not None else b"}"


def _iter_list(items: Sequence[Any], outer: str | None, step: str | None, *, fast: bool) -> Iterator[bytes]:
    if not len(items):
        yield b"[]"
        return
    indent = None if step is None else len(step)
    inner = None if outer is None or step is None else outer + step
    for n, item in enumerate(items):
        head = b"[" if n == 0 else b","
        if inner is not None:
            head += b"\n" + inner.encode()
        text = encode(item, indent) if fast else dumps(item, indent).encode("utf-8")
        yield head + _nested(text, inner)
    yield b"]" if outer is None else b"\n" + outer.encode() + b"]"


def _nested(text: bytes, prefix: str | None) -> bytes:
    """``text`` (indented from column 0) moved right by ``prefix``."""
    # JSON strings hold no raw line feeds, so every b"\n" of the text is layout.
    return text if not prefix else text.replace(b"\n", b"\n" + prefix.encode())
