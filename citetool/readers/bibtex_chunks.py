"""BibTeX read in chunks of whole blocks (the format's :class:`~citetool.registry.Chunker`).

Cut at line-start block starts (``@type{`` / ``@type(`` after optional blanks): exactly the
places where bibtexparser's splitter starts a block even inside an unclosed one, so a chunk
ends where the whole-file parse would end a block too. ``@string`` macros are global in
citetool's reader (an entry may use a macro defined after it), so every ``@string`` block of
the file is put in front of each chunk (and blanked to newlines where it stood, keeping line
numbers); their own diagnostics are reported once, at their lines. A file that uses
``crossref``/``xdata`` or has ``@set`` blocks needs its parents: it is read whole.

Across chunks (:class:`_Stitch`): a key used in an earlier chunk is read as ``key-2``
(``-3`` ...) with the reader's own warning, as whole-file reading does.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..errors import Diagnostic
from ..model import Record
from ..registry import ReadResult

#: bibtexparser's block start (``@[\w]*( |\t)*(?=[{(])``) at the start of a line
_BIB_START = re.compile(r"^[ \t]*@\w*[ \t]*(?=[{(])", re.M)
_BIB_HEAD = re.compile(r"[ \t]*@[ \t]*(\w+)[ \t]*[{(]\s*([^,\s{}()]*)")
_BIB_STRING = re.compile(r"[ \t]*@string[ \t]*[{(]", re.I)
_BIB_STRING_LINE = re.compile(r"^[ \t]*@string[ \t]*[{(]", re.I | re.M)
_BIB_NEEDS_WHOLE = re.compile(
    r"\b(?:crossref|xdata)[ \t\r\n]*=|^[ \t]*@(?:set|xdata)[ \t]*[{(]", re.I | re.M
)


@dataclass
class _Prefix:
    """Every ``@string`` block of the file, in file order, and where each stands:
    (line in the prefix, line in the file, lines)."""

    text: str
    lines: int
    places: list[tuple[int, int, int]]


@dataclass
class _Chunk:
    """A run of whole blocks: its text (``@string`` blocks blanked, they are in the prefix),
    the file line before it less the prefix's lines, the keys of its entries with their
    types and lines, where it ends in the file, and whether it is the first."""

    body: str
    offset: int
    entries: dict[str, list[tuple[str, int]]]
    end: int
    first: bool
    prefix: _Prefix


class BibtexChunker:
    parallel = True

    def split(self, text: str, source: str, size: int) -> Iterator[_Chunk] | None:
        found = _BIB_START.finditer(text)
        opening = [m.start() for m in itertools.islice(found, size + 1)]
        if len(opening) <= size or _BIB_NEEDS_WHOLE.search(text):
            return None
        return _chunks(text, opening, found, size, _prefix(text))

    def read(self, chunk: _Chunk, source: str) -> ReadResult:
        from .bibtex import read

        prefix = chunk.prefix
        result = read(prefix.text + chunk.body, source, first_line=chunk.offset + 1)
        in_prefix = chunk.offset + prefix.lines  # the last line number the prefix got
        diagnostics = []
        for d in result.diagnostics:
            if d.line is None or d.line > in_prefix:
                diagnostics.append(d)
            elif chunk.first:  # about an @string block: once, at its own line
                at = d.line - chunk.offset
                for start, line, n in prefix.places:
                    if start <= at < start + n:
                        diagnostics.append(d.replace(line=line + at - start))
                        break
        result.diagnostics = diagnostics
        return result

    def stitch(self, text: str, source: str) -> _Stitch:
        return _Stitch(source)


CHUNKER = BibtexChunker()


class _Stitch:
    def __init__(self, source: str) -> None:
        self.source = source
        self.seen: dict[str, int | None] = {}  # ids of this file so far -> line (as the reader)

    def fix(self, chunk: _Chunk, result: ReadResult) -> ReadResult:
        """The reader's duplicate-key rule across chunks: a key used in an earlier chunk is
        read as ``key-2`` (``-3`` ...), with the reader's own warning and both lines."""
        from .bibtex import rekeyed

        out: list[Record] = []
        # the chunk's reader numbered repeated keys within the chunk; they are numbered (and
        # said) across the file here, as reading it whole does
        diagnostics = [d for d in result.diagnostics
                       if d.payload is None or d.payload.kind != "rekeyed"]
        seen = self.seen
        for record in result.records:
            key = str(record.fields.get("citation-key", "")) or record.id
            places = chunk.entries.get(key)
            etype, line = places.pop(0) if places else ("misc", None)
            if key in seen:
                rid, note = rekeyed(etype, key, seen, self.source, line)
                diagnostics.append(note)
                record = record.replace(id=rid)
            seen[record.id] = line
            out.append(record)
        return ReadResult(out, diagnostics)

    def fits(self, chunk: _Chunk, names: list[tuple[str, str]], lines: list[int]
             ) -> list[Diagnostic] | None:
        here: set[str] = set()
        for rid, key in names:
            # a key of an earlier chunk, or one the chunk's reader numbered itself
            if key in self.seen or (rid == key and key in here) or rid != key:
                return None
            here.add(rid)
        for rid, key in names:
            places = chunk.entries.get(key)
            self.seen[rid] = places.pop(0)[1] if places else None
        return []


def _prefix(text: str) -> _Prefix:
    parts: list[str] = []
    places: list[tuple[int, int, int]] = []
    lines = 0
    line_of = _LineCounter(text)
    for m in _BIB_STRING_LINE.finditer(text):
        after = _BIB_START.search(text, m.end())
        seg = text[m.start() : after.start() if after else len(text)]
        if not seg.endswith("\n"):
            seg += "\n"
        n = seg.count("\n")
        places.append((lines + 1, line_of(m.start()), n))
        parts.append(seg)
        lines += n
    return _Prefix("".join(parts), lines, places)


def _chunks(text: str, opening: list[int], found: Iterator[re.Match[str]], size: int,
            prefix: _Prefix) -> Iterator[_Chunk]:
    """The file cut into chunks of ``size`` blocks, at line-start block starts."""
    line_of = _LineCounter(text)
    head_line = _LineCounter(text)
    heads = itertools.chain(opening, (m.start() for m in found))
    group: list[int] = []
    first_chunk = True
    for head in itertools.chain(heads, [len(text)]):
        group.append(head)
        if len(group) <= size and head != len(text):
            continue
        # group: `size` block starts and the start of the next block (or the end)
        a, b = (0 if first_chunk else group[0]), group[-1]
        entries: dict[str, list[tuple[str, int]]] = {}  # key -> (type, line) in this chunk
        pieces: list[str] = [text[a : group[0]]]
        for start, end in itertools.pairwise(group):
            if prefix.text and _BIB_STRING.match(text, start):
                pieces.append("\n" * text.count("\n", start, end))  # it is in the prefix
                continue
            pieces.append(text[start:end])
            match = _BIB_HEAD.match(text, start)
            if match and match.group(1).lower() not in ("string", "preamble", "comment"):
                entries.setdefault(match.group(2), []).append(
                    (match.group(1).lower(), head_line(match.start(1))))
        yield _Chunk("".join(pieces), line_of(a) - 1 - prefix.lines, entries, b, first_chunk,
                     prefix)
        first_chunk = False
        group = [b]
        if b == len(text):
            break


class _LineCounter:
    """Line number (1-based) of a position, for increasing positions, in one pass."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.line = 1

    def __call__(self, pos: int) -> int:
        if pos < self.pos:
            self.pos, self.line = 0, 1
        self.line += self.text.count("\n", self.pos, pos)
        self.pos = pos
        return self.line
