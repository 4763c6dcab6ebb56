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

            sys.stdout.write(f"citetool {__version__}\n")
            return
        if args in (["--help"], ["-h"]) and HELP_FILE.exists():
            sys.stdout.write(HELP_FILE.read_text(encoding="utf-8"))
            return
    try:
        from .cli import main as cli_main
    except KeyboardInterrupt:  # Ctrl-C while still importing: no traceback
        raise SystemExit(130) from None
    cli_main()


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
