"""Identifiers wherever a source is accepted: DOIs, ISBNs, PMIDs, PMCIDs, arXiv ids, URLs,
pasted references and lists of them.

A source spec is, in this order:

1. with ``--from`` naming an identifier kind (``doi``, ``isbn``, ``pmid``, ``pmcid``,
   ``arxiv``, ``reference``): the spec itself is that identifier (bare digits are a PMID
   with ``--from pmid``; any text a reference with ``--from reference``); ``-`` reads them
   from stdin, one a line (references: one a paragraph, blank lines between them);
2. an existing file or ``-`` (stdin): read as usual, unless every non-empty line of it is
   an identifier (``#`` comments allowed; kinds may be mixed) — then it is a **list**, each
   line looked up in turn; a line that fails is one error diagnostic (with its line number)
   and the others go on;
3. an **identifier** as :func:`citetool.lookup.recognise` reads it (DOI, arXiv id or URL,
   PMCID, PMID, ISBN — :data:`citetool.lookup.KINDS` is the one table), looked up by its
   service (:mod:`citetool.lookup`);
4. an **http(s) URL**: the page is fetched and read with the HTML reader
   (:mod:`citetool.readers.html`), or with the format the answer's type or content shows.

:func:`enrich` fills what a landing-page record lacks (journal, volume, issue, ISSN,
publisher ...) from its DOI without overwriting what the page said (unless
``overwrite=True``).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from .errors import CitetoolError, Diagnostic, NetworkError, ReadError
from .identifiers import normalize_doi
from .io import path_text
from .lookup import HINTS, Identifier, recognise
from .lookup import is_url as is_url  # resolve.is_url, as it was
from .model import Record
from .registry import ReadResult, read_text, registry

if TYPE_CHECKING:  # the HTTP client imports http.client: only when a lookup happens
    from .io import Source
    from .lookup.http import HttpOptions

#: Lists longer than this many lines are not treated as identifier lists.
MAX_LIST_LINES = 10_000
MAX_LIST_BYTES = 2 * 1024 * 1024
HTML_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"


def identifier_kind(text: str, hint: str | None = None) -> str | None:
    """The kind of identifier one spec or list line is (``"doi"``, ``"isbn"``, ``"pmid"``,
    ``"pmcid"``, ``"arxiv"``, ``"url"``; ``"reference"`` only with that hint), or None."""
    found = recognise(text, hint)
    return found.kind if found else None


def is_identifier(spec: str) -> bool:
    """A spec that names a DOI or a URL rather than a file (an existing file wins, so it
    is looked for first: the recognisers are the dearer test)."""
    if spec == "-" or os.path.exists(spec) or identifier_kind(spec) is None:
        return False
    # as pathlib reads it (a file "x" exists as "x/" too); any failure to look is no file
    return not os.path.exists(path_text(spec))


def list_lines(text: str, hint: str | None = None) -> list[tuple[int, str]] | None:
    """``[(line number, identifier), ...]`` when every non-empty, non-``#`` line of ``text``
    is an identifier (and there is at least one); else None."""
    found: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines(), 1):
        s = line.strip()
        if not s or s.startswith("#"):
            continue
        if identifier_kind(s, hint) is None or len(found) >= MAX_LIST_LINES:
            return None
        found.append((number, s))
    return found or None


def reference_paragraphs(text: str) -> list[tuple[int, str]]:
    """Pasted references, one a paragraph (blank lines between them; a reference that wraps
    over lines is joined), each with the line it starts on."""
    found: list[tuple[int, str]] = []
    start, lines = 0, []
    for number, line in enumerate([*text.splitlines(), ""], 1):
        if line.strip():
            if not lines:
                start = number
            lines.append(line.strip())
        elif lines:
            found.append((start, " ".join(lines)))
            lines = []
    return found[:MAX_LIST_LINES]


# --- reading one spec -------------------------------------------------------------------


def read_spec(
    spec: str,
    *,
    fmt: str | None = None,
    encoding: str | None = None,
    http: HttpOptions | None = None,
    progress: bool = False,
) -> ReadResult:
    """Read any source spec: a file, ``-``, an identifier, a URL, or a list of them."""
    if fmt is not None and fmt.lower() in HINTS:
        return read_hinted(spec, fmt.lower(), encoding=encoding, http=http, progress=progress)
    if is_identifier(spec):
        return read_identifier(spec, http, fmt=fmt)
    if spec == "-":
        from .io import read_source

        src = read_source("-", encoding=encoding)
        lines = list_lines(src.text) if fmt is None and len(src.text) <= MAX_LIST_BYTES else None
        if lines:
            result = read_list(lines, src.name, http, progress=progress)
        else:
            result = read_text(src.text, src.name, fmt)
        result.diagnostics[:0] = src.diagnostics
        return result
    text = _small_text_file(spec, encoding) if fmt is None else None
    if text is not None:
        lines = list_lines(text)
        if lines:
            return read_list(lines, spec, http, progress=progress)
    try:
        return read_file(spec, fmt=fmt, encoding=encoding)
    except ReadError as exc:
        stray = _stray_line(text) if text is not None else None
        if stray is None:
            raise
        raise ReadError(
            f"{exc.message} (as a list of identifiers, line {stray} is neither one nor a URL)",
            exc.source,
            stray,
        ) from None


def read_hinted(
    spec: str,
    hint: str,
    *,
    encoding: str | None = None,
    http: HttpOptions | None = None,
    progress: bool = False,
) -> ReadResult:
    """``--from <kind>``: the spec is that identifier; ``-`` or an existing file holds them,
    one a line (references: one a paragraph)."""
    from .io import read_source

    source_text: Source | None = None
    if spec == "-" or _is_file(spec):
        source_text = read_source(spec, encoding=encoding)
    if source_text is None:
        return read_identifier(spec, http, hint=hint)
    text = source_text.text
    if hint == "reference":
        lines = reference_paragraphs(text)
    else:
        lines = [(n, line.strip()) for n, line in enumerate(text.splitlines(), 1)
                 if line.strip() and not line.strip().startswith("#")][:MAX_LIST_LINES]
    if not lines:
        raise ReadError(f"no {hint} given", source_text.name)
    result = read_list(lines, source_text.name, http, progress=progress, hint=hint)
    result.diagnostics[:0] = source_text.diagnostics
    return result


def _is_file(spec: str) -> bool:
    return os.path.isfile(path_text(spec))  # as pathlib reads it; any failure is no file


def read_file(
    source: str | os.PathLike[str],
    *,
    fmt: str | None = None,
    encoding: str | None = None,
    **options: object,
) -> ReadResult:
    """Read a file (or ``-``): format ``fmt``, else the suffix's, else sniffed."""
    from .io import read_source

    src = read_source(str(source), encoding=encoding)
    result = read_text(src.text, src.name, choose_format(src, fmt), **options)
    result.diagnostics[:0] = src.diagnostics
    return result


