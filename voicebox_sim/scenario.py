"""Fault-injection scenarios for the simulator.

The command line must stay the binary's, so a scenario is chosen per run by naming a TOML file
in the environment variable ``VOICEBOX_SIM_SCENARIO``. Every key is optional; an empty or
missing file means a healthy server with every TTS model cached. See README.md ("Scenario
files") for a worked example of each key.

Server-wide keys::

    startup_seconds = 0.3          # lifespan start-up time; /health refuses connections until done
    status_poll_seconds = 1.0      # SSE poll interval of /generate/{id}/status (real: 1.0)
    load_seconds = 0.3             # time spent in "loading_model" for a model not yet loaded
    generate_seconds = 0.3         # time spent in "generating"
    download_seconds = 1.0         # simulated first-time download of a model that is not cached
    download_mb_per_s = 40         # instead: downloads take the model's real size at this speed each,
    link_mb_per_s = 200            #   all of them sharing this link (0: no shared limit)
    download_size_scale = 0.01     #   every model's size times this (tests, benchmarks)
    cached_models = ["kokoro"]     # models already in the cache; default: every TTS model
    crash_before_healthy = 3       # exit with this code during start-up
    never_healthy = true           # start-up never finishes
    ignore_sigterm = true          # SIGTERM is logged and ignored (SIGINT/SIGKILL still work)
    onefile = true                 # a bootloader parent runs the server in a child process
    watchdog_bug = true            # the real bug: --parent-pid is accepted but never watched
    shutdown_bug = true            # the real bug: SIGTERM hangs while /models/progress is open
    detached_worker = true         # at start-up a worker process detaches from the server's tree
                                   # and outlives the server (see voicebox_sim/detached.py)
    generate_http_500 = true       # POST /generate answers 500
    models_status_http_500 = true  # GET /models/status answers 500
    log_flood_mb_per_s = 50        # write this many MB/s of log lines to stderr
    non_utf8_log = true            # write bytes that are not UTF-8 into the log
    gpu_usable = false             # a GPU build (started as voicebox-server-cuda/-rocm) finds no
                                   # usable GPU: /health says gpu_available false, models load on cpu
    gpu_name = "NVIDIA GeForce RTX 4090"   # the GPU a GPU build reports when it can use it
    rosetta_mps = true             # the CPU build says "MPS (Apple Silicon)", as on an Intel Mac (upstream 842)
    cached_load = "hub"            # "cache" (default): a cached model loads from the cache alone, as
                                   # with HF_HUB_OFFLINE=1; "hub": the real 0.5.0, which first asks
                                   # the hub for each cached file through the environment's proxy,
                                   # retrying with backoff (voicebox_sim/engine/hub.py)
    hub_backoff_scale = 0.1        # the hub client's retry waits (1, 2, 4, 8, 8 s) times this
    hub_timeout_seconds = 10       # how long one request to the hub waits for an answer
    ignore_models_dir = true       # the build ignores VOICEBOX_MODELS_DIR (reads HF_HUB_CACHE or
                                   # its own folder instead; voicebox_sim/engine/cache.py)
    version = "0.3.0"              # the version it reports (GET /, --version, its log); default 0.5.0
    media_paths = "0.3.0"          # store media paths as 0.3.0 did ("data/profiles/..."): a previous
                                   # release for the upgrade check (voicebox_sim/engine/storage.py)
    upgrade_bug = true             # the real 0.4.0 bug (upstream 440): a stored "data/..." path is
                                   # looked for under <data dir>/data/, so old samples and audio 404
    upgrade_loses = "samples"      # at start-up, drop every row another version stored in that table, or in
                                   # each of a list of them (a migration that loses data): "profiles" |
                                   # "samples" | "generations" | "versions" | "stories" | "story_items" |
                                   # "effect_presets" | "channels" | "profile_channels" | "settings" |
                                   # "mcp_bindings" | "captures"

Per-model keys, under ``[models."<model_name>"]`` (a /models/status name such as ``kokoro``)::

    fail = "CUDA out of memory"    # the generation fails with this error text
    fail_offline = true            # the generation fails with the real offline error text
    hang = true                    # the generation never reaches a terminal status
    crash = 9                      # the process exits with this code mid-generation
    slow_seconds = 30              # the generation takes this long in "generating"
    wav = "empty"                  # "empty" | "corrupt" | "silent" | "clipped": a bad WAV on completion
    sse = "drop"                   # "drop" | "stall" | "malformed": the status stream misbehaves
    memory_mb = 300                # resident memory the model holds while loaded (really allocated)
    leak_mb_per_generation = 40    # more memory kept after every generation, never freed
    rtf = 0.5                      # "generating" lasts rtf x the audio's seconds (real-time factor)
    download_stall_at = 0.4        # its download's bytes stop at this fraction, status "downloading"
    speech = "babble"              # "babble" | "wrong_language" | "truncated" | "reference_tail" | "cut_off" |
                                   # "reference_words": the WAV is speech, but not the right words
                                   # (see voicebox_sim/engine/speech.py)
    voice = "other"                # a cloned profile speaks in another speaker's voice (the Kokoro
                                   # voice farthest from its reference's)
    language = "it"                # the model speaks another language: that language's fox sentence
                                   # (en, es, fr, hi, it, pt or zh)
    chunks = "drop"                # long text: "drop" | "double" | "blend" the chunk after the middle
                                   # seam (voicebox_sim/engine/chunks.py)
    falloff = true                 # long text: the last third of the speech is unintelligible
    samples = "other"              # a profile with several samples speaks in another speaker's voice
    reference_words_over = 20      # a reference longer than this (s): its last words are said first
    foreign_reference = "babble"   # a profile not in English: the words garbled, or (any other
                                   # text) the generation fails with that text (faults/references.py)
    broken_after = "tada-1b"       # its load fails with "Tokenizer not loaded" once this other model
                                   # was loaded in the same process (upstream commit 6bf40bd)
    while_downloading = "<text>"   # a generation of this model that starts while another model
                                   # downloads fails with this text (upstream 17)
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Optional

from voicebox_sim.engine.catalogue import MODELS_BY_NAME, TTS_MODEL_NAMES
from voicebox_sim.engine.chunks import CHUNK_FAULTS
from voicebox_sim.engine.speech import SPEECH_FAULTS, fox_recordings
from voicebox_sim.store import TABLES

SCENARIO_ENV = "VOICEBOX_SIM_SCENARIO"


class ScenarioError(ValueError):
    """A scenario file that cannot be used, with one sentence saying why."""


@dataclass(frozen=True)
class ModelFault:
    fail: Optional[str] = None
    fail_offline: bool = False
    hang: bool = False
    crash: Optional[int] = None
    slow_seconds: Optional[float] = None
    wav: Optional[str] = None
    sse: Optional[str] = None
    memory_mb: float = 0.0
    leak_mb_per_generation: float = 0.0
    rtf: Optional[float] = None
    download_stall_at: Optional[float] = None
    speech: Optional[str] = None
    voice: Optional[str] = None
    language: Optional[str] = None
    chunks: Optional[str] = None
    falloff: bool = False
    samples: Optional[str] = None
    reference_words_over: Optional[float] = None
    foreign_reference: Optional[str] = None
    broken_after: Optional[str] = None
    while_downloading: Optional[str] = None


@dataclass(frozen=True)
class Scenario:
    startup_seconds: float = 0.3
    status_poll_seconds: float = 1.0
    load_seconds: float = 0.3
    generate_seconds: float = 0.3
    download_seconds: float = 1.0
    download_mb_per_s: float = 0.0
    link_mb_per_s: float = 0.0
    download_size_scale: float = 1.0
    cached_models: tuple[str, ...] = TTS_MODEL_NAMES
    crash_before_healthy: Optional[int] = None
    never_healthy: bool = False
    ignore_sigterm: bool = False
    onefile: bool = False
    watchdog_bug: bool = False
    shutdown_bug: bool = False
    detached_worker: bool = False
    generate_http_500: bool = False
    models_status_http_500: bool = False
    log_flood_mb_per_s: float = 0.0
    non_utf8_log: bool = False
    gpu_usable: bool = True
    gpu_name: str = "NVIDIA GeForce RTX 4090"
    rosetta_mps: bool = False
    cached_load: str = "cache"
    hub_backoff_scale: float = 1.0
    hub_timeout_seconds: float = 10.0
    ignore_models_dir: bool = False
    version: Optional[str] = None
    media_paths: Optional[str] = None
    upgrade_bug: bool = False
    upgrade_loses: tuple[str, ...] = ()
    models: dict[str, ModelFault] = field(default_factory=dict)

    def fault_for(self, model_name: str) -> ModelFault:
        return self.models.get(model_name, ModelFault())


_WAV_FAULTS = {"empty", "corrupt", "silent", "clipped"}
_SSE_FAULTS = {"drop", "stall", "malformed"}


def _build(cls: type, raw: dict[str, Any], where: str) -> dict[str, Any]:
    known = {f.name for f in fields(cls)}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise ScenarioError(f"{where}: unknown key(s) {', '.join(unknown)}; known keys: {', '.join(sorted(known))}.")
    return dict(raw)


def parse_scenario(raw: dict[str, Any], source: str = "scenario") -> Scenario:
    top = _build(Scenario, raw, source)
    faults: dict[str, ModelFault] = {}
    for name, spec in dict(top.pop("models", {})).items():
        if name not in MODELS_BY_NAME:
            raise ScenarioError(f"{source}: [models.\"{name}\"] is not a model the server knows.")
        fault = ModelFault(**_build(ModelFault, spec, f'{source} [models."{name}"]'))
        if fault.wav is not None and fault.wav not in _WAV_FAULTS:
            raise ScenarioError(f"{source}: wav must be one of {sorted(_WAV_FAULTS)}, not {fault.wav!r}.")
        if fault.speech is not None and fault.speech not in SPEECH_FAULTS:
            raise ScenarioError(f"{source}: speech must be one of {list(SPEECH_FAULTS)}, not {fault.speech!r}.")
        if fault.voice is not None and fault.voice != "other":
            raise ScenarioError(f"{source}: voice must be \"other\", not {fault.voice!r}.")
        if fault.language is not None and fault.language not in fox_recordings():
            raise ScenarioError(f"{source}: language must be one of {sorted(fox_recordings())}, not {fault.language!r}.")
        if fault.chunks is not None and fault.chunks not in CHUNK_FAULTS:
            raise ScenarioError(f"{source}: chunks must be one of {list(CHUNK_FAULTS)}, not {fault.chunks!r}.")
        if fault.broken_after is not None and fault.broken_after not in MODELS_BY_NAME:
            raise ScenarioError(f"{source}: broken_after names {fault.broken_after!r}, not a model the server knows.")
        if fault.samples is not None and fault.samples != "other":
            raise ScenarioError(f"{source}: samples must be \"other\", not {fault.samples!r}.")
        if fault.sse is not None and fault.sse not in _SSE_FAULTS:
            raise ScenarioError(f"{source}: sse must be one of {sorted(_SSE_FAULTS)}, not {fault.sse!r}.")
        faults[name] = fault
    if top.get("cached_load", "cache") not in ("cache", "hub"):
        raise ScenarioError(f"{source}: cached_load must be \"cache\" or \"hub\", not {top['cached_load']!r}.")
    if top.get("media_paths") not in (None, "0.3.0"):
        raise ScenarioError(f"{source}: media_paths must be \"0.3.0\", not {top['media_paths']!r}.")
    if "upgrade_loses" in top:
        loses = top["upgrade_loses"]
        top["upgrade_loses"] = tuple([loses] if isinstance(loses, str) else loses)
        bad = [t for t in top["upgrade_loses"] if t not in TABLES]
        if bad or not isinstance(loses, (str, list)):
            raise ScenarioError(f"{source}: upgrade_loses must name one or more of {', '.join(TABLES)}, not {loses!r}.")
    if "cached_models" in top:
        cached = tuple(top["cached_models"])
        bad = [m for m in cached if m not in MODELS_BY_NAME]
        if bad:
            raise ScenarioError(f"{source}: cached_models names unknown model(s) {', '.join(bad)}.")
        top["cached_models"] = cached
    return Scenario(models=faults, **top)


def load_scenario(environ: Optional[dict[str, str]] = None) -> Scenario:
    env = os.environ if environ is None else environ
    path = env.get(SCENARIO_ENV)
    if not path:
        return Scenario()
    file = Path(path)
    try:
        raw = tomllib.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ScenarioError(f"{SCENARIO_ENV} names {file}, which does not exist.") from None
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{file} is not valid TOML: {exc}.") from None
    return parse_scenario(raw, str(file))
