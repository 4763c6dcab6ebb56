"""Big jobs on a Dask cluster (``pip install 'citetool[dask]'``): one task per input file.

``citetool export SOURCES... --to FMT -o DIR/ --scheduler local[:N]`` starts a
``LocalCluster`` of N single-threaded worker processes on 127.0.0.1 (N: the cores here);
``--scheduler tcp://HOST:PORT`` joins a running cluster (its workers must see the same files).
Dask is imported only here, only then.

Each task runs the one-process streaming loop (:func:`citetool.stream.convert`) over its one
file and writes one output file into DIR named after its input (``part_000.jsonl.gz`` →
``part_000.bib``), first under a hidden part name, renamed when the job has succeeded.
Diagnostics travel back with the task's answer and are printed on the client's stderr, file
by file in input order; a bad record is reported and skipped as in one process, a file that
cannot be read is reported and the others go on.

BibTeX keys are unique across all output files by a *global pass*: each task writes its
entries with placeholder keys and sends back their base keys (``doe2020title``); the client
makes the keys of all files unique together, in input order, with the same rule as one
output file (:func:`citetool.keys.unique_keys`: colliding keys all get ``a``, ``b`` ...);
a second round of tasks fills them in. So the keys are exactly those that one-process export
of the same files into one ``.bib`` gives. Record ids are made unique per file (not across
files: a task cannot see the others).

``cite --each`` (:func:`cite_each`): one task per file renders each record on its own (no
disambiguation across records) and sends back its JSON Lines; the client writes them in
input order.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import CitetoolError, Diagnostic

_LOCAL = re.compile(r"^local(?::(\d+))?$")
#: the scheduler's HTTP server (health, metrics) on a free port of 127.0.0.1, no dashboard
QUIET = {"dashboard": False, "dashboard_address": "127.0.0.1:0"}


def check_scheduler(scheduler: str) -> None:
    """Raise ValueError for a value ``--scheduler`` does not take."""
    match = _LOCAL.match(scheduler)
    if match:
        if match.group(1) is not None and int(match.group(1)) < 1:
            raise ValueError("local:N needs at least one worker")
        return
    if not re.match(r"^(tcp|tls|inproc|ucx)://\S+$", scheduler):
        raise ValueError(f"expected local, local:N or tcp://HOST:PORT, not {scheduler!r}")


@contextmanager
def client(scheduler: str) -> Iterator[Any]:
    """A dask.distributed Client for ``--scheduler`` (a LocalCluster it owns, or a running
    scheduler's address)."""
    import logging

    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise CitetoolError("--scheduler needs Dask: pip install 'citetool[dask]'") from None
    match = _LOCAL.match(scheduler)
    if match is None:
        with Client(scheduler, timeout="10s") as joined:
            yield joined
        return
    workers = int(match.group(1)) if match.group(1) else _cores()
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      host="127.0.0.1", dashboard_address=None, scheduler_kwargs=QUIET,
                      silence_logs=logging.ERROR) as cluster, Client(cluster) as local:
        yield local


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


_COMPRESSED = (".gz", ".bz2", ".xz")


def output_name(spec: str, suffix: str) -> str:
    """The output file's name for an input: its name less a compression suffix and its own
    format suffix, with ``suffix`` (``part_000.jsonl.gz`` → ``part_000.bib``)."""
    name = Path(spec).name
    for ending in _COMPRESSED:
        if name.lower().endswith(ending):
            name = name[: -len(ending)]
    stem = name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
    return stem + suffix


@dataclass
class Done:
    """A task's answer: its source, what it wrote where, its diagnostics (in order), whether
    it failed, and (BibTeX) the base keys and placeholder token of its entries."""

    source: str
    part: str
    count: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)
    failed: bool = False
    keys: list[str] = field(default_factory=list)
    token: str = ""
    text: str = ""  #: ``cite --each``: the JSON Lines themselves


def export_file(spec: str, part: str, to: str, from_: str | None, encoding: str | None,
                sets: Sequence[str], options: dict[str, Any]) -> Done:
    """A task: one source converted into ``part`` (BibTeX with placeholder keys)."""
    from .cli.common import apply_sets, parse_sets
    from .registry import registry
    from .stream import StreamWriter, UniqueIds, convert

    fmt = registry.get(to)
    assignments = parse_sets(list(sets))
    done = Done(spec, part)

    def adjust(records: list[Any]) -> list[Any]:
        return [apply_sets(r, assignments) for r in records] if assignments else records

    try:
        with open(part, "w", encoding="utf-8", newline="") as out:
            writer = StreamWriter(fmt, out, defer_keys=True, **options)
            for notes, written, _batch in convert(spec, writer, UniqueIds(), fmt=from_,
                                                  encoding=encoding, adjust=adjust):
                done.diagnostics += notes
                done.count += written
            done.diagnostics += writer.finish()
        done.keys, done.token = writer.base_keys, writer.token
    except (CitetoolError, RecursionError, OSError) as exc:
        done.failed = True
        done.diagnostics.append(_failure(exc, spec))
    if not done.count and not done.failed:
        done.diagnostics.append(Diagnostic.error("no records found", spec))
    return done


