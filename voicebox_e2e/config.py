"""The suite's settings: behave userdata (``-D key=value``) or the design's command line.

Every value is checked before anything is launched; a bad one raises ``ConfigError`` whose
message is one sentence saying what is wrong and how to fix it.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Collection, Mapping, Optional

from voicebox_e2e.verdicts.wav import AudioLimits
from voicebox_e2e.verdicts.leaks import LeakLimits
from voicebox_e2e.row.spec import LANGUAGES
from voicebox_e2e.verdicts.speech import SpeechSettings
from voicebox_e2e.verdicts.speech_score import SpeechLimits
from voicebox_e2e.verdicts.voice import VoiceSettings
from voicebox_e2e.verdicts.offline import OfflineSettings
from voicebox_e2e.verdicts.long_text import LongTextSettings

# The engines the Voicebox API accepts (its GenerationRequest.engine pattern). Which rows run is
# decided by the feature files; this list only catches typos in only/skip.
API_ENGINES = ("qwen", "qwen_custom_voice", "luxtts", "chatterbox", "chatterbox_turbo", "tada", "kokoro")

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_REFERENCE_WAV = PROJECT_ROOT / "fixtures" / "reference_voice.wav"

DEFAULT_OUTPUT_DIR = "results"

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


class ConfigError(ValueError):
    """A setting the run cannot start with. The message is one sentence for the user."""


@dataclass(frozen=True)
class Settings:
    binary: Optional[Path] = None
    voicebox_repo: Optional[Path] = None
    skip_build: bool = False
    reference_wav: Path = DEFAULT_REFERENCE_WAV
    reference_text: str = ""
    only: frozenset[str] = frozenset()
    skip: frozenset[str] = frozenset()
    keep_data_dir: bool = False
    timeout_cached: float = 180.0
    timeout_download: float = 1200.0
    health_timeout: float = 120.0
    port: Optional[int] = None
    output_dir: Path = Path(DEFAULT_OUTPUT_DIR)
    isolated_cache: bool = False
    simulator: Optional[bool] = None  # None: the simulator only when no Voicebox is configured
    max_relaunches: int = 2
    build_python: str = ""
    audio: AudioLimits = AudioLimits()
    previous: Optional[Path] = None  # an earlier run's JSON report, for "what changed"
    slower_factor: float = 1.5
    heavier_factor: float = 1.25
    leaks: LeakLimits = LeakLimits()
    prepare: bool = True  # fetch every uncached model first, several at a time
    prepare_parallel: int = 3
    stall_seconds: float = 120.0
    status_probe_seconds: float = 0.25  # read /history this often beside the 1 s status stream; 0: off
    speech: SpeechSettings = SpeechSettings()
    voice: VoiceSettings = VoiceSettings()
    offline: OfflineSettings = OfflineSettings()
    long_text: LongTextSettings = LongTextSettings()
    upgrade_from: Optional[Path] = None  # the previous release's binary, for the @upgrade check
    expect_gpu: Optional[bool] = None  # None (auto): a GPU is expected of a cuda/rocm build only
    extra_env: Mapping[str, str] = field(default_factory=dict)

    @property
    def uses_simulator(self) -> bool:
        if self.simulator is not None:
            return self.simulator
        return self.binary is None and self.voicebox_repo is None

    def selects(self, engine: str) -> bool:
        """Whether only/skip let a row of this engine run."""
        return engine_selected(engine, self.only, self.skip)


def engine_selected(engine: str, only: Collection[str], skip: Collection[str]) -> bool:
    return (not only or engine in only) and engine not in skip


def _flag(name: str, raw: str) -> bool:
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ConfigError(f"{name} must be true or false, not {raw!r}.")


def _seconds(name: str, raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number of seconds, not {raw!r}.") from None
    if value <= 0:
        raise ConfigError(f"{name} must be a positive number of seconds, not {raw!r}.")
    return value


def _number(name: str, raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number, not {raw!r}.") from None
    if value < 0:
        raise ConfigError(f"{name} must not be negative, not {raw!r}.")
    return value


def _languages(raw: str) -> frozenset[str]:
    """``asr_languages``: API language codes, comma separated (an empty list: none judged)."""
    codes = frozenset(c.strip().lower() for c in raw.split(",") if c.strip())
    unknown = sorted(codes - set(LANGUAGES.values()))
    if unknown:
        raise ConfigError(f"asr_languages names unknown language code(s) {', '.join(unknown)}; use the API's codes, such as {', '.join(sorted(LANGUAGES.values()))}.")
    return codes


def _engines(name: str, raw: str) -> frozenset[str]:
    engines = frozenset(e.strip() for e in raw.split(",") if e.strip())
    unknown = sorted(engines - set(API_ENGINES))
    if unknown:
        raise ConfigError(
            f"{name} names unknown engine(s) {', '.join(unknown)}; use any of {', '.join(API_ENGINES)}."
        )
    return engines


def _path(raw: str) -> Optional[Path]:
    raw = raw.strip()
    return Path(raw).expanduser() if raw else None


def settings_from_userdata(userdata: Mapping[str, str], environ: Optional[Mapping[str, str]] = None) -> Settings:
    """Build and check the settings from behave's userdata (strings), falling back to defaults."""
    env = os.environ if environ is None else environ
    known = {
        "binary", "voicebox_repo", "skip_build", "reference_wav", "reference_text", "only", "skip",
        "keep_data_dir", "timeout_cached", "timeout_download", "health_timeout", "port", "output_dir",
        "isolated_cache", "simulator", "max_relaunches", "build_python", "previous", "slower_factor",
        "audio_min_rms", "audio_min_seconds_per_char", "audio_max_seconds_per_char", "audio_max_clipped_share",
        "audio_min_trailing_quiet", "expect_gpu", "heavier_factor", "leak_warn_mb", "leak_fail_mb", "prepare", "prepare_parallel", "stall_seconds",
        "status_probe_seconds", "asr", "asr_model", "asr_languages", "speech_max_error_rate", "speech_max_cer",
        "speech_min_language_probability", "bleed_max_correlation", "voice_check", "voice_min_similarity",
        "offline_max_factor", "offline_slack_seconds", "upgrade_from", "long_text_max_pause_seconds", "long_text_max_falloff",
    }
    unknown = sorted(set(userdata) - known)
    if unknown:
        raise ConfigError(f"Unknown setting(s) {', '.join(unknown)}; the settings are {', '.join(sorted(known))}.")

    def get(key: str, default: str = "") -> str:
        return str(userdata.get(key, default))

    simulator_raw = get("simulator", "auto").strip().lower()
    simulator = None if simulator_raw == "auto" else _flag("simulator", simulator_raw)
    port_raw = get("port").strip()
    port: Optional[int] = None
    if port_raw and port_raw != "0":
        if not port_raw.isdigit() or not 0 < int(port_raw) < 65536:
            raise ConfigError(f"port must be a TCP port number between 1 and 65535, not {port_raw!r}.")
        port = int(port_raw)
    expect_gpu_raw = get("expect_gpu", "auto").strip().lower()
    if expect_gpu_raw not in {"auto", ""} | TRUE_WORDS | FALSE_WORDS:
        raise ConfigError(f"expect_gpu must be auto, true or false, not {expect_gpu_raw!r}.")
    expect_gpu = None if expect_gpu_raw in ("auto", "") else _flag("expect_gpu", expect_gpu_raw)
    parallel_raw = get("prepare_parallel", "3").strip()
    if not parallel_raw.isdigit() or int(parallel_raw) < 1:
        raise ConfigError(f"prepare_parallel must be a whole number of downloads at once (1 or more), not {parallel_raw!r}.")
    relaunch_raw = get("max_relaunches", "2").strip()
    if not relaunch_raw.isdigit():
        raise ConfigError(f"max_relaunches must be a whole number, not {relaunch_raw!r}.")

    settings = Settings(
        binary=_path(get("binary")),
        voicebox_repo=_path(get("voicebox_repo") or env.get("VOICEBOX_REPO", "")),
        skip_build=_flag("skip_build", get("skip_build", "false")),
        reference_wav=_path(get("reference_wav")) or DEFAULT_REFERENCE_WAV,
        reference_text=get("reference_text"),
        only=_engines("only", get("only")),
        skip=_engines("skip", get("skip")),
        keep_data_dir=_flag("keep_data_dir", get("keep_data_dir", "false")),
        timeout_cached=_seconds("timeout_cached", get("timeout_cached", "180")),
        timeout_download=_seconds("timeout_download", get("timeout_download", "1200")),
        health_timeout=_seconds("health_timeout", get("health_timeout", "120")),
        port=port,
        output_dir=output_dir_of(userdata),
        isolated_cache=_flag("isolated_cache", get("isolated_cache", "false")),
        simulator=simulator,
        max_relaunches=int(relaunch_raw),
        build_python=get("build_python"),
        previous=_path(get("previous")),
        slower_factor=_seconds("slower_factor", get("slower_factor", "1.5")),
        heavier_factor=_seconds("heavier_factor", get("heavier_factor", "1.25")),
        leaks=LeakLimits(
            warn_mb=_number("leak_warn_mb", get("leak_warn_mb", str(LeakLimits.warn_mb))),
            fail_mb=_number("leak_fail_mb", get("leak_fail_mb", str(LeakLimits.fail_mb))),
        ),
        expect_gpu=expect_gpu,
        prepare=_flag("prepare", get("prepare", "true")),
        prepare_parallel=int(parallel_raw),
        stall_seconds=_seconds("stall_seconds", get("stall_seconds", "120")),
        status_probe_seconds=_number("status_probe_seconds", get("status_probe_seconds", "0.25")),
        speech=SpeechSettings(
            enabled=_flag("asr", get("asr", "on")),
            model=get("asr_model", SpeechSettings.model).strip() or SpeechSettings.model,
            limits=SpeechLimits(
                max_error_rate=_number("speech_max_error_rate", get("speech_max_error_rate", str(SpeechLimits.max_error_rate))),
                max_char_error_rate=_number("speech_max_cer", get("speech_max_cer", str(SpeechLimits.max_char_error_rate))),
                min_language_probability=_number("speech_min_language_probability", get("speech_min_language_probability", str(SpeechLimits.min_language_probability))),
                judged_languages=_languages(get("asr_languages", ",".join(sorted(SpeechLimits.judged_languages)))),
            ),
            max_bleed_correlation=_number("bleed_max_correlation", get("bleed_max_correlation", str(SpeechSettings.max_bleed_correlation))),
        ),
        voice=VoiceSettings(
            enabled=_flag("voice_check", get("voice_check", "on")),
            min_similarity=_number("voice_min_similarity", get("voice_min_similarity", str(VoiceSettings.min_similarity))),
        ),
        upgrade_from=_path(get("upgrade_from")),
        long_text=LongTextSettings(
            max_pause_seconds=_number("long_text_max_pause_seconds", get("long_text_max_pause_seconds", str(LongTextSettings.max_pause_seconds))),
            max_falloff=_number("long_text_max_falloff", get("long_text_max_falloff", str(LongTextSettings.max_falloff))),
        ),
        offline=OfflineSettings(
            max_factor=_number("offline_max_factor", get("offline_max_factor", str(OfflineSettings.max_factor))),
            slack_seconds=_number("offline_slack_seconds", get("offline_slack_seconds", str(OfflineSettings.slack_seconds))),
        ),
        audio=AudioLimits(
            min_rms=_number("audio_min_rms", get("audio_min_rms", str(AudioLimits.min_rms))),
            min_seconds_per_char=_number("audio_min_seconds_per_char", get("audio_min_seconds_per_char", str(AudioLimits.min_seconds_per_char))),
            max_seconds_per_char=_number("audio_max_seconds_per_char", get("audio_max_seconds_per_char", str(AudioLimits.max_seconds_per_char))),
            max_clipped_share=_number("audio_max_clipped_share", get("audio_max_clipped_share", str(AudioLimits.max_clipped_share))),
            min_trailing_quiet=_number("audio_min_trailing_quiet", get("audio_min_trailing_quiet", str(AudioLimits.min_trailing_quiet))),
        ),
    )
    return check(settings)


