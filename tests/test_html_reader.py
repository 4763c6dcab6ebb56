"""The HTML reader: citation_* / JSON-LD / PRISM / Dublin Core, their precedence, the seed's
own site through the landing-page reader, and untrusted-input guards.

Fixtures (tests/fixtures/html, see the README there) are hand-written pages in the layouts
of OJS, a Highwire-style publisher platform, a DC-only repository, a JSON-LD-only site and
the seed journal's own site; the expected values below were read off those pages by hand.
"""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citetool.errors import ReadError
from citetool.model import Date, Name, Record
from citetool.readers import html as html_reader
from citetool.readers.html import html_to_text, parse_date, parse_html, read
from citetool.registry import ReadResult, registry

FIXTURES = Path(__file__).parent / "fixtures" / "html"


def load(name: str) -> ReadResult:
    path = FIXTURES / name
    return read(path.read_text(encoding="utf-8"), str(path))


def one(name: str) -> Record:
    result = load(name)
    assert len(result.records) == 1
    return result.records[0]


def people(record: Record, role: str = "author") -> list[tuple[str, str, tuple[str, ...], str]]:
    return [(n.family, n.given, n.affiliation, n.orcid) for n in record.names[role]]


# --- the five platforms --------------------------------------------------------------------


def test_ojs_article() -> None:
    record = one("ojs-article.html")
    assert record.type == "article-journal"
    assert record.title == "Bezpieczeństwo energetyczne Europy Środkowej po 2014 roku"
    assert record.titles == {"en": "Energy security of Central Europe after 2014"}
    assert people(record) == [
        ("Nowak", "Anna", ("Uniwersytet Warszawski",), "0000-0002-1825-0097"),
        ("Kowalski", "Jan", ("Uniwersytet Jagielloński",), ""),
    ]
    assert record.issued == Date.of(2021, 6, 30)
    fields = record.fields
    assert fields["container-title"] == "Studia Politologiczne Przykładowe"
    assert fields["container-title-short"] == "SPPr"
    assert (fields["volume"], fields["issue"], fields["page"]) == ("15", "2", "45-67")
    assert fields["DOI"] == "10.5555/sppr.2021.15.2.03"  # normalised: lower case
    assert fields["ISSN"] == "2083-6007"
    assert fields["language"] == "pl"
    assert fields["URL"] == "https://journals.example.edu/index.php/sppr/article/view/1234"
    assert fields["license"] == "https://creativecommons.org/licenses/by/4.0"
    # abstracts and keywords per language: Polish from citation_*, English from DC
    assert record.abstracts["pl"].startswith("Artykuł analizuje")
    assert record.abstracts["en"].startswith("The article analyses")
    assert record.keywords["pl"] == ("bezpieczeństwo energetyczne", "Europa Środkowa")
    assert record.keywords["en"] == ("energy security", "Central Europe")
    assert record.extra["pdf-url"].endswith("/article/download/1234/5678")
    # nothing read is lost: the copyright notice and OJS' other tags are kept
    meta = record.extra["html-meta"]
    assert meta["DC.Rights"] == "Copyright (c) 2021 Anna Nowak, Jan Kowalski"
    assert meta["DC.Date.dateSubmitted"] == "2021-01-12"


def test_highwire_publisher_page() -> None:
    record = one("highwire-publisher.html")
    assert record.type == "article-journal"
    # citation_title wins over the shorter dc.title / JSON-LD headline / og:title
    assert record.title == (
        "Regional Cooperation After Enlargement: Evidence from Twelve Border Regions"
    )
    assert people(record) == [
        (
            "Smith",
            "John A.",
            (
                "Department of Politics, University of Exampleton",
                "Centre for European Studies, Example University",
            ),
            "0000-0001-5109-3700",
        ),
        # the ORCID only JSON-LD gives is filled in: same people, same order
        ("García-López", "María José", ("Universidad de Ejemplo",), "0000-0002-1825-0097"),
        ("Berg", "Jan", (), "0000-0002-9079-593X"),
    ]
    assert record.author[2].non_dropping_particle == "van der"
    # citation_publication_date beats JSON-LD (2019-03-16) and dc.date (2019-03-20)
    assert record.issued == Date.of(2019, 3, 15)
    assert record.dates["available-date"] == Date.of(2019, 2, 1)
    fields = record.fields
    assert fields["container-title"] == "Journal of Comparative Governance"
    assert fields["container-title-short"] == "J. Comp. Gov."
    assert (fields["volume"], fields["issue"], fields["page"]) == ("27", "1", "101-128")
    assert fields["DOI"] == "10.5555/jcg.2019.0042"
    assert fields["ISSN"] == "1234-5679, 1468-2478"
    assert fields["publisher"] == "Example Academic Press"
    assert fields["URL"] == "https://www.publisher.example.com/doi/full/10.5555/jcg.2019.0042"
    assert record.keywords == {"en": ("regional cooperation", "EU enlargement", "border regions")}
    assert record.abstracts == {
        "en": "We study cross-border cooperation in twelve regions after EU enlargement."
    }
    meta = record.extra["html-meta"]
    assert len(meta["citation_reference"]) == 2
    assert meta["citation_author_email"] == "j.smith@example.edu"