def choose_format(src: Source, fmt: str | None = None) -> str | None:
    """The format to read ``src`` as: ``fmt``, else the file suffix's when the text does not
    contradict it, else None (sniff the text)."""
    chosen = fmt
    if chosen is None and src.path is not None:
        by_suffix = registry.for_path(src.path)
        if by_suffix is not None and (
            by_suffix.sniff is None
            or by_suffix.sniff(src.text[:4096])
            or registry.detect(src.text) is None
        ):
            chosen = by_suffix.name
    return chosen


def _small_text_file(spec: str, encoding: str | None) -> str | None:
    """The text of a file that could be an identifier list (small, list-like suffix)."""
    path = path_text(spec)  # as pathlib reads it: "dois.txt/" is the file dois.txt
    name = os.path.basename(path)
    dot = name.rfind(".")
    suffix = name[dot:] if 0 < dot < len(name) - 1 else ""  # as PurePath.suffix
    try:
        if not os.path.isfile(path) or os.stat(path).st_size > MAX_LIST_BYTES:
            return None
        if suffix.lower() not in ("", ".txt", ".list", ".lst", ".dois", ".urls"):
            return None
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    try:
        return data.decode(encoding or "utf-8").lstrip("\ufeff")
    except (UnicodeDecodeError, LookupError):
        return None


def _stray_line(text: str) -> int | None:
    """The first line that is not an identifier, in a text that is mostly a list of them."""
    good, bad = 0, []
    for number, line in enumerate(text.splitlines(), 1):
        s = line.strip()
        if not s or s.startswith("#"):
            continue
        if identifier_kind(s) is None:
            bad.append(number)
        else:
            good += 1
    return bad[0] if bad and good >= 2 and good >= 2 * len(bad) else None


