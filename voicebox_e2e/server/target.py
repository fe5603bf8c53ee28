"""Finding (or building) the frozen Voicebox server, and what to launch it with."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional, Sequence

from voicebox_e2e.config import ConfigError, Settings

BUILD_SCRIPT = Path("backend") / "build_binary.py"


@dataclass(frozen=True)
class Target:
    """What the run launches: a real binary, or the bundled simulator."""

    command: tuple[str, ...]
    label: str  # shown in reports: the binary's absolute path, or "voicebox_sim (simulator)"
    simulated: bool
    binary_path: Optional[Path] = None

    @property
    def kind(self) -> str:
        return "simulator" if self.simulated else "binary"

    @property
    def size_mb(self) -> Optional[float]:
        if self.binary_path is None:
            return None
        return round(self.binary_path.stat().st_size / (1024 * 1024), 1)


def candidates(repo: Path, platform: str = sys.platform) -> list[Path]:
    """The design's search order (first hit wins), with Linux and the ROCm variant added."""
    dist = repo / "backend" / "dist"
    exe = ".exe" if platform == "win32" else ""
    order = [dist / "voicebox-server-cuda" / f"voicebox-server-cuda{exe}"]
    if platform != "darwin":
        order.append(dist / "voicebox-server-rocm" / f"voicebox-server-rocm{exe}")
    order.append(dist / f"voicebox-server{exe}")
    return order


def find_binary(repo: Path, platform: str = sys.platform) -> Optional[Path]:
    for path in candidates(repo, platform):
        if path.is_file():
            return path.resolve()
    return None


def build_binary(repo: Path, log_path: Path, python: str, echo: Callable[[str], None]) -> None:
    """Run ``python backend/build_binary.py`` in the checkout, streaming its output.

    The output goes line by line to ``echo`` (the console) and to ``log_path``.
    """
    script = repo / BUILD_SCRIPT
    if not script.is_file():
        raise ConfigError(f"No binary was found and {script} does not exist to build one; pass binary=PATH.")
    log_path.parent.mkdir(parents=True, exist_ok=True)
    echo(f"No Voicebox binary found; building it with {script} (this can take 5-20 minutes)...")
    with log_path.open("w", encoding="utf-8", errors="replace") as log:
        proc = subprocess.Popen(
            [python, str(BUILD_SCRIPT)], cwd=repo, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, text=True, errors="replace",
        )
        assert proc.stdout is not None
        for line in proc.stdout:
            log.write(line)
            echo("  build | " + line.rstrip("\n"))
        code = proc.wait()
    if code != 0:
        raise ConfigError(f"Building the Voicebox binary failed (exit code {code}); its output is in {log_path}.")


def resolve_target(settings: Settings, build_log: Path, echo: Callable[[str], None]) -> Target:
    """Pick what to launch: binary=PATH, else a binary found (or built) in the checkout, else the simulator."""
    if settings.uses_simulator:
        return Target(command=simulator_command(), label="voicebox_sim (simulator)", simulated=True)
    if settings.binary is not None:
        path = settings.binary.resolve()
        return Target(command=(str(path),), label=str(path), simulated=False, binary_path=path)
    repo = settings.voicebox_repo
    assert repo is not None
    found = find_binary(repo)
    if found is None:
        if settings.skip_build:
            searched = ", ".join(str(p) for p in candidates(repo))
            raise ConfigError(f"No Voicebox binary was found (searched {searched}) and skip_build is set; build it first.")
        build_binary(repo, build_log, settings.build_python or sys.executable, echo)
        found = find_binary(repo)
        if found is None:
            raise ConfigError(f"The build finished but produced no binary under {repo / 'backend' / 'dist'}; see {build_log}.")
    return Target(command=(str(found),), label=str(found), simulated=False, binary_path=found)


def simulator_command() -> tuple[str, ...]:
    return (sys.executable, "-m", "voicebox_sim")


def read_version(command: Sequence[str], timeout: float = 60.0) -> str:
    """The server's ``--version`` line (the frozen onefile build takes ~14 s to answer)."""
    try:
        done = subprocess.run(
            [*command, "--version"], capture_output=True, text=True, errors="replace", timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"unknown ({exc.__class__.__name__})"
    lines = (done.stdout or done.stderr).strip().splitlines()
    return lines[-1] if lines else f"unknown (exit code {done.returncode})"
