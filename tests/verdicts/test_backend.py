"""The backend the rows really ran on: a GPU build that runs on the CPU fails its rows.

The simulator is started the way the real GPU build is, under a file named voicebox-server-cuda
(the real server.py takes its variant from its own file name), with and without a usable GPU.
"""

from __future__ import annotations

import pytest

from pathlib import Path
from typing import Any, Callable

import requests

from conftest import gpu_named_simulator, run_suite
from voicebox_e2e.figures.gpus import MachineGpu
from voicebox_e2e.verdicts.backend import BackendCheck, gpu_build_of
from voicebox_e2e.figures.devices import DeviceMemory, device_loaded

HEALTHY_CPU = {"backend_type": "pytorch", "backend_variant": "cpu", "gpu_available": False, "gpu_type": None, "vram_used_mb": None}
# Recorded from the real CPU onefile build started as voicebox-server-cuda on a machine without a GPU (contract §9).
CUDA_NAME_NO_GPU = {"backend_type": "pytorch", "backend_variant": "cuda", "gpu_available": False, "gpu_type": None, "vram_used_mb": None}


def test_the_recorded_silent_cpu_case_is_a_problem_and_a_cpu_build_is_not() -> None:
    check = BackendCheck("voicebox-server-cuda")
    check.observe(CUDA_NAME_NO_GPU)
    assert check.expects_gpu and "The CUDA build voicebox-server-cuda ran on the CPU" in (check.problem() or "")
    cpu = BackendCheck("voicebox-server")
    cpu.observe(HEALTHY_CPU)
    assert not cpu.expects_gpu and cpu.problem() is None
    forced = BackendCheck("voicebox-server", expect_gpu=True)
    forced.observe(HEALTHY_CPU)
    assert "expect_gpu=true" in (forced.problem() or "")
    waived = BackendCheck("voicebox-server-cuda", expect_gpu=False)
    waived.observe(CUDA_NAME_NO_GPU)
    assert waived.problem() is None


def test_the_variant_alone_marks_a_gpu_build_and_the_largest_vram_is_kept() -> None:
    check = BackendCheck(None)
    check.observe(dict(CUDA_NAME_NO_GPU, backend_variant="rocm"))
    assert check.gpu_build == "rocm" and check.problem() is not None
    gpu = BackendCheck("voicebox-server-cuda.exe")
    for vram in (120.5, 4310.2, 900.0):
        gpu.observe(dict(CUDA_NAME_NO_GPU, gpu_available=True, gpu_type="CUDA (RTX)", vram_used_mb=vram))
    assert gpu.problem() is None and gpu.to_json()["vram_used_mb"] == 4310.2
    assert gpu_build_of("voicebox-server-rocm") == "rocm" and gpu_build_of("voicebox-server") is None


def test_the_device_comes_from_the_servers_loading_line() -> None:
    assert device_loaded(["x - backend.backends.kokoro_backend - INFO - Loading Kokoro-82M on cuda..."]) == "cuda"
    assert device_loaded(["... Loading TTS model 0.6B on cpu...", "... Loading HumeAI TADA 3B on mps..."]) == "mps"
    assert device_loaded(["... - INFO - Loading MLX TTS model 1.7B..."]) == "mlx"
    assert device_loaded(["nothing loaded here"]) is None
    memory = DeviceMemory()
    assert memory.resolve("kokoro", "cuda") == "cuda" and memory.resolve("kokoro", None) == "cuda"
    assert memory.resolve("tada-1b", None) is None


@pytest.mark.suite
def test_the_simulator_takes_its_variant_from_its_file_name(tmp_path: Path, simulator: Callable[..., Any]) -> None:
    plain = simulator()
    assert requests.get(plain.url + "/health", timeout=5).json()["backend_variant"] == "cpu"
    assert "Backend variant: CPU" in plain.stderr()


@pytest.mark.suite
def test_a_cuda_build_that_cannot_use_the_gpu_fails_every_row_with_cause_backend(tmp_path: Path) -> None:
    binary = gpu_named_simulator(tmp_path / "dist")
    run = run_suite(tmp_path / "run", "-D", f"binary={binary}", "-D", "only=kokoro,luxtts", scenario="gpu_usable = false\n")
    rows = run.rows()
    assert {r["cause"] for r in rows.values()} == {"backend"} and run.code != 0
    assert all(r["status"] == "failed" and r["device"] == "cpu" for r in rows.values())
    assert "ran on the CPU" in rows["10"]["error"]
    backend = run.report["backend"]
    assert backend["backend_variant"] == "cuda" and backend["gpu_available"] is False and backend["expects_gpu"] is True
    assert "**Wrong backend:**" in run.markdown
    assert "Backend variant: CUDA" in Path(run.report["server"]["log"]).read_text()
    run.assert_clean()


@pytest.mark.suite
def test_expect_gpu_false_lets_the_cpu_run_pass(tmp_path: Path) -> None:
    binary = gpu_named_simulator(tmp_path / "dist")
    run = run_suite(tmp_path / "run", "-D", f"binary={binary}", "-D", "only=kokoro", "-D", "expect_gpu=false", scenario="gpu_usable = false\n")
    assert run.statuses() == {"10": "passed"} and run.report["backend"]["expects_gpu"] is False
    run.assert_clean()


@pytest.mark.suite
def test_a_cuda_build_with_a_usable_gpu_passes_on_cuda(tmp_path: Path) -> None:
    binary = gpu_named_simulator(tmp_path / "dist")
    run = run_suite(tmp_path / "run", "-D", f"binary={binary}", "-D", "only=kokoro")
    row = run.rows()["10"]
    assert row["status"] == "passed" and row["device"] == "cuda" and row["cause"] is None
    backend = run.report["backend"]
    assert backend["gpu_available"] is True and backend["gpu_type"] == "CUDA (NVIDIA GeForce RTX 4090)"
    assert backend["vram_used_mb"] and backend["vram_used_mb"] > 0
    run.assert_clean()


