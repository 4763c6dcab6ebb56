"""Make the CSL-JSON data sets the benchmark renders, from pandoc's CSL-JSON of the corpus.

    python bench/make_dataset.py CDL.json OUTDIR

writes OUTDIR/cdl-1k.json (the first 1,000 items) and OUTDIR/cdl-10k.json (10,000 items: the
6,315 items, then copies of them with new ids and varied titles, so that the copies neither
collide on ids nor turn every author-year pair into a disambiguation problem).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

VARIANTS = ("revisited", "a replication", "further evidence", "new data", "a second look")


def replicate(items: list[dict[str, Any]], n: int) -> list[dict[str, Any]]:
    """``n`` items: ``items`` first, then copies with ids ``<id>-r<k>`` and varied titles."""
    out: list[dict[str, Any]] = []
    k = 0
    while len(out) < n:
        for item in items:
            if len(out) >= n:
                break
            if k == 0:
                out.append(item)
                continue
            copy = dict(item)
            copy["id"] = f"{item['id']}-r{k}"
            title = item.get("title") or "Untitled"
            copy["title"] = f"{title}: {VARIANTS[(k + len(out)) % len(VARIANTS)]} {k}"
            out.append(copy)
        k += 1
    return out


def main(src: str, outdir: str) -> None:
    items = json.loads(Path(src).read_text(encoding="utf-8"))
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    for name, n in (("cdl-1k.json", 1000), ("cdl-10k.json", 10000)):
        data = items[:n] if n <= len(items) else replicate(items, n)
        (out / name).write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main(*sys.argv[1:3])
