"""arXiv lookup: the arXiv API (``$CITETOOL_ARXIV_RESOLVER``, ``https://export.arxiv.org``).

``/api/query?id_list=<id>`` answers an Atom feed; a feed without an entry (status 200) means
"not found". arXiv asks for at most one request every 3 seconds: the HTTP client keeps that
interval. The record is a preprint (CSL ``article``, publisher ``arXiv``, number
``arXiv:<id>``) with the arXiv DOI ``10.48550/arXiv.<id>`` as its DOI; the journal DOI
and journal reference of a published version, the primary category and the authors'
comment are kept in ``note``, one ``Label: value`` a line.
"""

from __future__ import annotations

import re
import urllib.parse
from typing import Any

from ..errors import NetworkError
from ..identifiers import normalize_doi
from ..model import Record
from .common import cached_item, csl_date, csl_name, text_of, to_record, xml_root
from .http import HttpOptions, NotFound, get, host_of

ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"
ACCEPT = "application/atom+xml, application/xml;q=0.9"


def fetch(arxiv_id: str, options: HttpOptions) -> list[Record]:
    what = f"arXiv:{arxiv_id}"
    item = cached_item(options, "arxiv", arxiv_id, what, lambda: lookup(arxiv_id, options))
    return [to_record(item, what)]


def lookup(arxiv_id: str, options: HttpOptions) -> tuple[dict[str, Any], str]:
    what = f"arXiv:{arxiv_id}"
    base = options.service_url("arxiv")
    url = f"{base}/api/query?id_list={urllib.parse.quote(arxiv_id, safe='')}"
    response = get(url, ACCEPT, options, what, service="arxiv")
    root = xml_root(response.body, what, host_of(url))
    if root.tag != f"{ATOM}feed":
        raise NetworkError(f"{what}: the answer from {host_of(url)} is not an Atom feed")
    bare = re.sub(r"v\d+$", "", arxiv_id)
    for entry in root.findall(f"{ATOM}entry"):
        found = re.sub(r"^https?://arxiv\.org/abs/", "", text_of(entry.find(f"{ATOM}id")))
        if re.sub(r"v\d+$", "", found) == bare:
            return from_entry(entry, found), url
        if text_of(entry.find(f"{ATOM}title")).lower() == "error":  # arXiv's error entry
            raise NotFound(f"{what}: not found ({text_of(entry.find(f'{ATOM}summary'))})")
    raise NotFound(f"{what}: not found (arXiv)")


def from_entry(entry: Any, versioned_id: str) -> dict[str, Any]:
    """One Atom ``<entry>`` → a CSL item."""
    m = re.fullmatch(r"(.+?)(?:v(\d+))?", versioned_id)
    assert m is not None
    arxiv_id, version = m.group(1), m.group(2)
    notes = []
    primary = entry.find(f"{ARXIV}primary_category")
    category = primary.get("term", "") if primary is not None else ""
    if category:
        notes.append(f"arXiv: {arxiv_id} [{category}]")
    comment = text_of(entry.find(f"{ARXIV}comment"))
    if comment:
        notes.append(f"Comment: {comment}")
    journal_ref = text_of(entry.find(f"{ARXIV}journal_ref"))
    if journal_ref:
        notes.append(f"Journal reference: {journal_ref}")
    journal_doi = normalize_doi(text_of(entry.find(f"{ARXIV}doi")))
    if journal_doi:
        notes.append(f"Journal DOI: {journal_doi}")
    authors = [text_of(a.find(f"{ATOM}name")) for a in entry.findall(f"{ATOM}author")]
    item: dict[str, Any] = {
        "type": "article",
        "title": text_of(entry.find(f"{ATOM}title")),
        "author": [csl_name(a) for a in authors if a],
        "issued": csl_date(text_of(entry.find(f"{ATOM}published"))[:10]),
        "abstract": text_of(entry.find(f"{ATOM}summary")),
        "publisher": "arXiv",
        "number": f"arXiv:{arxiv_id}",
        "version": version or "",
        "DOI": f"10.48550/arxiv.{arxiv_id}".lower(),
        "URL": f"https://arxiv.org/abs/{arxiv_id}",
        "keyword": category,
        "note": "\n".join(notes),
        "source": "arXiv.org",
    }
    return {k: v for k, v in item.items() if v not in (None, "", [], {})}
