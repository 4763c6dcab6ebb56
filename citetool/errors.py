"""Errors and diagnostics.

Recoverable problems are data (:class:`Diagnostic`) returned beside results; exceptions
are raised only when nothing useful can be returned.  Every exception citetool raises on
bad input is a :class:`CitetoolError`, which the CLI turns into one line on stderr and
exit code 1.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from enum import IntEnum

from .frozen import Frozen


class Level(IntEnum):
    INFO = 10
    WARNING = 20
    ERROR = 30

    def __str__(self) -> str:
        return self.name.lower()


#: record ids a summary names (the rest is counted and shown as "...")
SHOWN_IDS = 3


#: how the frozen classes below set their fields in ``__init__``
_set = object.__setattr__


class Payload(Frozen):
    """What a diagnostic is about, for programs (the message is for people): the record id,
    the field and the kind of problem.

    A *summary* (one line for many occurrences: "RIS has no place for ORCID: 9 records (a, b,
    c, ...)") also carries its numbers, its first record ids and the function that words it;
    summaries of parts of one job (batches, chunks, files) are merged by adding their numbers
    (:class:`Summaries`), never by reading their text."""

    _FIELDS = ("kind", "record", "field", "target", "counts", "ids", "words")
    __slots__ = __match_args__ = _FIELDS

    kind: str
    record: str | None
    field: str | None
    #: the format concerned (what a writer's target cannot hold)
    target: str | None
    #: a summary's numbers (summed on merging) and first record ids
    counts: tuple[int, ...]
    ids: tuple[str, ...]
    #: a summary's wording from its payload (a module-level function: it travels by pickle)
    words: Callable[[Payload], str] | None

    def __init__(
        self, kind: str = "", record: str | None = None, field: str | None = None,
        target: str | None = None, counts: tuple[int, ...] = (), ids: tuple[str, ...] = (),
        words: Callable[[Payload], str] | None = None,
    ) -> None:
        _set(self, "kind", kind)
        _set(self, "record", record)
        _set(self, "field", field)
        _set(self, "target", target)
        _set(self, "counts", counts)
        _set(self, "ids", ids)
        _set(self, "words", words)


def shown_ids(count: int, ids: Iterable[str]) -> str:
    """``a, b, c, ...``: the first ids of ``count``."""
    first = list(ids)[:SHOWN_IDS]
    return ", ".join(first) + (", ..." if count > len(first) else "")


class Diagnostic(Frozen):
    """One problem, located as precisely as the reader knows."""

    _FIELDS = ("level", "message", "source", "line", "code", "payload")
    __slots__ = __match_args__ = _FIELDS

    level: Level
    message: str
    source: str | None
    line: int | None
    code: str
    payload: Payload | None

    def __init__(
        self, level: Level, message: str, source: str | None = None, line: int | None = None,
        code: str = "", payload: Payload | None = None,
    ) -> None:
        _set(self, "level", level)
        _set(self, "message", message)
        _set(self, "source", source)
        _set(self, "line", line)
        _set(self, "code", code)
        _set(self, "payload", payload)

    @classmethod
    def summary(cls, level: Level, payload: Payload, source: str | None = None,
                line: int | None = None, code: str = "") -> Diagnostic:
        """A diagnostic worded by ``payload.words`` (see :class:`Payload`)."""
        assert payload.words is not None
        return cls(level, payload.words(payload), source, line, code, payload)

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
        cls, message: str, source: str | None = None, line: int | None = None, code: str = "",
        payload: Payload | None = None,
    ) -> Diagnostic:
        return cls(Level.ERROR, message, source, line, code, payload)

    @classmethod
    def warning(
        cls, message: str, source: str | None = None, line: int | None = None, code: str = "",
        payload: Payload | None = None,
    ) -> Diagnostic:
        return cls(Level.WARNING, message, source, line, code, payload)

    @classmethod
    def info(
        cls, message: str, source: str | None = None, line: int | None = None, code: str = "",
        payload: Payload | None = None,
    ) -> Diagnostic:
        return cls(Level.INFO, message, source, line, code, payload)


class Summaries:
    """Summaries (:meth:`Diagnostic.summary`) of the parts of one job merged into one per
    kind: numbers added, first ids kept, the first line kept, worded again."""

    def __init__(self) -> None:
        self.kinds: dict[tuple[object, ...], Diagnostic] = {}

    def absorb(self, diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
        """Keep the summaries; return the other diagnostics."""
        others = []
        for d in diagnostics:
            p = d.payload
            if p is None or p.words is None:
                others.append(d)
                continue
            key = (d.level, d.code, d.source, p.kind, p.field, p.target)
            held = self.kinds.get(key)
            if held is not None and held.payload is not None:
                q = held.payload
                counts = tuple(a + b for a, b in zip(q.counts, p.counts, strict=True))
                ids = (q.ids + p.ids)[:SHOWN_IDS]
                d = held.replace(payload=q.replace(counts=counts, ids=ids))
            self.kinds[key] = d
        return others

    def diagnostics(self) -> list[Diagnostic]:
        """The merged summaries, worded, in the order their kinds first came."""
        out = []
        for d in self.kinds.values():
            assert d.payload is not None and d.payload.words is not None
            out.append(d.replace(message=d.payload.words(d.payload)))
        return out


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
