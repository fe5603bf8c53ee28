"""Which languages the speech check judges, and what it was calibrated on.

Each language in ``JUDGED`` was measured with the bundled whisper-base on the real Voicebox 0.5.0
kokoro output of the matrix's fox sentence in that language (``voicebox_sim/engine/recordings``):
the output passes its own row, and every other language's output, the same output for a row
that asked ``ANOTHER_SENTENCE``, and the simulator's babble fail (``benchmarks/languages.py``
prints the figures; ``tests/verdicts/test_languages.py`` holds them). A language without a real
output to measure (Japanese: 0.5.0 fails every Japanese kokoro generation) is not judged.
"""

from __future__ import annotations

JUDGED = frozenset({"en", "es", "fr", "hi", "it", "pt", "zh"})
# Compared in Latin letters (uroman): Hindi heard in Devanagari or Urdu script, Chinese in
# traditional or simplified characters or as homophones (宗/棕), compare as they sound.
ROMANIZED = frozenset({"hi", "zh"})
# Another sentence in each judged language: a row that asks for it and gets the fox sentence fails.
ANOTHER_SENTENCE = {
    "en": "She sells sea shells by the sea shore every summer.",
    "es": "Mañana por la tarde iremos juntos al mercado del pueblo.",
    "fr": "Demain après-midi nous irons ensemble au marché du village.",
    "hi": "कल दोपहर हम सब गाँव के बाज़ार जाएँगे।",
    "it": "Domani pomeriggio andremo insieme al mercato del paese.",
    "pt": "Amanhã à tarde vamos juntos ao mercado da vila.",
    "zh": "明天下午我们一起去村里的市场买菜。",
}
