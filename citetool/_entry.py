"""Console-script entry point with a fast path.

``citetool --help`` and ``citetool --version`` are answered from a stored text without
importing typer (whose import alone is most of the start-up); everything else goes to the
Typer app in :mod:`citetool.cli`. ``tests/test_startup.py`` checks that the stored help is
exactly what Typer prints, so the two cannot drift apart (regenerate it with
``python -m citetool._entry --write-help``).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

HELP_FILE = Path(__file__).with_name("cli") / "help.txt"


def main() -> None:
    args = sys.argv[1:]
    if not os.environ.get("CITETOOL_NO_FASTPATH"):
        if args in (["--version"], ["-V"]):
            from . import __version__

            _print(f"citetool {__version__}\n")
            return
        if args in (["--help"], ["-h"]) and HELP_FILE.exists():
            _print(HELP_FILE.read_text(encoding="utf-8"))
            return
    try:
        from .cli import main as cli_main
    except KeyboardInterrupt:  # Ctrl-C while still importing: no traceback
        raise SystemExit(130) from None
    cli_main()


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
        HELP_FILE.write_text(typer_help(), encoding="utf-8")
    else:
        main()
