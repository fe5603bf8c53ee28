"""An upgrade that loses nothing (features/upgrade.feature).

Users keep their profiles, samples and history across releases. 0.3.0 to 0.4.0 broke that: stored
``data/profiles/...`` paths were looked for under ``<data dir>/data/``, and samples and audio
answered 404 (upstream 440, fixed in 0.4.1). The previous release's binary (``upgrade_from``)
makes what a user has in a data dir of its own (``checks/user_data.py``: profiles, samples, an
avatar, effects, generations and their versions, a favourite, a story, an audio channel, settings,
an MCP binding, a capture); it stops; this build starts on the same data dir. Everything the previous release listed must still
be listed and served, byte for byte (``checks/inventory.py``), and an old profile must still
generate. A loss fails with cause ``upgrade`` and names what was lost.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Sequence

import requests

from voicebox_e2e.api.client import VoiceboxClient
from voicebox_e2e.checks.inventory import Inventory, take_inventory
from voicebox_e2e.checks.losses import losses
from voicebox_e2e.checks.user_data import UpgradeSetupError, UserData
from voicebox_e2e.server.markers import DATA_DIR_PREFIX
from voicebox_e2e.server.process import LaunchSpec, ServerProcess, free_port
from voicebox_e2e.server.session import HOST, Session
from voicebox_e2e.verdicts import causes

TERMINAL = ("completed", "failed")


def previous_command(upgrade_from: Optional[Path], simulated: bool) -> tuple[str, ...]:
    """The previous release's command line: ``upgrade_from``, or for a simulated run the simulator
    playing 0.3.0 (``voicebox_sim/previous.py``)."""
    if upgrade_from is not None:
        return (str(upgrade_from),)
    if simulated:
        return (sys.executable, "-m", "voicebox_sim.previous")
    raise UpgradeSetupError("No previous release to upgrade from: pass -D upgrade_from=<the last release's voicebox-server binary>.")


@dataclass
class UpgradeCheck:
    """One upgrade from ``previous`` (a command line) to the run's target, in a data dir of its own."""

    session: Session
    previous: Sequence[str]
    data_dir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix=DATA_DIR_PREFIX)))
    server: Optional[ServerProcess] = None
    before: Optional[Inventory] = None
    data: Optional[UserData] = None  # what the previous build made

    def start(self, command: Sequence[str], which: str) -> VoiceboxClient:
        self.stop()
        log = self.session.settings.output_dir / f"upgrade-{which}-{self.session.stamp}.log"
        spec = LaunchSpec(list(command), HOST, free_port(HOST), self.data_dir, log, self.session.environment())
        self.server = ServerProcess(spec)
        try:
            self.server.wait_healthy(self.session.settings.health_timeout, requests.Session())
        except Exception as exc:
            sentence = f"The {which} build did not become healthy on the upgrade's data dir: {exc}"
            if which == "new":  # this build cannot open the last release's data: the upgrade failed
                raise AssertionError(causes.tagged(causes.UPGRADE.key, sentence)) from exc
            raise UpgradeSetupError(sentence) from exc
        return VoiceboxClient(self.server.base_url)

    def make_user_data(self, samples: int, engine: str, voice: str) -> UserData:
        client = self.start(self.previous, "previous")
        self.data = UserData(client)
        self.data.make_profiles(samples, engine, voice, self.session.settings.reference_wav, self.session.profiles.reference_text)
        return self.data

    def say(self, text: str, engine: str, which: str) -> str:
        """Generate with the preset profile of ``engine``; the generation's id once it completed."""
        assert self.server is not None and self.data is not None
        client = VoiceboxClient(self.server.base_url)
        body = {"profile_id": self.data.profile_ids[engine], "text": text, "language": "en", "engine": engine, "seed": 42, "normalize": True}
        generation_id = str(client.generate(body)["id"])
        deadline = time.monotonic() + self.session.settings.timeout_cached
        while True:
            entry = client.history(generation_id, record=False)
            if entry.get("status") in TERMINAL or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        if entry.get("status") != "completed":
            raise AssertionError(causes.tagged(causes.UPGRADE.key, (
                f"The {which} build did not say {text!r} with the {engine} preset profile: status {entry.get('status')}, {entry.get('error')}"
            )))
        if which == "previous":
            self.data.generation_ids.append(generation_id)
        return generation_id

    def record_and_stop(self) -> None:
        assert self.server is not None
        self.before = take_inventory(VoiceboxClient(self.server.base_url))
        self.stop()

    def open_with_this_build(self) -> None:
        self.start(self.session.target.command, "new")

    def nothing_lost(self) -> list[str]:
        """Fails naming every loss; else what was not made and so not checked, one note each."""
        assert self.server is not None and self.before is not None and self.data is not None
        after = take_inventory(VoiceboxClient(self.server.base_url))
        lost = losses(self.before, after)
        if lost:
            raise AssertionError(causes.tagged(causes.UPGRADE.key, (
                f"The upgrade from {self.before.version} to {after.version} lost what the user had: " + "; ".join(lost)
            )))
        notes = [f"Not made, so not checked: {what}." for what in self.data.not_made]
        if self.data.no_route:
            notes.insert(0, f"Not made, so not checked ({self.before.version} has no route for them): {', '.join(self.data.no_route)}.")
        return notes

    def stop(self) -> None:
        if self.server is not None and not self.server.stopped:
            self.server.stop(10.0)

    def discard(self) -> None:
        self.stop()
        if not self.session.settings.keep_data_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)
