"""Streaming conversion: read a source in batches of whole entries, write as they come.

``citetool export`` reading a 50 MB ``.bib`` whole held every record at once (990 MB). Here
a source's text is cut into chunks of whole entries *without parsing* and the format's own
reader runs on each chunk; only one batch of records (:data:`BATCH_SIZE`) is alive at a time.
The text of the source itself is still held (decoding and sniffing need it; it is a small
fraction of what its records take).

One loop (:func:`batches`) for every format, over what each format declares in the registry
(:class:`citetool.registry.Chunker`): how its text is cut (``split``), how a chunk is read
(``read``, a pure function, so a chunk may be read in a worker process), and what joins the
chunks' readings into what whole-file reading gives (``stitch``: duplicate keys, numbering).
Summaries ("3 line(s) outside any record ignored") are merged from their structured payload
(:class:`citetool.errors.Summaries`). A format without a chunker, and a source with at most
one batch of entries, is read whole, exactly as before.

Writing (:class:`StreamWriter`): the format's own writer runs per batch and the pieces are
joined as the format declares (:class:`citetool.registry.Join`: head, separator, tail), so
the bytes are the whole-file writer's. BibTeX keys must be unique over the whole output and
colliding keys *all* get a suffix (``a``, ``b``), which is only known at the end, so entries
are written with a placeholder key into a spooled temporary file and the keys are filled in
on the copy to the real output. Loss reports (``RIS has no place for ORCID: 3 records (a, b,
c)``) are summed over the batches into one warning per kind, with the same wording and the
same first ids as the whole-file writer.

The cluster path (:mod:`citetool.cluster`) runs this same loop, one source per task.
"""

from __future__ import annotations

import re
import secrets
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from .errors import Diagnostic, Summaries
from .model import Record

BATCH_SIZE = 500


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


def batches(
    text: str, source: str, fmt: str | None, *, size: int = BATCH_SIZE,
    render: Render | None = None,
) -> Iterator[Batch]:
    """The records of ``text`` (format name ``fmt``, else sniffed) in batches of about
    ``size``. Raises :class:`~citetool.errors.CitetoolError` where whole reading would.

    With ``render``, chunks of a format whose chunker allows it may be read and written by
    ``render`` in worker processes: such batches come as :class:`Rendered` (see there)."""
    from .errors import FormatError
    from .registry import registry

    chosen = registry.get(fmt) if fmt else registry.detect(text)
    if chosen is None:
        raise FormatError("cannot tell which format this is (use --from to say)", source)
    chunker = chosen.chunker
    chunks = chunker.split(text, source, size) if chunker is not None else None
    if chunker is None or chunks is None:
        yield from _whole(chosen.reader(text, source), size, len(text))
        return
    stitch = chunker.stitch(text, source)
    summaries = Summaries()

    def work(chunk: Any) -> _Written:
        """In a worker: read the chunk and write it (what earlier chunks hold unknown here)."""
        assert render is not None
        result = chunker.read(chunk, source)
        names = [(r.id, str(r.fields.get("citation-key", "")) or r.id) for r in result.records]
        return _Written(result.diagnostics, names, result.lines, *render(result.records))

    outcomes = _outcomes(work, chunks, render is not None and chunker.parallel, size)
    last: Batch | None = None
    for chunk, outcome in outcomes:
        notes = None if outcome is None else stitch.fits(chunk, outcome.names, outcome.lines)
        if outcome is None or notes is None:  # read here, and stitched
            result = stitch.fix(chunk, chunker.read(chunk, source))
            batch = Batch(result.records, summaries.absorb(result.diagnostics), chunk.end)
        else:
            batch = Batch([], summaries.absorb(outcome.read_diagnostics + notes), chunk.end,
                          rendered=Rendered(outcome.ids, outcome.text, outcome.write_diagnostics,
                                            _Reread(chunker, chunk, source), outcome.base_keys))
        if last is not None:
            yield last
        last = batch
    if last is not None:
        last.diagnostics.extend(summaries.diagnostics())
        yield last


def _outcomes(work: Callable[[Any], _Written], chunks: Iterable[Any], parallel: bool,
              size: int) -> Iterable[tuple[Any, _Written | None]]:
    """Each chunk with what a worker made of it (None: nothing, read it here)."""
    from .parallel import imap_ordered, workers

    processes = workers(size + 1) if parallel else 1
    if processes > 1:
        return imap_ordered(work, chunks, processes)
    return ((chunk, None) for chunk in chunks)


@dataclass
class _Reread:
    """A chunk's records read again here (see :class:`Rendered`)."""

    chunker: Any
    chunk: Any
    source: str

    def __call__(self) -> list[Record]:
        return self.chunker.read(self.chunk, self.source).records


