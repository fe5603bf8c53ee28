"""Secrets never reach a log or a report."""

from __future__ import annotations

import os
from pathlib import Path

from conftest import wait_for
from voicebox_e2e.server.redaction import redact


def test_tokens_are_redacted() -> None:
    assert redact("token hf_AbCdEf123456 and s3cret!", {"HF_TOKEN": "s3cret!"}) == "token hf_[redacted] and [redacted]"


def test_the_server_log_file_is_redacted_as_written_even_when_a_token_spans_two_reads(tmp_path: Path) -> None:
    from voicebox_e2e.server.logs import LogCapture

    log = LogCapture(tmp_path / "server.log")
    reader, writer = os.pipe()
    with os.fdopen(reader, "rb", buffering=0) as stream:
        log.pump(stream, "stdout")
        first = b"INFO token=hf_AbCdEf"  # the read ends inside the token
        os.write(writer, first)
        wait_for(lambda: log.bytes_seen >= len(first), 5, "the log reader to read the first chunk")  # before the rest is written
        os.write(writer, b"123456789 loaded\n\xff not utf-8\nlast line without newline hf_ZyXwVu98765")
        os.close(writer)
        log.close()
    text = (tmp_path / "server.log").read_bytes()
    assert b"hf_AbCdEf" not in text and b"hf_ZyXwVu" not in text
    assert text == b"INFO token=hf_[redacted] loaded\n\xff not utf-8\nlast line without newline hf_[redacted]"
