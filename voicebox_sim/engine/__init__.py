"""The simulated TTS engine: its models, hardware, memory, downloads, generation queue and speech."""
