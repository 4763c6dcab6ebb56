"""CPU time of the CSL engine's phases (load, sort, disambiguation, entries) on CSL-JSON.

    python bench/profile_csl_phases.py bench/.peers/data/cdl-1k.json [--style apa] [--limit N]

Prints one line per phase, process CPU seconds (``time.process_time``; the parent only, so
entries rendered in worker processes show as their wall time under ``entries (wall)``).
"""

from __future__ import annotations

import argparse
import json
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("--style", default="apa")
    parser.add_argument("--limit", type=int, default=0)
    args = parser.parse_args()
    items = json.load(open(args.path, encoding="utf-8"))
    if args.limit:
        items = items[: args.limit]
    t0 = time.process_time()
    from citetool.csl import engine
    from citetool.csl.engine.processor import Processor
    from citetool.csl.output import get_backend

    style = engine.load_style(args.style, None)
    t1 = time.process_time()
    proc = Processor(style, items, get_backend("text").render)
    t2 = time.process_time()
    proc.sort()
    t3 = time.process_time()
    proc.disambiguate()
    proc._prepared = True
    t4 = time.process_time()
    w = time.perf_counter()
    entries = proc.bibliography()
    t5 = time.process_time()
    w = time.perf_counter() - w
    print(f"{len(items)} items, {len(entries)} entries")
    for name, seconds in (("import+style", t1 - t0), ("source", t2 - t1), ("sort", t3 - t2),
                          ("disambiguate", t4 - t3), ("entries", t5 - t4),
                          ("entries (wall)", w)):
        print(f"  {name:15} {seconds:7.2f} s")


if __name__ == "__main__":
    main()
