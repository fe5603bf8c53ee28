"""A plain sequential client of the Voicebox API, as upstream's test_all_models_e2e.py drives it:
start the server, wait for /health, make the three profiles, then for each of the ten English
rows POST /generate, follow the status stream to its end and fetch the WAV; stop the server.
No reports, no checks. The benchmark compares the suite's wall time with this one's.

    .venv/bin/python benchmarks/plain_client.py -- <server command...>
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Sequence

import requests

ROOT = Path(__file__).resolve().parent.parent
TEXT = "The quick brown fox jumps over the lazy dog."
# (engine, model_size or None, profile) of the ten English rows, in the design's order.
ROWS = [
    ("qwen", "1.7B", "cloned"), ("qwen", "0.6B", "cloned"), ("qwen_custom_voice", "1.7B", "ryan"),
    ("qwen_custom_voice", "0.6B", "ryan"), ("luxtts", None, "cloned"), ("chatterbox", None, "cloned"),
    ("chatterbox_turbo", None, "cloned"), ("tada", "1B", "cloned"), ("tada", "3B", "cloned"), ("kokoro", None, "heart"),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run(command: Sequence[str]) -> float:
    """Wall seconds of one plain run against the server ``command`` starts."""
    started = time.monotonic()
    port, data = free_port(), tempfile.mkdtemp(prefix="plain-client-")
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [*command, "--host", "127.0.0.1", "--port", str(port), "--data-dir", data, "--parent-pid", str(os.getpid())],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    http = requests.Session()
    try:
        while True:
            try:
                if http.get(url + "/health", timeout=1).json().get("status") == "healthy":
                    break
            except (requests.RequestException, ValueError):
                pass
            time.sleep(0.05)
        profiles = {
            "cloned": http.post(url + "/profiles", json={"name": "plain-cloned", "voice_type": "cloned", "language": "en"}).json()["id"],
            "ryan": http.post(url + "/profiles", json={"name": "plain-ryan", "voice_type": "preset", "language": "en", "preset_engine": "qwen_custom_voice", "preset_voice_id": "Ryan"}).json()["id"],
            "heart": http.post(url + "/profiles", json={"name": "plain-heart", "voice_type": "preset", "language": "en", "preset_engine": "kokoro", "preset_voice_id": "af_heart"}).json()["id"],
        }
        wav = ROOT / "fixtures" / "reference_voice.wav"
        with wav.open("rb") as sample:
            http.post(url + f"/profiles/{profiles['cloned']}/samples", files={"file": (wav.name, sample, "audio/wav")},
                      data={"reference_text": wav.with_suffix(".txt").read_text(encoding="utf-8").strip()}).raise_for_status()
        for engine, size, profile in ROWS:
            body = {"profile_id": profiles[profile], "text": TEXT, "language": "en", "engine": engine, "seed": 42, "normalize": True}
            if size:
                body["model_size"] = size
            generation = http.post(url + "/generate", json=body).json()["id"]
            with http.get(url + f"/generate/{generation}/status", stream=True, timeout=600) as stream:
                for line in stream.iter_lines(decode_unicode=True):
                    if line and line.startswith("data: ") and json.loads(line[6:])["status"] in ("completed", "failed"):
                        break
            http.get(url + f"/audio/{generation}").content
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        shutil.rmtree(data, ignore_errors=True)
    return time.monotonic() - started


if __name__ == "__main__":
    args = sys.argv[1:]
    if args[:1] == ["--"]:
        args = args[1:]
    print(f"{run(args or [sys.executable, '-m', 'voicebox_sim']):.2f}")
