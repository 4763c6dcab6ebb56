"""``citetool cite`` and ``citetool export`` without typer: an argument reader for ordinary
command lines.

Importing typer (and the click it carries) is about a fifth of a one-record ``citetool cite``.
This module reads the command lines people and scripts actually type — options before, after
or between the sources, ``--opt value``, ``--opt=value``, ``-S value``, ``-Svalue``, ``--`` — and
hands the values to the command's body (:func:`citetool.cli.citing.cite`,
:func:`citetool.cli.exporting.export`) exactly as Typer would.
Anything else (``--help``, an unknown or misspelt option, a missing value, a value that looks
like an option, shell completion) returns ``None``, and the caller hands the whole command line
to Typer, which then answers as it always does. So this reader can only ever accept less than
Typer does, never more or differently.

``tests/test_fastargs.py`` checks each table against the options Typer declares for the command
(names, flags, repeatable options, defaults, environment variables) and, for a corpus of command
lines, that the values given to the body are the ones Typer gives it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

VALUE, FLAG, MULTI = "value", "flag", "multi"


class Opt:
    """One option: the body's keyword, its spellings, its kind, default and environment
    variable. (A plain class: a dataclass costs ~1 ms to create at start-up.)"""

    __slots__ = ("dest", "names", "kind", "default", "envvar")

    def __init__(self, dest: str, names: tuple[str, ...], kind: str = VALUE,
                 default: Any = None, envvar: str | None = None) -> None:
        self.dest = dest  #: the body's keyword
        self.names = names  #: ``--long`` and ``-s`` spellings
        self.kind = kind  #: VALUE (one string), FLAG (bool), MULTI (repeatable, a list)
        self.default = default
        self.envvar = envvar


class Command:
    """A command's body (``module:function`` under :mod:`citetool.cli`, typer-free), its
    positional argument (a list, or None) and options."""

    __slots__ = ("name", "target", "argument", "options")

    def __init__(self, name: str, target: str, argument: str,
                 options: tuple[Opt, ...]) -> None:
        self.name = name
        self.target = target
        self.argument = argument  #: the body's keyword for the positional arguments
        self.options = options

    def body(self) -> Callable[..., None]:
        """The command's body, imported now."""
        from importlib import import_module

        module, _, function = self.target.partition(":")
        return getattr(import_module(f"citetool.cli.{module}"), function)  # type: ignore[no-any-return]

    def lookup(self) -> dict[str, Opt]:
        return {name: opt for opt in self.options for name in opt.names}


#: the options every reading command shares (citetool.cli.options), in Typer's order
SOURCE_OPTIONS = (
    Opt("output", ("--output", "-o")),
    Opt("from_", ("--from", "-f")),
    Opt("set_", ("--set", "-s"), MULTI),
    Opt("encoding", ("--encoding",)),
    Opt("strict", ("--strict",), FLAG, False),
    Opt("offline", ("--offline",), FLAG, False),
    Opt("enrich", ("--enrich",), FLAG, False),
    Opt("mailto", ("--mailto",), envvar="CITETOOL_MAILTO"),
    Opt("doi_resolver", ("--doi-resolver",), envvar="CITETOOL_DOI_RESOLVER"),
)

CITE = Command(
    name="cite",
    target="citing:cite",
    argument="sources",
    options=(
        Opt("style", ("--style", "-S"), default="apa"),
        Opt("locale", ("--locale", "-l")),
        Opt("format_", ("--format", "-F")),
        Opt("mode", ("--mode", "-m"), default="bibliography"),
        Opt("separate", ("--separate",), FLAG, False),
        *SOURCE_OPTIONS,
        Opt("translations", ("--translations",), FLAG, False),
        Opt("copy", ("--copy",), FLAG, False),
        Opt("each", ("--each",), FLAG, False),
        Opt("scheduler", ("--scheduler",)),
    ),
)

EXPORT = Command(
    name="export",
    target="exporting:export",
    argument="sources",
    options=(
        Opt("to", ("--to", "-t")),
        *SOURCE_OPTIONS,
        Opt("key_pattern", ("--key-pattern",)),
        Opt("ascii_", ("--ascii",), FLAG, False),
        Opt("scheduler", ("--scheduler",)),
    ),
)

COMMANDS = {CITE.name: CITE, EXPORT.name: EXPORT}


def parse(command: Command, args: list[str]) -> dict[str, Any] | None:
    """The body's keyword arguments for ``args`` (what follows the command name), or ``None``
    when the command line is anything but ordinary (then Typer must read it)."""
    table = command.lookup()
    values: dict[str, Any] = {}
    positional: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg == "--":
            positional.extend(args[i:])
            break
        if arg == "-" or not arg.startswith("-"):
            positional.append(arg)
            continue
        value: str | None = None
        if arg.startswith("--"):
            name, eq, inline = arg.partition("=")
            if eq:
                value = inline
        else:  # -S value or -Svalue (no short option of ours is a flag, so no -ab bundles)
            name, rest = arg[:2], arg[2:]
            if rest:
                if rest.startswith("="):
                    return None  # click would take '=value' literally; let it
                value = rest
        opt = table.get(name)
        if opt is None:
            return None  # --help, a typo, an option of another command: Typer answers
        if opt.kind == FLAG:
            if value is not None:
                return None
            values[opt.dest] = True
            continue
        if value is None:
            if i >= len(args) or (args[i].startswith("-") and args[i] != "-"):
                return None  # missing value, or one that looks like an option
            value = args[i]
            i += 1
        if opt.kind == MULTI:
            values.setdefault(opt.dest, []).append(value)
        else:
            values[opt.dest] = value
    out: dict[str, Any] = {command.argument: positional or None}
    for opt in command.options:
        if opt.dest in values:
            out[opt.dest] = values[opt.dest]
        elif opt.envvar and os.environ.get(opt.envvar):
            out[opt.dest] = os.environ[opt.envvar]
        else:
            out[opt.dest] = opt.default
    return out


def wants_typer() -> bool:
    """Shell completion and the switch that turns every fast path off go to Typer."""
    return bool(os.environ.get("CITETOOL_NO_FASTPATH")) or any(
        key.startswith("_CITETOOL_COMPLETE") for key in os.environ
    )
