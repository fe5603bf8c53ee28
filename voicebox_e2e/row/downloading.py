"""The ``@while_downloading`` rows' setup: another model downloading while the row generates.

Users start a download and keep working; a generation sent while another model downloaded failed
(upstream 17: Qwen 0.6B while 1.7B downloaded). The real server's ``POST /models/download`` runs
that model's loader in the background (``routes/models.py``), so a download is also a load that
competes with the generation for the engine.

The download must then finish with the model downloaded (``verdicts/downloading.py``).

The other model is almost always cached by the time these rows run, and the user's cache must
never be touched. So the server is relaunched with the row's own model alone in a models folder
of this run's (``VOICEBOX_MODELS_DIR``, hard links: ``server/models_dir.py``), where the other
model is missing; the suite asks for its download and waits until the server says it is
running, then the row generates. After the scenario the server goes back to the run's cache
(``SuiteRun.end_scenario``).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Optional

from voicebox_e2e.api.client import VoiceboxClient
from voicebox_e2e.row.conditions import DownloadCondition
from voicebox_e2e.server.models_dir import ModelsDirError, ModelsFolder
from voicebox_e2e.server.session import Session
from voicebox_e2e.verdicts import causes

SEEN_WITHIN = 30.0  # seconds for a download just asked for to show in /tasks/active
POLL = 0.1


class DownloadSetupError(RuntimeError):
    """The row could not be started during a download; the message leads with its cause."""


def _progress(client: VoiceboxClient, model_name: str) -> tuple[str, float, Optional[str]]:
    """The download's state ("downloading", "error", "done" or "absent"), its progress (%) and
    its error text (for "error")."""
    entry = client.active_downloads().get(model_name)
    if entry is not None:
        progress = float(entry.get("progress") or 0)
        if entry.get("status") == "error":
            return "error", progress, entry.get("error")
        return "downloading", progress, None
    done = any(m.get("model_name") == model_name and m.get("downloaded") for m in client.model_status())
    return ("done" if done else "absent"), 100.0 if done else 0.0, None


class DownloadingRows:
    def __init__(self) -> None:
        self.model: Optional[str] = None  # the model downloading for the row now
        self.progress_when_sent = 0.0

    def start(self, session: Session, row_model: str, other: str) -> None:
        """Relaunch with ``row_model`` alone in a models folder, ask for ``other``'s download and
        wait until it runs."""
        repos = {str(m.get("model_name")): str(m.get("hf_repo_id")) for m in session.client.model_status()}
        for name in (row_model, other):
            if name not in repos:
                raise DownloadSetupError(f"GET /models/status does not list {name}: check the row's model names.")
        if repos[row_model] == repos[other]:
            raise DownloadSetupError(
                f"{row_model} and {other} are one repository ({repos[other]}), so one cannot download while the other is "
                "cached: pick another pair for this row."
            )
        folder = ModelsFolder(session.data_dir, name=f"models-while-{other}")
        try:
            folder.copy_from(Path(session.client.cache_dir()), repos[row_model])
        except ModelsDirError as exc:
            raise DownloadSetupError(causes.tagged(causes.DOWNLOAD.key, str(exc))) from exc
        session.relaunch_with(f"{row_model} alone in a models folder, so that {other} downloads", folder.environment())
        session.client.start_download(other)
        deadline = time.monotonic() + SEEN_WITHIN
        while True:
            state, progress, error = _progress(session.client, other)
            if state == "downloading":
                self.model, self.progress_when_sent = other, progress
                return
            if state == "error":
                raise DownloadSetupError(causes.tagged(causes.DOWNLOAD.key, f"the download of {other} failed before the row could start: {error}"))
            if state == "done":
                raise DownloadSetupError(
                    f"the download of {other} finished before the row's generation could be sent, so nothing ran during it: "
                    "pick a larger model to download."
                )
            if time.monotonic() > deadline:
                raise DownloadSetupError(
                    causes.tagged(causes.DOWNLOAD.key, f"POST /models/download for {other} was answered, but {SEEN_WITHIN:g} s later "
                    "GET /tasks/active still did not list its download.")
                )
            time.sleep(POLL)

    def condition(self, session: Session, timeout: float) -> Optional[DownloadCondition]:
        """What the row just run ran during (None when no download was started for it): whether
        the download still ran when the generation ended, and how it ended (waited for, up to
        ``timeout``: it must finish with the model downloaded)."""
        if self.model is None:
            return None
        state, progress, failure = _progress(session.client, self.model)
        running_after = state == "downloading"
        deadline = time.monotonic() + timeout
        while state == "downloading" and time.monotonic() < deadline:
            time.sleep(POLL)
            state, progress, failure = _progress(session.client, self.model)
        error: Optional[str]
        if state == "done":
            error = None
        elif state == "error":
            error = f"failed: {failure}"
        elif state == "downloading":
            error = f"did not finish within {timeout:g} s (timeout_download): it was at {progress:.0f} %"
        else:
            error = "ended without the model downloaded (GET /models/status does not say it is)"
        return DownloadCondition(self.model, self.progress_when_sent, running_after, error)

    def end(self) -> None:
        self.model = None
