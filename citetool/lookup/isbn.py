"""ISBN lookup: Open Library, then Google Books.

1. Open Library (``$CITETOOL_ISBN_RESOLVER``, ``https://openlibrary.org``):
   ``/api/books?bibkeys=ISBN:<isbn13>&format=json&jscmd=data``; when that answers ``{}``,
   ``/isbn/<isbn13>.json`` (a redirect to the edition record), with the author names from
   ``/authors/<key>.json``.
2. Google Books (``$CITETOOL_ISBN_FALLBACK_RESOLVER``, ``https://www.googleapis.com``):
   ``/books/v1/volumes?q=isbn:<isbn13>`` when Open Library has nothing or cannot be reached.

The check digit is verified before any request (ISBN-10 mod 11, ISBN-13 mod 10) and an
ISBN-10 is asked for as its ISBN-13.
"""

from __future__ import annotations

import urllib.parse
from typing import Any

from ..errors import NetworkError
from ..identifiers import isbn13, isbn_error
from ..model import Record
from .common import cached_item, csl_date, csl_name, joined, to_record
from .http import HttpOptions, NotFound, get, is_not_found

JSON = "application/json"
#: at most this many author records are fetched for one edition
MAX_AUTHORS = 20


def fetch(digits: str, options: HttpOptions) -> list[Record]:
    error = isbn_error(digits)
    if error:
        raise NetworkError(error)  # before any request
    isbn = isbn13(digits)
    what = f"ISBN {isbn}"
    item = cached_item(options, "isbn", isbn, what, lambda: lookup(isbn, options))
    return [to_record(item, what)]


def lookup(isbn: str, options: HttpOptions) -> tuple[dict[str, Any], str]:
    """Open Library, else Google Books: ``(CSL item, URL)``; NotFound when neither has it."""
    what = f"ISBN {isbn}"
    failures: list[NetworkError] = []
    for service in (open_library, google_books):
        try:
            found = service(isbn, options)
        except NetworkError as exc:
            if not is_not_found(exc):
                failures.append(exc)
            continue
        if found is not None:
            return found
    if failures and len(failures) == 2:
        raise NetworkError(
            f"{what}: Open Library and Google Books both failed: "
            + "; ".join(f.message.removeprefix(f"{what}: ") for f in failures)
        )
    if failures:
        raise failures[0]
    raise NotFound(f"{what}: not found (Open Library, Google Books)")


# --- Open Library -------------------------------------------------------------------------


def open_library(isbn: str, options: HttpOptions) -> tuple[dict[str, Any], str] | None:
    base = options.service_url("isbn")
    what = f"ISBN {isbn}"
    url = f"{base}/api/books?bibkeys=ISBN:{isbn}&format=json&jscmd=data"
    data = get(url, JSON, options, what, service="isbn").json(what)
    entry = data.get(f"ISBN:{isbn}") if isinstance(data, dict) else None
    if isinstance(entry, dict) and entry.get("title"):
        return from_open_library_data(entry, isbn), str(entry.get("url") or url)
    response = get(f"{base}/isbn/{isbn}.json", JSON, options, what, service="isbn")
    edition = response.json(what)
    if not isinstance(edition, dict) or not edition.get("title"):
        return None
    authors = []
    for ref in (edition.get("authors") or [])[:MAX_AUTHORS]:
        key = ref.get("key") if isinstance(ref, dict) else None
        if not isinstance(key, str) or not key.startswith("/authors/"):
            continue
        path = urllib.parse.quote(key, safe="/")
        author = get(f"{base}{path}.json", JSON, options, what, service="isbn").json(what)
        if isinstance(author, dict) and author.get("name"):
            authors.append(str(author["name"]))
    key = str(edition.get("key") or "")
    page = f"https://openlibrary.org{key}" if key.startswith("/books/") else response.url
    return from_open_library_edition(edition, authors, isbn, page), response.url


def from_open_library_data(entry: dict[str, Any], isbn: str) -> dict[str, Any]:
    """An ``/api/books?jscmd=data`` entry → a CSL item."""
    ids = entry.get("identifiers") if isinstance(entry.get("identifiers"), dict) else {}
    return _book(
        title=entry.get("title"),
        subtitle=entry.get("subtitle"),
        authors=[a.get("name") for a in entry.get("authors") or [] if isinstance(a, dict)],
        publishers=[p.get("name") for p in entry.get("publishers") or [] if isinstance(p, dict)],
        places=[p.get("name") for p in entry.get("publish_places") or [] if isinstance(p, dict)],
        date=entry.get("publish_date"),
        pages=entry.get("number_of_pages"),
        isbns=[isbn, *ids.get("isbn_13", []), *ids.get("isbn_10", [])],
        oclc=ids.get("oclc", []),
        lccn=ids.get("lccn", []),
        url=entry.get("url"),
        source="Open Library",
    )


