"""HTML landing pages: embedded bibliographic metadata → one :class:`Record`.

Four vocabularies are read, each into a partial record of its own:

* **Highwire Press** ``<meta name="citation_*">`` (Google Scholar's tags, emitted by OJS,
  HighWire, Atypon, Silverchair ...). ``citation_author_institution`` /
  ``citation_author_affiliation`` and ``citation_author_orcid`` belong to the
  ``citation_author`` before them;
* **schema.org JSON-LD** ``<script type="application/ld+json">``: the first
  ``ScholarlyArticle`` / ``Article`` / ``Chapter`` / ``Book`` / ``Thesis`` / ``Report`` node
  (also inside ``@graph``), authors with ``affiliation`` and an ORCID in ``identifier``,
  ``sameAs`` or ``@id``, and the ``isPartOf`` chain PublicationIssue → PublicationVolume →
  Periodical (issue, volume, journal name, ISSN, publisher);
* **PRISM** ``prism.*`` (publicationName, volume, number, startingPage ...);
* **Dublin Core** ``DC.*`` / ``dc.*`` / ``DCTERMS.*`` (including OJS's qualified names
  ``DC.Source.Volume``, ``DC.Identifier.DOI``, ``DC.Identifier.pageNumber`` ...).

Precedence when several are present — **field by field, Highwire > JSON-LD > PRISM > DC**:
each CSL variable, date and name list comes from the highest-ranked vocabulary that has
it; a lower one only fills what the higher ones lack.  Per-language abstracts, keywords
and translated titles are merged language by language in the same order.  An author list
is taken whole from one vocabulary; a lower one whose list names the same people (same
count, same family names) fills missing affiliations and ORCID iDs.  The reasoning:
Highwire tags are what publishers maintain for Google Scholar and are the most complete
and specific; JSON-LD is structured but often generated for SEO (``headline`` may be
cut short); PRISM is specific but rare; DC is generic (``DC.date`` may be a modification
date, ``DC.identifier`` anything).  ``language`` attributes (``lang`` / ``xml:lang``) on a
meta tag file its title, abstract or keywords under that language.  Unmapped tags of these
vocabularies are kept in ``extra["html-meta"]`` (nothing read is lost).

A page whose tags name no work — no title, DOI or author in any vocabulary; site-wide
``DC.language`` or ``DC.publisher`` tags alone do not count — (the seed journal's own site
shows its record only as page text) is turned into text, one line per list item
(``  • Author: ...``), paragraphs apart, without scripts, navigation or footers, and handed
to the landing-page text reader :func:`citetool.readers.landing.read`.

Untrusted input: parsed with lxml's HTML parser with network access off, no entity
expansion (the HTML parser never loads DTDs) and comments / processing instructions
dropped; the page, each JSON-LD block and the number of meta tags are size-limited.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import Diagnostic, ReadError
from ..identifiers import normalize_doi, normalize_issn, normalize_orcid
from ..model import CSL_TYPES, Date, Name, Record
from ..names import parse_name
from ..registry import ReadResult

#: Refuse pages larger than this many characters.
MAX_HTML_CHARS = 16 * 1024 * 1024
#: Ignore JSON-LD blocks larger than this (and read at most MAX_JSONLD_BLOCKS of them).
MAX_JSONLD_CHARS = 2 * 1024 * 1024
MAX_JSONLD_BLOCKS = 32
#: Read at most this many meta tags.
MAX_META_TAGS = 20_000

VOCABULARIES = ("highwire", "jsonld", "prism", "dc")
#: ``Record.extra`` key of the tags no CSL variable holds (``{tag: value or [values]}``)
META_KEY = "html-meta"


# --- the partial record each vocabulary produces --------------------------------------


@dataclass
class Partial:
    """What one vocabulary says about the page's work (CSL vocabulary)."""

    vocabulary: str
    type: str = ""
    fields: dict[str, str] = field(default_factory=dict)
    names: dict[str, list[Name]] = field(default_factory=dict)
    dates: dict[str, Date] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    abstracts: dict[str, str] = field(default_factory=dict)
    keywords: dict[str, list[str]] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    issns: list[str] = field(default_factory=list)
    first_page: str = ""
    last_page: str = ""

    def put(self, target: str, value: str, meta: Meta) -> None:
        """Store a tag's value by its mapping-table target: a CSL variable (dates, ``DOI``,
        ``ISSN``, ``abstract`` and ``keyword`` handled as such), ``page-first`` /
        ``page-last``, or ``extra:<name>``."""
        if target in ("issued", "available-date"):
            self.date(target, value)
        elif target == "DOI":
            self.set("DOI", normalize_doi(value) or value, meta.key)
        elif target == "ISSN":
            self.issns.append(normalize_issn(value) or value)
        elif target == "page-first":
            self.first_page = self.first_page or value
        elif target == "page-last":
            self.last_page = self.last_page or value
        elif target == "abstract":
            self.abstracts.setdefault(meta.lang, value)
        elif target == "keyword":
            self.add_keywords(meta.lang, _split_keywords(meta.value))
        elif target.startswith("extra:"):
            self.extra.setdefault(target[6:], value)
        else:
            self.set(target, value, meta.key)

    def finish(self) -> Partial:
        """Pages from first/last page, the ISSNs joined (``print, electronic``)."""
        if "page" not in self.fields and (self.first_page or self.last_page):
            first, last = self.first_page, self.last_page
            self.fields["page"] = (
                f"{first}-{last}" if first and last and first != last else (first or last)
            )
        unique = list(dict.fromkeys(i for i in self.issns if i))
        if unique and "ISSN" not in self.fields:
            self.fields["ISSN"] = ", ".join(unique)
        return self

    def set(self, var: str, value: str | None, key: str = "") -> None:
        """Set ``var`` unless ``value`` is empty; the first tag of a kind wins, and a later
        different value is kept under its tag ``key`` in ``extra['html-meta']``."""
        value = _clean(value)
        if not value:
            return
        if var not in self.fields:
            self.fields[var] = value
        elif key and self.fields[var] != value:
            self.keep(key, value)

    def date(self, var: str, value: str | None) -> None:
        """The first date wins, unless a later one is the same year, more precise."""
        value = _clean(value)
        if not value:
            return
        date = parse_date(value)
        old = self.dates.get(var)
        if old is None or (
            old.year is not None
            and old.year == date.year
            and len(date.parts[0]) > len(old.parts[0])
        ):
            self.dates[var] = date

    def add_keywords(self, lang: str, words: Iterable[str]) -> None:
        bucket = self.keywords.setdefault(lang, [])
        for word in words:
            word = _clean(word)
            if word and word not in bucket:
                bucket.append(word)

    def keep(self, key: str, value: str) -> None:
        """An unmapped tag: kept in ``extra['html-meta']`` (a list when repeated)."""
        meta = self.extra.setdefault(META_KEY, {})
        if key in meta:
            old = meta[key]
            meta[key] = (old if isinstance(old, list) else [old]) + [value]
        else:
            meta[key] = value

    def is_empty(self) -> bool:
        return not (self.fields or self.names or self.dates or self.titles or self.abstracts)

    def is_bibliographic(self) -> bool:
        """Says what work the page is about: a title, a DOI or authors (a site-wide
        ``DC.publisher`` or ``DC.language`` alone does not)."""
        return bool(self.fields.get("title") or self.fields.get("DOI") or self.names)


