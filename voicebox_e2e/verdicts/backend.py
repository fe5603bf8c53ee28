"""The backend the rows really ran on, and whether it is the one the build is for.

A ``voicebox-server-cuda`` (or ``-rocm``) on a machine whose GPU it cannot use still answers
``healthy`` and generates on the CPU without a word (contract §9): every row passes and the GPU
sign-off has tested nothing of the GPU. The run reads ``/health`` after start-up and after each
row; a GPU build whose ``gpu_available`` is false fails every row that would have passed.
``expect_gpu`` (true|false; None means auto) overrides what is expected.

The machine's own GPUs (``figures/gpus.py``) are recorded beside it, and any the build did not use
is named in a warning ("this machine has an NVIDIA GeForce RTX 4090; the build ran on the CPU"):
right for a CPU build, but the release engineer learns the machine could have tested more. A GPU
``/health`` names that the machine cannot have (MPS on an Intel Mac, upstream 842) is a warning
of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Mapping, Optional

from voicebox_e2e.figures import gpus
from voicebox_e2e.row.result import RowResult
from voicebox_e2e.verdicts import causes
from voicebox_e2e.verdicts.base import RowContext

GPU_VARIANTS = ("cuda", "rocm")
_GPU_BUILD_NAME = re.compile(r"voicebox-server-(cuda|rocm)(\.exe)?$", re.IGNORECASE)


def gpu_build_of(binary_name: Optional[str]) -> Optional[str]:
    """"cuda" or "rocm" when the binary's file name says it is a GPU build (as server.py reads it)."""
    if not binary_name:
        return None
    found = _GPU_BUILD_NAME.search(binary_name)
    return found.group(1).lower() if found else None


@dataclass
class BackendCheck:
    binary_name: Optional[str]  # the launched file's name; None for the simulator's python -m
    expect_gpu: Optional[bool] = None  # None: expect a GPU exactly when the build is a GPU build
    backend_type: Optional[str] = None
    backend_variant: Optional[str] = None
    gpu_available: Optional[bool] = None
    gpu_type: Optional[str] = None
    gpu_compatibility_warning: Optional[str] = None
    vram_used_mb_max: Optional[float] = None
    health_reads: int = 0
    notes: list[str] = field(default_factory=list)
    machine_gpus: list[gpus.MachineGpu] = field(default_factory=list)  # what the machine's tools list

    def observe(self, health: Mapping[str, Any]) -> None:
        """Take in one /health answer."""
        self.health_reads += 1
        self.backend_type = _text(health.get("backend_type")) or self.backend_type
        self.backend_variant = _text(health.get("backend_variant")) or self.backend_variant
        if isinstance(health.get("gpu_available"), bool):
            self.gpu_available = bool(health["gpu_available"])
        self.gpu_type = _text(health.get("gpu_type")) or self.gpu_type
        self.gpu_compatibility_warning = _text(health.get("gpu_compatibility_warning")) or self.gpu_compatibility_warning
        vram = health.get("vram_used_mb")
        if isinstance(vram, (int, float)) and not isinstance(vram, bool):
            self.vram_used_mb_max = max(float(vram), self.vram_used_mb_max or 0.0)

    @property
    def gpu_build(self) -> Optional[str]:
        """"cuda"/"rocm" when the binary's name or the server's variant says it is a GPU build."""
        by_name = gpu_build_of(self.binary_name)
        if by_name:
            return by_name
        return self.backend_variant if self.backend_variant in GPU_VARIANTS else None

    @property
    def expects_gpu(self) -> bool:
        return self.expect_gpu if self.expect_gpu is not None else self.gpu_build is not None

    def problem(self) -> Optional[str]:
        """One sentence when the rows ran on the wrong backend, else None."""
        if not self.expects_gpu or self.gpu_available is not False:
            return None
        build = self.gpu_build
        what = f"The {build.upper()} build" if build else "The build (expect_gpu=true)"
        name = f" {self.binary_name}" if self.binary_name else ""
        return (
            f"{what}{name} ran on the CPU: /health says gpu_available false (backend_variant "
            f"{self.backend_variant or 'unknown'}), so this row tested nothing of the GPU; "
            "run it on a machine whose GPU the build can use, or pass expect_gpu=false."
        )

    def judge(self, result: RowResult, row: RowContext) -> None:
        """A row that passed on the wrong backend fails with cause ``backend``."""
        problem = self.problem()
        if problem is not None and result.passed:
            result.fail(causes.BACKEND_KIND, problem)
            result.decide_cause([])

    def to_json(self) -> dict[str, Any]:
        return {
            "backend_type": self.backend_type,
            "backend_variant": self.backend_variant,
            "gpu_available": self.gpu_available,
            "gpu_type": self.gpu_type,
            "vram_used_mb": None if self.vram_used_mb_max is None else round(self.vram_used_mb_max, 1),
            "gpu_compatibility_warning": self.gpu_compatibility_warning,
            "expects_gpu": self.expects_gpu,
            "expect_gpu_setting": "auto" if self.expect_gpu is None else str(self.expect_gpu).lower(),
            "problem": self.problem(),
            "machine_gpus": gpus.describe(self.machine_gpus),
            "unused_gpu": gpus.warning(self.machine_gpus, self.gpu_available, self.gpu_type),
            "false_gpu": gpus.false_claim(self.gpu_type),
        }


def _text(value: Any) -> Optional[str]:
    return value if isinstance(value, str) and value else None
