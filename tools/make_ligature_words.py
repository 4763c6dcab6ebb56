"""Build citetool/data/ligature_words.txt.gz and ligature_keep.txt from Debian word lists.

Run on a Debian/Ubuntu machine after ``apt-get install wamerican wbritish wpolish``:

    python tools/make_ligature_words.py

Sources (see citetool/data/README.md for licences):
  /usr/share/dict/american-english, /usr/share/dict/british-english  (SCOWL, wamerican/wbritish)
  /usr/share/dict/polish  (sjp.pl "Polish Alternative Dictionary", wpolish; CC BY 4.0 chosen)

Output:
  ligature_words.txt.gz  lower-case words that contain a ligature sequence (fi fl ff ft tt th)
                         followed by a letter: the words a split like "aff airs" may join into;
  ligature_keep.txt      splits "a b" where both pieces are themselves words ("off ice",
                         "soft ware"): joining those could harm clean text, so they stay apart.
"""

from __future__ import annotations

import gzip
import re
import sys
from pathlib import Path

DICT = Path("/usr/share/dict")
OUT = Path(__file__).resolve().parent.parent / "citetool" / "data"
LIGATURE = re.compile(r"(?:ffi|ffl|fi|fl|ff|ft|tt|th)(?=[^\W\d_])", re.I)
ENDINGS = ("fi", "fl", "ff", "ft", "tt", "th")
#: short pieces that are real words; other 1-2 letter pieces ("er", "ce") are fragments
SHORT_WORDS = set(
    """a i o u w z an as at be by do go he if in is it me my no of on or so to up us we am ox hi
    lo ah oh na za po od ze we co że ku ja ty on wy mu ją je mi ci ni aż iż ów""".split()
)


def load(path: Path) -> set[str]:
    words = set()
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            w = line.strip()
            if w and "'" not in w and w.isalpha():
                words.add(w)
    return words


def main() -> int:
    english = load(DICT / "american-english") | load(DICT / "british-english")
    polish = load(DICT / "polish")
    lower = {w.lower() for w in english | polish}
    joinable = sorted(w for w in lower if LIGATURE.search(w))

    def is_word(piece: str) -> bool:
        if len(piece) <= 2:
            return piece in SHORT_WORDS
        return piece in lower

    keep = set()
    for word in joinable:
        for i in range(3, len(word)):
            a, b = word[:i], word[i:]
            if a.endswith(ENDINGS) and is_word(a) and is_word(b):
                keep.add(f"{a} {b}")
    OUT.mkdir(parents=True, exist_ok=True)
    data = ("\n".join(joinable) + "\n").encode("utf-8")
    with (OUT / "ligature_words.txt.gz").open("wb") as raw:
        # mtime=0 so that the file is reproducible byte for byte
        with gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as fh:
            fh.write(data)
    (OUT / "ligature_keep.txt").write_text("\n".join(sorted(keep)) + "\n", encoding="utf-8")
    print(f"{len(joinable)} joinable words, {len(keep)} kept splits", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
