"""The Voicebox release sign-off suite's library: everything the behave steps and hooks call."""
