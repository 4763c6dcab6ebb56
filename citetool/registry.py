"""Registries of readers and writers, keyed by name, alias, file suffix and sniffing.

Formats are registered with *import paths* (``"citetool.readers.bibtex:read"``) so that
looking a format up never imports its parser: ``citetool export x.json`` does not pay for
bibtexparser, and ``--help`` pays for nothing.

Reader contract: ``read(text: str, source: str, **options) -> ReadResult``.
Writer contract: ``write(records: Sequence[Record], **options) -> WriteResult``.
Both are pure functions of strings; I/O lives in :mod:`citetool.io`.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol

from .errors import Diagnostic, FormatError
from .io import path_text
from .model import Record


class _Result:
    """Equality and repr by the slots, as a dataclass has them. The results (and the other
    classes of this module) are plain classes: creating a dataclass is ~0.4-0.7 ms at every
    start-up, over a tenth of what reading one record costs."""

    __slots__: tuple[str, ...] = ()

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and all(
            getattr(self, name) == getattr(other, name) for name in self.__slots__)

    __hash__ = None  # type: ignore[assignment]  # mutable, as a dataclass without frozen

    def __repr__(self) -> str:
        values = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__name__}({values})"


class ReadResult(_Result):
    __slots__ = ("records", "diagnostics", "lines")

    def __init__(self, records: list[Record] | None = None,
                 diagnostics: list[Diagnostic] | None = None,
                 lines: list[int] | None = None) -> None:
        self.records: list[Record] = [] if records is None else records
        self.diagnostics: list[Diagnostic] = [] if diagnostics is None else diagnostics
        #: the line each record starts on, when a chunk reader says (see :class:`Chunker`)
        self.lines: list[int] = [] if lines is None else lines


class WriteResult(_Result):
    __slots__ = ("text", "diagnostics")

    def __init__(self, text: str = "", diagnostics: list[Diagnostic] | None = None) -> None:
        self.text = text
        self.diagnostics: list[Diagnostic] = [] if diagnostics is None else diagnostics


Reader = Callable[..., ReadResult]
Writer = Callable[..., WriteResult]
Sniffer = Callable[[str], bool]


class Join:
    """How a format's writer joins records into a file: ``head``, the records' text with
    ``separator`` between them, ``tail``. Output written a batch at a time is joined the
    same way, so it is byte for byte what the whole-file writer makes
    (:class:`citetool.stream.StreamWriter`). Read-only by convention; a plain class, as
    :class:`Format`."""

    __slots__ = ("head", "separator", "tail", "separator_option", "keyed")

    def __init__(self, head: str = "", separator: str = "", tail: str = "",
                 separator_option: str | None = None, keyed: bool = False) -> None:
        self.head = head
        self.separator = separator
        self.tail = tail
        #: the writer's option that sets the separator, if any (RIS: ``newline``)
        self.separator_option = separator_option
        #: keys unique over the whole output (BibTeX): written as placeholders, filled in at
        #: the end
        self.keyed = keyed

    def body(self, text: str) -> str:
        """The records' part of a writer's output for a batch."""
        if not (text.startswith(self.head) and text.endswith(self.tail)):
            raise RuntimeError("writer output does not have its declared head and tail")
        return text[len(self.head) : len(text) - len(self.tail)]

    def between(self, options: dict[str, Any]) -> str:
        if self.separator_option is None:
            return self.separator
        return str(options.get(self.separator_option, self.separator))


class Chunk(Protocol):
    """A piece of a source of whole entries, cut without parsing: picklable (it may be read
    in another process); ``end`` is where it ends in the source (for progress)."""

    end: int


class Stitch(Protocol):
    """What joins chunks read apart into what reading the whole source gives: the rules that
    span entries (duplicate keys and ids, numbering). Called in order, in one process."""

    def fix(self, chunk: Any, result: ReadResult) -> ReadResult:
        """The chunk's records and diagnostics as whole-file reading has them."""
        ...

    def fits(self, chunk: Any, names: list[tuple[str, str]], lines: list[int]
             ) -> list[Diagnostic] | None:
        """For a chunk read (and written) elsewhere, whose records have these (id, key)
        pairs and lines (:attr:`ReadResult.lines`): None if :meth:`fix` would change a
        record (then the chunk is read here and fixed); else what :meth:`fix` would add,
        with its bookkeeping done."""
        ...