def test_dublin_core_only_repository_page() -> None:
    record = one("dc-only.html")
    assert record.type == "thesis"
    assert record.title == "Migration and memory in post-Soviet cities"
    assert people(record) == [("Wiśniewska", "Katarzyna", (), "")]
    assert people(record, "contributor") == [("Zieliński", "Piotr", (), "")]
    assert record.issued == Date.of(2018)  # DCTERMS.issued, not the accession date
    assert record.fields["DOI"] == "10.5555/repo.2018.001"
    assert record.fields["URL"] == "http://hdl.handle.net/11089/12345"
    assert record.fields["publisher"] == "University of Łódź"
    assert record.fields["language"] == "en"
    assert record.fields["license"] == "Attribution-NonCommercial-NoDerivs 3.0 Unported"
    assert record.keywords == {"en": ("migration", "memory politics", "post-Soviet cities")}
    assert record.abstracts["en"].startswith("The thesis examines")


def test_jsonld_only_page() -> None:
    record = one("jsonld-only.html")
    assert record.type == "article-journal"
    assert record.title == "Municipal budgets and participatory democracy: a comparative study"
    assert people(record) == [
        ("Lis", "Ewa", ("Adam Mickiewicz University",), "0000-0002-1825-0097"),
        (
            "Ruiz",
            "Tomás",
            ("University of Example", "Institute for Local Government"),
            "0000-0001-5109-3700",
        ),
    ]
    assert record.issued == Date.of(2022, 9, 30)  # the article's date, not the issue's
    fields = record.fields
    assert fields["container-title"] == "Example Review of Public Policy"
    assert (fields["volume"], fields["issue"], fields["page"]) == ("12", "3", "233-259")
    assert fields["ISSN"] == "2299-2014, 1899-7651"
    assert fields["publisher"] == "Example University Press"
    assert fields["DOI"] == "10.5555/erpp.2022.812"
    assert fields["language"] == "en"
    assert fields["URL"] == "https://review.example.org/articles/812"
    assert record.keywords == {
        "en": ("participatory budgeting", "local democracy", "comparative politics")
    }


@pytest.fixture
def fake_landing(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """A stand-in landing-page reader recording what it is given (works whether or not the
    real ``citetool.readers.landing`` exists)."""
    calls: list[tuple[str, str]] = []

    def fake_read(text: str, source: str = "<stdin>", **_: Any) -> ReadResult:
        calls.append((text, source))
        return ReadResult([Record(id="fake", fields={"title": "from landing"})], [])

    fake = types.ModuleType("citetool.readers.landing")
    fake.read = fake_read  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "citetool.readers.landing", fake)
    monkeypatch.setattr(sys.modules["citetool.readers"], "landing", fake, raising=False)
    return calls


def test_seed_site_page_is_handed_to_the_landing_reader(
    fake_landing: list[tuple[str, str]],
) -> None:
    """No meta tags: the page text, one line per list item, goes to landing.read()."""
    result = load("seed-site.html")
    assert [r.title for r in result.records] == ["from landing"]
    ((text, source),) = fake_landing
    assert source.endswith("seed-site.html")
    lines = text.splitlines()
    assert lines[0] == (
        "Relacje kazachsko-rosyjskie i ich znaczenie dla bezpieczeństwa na obszarze postradzieckim"
    )
    assert "  • Author: Paweł Bielicki" in lines
    assert "  • Pages: 51-71" in lines
    assert "  • DOI Address: http://dx.doi.org/10.15804/athena.2020.66.04" in lines
    assert "  • PDF: apsp/66/apsp6604.pdf" in lines
    # navigation, footer and scripts are not page text
    assert "Archiwum" not in text and "Marszałek" not in text and "jquery" not in text
    assert any("landing page" in d.message for d in result.diagnostics)


