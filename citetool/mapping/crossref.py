"""Crossref REST works → CSL records: one type table, one work mapping.

Studied from Zotero's "Crossref REST" translator (zotero/translators, 2024), Crossref's REST
API documentation (``api.crossref.org/types``: 30 work types) and Crossref's own output
(works recorded by commonmeta-py and habanero, see tests/fixtures/crossref/README.md).

* **Types**: :data:`CROSSREF_TYPES` maps every Crossref ``type`` to a CSL type;
  :func:`csl_type` also accepts CSL types as they are, so it serves DOI content-negotiation
  answers (CSL-JSON whose ``type`` is sometimes a Crossref one) as well as REST works.
  ``posted-content`` is refined by its ``subtype`` (``blog`` → ``post-weblog``).
* **Titles**: ``title[0]`` joined with ``subtitle[0]`` as "Title: Subtitle" (as Zotero and
  Crossref's BibTeX do; not when the title already holds the subtitle); inline markup kept
  as CSL rich text (``<i> <b> <sub> <sup>``, small caps) and everything else, MathML
  included, reduced to its text (``msub``/``msup`` scripts become ``<sub>``/``<sup>``);
  entities, even doubly escaped ones, decoded; whitespace collapsed. ``markup=False``
  gives plain text. Further titles (other languages) are kept in ``extra``.
* **Containers**: a journal's title is ``container-title``; a book's ``container-title`` is
  its series (``collection-title``); a chapter or proceedings paper with two container
  titles (book and series, in either order in Crossref's data) gets the book as
  ``container-title`` and the series as ``collection-title``.
* **Dates**: ``issued`` is ``published-print`` when it has a year (Zotero: the print date
  goes with volume and issue), else Crossref's ``issued``, else ``posted`` or (theses)
  ``approved``; ``[[null]]`` date parts are no date; an earlier online date is kept as
  ``available-date``.
* **Names**: ``author``, ``editor``, ``chair``, ``translator``; organisations (``name``) as
  literal names; ORCID URLs as bare iDs; affiliations kept; ALL-CAPS names capitalised as
  Zotero does.
* **Identifiers**: the DOI in lower case, ISBN/ISSN joined (print first) with their typed
  lists kept in ``extra`` (``isbn-type``, ``issn-type``); ``resource.primary.URL`` as URL.
* **Abstract**: JATS (``<jats:p>``, ``<jats:title>Abstract``) to plain paragraphs.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from typing import Any

from ..identifiers import normalize_doi, normalize_orcid
from ..model import CSL_TYPES, Date, Name, Record

# --- types ----------------------------------------------------------------------------

#: Every Crossref work type (``api.crossref.org/types``, 30 of them, plus the
#: ``standard-series`` found in old deposits) → CSL 1.0.2 type. Where Zotero's translator
#: decides (a proceedings volume, ``book-track``, ``component``), its choice is followed
#: in CSL terms: Zotero's ``document`` is CSL ``document``.
CROSSREF_TYPES: Mapping[str, str] = {
    "journal-article": "article-journal",
    "journal-issue": "periodical",
    "journal-volume": "periodical",
    "journal": "periodical",
    "book-chapter": "chapter",
    "book-section": "chapter",
    "book-part": "chapter",
    "book-track": "chapter",
    "book": "book",
    "monograph": "book",
    "edited-book": "book",
    "reference-book": "book",
    "book-set": "book",
    "book-series": "book",
    "proceedings-article": "paper-conference",
    "proceedings": "book",
    "proceedings-series": "book",
    "posted-content": "article",
    "dataset": "dataset",
    "database": "dataset",
    "dissertation": "thesis",
    "report": "report",
    "report-component": "report",
    "report-series": "report",
    "standard": "standard",
    "standard-series": "standard",
    "reference-entry": "entry-encyclopedia",
    "peer-review": "review",
    "other": "document",
    "component": "document",
    "grant": "document",
}

#: The Crossref type each CSL type stands for when nothing else is said (the first listed).
CANONICAL: Mapping[str, str] = {csl: kind for kind, csl in reversed(list(CROSSREF_TYPES.items()))}

#: ``posted-content`` subtypes (Crossref schema 5.3) that are not an ``article``.
POSTED_SUBTYPES: Mapping[str, str] = {
    "blog": "post-weblog",
    "dissertation": "thesis",
    "report": "report",
    "working_paper": "report",
}

#: A few names registration agencies other than Crossref put in CSL-JSON ``type``
#: (DataCite's resourceTypeGeneral in lower case, older Crossref CSL).
_OTHER_TYPE_NAMES: Mapping[str, str] = {
    "article": "article",
    "text": "document",
    "software": "software",
    "computationalnotebook": "software",
    "thesis": "thesis",
    "preprint": "article",
    "conferencepaper": "paper-conference",
    "conferenceproceeding": "book",
    "bookchapter": "chapter",
    "journalarticle": "article-journal",
    "image": "graphic",
    "audiovisual": "motion_picture",
    "sound": "song",
    "collection": "collection",
    "event": "event",
    "physicalobject": "document",
    "interactiveresource": "webpage",
    "service": "webpage",
    "workflow": "document",
    "model": "document",
    "datapaper": "article-journal",
}


def csl_type(kind: str | None, subtype: str | None = None, default: str = "article") -> str:
    """The CSL type for a Crossref ``type`` (and ``subtype``), or a CSL type as it is.

    ``csl_type("book-chapter") == "chapter"``; ``csl_type("chapter") == "chapter"``;
    unknown names give ``default``.
    """
    key = (kind or "").strip()
    if key in CSL_TYPES:
        return key
    lowered = key.lower()
    if lowered == "posted-content" and subtype:
        return POSTED_SUBTYPES.get(subtype.strip().lower(), "article")
    if lowered in CROSSREF_TYPES:
        return CROSSREF_TYPES[lowered]
    if lowered in CSL_TYPES:
        return lowered
    return _OTHER_TYPE_NAMES.get(lowered.replace("-", "").replace("_", ""), default)


# --- markup -----------------------------------------------------------------------------

_RICH = {
    "i": ("<i>", "</i>"),
    "em": ("<i>", "</i>"),
    "italic": ("<i>", "</i>"),
    "b": ("<b>", "</b>"),
    "strong": ("<b>", "</b>"),
    "bold": ("<b>", "</b>"),
    "sub": ("<sub>", "</sub>"),
    "inf": ("<sub>", "</sub>"),
    "sup": ("<sup>", "</sup>"),
    "sc": ('<span style="font-variant:small-caps;">', "</span>"),
    "scp": ('<span style="font-variant:small-caps;">', "</span>"),
    "small-caps": ('<span style="font-variant:small-caps;">', "</span>"),
}
_SCRIPTS = {"msub": ("sub",), "msup": ("sup",), "msubsup": ("sub", "sup")}
_TAG = re.compile(r"<(/?)([A-Za-z][\w.:-]*)((?:\s[^<>]*?)?)(/?)>")
_ESCAPED_TAG = re.compile(r"&(?:amp;)*lt;/?[A-Za-z][\w:.-]*(?:\s[^&]*?)?&(?:amp;)*gt;")
_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.S)
_SPACE = re.compile(r"\s+")
_RICH_OPEN = re.compile(r"(<(?:i|b|sub|sup)>|<span [^>]*>)\s+")
_RICH_CLOSE = re.compile(r"\s+(</(?:i|b|sub|sup|span)>)")


def clean_markup(text: str, *, rich: bool = True) -> str:
    """Crossref/JATS/MathML/HTML title markup → CSL rich text (``rich``) or plain text."""
    if not text:
        return ""
    text = _CDATA.sub(r"\1", text)
    for _ in range(3):  # "&amp;lt;sup&amp;gt;13&amp;lt;/sup&amp;gt;" (escaped twice)
        if not _ESCAPED_TAG.search(text):
            break
        text = html.unescape(text)
    if "<" not in text:
        return _SPACE.sub(" ", html.unescape(text)).strip()
    out: list[str] = []
    # one frame per open element: [local name, closing markup, children seen, script roles]
    stack: list[list[Any]] = []
    position = 0
    for match in _TAG.finditer(text):
        segment = html.unescape(text[position : match.start()])
        if any(frame[0] == "math" for frame in stack):
            segment = segment.strip()  # whitespace between MathML elements means nothing
        out.append(segment)
        position = match.end()
        closing, name, _attributes, empty = match.groups()
        local = name.rsplit(":", 1)[-1].lower()
        if closing:
            while stack:
                frame = stack.pop()
                out.append(frame[1])
                if frame[0] == local:
                    break
            continue
        markup_open, markup_close = _RICH.get(local, ("", "")) if rich else ("", "")
        if stack and stack[-1][0] in _SCRIPTS:  # a child of <msub>/<msup>: base, then scripts
            parent = stack[-1]
            index = parent[2]
            parent[2] += 1
            if index >= 1 and rich:
                role = parent[3][min(index - 1, len(parent[3]) - 1)]
                markup_open, markup_close = (
                    _RICH[role][0] + markup_open,
                    markup_close + _RICH[role][1],
                )
        if local in ("br", "p") and out:
            out.append(" ")
        if empty:
            continue
        out.append(markup_open)
        stack.append([local, markup_close, 0, _SCRIPTS.get(local, ())])
    out.append(html.unescape(text[position:]))
    while stack:
        out.append(stack.pop()[1])
    result = _SPACE.sub(" ", "".join(out)).strip()
    if rich:
        result = _RICH_OPEN.sub(r"\1", result)
        result = _RICH_CLOSE.sub(r"\1", result)
        result = re.sub(r"<(i|b|sub|sup)></\1>", "", result)
    return result


def jats_to_text(text: str) -> str:
    """A JATS abstract (``<jats:p>``, ``<jats:sec>``, ``<jats:title>``) as plain paragraphs.

    A leading title that only says "Abstract" is dropped; other section titles stay as
    their own paragraph.
    """
    if "<" not in text:
        return _SPACE.sub(" ", html.unescape(text)).strip()
    chunks = re.split(r"(?i)</?(?:jats:)?(?:p|title|sec|list-item)\b[^>]*>", text)
    paragraphs = [clean_markup(chunk, rich=False) for chunk in chunks]
    paragraphs = [p for p in paragraphs if p]
    if paragraphs and paragraphs[0].rstrip(":.").strip().lower() in ("abstract", "summary"):
        paragraphs = paragraphs[1:]
    return "\n\n".join(paragraphs)


# --- the work mapping -------------------------------------------------------------------

#: Crossref name lists → CSL name variables.
NAME_ROLES: Mapping[str, str] = {
    "author": "author",
    "editor": "editor",
    "chair": "chair",
    "translator": "translator",
}

_SERIES = re.compile(
    r"(?i)(lecture notes|\bstudies in\b|\bseries\b|briefs\b|^spie proceedings|progress in\b|"
    r"\bcommunications in\b|^advances in .*research$|^methods in\b|^topics in\b|"
    r"^innovative\b|^current topics\b|^handbook of\b.*\bseries|\bschriften\b|\breihe\b)"
)


def _first_text(value: Any) -> str:
    if isinstance(value, list):
        for item in value:
            if isinstance(item, str) and item.strip():
                return item
        return ""
    return value if isinstance(value, str) else ""


def _texts(value: Any) -> list[str]:
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str) and v.strip()]
    if isinstance(value, str) and value.strip():
        return [value]
    return []


def join_title(title: str, subtitle: str) -> str:
    """``Title: Subtitle``, unless the title already holds the subtitle or is empty."""
    title = title.strip()
    subtitle = subtitle.strip()
    if not subtitle or subtitle.lower() in title.lower():
        return title
    if not title:
        return subtitle
    if title[-1] in ":?!.":
        return f"{title} {subtitle}"
    return f"{title}: {subtitle}"


def titles(work: Mapping[str, Any], rich: bool = True) -> tuple[str, list[str]]:
    """The work's title (with subtitle) and its further titles (other languages)."""
    main = _texts(work.get("title"))
    subs = _texts(work.get("subtitle"))
    joined = []
    for index, title in enumerate(main):
        subtitle = subs[index] if index < len(subs) else ""
        joined.append(clean_markup(join_title(title, subtitle), rich=rich))
    if not main and subs:
        joined.append(clean_markup(subs[0], rich=rich))
    joined = [t for t in joined if t]
    return (joined[0] if joined else ""), joined[1:]


