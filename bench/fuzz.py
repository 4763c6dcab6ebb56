"""Fuzz every reader with at least 10,000 hypothesis examples (issue 6).

Uses the strategies and the property of ``tests/test_fuzz.py`` (the only exceptions out
of a reader are CitetoolError subclasses, with one-line messages; every record read can be
written as CSL-JSON) with many more examples than the default suite.

    python bench/fuzz.py                      # 10,000 examples per reader
    python bench/fuzz.py --examples 2000 --readers bibtex ris
    python bench/fuzz.py --json results.json

Each reader's examples are split over its strategies (arbitrary text, its own tokens,
mutated valid samples; valid skeletons with wild field values for BibTeX, RIS, landing text
and HTML; well-formed JSON/YAML with wrong types for CSL-JSON/YAML). Prints per
reader and strategy: examples run, how many were read / refused with a CitetoolError, records
produced, and each distinct failure (exception, place, message) with its count and the
smallest input that gave it; failures are collected rather than shrunk, so every example
runs. Exit 1 when anything failed.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import traceback
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import test_fuzz as fuzz  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


def strategies(fmt: str) -> dict[str, st.SearchStrategy[str]]:
    found: dict[str, st.SearchStrategy[str]] = {
        "arbitrary": st.text(max_size=400),
        "tokens": fuzz.token_soup(fmt),
        "mutated": fuzz.mutated(fmt),
    }
    if fmt in ("bibtex", "ris", "landing", "html"):
        found["wild-fields"] = fuzz.skeleton(fmt)
    if fmt == "csljson":
        found["wrong-types"] = fuzz.csl_documents.map(json.dumps)
    if fmt == "cslyaml":
        import yaml

        found["wrong-types"] = fuzz.csl_documents.map(
            lambda d: yaml.safe_dump(d, allow_unicode=True))
    return found


def run_one(fmt: str, name: str, strategy: st.SearchStrategy[str],
            examples: int) -> dict[str, Any]:
    import importlib

    module, _, attr = fuzz.READERS[fmt].partition(":")
    read = getattr(importlib.import_module(module), attr)
    fuzz.STATS.clear()
    count = Counter[str]()
    findings: dict[str, dict[str, Any]] = {}

    @settings(max_examples=examples, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def prop(text: str) -> None:
        count["examples"] += 1
        try:
            fuzz.check_reader(fmt, read, text)
        except AssertionError as exc:  # collect, so that all examples run
            cause = exc.__cause__ or exc
            where = ""
            if exc.__cause__ is not None and exc.__cause__.__traceback__ is not None:
                frames = traceback.extract_tb(exc.__cause__.__traceback__)
                ours = [f for f in frames if "/citetool/" in f.filename] or frames
                theirs = frames[-1]
                where = f" at {Path(ours[-1].filename).name}:{ours[-1].lineno}"
                if theirs is not ours[-1]:
                    where += f" (in {Path(theirs.filename).name}:{theirs.lineno})"
            message = str(cause).split(" for input ")[0]
            signature = f"{type(cause).__name__}{where}: {message[:120]}"
            found = findings.setdefault(signature, {"count": 0, "smallest": text})
            found["count"] += 1
            if len(text) < len(found["smallest"]):
                found["smallest"] = text

    start = time.monotonic()
    prop()
    stats = {outcome: n for (reader, outcome), n in fuzz.STATS.items() if reader == fmt}
    return {"reader": fmt, "strategy": name, "examples": count["examples"],
            "seconds": round(time.monotonic() - start, 1), "outcomes": stats,
            "findings": findings}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=10_000,
                        help="examples per reader, split over its strategies (default 10000)")
    parser.add_argument("--readers", nargs="*", default=sorted(fuzz.READERS))
    parser.add_argument("--strategies", nargs="*", default=None,
                        help="only these strategies (arbitrary, tokens, mutated, wild-fields, "
                        "wrong-types)")
    parser.add_argument("--json", help="also write the results to this JSON file")
    args = parser.parse_args()

    import importlib.util

    results = []
    for fmt in args.readers:
        module = fuzz.READERS[fmt].partition(":")[0]
        if importlib.util.find_spec(module) is None:
            print(f"{fmt:8} skipped: {module} does not exist")
            continue
        strats = {k: v for k, v in strategies(fmt).items()
                  if args.strategies is None or k in args.strategies}
        if not strats:
            continue
        share = -(-args.examples // len(strats))  # ceil: the total is at least --examples
        for name, strategy in strats.items():
            result = run_one(fmt, name, strategy, share)
            results.append(result)
            outcomes = result["outcomes"]
            print(f"{fmt:8} {name:12} {result['examples']:6} examples  "
                  f"read {outcomes.get('read', 0):6}  refused {outcomes.get('refused', 0):6}  "
                  f"records {outcomes.get('records', 0):7}  {result['seconds']:7.1f} s  "
                  + ("OK" if not result["findings"] else "FAIL"), flush=True)
            for signature, found in result["findings"].items():
                print(f"    {found['count']} x {signature}\n"
                      f"      smallest input: {found['smallest'][:300]!r}", flush=True)
    totals = Counter[str]()
    for result in results:
        totals[result["reader"]] += result["examples"]
    print("total examples per reader: " + ", ".join(f"{k} {v}" for k, v in totals.items()))
    failed = [r for r in results if r["findings"]]
    print(f"{len(failed)} failing reader/strategy pair(s)")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