# --- entry point ----------------------------------------------------------------------


def read(text: str, source: str = "<stdin>", **options: Any) -> ReadResult:
    """Read the metadata embedded in an HTML page (see the module docstring)."""
    if len(text) > MAX_HTML_CHARS:
        raise ReadError(f"page too large ({len(text)} characters; limit {MAX_HTML_CHARS})", source)
    if not text.strip():
        raise ReadError("empty input, expected an HTML page", source)
    root = parse_html(text, source)
    diagnostics: list[Diagnostic] = []
    metas = list(_metas(root, diagnostics, source))
    partials = [
        highwire(metas),
        jsonld(root, diagnostics, source),
        prism(metas),
        dublin_core(metas),
    ]
    if not any(p.is_bibliographic() for p in partials):
        return _delegate(root, source, options)
    found = [p for p in partials if not p.is_empty()]
    record = merge(found, page_url=_page_url(root, metas))
    names = ", ".join(_LABELS[p.vocabulary] for p in found)
    diagnostics.append(Diagnostic.info(f"read embedded metadata: {names}", source))
    return ReadResult([record], diagnostics)


_LABELS = {"highwire": "citation_*", "jsonld": "JSON-LD", "prism": "PRISM", "dc": "Dublin Core"}


def parse_html(text: str, source: str = "<stdin>") -> Any:
    """An lxml HTML tree, parsed without network access, comments or PIs."""
    import lxml.etree
    import lxml.html

    parser = lxml.html.HTMLParser(
        encoding="utf-8",
        no_network=True,
        remove_comments=True,
        remove_pis=True,
        huge_tree=False,
        default_doctype=False,
    )
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8", "surrogatepass"), parser=parser)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise ReadError(f"not an HTML page: {exc}", source) from None
    if root is None:
        raise ReadError("not an HTML page", source)
    return root


