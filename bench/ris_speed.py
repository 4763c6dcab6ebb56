"""How cheap are the RIS reader and writer?  (Issue 5: .bib → RIS of 6,315 entries must beat
bibutils' 2.16 s; the RIS writer's share of that must be small.)

    python bench/ris_speed.py [FILE.ris] [--runs 5]

Reads FILE (default: the CDL bibliography as bibutils wrote it, 6,315 records, else the
150-record sample in tests/data/ris), then times, in this process, ``read`` and ``write``
(median of the runs; CPU time beside wall time, as a loaded machine inflates wall time),
and the whole command ``citetool export FILE --to ris`` in a child process.  Also checks
that the records survive RIS → record → RIS → record unchanged.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from citetool.io import read_source
from citetool.readers.ris import read
from citetool.writers.ris import write

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "ris" / "cdl-bibliography.bibutils.ris"
SAMPLE = ROOT / "tests" / "data" / "ris" / "cdl-bibliography.bibutils.sample.ris"


def timed(fn, runs: int):  # type: ignore[no-untyped-def]
    walls, cpus, result = [], [], None
    for _ in range(runs):
        w0, c0 = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)
    return result, statistics.median(walls), statistics.median(cpus)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("file", nargs="?", default=str(CORPUS if CORPUS.exists() else SAMPLE))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    text = read_source(args.file).text
    result, read_wall, read_cpu = timed(lambda: read(text, args.file), args.runs)
    records = result.records
    written, write_wall, write_cpu = timed(lambda: write(records), args.runs)
    again = read(written.text, "again").records
    same = again == records
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    walls = []
    for _ in range(args.runs):
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "citetool", "export", args.file, "--to",
                               "ris"], capture_output=True, check=False, env=env)
        walls.append(time.perf_counter() - start)
    errors = [d for d in result.diagnostics if d.level >= 30]
    print(f"file: {args.file}")
    print(f"records: {len(records)}; read errors: {len(errors)}; "
          f"diagnostics: {len(result.diagnostics)}")
    print(f"read:  {read_wall:.3f} s wall, {read_cpu:.3f} s CPU (median of {args.runs})")
    print(f"write: {write_wall:.3f} s wall, {write_cpu:.3f} s CPU "
          f"({len(written.text.encode()) / 1e6:.1f} MB)")
    print(f"citetool export --to ris (whole process): {statistics.median(walls):.3f} s wall, "
          f"exit {done.returncode}")
    print(f"RIS -> record -> RIS -> record unchanged: {same}")
    return 0 if same and done.returncode == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
