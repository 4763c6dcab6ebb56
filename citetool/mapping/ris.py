"""RIS ↔ CSL: one declarative table of types and tags, read by the RIS reader and writer.

Sources checked for the mapping: the RIS specification (Research Information Systems /
RefMan, 2011 revision: ``TY`` first, ``ER`` last, ``Lastname, Firstname, Suffix`` names,
``YYYY/MM/DD/other info`` dates, ``SP``/``EP`` pages, ``TT`` translated title, ``AD`` author
address) and Zotero's RIS translator (``RIS.js`` in zotero/translators, 2023), whose
type-dependent creator roles (``A2`` is a series editor for books but an editor for chapters,
``A3`` the editor of a book and the series editor of a chapter, ``A4`` a translator) are
followed so that what citetool writes imports into Zotero the way a user expects.

Reading: for a tag in a record of type ``TY``, the *first* :class:`TagRule` whose ``tag``
matches and whose ``only``/``exclude`` admit ``TY`` decides the target.  When several tags
fill one target (``TI`` and ``T1``), the rule listed first wins; a losing value that differs
is kept in ``Record.extra["ris:<TAG>"]`` (or moved to the rule's ``spill`` target) so
nothing read is lost.

Writing: for each target, the first rule with ``write=True`` that admits the record's
``TY`` gives the tag.  Read-only rules (``write=False``) are aliases seen in the wild.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from ..model import Date, Name

# --- types ----------------------------------------------------------------------------

#: ``(TY, CSL type, direction)``: ``"<>"`` both ways, ``"<"`` read only (TY → CSL type; the
#: TY is then kept in ``extra["ris:TY"]`` so writing it again restores it), ``"<~"`` read
#: only and written as the canonical code (codes outside the spec: bibutils' ``STD``,
#: EndNote's ``WEB``), ``">"`` write only (a CSL type RIS has no code for: written as that
#: TY and reported as lossy).
#:
#: A conference paper is ``CONF`` (what Zotero writes; the spec's "conference proceeding",
#: whose ``C3`` holds the proceedings title), ``CPAPER`` (a paper presented, without
#: proceedings) is kept when read.
TYPES: tuple[tuple[str, str, str], ...] = (
    ("JOUR", "article-journal", "<>"),
    ("MGZN", "article-magazine", "<>"),
    ("NEWS", "article-newspaper", "<>"),
    ("BOOK", "book", "<>"),
    ("CHAP", "chapter", "<>"),
    ("CONF", "paper-conference", "<>"),
    ("THES", "thesis", "<>"),
    ("RPRT", "report", "<>"),
    ("ELEC", "webpage", "<>"),
    ("BLOG", "post-weblog", "<>"),
    ("GEN", "document", "<>"),
    ("DATA", "dataset", "<>"),
    ("COMP", "software", "<>"),
    ("PAT", "patent", "<>"),
    ("STAT", "legislation", "<>"),
    ("BILL", "bill", "<>"),
    ("CASE", "legal_case", "<>"),
    ("LEGAL", "regulation", "<>"),
    ("HEAR", "hearing", "<>"),
    ("MANSCPT", "manuscript", "<>"),
    ("ENCYC", "entry-encyclopedia", "<>"),
    ("DICT", "entry-dictionary", "<>"),
    ("MAP", "map", "<>"),
    ("ART", "graphic", "<>"),
    ("FIGURE", "figure", "<>"),
    ("SOUND", "song", "<>"),
    ("MUSIC", "musical_score", "<>"),
    ("MPCT", "motion_picture", "<>"),
    ("PCOMM", "personal_communication", "<>"),
    ("SLIDE", "speech", "<>"),
    ("STAND", "standard", "<>"),
    ("PAMP", "pamphlet", "<>"),
    ("SER", "periodical", "<>"),
    ("CLSWK", "classic", "<>"),
    ("ADVS", "broadcast", "<>"),
    ("ICOMM", "post", "<>"),
    # read-only synonyms
    ("CPAPER", "paper-conference", "<"),
    ("EJOUR", "article-journal", "<"),
    ("ABST", "article-journal", "<"),
    ("INPR", "article-journal", "<"),
    ("JFULL", "periodical", "<"),
    ("EBOOK", "book", "<"),
    ("EDBOOK", "book", "<"),
    ("CTLG", "book", "<"),
    ("ECHAP", "chapter", "<"),
    ("WEB", "webpage", "<~"),  # not in the spec, EndNote writes it
    ("DBASE", "dataset", "<"),
    ("AGGR", "dataset", "<"),
    ("VIDEO", "motion_picture", "<"),
    ("MULTI", "motion_picture", "<"),
    ("CHART", "graphic", "<"),
    ("GOVDOC", "report", "<"),
    ("UNBILL", "bill", "<"),
    ("UNPD", "manuscript", "<"),
    ("UNPB", "manuscript", "<"),  # "unpublished work" (citation-js reads it so too)
    ("ANCIENT", "classic", "<"),
    ("EQUA", "document", "<"),
    ("GRANT", "document", "<"),
    ("GRNT", "document", "<"),
    ("STD", "document", "<~"),  # not in the spec, bibutils (xml2ris) writes it for @misc
    # CSL types with no RIS code of their own (written lossy, reported); a CSL 'article'
    # (preprint, working paper) is written JOUR as citation-js does: UNPB ("unpublished
    # work") is not imported by Zotero and would mislabel a published article
    ("JOUR", "article", ">"),
    ("PCOMM", "interview", ">"),
    ("JOUR", "review", ">"),
    ("JOUR", "review-book", ">"),
    ("GEN", "entry", ">"),
    ("GEN", "event", ">"),
    ("GEN", "collection", ">"),
    ("GEN", "performance", ">"),
    ("GEN", "treaty", ">"),
)

#: Long type names some exporters write instead of codes (``TY  - Journal Article``).
TYPE_NAMES: dict[str, str] = {
    "journal article": "JOUR",
    "journal": "JOUR",
    "article": "JOUR",
    "electronic article": "EJOUR",
    "magazine article": "MGZN",
    "newspaper article": "NEWS",
    "book": "BOOK",
    "whole book": "BOOK",
    "edited book": "EDBOOK",
    "electronic book": "EBOOK",
    "book section": "CHAP",
    "book chapter": "CHAP",
    "conference paper": "CPAPER",
    "conference proceedings": "CONF",
    "conference proceeding": "CONF",
    "thesis": "THES",
    "thesis/dissertation": "THES",
    "report": "RPRT",
    "web page": "ELEC",
    "generic": "GEN",
    "dataset": "DATA",
    "computer program": "COMP",
    "patent": "PAT",
    "manuscript": "MANSCPT",
    "unpublished work": "UNPB",
}

DEFAULT_TY = "GEN"

READ_TYPES: dict[str, str] = {}
WRITE_TYPES: dict[str, str] = {}
KEEP_TY: set[str] = set()  # read-only synonyms written back as read (EDBOOK, CPAPER ...)
CANONICAL_TY: dict[str, str] = {}  # csl type -> TY written for it without loss
for _ty, _csl, _dir in TYPES:
    if "<" in _dir:
        READ_TYPES.setdefault(_ty, _csl)
    if _dir == "<":
        KEEP_TY.add(_ty)
    if ">" in _dir:
        WRITE_TYPES.setdefault(_csl, _ty)
    if _dir == "<>":
        CANONICAL_TY.setdefault(_csl, _ty)


def type_code(value: str) -> str:
    """The TY code for a ``TY`` line's value: codes as they are, long names looked up."""
    text = value.strip()
    upper = text.upper()
    if upper in READ_TYPES:
        return upper
    return TYPE_NAMES.get(text.lower(), upper)