def test_seed_site_page_with_the_real_landing_reader() -> None:
    try:
        import citetool.readers.landing  # noqa: F401
    except ImportError:
        pytest.skip("citetool.readers.landing (landing-page text reader) is not there yet")
    record = one("seed-site.html")
    assert record.title.startswith("Relacje kazachsko-rosyjskie")
    assert [(n.family, n.given) for n in record.author] == [("Bielicki", "Paweł")]
    assert record.author[0].affiliation == (
        "Instytut Solidarności i Męstwa im. Witolda Pileckiego w Warszawie",
    )
    assert record.issued is not None and record.issued.year == 2020
    assert record.fields["page"] == "51-71"
    assert record.fields["DOI"] == "10.15804/athena.2020.66.04"


# --- precedence ----------------------------------------------------------------------------

CONFLICT = """<html><head>
<meta name="citation_title" content="Highwire title">
<meta name="citation_volume" content="1">
<meta name="prism.volume" content="3">
<meta name="prism.number" content="30">
<meta name="prism.publicationName" content="PRISM journal">
<meta name="DC.title" content="DC title">
<meta name="DC.Source.Volume" content="4">
<meta name="DC.Source.Issue" content="40">
<meta name="DC.Source" content="DC journal">
<meta name="DC.publisher" content="DC publisher">
<meta name="DC.creator" content="Doe, Jane">
<script type="application/ld+json">{"@type": "ScholarlyArticle", "headline": "JSON-LD title",
 "isPartOf": {"@type": "PublicationVolume", "volumeNumber": "2",
   "isPartOf": {"@type": "Periodical", "name": "JSON-LD journal"}},
 "datePublished": "2002"}</script>
<meta name="DC.date" content="2004">
</head><body></body></html>"""


def test_precedence_field_by_field() -> None:
    (record,) = read(CONFLICT).records
    assert record.title == "Highwire title"  # Highwire > all
    assert record.fields["volume"] == "1"  # Highwire > JSON-LD > PRISM > DC
    assert record.fields["container-title"] == "JSON-LD journal"  # JSON-LD > PRISM > DC
    assert record.fields["issue"] == "30"  # PRISM > DC
    assert record.fields["publisher"] == "DC publisher"  # only DC has it
    assert record.issued == Date.of(2002)  # JSON-LD > DC
    assert [n.family for n in record.author] == ["Doe"]  # only DC has authors
    assert record.type == "article-journal"


def test_precedence_is_written_in_the_module_docstring() -> None:
    assert "Highwire > JSON-LD > PRISM > DC" in (html_reader.__doc__ or "")


# --- details -------------------------------------------------------------------------------


def page(*metas: str, body: str = "") -> str:
    return "<html><head>" + "".join(metas) + "</head><body>" + body + "</body></html>"


def meta(name: str, content: str, extra: str = "") -> str:
    return f'<meta name="{name}" content="{content}" {extra}>'


def test_institution_and_orcid_belong_to_the_author_before_them() -> None:
    text = page(
        meta("citation_title", "T"),
        meta("citation_author_institution", "Orphan Institute"),
        meta("citation_author", "Doe, Jane"),
        meta("citation_author", "Roe, Richard"),
        meta("citation_author_institution", "Roe's University"),
        meta("citation_author_orcid", "https://orcid.org/0000-0002-1825-0097"),
    )
    (record,) = read(text).records
    assert people(record) == [
        ("Doe", "Jane", (), ""),
        ("Roe", "Richard", ("Roe's University",), "0000-0002-1825-0097"),
    ]
    assert record.extra["html-meta"]["citation_author_institution"] == "Orphan Institute"


def test_old_citation_authors_form_and_corporate_json_ld_author() -> None:
    (record,) = read(
        page(meta("citation_title", "T"), meta("citation_authors", "Doe, J.; Roe, R."))
    ).records
    assert [n.family for n in record.author] == ["Doe", "Roe"]
    text = page(
        '<script type="application/ld+json">{"@type": "Report", "name": "R", "author": '
        '{"@type": "Organization", "name": "World Example Organization"}}</script>'
    )
    (record,) = read(text).records
    assert record.type == "report"
    assert record.author == (Name(literal="World Example Organization"),)


