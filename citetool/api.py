"""The public Python API: read, write, render — the same pipeline the CLI runs."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from .errors import Diagnostic, FormatError
from .io import Source, read_source, write_text_atomic
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
    A DOI or an http(s) URL that is not a file is looked up (:mod:`citetool.resolve`;
    ``$CITETOOL_DOI_RESOLVER``, ``$CITETOOL_MAILTO``, ``$CITETOOL_CACHE_DIR`` apply).
    """
    from .resolve import is_identifier, read_identifier

    if isinstance(source, str) and is_identifier(source):
        return read_identifier(source, fmt=fmt)
    src = read_source(str(source), encoding=encoding)
    result = read_text(src.text, src.name, choose_format(src, fmt), **options)
    result.diagnostics[:0] = src.diagnostics
    return result


def choose_format(src: Source, fmt: str | None = None) -> str | None:
    """The format to read ``src`` as: ``fmt``, else the file suffix's when the text does not
    contradict it, else None (sniff the text)."""
    chosen = fmt
    if chosen is None and src.path is not None:
        by_suffix = registry.for_path(src.path)
        detected = registry.detect(src.text)
        if (
            by_suffix is not None
            and detected is not None
            and not detected.suffixes
            and detected.priority > by_suffix.priority
        ):
            return None  # a format inside a generic one (Crossref works in a .json): sniffed
        if by_suffix is not None and (
            by_suffix.sniff is None or by_suffix.sniff(src.text[:4096]) or detected is None
        ):
            chosen = by_suffix.name
    return chosen


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
