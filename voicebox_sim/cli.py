"""``voicebox-server``'s command line, for the simulator.

``--version`` is answered before anything heavy is imported, as the real server.py does.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import subprocess
import sys
from pathlib import Path
from types import FrameType
from typing import Optional, Sequence

from voicebox_sim import VERSION
from voicebox_sim.engine.hardware import set_variant_from_name

LOG_FORMAT = "%(asctime)s - %(name)s - %(levelname)s - %(message)s"
ONEFILE_CHILD_ENV = "VOICEBOX_SIM_ONEFILE_CHILD"
log = logging.getLogger("__main__")


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="voicebox-server", description="voicebox backend server (simulator)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--data-dir", default=None)
    parser.add_argument("--parent-pid", type=int, default=None)
    parser.add_argument("--version", action="store_true")
    args = parser.parse_args(argv)
    if args.parent_pid is not None and args.parent_pid <= 0:
        parser.error("--parent-pid must be a positive integer")
    return args


def run_bootloader(argv: Sequence[str]) -> int:
    """PyInstaller onefile: this process only unpacks and waits; a child runs the server.

    SIGTERM and SIGINT are forwarded to the child; a SIGKILL of this process leaves it running.
    """
    env = dict(os.environ, **{ONEFILE_CHILD_ENV: "1"})
    child = subprocess.Popen([sys.executable, "-m", "voicebox_sim", *argv], env=env)

    def forward(sig: int, frame: Optional[FrameType]) -> None:
        try:
            child.send_signal(sig)
        except ProcessLookupError:
            pass

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    code = child.wait()
    if code < 0 and hasattr(signal, "SIGKILL"):
        signal.signal(-code, signal.SIG_DFL)
        os.kill(os.getpid(), -code)
    return code


def main(argv: Optional[Sequence[str]] = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--version" in argv:
        from voicebox_sim.scenario import ScenarioError, load_scenario

        try:
            version = load_scenario().version or VERSION
        except ScenarioError:
            version = VERSION
        print(f"voicebox-server {version}")
        return
    args = parse_args(argv)
    # As server.py: the variant from the executable's own name, before anything else (the onefile
    # child inherits it through the environment, as the real child inherits the same file name).
    variant = set_variant_from_name(sys.argv[0], os.environ)

    from voicebox_sim.scenario import ScenarioError, load_scenario

    try:
        scenario = load_scenario()
    except ScenarioError as exc:
        print(f"voicebox-server: error: {exc}", file=sys.stderr)
        sys.exit(2)
    if scenario.onefile and not os.environ.get(ONEFILE_CHILD_ENV):
        sys.exit(run_bootloader(argv))

    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT, stream=sys.stderr)
    log.info("=" * 60)
    log.info("voicebox-server starting up...")
    log.info("Python version: %s", sys.version)
    log.info("Executable: %s", sys.executable)
    log.info("Arguments: %s", [sys.argv[0], *argv])
    log.info("=" * 60)
    log.info("Importing uvicorn...")
    import uvicorn

    from voicebox_sim.app import create_app
    from voicebox_sim.state import SimState

    log.info("Backend imports successful")
    log.info("Backend variant: %s", variant.upper())
    data_dir = Path(args.data_dir) if args.data_dir else Path.cwd() / "data"
    log.info("Parsed arguments: host=%s, port=%s, data_dir=%s", args.host, args.port, data_dir)
    log.info("Setting data directory to: %s", data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    log.info("Initializing database...")
    state = SimState(scenario, data_dir, args.parent_pid)
    log.info("Database initialized successfully")

    class SimServer(uvicorn.Server):
        def handle_exit(self, sig: int, frame: Optional[FrameType]) -> None:
            if sig == signal.SIGTERM and scenario.ignore_sigterm:
                log.warning("Received SIGTERM; ignoring it (ignore_sigterm)")
                return
            state.begin_shutdown()
            super().handle_exit(sig, frame)

    log.info("Starting uvicorn server on %s:%s...", args.host, args.port)
    config = uvicorn.Config(create_app(state), host=args.host, port=args.port, log_level="info")
    SimServer(config).run()


if __name__ == "__main__":
    main()
