"""A watcher that outlives behave and stops the server if behave dies (testcontainers' "Ryuk").

When behave is killed (``kill -9``, the OOM killer, a cancelled CI job) no hook runs, and the real
server's ``--parent-pid`` watchdog does not work in frozen builds: the server and its onefile child
would keep the port, the memory and the temp dir. So each launch also starts this small process.
It blocks reading a pipe from the suite. The suite writes ``release`` once it has stopped the
server itself, and the watcher exits. If the pipe ends without it, the suite is gone, however it
died: the watcher stops the server's process tree (SIGTERM, then SIGKILL after a short grace),
removes the temp data dir unless it is to be kept, notes what it did, and exits.

It only touches the server it was given and the processes carrying the launching run's marker
(the onefile child included, even if its parent died first). The next run's reaper
(``stale.reap_stale_servers``) stays as the second line of defence.

    python -m voicebox_e2e.server.reaper --server-pid N --owner-pid N --data-dir DIR [--keep-data-dir] [--log FILE]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Optional, Sequence

import psutil

from voicebox_e2e.server.markers import OWNER_ENV, WATCHER_ENV, is_suite_data_dir, marked
from voicebox_e2e.server.stopping import stop_all

RELEASE = b"release\n"
GRACE_SECONDS = 1.5


@dataclass(frozen=True)
class Order:
    """What one watcher is to clean up if the suite dies."""

    server_pid: int
    owner_pid: int
    data_dir: Path
    keep_data_dir: bool
    log: Optional[Path] = None
    grace: float = GRACE_SECONDS


class Reaper:
    """The suite's end of one watcher: start it beside a server, release it once the server is stopped."""

    def __init__(self, proc: "subprocess.Popen[bytes]") -> None:
        self.proc = proc

    @classmethod
    def start(cls, order: Order) -> "Reaper":
        argv = [
            sys.executable, "-m", "voicebox_e2e.server.reaper", "--server-pid", str(order.server_pid),
            "--owner-pid", str(order.owner_pid), "--data-dir", str(order.data_dir), "--grace", str(order.grace),
        ]
        if order.keep_data_dir:
            argv.append("--keep-data-dir")
        if order.log is not None:
            argv += ["--log", str(order.log)]
        package_root = str(Path(__file__).resolve().parents[2])
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH", "")) if p)
        env.pop(OWNER_ENV, None)
        env[WATCHER_ENV] = str(order.owner_pid)
        # Its own session / process group: a Ctrl-C meant for behave does not reach it.
        proc = subprocess.Popen(
            argv, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, env=env,
            start_new_session=sys.platform != "win32",
            creationflags=getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0) if sys.platform == "win32" else 0,
        )
        return cls(proc)

    def release(self, timeout: float = 5.0) -> None:
        """The server is stopped: let the watcher go without touching anything."""
        stdin = self.proc.stdin
        if stdin is not None and not stdin.closed:
            try:
                stdin.write(RELEASE)
                stdin.close()
            except OSError:
                pass
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def wait_for_suite(pipe: IO[bytes]) -> bool:
    """Block until the suite releases us (True) or its end of the pipe closes (False)."""
    data = b""
    while True:
        chunk = pipe.read(64)
        if not chunk:
            return data.startswith(RELEASE)
        data += chunk
        if data.startswith(RELEASE):
            return True


def targets(order: Order, watching_since: float) -> list[psutil.Process]:
    """The server's tree, and every process marked with the run's owner pid (the onefile child
    too, even if the bootloader died first). Watchers carry another marker: they never reap each
    other."""
    found: dict[int, psutil.Process] = {}
    try:
        server = psutil.Process(order.server_pid)
        if server.create_time() <= watching_since:  # not a new process that reused the pid
            for proc in (server, *server.children(recursive=True)):
                found[proc.pid] = proc
    except psutil.Error:
        pass
    for proc in marked(OWNER_ENV, str(order.owner_pid)):
        if proc.pid != os.getpid():
            found.setdefault(proc.pid, proc)
    return list(found.values())


def reap(order: Order, watching_since: float) -> Optional[str]:
    """Stop what the dead suite left and remove its temp data dir; one sentence saying what was
    done (None when the suite had left nothing)."""
    started = time.monotonic()
    procs = targets(order, watching_since)
    if not procs and (order.keep_data_dir or not order.data_dir.is_dir()):
        return None
    alive = stop_all(procs, order.grace) if procs else []
    said = f"the suite (pid {order.owner_pid}) ended without stopping its server; "
    said += f"stopped {len(procs) - len(alive)} server process(es) in {time.monotonic() - started:.1f} s"
    if alive:
        said += f", but {', '.join(str(p.pid) for p in alive)} outlived SIGKILL"
    if order.keep_data_dir:
        said += f"; kept the data dir {order.data_dir}"
    elif is_suite_data_dir(order.data_dir) and order.data_dir.is_dir():
        shutil.rmtree(order.data_dir, ignore_errors=True)
        said += f"; removed the data dir {order.data_dir}"
    return said + "."


def note(order: Order, text: str) -> None:
    line = f"[voicebox-e2e reaper] {text}\n"
    sys.stderr.write(line)
    sys.stderr.flush()
    if order.log is not None:
        try:
            with order.log.open("a", encoding="utf-8") as log:
                log.write(line)
        except OSError:
            pass


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m voicebox_e2e.server.reaper", description=__doc__.split("\n\n")[0])
    parser.add_argument("--server-pid", type=int, required=True)
    parser.add_argument("--owner-pid", type=int, required=True)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--keep-data-dir", action="store_true")
    parser.add_argument("--log", type=Path)
    parser.add_argument("--grace", type=float, default=GRACE_SECONDS)
    args = parser.parse_args(argv)
    order = Order(args.server_pid, args.owner_pid, args.data_dir, args.keep_data_dir, args.log, args.grace)
    watching_since = time.time() + 1.0  # the server was launched just before this watcher
    if wait_for_suite(sys.stdin.buffer):
        return 0
    said = reap(order, watching_since)
    if said:
        note(order, said)
    return 0


if __name__ == "__main__":
    sys.exit(main())