def test_language_variants_of_abstract_keywords_and_title() -> None:
    text = page(
        meta("citation_title", "Tytuł"),
        meta("citation_title", "Title", 'xml:lang="en"'),
        meta("citation_language", "pl"),
        meta("citation_abstract", "Streszczenie"),
        meta("citation_abstract", "Abstract", 'lang="en"'),
        meta("citation_keywords", "słowo; klucz", 'xml:lang="pl"'),
        meta("citation_keywords", "word, key", 'xml:lang="en_US"'),
    )
    (record,) = read(text).records
    assert record.title == "Tytuł" and record.titles == {"en": "Title"}
    assert record.abstracts == {"": "Streszczenie", "en": "Abstract"}
    assert record.keywords == {"pl": ("słowo", "klucz"), "en-US": ("word", "key")}
    # a single untagged abstract is in the work's language
    (record,) = read(
        page(
            meta("citation_title", "T"),
            meta("citation_language", "pl"),
            meta("citation_abstract", "S"),
        )
    ).records
    assert record.abstracts == {"pl": "S"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020/05/01", Date.of(2020, 5, 1)),
        ("2020-05-01T10:00:00Z", Date.of(2020, 5, 1)),
        ("2020-05", Date.of(2020, 5)),
        ("2020", Date.of(2020)),
        ("01.05.2020", Date.of(2020, 5, 1)),
        ("1 May 2020", Date.of(2020, 5, 1)),
        ("September 2019", Date.of(2019, 9)),
        ("Sept. 3, 2019", Date.of(2019, 9, 3)),
        ("2020/13/01", Date.of(2020)),
        ("Spring 2020", Date(literal="Spring 2020")),
    ],
)
def test_dates_as_meta_tags_write_them(text: str, expected: Date) -> None:
    assert parse_date(text) == expected


def test_conference_paper_and_book_chapter_types() -> None:
    (record,) = read(
        page(meta("citation_title", "P"), meta("citation_conference_title", "Conf"))
    ).records
    assert record.type == "paper-conference" and record.fields["container-title"] == "Conf"
    (record,) = read(page(meta("citation_title", "C"), meta("citation_book_title", "Book"))).records
    assert record.type == "chapter"


def test_invalid_json_ld_is_a_warning_and_the_rest_is_read() -> None:
    text = page(
        meta("citation_title", "Still read"),
        '<script type="application/ld+json">{"@type": "ScholarlyArticle", </script>',
    )
    result = read(text, "p.html")
    assert result.records[0].title == "Still read"
    warnings = [d for d in result.diagnostics if d.level.name == "WARNING"]
    assert len(warnings) == 1 and "invalid JSON-LD" in warnings[0].message
    assert warnings[0].line == 1


def test_html_to_text_keeps_list_lines_and_paragraphs() -> None:
    root = parse_html(
        "<html><head><title>no</title><style>p{}</style></head><body>"
        "<h1>Title\n  here</h1><ul><li>Author: <a>A B</a></li><li>Pages:&nbsp;1-2</li></ul>"
        "<p>First\nparagraph</p><p>Second<br>line</p><script>var x;</script></body></html>"
    )
    assert html_to_text(root) == (
        "Title here\n\n  • Author: A B\n  • Pages: 1-2\n\nFirst paragraph\n\nSecond\nline\n"
    )


# --- untrusted input -----------------------------------------------------------------------


def test_no_external_entities_and_no_entity_expansion() -> None:
    text = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd">'
        '<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        '<html><head><meta name="citation_title" content="X &xxe; &b;"/></head></html>'
    )
    (record,) = read(text).records
    assert "root:" not in record.title and "aaaaaaaaaa" not in record.title


def test_too_large_page_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(html_reader, "MAX_HTML_CHARS", 1000)
    with pytest.raises(ReadError, match="page too large"):
        read("<html>" + "x" * 2000 + "</html>", "big.html")


def test_too_large_json_ld_block_is_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(html_reader, "MAX_JSONLD_CHARS", 50)
    block = '{"@type": "ScholarlyArticle", "headline": "' + "x" * 100 + '"}'
    text = page(meta("citation_title", "T"), f'<script type="application/ld+json">{block}</script>')
    result = read(text)
    assert result.records[0].title == "T"
    assert any("too large" in d.message for d in result.diagnostics)


def test_deeply_nested_markup_does_not_crash() -> None:
    deep = "<html><body>" + "<div>" * 100_000 + "</div>" * 100_000 + "</body></html>"
    with pytest.raises(ReadError):  # no metadata, no landing text: one clean error
        read(deep, "deep.html")


def test_page_without_any_metadata_is_one_clear_error() -> None:
    with pytest.raises(ReadError) as info:
        read("<html><body><p>Just a blog post.</p></body></html>", "blog.html")
    assert "no citation_*, Dublin Core, PRISM or JSON-LD metadata" in info.value.message
    assert "\n" not in info.value.message


def test_empty_input() -> None:
    with pytest.raises(ReadError, match="empty input"):
        read("  \n", "empty.html")


# --- registry and CLI ----------------------------------------------------------------------


