"""What each row puts into its Allure test: the API exchanges, the WAV, the server log tail."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Optional, Sequence

import allure

from voicebox_e2e.reports.allure_extras import audio_player
from voicebox_e2e.api.errors import Exchange
from voicebox_e2e.reports.long_text import long_text_text
from voicebox_e2e.reports.offline import offline_text
from voicebox_e2e.reports.performance import performance_text
from voicebox_e2e.server.redaction import redact
from voicebox_e2e.row.result import RowResult
from voicebox_e2e.reports.speech import speech_text
from voicebox_e2e.reports.voice import voice_text


def attach_row(result: RowResult, exchanges: Sequence[Exchange], previous: Optional[dict[str, Any]] = None) -> None:
    if result.workload is not None:
        # What the row sent beyond the matrix, as the run measured it (text length and chunks, a
        # reference's format, the download it ran during), at the top of its Allure page. (The
        # Examples cells are its parameters already; allure-behave 2.16 takes no dynamic ones, and
        # a parameter would enter the history id, which a download's percentage must not.)
        allure.dynamic.description(f"Workload: {result.workload}")  # type: ignore[no-untyped-call]  # allure-commons is unannotated
    for number, exchange in enumerate(exchanges, start=1):
        text = f"{exchange.method} {exchange.path}\n"
        if exchange.request is not None:
            text += _pretty(exchange.request) + "\n"
        text += f"\n→ HTTP {exchange.status}\n{_pretty(exchange.response)}\n"
        allure.attach(redact(text), name=f"{number:02d} {exchange.method} {exchange.path}", attachment_type=allure.attachment_type.TEXT)
    record = result.to_json()
    allure.attach(json.dumps(record, indent=2), name="row result", attachment_type=allure.attachment_type.JSON)
    allure.attach(performance_text(record, previous), name="performance", attachment_type=allure.attachment_type.TEXT)
    if result.audio_path and Path(result.audio_path).is_file():
        wav = Path(result.audio_path).read_bytes()
        title = f"{result.label} — row {result.row}"
        player = audio_player(wav, title, result.audio_duration, result.sample_rate, result.channels)
        allure.attach(player, name=f"listen ({result.audio_duration} s, {result.sample_rate} Hz)", attachment_type=allure.attachment_type.HTML)
        allure.attach(wav, name="audio.wav", attachment_type="audio/wav", extension="wav")
    if result.speech is not None:
        allure.attach(speech_text(result.speech.to_json()), name="heard (speech check)", attachment_type=allure.attachment_type.TEXT)
    if result.voice is not None:
        allure.attach(voice_text(result.voice.to_json()), name="whose voice (voice check)", attachment_type=allure.attachment_type.TEXT)
    if record.get("long_text"):
        allure.attach(long_text_text(record["long_text"]), name="long text (heard sentence by sentence)", attachment_type=allure.attachment_type.TEXT)
    if result.network is not None:
        allure.attach(offline_text(record), name="offline (how the network was cut)", attachment_type=allure.attachment_type.TEXT)
    if result.server_log_tail:
        allure.attach(redact(result.server_log_tail), name="server log tail", attachment_type=allure.attachment_type.TEXT)


def _pretty(text: str) -> str:
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    except ValueError:
        return text
