"""Which backend the simulated server runs on: the build variant from the executable's name, and
whether that build can use the machine's GPU (contract §9).

The real ``server.py`` sets ``VOICEBOX_BACKEND_VARIANT`` from its own file name before anything
else (``…voicebox-server-cuda`` → cuda, ``…voicebox-server-rocm`` → rocm, otherwise cpu) and
``/health`` reports the variant next to ``gpu_available``. A GPU build that finds no usable GPU
still answers healthy and generates on the CPU, without a word.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import MutableMapping, Optional

VARIANT_ENV = "VOICEBOX_BACKEND_VARIANT"
GPU_VARIANTS = ("cuda", "rocm")


def set_variant_from_name(executable: str, environ: MutableMapping[str, str]) -> str:
    """What server.py does at import: the variant from the executable's file name."""
    name = os.path.basename(executable).lower()
    if re.search(r"voicebox-server-rocm(\.exe)?$", name):
        environ[VARIANT_ENV] = "rocm"
    elif re.search(r"voicebox-server-cuda(\.exe)?$", name):
        environ[VARIANT_ENV] = "cuda"
    else:
        environ.setdefault(VARIANT_ENV, "cpu")
    return environ[VARIANT_ENV]


@dataclass(frozen=True)
class Hardware:
    variant: str
    gpu_available: bool
    gpu_name: str
    rosetta_mps: bool = False  # a CPU build on an Intel Mac: torch under Rosetta says MPS is there (upstream 842)

    @property
    def gpu_type(self) -> Optional[str]:
        if self.rosetta_mps:
            return "MPS (Apple Silicon)"
        if not self.gpu_available:
            return None
        return f"{'ROCm' if self.variant == 'rocm' else 'CUDA'} ({self.gpu_name})"

    @property
    def device(self) -> str:
        """The torch device a model loads on ("cuda" for ROCm too, as torch names it)."""
        return "cuda" if self.gpu_available and not self.rosetta_mps else "cpu"


def detect(gpu_usable: bool, gpu_name: str, environ: Optional[MutableMapping[str, str]] = None, rosetta_mps: bool = False) -> Hardware:
    """The simulated machine has a GPU that only a GPU build can use (the CPU build ships CPU-only
    torch), unless the scenario says the GPU build cannot use it (``gpu_usable = false``).
    ``rosetta_mps``: the CPU build reports MPS as an Intel Mac's does (generation stays on the CPU)."""
    env = os.environ if environ is None else environ
    variant = env.get(VARIANT_ENV, "cpu")
    mps = rosetta_mps and variant == "cpu"
    return Hardware(variant, mps or (variant in GPU_VARIANTS and gpu_usable), gpu_name, mps)