@dataclass(frozen=True)
class Meta:
    key: str  # the name (or property) attribute as written
    value: str
    lang: str
    scheme: str


def _metas(root: Any, diagnostics: list[Diagnostic], source: str) -> Iterator[Meta]:
    for count, el in enumerate(root.iter("meta")):
        if count >= MAX_META_TAGS:
            diagnostics.append(
                Diagnostic.warning(f"more than {MAX_META_TAGS} meta tags; the rest ignored", source)
            )
            return
        key = (el.get("name") or el.get("property") or "").strip()
        value = el.get("content")
        if not key or value is None:
            continue
        lang = el.get("{http://www.w3.org/XML/1998/namespace}lang") or el.get("xml:lang")
        lang = lang or el.get("lang") or ""
        yield Meta(key, value, _lang(lang), (el.get("scheme") or "").strip())


def _lang(tag: str) -> str:
    """``en_US`` → ``en-US``; blank → ``""``."""
    return tag.strip().replace("_", "-")


def _clean(value: str | None) -> str:
    return re.sub(r"\s+", " ", value).strip() if value else ""


# --- Highwire Press citation_* --------------------------------------------------------

#: Highwire Press tag → CSL variable (or page-first/page-last, extra:<name>)
_HW_FIELDS = {
    "citation_journal_title": "container-title",
    "citation_conference_title": "container-title",
    "citation_book_title": "container-title",
    "citation_inbook_title": "container-title",
    "citation_journal_abbrev": "container-title-short",
    "citation_volume": "volume",
    "citation_issue": "issue",
    "citation_firstpage": "page-first",
    "citation_lastpage": "page-last",
    "citation_publication_date": "issued",
    "citation_date": "issued",
    "citation_cover_date": "issued",
    "citation_year": "issued",
    "citation_online_date": "available-date",
    "citation_doi": "DOI",
    "citation_issn": "ISSN",
    "citation_eissn": "ISSN",
    "citation_abstract": "abstract",
    "citation_keywords": "keyword",
    "citation_pdf_url": "extra:pdf-url",
    "citation_publisher": "publisher",
    "citation_dissertation_institution": "publisher",
    "citation_technical_report_institution": "publisher",
    "citation_technical_report_number": "number",
    "citation_isbn": "ISBN",
    "citation_language": "language",
    "citation_abstract_html_url": "URL",
    "citation_fulltext_html_url": "URL",
    "citation_public_url": "URL",
    "citation_pmid": "PMID",
    "citation_arxiv_id": "number",
    "citation_series_title": "collection-title",
    "citation_edition": "edition",
}
_HW_TYPES = {
    "citation_journal_title": "article-journal",
    "citation_conference_title": "paper-conference",
    "citation_book_title": "chapter",
    "citation_inbook_title": "chapter",
    "citation_dissertation_institution": "thesis",
    "citation_technical_report_institution": "report",
}


def _tags(metas: list[Meta], prefix: str) -> Iterator[tuple[str, str, Meta]]:
    """``(lower-case key, cleaned value, meta)`` for the tags of one vocabulary."""
    for meta in metas:
        key = meta.key.lower()
        if key.startswith(prefix):
            value = _clean(meta.value)
            if value:
                yield key, value, meta


def highwire(metas: list[Meta]) -> Partial:
    part = Partial("highwire")
    authors: list[Name] = []
    for key, value, meta in _tags(metas, "citation_"):
        if key == "citation_title":
            _title(part, value, meta.lang)
        elif key == "citation_author":
            authors.append(_person(value))
        elif key == "citation_authors":  # the old form: "Doe, J.; Roe, R."
            authors.extend(_person(v) for v in value.split(";") if v.strip())
        elif key in ("citation_author_institution", "citation_author_affiliation"):
            if authors:
                authors[-1] = _with_affiliation(authors[-1], value)
            else:
                part.keep(meta.key, value)
        elif key == "citation_author_orcid":
            orcid = normalize_orcid(value)
            if authors and orcid and not authors[-1].orcid:
                authors[-1] = authors[-1].replace(orcid=orcid)
            else:
                part.keep(meta.key, value)
        elif key in _HW_FIELDS:
            part.put(_HW_FIELDS[key], value, meta)
            if key in _HW_TYPES and not part.type:
                part.type = _HW_TYPES[key]
        else:
            part.keep(meta.key, value)
    if authors:
        part.names["author"] = authors
    if not part.type and part.fields:
        part.type = "article"
    return part.finish()


