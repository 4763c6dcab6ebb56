"""The BibTeX/BibLaTeX ↔ CSL table: one declarative table read in both directions.

Like citation-js's mappings, each rule names a BibTeX field, the CSL variable it holds, the
kind of value (how it is decoded and encoded), the dialects that *write* it, and an optional
``when`` guard on the CSL type.  The reader takes, for each field, the first rule whose guard
accepts the entry's CSL type and whose target is still empty (so ``organization`` fills
``publisher`` only when there is no publisher, and is otherwise kept as an extra field); the
writer takes, for each CSL variable, the first rule for its dialect whose guard accepts the
record's type.  Fields no rule reads are kept in ``Record.extra`` under their own name and
written back as they came.

Entry types work the same way: :data:`TYPES` is read top-down in both directions.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass

BIBTEX = "bibtex"
BIBLATEX = "biblatex"
BOTH = frozenset({BIBTEX, BIBLATEX})
ONLY_BIBTEX = frozenset({BIBTEX})
ONLY_BIBLATEX = frozenset({BIBLATEX})
READ_ONLY: frozenset[str] = frozenset()

ARTICLES = frozenset({"article-journal", "article-magazine", "article-newspaper", "periodical"})
THESES = frozenset({"thesis"})
REPORTS = frozenset({"report"})
PATENTS = frozenset({"patent"})
#: types whose ``number`` is the number in a series (biblatex manual §2.2.2)
SERIES_NUMBERED = frozenset(
    {"book", "chapter", "paper-conference", "entry-encyclopedia", "entry-dictionary"}
)


def _is(types: frozenset[str]) -> Callable[[str], bool]:
    return lambda csl_type: csl_type in types


def _not(types: frozenset[str]) -> Callable[[str], bool]:
    return lambda csl_type: csl_type not in types


@dataclass(frozen=True)
class FieldRule:
    """``bib`` field ↔ CSL ``csl`` variable.

    ``kind``: ``text`` (LaTeX ↔ Unicode), ``verbatim`` (URLs, DOIs: no decoding),
    ``names``, ``date`` (biblatex ISO date), ``year``, ``month``, ``page``, ``language``
    (babel name ↔ BCP 47), ``place-list`` (biblatex's ``and``-separated list ↔ ``; ``),
    ``list`` (the same for ``publisher`` & co., but only in entries that use biblatex fields:
    classic BibTeX's ``Wiley and Sons`` is one publisher),
    ``keywords``, ``abstract``, ``number``.
    ``write``: the dialects that write this rule (empty: read only).
    ``when``: guard on the CSL type, in both directions.
    """

    bib: str
    csl: str
    kind: str = "text"
    write: frozenset[str] = BOTH
    when: Callable[[str], bool] | None = None

    def accepts(self, csl_type: str) -> bool:
        return self.when is None or self.when(csl_type)


FIELDS: tuple[FieldRule, ...] = (
    FieldRule("author", "author", "names"),
    FieldRule("editor", "editor", "names"),
    FieldRule("translator", "translator", "names"),
    FieldRule("bookauthor", "container-author", "names", ONLY_BIBLATEX),
    # not biblatex fields, but what BibDesk, JabRef and Zotero exports write (pandoc reads
    # ``director``; biblatex says the same with editortype = director/collaborator)
    FieldRule("director", "director", "names", READ_ONLY),
    FieldRule("collaborator", "contributor", "names", READ_ONLY),
    # the language first: abstracts are stored under it
    FieldRule("langid", "language", "language", ONLY_BIBLATEX),
    FieldRule("language", "language", "language", ONLY_BIBTEX),
    FieldRule("language", "language", "language", READ_ONLY),
    FieldRule("title", "title"),
    FieldRule("shorttitle", "title-short"),
    FieldRule("journaltitle", "container-title", write=ONLY_BIBLATEX, when=_is(ARTICLES)),
    FieldRule("journal", "container-title", write=ONLY_BIBTEX, when=_is(ARTICLES)),
    FieldRule("booktitle", "container-title"),
    FieldRule("journaltitle", "container-title", write=READ_ONLY),
    FieldRule("journal", "container-title", write=READ_ONLY),
    FieldRule("shortjournal", "container-title-short", write=ONLY_BIBLATEX),
    FieldRule("series", "collection-title"),
    FieldRule("volume", "volume", "number"),
    FieldRule("volumes", "number-of-volumes", "number", ONLY_BIBLATEX),
    FieldRule("part", "part", "number"),  # BibTeX ignores it; the volume says "7.2" too
    FieldRule("number", "issue", "number", when=_is(ARTICLES)),
    FieldRule("number", "collection-number", "number", when=_is(SERIES_NUMBERED)),
    FieldRule("number", "number", "number", when=_not(ARTICLES | SERIES_NUMBERED)),
    FieldRule("issue", "issue", "number", READ_ONLY),
    # an article's number (CSL number), as MDPI and Web of Science write it (Better BibTeX
    # reads it so; biblatex's eid stays an extra field, as pandoc drops it)
    FieldRule("article-number", "number", "number", READ_ONLY, when=_is(ARTICLES)),
    FieldRule("pages", "page", "page"),
    FieldRule("pagetotal", "number-of-pages", "number", ONLY_BIBLATEX),
    FieldRule("chapter", "chapter-number", "number"),
    FieldRule("edition", "edition", "number"),
    FieldRule("version", "version", "text", ONLY_BIBLATEX),
    # the publisher: school and institution for theses and reports
    FieldRule("school", "publisher", "list", ONLY_BIBTEX, when=_is(THESES)),
    FieldRule("institution", "publisher", "list", when=_is(THESES | REPORTS)),
    FieldRule("publisher", "publisher", "list", ONLY_BIBTEX),
    # biblatex's data model has no publisher (nor location) for @article: reported as lost
    FieldRule("publisher", "publisher", "list", ONLY_BIBLATEX, when=_not(ARTICLES)),
    FieldRule("school", "publisher", "list", READ_ONLY),
    FieldRule("institution", "publisher", "list", READ_ONLY),
    FieldRule("organization", "publisher", "list", READ_ONLY),
    FieldRule("location", "jurisdiction", "place-list", ONLY_BIBLATEX, when=_is(PATENTS)),
    FieldRule("address", "publisher-place", write=ONLY_BIBTEX),
    FieldRule("location", "publisher-place", "place-list", write=ONLY_BIBLATEX,
              when=_not(PATENTS | ARTICLES)),
    FieldRule("location", "publisher-place", "place-list", write=READ_ONLY),
    FieldRule("address", "publisher-place", write=READ_ONLY),
    FieldRule("eventtitle", "event-title", write=ONLY_BIBLATEX),
    FieldRule("venue", "event-place", write=ONLY_BIBLATEX),
    FieldRule("type", "genre"),
    FieldRule("pubstate", "status", write=ONLY_BIBLATEX),
    FieldRule("note", "note"),
    FieldRule("annotation", "annote", write=ONLY_BIBLATEX),
    FieldRule("annote", "annote", write=ONLY_BIBTEX),
    FieldRule("annote", "annote", write=READ_ONLY),
    FieldRule("doi", "DOI", "verbatim"),
    FieldRule("url", "URL", "verbatim"),
    FieldRule("bdsk-url-1", "URL", "verbatim", READ_ONLY),  # BibDesk's first link
    FieldRule("howpublished", "URL", "url-howpublished", READ_ONLY),
    FieldRule("howpublished", "publisher", write=READ_ONLY),
    FieldRule("isbn", "ISBN", "verbatim"),
    FieldRule("issn", "ISSN", "verbatim"),
    FieldRule("pmid", "PMID", "verbatim"),
    FieldRule("pmcid", "PMCID", "verbatim"),
    FieldRule("abstract", "abstract", "abstract"),
    FieldRule("keywords", "keyword", "keywords"),
    FieldRule("date", "issued", "date", ONLY_BIBLATEX),
    FieldRule("year", "issued", "year", ONLY_BIBTEX),
    FieldRule("urldate", "accessed", "date"),
    FieldRule("origdate", "original-date", "date", ONLY_BIBLATEX),
    FieldRule("origyear", "original-date", "date", READ_ONLY),
    FieldRule("eventdate", "event-date", "date", ONLY_BIBLATEX),
    FieldRule("origtitle", "original-title", write=ONLY_BIBLATEX),
    FieldRule("origpublisher", "original-publisher", write=ONLY_BIBLATEX),
    FieldRule("origlocation", "original-publisher-place", write=ONLY_BIBLATEX),
)

#: biblatex ``editortype`` values that are a CSL name variable of their own (pandoc reads
#: ``director``; ``collaborator`` is CSL's contributor, as Zotero has it): the reader turns
#: such an editor into that variable, the BibLaTeX writer writes it back so
EDITOR_TYPES = {"director": "director", "collaborator": "contributor",
                "compiler": "compiler", "organizer": "organizer"}

#: biblatex ``relatedtype`` values (biblatex manual §3.4, "Related entries") by which the
#: related entry is the original that this one reprints or translates: its title, date,
#: publisher and place become CSL's original-* variables. Other relations ("reprintas",
#: "translationas", "bytranslator", "multivolume", the default) have no CSL variable; all
#: are kept as the related/relatedtype fields, which the BibLaTeX writer writes back.
ORIGINAL_RELATIONS = frozenset(
    "origpubas origpubin reprint reprintof reprintfrom translationof translationfrom".split())
#: the related original's variable → this entry's
ORIGINAL_VARIABLES = (("title", "original-title"), ("publisher", "original-publisher"),
                      ("publisher-place", "original-publisher-place"),
                      ("issued", "original-date"))

#: English ordinal words: BibTeX's ``edition = {Second}`` (btxdoc) is biblatex's and CSL's
#: ``2`` (biblatex manual §2.2.2: an integer, printed as the language's ordinal by the style)
ORDINAL_WORDS = ("first second third fourth fifth sixth seventh eighth ninth tenth eleventh "
                 "twelfth thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth "
                 "nineteenth twentieth").split()
_NUMERIC_ORDINAL = re.compile(r"(\d+)\s*(?:st|nd|rd|th)\.?", re.I)


def edition_number(edition: str) -> str:
    """``1st``, ``2nd``, ``Second`` → ``1``, ``2``, ``2`` (as Zotero + Better BibTeX import
    them); anything else (``2nd, revised``, ``2. Aufl.``) as it is."""
    value = edition.strip()
    match = _NUMERIC_ORDINAL.fullmatch(value)
    if match:
        return match.group(1)
    word = value.lower()
    return str(ORDINAL_WORDS.index(word) + 1) if word in ORDINAL_WORDS else edition


def edition_word(edition: str) -> str:
    """What BibTeX's styles expect in ``edition`` (btxdoc: "Second"), for an English
    record's edition number: ``2`` → ``Second``; other values as they are."""
    value = edition.strip()
    if value.isdigit() and 0 < int(value) <= len(ORDINAL_WORDS):
        return ORDINAL_WORDS[int(value) - 1].capitalize()
    return edition


#: fields that mark an entry as BibLaTeX (then ``publisher`` & co. are ``and`` lists)
BIBLATEX_MARKERS = frozenset(
    {"date", "journaltitle", "location", "langid", "pagetotal", "eprinttype", "origdate",
     "eventdate", "maintitle", "subtitle", "bookauthor"}
)

#: title fields: read by the reader's own title mapping (maintitle, issuetitle … as pandoc
#: maps them), never through the rules; the rules for them serve the writers
TITLE_INPUTS = frozenset(
    {"title", "subtitle", "titleaddon", "shorttitle", "booktitle", "booksubtitle",
     "booktitleaddon", "maintitle", "mainsubtitle", "maintitleaddon", "issuetitle",
     "issuesubtitle", "journaltitle", "journal", "journalsubtitle", "shortjournal", "series",
     "eventtitle", "origtitle"}
)

#: fields the reader consumes itself (not through a rule) or never keeps
SPECIAL_FIELDS = frozenset(
    {"month", "year", "date", "day", "subtitle", "titleaddon", "crossref", "xdata", "entryset",
     "entrysubtype", "eprint", "eprinttype", "archiveprefix", "primaryclass", "eprintclass"}
)

#: biblatex fields that are never inherited through crossref (biblatex manual §B.5.1)
NOT_INHERITED = frozenset(
    {"ids", "crossref", "xref", "entryset", "entrysubtype", "execute", "label", "options",
     "presort", "related", "relatedoptions", "relatedstring", "relatedtype", "shorthand",
     "shorthandintro", "sortkey", "xdata"}
)
_MAIN = {"title": "maintitle", "subtitle": "mainsubtitle", "titleaddon": "maintitleaddon"}
_BOOK = {"title": "booktitle", "subtitle": "booksubtitle", "titleaddon": "booktitleaddon"}
_JOURNAL = {"title": "journaltitle", "subtitle": "journalsubtitle"}
_NOT_PASSED_TITLES = frozenset({"shorttitle", "sorttitle", "indextitle", "indexsorttitle"})
#: (parent types, child types, title map): biblatex's crossref inheritance rules (manual
#: §B.2), as pandoc applies them; pairs not listed inherit every field under its own name
INHERITANCE: tuple[tuple[frozenset[str], frozenset[str], dict[str, str]], ...] = (
    (frozenset({"mvbook"}), frozenset({"book", "inbook", "bookinbook", "suppbook"}), _MAIN),
    (frozenset({"mvcollection", "mvreference"}),
     frozenset({"collection", "reference", "incollection", "inreference", "suppcollection"}),
     _MAIN),
    (frozenset({"mvproceedings"}), frozenset({"proceedings", "inproceedings"}), _MAIN),
    (frozenset({"book"}), frozenset({"inbook", "bookinbook", "suppbook"}), _BOOK),
    (frozenset({"collection", "reference"}),
     frozenset({"incollection", "inreference", "suppcollection"}), _BOOK),
    (frozenset({"proceedings"}), frozenset({"inproceedings"}), _BOOK),
    (frozenset({"periodical"}), frozenset({"article", "suppperiodical"}), _JOURNAL),
)
#: (parent types, child types) where the parent's author is also the child's bookauthor
BOOKAUTHOR_FROM_AUTHOR = (
    (frozenset({"mvbook", "book"}), frozenset({"inbook", "bookinbook", "suppbook"})),
    (frozenset({"mvbook"}), frozenset({"book"})),
)


def inherited_as(parent_type: str, child_type: str, field: str) -> tuple[str, ...]:
    """The child's fields that ``field`` of a crossref parent fills (none, one or two)."""
    if field in NOT_INHERITED:
        return ()
    targets: tuple[str, ...] = (field,)
    if field == "author" and any(parent_type in p and child_type in c
                                 for p, c in BOOKAUTHOR_FROM_AUTHOR):
        targets = ("bookauthor", "author")
    for parents, children, titles in INHERITANCE:
        if parent_type in parents and child_type in children:
            if field in titles:
                return (titles[field],)
            if field in _NOT_PASSED_TITLES:
                return ()
            break
    return targets


@dataclass(frozen=True)
class TypeRule:
    """``@bib`` entry type ↔ CSL type; ``genre`` is the CSL genre the bib type implies."""

    bib: str
    csl: str
    write: frozenset[str] = BOTH
    genre: str = ""
    subtype: str = ""  # biblatex entrysubtype guard (article → magazine, newspaper)
    when_any: frozenset[str] = frozenset()  # read only when the entry has one of these fields


TYPES: tuple[TypeRule, ...] = (
    TypeRule("article", "article-magazine", subtype="magazine"),
    TypeRule("article", "article-newspaper", subtype="newspaper"),
    TypeRule("article", "article-journal"),
    # an issue of a periodical with its own title reads as an article of the journal, as
    # pandoc reads it (title ← issuetitle, container-title ← title)
    TypeRule("periodical", "article-journal", READ_ONLY, when_any=frozenset({"issuetitle"})),
    TypeRule("periodical", "periodical", ONLY_BIBLATEX),
    TypeRule("article", "periodical", ONLY_BIBTEX),
    TypeRule("suppperiodical", "article-journal", READ_ONLY),
    TypeRule("book", "book"),
    TypeRule("mvbook", "book", READ_ONLY),
    TypeRule("collection", "book", READ_ONLY),
    TypeRule("mvcollection", "book", READ_ONLY),
    TypeRule("proceedings", "book", READ_ONLY),
    TypeRule("mvproceedings", "book", READ_ONLY),
    TypeRule("reference", "book", READ_ONLY),
    TypeRule("mvreference", "book", READ_ONLY),
    TypeRule("manual", "book", READ_ONLY),
    TypeRule("incollection", "chapter"),
    TypeRule("inbook", "chapter", READ_ONLY),
    TypeRule("bookinbook", "chapter", READ_ONLY),
    TypeRule("suppbook", "chapter", READ_ONLY),
    TypeRule("suppcollection", "chapter", READ_ONLY),
    TypeRule("inproceedings", "paper-conference"),
    TypeRule("conference", "paper-conference", READ_ONLY),
    TypeRule("inreference", "entry-encyclopedia", ONLY_BIBLATEX),
    TypeRule("inreference", "entry-dictionary", ONLY_BIBLATEX),
    TypeRule("incollection", "entry-encyclopedia", ONLY_BIBTEX),
    TypeRule("incollection", "entry-dictionary", ONLY_BIBTEX),
    TypeRule("phdthesis", "thesis", genre="PhD thesis"),
    TypeRule("mastersthesis", "thesis", genre="Master's thesis"),
    TypeRule("thesis", "thesis", ONLY_BIBLATEX),
    TypeRule("phdthesis", "thesis", ONLY_BIBTEX),
    TypeRule("techreport", "report", ONLY_BIBTEX),
    TypeRule("report", "report", ONLY_BIBLATEX),
    TypeRule("techreport", "report", READ_ONLY),
    TypeRule("unpublished", "speech", READ_ONLY, when_any=frozenset({"eventtitle", "eventdate",
                                                                     "venue"})),
    TypeRule("unpublished", "manuscript"),
    TypeRule("booklet", "pamphlet"),
    TypeRule("online", "webpage", ONLY_BIBLATEX),
    TypeRule("online", "post", ONLY_BIBLATEX),
    TypeRule("online", "post-weblog", ONLY_BIBLATEX),
    TypeRule("online", "webpage", READ_ONLY),
    TypeRule("electronic", "webpage", READ_ONLY),
    TypeRule("www", "webpage", READ_ONLY),
    TypeRule("webpage", "webpage", READ_ONLY),  # what some tools write (BBT reads it so)
    TypeRule("dataset", "dataset", ONLY_BIBLATEX),
    TypeRule("software", "software", ONLY_BIBLATEX),
    TypeRule("patent", "patent", ONLY_BIBLATEX),
    TypeRule("standard", "standard", ONLY_BIBLATEX),
    TypeRule("legislation", "legislation", ONLY_BIBLATEX),
    TypeRule("jurisdiction", "legal_case", ONLY_BIBLATEX),
    TypeRule("movie", "motion_picture", ONLY_BIBLATEX),
    # Better BibTeX writes a TV broadcast as @video with entrysubtype tvbroadcast/tvepisode
    TypeRule("video", "broadcast", ONLY_BIBLATEX, subtype="tvbroadcast"),
    TypeRule("video", "broadcast", READ_ONLY, subtype="tvepisode"),
    TypeRule("video", "motion_picture", READ_ONLY),
    TypeRule("music", "song", ONLY_BIBLATEX),
    TypeRule("audio", "song", READ_ONLY),
    TypeRule("artwork", "graphic", ONLY_BIBLATEX),
    TypeRule("image", "graphic", READ_ONLY),
    TypeRule("letter", "personal_communication", ONLY_BIBLATEX),
    TypeRule("performance", "performance", ONLY_BIBLATEX),
    TypeRule("review", "review", ONLY_BIBLATEX),
    TypeRule("misc", "document"),
)
#: what an unknown entry type reads as, and what an unmapped CSL type is written as
FALLBACK_CSL_TYPE = "document"
FALLBACK_BIB_TYPE = "misc"

#: babel/polyglossia language names (biblatex ``langid``) ↔ BCP 47
LANGUAGES: dict[str, str] = {
    "english": "en",
    "american": "en-US",
    "USenglish": "en-US",
    "british": "en-GB",
    "UKenglish": "en-GB",
    "canadian": "en-CA",
    "australian": "en-AU",
    "newzealand": "en-NZ",
    "polish": "pl",
    "german": "de",
    "ngerman": "de",
    "austrian": "de-AT",
    "naustrian": "de-AT",
    "swissgerman": "de-CH",
    "nswissgerman": "de-CH",
    "french": "fr",
    "francais": "fr",
    "acadian": "fr-CA",
    "canadien": "fr-CA",
    "italian": "it",
    "spanish": "es",
    "mexican": "es-MX",
    "portuguese": "pt",
    "portuges": "pt",
    "brazilian": "pt-BR",
    "brazil": "pt-BR",
    "dutch": "nl",
    "danish": "da",
    "swedish": "sv",
    "norwegian": "nb",
    "norsk": "nb",
    "nynorsk": "nn",
    "finnish": "fi",
    "icelandic": "is",
    "russian": "ru",
    "ukrainian": "uk",
    "belarusian": "be",
    "czech": "cs",
    "slovak": "sk",
    "slovene": "sl",
    "slovenian": "sl",
    "croatian": "hr",
    "serbian": "sr",
    "bulgarian": "bg",
    "macedonian": "mk",
    "romanian": "ro",
    "hungarian": "hu",
    "magyar": "hu",
    "greek": "el",
    "latin": "la",
    "turkish": "tr",
    "estonian": "et",
    "latvian": "lv",
    "lithuanian": "lt",
    "catalan": "ca",
    "galician": "gl",
    "basque": "eu",
    "irish": "ga",
    "welsh": "cy",
    "hebrew": "he",
    "arabic": "ar",
    "persian": "fa",
    "hindi": "hi",
    "chinese": "zh",
    "japanese": "ja",
    "korean": "ko",
    "vietnamese": "vi",
    "thai": "th",
    "indonesian": "id",
    "afrikaans": "af",
}
#: the name written for a code (first wins: english, not USenglish)
LANGUAGE_NAMES: dict[str, str] = {}
for _name, _code in LANGUAGES.items():
    LANGUAGE_NAMES.setdefault(_code.lower(), _name)
LANGUAGE_NAMES["de"] = "ngerman"
LANGUAGE_NAMES["de-de"] = "ngerman"
LANGUAGE_NAMES["en-us"] = "american"
_FOLDED = {k.lower(): v for k, v in LANGUAGES.items()}
#: names other tools write in ``language`` (English names of languages)
_ALIASES = {"en": "en", "eng": "en", "pol": "pl", "ger": "de", "deu": "de", "fre": "fr",
            "fra": "fr", "polski": "pl", "deutsch": "de", "français": "fr", "español": "es"}


def language_code(name: str) -> str:
    """``polish`` → ``pl``; ``English`` → ``en``; a BCP 47 tag is kept; else as written."""
    key = name.strip()
    folded = key.lower()
    if folded in _FOLDED:
        return _FOLDED[folded]
    if folded in _ALIASES:
        return _ALIASES[folded]
    return key


def language_name(code: str) -> str:
    """``pl`` → ``polish``; ``en-US`` → ``american``; an unknown code is kept."""
    folded = code.strip().lower().replace("_", "-")
    if folded in LANGUAGE_NAMES:
        return LANGUAGE_NAMES[folded]
    primary = folded.split("-")[0]
    if primary in LANGUAGE_NAMES and primary != folded and folded not in _REGION_SPECIFIC:
        return LANGUAGE_NAMES[primary]
    return code


_REGION_SPECIFIC = frozenset({"en-gb", "en-us", "pt-br", "fr-ca", "de-at", "de-ch"})

#: biblatex localisation keys that occur in data fields (``type``, ``series``, ``pubstate``,
#: a patent's ``location``) with biblatex's English strings: english.lbx of plk/biblatex
#: (LPPL 1.3c), the strings pandoc also resolves them to
LOCALISATION: dict[str, str] = {
    "bathesis": "Bachelor's thesis",
    "mathesis": "Master's thesis",
    "mastersthesis": "Master's thesis",
    "phdthesis": "PhD thesis",
    "candthesis": "Candidate thesis",
    "resreport": "research report",
    "techreport": "technical report",
    "software": "computer software",
    "datacd": "CD-ROM",
    "audiocd": "audio CD",
    "newseries": "new series",
    "oldseries": "old series",
    "inpreparation": "in preparation",
    "submitted": "submitted",
    "forthcoming": "forthcoming",
    "inpress": "in press",
    "prepublished": "pre-published",
    "patent": "patent",
    "patentde": "German patent",
    "patenteu": "European patent",
    "patentfr": "French patent",
    "patentuk": "British patent",
    "patentus": "U.S. patent",
    "patreq": "patent request",
    "patreqde": "German patent request",
    "patreqeu": "European patent request",
    "patreqfr": "French patent request",
    "patrequk": "British patent request",
    "patrequs": "U.S. patent request",
    "countryde": "Germany",
    "countryeu": "European Union",
    "countryep": "European Union",
    "countryfr": "France",
    "countryuk": "United Kingdom",
    "countryus": "United States of America",
}

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def csl_type_for(bib_type: str, subtype: str = "",
                 fields: Collection[str] = ()) -> tuple[str, str]:
    """(CSL type, implied genre) for an entry type (with its ``entrysubtype`` and the names
    of its fields)."""
    bib_type = bib_type.lower()
    for rule in TYPES:
        if rule.bib == bib_type and (not rule.subtype or rule.subtype == subtype.lower()) and (
                not rule.when_any or not rule.when_any.isdisjoint(fields)):
            return rule.csl, rule.genre
    return FALLBACK_CSL_TYPE, ""


def has_subtype_rule(bib_type: str, subtype: str) -> bool:
    """Does a type rule read this ``entrysubtype`` of this entry type (which it then holds)?"""
    bib_type, subtype = bib_type.lower(), subtype.lower()
    return any(r.bib == bib_type and r.subtype == subtype for r in TYPES if r.subtype)


def bib_type_for(csl_type: str, dialect: str, genre: str = "") -> tuple[str, bool]:
    """(entry type, exact) for a CSL type; ``exact`` is False when reading the entry back
    would not give the same CSL type (``@misc`` for a web page in BibTeX)."""
    rule = type_rule_for(csl_type, dialect, genre)
    if rule is None:
        return FALLBACK_BIB_TYPE, csl_type == FALLBACK_CSL_TYPE
    return rule.bib, csl_type_for(rule.bib, rule.subtype)[0] == csl_type


def refine_bib_type(bib_type: str, dialect: str, roles: frozenset[str]) -> str:
    """The entry type biblatex's data model wants for a record's names: an edited book with
    no author is a @collection; a chapter of an authored book (a bookauthor, or no editor)
    is an @inbook. Both read back as the same CSL type."""
    if bib_type == "book" and dialect == BIBLATEX and "author" not in roles and "editor" in roles:
        return "collection"
    if bib_type == "incollection" and ("container-author" in roles or "editor" not in roles):
        return "inbook"
    return bib_type


def type_rule_for(csl_type: str, dialect: str, genre: str = "") -> TypeRule | None:
    candidates = [r for r in TYPES if r.csl == csl_type and dialect in r.write]
    if genre:
        for rule in candidates:
            if rule.genre and rule.genre.lower() == genre.lower():
                return rule
    for rule in candidates:
        if not rule.genre:
            return rule
    return candidates[0] if candidates else None


def genre_implied(bib_type: str) -> str:
    for rule in TYPES:
        if rule.bib == bib_type:
            return rule.genre
    return ""