@pytest.mark.suite
def test_expect_gpu_true_fails_a_cpu_build(tmp_path: Path) -> None:
    run = run_suite(tmp_path, "-D", "only=kokoro", "-D", "expect_gpu=true")
    assert run.rows()["10"]["cause"] == "backend" and run.code != 0
    run.assert_clean()


def test_the_sentence_names_the_build_its_file_and_the_variant() -> None:
    check = BackendCheck("voicebox-server-rocm")
    check.observe(dict(CUDA_NAME_NO_GPU, backend_variant="rocm"))
    assert check.problem() == (
        "The ROCM build voicebox-server-rocm ran on the CPU: /health says gpu_available false (backend_variant rocm), "
        "so this row tested nothing of the GPU; run it on a machine whose GPU the build can use, or pass expect_gpu=false."
    )
    simulated = BackendCheck(None, expect_gpu=True)
    simulated.observe({"gpu_available": False})
    assert simulated.problem() == (
        "The build (expect_gpu=true) ran on the CPU: /health says gpu_available false (backend_variant unknown), "
        "so this row tested nothing of the GPU; run it on a machine whose GPU the build can use, or pass expect_gpu=false."
    )
    unread = BackendCheck("voicebox-server-cuda")  # /health never read: nothing to hold against it
    assert unread.expects_gpu and unread.problem() is None


def test_only_well_formed_health_fields_are_taken_and_the_last_one_kept() -> None:
    check = BackendCheck("voicebox-server")
    check.observe({"backend_type": "pytorch", "backend_variant": "cpu", "gpu_available": True, "gpu_type": "CUDA (A)", "vram_used_mb": 10})
    check.observe({"backend_type": "", "backend_variant": 7, "gpu_available": "no", "gpu_type": None, "vram_used_mb": True, "gpu_compatibility_warning": "sm_120"})
    assert (check.backend_type, check.backend_variant, check.gpu_available, check.gpu_type) == ("pytorch", "cpu", True, "CUDA (A)")
    assert check.vram_used_mb_max == 10.0 and check.gpu_compatibility_warning == "sm_120" and check.health_reads == 2
    check.observe({"gpu_available": False, "vram_used_mb": 2.5})
    assert check.gpu_available is False and check.vram_used_mb_max == 10.0
    record = check.to_json()
    assert record["expect_gpu_setting"] == "auto" and record["expects_gpu"] is False and record["problem"] is None
    assert BackendCheck("x", expect_gpu=False).to_json()["expect_gpu_setting"] == "false"
    assert BackendCheck("x").to_json()["vram_used_mb"] is None


def test_a_gpu_build_is_named_by_its_file_in_any_case_with_or_without_exe() -> None:
    assert gpu_build_of("VOICEBOX-SERVER-CUDA.EXE") == "cuda" and gpu_build_of("/opt/vb/voicebox-server-rocm") == "rocm"
    assert gpu_build_of("voicebox-server-cuda.bak") is None and gpu_build_of("") is None and gpu_build_of(None) is None
    assert BackendCheck("voicebox-server-cuda").gpu_build == "cuda"  # the name wins before /health is read


def test_a_row_that_passed_on_the_wrong_backend_fails_and_a_failed_one_keeps_its_cause() -> None:
    from voicebox_e2e.row.result import FAILED, PASSED, RowResult
    from voicebox_e2e.row.spec import RowSpec
    from voicebox_e2e.verdicts.base import RowContext

    check = BackendCheck("voicebox-server-cuda")
    check.observe(CUDA_NAME_NO_GPU)
    spec = RowSpec("10", "kokoro", None, "kokoro", "The quick brown fox jumps over the lazy dog.")
    row = RowContext(spec, None, 1, None)
    passed = RowResult("10", "kokoro", "kokoro", None, "kokoro", "en", status=PASSED)
    check.judge(passed, row)
    assert passed.status == FAILED and passed.cause == "backend" and passed.error == check.problem()
    failed = RowResult("10", "kokoro", "kokoro", None, "kokoro", "en")
    failed.fail("engine", "boom")
    failed.decide_cause([])
    check.judge(failed, row)
    assert failed.error == "boom" and failed.cause == "engine"


def test_the_json_is_every_field_under_its_name() -> None:
    check = BackendCheck("voicebox-server-cuda", machine_gpus=[MachineGpu("NVIDIA GeForce RTX 4090", "nvidia", "nvidia-smi")])
    check.observe({"backend_type": "pytorch", "backend_variant": "cuda", "gpu_available": True, "gpu_type": "CUDA (NVIDIA GeForce RTX 4090)",
                   "vram_used_mb": 0.4, "gpu_compatibility_warning": "sm_120 is newer than this build"})
    assert check.to_json() == {
        "backend_type": "pytorch", "backend_variant": "cuda", "gpu_available": True, "gpu_type": "CUDA (NVIDIA GeForce RTX 4090)",
        "vram_used_mb": 0.4,  # a small figure is kept as it is, not raised to any floor
        "gpu_compatibility_warning": "sm_120 is newer than this build", "expects_gpu": True, "expect_gpu_setting": "auto",
        "problem": None, "machine_gpus": [{"name": "NVIDIA GeForce RTX 4090", "vendor": "nvidia", "source": "nvidia-smi"}],
        "unused_gpu": None, "false_gpu": None,
    }
