"""Console-script entry point with a fast path.

``citetool --help`` and ``citetool --version`` are answered from a stored text without
importing typer (whose import alone is most of the start-up); everything else goes to the
Typer app in :mod:`citetool.cli`. ``tests/test_startup.py`` checks that the stored help is
exactly what Typer prints, so the two cannot drift apart (regenerate it with
``python -m citetool._entry --write-help``).
"""

from __future__ import annotations

import gc
import os
import sys

TYPE_CHECKING = False  # typing itself is ~3 ms of --version
if TYPE_CHECKING:
    from typing import Any

#: a plain path: pathlib (with urllib.parse and ipaddress behind it) is ~2 ms of --version
HELP_PATH = os.path.join(os.path.dirname(__file__), "cli", "help.txt")

_gc_paused = False
#: the collector was still paused when main() ended: the job stayed small (see run())
_ended_small = False


def main() -> None:
    args = sys.argv[1:]
    if not os.environ.get("CITETOOL_NO_FASTPATH"):
        if args in (["--version"], ["-V"]):
            from . import __version__

            _print(f"citetool {__version__}\n")
            return
        if args in (["--help"], ["-h"]) and os.path.exists(HELP_PATH):
            with open(HELP_PATH, encoding="utf-8") as handle:
                _print(handle.read())
            return
    global _ended_small
    pause_gc()
    try:
        try:
            from .cli import main as cli_main
        except KeyboardInterrupt:  # Ctrl-C while still importing: no traceback
            raise SystemExit(130) from None
        cli_main()
    finally:
        _ended_small = _gc_paused
        resume_gc()


def run() -> None:
    """The console script (and ``python -m citetool``): :func:`main`, after which a small job
    ends its process at once (:func:`_end_now`)."""
    try:
        main()
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            _end_now(exc.code or 0)
        raise
    _end_now(0)


def _end_now(code: int) -> None:
    """End the process without the interpreter's teardown, for a job that stayed small.

    At exit CPython collects every object the job made (the collector was paused: ~100,000
    objects, mostly the parsed style and modules) and then frees the modules one by one, ~15 ms
    of a one-record ``cite``, a fifth of its time, to give memory back to a process that is
    ending anyway. A small job has written all it writes (files atomically, before returning),
    started no thread or process and registered no exit handler of its own, so after stdout and
    stderr are flushed nothing is left to do. Anything else returns, and the process ends as
    usual: a job that resumed the collector (bigger inputs, lookups), a live thread or child,
    or a flush that fails (its error is then reported by the usual exit)."""
    if not _ended_small:
        return
    if "threading" in sys.modules and sys.modules["threading"].active_count() > 1:
        return
    multiprocessing = sys.modules.get("multiprocessing")
    if multiprocessing is not None and multiprocessing.active_children():
        return
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        return
    os._exit(code)


def pause_gc() -> None:
    """Pause the cyclic garbage collector while citetool starts.

    Start-up makes ~30,000 objects the collector tracks (modules, classes, the parsed style),
    nearly all long-lived and none of them cyclic garbage, yet it collects ~40 times while
    they are made: ~5 ms of a one-record ``cite``. :func:`citetool.cli.main` calls
    :func:`resume_gc` as soon as the command turns out to be more than a small job (a big or
    unbounded input, a cluster), and so does :mod:`citetool.resolve` before any lookup, so
    only short runs with garbage bounded by their input go without it."""
    global _gc_paused
    if gc.isenabled():
        gc.disable()
        _gc_paused = True


def resume_gc() -> None:
    """Undo :func:`pause_gc` (nothing if it did not pause the collector)."""
    global _gc_paused
    if _gc_paused:
        _gc_paused = False
        gc.enable()


def _print(text: str) -> None:
    """Help or version on stdout; ``| true`` (a reader that left) is silent, a closed or full
    stdout one line and exit 1."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    except (OSError, AttributeError, ValueError):
        pass  # the failure again, through the one writer that words it (not at start-up cost)
    from .errors import WriteError
    from .io import write_stdout

    try:
        write_stdout(text)
    except WriteError as exc:
        sys.stderr.write(f"citetool: {exc.diagnostic.format()}\n")
        raise SystemExit(1) from None


def __getattr__(name: str) -> Any:
    if name == "HELP_FILE":  # the stored help as a Path, for tests and tools
        from pathlib import Path

        return Path(HELP_PATH)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def typer_help() -> str:
    """The top-level help as Typer prints it (80 columns, as in a pipe)."""
    import subprocess

    env = {**os.environ, "CITETOOL_NO_FASTPATH": "1", "COLUMNS": "80", "TERM": "dumb"}
    env.pop("NO_COLOR", None)
    proc = subprocess.run([sys.executable, "-c", "from citetool._entry import main; main()",
                           "--help"], capture_output=True, text=True, env=env, check=True)
    return proc.stdout


if __name__ == "__main__":
    if sys.argv[1:] == ["--write-help"]:
        with open(HELP_PATH, "w", encoding="utf-8") as out:
            out.write(typer_help())
    else:
        main()
