"""Property: record → RIS → record keeps every field RIS can hold, and what it cannot hold is
named in the loss report.  Realistic Unicode (Polish ł, German, Cyrillic, Greek) comes from
``tests/strategies.py``; RIS-specific shapes (particles, suffixes, seasons, multi-line notes,
unknown tags, every TY) from the strategy below."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import rispy
from hypothesis import given
from hypothesis import strategies as st
from strategies import capitalized, dates, phrase, records, word

from citetool.csljson import from_csl, to_csl
from citetool.io import read_source
from citetool.mapping import ris as m
from citetool.model import Date, FrozenMap, Name, Record, primary_language
from citetool.readers.ris import read
from citetool.writers.ris import write


def ris_expected(record: Record) -> tuple[Record, set[str]]:
    """What RIS keeps of ``record`` (by the rules the writer documents), and the loss
    kinds that must be reported."""
    lost: set[str] = set()
    ty = m.CANONICAL_TY[record.type]
    roles = m.name_roles(ty)
    names: dict[str, tuple[Name, ...]] = {}
    owners = []
    affiliations: list[str] = []
    for role, people in record.names.items():
        if role not in roles:
            lost.add(f"{role} names")
            continue
        kept = []
        for i, person in enumerate(people):
            if person.orcid:
                lost.add("ORCID")
            if person.affiliation:
                owners.append((role, i))
                affiliations.extend(person.affiliation)
            kept.append(person.replace(orcid="", affiliation=()))
        names[role] = tuple(kept)
    extra: dict[str, Any] = dict(record.extra)
    unique = list(dict.fromkeys(affiliations))
    if owners == [("author", 0)] and len(record.names["author"]) == 1:
        names["author"] = (names["author"][0].replace(affiliation=tuple(affiliations)),)
    elif unique:
        lost.add("affiliations of each person")
        extra["ris:AD"] = unique[0] if len(unique) == 1 else unique
    fields = dict(record.fields)
    if "page" in fields and ty in m.PAGES_COUNT:
        del fields["page"]
        lost.add("page")
    for var in list(fields):
        if var in ("page", "DOI", "ISSN", "ISBN"):
            continue
        tag = m.tag_for(var, ty)
        if not tag or not m.reads_back(tag, var, ty):
            del fields[var]
            lost.add(f"the field '{var}'")
    abstracts = {}
    if record.abstracts:
        abstracts = {record.language: record.abstract}
        if len(record.abstracts) > 1:
            lost.add("abstracts in further languages")
        lang = primary_language(record.language)
        keys = list(record.abstracts)
        written = next((k for k in keys if primary_language(k) == lang), keys[0])
        if primary_language(written) not in ("", lang):
            lost.add("the language of the abstract")
    keywords = {"": tuple(record.all_keywords())} if record.keywords else {}
    if any(record.keywords):
        lost.add("the language of keywords")
    titles = {}
    if record.titles:
        key = "en" if "en" in record.titles else next(iter(record.titles))
        titles = {"en": record.titles[key]}
        if len(record.titles) > 1:
            lost.add("more than one translated title")
    expected = record.replace(
        fields=FrozenMap(fields),
        names=FrozenMap(names),
        abstracts=FrozenMap(abstracts),
        keywords=FrozenMap(keywords),
        titles=FrozenMap(titles),
        extra=FrozenMap(extra),
    )
    return expected, lost


def check(record: Record) -> tuple[Record, set[str]]:
    result = write([record])
    back = read(result.text, "rt.ris")
    assert not back.diagnostics, back.diagnostics
    (again,) = back.records
    expected, lost = ris_expected(record)
    assert again == expected
    messages = "\n".join(d.message for d in result.diagnostics)
    for kind in lost:
        assert kind in messages, (kind, messages)
    if not lost:
        assert not result.diagnostics, messages
        assert again == record
    return again, lost


@given(records(rich=False))
def test_plain_records_survive_exactly(record: Record) -> None:
    _, lost = check(record)
    # only a book's or thesis's page range has no place (their SP is the number of pages)
    assert lost <= {"page"}


@given(records(rich=True))
def test_rich_records_keep_what_ris_can_hold_and_report_the_rest(record: Record) -> None:
    check(record)


# --- RIS-specific shapes ----------------------------------------------------------------

particle = st.sampled_from(["van", "van der", "de", "von", "da"])
suffix = st.sampled_from(["Jr.", "Sr.", "III"])


@st.composite
def ris_names(draw: st.DrawFn) -> Name:
    kind = draw(st.sampled_from(["plain", "particle", "dropping", "suffix", "family", "lit"]))
    family, given_ = draw(capitalized), draw(capitalized)
    if kind == "particle":
        return Name(family=family, given=given_, non_dropping_particle=draw(particle))
    if kind == "dropping":
        return Name(family=family, given=given_, dropping_particle=draw(particle))
    if kind == "suffix":
        return Name(family=family, given=given_, suffix=draw(suffix))
    if kind == "family":
        return Name(family=family)
    if kind == "lit":
        return Name(literal=draw(phrase).title())
    return Name(family=family, given=given_)


seasons = st.builds(
    lambda y, s: Date(parts=((y,),), season=s),
    st.integers(1500, 2030),
    st.sampled_from(["1", "2", "3", "4"]),
)
multiline = st.lists(phrase, min_size=1, max_size=4).map("\n".join)
unknown_tags = st.dictionaries(
    st.sampled_from(["ris:M2", "ris:C8", "ris:RN", "ris:L4"]),
    st.one_of(phrase, st.lists(phrase, min_size=2, max_size=3)),
    max_size=2,
)


@st.composite
def ris_records(draw: st.DrawFn) -> Record:
    rtype = draw(st.sampled_from(sorted(m.CANONICAL_TY)))
    ty = m.CANONICAL_TY[rtype]
    roles = sorted(m.name_roles(ty))
    names = {
        role: tuple(draw(st.lists(ris_names(), min_size=1, max_size=3)))
        for role in draw(st.lists(st.sampled_from(roles), max_size=3, unique=True))
    }
    fields: dict[str, str] = {"title": draw(phrase)}
    for var in (
        "volume",
        "issue",
        "edition",
        "publisher",
        "publisher-place",
        "number",
        "call-number",
        "genre",
        "title-short",
        "section",
        "chapter-number",
        "collection-number",
    ):
        tag = m.tag_for(var, ty)
        if tag and m.reads_back(tag, var, ty) and draw(st.booleans()):
            fields[var] = draw(word)
    if m.reads_back("SP", "page-start", ty) and draw(st.booleans()):
        fields["page"] = draw(st.sampled_from(["e0815", "51-71", "iii-xv", "12", "5-9, 12"]))
    if draw(st.booleans()):
        fields["note"] = draw(multiline)
    if draw(st.booleans()):
        fields["DOI"] = draw(st.sampled_from(["10.15804/ATHENA.2020.66.04", "10.1000/x.y-1"]))
    issued = draw(st.one_of(dates, seasons, st.builds(lambda t: Date(literal=t), phrase)))
    record_dates = {"issued": issued}
    if draw(st.booleans()):
        record_dates["accessed"] = draw(dates)
    extra: dict[str, Any] = draw(unknown_tags)
    if draw(st.booleans()):
        extra["pdf"] = "https://example.org/paper.pdf"
    abstracts = {"": draw(multiline)} if draw(st.booleans()) else {}
    return Record(
        id=draw(st.text("abcdefghij0123456789", min_size=1, max_size=8)),
        type=rtype,
        fields=fields,
        names=names,
        dates=record_dates,
        abstracts=abstracts,
        extra=extra,
    )


@given(ris_records())
def test_ris_shapes_survive_exactly(record: Record) -> None:
    again, lost = check(record)
    assert not lost and again == record


@given(ris_records())
def test_rispy_reads_the_same_titles_names_and_pages(record: Record) -> None:
    (entry,) = rispy.loads(write([record]).text)
    assert entry["type_of_reference"] == m.CANONICAL_TY[record.type]
    assert entry["title"] == record.title
    for role, tag in m.name_roles(m.CANONICAL_TY[record.type]).items():
        key = {
            "AU": "authors",
            "A2": "secondary_authors",
            "A3": "tertiary_authors",
            "A4": "subsidiary_authors",
            "C2": "unknown_tag",
        }[tag]
        people = [m.format_ris_name(n) for n in record.names.get(role, ())]
        if people and tag != "C2":
            assert entry[key] == people
    page = record.fields.get("page")
    if page and m.reads_back("SP", "page-start", m.CANONICAL_TY[record.type]):
        start, end = m.split_pages(page)
        assert entry["start_page"] == start
        assert entry.get("end_page", "") == end
    if "note" in record.fields:  # N1 is a list tag in rispy: one item per line
        assert entry["notes"] == record.fields["note"].split("\n")
    if record.abstracts:  # AB is not: rispy joins its continuation lines with spaces
        assert entry["abstract"] == record.abstract.replace("\n", " ")


def test_real_ris_survives_ris_and_csljson_round_trips() -> None:
    """The bibutils sample: RIS → record → RIS → record, and through CSL-JSON (unknown
    tags ride in ``custom``), both unchanged."""
    path = Path(__file__).parent / "data" / "ris" / "cdl-bibliography.bibutils.sample.ris"
    records = read(read_source(str(path)).text).records
    text = write(records).text
    assert read(text).records == records
    via_json = [from_csl(to_csl(r), i) for i, r in enumerate(records)]
    assert via_json == records
    assert write(via_json).text == text
