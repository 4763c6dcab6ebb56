"""Repair text damaged by PDF ligatures: ``Th e`` → ``The``, ``aff airs`` → ``affairs``.

Text copied out of a PDF often has a space after a ligature glyph (fi, fl, ff, ffi, ffl, ft,
tt and the capital Th), because the glyph's advance width makes the extractor think a word
ended there.  A split ``A B`` is joined when

* ``A`` ends with a ligature sequence (lower-case ``fi fl ff ffi ffl ft tt``, or is the
  capital ``Th`` at the start of a word) and ``B`` starts with a lower-case letter;
* the joined word, lower-cased, is in the shipped word list (English + Polish words that
  contain a ligature sequence; see ``citetool/data/README.md``);
* the split is not one where both pieces are words themselves (``off ice``, ``soft ware``,
  ``left over``), nor a capitalised name followed by a word: that list of kept splits is
  shipped beside the word list.  Abbreviations in capitals ("ATT") are not words, so
  ``att ach`` is joined.

Ligature characters themselves (``oﬃce``, U+FB00–FB06) are spelled out first.

So ``Th en`` → ``Then`` and ``aft er`` → ``after`` (``er`` is a fragment, not a word), while
clean text ("the fire", "if I", "of fish", "left over", "staff and") is left as it is.
"""

from __future__ import annotations

import os
import re
from bisect import bisect_left, bisect_right
from functools import lru_cache

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

#: the shipped word lists (a plain path: importlib.resources costs ~4 ms of start-up, pathlib
#: ~2 ms; ``DATA`` is the same folder as a Path, for tests and tools)
DATA_DIR = os.path.join(os.path.dirname(__file__), "data")


def _read(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def __getattr__(name: str) -> Path:
    if name == "DATA":
        from pathlib import Path

        return Path(DATA_DIR)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


#: a word: letters, maybe joined by hyphens ("self-eff")
_TOKEN = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_LIGATURE_END = ("ffi", "ffl", "fi", "fl", "ff", "ft", "tt")
_GAP = (" ", "\u00a0")
#: at most this many pieces make one word ("fi lozofi zmami": three)
_MAX_PIECES = 4

class Repair:
    """One joined split: ``before`` (``"aff airs"``) became ``after`` (``"affairs"``) at
    ``offset``. (A plain class: a dataclass is ~0.5 ms to create at start-up.)"""

    __slots__ = ("before", "after", "offset")

    def __init__(self, before: str, after: str, offset: int) -> None:
        self.before = before
        self.after = after
        self.offset = offset

    def __repr__(self) -> str:
        return f"Repair({self.before!r}, {self.after!r}, {self.offset})"


class _WordList:
    """The shipped word list (sorted, one word a line, in gzip members of 1,600 words with an
    index of each member's offset and first word). A lookup unpacks only the member that can
    hold the word (~20 KB, not the 1.4 MB list: 0.1 ms instead of 4 ms for a one-entry cite)
    and searches it by bisection over its lines, so no set of 100,000 words is ever built."""

    def __init__(self) -> None:
        self._firsts: list[bytes] | None = None
        self._offsets: list[int] = []
        self._blocks: dict[int, bytes] = {}

    def _index(self) -> list[bytes]:
        if self._firsts is None:
            firsts, offsets = [], []
            for line in _read(os.path.join(DATA_DIR, "ligature_words.idx")).splitlines():
                offset, _, first = line.partition(b"\t")
                offsets.append(int(offset))
                firsts.append(first)
            self._offsets = offsets
            self._firsts = firsts[:-1]  # the last line is the end of the file
        return self._firsts

    def _block(self, number: int) -> bytes:
        block = self._blocks.get(number)
        if block is None:
            import zlib

            with open(os.path.join(DATA_DIR, "ligature_words.txt.gz"), "rb") as handle:
                handle.seek(self._offsets[number])
                raw = handle.read(self._offsets[number + 1] - self._offsets[number])
            block = zlib.decompress(raw, wbits=31).strip(b"\n")  # one gzip member
            self._blocks[number] = block
        return block

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str) or not word or "\n" in word:
            return False
        key = word.encode("utf-8")
        number = bisect_right(self._index(), key) - 1
        return number >= 0 and _in_sorted_lines(self._block(number), key)


