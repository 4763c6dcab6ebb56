"""Work on several cores in forked copies of the process (fork only).

Two shapes: :func:`map_chunks` (one contiguous chunk per process, used by the CSL engine) and
:func:`imap_ordered` (a stream of jobs through a few long-lived workers, results in order,
used by streaming ``export``).

Rendering a large bibliography: the processor decides everything that needs the whole list
first, in the parent: sort order, disambiguation, year suffixes. Each entry is then a pure
function of that state, so the entries can be rendered in forked copies of the process:
contiguous chunks, one per core, the parent rendering the first chunk itself while the
children render the others and send back their finished strings through a pipe. The result
is the same list the serial loop makes (``tests/test_csl_perf.py`` compares them); anything
going wrong in a child (it died, it raised) falls back to the serial path.

Used only where ``fork`` exists (not on Windows, not by default on macOS: ``spawn`` would
have to re-import and re-parse everything), when there is more than one core, and for at
least :data:`MIN_ITEMS` items (below that forking costs more than it saves).
``CITETOOL_WORKERS=1`` turns it off; ``CITETOOL_WORKERS=N`` asks for N processes.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: fewer items than this are rendered in one process
MIN_ITEMS = 500


def workers(count: int) -> int:
    """How many processes to render ``count`` items with (1: serially)."""
    wanted = os.environ.get("CITETOOL_WORKERS", "").strip()
    if wanted:
        if wanted.isdigit() and len(wanted) < 6:
            # asked for: never more than the work, nor more than 2 per core
            # (CITETOOL_WORKERS=1000 must not fork a process per item)
            return max(1, min(int(wanted), count, 2 * _cores()))
    elif count < MIN_ITEMS:
        return 1
    if sys.platform != "linux" or not hasattr(os, "fork"):
        return 1  # fork is safe on Linux; elsewhere (macOS frameworks) it may not be
    return max(1, min(_cores(), count))


def _cores() -> int:
    """The cores this process may run on (a container's CPU set, else the machine's)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _chunks(items: Sequence[T], parts: int) -> list[Sequence[T]]:
    size, extra = divmod(len(items), parts)
    out = []
    start = 0
    for index in range(parts):
        end = start + size + (1 if index < extra else 0)
        out.append(items[start:end])
        start = end
    return out


def map_chunks(function: Callable[[Sequence[T]], list[R]], items: Sequence[T],
               processes: int) -> list[R]:
    """``function`` over contiguous chunks of ``items`` (one per process), concatenated.

    ``function`` runs in forked children (it is not pickled: it may be a closure over the
    parent's state); its results must pickle. Serial when ``processes`` is 1 or fork fails.
    """
    if processes <= 1 or len(items) < 2:
        return function(items)
    import multiprocessing  # not for the one-record command: ~5 ms of imports

    chunks = _chunks(items, processes)
    context = multiprocessing.get_context("fork")
    children = []
    try:
        for chunk in chunks[1:]:
            receive, send = context.Pipe(duplex=False)
            child = context.Process(target=_child, args=(function, chunk, send), daemon=True)
            child.start()
            send.close()
            children.append((child, receive))
    except OSError:  # cannot fork (resource limits): the serial path
        for child, receive in children:
            receive.close()
            child.terminate()
            child.join()
        return function(items)
    results = list(function(chunks[0]))
    for (child, receive), chunk in zip(children, chunks[1:], strict=True):
        try:
            status, payload = receive.recv()
        except (EOFError, OSError):
            status, payload = "error", "worker died"
        receive.close()
        child.join()
        if status != "ok":
            if os.environ.get("CITETOOL_DEBUG"):
                print(f"citetool: parallel rendering fell back to serial: {payload}",
                      file=sys.stderr)
            results.extend(function(chunk))
        else:
            results.extend(payload)
    return results


def _child(function: Callable[[Sequence[Any]], list[Any]], chunk: Sequence[Any],
           send: Any) -> None:
    _worker_signals()
    payload = _attempt(function, chunk)  # on error the parent renders the chunk itself
    try:
        send.send(payload)
    finally:
        send.close()


def _attempt(function: Callable[[Any], Any], argument: Any) -> tuple[str, Any]:
    """("ok", the result) or ("error", the traceback), for the parent to read."""
    try:
        return "ok", function(argument)
    except Exception:
        import traceback

        return "error", traceback.format_exc()


