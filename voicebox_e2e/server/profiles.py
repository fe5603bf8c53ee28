"""The run's profiles: one cloned profile (the reference recording as its sample) and one preset
profile per engine and voice, created on first use and again when a relaunch lost them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

from voicebox_e2e.api.client import VoiceboxClient
from voicebox_e2e.api.errors import ApiError
from voicebox_e2e.row.references import encode, reference_format
from voicebox_e2e.verdicts import causes


class ReferenceRefused(RuntimeError):
    """The server would not take the reference recording as a sample; the message leads with its cause."""


@dataclass(frozen=True)
class ProfileKey:
    kind: str  # "cloned" or "preset"
    engine: Optional[str] = None
    voice: Optional[str] = None
    reference: Optional[str] = None  # a cloned profile's reference in this format (row/references.py)

    @classmethod
    def for_voice(cls, engine: str, voice: str) -> "ProfileKey":
        """A feature table's voice column: "cloned" (the reference recording) or a preset voice id."""
        return cls("cloned") if voice.strip() == "cloned" else cls("preset", engine.strip(), voice.strip())

    @property
    def name(self) -> str:
        if self.kind == "cloned":
            return "e2e-cloned" if self.reference is None else f"e2e-cloned-{self.reference}"
        return f"e2e-{self.engine}-{self.voice}"


class ProfileBook:
    """The profiles this run uses, by key; ``client`` gives the running server's client."""

    def __init__(self, client: Callable[[], VoiceboxClient], reference_wav: Path, reference_text: str, encoded: Optional[Path] = None) -> None:
        self.client = client
        self.reference_wav = reference_wav
        self.encoded = encoded  # where the reference is re-encoded for a profile in another format
        self.reference_text = reference_text
        self.ids: dict[ProfileKey, str] = {}
        self.created: list[str] = []  # the names of the profiles this run created

    def is_cloned(self, profile_id: str) -> bool:
        """Whether the profile speaks with the reference recording's voice (in any format)."""
        return any(key.kind == "cloned" and known == profile_id for key, known in self.ids.items())

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
            self.upload(profile_id, key.reference)
        self.ids[key] = profile_id
        return profile_id

    def upload(self, profile_id: str, reference: Optional[str]) -> None:
        """The reference recording as the profile's sample (re-encoded as ``reference`` if given);
        a refusal names the format, led by its cause."""
        wav, title = self.reference_wav, "WAV"
        if reference is not None:
            fmt = reference_format(reference)
            wav, title = encode(self.reference_wav, fmt, self.encoded or self.reference_wav.parent), fmt.title
        try:
            self.client().upload_sample(profile_id, wav, self.reference_text)
        except ApiError as exc:
            if exc.status != 400:
                raise
            raise ReferenceRefused(causes.tagged(causes.REFERENCE.key, f"The server refused the reference recording as {title} ({wav.name}): {exc}")) from exc
