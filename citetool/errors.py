"""Errors and diagnostics.

Recoverable problems are data (:class:`Diagnostic`) returned beside results; exceptions
are raised only when nothing useful can be returned.  Every exception citetool raises on
bad input is a :class:`CitetoolError`, which the CLI turns into one line on stderr and
exit code 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class Level(IntEnum):
    INFO = 10
    WARNING = 20
    ERROR = 30

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem, located as precisely as the reader knows."""

    level: Level
    message: str
    source: str | None = None
    line: int | None = None
    code: str = ""

    def format(self) -> str:
        """``refs.bib:12: error: unbalanced braces`` — the one-line form for stderr."""
        where = ""
        if self.source:
            where = self.source + (f":{self.line}" if self.line else "") + ": "
        elif self.line:
            where = f"line {self.line}: "
        text = f"{where}{self.level}: {self.message}"
        # one problem, one line: input quoted in a message (a key with a line break, a
        # stray carriage return) must not split it
        return text.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\r")

    @classmethod
    def error(
        cls, message: str, source: str | None = None, line: int | None = None, code: str = ""
    ) -> Diagnostic:
        return cls(Level.ERROR, message, source, line, code)

    @classmethod
    def warning(
        cls, message: str, source: str | None = None, line: int | None = None, code: str = ""
    ) -> Diagnostic:
        return cls(Level.WARNING, message, source, line, code)

    @classmethod
    def info(
        cls, message: str, source: str | None = None, line: int | None = None, code: str = ""
    ) -> Diagnostic:
        return cls(Level.INFO, message, source, line, code)


class CitetoolError(Exception):
    """Base of every error citetool raises for bad input or a failed operation."""

    def __init__(self, message: str, source: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.source = source
        self.line = line

    @property
    def diagnostic(self) -> Diagnostic:
        return Diagnostic.error(self.message, self.source, self.line)

    def __str__(self) -> str:
        return self.diagnostic.format().replace("error: ", "", 1)


class ReadError(CitetoolError):
    """Input that cannot be read as the format it claims (or was sniffed) to be."""


class WriteError(CitetoolError):
    """Output that cannot be produced or stored."""


class FormatError(CitetoolError):
    """An unknown format name, or input whose format cannot be detected."""


class StyleError(CitetoolError):
    """A CSL style or locale that cannot be found or used."""


class NetworkError(CitetoolError):
    """A lookup that needed the network failed (or was forbidden with --offline)."""
