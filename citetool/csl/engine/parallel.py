"""Rendering a large bibliography on several cores (fork only).

The processor decides everything that needs the whole list first, in the parent: sort order,
disambiguation, year suffixes. Each entry is then a pure function of that state, so the
entries can be rendered in forked copies of the process: contiguous chunks, one per core, the
parent rendering the first chunk itself while the children render the others and send back
their finished strings through a pipe. The result is the same list the serial loop makes
(``tests/test_csl_perf.py`` compares them); anything going wrong in a child (it died, it
raised) falls back to the serial path.

Used only where ``fork`` exists (not on Windows, not by default on macOS: ``spawn`` would
have to re-import and re-parse everything), when there is more than one core, and for at
least :data:`MIN_ITEMS` items (below that forking costs more than it saves).
``CITETOOL_WORKERS=1`` turns it off; ``CITETOOL_WORKERS=N`` asks for N processes.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: fewer items than this are rendered in one process
MIN_ITEMS = 500


def workers(count: int) -> int:
    """How many processes to render ``count`` items with (1: serially)."""
    wanted = os.environ.get("CITETOOL_WORKERS", "").strip()
    if wanted:
        try:
            return max(1, min(int(wanted), count))
        except ValueError:
            pass
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
    try:
        payload: tuple[str, Any] = ("ok", function(chunk))
    except BaseException:  # reported to the parent, which renders the chunk itself
        import traceback

        payload = ("error", traceback.format_exc())
    try:
        send.send(payload)
    finally:
        send.close()
