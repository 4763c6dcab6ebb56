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
    pause_gc()
    try:
        try:
            from .cli import main as cli_main
        except KeyboardInterrupt:  # Ctrl-C while still importing: no traceback
            raise SystemExit(130) from None
        cli_main()
    finally:
        resume_gc()


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
