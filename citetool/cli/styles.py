"""``citetool styles``: find CSL styles (id, class, title) and show one style's metadata."""

from __future__ import annotations

from collections.abc import Sequence


def styles(
    query: Sequence[str] | None = None,
    show: str | None = None,
    format_: str = "",
    locales: bool = False,
) -> None:
    from .common import fail, stdout_is_tty, write_output

    fmt = (format_ or ("table" if stdout_is_tty() else "tsv")).lower()
    if locales:
        from ..csl.styles import known_locales

        rows = sorted(known_locales().items())
        write_output("".join(f"{code}\t{name}\n" for code, name in rows), None)
        return
    if show is not None:
        _show(show, fmt)
        return

    from ..csl.styles import aliases, list_styles

    text = " ".join(query or [])
    found = list_styles(text or None)
    if not found:
        fail(f"no style matches '{text}' (try a shorter query, or: citetool styles)")
    alias_of: dict[str, list[str]] = {}
    for alias, target in aliases().items():
        if alias != target:
            alias_of.setdefault(target, []).append(alias)
    if fmt == "ids":
        write_output("".join(f"{info.id}\n" for info in found), None)
    elif fmt == "json":
        import json

        rows = [{"id": i.id, "title": i.title, "class": i.kind, "parent": i.parent,
                 "aliases": alias_of.get(i.id, []), "origin": i.origin} for i in found]
        write_output(json.dumps(rows, ensure_ascii=False, indent=1) + "\n", None)
    elif fmt == "tsv":
        write_output("".join(f"{i.id}\t{i.kind}\t{i.title}\n" for i in found), None)
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(show_header=True, header_style="bold", expand=False)
        table.add_column("id", style="cyan", no_wrap=True)
        table.add_column("class", no_wrap=True)
        table.add_column("title", overflow="fold")
        for info in found:
            names = alias_of.get(info.id)
            label = info.id + (f" ({', '.join(names)})" if names else "")
            table.add_row(label, info.kind + (" *" if info.dependent else ""), info.title)
        console = Console(highlight=False)
        console.print(table, markup=False)
        console.print(f"{len(found)} style(s); * = dependent (rendered with its parent)",
                      markup=False, style="dim")


def _show(spec: str, fmt: str) -> None:
    from ..csl.styles import aliases, find_style, resolve_locale
    from .common import write_output

    info = find_style(spec)
    names = sorted(a for a, t in aliases().items() if t == info.id and a != info.id)
    rows: list[tuple[str, str]] = [
        ("id", info.id),
        ("title", info.title),
        ("short title", info.title_short or ""),
        ("aliases", ", ".join(names)),
        ("class", info.kind),
        ("style class", info.style_class or ""),
        ("dependent on", info.parent or ""),
        ("default locale", info.default_locale or ""),
        ("renders in", resolve_locale(info, None)),
        ("fields", ", ".join(info.fields)),
        ("updated", info.updated or ""),
        ("summary", info.summary or ""),
        ("documentation", " ".join(info.documentation)),
        ("file", info.path),
        ("parent file", info.parent_path or ""),
        ("origin", info.origin),
    ]
    rows = [(k, v) for k, v in rows if v]
    if fmt == "json":
        import json

        write_output(json.dumps(dict(rows), ensure_ascii=False, indent=1) + "\n", None)
        return
    if fmt == "table":
        from rich.console import Console
        from rich.table import Table

        table = Table(show_header=False, title=info.id, title_justify="left")
        table.add_column("field", style="bold cyan", no_wrap=True)
        table.add_column("value", overflow="fold")
        for key, value in rows:
            table.add_row(key, value)
        Console(highlight=False).print(table, markup=False)
        return
    write_output("".join(f"{key}: {value}\n" for key, value in rows), None)