def _title(part: Partial, value: str, lang: str) -> None:
    """The first title is the title; another one in another language is a translation."""
    if "title" not in part.fields:
        part.fields["title"] = value
        if lang:
            part.extra.setdefault("title-language", lang)
    elif lang and value != part.fields["title"]:
        part.titles.setdefault(lang, value)


def _person(text: str) -> Name:
    name = parse_name(text)
    return name if (name.family or name.literal) else Name(literal=text)


def _with_affiliation(person: Name, text: str) -> Name:
    if text in person.affiliation:
        return person
    return person.replace(affiliation=person.affiliation + (text,))


def _split_keywords(text: str) -> list[str]:
    """Google Scholar separates keywords with semicolons; some sites use commas."""
    sep = ";" if ";" in text else ","
    return [w for w in (_clean(p) for p in text.split(sep)) if w]


# --- PRISM ----------------------------------------------------------------------------

#: PRISM tag → CSL variable (or page-first/page-last)
_PRISM_FIELDS = {
    "prism.publicationname": "container-title",
    "prism.volume": "volume",
    "prism.number": "issue",
    "prism.issueidentifier": "issue",
    "prism.startingpage": "page-first",
    "prism.endingpage": "page-last",
    "prism.pagerange": "page",
    "prism.publicationdate": "issued",
    "prism.coverdate": "issued",
    "prism.onlinedate": "available-date",
    "prism.doi": "DOI",
    "prism.issn": "ISSN",
    "prism.eissn": "ISSN",
    "prism.keyword": "keyword",
    "prism.url": "URL",
    "prism.isbn": "ISBN",
    "prism.section": "section",
    "prism.publisher": "publisher",
    "prism.edition": "edition",
    "prism.copyright": "license",
    "prism.rightsagent": "license",
}


def prism(metas: list[Meta]) -> Partial:
    part = Partial("prism")
    for key, value, meta in _tags(metas, "prism."):
        if key in _PRISM_FIELDS:
            part.put(_PRISM_FIELDS[key], value, meta)
        else:
            part.keep(meta.key, value)
    if "container-title" in part.fields:
        part.type = "article-journal"
    return part.finish()


# --- Dublin Core ----------------------------------------------------------------------

_DC_PREFIX = re.compile(r"^(?:dc|dcterms)[.:]", re.I)
_DC_FIELDS = {
    "publisher": "publisher",
    "language": "language",
    "rights": "license",
    "license": "license",
    "source": "container-title",
    "source.title": "container-title",
    "source.volume": "volume",
    "source.issue": "issue",
    "source.uri": "extra:container-url",
    "identifier.doi": "DOI",
    "identifier.uri": "URL",
    "identifier.url": "URL",
    "identifier.pagenumber": "page",
    "identifier.isbn": "ISBN",
    "citation.volume": "volume",
    "citation.issue": "issue",
    "citation.spage": "page-first",
    "citation.epage": "page-last",
    "citation.jtitle": "container-title",
    "ispartof": "container-title",
    "description": "abstract",
    "abstract": "abstract",
    "description.abstract": "abstract",
    "subject": "keyword",
    "subject.keyword": "keyword",
    "keywords": "keyword",
    "source.issn": "ISSN",
    "identifier.issn": "ISSN",
}
_DC_DATES = ("date.issued", "issued", "date", "date.created", "created", "available")


def dublin_core(metas: list[Meta]) -> Partial:
    part = Partial("dc")
    dates: dict[str, str] = {}
    creators: list[Name] = []
    contributors: list[Name] = []
    for meta in metas:
        value = _clean(meta.value)
        if not value or not _DC_PREFIX.match(meta.key):
            continue
        key = _DC_PREFIX.sub("", meta.key).lower()
        if key in ("title", "title.main"):
            _title(part, value, meta.lang)
        elif key in ("title.alternative", "alternative"):
            if meta.lang:
                part.titles.setdefault(meta.lang, value)
            else:
                part.keep(meta.key, value)
        elif key.startswith("creator"):
            creators.append(_person(value))
        elif key.startswith("contributor"):
            contributors.append(_person(value))
        elif key in _DC_DATES:
            dates.setdefault(key, value)
        elif key == "identifier":
            _dc_identifier(part, value, meta.scheme)
        elif key == "type":
            part.type = _dc_type(value) or part.type
            part.keep(meta.key, value)
        elif key in _DC_FIELDS:
            var = _DC_FIELDS[key]
            if var == "license" and re.match(r"https?://", value) and "license" in part.fields:
                part.keep(meta.key, part.fields["license"])  # a licence URL beats a notice
                part.fields["license"] = value
            else:
                part.put(var, value, meta)
        else:
            part.keep(meta.key, value)
    for key in _DC_DATES:
        if key in dates:
            part.date("issued", dates[key])
            break
    if creators:
        part.names["author"] = creators
    if contributors:
        part.names["contributor"] = contributors
    if not part.type and "container-title" in part.fields:
        part.type = "article-journal"
    return part.finish()