def test_registered_and_sniffed() -> None:
    text = (FIXTURES / "jsonld-only.html").read_text(encoding="utf-8")
    assert registry.detect(text).name == "html"  # type: ignore[union-attr]
    assert registry.for_path("page.htm").name == "html"  # type: ignore[union-attr]


def test_cli_show_and_export_an_html_file() -> None:
    from typer.testing import CliRunner

    from citetool.cli import app

    runner = CliRunner()
    result = runner.invoke(app, ["show", str(FIXTURES / "jsonld-only.html")])
    assert result.exit_code == 0, result.output
    assert "title: Municipal budgets and participatory democracy" in result.stdout
    assert "ORCID: 0000-0001-5109-3700" in result.stdout
    result = runner.invoke(app, ["export", str(FIXTURES / "ojs-article.html"), "--to", "ris"])
    assert result.exit_code == 0, result.output
    assert "DO  - 10.5555/sppr.2021.15.2.03" in result.stdout


# --- fuzzing: any input gives records or one ReadError, never a crash ----------------------


_TAGS = st.sampled_from(
    [
        "citation_title",
        "citation_author",
        "citation_author_institution",
        "citation_author_orcid",
        "citation_date",
        "citation_firstpage",
        "citation_lastpage",
        "citation_doi",
        "citation_issn",
        "citation_keywords",
        "citation_abstract",
        "DC.title",
        "DC.creator",
        "DC.identifier",
        "DC.date",
        "DC.Source.ISSN",
        "prism.volume",
        "prism.startingPage",
        "prism.doi",
        "og:url",
    ]
)
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "@type",
                    "headline",
                    "author",
                    "isPartOf",
                    "identifier",
                    "name",
                    "affiliation",
                    "issn",
                    "@graph",
                    "datePublished",
                    "keywords",
                    "familyName",
                    "sameAs",
                ]
            ),
            inner,
            max_size=5,
        )
    ),
    max_leaves=25,
)
_TYPES = st.sampled_from(
    [
        "ScholarlyArticle",
        "Article",
        "PublicationIssue",
        "PublicationVolume",
        "Periodical",
        "Person",
        "Organization",
        "Book",
        "Chapter",
    ]
)


def _jsonld_doc(data: Any, kind: str) -> str:
    import json

    if isinstance(data, dict):
        data = {**data, "@type": kind}
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    metas=st.lists(st.tuples(_TAGS, st.text(max_size=30)), max_size=12),
    jsonld=st.one_of(st.none(), st.tuples(_JSON, _TYPES)),
    body=st.text(max_size=200),
)
def test_fuzz_any_page_reads_or_fails_cleanly(
    metas: list[tuple[str, str]], jsonld: tuple[Any, str] | None, body: str
) -> None:
    from html import escape

    head = "".join(f'<meta name="{k}" content="{escape(v)}">' for k, v in metas)
    if jsonld is not None:
        head += _jsonld_doc(*jsonld)
    try:
        result = read(f"<html><head>{head}</head><body>{body}</body></html>", "fuzz.html")
    except ReadError as exc:
        assert "\n" not in exc.message
        return
    for record in result.records:
        assert record.id
        assert all(isinstance(v, (str, int)) for v in record.fields.values())


def test_a_more_precise_date_of_the_same_year_wins() -> None:
    text = page(
        meta("citation_title", "T"),
        meta("citation_year", "2020"),
        meta("citation_publication_date", "2020/05/01"),
        meta("citation_date", "2021"),
    )
    (record,) = read(text).records
    assert record.issued == Date.of(2020, 5, 1)


def test_json_ld_list_form_of_authors() -> None:
    text = page(
        '<script type="application/ld+json">{"@type": "ScholarlyArticle", "headline": "H", '
        '"author": {"@list": [{"@type": "Person", "name": "Anna Nowak"}, '
        '{"@type": "Person", "name": "Jan Kowalski"}]}}</script>'
    )
    (record,) = read(text).records
    assert [n.family for n in record.author] == ["Nowak", "Kowalski"]


def test_site_wide_generic_tags_do_not_hide_the_page_text(
    fake_landing: list[tuple[str, str]],
) -> None:
    """A CMS's DC.language / DC.publisher on every page say nothing about an article: the
    page still goes to the landing-page reader."""
    text = page(
        meta("DC.language", "pl"),
        meta("DC.publisher", "Wydawnictwo"),
        body="<h1>Tytuł</h1><ul><li>Author: Jan Kowalski</li></ul>",
    )
    assert read(text).records[0].title == "from landing"
    assert [text for text, _ in fake_landing] == ["Tytuł\n\n  • Author: Jan Kowalski\n"]