def from_open_library_edition(
    edition: dict[str, Any], authors: list[str], isbn: str, url: str
) -> dict[str, Any]:
    """An edition record (``/isbn/<isbn>.json``) and its authors' names → a CSL item."""
    languages = [
        str(lang.get("key", "")).rsplit("/", 1)[-1]
        for lang in edition.get("languages") or [] if isinstance(lang, dict)
    ]
    item = _book(
        title=edition.get("title"),
        subtitle=edition.get("subtitle"),
        authors=authors,
        publishers=[p for p in edition.get("publishers") or [] if isinstance(p, str)],
        places=[p for p in edition.get("publish_places") or [] if isinstance(p, str)],
        date=edition.get("publish_date"),
        pages=edition.get("number_of_pages"),
        isbns=[isbn, *edition.get("isbn_13", []), *edition.get("isbn_10", [])],
        oclc=edition.get("oclc_numbers", []),
        lccn=edition.get("lccn", []),
        url=url,
        source="Open Library",
    )
    if languages and languages[0] in _LANGUAGES:
        item["language"] = _LANGUAGES[languages[0]]
    return item


#: Open Library's MARC language codes for the languages most books are in
_LANGUAGES = {
    "eng": "en", "fre": "fr", "ger": "de", "spa": "es", "ita": "it", "por": "pt",
    "dut": "nl", "pol": "pl", "rus": "ru", "jpn": "ja", "chi": "zh", "swe": "sv",
    "dan": "da", "nor": "no", "fin": "fi", "cze": "cs", "hun": "hu", "lat": "la",
}


# --- Google Books -------------------------------------------------------------------------


def google_books(isbn: str, options: HttpOptions) -> tuple[dict[str, Any], str] | None:
    base = options.service_url("isbn-fallback")
    what = f"ISBN {isbn}"
    url = f"{base}/books/v1/volumes?q=isbn:{isbn}"
    data = get(url, JSON, options, what, service="isbn-fallback").json(what)
    items = data.get("items") if isinstance(data, dict) else None
    if not isinstance(items, list) or not items or not isinstance(items[0], dict):
        return None
    info = items[0].get("volumeInfo")
    if not isinstance(info, dict) or not info.get("title"):
        return None
    identifiers = [i for i in info.get("industryIdentifiers") or [] if isinstance(i, dict)]
    item = _book(
        title=info.get("title"),
        subtitle=info.get("subtitle"),
        authors=[a for a in info.get("authors") or [] if isinstance(a, str)],
        publishers=[info.get("publisher")],
        places=[],
        date=info.get("publishedDate"),
        pages=info.get("pageCount"),
        isbns=[isbn] + [
            str(i.get("identifier")) for i in identifiers
            if str(i.get("type", "")).startswith("ISBN")
        ],
        oclc=[],
        lccn=[],
        url=info.get("canonicalVolumeLink") or info.get("infoLink"),
        source="Google Books",
    )
    language = str(info.get("language") or "")
    if language and language != "un":
        item["language"] = language
    if info.get("description"):
        item["abstract"] = str(info["description"])
    categories = [c for c in info.get("categories") or [] if isinstance(c, str)]
    if categories:
        item["keyword"] = joined(categories)
    return item, url


# --- the CSL item ---------------------------------------------------------------------------


def _book(
    *, title: Any, subtitle: Any, authors: list[Any], publishers: list[Any], places: list[Any],
    date: Any, pages: Any, isbns: list[Any], oclc: list[Any], lccn: list[Any], url: Any,
    source: str,
) -> dict[str, Any]:
    full_title = str(title).strip()
    if subtitle and str(subtitle).strip():
        full_title = f"{full_title}: {str(subtitle).strip()}"
    notes = []
    if oclc:
        notes.append(f"OCLC: {joined(oclc)}")
    if lccn:
        notes.append(f"LCCN: {joined(lccn)}")
    item: dict[str, Any] = {
        "type": "book",
        "title": full_title,
        "author": [csl_name(str(a)) for a in authors if a and str(a).strip()],
        "publisher": joined(publishers, "; "),
        "publisher-place": joined(places, "; "),
        "issued": csl_date(str(date)) if date else None,
        "number-of-pages": str(pages) if isinstance(pages, int) and pages > 0 else None,
        "ISBN": joined(isbns),
        "URL": str(url) if url else None,
        "note": "\n".join(notes) or None,
        "source": source,
    }
    return {k: v for k, v in item.items() if v not in (None, "", [], {})}
