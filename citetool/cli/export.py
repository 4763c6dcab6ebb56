"""``citetool export``: records to a reference-manager format, on stdout or into a file."""

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
) -> None:
    from ..errors import FormatError, Level
    from ..registry import registry
    from .common import emit, fail, load, options_from, write_output

    fmt_name = to
    if fmt_name is None and output and output != "-":
        found = registry.for_path(output, writable=True)
        if found is None:
            raise typer.BadParameter(
                f"cannot tell the format from {output!r}; use --to", param_hint="--to"
            )
        fmt_name = found.name
    try:
        fmt = registry.get(fmt_name or "csljson")
    except FormatError as exc:
        raise typer.BadParameter(exc.message, param_hint="--to") from None
    if not fmt.writer_path:
        raise typer.BadParameter(f"citetool cannot write {fmt.name}", param_hint="--to")
    loaded = load(
        sources,
        fmt=from_,
        encoding=encoding,
        sets=set_,
        strict=strict,
        http=http_options(offline, mailto, doi_resolver),
        enrich=enrich,
    )
    if key_pattern is not None:
        from ..keys import validate_pattern

        try:
            validate_pattern(key_pattern)
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--key-pattern") from None
    options = options_from(key_pattern=key_pattern)
    if ascii_:
        options["ascii"] = True
    result = fmt.writer(loaded.records, **options)
    for diagnostic in result.diagnostics:
        emit(diagnostic)
    if strict and any(d.level >= Level.WARNING for d in result.diagnostics):
        fail("--strict: the target format cannot hold everything (see above); nothing written")
    write_output(result.text, output)
