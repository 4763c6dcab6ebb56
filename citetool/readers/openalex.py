"""OpenAlex works reader: an API answer, a snapshot partition, or JSON Lines.

Shapes (any of them gzipped, see :mod:`citetool.io`): one work (``/works/{id}``);
``{"meta": ..., "results": [...]}`` (``/works?...``); a JSON array of works; JSON Lines of
works (the OpenAlex snapshot's ``part_000.gz`` files). Mapping:
:mod:`citetool.mapping.openalex`. :func:`read_work` reads one parsed work (one line of a
snapshot), for callers that split files themselves.
"""

from __future__ import annotations

from typing import Any

from ..mapping.openalex import from_openalex
from .works import WorkFormat, works_in

_WORK_KEYS = ("id", "doi", "display_name", "title", "authorships")


def works(data: Any) -> list[Any] | None:
    """The works in a parsed OpenAlex answer (None when it holds none)."""
    return works_in(data, "results", _WORK_KEYS)


#: One parsed work (one line of a dump) as a Record: ``read_work(work, index=0, rich=True)``.
read_work = from_openalex

FORMAT = WorkFormat("OpenAlex", works, from_openalex)
read = FORMAT.read
