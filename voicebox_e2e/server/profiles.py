"""The run's profiles: cloned profiles (the reference recording, or what a workload makes of it,
as their samples) and one preset profile per engine and voice, created on first use and again when
a relaunch lost them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

from voicebox_e2e.api.client import VoiceboxClient
from voicebox_e2e.api.errors import ApiError
from voicebox_e2e.row.references import Recording, Reference, make_reference
from voicebox_e2e.verdicts import causes


class ReferenceRefused(RuntimeError):
    """The server would not take the reference recording as a sample; the message leads with its cause."""


@dataclass(frozen=True)
class ProfileKey:
    kind: str  # "cloned" or "preset"
    engine: Optional[str] = None
    voice: Optional[str] = None
    reference: Optional[str] = None  # what a cloned profile is made from (row/references.py); None: the reference recording

    @classmethod
    def for_voice(cls, engine: str, voice: str) -> "ProfileKey":
        """A feature table's voice column: "cloned" (the reference recording) or a preset voice id."""
        return cls("cloned") if voice.strip() == "cloned" else cls("preset", engine.strip(), voice.strip())

    @property
    def name(self) -> str:
        if self.kind == "cloned":
            return "e2e-cloned" if self.reference is None else f"e2e-cloned-{self.reference.replace(' ', '-')}"
        return f"e2e-{self.engine}-{self.voice}"


class ProfileBook:
    """The profiles this run uses, by key; ``client`` gives the running server's client."""

    def __init__(self, client: Callable[[], VoiceboxClient], reference_wav: Path, reference_text: str, made: Optional[Path] = None) -> None:
        self.client = client
        self.reference_wav = reference_wav
        self.made = made or reference_wav.parent  # where the references a workload makes are written
        self.reference_text = reference_text
        self.ids: dict[ProfileKey, str] = {}
        self.references: dict[str, Reference] = {}  # a cloned profile's id: what it was made from
        self.created: list[str] = []  # the names of the profiles this run created

    def reference_of(self, profile_id: str) -> Optional[Reference]:
        """What the cloned profile was made from; None for a preset profile."""
        return self.references.get(profile_id)

    def get(self, key: ProfileKey) -> Optional[str]:
        """The id the profile of ``key`` had when last used, if it was."""
        return self.ids.get(key)

    def id_for(self, key: ProfileKey) -> str:
        """The profile for a row, created on first use (and again if a relaunch lost it)."""
        known = self.ids.get(key)
        if known is not None and self.client().get_profile(known) is not None:
            return known
        reference = None if key.kind != "cloned" else make_reference(key.reference, Recording(self.reference_wav, self.reference_text), self.made)
        existing = next((p for p in self.client().list_profiles() if p["name"] == key.name), None)
        if existing is not None:
            profile_id = str(existing["id"])
        else:
            body: dict[str, object] = {"name": key.name, "voice_type": key.kind, "language": "en" if reference is None else reference.language}
            if key.kind == "preset":
                body.update(preset_engine=key.engine, preset_voice_id=key.voice)
            profile_id = str(self.client().create_profile(body)["id"])
            self.created.append(key.name)
        if reference is not None:
            if existing is None or not existing.get("sample_count"):
                self.upload(profile_id, reference)
            self.references[profile_id] = reference
        self.ids[key] = profile_id
        return profile_id

    def upload(self, profile_id: str, reference: Reference) -> None:
        """The reference's samples, in order; a refusal names what was refused, led by its cause."""
        for sample in reference.samples:
            try:
                self.client().upload_sample(profile_id, sample.wav, sample.text)
            except ApiError as exc:
                if exc.status != 400:
                    raise
                raise ReferenceRefused(causes.tagged(causes.REFERENCE.key, f"The server refused {reference.title} ({sample.wav.name}): {exc}")) from exc
