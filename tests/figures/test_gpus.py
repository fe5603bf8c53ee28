"""The machine's GPUs from stand-ins of the tools that list them (their real output formats), and
the warning when the build did not use one."""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path

import pytest

from conftest import gpu_named_simulator, run_suite
from voicebox_e2e.figures.gpus import MachineGpu, false_claim, list_gpus, run_tool, unused, warning

# What each tool prints (nvidia-smi's CSV, lspci's default listing, rocm-smi's and system_profiler's JSON).
NVIDIA_SMI = "NVIDIA GeForce RTX 4090\nNVIDIA GeForce RTX 3060\n"
LSPCI = """00:00.0 Host bridge: Intel Corporation 12th Gen Core Processor Host Bridge/DRAM Registers (rev 02)
00:02.0 VGA compatible controller: Intel Corporation Alder Lake-P GT2 [Iris Xe Graphics] (rev 0c)
01:00.0 VGA compatible controller: NVIDIA Corporation AD102 [GeForce RTX 4090] (rev a1)
03:00.0 VGA compatible controller: Intel Corporation DG2 [Arc A770] (rev 08)
04:00.0 VGA compatible controller: ASPEED Technology, Inc. ASPEED Graphics Family (rev 41)
"""
ROCM_SMI = json.dumps({"card0": {"Card Series": "Radeon RX 7900 XTX", "Card Model": "0x744c", "Card Vendor": "Advanced Micro Devices, Inc. [AMD/ATI]", "GFX Version": "gfx1100"}})
SYSTEM_PROFILER = json.dumps({"SPDisplaysDataType": [
    {"_name": "Intel UHD Graphics 630", "sppci_model": "Intel UHD Graphics 630"},
    {"_name": "AMD Radeon Pro 5500M", "sppci_model": "AMD Radeon Pro 5500M"},
]})


