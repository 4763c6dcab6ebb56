"""Copy text to the system clipboard through whichever helper program exists.

Clipboard libraries crash on headless Linux (pyperclip#140, aider#2607); here a missing
clipboard is a warning, never a failure: the result is still on stdout.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from .errors import Diagnostic

_HELPERS: list[tuple[str, list[str]]] = [
    ("pbcopy", []),
    ("clip.exe", []),
    ("clip", []),
    ("wl-copy", []),
    ("xclip", ["-selection", "clipboard"]),
    ("xsel", ["--clipboard", "--input"]),
]


def _candidates() -> list[list[str]]:
    found = []
    for name, args in _HELPERS:
        if name == "wl-copy" and not os.environ.get("WAYLAND_DISPLAY"):
            continue
        if name in ("xclip", "xsel") and not os.environ.get("DISPLAY"):
            continue
        if name.startswith("clip") and not sys.platform.startswith(("win", "cygwin")) \
                and "microsoft" not in _uname():
            continue
        path = shutil.which(name)
        if path:
            found.append([path, *args])
    return found


def _uname() -> str:
    try:
        return os.uname().release.lower()
    except AttributeError:  # pragma: no cover - Windows
        return ""


def copy_text(text: str) -> Diagnostic | None:
    """Copy ``text``; return a warning Diagnostic when no clipboard could take it."""
    candidates = _candidates()
    if not candidates:
        return Diagnostic.warning("--copy: no clipboard here (no display, or none of wl-copy, "
                                  "xclip, xsel, pbcopy, clip); the result is on stdout only")
    for command in candidates:
        try:
            subprocess.run(command, input=text.encode("utf-8"), check=True, timeout=5,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            return None
        except (OSError, subprocess.SubprocessError):
            continue
    return Diagnostic.warning(f"--copy: {os.path.basename(candidates[0][0])} failed; the result "
                              "is on stdout only")
