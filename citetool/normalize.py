"""Pure normalising steps applied to records after reading (Record -> Record)."""

from __future__ import annotations

from collections.abc import Container, Sequence

from .errors import Diagnostic
from .model import Record


def unique_ids(records: Sequence[Record]) -> tuple[list[Record], list[Diagnostic]]:
    """Give every record a distinct id: a repeated id gets ``-2``, ``-3`` ... appended.

    CSL processors key items by id, so two records sharing one would be merged into one
    citation; BibTeX keys collide across files. Each rename is reported.
    """
    seen: set[str] = set()
    out: list[Record] = []
    diagnostics: list[Diagnostic] = []
    taken = {r.id for r in records}
    for record in records:
        rid = record.id
        if rid in seen:
            record, note = renamed(record, taken)
            taken.add(record.id)
            diagnostics.append(note)
        seen.add(record.id)
        out.append(record)
    return out, diagnostics


def renamed(record: Record, taken: Container[str], source: str | None = None
            ) -> tuple[Record, Diagnostic]:
    """``record`` under the first id ``<id>-2``, ``<id>-3`` ... not in ``taken``, and the
    warning saying so."""
    rid = record.id
    n = 2
    while f"{rid}-{n}" in taken:
        n += 1
    new = f"{rid}-{n}"
    note = Diagnostic.warning(f"duplicate id {rid!r} renamed to {new!r}", source,
                              code="duplicate-id")
    return record.replace(id=new), note
