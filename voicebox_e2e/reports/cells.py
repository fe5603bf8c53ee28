"""Text made safe for a Markdown table cell (every report's Markdown uses it)."""

from __future__ import annotations

from typing import Optional

from voicebox_e2e.server.redaction import redact


def table_cell(text: Optional[str], limit: int = 160) -> str:
    """Text made safe for one Markdown table cell: no newlines, pipes or raw HTML."""
    if not text:
        return ""
    flat = " ".join(redact(text).split())
    if len(flat) > limit:
        flat = flat[: limit - 1] + "…"
    flat = flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return flat.replace("\\", "\\\\").replace("|", "\\|").replace("`", "\\`")