def _dc_identifier(part: Partial, value: str, scheme: str) -> None:
    doi = normalize_doi(value) if ("doi" in scheme.lower() or "doi" in value.lower()) else None
    if doi:
        part.set("DOI", doi)
    elif re.match(r"https?://", value):
        part.set("URL", value)
    elif scheme.upper() == "ISSN" or (normalize_issn(value) == value.upper()):
        part.issns.append(value.upper())
    elif scheme.upper() == "ISBN":
        part.set("ISBN", value)
    else:
        part.keep("DC.identifier", value)


def _dc_type(value: str) -> str:
    low = value.lower()
    if "journal" in low or "article" in low:
        return "article-journal"
    if "thesis" in low or "dissertation" in low:
        return "thesis"
    if "book" in low:
        return "book"
    if "report" in low:
        return "report"
    return ""


# --- schema.org JSON-LD ---------------------------------------------------------------

_WORK_TYPES = {
    "scholarlyarticle": "article-journal",
    "medicalscholarlyarticle": "article-journal",
    "article": "article",
    "newsarticle": "article-newspaper",
    "blogposting": "post-weblog",
    "techarticle": "article",
    "report": "report",
    "chapter": "chapter",
    "book": "book",
    "thesis": "thesis",
    "dataset": "dataset",
    "creativework": "document",
}


def jsonld(root: Any, diagnostics: list[Diagnostic], source: str) -> Partial:
    part = Partial("jsonld")
    blocks = [
        el
        for el in root.iter("script")
        if (el.get("type") or "").split(";")[0].strip().lower() == "application/ld+json"
    ]
    for el in blocks[:MAX_JSONLD_BLOCKS]:
        text = el.text or ""
        if len(text) > MAX_JSONLD_CHARS:
            diagnostics.append(
                Diagnostic.warning("a JSON-LD block is too large; ignored", source, el.sourceline)
            )
            continue
        try:
            data = json.loads(text)
        except (json.JSONDecodeError, RecursionError) as exc:
            msg = getattr(exc, "msg", "nested too deeply")
            diagnostics.append(
                Diagnostic.warning(f"invalid JSON-LD ignored: {msg}", source, el.sourceline)
            )
            continue
        work = _find_work(data)
        if work is not None:
            _read_work(part, work)
            return part.finish()
    return part


def _types(node: Mapping[str, Any]) -> list[str]:
    value = node.get("@type", [])
    values = value if isinstance(value, list) else [value]
    return [str(v).rsplit("/", 1)[-1].rsplit(":", 1)[-1].lower() for v in values]


def _find_work(data: Any, depth: int = 0) -> Mapping[str, Any] | None:
    """The first node typed as a scholarly work (breadth-first through @graph / lists)."""
    if depth > 8:
        return None
    nodes: list[Any] = data if isinstance(data, list) else [data]
    for node in nodes:
        if isinstance(node, Mapping) and any(t in _WORK_TYPES for t in _types(node)):
            if not any(t in ("webpage", "website") for t in _types(node)):
                return node
    for node in nodes:
        if isinstance(node, Mapping):
            for key in ("@graph", "mainEntity", "mainEntityOfPage"):
                found = _find_work(node.get(key), depth + 1) if key in node else None
                if found is not None:
                    return found
        elif isinstance(node, list):
            found = _find_work(node, depth + 1)
            if found is not None:
                return found
    return None


def _text(value: Any, depth: int = 0) -> str:
    """A JSON-LD value as text: strings, numbers, ``{"@value"}`` / ``{"name"}`` objects."""
    if depth > 16:  # hostile nesting: [[[[...]]]]
        return ""
    if isinstance(value, list):
        return _text(value[0], depth + 1) if value else ""
    if isinstance(value, Mapping):
        for key in ("@value", "name", "value", "alternateName"):
            if key in value:
                return _text(value[key], depth + 1)
        return ""
    if isinstance(value, bool) or value is None:
        return ""
    return _clean(str(value))


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, Mapping) and isinstance(value.get("@list"), list):
        return list(value["@list"])  # JSON-LD's ordered list form
    return value if isinstance(value, list) else [value]


