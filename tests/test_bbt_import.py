"""A .bib read as Zotero + Better BibTeX import it (issue 13: "no regression in what real-world
.bib files import as").

The expected values are Better BibTeX's own import fixtures (``tests/fixtures/bbt-import/``,
see the README there): each ``X.bib`` and the Zotero items BBT imports from it, ``X.json``.
citetool reads each ``.bib`` and its records are compared with the Zotero items field by field
through :data:`ZOTERO_TO_CSL` (Zotero item field → citetool/CSL variable), :data:`ITEM_TYPES`
(Zotero item type → CSL type) and :data:`CREATOR_ROLES` (Zotero creator type → CSL name
variable). A (fixture, item, field) pair is compared when either side has a value.

Normalised, because they are conventions and not content: whitespace runs, HTML markup
(``<i>``, ``<span class="nocase">`` ...; stripped on both sides), page-range dashes, ISBN
hyphens (Zotero hyphenates ISBNs), a name's particle and suffix (Zotero has no field for them:
``lastName`` "von Hicks", ``firstName`` "Michael, III"). Letter case counts: BBT sentence-cases
English titles on import, as citetool does.

Agreement today: 877 of 926 compared fields (94.7%), in 63 fixtures (104 items), every
fixture of BBT's that meets the README's criterion (``select_fixtures.py`` there applies it).
On the 25 fixtures compared at first: 406 of 427 (95.1%; before this work 400 of
427, 93.7%, with the same comparison; 400 of 426 as first stated). Issue 13 asks
for >= 98%: not met, ``test_agreement_reaches_the_issue_13_bar`` is a strict xfail until it
is. :data:`DIFFERENCES` lists, with a reason each, the pairs that differ (49; one key names
two items): a ratchet, an unlisted difference fails and a listed one that now matches fails
too, asking to be taken off the list. What is left is BBT's own choices where pandoc (the
reference for biblatex) or issue 13 says otherwise: titles braced whole kept as typed, the
first word after a colon capitalised, ``language = {german}`` honoured, journal names kept as
typed instead of expanded from JabRef's abbreviation lists, @movie's author and editors.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from citetool.model import Name, Record
from citetool.readers.bibtex import read

FIXTURES = Path(__file__).parent / "fixtures" / "bbt-import"
THRESHOLD = 0.98

#: Zotero item type → CSL type (Zotero's own CSL mapping: schema.json ``csl.types``, as
#: BBT's ``schema/zotero.json`` at the fixtures' commit holds it)
ITEM_TYPES = {
    "journalArticle": "article-journal",
    "magazineArticle": "article-magazine",
    "newspaperArticle": "article-newspaper",
    "preprint": "article",
    "book": "book",
    "bookSection": "chapter",
    "conferencePaper": "paper-conference",
    "encyclopediaArticle": "entry-encyclopedia",
    "dictionaryEntry": "entry-dictionary",
    "report": "report",
    "thesis": "thesis",
    "webpage": "webpage",
    "blogPost": "post-weblog",
    "forumPost": "post",
    "patent": "patent",
    "manuscript": "manuscript",
    "document": "document",
    "dataset": "dataset",
    "standard": "standard",
    "computerProgram": "software",
    "film": "motion_picture",
    "videoRecording": "motion_picture",
    "tvBroadcast": "broadcast",
    "radioBroadcast": "broadcast",
    "podcast": "broadcast",
    "audioRecording": "song",
    "artwork": "graphic",
    "map": "map",
    "case": "legal_case",
    "statute": "legislation",
    "bill": "bill",
    "hearing": "hearing",
    "interview": "interview",
    "letter": "personal_communication",
    "email": "personal_communication",
    "presentation": "speech",
}
#: Zotero items that are no bibliographic record (a standalone note, an attachment)
NOT_RECORDS = frozenset({"note", "attachment"})

#: Zotero item field → CSL variable in ``Record.fields`` (Zotero's CSL mapping; the
#: type-specific fields BBT's JSON may carry under their base name are listed too)
ZOTERO_TO_CSL = {
    "title": "title",
    "publicationTitle": "container-title",
    "bookTitle": "container-title",
    "proceedingsTitle": "container-title",
    "encyclopediaTitle": "container-title",
    "volume": "volume",
    "issue": "issue",
    "pages": "page",
    "DOI": "DOI",
    "url": "URL",
    "ISBN": "ISBN",
    "ISSN": "ISSN",
    "publisher": "publisher",
    "institution": "publisher",
    "university": "publisher",
    "place": "publisher-place",
    "edition": "edition",
    "series": "collection-title",
    "number": "number",
    "reportNumber": "number",
}
#: what is compared per item: the item type, each CSL variable above, the date, the names
FIELDS = ("type", *dict.fromkeys(ZOTERO_TO_CSL.values()), "issued")

#: Zotero creator type → CSL name variable (schema.json ``csl.names``; ``inventor``, which
#: has no entry there, is a patent's primary creator, and Zotero's CSL export writes an
#: item's primary creator as ``author``)
CREATOR_ROLES = {
    "author": "author",
    "editor": "editor",
    "translator": "translator",
    "bookAuthor": "container-author",
    "seriesEditor": "collection-editor",
    "contributor": "contributor",
    "castMember": "performer",
    "composer": "composer",
    "director": "director",
    "guest": "guest",
    "interviewer": "interviewer",
    "producer": "producer",
    "recipient": "recipient",
    "reviewedAuthor": "reviewed-author",
    "scriptwriter": "script-writer",
    "inventor": "author",
}

#: why: short reasons used more than once
_GUESS = ("BBT's 'on+guess' leaves a title that is not in Title Case as typed; citetool "
          "sentence-cases it and lowercases its proper nouns")
_WHOLE = ("BBT sentence-cases a title braced whole ({{...}}: its parser removes the outer "
          "braces of title and booktitle, 'removeOuterBraces'); for BibTeX, for pandoc and for "
          "issue 13 the braces protect it, and citetool keeps its case")
_COLON = ("BBT lowercases the first word after a colon; citetool capitalises it, as pandoc "
          "does (pandoc's CSL-JSON of the fixture: 'Insight: A unified ...')")
_SUBTITLE = "title + subtitle joined with '. ' by BBT, ': ' by citetool and pandoc"
_GERMAN = "BibTeX `language = {german}`: citetool keeps the title as typed; BBT sentence-cased it"
_UNABBREVIATED = ("BBT replaces a journal abbreviation by the full name from JabRef's lists "
                  "(importJabRefAbbreviations); citetool, like pandoc, keeps the journal as typed")
_PATENT = ("BBT prefixes a patent's number with the country of `type = {patentus}`; citetool "
           "keeps number and type apart (the type is the genre, 'U.S. patent'), as pandoc does")
_MOVIE = ("@movie: BBT takes the author for the director and the editors for script writers; "
          "citetool, like pandoc, keeps author and editor (biblatex's editortype would say "
          "director)")
_G = "Title of German entry converted to lowercase during import #1350"
_PP = "Child items that use the crossref field do not have their parent fields imported #2373"
_CROSSREF_PLACE = ("citetool inherits `address` from the crossref'd @book as BibTeX, "
                   "biblatex and pandoc do; BBT does not import the place")
_FILMS = "Improve import of films #1837"
_OVERLINE = "Overline during Import #1467"

#: (fixture, citation key, field) → why citetool's value differs from BBT's
DIFFERENCES: dict[tuple[str, str, str], str] = {
    ("Better BibLaTeX import improvements #549", "Algar1985", "title"):
        "biblatex-chicago's `lista` (not biblatex): BBT takes it as the title and the title as "
        "container; citetool keeps `title` and `lista` as an extra field",
    ("Better BibLaTeX import improvements #549", "Algar1985", "container-title"): "the same",
    ("Better BibLaTeX import improvements #549", "Arsdall2012", "title"):
        "both lowercase 'John'; citetool lowercases the initial 'M.' and 'Riddle' too",
    ("Better BibLaTeX import improvements #549", "Bennett2003", "title"):
        _GUESS + " ('Byzantine'); " + _COLON,
    ("Better BibTeX.001", "Rechenberg2006a", "title"):
        _SUBTITLE + " (the subtitle opens with '('); BBT's guess keeps the subtitle as typed "
        "('Informatiker')",
    ("Better BibTeX.003", "conference:06", "type"):
        "BBT imports a @proceedings that has a booktitle as a bookSection; for biblatex, "
        "pandoc and citetool it is a book (its booktitle kept as an extra field)",
    ("Better BibTeX.003", "conference:06", "container-title"): "the same",
    ("Better BibTeX.006", "test-ticket1661", "title"):
        "a title that opens in lower case: BBT keeps it as typed; citetool, as pandoc, "
        "capitalises its first word and the first after each colon ('Http://'), and {\\~n} "
        "is a BibTeX special character whose case changes (pandoc protects it)",
    ("Better BibTeX.012", "moller2012conceptsrisksafety", "title"): _WHOLE,
    ("Better BibTeX.012", "moller2012conceptsrisksafety", "container-title"): _WHOLE,
    ("BibLaTeX Patent author handling, type #1060", "sorace", "number"): _PATENT,
    ("BibLaTeX Patent author handling, type #1060", "laufenberg", "number"): _PATENT,
    ("BibTeX import; preamble with def create problems #732", "MR1870153", "author[1]"):
        "{\\'{\\i}}: BBT keeps the dotless ı under the accent (ı + U+0301); citetool "
        "writes í, as LaTeX prints it",
    ("Book imported as book section when duplicate book title field is present #3328",
     "Malinowski_1935b", "title"): _COLON,
    (_PP, "inbook", "publisher-place"): _CROSSREF_PLACE,
    (_PP, "incollection", "publisher-place"): _CROSSREF_PLACE,
    ("Detect journal abbreviation in the publication field #1951", "key", "container-title"):
        "BBT takes a journal that looks abbreviated for the abbreviation only (no "
        "publicationTitle); citetool, like pandoc, keeps it as the container title",
    ("Import location to event-place for conference papers", "Mostafa:2009:TPA:1596655.1596682",
     "publisher-place"):
        "ACM's `location` is the venue, `address` the publisher's: BBT puts `location` in place "
        "(`address` in extra); citetool takes `address` for the publisher's place, as pandoc "
        "does, and `location` for the event place",
    ("Import location to event-place for conference papers", "Mostafa:2009:TPA:1596655.1596682",
     "collection-title"):
        "BBT sentence-cases the series to 'Pppj'; citetool keeps an all-capital word (issue 13)",
    ("Import of langle and rangle TeX commands #1468", "Zhang_2015", "container-title"):
        _UNABBREVIATED,
    ("Import support for the online type in BBT #1358", "WEB:intel-ark-atom", "title"): _WHOLE,
    (_FILMS, "Ball.W:2014a", "director[0]"): _MOVIE,
    (_FILMS, "Ball.W:2014a", "author[0]"): _MOVIE,
    **{(_FILMS, "Ball.W:2014a", f"{role}[{i}]"): _MOVIE
       for role in ("editor", "script-writer") for i in range(3)},
    (_FILMS, "Roy.O:2017a", "title"): _SUBTITLE,
    ("Literal names", "sasson_increasing_2013", "title"):
        _GUESS + " ('American Heart Association'); " + _COLON,
    ("Lowercase A in BBT Sentence Case #2078", "ludeckeInsightUnifiedInterface2019", "title"):
        _COLON,
    ("Math formatting lost on import #627", "Bonca:2012in", "title"): _WHOLE,
    ("Math formatting lost on import #627", "Bonca:2012in", "container-title"): _UNABBREVIATED,
    (_OVERLINE, "Leung_2012", "title"):
        "BBT keeps 'r-Plane' (a capital inside a hyphenated word); citetool, as pandoc, takes "
        "'Plane' for a word of its own and lowercases it",
    **{(_OVERLINE, key, "container-title"): _UNABBREVIATED
       for key in ("Song_2015", "Zywietz_1998", "Keller_2014", "Held_1998", "Shojiki_2015")},
    ("Problem when importing BibTeX entries with square brackets #94", "Adachi_1989",
     "container-title"): _UNABBREVIATED,
    (_G, "schiffer2005a", "title"): _GERMAN,
    (_G, "schiffer2005a", "container-title"): _GERMAN,
    ("Wrong ring-above import #1115", "rehurek_lrec", "title"): _WHOLE,
    ("Wrong ring-above import #1115", "rehurek_lrec", "container-title"): _WHOLE,
    ("detect-urls", "Alexiev-ENDORSE-2021", "title"): _WHOLE,
    ("detect-urls", "Alexiev-ENDORSE-2021", "container-title"): _WHOLE,
}


# --- normalisation: conventions only ---------------------------------------------------

_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")
_DASHES = re.compile(r"\s*[-\u2010-\u2015\u2212]+\s*")


def text(value: object) -> str:
    """Markup stripped, entities decoded, whitespace runs as one space; case kept."""
    plain = html.unescape(_TAG.sub("", str(value)))
    return " ".join(plain.split())


def normal(variable: str, value: object) -> str:
    out = text(value)
    if variable == "page":
        out = _DASHES.sub("-", out)
    elif variable == "ISBN":
        out = " ".join(re.sub(r"[-\s]", "", isbn) for isbn in out.split(" "))
    return out


def zotero_name(name: Name) -> dict[str, str]:
    """A citetool name as Zotero holds it: particles in the last name, a suffix after the
    first name (``Michael, III``), a literal in ``name``."""
    if name.is_literal:
        return {"name": text(name.literal)}
    last = " ".join(p for p in (name.dropping_particle, name.non_dropping_particle,
                                name.family) if p)
    first = name.given + (f", {name.suffix}" if name.suffix else "")
    return {"lastName": text(last), "firstName": text(first)}


def zotero_creator(creator: dict[str, str]) -> dict[str, str]:
    if "name" in creator:
        return {"name": text(creator["name"])}
    return {"lastName": text(creator.get("lastName", "")),
            "firstName": text(creator.get("firstName", ""))}


_EXTRA_LINE = re.compile(r"^([A-Za-z][\w -]*?):\s*(.+)$")


def extra_fields(item: dict[str, Any]) -> dict[str, str]:
    """Compared variables Zotero keeps in ``extra``, one ``Field: value`` line each, for an
    item type that has no field for them (a ``bookSection``'s DOI); Zotero's own CSL export
    reads these lines as CSL variables. ``tex.*`` lines are BBT's raw BibTeX fields: not
    read."""
    extra = item.get("extra") or ""
    lines = extra if isinstance(extra, list) else str(extra).splitlines()
    out: dict[str, str] = {}
    for line in lines:
        match = _EXTRA_LINE.match(line.strip())
        if not match:
            continue
        name = match[1].strip()
        # Zotero reads "Pages:" as its field pages, "Publisher Place:" as publisherPlace
        first, *rest = name.split()
        zfield = first[:1].lower() + first[1:] + "".join(w[:1].upper() + w[1:] for w in rest)
        variable = ZOTERO_TO_CSL.get(zfield) or (name if name in FIELDS else None)
        if variable:
            out.setdefault(variable, match[2])
    return out


_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def zotero_date(value: str) -> str:
    """Zotero's date as ``YYYY[-MM[-DD]]`` where it is ISO-like, else its first year."""
    match = _ISO.match(value.strip())
    if match:
        return "-".join(g for g in match.groups() if g)
    year = re.search(r"\b\d{4}\b", value)
    return year.group(0) if year else value


def citetool_date(record: Record, precision: str) -> str:
    """citetool's issued date to the precision Zotero's has (the year at least)."""
    date = record.issued
    if date is None or date.is_empty():
        return ""
    if not date.parts:
        return text(date.literal or date.raw)
    parts = date.parts[0][: max(1, precision.count("-") + 1)]
    return "-".join(f"{p:04d}" if i == 0 else f"{p:02d}" for i, p in enumerate(parts))


# --- the comparison ----------------------------------------------------------------------

def fixtures() -> list[str]:
    return sorted(p.stem for p in FIXTURES.glob("*.bib"))


@cache
def pairs(fixture: str) -> tuple[tuple[str, str, str, str, str], ...]:
    """(citation key, field, BBT's value, citetool's value, "1" if they agree else "") for
    every compared field of the fixture's items."""
    bib = (FIXTURES / f"{fixture}.bib").read_text(encoding="utf-8")
    items = json.loads((FIXTURES / f"{fixture}.json").read_text(encoding="utf-8"))["items"]
    records: dict[str, list[Record]] = {}
    for record in read(bib, f"{fixture}.bib").records:  # a repeated key: in the file's order
        records.setdefault(str(record.fields.get("citation-key", record.id)), []).append(record)
    out: list[tuple[str, str, str, str, str]] = []
    for item in items:
        if item["itemType"] in NOT_RECORDS:
            continue
        key = item.get("citationKey", "")
        found = records.get(key) or _keyless(records, item) or [Record(id=key, type="")]
        record = found.pop(0) if len(found) > 1 else found[0]
        for field, expected, got in _compare(item, record):
            out.append((key, field, expected, got, "1" if expected == got else ""))
    return tuple(out)


def _keyless(records: dict[str, list[Record]], item: dict[str, Any]) -> list[Record]:
    """The record of an entry that has no key in the .bib (BBT makes one up), by its title."""
    return [r for group in records.values() for r in group
            if "citation-key" not in r.fields and text(r.title) == text(item.get("title", ""))]


def _compare(item: dict[str, Any], record: Record) -> Iterator[tuple[str, str, str]]:
    yield "type", ITEM_TYPES.get(item["itemType"], item["itemType"]), record.type
    expected: dict[str, str] = {}
    for zfield, variable in ZOTERO_TO_CSL.items():
        if item.get(zfield) and variable not in expected:
            expected[variable] = normal(variable, item[zfield])
    for variable, value in extra_fields(item).items():
        expected.setdefault(variable, normal(variable, value))
    for variable in dict.fromkeys(ZOTERO_TO_CSL.values()):
        got = normal(variable, record.fields[variable]) if variable in record.fields else ""
        if expected.get(variable) or got:
            yield variable, expected.get(variable, ""), got
    date = zotero_date(str(item.get("date", "")))
    got_date = citetool_date(record, date)
    if date or got_date:
        yield "issued", date, got_date
    roles: dict[str, list[dict[str, str]]] = {}
    for creator in item.get("creators", []):
        role = CREATOR_ROLES.get(creator["creatorType"], creator["creatorType"])
        roles.setdefault(role, []).append(zotero_creator(creator))
    for role in dict.fromkeys([*roles, *record.names]):
        want = roles.get(role, [])
        have = [zotero_name(n) for n in record.names.get(role, ())]
        for i in range(max(len(want), len(have))):
            yield (f"{role}[{i}]", _show(want[i] if i < len(want) else {}),
                   _show(have[i] if i < len(have) else {}))


def _show(creator: dict[str, str]) -> str:
    if "name" in creator:
        return creator["name"]
    return ", ".join(v for v in (creator.get("lastName"), creator.get("firstName")) if v)


def all_pairs() -> list[tuple[str, str, str, str, str, str]]:
    return [(f, *p) for f in fixtures() for p in pairs(f)]


# --- the tests ---------------------------------------------------------------------------

@pytest.mark.parametrize("fixture", fixtures())
def test_fixture_differences_are_the_listed_ones(fixture: str) -> None:
    differ = {(fixture, key, field): (want, got)
              for key, field, want, got, ok in pairs(fixture) if not ok}
    listed = {k for k in DIFFERENCES if k[0] == fixture}
    unlisted = {k: v for k, v in differ.items() if k not in listed}
    assert not unlisted, "citetool differs from Better BibTeX (BBT's value, citetool's): " + \
        "; ".join(f"{k[1]} {k[2]}: {v[0]!r} vs {v[1]!r}" for k, v in unlisted.items())
    now_match = sorted(listed - differ.keys())
    assert not now_match, f"these now agree with BBT: remove them from DIFFERENCES: {now_match}"


def agreement() -> tuple[int, int]:
    compared = all_pairs()
    return sum(1 for p in compared if p[-1]), len(compared)


def test_agreement_is_the_stated_figure() -> None:
    matching, compared = agreement()
    assert compared > 400, "fewer fields compared than the fixtures hold"
    stated = re.search(r"Agreement today: (\d+) of (\d+)", __doc__ or "")
    readme = (FIXTURES / "README.md").read_text(encoding="utf-8")
    figure = f"{matching} of {compared} compared fields ({matching / compared:.1%})"
    assert stated and (int(stated[1]), int(stated[2])) == (matching, compared), \
        f"update the figure in this docstring and the README: {figure}"
    assert figure in readme, f"update the figure in the README: {figure}"


@pytest.mark.xfail(strict=True, reason="issue 13 acceptance not met yet: 94.7% of fields agree "
                   "(see DIFFERENCES); take this mark off when it passes")
def test_agreement_reaches_the_issue_13_bar() -> None:
    matching, compared = agreement()
    assert matching / compared >= THRESHOLD, f"{matching}/{compared} = {matching / compared:.1%}"


def test_fixtures_are_the_ones_the_readme_names() -> None:
    readme = (FIXTURES / "README.md").read_text(encoding="utf-8")
    for fixture in fixtures():
        assert f"`{fixture}.bib`" in readme, fixture
        assert (FIXTURES / f"{fixture}.json").is_file(), fixture
