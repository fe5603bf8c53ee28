"""The HTTP transport under every call: one ``requests`` session, the exchanges recorded for the
reports, and the SSE streams (opened, read, and closed before any shutdown)."""

from __future__ import annotations

import json
import socket
import threading
from typing import Any, Iterator, Optional
from urllib.parse import urlsplit

import requests
import sseclient

from voicebox_e2e.api.errors import Answer, ApiError, Exchange


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


class Transport:
    """Requests to one server; every call that is not answered 200 raises ``ApiError``."""

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
