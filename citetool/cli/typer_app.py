"""The Typer app, built from the declarations in :mod:`citetool.cli.fastargs` (each option
declared once there: the fast path reads command lines with the same table).

Each command's body lives in its own typer-free module and imports what it needs inside, so
that ``citetool --help`` and ``citetool export`` never import the CSL engine.
"""

from __future__ import annotations

import functools
import inspect
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, Optional

import typer
import typer.main

from .. import __version__

if TYPE_CHECKING:
    from .common import UsageError
    from .fastargs import Command, Opt

app = typer.Typer(
    name="citetool",
    help=(
        "Turn bibliographic records into citations and reference-manager formats.\n\n"
        "Reads landing-page text, BibTeX/BibLaTeX, RIS and CSL-JSON/YAML (files, or stdin with "
        "'-' or a pipe); writes BibTeX, BibLaTeX, RIS, CSL-JSON/YAML and CSL citations.\n\n"
        "Examples:\n\n"
        "  citetool show examples/article-record.txt\n\n"
        "  citetool export refs.ris --to bibtex > refs.bib\n\n"
        "  cat refs.bib | citetool cite --style apa\n\n"
        "  citetool cite page.txt --style chicago-author-date --format html"
    ),
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"citetool {__version__}\n")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False,
        "--version",
        "-V",
        callback=_version,
        is_eager=True,
        help="Print the version and exit.",
    ),
) -> None:
    """citetool: records in, citations and reference-manager formats out."""


def usage_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """``command`` with :class:`~citetool.cli.common.UsageError` (raised by the typer-free
    bodies) turned into ``typer.BadParameter``, which Click prints with the usage line, exit 2."""
    from .common import UsageError

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except UsageError as exc:
            raise typer.BadParameter(exc.message, param_hint=exc.param_hint) from None

    return wrapper


def usage_error_from(args: list[str], exc: UsageError) -> NoReturn:
    """``exc``, raised by a command body that ran without Typer for the command line ``args``,
    printed as Typer prints a usage error of that command; exit 2."""
    group = typer.main.get_command(app)
    parent = typer.Context(group, info_name="citetool", **group.context_settings)
    command = group.get_command(parent, args[0])  # type: ignore[attr-defined]
    sub = command.make_context(args[0], list(args[1:]), parent=parent)
    error = typer.BadParameter(exc.message, ctx=sub, param_hint=exc.param_hint)
    error.show()  # what typer.core._main does with rich_markup_mode=None
    sys.exit(error.exit_code)


def _callback(opt: Opt) -> Callable[[Any], Any] | None:
    """The declared validator as a Click callback: its UsageError becomes Click's message."""
    validator = opt.validator
    if validator is None:
        return None
    from .common import UsageError

    def check(value: Any) -> Any:
        try:
            return validator(value)
        except UsageError as exc:
            raise typer.BadParameter(exc.message, param_hint=exc.param_hint) from None

    return check


_TYPES: dict[str, Any] = {
    "value": Optional[str],  # noqa: UP045 - typer needs Optional on 3.10
    "int": Optional[int],  # noqa: UP045
    "flag": bool,
    "multi": Optional[list[str]],  # noqa: UP045
}


def command_from(command: Command) -> Callable[..., None]:
    """A Typer command function for a declared :class:`~citetool.cli.fastargs.Command`: its
    signature made from the declarations, its body looked up when it runs."""
    argument = inspect.Parameter(
        command.argument, inspect.Parameter.POSITIONAL_OR_KEYWORD, default=None,
        annotation=Annotated[
            Optional[list[str]],  # noqa: UP045
            typer.Argument(help=command.argument_help, show_default=False,
                           metavar=command.argument_metavar),
        ])
    params = [argument]
    for opt in command.options:
        kind = str if opt.kind == "value" and opt.default is not None else _TYPES[opt.kind]
        info = typer.Option(*opt.names, help=opt.help or None, envvar=opt.envvar,
                            metavar=opt.metavar, callback=_callback(opt))
        params.append(inspect.Parameter(opt.dest, inspect.Parameter.POSITIONAL_OR_KEYWORD,
                                        default=opt.default, annotation=Annotated[kind, info]))

    def run(**kwargs: Any) -> None:
        command.body()(**kwargs)

    run.__name__ = command.name
    run.__doc__ = command.help
    run.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    run.__annotations__ = {p.name: p.annotation for p in params}
    return run


def _register() -> None:
    from .fastargs import COMMANDS

    for command in COMMANDS.values():
        app.command(command.name, help=command.help)(usage_errors(command_from(command)))


_register()