def read_identifier(
    spec: str,
    http: HttpOptions | None = None,
    *,
    fmt: str | None = None,
    hint: str | None = None,
) -> ReadResult:
    """One identifier looked up by its service, or a URL fetched and read; raises
    NetworkError / ReadError. A pasted reference Crossref has no confident match for is an
    error diagnostic followed by its candidates, one line each."""
    from ._entry import resume_gc
    from .lookup import fetch
    from .lookup.crossref import NoConfidentMatch
    from .lookup.http import HttpOptions

    resume_gc()  # a lookup is no small job (see citetool.cli.small_job)

    http = http or HttpOptions()
    found = recognise(spec, hint)
    if found is None:
        from .lookup import BY_NAME

        label = BY_NAME[hint].label if hint in BY_NAME else ""
        article = "an" if label[:1].upper() in ("A", "E", "I", "O", "U") else "a"
        what = f"{article} {label}" if label else "an identifier or an http(s) URL"
        raise ReadError(f"not {what}: {spec[:80]!r}", spec)
    if found.kind == "url":
        return read_url(found.value, http, fmt=fmt)
    try:
        return ReadResult(fetch(found, http), [])
    except NoConfidentMatch as exc:
        notes = [Diagnostic.info(line) for line in exc.candidates]
        return ReadResult([], [exc.diagnostic, *notes])


def dedupe_key(found: Identifier | None, spec: str) -> str:
    """The same identifier in any spelling gives the same key."""
    return f"{found.kind}:{found.value}" if found else spec


def read_url(url: str, http: HttpOptions, *, fmt: str | None = None) -> ReadResult:
    """Fetch a page (cached like DOIs) and read it: HTML reader unless told otherwise."""
    from .io import decode
    from .lookup.http import get

    cache = http.cache()
    key = "url:" + url
    cached = cache.get(key)
    if isinstance(cached, dict) and isinstance(cached.get("text"), str):
        text, kind = cached["text"], str(cached.get("type", ""))
    elif http.offline:
        raise NetworkError(f"not in cache (offline): {url}")
    else:
        response = get(url, HTML_ACCEPT, http, what=url)
        response.codec(url)  # an unknown charset is an error (and nothing is cached)
        kind = response.content_type
        if kind in ("application/pdf",) or kind.startswith(("image/", "audio/", "video/")):
            raise ReadError(f"not a web page but {kind}; give its landing page or DOI", url)
        text = _decode(response.body, response.charset, url, decode)
        cache.put(key, {"text": text, "type": kind}, response.url)
    chosen = fmt
    if chosen is None:
        if "html" in kind or kind == "application/xhtml+xml":
            chosen = "html"
        elif "json" in kind:
            chosen = "csljson"
        elif registry.detect(text) is None:
            chosen = "html"
    return read_text(text, url, chosen)


def _decode(body: bytes, charset: str | None, url: str, decode: Callable[..., Any]) -> str:
    """The HTTP charset, else the page's own ``<meta charset>``, else UTF-8 or detection."""
    for candidate in (charset, _declared_charset(body)):
        if candidate:
            try:
                return body.decode(candidate).lstrip("\ufeff")
            except (LookupError, UnicodeDecodeError):
                pass
    text, _ = decode(body, url)
    return str(text)


def _declared_charset(body: bytes) -> str | None:
    """``<meta charset=...>`` or ``<meta http-equiv="Content-Type" content="...; charset=...">``
    in the head of a page (read with lxml's HTML parser, no network)."""
    import lxml.etree
    import lxml.html

    head = body[:16384]
    if b"<meta" not in head.lower():
        return None
    parser = lxml.html.HTMLParser(encoding="iso-8859-1", no_network=True, remove_comments=True)
    try:
        root = lxml.html.document_fromstring(head, parser=parser)
    except (lxml.etree.ParserError, ValueError):
        return None
    for el in root.iter("meta"):
        if el.get("charset"):
            return str(el.get("charset")).strip()
        if (el.get("http-equiv") or "").lower() == "content-type":
            m = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", el.get("content") or "", re.I)
            if m:
                return m.group(1)
    return None


def read_list(
    lines: Sequence[tuple[int, str]],
    source: str,
    http: HttpOptions | None = None,
    *,
    progress: bool = False,
    hint: str | None = None,
) -> ReadResult:
    """Look up each ``(line, identifier)``; failures become error diagnostics, one a line.

    ``progress=True`` shows a rich progress bar on stderr (the CLI asks for it only when
    stderr is a terminal). The same DOI twice (in any of its forms) is looked up once.
    """
    from ._entry import resume_gc

    resume_gc()  # lookups are no small job (see citetool.cli.small_job)
    result = ReadResult()
    seen: set[str] = set()
    with _progress_bar(progress, len(lines), source) as advance:
        for number, spec in lines:
            key = dedupe_key(recognise(spec, hint), spec)
            if key in seen:
                result.diagnostics.append(
                    Diagnostic.info(f"{spec}: listed twice; read once", source, number)
                )
                advance(spec)
                continue
            seen.add(str(key))
            try:
                one = read_identifier(spec, http, hint=hint)
            except CitetoolError as exc:
                result.diagnostics.append(Diagnostic.error(exc.message, source, number))
            else:
                result.records.extend(one.records)
                result.diagnostics.extend(
                    d.replace(source=d.source or source, line=d.line or number)
                    for d in one.diagnostics
                )
            advance(spec)
    failed = sum(1 for d in result.diagnostics if d.level.name == "ERROR")
    if failed:
        result.diagnostics.append(
            Diagnostic.warning(f"{failed} of {len(lines)} identifier(s) failed", source)
        )
    return result


