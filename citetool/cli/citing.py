"""The body of ``citetool cite``: records → a bibliography or an in-text citation in any CSL
style. No typer here: :mod:`citetool.cli.fastargs` calls :func:`cite` directly for an ordinary
command line, and :mod:`citetool.cli.cite` declares the same options for Typer."""

from __future__ import annotations

from collections.abc import Sequence

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
    from ..csl.output import ALIASES, FORMATS

    if fmt is not None:
        name = ALIASES.get(fmt.lower(), fmt.lower())
        if name not in FORMATS:
            raise UsageError(
                f"unknown format {fmt!r} (choose from: {', '.join(FORMATS[:-1])})",
                param_hint="--format",
            )
        return name
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
    offline: bool = False,
    enrich: bool = False,
    mailto: str | None = None,
    doi_resolver: str | None = None,
    translations: bool = False,
    copy: bool = False,
) -> None:
    from .common import fail, http_options, load, stdout_is_tty, write_output

    mode = mode.lower()
    if mode not in ("bibliography", "citation", "bib", "cite"):
        raise UsageError(
            f"unknown mode {mode!r} (choose from: bibliography, citation)", param_hint="--mode"
        )
    mode = {"bib": "bibliography", "cite": "citation"}.get(mode, mode)
    to_terminal = not output or output == "-"
    medium = choose_format(format_, output, to_terminal and stdout_is_tty())

    from ..csl.styles import load_style

    load_style(style, locale)  # a wrong style or locale is reported before input is read

    loaded = load(
        sources,
        fmt=from_,
        encoding=encoding,
        sets=set_,
        strict=strict,
        http=http_options(offline, mailto, doi_resolver),
        enrich=enrich,
    )
    from ..csl import render
    from ..csl.output import get_backend
    from ..errors import Diagnostic

    citations = None
    if mode == "citation" and separate:
        citations = [[record.id] for record in loaded.records]
    engine_medium = "html" if medium == "terminal" else medium
    warnings: list[Diagnostic] = []
    entries = render(loaded.records, style, locale=locale, mode=mode, output=engine_medium,
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

        plain = entries if medium != "terminal" else render(
            loaded.records, style, locale=locale, mode=mode, output="text",
            citations=citations, translations=translations)
        note = copy_text("\n".join(plain) + "\n")
        if note is not None:
            emit(note)
    if medium == "terminal":
        from rich.console import Console

        from ..csl.output import to_rich

        # an explicit --format terminal in a pipe still gets its escape codes
        console = Console(markup=False, highlight=False, soft_wrap=True, emoji=False,
                          force_terminal=True if format_ else None)
        for entry in entries:
            console.print(to_rich(entry), markup=False, highlight=False, soft_wrap=True,
                          emoji=False)
        return
    write_output(get_backend(medium).document(entries, mode), output)
