"""``citetool show``: each record's fields, as a rich table on a TTY, as text in a pipe."""

from __future__ import annotations

from collections.abc import Sequence


def show(
    sources: Sequence[str] | None = None,
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
) -> None:
    from .common import keep_titles_as_typed

    keep_titles_as_typed(keep_case)
    from .common import http_options, load, stdout_is_tty, write_output
    from .fields import record_rows

    loaded = load(
        sources,
        fmt=from_,
        encoding=encoding,
        sets=set_,
        strict=strict,
        http=http_options(offline, mailto, doi_resolver, refresh),
        enrich=enrich,
    )
    if stdout_is_tty():
        from rich.console import Console
        from rich.table import Table

        console = Console(highlight=False)
        for record in loaded.records:
            table = Table(title=record.id, show_header=False, title_justify="left", expand=False)
            table.add_column("field", style="bold cyan", no_wrap=True)
            table.add_column("value", overflow="fold")
            for key, value in record_rows(record):
                table.add_row(key, value)
            console.print(table, markup=False)
        return
    blocks = []
    for record in loaded.records:
        lines = [f"{key}: {value}" for key, value in record_rows(record)]
        blocks.append("\n".join(lines))
    write_output("\n\n".join(blocks) + "\n", None)
