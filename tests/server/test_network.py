"""The stand-in that cuts the server off from the hub: what a connection to it meets."""

from __future__ import annotations

import socket

import pytest

from voicebox_e2e.server.network import HubCut, NetworkCutError, PROXY_VARIABLES


def test_refused_refuses_at_once_and_unanswered_never_answers() -> None:
    refused, unanswered = HubCut("refused"), HubCut("unanswered")
    try:
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", refused.port), timeout=5).close()
        with socket.create_connection(("127.0.0.1", unanswered.port), timeout=5) as sock:
            sock.sendall(b"CONNECT huggingface.co:443 HTTP/1.1\r\nHost: huggingface.co:443\r\n\r\n")
            sock.settimeout(0.5)
            with pytest.raises(socket.timeout):
                sock.recv(1)
    finally:
        refused.close()
        unanswered.close()
    with pytest.raises(ConnectionRefusedError):  # closed: the port no longer accepts
        socket.create_connection(("127.0.0.1", unanswered.port), timeout=5).close()


def test_every_proxy_name_points_at_the_stand_in_and_only_this_machine_is_exempt() -> None:
    cut = HubCut("refused")
    try:
        env = cut.environment()
        assert all(env[name] == f"http://127.0.0.1:{cut.port}" for name in PROXY_VARIABLES)
        assert env["NO_PROXY"] == env["no_proxy"] == "127.0.0.1,localhost"
        assert cut.describe() == f"the hub cut off: the server's proxy variables point at 127.0.0.1:{cut.port}, which refuses every connection"
    finally:
        cut.close()


def test_an_unknown_cut_is_refused_in_one_sentence() -> None:
    with pytest.raises(NetworkCutError, match=r"^Unknown network cut 'unplugged'; use one of: refused, unanswered\.$"):
        HubCut("unplugged")
