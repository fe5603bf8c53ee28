"""Verdicts on a finished row (WAV, ending, words, bleed, backend, memory) and the causes of failure; each verdict is one module behind ``base.Verdict``."""
