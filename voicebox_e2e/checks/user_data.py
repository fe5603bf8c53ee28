"""What a user has, made on the previous release for the upgrade check (``checks/upgrade.py``):
each ``make_*`` is one thing the real backend stores (``checks/inventory.py`` lists them).

A call the previous build refuses is an ``UpgradeSetupError`` (the data to upgrade could not be
made), except where the release has no such route: 0.5.0 added the settings, the MCP bindings
and captures, so a 0.4.5 answers 404 for them; that is noted (``no_route``) and the rest goes on,
as is a capture the previous build could not transcribe here without fetching a model
(``not_made``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional

from voicebox_e2e.api.client import VoiceboxClient
from voicebox_e2e.api.errors import ApiError
from voicebox_e2e.config import PROJECT_ROOT


class UpgradeSetupError(RuntimeError):
    """The previous release could not make the data to upgrade; the sentence says why."""


@dataclass
class UserData:
    client: VoiceboxClient
    profile_ids: dict[str, str] = field(default_factory=dict)  # "cloned" or an engine -> profile id
    generation_ids: list[str] = field(default_factory=list)  # what the previous build generated
    reference: Optional[Path] = None  # the recording the cloned profile's samples were made from
    no_route: list[str] = field(default_factory=list)  # what the previous release has no route for
    not_made: list[str] = field(default_factory=list)  # what it could not make on this machine, and why

    def _stored(self, what: str, make: Callable[[], Any]) -> None:
        try:
            make()
        except ApiError as exc:
            raise UpgradeSetupError(f"The previous build did not store {what}: {exc}") from exc

    def _since_0_5(self, what: str, make: Callable[[], Any]) -> None:
        try:
            make()
        except ApiError as exc:
            if exc.status != 404:
                raise UpgradeSetupError(f"The previous build did not store {what}: {exc}") from exc
            self.no_route.append(what)

    def make_profiles(self, samples: int, engine: str, voice: str, reference_wav: Path, reference_text: str) -> None:
        cloned = str(self.client.create_profile({"name": "e2e-upgrade-cloned", "voice_type": "cloned", "language": "en"})["id"])
        for _ in range(samples):
            self.client.upload_sample(cloned, reference_wav, reference_text)
        self.reference = reference_wav
        preset = self.client.create_profile({"name": f"e2e-upgrade-{engine}-{voice}", "voice_type": "preset", "language": "en", "preset_engine": engine, "preset_voice_id": voice})
        self.profile_ids = {"cloned": cloned, engine: str(preset["id"])}

    def make_avatar(self, name: str) -> None:
        """The cloned profile's avatar: the image ``fixtures/<name>``."""
        image = PROJECT_ROOT / "fixtures" / name
        if not image.is_file():
            raise UpgradeSetupError(f"The avatar image {image} is missing: restore fixtures/{name} from the repository.")
        self._stored("an avatar", lambda: self.client.upload_avatar(self.profile_ids["cloned"], image))

    def make_effects(self, chain: list[dict[str, Any]]) -> None:
        """The cloned profile's default effects chain, and the same chain saved as a preset."""
        self._stored("an effects chain", lambda: (
            self.client.set_profile_effects(self.profile_ids["cloned"], chain), self.client.create_effect_preset("e2e-upgrade-preset", chain),
        ))

    def make_story(self) -> None:
        """A story holding the generations the previous build made."""
        def make() -> None:
            story = str(self.client.create_story("e2e-upgrade-story")["id"])
            for generation_id in self.generation_ids:
                self.client.add_story_item(story, generation_id)
        self._stored("a story", make)

    def make_versions(self, chain: list[dict[str, Any]]) -> None:
        """Each generation with the chain applied as a new default version, and marked a favourite."""
        for generation_id in self.generation_ids:
            self._stored("a version with effects", lambda: self.client.apply_effects(generation_id, chain, "e2e-upgrade-effects"))
            self._stored("a favourite", lambda: self.client.toggle_favorite(generation_id))

    def make_channel(self, devices: list[str]) -> None:
        """An audio channel with output devices, and the cloned profile on it alone."""
        def make() -> None:
            channel = str(self.client.create_channel("e2e-upgrade-channel", devices)["id"])
            self.client.set_profile_channels(self.profile_ids["cloned"], [channel])
        self._stored("an audio channel", make)

    def make_settings(self, which: str, patch: dict[str, Any]) -> None:
        self._since_0_5(f"the {which} settings", lambda: self.client.update_settings(which, patch))

    def make_capture(self, stt_size: str) -> None:
        """A capture of the reference recording (0.5.0 and later), where the previous build has the
        speech-to-text model ``whisper-<stt_size>`` downloaded (it would fetch it otherwise: not on a
        sign-off)."""
        assert self.reference is not None, "make_profiles first"
        wav = self.reference
        model = f"whisper-{stt_size}"
        try:
            downloaded = any(m.get("model_name") == model and m.get("downloaded") for m in self.client.model_status())
        except ApiError as exc:
            raise UpgradeSetupError(f"The previous build did not list its models: {exc}") from exc
        if not downloaded:
            self.not_made.append(f"a capture ({model}, its speech-to-text model, is not downloaded for the previous build)")
            return
        self._since_0_5("a capture", lambda: self.client.create_capture(wav, stt_size))

    def make_mcp_binding(self, client_id: str) -> None:
        """An MCP client bound to the cloned profile and kokoro."""
        body = {"client_id": client_id, "label": "e2e upgrade", "profile_id": self.profile_ids["cloned"], "default_engine": "kokoro"}
        self._since_0_5("an MCP binding", lambda: self.client.bind_mcp_client(body))
