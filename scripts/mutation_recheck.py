"""Run again, one at a time and with no clock but a generous one, every mutant mutmut marked as
timed out, and record what the tests really did with it.

mutmut 3 gives each mutant a CPU-time limit derived from the tests' own time. On this machine the
WAV checks' mutants met it before their first failing test had run, so a "timeout" said nothing
about the tests. This runs each such mutant as mutmut does (``MUTANT_UNDER_TEST`` in
``mutants/``, the unit tier of ``[tool.mutmut]``'s tests, a 300 s clock and 6 GiB) and writes
what the tests did into mutmut's results: killed (a test failed), survived, a real hang, or tests
that died of a signal; ``scripts/mutation_score.py`` counts only those.

    .venv/bin/python scripts/mutation_recheck.py   (after mutmut has run, from the checkout)
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from mutmut.stats import status_by_exit_code

LIMIT = 300.0  # seconds for one mutant's tests: a hang, not a slow machine
MEMORY = 6 * 1024**3  # bytes of address space for one mutant's tests (the tests need under 3 GiB)


def _memory_limit() -> None:
    """At most ``MEMORY`` bytes for one mutant's tests: a mutant that runs away with the memory
    fails its tests (MemoryError) instead of starving the machine."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def run_one(name: str, args: list[str], tests: list[str]) -> int:
    """1 when the tests failed on the mutant (killed), 0 when they passed (survived), 36 on a hang,
    the negative signal number when the tests were killed (-9: out of memory)."""
    env = {**os.environ, "MUTANT_UNDER_TEST": name}
    try:
        done = subprocess.run(
            [sys.executable, "-m", "pytest", *args, *tests], cwd="mutants", env=env, capture_output=True, timeout=LIMIT, preexec_fn=_memory_limit,
        )
    except subprocess.TimeoutExpired:
        return 36  # a real hang: mutmut's own code for a timeout
    if done.returncode < 0:  # the tests died of a signal (a mutant that ran away with the memory)
        return done.returncode
    if done.returncode not in (0, 1, 3):  # pytest could not run them (a test id it no longer finds...)
        raise RuntimeError(f"pytest ended with {done.returncode} on {name}: {done.stdout[-500:]!r}")
    # 1: a test failed (killed); 0: every test passed (survived); 3: pytest itself failed while the
    # mutant ran (out of memory formatting a failure): mutmut counts that killed too
    return done.returncode


def main() -> int:
    config = tomllib.loads(Path("pyproject.toml").read_text(encoding="utf-8"))["tool"]["mutmut"]
    stats = json.loads(Path("mutants/mutmut-stats.json").read_text(encoding="utf-8"))
    covering = {name: list(tests) for name, tests in stats.get("tests_by_mangled_function_name", {}).items()}
    metas = sorted(Path("mutants").glob("voicebox_e2e/**/*.py.meta"))
    if not metas:
        print("No mutation results in mutants/: run scripts/mutation.sh first.", file=sys.stderr)
        return 2
    base = [*config.get("pytest_add_cli_args", []), "-x", "-q"]
    selection = list(config.get("pytest_add_cli_args_test_selection", []))
    workers = int(os.environ.get("MUTATION_WORKERS", "2"))
    for meta in metas:
        data = json.loads(meta.read_text(encoding="utf-8"))
        codes = data.get("exit_code_by_key", {})
        timed_out = sorted(name for name, code in codes.items() if status_by_exit_code[code] == "timeout")
        with ThreadPoolExecutor(max_workers=workers) as pool:
            # the tests mutmut found covering the mutated function (all of them where it found none)
            runs = pool.map(lambda name: run_one(name, base, sorted(covering.get(name.rsplit("__mutmut_", 1)[0], [])) or selection), timed_out)
            for name, code in zip(timed_out, runs):
                codes[name] = code
                print(f"{name}: {status_by_exit_code[code]}", flush=True)
        meta.write_text(json.dumps(data, indent=4), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
