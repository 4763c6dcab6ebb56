"""What every command shares: loading sources, --set, diagnostics on stderr, output.

stdout carries only data, written with plain ``sys.stdout.write`` (never through rich, so
nothing is wrapped at 80 columns or eaten as markup); every diagnostic goes to stderr.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    from rich.console import Console

    from ..errors import Diagnostic
    from ..model import Record


class Abort(Exception):
    """Stop the command with a one-line message and an exit code."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class UsageError(Exception):
    """A bad option value, found by a command's body (exit 2).

    The bodies do not import typer (``cite`` runs without it, see :mod:`citetool.cli.fastargs`);
    under Typer, :func:`citetool.cli.typer_app.usage_errors` turns this into ``typer.BadParameter``
    so that Click prints it with the usage line, as it prints every other usage error."""

    def __init__(self, message: str, param_hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.param_hint = param_hint


_stderr: Console | None = None


def stderr_console() -> Console:
    """A rich Console on stderr; colour only on a TTY and never with NO_COLOR."""
    global _stderr
    if _stderr is None:
        from rich.console import Console

        _stderr = Console(
            stderr=True, highlight=False, soft_wrap=True, no_color=bool(os.environ.get("NO_COLOR"))
        )
    return _stderr


def stdout_is_tty() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def emit(diagnostic: Diagnostic) -> None:
    """One diagnostic, one line on stderr."""
    from ..errors import Level

    line = f"citetool: {diagnostic.format()}"
    if not _stderr_is_tty() and not os.environ.get("FORCE_COLOR"):
        # no colour to add: the plain line, without importing rich (~20 ms at start-up)
        sys.stderr.write(line + "\n")
        return
    console = stderr_console()
    style = {Level.ERROR: "bold red", Level.WARNING: "yellow"}.get(diagnostic.level, "dim")
    from rich.text import Text

    # the style on the Text, not print(style=): a live progress bar repainted below the
    # line would take the print's style too
    console.print(Text(line, style=style), highlight=False)


def _stderr_is_tty() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def fail(message: str, code: int = 1) -> NoReturn:
    raise Abort(message, code)


#: sources that could not be read at all in this run (their error is on stderr): the records
#: of the others are still written, and the run ends with exit 1 (see ``cli.guarded``)
failed_sources: list[str] = []


def source_failed(where: str) -> None:
    failed_sources.append(where)


class Loaded:
    """What :func:`load` read: the records and every diagnostic (a plain class: a dataclass
    costs ~0.4 ms to create at start-up)."""

    __slots__ = ("records", "diagnostics")

    def __init__(self) -> None:
        self.records: list[Record] = []
        self.diagnostics: list[Diagnostic] = []


def load(
    sources: Sequence[str] | None,
    *,
    fmt: str | None = None,
    encoding: str | None = None,
    sets: Sequence[str] | None = None,
    strict: bool = False,
    http: Any = None,
    enrich: bool = False,
) -> Loaded:
    """Read every source, apply ``--set``, print diagnostics; abort when nothing is left.

    A source may also be a DOI, a URL or a list of them (:mod:`citetool.resolve`);
    ``http`` is a :class:`citetool.doi.HttpOptions`; ``enrich`` fills missing fields from
    each record's DOI."""
    from ..errors import CitetoolError, Level
    from ..resolve import read_spec, stderr_is_tty

    specs = input_specs(sources)
    assignments = parse_sets(sets or [])
    loaded = Loaded()
    failures = 0
    origin: list[str] = []  # the source of each record, for messages
    for spec in specs:
        try:
            result = read_spec(
                spec, fmt=fmt, encoding=encoding, http=http, progress=stderr_is_tty()
            )
        except (CitetoolError, RecursionError) as exc:
            failures += 1
            where = spec if spec != "-" else "<stdin>"
            source_failed(where)
            diagnostic = (
                exc.diagnostic
                if isinstance(exc, CitetoolError)
                else CitetoolError("nested too deeply to read", where).diagnostic
            )
            loaded.diagnostics.append(diagnostic)
            emit(diagnostic)
            continue
        for diagnostic in result.diagnostics:
            loaded.diagnostics.append(diagnostic)
            emit(diagnostic)
        if not result.records and not any(d.level >= Level.ERROR for d in result.diagnostics):
            from ..errors import Diagnostic

            empty = Diagnostic.error("no records found", spec if spec != "-" else "<stdin>")
            loaded.diagnostics.append(empty)
            emit(empty)
        loaded.records.extend(result.records)
        origin.extend([spec if spec != "-" else "<stdin>"] * len(result.records))
    if enrich and loaded.records:
        from ..resolve import enrich as enrich_records

        loaded.records, notes = enrich_records(loaded.records, http)
        for diagnostic in notes:
            loaded.diagnostics.append(diagnostic)
            emit(diagnostic)
    if assignments:
        loaded.records = [apply_sets(r, assignments) for r in loaded.records]
    from ..normalize import unique_ids

    before = loaded.records
    loaded.records, renamed = unique_ids(before)
    places = [origin[i] for i, (a, b) in enumerate(zip(before, loaded.records, strict=True))
              if a.id != b.id] if len(origin) == len(before) else []
    if len(places) == len(renamed):  # name the file of each renamed record
        renamed = [d.replace(source=d.source or where)
                   for d, where in zip(renamed, places, strict=True)]
    for diagnostic in renamed:
        loaded.diagnostics.append(diagnostic)
        emit(diagnostic)
    problems = [d for d in loaded.diagnostics if d.level >= Level.WARNING]
    # summary lines name the sources too, so that every line on stderr says where
    names = ", ".join(dict.fromkeys(s if s != "-" else "<stdin>" for s in specs))
    if strict and problems:
        where = ", ".join(dict.fromkeys(d.source for d in problems if d.source)) or names
        fail(f"--strict: {len(problems)} problem(s) in {where} reported above; nothing written")
    if not loaded.records:
        if any(d.level >= Level.ERROR for d in loaded.diagnostics):
            fail("")  # every source's error is already on stderr: one line per problem
        fail(
            f"no records to process in {names}"
            if failures == 0
            else f"no records read from {names} ({failures} source(s) failed)"
        )
    return loaded


def input_specs(sources: Sequence[str] | None) -> list[str]:
    """The sources to read: those given, else ``-`` when something is piped in."""
    specs = list(sources or [])
    if not specs:
        if sys.stdin is None or sys.stdin.isatty():
            fail("no input: give a file, or pipe records into citetool (see --help)", 2)
        specs = ["-"]
    return specs


def parse_sets(sets: Sequence[str]) -> list[tuple[str, str]]:
    out = []
    for item in sets:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"expected FIELD=VALUE, got {item!r}", param_hint="--set")
        out.append((key.strip(), value.strip()))
    return out