def imap_ordered(function: Callable[[T], R], jobs: Iterable[T], processes: int
                 ) -> Iterator[tuple[T, R | None]]:
    """``(job, function(job))`` for each job, in order, computed in ``processes`` forked
    workers that live for the whole stream; ``None`` in place of a result whose worker
    raised or died (the caller then does that job itself).

    Jobs and results must pickle (they travel through pipes); ``function`` need not (it is
    inherited by the fork). Each worker has at most one job in hand, sent only after its
    previous result was read, so neither side can block the other on a full pipe; the next
    job goes out before the result is handed on, so the workers compute while the caller
    writes. Nothing is forked for ``processes`` < 2 (each result is then ``function(job)``
    computed here, errors raised as usual).

    Output already written is never written twice: multiprocessing flushes stdout and stderr
    before it forks, and a worker leaves with ``os._exit``, so the buffers of other files it
    inherited (``-o FILE``) are never flushed from it.
    """
    if processes < 2:
        for job in jobs:
            yield job, function(job)
        return
    import multiprocessing
    from collections import deque

    context = multiprocessing.get_context("fork")
    pool: list[tuple[Any, Any]] = []
    try:
        for _ in range(processes):
            mine, theirs = context.Pipe()
            child = context.Process(target=_serve, args=(function, theirs), daemon=True)
            child.start()
            theirs.close()
            pool.append((child, mine))
    except OSError:  # cannot fork: this process does every job
        _stop(pool)
        for job in jobs:
            yield job, None
        return
    source = iter(jobs)
    pending: deque[tuple[T, int | None]] = deque()
    turn = 0

    def submit() -> None:
        nonlocal turn
        for job in source:
            worker = turn % processes
            turn += 1
            try:
                pool[worker][1].send(job)
            except (OSError, ValueError):  # that worker is gone
                pending.append((job, None))
                continue
            pending.append((job, worker))
            return

    completed = False
    try:
        for _ in range(processes):
            submit()
        while pending:
            job, worker = pending.popleft()
            result: R | None = None
            if worker is not None:
                try:
                    status, payload = pool[worker][1].recv()
                except (EOFError, OSError):
                    status, payload = "error", "worker died"
                if status == "ok":
                    result = payload
                elif os.environ.get("CITETOOL_DEBUG"):
                    print(f"citetool: a worker failed, the job is done serially: {payload}",
                          file=sys.stderr)
                submit()  # the worker that just answered gets the next job
            yield job, result
        completed = True
    finally:  # Ctrl-C, an error or a consumer that stopped early: no job is waited for
        _stop(pool, wait=completed)


def _serve(function: Callable[[Any], Any], conn: Any) -> None:
    """A worker of :func:`imap_ordered`: jobs in, results out, until ``None`` or EOF."""
    _worker_signals()
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        payload = _attempt(function, job)  # on error the parent does the job itself
        try:
            conn.send(payload)
        except (OSError, ValueError):
            return


def _worker_signals() -> None:
    """Ctrl-C is the parent's to handle (it stops the workers; a worker must not print a
    KeyboardInterrupt traceback of its own), and SIGTERM ends a worker at once, silently
    (not the parent's handler for atomic writes, inherited by the fork)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, signal.SIG_DFL)
    _die_with_parent()


def _die_with_parent() -> None:
    """Have the kernel send this worker SIGKILL when its parent dies, however it dies
    (SIGKILL, SIGTERM with the default action, a crash): no worker outlives the command.
    Linux ``prctl(PR_SET_PDEATHSIG)``; if the parent is already gone, leave now."""
    import multiprocessing

    known = multiprocessing.parent_process()
    parent = known.pid if known is not None and known.pid else os.getppid()
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # not Linux: the closed pipe ends the worker when it next reads
    if os.getppid() != parent:  # it died before prctl took effect
        os._exit(0)


def _stop(pool: list[tuple[Any, Any]], wait: bool = True) -> None:
    """End the workers: asked to stop after their job (``wait``), else terminated."""
    if not wait:
        for child, _ in pool:
            child.terminate()
    for _child, conn in pool:
        try:
            conn.send(None)
        except (OSError, ValueError):
            pass
        conn.close()
    for child, _ in pool:
        child.join(timeout=5)
        if child.is_alive():
            child.terminate()
            child.join()
