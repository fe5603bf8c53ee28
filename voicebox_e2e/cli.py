"""The design's command line: ``python -m voicebox_e2e [flags]`` runs behave with the same settings.

Each flag becomes a behave userdata value (``--only kokoro`` is ``-D only=kokoro``); the settings
are checked before behave starts, so a bad flag costs one sentence and exit code 2.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Optional, Sequence

from voicebox_e2e.config import PROJECT_ROOT, ConfigError, settings_from_userdata


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m voicebox_e2e", description="Voicebox end-to-end model sign-off (runs behave).")
    p.add_argument("--binary", metavar="PATH", help="use this binary instead of auto-detecting")
    p.add_argument("--voicebox-repo", metavar="PATH", help="the Voicebox checkout to search and build in (or VOICEBOX_REPO)")
    p.add_argument("--skip-build", action="store_true", help="error if no binary is found (no auto-build)")
    p.add_argument("--reference-wav", metavar="PATH", help="reference audio (default: fixtures/reference_voice.wav)")
    p.add_argument("--reference-text", metavar="STR", help="its transcription (default: the .txt beside the WAV)")
    p.add_argument("--only", metavar="ENGINE[,...]", help="run only these engines (e.g. kokoro,qwen)")
    p.add_argument("--skip", metavar="ENGINE[,...]", help="skip these engines")
    p.add_argument("--keep-data-dir", action="store_true", help="don't delete the temp data dir after the run")
    p.add_argument("--timeout-cached", metavar="SEC", help="per-row timeout when the model is cached (180)")
    p.add_argument("--timeout-download", metavar="SEC", help="per-row timeout when it must be downloaded (1200)")
    p.add_argument("--port", metavar="N", help="override the auto-picked port")
    p.add_argument("--output-dir", metavar="PATH", help="where reports go (default: results/)")
    p.add_argument("--isolated-cache", action="store_true", help="point HF_HUB_CACHE and VOICEBOX_MODELS_DIR at the temp dir")
    p.add_argument("--simulator", action="store_true", help="run against the bundled simulator")
    p.add_argument("--previous", metavar="JSON", help="an earlier run's e2e-*.json: report regressions, fixes, slower rows")
    p.add_argument("--slower-factor", metavar="X", help="a row is 'slower' when its time grew by more than X times (1.5)")
    p.add_argument("--expect-gpu", metavar="auto|true|false", help="fail rows that ran on the CPU: auto = when the build is cuda/rocm (default)")
    p.add_argument("--heavier-factor", metavar="X", help="a row is 'heavier' when its peak memory grew by more than X times (1.25)")
    p.add_argument("--leak-warn-mb", metavar="MB", help="warn when server memory grows this much across rows of one model (256)")
    p.add_argument("--leak-fail-mb", metavar="MB", help="fail the row (cause memory) past this growth (1024)")
    p.add_argument("--no-prepare", action="store_true", help="no prepare phase: each row downloads its own model")
    p.add_argument("--prepare-parallel", metavar="N", help="downloads at once in the prepare phase (3)")
    p.add_argument("--stall-seconds", metavar="SEC", help="a download without new bytes this long has stalled (120)")
    p.add_argument("--no-asr", action="store_true", help="do not check what each WAV says (the speech recognizer is off)")
    p.add_argument("--asr-model", metavar="NAME", help="speech recognizer: bundled (whisper-base), a faster-whisper model name, or a model folder")
    p.add_argument("--asr-languages", metavar="CODES", help="languages whose words the recognizer judges, comma separated (en)")
    p.add_argument("--status-probe-seconds", metavar="SEC", help="read a generation's record this often beside its 1 s status stream (0.25; 0: off)")
    p.add_argument("--tags", default="@english", help="behave tag expression (default: @english)")
    p.add_argument("--junit", metavar="DIR", help="also write JUnit XML (one file per feature) into DIR, for the CI's test tab")
    return p


def userdata_from(args: argparse.Namespace) -> dict[str, str]:
    data: dict[str, str] = {}
    for name in ("binary", "voicebox_repo", "reference_wav", "output_dir", "previous"):
        value = getattr(args, name)
        if value:
            data[name] = str(Path(value).expanduser().absolute())
    for name in (
        "reference_text", "only", "skip", "timeout_cached", "timeout_download", "port", "slower_factor", "expect_gpu",
        "heavier_factor", "leak_warn_mb", "leak_fail_mb", "prepare_parallel", "stall_seconds",
        "status_probe_seconds", "asr_model", "asr_languages",
    ):
        value = getattr(args, name)
        if value is not None:
            data[name] = str(value)
    for name in ("skip_build", "keep_data_dir", "isolated_cache", "simulator"):
        if getattr(args, name):
            data[name] = "true"
    if args.no_prepare:
        data["prepare"] = "false"
    if args.no_asr:
        data["asr"] = "off"
    return data


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = parser().parse_args(argv)
    userdata = userdata_from(args)
    userdata.setdefault("output_dir", str(Path("results").absolute()))
    try:
        settings_from_userdata(userdata)
    except ConfigError as exc:
        print(f"voicebox-e2e: error: {exc}", file=sys.stderr)
        return 2
    from behave.__main__ import main as behave_main

    behave_args = [f"--tags={args.tags}"]
    if args.junit:
        behave_args += ["--junit", "--junit-directory", str(Path(args.junit).expanduser().absolute())]
    for key, value in userdata.items():
        behave_args += ["-D", f"{key}={value}"]
    os.chdir(PROJECT_ROOT)  # behave reads behave.ini from the working directory
    return int(behave_main(behave_args))
