"""The server's output: its stdout and stderr teed to a log file (redacted as written) and a
bounded ring buffer of lines for the reports' log tails."""

from __future__ import annotations

import collections
import threading
import time
from pathlib import Path
from typing import IO

from voicebox_e2e.server.redaction import redact_bytes

MAX_LINE_CHARS = 2000
MAX_UNWRITTEN_BYTES = 64 * 1024


class LogCapture:
    """Tees the server's stdout and stderr to a log file and a bounded ring buffer of lines.

    Reading never blocks the server (a thread per pipe drains it as fast as it writes), memory
    stays bounded whatever the server writes (the ring holds at most ``ring_lines`` lines of at
    most ``MAX_LINE_CHARS`` characters), and undecodable bytes are replaced, never raised.
    """

    def __init__(self, log_path: Path, ring_lines: int = 500, max_file_bytes: int = 256 * 1024 * 1024) -> None:
        self.log_path = log_path
        self._ring: collections.deque[str] = collections.deque(maxlen=ring_lines)
        self._lock = threading.Lock()
        self._file = log_path.open("ab")
        self._unwritten = b""  # the file gets whole lines only, so a token is never split by a chunk
        self._file_bytes = 0
        self._max_file_bytes = max_file_bytes
        self._threads: list[threading.Thread] = []
        self.bytes_seen = 0
        self.lines_seen = 0  # every line ever appended to the ring, for marks (since())

    def pump(self, stream: IO[bytes], name: str) -> None:
        thread = threading.Thread(target=self._drain, args=(stream,), name=f"server-{name}", daemon=True)
        thread.start()
        self._threads.append(thread)

    def _drain(self, stream: IO[bytes]) -> None:
        partial = b""
        read = getattr(stream, "read1", stream.read)
        while True:
            try:
                chunk = read(65536)
            except (OSError, ValueError):
                break
            if not chunk:
                break
            self._write_file(chunk)
            lines = (partial + chunk).split(b"\n")
            partial = lines.pop()[-4 * MAX_LINE_CHARS:]
            with self._lock:
                self.bytes_seen += len(chunk)
                self.lines_seen += len(lines)
                for line in lines[-(self._ring.maxlen or 1):]:
                    self._ring.append(self._decode(line))
        if partial:
            with self._lock:
                self.lines_seen += 1
                self._ring.append(self._decode(partial))

    @staticmethod
    def _decode(raw: bytes) -> str:
        text = raw.rstrip(b"\r").decode("utf-8", errors="replace")
        return text if len(text) <= MAX_LINE_CHARS else text[:MAX_LINE_CHARS] + " …[line truncated]"

    def _write_file(self, chunk: bytes) -> None:
        """Append to the log file, redacted as it is written (the file is a CI artifact too)."""
        with self._lock:
            if self._file.closed:
                return
            data = self._unwritten + chunk
            cut = data.rfind(b"\n") + 1
            if cut == 0 and len(data) > MAX_UNWRITTEN_BYTES:  # one endless line: keep a token's length back
                cut = len(data) - 256
            self._unwritten = data[cut:]
            self._append(redact_bytes(data[:cut]))

    def _append(self, chunk: bytes) -> None:
        if chunk:
            if self._file_bytes + len(chunk) > self._max_file_bytes:
                if self._file_bytes < self._max_file_bytes:
                    self._file.write(b"\n[voicebox-e2e: log file size limit reached; further output dropped]\n")
                    self._file_bytes = self._max_file_bytes
                return
            self._file.write(chunk)
            self._file.flush()
            self._file_bytes += len(chunk)

    def tail(self, lines: int = 100) -> list[str]:
        with self._lock:
            return list(self._ring)[-lines:]

    def since(self, mark: int) -> list[str]:
        """The lines appended after ``lines_seen`` was ``mark`` (those the ring still holds)."""
        with self._lock:
            count = max(0, min(self.lines_seen - mark, len(self._ring)))
            return list(self._ring)[len(self._ring) - count:]

    def drained(self, timeout: float) -> bool:
        """Wait (at most ``timeout`` seconds) until the pipes are read to their end: True if they are."""
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        return not any(thread.is_alive() for thread in self._threads)

    def close(self, timeout: float = 5.0) -> None:
        for thread in self._threads:
            thread.join(timeout)
        with self._lock:
            if not self._file.closed:
                self._append(redact_bytes(self._unwritten))
                self._unwritten = b""
                self._file.close()