def _read_work(part: Partial, work: Mapping[str, Any]) -> None:
    types = _types(work)
    kind = next((_WORK_TYPES[t] for t in types if t in _WORK_TYPES), "article")
    lang = _text(work.get("inLanguage"))
    part.set("language", lang)
    title = _text(work.get("headline")) or _text(work.get("name"))
    if title:
        part.fields["title"] = title
    alternative = _text(work.get("alternativeHeadline")) or _text(work.get("alternateName"))
    if alternative and alternative != title:
        part.extra.setdefault("alternative-title", alternative)
    people = [p for p in (_jsonld_person(a) for a in _as_list(work.get("author"))) if p]
    if people:
        part.names["author"] = people
    editors = [p for p in (_jsonld_person(a) for a in _as_list(work.get("editor"))) if p]
    if editors:
        part.names["editor"] = editors
    part.date("issued", _text(work.get("datePublished")) or _text(work.get("dateCreated")))
    part.first_page = _text(work.get("pageStart"))
    part.last_page = _text(work.get("pageEnd"))
    part.set("page", _text(work.get("pagination")))
    for ident in (
        _as_list(work.get("identifier"))
        + _as_list(work.get("sameAs"))
        + [
            work.get("@id"),
            work.get("doi"),
        ]
    ):
        _jsonld_identifier(part, ident)
    part.set("URL", _text(work.get("url")))
    abstract = _text(work.get("abstract")) or _text(work.get("description"))
    if abstract:
        part.abstracts.setdefault("", abstract)
    keywords = work.get("keywords")
    if isinstance(keywords, list):
        part.add_keywords("", (_text(k) for k in keywords))
    elif keywords:
        part.add_keywords("", _split_keywords(_text(keywords)))
    part.set("publisher", _text(work.get("publisher")))
    part.set("license", _text(work.get("license")))
    part.set("ISBN", _text(work.get("isbn")))
    issns: list[str] = [_text(i) for i in _as_list(work.get("issn"))]
    container_kind = _is_part_of(part, work.get("isPartOf"), issns)
    part.issns.extend(normalize_issn(i) or i for i in issns if i)
    if kind == "article" and container_kind == "periodical":
        kind = "article-journal"
    if kind == "chapter" or container_kind == "book":
        kind = "chapter" if container_kind == "book" else kind
    part.type = kind


def _is_part_of(part: Partial, node: Any, issns: list[str], depth: int = 0) -> str:
    """Walk PublicationIssue → PublicationVolume → Periodical; return the container kind."""
    kind = ""
    for item in _as_list(node):
        if depth > 6 or not isinstance(item, Mapping):
            if isinstance(item, str) and item and not item.startswith("http"):
                part.set("container-title", item)
            continue
        types = _types(item)
        if "publicationissue" in types:
            part.set("issue", _text(item.get("issueNumber")))
            part.date("issued", _text(item.get("datePublished")))
        if "publicationvolume" in types:
            part.set("volume", _text(item.get("volumeNumber")))
        if any(t in ("periodical", "publicationvolume", "newspaper") for t in types):
            kind = "periodical"
        if "book" in types:
            kind = "book"
        if any(t in ("periodical", "book", "newspaper", "website") for t in types):
            part.set("container-title", _text(item.get("name")))
            part.set("publisher", _text(item.get("publisher")))
            issns.extend(_text(i) for i in _as_list(item.get("issn")))
        if "book" in types:
            part.set("ISBN", _text(item.get("isbn")))
        inner = _is_part_of(part, item.get("isPartOf"), issns, depth + 1)
        kind = kind or inner
    return kind


def _jsonld_identifier(part: Partial, ident: Any) -> None:
    if isinstance(ident, Mapping):
        prop = _text(ident.get("propertyID")).lower()
        value = _text(ident.get("value")) or _text(ident.get("@id"))
        if prop == "doi" or "doi" in value.lower():
            part.set("DOI", normalize_doi(value) or value)
        elif prop in ("isbn", "issn", "pmid"):
            part.set(prop.upper(), value)
        return
    text = _text(ident)
    if text and ("doi.org/" in text.lower() or text.lower().startswith(("doi:", "10."))):
        doi = normalize_doi(text)
        if doi:
            part.set("DOI", doi)


def _jsonld_person(node: Any) -> Name | None:
    if isinstance(node, str):
        return _person(_clean(node)) if node.strip() else None
    if not isinstance(node, Mapping):
        return None
    family = _text(node.get("familyName"))
    given = _text(node.get("givenName"))
    if family:
        person = Name(family=family, given=given)
    else:
        text = _text(node.get("name"))
        if not text:
            return None
        person = Name(literal=text) if "organization" in _types(node) else _person(text)
    affiliations = tuple(a for a in (_text(x) for x in _as_list(node.get("affiliation"))) if a)
    orcid = ""
    for ident in (
        _as_list(node.get("identifier")) + _as_list(node.get("sameAs")) + [node.get("@id")]
    ):
        value = ident
        if isinstance(ident, Mapping):
            value = ident.get("value") or ident.get("@id") or ""
        if isinstance(value, str) and (
            "orcid" in value.lower() or re.fullmatch(r"\s*\d{4}-\d{4}-\d{4}-\d{3}[\dXx]\s*", value)
        ):
            orcid = normalize_orcid(value) or ""
            if orcid:
                break
    return person.replace(affiliation=affiliations, orcid=orcid)


