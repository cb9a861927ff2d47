"""A local stand-in for the Hugging Face Hub's model listing API, for offline tests.

It answers ``GET /api/models?author=A[&expand=...]`` the way the Hub does
(https://huggingface.co/docs/hub/api, "GET /api/models"): a JSON list of
model objects (``id``, ``author``, ``createdAt``, ``lastModified``,
``cardData``, ``tags``, ``gated`` false/"auto"/"manual", ``downloads``,
``downloadsAllTime``, ``likes``, ``childrenModelCount``, ``private``), paged
with a GitHub-style ``Link: <...>; rel="next"`` header carrying a cursor.
Only the requested ``expand`` fields are returned, as the Hub does.

``GET /api/models/<author>/<name>`` answers one model, the only endpoint
that gives ``childrenModelCount``; a listing asking for it is refused with
400, as on the Hub.

It also serves files for the lists collector (``files``: path -> bytes, with
``Last-Modified``; a ``truncate`` set of paths whose body stops short of
their Content-Length).

Everything listens on 127.0.0.1 only, and the server stops with the fixture.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

#: ``expand`` values the Hub answers only for one model, never in a listing.
LISTING_REFUSES = frozenset({"baseModels", "childrenModelCount", "usedStorage"})


@dataclass
class HubState:
    models: list[dict[str, Any]] = field(default_factory=list)
    page_size: int = 1000
    fail_status: int | None = None  # answer every request with this status
    fail_after_pages: int | None = None  # fail from this page on (0-based)
    retry_after: str | None = None
    files: dict[str, bytes] = field(default_factory=dict)
    last_modified: dict[str, str] = field(default_factory=dict)
    truncate: set[str] = field(default_factory=set)
    requests: list[str] = field(default_factory=list)
    model_requests: int = 0
    fail_model_info: int | None = None  # answer GET /api/models/{repo} with this status


def make_handler(state: HubState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:  # keep test output quiet
            pass

        def setup(self) -> None:
            super().setup()
            # headers and body go out in two writes: without this, Nagle's algorithm and the
            # client's delayed ACK add 40 ms to every keep-alive request
            import socket

            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None,
                  length: int | None = None) -> None:
            self.send_response(status)
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body) if length is None else length))
            if length is not None and length != len(body):
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            state.requests.append(self.path)
            parts = urlsplit(self.path)
            if state.fail_status is not None and state.fail_after_pages is None:
                headers = {"Retry-After": state.retry_after} if state.retry_after else {}
                self._send(state.fail_status, b'{"error": "failing on purpose"}', headers)
                return
            if parts.path == "/api/models":
                self._models(parts.query)
                return
            if parts.path.startswith("/api/models/"):
                self._model(parts.path[len("/api/models/"):], parts.query)
                return
            if parts.path in state.files:
                body = state.files[parts.path]
                headers = {"Content-Type": "application/octet-stream"}
                if parts.path in state.last_modified:
                    headers["Last-Modified"] = state.last_modified[parts.path]
                if parts.path in state.truncate:
                    self._send(200, body[: len(body) // 2], headers, length=len(body))
                else:
                    self._send(200, body, headers)
                return
            self._send(404, b'{"error": "not found"}')

        def _model(self, repo_id: str, query: str) -> None:
            """GET /api/models/{repo_id}: one model; the only place childrenModelCount is answered."""
            state.model_requests += 1
            if state.fail_model_info is not None:
                self._send(state.fail_model_info, b'{"error": "failing on purpose"}')
                return
            found = next((m for m in state.models if m["id"] == repo_id), None)
            if found is None:
                self._send(404, b'{"error": "Repository not found"}')
                return
            expand = parse_qs(query).get("expand") or list(found)
            item = {"_id": found["id"], "id": found["id"], **{k: v for k, v in found.items() if k in expand}}
            self._send(200, json.dumps(item).encode(), {"Content-Type": "application/json"})

        def _models(self, query: str) -> None:
            params = parse_qs(query)
            author = (params.get("author") or [None])[0]
            expand = params.get("expand") or params.get("expand[]")
            if set(expand or ()) & LISTING_REFUSES:  # as the Hub does (huggingface_hub PR #3182)
                self._send(400, b'{"error": "expand: not allowed when listing models"}')
                return
            cursor = int((params.get("cursor") or ["0"])[0])
            page = cursor // state.page_size
            if state.fail_after_pages is not None and page >= state.fail_after_pages:
                self._send(state.fail_status or 500, b'{"error": "failing on purpose"}')
                return
            found = [m for m in state.models if author is None or m["id"].split("/")[0] == author]
            chunk = found[cursor:cursor + state.page_size]
            out = []
            for m in chunk:
                item = {"_id": m.get("_id", m["id"]), "id": m["id"]}
                if expand:
                    item.update({k: v for k, v in m.items() if k in expand})
                else:  # the Hub's default fields
                    item.update({k: m[k] for k in ("likes", "downloads", "tags", "pipeline_tag",
                                                   "createdAt", "private") if k in m})
                out.append(item)
            headers = {"Content-Type": "application/json"}
            if cursor + state.page_size < len(found):
                rest = {k: v for k, v in params.items() if k != "cursor"}
                host = self.headers.get("Host")
                nxt = f"http://{host}/api/models?{urlencode(rest, doseq=True)}&cursor={cursor + state.page_size}"
                headers["Link"] = f'<{nxt}>; rel="next"'
            self._send(200, json.dumps(out).encode(), headers)

    return Handler


class FakeHub:
    """A running fake Hub: ``url`` to point HF_ENDPOINT at, ``state`` to shape its answers."""

    def __init__(self) -> None:
        self.state = HubState()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(self.state))
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def model(repo_id: str, created: str, *, licence: str | None = "apache-2.0", license_name: str | None = None,
          gated: Any = False, downloads_all_time: int = 1000, downloads: int = 100, likes: int = 10,
          children: int = 0, tags: list[str] | None = None, card: bool = True, **extra: Any) -> dict[str, Any]:
    """One model object as the Hub's listing returns it (every expandable field we read)."""
    card_data: dict[str, Any] | None = None
    tag_list = list(tags or [])
    if card:
        card_data = {}
        if licence is not None:
            card_data["license"] = licence
            tag_list.append(f"license:{licence}")
        if license_name:
            card_data["license_name"] = license_name
    return {"id": repo_id, "author": repo_id.split("/")[0], "createdAt": f"{created}T10:00:00.000Z",
            "lastModified": f"{created}T12:00:00.000Z", "cardData": card_data, "tags": tag_list,
            "gated": gated, "downloads": downloads, "downloadsAllTime": downloads_all_time, "likes": likes,
            "childrenModelCount": children, "private": False, "disabled": False,
            "pipeline_tag": "text-generation", **extra}


