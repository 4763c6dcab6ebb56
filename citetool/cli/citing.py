"""The body of ``citetool cite``: records → a bibliography or an in-text citation in any CSL
style. No typer here: :mod:`citetool.cli.fastargs` calls :func:`cite` directly for an ordinary
command line, and :mod:`citetool.cli.cite` declares the same options for Typer."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from .common import UsageError

#: output suffix → format, when ``-o FILE`` is given without ``--format``
SUFFIX_FORMATS = {
    ".txt": "text",
    ".html": "html",
    ".htm": "html",
    ".md": "markdown",
    ".markdown": "markdown",
    ".tex": "latex",
    ".rtf": "rtf",
}


def choose_format(fmt: str | None, output: str | None, tty: bool) -> str:
    """The medium: --format, else the -o suffix, else terminal on a TTY, else text."""
    from ..csl.output import ALIASES
    from .fastargs import check_cite_format

    if check_cite_format(fmt) is not None:
        return ALIASES.get(fmt.lower(), fmt.lower())
    if output and output != "-":
        from pathlib import Path

        return SUFFIX_FORMATS.get(Path(output).suffix.lower(), "text")
    return "terminal" if tty else "text"


def cite(
    sources: Sequence[str] | None = None,
    style: str = "apa",
    locale: str | None = None,
    format_: str | None = None,
    mode: str = "bibliography",
    separate: bool = False,
    output: str | None = None,
    from_: str | None = None,
    set_: Sequence[str] | None = None,
    encoding: str | None = None,
    strict: bool = False,
    keep_case: bool = False,
    offline: bool = False,
    refresh: bool = False,
    enrich: bool = False,
    mailto: str | None = None,
    doi_resolver: str | None = None,
    translations: bool = False,
    copy: bool = False,
    each: bool = False,
    scheduler: str | None = None,
) -> None:
    from .common import keep_titles_as_typed

    keep_titles_as_typed(keep_case)
    from .common import fail, http_options, load, stdout_is_tty, write_output
    from .fastargs import check_mode

    mode = check_mode(mode).lower()
    mode = {"bib": "bibliography", "cite": "citation"}.get(mode, mode)
    to_terminal = not output or output == "-"
    medium = choose_format(format_, output, to_terminal and stdout_is_tty())

    from ..csl.styles import load_style

    load_style(style, locale)  # a wrong style or locale is reported before input is read
    if scheduler is not None and keep_case:
        raise UsageError("--keep-case does not reach the cluster's workers yet",
                         param_hint="--keep-case")
    if scheduler is not None and not each:
        raise UsageError("--scheduler works with --each (one entry per record)",
                         param_hint="--scheduler")
    if each:
        _each(sources, style, locale, "text" if medium == "terminal" else medium, output,
              from_, encoding, set_, strict, translations, scheduler,
              http_options(offline, mailto, doi_resolver))
        return

    loaded = load(
        sources,
        fmt=from_,
        encoding=encoding,
        sets=set_,
        strict=strict,
        http=http_options(offline, mailto, doi_resolver, refresh),
        enrich=enrich,
    )
    from ..csl import render, render_trees
    from ..csl.output import get_backend
    from ..errors import Diagnostic

    loaded.records = _formattable(loaded.records)
    citations = None
    if mode == "citation" and separate:
        citations = [[record.id] for record in loaded.records]
    warnings: list[Diagnostic] = []
    if medium == "terminal":  # trees, printed by the rich console below
        entries: list[Any] = render_trees(loaded.records, style, locale=locale, mode=mode,
                                          citations=citations, translations=translations,
                                          diagnostics=warnings)
    else:
        entries = render(loaded.records, style, locale=locale, mode=mode, output=medium,
                         citations=citations, translations=translations, diagnostics=warnings)
    if warnings:
        from .common import emit

        for warning in warnings:
            emit(warning)
    if mode == "bibliography" and not entries:
        fail(f"style '{style}' has no bibliography; use --mode citation")

    if copy:
        from ..clipboard import copy_text
        from .common import emit

        plain = entries if medium != "terminal" else [
            get_backend("text").entry(tree) for tree in entries]
        note = copy_text("\n".join(plain) + "\n")
        if note is not None:
            emit(note)
    if medium == "terminal":
        from rich.console import Console

        from ..csl.output import TerminalBackend

        # an explicit --format terminal in a pipe still gets its escape codes
        console = Console(markup=False, highlight=False, soft_wrap=True, emoji=False,
                          force_terminal=True if format_ else None)
        terminal = TerminalBackend()
        for tree in entries:
            console.print(terminal.rich_text(tree), markup=False, highlight=False,
                          soft_wrap=True, emoji=False)
        return
    write_output(get_backend(medium).document(entries, mode), output)


def _each(sources: Sequence[str] | None, style: str, locale: str | None, medium: str,
          output: str | None, from_: str | None, encoding: str | None,
          sets: Sequence[str] | None, strict: bool, translations: bool,
          scheduler: str | None, http: Any) -> None:
    """``--each``: one JSON line per record (:mod:`citetool.each`), in this process or with
    one task per source on a Dask cluster (``--scheduler``)."""
    from ..errors import CitetoolError, Level
    from .common import emit, fail, input_specs, parse_sets
    from .exporting import _sink

    specs = input_specs(sources)
    assignments = parse_sets(sets or [])
    problems = failures = written = 0

    def note(diagnostic: Any) -> None:
        nonlocal problems
        emit(diagnostic)
        problems += diagnostic.level >= Level.WARNING

    with _sink(output, spool=strict) as out:
        if scheduler is not None:
            from ..cluster import check_scheduler, cite

            try:
                check_scheduler(scheduler)
            except ValueError as exc:
                raise UsageError(str(exc), param_hint="--scheduler") from None
            if "-" in specs or not all(os.path.isfile(s) for s in specs):
                raise UsageError("--scheduler reads files (one task each), not stdin, DOIs "
                                 "or URLs", param_hint="SOURCES")
            written, failures = cite(specs, scheduler, out.write, note, style=style,
                                     locale=locale, output=medium, translations=translations,
                                     from_=from_, encoding=encoding, sets=assignments)
        else:
            from ..each import cite_source

            for spec in specs:
                try:
                    for notes, lines in cite_source(spec, style, locale, medium,
                                                    translations=translations, fmt=from_,
                                                    encoding=encoding, sets=assignments,
                                                    http=http):
                        for diagnostic in notes:
                            note(diagnostic)
                        out.write(lines)
                        written += lines.count("\n")
                except (CitetoolError, RecursionError) as exc:
                    failures += 1
                    note(exc.diagnostic if isinstance(exc, CitetoolError)
                         else CitetoolError("nested too deeply to read", spec).diagnostic)
        if strict and problems:
            fail(f"--strict: {problems} problem(s) reported above; nothing written")
        if not written:
            fail("" if failures else "no records to process")


#: characters a field may have to be formatted: a "title" of megabytes is hostile input, and
#: the engine's case and punctuation work on it would cost gigabytes (issue 17)
MAX_FORMATTED_FIELD = 1_000_000


def _formattable(records: list[Any]) -> list[Any]:
    """The records whose fields are short enough to format; each other one is reported on
    stderr and skipped (none left: exit 1)."""
    from ..errors import Diagnostic
    from .common import emit, fail

    kept = []
    for record in records:
        long = [k for k, v in record.fields.items()
                if isinstance(v, str) and len(v) > MAX_FORMATTED_FIELD]
        if long:
            emit(Diagnostic.warning(
                f"{record.id}: the field {long[0]} has {len(record.fields[long[0]]):,} "
                f"characters, more than the {MAX_FORMATTED_FIELD:,} a citation formats; "
                "entry skipped"))
            continue
        kept.append(record)
    if records and not kept:
        fail("")  # said above, one line per record
    return kept
