"""Finding the binary to test."""

from __future__ import annotations

from pathlib import Path

from voicebox_e2e.server.target import candidates


def test_the_search_order_follows_the_design_per_platform() -> None:
    repo = Path("/vb")
    assert [str(p) for p in candidates(repo, "darwin")] == ["/vb/backend/dist/voicebox-server-cuda/voicebox-server-cuda", "/vb/backend/dist/voicebox-server"]
    assert [p.name for p in candidates(repo, "win32")] == ["voicebox-server-cuda.exe", "voicebox-server-rocm.exe", "voicebox-server.exe"]
    assert [p.name for p in candidates(repo, "linux")] == ["voicebox-server-cuda", "voicebox-server-rocm", "voicebox-server"]
