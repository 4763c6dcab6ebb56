"""The body of ``citetool export``: records to a reference-manager format, on stdout or into
a file. No typer here: :mod:`citetool.cli.fastargs` calls :func:`export` directly for an
ordinary command line, and :mod:`citetool.cli.export` declares the same options for Typer."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import IO, Any

from .common import UsageError, http_options
from .fastargs import check_key_pattern


def export(
    sources: Sequence[str] | None = None,
    to: str | None = None,
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
    key_pattern: str | None = None,
    ascii_: bool = False,
    scheduler: str | None = None,
) -> None:
    from .common import keep_titles_as_typed

    keep_titles_as_typed(keep_case)
    from ..errors import FormatError, Level
    from ..registry import registry
    from .common import emit, fail, load, options_from, write_output

    fmt_name = to
    if fmt_name is None and output and output != "-" and scheduler is None:
        found = registry.for_path(output, writable=True)
        if found is None:
            raise UsageError(
                f"cannot tell the format from {output!r}; use --to", param_hint="--to"
            )
        fmt_name = found.name
    try:
        fmt = registry.get(fmt_name or "csljson")
    except FormatError as exc:
        raise UsageError(exc.message, param_hint="--to") from None
    if not fmt.writer_path:
        raise UsageError(f"citetool cannot write {fmt.name}", param_hint="--to")
    check_key_pattern(key_pattern)  # a usage error, before any input is read
    options = options_from(key_pattern=key_pattern)
    if ascii_:
        options["ascii"] = True
    if scheduler is not None:
        if keep_case:
            raise UsageError("--keep-case does not reach the cluster's workers yet",
                             param_hint="--keep-case")
        _on_cluster(fmt.name, sources, output, scheduler, from_, encoding, set_, strict,
                    enrich, options)
        return
    http = http_options(offline, mailto, doi_resolver, refresh)
    from ..stream import can_stream

    if not enrich and can_stream(fmt):
        _stream(fmt, sources, from_, encoding, set_, strict, output, options, http)
        return
    loaded = load(sources, fmt=from_, encoding=encoding, sets=set_, strict=strict, http=http,
                  enrich=enrich)
    result = fmt.writer(loaded.records, **options)
    for diagnostic in result.diagnostics:
        emit(diagnostic)
    if strict and any(d.level >= Level.WARNING for d in result.diagnostics):
        fail("--strict: the target format cannot hold everything (see above); nothing written")
    write_output(result.text, output)


def _on_cluster(to: str, sources: Sequence[str] | None, output: str | None, scheduler: str,
                from_: str | None, encoding: str | None, sets: Sequence[str] | None,
                strict: bool, enrich: bool, options: dict[str, Any]) -> None:
    """``--scheduler``: each source a task on a Dask cluster, one output file each in DIR
    (:mod:`citetool.cluster`)."""
    from ..cluster import check_scheduler, export, output_name
    from ..errors import Level
    from ..registry import registry
    from .common import emit, fail, parse_sets

    try:
        check_scheduler(scheduler)
    except ValueError as exc:
        raise UsageError(str(exc), param_hint="--scheduler") from None
    if not output or output == "-" or not (output.endswith(("/", os.sep))
                                             or os.path.isdir(output)):
        raise UsageError("--scheduler writes one file per source: give -o DIR/",
                         param_hint="--output")
    specs = list(sources or [])
    if not specs or "-" in specs or not all(os.path.isfile(s) for s in specs):
        raise UsageError("--scheduler reads files (one task each), not stdin, DOIs or URLs",
                         param_hint="SOURCES")
    if enrich:
        raise UsageError("--enrich does not run on a cluster", param_hint="--enrich")
    parse_sets(sets or [])  # a wrong --set is a usage error before the cluster starts
    fmt = registry.get(to)
    suffix = fmt.suffixes[0] if fmt.suffixes else "." + fmt.name
    names = [output_name(s, suffix) for s in specs]
    if len(set(names)) != len(names):
        twice = sorted({n for n in names if names.count(n) > 1})
        raise UsageError(f"two sources would write the same file: {', '.join(twice)}",
                         param_hint="SOURCES")
    problems = 0

    def note(diagnostic: Any) -> None:
        nonlocal problems
        emit(diagnostic)
        problems += diagnostic.level >= Level.WARNING

    written, failures = export(specs, to, output, scheduler, from_=from_, encoding=encoding,
                               sets=list(sets or []), strict=strict, options=options,
                               emit=note)
    if strict and problems:
        fail(f"--strict: {problems} problem(s) reported above; nothing written")
    if not written:
        fail("" if failures else f"no records to process in {', '.join(specs)}")


def _stream(
    fmt: Any,
    sources: list[str] | None,
    from_: str | None,
    encoding: str | None,
    sets: list[str] | None,
    strict: bool,
    output: str | None,
    options: dict[str, Any],
    http: Any,
) -> None:
    """Read each source in batches (:mod:`citetool.stream`) and write each batch as it comes,
    so memory stays flat in the number of records. The same messages, checks and exit codes
    as reading everything first: ``-o`` replaces the file only on success, and ``--strict``
    writes nothing (stdout is spooled to a temporary file until the run has succeeded)."""
    from ..errors import CitetoolError, Diagnostic, Level
    from ..resolve import stderr_is_tty
    from ..stream import StreamWriter, UniqueIds, convert
    from .common import apply_sets, emit, fail, input_specs, parse_sets, source_failed

    specs = input_specs(sources)
    assignments = parse_sets(sets or [])

    names = ", ".join(dict.fromkeys(s if s != "-" else "<stdin>" for s in specs))
    unique = UniqueIds()
    problems = 0
    problem_sources: dict[str, None] = {}
    any_error = False
    failures = 0

    def note(diagnostic: Diagnostic) -> None:
        nonlocal problems, any_error
        emit(diagnostic)
        if diagnostic.level >= Level.WARNING:
            problems += 1
            if diagnostic.source:
                problem_sources[diagnostic.source] = None
        any_error = any_error or diagnostic.level >= Level.ERROR

    with _sink(output, spool=strict) as out, _Progress(stderr_is_tty()) as progress:
        writer = StreamWriter(fmt, out, **options)

        def adjust(records: list[Any]) -> list[Any]:
            return [apply_sets(r, assignments) for r in records] if assignments else records

        def render(records: list[Any]) -> tuple[list[str], str, list[Diagnostic],
                                                 list[str] | None]:
            """A batch as the loop below writes it, in a worker process (ids unchecked)."""
            records = adjust(records)
            return [r.id for r in records], *writer.prepare(records)

        for spec in specs:
            where = spec if spec != "-" else "<stdin>"
            count = 0
            errors_before = any_error
            any_error = False
            try:
                for notes, written, batch in convert(
                        spec, writer, unique, fmt=from_, encoding=encoding, http=http,
                        progress=stderr_is_tty(), render=render, adjust=adjust):
                    for diagnostic in notes:
                        note(diagnostic)
                    count += written
                    progress.update(where, batch.position, batch.total, writer.count)
            except (CitetoolError, RecursionError) as exc:
                failures += 1
                source_failed(where)
                note(exc.diagnostic if isinstance(exc, CitetoolError)
                     else CitetoolError("nested too deeply to read", where).diagnostic)
                any_error = True
            else:
                if not count and not any_error:
                    note(Diagnostic.error("no records found", where))
            any_error = any_error or errors_before
        progress.stop()
        if strict and problems:
            where = ", ".join(problem_sources) or names
            fail(f"--strict: {problems} problem(s) in {where} reported above; nothing written")
        if not writer.count:
            if any_error:
                fail("")  # every source's error is already on stderr: one line per problem
            fail(
                f"no records to process in {names}"
                if failures == 0
                else f"no records read from {names} ({failures} source(s) failed)"
            )
        losses = writer.finish()
        for diagnostic in losses:
            emit(diagnostic)
        if strict and any(d.level >= Level.WARNING for d in losses):
            fail("--strict: the target format cannot hold everything (see above); nothing written")


@contextmanager
def _sink(output: str | None, *, spool: bool) -> Iterator[IO[str]]:
    """Where the data goes: ``-o FILE`` atomically; stdout directly, or (``spool``) only
    after the block ended without an error."""
    if output and output != "-":
        from ..io import atomic_writer

        with atomic_writer(output) as handle:
            yield handle
        return
    if sys.stdout is None:
        from ..errors import WriteError

        raise WriteError("standard output is closed; nothing written", "<stdout>")
    from ..io import write_stdout

    if spool:
        import shutil
        import tempfile

        with tempfile.SpooledTemporaryFile(
            max_size=16 * 1024 * 1024, mode="w+", encoding="utf-8", newline=""
        ) as held:
            yield held
            held.seek(0)
            with _stdout_errors():
                shutil.copyfileobj(held, sys.stdout)
    else:
        with _stdout_errors():
            yield sys.stdout
    write_stdout("")  # the flush, with its errors


@contextmanager
def _stdout_errors() -> Iterator[None]:
    """Writes to stdout inside the block fail as :func:`citetool.io.write_stdout` fails."""
    import errno

    try:
        yield
    except OSError as exc:
        if exc.errno not in (errno.EPIPE, errno.ENOSPC, errno.EIO, errno.EDQUOT, errno.EFBIG,
                             errno.EBADF):
            raise
        from ..errors import WriteError
        from ..io import quiet_stdout

        quiet_stdout()
        if isinstance(exc, BrokenPipeError):
            raise SystemExit(0) from None
        raise WriteError(f"write failed: {exc.strerror or exc}", "<stdout>") from None


class _Progress:
    """A rich progress bar on stderr for long runs (a source over 1 MB), only on a TTY; it
    disappears when the run ends. Diagnostics print above it."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.bar: Any = None
        self.tasks: dict[str, Any] = {}

    def __enter__(self) -> _Progress:
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    def update(self, source: str, position: int, total: int, written: int) -> None:
        if not self.enabled or (self.bar is None and total < 1_000_000):
            return
        if self.bar is None:
            from rich.progress import (
                BarColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
            )

            from .common import stderr_console

            self.bar = Progress(
                TextColumn("{task.description}"), BarColumn(),
                TextColumn("{task.percentage:>3.0f}%"),
                TextColumn("{task.fields[records]} records"), TimeRemainingColumn(),
                console=stderr_console(), transient=True,
            )
            self.bar.start()
        if source not in self.tasks:
            self.tasks[source] = self.bar.add_task(source, total=max(total, 1), records=0)
        self.bar.update(self.tasks[source], completed=position, records=written)

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None
