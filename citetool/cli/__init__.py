"""The citetool command line: options → API → stdout; errors → stderr + exit code.

The Typer app is in :mod:`citetool.cli.typer_app`, built from the option declarations in
:mod:`citetool.cli.fastargs`, and is imported only when it is needed: a command with ordinary
options runs without typer (:mod:`citetool.cli.fastargs`), and
``--help``/``--version`` are answered from stored text (:mod:`citetool._entry`).
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Callable
from typing import Any, NoReturn

__all__ = ["app", "guarded", "main"]


def __getattr__(name: str) -> Any:
    if name == "app":
        from .typer_app import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    """Console-script entry point: one-line errors, exit 1; usage errors exit 2.

    An ordinary command line runs its body directly (see :mod:`citetool.cli.fastargs`); every
    other one (help, completion, a typo, a value a validator refuses) goes through Typer."""
    from .fastargs import COMMANDS, parse, wants_typer

    args = sys.argv[1:]
    if args and args[0] in COMMANDS and not wants_typer():
        kwargs = parse(COMMANDS[args[0]], args[1:])
        if kwargs is not None and not small_job(args[0], kwargs):
            resume_gc()
        if kwargs is not None:
            from .common import UsageError

            try:
                guarded(lambda: COMMANDS[args[0]].body()(**kwargs))
            except UsageError as exc:  # printed as Typer prints it; the body is not run again
                from .typer_app import usage_error_from

                usage_error_from(args, exc)
            return
    resume_gc()
    from .typer_app import app

    guarded(lambda: app(prog_name="citetool"))  # standalone: Click prints usage errors, exits 2


#: inputs up to this many bytes in all make a small job (a one-record file is ~1-4 KB)
SMALL_INPUT = 64 * 1024


def small_job(command: str, kwargs: dict[str, Any]) -> bool:
    """A command that reads a few small regular files and asks for no lookup: it may run with
    the garbage collector paused (:func:`citetool._entry.pause_gc`), its garbage bounded by
    its input. Anything else (stdin, identifiers, URLs, big files, --enrich, a cluster) runs
    with it, and a small file that lists identifiers resumes it before the first lookup
    (:mod:`citetool.resolve`)."""
    if command not in ("cite", "export", "show", "check") or not kwargs.get("sources"):
        return False
    if kwargs.get("scheduler") or kwargs.get("enrich") or kwargs.get("refresh"):
        return False
    total = 0
    for source in kwargs["sources"]:
        try:
            info = os.stat(source)
        except (OSError, ValueError):
            return False  # an identifier, a URL, '-', a missing file
        if not stat.S_ISREG(info.st_mode):
            return False
        total += info.st_size
    return total <= SMALL_INPUT


def resume_gc() -> None:
    from .._entry import resume_gc as resume

    resume()


def guarded(run: Callable[[], object]) -> None:
    """Run a command the way every command runs: a :class:`~citetool.errors.CitetoolError`
    or :class:`~citetool.cli.common.Abort` becomes one line on stderr and exit 1 (2 for usage),
    Ctrl-C exit 130, a closed pipe exit 0, and a bug one line (the traceback with
    ``CITETOOL_DEBUG=1``). :class:`~citetool.cli.common.UsageError` is left to the caller."""
    from .common import Abort, UsageError, emit, failed_sources

    failed_sources.clear()
    try:
        run()
        if failed_sources:  # written what could be read; a source that could not: exit 1
            raise SystemExit(1)
    except Abort as exc:
        if not exc.message:
            raise SystemExit(exc.code) from None
        from ..errors import Diagnostic

        if exc.code == 2:
            sys.stderr.write(f"citetool: usage error: {exc.message}\n")
        else:
            emit(Diagnostic.error(exc.message))
        raise SystemExit(exc.code) from None
    except UsageError:
        raise
    except _citetool_error() as exc:  # type: ignore[misc]
        emit(exc.diagnostic)
        raise SystemExit(1) from None
    except KeyboardInterrupt:
        sys.stderr.write("citetool: interrupted\n")
        raise SystemExit(130) from None
    except BrokenPipeError:  # `citetool ... | head`: silent, as cat
        from ..io import quiet_stdout

        quiet_stdout()
        raise SystemExit(0) from None
    except OSError as exc:
        # a write to stdout that failed outside write_stdout (rich tables, Click's help)
        import errno

        if exc.errno not in (errno.ENOSPC, errno.EIO, errno.EDQUOT, errno.EFBIG, errno.EBADF):
            _internal(exc)
        from ..io import quiet_stdout

        quiet_stdout()
        sys.stderr.write(f"citetool: <stdout>: error: write failed: {exc.strerror or exc}\n")
        raise SystemExit(1) from None
    except RecursionError:
        sys.stderr.write("citetool: error: input nested too deeply\n")
        raise SystemExit(1) from None
    except MemoryError:
        sys.stderr.write("citetool: error: out of memory (input too large?)\n")
        raise SystemExit(1) from None
    except Exception as exc:  # a bug: one line for users, the traceback on request
        _internal(exc)


def _internal(exc: Exception) -> NoReturn:
    if os.environ.get("CITETOOL_DEBUG"):
        raise exc
    sys.stderr.write(
        f"citetool: internal error: {type(exc).__name__}: {exc} "
        "(set CITETOOL_DEBUG=1 for a traceback, and please report it)\n"
    )
    raise SystemExit(1) from None


def _citetool_error() -> type[Exception]:
    from ..errors import CitetoolError

    return CitetoolError