def fill_file(part: str, final: str, token: str, keys: list[str]) -> str:
    """A task of the global key pass: ``part``'s placeholder keys filled in, into ``final``."""
    from .io import atomic_writer
    from .stream import fill_keys

    with open(part, encoding="utf-8", newline="") as spool, atomic_writer(final) as out:
        fill_keys(spool, out, token, keys)
    os.unlink(part)
    return final


def _failure(exc: BaseException, spec: str) -> Diagnostic:
    if isinstance(exc, CitetoolError):
        return exc.diagnostic
    if isinstance(exc, RecursionError):
        return CitetoolError("nested too deeply to read", spec).diagnostic
    return CitetoolError(f"cannot read or write: {exc}", spec).diagnostic


def export(specs: Sequence[str], to: str, outdir: str, scheduler: str, *,
           from_: str | None, encoding: str | None, sets: Sequence[str], strict: bool,
           options: dict[str, Any], emit: Callable[[Diagnostic], None]) -> tuple[int, int]:
    """Each of ``specs`` into its own file in ``outdir`` on the cluster. Returns (records
    written, sources that failed); with ``strict`` and a problem, nothing is kept."""
    from .errors import Level
    from .keys import unique_keys
    from .registry import registry

    fmt = registry.get(to)
    suffix = fmt.suffixes[0] if fmt.suffixes else "." + fmt.name
    Path(outdir).mkdir(parents=True, exist_ok=True)
    finals = [str(Path(outdir) / output_name(s, suffix)) for s in specs]
    parts = [str(Path(outdir) / f".{Path(f).name}.part") for f in finals]
    with client(scheduler) as dask:
        futures = dask.map(export_file, specs, parts, to=to, from_=from_, encoding=encoding,
                           sets=list(sets), options=options, pure=False)
        answers: list[Done] = []
        for spec, part, future in zip(specs, parts, futures, strict=True):
            try:
                done = future.result()
            except Exception as exc:  # the task itself broke: this file only
                done = Done(spec, part, failed=True, diagnostics=[
                    CitetoolError(f"task failed: {type(exc).__name__}: {exc}", spec).diagnostic])
            for diagnostic in done.diagnostics:
                emit(diagnostic)
            answers.append(done)
        problems = any(d.level >= Level.WARNING for a in answers for d in a.diagnostics)
        kept = [(a, f) for a, f in zip(answers, finals, strict=True) if a.count]
        if strict and problems:
            kept = []
        if fmt.join is not None and fmt.join.keyed and kept:
            keys = unique_keys([k for a, _ in kept for k in a.keys])
            slices = []
            start = 0
            for a, _ in kept:
                slices.append(keys[start : start + len(a.keys)])
                start += len(a.keys)
            filled = dask.map(fill_file, [a.part for a, _ in kept], [f for _, f in kept],
                              [a.token for a, _ in kept], slices, pure=False)
            dask.gather(filled)
        else:
            for a, final in kept:
                os.replace(a.part, final)
    for a in answers:
        if os.path.exists(a.part):
            os.unlink(a.part)
    return sum(a.count for a, _ in kept), sum(1 for a in answers if a.failed)


def cite_file(spec: str, style: str, locale: str | None, output: str, translations: bool,
              from_: str | None, encoding: str | None, sets: list[tuple[str, str]]) -> Done:
    """A task of ``cite --each``: one source's JSON Lines."""
    from .each import cite_source

    done = Done(spec, "")
    pieces: list[str] = []
    try:
        for notes, lines in cite_source(spec, style, locale, output, translations=translations,
                                        fmt=from_, encoding=encoding, sets=sets):
            done.diagnostics += notes
            pieces.append(lines)
            done.count += lines.count("\n")
    except (CitetoolError, RecursionError, OSError) as exc:
        done.failed = True
        done.diagnostics.append(_failure(exc, spec))
    done.text = "".join(pieces)
    return done


def cite(specs: Sequence[str], scheduler: str, write: Callable[[str], None],
         emit: Callable[[Diagnostic], None], **options: Any) -> tuple[int, int]:
    """``cite --each`` with one task per source; JSON Lines handed to ``write`` in input
    order. Returns (records written, sources that failed)."""
    with client(scheduler) as dask:
        futures = dask.map(cite_file, specs, **options, pure=False)
        count = failed = 0
        for spec, future in zip(specs, futures, strict=True):
            try:
                done = future.result()
            except Exception as exc:  # the task itself broke: this file only
                done = Done(spec, "", failed=True, diagnostics=[
                    CitetoolError(f"task failed: {type(exc).__name__}: {exc}", spec).diagnostic])
            for diagnostic in done.diagnostics:
                emit(diagnostic)
            write(done.text)
            count += done.count
            failed += done.failed
    return count, failed
