"""Figures measured around a row: performance (time, memory) and the device a model ran on."""
