"""PMID and PMCID lookup: NCBI's citation exporter, then E-utilities.

1. The citation exporter (``$CITETOOL_PUBMED_RESOLVER``, ``https://pmc.ncbi.nlm.nih.gov``):
   ``/api/ctxp/v1/pubmed/?format=csl&id=<pmid>`` and ``/api/ctxp/v1/pmc/?format=csl&id=<digits>``
   answer CSL-JSON (with ``tool`` and ``email`` as NCBI asks).
2. E-utilities (``$CITETOOL_PUBMED_FALLBACK_RESOLVER``, ``https://eutils.ncbi.nlm.nih.gov``):
   ``/entrez/eutils/efetch.fcgi?db=pubmed&id=<pmid>&retmode=xml`` (PubMed XML) when the
   exporter cannot be reached or has nothing: ``MedlineDate`` ("2010 Sep-Oct"),
   ``ArticleDate`` beside ``PubDate``, the 2025 DTD's ``StartPage``/``EndPage``, collective
   authors as literal names.

Both give the journal's abbreviation as ``container-title-short``, ISSN, PMID, PMCID and
DOI when the record has them; ``source`` is ``PubMed``.
"""

from __future__ import annotations

import re
import urllib.parse
from typing import Any

from ..errors import NetworkError
from ..identifiers import normalize_doi
from ..model import Record
from .common import cached_item, joined, text_of, to_record, xml_root
from .http import HttpOptions, NotFound, get, host_of, is_not_found

CSL_JSON = "application/vnd.citationstyles.csl+json, application/json;q=0.9"
XML = "application/xml, text/xml;q=0.9"
#: a family name with no given name that reads like a group is a collective author
_GROUP = re.compile(
    r"\b(consortium|group|collaboration|collaborators|committee|society|association|"
    r"network|investigators|team|alliance|council|organi[sz]ation|working|project|trial|"
    r"study|initiative|program(?:me)?|foundation|institute|centre|center)\b",
    re.I,
)


def fetch(pmid: str, options: HttpOptions) -> list[Record]:
    what = f"PMID {pmid}"
    item = cached_item(options, "pubmed", f"pmid:{pmid}", what,
                       lambda: _lookup("pubmed", pmid, what, options))
    return [to_record(item, what)]


def fetch_pmcid(pmcid: str, options: HttpOptions) -> list[Record]:
    item = cached_item(options, "pubmed", f"pmcid:{pmcid}", pmcid,
                       lambda: _lookup("pmc", pmcid, pmcid, options))
    return [to_record(item, pmcid)]


def _lookup(db: str, ident: str, what: str, options: HttpOptions) -> tuple[dict[str, Any], str]:
    try:
        return citation_exporter(db, ident, what, options)
    except NetworkError as first:
        pmid = ident if db == "pubmed" else None
        if pmid is None:  # E-utilities' PubMed XML is asked by PMID only
            raise
        try:
            return efetch(pmid, what, options)
        except NetworkError as second:
            if is_not_found(first) and is_not_found(second):
                raise NotFound(
                    f"{what}: not found (NCBI citation exporter, E-utilities)"
                ) from None
            if is_not_found(second):
                raise first from None
            raise NetworkError(
                f"{what}: the NCBI citation exporter and E-utilities both failed: "
                f"{first.message.removeprefix(what + ': ')}; "
                f"{second.message.removeprefix(what + ': ')}"
            ) from None


def _contact(options: HttpOptions) -> str:
    query = "&tool=citetool"
    if options.contact():
        query += "&email=" + urllib.parse.quote(options.contact())
    return query


def citation_exporter(
    db: str, ident: str, what: str, options: HttpOptions
) -> tuple[dict[str, Any], str]:
    digits = ident.removeprefix("PMC")
    base = options.service_url("pubmed")
    url = f"{base}/api/ctxp/v1/{db}/?format=csl&id={digits}{_contact(options)}"
    data = get(url, CSL_JSON, options, what, service="pubmed").json(what)
    if isinstance(data, list) and len(data) == 1:
        data = data[0]
    if not isinstance(data, dict) or not data.get("title"):
        if isinstance(data, dict) and str(data.get("status", "")).lower() == "error":
            raise NotFound(f"{what}: not found ({data.get('message') or 'NCBI citation exporter'})")
        raise NetworkError(f"{what}: the answer from {host_of(url)} is not a CSL-JSON item")
    return clean_ctxp(data), url


