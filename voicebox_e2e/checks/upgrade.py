"""An upgrade that loses nothing (features/upgrade.feature).

Users keep their profiles, samples and history across releases. 0.3.0 to 0.4.0 broke that: stored
``data/profiles/...`` paths were looked for under ``<data dir>/data/``, and samples and audio
answered 404 (upstream 440, fixed in 0.4.1). The previous release's binary (``upgrade_from``)
makes what a user has in a data dir of its own: a cloned profile with samples and an effects
chain, a preset profile, an effect preset, a generation with its audio, a story holding it; it
stops; this build starts on the same data dir. Everything the previous release listed must still
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
from voicebox_e2e.api.errors import ApiError
from voicebox_e2e.checks.inventory import Inventory, losses, take_inventory
from voicebox_e2e.server.markers import DATA_DIR_PREFIX
from voicebox_e2e.server.process import LaunchSpec, ServerProcess, free_port
from voicebox_e2e.server.session import HOST, Session
from voicebox_e2e.verdicts import causes

TERMINAL = ("completed", "failed")


class UpgradeSetupError(RuntimeError):
    """The previous release could not make the data to upgrade; the sentence says why."""


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
    profile_ids: dict[str, str] = field(default_factory=dict)
    generation_ids: list[str] = field(default_factory=list)  # what the previous build generated

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

    def make_user_data(self, samples: int, engine: str, voice: str) -> None:
        client = self.start(self.previous, "previous")
        cloned = str(client.create_profile({"name": "e2e-upgrade-cloned", "voice_type": "cloned", "language": "en"})["id"])
        for _ in range(samples):
            client.upload_sample(cloned, self.session.settings.reference_wav, self.session.profiles.reference_text)
        preset = client.create_profile({"name": f"e2e-upgrade-{engine}-{voice}", "voice_type": "preset", "language": "en", "preset_engine": engine, "preset_voice_id": voice})
        self.profile_ids = {"cloned": cloned, engine: str(preset["id"])}

    def make_effects(self, chain: list[dict[str, object]]) -> None:
        """The cloned profile's default effects chain, and the same chain saved as a preset."""
        client = self._client()
        try:
            client.set_profile_effects(self.profile_ids["cloned"], chain)
            client.create_effect_preset("e2e-upgrade-preset", chain)
        except ApiError as exc:
            raise UpgradeSetupError(f"The previous build did not store an effects chain: {exc}") from exc

    def make_story(self) -> None:
        """A story holding the generations the previous build made."""
        client = self._client()
        try:
            story = str(client.create_story("e2e-upgrade-story")["id"])
            for generation_id in self.generation_ids:
                client.add_story_item(story, generation_id)
        except ApiError as exc:
            raise UpgradeSetupError(f"The previous build did not store a story: {exc}") from exc

    def _client(self) -> VoiceboxClient:
        assert self.server is not None
        return VoiceboxClient(self.server.base_url)

    def say(self, text: str, engine: str, which: str) -> str:
        """Generate with the preset profile of ``engine``; the generation's id once it completed."""
        assert self.server is not None
        client = VoiceboxClient(self.server.base_url)
        body = {"profile_id": self.profile_ids[engine], "text": text, "language": "en", "engine": engine, "seed": 42, "normalize": True}
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
        self.generation_ids.append(generation_id)
        return generation_id

    def record_and_stop(self) -> None:
        assert self.server is not None
        self.before = take_inventory(VoiceboxClient(self.server.base_url))
        self.stop()

    def open_with_this_build(self) -> None:
        self.start(self.session.target.command, "new")

    def nothing_lost(self) -> None:
        assert self.server is not None and self.before is not None
        after = take_inventory(VoiceboxClient(self.server.base_url))
        lost = losses(self.before, after)
        if lost:
            raise AssertionError(causes.tagged(causes.UPGRADE.key, (
                f"The upgrade from {self.before.version} to {after.version} lost what the user had: " + "; ".join(lost)
            )))

    def stop(self) -> None:
        if self.server is not None and not self.server.stopped:
            self.server.stop(10.0)

    def discard(self) -> None:
        self.stop()
        if not self.session.settings.keep_data_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)
