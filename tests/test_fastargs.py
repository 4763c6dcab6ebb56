"""``citetool cite`` and ``export`` run without typer for ordinary command lines
(citetool.cli.fastargs).

The fast reader must never disagree with Typer: its option table is checked against the options
Typer declares, and for a corpus of command lines it must hand the body exactly what Typer
hands it, or decline (``None``) so that Typer reads the line. Usage errors found by the body
are printed exactly as Typer prints them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer.main

from citetool.cli import citing, exporting, fastargs
from citetool.cli.typer_app import app

SEED = Path(__file__).parent.parent / "examples" / "article-record.txt"


def typer_params(command: str) -> dict[str, Any]:
    group = typer.main.get_command(app)
    ctx = typer.Context(group, info_name="citetool")
    return {p.name: p for p in group.get_command(ctx, command).params}  # type: ignore[attr-defined]


@pytest.mark.parametrize("command", sorted(fastargs.COMMANDS))
def test_table_matches_typer_declarations(command: str) -> None:
    spec = fastargs.COMMANDS[command]
    params = typer_params(command)
    table = {opt.dest: opt for opt in spec.options}
    assert set(params) == set(table) | {spec.argument}
    argument = params[spec.argument]
    assert argument.param_type_name == "argument" and argument.nargs == -1
    for dest, opt in table.items():
        param = params[dest]
        assert tuple(param.opts) == opt.names, dest
        assert not param.secondary_opts, dest  # no --no-x spellings to read
        kind = fastargs.FLAG if param.is_flag else (
            fastargs.MULTI if param.multiple else fastargs.VALUE)
        assert kind == opt.kind, dest
        assert param.default == opt.default or (not param.default and not opt.default), dest
        assert param.envvar == opt.envvar, dest
    # no short option is a flag, so '-Sapa' can only mean '-S apa' (the reader relies on it)
    assert all(opt.kind != fastargs.FLAG for opt in table.values()
               for name in opt.names if not name.startswith("--"))


COMMAND_LINES = [
    [],
    ["refs.bib"],
    ["-"],
    ["a.bib", "b.ris", "--style", "mla"],
    ["--style", "chicago-author-date", "a.bib"],
    ["--style=ieee", "a.bib", "--mode", "citation", "--separate"],
    ["-S", "apa", "-l", "pl-PL", "-F", "html", "-o", "out.html", "a.bib"],
    ["-Sapa", "-lde", "a.bib"],
    ["a.bib", "-s", "DOI=10.1/x", "--set", "author=Doe, Jane", "--set=note=x=y"],
    ["--from", "bibtex", "--encoding", "cp1250", "--strict", "--", "-weird-name.bib"],
    ["--offline", "--enrich", "--mailto", "me@example.org", "--doi-resolver",
     "http://127.0.0.1:9"],
    ["--translations", "--copy", "a.bib"],
    ["a.bib", "--", "--style", "x"],
    ["--output", "-", "a.bib"],
    ["--mode", "bib", "--format", "markdown"],
    ["--style", ""],
    ["--style", "apa", "--style", "mla", "--strict", "--strict", "-S", "ieee"],
    ["-o", "x.txt", "--output=y.html", "a.bib", "b.bib", "-"],
    ["--locale=", "--set=", "a.bib"],
]
#: lines the fast reader leaves to Typer (help, errors, and values that look like options,
#: which Click would take as values: '--style --mode' is style '--mode')
DECLINED = [
    ["--help"],
    ["a.bib", "-h"],
    ["--stlye", "apa"],
    ["--style"],
    ["--style", "--mode", "citation"],
    ["--strict=yes"],
    ["-S=apa"],
    ["-x"],
    ["--to", "bibtex"],
    ["-5"],
]

EXPORT_LINES = [
    ["refs.bib", "--to", "ris"],
    ["-t", "bibtex", "--key-pattern", "{author}{year}", "--ascii", "a.ris", "b.json"],
    ["--to=csljson", "-o", "out.json", "-", "--set", "note=x", "--strict"],
    ["-tbiblatex", "--from", "bibtex", "--encoding=cp1250", "--", "-odd.bib"],
    ["--offline", "--enrich", "--mailto=me@example.org", "10.15804/athena.2020.66.04"],
]
EXPORT_DECLINED = [
    ["--help"],
    ["--style", "apa"],  # an option of cite, not of export
    ["--to"],
    ["--key-pattern", "--ascii"],
    ["--ascii=1"],
]


CASES = [("cite", a, a in DECLINED) for a in COMMAND_LINES + DECLINED] + [
    ("export", a, a in EXPORT_DECLINED) for a in EXPORT_LINES + EXPORT_DECLINED]


@pytest.mark.parametrize(("command", "args", "declined"), CASES,
                         ids=lambda v: " ".join(v) if isinstance(v, list) else str(v))
def test_same_values_as_typer(command: str, args: list[str], declined: bool,
                              monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("CITETOOL_MAILTO", "CITETOOL_DOI_RESOLVER"):
        monkeypatch.delenv(var, raising=False)
    fast = fastargs.parse(fastargs.COMMANDS[command], args)
    seen: dict[str, Any] = {}
    body = citing if command == "cite" else exporting
    monkeypatch.setattr(body, command, lambda **kwargs: seen.update(kwargs))
    try:
        app([command, *args], prog_name="citetool", standalone_mode=False)
    except typer.Exit:
        pass
    except Exception as exc:  # a usage error in Typer: the fast reader must decline too
        assert fast is None, (args, exc)
        return
    assert (fast is None) == declined, f"{'declined' if fast is None else 'read'}: {args}"
    if fast is not None:
        assert fast == seen


def test_environment_variables_as_typer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CITETOOL_MAILTO", "env@example.org")
    monkeypatch.setenv("CITETOOL_DOI_RESOLVER", "")
    seen: dict[str, Any] = {}
    monkeypatch.setattr(citing, "cite", lambda **kwargs: seen.update(kwargs))
    for args in (["a.bib"], ["a.bib", "--mailto", "cli@example.org"]):
        seen.clear()
        app(["cite", *args], prog_name="citetool", standalone_mode=False)
        assert fastargs.parse(fastargs.CITE, args) == seen


def run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k != "CITETOOL_NO_FASTPATH"}
    environ.update(env)
    code = ("import sys\nsys.argv = ['citetool', *sys.argv[1:]]\n"
            "from citetool._entry import main\n"
            "try:\n    main()\nfinally:\n"
            "    sys.stderr.write('typer imported\\n' if 'typer' in sys.modules else '')\n")
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          env=environ, stdin=subprocess.DEVNULL, timeout=120, check=False)


@pytest.mark.parametrize(("args", "start"), [
    (["export", "--to", "bibtex"], "@article{bielicki2020relacje,"),
    (["cite", "--style", "apa"], "Bielicki, P. (2020). Relacje kazachsko-rosyjskie"),
])
def test_commands_run_without_typer(args: list[str], start: str) -> None:
    command, *options = args
    fast = run([command, str(SEED), *options])
    assert fast.returncode == 0, fast.stderr
    assert "typer imported" not in fast.stderr
    assert fast.stdout.startswith(start)
    slow = run([command, str(SEED), *options], CITETOOL_NO_FASTPATH="1")
    assert "typer imported" in slow.stderr
    assert (slow.stdout, slow.stderr.replace("typer imported\n", "")) == (
        fast.stdout, fast.stderr)


@pytest.mark.parametrize("args", [
    ["--format", "bogus"],
    ["--mode", "nonsense"],
    ["-s", "no-equals-sign"],
    ["--mailto", "not-an-address"],
    ["--doi-resolver", "ftp://example.org"],
    ["--to", "bogus"],  # export
    ["--key-pattern", "{nonsense}"],
    ["-o", "refs.unknown-suffix"],
])
def test_usage_errors_exactly_as_typer(args: list[str]) -> None:
    command = "export" if args[0] in ("--to", "--key-pattern", "-o") else "cite"
    fast = run([command, str(SEED), *args])
    slow = run([command, str(SEED), *args], CITETOOL_NO_FASTPATH="1")
    assert fast.returncode == slow.returncode == 2
    assert fast.stdout == slow.stdout == ""
    assert fast.stderr.replace("typer imported\n", "") == slow.stderr.replace(
        "typer imported\n", "")
    assert "Error: Invalid value for" in fast.stderr and "Traceback" not in fast.stderr


def test_declined_lines_reach_typer() -> None:
    proc = run(["cite", "--stlye", "apa", str(SEED)])
    assert proc.returncode == 2
    assert "No such option: --stlye" in proc.stderr
    help_ = run(["cite", "--help"])
    assert help_.returncode == 0 and "--style" in help_.stdout
