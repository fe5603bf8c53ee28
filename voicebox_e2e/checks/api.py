"""Checks of what the Voicebox API answers to bad input (features/api_contract.feature)."""

from __future__ import annotations

import io
import json
import math
import time
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from voicebox_e2e.api.client import VoiceboxClient

from voicebox_e2e.api.errors import Answer

# The health endpoint's latency budget: p99 of HEALTH_CALLS calls on loopback. The real server
# answered in about 3 ms; 50 ms leaves room for a loaded CI machine and a frozen build.
HEALTH_P99_BUDGET_MS = 50.0


def expect_answer(answer: Answer, status: int, detail: Optional[str] = None, detail_prefix: Optional[str] = None) -> None:
    """Fail with both answers in one sentence unless the server answered as the spec says."""
    got = answer.body.get("detail") if isinstance(answer.body, dict) else answer.body
    ok = answer.status == status
    if detail is not None:
        ok = ok and got == detail
    if detail_prefix is not None:
        ok = ok and isinstance(got, str) and got.startswith(detail_prefix)
    if not ok:
        wanted = detail if detail is not None else (f"{detail_prefix}..." if detail_prefix else "any detail")
        raise AssertionError(f"expected HTTP {status} with detail {wanted!r}, got HTTP {answer.status}: {json.dumps(answer.body)[:400]}")


def expect_field_error(answer: Answer, field: str) -> None:
    """A 422 whose validation errors name ``field`` (as pydantic does: loc ["body", field])."""
    details = answer.body.get("detail") if isinstance(answer.body, dict) else None
    named = [d for d in details or [] if isinstance(d, dict) and d.get("loc", [None])[-1] == field]
    if answer.status != 422 or not named:
        raise AssertionError(f"expected HTTP 422 naming the field {field!r}, got HTTP {answer.status}: {json.dumps(answer.body)[:400]}")


def generation_body(profile_id: str, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"profile_id": profile_id, "text": "The quick brown fox jumps over the lazy dog.", "language": "en", "seed": 42}
    body.update(changes)
    return body


def parse_value(text: str) -> Any:
    """A value as written in a feature file: JSON ("", 3, "nope") or a bare word."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def reference_sample(kind: str, reference_wav: Path) -> tuple[str, bytes, str]:
    """(file name, bytes, MIME type) of the sample a scenario names."""
    if kind == "a text file":
        return "notes.txt", b"These are meeting notes, not audio.\n", "text/plain"
    if kind == "bytes that are not audio named fake.wav":
        return "fake.wav", b"\x00\x01 definitely not a RIFF file " * 20, "audio/wav"
    with wave.open(str(reference_wav), "rb") as source:
        params, frames = source.getparams(), source.readframes(source.getnframes())
    frame_bytes = params.sampwidth * params.nchannels
    if kind == "one second of speech":
        data = frames[: params.framerate * frame_bytes]
    elif kind == "three seconds of silence":
        data = b"\x00" * (3 * params.framerate * frame_bytes)
    elif kind == "forty seconds of speech":
        data = frames * math.ceil(40 * params.framerate * frame_bytes / len(frames))
    else:
        raise ValueError(f"Unknown sample kind {kind!r} in the feature file.")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setparams(params)
        out.writeframes(data)
    return f"{kind.replace(' ', '-')}.wav", buffer.getvalue(), "audio/wav"


def upload(client: VoiceboxClient, profile_id: str, sample: tuple[str, bytes, str]) -> Answer:
    return client.request("POST", f"/profiles/{profile_id}/samples", files={"file": sample}, data={"reference_text": "A transcript."})


def status_of_unknown_generation(client: VoiceboxClient, generation_id: str) -> list[dict[str, Any]]:
    """Every event of the status stream of a generation id the server never issued."""
    return [json.loads(data) for data in client.events(f"/generate/{generation_id}/status", read_timeout=10)]


@dataclass(frozen=True)
class Latency:
    calls: int
    p50_ms: float
    p99_ms: float
    max_ms: float


def health_latency(client: VoiceboxClient, calls: int) -> Latency:
    samples = []
    for _ in range(calls):
        started = time.perf_counter()
        answer = client.http.get(client.base_url + "/health", timeout=5)
        samples.append((time.perf_counter() - started) * 1000)
        if answer.status_code != 200:
            raise AssertionError(f"/health answered HTTP {answer.status_code}")
    samples.sort()
    def pick(q: float) -> float:
        return samples[min(len(samples) - 1, int(math.ceil(q * len(samples))) - 1)]

    return Latency(calls, round(pick(0.5), 2), round(pick(0.99), 2), round(samples[-1], 2))
