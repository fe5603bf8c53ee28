"""A stand-in for the Voicebox backend server (``voicebox-server``).

It speaks the HTTP API recorded in ``shared/contract/`` field for field, is started with the
same command line as the frozen binary, and can be told to misbehave through a scenario file
named in ``VOICEBOX_SIM_SCENARIO`` (see ``voicebox_sim.scenario``).
"""

VERSION = "0.5.0"