# --- merging --------------------------------------------------------------------------


def merge(partials: list[Partial], page_url: str = "") -> Record:
    """One record from the partials, highest precedence first (see the module docstring)."""
    fields: dict[str, Any] = {}
    dates: dict[str, Date] = {}
    titles: dict[str, str] = {}
    abstracts: dict[str, str] = {}
    keywords: dict[str, tuple[str, ...]] = {}
    extra: dict[str, Any] = {}
    names: dict[str, tuple[Name, ...]] = {}
    kind = ""
    for part in partials:
        for key, value in part.fields.items():
            fields.setdefault(key, value)
        for key, date in part.dates.items():
            dates.setdefault(key, date)
        for lang, text in part.titles.items():
            titles.setdefault(lang, text)
        for lang, text in part.abstracts.items():
            abstracts.setdefault(lang, text)
        for lang, words in part.keywords.items():
            if words:
                keywords.setdefault(lang, tuple(words))
        for role, people in part.names.items():
            names[role] = fill_people(names[role], people) if role in names else tuple(people)
        for key, value in part.extra.items():
            if key == META_KEY:
                extra.setdefault(META_KEY, {}).update(
                    {k: v for k, v in value.items() if k not in extra.get(META_KEY, {})}
                )
            else:
                extra.setdefault(key, value)
        if not kind or (kind == "article" and part.type not in ("", "article")):
            kind = part.type or kind
    if page_url and "URL" not in fields:
        fields["URL"] = page_url
    title_lang = extra.pop("title-language", "")
    language = str(fields.get("language", ""))
    if title_lang and language and title_lang.split("-")[0] != language.split("-")[0]:
        # the main title carries a language tag that is not the work's: keep both facts
        extra["title-language"] = title_lang
    _language_less_to_known(abstracts, language)
    _language_less_to_known_kw(keywords, language)
    kind = kind if kind in CSL_TYPES else "article"
    record = Record(
        id="page",
        type=kind,
        fields=fields,
        names=names,
        dates=dates,
        titles={k: v for k, v in titles.items() if v != fields.get("title")},
        abstracts=abstracts,
        keywords=keywords,
        extra=extra,
    )
    from ..keys import make_key

    return record.replace(id=make_key(record))


def fill_people(have: tuple[Name, ...], other: Sequence[Name]) -> tuple[Name, ...]:
    """Fill missing affiliations / ORCID iDs from another list naming the same people (same
    count, same family names in the same order); otherwise ``have`` unchanged."""
    if len(have) != len(other):
        return have
    out = []
    for mine, theirs in zip(have, other, strict=True):
        if _same_person(mine, theirs):
            mine = mine.replace(
                affiliation=mine.affiliation or theirs.affiliation,
                orcid=mine.orcid or theirs.orcid,
            )
        else:
            return have
        out.append(mine)
    return tuple(out)


def _same_person(a: Name, b: Name) -> bool:
    def key(n: Name) -> str:
        return (n.family or n.literal).casefold()

    return key(a) == key(b) or key(a) in b.display().casefold() or key(b) in a.display().casefold()


def _language_less_to_known(abstracts: dict[str, str], language: str) -> None:
    """An abstract without a language tag is in the work's language when that is the only one."""
    if language and "" in abstracts and language not in abstracts and len(abstracts) == 1:
        abstracts[language] = abstracts.pop("")


def _language_less_to_known_kw(keywords: dict[str, tuple[str, ...]], language: str) -> None:
    if language and "" in keywords and language not in keywords and len(keywords) == 1:
        keywords[language] = keywords.pop("")


def _page_url(root: Any, metas: list[Meta]) -> str:
    for el in root.iter("link"):
        if "canonical" in (el.get("rel") or "").lower().split() and el.get("href"):
            href = el.get("href").strip()
            if re.match(r"https?://", href):
                return str(href)
    for meta in metas:
        if meta.key.lower() == "og:url" and re.match(r"https?://", meta.value.strip()):
            return meta.value.strip()
    return ""


# --- dates ----------------------------------------------------------------------------