def fictional_author(author: str = "northwind-ai") -> list[dict[str, Any]]:
    """30 models in 5 families, as the issue's acceptance test asks.

    Families: Nimbus-1 (Apache-2.0, 8 repos: sizes, instruct, GGUF quantisations), Nimbus-1.5
    (MIT, 6), Nimbus-Coder (Apache-2.0, 6), Stratus-v2 (gated, licence 'other' named
    'northwind-community', 5) and Cirrus-Embed (cc-by-nc-4.0, 5).
    """
    a = author
    out = []
    for i, size in enumerate(("1B", "7B", "70B")):
        out.append(model(f"{a}/Nimbus-1-{size}", f"2025-01-1{i}", downloads_all_time=10_000 * (i + 1),
                         children=3))
        out.append(model(f"{a}/Nimbus-1-{size}-Instruct", f"2025-01-1{i}", downloads_all_time=20_000,
                         children=5))
    out.append(model(f"{a}/nimbus-1-7b-instruct-gguf", "2025-02-01",
                     tags=[f"base_model:quantized:{a}/Nimbus-1-7B-Instruct"]))
    out.append(model(f"{a}/Nimbus-1-70B-Instruct-AWQ", "2025-02-02",
                     tags=[f"base_model:quantized:{a}/Nimbus-1-70B-Instruct"]))
    for i, size in enumerate(("3B", "14B", "32B")):
        out.append(model(f"{a}/Nimbus-1.5-{size}", f"2025-06-0{i + 1}", licence="mit"))
        out.append(model(f"{a}/Nimbus-1.5-{size}-Chat", f"2025-06-0{i + 1}", licence="mit"))
    for i, size in enumerate(("1.5B", "7B", "32B")):
        out.append(model(f"{a}/Nimbus-Coder-{size}", f"2025-08-1{i}"))
        out.append(model(f"{a}/Nimbus-Coder-{size}-Instruct", f"2025-08-1{i}"))
    for i, size in enumerate(("8B", "70B", "405B", "8B-Instruct", "70B-Instruct")):
        out.append(model(f"{a}/Stratus-v2-{size}", f"2025-10-0{i + 1}", licence="other",
                         license_name="northwind-community", gated="manual", downloads_all_time=50_000))
    for i, size in enumerate(("small", "base", "large", "xl", "xxl")):
        out.append(model(f"{a}/Cirrus-Embed-{size}", f"2026-02-0{i + 1}", licence="cc-by-nc-4.0"))
    assert len(out) == 30
    return out


def loopback_only(monkeypatch: Any) -> list[str]:
    """Refuse any connection that is not to this machine; returns the refused addresses.

    A guard for "no test touches the network": a request that escaped the fake
    Hub fails the test instead of leaving the machine.
    """
    import socket

    refused: list[str] = []
    real_connect = socket.socket.connect

    def connect(self: socket.socket, address: Any) -> Any:
        host = address[0] if isinstance(address, tuple) else str(address)
        if isinstance(address, tuple) and host not in ("127.0.0.1", "::1", "localhost"):
            refused.append(str(host))
            raise ConnectionRefusedError(f"test guard: no network ({host})")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    return refused


def point_hub_client_at(monkeypatch: Any, url: str, home: Any) -> None:
    """Make huggingface_hub talk to ``url`` only, whenever it was imported.

    ``HF_ENDPOINT`` is what vendordd reads (at call time); huggingface_hub
    reads it once at import into ``constants.ENDPOINT``, which its helpers
    use, so that is set too. No token, no telemetry, a throwaway HF_HOME.
    """
    monkeypatch.setenv("HF_ENDPOINT", url)
    monkeypatch.setenv("HF_HOME", str(home))
    monkeypatch.setenv("HF_HUB_DISABLE_TELEMETRY", "1")
    monkeypatch.delenv("HF_TOKEN", raising=False)
    monkeypatch.delenv("HUGGING_FACE_HUB_TOKEN", raising=False)
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "ENDPOINT", url)
    monkeypatch.setattr(constants, "HF_HUB_DISABLE_IMPLICIT_TOKEN", True)