def stand_in(directory: Path, name: str, output: str, code: int = 0) -> None:
    """An executable on PATH named like the tool, printing what the tool prints."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(f"#!{sys.executable}\nimport sys\nsys.stdout.write({output!r})\nsys.exit({code})\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


def tools_in(directory: Path, platform: str) -> list[MachineGpu]:
    return list_gpus(lambda argv: run_tool(argv, path=str(directory)), platform)


def test_linux_lists_nvidia_from_its_tool_and_intel_arc_from_lspci(tmp_path: Path) -> None:
    stand_in(tmp_path, "nvidia-smi", NVIDIA_SMI)
    stand_in(tmp_path, "lspci", LSPCI)
    gpus = tools_in(tmp_path, "linux")
    assert [(g.name, g.vendor, g.source) for g in gpus] == [
        ("NVIDIA GeForce RTX 4090", "nvidia", "nvidia-smi"), ("NVIDIA GeForce RTX 3060", "nvidia", "nvidia-smi"),
        ("Intel Corporation DG2 [Arc A770]", "intel", "lspci"),  # not the integrated Iris Xe, not the BMC
    ]


def test_a_card_whose_driver_is_missing_is_still_listed_by_lspci(tmp_path: Path) -> None:
    stand_in(tmp_path, "nvidia-smi", "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.\n", code=9)
    stand_in(tmp_path, "lspci", LSPCI)
    assert [g.name for g in tools_in(tmp_path, "linux")] == ["NVIDIA Corporation AD102 [GeForce RTX 4090]", "Intel Corporation DG2 [Arc A770]"]


def test_rocm_and_macos_tools(tmp_path: Path) -> None:
    stand_in(tmp_path / "linux", "rocm-smi", ROCM_SMI)
    assert [(g.name, g.vendor) for g in tools_in(tmp_path / "linux", "linux")] == [("Radeon RX 7900 XTX", "amd")]
    stand_in(tmp_path / "mac", "system_profiler", SYSTEM_PROFILER)
    assert [(g.name, g.vendor) for g in tools_in(tmp_path / "mac", "darwin")] == [("AMD Radeon Pro 5500M", "amd")]


def test_no_tools_list_nothing_and_are_no_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    for platform in ("linux", "darwin", "win32"):
        assert tools_in(tmp_path / "empty", platform) == []


def test_the_warning_names_what_the_build_did_not_use() -> None:
    rtx = MachineGpu("NVIDIA GeForce RTX 4090", "nvidia", "nvidia-smi")
    arc = MachineGpu("Intel Corporation DG2 [Arc A770]", "intel", "lspci")
    assert warning([rtx], False, None) == "this machine has an NVIDIA GeForce RTX 4090; the build ran on the CPU"
    assert warning([rtx, arc], True, "CUDA (NVIDIA GeForce RTX 4090)") == (
        "this machine also has an Intel Corporation DG2 [Arc A770], which the build did not use (it ran on CUDA (NVIDIA GeForce RTX 4090))"
    )
    lspci_rtx = MachineGpu("NVIDIA Corporation AD102 [GeForce RTX 4090]", "nvidia", "lspci")
    assert unused([lspci_rtx], True, "CUDA (NVIDIA GeForce RTX 4090)") == []
    assert warning([rtx], True, "CUDA (NVIDIA GeForce RTX 4090)") is None
    assert warning([], False, None) is None and warning([rtx], None, None) is None


@pytest.mark.suite
def test_a_run_records_the_machines_gpus_and_warns_of_one_the_build_left_unused(tmp_path: Path) -> None:
    tools = tmp_path / "tools"
    stand_in(tools, "nvidia-smi", "NVIDIA GeForce RTX 4090\n")
    stand_in(tools, "rocm-smi", "", code=2)
    stand_in(tools, "lspci", "")
    path = f"{tools}{os.pathsep}{os.environ['PATH']}"
    cpu = run_suite(tmp_path / "cpu", "-D", "only=kokoro", env={"PATH": path})
    backend = cpu.report["backend"]
    assert backend["machine_gpus"] == [{"name": "NVIDIA GeForce RTX 4090", "vendor": "nvidia", "source": "nvidia-smi"}]
    assert backend["unused_gpu"] == "this machine has an NVIDIA GeForce RTX 4090; the build ran on the CPU"
    assert "> **A GPU went unused:** this machine has an NVIDIA GeForce RTX 4090; the build ran on the CPU." in cpu.markdown
    assert cpu.statuses() == {"10": "passed"}  # right for a CPU build: a warning, not a failure
    cuda = run_suite(tmp_path / "cuda", "-D", f"binary={gpu_named_simulator(tmp_path / 'dist')}", "-D", "only=kokoro", env={"PATH": path})
    assert cuda.report["backend"]["unused_gpu"] is None and "A GPU went unused" not in cuda.markdown


def test_mps_is_named_a_gpu_that_is_not_there_except_on_an_apple_silicon_mac() -> None:
    mps = "MPS (Apple Silicon)"
    intel = false_claim(mps, "darwin", "x86_64")
    assert intel == (
        "/health says the build runs on MPS (Apple Silicon), but this is an Intel Mac (x86_64), which has no Apple GPU: "
        "the build found MPS through Rosetta and will run on the CPU at best (upstream 842)"
    )
    assert false_claim(mps, "darwin", "arm64") is None
    assert false_claim(mps, "linux", "x86_64") is not None
    assert false_claim("CUDA (NVIDIA GeForce RTX 4090)", "darwin", "x86_64") is None and false_claim(None, "darwin", "x86_64") is None


@pytest.mark.suite
def test_a_cpu_build_that_says_mps_on_a_machine_without_it_is_warned_of(tmp_path: Path) -> None:
    """The simulator's CPU build answers /health as the real 0.5.0 did on an Intel Mac (upstream
    842): gpu_available true, "MPS (Apple Silicon)", backend_variant cpu. This machine is not an
    Apple Silicon Mac, so the run says the GPU is not there, and the rows still pass."""
    run = run_suite(tmp_path, "-D", "only=kokoro", scenario="rosetta_mps = true\n")
    backend = run.report["backend"]
    assert backend["gpu_type"] == "MPS (Apple Silicon)" and backend["backend_variant"] == "cpu"
    assert backend["false_gpu"] == false_claim("MPS (Apple Silicon)")
    assert f"> **A GPU that is not there:** {backend['false_gpu']}." in run.markdown
    assert run.statuses() == {"10": "passed"}
