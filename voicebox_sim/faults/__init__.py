"""Fault behaviour that no one route owns: the server process's own faults and a generation's."""
