"""``citetool export``: its options and help for Typer.

The body is :func:`citetool.cli.exporting.export`, which does not import typer, so that an
ordinary ``citetool export`` can run without it (:mod:`citetool.cli.fastargs`)."""

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

ToOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option(
        "--to",
        "-t",
        help="Output format: csljson, cslyaml, bibtex, biblatex, ris "
        "(default: from the -o suffix, else csljson).",
    ),
]


def register(app: typer.Typer) -> None:
    app.command(
        "export",
        help=(
            "Convert records to csljson, cslyaml, bibtex, biblatex or ris.\n\n"
            "Examples:\n\n"
            "  citetool export examples/article-record.txt --to csljson\n\n"
            "  cat refs.ris | citetool export --to bibtex > refs.bib\n\n"
            "  citetool export refs.bib -o refs.ris"
        ),
    )(export)


def export(
    sources: SourcesArg = None,
    to: ToOpt = None,
    output: OutputOpt = None,
    from_: FromOpt = None,
    set_: SetOpt = None,
    encoding: EncodingOpt = None,
    strict: StrictOpt = False,
    offline: OfflineOpt = False,
    enrich: EnrichOpt = False,
    mailto: MailtoOpt = None,
    doi_resolver: ResolverOpt = None,
    key_pattern: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--key-pattern",
            help="BibTeX key pattern, e.g. '{author}{year}{title}' (default) or '{author}_{year}'.",
        ),
    ] = None,
    ascii_: Annotated[
        bool, typer.Option("--ascii", help="BibTeX/BibLaTeX: escape non-ASCII as LaTeX.")
    ] = False,
    scheduler: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--scheduler",
            help="Run on Dask (pip install 'citetool[dask]'): local[:N] starts N worker "
            "processes here, tcp://HOST:PORT joins a cluster. One task and one output file "
            "per source, into -o DIR/.",
            metavar="local[:N]|tcp://HOST:PORT",
        ),
    ] = None,
) -> None:
    """Typer's view of :func:`citetool.cli.exporting.export` (the body, without typer)."""
    from .exporting import export as run

    run(sources=sources, to=to, output=output, from_=from_, set_=set_, encoding=encoding,
        strict=strict, offline=offline, enrich=enrich, mailto=mailto, doi_resolver=doi_resolver,
        key_pattern=key_pattern, ascii_=ascii_, scheduler=scheduler)