def clean_ctxp(data: dict[str, Any]) -> dict[str, Any]:
    """The exporter's CSL item as citetool keeps it: ``accessed`` (the day of the request)
    dropped, group authors as literal names, ids in their usual forms."""
    item = {k: v for k, v in data.items() if k not in ("accessed", "id")}
    for role in ("author", "editor"):
        if isinstance(item.get(role), list):
            item[role] = [_person(n) for n in item[role] if isinstance(n, dict)]
    if item.get("DOI"):
        item["DOI"] = normalize_doi(str(item["DOI"])) or item["DOI"]
    if item.get("PMCID") and not str(item["PMCID"]).upper().startswith("PMC"):
        item["PMCID"] = f"PMC{item['PMCID']}"
    item["source"] = "PubMed"
    item.setdefault("type", "article-journal")
    return item


def _person(name: dict[str, Any]) -> dict[str, Any]:
    family = str(name.get("family") or "")
    if family and not name.get("given") and (_GROUP.search(family) or len(family.split()) > 3):
        return {"literal": family}
    return dict(name)


# --- E-utilities --------------------------------------------------------------------------


def efetch(pmid: str, what: str, options: HttpOptions) -> tuple[dict[str, Any], str]:
    base = options.service_url("pubmed-fallback")
    url = f"{base}/entrez/eutils/efetch.fcgi?db=pubmed&id={pmid}&retmode=xml{_contact(options)}"
    response = get(url, XML, options, what, service="pubmed-fallback")
    root = xml_root(response.body, what, host_of(url))
    for article in root.iter("PubmedArticle"):
        if text_of(article.find("MedlineCitation/PMID")) == pmid:
            return from_pubmed_xml(article), url
    raise NotFound(f"{what}: not found (E-utilities)")


