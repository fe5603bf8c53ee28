"""What makes the Allure report a sign-off artifact: environment, executor, failure categories,
and an audio player for each row's WAV."""

from __future__ import annotations

import base64
import html
import json
import os
import platform as host_platform
from pathlib import Path
from typing import Any

from voicebox_e2e.verdicts.causes import allure_categories

def write_allure_metadata(results_dir: Path, run: dict[str, Any]) -> None:
    """environment.properties, executor.json and categories.json beside the results."""
    results_dir.mkdir(parents=True, exist_ok=True)
    environment = {
        "platform": run["platform"],
        "target": run["target"] + (" (SIMULATED, not a sign-off)" if run["target"] == "simulator" else ""),
        "binary": run["binary"],
        "binary.version": run["binary_version"],
        "binary.size_mb": run["binary_size_mb"],
        "python": host_platform.python_version(),
        "host": host_platform.node(),
    }
    lines = [f"{key}={_escape_property(str(value))}" for key, value in environment.items()]
    (results_dir / "environment.properties").write_text("\n".join(lines) + "\n", encoding="utf-8")
    executor = {
        "name": os.environ.get("VOICEBOX_E2E_EXECUTOR", "voicebox-e2e"),
        "type": "github" if os.environ.get("GITHUB_ACTIONS") else "local",
        "buildName": f"Voicebox E2E {run['platform']} {run['started_at']}",
        "reportName": f"Voicebox model sign-off — {run['platform']}",
    }
    if os.environ.get("GITHUB_RUN_ID"):
        server = os.environ.get("GITHUB_SERVER_URL", "")
        repo = os.environ.get("GITHUB_REPOSITORY", "")
        executor["buildUrl"] = f"{server}/{repo}/actions/runs/{os.environ['GITHUB_RUN_ID']}"
    (results_dir / "executor.json").write_text(json.dumps(executor, indent=2), encoding="utf-8")
    (results_dir / "categories.json").write_text(json.dumps(allure_categories(), indent=2), encoding="utf-8")


def _escape_property(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", " ").replace("=", "\\=").replace(":", "\\:")


def audio_player(wav: bytes, title: str, duration: Any, sample_rate: Any, channels: Any) -> str:
    """A self-contained HTML page that plays the WAV (Allure shows HTML attachments inline)."""
    data = base64.b64encode(wav).decode("ascii")
    facts = f"{duration} s · {sample_rate} Hz · {channels} channel(s) · {len(wav):,} bytes"
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>{t}</title></head>"
        "<body style='font-family:sans-serif;margin:8px'>"
        "<div style='font-weight:bold'>{t}</div><div class='facts'>{f}</div>"
        "<audio controls preload='metadata' style='width:100%;margin-top:6px' src='data:audio/wav;base64,{d}'></audio>"
        "</body></html>"
    ).format(t=html.escape(title), f=html.escape(facts), d=data)