def output_dir_of(userdata: Mapping[str, str]) -> Path:
    """Where the reports go; read on its own by the formatters, which start before any hook."""
    return _path(str(userdata.get("output_dir", ""))) or Path(DEFAULT_OUTPUT_DIR)


def read_reference_text(settings: Settings) -> str:
    """The transcript: the reference_text setting, or the .txt file beside the reference WAV."""
    if settings.reference_text.strip():
        return settings.reference_text.strip()
    transcript = settings.reference_wav.with_suffix(".txt")
    try:
        return transcript.read_text(encoding="utf-8").strip()
    except OSError:
        return ""


def check(settings: Settings) -> Settings:
    """Refuse settings the run cannot start with, before anything is launched."""
    if settings.only and settings.skip and not (settings.only - settings.skip):
        raise ConfigError("only and skip together leave no engine to run; drop one of them.")
    wav = settings.reference_wav
    if not wav.is_file():
        raise ConfigError(f"The reference WAV {wav} does not exist; pass reference_wav=PATH to a 2-30 s recording.")
    if not read_reference_text(settings):
        raise ConfigError(
            f"The reference transcript is empty; pass reference_text=... or write it to {wav.with_suffix('.txt')}."
        )
    if settings.binary is not None:
        binary = settings.binary
        if not binary.exists():
            raise ConfigError(f"The binary {binary} does not exist; pass binary=PATH to a built voicebox-server.")
        if not binary.is_file() or not os.access(binary, os.X_OK):
            raise ConfigError(f"The binary {binary} is not an executable file; check the path and its permissions.")
    if settings.upgrade_from is not None and not settings.upgrade_from.is_file():
        raise ConfigError(f"upgrade_from names {settings.upgrade_from}, which does not exist; pass the previous release's voicebox-server.")
    if settings.voicebox_repo is not None and not settings.voicebox_repo.is_dir():
        raise ConfigError(
            f"The Voicebox checkout {settings.voicebox_repo} is not a directory; set voicebox_repo or VOICEBOX_REPO to it."
        )
    if settings.simulator is False and settings.binary is None and settings.voicebox_repo is None:
        raise ConfigError("simulator=false needs a Voicebox to test; pass binary=PATH or voicebox_repo=PATH.")
    if settings.previous is not None:
        try:
            previous = json.loads(settings.previous.read_text(encoding="utf-8"))
            if not isinstance(previous.get("results"), list):
                raise ValueError
        except (OSError, ValueError, AttributeError):
            raise ConfigError(f"previous={settings.previous} is not the JSON report of an earlier run; pass an e2e-*.json file.") from None
    if settings.audio.min_seconds_per_char >= settings.audio.max_seconds_per_char:
        raise ConfigError("audio_min_seconds_per_char must be below audio_max_seconds_per_char.")
    if settings.slower_factor <= 1.0:
        raise ConfigError(f"slower_factor must be greater than 1, not {settings.slower_factor:g}.")
    if settings.heavier_factor <= 1.0:
        raise ConfigError(f"heavier_factor must be greater than 1, not {settings.heavier_factor:g}.")
    if settings.leaks.fail_mb < settings.leaks.warn_mb:
        raise ConfigError(f"leak_fail_mb ({settings.leaks.fail_mb:g}) must not be under leak_warn_mb ({settings.leaks.warn_mb:g}).")
    if settings.output_dir.exists() and not settings.output_dir.is_dir():
        raise ConfigError(f"output_dir {settings.output_dir} is a file, not a directory; choose another path.")
    return settings
