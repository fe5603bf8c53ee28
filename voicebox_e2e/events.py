"""What the hooks and steps tell the report formatter, over behave's public ``context.attach``.

behave hands every ``context.attach(mime_type, data)`` to each formatter that has an
``embedding`` method; ``ReportFormatter`` collects these JSON payloads into the run reports.
"""

from __future__ import annotations

import json
from typing import Any, Callable

RUN_STARTED = "application/vnd.voicebox-e2e.run-started+json"
ROW_RESULT = "application/vnd.voicebox-e2e.row-result+json"
RUN_FINISHED = "application/vnd.voicebox-e2e.run-finished+json"
KINDS = (RUN_STARTED, ROW_RESULT, RUN_FINISHED)

Emit = Callable[[str, dict[str, Any]], None]


def encode(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload).encode("utf-8")


def decode(data: bytes | str) -> dict[str, Any]:
    text = data.decode("utf-8") if isinstance(data, bytes) else data
    return dict(json.loads(text))