def apply_sets(record: Record, assignments: list[tuple[str, str]]) -> Record:
    from ..model import NAME_VARIABLES
    from ..names import parse_name_list

    for key, value in assignments:
        if key in NAME_VARIABLES:
            record = record.with_field(key, parse_name_list(value) if value else ())
        else:
            record = record.with_field(key, value)
    return record


def write_output(text: str, output: str | None) -> None:
    """Data to ``output`` (atomically) or stdout; nothing else ever goes to stdout."""
    if output and output != "-":
        from ..io import write_text_atomic

        write_text_atomic(output, text)
        return
    from ..io import write_stdout

    write_stdout(text)


def http_options(
    offline: bool, mailto: str | None, resolver: str | None, refresh: bool = False
) -> Any:
    """The :class:`citetool.lookup.http.HttpOptions` for the network options of a command
    (None for the defaults)."""
    from .fastargs import check_mailto, check_resolver

    check_resolver(resolver)  # the API's callers too; the CLI has checked them already
    check_mailto(mailto)
    if offline and refresh:
        raise UsageError("--refresh looks up again, --offline never does; give one")
    if not (offline or mailto or resolver or refresh):
        return None  # the defaults: the HTTP client is imported only for a lookup
    from ..lookup.http import HttpOptions

    return HttpOptions(resolver=resolver, mailto=mailto, offline=offline, refresh=refresh)


def options_from(**kwargs: Any) -> dict[str, Any]:
    return {k: v for k, v in kwargs.items() if v is not None}


def keep_titles_as_typed(keep_case: bool) -> None:
    """``--keep-case``: the BibTeX reader keeps titles as typed for the rest of this run, in
    forked workers too (:data:`citetool.case.KEEP_AS_TYPED`)."""
    if keep_case:
        from ..case import KEEP_AS_TYPED

        KEEP_AS_TYPED.set(True)
