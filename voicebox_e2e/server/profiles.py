"""The run's profiles: one cloned profile (the reference recording as its sample) and one preset
profile per engine and voice, created on first use and again when a relaunch lost them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

from voicebox_e2e.api.client import VoiceboxClient


@dataclass(frozen=True)
class ProfileKey:
    kind: str  # "cloned" or "preset"
    engine: Optional[str] = None
    voice: Optional[str] = None

    @classmethod
    def for_voice(cls, engine: str, voice: str) -> "ProfileKey":
        """A feature table's voice column: "cloned" (the reference recording) or a preset voice id."""
        return cls("cloned") if voice.strip() == "cloned" else cls("preset", engine.strip(), voice.strip())

    @property
    def name(self) -> str:
        return "e2e-cloned" if self.kind == "cloned" else f"e2e-{self.engine}-{self.voice}"


class ProfileBook:
    """The profiles this run uses, by key; ``client`` gives the running server's client."""

    def __init__(self, client: Callable[[], VoiceboxClient], reference_wav: Path, reference_text: str) -> None:
        self.client = client
        self.reference_wav = reference_wav
        self.reference_text = reference_text
        self.ids: dict[ProfileKey, str] = {}
        self.created: list[str] = []  # the names of the profiles this run created

    def get(self, key: ProfileKey) -> Optional[str]:
        """The id the profile of ``key`` had when last used, if it was."""
        return self.ids.get(key)

    def id_for(self, key: ProfileKey) -> str:
        """The profile for a row, created on first use (and again if a relaunch lost it)."""
        known = self.ids.get(key)
        if known is not None and self.client().get_profile(known) is not None:
            return known
        existing = next((p for p in self.client().list_profiles() if p["name"] == key.name), None)
        if existing is not None:
            profile_id = str(existing["id"])
        else:
            body: dict[str, object] = {"name": key.name, "voice_type": key.kind, "language": "en"}
            if key.kind == "preset":
                body.update(preset_engine=key.engine, preset_voice_id=key.voice)
            profile_id = str(self.client().create_profile(body)["id"])
            self.created.append(key.name)
        if key.kind == "cloned" and (existing is None or not existing.get("sample_count")):
            self.client().upload_sample(profile_id, self.reference_wav, self.reference_text)
        self.ids[key] = profile_id
        return profile_id
