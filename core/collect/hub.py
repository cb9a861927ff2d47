"""Reading an author's public model repositories through ``huggingface_hub``.

``huggingface_hub`` is the Hub's own client: it honours ``HF_ENDPOINT`` (a
mirror, or a test server) and ``HF_TOKEN``, follows the API's ``Link``
pagination and retries 429 and 5xx answers and network errors with
exponential back-off (1, 2, 4, 8, 8 s; a 429's ``Retry-After`` or
rate-limit reset is honoured). What it does not do is time out: its shared
HTTP client waits for ever. :func:`use_timeouts` installs a client whose
transport puts a timeout on every request that has none.

The listing (one request per page, whatever the number of repositories)
gives every field but one: see :data:`EXPAND`. The number of models derived
from a repository (``childrenModelCount``, the Hub's model tree) is only
answered by the per-repository endpoint (``HfApi.model_info``; the listing
refuses it), so :func:`children_counts` asks once per repository. That call
of huggingface_hub has no retries, so this module retries it itself.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from . import CollectError
from .licences import hub_licence

#: The fields asked of the Hub for each repository (``expand=`` of /api/models).
EXPAND = ["createdAt", "lastModified", "cardData", "tags", "gated", "downloads", "downloadsAllTime",
          "likes", "private", "disabled", "pipeline_tag"]
RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
DEFAULT_ENDPOINT = "https://huggingface.co"
DEFAULT_TIMEOUT = 30.0


@dataclass(frozen=True)
class HubModel:
    """One model repository as the Hub describes it. None means "the Hub did not say"."""

    repo_id: str
    created: dt.date | None
    last_modified: dt.date | None
    licence: str | None
    licence_how: str  # how the licence was read (licences.hub_licence)
    licence_raw: str | None  # the Hub's own value, for notes and conflicts
    gated: bool | None
    downloads_all_time: int | None
    downloads_30d: int | None
    likes: int | None
    children: int | None  # models whose base_model is this one (the Hub's count)
    tags: tuple[str, ...] = field(default=())
    pipeline_tag: str | None = None

    def url(self, endpoint: str) -> str:
        return f"{endpoint.rstrip('/')}/{self.repo_id}"


def endpoint() -> str:
    """The Hub address in use: ``HF_ENDPOINT`` when set (read now, not at import)."""
    return (os.environ.get("HF_ENDPOINT") or DEFAULT_ENDPOINT).rstrip("/")


def use_timeouts(seconds: float = DEFAULT_TIMEOUT) -> None:
    """Make huggingface_hub's shared HTTP client time out after ``seconds``.

    huggingface_hub passes ``timeout=None`` (no limit) on listing requests;
    the transport below replaces an all-None timeout by ``seconds`` for
    connect, read, write and pool. A timed-out request is retried with back-off
    by huggingface_hub like any network error.
    """
    import httpx2
    from huggingface_hub.utils import _http

    class TimeoutTransport(httpx2.HTTPTransport):
        def handle_request(self, request: Any) -> Any:
            timeout = request.extensions.get("timeout") or {}
            if not any(v is not None for v in timeout.values()):
                request.extensions = {**request.extensions,
                                      "timeout": httpx2.Timeout(seconds).as_dict()}
            return super().handle_request(request)

    def factory() -> Any:
        return httpx2.Client(event_hooks={"request": [_http.hf_request_event_hook]},
                             follow_redirects=True, timeout=seconds, transport=TimeoutTransport())

    _http.set_client_factory(factory)


def _day(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).date() if value.tzinfo else value.date()
    if isinstance(value, dt.date):
        return value
    return None


def _card_value(card: Any, key: str) -> Any:
    if card is None:
        return None
    if isinstance(card, dict):
        return card.get(key)
    return getattr(card, key, None)


def licence_of(card: Any, tags: tuple[str, ...]) -> tuple[str | None, str, str | None]:
    """``(licence, how, the Hub's value)`` from the card data, else the ``license:`` tag.

    Several licences for one repository (a list in the card, or several
    tags) are recorded as none, with ``how`` saying so: the profile holds one
    licence per release, and picking one would be a guess.
    """
    raw = _card_value(card, "license")
    name = _card_value(card, "license_name")
    if isinstance(raw, list):
        values = [str(v) for v in raw if v]
        if len(values) > 1:
            return None, "several licences stated", ", ".join(values)
        raw = values[0] if values else None
    if not raw:
        tagged = [t.split(":", 1)[1] for t in tags if t.startswith("license:")]
        if len(tagged) > 1:
            return None, "several licences stated", ", ".join(tagged)
        raw = tagged[0] if tagged else None
    licence, how = hub_licence(str(raw) if raw else None, str(name) if name else None)
    shown = f"{raw} ({name})" if raw and str(raw).lower() == "other" and name else raw
    return licence, how, str(shown) if shown else None


def to_model(info: Any) -> HubModel:
    """A :class:`HubModel` from a ``huggingface_hub.ModelInfo``."""
    tags = tuple(str(t) for t in (getattr(info, "tags", None) or ()))
    licence, how, raw = licence_of(getattr(info, "card_data", None), tags)
    gated = getattr(info, "gated", None)

    def count(value: Any) -> int | None:
        return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None

    return HubModel(
        repo_id=str(info.id), created=_day(getattr(info, "created_at", None)),
        last_modified=_day(getattr(info, "last_modified", None)),
        licence=licence, licence_how=how, licence_raw=raw,
        gated=None if gated is None else bool(gated),  # False, or "auto"/"manual"
        downloads_all_time=count(getattr(info, "downloads_all_time", None)),
        downloads_30d=count(getattr(info, "downloads", None)),
        likes=count(getattr(info, "likes", None)),
        children=count(getattr(info, "children_model_count", None)),
        tags=tags, pipeline_tag=getattr(info, "pipeline_tag", None))


def list_author_models(author: str, *, progress: Callable[[int], None] | None = None,
                       timeout: float = DEFAULT_TIMEOUT, token: str | bool | None = None) -> list[HubModel]:
    """Every public model repository of ``author``, read through ``HfApi.list_models``.

    Private and disabled repositories are left out (the listing shows a
    token holder's private repositories; they are not public evidence).
    Raises :class:`CollectError` with one line on any failure (offline,
    rate-limited, a server error after the retries, an unknown author).
    """
    try:
        from huggingface_hub import HfApi
    except ImportError:  # the optional extra is not installed
        raise CollectError("collecting from the Hugging Face Hub needs huggingface_hub: "
                           "pip install 'vendordd[collect]'") from None
    use_timeouts(timeout)
    api = HfApi(endpoint=endpoint(), token=token)
    out: list[HubModel] = []
    try:
        for info in _iter(api.list_models(author=author, expand=EXPAND)):  # type: ignore[arg-type]
            if getattr(info, "private", False) or getattr(info, "disabled", False):
                continue
            out.append(to_model(info))
            if progress is not None:
                progress(len(out))
    except CollectError:
        raise
    except Exception as exc:  # turned into one line; --debug shows the traceback
        raise CollectError(describe_failure(exc, endpoint())) from exc
    return out


def _retry_after(exc: BaseException) -> float | None:
    response = getattr(exc, "response", None)
    value = getattr(response, "headers", {}).get("Retry-After") if response is not None else None
    try:
        return min(60.0, max(0.0, float(value))) if value else None
    except ValueError:
        return None


def _retryable(exc: BaseException) -> bool:
    import httpx2

    status = getattr(getattr(exc, "response", None), "status_code", None)
    if status is not None:
        return status in RETRY_STATUS
    return isinstance(exc, (httpx2.TimeoutException, httpx2.NetworkError, httpx2.RemoteProtocolError))


def with_retries(call: Callable[[], Any], *, retries: int = 4, sleep: Callable[[float], None] | None = None) -> Any:
    """``call()``, retried on 429, 5xx, timeouts and network errors, waiting 1, 2, 4, 8 s (or Retry-After)."""
    wait = 1.0
    for attempt in range(retries + 1):
        try:
            return call()
        except Exception as exc:
            if attempt == retries or not _retryable(exc):
                raise
            (sleep or time.sleep)(_retry_after(exc) or wait)
            wait = min(wait * 2, 8.0)
    raise AssertionError("unreachable")


def children_counts(models: list[HubModel], *, progress: Callable[[int, int | None], None] | None = None,
                    timeout: float = DEFAULT_TIMEOUT, token: str | bool | None = None,
                    sleep: Callable[[float], None] | None = None) -> list[HubModel]:
    """``models`` with ``children`` filled from ``HfApi.model_info(expand=["childrenModelCount"])``.

    One request per repository. Raises :class:`CollectError` (one line) when
    one fails after the retries: a partial count would be a wrong figure.
    """
    from huggingface_hub import HfApi

    use_timeouts(timeout)
    api = HfApi(endpoint=endpoint(), token=token)
    out = []
    for i, m in enumerate(models):
        try:
            def lookup(repo: str = m.repo_id) -> Any:
                return api.model_info(repo, expand=["childrenModelCount"], timeout=timeout)

            info = with_retries(lookup, sleep=sleep)
        except Exception as exc:
            raise CollectError(describe_failure(exc, endpoint())) from exc
        value = getattr(info, "children_model_count", None)
        count = value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None
        out.append(dataclasses.replace(m, children=count))
        if progress is not None:
            progress(i + 1, len(models))
    return out


def _iter(items: Any) -> Iterator[Any]:
    yield from items


def describe_failure(exc: BaseException, where: str) -> str:
    """One line for a failed Hub request: offline, timed out, rate-limited, refused."""
    import httpx2

    response = getattr(exc, "response", None)
    status = getattr(response, "status_code", None)
    if status == 429:
        return (f"the Hugging Face Hub ({where}) is rate-limiting requests (HTTP 429) after retries; "
                f"wait and try again, or set HF_TOKEN for a higher limit")
    if status == 401 or status == 403:
        return f"the Hugging Face Hub ({where}) refused the request (HTTP {status}); check HF_TOKEN"
    if status is not None:
        return f"the Hugging Face Hub ({where}) answered HTTP {status} after retries; nothing was written"
    if isinstance(exc, httpx2.TimeoutException):
        return f"the Hugging Face Hub ({where}) did not answer in time, after retries; nothing was written"
    if isinstance(exc, (httpx2.ConnectError, httpx2.NetworkError, OSError)):
        return f"cannot reach the Hugging Face Hub ({where}): offline? ({type(exc).__name__}); nothing was written"
    first = str(exc).splitlines()[0] if str(exc) else ""
    return f"reading the Hugging Face Hub ({where}) failed: {type(exc).__name__}: {first}"[:300]
