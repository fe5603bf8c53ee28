"""Cutting the server, and only the server, off from the model hub (the ``@offline`` rows).

The server is relaunched with the standard proxy variables pointing at a stand-in on this
machine, so every platform is cut the same way and the suite's own calls to the server (over
127.0.0.1, outside the server's environment) are untouched:

- ``refused``: a port that is bound but never listens, so every connection is refused at once
  (the fast failure: a machine with no route, a firewall that rejects).
- ``unanswered``: a port that accepts each connection and never answers, so every request waits
  for its timeout (a dead Wi-Fi, a captive portal; what users report as a "hang").

``HF_HUB_OFFLINE`` is left as the user has it: the point is to see what the build does on its own.
"""

from __future__ import annotations

import socket
import threading
from typing import Optional

HOST = "127.0.0.1"
KINDS: dict[str, str] = {
    "refused": "refuses every connection",
    "unanswered": "accepts every connection and never answers",
}
PROXY_VARIABLES = ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy")


class NetworkCutError(ValueError):
    """An unknown kind of cut, in one sentence."""


class HubCut:
    """A local stand-in for the hub's route, and the environment that sends the server to it."""

    def __init__(self, kind: str) -> None:
        if kind not in KINDS:
            raise NetworkCutError(f"Unknown network cut {kind!r}; use one of: {', '.join(KINDS)}.")
        self.kind = kind
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.bind((HOST, 0))
        self.port: int = self._socket.getsockname()[1]
        self._held: list[socket.socket] = []
        self._closed = threading.Event()
        self._thread: Optional[threading.Thread] = None
        if kind == "unanswered":
            self._socket.listen(64)
            self._thread = threading.Thread(target=self._hold, name="hub-cut", daemon=True)
            self._thread.start()

    @property
    def proxy(self) -> str:
        return f"http://{HOST}:{self.port}"

    def environment(self) -> dict[str, str]:
        """The variables the server is launched with: every proxy name, and nothing exempt but
        this machine (a NO_PROXY of the user's could let the hub through)."""
        env = {name: self.proxy for name in PROXY_VARIABLES}
        env["NO_PROXY"] = env["no_proxy"] = f"{HOST},localhost"
        return env

    def describe(self) -> str:
        """How the network was cut, for the reports."""
        return f"the hub cut off: the server's proxy variables point at {HOST}:{self.port}, which {KINDS[self.kind]}"

    def _hold(self) -> None:
        self._socket.settimeout(0.2)
        while not self._closed.is_set():
            try:
                connection, _ = self._socket.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            self._held.append(connection)  # never read, never answered, closed with the cut

    def close(self) -> None:
        self._closed.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        for connection in self._held:
            connection.close()
        self._socket.close()