# --- tags -----------------------------------------------------------------------------

#: Targets: a CSL ordinary variable name, ``names:<role>``, ``date:<var>``, or one of the
#: special targets handled by the reader and writer: ``id``, ``abstract``, ``keyword``,
#: ``translated-title``, ``affiliation``, ``pdf`` (``Record.extra['pdf']``), ``page-start``
#: and ``page-end``, ``issn-isbn``.
SPECIAL_TARGETS = frozenset(
    """id abstract keyword translated-title affiliation pdf page-start page-end issn-isbn
    year""".split()
)


@dataclass(frozen=True, slots=True)
class TagRule:
    tag: str
    target: str
    only: frozenset[str] = frozenset()
    exclude: frozenset[str] = frozenset()
    write: bool = True
    #: where a value goes when another tag already filled ``target`` with something else
    spill: str = ""

    def admits(self, ty: str) -> bool:
        return (not self.only or ty in self.only) and ty not in self.exclude


def _types(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Types whose T2 is a series title (Zotero: book series, report series, software series).
SERIES_IN_T2 = _types("BOOK EBOOK EDBOOK RPRT COMP MAP")
#: Conference papers: T2 is the conference (event), C3 the proceedings, CY the conference
#: location and C1 the place of publication (RIS spec; Zotero and citation-js read them so).
CONFERENCE = _types("CONF CPAPER")
#: Types whose SP is the number of pages of the whole work.
PAGES_COUNT = _types("BOOK EBOOK EDBOOK THES MANSCPT")
#: Serial types: SN is an ISSN unless it has an ISBN's shape.
SERIALS = _types("JOUR EJOUR MGZN NEWS SER JFULL ABST INPR")
#: Free-text tags whose continuation lines keep their line breaks.
TEXT_BLOCKS = _types("AB N2 N1")

_T = TagRule
RULES: tuple[TagRule, ...] = (
    _T("ID", "id"),
    # creators, in the order Zotero's translator resolves them
    _T("AU", "names:editor", only=_types("EDBOOK")),
    _T("AU", "names:author"),
    _T("A1", "names:editor", only=_types("EDBOOK"), write=False),
    _T("A1", "names:author", write=False),
    _T("A2", "names:collection-editor", only=_types("BOOK EBOOK EDBOOK RPRT")),
    _T("A2", "names:recipient", only=_types("PCOMM ICOMM")),
    _T("A2", "names:editor"),
    _T("A3", "names:editor", only=_types("BOOK EBOOK RPRT")),
    _T("A3", "names:producer", only=_types("MPCT VIDEO ADVS")),
    _T("A3", "names:contributor", only=_types("THES")),
    _T("A3", "names:collection-editor"),
    _T("A4", "names:translator"),
    _T("ED", "names:editor", write=False),
    _T("C2", "names:container-author", only=_types("CHAP ECHAP")),
    _T("AD", "affiliation"),
    # titles
    _T("TI", "title"),
    _T("T1", "title", write=False),
    _T("CT", "title", write=False),
    _T("BT", "title", only=_types("BOOK EBOOK EDBOOK MANSCPT"), write=False),
    _T("TT", "translated-title"),
    _T("ST", "title-short"),
    _T("T2", "collection-title", only=SERIES_IN_T2),
    _T("T2", "event-title", only=CONFERENCE),
    _T("C3", "container-title", only=CONFERENCE),
    _T("T2", "container-title"),
    _T("JF", "container-title", write=False),
    _T("JO", "container-title", write=False, spill="container-title-short"),
    _T("BT", "container-title", write=False),
    _T("J2", "container-title-short"),
    _T("JA", "container-title-short", write=False),
    _T("T3", "collection-title"),
    # dates: DA and PY before Y1; Y2 is the access date, never the year
    _T("DA", "date:issued"),
    _T("PY", "year"),
    _T("Y1", "date:issued", write=False),
    _T("Y2", "date:accessed"),
    # numbers
    _T("VL", "volume"),
    _T("VO", "volume", write=False),
    _T("IS", "issue"),
    _T("M1", "collection-number", only=_types("BOOK EBOOK EDBOOK CLSWK")),  # spec, Zotero
    _T("M1", "number"),
    _T("SV", "collection-number"),
    _T("NV", "number-of-volumes"),
    _T("SP", "number-of-pages", only=PAGES_COUNT),
    _T("SP", "page-start"),
    _T("EP", "page-end"),
    _T("ET", "version", only=_types("COMP DATA")),
    _T("ET", "edition"),
    _T("SE", "chapter-number", only=_types("CHAP ECHAP")),  # spec: a chapter's SE
    _T("C1", "section", only=_types("CHAP ECHAP")),
    _T("SE", "section"),
    # publication
    _T("PB", "publisher"),
    _T("CY", "event-place", only=CONFERENCE),
    _T("C1", "publisher-place", only=CONFERENCE),
    _T("CY", "publisher-place"),
    _T("SN", "issn-isbn"),
    _T("DO", "DOI"),
    _T("M3", "genre"),
    _T("LA", "language"),
    _T("UR", "URL"),
    _T("L1", "pdf"),
    _T("CN", "call-number"),
    _T("AN", "archive_location"),
    _T("DB", "archive"),
    _T("DP", "source"),
    # text
    _T("AB", "abstract"),
    _T("N2", "abstract", write=False),
    _T("KW", "keyword"),
    _T("N1", "note"),
)

_BY_TAG: dict[str, tuple[TagRule, ...]] = {}
for _rule in RULES:
    _BY_TAG[_rule.tag] = (*_BY_TAG.get(_rule.tag, ()), _rule)
_RANK: dict[TagRule, int] = {rule: i for i, rule in enumerate(RULES)}

#: Tags that never carry data of their own.
STRUCTURAL = frozenset({"TY", "ER"})


_READ_CACHE: dict[tuple[str, str], TagRule | None] = {}


def rule_for_tag(tag: str, ty: str) -> TagRule | None:
    """The rule reading ``tag`` in a record of type ``ty`` (None: keep as ``ris:<tag>``)."""
    key = (tag, ty)
    try:
        return _READ_CACHE[key]
    except KeyError:
        pass
    found = next((rule for rule in _BY_TAG.get(tag, ()) if rule.admits(ty)), None)
    _READ_CACHE[key] = found
    return found


def rank(rule: TagRule) -> int:
    return _RANK[rule]


_WRITE_CACHE: dict[tuple[str, str], str | None] = {}


def tag_for(target: str, ty: str) -> str | None:
    """The tag the writer uses for ``target`` in a record of type ``ty`` (None: no place)."""
    key = (target, ty)
    if key not in _WRITE_CACHE:
        found = None
        for rule in RULES:
            if rule.write and rule.target == target and rule.admits(ty):
                found = rule.tag
                break
        _WRITE_CACHE[key] = found
    return _WRITE_CACHE[key]


_ROLES_CACHE: dict[str, dict[str, str]] = {}


def name_roles(ty: str) -> dict[str, str]:
    """``{role: tag}`` for every creator role RIS can hold in a record of type ``ty``."""
    if ty not in _ROLES_CACHE:
        _ROLES_CACHE[ty] = _name_roles(ty)
    return _ROLES_CACHE[ty]


def _name_roles(ty: str) -> dict[str, str]:
    out: dict[str, str] = {}
    used: set[str] = set()
    for rule in RULES:
        if (
            rule.write
            and rule.target.startswith("names:")
            and rule.admits(ty)
            and rule.tag not in used
        ):
            out.setdefault(rule.target[6:], rule.tag)
            used.add(rule.tag)
    return out


def reads_back(tag: str, target: str, ty: str) -> bool:
    """Whether ``tag`` in a record of type ``ty`` is read into ``target`` (so writing it
    there cannot turn into another field on the way back)."""
    rule = rule_for_tag(tag, ty)
    return rule is not None and rule.target == target


# --- value codecs (shared by reader and writer) ---------------------------------------

_PARTICLES = frozenset(
    """van von der den de del della di da du des la le ten ter dos das do zu zum zur af av
    al el bin ibn""".split()
)
_SUFFIXES = frozenset("jr jr. sr sr. ii iii iv v 2nd 3rd".split())


@lru_cache(maxsize=65536)  # names repeat across records; Name is immutable
def parse_ris_name(text: str) -> Name:
    """``Lastname, Firstname, Suffix`` (the RIS form); no comma means one literal name.

    Particles before the family name (``van der Berg, Jan``) are non-dropping; trailing
    lower-case particles of the given name (``Beethoven, Ludwig van``) are dropping.
    ``Smith, Jr., John`` (BibTeX order) is recognised too.
    """
    text = " ".join(text.split())
    if "," not in text:
        return Name(literal=text)
    parts = [p.strip() for p in text.split(",")]
    family_part, given = parts[0], parts[1]
    suffix = ", ".join(p for p in parts[2:] if p)
    if suffix and given.lower() in _SUFFIXES and suffix.lower() not in _SUFFIXES:
        given, suffix = suffix, given
    words = family_part.split(" ")
    particles: list[str] = []
    while len(words) > 1 and (words[0].lower() in _PARTICLES or words[0][:1].islower()):
        particles.append(words.pop(0))
    given_words = given.split(" ") if given else []
    dropping: list[str] = []
    while len(given_words) > 1 and given_words[-1] in _PARTICLES:
        dropping.insert(0, given_words.pop())
    return Name(
        family=" ".join(words),
        given=" ".join(given_words),
        non_dropping_particle=" ".join(particles),
        dropping_particle=" ".join(dropping),
        suffix=suffix,
    )


def format_ris_name(name: Name) -> str:
    """The inverse of :func:`parse_ris_name`: ``van der Berg, Jan``, ``King, Martin Luther,
    Jr.``, ``Plato,`` (a family name alone keeps its comma so it is not read as a literal)."""
    if name.is_literal:
        return name.literal
    family = " ".join(p for p in (name.non_dropping_particle, name.family) if p)
    given = " ".join(p for p in (name.given, name.dropping_particle) if p)
    text = f"{family}, {given}" if given else f"{family},"
    if name.suffix:
        text = f"{family}, {given}, {name.suffix}"
    return text


_SEASONS = {"spring": "1", "summer": "2", "autumn": "3", "fall": "3", "winter": "4"}
_SEASON_NAMES = {"1": "Spring", "2": "Summer", "3": "Autumn", "4": "Winter"}
_RIS_DATE = re.compile(r"^\s*(\d{1,4})?\s*/\s*(\d{0,2})\s*(?:/\s*(\d{0,2})\s*(?:/(.*))?)?$")
_MONTHS = {
    m: i + 1 for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split())
}


