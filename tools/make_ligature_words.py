"""Build citetool/data/ligature_words.txt.gz (+ .idx) and ligature_keep.txt from Debian word lists.

Run on a Debian/Ubuntu machine after ``apt-get install wamerican wbritish wpolish``:

    python tools/make_ligature_words.py

Sources (see citetool/data/README.md for licences):
  /usr/share/dict/american-english, /usr/share/dict/british-english  (SCOWL, wamerican/wbritish)
  /usr/share/dict/polish  (sjp.pl "Polish Alternative Dictionary", wpolish; CC BY 4.0 chosen)

Output:
  ligature_words.txt.gz  lower-case words that contain a ligature sequence (fi fl ff ft tt th)
                         followed by a letter: the words a split like "aff airs" may join into
                         (sorted, in gzip members of 1,600 words);
  ligature_words.idx     each member's byte offset and first word, so a lookup unpacks one;
  ligature_keep.txt      splits "a b" where both pieces are themselves words ("off ice",
                         "soft ware"): joining those could harm clean text, so they stay apart;
                         "Pitt a" (capitalised first piece) where the first piece is a name,
                         kept apart only when it is written with a capital.
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
#: splits of two English words that ordinary text never has side by side ("soft ware",
#: "stiff est"): chosen by hand from the English kept splits, these are joined after all
JOIN_ANYWAY = set(
    """soft ware|soft wood|soft woods|drift wood|
    off ended|off ending|off ends|off ices|buff aloes|chaff inch|chaff inches|guff awed|
    guff awing|muff led|nett led|riff led|ruff led|scuff led|sniff led|snuff led|watt led|
    watt age|bluff est|daft est|deft est|gruff est|left est|soft est|stiff est|swift est|
    left ism|scoff law|scoff laws|snuff box|snuff boxes|muff ins|puff ins|puff balls|
    lift offs|left wards""".replace("\n", "").replace("    ", "").split("|")
)


def load(path: Path) -> set[str]:
    words = set()
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            w = line.strip()
            if w and "'" not in w and w.isalpha():
                words.add(w)
    return words


def split_case(words: set[str]) -> tuple[set[str], set[str]]:
    """Common words (all lower case) and names (Capitalised), both lower-cased.

    Abbreviations in capitals ("ATT", "ER") are neither: "att ach" is damage, not two words.
    """
    lower = {w for w in words if w.islower()}
    names = {w.lower() for w in words if w[0].isupper() and (len(w) == 1 or w[1:].islower())}
    return lower, names - lower


#: words per gzip member: a lookup unpacks one member (~20 KB), not the whole list (1.4 MB)
BLOCK = 1600


def write_words(words: list[str], out: Path) -> None:
    """``ligature_words.txt.gz``: the sorted words, one a line, as a gzip file of several
    members (``zcat`` shows the whole list); ``ligature_words.idx``: one line per member,
    its byte offset and its first word, so a lookup unpacks only the member it needs."""
    index: list[str] = []
    with (out / "ligature_words.txt.gz").open("wb") as raw:
        for start in range(0, len(words), BLOCK):
            block = words[start : start + BLOCK]
            index.append(f"{raw.tell()}\t{block[0]}")
            # mtime=0 so that the file is reproducible byte for byte
            with gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as fh:
                fh.write(("\n".join(block) + "\n").encode("utf-8"))
        index.append(f"{raw.tell()}\t")
    (out / "ligature_words.idx").write_text("\n".join(index) + "\n", encoding="utf-8")


def main() -> int:
    english = load(DICT / "american-english") | load(DICT / "british-english")
    polish = load(DICT / "polish")
    joinable = sorted({w.lower() for w in english | polish if LIGATURE.search(w)})
    lower, names = split_case(english | polish)

    def is_word(piece: str) -> bool:
        if len(piece) <= 2:
            return piece in SHORT_WORDS
        return piece in lower

    keep = set()
    for word in joinable:
        for i in range(3, len(word)):
            a, b = word[:i], word[i:]
            if not a.endswith(ENDINGS) or not is_word(b):
                continue
            if is_word(a):
                keep.add(f"{a} {b}")  # "soft ware": two common words
            elif a in names:
                keep.add(f"{a.capitalize()} {b}")  # "Pitt a": a name, only when capitalised
    keep -= JOIN_ANYWAY
    OUT.mkdir(parents=True, exist_ok=True)
    write_words(joinable, OUT)
    (OUT / "ligature_keep.txt").write_text("\n".join(sorted(keep)) + "\n", encoding="utf-8")
    print(f"{len(joinable)} joinable words, {len(keep)} kept splits", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
