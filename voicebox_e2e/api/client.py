"""A typed client for the parts of the Voicebox HTTP API the suite uses.

Every call raises ``ApiError`` (with the HTTP status and body) for an answer that is not 200, and
``requests`` errors for a connection that fails. ``follow_status`` reads the SSE status stream of
one generation until a terminal status, the deadline, or the server's death.
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from urllib.parse import urlsplit
from typing import Any, Callable, Iterator, Optional

import requests
import sseclient

TERMINAL_STATUSES = ("completed", "failed", "not_found")
_ANSWERED = re.compile(r"\banswered HTTP (\d{3})\b")


def http_status_in(message: str) -> Optional[int]:
    """The HTTP status an ``ApiError`` message names (a step's failure text carries only words)."""
    found = _ANSWERED.search(message)
    return int(found.group(1)) if found else None


class ApiError(RuntimeError):
    def __init__(self, method: str, path: str, status: int, body: str) -> None:
        detail = body
        try:
            parsed = json.loads(body)
            if isinstance(parsed, dict) and "detail" in parsed:
                detail = json.dumps(parsed["detail"]) if not isinstance(parsed["detail"], str) else parsed["detail"]
        except ValueError:
            pass
        super().__init__(f"{method} {path} answered HTTP {status}: {detail.strip()[:500]}")
        self.method, self.path, self.status, self.body = method, path, status, body


@dataclass(frozen=True)
class Exchange:
    """One request and its answer, kept for the report's attachments."""

    method: str
    path: str
    request: Optional[str]
    status: int
    response: str


@dataclass(frozen=True)
class Answer:
    """An HTTP answer of any status, with its JSON body (or text when it is not JSON)."""

    status: int
    body: Any


class Outcome(Enum):
    TERMINAL = "terminal"
    TIMEOUT = "timeout"
    SERVER_EXITED = "server_exited"
    MALFORMED = "malformed"


@dataclass
class StatusResult:
    outcome: Outcome
    last: Optional[dict[str, Any]] = None
    events: int = 0
    reconnects: int = 0
    statuses: list[str] = field(default_factory=list)
    detail: str = ""


class ProgressWatcher:
    """Reports a model's download progress (GET /models/progress/{model}) while a row waits.

    The stream is closed by ``stop`` (and by ``VoiceboxClient.close_streams`` before any
    shutdown): the real server never finishes a SIGTERM while one is open.
    """

    def __init__(self, client: "VoiceboxClient", model_name: str, report: Callable[[str], None], every_percent: float = 10.0) -> None:
        self.client, self.model_name, self.report = client, model_name, report
        self.every_percent = every_percent
        self.events = 0
        self._thread = threading.Thread(target=self._watch, name=f"progress-{model_name}", daemon=True)

    def start(self) -> "ProgressWatcher":
        self._thread.start()
        return self

    def _watch(self) -> None:
        shown = -self.every_percent
        try:
            for data in self.client.events(f"/models/progress/{self.model_name}", read_timeout=60):
                event = json.loads(data)
                self.events += 1
                percent = float(event.get("progress") or 0.0)
                status = event.get("status")
                if percent - shown >= self.every_percent or status != "downloading":
                    shown = percent
                    size = f"{(event.get('current') or 0) / 1e6:,.0f}/{(event.get('total') or 0) / 1e6:,.0f} MB"
                    self.report(f"downloading {self.model_name}: {percent:.0f}% ({size}, {event.get('filename')}) [{status}]")
        except (requests.RequestException, ValueError, AttributeError):
            pass  # closed by stop(), or the server went away: the status stream will say so

    def stop(self) -> None:
        self.client.close_streams(f"/models/progress/{self.model_name}")
        self._thread.join(timeout=5)


def _shut_down(answer: requests.Response) -> None:
    """Shut the stream's socket down: a reader blocked in another thread wakes at once (closing
    the response alone leaves it waiting for the server's next event)."""
    connection = getattr(answer.raw, "connection", None)  # urllib3's HTTPResponse.connection
    sock = getattr(connection, "sock", None)
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass  # already closed


class VoiceboxClient:
    def __init__(self, base_url: str, timeout: float = 30.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.http = requests.Session()
        self.exchanges: list[Exchange] = []
        self._streams: set[requests.Response] = set()
        self._streams_lock = threading.Lock()

    # -- plain calls ---------------------------------------------------------------------------

    def _send(self, method: str, path: str, body: Optional[dict[str, Any]] = None, record: bool = True, **kwargs: Any) -> requests.Response:
        """One request, recorded (with a readable stand-in for binary bodies) for the report
        unless ``record`` is False (a poll repeated many times a row)."""
        answer = self.http.request(method, self.base_url + path, json=body, timeout=kwargs.pop("timeout", self.timeout), **kwargs)
        if record:
            textual = "json" in answer.headers.get("content-type", "") or answer.status_code != 200
            shown = answer.text if textual else f"<{len(answer.content)} bytes of {answer.headers.get('content-type', '?')}>"
            self.exchanges.append(Exchange(method, path, None if body is None else json.dumps(body), answer.status_code, shown))
        return answer

    def _call(self, method: str, path: str, *, body: Optional[dict[str, Any]] = None, record: bool = True, **kwargs: Any) -> requests.Response:
        answer = self._send(method, path, body, record, **kwargs)
        if answer.status_code != 200:
            raise ApiError(method, path, answer.status_code, answer.text)
        return answer

    def request(self, method: str, path: str, body: Optional[dict[str, Any]] = None, **kwargs: Any) -> "Answer":
        """Any call, answered whatever its status (for checks of the API's error answers)."""
        answer = self._send(method, path, body, **kwargs)
        try:
            parsed: Any = answer.json()
        except ValueError:
            parsed = answer.text
        return Answer(answer.status_code, parsed)

    def health(self) -> dict[str, Any]:
        return dict(self._call("GET", "/health", timeout=5.0).json())

    def version(self) -> Optional[str]:
        """The running server's version, as its ``--version`` prints it ("voicebox-server 0.5.0").

        ``GET /`` answers ``{"message": "voicebox API", "version": ...}`` (a Docker build serves
        its web app there instead: no version then).
        """
        try:
            body = self._call("GET", "/", timeout=5.0).json()
        except ValueError:
            return None
        version = body.get("version") if isinstance(body, dict) else None
        return None if version is None else f"voicebox-server {version}"

    def create_profile(self, body: dict[str, Any]) -> dict[str, Any]:
        return dict(self._call("POST", "/profiles", body=body).json())

    def list_profiles(self) -> list[dict[str, Any]]:
        return list(self._call("GET", "/profiles").json())

    def get_profile(self, profile_id: str) -> Optional[dict[str, Any]]:
        try:
            return dict(self._call("GET", f"/profiles/{profile_id}").json())
        except ApiError as exc:
            if exc.status == 404:
                return None
            raise

    def upload_sample(self, profile_id: str, wav: Path, reference_text: str) -> dict[str, Any]:
        with wav.open("rb") as handle:
            files = {"file": (wav.name, handle, "audio/wav")}
            answer = self._call(
                "POST", f"/profiles/{profile_id}/samples", files=files, data={"reference_text": reference_text}, timeout=120.0
            )
        return dict(answer.json())

    def model_status(self) -> list[dict[str, Any]]:
        return list(self._call("GET", "/models/status", timeout=15.0).json()["models"])

    def start_download(self, model_name: str) -> None:
        """POST /models/download: the server fetches (and loads) the model in the background."""
        self._call("POST", "/models/download", body={"model_name": model_name})

    def active_downloads(self) -> dict[str, dict[str, Any]]:
        """GET /tasks/active's downloads by model name (a finished one is no longer listed)."""
        answer = self._call("GET", "/tasks/active", timeout=10.0).json()
        return {str(d["model_name"]): dict(d) for d in answer.get("downloads", [])}

    def generate(self, body: dict[str, Any]) -> dict[str, Any]:
        return dict(self._call("POST", "/generate", body=body).json())

    def history(self, generation_id: str, record: bool = True) -> dict[str, Any]:
        return dict(self._call("GET", f"/history/{generation_id}", record=record).json())

    def audio(self, generation_id: str) -> bytes:
        return bytes(self._call("GET", f"/audio/{generation_id}", timeout=60.0).content)

    # -- streams -------------------------------------------------------------------------------

    def _open_stream(self, path: str, read_timeout: float) -> requests.Response:
        answer = self.http.get(self.base_url + path, stream=True, timeout=(5.0, read_timeout), headers={"Accept": "text/event-stream"})
        if answer.status_code != 200:
            body = answer.text
            answer.close()
            raise ApiError("GET", path, answer.status_code, body)
        with self._streams_lock:
            self._streams.add(answer)
        return answer

    def _release(self, answer: requests.Response) -> None:
        with self._streams_lock:
            self._streams.discard(answer)
        answer.close()

    def close_streams(self, path_prefix: str = "") -> None:
        """Close the open SSE streams (all of them by default: before a shutdown, since the real
        server waits on them, forever for /models/progress)."""
        with self._streams_lock:
            streams = [s for s in self._streams if urlsplit(s.url).path.startswith(path_prefix)]
            self._streams.difference_update(streams)
        for answer in streams:
            _shut_down(answer)
            try:
                answer.close()
            except Exception:  # closing from another thread may race the reader; it is closed either way
                pass

    def events(self, path: str, read_timeout: float) -> Iterator[str]:
        """The ``data`` of each SSE event on ``path`` until the stream ends (comments skipped)."""
        answer = self._open_stream(path, read_timeout)
        try:
            for event in sseclient.SSEClient(answer.iter_content(chunk_size=None)).events():
                if event.data:
                    yield str(event.data)
        finally:
            self._release(answer)

    def follow_status(
        self,
        generation_id: str,
        deadline: float,
        server_alive: Callable[[], bool],
        on_event: Callable[[dict[str, Any]], None] = lambda event: None,
        stall_seconds: float = 5.0,
        ended_elsewhere: Callable[[], Optional[dict[str, Any]]] = lambda: None,
    ) -> StatusResult:
        """Follow GET /generate/{id}/status until a terminal status or ``deadline`` (monotonic).

        The real server sends one event a second, so a stream silent for ``stall_seconds`` has
        stalled; a stream that ends without a terminal status is reopened. A dead server ends
        the wait at once instead of at the deadline. ``ended_elsewhere`` gives the terminal
        event another reader saw (status_probe.StatusProbe), which closes the stream to end
        the wait sooner.
        """
        result = StatusResult(Outcome.TIMEOUT)
        path = f"/generate/{generation_id}/status"

        def take(event: dict[str, Any]) -> bool:
            """Record one status event; whether it is terminal."""
            result.events += 1
            result.last = event
            if not result.statuses or result.statuses[-1] != event["status"]:
                result.statuses.append(str(event["status"]))
            on_event(event)
            if event["status"] in TERMINAL_STATUSES:
                result.outcome = Outcome.TERMINAL
                return True
            return False

        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                result.detail = "no terminal status before the deadline"
                return result
            try:
                for data in self.events(path, read_timeout=max(0.5, min(stall_seconds, remaining))):
                    try:
                        event = json.loads(data)
                        if not isinstance(event, dict) or "status" not in event:
                            raise ValueError("no status field")
                    except ValueError:
                        result.outcome = Outcome.MALFORMED
                        result.detail = f"the status stream sent an event that is not a status: {data[:200]!r}"
                        return result
                    if take(event):
                        return result
                    if time.monotonic() >= deadline:
                        result.detail = "no terminal status before the deadline"
                        return result
            except (requests.RequestException, ApiError) as exc:
                result.detail = f"status stream interrupted: {exc.__class__.__name__}"
            except (ValueError, AttributeError, OSError):  # the stream was closed under its reader
                if ended_elsewhere() is None:
                    raise
            seen = ended_elsewhere()
            if seen is not None:
                result.detail = ""
                take(seen)
                return result
            if not server_alive():
                result.outcome = Outcome.SERVER_EXITED
                return result
            result.reconnects += 1
            time.sleep(min(0.2, max(0.0, deadline - time.monotonic())))  # back off before reopening
