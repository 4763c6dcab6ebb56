"""Streaming conversion: read a source in batches of whole entries, write as they come.

``citetool export`` reading a 50 MB ``.bib`` whole held every record at once (990 MB). Here
a source's text is cut into chunks of whole entries *without parsing* and the format's own
reader runs on each chunk; only one batch of records (:data:`BATCH_SIZE`) is alive at a time.
The text of the source itself is still held (decoding and sniffing need it; it is a small
fraction of what its records take).

Cutting, per reader:

* BibTeX: at line-start block starts (``@type{`` / ``@type(`` after optional blanks). These
  are exactly the places where bibtexparser's splitter starts a block even inside an unclosed
  one, so a chunk ends where the whole-file parse would end a block too. ``@string`` macros
  are global in citetool's reader (an entry may use a macro defined after it), so every
  ``@string`` block of the file is put in front of each chunk (and blanked to newlines where
  it stood, keeping line numbers); their own diagnostics are reported once, at their lines.
  A file that uses ``crossref``/``xdata`` or has ``@set`` blocks needs its parents: it is
  read whole.
* RIS: after ``ER`` lines (records never span chunks); record numbering (``item7``) and the
  duplicate-ID check go on across chunks.
* CSL-JSON: one ``json.loads`` (compact), records made a batch at a time.
* anything else (CSL-YAML, landing pages, HTML): read whole, handed on in batches.

A file with at most one batch of entries is read whole, exactly as before.

Writing (:class:`StreamWriter`): the format's own writer runs per batch and the pieces are
joined as the whole-file writer would join them (CSL-JSON array items with ``,\\n``, CSL-YAML
list items, RIS records with a blank line, BibTeX entries with a blank line). BibTeX keys
must be unique over the whole output and colliding keys *all* get a suffix (``a``, ``b``),
which is only known at the end, so entries are written with a placeholder key into a spooled
temporary file and the keys are filled in on the copy to the real output. Loss reports
(``RIS has no place for ORCID: 3 records (a, b, c)``) are summed over the batches into one
warning per kind, with the same wording and the same first ids as the whole-file writer.
"""

from __future__ import annotations

import itertools
import re
import secrets
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from typing import IO, Any

from .errors import Diagnostic
from .model import Record

BATCH_SIZE = 500
#: CSL-JSON shorter than this is read whole (one batch of its reader's own making)
JSON_WHOLE_BELOW = 1_000_000

#: bibtexparser's block start (``@[\w]*( |\t)*(?=[{(])``) at the start of a line
_BIB_START = re.compile(r"^[ \t]*@\w*[ \t]*(?=[{(])", re.M)
_BIB_HEAD = re.compile(r"[ \t]*@[ \t]*(\w+)[ \t]*[{(]\s*([^,\s{}()]*)")
_NO_KEY = re.compile(r"(entry without a key; read as 'line)(\d+)")
_NO_KEY_ID = re.compile(r"^(line)(\d+)(?=-\d+$|$)")
_BIB_STRING = re.compile(r"[ \t]*@string[ \t]*[{(]", re.I)
_BIB_STRING_LINE = re.compile(r"^[ \t]*@string[ \t]*[{(]", re.I | re.M)
_BIB_NEEDS_WHOLE = re.compile(
    r"\b(?:crossref|xdata)[ \t\r\n]*=|^[ \t]*@(?:set|xdata)[ \t]*[{(]", re.I | re.M
)
_NOT_KEPT = "not carried into records (no bibliographic data): "
_RIS_ER_LINE = re.compile(r"^ER[^\n]*\n", re.M)
_STRAY = re.compile(r"^(\d+)(?= line\(s\) outside any record ignored)")
_LOSS = re.compile(r"^(.*) has no place for (.*): (\d+) records? \((.*)\)$", re.S)


@dataclass
class Batch:
    """Records read from one chunk, the diagnostics about them (lines are the file's)."""

    records: list[Record]
    diagnostics: list[Diagnostic] = field(default_factory=list)
    position: int = 0  #: characters of the source consumed so far (for progress)
    total: int = 0  #: characters of the source
    #: the batch already written by a worker (``records`` is then empty); see :class:`Rendered`
    rendered: Rendered | None = None