@lru_cache(maxsize=65536)
def parse_ris_date(text: str) -> Date | None:
    """``2014``, ``2014//``, ``2014/05//``, ``2014/05/01/``, ``2014///Spring``; also ISO
    ``2014-05-01`` and ``May 2014`` which real exports contain.  None when nothing fits."""
    text = text.strip()
    if not text:
        return None
    if text.isdigit() and len(text) <= 4:
        return Date.of(int(text))
    match = _RIS_DATE.match(text)
    if match:
        year_s, month_s, day_s, other = match.groups()
        other = (other or "").strip()
        numbers: list[int] = []
        if year_s:
            numbers.append(int(year_s))
            if month_s and 1 <= int(month_s) <= 12:
                numbers.append(int(month_s))
                if day_s and 1 <= int(day_s) <= 31:
                    numbers.append(int(day_s))
            elif month_s:
                return Date(literal=text)
        season = _SEASONS.get(other.lower(), "")
        if numbers:
            if other and not season:
                # time of day (Zotero writes access dates as 2020/05/01/12:00:00) or notes
                if re.fullmatch(r"\d{1,2}:\d{2}(:\d{2})?", other):
                    return Date(parts=(tuple(numbers),))
                return Date(parts=(tuple(numbers),), raw=text)
            return Date(parts=(tuple(numbers),), season=season)
        if other:
            return Date(literal=other)
        return None
    iso = Date.parse(text.split("T")[0].split(" ")[0]) if re.match(r"^\d{4}-", text) else None
    if iso is not None and iso.parts:
        return iso
    words = re.findall(r"[A-Za-z]+|\d+", text)
    year = next((int(w) for w in words if w.isdigit() and len(w) == 4), None)
    month = next((_MONTHS[w[:3].lower()] for w in words if w[:3].lower() in _MONTHS), None)
    if year is not None and len(words) <= 3:
        day = next((int(w) for w in words if w.isdigit() and len(w) <= 2), None)
        if month and day and 1 <= day <= 31:
            return Date.of(year, month, day)
        return Date.of(year, month) if month else Date.of(year)
    return Date(literal=text)


