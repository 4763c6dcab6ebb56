"""OpenAlex works → CSL records.

Studied from Zotero's "OpenAlex JSON" translator (zotero/translators, 2024) and OpenAlex's
own answers (recorded by commonmeta-py and in Zotero's translator tests, see
tests/fixtures/openalex/README.md).

* **Type**: :data:`OPENALEX_TYPES`; a generic ``article`` or ``other`` is refined by the
  Crossref type OpenAlex keeps (``type_crossref`` or ``primary_location.raw_type``, read
  through the one Crossref table) and by the source: an article in a conference source is a
  ``paper-conference``, in a repository an ``article`` (a preprint).
* **Source, host organisation, repository**: a journal or conference source is the
  ``container-title`` and its host organisation the ``publisher``; a book series is the
  ``collection-title``; an ebook platform is no container (a chapter's book is the
  ``raw_source_name``); a repository (arXiv, bioRxiv, Zenodo, a university's) is the
  ``publisher`` of what it holds, as Zotero does for theses and datasets.
* **Names**: each authorship's ``display_name`` split as Zotero does ("Given Family"), but
  two-part names in East Asian scripts family first unless the first part ends like a
  Japanese given name (OpenAlex has both "宮地 元彦" and "啓子 上田"), Russian full names
  with the patronymic last family first, and collective names (consortium, university ...)
  kept whole; ORCID iDs bare; institutions as affiliations; the ``raw_author_name`` of
  every author kept in ``extra["raw-author-names"]``.
* **Pages** from ``biblio`` (``first-last``, one page when both are equal), the DOI from its
  URL, PMID/PMCID from ``ids``, and the abstract rebuilt from ``abstract_inverted_index``.
* **Dates**: ``publication_date``; OpenAlex pads a year it knows alone to ``YYYY-01-01``,
  so a 1 January date is read as the year only (the date as given is kept in
  ``extra["openalex-date"]``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..identifiers import normalize_doi, normalize_orcid
from ..model import Date, Name, Record
from ..names import parse_name
from .crossref import CROSSREF_TYPES, as_list, clean_markup, csl_type

#: OpenAlex work types (docs.openalex.org, "type") → CSL types.
OPENALEX_TYPES: Mapping[str, str] = {
    "article": "article-journal",
    "book": "book",
    "book-chapter": "chapter",
    "conference-paper": "paper-conference",
    "dataset": "dataset",
    "dissertation": "thesis",
    "editorial": "article-journal",
    "erratum": "article-journal",
    "grant": "document",
    "letter": "article-journal",
    "libguides": "webpage",
    "other": "document",
    "paratext": "document",
    "peer-review": "review",
    "preprint": "article",
    "reference-entry": "entry-encyclopedia",
    "report": "report",
    "retraction": "article-journal",
    "review": "article-journal",
    "software": "software",
    "standard": "standard",
    "supplementary-materials": "document",
}

#: Types whose repository/platform source is their publisher, not a container.
_PUBLISHED_BY_SOURCE = frozenset({"thesis", "dataset", "article", "report", "software", "document"})

_COLLECTIVE = re.compile(
    r"(?i)\b(consortium|collaboration|group|committee|association|society|council|agency|"
    r"department|ministry|organi[sz]ation|foundation|laborator(?:y|ies)|centre|center|team|"
    r"network|project|initiative|panel|investigators|museum|library|office|corporation|"
    r"universit(?:y|é|ät|à|ad|e)|institut(?:e|o|ion)?|inc\.|ltd\.?|gmbh|working party)\b"
)
_EAST_ASIAN = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_PATRONYMIC = re.compile(r"(?i)(?:вич|вна|чна|ична|ьич|оглы|кызы)$")
#: Last characters of Japanese given names (啓子, 太郎, 元彦 ...), rare at the end of a
#: family name: OpenAlex writes Japanese names in either order ("宮地 元彦", "啓子 上田").
_GIVEN_END = re.compile(
    "[子郎彦夫雄男美恵江枝奈香菜也哉介輔助太司治樹之人一二三平吉造蔵明博隆宏弘浩裕誠秀光紀佳絵穂乃]$"
)


def openalex_type(work: Mapping[str, Any]) -> str:
    """The CSL type of an OpenAlex work."""
    kind = str(work.get("type") or "").strip().lower()
    location = work.get("primary_location")
    location = location if isinstance(location, Mapping) else {}
    source = location.get("source") if isinstance(location.get("source"), Mapping) else {}
    source_type = str(source.get("type") or "")
    crossref = str(work.get("type_crossref") or location.get("raw_type") or "").strip().lower()
    if kind in ("article", "other", "") and crossref in CROSSREF_TYPES:
        refined = csl_type(crossref)
        if refined not in ("article-journal", "document") or kind == "other":
            return refined
    if kind == "article":
        if source_type == "conference":
            return "paper-conference"
        if source_type == "repository":
            return "article"
    if kind in OPENALEX_TYPES:
        return OPENALEX_TYPES[kind]
    return csl_type(kind, default="document")


def split_display_name(text: str) -> Name:
    """An OpenAlex display name as a CSL name (see the module notes)."""
    text = re.sub(r"\s*\(\d+\)$", "", " ".join(text.split())).strip(" ,;")  # "Name (15649)"
    text = text.replace("\u2010", "-").replace("\u2011", "-")  # "Charles‐Edmond": a hyphen
    if not text:
        return Name()
    if _COLLECTIVE.search(text):
        return Name(literal=text)
    words = text.split(" ")
    if len(words) > 1 and "," not in text:
        if _EAST_ASIAN.search(text) and len(words) == 2:
            first, second = words
            if _GIVEN_END.search(first) and not _GIVEN_END.search(second):
                return Name(family=second, given=first)  # "啓子 上田": given name first
            return Name(family=first, given=second)  # family name first, as East Asian
        if len(words) == 3 and _PATRONYMIC.search(words[2]):
            return Name(family=words[0], given=" ".join(words[1:]))
    return parse_name(text)


def authorship_name(authorship: Mapping[str, Any]) -> tuple[Name | None, str]:
    """(the name, the raw name as printed on the work) of one authorship."""
    author = authorship.get("author")
    author = author if isinstance(author, Mapping) else {}
    display = str(author.get("display_name") or "").strip()
    raw = str(authorship.get("raw_author_name") or "").strip()
    name = split_display_name(display or raw)
    if name == Name():
        return None, raw
    affiliations: list[str] = []
    for institution in as_list(authorship.get("institutions")):
        if isinstance(institution, Mapping) and institution.get("display_name"):
            affiliations.append(str(institution["display_name"]))
    if not affiliations:
        affiliations = [
            str(a) for a in as_list(authorship.get("raw_affiliation_strings")) if str(a).strip()
        ]
    orcid = normalize_orcid(str(author.get("orcid") or authorship.get("raw_orcid") or ""))
    return name.replace(affiliation=tuple(dict.fromkeys(affiliations)), orcid=orcid or ""), raw


def rebuild_abstract(index: Any) -> str:
    """The text of an ``abstract_inverted_index`` (``{"word": [positions]}``)."""
    if not isinstance(index, Mapping) or not index:
        return ""
    placed: dict[int, str] = {}
    for word, positions in index.items():
        if not isinstance(positions, list):
            continue
        for position in positions:
            if isinstance(position, int) and 0 <= position < 1_000_000:
                placed[position] = str(word)
    return " ".join(placed[p] for p in sorted(placed)).strip()


def _date(work: Mapping[str, Any], extra: dict[str, Any]) -> Date | None:
    text = str(work.get("publication_date") or "").strip()
    if text:
        date = Date.parse(text)
        if date.parts:
            if len(date.parts[0]) == 3 and date.parts[0][1:] == (1, 1):
                extra["openalex-date"] = text
                return Date(parts=((date.parts[0][0],),))
            return date
    year = work.get("publication_year")
    if isinstance(year, int) and 0 < year < 10000:
        return Date.of(year)
    return None


def _pages(biblio: Mapping[str, Any]) -> str:
    first = str(biblio.get("first_page") or "").strip()
    last = str(biblio.get("last_page") or "").strip()
    if first and last and first != last:
        return f"{first}-{last}"
    return first or last


def _short_id(url: Any, prefix: str = "") -> str:
    text = str(url or "").strip().rstrip("/")
    if not text:
        return ""
    tail = text.rsplit("/", 1)[-1]
    return prefix + tail if prefix and not tail.upper().startswith(prefix) else tail


def from_openalex(work: Mapping[str, Any], *, index: int = 0, rich: bool = True) -> Record:
    """One OpenAlex work (an API answer or a line of the snapshot) as a :class:`Record`.

    Raises ValueError when ``work`` is not an OpenAlex work.
    """
    if not isinstance(work, Mapping):
        raise ValueError(f"a {type(work).__name__}, not an object")
    ids = work.get("ids") if isinstance(work.get("ids"), Mapping) else {}
    openalex_id = _short_id(work.get("id") or ids.get("openalex"))
    if not (openalex_id or work.get("doi") or work.get("title") or work.get("display_name")):
        raise ValueError("no id, DOI or title: not an OpenAlex work")
    ctype = openalex_type(work)
    fields: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    if openalex_id:
        extra["openalex"] = openalex_id
    kind = str(work.get("type") or "")
    if kind and OPENALEX_TYPES.get(kind) != ctype:
        extra["openalex-type"] = kind  # what the CSL type does not imply
    title = clean_markup(str(work.get("title") or work.get("display_name") or ""), rich=rich)
    fields["title"] = title
    doi = normalize_doi(str(work.get("doi") or ids.get("doi") or "")) or ""
    fields["DOI"] = doi
    pmid = _short_id(ids.get("pmid"))
    if pmid.isdigit():
        fields["PMID"] = pmid
    pmcid = _short_id(ids.get("pmcid"), "PMC")
    if pmcid[3:].isdigit():
        fields["PMCID"] = pmcid
    if work.get("language"):
        fields["language"] = str(work["language"])

    location = work.get("primary_location")
    location = location if isinstance(location, Mapping) else {}
    source = location.get("source") if isinstance(location.get("source"), Mapping) else {}
    source_name = clean_markup(str(source.get("display_name") or ""), rich=rich)
    source_type = str(source.get("type") or "")
    raw_source = clean_markup(str(location.get("raw_source_name") or ""), rich=rich)
    host = " ".join(str(source.get("host_organization_name") or "").split())
    fields["publisher"] = host
    if source_type == "book series":
        series = (
            raw_source
            if raw_source and source_name.lower().startswith(raw_source.lower())
            else re.sub(r"(?i)\s+book series$", "", source_name)
        )
        fields["collection-title"] = series
        if raw_source and raw_source.lower() != series.lower() and ctype != "book":
            fields["container-title"] = raw_source
    elif source_type == "ebook platform":
        if raw_source and ctype != "book":
            fields["container-title"] = raw_source
        extra["openalex-source"] = source_name
    elif source_type == "repository" and ctype in _PUBLISHED_BY_SOURCE:
        if host and host != source_name:
            extra["host-organization"] = host
        fields["publisher"] = source_name
    elif source_name:
        if ctype in ("thesis", "dataset"):
            fields["publisher"] = source_name  # Zotero: a thesis's or dataset's source
        elif ctype == "book":
            fields["collection-title"] = source_name
        else:
            fields["container-title"] = source_name
    elif raw_source:
        if ctype in ("thesis", "dataset", "document", "article", "post-weblog"):
            fields["publisher"] = fields["publisher"] or raw_source
        elif ctype != "book":
            fields["container-title"] = raw_source
    issns = [str(i) for i in as_list(source.get("issn")) if i]
    if source.get("issn_l") and str(source["issn_l"]) not in issns:
        issns.insert(0, str(source["issn_l"]))
    if issns:
        fields["ISSN"] = ", ".join(issns)
    landing = str(location.get("landing_page_url") or "").strip()
    if landing and normalize_doi(landing) != doi:
        fields["URL"] = landing
    if location.get("license"):
        fields["license"] = str(location["license"])
    if location.get("pdf_url"):
        extra["pdf-url"] = str(location["pdf_url"])

    biblio = work.get("biblio") if isinstance(work.get("biblio"), Mapping) else {}
    for key in ("volume", "issue"):
        if biblio.get(key):
            fields[key] = " ".join(str(biblio[key]).split())
    fields["page"] = _pages(biblio)

    authors: list[Name] = []
    raw_names: list[str] = []
    for authorship in as_list(work.get("authorships")):
        if not isinstance(authorship, Mapping):
            continue
        name, raw = authorship_name(authorship)
        if name is not None:
            authors.append(name)
            raw_names.append(raw)
    if any(raw_names):
        extra["raw-author-names"] = raw_names
    if ctype == "thesis" and not fields["publisher"]:
        first = next((a for a in as_list(work.get("authorships")) if isinstance(a, Mapping)), {})
        affiliations = as_list(first.get("raw_affiliation_strings"))
        if affiliations:
            fields["publisher"] = str(affiliations[0])  # Zotero: the author's university

    dates: dict[str, Date] = {}
    issued = _date(work, extra)
    if issued is not None:
        dates["issued"] = issued
    abstract = rebuild_abstract(work.get("abstract_inverted_index"))
    keywords = tuple(
        str(k.get("display_name") or k.get("keyword"))
        for k in as_list(work.get("keywords"))
        if isinstance(k, Mapping) and (k.get("display_name") or k.get("keyword"))
    )
    return Record(
        id=doi or openalex_id or f"item{index + 1}",
        type=ctype,
        fields={k: v for k, v in fields.items() if v not in (None, "")},
        names={"author": tuple(authors)} if authors else {},
        dates=dates,
        abstracts={"": abstract} if abstract else {},
        keywords={"": keywords} if keywords else {},
        extra=extra,
    )