#: what a worker does with a batch's records: their ids and :meth:`StreamWriter.prepare`'s
#: (text, diagnostics, BibTeX base keys or None)
Render = Callable[[list[Record]], tuple[list[str], str, list[Diagnostic], list[str] | None]]


@dataclass
class Rendered:
    """A batch read *and written* in a worker process (:func:`citetool.parallel.imap_ordered`):
    the writer's ``text`` for records with these ``ids``, and the writer's diagnostics. The
    worker cannot know the ids of earlier batches; when one of ``ids`` turns out to be taken,
    ``records()`` reads the chunk again here, and the batch goes the ordinary way."""

    ids: list[str]
    text: str
    diagnostics: list[Diagnostic]
    records: Callable[[], list[Record]]
    keys: list[str] | None = None  #: BibTeX output: the base keys of the placeholders


def spec_batches(
    spec: str,
    *,
    fmt: str | None = None,
    encoding: str | None = None,
    http: Any = None,
    progress: bool = False,
    size: int = BATCH_SIZE,
    render: Render | None = None,
) -> Iterator[Batch]:
    """:func:`citetool.resolve.read_spec` in batches: DOIs, URLs and lists of them (and
    small list-like ``.txt`` files) are read whole as there; files and ``-`` are cut."""
    from .api import choose_format
    from .io import read_source
    from .lookup import HINTS
    from .resolve import (
        MAX_LIST_BYTES,
        _small_text_file,
        is_identifier,
        list_lines,
        read_list,
        read_spec,
    )

    if (fmt is not None and fmt.lower() in HINTS) or is_identifier(spec) or (
        spec != "-" and fmt is None and _small_text_file(spec, encoding) is not None
    ):
        result = read_spec(spec, fmt=fmt, encoding=encoding, http=http, progress=progress)
        yield from _whole(result, size, 0)
        return
    src = read_source(spec, encoding=encoding)
    text = src.text
    if spec == "-":
        lines = list_lines(text) if fmt is None and len(text) <= MAX_LIST_BYTES else None
        if lines:
            result = read_list(lines, src.name, http, progress=progress)
            result.diagnostics[:0] = src.diagnostics
            yield from _whole(result, size, 0)
            return
        chosen = fmt
    else:
        chosen = choose_format(src, fmt)
    first = True
    for batch in batches(text, src.name, chosen, size=size, render=render):
        if first:
            batch.diagnostics[:0] = src.diagnostics
            first = False
        batch.total = len(text)
        yield batch


Reader = Callable[..., Any]


def batches(
    text: str, source: str, fmt: str | None, *, size: int = BATCH_SIZE,
    render: Render | None = None,
) -> Iterator[Batch]:
    """The records of ``text`` (format name ``fmt``, else sniffed) in batches of about
    ``size``. Raises :class:`~citetool.errors.CitetoolError` where whole reading would.

    With ``render``, a large BibTeX file's chunks may be read and written by ``render`` in
    worker processes: such batches come as :class:`Rendered` (see there)."""
    from .errors import FormatError
    from .registry import registry

    chosen = registry.get(fmt) if fmt else registry.detect(text)
    if chosen is None:
        raise FormatError("cannot tell which format this is (use --from to say)", source)
    path = chosen.reader_path or ""
    if path == "citetool.readers.bibtex:read":
        yield from _bibtex(text, source, chosen.reader, size, render)
    elif path == "citetool.readers.ris:read":
        yield from _ris(text, source, chosen.reader, size)
    elif path == "citetool.readers.csljson:read":
        yield from _csljson(text, source, chosen.reader, size)
    else:
        yield from _whole(chosen.reader(text, source), size, len(text))