_MONTHS = {m: i for i, m in enumerate(
    "jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
_TYPES = {
    "journal article": "article-journal",
    "preprint": "article",
    "review": "article-journal",
    "letter": "article-journal",
    "editorial": "article-journal",
    "comment": "article-journal",
}


def from_pubmed_xml(article: Any) -> dict[str, Any]:
    """One ``<PubmedArticle>`` → a CSL item."""
    citation = article.find("MedlineCitation")
    art = citation.find("Article")
    journal = art.find("Journal")
    issue = journal.find("JournalIssue") if journal is not None else None
    item: dict[str, Any] = {"source": "PubMed", "PMID": text_of(citation.find("PMID"))}
    title = text_of(art.find("ArticleTitle")) or text_of(art.find("VernacularTitle"))
    if title.endswith(".") and not title.endswith(".."):
        title = title[:-1]
    item["title"] = title.strip("[]") if title.startswith("[") and title.endswith("]") else title
    if journal is not None:
        item["container-title"] = text_of(journal.find("Title"))
        item["container-title-short"] = text_of(journal.find("ISOAbbreviation")) or text_of(
            citation.find("MedlineJournalInfo/MedlineTA"))
        item["ISSN"] = joined(text_of(i) for i in journal.findall("ISSN"))
    if issue is not None:
        item["volume"] = text_of(issue.find("Volume"))
        item["issue"] = text_of(issue.find("Issue"))
        item["issued"] = _pub_date(issue.find("PubDate"))
    item["page"] = _pages(art.find("Pagination"))
    for date in art.findall("ArticleDate"):
        parts = [text_of(date.find(k)) for k in ("Year", "Month", "Day")]
        if parts[0].isdigit():
            item["available-date"] = {"date-parts": [[int(p) for p in parts if p.isdigit()]]}
            break
    authors = []
    for author in art.findall("AuthorList/Author"):
        if author.get("ValidYN") == "N":  # a name PubMed marks as wrong (kept for history)
            continue
        collective = text_of(author.find("CollectiveName"))
        if collective:
            authors.append({"literal": collective})
            continue
        family, given = text_of(author.find("LastName")), text_of(author.find("ForeName"))
        if family:
            authors.append({"family": family, **({"given": given} if given else {})})
    item["author"] = authors
    language = text_of(art.find("Language"))
    item["language"] = {"eng": "en", "fre": "fr", "ger": "de", "spa": "es", "ita": "it",
                        "swe": "sv", "jpn": "ja", "chi": "zh", "rus": "ru", "por": "pt",
                        "dut": "nl", "pol": "pl"}.get(language, language)
    abstract = [text_of(a) for a in art.findall("Abstract/AbstractText")]
    item["abstract"] = "\n\n".join(a for a in abstract if a)
    for ident in article.findall("PubmedData/ArticleIdList/ArticleId"):
        kind, value = ident.get("IdType"), text_of(ident)
        if kind == "doi" and not item.get("DOI"):
            item["DOI"] = normalize_doi(value) or value
        elif kind == "pmc":
            item["PMCID"] = value
    for loc in art.findall("ELocationID"):
        if loc.get("EIdType") == "doi" and not item.get("DOI"):
            item["DOI"] = normalize_doi(text_of(loc)) or text_of(loc)
    types = [text_of(t).lower() for t in art.findall("PublicationTypeList/PublicationType")]
    item["type"] = next((_TYPES[t] for t in types if t in _TYPES), "article-journal")
    item["publisher-place"] = text_of(citation.find("MedlineJournalInfo/Country"))
    return {k: v for k, v in item.items() if v not in (None, "", [], {})}


def _pub_date(element: Any) -> dict[str, Any] | None:
    """``<Year>2008</Year><Month>Feb</Month>`` or ``<MedlineDate>2010 Sep-Oct</MedlineDate>``
    (a range of months; a season or anything else stays the literal)."""
    if element is None:
        return None
    year = text_of(element.find("Year"))
    if year.isdigit():
        parts = [int(year)]
        month = _month(text_of(element.find("Month")))
        day = text_of(element.find("Day"))
        if month:
            parts.append(month)
            if day.isdigit() and 1 <= int(day) <= 31:
                parts.append(int(day))
        return {"date-parts": [parts]}
    medline = text_of(element.find("MedlineDate"))
    m = re.fullmatch(r"(\d{4})\s+([A-Za-z]{3})[a-z]*\s*-\s*([A-Za-z]{3})[a-z]*", medline)
    if m and _month(m.group(2)) and _month(m.group(3)):
        y = int(m.group(1))
        return {"date-parts": [[y, _month(m.group(2))], [y, _month(m.group(3))]]}
    m = re.fullmatch(r"(\d{4})\s*-\s*(\d{4})", medline)
    if m:
        return {"date-parts": [[int(m.group(1))], [int(m.group(2))]]}
    m = re.match(r"(\d{4})\b", medline)
    if m:
        return {"date-parts": [[int(m.group(1))]], "raw": medline}
    return {"literal": medline} if medline else None


def _month(text: str) -> int | None:
    if text.isdigit():
        return int(text) if 1 <= int(text) <= 12 else None
    return _MONTHS.get(text[:3].lower())


def _pages(pagination: Any) -> str:
    """``StartPage``/``EndPage`` (2025 DTD), else ``MedlinePgn`` with the end page written
    out: ``205-7`` → ``205-207``."""
    if pagination is None:
        return ""
    start, end = text_of(pagination.find("StartPage")), text_of(pagination.find("EndPage"))
    if start:
        return f"{start}-{end}" if end and end != start else start
    text = text_of(pagination.find("MedlinePgn"))
    m = re.fullmatch(r"(\d+)-(\d+)", text)
    if m and len(m.group(2)) < len(m.group(1)):
        first, last = m.groups()
        return f"{first}-{first[:len(first) - len(last)]}{last}"
    return text
