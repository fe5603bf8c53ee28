"""The simulator against what the REAL server does (tests/contract/, a copy of shared/contract/).

Any drift fails with a readable diff: the OpenAPI of every operation the suite uses, the SSE
bytes of the status stream, the error bodies, and the shape of the logs.
"""

from __future__ import annotations

import difflib
import json
import re
import socket
import uuid
from pathlib import Path
from typing import Any, Callable

import pytest
import requests

from voicebox_sim.engine.speech import RECORDINGS
from conftest import ROOT, gpu_named_simulator

CONTRACT = ROOT / "tests" / "contract"
SHARED = ROOT.parent / "shared" / "contract"
CAPTURES = CONTRACT / "captures"
REFERENCE_WAV = ROOT / "fixtures" / "reference_voice.wav"
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")

# Every (path, method) the suite or its lifecycle checks call.
USED_OPERATIONS = [
    ("/", "get"), ("/shutdown", "post"), ("/health", "get"), ("/profiles", "get"), ("/profiles", "post"),
    ("/profiles/presets/{engine}", "get"), ("/profiles/{profile_id}", "get"),
    ("/profiles/{profile_id}/samples", "get"), ("/profiles/{profile_id}/samples", "post"),
    ("/generate", "post"), ("/generate/{generation_id}/status", "get"), ("/history/{generation_id}", "get"),
    ("/audio/{generation_id}", "get"), ("/tasks/active", "get"), ("/models/progress/{model_name}", "get"),
    ("/models/status", "get"), ("/models/download", "post"), ("/models/cache-dir", "get"),
    ("/history", "get"), ("/samples/{sample_id}", "get"), ("/profiles/{profile_id}/effects", "put"),
    ("/stories", "get"), ("/stories", "post"), ("/stories/{story_id}", "get"), ("/stories/{story_id}/items", "post"),
    ("/effects/presets", "get"), ("/effects/presets", "post"), ("/effects/presets/{preset_id}", "get"),
    ("/history/{generation_id}/favorite", "post"), ("/generations/{generation_id}/versions", "get"),
    ("/generations/{generation_id}/versions/apply-effects", "post"),
    ("/generations/{generation_id}/versions/{version_id}/set-default", "put"), ("/audio/version/{version_id}", "get"),
    ("/channels", "get"), ("/channels", "post"), ("/channels/{channel_id}", "get"),
    ("/profiles/{profile_id}/channels", "get"), ("/profiles/{profile_id}/channels", "put"),
    ("/settings/captures", "get"), ("/settings/captures", "put"), ("/settings/generation", "get"), ("/settings/generation", "put"),
    ("/mcp/bindings", "get"), ("/mcp/bindings", "put"),
    ("/profiles/{profile_id}/avatar", "post"), ("/profiles/{profile_id}/avatar", "get"),
    ("/captures", "post"), ("/captures", "get"), ("/captures/{capture_id}", "get"), ("/captures/{capture_id}/audio", "get"),
    ("/capture/readiness", "get"),
]


def resolve(node: Any, document: dict[str, Any]) -> Any:
    """The schema with every $ref replaced by what it points to."""
    if isinstance(node, dict):
        if "$ref" in node:
            return resolve(document["components"]["schemas"][node["$ref"].split("/")[-1]], document)
        return {k: resolve(v, document) for k, v in node.items()}
    if isinstance(node, list):
        return [resolve(v, document) for v in node]
    return node


def readable_diff(real: Any, ours: Any) -> str:
    a = json.dumps(real, indent=1, sort_keys=True).splitlines()
    b = json.dumps(ours, indent=1, sort_keys=True).splitlines()
    return "\n".join(difflib.unified_diff(a, b, "real server", "simulator", lineterm="", n=3))


def test_the_vendored_contract_is_the_shared_one() -> None:
    if not SHARED.is_dir():
        pytest.skip("no ../shared/contract beside this checkout")
    for path in SHARED.rglob("*"):
        if path.is_file():
            assert (CONTRACT / path.relative_to(SHARED)).read_bytes() == path.read_bytes(), f"{path} changed: copy it into tests/contract/"