class _progress_bar:  # noqa: N801 - used as a context manager function
    def __init__(self, enabled: bool, total: int, source: str) -> None:
        self.enabled = enabled and total > 1
        self.total = total
        self.source = source
        self._progress: Any = None
        self._task: Any = None

    def __enter__(self) -> Callable[[str], None]:
        if self.enabled:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            console = Console(stderr=True, highlight=False)
            self._progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                console=console,
                transient=True,
            )
            self._progress.start()
            self._task = self._progress.add_task(f"reading {self.source}", total=self.total)
        return self._advance

    def _advance(self, spec: str) -> None:
        if self._progress is not None:
            self._progress.update(self._task, advance=1, description=spec[:60])

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()


def stderr_is_tty() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


# --- enrichment ---------------------------------------------------------------------------


def enrich(
    records: Iterable[Record],
    http: HttpOptions | None = None,
    *,
    overwrite: bool = False,
    lookup: Callable[[str, HttpOptions], Record] | None = None,
) -> tuple[list[Record], list[Diagnostic]]:
    """Fill each record's missing fields from its DOI's metadata.

    Without ``overwrite`` only what the record lacks is added (a field, a date, a name
    list, an affiliation or ORCID of the same person, abstracts/keywords in a language it
    has none in, a more specific type than ``article``); with it, what the DOI says wins.
    A failed lookup is a warning and leaves the record as it was.
    """
    from .lookup.doi import fetch_record
    from .lookup.http import HttpOptions

    http = http or HttpOptions()
    fetch = lookup or fetch_record
    out: list[Record] = []
    diagnostics: list[Diagnostic] = []
    for record in records:
        doi = normalize_doi(str(record.fields.get("DOI", "")))
        if not doi:
            out.append(record)
            continue
        try:
            found = fetch(doi, http)
        except CitetoolError as exc:
            diagnostics.append(
                Diagnostic.warning(f"could not enrich {record.id}: {exc.message}", record.id)
            )
            out.append(record)
            continue
        merged, added = merge_records(record, found, overwrite=overwrite)
        if added:
            diagnostics.append(
                Diagnostic.info(f"enriched from {doi}: {', '.join(added)}", record.id)
            )
        out.append(merged)
    return out, diagnostics


def merge_records(
    base: Record, other: Record, *, overwrite: bool = False
) -> tuple[Record, list[str]]:
    """``base`` with what ``other`` adds (see :func:`enrich`); returns the names changed."""
    from .readers.html import fill_people

    added: list[str] = []
    fields = dict(base.fields)
    for key, value in other.fields.items():
        if key == "DOI" and key in fields:
            continue
        if key not in fields or (overwrite and fields[key] != value):
            fields[key] = value
            added.append(key)
    dates = dict(base.dates)
    for key, date in other.dates.items():
        if key not in dates or (overwrite and dates[key] != date):
            dates[key] = date
            added.append(key)
    names = dict(base.names)
    for role, people in other.names.items():
        if role not in names or (overwrite and names[role] != people):
            names[role] = people
            added.append(role)
        else:
            filled = fill_people(names[role], people)
            if filled != names[role]:
                names[role] = filled
                added.append(f"{role} details")
    abstracts = dict(base.abstracts)
    keywords = dict(base.keywords)
    if not abstracts or overwrite:
        for lang, text in other.abstracts.items():
            if lang not in abstracts or overwrite:
                abstracts[lang] = text
                added.append("abstract")
    if not keywords or overwrite:
        for lang, words in other.keywords.items():
            if lang not in keywords or overwrite:
                keywords[lang] = words
                added.append("keyword")
    kind = base.type
    if other.type != base.type and (overwrite or base.type in ("article", "webpage", "document")):
        kind = other.type
        added.append("type")
    merged = base.replace(
        type=kind,
        fields=fields,
        dates=dates,
        names=names,
        abstracts=abstracts,
        keywords=keywords,
    )
    return merged, list(dict.fromkeys(added))
