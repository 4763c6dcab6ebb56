"""The public Python API: read, write, render — the same pipeline the CLI runs."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from .errors import Diagnostic, FormatError
from .io import Source, write_text_atomic
from .model import Record
from .registry import ReadResult, read_text, registry, write_records


def read(
    source: str | os.PathLike[str],
    *,
    fmt: str | None = None,
    encoding: str | None = None,
    **options: Any,
) -> ReadResult:
    """Read a file (or ``-`` for stdin): format from ``fmt``, else suffix, else sniffing.

    Returns a :class:`ReadResult` (``.records``, ``.diagnostics``). Raises
    :class:`~citetool.errors.CitetoolError` when the input cannot be read at all.
    An identifier that is not a file — a DOI, ISBN, PMID, PMCID, arXiv id or http(s) URL —
    is looked up (:mod:`citetool.resolve`, :mod:`citetool.lookup`; the ``CITETOOL_*_RESOLVER``
    variables, ``$CITETOOL_MAILTO`` and ``$CITETOOL_CACHE_DIR`` apply); ``fmt`` may name an
    identifier kind (``pmid``, ``reference`` ...) as ``--from`` does.
    """
    from .lookup import HINTS
    from .resolve import is_identifier, read_file, read_identifier, read_spec

    if fmt is not None and fmt.lower() in HINTS and isinstance(source, str):
        return read_spec(source, fmt=fmt, encoding=encoding)
    if isinstance(source, str) and is_identifier(source):
        return read_identifier(source, fmt=fmt)
    return read_file(source, fmt=fmt, encoding=encoding, **options)


def choose_format(src: Source, fmt: str | None = None) -> str | None:
    """The format to read ``src`` as (see :func:`citetool.resolve.choose_format`)."""
    from .resolve import choose_format as choose

    return choose(src, fmt)


def loads(
    text: str, *, fmt: str | None = None, source: str = "<string>", **options: Any
) -> ReadResult:
    """Read records from a string (format by name, else sniffed)."""
    return read_text(text, source, fmt, **options)


def dumps(records: Sequence[Record], fmt: str, **options: Any) -> str:
    """Records as text in format ``fmt`` (lossy-field warnings are dropped; use
    :func:`write_result` to see them)."""
    return write_records(records, fmt, **options).text


def write(
    records: Sequence[Record], path: str | os.PathLike[str], fmt: str | None = None, **options: Any
) -> list[Diagnostic]:
    """Write ``records`` to ``path`` atomically; the format defaults to the suffix's."""
    if fmt is None:
        found = registry.for_path(Path(path), writable=True)
        if found is None:
            raise FormatError(f"cannot tell the output format from the name {str(path)!r}")
        fmt = found.name
    result = write_records(records, fmt, **options)
    write_text_atomic(path, result.text)
    return result.diagnostics


def render(
    records: Iterable[Record],
    style: str = "apa",
    *,
    locale: str | None = None,
    mode: str = "bibliography",
    output: str = "text",
) -> list[str]:
    """Format records with a CSL style: one string per bibliography entry, or the
    in-text citation(s) when ``mode='citation'``."""
    from .csl import render as _render

    return _render(list(records), style=style, locale=locale, mode=mode, output=output)
