"""The citetool command line (Typer). Thin: options → API → stdout; errors → stderr + exit code.

Each command lives in its own module and imports what it needs inside its body, so that
``citetool --help`` and ``citetool export`` never import the CSL engine.
"""

from __future__ import annotations

import os
import sys

import typer

from .. import __version__

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


def _register() -> None:
    from . import check, cite, export, show, styles

    for module in (show, export, cite, check, styles):
        module.register(app)


_register()


def main() -> None:
    """Console-script entry point: one-line errors, exit 1; usage errors exit 2."""
    from .common import Abort, emit

    try:
        app(prog_name="citetool")  # standalone: Click prints usage errors, exits 2
    except Abort as exc:
        if not exc.message:
            raise SystemExit(exc.code) from None
        from ..errors import Diagnostic

        if exc.code == 2:
            sys.stderr.write(f"citetool: usage error: {exc.message}\n")
        else:
            emit(Diagnostic.error(exc.message))
        raise SystemExit(exc.code) from None
    except _citetool_error() as exc:  # type: ignore[misc]
        emit(exc.diagnostic)
        raise SystemExit(1) from None
    except KeyboardInterrupt:
        sys.stderr.write("citetool: interrupted\n")
        raise SystemExit(130) from None
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise SystemExit(0) from None
    except RecursionError:
        sys.stderr.write("citetool: error: input nested too deeply\n")
        raise SystemExit(1) from None
    except MemoryError:
        sys.stderr.write("citetool: error: out of memory (input too large?)\n")
        raise SystemExit(1) from None
    except Exception as exc:  # a bug: one line for users, the traceback on request
        if os.environ.get("CITETOOL_DEBUG"):
            raise
        sys.stderr.write(
            f"citetool: internal error: {type(exc).__name__}: {exc} "
            "(set CITETOOL_DEBUG=1 for a traceback, and please report it)\n"
        )
        raise SystemExit(1) from None


def _citetool_error() -> type[Exception]:
    from ..errors import CitetoolError

    return CitetoolError
