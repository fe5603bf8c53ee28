"""The ``detached_worker`` fault: a helper process that leaves the server's process tree.

The real server is built for multiprocessing children (backend/server.py calls
``multiprocessing.freeze_support()``: its children re-execute the frozen binary), and Voicebox
users have found server processes alive after the app closed (issues 166, 729, 752). A child that
detaches, re-parented away as a daemonised worker is, is not in the tree a stopper lists from
the server's pid; only its environment, inherited from the server, says whose it is.

``python -m voicebox_sim.detached`` starts the worker in a session of its own and exits at once,
so the worker's parent is gone; the worker waits until it is killed.
"""

from __future__ import annotations

import subprocess
import sys
import threading

WORKER_FLAG = "--worker"


def start_detached_worker() -> int:
    """Start the worker through an intermediate process that exits; the worker's pid."""
    done = subprocess.run(
        [sys.executable, "-m", "voicebox_sim.detached"], stdin=subprocess.DEVNULL, capture_output=True, timeout=30, check=True
    )
    return int(done.stdout.decode().strip())


def main() -> int:
    if WORKER_FLAG in sys.argv[1:]:
        threading.Event().wait()  # a worker with nothing to do: it lives until it is killed
        return 0
    worker = subprocess.Popen(
        [sys.executable, "-m", "voicebox_sim.detached", WORKER_FLAG],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=sys.platform != "win32",
    )
    print(worker.pid, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
