"""JSON Lines read in chunks of whole lines (a :class:`~citetool.registry.Chunker`), for the
formats whose dumps are JSON Lines: the Crossref data file since 2026 and the OpenAlex
snapshot (:mod:`citetool.readers.works`). Any other shape of those formats (one work, an
envelope, an array) is read whole.

Each chunk is read by the format's own reader with its ``line_offset``, so lines in messages
are the file's. Nothing spans lines, so the stitch has nothing to do (repeated ids are
renamed by the caller, :class:`citetool.stream.UniqueIds`). A work without a DOI is named
after its place in the chunk (``item3``), not in the file.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..registry import NoStitch, ReadResult, registry

_LINE_END = re.compile(r"\n")


@dataclass
class _Chunk:
    text: str
    first_line: int
    end: int


class JsonLinesChunker:
    parallel = True

    def __init__(self, format_name: str) -> None:
        self.format_name = format_name

    def split(self, text: str, source: str, size: int) -> Iterator[_Chunk] | None:
        ends = _LINE_END.finditer(text)
        first = [m.end() for m in itertools.islice(ends, size + 1)]
        if len(first) <= size or not _json_lines(text, first[0]):
            return None
        return self._chunks(text, itertools.chain(first, (m.end() for m in ends)), size)

    def _chunks(self, text: str, ends: Iterator[int], size: int) -> Iterator[_Chunk]:
        start = 0
        line = 1
        cuts = list(itertools.islice(ends, size - 1, None, size))
        if not cuts or cuts[-1] != len(text):
            cuts.append(len(text))
        if len(cuts) > 1 and not text[cuts[-2] :].strip("\r\n").count("\n"):
            del cuts[-2]  # a last chunk of one line would be read as one JSON value
        for cut in cuts:
            piece = text[start:cut]
            yield _Chunk(piece, line, cut)
            line += piece.count("\n")
            start = cut

    def read(self, chunk: _Chunk, source: str) -> ReadResult:
        reader = registry.get(self.format_name).reader
        return reader(chunk.text, source, line_offset=chunk.first_line - 1)  # type: ignore[no-any-return]

    def stitch(self, text: str, source: str) -> NoStitch:
        return NoStitch()


def _json_lines(text: str, first_end: int) -> bool:
    """Does ``text`` start with a line that is a whole JSON object (JSON Lines)?"""
    head = text[:first_end].strip()
    if not head.startswith("{"):
        return False
    try:
        return isinstance(json.loads(head), dict)
    except (ValueError, RecursionError):
        return False


CROSSREF = JsonLinesChunker("crossref")
OPENALEX = JsonLinesChunker("openalex")