def is_ris_date_form(text: str) -> bool:
    """``YYYY/MM/DD/other`` with any part empty (``///in press`` is a valid RIS date)."""
    return bool(_RIS_DATE.match(text)) or text.strip().isdigit()


def format_ris_date(date: Date) -> str:
    """``2020/05/01/``, ``2020/05//``, ``2020///``, ``2020///Spring``, ``///literal``."""
    if not date.parts:
        return f"///{date.literal or date.raw}"
    first = date.parts[0]
    year = f"{first[0]:04d}" if first and first[0] >= 0 else ""
    month = f"{first[1]:02d}" if len(first) > 1 else ""
    day = f"{first[2]:02d}" if len(first) > 2 else ""
    other = _SEASON_NAMES.get(date.season, date.season)
    return f"{year}/{month}/{day}/{other}"


_RANGE = re.compile(r"^\s*([^\s\-–—]+)\s*[-–—]+\s*([^\s\-–—]+)\s*$")


def split_pages(page: str) -> tuple[str, str]:
    """``51-71`` → (``51``, ``71``); a single page or a complex list stays whole in SP."""
    match = _RANGE.match(page)
    if match:
        return match.group(1), match.group(2)
    return page.strip(), ""


def join_pages(start: str, end: str) -> str:
    """SP/EP back to a CSL page: ``51-71``; ``51`` when EP is missing (as Zotero does,
    ``12``/``12`` stays ``12-12``: the file said so)."""
    start, end = start.strip(), end.strip()
    if not start or not end:
        return start or end
    return f"{start}-{end}"


_DOI_PREFIX = re.compile(r"^(?:doi:\s*|https?://(?:dx\.|www\.)?doi\.org/)", re.I)
_DOI_SHAPE = re.compile(r"^10\.\d{4,9}/\S+$")


def bare_doi(text: str) -> str:
    """``https://doi.org/10.1/x`` → ``10.1/x`` (case kept: RIS readers compare as written)."""
    return _DOI_PREFIX.sub("", text.strip())


def looks_like_doi(text: str) -> bool:
    return bool(_DOI_SHAPE.match(bare_doi(text)))


def classify_sn(value: str, ty: str) -> str:
    """``ISSN`` or ``ISBN`` for an SN value, by its shape first and the record type second."""
    digits = re.sub(r"[^0-9Xx]", "", value.split("(")[0].split(";")[0].split(" ")[0])
    if len(digits) == 8:
        return "ISSN"
    if len(digits) in (10, 13):
        return "ISBN"
    return "ISSN" if ty in SERIALS else "ISBN"


def unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))
