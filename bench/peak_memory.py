"""Peak memory of citetool on one BibTeX entry whose title is a single 50 MB field (issue 17).

    python bench/peak_memory.py                      # every command below, 50 MB
    python bench/peak_memory.py --mb 10 --jobs csljson,ris

Each command runs as its own process (``python -m citetool ...``, stdout to /dev/null); its
peak resident set size is the kernel's ``ru_maxrss`` of that child (``os.wait4``), the figure
``/usr/bin/time -f %M`` prints. Writes a Markdown table to stdout.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

JOBS = {
    "csljson": ["export", "--to", "csljson"],
    "ris": ["export", "--to", "ris"],
    "cslyaml": ["export", "--to", "cslyaml"],
    "show": ["show"],
    "bibtex": ["export", "--to", "bibtex"],
    "cite": ["cite", "--style", "apa"],
}


def make_file(path: Path, megabytes: int) -> None:
    """One entry; its title 'word word ...' of ``megabytes`` MB (10**6 bytes)."""
    size = megabytes * 1_000_000
    with path.open("w", encoding="ascii") as handle:
        handle.write("@article{big,\n  author = {Doe, Jane},\n  title = {")
        handle.write(("word " * (size // 5 + 1))[:size])
        handle.write("},\n  year = {2020},\n}\n")


def measure(args: list[str], timeout: float) -> tuple[int, float, int]:
    """(exit code, seconds, peak RSS in KB) of ``python -m citetool ARGS``."""
    start = time.monotonic()
    with open(os.devnull, "wb") as sink:
        proc = subprocess.Popen([sys.executable, "-m", "citetool", *args], stdout=sink,
                                stderr=subprocess.DEVNULL)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.05)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, time.monotonic() - start, usage.ru_maxrss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=50)
    parser.add_argument("--jobs", default=",".join(JOBS))
    parser.add_argument("--timeout", type=float, default=600)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "field.bib"
        make_file(path, options.mb)
        print(f"one entry, a {options.mb} MB title ({path.stat().st_size:,} bytes)\n")
        print("| command | exit | seconds | peak RSS (MB) |")
        print("|---|---|---|---|")
        for name in options.jobs.split(","):
            args = [JOBS[name][0], str(path), *JOBS[name][1:]]
            code, seconds, peak = measure(args, options.timeout)
            shown = " ".join(["citetool", JOBS[name][0], "field.bib", *JOBS[name][1:]])
            print(f"| `{shown}` | {code} | {seconds:.1f} | {peak / 1024:.0f} |", flush=True)


if __name__ == "__main__":
    main()