def _capitalise(part: str) -> str:
    """``SMITH`` → ``Smith`` (Zotero's fixAuthorCapitalization), anything else as it is."""
    if len(part) > 1 and part.isupper():
        return re.sub(r"(\w)(\w*)", lambda m: m.group(1) + m.group(2).lower(), part)
    return part


def crossref_name(person: Mapping[str, Any]) -> Name | None:
    """One Crossref contributor as a :class:`Name` (None when it holds no name at all)."""

    def text(key: str) -> str:
        value = person.get(key)
        return " ".join(value.split()) if isinstance(value, str) else ""

    affiliations = tuple(
        " ".join(str(a.get("name", "")).split())
        for a in person.get("affiliation") or ()
        if isinstance(a, Mapping) and str(a.get("name", "")).strip()
    )
    orcid = normalize_orcid(text("ORCID")) or ""
    family, given = text("family"), text("given")
    if not family:
        literal = text("name") or given
        if not literal:
            return None
        return Name(literal=literal, affiliation=affiliations, orcid=orcid)
    return Name(
        family=_capitalise(family),
        given=_capitalise(given),
        suffix=text("suffix"),
        affiliation=affiliations,
        orcid=orcid,
    )


def crossref_date(value: Any) -> Date | None:
    """A Crossref date object (``{"date-parts": [[2020, 5]]}``) or None (``[[null]]``)."""
    if not isinstance(value, Mapping):
        return None
    parts = value.get("date-parts")
    if not isinstance(parts, list) or not parts or not isinstance(parts[0], list):
        return None
    numbers: list[int] = []
    for number in parts[0][:3]:
        try:
            numbers.append(int(number))
        except (TypeError, ValueError):
            break
    if not numbers or not 0 < numbers[0] < 10000:
        return None
    if len(numbers) > 1 and not 1 <= numbers[1] <= 12:
        numbers = numbers[:1]
    if len(numbers) > 2 and not 1 <= numbers[2] <= 31:
        numbers = numbers[:2]
    return Date(parts=(tuple(numbers),))


