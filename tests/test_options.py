"""Issue 17: every option is declared once (citetool.cli.fastargs) and both ways of running a
command, the fast path without typer and the Typer app, are built from that declaration.

For every option of every command, a good and a bad value are run through both paths (in this
process: ``citetool.cli.main`` with ``CITETOOL_NO_FASTPATH`` unset and set) and the exit code,
stdout and stderr must be the same. A new option without sample values fails
``test_every_option_has_samples``: add its values to GOOD/BAD below.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from citetool.cli import fastargs

BIB = """@article{doe2020,
  author = {Doe, Jane},
  title = {A title},
  journal = {Journal of Things},
  year = {2020},
}
"""

#: a good value for each option (None: a flag, given bare)
GOOD: dict[tuple[str, str], str | None] = {
    ("cite", "--style"): "mla",
    ("cite", "--locale"): "de-DE",
    ("cite", "--format"): "html",
    ("cite", "--mode"): "citation",
    ("cite", "--separate"): None,
    ("cite", "--translations"): None,
    ("cite", "--copy"): None,
    ("export", "--to"): "ris",
    ("export", "--key-pattern"): "{author}_{year}",
    ("export", "--ascii"): None,
    # without -o DIR/ (export) or --each (cite) both paths stop at the same usage error,
    # before any cluster starts
    ("export", "--scheduler"): "local:1",
    ("cite", "--scheduler"): "local:1",
    ("cite", "--each"): None,
    ("styles", "--show"): "apa",
    ("styles", "--format"): "ids",
    ("styles", "--locales"): None,
    ("*", "--output"): "out.txt",
    ("*", "--from"): "bibtex",
    ("*", "--set"): "note=checked",
    ("*", "--encoding"): "latin-1",
    ("*", "--strict"): None,
    ("*", "--keep-case"): None,
    ("*", "--offline"): None,
    ("*", "--refresh"): None,
    ("*", "--enrich"): None,
    ("*", "--mailto"): "me@example.org",
    ("*", "--doi-resolver"): "http://127.0.0.1:9",
}
#: a bad value for each option (flags: a value given to a flag)
BAD: dict[tuple[str, str], str] = {
    ("cite", "--style"): "no-such-style-anywhere",
    ("cite", "--locale"): "xx-nonsense",
    ("cite", "--format"): "docx",
    ("cite", "--mode"): "footnote",
    ("export", "--to"): "docx",
    ("export", "--key-pattern"): "{nonsense}",
    ("*", "--scheduler"): "udp://127.0.0.1:9",
    ("styles", "--show"): "no-such-style-anywhere",
    ("styles", "--format"): "xml",
    ("*", "--output"): "no-such-folder/out.txt",
    ("*", "--from"): "docx",
    ("*", "--set"): "no-equals-sign",
    ("*", "--encoding"): "rot13",
    ("*", "--mailto"): "not-an-address",
    ("*", "--doi-resolver"): "ftp://example.org",
}


def sample(table: dict[tuple[str, str], object], command: str, name: str) -> object:
    return table.get((command, name), table.get(("*", name), KeyError))


CASES = []
for _command in fastargs.COMMANDS.values():
    for _opt in _command.options:
        _name = _opt.names[0]
        _good = sample(GOOD, _command.name, _name)
        _values = [("good", [_name] if _good is None else [_name, str(_good)])]
        if _opt.kind == fastargs.FLAG:
            _values.append(("bad", [f"{_name}=yes"]))
        elif (bad := sample(BAD, _command.name, _name)) is not KeyError:
            _values.append(("bad", [_name, str(bad)]))
        for _label, _args in _values:
            CASES.append(pytest.param(_command.name, _args, id=f"{_command.name} {_label} "
                                      + " ".join(_args)))


def test_every_option_has_samples() -> None:
    for command in fastargs.COMMANDS.values():
        for opt in command.options:
            assert sample(GOOD, command.name, opt.names[0]) is not KeyError, (
                command.name, opt.names[0])
            if opt.kind != fastargs.FLAG:
                assert sample(BAD, command.name, opt.names[0]) is not KeyError, (
                    command.name, opt.names[0])


def run(args: list[str], typer: bool, monkeypatch: pytest.MonkeyPatch,
        capfd: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    from citetool.cli import main

    if typer:
        monkeypatch.setenv("CITETOOL_NO_FASTPATH", "1")
    else:
        monkeypatch.delenv("CITETOOL_NO_FASTPATH", raising=False)
    monkeypatch.setattr(sys, "argv", ["citetool", *args])
    code = 0
    try:
        main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    out, err = capfd.readouterr()
    return code, out, err


@pytest.mark.parametrize(("command", "args"), CASES)
def test_both_paths_agree(command: str, args: list[str], tmp_path: Path,
                          monkeypatch: pytest.MonkeyPatch,
                          capfd: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "refs.bib").write_text(BIB, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for var in ("CITETOOL_MAILTO", "CITETOOL_DOI_RESOLVER", "CITETOOL_DEBUG"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("CITETOOL_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("PATH", "")  # --copy finds no clipboard tool, the same way twice
    line = [command, *args] if command == "styles" else [command, "refs.bib", *args]
    results = []
    for typer in (False, True):
        for leftover in tmp_path.glob("out.txt"):
            leftover.unlink()
        results.append(run(line, typer, monkeypatch, capfd))
    fast, slow = results
    assert fast == slow, line
    assert fast[0] in (0, 1, 2)
    assert "Traceback" not in fast[2] and "internal error" not in fast[2]
    if args[0] == "--encoding" and args[1] == "rot13":
        assert fast[0] == 2 and "not a text encoding" in fast[2]


@pytest.mark.parametrize("encoding", ["klingon", "rot13", "base64", "zlib"])
def test_a_bad_encoding_is_a_usage_error(encoding: str, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch,
                                         capfd: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "refs.bib").write_text(BIB, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, err = run(["export", "refs.bib", "--encoding", encoding], False, monkeypatch,
                         capfd)
    assert (code, out) == (2, "")
    assert "Invalid value for --encoding" in err and "internal error" not in err


def test_a_validator_runs_in_both_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fast reader hands a value its validator refuses to Typer, which refuses it with
    Click's usage message: the same function decides in both."""
    assert fastargs.parse(fastargs.EXPORT, ["--encoding", "utf-8"]) is not None
    assert fastargs.parse(fastargs.EXPORT, ["--encoding", "rot13"]) is None
    assert fastargs.parse(fastargs.CITE, ["--mode", "cite"]) is not None
    assert fastargs.parse(fastargs.CITE, ["--mode", "footnote"]) is None
    monkeypatch.setenv("CITETOOL_MAILTO", "not-an-address")
    assert fastargs.parse(fastargs.CITE, []) is None
