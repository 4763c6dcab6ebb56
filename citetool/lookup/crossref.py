"""A pasted reference: any identifier inside it, else Crossref's bibliographic search.

1. A DOI, arXiv id, ISBN or PMID inside the text (in that order) is looked up as that
   identifier (:func:`citetool.lookup.find_in_text`).
2. Else Crossref (``$CITETOOL_CROSSREF_RESOLVER``, ``https://api.crossref.org``):
   ``/works?query.bibliographic=<text>&rows=5&mailto=…``. The top item is accepted only
   when it is a confident match (:func:`confidence`): its title appears in the text, and at
   least two of first author's family name, year (±1), volume and first page agree with
   it. Otherwise the lookup fails with "no confident match" and the top candidates (DOI,
   year, title), one line each: never a silently wrong record.

The accepted work is mapped by :func:`citetool.mapping.crossref.from_crossref`, the one
Crossref mapping, and cached (only when accepted) under the text.
"""

from __future__ import annotations

import html
import re
import unicodedata
import urllib.parse
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from ..errors import NetworkError
from ..model import Record
from .http import HttpOptions, NotFound, cached, get, host_of

JSON = "application/json"
ROWS = 5
#: how many candidates a refusal lists
SHOWN = 3


class NoConfidentMatch(NetworkError):
    """Crossref's best answer is not safe to take; ``candidates`` are lines for stderr."""

    def __init__(self, message: str, candidates: list[str]) -> None:
        super().__init__(message)
        self.candidates = candidates


def fetch(text: str, options: HttpOptions) -> list[Record]:
    from . import fetch as fetch_identifier
    from . import find_in_text

    inner = find_in_text(text)
    if inner is not None:
        return fetch_identifier(inner, options)
    what = f"reference {_short(text)!r}"
    work = cached(options, "crossref", "reference:" + text,
                  lambda: search(text, options), what=what)
    if not isinstance(work, Mapping):
        work = cached(replace(options, refresh=True), "crossref", "reference:" + text,
                      lambda: search(text, options), what=what)
    return [to_record(work, what)]


def to_record(work: Mapping[str, Any], what: str) -> Record:
    from ..keys import make_key
    from ..mapping.crossref import from_crossref

    try:
        record = from_crossref(work)
    except ValueError as exc:
        raise NetworkError(f"{what}: Crossref's answer is malformed: {exc}") from None
    if not record.fields.get("source"):
        record = record.with_field("source", "Crossref")
    return record.replace(id=make_key(record))


def search(text: str, options: HttpOptions) -> tuple[dict[str, Any], str]:
    """Crossref's top work for ``text`` when it is a confident match: ``(work, URL)``."""
    what = f"reference {_short(text)!r}"
    base = options.service_url("crossref")
    query = {"query.bibliographic": text, "rows": str(ROWS)}
    if options.contact():
        query["mailto"] = options.contact()
    url = f"{base}/works?{urllib.parse.urlencode(query)}"
    data = get(url, JSON, options, what, service="crossref").json(what)
    message = data.get("message") if isinstance(data, dict) else None
    items = message.get("items") if isinstance(message, dict) else None
    if not isinstance(items, list):
        raise NetworkError(f"{what}: the answer from {host_of(url)} is not a Crossref work list")
    works = [w for w in items if isinstance(w, dict)]
    if not works:
        raise NotFound(f"{what}: not found (Crossref has no candidate)")
    top = works[0]
    ok, agreed = confidence(text, top)
    if not ok:
        raise NoConfidentMatch(
            f"{what}: no confident match at Crossref ({agreed}); "
            f"candidates follow, cite one by its DOI",
            [f"candidate {i}: {describe(w)}" for i, w in enumerate(works[:SHOWN], 1)],
        )
    return top, url


def describe(work: Mapping[str, Any]) -> str:
    """``10.1007/s10032-015-0249-8 (2015) CERMINE: automatic extraction …``"""
    year = work_year(work)
    return f"{work.get('DOI', '?')} ({year or 'n.d.'}) {_title(work) or '(no title)'}"


def confidence(text: str, work: Mapping[str, Any]) -> tuple[bool, str]:
    """Whether ``work`` is a confident match for the reference ``text`` (see the module
    docstring), and a short account of what agreed."""
    plain = _normal(text)
    title = _normal(_title(work))
    if not title or f" {title} " not in f" {plain} ":
        return False, "its title is not in the text"
    words = set(plain.split())
    agreed = []
    authors = work.get("author")
    first = authors[0] if isinstance(authors, list) and authors else None
    family = _normal(str(first.get("family") or first.get("name") or "")) if isinstance(
        first, Mapping) else ""
    if family and f" {family} " in f" {plain} ":
        agreed.append("author")
    year = work_year(work)
    years = {int(y) for y in re.findall(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)", text)}
    if year and any(abs(year - y) <= 1 for y in years):
        agreed.append("year")
    volume = _normal(str(work.get("volume") or ""))
    if volume and volume in words:
        agreed.append("volume")
    page = str(work.get("page") or "").split("-")[0].strip()
    if page and _normal(page) in words:
        agreed.append("first page")
    account = f"title and {', '.join(agreed) or 'nothing else'} agree"
    return len(agreed) >= 2, account


def work_year(work: Mapping[str, Any]) -> int | None:
    for key in ("issued", "published-print", "published", "published-online", "created"):
        value = work.get(key)
        parts = value.get("date-parts") if isinstance(value, Mapping) else None
        if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
            year = parts[0][0]
            if isinstance(year, int):
                return year
    return None


def _title(work: Mapping[str, Any]) -> str:
    title = work.get("title")
    if isinstance(title, list):
        title = title[0] if title else ""
    return html.unescape(re.sub(r"<[^>]+>", "", str(title or ""))).strip()


def _normal(text: str) -> str:
    """Lower case, no accents, punctuation as spaces: ``“CERMINE: automatic…”`` →
    ``cermine automatic …``."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", bare).split())


def _short(text: str, size: int = 60) -> str:
    s = " ".join(text.split())
    return s if len(s) <= size else s[: size - 1] + "…"