def _whole(result: Any, size: int, length: int) -> Iterator[Batch]:
    records = result.records
    if not records:
        yield Batch([], list(result.diagnostics), length)
        return
    for start in range(0, len(records), size):
        chunk = records[start : start + size]
        first = start == 0
        yield Batch(chunk, list(result.diagnostics) if first else [],
                    length * min(start + size, len(records)) // len(records))


def _shift(diagnostics: Sequence[Diagnostic], offset: int) -> list[Diagnostic]:
    if not offset:
        return list(diagnostics)
    return [d if d.line is None else replace(d, line=d.line + offset) for d in diagnostics]


# --- BibTeX ----------------------------------------------------------------------------------


def _bibtex(text: str, source: str, reader: Reader, size: int,
            render: Render | None = None) -> Iterator[Batch]:
    found = _BIB_START.finditer(text)
    opening = [m.start() for m in itertools.islice(found, size + 1)]
    if len(opening) <= size or _BIB_NEEDS_WHOLE.search(text):
        yield from _whole(reader(text, source), size, len(text))
        return
    # every @string block, in file order, in front of each chunk: (prefix line, file line, n)
    prefix_parts: list[str] = []
    prefix_map: list[tuple[int, int, int]] = []
    prefix_lines = 0
    line_of = _LineCounter(text)
    for m in _BIB_STRING_LINE.finditer(text):
        after = _BIB_START.search(text, m.end())
        seg = text[m.start() : after.start() if after else len(text)]
        if not seg.endswith("\n"):
            seg += "\n"
        n = seg.count("\n")
        prefix_map.append((prefix_lines + 1, line_of(m.start()), n))
        prefix_parts.append(seg)
        prefix_lines += n
    prefix = "".join(prefix_parts)
    del prefix_parts
    preambles = comments = 0
    kept_note: Diagnostic | None = None
    keys_seen: dict[str, int | None] = {}  # ids of this file so far -> line (as the reader)
    chunks = _bib_chunks(text, opening, found, size, prefix, prefix_lines)

    def read_chunk(chunk: _Chunk) -> tuple[list[Diagnostic], list[Record]]:
        result = reader(prefix + chunk.body, source)
        return result.diagnostics, _keyless_ids(result.records, chunk.offset)

    def work(chunk: _Chunk) -> _Written:
        """In a worker: read the chunk and write it (ids of earlier chunks unknown here)."""
        assert render is not None
        diagnostics, records = read_chunk(chunk)
        keys = [(r.id, str(r.fields.get("citation-key", "")) or r.id) for r in records]
        return _Written(diagnostics, keys, *render(records))

    from .parallel import imap_ordered, workers

    processes = workers(size + 1) if render is not None else 1
    outcomes = imap_ordered(work, chunks, processes) if processes > 1 else (
        (chunk, None) for chunk in chunks)
    for chunk, outcome in outcomes:
        if outcome is not None and _taken(outcome.keys, keys_seen):
            outcome = None  # a key of an earlier chunk: this one is read here, renamed
        if outcome is None:
            read_diagnostics, records = read_chunk(chunk)
        else:
            read_diagnostics, records = outcome.read_diagnostics, []
        offset = chunk.offset
        diagnostics: list[Diagnostic] = []
        for d in read_diagnostics:
            if d.line is None and d.message.startswith(_NOT_KEPT):
                kept_note = d
                p = re.search(r"(\d+) @preamble", d.message)
                c = re.search(r"(\d+) @comment", d.message)
                preambles += int(p.group(1)) if p else 0
                comments += int(c.group(1)) if c else 0
            elif d.line is not None and d.line <= prefix_lines:
                if chunk.first:  # a diagnostic about an @string block: once, at its line
                    for at, line, n in prefix_map:
                        if at <= d.line < at + n:
                            diagnostics.append(replace(d, line=line + d.line - at))
                            break
            else:
                if offset and d.line is not None and _NO_KEY.search(d.message):
                    d = replace(d, message=_NO_KEY.sub(partial(_moved, offset=offset), d.message))
                diagnostics.append(d if d.line is None else replace(d, line=d.line + offset))
        if chunk.end == len(text) and kept_note is not None:
            diagnostics.append(replace(kept_note, message=_not_kept_message(preambles, comments)))
        if outcome is None:  # the renames are made (and said) across the file, not the chunk
            diagnostics = [d for d in diagnostics if not _REKEYED.search(d.message)]
            records = _dedupe(records, chunk.entries, keys_seen, diagnostics, source)
            yield Batch(records, diagnostics, chunk.end)
        else:
            _dedupe_keys(outcome.keys, chunk.entries, keys_seen)
            yield Batch([], diagnostics, chunk.end, rendered=Rendered(
                outcome.ids, outcome.text, outcome.write_diagnostics,
                partial(lambda c: read_chunk(c)[1], chunk), outcome.base_keys))


@dataclass
class _Written:
    """What a worker sends back for a chunk: the reader's diagnostics, each record's (id, key)
    for the duplicate-key rule, and what the writer made (see :data:`Render`)."""

    read_diagnostics: list[Diagnostic]
    keys: list[tuple[str, str]]
    ids: list[str]
    text: str
    write_diagnostics: list[Diagnostic]
    base_keys: list[str] | None


@dataclass
class _Chunk:
    """A run of whole BibTeX blocks: its text (``@string`` blocks blanked, they are in the
    prefix), the file line before it less the prefix's lines, the keys of its entries with
    their types and lines, where it ends in the file, and whether it is the first."""

    body: str
    offset: int
    entries: dict[str, list[tuple[str, int]]]
    end: int
    first: bool


def _bib_chunks(text: str, opening: list[int], found: Iterator[re.Match[str]], size: int,
                prefix: str, prefix_lines: int) -> Iterator[_Chunk]:
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
            if prefix and _BIB_STRING.match(text, start):
                pieces.append("\n" * text.count("\n", start, end))  # it is in the prefix
                continue
            pieces.append(text[start:end])
            match = _BIB_HEAD.match(text, start)
            if match and match.group(1).lower() not in ("string", "preamble", "comment"):
                entries.setdefault(match.group(2), []).append(
                    (match.group(1).lower(), head_line(match.start(1))))
        yield _Chunk("".join(pieces), line_of(a) - 1 - prefix_lines, entries, b, first_chunk)
        first_chunk = False
        group = [b]
        if b == len(text):
            break


def _keyless_ids(records: list[Record], offset: int) -> list[Record]:
    """An entry without a key is read as ``line<N>`` in its chunk: N made the file's line."""
    if not offset:
        return records
    return [
        replace(r, id=_NO_KEY_ID.sub(partial(_moved, offset=offset), r.id))
        if "citation-key" not in r.fields and _NO_KEY_ID.match(r.id) else r
        for r in records
    ]


def _taken(keys: list[tuple[str, str]], seen: dict[str, int | None]) -> bool:
    """Would :func:`_dedupe` rename one of these (id, key) pairs?"""
    here: set[str] = set()
    for rid, key in keys:
        # a key of an earlier chunk, or one the chunk's reader renamed (same-2: numbered in
        # the chunk, not in the file)
        if key in seen or (rid == key and key in here):
            return True
        here.add(rid)
    return False


def _dedupe_keys(keys: list[tuple[str, str]], entries: dict[str, list[tuple[str, int]]],
                 seen: dict[str, int | None]) -> None:
    """:func:`_dedupe`'s bookkeeping for a chunk in which nothing is renamed."""
    for rid, key in keys:
        places = entries.get(key)
        seen[rid] = places.pop(0)[1] if places else None


def _dedupe(
    records: list[Record],
    entries: dict[str, list[tuple[str, int]]],
    seen: dict[str, int | None],
    diagnostics: list[Diagnostic],
    source: str,
) -> list[Record]:
    """The reader's duplicate-key rule across chunks: a key used in an earlier chunk is
    read as ``key-2`` (``-3`` ...), with the reader's own warning and both lines."""
    from .readers.bibtex import rekeyed

    out = []
    for record in records:
        key = str(record.fields.get("citation-key", "")) or record.id
        places = entries.get(key)
        etype, line = places.pop(0) if places else ("misc", None)
        if key in seen:  # also a duplicate the chunk's reader numbered within the chunk
            rid, note = rekeyed(etype, key, seen, source, line)
            diagnostics.append(note)
            record = replace(record, id=rid)
        seen[record.id] = line
        out.append(record)
    return out


#: the BibTeX reader's warning for a duplicate key (readers.bibtex.rekeyed)
_REKEYED = re.compile(r"^@[^{]*\{.*\}: the key .* is used before \(line [^)]*\); this entry is "
                      r"read as ")


def _moved(match: re.Match[str], offset: int) -> str:
    return f"{match.group(1)}{int(match.group(2)) + offset}"


def _not_kept_message(preambles: int, comments: int) -> str:
    """The reader's own summary line, with the counts of the whole file."""
    parts = []
    if preambles:
        parts.append(f"{preambles} @preamble block{'s' if preambles > 1 else ''}")
    if comments:
        parts.append(f"{comments} @comment block{'s' if comments > 1 else ''}")
    return _NOT_KEPT + " and ".join(parts)


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


# --- RIS -------------------------------------------------------------------------------------


def _ris(text: str, source: str, reader: Reader, size: int) -> Iterator[Batch]:
    from .readers import ris

    cr_only = "\r" in text and text.count("\r") != text.count("\r\n")
    ends = [] if cr_only else [
        m.end() for m in _RIS_ER_LINE.finditer(text)
        if (t := ris._TAG_LINE.match(m.group().rstrip("\r\n"))) and t.group(1) == "ER"
    ]
    if len(ends) <= size:
        yield from _whole(reader(text, source), size, len(text))
        return
    cuts = ends[size - 1 :: size]
    if cuts[-1] != len(text):
        cuts.append(len(text))
    seen_ids: dict[str, int] = {}
    index = 0
    stray = 0
    stray_note: Diagnostic | None = None
    start = 0
    line = 1
    for cut in cuts:
        chunk = text[start:cut]
        raws, found = ris.scan(chunk, source)
        diagnostics: list[Diagnostic] = []
        records: list[Record] = []
        for d in found:
            match = _STRAY.match(d.message) if d.code == "ris-stray" else None
            if match:
                stray += int(match.group(1))
                stray_note = stray_note or replace(d, line=(d.line or 0) + line - 1)
            else:
                diagnostics.append(d)
        for raw in raws:  # the loop of ris.read, with numbering and ids across chunks
            try:
                record = ris.to_record(raw, index, source, diagnostics)
            except ValueError as exc:
                diagnostics.append(Diagnostic.error(f"{exc}; record skipped", source, raw.line,
                                                    code="ris-record"))
                index += 1
                continue
            index += 1
            count = seen_ids.get(record.id, 0)
            seen_ids[record.id] = count + 1
            if count:
                diagnostics.append(Diagnostic.warning(
                    f"duplicate ID {record.id!r}; kept both records", source, raw.line))
            records.append(record)
        diagnostics = _shift(diagnostics, line - 1)
        if cut == len(text) and stray_note is not None:
            diagnostics.append(replace(stray_note, message=_STRAY.sub(str(stray),
                                                                      stray_note.message)))
        yield Batch(records, diagnostics, cut)
        line += chunk.count("\n") + (chunk.count("\r") - chunk.count("\r\n"))
        start = cut


# --- CSL-JSON --------------------------------------------------------------------------------


def _csljson(text: str, source: str, reader: Reader, size: int) -> Iterator[Batch]:
    import json

    from .errors import CitetoolError
    from .readers.csljson import _item_lines, _items, load_json

    if len(text) < JSON_WHOLE_BELOW or not text.lstrip().startswith("["):
        yield from _whole(reader(text, source), size, len(text))
        return
    try:
        data, notes = load_json(text, source)
    except (json.JSONDecodeError, RecursionError, CitetoolError):
        yield from _whole(reader(text, source), size, len(text))  # its own message
        return
    if not isinstance(data, list) or not data:
        yield from _whole(reader(text, source), size, len(text))
        return
    total = len(data)
    for start in range(0, total, size):
        end = min(start + size, total)
        result = _items(data[start:end], source, lambda: _item_lines(text), start)
        if start == 0:
            result.diagnostics[:0] = notes
        data[start:end] = [None] * (end - start)  # let the items go once they are records
        yield Batch(result.records, result.diagnostics, len(text) * end // total)


# --- ids -------------------------------------------------------------------------------------


class UniqueIds:
    """:func:`citetool.normalize.unique_ids` one record at a time: a repeated id gets ``-2``,
    ``-3`` ... (skipping every id seen so far), and each rename is reported."""

    def __init__(self) -> None:
        self.seen: dict[str, None] = {}  # a dict: half the memory of a set of ids

    def add_if_free(self, ids: Sequence[str]) -> bool:
        """Take ``ids`` (a batch written elsewhere) when none would be renamed; else take
        nothing and say so."""
        if len(set(ids)) != len(ids) or any(i in self.seen for i in ids):
            return False
        self.seen.update(dict.fromkeys(ids))
        return True

    def __call__(self, records: Sequence[Record], source: str | None) -> tuple[
            list[Record], list[Diagnostic]]:
        from .normalize import renamed

        out: list[Record] = []
        notes: list[Diagnostic] = []
        seen = self.seen
        for record in records:
            if record.id in seen:
                record, note = renamed(record, seen, source)
                notes.append(note)
            seen[record.id] = None
            out.append(record)
        return out, notes


# --- writing ---------------------------------------------------------------------------------


class LossTally:
    """Loss warnings of many batches summed into one per kind (same wording as
    :class:`citetool.lossy.LossReport`: count, first three ids)."""

    def __init__(self) -> None:
        self.kinds: dict[tuple[str, str], tuple[int, list[str], Diagnostic]] = {}

    def absorb(self, diagnostics: Sequence[Diagnostic]) -> list[Diagnostic]:
        """Keep the loss warnings; return the other diagnostics."""
        others = []
        for d in diagnostics:
            match = _LOSS.match(d.message) if d.code == "lossy" else None
            if match is None:
                others.append(d)
                continue
            fmt, what, n, shown = match.groups()
            ids = [i for i in shown.split(", ") if i != "..."]
            count, first, note = self.kinds.get((fmt, what), (0, [], d))
            self.kinds[(fmt, what)] = (count + int(n), (first + ids)[:3], note)
        return others

    def diagnostics(self) -> list[Diagnostic]:
        out = []
        for (fmt, what), (n, ids, note) in self.kinds.items():
            shown = ", ".join(ids[:3]) + (", ..." if n > 3 else "")
            noun = "record" if n == 1 else "records"
            message = f"{fmt} has no place for {what}: {n} {noun} ({shown})"
            out.append(replace(note, message=message))
        return out


#: how the whole-file writer joins records: (head, separator between batches, tail, strip)
_JSON, _YAML, _JOIN, _BIBTEX = "json", "yaml", "join", "bibtex"
_WRITER_KIND = {
    "citetool.writers.csljson:write": _JSON,
    "citetool.writers.csljson:write_yaml": _YAML,
    "citetool.writers.ris:write": _JOIN,
    "citetool.writers.bibtex:write_bibtex": _BIBTEX,
    "citetool.writers.bibtex:write_biblatex": _BIBTEX,
}


def can_stream(writer_path: str | None) -> bool:
    return (writer_path or "") in _WRITER_KIND


class StreamWriter:
    """Write batches of records with a registered writer into ``out`` as they come.

    ``add(records)`` returns the writer's diagnostics other than loss warnings; ``finish()``
    completes the output and returns the summed loss warnings. ``count`` is the number of
    records written. BibTeX output is spooled (keys are known at the end) and reaches ``out``
    in ``finish()``.
    """

    def __init__(self, writer_path: str, writer: Reader, out: IO[str], **options: Any) -> None:
        self.kind = _WRITER_KIND[writer_path]
        self.writer = writer
        self.out = out
        self.options = options
        self.count = 0
        self.losses = LossTally()
        self.separator = options.get("newline", "\r\n") if self.kind == _JOIN else "\n"
        self._spool: IO[str] | None = None
        self._keys: list[str] = []
        self._token = ""
        if self.kind == _BIBTEX:
            from .keys import validate_pattern

            if options.get("key_pattern") is not None:
                validate_pattern(options["key_pattern"])
            self._spool = tempfile.SpooledTemporaryFile(  # noqa: SIM115 - closed in finish()
                max_size=8 * 1024 * 1024, mode="w+", encoding="utf-8", newline="")
            self._token = "citetoolkey" + secrets.token_hex(8) + "n"
            self._header = re.compile(r"^(@[^{\n]*\{)" + self._token + r"(\d+),$", re.M)
            self.options = {k: v for k, v in options.items() if k != "key_pattern"}
            self._pattern = options.get("key_pattern")

    def add(self, records: Sequence[Record]) -> list[Diagnostic]:
        if not records:
            return []
        text, diagnostics, keys = self.prepare(records)
        return self.add_text(text, len(records), diagnostics, keys)

    def prepare(self, records: Sequence[Record]) -> tuple[str, list[Diagnostic], list[str] | None]:
        """The writer's text and diagnostics for ``records``, touching no state: it may run in
        a worker process. BibTeX entries get placeholder keys numbered from 0 in this batch;
        their base keys come third (None for the other formats)."""
        keys = None
        if self.kind == _BIBTEX:
            records, keys = self._placeholders(records)
        result = self.writer(records, **self.options)
        return result.text, list(result.diagnostics), keys

    def add_text(self, text: str, count: int, diagnostics: Sequence[Diagnostic],
                 keys: Sequence[str] | None = None) -> list[Diagnostic]:
        """Write what :meth:`prepare` made for ``count`` records (here or in a worker);
        returns the diagnostics other than loss warnings."""
        if not count:
            return []
        first = self.count == 0
        if self.kind == _BIBTEX:
            assert keys is not None and len(keys) == count
            if self._keys:  # number this batch's placeholders on from the earlier ones
                offset = len(self._keys)
                text = self._header.sub(
                    lambda m: f"{m.group(1)}{self._token}{int(m.group(2)) + offset},", text)
            self._keys.extend(keys)
        if self.kind == _JSON:
            body = text.strip()[1:-1].strip("\n")
            piece = ("[\n" if first else ",\n") + body
        elif self.kind == _YAML:
            head = "---\nreferences:\n"
            if not text.startswith(head) or not text.endswith("...\n"):
                raise RuntimeError("unexpected CSL-YAML writer output")  # pragma: no cover
            piece = (head if first else "") + text[len(head) : -4]
        else:
            piece = ("" if first else self.separator) + text
        (self._spool or self.out).write(piece)
        self.count += count
        return self.losses.absorb(diagnostics)

    def _placeholders(self, records: Sequence[Record]) -> tuple[list[Record], list[str]]:
        from .keys import assign_keys

        out = []
        keys = []
        for number, record in enumerate(records):
            # the key the whole-file writer would start from, before collision suffixes
            keys.append(assign_keys([record], self._pattern)[0])
            out.append(record.with_field("citation-key", f"{self._token}{number}"))
        return out, keys

    def finish(self) -> list[Diagnostic]:
        if self.count:
            if self.kind == _JSON:
                self.out.write("\n]\n")
            elif self.kind == _YAML:
                self.out.write("...\n")
        if self._spool is not None:
            self._copy_keyed(self._spool)
        return self.losses.diagnostics()

    def _copy_keyed(self, spool: IO[str]) -> None:
        from .keys import unique_keys

        keys = unique_keys(self._keys)
        self._keys = []
        header = self._header
        spool.seek(0)
        expected = 0
        out = self.out
        with spool:
            for line in spool:
                if line.startswith("@") and self._token in line:
                    match = header.match(line.rstrip("\n"))
                    if match and int(match.group(2)) == expected:
                        line = f"{match.group(1)}{keys[expected]},\n"
                        expected += 1
                out.write(line)
        if expected != len(keys):  # pragma: no cover - every entry has one header line
            raise RuntimeError("BibTeX keys lost while streaming")