def convert(
    spec: str,
    writer: StreamWriter,
    unique: UniqueIds,
    *,
    fmt: str | None = None,
    encoding: str | None = None,
    http: Any = None,
    progress: bool = False,
    render: Render | None = None,
    adjust: Callable[[list[Record]], list[Record]] | None = None,
) -> Iterator[tuple[list[Diagnostic], int, Batch]]:
    """One source into ``writer`` a batch at a time; after each batch is written, its
    diagnostics (reading, renamed ids, writing), how many records it wrote, and the batch.
    ``adjust``: what is done to each batch's records before ids are checked (``--set``).
    The one-process export runs this over its sources, each task of the cluster path
    (:mod:`citetool.cluster`) over its one."""
    where = spec if spec != "-" else "<stdin>"
    for batch in spec_batches(spec, fmt=fmt, encoding=encoding, http=http, progress=progress,
                              render=render):
        notes = list(batch.diagnostics)
        done = batch.rendered
        if done is not None and unique.add_if_free(done.ids):
            notes += writer.add_text(done.text, len(done.ids), done.diagnostics, done.keys)
            yield notes, len(done.ids), batch
            continue
        records = batch.records if done is None else done.records()
        if adjust is not None:
            records = adjust(records)
        records, renamed = unique(records, where)
        notes += renamed
        notes += writer.add(records)
        yield notes, len(records), batch


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


@dataclass
class _Written:
    """What a worker sends back for a chunk: the reader's diagnostics, each record's (id, key)
    and line for the stitch (:meth:`citetool.registry.Stitch.fits`), and what the writer
    made (see :data:`Render`)."""

    read_diagnostics: list[Diagnostic]
    names: list[tuple[str, str]]
    lines: list[int]
    ids: list[str]
    text: str
    write_diagnostics: list[Diagnostic]
    base_keys: list[str] | None


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


def can_stream(fmt: Any) -> bool:
    """Can this format's output be written a batch at a time (it declares its join)?"""
    return fmt.join is not None and bool(fmt.writer_path)


class StreamWriter:
    """Write batches of records with a format's writer into ``out`` as they come.

    ``add(records)`` returns the writer's diagnostics other than loss warnings; ``finish()``
    completes the output and returns the summed loss warnings. ``count`` is the number of
    records written. BibTeX output is spooled (keys are known at the end) and reaches ``out``
    in ``finish()``.
    """

    def __init__(self, fmt: Any, out: IO[str], *, defer_keys: bool = False,
                 **options: Any) -> None:
        """``defer_keys``: BibTeX output reaches ``out`` with its placeholder keys; the
        caller makes the keys of many outputs unique together (:attr:`base_keys`,
        :attr:`token`, :func:`fill_keys`)."""
        self.join = fmt.join
        self.defer_keys = defer_keys
        self.writer = fmt.writer
        self.out = out
        self.options = options
        self.count = 0
        self.losses = Summaries()
        self.separator = self.join.between(options)
        self._spool: IO[str] | None = None
        self._keys: list[str] = []
        self._token = ""
        if self.join.keyed:
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
        if self.join.keyed:
            records, keys = self._placeholders(records)
        result = self.writer(records, **self.options)
        return result.text, list(result.diagnostics), keys

    def add_text(self, text: str, count: int, diagnostics: Sequence[Diagnostic],
                 keys: Sequence[str] | None = None) -> list[Diagnostic]:
        """Write what :meth:`prepare` made for ``count`` records (here or in a worker);
        returns the diagnostics other than loss warnings."""
        if not count:
            return []
        if self.join.keyed:
            assert keys is not None and len(keys) == count
            if self._keys:  # number this batch's placeholders on from the earlier ones
                offset = len(self._keys)
                text = self._header.sub(
                    lambda m: f"{m.group(1)}{self._token}{int(m.group(2)) + offset},", text)
            self._keys.extend(keys)
        body = self.join.body(text)
        piece = (self.join.head if self.count == 0 else self.separator) + body
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
        if self.count and self.join.tail:
            (self._spool or self.out).write(self.join.tail)
        if self._spool is not None:
            from .keys import unique_keys

            with self._spool as spool:
                spool.seek(0)
                if self.defer_keys:
                    import shutil

                    shutil.copyfileobj(spool, self.out)
                else:
                    fill_keys(spool, self.out, self.token, unique_keys(self._keys))
                    self._keys = []
        return self.losses.diagnostics()

    @property
    def token(self) -> str:
        """What the placeholder keys start with (then their number, from 0)."""
        return self._token

    @property
    def base_keys(self) -> list[str]:
        """Each entry's key before collision suffixes, in order (BibTeX)."""
        return self._keys


def fill_keys(spool: IO[str], out: IO[str], token: str, keys: Sequence[str]) -> None:
    """Copy BibTeX written with placeholder keys (``token`` and a number from 0) to ``out``
    with ``keys`` in their place."""
    header = re.compile(r"^(@[^{\n]*\{)" + re.escape(token) + r"(\d+),$")
    expected = 0
    for line in spool:
        if line.startswith("@") and token in line:
            match = header.match(line.rstrip("\n"))
            if match and int(match.group(2)) == expected:
                line = f"{match.group(1)}{keys[expected]},\n"
                expected += 1
        out.write(line)
    if expected != len(keys):  # pragma: no cover - every entry has one header line
        raise RuntimeError("BibTeX keys lost while streaming")
