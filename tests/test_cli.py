"""The CLI as a user meets it: real subprocesses, stdout and stderr kept apart."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_cli

ITEM = {"id": "doe2020", "type": "book", "title": "A [Bracketed] Title",
        "author": [{"family": "Doe", "given": "Jane"}], "issued": {"date-parts": [[2020]]}}


def test_version_goes_to_stdout() -> None:
    proc = run_cli("--version")
    assert proc.returncode == 0
    assert proc.stdout.decode().startswith("citetool ")


def test_help_lists_commands_and_examples() -> None:
    proc = run_cli("--help")
    out = proc.stdout.decode()
    assert proc.returncode == 0
    for command in ("show", "export", "cite", "check", "styles"):
        assert command in out
    assert "Examples" in out


def test_export_stdin_to_stdout_is_pure_json() -> None:
    proc = run_cli("export", "--to", "csljson", input=json.dumps([ITEM]))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == [ITEM]
    assert proc.stderr == b""


def test_export_without_options_reads_stdin_and_writes_csljson() -> None:
    proc = run_cli("export", input=json.dumps([ITEM]))
    assert proc.returncode == 0
    assert json.loads(proc.stdout)[0]["id"] == "doe2020"


def test_set_fills_and_corrects_fields() -> None:
    proc = run_cli("export", "-", "--set", "DOI=10.1/X", "--set", "issued=2021-03",
                   "--set", "author=Kowalski, Jan; van der Berg, Piet", input=json.dumps([ITEM]))
    item = json.loads(proc.stdout)[0]
    assert item["DOI"] == "10.1/X"
    assert item["issued"] == {"date-parts": [[2021, 3]]}
    assert item["author"] == [{"family": "Kowalski", "given": "Jan"},
                              {"family": "Berg", "given": "Piet",
                               "non-dropping-particle": "van der"}]


def test_bad_input_is_one_line_on_stderr_and_exit_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('[{"id": "a",,}]')
    proc = run_cli("export", str(bad), "--to", "csljson")
    assert proc.returncode == 1
    assert proc.stdout == b""
    err = proc.stderr.decode()
    assert "Traceback" not in err
    assert err.splitlines()[0].startswith(f"citetool: {bad}:1: error: invalid JSON")


def test_missing_file_exit_1() -> None:
    proc = run_cli("export", "no/such/file.bib")
    assert proc.returncode == 1
    assert "no/such/file.bib: error: no such file" in proc.stderr.decode()


def test_usage_errors_exit_2() -> None:
    assert run_cli("export", "--no-such-option").returncode == 2
    proc = run_cli("export", "--to", "nonsense", input="[]")
    assert proc.returncode == 2
    assert "unknown format" in proc.stderr.decode()
    assert run_cli("export", "--set", "novalue", input=json.dumps([ITEM])).returncode == 2


def test_batch_with_a_bad_item_keeps_the_good_ones_and_strict_fails() -> None:
    data = json.dumps([ITEM, {"id": "x", "author": "Smith"}])
    proc = run_cli("export", input=data)
    assert proc.returncode == 0
    assert [i["id"] for i in json.loads(proc.stdout)] == ["doe2020"]
    assert "'author'" in proc.stderr.decode()
    strict = run_cli("export", "--strict", input=data)
    assert strict.returncode == 1 and strict.stdout == b""


def test_output_file_is_written_and_format_follows_its_suffix(tmp_path: Path) -> None:
    out = tmp_path / "refs.yaml"
    proc = run_cli("export", "-o", str(out), input=json.dumps([ITEM]))
    assert proc.returncode == 0 and proc.stdout == b""
    assert out.read_text().startswith("---\nreferences:")
    assert [p.name for p in tmp_path.iterdir()] == ["refs.yaml"]


def test_failed_run_leaves_existing_output_untouched(tmp_path: Path) -> None:
    out = tmp_path / "refs.json"
    out.write_bytes(b"precious")
    proc = run_cli("export", "-o", str(out), input="{not json")
    assert proc.returncode == 1
    assert out.read_bytes() == b"precious"
    assert [p.name for p in tmp_path.iterdir()] == ["refs.json"]


def test_show_in_a_pipe_prints_plain_unwrapped_text() -> None:
    long_title = "A " + "very " * 40 + "[long] title"
    item = dict(ITEM, title=long_title)
    proc = run_cli("show", input=json.dumps([item]))
    assert proc.returncode == 0
    out = proc.stdout.decode()
    assert f"title: {long_title}" in out.splitlines()
    assert "\x1b[" not in out


def test_check_reports_missing_fields_and_exit_code() -> None:
    proc = run_cli("check", input=json.dumps([ITEM]))
    err = proc.stderr.decode()
    assert "no DOI" in err and "doe2020" in err
    assert proc.returncode == 0
    assert run_cli("check", "--strict", input=json.dumps([ITEM])).returncode == 1
    bad = dict(ITEM, ISSN="1505-2193")
    proc = run_cli("check", input=json.dumps([bad]))
    assert proc.returncode == 1 and "check digit" in proc.stderr.decode()


def test_duplicate_ids_across_sources_are_renamed_and_reported(tmp_path: Path) -> None:
    a = tmp_path / "a.json"
    b = tmp_path / "b.json"
    a.write_text(json.dumps([ITEM]))
    b.write_text(json.dumps([ITEM]))
    proc = run_cli("export", str(a), str(b))
    assert [i["id"] for i in json.loads(proc.stdout)] == ["doe2020", "doe2020-2"]
    assert "duplicate id 'doe2020' renamed to 'doe2020-2'" in proc.stderr.decode()