@pytest.fixture(scope="module")
def openapi_pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], dict[str, Any]]:
    from voicebox_sim.app import SimState, create_app
    from voicebox_sim.scenario import Scenario

    state = SimState(Scenario(), tmp_path_factory.mktemp("openapi"), None)
    ours = create_app(state).openapi()
    state.store.close()
    real = json.loads((CONTRACT / "voicebox-openapi.json").read_text(encoding="utf-8"))
    return real, ours


@pytest.mark.parametrize("path,method", USED_OPERATIONS, ids=[f"{m.upper()} {p}" for p, m in USED_OPERATIONS])
def test_each_used_operation_matches_the_real_openapi(openapi_pair: tuple[dict[str, Any], dict[str, Any]], path: str, method: str) -> None:
    real, ours = openapi_pair
    assert path in ours["paths"] and method in ours["paths"][path], f"the simulator has no {method.upper()} {path}"
    want = resolve(real["paths"][path][method], real)
    got = resolve(ours["paths"][path][method], ours)
    assert got == want, f"{method.upper()} {path} drifted from the real schema:\n{readable_diff(want, got)}"


# -- the SSE status stream, byte for byte --------------------------------------------------------


def raw_get(port: int, path: str) -> tuple[str, list[tuple[str, str]], list[bytes]]:
    """GET over a bare socket; returns the status line, the headers in order, and the chunks."""
    with socket.create_connection(("127.0.0.1", port), timeout=20) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: curl/8.0\r\nAccept: */*\r\n\r\n".encode())
        data = b""
        while b"\r\n0\r\n\r\n" not in data:
            more = sock.recv(65536)
            if not more:
                break
            data += more
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    headers = [(k.lower(), v) for k, v in (line.split(": ", 1) for line in lines[1:])]
    chunks = []
    while body:
        size_line, _, rest = body.partition(b"\r\n")
        size = int(size_line, 16)
        chunks.append(rest[:size])
        body = rest[size + 2:]
        if size == 0:
            break
    return lines[0], headers, chunks


def parse_capture(name: str) -> tuple[str, list[tuple[str, str]], list[bytes]]:
    data = (CAPTURES / name).read_bytes()
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    headers = [(k.lower(), v) for k, v in (line.split(": ", 1) for line in lines[1:])]
    chunks = []
    while body.strip():
        size_line, _, rest = body.partition(b"\r\n")
        size = int(size_line, 16)
        chunks.append(rest[:size])
        body = rest[size + 2:]
    return lines[0], headers, chunks


def normalise(chunk: bytes) -> bytes:
    return UUID.sub("<id>", chunk.decode()).encode()


@pytest.mark.suite
def test_unknown_generation_status_stream_equals_the_capture(simulator: Callable[..., Any]) -> None:
    sim = simulator()
    real_status, real_headers, real_chunks = parse_capture("sse_bad_status_random_uuid.raw")
    status, headers, chunks = raw_get(sim.port, f"/generate/{uuid.uuid4()}/status")
    assert status == real_status
    assert [h for h in headers if h[0] != "date"] == [h for h in real_headers if h[0] != "date"]
    assert [normalise(c) for c in chunks] == [normalise(c) for c in real_chunks]


def make_kokoro_failure(sim: Any) -> str:
    profile = sim.http.post(sim.url + "/profiles", json={"name": "E2E Kokoro Heart", "voice_type": "preset", "language": "en", "preset_engine": "kokoro", "preset_voice_id": "af_heart"}).json()
    created = sim.http.post(sim.url + "/generate", json={"profile_id": profile["id"], "text": "The quick brown fox jumps over the lazy dog.", "language": "en", "engine": "kokoro", "seed": 42, "normalize": True})
    assert created.status_code == 200
    return str(created.json()["id"])


@pytest.mark.suite
def test_a_live_status_stream_has_the_real_framing_and_error_text(simulator: Callable[..., Any]) -> None:
    sim = simulator('[models."kokoro"]\nfail_offline = true\n', fast=False)
    real_status, real_headers, real_chunks = parse_capture("sse_generate_kokoro_status.raw")
    generation = make_kokoro_failure(sim)
    status, headers, chunks = raw_get(sim.port, f"/generate/{generation}/status")
    assert status == real_status
    assert [h for h in headers if h[0] != "date"] == [h for h in real_headers if h[0] != "date"]
    assert chunks[-1] == b"" and real_chunks[-1] == b""
    # One event per chunk, "data: <json.dumps>\n\n", keys in the real order, ending on the terminal one.
    for chunk in chunks[:-1]:
        assert chunk.startswith(b"data: ") and chunk.endswith(b"\n\n") and chunk.count(b"\n") == 2
        event = json.loads(chunk[6:])
        assert list(event) == ["id", "status", "duration", "error", "source"]
        assert chunk[6:-2].decode() == json.dumps(event)
    assert normalise(chunks[-2]) == normalise(real_chunks[-2])
    assert {json.loads(c[6:])["status"] for c in chunks[:-2]} <= {"generating", "loading_model"}


@pytest.mark.suite
def test_subscribing_after_the_end_gives_one_terminal_event(simulator: Callable[..., Any]) -> None:
    sim = simulator('[models."qwen-tts-0.6B"]\nfail_offline = true\n')
    _, _, real_chunks = parse_capture("sse_generate_qwen_status_after_terminal.raw")
    profile = sim.http.post(sim.url + "/profiles", json={"name": "E2E Cloned", "voice_type": "cloned", "language": "en"}).json()
    with REFERENCE_WAV.open("rb") as wav:
        assert sim.http.post(f"{sim.url}/profiles/{profile['id']}/samples", files={"file": ("ref.wav", wav, "audio/wav")}, data={"reference_text": "Hello there."}).status_code == 200
    generation = sim.http.post(sim.url + "/generate", json={"profile_id": profile["id"], "text": "The quick brown fox jumps over the lazy dog.", "engine": "qwen", "model_size": "0.6B", "seed": 42}).json()["id"]
    first = raw_get(sim.port, f"/generate/{generation}/status")[2]
    assert json.loads(first[-2][6:])["status"] == "failed"
    _, _, again = raw_get(sim.port, f"/generate/{generation}/status")
    assert [normalise(c) for c in again] == [normalise(c) for c in real_chunks]


@pytest.mark.suite
def test_a_download_progress_stream_writes_the_real_compact_events(simulator: Callable[..., Any]) -> None:
    sim = simulator('cached_models = []\n[models."kokoro"]\nfail_offline = true\n', fast=False)
    assert sim.http.post(sim.url + "/models/download", json={"model_name": "kokoro"}, timeout=5).status_code == 200
    _, _, chunks = raw_get(sim.port, "/models/progress/kokoro")
    events = [c for c in chunks if c.startswith(b"data: ")]
    stamp = re.compile(rb'"timestamp":"[^"]+"')
    # REAL_SERVER_BEHAVIOUR.md section 4, byte for byte but the time
    first = b'data: {"model_name":"kokoro","current":0,"total":0,"progress":0,"filename":"Connecting to HuggingFace...","status":"downloading","timestamp":"T"}\n\n'
    assert stamp.sub(b'"timestamp":"T"', events[0]) == first, events[0]
    last = json.loads(events[-1][6:])
    assert last["status"] == "error" and last["error"].startswith("An error happened while trying to locate the file")
    assert b", " not in events[-1] and b'": ' not in events[-1]  # compact separators throughout


# -- JSON bodies and error shapes (REAL_SERVER_BEHAVIOUR.md §3, §4) ------------------------------


@pytest.mark.suite
def test_health_root_and_model_status_bodies(simulator: Callable[..., Any]) -> None:
    sim = simulator('cached_models = []\n')
    assert sim.http.get(sim.url + "/health").json() == {
        "status": "healthy", "model_loaded": False, "model_downloaded": None, "model_size": None,
        "gpu_available": False, "gpu_type": None, "vram_used_mb": None, "backend_type": "pytorch",
        "backend_variant": "cpu", "supports_rocm": False, "gpu_compatibility_warning": None,
    }
    assert sim.http.get(sim.url + "/").json() == {"message": "voicebox API", "version": "0.5.0"}
    models = sim.http.get(sim.url + "/models/status").json()["models"]
    assert len(models) == 18
    assert models[0] == {"model_name": "qwen-tts-1.7B", "display_name": "Qwen TTS 1.7B", "hf_repo_id": "Qwen/Qwen3-TTS-12Hz-1.7B-Base", "downloaded": False, "downloading": False, "size_mb": None, "loaded": False}
    names = [m["model_name"] for m in models]
    assert names[:10] == ["qwen-tts-1.7B", "qwen-tts-0.6B", "qwen-custom-voice-1.7B", "qwen-custom-voice-0.6B", "luxtts", "chatterbox-tts", "chatterbox-turbo", "tada-1b", "tada-3b-ml", "kokoro"]
    assert all(list(m) == ["model_name", "display_name", "hf_repo_id", "downloaded", "downloading", "size_mb", "loaded"] for m in models)
    wrong = sim.http.delete(sim.url + "/health")
    assert (wrong.status_code, wrong.json(), wrong.headers["allow"]) == (405, {"detail": "Method Not Allowed"}, "GET")


@pytest.mark.suite
@pytest.mark.parametrize("engine", ["kokoro", "qwen_custom_voice"])
def test_preset_voice_lists_equal_the_captures(simulator: Callable[..., Any], engine: str) -> None:
    sim = simulator()
    recorded = json.loads((CAPTURES / f"presets-{engine}.json").read_text(encoding="utf-8"))
    assert sim.http.get(sim.url + f"/profiles/presets/{engine}").json() == recorded
    for other in ("luxtts", "chatterbox", "tada", "qwen"):
        assert sim.http.get(sim.url + f"/profiles/presets/{other}").json() == {"engine": other, "voices": []}


@pytest.mark.suite
def test_a_gpu_named_build_without_a_usable_gpu_answers_health_as_recorded(tmp_path: Path, simulator: Callable[..., Any]) -> None:
    """§9: the CPU build started as voicebox-server-cuda on a machine without a GPU."""
    binary = gpu_named_simulator(tmp_path / "dist")
    sim = simulator("gpu_usable = false\n", args=(), launcher=(str(binary),))
    body = sim.http.get(sim.url + "/health").json()
    assert {k: body[k] for k in ("backend_type", "backend_variant", "gpu_available", "gpu_type", "vram_used_mb")} == {
        "backend_type": "pytorch", "backend_variant": "cuda", "gpu_available": False, "gpu_type": None, "vram_used_mb": None,
    }
    assert "Backend variant: CUDA" in sim.stderr()


@pytest.mark.suite
def test_profile_and_generation_bodies(simulator: Callable[..., Any]) -> None:
    sim = simulator()
    kokoro = sim.http.post(sim.url + "/profiles", json={"name": "E2E Kokoro Heart", "voice_type": "preset", "language": "en", "preset_engine": "kokoro", "preset_voice_id": "af_heart"}).json()
    assert list(kokoro) == ["id", "name", "description", "language", "avatar_path", "effects_chain", "voice_type", "preset_engine", "preset_voice_id", "design_prompt", "default_engine", "personality", "generation_count", "sample_count", "created_at", "updated_at"]
    assert kokoro["default_engine"] == "kokoro" and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+", kokoro["created_at"])
    created = sim.http.post(sim.url + "/generate", json={"profile_id": kokoro["id"], "text": "The quick brown fox jumps over the lazy dog.", "language": "en", "engine": "kokoro", "model_size": "0.6B", "seed": 42, "normalize": True}).json()
    assert {k: v for k, v in created.items() if k not in ("id", "profile_id", "created_at")} == {
        "text": "The quick brown fox jumps over the lazy dog.", "language": "en", "audio_path": "", "duration": 0.0,
        "seed": 42, "instruct": None, "engine": "kokoro", "model_size": None, "status": "generating", "error": None,
        "is_favorited": False, "source": "manual", "versions": None, "active_version_id": None,
    }
    history = sim.http.get(f"{sim.url}/history/{created['id']}").json()
    assert "source" not in history and history["profile_name"] == "E2E Kokoro Heart"
    cloned = sim.http.post(sim.url + "/profiles", json={"name": "E2E Cloned", "voice_type": "cloned", "language": "en"}).json()
    qwen = sim.http.post(sim.url + "/generate", json={"profile_id": cloned["id"], "text": "Hi there."}).json()
    assert (qwen["engine"], qwen["model_size"], qwen["seed"]) == ("qwen", "1.7B", None)
    presets = sim.http.get(sim.url + "/profiles/presets/nope").json()
    assert presets == {"engine": "nope", "voices": []}
    assert "Ryan" in [v["voice_id"] for v in sim.http.get(sim.url + "/profiles/presets/qwen_custom_voice").json()["voices"]]


@pytest.mark.suite
def test_a_completed_generation_serves_a_real_wav(simulator: Callable[..., Any]) -> None:
    sim = simulator()
    profile = sim.http.post(sim.url + "/profiles", json={"name": "K", "voice_type": "preset", "preset_engine": "kokoro", "preset_voice_id": "af_heart"}).json()
    gen = sim.http.post(sim.url + "/generate", json={"profile_id": profile["id"], "text": "The quick brown fox jumps over the lazy dog.", "engine": "kokoro", "seed": 42}).json()
    _, _, chunks = raw_get(sim.port, f"/generate/{gen['id']}/status")
    # the real 0.5.0 server's own bytes for this request (its recording, contract section 10)
    real = (RECORDINGS / "en-af_heart-fox.wav").read_bytes()
    assert json.loads(chunks[-2][6:]) == {"id": gen["id"], "status": "completed", "duration": 3.25, "error": None, "source": "manual"}
    audio = sim.http.get(f"{sim.url}/audio/{gen['id']}")
    assert audio.headers["content-type"] == "audio/x-wav"
    assert audio.headers["content-disposition"] == f'attachment; filename="generation_{gen["id"]}.wav"'
    assert audio.headers["accept-ranges"] == "bytes" and "etag" in audio.headers and "last-modified" in audio.headers
    assert audio.content == real and len(real) == 156044
    assert sim.http.get(f"{sim.url}/history/{gen['id']}").json()["audio_path"] == f"generations/{gen['id']}.wav"


ERROR_CASES = [
    ("unknown profile", "POST", "/generate", {"profile_id": "nope", "text": "hi"}, 404, {"detail": "Profile not found"}),
    ("empty text", "POST", "/generate", {"profile_id": "{cloned}", "text": ""}, 422, {"detail": [{"type": "string_too_short", "loc": ["body", "text"], "msg": "String should have at least 1 character", "input": "", "ctx": {"min_length": 1}}]}),
    ("unknown engine", "POST", "/generate", {"profile_id": "{cloned}", "text": "hi", "engine": "nope"}, 422, {"detail": [{"type": "string_pattern_mismatch", "loc": ["body", "engine"], "msg": "String should match pattern '^(qwen|qwen_custom_voice|luxtts|chatterbox|chatterbox_turbo|tada|kokoro)$'", "input": "nope", "ctx": {"pattern": "^(qwen|qwen_custom_voice|luxtts|chatterbox|chatterbox_turbo|tada|kokoro)$"}}]}),
    ("kokoro on a cloned profile", "POST", "/generate", {"profile_id": "{cloned}", "text": "hi", "engine": "kokoro"}, 400, {"detail": "Engine 'kokoro' does not support cloned voice profiles"}),
    ("wrong engine for a preset", "POST", "/generate", {"profile_id": "{kokoro}", "text": "hi", "engine": "qwen_custom_voice"}, 400, {"detail": "Preset profile {kokoro} only supports engine 'kokoro', not 'qwen_custom_voice'"}),
    ("engine omitted on a preset", "POST", "/generate", {"profile_id": "{kokoro}", "text": "hi"}, 400, {"detail": "Preset profile {kokoro} only supports engine 'kokoro', not 'qwen'"}),
    ("empty body", "POST", "/generate", {}, 422, {"detail": [{"type": "missing", "loc": ["body", "profile_id"], "msg": "Field required", "input": {}}, {"type": "missing", "loc": ["body", "text"], "msg": "Field required", "input": {}}]}),
    ("three bad fields", "POST", "/generate", {"profile_id": "{cloned}", "text": "hi", "language": "xx", "seed": -1, "model_size": "9B"}, 422, {"detail": [
        {"type": "string_pattern_mismatch", "loc": ["body", "language"], "msg": "String should match pattern '^(zh|en|ja|ko|de|fr|ru|pt|es|it|he|ar|da|el|fi|hi|ms|nl|no|pl|sv|sw|tr)$'", "input": "xx", "ctx": {"pattern": "^(zh|en|ja|ko|de|fr|ru|pt|es|it|he|ar|da|el|fi|hi|ms|nl|no|pl|sv|sw|tr)$"}},
        {"type": "greater_than_equal", "loc": ["body", "seed"], "msg": "Input should be greater than or equal to 0", "input": -1, "ctx": {"ge": 0}},
        {"type": "string_pattern_mismatch", "loc": ["body", "model_size"], "msg": "String should match pattern '^(1\\.7B|0\\.6B|1B|3B)$'", "input": "9B", "ctx": {"pattern": "^(1\\.7B|0\\.6B|1B|3B)$"}}]}),
    ("duplicate profile name", "POST", "/profiles", {"name": "E2E Cloned", "voice_type": "cloned"}, 400, {"detail": "A profile with the name 'E2E Cloned' already exists. Please choose a different name."}),
    ("empty profile name", "POST", "/profiles", {"name": ""}, 422, {"detail": [{"type": "string_too_short", "loc": ["body", "name"], "msg": "String should have at least 1 character", "input": "", "ctx": {"min_length": 1}}]}),
    ("unknown preset voice", "POST", "/profiles", {"name": "X", "voice_type": "preset", "preset_engine": "kokoro", "preset_voice_id": "zz_nobody"}, 400, {"detail": "Preset voice 'zz_nobody' is not valid for engine 'kokoro'"}),
    ("preset without a voice", "POST", "/profiles", {"name": "Y", "voice_type": "preset", "preset_engine": "kokoro"}, 400, {"detail": "Preset profiles require both preset_engine and preset_voice_id"}),
    ("unknown profile GET", "GET", "/profiles/nope", None, 404, {"detail": "Profile not found"}),
    ("unknown history", "GET", "/history/nope", None, 404, {"detail": "Generation not found"}),
    ("unknown route", "GET", "/nope", None, 404, {"detail": "Not Found"}),
]


@pytest.fixture(scope="module")
def error_server(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from conftest import Simulator

    sim = Simulator(tmp_path_factory.mktemp("errors"))
    sim.wait_healthy()
    ids = {
        "cloned": sim.http.post(sim.url + "/profiles", json={"name": "E2E Cloned", "voice_type": "cloned", "language": "en"}).json()["id"],
        "kokoro": sim.http.post(sim.url + "/profiles", json={"name": "E2E Kokoro Heart", "voice_type": "preset", "language": "en", "preset_engine": "kokoro", "preset_voice_id": "af_heart"}).json()["id"],
    }
    yield sim, ids
    sim.stop()


def fill(value: Any, ids: dict[str, str]) -> Any:
    if isinstance(value, str):
        return value.replace("{cloned}", ids["cloned"]).replace("{kokoro}", ids["kokoro"])
    if isinstance(value, dict):
        return {k: fill(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [fill(v, ids) for v in value]
    return value


@pytest.mark.parametrize("case", ERROR_CASES, ids=[c[0] for c in ERROR_CASES])
def test_error_status_and_body_match_the_real_server(error_server: Any, case: tuple[Any, ...]) -> None:
    sim, ids = error_server
    _, method, path, body, status, expected = case
    answer = sim.http.request(method, sim.url + path, json=fill(body, ids))
    assert (answer.status_code, answer.json()) == (status, fill(expected, ids))


def test_sample_upload_errors_match_the_real_server(error_server: Any, tmp_path: Path) -> None:
    sim, ids = error_server
    url = f"{sim.url}/profiles/{ids['cloned']}/samples"

    def upload(name: str, data: bytes, mime: str, text: str | None = "Hello.") -> requests.Response:
        return sim.http.post(url, files={"file": (name, data, mime)}, data={} if text is None else {"reference_text": text})

    invalid = {"detail": "Invalid reference audio: Error validating audio: "}
    assert (upload("notes.txt", b"just some notes", "text/plain").status_code, upload("notes.txt", b"x", "text/plain").json()) == (400, invalid)
    assert upload("fake.wav", b"not audio at all" * 10, "audio/wav").json() == invalid
    missing = upload("ref.wav", REFERENCE_WAV.read_bytes(), "audio/wav", text=None)
    assert (missing.status_code, missing.json()) == (422, {"detail": [{"type": "missing", "loc": ["body", "reference_text"], "msg": "Field required", "input": None}]})
    unknown = sim.http.post(f"{sim.url}/profiles/nope/samples", files={"file": ("r.wav", REFERENCE_WAV.read_bytes(), "audio/wav")}, data={"reference_text": "x"})
    assert (unknown.status_code, unknown.json()) == (400, {"detail": "Profile nope not found"})
    import io
    import wave

    def wav_of(seconds: float, amplitude: int) -> bytes:
        buffer = io.BytesIO()
        with wave.open(buffer, "wb") as out:
            out.setnchannels(1), out.setsampwidth(2), out.setframerate(24000)
            out.writeframes(int(amplitude).to_bytes(2, "little", signed=True) * int(seconds * 24000))
        return buffer.getvalue()

    assert upload("short.wav", wav_of(1.0, 3000), "audio/wav").json() == {"detail": "Invalid reference audio: Audio too short (minimum 2.0 seconds)"}
    assert upload("long.wav", wav_of(31.0, 3000), "audio/wav").json() == {"detail": "Invalid reference audio: Audio too long (maximum 30.0 seconds)"}
    assert upload("quiet.wav", wav_of(3.0, 0), "audio/wav").json() == {"detail": "Invalid reference audio: Audio is too quiet or silent"}
    ok = upload("ref.wav", REFERENCE_WAV.read_bytes(), "audio/wav")
    assert ok.status_code == 200 and ok.json()["audio_path"].startswith(f"profiles/{ids['cloned']}/")
    # The real single-profile GET reports 0 samples; only the list fills the counts in.
    assert sim.http.get(f"{sim.url}/profiles/{ids['cloned']}").json()["sample_count"] == 0
    listed = {p["id"]: p for p in sim.http.get(sim.url + "/profiles").json()}
    assert listed[ids["cloned"]]["sample_count"] == 1


def encoded(wav: Path, container: str, codec: str, rate: int) -> bytes:
    """``wav`` re-encoded, as users upload their recordings (PyAV, FFmpeg's encoders)."""
    import io

    import av

    out = io.BytesIO()
    with av.open(str(wav), mode="r") as source, av.open(out, mode="w", format=container) as target:
        stream = target.add_stream(codec, rate=rate, layout="mono")
        resampler = av.AudioResampler(format=stream.codec_context.codec.audio_formats[0].name, layout="mono", rate=rate)
        for frame in source.decode(audio=0):
            frame.pts = None
            for piece in resampler.resample(frame):
                for packet in stream.encode(piece):
                    target.mux(packet)
        for piece in resampler.resample(None):
            for packet in stream.encode(piece):
                target.mux(packet)
        for packet in stream.encode(None):
            target.mux(packet)
    return out.getvalue()


# REAL_SERVER_BEHAVIOUR.md section 10: the project's reference recording encoded six ways.
FORMATS = [
    ("ref.mp3", "mp3", "libmp3lame", 24_000, "audio/mpeg", 200),
    ("ref.opus", "ogg", "libopus", 48_000, "audio/ogg", 200),
    ("ref.flac", "flac", "flac", 24_000, "audio/flac", 200),
    ("ref-44k.wav", "wav", "pcm_s16le", 44_100, "audio/wav", 200),
    ("ref.m4a", "ipod", "aac", 24_000, "audio/mp4", 400),
    ("ref.webm", "webm", "libopus", 48_000, "audio/webm", 400),
]


@pytest.mark.parametrize(("name", "container", "codec", "rate", "mime", "status"), FORMATS, ids=[f[0] for f in FORMATS])
def test_reference_formats_are_taken_or_refused_as_the_real_server_does(error_server: Any, name: str, container: str, codec: str, rate: int, mime: str, status: int) -> None:
    sim, ids = error_server
    answer = sim.http.post(
        f"{sim.url}/profiles/{ids['cloned']}/samples",
        files={"file": (name, encoded(REFERENCE_WAV, container, codec, rate), mime)}, data={"reference_text": "Hello."},
    )
    assert answer.status_code == status, answer.text
    if status == 400:
        assert answer.json() == {"detail": "Invalid reference audio: Error validating audio: "}
    else:
        sample = answer.json()
        assert sample["audio_path"] == f"profiles/{ids['cloned']}/{sample['id']}.wav"
        listed = sim.http.get(f"{sim.url}/profiles/{ids['cloned']}/samples").json()
        assert sample["id"] in {s["id"] for s in listed}  # several samples on one profile, all listed


# -- logs -----------------------------------------------------------------------------------------

APP_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} - ([\w.]+) - (INFO|WARNING|ERROR) - ")
ACCESS_LINE = re.compile(r'^INFO:     127\.0\.0\.1:\d+ - "(GET|POST|DELETE) [^ ]+ HTTP/1\.1" \d{3} [A-Za-z ]+$')


def uvicorn_lines(text: str) -> list[str]:
    """uvicorn's own stderr lines, with pids and ports masked."""
    lines = [line for line in text.splitlines() if line.startswith("INFO:     ")]
    return [re.sub(r"\[\d+\]", "[pid]", re.sub(r"127\.0\.0\.1:\d+", "127.0.0.1:PORT", line)) for line in lines]


@pytest.mark.suite
def test_logs_have_the_real_shape(simulator: Callable[..., Any]) -> None:
    sim = simulator('[models."kokoro"]\nfail_offline = true\n')
    generation = make_kokoro_failure(sim)
    raw_get(sim.port, f"/generate/{generation}/status")
    sim.proc.terminate()
    assert sim.proc.wait(timeout=10) == -15  # uvicorn re-raises SIGTERM, as the real server does
    real_err = (CAPTURES / "server-stderr.log").read_text(encoding="utf-8")
    ours_err = sim.stderr()
    real_loggers = {m.group(1) for m in map(APP_LINE.match, real_err.splitlines()) if m}
    our_loggers = {m.group(1) for m in map(APP_LINE.match, ours_err.splitlines()) if m}
    assert {"__main__", "backend.app", "backend.utils.progress", "backend.backends.kokoro_backend"} <= our_loggers & real_loggers
    assert uvicorn_lines(ours_err) == uvicorn_lines(real_err)
    assert "Marked kokoro as error: An error happened while trying to locate the file on the Hub" in ours_err
    # the traceback ends in the real exception's name and text, as the classifier meets it in real logs
    offline = "huggingface_hub.errors.LocalEntryNotFoundError: An error happened while trying to locate the file on the Hub and we cannot find the requested files in the local cache."
    assert offline in real_err and offline in ours_err and "RuntimeError" not in ours_err
    for marker in ("voicebox-server starting up...", "Voicebox v0.5.0 starting up", "Ready", "Voicebox server shutting down..."):
        assert marker in ours_err and marker in real_err
    ours_out = [line for line in sim.stdout().splitlines() if line.strip()]
    assert ours_out and all(ACCESS_LINE.match(line) for line in ours_out)
    real_out = [line for line in (CAPTURES / "server-stdout.log").read_text(encoding="utf-8").splitlines() if '" 200 OK' in line]
    assert real_out and all(ACCESS_LINE.match(line) for line in real_out)


def test_version_answers_fast_without_starting_a_server(tmp_path: Path) -> None:
    import subprocess
    import sys

    from conftest import base_env

    done = subprocess.run([sys.executable, "-m", "voicebox_sim", "--version"], capture_output=True, text=True, env=base_env(), timeout=30)
    assert (done.returncode, done.stdout) == (0, "voicebox-server 0.5.0\n")
    bad = subprocess.run([sys.executable, "-m", "voicebox_sim", "--parent-pid", "0"], capture_output=True, text=True, env=base_env(), timeout=30)
    assert bad.returncode == 2 and "error: --parent-pid must be a positive integer" in bad.stderr