class NoStitch:
    """The stitch of a format in which nothing spans entries (repeated ids are renamed by
    the caller, :class:`citetool.stream.UniqueIds`)."""

    def fix(self, chunk: Any, result: ReadResult) -> ReadResult:
        return result

    def fits(self, chunk: Any, names: list[tuple[str, str]], lines: list[int]
             ) -> list[Diagnostic] | None:
        return []


class Chunker(Protocol):
    """How a format's source is read in chunks of whole entries (:mod:`citetool.stream`)."""

    #: may chunks be read in worker processes (chunk and result pickle)?
    parallel: bool

    def split(self, text: str, source: str, size: int) -> Iterable[Any] | None:
        """Chunks of about ``size`` entries, or None: read the source whole (small, or it
        needs all its entries at once)."""
        ...

    def read(self, chunk: Any, source: str) -> ReadResult:
        """One chunk's records and diagnostics (lines are the source's); a pure function."""
        ...

    def stitch(self, text: str, source: str) -> Stitch:
        ...


def _resolve(path: str) -> Any:
    module, _, attr = path.partition(":")
    return getattr(importlib.import_module(module), attr)


class Format:
    """A format: its names, its suffixes, and where its reader, writer, sniffer and chunker
    are. Read-only by convention. A plain class, not a (frozen) dataclass: creating one of
    those is ~0.7 ms at every start-up, for a table nothing compares or copies."""

    __slots__ = ("name", "description", "aliases", "suffixes", "reader_path", "writer_path",
                 "sniff", "priority", "chunker_path", "join")

    def __init__(self, name: str, description: str, aliases: tuple[str, ...] = (),
                 suffixes: tuple[str, ...] = (), reader_path: str | None = None,
                 writer_path: str | None = None, sniff: Sniffer | None = None,
                 priority: int = 0, chunker_path: str | None = None,
                 join: Join | None = None) -> None:
        self.name = name
        self.description = description
        self.aliases = aliases
        self.suffixes = suffixes
        self.reader_path = reader_path
        self.writer_path = writer_path
        self.sniff = sniff
        #: higher sniffs first; sniffers must be cheap and look only at the text's head
        self.priority = priority
        #: how its sources are cut into chunks and read chunk by chunk (a :class:`Chunker`);
        #: None: read whole
        self.chunker_path = chunker_path
        #: how its writer joins records (None: output only written whole)
        self.join = join

    def __repr__(self) -> str:
        return f"Format({self.name!r})"

    @property
    def reader(self) -> Reader:
        if not self.reader_path:
            raise FormatError(f"citetool cannot read {self.name}")
        return _resolve(self.reader_path)  # type: ignore[no-any-return]

    @property
    def chunker(self) -> Chunker | None:
        return _resolve(self.chunker_path) if self.chunker_path else None

    @property
    def writer(self) -> Writer:
        if not self.writer_path:
            raise FormatError(f"citetool cannot write {self.name}")
        return _resolve(self.writer_path)  # type: ignore[no-any-return]


