"""Do two revisions of the suite write the same reports? Run both against the same simulated
server and diff their JSON and Markdown reports, times, stamps, paths and ports aside.

    .venv/bin/python scripts/same_reports.py BEFORE [AFTER] [-- behave arguments]

BEFORE and AFTER are git revisions (AFTER defaults to the working tree). Each runs
``behave --tags=@english`` (or the arguments after ``--``) with this environment's Python against
a simulator scenario that passes some rows and fails others in each way a row can fail (a
generation error, a bad WAV, babble, a download, a dropped status stream), so every report
section is written. Exits 0 when the reports match, 1 with a unified diff when they do not.
A refactor that claims "no behaviour change" runs this before it lands.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = """\
startup_seconds = 0.1
status_poll_seconds = 0.2
load_seconds = 0.3
generate_seconds = 0.5
download_seconds = 0.5
cached_models = ["kokoro", "qwen-tts-1.7B", "qwen-custom-voice-1.7B", "qwen-custom-voice-0.6B", "chatterbox-turbo", "tada-3b-ml"]
[models."qwen-tts-0.6B"]
fail = "CUDA out of memory"
[models."chatterbox-tts"]
wav = "silent"
[models."luxtts"]
speech = "babble"
[models."tada-1b"]
sse = "drop"
"""
# Keys whose values are times, sizes of memory, places on this machine, moments, random ids or
# what a poll happened to see (bytes downloaded, downloads seen at once): never compared.
VARYING = re.compile(r"(seconds|_at$|^stamp$|elapsed|_mb$|_mb_|^rss|^port$|^pid$|^log$|_dir$|^data_dir|^output_dir|path|^binary$|^previous$|^file$|^line$|^health_seconds$|^load_seconds$|^log_bytes$|^ttfa|^rtf$|^shutdown_notes$|^stale_servers_stopped$|^generation_id$|^id$|bytes$|^parallel$)")
# In the Markdown every number is a stand-in (times, memory, ports), as are paths; uvicorn's
# access lines in a log tail are left out (how many a row's polling wrote is a matter of timing).
ACCESS_LINE = re.compile(r"^INFO: +[\d.]+:\d+ - \"[A-Z]+ .*HTTP/[\d.]+\" \d+.*$", re.M)
MD_VARYING = [
    (ACCESS_LINE, "<access line>"),
    (re.compile(r"(/[\w.@+-]+)+"), "<path>"),
    (re.compile(r"\d+"), "<n>"),
]


def normalised(value: Any, key: str = "") -> Any:
    if VARYING.search(key):
        return "<varies>"
    if isinstance(value, dict):
        return {k: normalised(v, k) for k, v in sorted(value.items())}
    if isinstance(value, list):
        return [normalised(v, key) for v in value]
    if isinstance(value, float):
        return "<n>"
    if isinstance(value, str) and "\n" in value:  # a log tail: the server's threads may interleave
        return sorted(markdown_lines(value))
    return value


def markdown_lines(text: str) -> list[str]:
    for pattern, stand_in in MD_VARYING:
        text = pattern.sub(stand_in, text)
    lines = [line for line in text.splitlines() if line != "<access line>"]
    # Inside a code fence (a log tail), the server's threads may interleave: compare them sorted.
    out: list[str] = []
    fence: list[str] = []
    inside = False
    for line in lines:
        if line.startswith("```"):
            if inside:
                out += sorted(fence)
                fence = []
            inside = not inside
            out.append(line)
        elif inside:
            fence.append(line)
        else:
            out.append(line)
    return out + sorted(fence)


def run(checkout: Path, out: Path, args: list[str]) -> tuple[list[str], list[str]]:
    scenario = out / "scenario.toml"
    out.mkdir(parents=True, exist_ok=True)
    scenario.write_text(SCENARIO, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(checkout), "VOICEBOX_SIM_SCENARIO": str(scenario)}
    env.pop("VOICEBOX_REPO", None)
    cmd = [sys.executable, "-m", "behave", *(args or ["--tags=@english"]), "--no-color", "-D", f"output_dir={out / 'results'}"]
    done = subprocess.run(cmd, cwd=checkout, env=env, capture_output=True, text=True, timeout=900)
    reports = sorted((out / "results").glob("e2e-*.json"))
    if not reports:
        raise SystemExit(f"{checkout}: behave wrote no report (exit {done.returncode}):\n{done.stderr[-3000:]}")
    document = json.loads(reports[-1].read_text(encoding="utf-8"))
    as_json = json.dumps(normalised(document), indent=1, ensure_ascii=False).splitlines()
    return as_json, markdown_lines(reports[-1].with_suffix(".md").read_text(encoding="utf-8"))


def main(argv: list[str]) -> int:
    args = argv[argv.index("--") + 1:] if "--" in argv else []
    revisions = argv[: argv.index("--")] if "--" in argv else argv
    if not 1 <= len(revisions) <= 2:
        print(__doc__, file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="same-reports-") as scratch:
        sides = []
        for name, revision in zip(("before", "after"), [*revisions, None][:2]):
            checkout = ROOT
            if revision is not None:
                checkout = Path(scratch) / f"{name}-tree"
                subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(checkout), revision], check=True)
            try:
                sides.append(run(checkout, Path(scratch) / name, args))
            finally:
                if revision is not None:
                    subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(checkout)], check=False)
    (before_json, before_md), (after_json, after_md) = sides
    diff = [*difflib.unified_diff(before_json, after_json, "before.json", "after.json", lineterm=""),
            *difflib.unified_diff(before_md, after_md, "before.md", "after.md", lineterm="")]
    if diff:
        print("\n".join(diff))
        return 1
    print(f"The reports are the same: {len(after_json)} JSON lines and {len(after_md)} Markdown lines compared, times, stamps, paths and ports aside.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
