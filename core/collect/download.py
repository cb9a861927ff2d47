"""Downloading one file over HTTP(S): timeouts, retries with back-off, a checked length.

Standard library only (``urllib``), so ``vendordd collect lists`` needs no
optional extra. The contract of :func:`download`:

- each attempt has a timeout (connect and each read);
- a network error, a timeout, HTTP 429 or 5xx is retried, waiting 1, 2, 4,
  8 ... seconds (a ``Retry-After`` in seconds is honoured, up to
  :data:`MAX_WAIT`); other HTTP errors (404, 403) are not retried;
- a body shorter (or longer) than its ``Content-Length`` is refused, and so
  is an empty body: a truncated list must never replace a complete one;
- the body goes to the file object given, with its sha256 computed on the way;
- failure raises :class:`vendordd.collect.CollectError` with one line.
"""

from __future__ import annotations

import email.utils
import hashlib
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO

from . import CollectError

CHUNK = 1 << 16
MAX_WAIT = 60.0
RETRY_STATUS = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class Downloaded:
    """What one download produced (the body is in the caller's file)."""

    url: str
    sha256: str
    size: int
    last_modified: str | None  # ISO day from the Last-Modified header, if any
    content_type: str | None


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return min(MAX_WAIT, max(0.0, float(value)))
    except ValueError:
        return None


def _http_day(value: str | None) -> str | None:
    if not value:
        return None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return when.date().isoformat() if when else None


def download(url: str, out: IO[bytes], *, timeout: float = 60.0, retries: int = 4,
             sleep: Callable[[float], None] = time.sleep,
             progress: Callable[[int, int | None], None] | None = None,
             user_agent: str = "vendordd") -> Downloaded:
    """Fetch ``url`` into ``out`` (rewound and truncated before each attempt)."""
    wait = 1.0
    last_error = ""
    for attempt in range(retries + 1):
        out.seek(0)
        out.truncate()
        retry_in: float = wait
        try:
            return _attempt(url, out, timeout, progress, user_agent)
        except urllib.error.HTTPError as exc:
            if exc.code not in RETRY_STATUS:
                raise CollectError(f"{url}: HTTP {exc.code} {exc.reason}") from None
            last_error = ("rate-limited (HTTP 429)" if exc.code == 429 else f"HTTP {exc.code} {exc.reason}")
            retry_in = _retry_after(exc.headers.get("Retry-After") if exc.headers else None) or wait
        except _Short as exc:
            last_error = str(exc)
        except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            last_error = f"cannot connect: {reason}" if isinstance(exc, urllib.error.URLError) else (
                f"{type(exc).__name__}: {exc}")
        if attempt < retries:
            sleep(retry_in)
            wait = min(wait * 2, MAX_WAIT)
    raise CollectError(f"{url}: {last_error} (after {retries + 1} attempts); offline?"
                       if last_error.startswith("cannot connect") else
                       f"{url}: {last_error} (after {retries + 1} attempts)")


class _Short(Exception):
    """The body did not match its Content-Length (a truncated or padded download)."""


def _attempt(url: str, out: IO[bytes], timeout: float,
             progress: Callable[[int, int | None], None] | None, user_agent: str) -> Downloaded:
    request = urllib.request.Request(url, headers={"User-Agent": user_agent})
    digest = hashlib.sha256()
    size = 0
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (http(s) URLs only)
        length_text = response.headers.get("Content-Length")
        length = int(length_text) if length_text and length_text.isdigit() else None
        while True:
            try:
                chunk = response.read(CHUNK)
            except Exception as exc:  # http.client.IncompleteRead and friends: a cut connection
                raise _Short(f"the download stopped after {size:,} bytes ({type(exc).__name__})") from None
            if not chunk:
                break
            out.write(chunk)
            digest.update(chunk)
            size += len(chunk)
            if progress is not None:
                progress(size, length)
        if length is not None and size != length:
            raise _Short(f"truncated download: {size:,} of {length:,} bytes")
        if size == 0:
            raise _Short("empty download")
        return Downloaded(url=url, sha256=digest.hexdigest(), size=size,
                          last_modified=_http_day(response.headers.get("Last-Modified")),
                          content_type=response.headers.get("Content-Type"))
