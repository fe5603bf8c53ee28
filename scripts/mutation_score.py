"""The mutation score from mutmut's results in mutants/: per module, killed of the mutants the unit
tier could meet, and in all. A mutant counts as killed when a test failed on it, or when its tests
hung past the recheck's 300 s or died of a signal (scripts/mutation_recheck.py runs every mutant
mutmut's own clock cut short again first).

    .venv/bin/python scripts/mutation_score.py   (after scripts/mutation.sh has run mutmut)
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from mutmut.stats import status_by_exit_code

KILLED = {"killed", "timeout", "caught by type check", "segfault"}


def main() -> int:
    metas = sorted(Path("mutants").glob("voicebox_e2e/verdicts/*.py.meta")) + sorted(Path("mutants").glob("voicebox_e2e/reports/*.py.meta"))
    if not metas:
        print("No mutation results in mutants/: run scripts/mutation.sh first.", file=sys.stderr)
        return 2
    total: Counter[str] = Counter()
    print("| module | mutants | killed | survived | no tests | score |")
    print("|---|---|---|---|---|---|")
    for meta in metas:
        codes = json.loads(meta.read_text(encoding="utf-8")).get("exit_code_by_key", {})
        counts = Counter(status_by_exit_code[code] for code in codes.values())
        killed = sum(n for status, n in counts.items() if status in KILLED)
        total.update(counts)
        met = len(codes) - counts["no tests"] - counts["not checked"]
        score = f"{killed / met:.0%}" if met else "—"
        print(f"| {meta.parent.name}/{meta.name.removesuffix('.py.meta')} | {len(codes)} | {killed} | {counts['survived']} | {counts['no tests']} | {score} |")
    killed = sum(n for status, n in total.items() if status in KILLED)
    met = sum(total.values()) - total["no tests"] - total["not checked"]
    print(f"\n{killed} of {met} mutants the unit tier meets killed: {killed / max(met, 1):.1%} "
          f"({total['no tests']} more in code no unit test reaches; {total['not checked']} not checked)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