class Registry:
    def __init__(self) -> None:
        self._formats: dict[str, Format] = {}

    def register(self, fmt: Format) -> None:
        self._formats[fmt.name] = fmt

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._formats.values())

    def names(self, *, readable: bool | None = None, writable: bool | None = None) -> list[str]:
        out = []
        for fmt in self._formats.values():
            if readable is not None and bool(fmt.reader_path) != readable:
                continue
            if writable is not None and bool(fmt.writer_path) != writable:
                continue
            out.append(fmt.name)
        return out

    def get(self, name: str) -> Format:
        key = name.strip().lower()
        if key in self._formats:
            return self._formats[key]
        for fmt in self._formats.values():
            if key in fmt.aliases:
                return fmt
        for fmt in self._formats.values():
            if "." + key.lstrip(".") in fmt.suffixes:
                return fmt
        known = ", ".join(sorted(self._formats))
        raise FormatError(f"unknown format {name!r} (known: {known})")

    def for_path(self, path: str | os.PathLike[str], *, writable: bool = False) -> Format | None:
        name = os.path.basename(path_text(os.fspath(path))).lower()  # PurePath(path).name
        if not writable and name.endswith(".gz"):
            name = name[:-3]  # read transparently (citetool.io.read_source)
        best: Format | None = None
        for fmt in self._formats.values():
            if writable and not fmt.writer_path:
                continue
            if not writable and not fmt.reader_path:
                continue
            for suffix in fmt.suffixes:
                if name.endswith(suffix) and (best is None or len(suffix) > _longest(best, name)):
                    best = fmt
        return best

    def detect(self, text: str) -> Format | None:
        head = text[:4096].lstrip("\ufeff")
        for fmt in sorted(self._formats.values(), key=lambda f: -f.priority):
            if fmt.reader_path and fmt.sniff is not None and fmt.sniff(head):
                return fmt
        return None


def _longest(fmt: Format, name: str) -> int:
    return max((len(s) for s in fmt.suffixes if name.endswith(s)), default=0)


registry = Registry()


def _sniff_csljson(head: str) -> bool:
    s = head.lstrip()
    json_like = s.startswith("[") or (s.startswith("{") and '"' in s[:200])
    # JSON that a more specific format proves is not CSL-JSON, even in a .json file
    return json_like and not (_sniff_crossref(s) or _sniff_openalex(s))


def _sniff_cslyaml(head: str) -> bool:
    s = head.lstrip()
    return s.startswith("---") or s.startswith("- id:") or s.startswith("references:")


def _sniff_bibtex(head: str) -> bool:
    import re

    return re.search(r"^\s*@[A-Za-z]+\s*[{(]", head, re.M) is not None


def _sniff_ris(head: str) -> bool:
    import re

    return re.search(r"^TY {1,2}- ", head, re.M) is not None


def _sniff_html(head: str) -> bool:
    s = head.lstrip().lower()
    return s.startswith("<!doctype html") or s.startswith("<html") or "<meta " in s[:2048]


#: Crossref REST works: an API envelope, or a work whose title is a JSON array (Crossref's
#: CSL-JSON has string titles) or whose type is a Crossref-only one.
_CROSSREF_SNIFF = (
    r'"message-type"\s*:\s*"work|"(?:title|container-title)"\s*:\s*\[|'
    r'"type"\s*:\s*"(?:journal-article|book-chapter|proceedings-article|posted-content|'
    r"monograph|edited-book|reference-entry|dissertation|peer-review|book-section|book-part|"
    r'journal-issue|component)"'
)


def _sniff_crossref(head: str) -> bool:
    import re

    s = head.lstrip()
    return s[:1] in ("{", "[") and re.search(_CROSSREF_SNIFF, s) is not None and (
        '"DOI"' in s or '"message-type"' in s
    )


def _sniff_openalex(head: str) -> bool:
    import re

    s = head.lstrip()
    return (
        s[:1] in ("{", "[")
        and re.search(r'"(?:id|openalex)"\s*:\s*"https://openalex\.org/W\d', s) is not None
    )


def _sniff_landing(head: str) -> bool:
    import re

    return (
        re.search(
            r"^\s*(?:[•·▪\-*]\s*)?(?:Author|Autor|Year of publication|Rok wydania|Pages|Strony|"
            r"DOI Address|Adres DOI|Institution|Instytucja)\s*:",
            head,
            re.M | re.I,
        )
        is not None
    )


