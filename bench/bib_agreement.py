"""Whole real bibliographies: citetool's CSL engine against citeproc-js, entry by entry.

Takes a sample (``--size`` entries, default 1,000, chosen with ``--seed``) of each BibTeX file,
reads it to CSL-JSON with citation-js (an independent reader), formats ALL its entries as ONE
bibliography with citeproc-js (``bench/citeproc-js/bibliography.js``) and with citetool's engine
from the same CSL-JSON, in ten common styles, and reports per style and overall:

* identical: entries whose text is the same in both (matched by item id),
* same position: positions where both bibliographies hold the same text,

and then every difference (``--diffs N`` per style; 0 for figures only).

    bash bench/setup_peers.sh --no-apt        # citation-js into bench/.peers/citationjs
    (cd bench/citeproc-js && npm ci)          # citeproc-js
    python bench/bib_agreement.py [--seed 1] [--size 1000] [--diffs 20] [bib ...]

Seed 1 is the sample the engine's fixes were made on; report other seeds as unseen data.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from cite_agreement import inline_diff  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "bib"
BIBS = [CORPUS / "cdl-bibliography.bib", CORPUS / "glottolog-zurich.bib"]
STYLES = ["apa", "chicago-author-date", "chicago-notes-bibliography",
          "modern-language-association", "ieee", "harvard-cite-them-right", "vancouver-nlm",
          "nature", "american-medical-association", "iso690-author-date-en"]
_ENTRY = re.compile(r"^@(\w+)\s*[{(]", re.M)


def sample_bib(text: str, size: int, seed: int) -> str:
    """``size`` entries of a .bib text chosen at random (file order kept), with every
    ``@string`` / ``@preamble`` block."""
    starts = [m.start() for m in _ENTRY.finditer(text)] + [len(text)]
    blocks = [(text[a:b], _ENTRY.match(text, a).group(1).lower())  # type: ignore[union-attr]
              for a, b in zip(starts, starts[1:], strict=False)]
    keep = [b for b, kind in blocks if kind in ("string", "preamble")]
    entries = [b for b, kind in blocks if kind not in ("string", "preamble", "comment")]
    chosen = sorted(random.Random(seed).sample(range(len(entries)), min(size, len(entries))))
    return "".join(keep + [entries[i] for i in chosen])


def citeproc_js(bib_text: str, styles: list[str], python: str) -> dict:  # type: ignore[type-arg]
    with tempfile.TemporaryDirectory() as tmp:
        bib = Path(tmp) / "sample.bib"
        out = Path(tmp) / "out.json"
        bib.write_text(bib_text, encoding="utf-8")
        subprocess.run(["node", str(ROOT / "bench" / "citeproc-js" / "bibliography.js"),
                        "--python", python, "--citationjs",
                        str(ROOT / "bench" / ".peers" / "citationjs"),
                        "--bib", str(bib), "--out", str(out), *styles], check=True)
        return json.loads(out.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def citetool(items: list[dict], style: str) -> tuple[list[str], list[str]]:  # type: ignore[type-arg]
    """(ids in bibliography order, entries) from citetool's engine."""
    from citetool.csl.engine.processor import Processor
    from citetool.csl.output import get_backend
    from citetool.csl.styles import load_style

    loaded, _info, _locale = load_style(style, None)
    backend = get_backend("text")
    proc = Processor(loaded, [dict(i) for i in items], backend.entry)
    proc.prepare()
    rendered = proc._render_entries(proc.items)
    ids = [item.key for item, (text, _) in zip(proc.items, rendered, strict=True)
           if text is not None]
    return ids, [text for text, _ in rendered if text is not None]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bibs", nargs="*", type=Path, default=BIBS)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--diffs", type=int, default=20, help="differences shown per style")
    parser.add_argument("--styles", nargs="*", default=STYLES)
    parser.add_argument("--fresh", action="store_true",
                        help="rerun citeproc-js (its output is cached in the temp folder)")
    args = parser.parse_args()
    total = same = positions = pos_same = 0
    rows = []
    for bib in args.bibs:
        text = sample_bib(bib.read_text(encoding="utf-8"), args.size, args.seed)
        cache = Path(tempfile.gettempdir()) / (
            f"citetool-bib-agreement-{bib.stem}-{args.seed}-{args.size}-"
            f"{hashlib.sha1(' '.join(args.styles).encode()).hexdigest()[:10]}.json")
        if args.fresh or not cache.exists():
            cache.write_text(json.dumps(citeproc_js(text, args.styles, sys.executable)),
                             encoding="utf-8")
        js = json.loads(cache.read_text(encoding="utf-8"))
        items = js["items"]
        for style in args.styles:
            want = js["styles"][style]
            started = time.perf_counter()
            ids, got = citetool(items, style)
            seconds = time.perf_counter() - started
            mine = dict(zip(ids, got, strict=False))
            theirs = dict(zip(want["ids"], want["entries"], strict=True))
            ident = [i for i in theirs if mine.get(i) == theirs[i]]
            at_pos = sum(a == b for a, b in zip(want["entries"], got, strict=False))
            n = len(theirs)
            total += n
            same += len(ident)
            positions += n
            pos_same += at_pos
            rows.append((bib.stem, style, n, len(ident), at_pos, seconds))
            print(f"{bib.stem:20} {style:30} identical {len(ident):4}/{n} "
                  f"same position {at_pos:4}/{n}  ({seconds:.1f}s)", flush=True)
            if len(got) != n:
                print(f"  entries: citeproc-js {n}, citetool {len(got)}")
            shown = 0
            for i in theirs:
                if mine.get(i) != theirs[i] and shown < args.diffs:
                    shown += 1
                    print(f"  {i}: {inline_diff(theirs[i], mine.get(i) or '<missing>')}")
            order_js = [i for i in want["ids"]]
            if args.diffs and at_pos < n:
                moved = [(k, a, ids.index(a) if a in ids else -1)
                         for k, a in enumerate(order_js) if k >= len(ids) or ids[k] != a]
                for k, a, b in moved[:args.diffs]:
                    print(f"  position {k}: citeproc-js {a!r}, citetool has it at {b}: "
                          f"{theirs[a][:70]}")
    print(f"\nALL: identical {same}/{total} = {100 * same / total:.2f}%   "
          f"same position {pos_same}/{positions} = {100 * pos_same / positions:.2f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
