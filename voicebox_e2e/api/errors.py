"""What the API answered: ``ApiError`` for a call that was not answered 200, the recorded
exchanges the reports attach, and an answer of any status for the contract checks."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Optional

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
