"""Option types shared by the commands (Annotated, so each command stays short)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

SourcesArg = Annotated[
    Optional[list[str]],  # noqa: UP045 - typer needs Optional here on 3.10
    typer.Argument(
        help="Files, DOIs or URLs to read (a .txt list of DOIs/URLs too; '-' or none: stdin).",
        show_default=False,
    ),
]
FromOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option(
        "--from",
        "-f",
        help="Input format (csljson, cslyaml, bibtex, ris, html, "
        "landing, crossref, openalex); default: by suffix, then by sniffing the content.",
    ),
]
SetOpt = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Option(
        "--set",
        "-s",
        help="FIELD=VALUE to fill or correct a field on every record "
        "(CSL names: --set DOI=10.1/x --set 'author=Doe, Jane').",
        metavar="FIELD=VALUE",
    ),
]
EncodingOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option(
        "--encoding", help="Input encoding (default: UTF-8, else detected, with a warning)."
    ),
]
StrictOpt = Annotated[
    bool,
    typer.Option(
        "--strict", help="Treat warnings and skipped entries as errors: exit 1, write nothing."
    ),
]
OutputOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option(
        "--output", "-o", help="Write to FILE (atomically) instead of stdout.", metavar="FILE"
    ),
]
OfflineOpt = Annotated[
    bool,
    typer.Option(
        "--offline",
        help="Look DOIs and URLs up only in the on-disk cache (no network); a miss is an error.",
    ),
]
EnrichOpt = Annotated[
    bool,
    typer.Option(
        "--enrich",
        help="Fill what a record lacks (journal, volume, issue, ISSN, publisher ...) from its "
        "DOI; what the source says is kept.",
    ),
]
MailtoOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option(
        "--mailto",
        envvar="CITETOOL_MAILTO",
        help="Contact e-mail sent in the User-Agent of DOI lookups (Crossref's polite pool).",
        metavar="EMAIL",
    ),
]
ResolverOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option(
        "--doi-resolver",
        envvar="CITETOOL_DOI_RESOLVER",
        help="Base URL of the DOI resolver (default https://doi.org).",
        metavar="URL",
    ),
]
