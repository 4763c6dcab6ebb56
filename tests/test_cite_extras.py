"""`cite --translations` (APA 7 "[English title]") and `--copy` (clipboard, pyperclip#140)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from conftest import run_cli

import citetool

ITEM = {"id": "a", "type": "article-journal", "language": "pl",
        "title": "Relacje kazachsko-rosyjskie",
        "author": [{"family": "Bielicki", "given": "Paweł"}], "issued": {"date-parts": [[2020]]},
        "container-title": "Athenaeum", "volume": "66", "page": "51-71",
        "custom": {"titles": {"en": "Kazakh-Russian relations"}}}


def test_translations_bracket_the_english_title_in_apa() -> None:
    records = citetool.loads(json.dumps([ITEM])).records
    plain = citetool.render(records, "apa", output="text")[0]
    assert "[" not in plain
    from citetool.csl import render

    entry = render(records, "apa", output="text", translations=True)[0]
    # APA 7 (10.2): the original title, then the translation in square brackets
    assert entry.startswith("Bielicki, P. (2020). Relacje kazachsko-rosyjskie [Kazakh-Russian "
                            "relations]. Athenaeum, 66, 51–71")


def test_translations_skip_records_already_in_the_locale_language() -> None:
    english = dict(ITEM, language="en", title="Relations")
    records = citetool.loads(json.dumps([english])).records
    from citetool.csl import render

    assert "[" not in render(records, "apa", output="text", translations=True)[0]


def test_translations_survive_a_pipe() -> None:
    proc = run_cli("cite", "--translations", input=json.dumps([ITEM]))
    assert proc.returncode == 0
    assert "[Kazakh-Russian relations]" in proc.stdout.decode()


def test_copy_without_a_clipboard_warns_and_still_prints(tmp_path: Path) -> None:
    env = {"PATH": str(tmp_path), "DISPLAY": "", "WAYLAND_DISPLAY": ""}
    proc = run_cli("cite", "--copy", input=json.dumps([ITEM]), env=env)
    assert proc.returncode == 0
    assert proc.stdout.decode().startswith("Bielicki, P. (2020)")
    assert "--copy: no clipboard here" in proc.stderr.decode()
    assert "Traceback" not in proc.stderr.decode()


def test_copy_hands_the_printed_result_to_the_clipboard_program(tmp_path: Path) -> None:
    sink = tmp_path / "clipboard.txt"
    fake = tmp_path / "xclip"
    fake.write_text(f"#!/bin/sh\ncat > {sink}\n")
    fake.chmod(0o755)
    env = {"PATH": f"{tmp_path}{os.pathsep}{os.environ['PATH']}", "DISPLAY": ":0"}
    proc = run_cli("cite", "--copy", "--format", "html", input=json.dumps([ITEM]), env=env)
    assert proc.returncode == 0, proc.stderr
    assert sink.read_text().startswith("Bielicki, P. (2020). Relacje")
    assert proc.stderr == b""