def _in_sorted_lines(data: bytes, key: bytes) -> bool:
    """Is ``key`` one of the lines of ``data`` (lines sorted bytewise)?"""
    lo, hi = 0, len(data)
    while lo < hi:
        mid = (lo + hi) // 2
        start = data.rfind(b"\n", lo, mid) + 1 or lo  # the line holding mid starts here
        end = data.find(b"\n", mid)
        if end == -1:
            end = len(data)
        line = data[start:end]
        if line == key:
            return True
        if line < key:
            lo = end + 1
        else:
            hi = start
    return False


_WORDS = _WordList()


def _words() -> _WordList:
    return _WORDS


@lru_cache(maxsize=1)
def _kept() -> list[bytes]:
    """The pairs kept apart (``ligature_keep.txt``) as sorted UTF-8 lines, searched by
    bisection (:func:`_is_kept`): splitting the bytes costs a tenth of building a set of its
    ~3,000 strings (~0.6 ms of a one-record cite), and a lookup stays in C."""
    lines = _read(os.path.join(DATA_DIR, "ligature_keep.txt")).split(b"\n")
    lines.sort()  # sorted already; this keeps bisection right if an edit is not
    return lines


def _is_kept(pair: str) -> bool:
    lines = _kept()
    key = pair.encode("utf-8")
    i = bisect_left(lines, key)
    return i < len(lines) and lines[i] == key


def _ends_in_ligature(piece: str) -> bool:
    return piece.endswith(_LIGATURE_END)


def _opens(token: str) -> bool:
    """Can ``token`` be the first piece of a split word?"""
    head = token.rsplit("-", 1)[-1]
    return head == "Th" or (_ends_in_ligature(head) and head[-2:].islower())


def _joinable(pieces: list[str]) -> bool:
    """Do ``pieces`` (first, middle..., last) join into a word without harming clean text?"""
    head = pieces[0].rsplit("-", 1)[-1]
    rest = [p.split("-", 1)[0] for p in pieces[1:]]
    joined = (head + "".join(pieces[1:-1]) + rest[-1]).lower()
    if joined not in _words():
        return False
    if len(pieces) > 2:
        return True  # "fi ft y": no two words of ordinary text look like that
    pair = f"{head.lower()} {rest[0].lower()}"
    if _is_kept(pair):
        return False
    # a name followed by a word ("Pitt a"): kept apart only when written with a capital
    return not (head[0].isupper() and _is_kept(pair.capitalize()))


def find_repairs(text: str) -> list[Repair]:
    """The splits :func:`repair_ligatures` joins, left to right."""
    tokens = list(_TOKEN.finditer(text))
    out: list[Repair] = []
    i = 0
    while i < len(tokens) - 1:
        if not _opens(tokens[i].group()):
            i += 1
            continue
        # the longest chain first: "fl uff y" → "fluffy" rather than "fluff y"
        chain = [tokens[i]]
        for j in range(i + 1, min(i + _MAX_PIECES, len(tokens))):
            prev, tok = tokens[j - 1], tokens[j]
            if text[prev.end() : tok.start()] not in _GAP or not tok.group()[0].islower():
                break
            chain.append(tok)
            if not _ends_in_ligature(tok.group()):
                break
        for k in range(len(chain), 1, -1):
            pieces = [t.group() for t in chain[:k]]
            if _joinable(pieces):
                before = text[chain[0].start() : chain[k - 1].end()]
                out.append(Repair(before, "".join(pieces), chain[0].start()))
                i += k
                break
        else:
            i += 1
    return out


#: ligature characters some PDF extractors keep as such ("oﬃce"): spelled out
_LIGATURE_CHARS = str.maketrans(
    {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
     "\ufb05": "st", "\ufb06": "st"}
)


def spell_out(text: str) -> str:
    """``oﬃce`` → ``office``: ligature characters (U+FB00–FB06) as their letters."""
    return text.translate(_LIGATURE_CHARS)


def repair_ligatures_counted(text: str) -> tuple[str, list[Repair]]:
    """``text`` with ligature characters spelled out and ligature splits joined, and the
    list of the splits that were joined."""
    text = spell_out(text)
    done: list[Repair] = []
    for _ in range(2):  # a second pass for what the first one's joins opened up
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