def split_containers(names: Sequence[str]) -> tuple[str, str]:
    """(container, series) of a chapter/paper with up to two container titles.

    Crossref lists book and series in either order; the one that reads like a series
    ("Lecture Notes in ...", "Studies in ...", "SPIE Proceedings", "... Series",
    "Schriften ...") is the series. When neither or both do, the book comes first (as in
    every such work among the recorded answers: "Of body snatchers and cyberpunks",
    "Göttinger Schriften zur Englischen Philologie").
    """
    if not names:
        return "", ""
    if len(names) == 1:
        return names[0], ""
    first, second = names[0], names[1]
    if _SERIES.search(first) and not _SERIES.search(second):
        return second, first
    return first, second


def _typed(values: Any, typed: Any) -> tuple[str, list[dict[str, str]]]:
    """``ISBN``/``ISSN`` joined, print first; and the typed list as Crossref gave it."""
    kinds: list[dict[str, str]] = []
    if isinstance(typed, list):
        kinds = [
            {"type": str(t.get("type", "")), "value": str(t.get("value", ""))}
            for t in typed
            if isinstance(t, Mapping) and t.get("value")
        ]
    order = {"print": 0, "electronic": 1}
    ranked = [k["value"] for k in sorted(kinds, key=lambda k: order.get(k["type"], 2))]
    plain = _texts(values) if not isinstance(values, str) else [values]
    joined = list(dict.fromkeys(ranked + [v.strip() for v in plain]))
    return ", ".join(joined), kinds


