"""Crossref works reader: a REST API answer, the Crossref data file, or JSON Lines.

Shapes (any of them gzipped, see :mod:`citetool.io`): one work; ``{"status": "ok",
"message": {...}}`` (``/works/{DOI}``); ``{"message": {"items": [...]}}`` (``/works?...``);
``{"items": [...]}`` (a file of Crossref's public data file, 2020-2025); a JSON array of
works; JSON Lines of works (the data file since 2026). Mapping:
:mod:`citetool.mapping.crossref`. :func:`read_work` reads one parsed work (one line of a
dump), for callers that split files themselves.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import ReadError
from ..mapping.crossref import from_crossref
from .works import WorkFormat, works_in

_WORK_KEYS = ("DOI", "type", "title", "container-title", "indexed")


def works(data: Any) -> list[Any] | None:
    """The works in a parsed Crossref answer or dump (None when it holds none)."""
    if isinstance(data, Mapping) and "message" in data:
        status = data.get("status")
        if status not in (None, "ok"):
            raise ReadError(
                f"Crossref answered status {status!r}: {_first_message(data['message'])}"
            )
        data = data["message"]
        if not isinstance(data, Mapping):
            return None
    return works_in(data, "items", _WORK_KEYS)


def _first_message(message: Any) -> str:
    if isinstance(message, list) and message and isinstance(message[0], Mapping):
        return str(message[0].get("message") or message[0])
    return str(message)[:200]


#: One parsed work (one line of a dump) as a Record: ``read_work(work, index=0, rich=True)``.
read_work = from_crossref

FORMAT = WorkFormat("Crossref", works, from_crossref)
read = FORMAT.read
