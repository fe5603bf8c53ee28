"""Reference bleed: the end of a cloned voice's reference recording pasted in front of the output.

Voicebox users heard the last second or two of their reference recording before every cloned
generation. The check slides the reference's last ``TAIL_SECONDS`` over the output's first
seconds and takes the best normalised cross-correlation (1.0: the same samples; unrelated speech
stays far below 0.5). Both are read at 8 kHz mono, which keeps the voice band and the cost low.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

RATE = 8000
TAIL_SECONDS = 1.5
SEARCH_SECONDS = 3.0  # how far into the output the tail may start


def bleed_correlation(output_wav: Path, reference_wav: Path) -> Optional[float]:
    """The best match of the reference's tail within the output's start (None: too short to tell)."""
    import numpy as np
    from faster_whisper import decode_audio

    tail: Any = decode_audio(str(reference_wav), sampling_rate=RATE)[-int(TAIL_SECONDS * RATE):]
    start: Any = decode_audio(str(output_wav), sampling_rate=RATE)[: int((SEARCH_SECONDS + TAIL_SECONDS) * RATE)]
    if len(tail) < RATE // 2 or len(start) < len(tail) or not np.any(tail):
        return None
    tail = tail.astype(np.float64) - tail.mean()
    start = start.astype(np.float64)
    size = 1 << int(len(start) + len(tail)).bit_length()
    # correlation of every placement of the tail in the output, through the FFT
    sums = np.fft.irfft(np.fft.rfft(start, size) * np.conj(np.fft.rfft(tail, size)), size)[: len(start) - len(tail) + 1]
    # each placement's own energy (the output's window, mean removed), from running sums
    first = np.concatenate(([0.0], np.cumsum(start)))
    second = np.concatenate(([0.0], np.cumsum(start * start)))
    count = len(tail)
    window_sum = first[count:] - first[:-count]
    window_energy = np.maximum(second[count:] - second[:-count] - window_sum * window_sum / count, 1e-12)
    correlation = sums / (np.sqrt(window_energy) * np.sqrt(np.sum(tail * tail)))
    return round(float(np.max(correlation)), 3)
