"""Does the speech end, or is it cut off? The quiet after the speech's last loud moment.

Voicebox users report endings cut off: the last word said with "no air" (issue 597), the final
syllable chopped and static (issue 614). Real model outputs end in quiet: the Kokoro-82M recording
in tests/data has 0.6 s of it after its last word, and the project's reference recording (Kokoro's bf_emma) 0.74 s.
The same recordings cut inside a word end loud: their last 20 ms sit at 0.55-1.9 times the speech's
typical level. A WAV whose speech runs to its last frames gets a warning on its row (the words may
all be there, so it is not failed): a person should listen to its end.
"""

from __future__ import annotations

import math
from array import array
from statistics import median
from typing import Optional

FRAME_SECONDS = 0.02
# A frame is speech when its RMS is at least this share of the speech's typical frame level (the
# median of the frames above LOUD_SHARE of the loudest one).
SPEECH_SHARE = 0.1
LOUD_SHARE = 0.05


def trailing_quiet(samples: "array[int]", rate: int, channels: int = 1) -> Optional[float]:
    """Seconds from the end of the last speech frame to the end of the WAV (None without speech)."""
    size = max(1, int(rate * FRAME_SECONDS)) * channels
    levels = [
        math.sqrt(sum(s * s for s in samples[start:start + size]) / size)
        for start in range(0, len(samples) - size + 1, size)
    ]
    loudest = max(levels, default=0.0)
    if loudest <= 0:
        return None
    typical = median(level for level in levels if level > LOUD_SHARE * loudest)
    last = max(i for i, level in enumerate(levels) if level >= SPEECH_SHARE * typical)
    return round((len(levels) - 1 - last) * FRAME_SECONDS, 3)


def abrupt_end(quiet: Optional[float], min_quiet: float) -> Optional[str]:
    """The row's warning when its speech runs to the end of the WAV, else None."""
    if quiet is None or quiet >= min_quiet:
        return None
    return (
        f"the speech runs to the end of the WAV ({quiet:.2f} s of quiet after it, under "
        f"audio_min_trailing_quiet = {min_quiet:g} s): its last word may be cut off; listen to its end"
    )
