"""Journal inference from a data table: DOI pattern or PDF site path → journal, ISSN, volume.

The table is ``citetool/data/journals.json`` (data, not code): each journal has regular
expressions for its DOIs and for the site paths of its PDFs; named groups ``volume``,
``issue`` and ``year`` fill those fields.  A DOI is the stronger evidence, so it is tried
first; when DOI and PDF path name different journals or volumes the caller is told.
"""

from __future__ import annotations

import json
import os
import re
from functools import lru_cache
from typing import Any


class Journal:
    """A journal of the table (read-only by convention; Journal and :class:`JournalMatch` are
    plain classes: a dataclass is ~0.5 ms to create at the start of a one-record cite)."""

    __slots__ = ("key", "title", "issn", "publisher", "doi_patterns", "pdf_patterns",
                 "volume_from_year")

    def __init__(self, key: str, title: str, issn: str = "", publisher: str = "",
                 doi_patterns: tuple[str, ...] = (),
                 pdf_patterns: tuple[str, ...] = (),
                 volume_from_year: int | None = None) -> None:
        self.key = key
        self.title = title
        self.issn = issn
        self.publisher = publisher
        #: regular expressions, compiled (and cached) by the re module when first searched:
        #: a record with a PDF path and no DOI never needs the DOI ones
        self.doi_patterns = doi_patterns
        self.pdf_patterns = pdf_patterns
        self.volume_from_year = volume_from_year


class JournalMatch:
    """What a DOI or a PDF path tells: the journal and, when the pattern says, more."""

    __slots__ = ("journal", "evidence", "volume", "issue", "year")

    def __init__(self, journal: Journal, evidence: str, volume: str = "", issue: str = "",
                 year: int | None = None) -> None:
        self.journal = journal
        self.evidence = evidence  # "doi" or "pdf"
        self.volume = volume
        self.issue = issue
        self.year = year


def _number(text: str | None) -> str:
    if not text:
        return ""
    return str(int(text)) if text.isdigit() else text


@lru_cache(maxsize=1)
def journals() -> tuple[Journal, ...]:
    # a plain path: importlib.resources (with zipfile behind it) is ~4 ms of start-up
    with open(os.path.join(os.path.dirname(__file__), "data", "journals.json"),
              encoding="utf-8") as handle:
        text = handle.read()
    return tuple(_journal(item) for item in json.loads(text)["journals"])


def _journal(item: dict[str, Any]) -> Journal:
    return Journal(
        key=item["key"],
        title=item["title"],
        issn=item.get("ISSN", ""),
        publisher=item.get("publisher", ""),
        doi_patterns=tuple(item.get("doi", ())),
        pdf_patterns=tuple(item.get("pdf", ())),
        volume_from_year=item.get("volume_from_year"),
    )


def _match(journal: Journal, m: re.Match[str], evidence: str) -> JournalMatch:
    groups = m.groupdict()
    year = int(groups["year"]) if groups.get("year") else None
    volume = _number(groups.get("volume"))
    if not volume and year is not None and journal.volume_from_year is not None:
        volume = str(year - journal.volume_from_year)
    return JournalMatch(journal, evidence, volume, _number(groups.get("issue")), year)


def pdf_path(text: str) -> str:
    """The site path of a PDF link: host, scheme and leading folders up to the journal dropped.

    ``https://host/images/pliki/apsp/66/apsp6604.pdf`` and ``/apsp/66/apsp6604.pdf`` both give
    ``apsp/66/apsp6604.pdf`` when a journal pattern matches from some folder on; otherwise the
    path without scheme and host.
    """
    s = text.strip()
    s = re.sub(r"^[a-z][a-z0-9+.-]*://[^/]*", "", s, flags=re.I).lstrip("/")
    return s.split("?", 1)[0].split("#", 1)[0]


def from_doi(doi: str) -> JournalMatch | None:
    d = doi.strip().lower()
    for journal in journals():
        for pattern in journal.doi_patterns:
            m = re.search(pattern, d)
            if m:
                return _match(journal, m, "doi")
    return None


def from_pdf(path: str) -> JournalMatch | None:
    p = pdf_path(path)
    segments = p.split("/")
    for start in range(len(segments)):  # allow leading folders such as images/pliki/
        tail = "/".join(segments[start:])
        for journal in journals():
            for pattern in journal.pdf_patterns:
                m = re.search(pattern, tail.lower())
                if m:
                    return _match(journal, m, "pdf")
    return None
