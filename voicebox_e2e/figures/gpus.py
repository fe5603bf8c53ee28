"""The machine's GPUs, as its own tools list them, whatever the build under test makes of them.

A CPU build on a machine with a GPU runs, passes, and says nothing: users with Intel Arc
(upstream 867, 980, 999), a second GPU (355), or an Intel Mac (842) got CPU speed without a word.
The run lists the GPUs once and ``verdicts/backend.py`` names any the build did not use.

Each tool is optional: a tool that is missing, fails or times out lists nothing, and is no error.

- ``nvidia-smi --query-gpu=name --format=csv,noheader`` (NVIDIA, every platform)
- ``rocm-smi --showproductname --json`` (AMD on Linux)
- ``lspci`` (Linux: Intel Arc, and NVIDIA or AMD cards whose own tool lists nothing, e.g. no driver)
- ``system_profiler SPDisplaysDataType -json`` (macOS)
- PowerShell's ``Win32_VideoController`` (Windows)

Display adapters that compute nothing (a server's BMC, a virtual machine's, Windows' basic
adapter) and Intel's integrated graphics are left out; Intel's Arc and Data Center GPUs stay.
"""

from __future__ import annotations

import json
import platform
import re
import shutil
import subprocess
import sys
from dataclasses import asdict, dataclass
from typing import Any, Callable, Optional

TIMEOUT = 10.0
_COMPUTE = re.compile(r"nvidia|geforce|quadro|tesla|\brtx\b|radeon|instinct|\bamd\b|advanced micro devices|\barc\b|data center gpu|apple m\d", re.IGNORECASE)
_INTEGRATED_INTEL = re.compile(r"intel", re.IGNORECASE)
_INTEL_DISCRETE = re.compile(r"\barc\b|data center gpu|\bdg2\b", re.IGNORECASE)
_LSPCI_GPU = re.compile(r"^\S+ (?:VGA compatible controller|3D controller|Display controller): (.+?)(?: \(rev \w+\))?$")


@dataclass(frozen=True)
class MachineGpu:
    name: str  # as the tool says it ("NVIDIA GeForce RTX 4090")
    vendor: str  # nvidia, amd, intel, apple
    source: str  # the tool that listed it

    def to_json(self) -> dict[str, str]:
        return asdict(self)


Runner = Callable[[list[str]], Optional[str]]


def run_tool(argv: list[str], path: Optional[str] = None) -> Optional[str]:
    """The tool's output, or None when it is missing, fails or does not answer in time."""
    found = shutil.which(argv[0], path=path)
    if found is None:
        return None
    try:
        done = subprocess.run([found, *argv[1:]], capture_output=True, text=True, timeout=TIMEOUT, errors="replace")
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def vendor_of(name: str) -> Optional[str]:
    """The vendor of a GPU that can compute, or None for a display adapter that cannot."""
    if not _COMPUTE.search(name) and not _INTEGRATED_INTEL.search(name):
        return None
    lowered = name.lower()
    if "apple" in lowered:
        return "apple"
    if _INTEGRATED_INTEL.search(name):
        return "intel" if _INTEL_DISCRETE.search(name) else None
    if re.search(r"nvidia|geforce|quadro|tesla|\brtx\b", lowered):
        return "nvidia"
    if re.search(r"radeon|instinct|\bamd\b|advanced micro devices|\bati\b", lowered):
        return "amd"
    return None


def from_nvidia_smi(out: str) -> list[MachineGpu]:
    return [MachineGpu(line.strip(), "nvidia", "nvidia-smi") for line in out.splitlines() if line.strip()]


def from_rocm_smi(out: str) -> list[MachineGpu]:
    try:
        cards = json.loads(out)
    except ValueError:
        return []
    gpus = []
    for card in cards.values() if isinstance(cards, dict) else []:
        fields = {str(k).lower(): str(v) for k, v in card.items()} if isinstance(card, dict) else {}
        name = fields.get("card series") or fields.get("card model")
        if name:
            gpus.append(MachineGpu(name, "amd", "rocm-smi"))
    return gpus


def from_lspci(out: str) -> list[MachineGpu]:
    gpus = []
    for line in out.splitlines():
        found = _LSPCI_GPU.match(line.strip())
        vendor = None if found is None else vendor_of(found.group(1))
        if found is not None and vendor is not None:
            gpus.append(MachineGpu(found.group(1), vendor, "lspci"))
    return gpus