def from_crossref(work: Mapping[str, Any], *, index: int = 0, rich: bool = True) -> Record:
    """One Crossref REST work (a ``message`` or an ``items`` entry) as a :class:`Record`.

    Raises ValueError when ``work`` is not a work (no DOI, no title, no type).
    """
    if not isinstance(work, Mapping):
        raise ValueError(f"a {type(work).__name__}, not an object")
    doi = normalize_doi(str(work.get("DOI") or "")) or ""
    kind = str(work.get("type") or "")
    if not (doi or kind or work.get("title")):
        raise ValueError("no DOI, type or title: not a Crossref work")
    ctype = csl_type(kind, str(work.get("subtype") or ""), default="document")
    fields: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    if kind and kind != ctype and kind != CANONICAL.get(ctype):
        extra["crossref-type"] = kind  # monograph, book-section ...: kept, not implied
    if work.get("subtype"):
        extra["crossref-subtype"] = str(work["subtype"])

    title, other_titles = titles(work, rich)
    if title:
        fields["title"] = title
    if other_titles:
        extra["alternative-titles"] = other_titles
    original = _first_text(work.get("original-title"))
    if original and clean_markup(original, rich=rich) != title:
        fields["original-title"] = clean_markup(original, rich=rich)
    short = _first_text(work.get("short-title"))
    if short:
        fields["title-short"] = clean_markup(short, rich=rich)

    containers = [clean_markup(t, rich=rich) for t in _texts(work.get("container-title"))]
    containers = list(dict.fromkeys(t for t in containers if t))
    if kind == "other" and (work.get("ISBN") or len(containers) > 1):
        ctype = "chapter"  # Zotero: an "other" work with an ISBN and a book is a section
        extra["crossref-type"] = kind
    if ctype in ("chapter", "paper-conference", "entry-encyclopedia"):
        container, series = split_containers(containers)
        fields["container-title"] = container
        fields["collection-title"] = series
    elif ctype in ("book", "report", "thesis", "standard", "document") and kind != "component":
        fields["collection-title"] = containers[0] if containers else ""
    elif ctype == "post-weblog":
        fields["container-title"] = (
            containers[0] if containers else _first_text(work.get("group-title"))
        )
    else:
        fields["container-title"] = containers[0] if containers else ""
    if len(containers) > 2:
        extra["container-titles"] = containers
    short_container = _first_text(work.get("short-container-title"))
    if short_container and clean_markup(short_container, rich=False) not in (
        clean_markup(c, rich=False) for c in containers[:1]
    ):
        fields["container-title-short"] = clean_markup(short_container, rich=rich)

    for source, target in (
        ("volume", "volume"),
        ("issue", "issue"),
        ("page", "page"),
        ("article-number", "number"),
        ("edition-number", "edition"),
        ("language", "language"),
        ("publisher-location", "publisher-place"),
        ("description", "note"),
    ):
        value = work.get(source)
        if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value).strip():
            fields[target] = " ".join(str(value).split())
    publisher = " ".join(str(work.get("publisher") or "").split())
    fields["publisher"] = clean_markup(publisher, rich=False) if publisher else ""
    institutions = [
        i for i in work.get("institution") or () if isinstance(i, Mapping) and i.get("name")
    ]
    if institutions and (ctype in ("thesis", "report") or kind == "posted-content"):
        # a thesis's university, a report's institution, a preprint's server (bioRxiv)
        if fields["publisher"]:
            extra["crossref-publisher"] = fields["publisher"]
        fields["publisher"] = " ".join(str(institutions[0]["name"]).split())
        places = _texts(institutions[0].get("place"))
        if places:
            fields["publisher-place"] = ", ".join(places)
    elif ctype == "article" and kind == "posted-content" and work.get("group-title"):
        extra["group-title"] = _first_text(work.get("group-title"))
    degree = _first_text(work.get("degree"))
    if degree:
        fields["genre"] = re.sub(r"\s*\(.*?\)\s*", " ", degree).strip() or degree
    event = work.get("event")
    if isinstance(event, Mapping):
        if event.get("name"):
            fields["event-title"] = " ".join(str(event["name"]).split())
        if event.get("location"):
            fields["event-place"] = " ".join(str(event["location"]).split())
    isbn, isbn_types = _typed(work.get("ISBN"), work.get("isbn-type"))
    issn, issn_types = _typed(work.get("ISSN"), work.get("issn-type"))
    fields["ISBN"] = isbn
    fields["ISSN"] = issn
    if isbn_types:
        extra["isbn-type"] = isbn_types
    if issn_types:
        extra["issn-type"] = issn_types
    fields["DOI"] = doi
    resource = work.get("resource")
    primary = resource.get("primary") if isinstance(resource, Mapping) else None
    url = primary.get("URL") if isinstance(primary, Mapping) else None
    if isinstance(url, str) and url.strip():
        fields["URL"] = url.strip()
    licences = [
        str(x["URL"]) for x in work.get("license") or () if isinstance(x, Mapping) and x.get("URL")
    ]
    if licences:
        fields["license"] = licences[0]
    archives = _texts(work.get("archive"))
    if archives:
        fields["archive"] = ", ".join(archives)
    reviewed = _review_of(work)
    if reviewed:
        fields["note"] = (fields.get("note", "") + "\n" if fields.get("note") else "") + reviewed

    names: dict[str, tuple[Name, ...]] = {}
    for source, role in NAME_ROLES.items():
        people = work.get(source)
        if isinstance(people, list):
            mapped = tuple(
                n for n in (crossref_name(p) for p in people if isinstance(p, Mapping)) if n
            )
            if mapped:
                names[role] = mapped

    dates: dict[str, Date] = {}
    printed = crossref_date(work.get("published-print"))
    issued = crossref_date(work.get("issued"))
    online = crossref_date(work.get("published-online"))
    fallback = crossref_date(work.get("posted")) or crossref_date(work.get("approved"))
    chosen = printed or issued or online or fallback
    if chosen is not None:
        dates["issued"] = chosen
    if online is not None and chosen is not None and online != chosen:
        dates["available-date"] = online
    if issued is not None and chosen is not None and issued not in (chosen, online):
        extra["crossref-issued"] = issued.iso()

    abstract = work.get("abstract")
    abstracts = (
        {"": jats_to_text(abstract)} if isinstance(abstract, str) and abstract.strip() else {}
    )
    subjects = tuple(_texts(work.get("subject")))
    return Record(
        id=doi or f"item{index + 1}",
        type=ctype,
        fields={k: v for k, v in fields.items() if v not in (None, "")},
        names=names,
        dates=dates,
        abstracts={k: v for k, v in abstracts.items() if v},
        keywords={"": subjects} if subjects else {},
        extra=extra,
    )


def _review_of(work: Mapping[str, Any]) -> str:
    """``Review of https://doi.org/...`` for a peer review (as Zotero notes it)."""
    relation = work.get("relation")
    if not isinstance(relation, Mapping):
        return ""
    for entry in relation.get("is-review-of") or ():
        if not isinstance(entry, Mapping) or not entry.get("id"):
            continue
        if str(entry.get("id-type")) == "doi":
            return f"Review of https://doi.org/{entry['id']}"
        return f"Review of {entry['id']}"
    return ""
