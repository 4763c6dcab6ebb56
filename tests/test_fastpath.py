"""`--help`/`--version` are answered without importing typer; the stored help must be exactly
what Typer prints, so the fast path can never show stale help."""

from __future__ import annotations

import subprocess
import sys

from citetool._entry import HELP_FILE, typer_help


def test_stored_help_is_what_typer_prints() -> None:
    assert HELP_FILE.read_text(encoding="utf-8") == typer_help(), (
        "citetool/cli/help.txt is stale: run python -m citetool._entry --write-help")


def test_help_and_version_do_not_import_typer() -> None:
    code = ("import sys; sys.argv = ['citetool', '{arg}']\n"
            "from citetool._entry import main\nmain()\n"
            "assert 'typer' not in sys.modules, 'typer imported'\n")
    for arg in ("--help", "-h", "--version", "-V"):
        proc = subprocess.run([sys.executable, "-c", code.format(arg=arg)], capture_output=True,
                              text=True, check=False)
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.startswith("Usage: citetool" if "h" in arg else "citetool ")
