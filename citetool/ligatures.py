"""Repair text damaged by PDF ligatures: ``Th e`` → ``The``, ``aff airs`` → ``affairs``.

Text copied out of a PDF often has a space after a ligature glyph (fi, fl, ff, ffi, ffl, ft,
tt and the capital Th), because the glyph's advance width makes the extractor think a word
ended there.  A split ``A B`` is joined when

* ``A`` ends with a ligature sequence (lower-case ``fi fl ff ffi ffl ft tt``, or is the
  capital ``Th`` at the start of a word) and ``B`` starts with a lower-case letter;
* the joined word, lower-cased, is in the shipped word list (English + Polish words that
  contain a ligature sequence; see ``citetool/data/README.md``);
* the split is not one where both pieces are words themselves (``off ice``, ``soft ware``,
  ``left over``): that list of kept splits is shipped beside the word list.

So ``Th en`` → ``Then`` and ``aft er`` → ``after`` (``er`` is a fragment, not a word), while
clean text ("the fire", "if I", "of fish", "left over", "staff and") is left as it is.
"""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

_SPLIT = re.compile(
    r"(?<![^\W\d_])"  # start of a word (letters only before nothing)
    r"(?P<a>(?:[^\W\d_]+-)*(?:Th|[^\W\d_]*(?:ffi|ffl|fi|fl|ff|ft|tt)))"
    r"[ \u00a0](?P<b>[^\W\d_A-Z][^\W\d_]*)"
)
_LOWER_START = re.compile(r"^[^\W\d_]")


@dataclass(frozen=True, slots=True)
class Repair:
    """One joined split: ``before`` (``"aff airs"``) became ``after`` (``"affairs"``)."""

    before: str
    after: str
    offset: int


@lru_cache(maxsize=1)
def _words() -> frozenset[str]:
    data = resources.files("citetool.data").joinpath("ligature_words.txt.gz").read_bytes()
    return frozenset(gzip.decompress(data).decode("utf-8").split("\n")) - {""}


@lru_cache(maxsize=1)
def _kept() -> frozenset[str]:
    text = resources.files("citetool.data").joinpath("ligature_keep.txt").read_text("utf-8")
    return frozenset(line for line in text.split("\n") if line)


def _should_join(a: str, b: str) -> bool:
    head = a.rsplit("-", 1)[-1]
    if not b[0].islower():
        return False
    if head != "Th" and not head[-2:].islower():
        return False
    joined = (head + b).lower()
    if joined not in _words():
        return False
    return f"{head.lower()} {b.lower()}" not in _kept()


def find_repairs(text: str) -> list[Repair]:
    """The splits :func:`repair_ligatures` would join in one pass, left to right."""
    out: list[Repair] = []
    for m in _SPLIT.finditer(text):
        a, b = m.group("a"), m.group("b")
        if _should_join(a, b):
            out.append(Repair(m.group(0), a + b, m.start()))
    return out


def repair_ligatures_counted(text: str) -> tuple[str, list[Repair]]:
    """``text`` with ligature splits joined, and the list of what was joined."""
    done: list[Repair] = []
    for _ in range(3):  # "fl uff y" needs two passes: fluff, then fluffy
        repairs = find_repairs(text)
        if not repairs:
            break
        pieces: list[str] = []
        last = 0
        for r in repairs:
            pieces.append(text[last : r.offset])
            pieces.append(r.after)
            last = r.offset + len(r.before)
        pieces.append(text[last:])
        text = "".join(pieces)
        done.extend(repairs)
    return text, done


def repair_ligatures(text: str) -> str:
    """``text`` with PDF ligature splits joined (``Th e`` → ``The``); clean text unchanged."""
    return repair_ligatures_counted(text)[0]
