"""A generation's audio versions, as the real server keeps them (``services/versions.py`` and
``services/generation.py`` at v0.5.0): a finished generation has a "clean" version; an effects
chain (the request's, else the profile's) adds a processed "version-2" that becomes the default;
``apply-effects`` adds another. The default version's file is the generation's ``audio_path``,
which ``GET /audio/{id}`` serves. The simulator does not imitate the effects' sound: a processed
file is the clean one with the chain's ``gain`` applied (``effects.apply_gain``).
"""

from __future__ import annotations

import uuid
from typing import Any, Optional

from voicebox_sim.engine import effects, storage
from voicebox_sim.engine.downloads import utcnow
from voicebox_sim.state import SimState, iso
from voicebox_sim.store import Row


def listed(state: SimState, generation_id: str) -> list[Row]:
    """The generation's versions, oldest first."""
    return [v for v in state.store.all("versions") if v["generation_id"] == generation_id]


def create(
    state: SimState, generation_id: str, label: str, audio_path: str, *,
    chain: Optional[list[dict[str, Any]]] = None, is_default: bool = False, source_version_id: Optional[str] = None,
) -> Row:
    """A new version; a default one un-defaults the others and becomes the generation's audio."""
    if is_default:
        for other in listed(state, generation_id):
            if other["is_default"]:
                state.store.update("versions", other["id"], is_default=False)
    row = {
        "id": str(uuid.uuid4()), "generation_id": generation_id, "label": label, "audio_path": audio_path,
        "effects_chain": chain or None, "source_version_id": source_version_id, "is_default": is_default,
        "created_at": iso(utcnow()),
    }
    state.store.put("versions", row)
    if is_default:
        state.store.update("generations", generation_id, audio_path=audio_path)
    return row


def set_default(state: SimState, version: Row) -> Row:
    for other in listed(state, version["generation_id"]):
        if other["is_default"] and other["id"] != version["id"]:
            state.store.update("versions", other["id"], is_default=False)
    state.store.update("generations", version["generation_id"], audio_path=version["audio_path"])
    return state.store.update("versions", version["id"], is_default=True)


def processed(state: SimState, source_path: str, chain: list[dict[str, Any]], name: str) -> str:
    """The source file with the chain applied, saved as ``generations/<name>.wav``; its stored path."""
    source = storage.resolve(state.scenario, state.data_dir, source_path)
    relative = f"generations/{name}.wav"
    (state.data_dir / relative).write_bytes(effects.apply_gain(source.read_bytes(), chain))
    return storage.stored(state.scenario, relative)


def finished(state: SimState, generation_id: str, clean_path: str, chain: Optional[list[dict[str, Any]]]) -> None:
    """The versions of a generation that just finished (``_save_generate``): clean, and processed
    when an effects chain applies and is valid (an invalid one is skipped, as the real one logs)."""
    valid = bool(chain) and effects.validate_chain(chain or []) is None
    create(state, generation_id, "clean", clean_path, is_default=not valid)
    if valid and chain:
        path = processed(state, clean_path, chain, f"{generation_id}_processed")
        create(state, generation_id, "version-2", path, chain=chain, is_default=True)


def for_history(state: SimState, generation_id: str) -> tuple[Optional[list[Row]], Optional[str]]:
    """``versions`` and ``active_version_id`` as ``GET /history`` lists them (without
    ``source_version_id``, which the real list leaves out); (None, None) for none."""
    rows = listed(state, generation_id)
    if not rows:
        return None, None
    active = next((v["id"] for v in rows if v["is_default"]), None)
    return [{**v, "source_version_id": None} for v in rows], active
