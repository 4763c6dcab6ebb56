"""``citetool cite --each``: one formatted entry per record, as JSON Lines.

``{"id": ..., "bibliography": ..., "citation": ...}`` per record, in input order: each record
is rendered on its own (no disambiguation across records: what a catalogue stores beside
each work). ``bibliography`` is null for a style without one. One source at a time, a batch
at a time (:func:`citetool.stream.spec_batches`), so memory stays flat; the one-process
command and each task of the cluster path (:func:`citetool.cluster.cite`) run
:func:`cite_source`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from .errors import CitetoolError, Diagnostic
from .model import Record


def entry(record: Record, style: str, locale: str | None, output: str,
          translations: bool) -> str:
    """One record's JSON line (without the line break)."""
    from .csl import render

    options: dict[str, Any] = {"locale": locale, "output": output,
                               "translations": translations}
    bibliography = render([record], style, mode="bibliography", **options)
    citation = render([record], style, mode="citation", **options)
    return json.dumps({"id": record.id, "bibliography": bibliography[0] if bibliography else None,
                       "citation": citation[0] if citation else None}, ensure_ascii=False)


def cite_source(spec: str, style: str, locale: str | None, output: str, *,
                translations: bool = False, fmt: str | None = None,
                encoding: str | None = None, http: Any = None,
                sets: Sequence[tuple[str, str]] = ()) -> Iterator[tuple[list[Diagnostic], str]]:
    """A source's records as JSON Lines, a batch at a time: (diagnostics, lines)."""
    from .stream import UniqueIds, spec_batches

    where = spec if spec != "-" else "<stdin>"
    unique = UniqueIds()
    for batch in spec_batches(spec, fmt=fmt, encoding=encoding, http=http):
        records = batch.records
        if sets:
            from .cli.common import apply_sets

            records = [apply_sets(r, list(sets)) for r in records]
        records, renamed = unique(records, where)
        notes = batch.diagnostics + renamed
        lines = []
        for record in records:
            try:
                lines.append(entry(record, style, locale, output, translations) + "\n")
            except CitetoolError:  # a style error is the same for every record
                raise
            except Exception as exc:  # one record the engine cannot format: reported, skipped
                notes.append(Diagnostic.error(f"{record.id}: cannot format: {exc}; skipped",
                                              where))
        yield notes, "".join(lines)