def from_system_profiler(out: str) -> list[MachineGpu]:
    try:
        items = json.loads(out).get("SPDisplaysDataType", [])
    except (ValueError, AttributeError):
        return []
    gpus = []
    for item in items if isinstance(items, list) else []:
        name = str(item.get("sppci_model") or item.get("_name") or "") if isinstance(item, dict) else ""
        vendor = vendor_of(name)
        if vendor is not None:
            gpus.append(MachineGpu(name, vendor, "system_profiler"))
    return gpus


def from_windows(out: str) -> list[MachineGpu]:
    gpus = []
    for line in out.splitlines():
        vendor = vendor_of(line.strip())
        if line.strip() and vendor is not None:
            gpus.append(MachineGpu(line.strip(), vendor, "Win32_VideoController"))
    return gpus


def list_gpus(run: Runner = run_tool, platform: str = sys.platform) -> list[MachineGpu]:
    """Every GPU this machine's tools list (nothing where they are missing)."""
    gpus = from_nvidia_smi(run(["nvidia-smi", "--query-gpu=name", "--format=csv,noheader"]) or "")
    if platform.startswith("linux"):
        gpus += from_rocm_smi(run(["rocm-smi", "--showproductname", "--json"]) or "")
        listed = {g.vendor for g in gpus}
        gpus += [g for g in from_lspci(run(["lspci"]) or "") if g.vendor not in listed]
    elif platform == "darwin":
        gpus += from_system_profiler(run(["system_profiler", "SPDisplaysDataType", "-json"]) or "")
    elif platform.startswith("win"):
        listed = {g.vendor for g in gpus}
        query = "(Get-CimInstance Win32_VideoController).Name"
        gpus += [g for g in from_windows(run(["powershell", "-NoProfile", "-Command", query]) or "") if g.vendor not in listed]
    return gpus


def unused(gpus: list[MachineGpu], gpu_available: Optional[bool], gpu_type: Optional[str]) -> list[MachineGpu]:
    """The machine's GPUs the build did not use: all of them when it ran on the CPU, else those
    ``/health``'s ``gpu_type`` does not name."""
    if gpu_available is None:
        return []  # /health was never read: nothing is known of what the build used
    if not gpu_available:
        return list(gpus)
    used = (gpu_type or "").lower()
    return [g for g in gpus if g.name.lower() not in used and not _same_card(g.name, used)]


def _same_card(name: str, used: str) -> bool:
    """lspci's "AD102 [GeForce RTX 4090]" is the "NVIDIA GeForce RTX 4090" /health names."""
    bracket = re.search(r"\[([^\]]+)\]", name)
    return bracket is not None and bracket.group(1).lower() in used


def warning(gpus: list[MachineGpu], gpu_available: Optional[bool], gpu_type: Optional[str]) -> Optional[str]:
    """"this machine has an NVIDIA GeForce RTX 4090; the build ran on the CPU", or None."""
    idle = unused(gpus, gpu_available, gpu_type)
    if not idle:
        return None
    names = " and ".join(f"{_article(g.name)} {g.name}" for g in idle)
    if not gpu_available:
        return f"this machine has {names}; the build ran on the CPU"
    return f"this machine also has {names}, which the build did not use (it ran on {gpu_type})"


def false_claim(gpu_type: Optional[str], system: str = sys.platform, machine: str = platform.machine()) -> Optional[str]:
    """One sentence when ``/health`` names an Apple GPU this machine cannot have: MPS anywhere but
    on an Apple Silicon Mac. On an Intel Mac a CPU build under Rosetta finds MPS "available" and
    says so; Qwen then fails with "User specified an unsupported autocast device_type" (upstream
    842). None otherwise."""
    if not gpu_type or "mps" not in gpu_type.lower():
        return None
    if system == "darwin" and machine.lower() in ("arm64", "aarch64"):
        return None
    where = f"an Intel Mac ({machine})" if system == "darwin" else f"a {system} {machine} machine"
    return (
        f"/health says the build runs on {gpu_type}, but this is {where}, which has no Apple GPU: "
        "the build found MPS through Rosetta and will run on the CPU at best (upstream 842)"
    )


def _article(name: str) -> str:
    return "an" if name[:1].upper() in "AEIOU" or name.upper().startswith(("NVIDIA", "RTX")) else "a"


def describe(gpus: list[MachineGpu]) -> list[dict[str, Any]]:
    return [g.to_json() for g in gpus]
