"""Avatar images as the real server takes them (``utils/images.py`` at v0.5.0): at most 5 MB,
PNG, JPEG or WEBP. The real server opens the upload with Pillow and saves it resized to 512 px
(``profiles/<id>/avatar.<ext>``); the simulator tells the format by its first bytes and keeps the
bytes as sent."""

from __future__ import annotations

import uuid
from pathlib import PurePath

MAX_FILE_SIZE = 5 * 1024 * 1024
EXTENSIONS = {"PNG": ".png", "JPEG": ".jpg", "WEBP": ".webp"}


class ImageError(ValueError):
    """The real server's words for an upload it refuses."""


def image_format(data: bytes) -> str | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if data[:2] == b"BM":
        return "BMP"
    return None


def avatar_extension(data: bytes, name: str) -> str:
    """The stored avatar's extension, or ``ImageError`` with the real server's words."""
    if len(data) > MAX_FILE_SIZE:
        raise ImageError(f"File size exceeds maximum of {MAX_FILE_SIZE // (1024 * 1024)}MB")
    found = image_format(data)
    if found is None:  # Pillow's words, naming the temporary file the upload was written to
        raise ImageError(f"Invalid image file: cannot identify image file '/tmp/tmp{uuid.uuid4().hex[:8]}{PurePath(name).suffix}'")
    if found not in EXTENSIONS:
        raise ImageError(f"Invalid format '{found}'. Allowed formats: PNG, JPEG, WEBP")
    return EXTENSIONS[found]
