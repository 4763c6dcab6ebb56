"""Hypothesis strategies for realistic records (Unicode names incl. Polish, dates, pages)."""

from __future__ import annotations

from hypothesis import strategies as st

from citetool.model import Date, Name, Record

# words that look like real bibliographic text: Latin letters with Polish, German, French
# diacritics and a few other scripts, no control characters
_alphabet = st.sampled_from(
    list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
    + list("ąćęłńóśźżĄĆĘŁŃÓŚŹŻäöüßéèêçñøåÉÖÜ") + list("αβγδДжЯ")
)
word = st.text(_alphabet, min_size=1, max_size=12)
phrase = st.lists(word, min_size=1, max_size=8).map(" ".join)
capitalized = word.map(lambda w: w[:1].upper() + w[1:])

person = st.builds(
    Name,
    family=capitalized,
    given=st.one_of(st.just(""), capitalized, st.builds(lambda a, b: f"{a} {b}", capitalized,
                                                         capitalized)),
)
organisation = st.builds(lambda p: Name(literal=p), phrase.map(lambda s: s.title()))
orcid_ids = st.sampled_from(["0000-0002-1825-0097", "0000-0001-5109-3700",
                             "0000-0002-1694-233X"])
affiliated = st.builds(lambda n, a, o: Name(family=n.family, given=n.given, affiliation=a,
                                            orcid=o),
                       person, st.lists(phrase, max_size=2).map(tuple),
                       st.one_of(st.just(""), orcid_ids))

years = st.integers(min_value=1500, max_value=2030)
dates = st.one_of(
    st.builds(Date.of, years),
    st.builds(Date.of, years, st.integers(1, 12)),
    st.builds(Date.of, years, st.integers(1, 12), st.integers(1, 28)),
)
pages = st.builds(lambda a, b: f"{a}-{a + b}", st.integers(1, 900), st.integers(0, 99))
dois = st.builds(lambda a, b: f"10.{a}/{b}".lower(), st.integers(1000, 99999),
                 st.text("abcdefghijklmnopqrstuvwxyz0123456789.-", min_size=1, max_size=15))
languages = st.sampled_from(["pl", "en", "de", "fr", "en-US"])
record_ids = st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=12)


@st.composite
def records(draw: st.DrawFn, *, rich: bool = True) -> Record:
    """A journal article, book or chapter with the fields every format can hold; with
    ``rich``, also translations, per-language abstracts and keywords, affiliations, ORCIDs."""
    rtype = draw(st.sampled_from(["article-journal", "book", "chapter", "paper-conference",
                                  "thesis", "report", "webpage"]))
    fields: dict[str, str] = {"title": draw(phrase)}
    lang = draw(st.one_of(st.none(), languages))
    if lang:
        fields["language"] = lang
    if rtype in ("article-journal", "chapter", "paper-conference"):
        fields["container-title"] = draw(phrase)
    for var, strategy in (("volume", st.integers(1, 300).map(str)),
                          ("issue", st.integers(1, 12).map(str)), ("page", pages),
                          ("DOI", dois), ("publisher", phrase), ("publisher-place", phrase),
                          ("URL", st.just("https://example.org/a?b=1&c=2"))):
        if draw(st.booleans()):
            fields[var] = draw(strategy)
    people = draw(st.lists(affiliated if rich else person, min_size=1, max_size=4))
    names = {"author": tuple(people)}
    if draw(st.booleans()):
        names["editor"] = tuple(draw(st.lists(st.one_of(person, organisation), min_size=1,
                                              max_size=2)))
    abstracts = {}
    keywords = {}
    titles = {}
    if rich and draw(st.booleans()):
        abstracts = {"pl": draw(phrase), "en": draw(phrase)}
        keywords = {"en": tuple(draw(st.lists(word, min_size=1, max_size=3, unique=True))),
                    "pl": tuple(draw(st.lists(word, min_size=1, max_size=3, unique=True)))}
        titles = {"en": draw(phrase)}
    return Record(id=draw(record_ids), type=rtype, fields=fields, names=names,
                  dates={"issued": draw(dates)}, titles=titles, abstracts=abstracts,
                  keywords=keywords)