def _register_builtin() -> None:
    add = registry.register
    add(
        Format(
            "csljson",
            "CSL-JSON (citeproc-js, Zotero, pandoc)",
            ("json", "csl-json", "csl"),
            (".json", ".csl.json", ".csljson"),
            "citetool.readers.csljson:read",
            "citetool.writers.csljson:write",
            _sniff_csljson,
            priority=50,
            chunker_path="citetool.readers.csljson:CHUNKER",
            join=Join("[\n", ",\n", "\n]\n"),
        )
    )
    add(
        Format(
            "cslyaml",
            "CSL-YAML (pandoc)",
            ("yaml", "yml", "csl-yaml"),
            (".yaml", ".yml"),
            "citetool.readers.csljson:read_yaml",
            "citetool.writers.csljson:write_yaml",
            _sniff_cslyaml,
            priority=10,
            join=Join("---\nreferences:\n", "", "...\n"),
        )
    )
    add(
        Format(
            "bibtex",
            "BibTeX (.bib)",
            ("bib",),
            (".bib", ".bibtex"),
            "citetool.readers.bibtex:read",
            "citetool.writers.bibtex:write_bibtex",
            _sniff_bibtex,
            priority=40,
            chunker_path="citetool.readers.bibtex_chunks:CHUNKER",
            join=Join(separator="\n", keyed=True),
        )
    )
    add(
        Format(
            "biblatex",
            "BibLaTeX (.bib, read as BibTeX)",
            ("bbl",),
            (),
            "citetool.readers.bibtex:read",
            "citetool.writers.bibtex:write_biblatex",
            chunker_path="citetool.readers.bibtex_chunks:CHUNKER",
            join=Join(separator="\n", keyed=True),
        )
    )
    add(
        Format(
            "ris",
            "RIS (EndNote, Zotero, Mendeley, Scopus)",
            ("endnote",),
            (".ris",),
            "citetool.readers.ris:read",
            "citetool.writers.ris:write",
            _sniff_ris,
            priority=45,
            chunker_path="citetool.readers.ris:CHUNKER",
            join=Join(separator="\r\n", separator_option="newline"),
        )
    )
    add(
        Format(
            "html",
            "HTML landing page with citation_*/DC/PRISM/JSON-LD metadata",
            ("htm",),
            (".html", ".htm", ".xhtml"),
            "citetool.readers.html:read",
            None,
            _sniff_html,
            priority=30,
        )
    )
    add(
        Format(
            "landing",
            "landing-page text (Author:, Pages:, DOI Address: ...)",
            ("text", "txt", "page"),
            (".txt",),
            "citetool.readers.landing:read",
            None,
            _sniff_landing,
            priority=5,
        )
    )

    add(
        Format(
            "crossref",
            "Crossref works (REST API answer, data-file dump, JSON Lines; .gz read too)",
            ("crossref-json",),
            (),
            "citetool.readers.crossref:read",
            None,
            _sniff_crossref,
            priority=60,
            chunker_path="citetool.readers.jsonlines_chunks:CROSSREF",
        )
    )
    add(
        Format(
            "openalex",
            "OpenAlex works (API answer, snapshot JSON Lines; .gz read too)",
            ("openalex-json",),
            (),
            "citetool.readers.openalex:read",
            None,
            _sniff_openalex,
            priority=61,
            chunker_path="citetool.readers.jsonlines_chunks:OPENALEX",
        )
    )


_register_builtin()


def read_text(
    text: str, source: str = "<stdin>", fmt: str | None = None, **options: Any
) -> ReadResult:
    """Read ``text`` (format by name, else sniffed) into records and diagnostics."""
    chosen = registry.get(fmt) if fmt else registry.detect(text)
    if chosen is None:
        raise FormatError("cannot tell which format this is (use --from to say)", source)
    return chosen.reader(text, source, **options)  # type: ignore[no-any-return]


def write_records(records: Sequence[Record], fmt: str, **options: Any) -> WriteResult:
    return registry.get(fmt).writer(records, **options)  # type: ignore[no-any-return]
