"""Identifier lookups: one recognition table, one module per service, one HTTP client.

:data:`KINDS` is the only place that says what an identifier looks like and which lookup
reads it. Each kind has

* ``recognise``: the spec is this identifier (every usual spelling) → its canonical value;
* ``forced``: the same with ``--from <kind>`` (bare PMIDs, any text as a reference);
* ``find``: this identifier somewhere inside a pasted reference;
* ``target``: the lookup, ``module:function`` under :mod:`citetool.lookup`, called as
  ``fetch(value, options) -> list[Record]``.

The order of the table is the order of recognition: DOI, arXiv (its URLs before the generic
URL rule), PMCID, PMID, ISBN, URL. The lookups (``doi``, ``isbn``, ``pubmed``, ``arxiv``,
``crossref``) all go through :mod:`citetool.lookup.http`, which owns the cache, the
deadline, retries and the size limit.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING

from ..identifiers import (
    find_arxiv,
    find_isbn,
    find_pmid,
    is_doi,
    normalize_doi,
    parse_arxiv,
    parse_isbn,
    parse_pmcid,
    parse_pmid,
)

if TYPE_CHECKING:
    from ..model import Record
    from .http import HttpOptions


# Compiled on first use: a spec that does not start with "http" (in any case: no other
# character matches h, t or p under re.I) is no URL, told without compiling them.
@cache
def _url_pattern() -> re.Pattern[str]:
    return re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.I)


@cache
def _doi_resolver_url() -> re.Pattern[str]:
    return re.compile(r"^https?://(?:dx\.|www\.)?doi\.org/", re.I)


def is_url(text: str) -> bool:
    """An http(s) URL (surrounding whitespace aside)."""
    s = text.strip()
    return s[:4].lower() == "http" and _url_pattern().match(s) is not None


def _doi(text: str) -> str | None:
    s = text.strip()
    if is_doi(s) or (s.lower().startswith("doi:") and normalize_doi(s)):
        return normalize_doi(s)
    if is_url(s) and _doi_resolver_url().match(s):
        return normalize_doi(s)
    return None


def _url(text: str) -> str | None:
    s = text.strip()
    return s if is_url(s) else None


def _reference(text: str) -> str | None:
    s = " ".join(text.split())
    return s if len(s) >= 10 else None


def _find_doi(text: str) -> str | None:
    return normalize_doi(text) if re.search(r"\b10\.\d{4,9}/\S", text) else None


class Kind:
    """One row of :data:`KINDS` (read-only by convention; Kind and :class:`Identifier` are
    plain classes: a dataclass is ~0.5 ms to create at the start of every command)."""

    __slots__ = ("name", "label", "recognise", "target", "forced", "find")

    def __init__(self, name: str, label: str, recognise: Callable[[str], str | None] | None,
                 target: str | None, forced: Callable[[str], str | None] | None = None,
                 find: Callable[[str], str | None] | None = None) -> None:
        self.name = name
        self.label = label
        self.recognise = recognise
        self.target = target
        self.forced = forced
        self.find = find


#: identifier kinds in the order they are tried (see the module docstring)
KINDS: tuple[Kind, ...] = (
    Kind("doi", "DOI", _doi, "doi:fetch", find=_find_doi),
    Kind("arxiv", "arXiv", parse_arxiv, "arxiv:fetch", find=find_arxiv),
    Kind("pmcid", "PMCID", parse_pmcid, "pubmed:fetch_pmcid"),
    Kind("pmid", "PMID", parse_pmid, "pubmed:fetch",
         forced=lambda s: parse_pmid(s, bare=True), find=find_pmid),
    Kind("isbn", "ISBN", parse_isbn, "isbn:fetch", find=find_isbn),
    Kind("url", "URL", _url, None),  # read by citetool.resolve.read_url (a web page)
    Kind("reference", "reference", None, "crossref:fetch", forced=_reference),
)
BY_NAME = {kind.name: kind for kind in KINDS}
#: ``--from`` values that name an identifier kind rather than a file format
HINTS = frozenset(kind.name for kind in KINDS if kind.name != "url")
#: the order in which identifiers are looked for inside a pasted reference (issue 14)
FIND_ORDER = ("doi", "arxiv", "isbn", "pmid")


class Identifier:
    """An identifier found: its kind, canonical value and the text it was read from."""

    __slots__ = ("kind", "value", "text")

    def __init__(self, kind: str, value: str, text: str) -> None:
        self.kind = kind
        self.value = value
        self.text = text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Identifier) and (self.kind, self.value, self.text) == (
            other.kind, other.value, other.text)

    def __hash__(self) -> int:
        return hash((self.kind, self.value, self.text))

    def __repr__(self) -> str:
        return f"Identifier(kind={self.kind!r}, value={self.value!r}, text={self.text!r})"

    @property
    def label(self) -> str:
        return BY_NAME[self.kind].label


def recognise(text: str, hint: str | None = None) -> Identifier | None:
    """The identifier ``text`` is (``hint``: the ``--from`` kind it must be), or None."""
    s = text.strip()
    if not s:
        return None
    if hint is not None:
        kind = BY_NAME.get(hint.lower())
        if kind is None:
            return None
        for parse in (kind.recognise, kind.forced):
            value = parse(s) if parse is not None else None
            if value:
                return Identifier(kind.name, value, s)
        return None
    for kind in KINDS:
        value = kind.recognise(s) if kind.recognise is not None else None
        if value:
            return Identifier(kind.name, value, s)
    return None


def find_in_text(text: str) -> Identifier | None:
    """The first DOI, arXiv id, ISBN or PMID inside a pasted reference (in that order)."""
    for name in FIND_ORDER:
        find = BY_NAME[name].find
        value = find(text) if find is not None else None
        if value:
            return Identifier(name, value, text)
    return None


def fetch(identifier: Identifier, options: HttpOptions) -> list[Record]:
    """Look ``identifier`` up with its kind's lookup; one-line NetworkError on failure."""
    from importlib import import_module

    target = BY_NAME[identifier.kind].target
    if target is None:
        raise ValueError(f"{identifier.kind} has no lookup (read it with citetool.resolve)")
    module, _, function = target.partition(":")
    found: list[Record] = getattr(import_module(f"{__name__}.{module}"), function)(
        identifier.value, options
    )
    return found