_MONTHS = {
    m: i
    for i, names in enumerate(
        (
            "jan january",
            "feb february",
            "mar march",
            "apr april",
            "may",
            "jun june",
            "jul july",
            "aug august",
            "sep sept september",
            "oct october",
            "nov november",
            "dec december",
        ),
        1,
    )
    for m in names.split()
}


def parse_date(text: str) -> Date:
    """Dates as meta tags write them: ``2020/05/01``, ``2020-05-01T10:00Z``, ``2020``,
    ``1 May 2020``, ``May 2020``; anything else is kept as a literal."""
    s = _clean(text)
    m = re.match(r"^(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?(?:$|[T\s])", s)
    if m:
        nums = [int(g) for g in m.groups() if g is not None]
        if len(nums) > 1 and not 1 <= nums[1] <= 12:
            nums = nums[:1]
        if len(nums) > 2 and not 1 <= nums[2] <= 31:
            nums = nums[:2]
        return Date.of(*nums)
    m = re.match(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})$", s)  # 01.05.2020 (day first)
    if m and 1 <= int(m.group(2)) <= 12:
        return Date.of(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    words = re.findall(r"[A-Za-z]+|\d+", s)
    year = next((int(w) for w in words if len(w) == 4 and w.isdigit()), None)
    month = next((_MONTHS[w.lower()] for w in words if w.lower() in _MONTHS), None)
    day = next((int(w) for w in words if w.isdigit() and len(w) <= 2 and 1 <= int(w) <= 31), None)
    if year and month:
        return Date.of(year, month, day) if day else Date.of(year, month)
    return Date(literal=s)


# --- pages without metadata: text for the landing-page reader --------------------------

_SKIP = {
    "script",
    "style",
    "noscript",
    "template",
    "head",
    "svg",
    "iframe",
    "object",
    "button",
    "nav",
    "aside",
    "footer",
    "form",
    "select",
}
_PARAGRAPH = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "section"}
_BLOCK = {
    "div",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "tr",
    "article",
    "header",
    "footer",
    "main",
    "nav",
    "aside",
    "form",
    "fieldset",
    "figure",
    "figcaption",
    "address",
    "hr",
    "caption",
    "details",
    "summary",
    "body",
    "html",
}
_BREAK = "\x00"  # a line break
_PARA = "\x01"  # a paragraph break (a blank line)


def html_to_text(root: Any) -> str:
    """The visible text of a page, one line per block; list items as ``  • text`` lines,
    paragraphs separated by a blank line (the layout of the seed's landing-page text)."""
    from lxml import etree

    pieces: list[str] = []
    skipping = 0
    for event, el in etree.iterwalk(root, events=("start", "end")):
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if event == "start":
            if tag in _SKIP:
                skipping += 1
            if skipping:
                continue
            if tag == "br":
                pieces.append(_BREAK)
            elif tag == "li":
                pieces.append(_BREAK + "• ")
            elif tag in ("td", "th"):
                pieces.append(" ")
            elif tag in _PARAGRAPH:
                pieces.append(_PARA)
            elif tag in _BLOCK:
                pieces.append(_BREAK)
            if el.text:
                pieces.append(el.text)
        else:
            if tag in _SKIP:
                skipping -= 1
            elif not skipping:
                if tag in _PARAGRAPH:
                    pieces.append(_PARA)
                elif tag in _BLOCK or tag == "li":
                    pieces.append(_BREAK)
            if el.tail and not skipping and el is not root:
                pieces.append(el.tail)
    text = re.sub(r"\s+", " ", "".join(pieces))
    text = re.sub(
        r" *[\x00\x01][\x00\x01 ]*",
        lambda m: "\n\n" if _PARA in m.group() else "\n",
        text,
    )
    lines = [line.strip() for line in text.split("\n")]
    out = ["  " + line if line.startswith("• ") else line for line in lines]
    return "\n".join(out).strip("\n") + "\n"


def _delegate(root: Any, source: str, options: Mapping[str, Any]) -> ReadResult:
    """A page with no embedded metadata: read its text as a landing page."""
    text = html_to_text(root)
    try:
        from . import landing
    except ImportError:  # pragma: no cover - the landing reader ships with citetool
        raise ReadError(
            "no citation_*, Dublin Core, PRISM or JSON-LD metadata in this page", source
        ) from None
    try:
        result: ReadResult = landing.read(text, source, **options)
    except ReadError as exc:
        raise ReadError(
            "no citation_*, Dublin Core, PRISM or JSON-LD metadata in this page, and its text "
            f"is not a landing page either ({exc.message})",
            source,
        ) from None
    result.diagnostics.insert(
        0, Diagnostic.info("no embedded metadata; read the page text as a landing page", source)
    )
    return result
