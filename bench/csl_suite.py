"""Run the CSL test-suite fixtures through citetool's engine; print "N passed, M failed".

    python bench/csl_suite.py                       # citetool's engine, per-category counts
    python bench/csl_suite.py --plain               # bare citeproc-py, same harness (baseline)
    python bench/csl_suite.py -v name_              # show diffs of failing fixtures matching
    python bench/csl_suite.py --update-known-failures   # rewrite tests/csl_known_failures.txt

Fixtures: tests/csl-suite/ (a copy of the 802 core fixtures), or --dir DIR.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from citetool.csl.engine.suite import (  # noqa: E402
    is_citations,
    load_fixtures,
    run_fixture,
)

KNOWN_FAILURES = ROOT / "tests" / "csl_known_failures.txt"
SESSIONS = ROOT / "tests" / "csl-suite-citations"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pattern", nargs="?", default="", help="only fixtures whose name has this")
    parser.add_argument("--dir", type=Path, default=ROOT / "tests" / "csl-suite")
    parser.add_argument("--plain", action="store_true", help="bare citeproc-py (baseline)")
    parser.add_argument("-v", "--verbose", action="store_true", help="print failing outputs")
    parser.add_argument("--update-known-failures", action="store_true")
    parser.add_argument("--citations", type=Path, metavar="DIR", nargs="?",
                        default=SESSIONS,
                        help="the CITATIONS (session) fixtures, counted apart but in the "
                             "known-failures ratchet (default: tests/csl-suite-citations)")
    args = parser.parse_args()

    fixtures = [f for f in load_fixtures(args.dir) if args.pattern in f.name]
    passed: Counter[str] = Counter()
    failed: Counter[str] = Counter()
    failures: list[str] = []
    start = time.perf_counter()
    for fixture in fixtures:
        ok, output = run_fixture(fixture, plain=args.plain)
        (passed if ok else failed)[fixture.category] += 1
        if not ok:
            failures.append(fixture.name)
            if args.verbose:
                print(f"--- {fixture.name}\nexpected:\n{fixture.result}\ngot:\n{output}\n")
    elapsed = time.perf_counter() - start

    print(f"{'category':<14} {'pass':>5} {'fail':>5}")
    for category in sorted(set(passed) | set(failed)):
        print(f"{category:<14} {passed[category]:>5} {failed[category]:>5}")
    engine = "citeproc-py alone" if args.plain else "citetool engine"
    print(f"{sum(passed.values())} passed, {sum(failed.values())} failed "
          f"({engine}, {len(fixtures)} fixtures, {elapsed:.1f} s)")

    if args.citations:
        sessions = [f for f in load_fixtures(args.citations, core_only=False)
                    if is_citations(f) and args.pattern in f.name]
        good = 0
        for fixture in sessions:
            ok, output = run_fixture(fixture, plain=False)
            good += ok
            if not ok and args.verbose:
                print(f"--- {fixture.name}\nexpected:\n{fixture.result}\ngot:\n{output}\n")
            if not ok:
                failures.append(fixture.name)
        print(f"CITATIONS fixtures: {good} passed, {len(sessions) - good} failed "
              f"({len(sessions)} fixtures)")

    if args.update_known_failures:
        if args.plain or args.pattern:
            parser.error("--update-known-failures needs the full run of citetool's engine")
        KNOWN_FAILURES.write_text(
            "# CSL test-suite fixtures citetool's engine is known to fail (the ratchet).\n"
            "# Regenerate with: python bench/csl_suite.py --update-known-failures\n"
            + "".join(f"{name}\n" for name in sorted(failures)), encoding="utf-8")
        print(f"wrote {KNOWN_FAILURES.relative_to(ROOT)} ({len(failures)} entries)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
