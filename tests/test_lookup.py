"""Issue 14: ISBN, PMID, PMCID, arXiv ids and pasted references become records.

Every service variable points at one local HTTP server (tests/localserver.py) that serves
real recorded answers (tests/fixtures/lookup/README.md says where each comes from); no test
touches the network.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from localserver import Answer, Server, dead_url

from citetool.errors import NetworkError, ReadError
from citetool.lookup import find_in_text, recognise
from citetool.lookup.http import SERVICES, HttpOptions
from citetool.model import Record
from citetool.resolve import read_spec

FIXTURES = Path(__file__).parent / "fixtures" / "lookup"
JSON = {"Content-Type": "application/json; charset=utf-8"}
ATOM = {"Content-Type": "application/atom+xml; charset=utf-8"}
XML = {"Content-Type": "text/xml; charset=utf-8"}

CERMINE = (
    "D. Tkaczyk et al., “CERMINE: automatic extraction of structured metadata from "
    "scientific literature,” IJDAR, vol. 18, no. 4, pp. 317–335, 2015."
)
OL_DATA = "/api/books?bibkeys=ISBN:{}&format=json&jscmd=data"
SLOW = "9780980200447"  # Slow reading (Open Library)


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def answer(name: str, headers: dict[str, str] | None = None) -> Answer:
    kind = JSON if name.endswith(".json") else ATOM if "arxiv" in name else XML
    return Answer(200, fixture(name), headers or kind)


@pytest.fixture
def opts(server: Server, tmp_path: Path) -> HttpOptions:
    return HttpOptions(
        mailto="tests@example.org",
        cache_dir=tmp_path / "cache",
        timeout=3.0,
        backoff=0.01,
        sleep=lambda _: None,
        services={name: server.url for name in SERVICES},
    )


def one(spec: str, opts: HttpOptions, fmt: str | None = None) -> Record:
    result = read_spec(spec, fmt=fmt, http=opts)
    assert len(result.records) == 1, result.diagnostics
    return result.records[0]


def author(record: Record) -> str:
    first = record.names["author"][0]
    return first.family or first.literal


# --- recognition: one table, every spelling ---------------------------------------------


@pytest.mark.parametrize(
    ("spec", "hint", "kind", "value"),
    [
        ("978-0-316-03057-1", None, "isbn", "9780316030571"),
        ("9780316030571", None, "isbn", "9780316030571"),
        ("978 0 316 03057 1", None, "isbn", "9780316030571"),
        ("ISBN 0-9802004-4-X", None, "isbn", "098020044X"),
        ("ISBN: 098020044x", None, "isbn", "098020044X"),
        ("ISBN-13: 978-0-9802004-4-7", None, "isbn", "9780980200447"),
        ("PMID:31209238", None, "pmid", "31209238"),
        ("pmid:31209238", None, "pmid", "31209238"),
        ("PMID 31209238", None, "pmid", "31209238"),
        ("31209238", None, None, None),  # bare digits: only with --from pmid
        ("31209238", "pmid", "pmid", "31209238"),
        ("PMC6572829", None, "pmcid", "PMC6572829"),
        ("PMCID: PMC6572829", None, "pmcid", "PMC6572829"),
        ("2101.00001", None, "arxiv", "2101.00001"),
        ("2101.00001v2", None, "arxiv", "2101.00001v2"),
        ("hep-th/9901001", None, "arxiv", "hep-th/9901001"),
        ("arXiv:1605.08386", None, "arxiv", "1605.08386"),
        ("https://arxiv.org/abs/astro-ph/0601001", None, "arxiv", "astro-ph/0601001"),
        ("https://arxiv.org/pdf/1605.08386v1", None, "arxiv", "1605.08386v1"),
        ("https://arxiv.org/pdf/1605.08386v1.pdf", None, "arxiv", "1605.08386v1"),
        ("https://example.org/arxiv.org/abs/x", None, "url", "https://example.org/arxiv.org/abs/x"),
        ("https://doi.org/10.1000/XYZ", None, "doi", "10.1000/xyz"),
        ("doi:10.1000/xyz", None, "doi", "10.1000/xyz"),
        (CERMINE, None, None, None),
        (CERMINE, "reference", "reference", " ".join(CERMINE.split())),
        ("12345", "isbn", None, None),
    ],
)
def test_recognition_table(
    spec: str, hint: str | None, kind: str | None, value: str | None
) -> None:
    found = recognise(spec, hint)
    assert (found.kind if found else None) == kind
    assert (found.value if found else None) == value


def test_identifiers_inside_a_reference_in_the_documented_order() -> None:
    text = "A. B., Title, ISBN 978-0-316-03057-1, PMID: 123, arXiv:1605.08386 (2016)."
    found = find_in_text(text)
    assert found is not None and (found.kind, found.value) == ("arxiv", "1605.08386")
    found = find_in_text("X, Y. Journal 1 (2000) doi:10.1000/ABC.")
    assert found is not None and (found.kind, found.value) == ("doi", "10.1000/abc")


# --- ISBN -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "spec",
    [
        "9780980200447",
        "978-0-9802004-4-7",
        "ISBN 978 0 9802004 4 7",
        "098020044X",
        "ISBN 0-9802004-4-X",
    ],
)
def test_isbn_open_library(server: Server, opts: HttpOptions, spec: str) -> None:
    server.route(OL_DATA.format(SLOW), answer(f"isbn/openlibrary-data-{SLOW}.json"))
    record = one(spec, opts)
    assert record.type == "book"
    assert record.title == "Slow reading"
    assert author(record) == "Miedema" and record.names["author"][0].given == "John"
    assert record.issued is not None and record.issued.parts == ((2009, 3),)
    assert record.fields["publisher"] == "Litwin Books"
    assert record.fields["publisher-place"] == "Duluth, Minn"
    assert record.fields["number-of-pages"] == "92"
    assert record.fields["ISBN"].split(", ")[0] == "9780980200447"
    assert "9781936117369" in record.fields["ISBN"]
    assert record.fields["source"] == "Open Library"
    assert "OCLC: 297222669" in record.fields["note"]
    # the ISBN-10 spellings were asked for as their ISBN-13
    assert [p for p, _ in server.requests] == [OL_DATA.format("9780980200447")]


def test_isbn_open_library_edition_route(server: Server, opts: HttpOptions) -> None:
    """``{}`` from the data API: the edition record (via the redirect) and its authors."""
    isbn = "9780134610993"
    server.route(OL_DATA.format(isbn), Answer(200, b"{}", JSON))
    server.route(f"/isbn/{isbn}.json", Answer(302, b"", {"Location": "/books/OL28002220M.json"}))
    server.route("/books/OL28002220M.json", answer(f"isbn/openlibrary-edition-{isbn}.json"))
    for key in ("OL440500A", "OL772166A"):
        server.route(f"/authors/{key}.json", answer(f"isbn/openlibrary-author-{key}.json"))
    record = one("978-0-13-461099-3", opts)
    assert record.type == "book"
    assert record.title == "Artificial Intelligence: A Modern Approach"  # title + subtitle
    assert [(n.family, n.given) for n in record.names["author"]] == [
        ("Russell", "Stuart J."),
        ("Norvig", "Peter"),
    ]
    # publish_date "May 08, 2020"
    assert record.issued is not None and record.issued.parts == ((2020, 5, 8),)
    assert record.fields["publisher"] == "Pearson"
    assert record.fields["number-of-pages"] == "1136"
    assert record.fields["ISBN"].split(", ")[0] == isbn and "0134610997" in record.fields["ISBN"]
    assert "OCLC: 1124776132" in record.fields["note"]
    assert "LCCN: 2019047498" in record.fields["note"]
    assert not record.language  # the edition has no "languages"
    assert record.fields["URL"] == "https://openlibrary.org/books/OL28002220M"
    assert record.fields["source"] == "Open Library"
    assert [p for p, _ in server.requests][-2:] == [
        "/authors/OL440500A.json",
        "/authors/OL772166A.json",
    ]


def test_isbn_google_books_when_open_library_is_down(server: Server, opts: HttpOptions) -> None:
    isbn = "9780099560432"
    options = HttpOptions(**{**vars(opts), "services": {**opts.services, "isbn": dead_url()}})
    server.route("/books/v1/volumes", answer(f"isbn/googlebooks-{isbn}.json"))
    record = one("978-0-09-956043-2", options)
    assert record.title == "Ready Player One"
    assert author(record) == "Cline"
    assert record.issued is not None and record.issued.year == 2012
    assert record.fields["publisher"] == "Random House"
    assert record.fields["ISBN"].startswith(isbn) and "0099560437" in record.fields["ISBN"]
    assert record.fields["number-of-pages"] == "388"
    assert record.fields["source"] == "Google Books"
    assert server.requests[0][0] == f"/books/v1/volumes?q=isbn:{isbn}"


def test_isbn_google_books_when_open_library_has_nothing(server: Server, opts: HttpOptions) -> None:
    isbn = "9780918024565"
    server.route(OL_DATA.format(isbn), Answer(200, b"{}", JSON))  # and /isbn/... is a 404
    server.route("/books/v1/volumes", answer(f"isbn/googlebooks-{isbn}.json"))
    record = one(isbn, opts)
    assert (record.title, author(record)) == ("Willard Gibbs", "Rukeyser")
    assert server.hits(f"/isbn/{isbn}.json") == 1


def test_isbn_bad_check_digit_makes_no_request(server: Server, opts: HttpOptions) -> None:
    with pytest.raises(NetworkError) as info:
        read_spec("978-0-9802004-4-8", http=opts)
    assert info.value.message == "ISBN 9780980200448: wrong check digit 8 (expected 7)"
    assert server.requests == []


def test_isbn_unknown_is_not_found(server: Server, opts: HttpOptions) -> None:
    isbn = "9780316030571"
    server.route(OL_DATA.format(isbn), Answer(200, b"{}", JSON))
    # Google Books' answer for an ISBN it does not know (hand-written, its documented shape)
    empty = b'{"kind": "books#volumes", "totalItems": 0}'
    server.route("/books/v1/volumes", Answer(200, empty, JSON))
    with pytest.raises(NetworkError, match=r"^ISBN 9780316030571: not found \(Open Library, Goo"):
        read_spec(isbn, http=opts)


def test_isbn_both_services_down_is_one_line(opts: HttpOptions) -> None:
    options = HttpOptions(
        **{**vars(opts), "services": {"isbn": dead_url(), "isbn-fallback": dead_url()}}
    )
    with pytest.raises(NetworkError) as info:
        read_spec("9780316030571", http=options)
    message = info.value.message
    assert "Open Library and Google Books both failed" in message and "\n" not in message


# --- PubMed and PubMed Central ----------------------------------------------------------------


def check_menden(record: Record) -> None:
    assert record.type == "article-journal"
    assert record.title.startswith("Community assessment to advance computational prediction")
    assert author(record) == "Menden"
    assert record.issued is not None and record.issued.parts == ((2019, 6, 17),)
    assert record.fields["container-title"] == "Nature communications"
    assert record.fields["container-title-short"] == "Nat Commun"
    assert record.fields["ISSN"] == "2041-1723"
    assert record.fields["DOI"] == "10.1038/s41467-019-09799-2"
    assert record.fields["PMID"] == "31209238" and record.fields["PMCID"] == "PMC6572829"
    assert record.fields["source"] == "PubMed"
    literal = [n.literal for n in record.names["author"] if n.literal]
    assert literal == ["AstraZeneca-Sanger Drug Combination DREAM Consortium"]
    assert "accessed" not in record.dates  # the day of the request is not the record's


@pytest.mark.parametrize(
    ("spec", "hint"),
    [
        ("PMID:31209238", None),
        ("pmid:31209238", None),
        ("PMID 31209238", None),
        ("31209238", "pmid"),
    ],
)
def test_pmid_citation_exporter(
    server: Server, opts: HttpOptions, spec: str, hint: str | None
) -> None:
    server.route("/api/ctxp/v1/pubmed/", answer("pubmed/ctxp-csl-31209238.json"))
    check_menden(one(spec, opts, fmt=hint))
    path, headers = server.requests[0]
    assert path == (
        "/api/ctxp/v1/pubmed/?format=csl&id=31209238&tool=citetool&email=tests%40example.org"
    )
    assert "mailto:tests@example.org" in headers["User-Agent"]


@pytest.mark.parametrize("spec", ["PMC6572829", "PMCID: PMC6572829"])
def test_pmcid_citation_exporter(server: Server, opts: HttpOptions, spec: str) -> None:
    server.route("/api/ctxp/v1/pmc/", answer("pubmed/ctxp-csl-31209238.json"))
    check_menden(one(spec, opts))
    assert server.requests[0][0].startswith("/api/ctxp/v1/pmc/?format=csl&id=6572829&")


def test_pmid_e_utilities_when_the_exporter_fails(server: Server, opts: HttpOptions) -> None:
    server.route("/api/ctxp/v1/pubmed/", Answer(500, b"busy"))
    server.route("/entrez/eutils/efetch.fcgi", answer("pubmed/efetch-20729678-medlinedate.xml"))
    record = one("PMID: 20729678", opts)
    assert record.title == "Zotero: harnessing the power of a personal bibliographic manager"
    assert author(record) == "Coar" and record.names["author"][0].given == "Jaekea T"
    # MedlineDate "2010 Sep-Oct" is a range of months
    assert record.issued is not None and record.issued.parts == ((2010, 9), (2010, 10))
    assert record.fields["container-title"] == "Nurse educator"
    assert record.fields["container-title-short"] == "Nurse Educ"
    assert record.fields["page"] == "205-207"
    assert record.fields["volume"] == "35" and record.fields["issue"] == "5"
    assert record.fields["DOI"] == "10.1097/nne.0b013e3181ed81e4"
    assert record.fields["PMID"] == "20729678"
    assert server.requests[-1][0].startswith(
        "/entrez/eutils/efetch.fcgi?db=pubmed&id=20729678&retmode=xml"
    )


def test_pubmed_xml_2025_dtd(server: Server, opts: HttpOptions) -> None:
    server.route("/api/ctxp/v1/pubmed/", Answer(404, b""))
    server.route("/entrez/eutils/efetch.fcgi", answer("pubmed/efetch-33760390-dtd2025.xml"))
    record = one("PMID:33760390", opts)
    assert record.title.startswith("Association of Machine Learning-Based Predictions")
    assert record.issued is not None and record.issued.parts == ((2021, 9),)
    assert record.dates["available-date"].parts == ((2021, 8, 6),)  # ArticleDate
    assert record.fields["page"] == "1638-1645"  # StartPage/EndPage
    assert record.fields["DOI"] == "10.1002/art.41735"
    assert record.fields["container-title-short"] == "Arthritis Rheumatol"


def test_pmid_unknown_is_not_found(server: Server, opts: HttpOptions) -> None:
    server.route("/entrez/eutils/efetch.fcgi", Answer(200, b"<PubmedArticleSet/>", XML))
    with pytest.raises(NetworkError, match=r"^PMID 99999999: not found"):
        read_spec("PMID:99999999", http=opts)


# --- arXiv ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "spec",
    [
        "arXiv:1605.08386",
        "1605.08386",
        "https://arxiv.org/abs/1605.08386",
        "https://arxiv.org/pdf/1605.08386",
    ],
)
def test_arxiv_new_style(server: Server, opts: HttpOptions, spec: str) -> None:
    server.route("/api/query", answer("arxiv/1605.08386.xml"))
    record = one(spec, opts)
    assert record.type == "article"
    assert record.title == "Heat-bath random walks with Markov bases"
    assert author(record) == "Stanley"
    assert record.issued is not None and record.issued.parts == ((2016, 5, 26),)
    assert record.fields["publisher"] == "arXiv"
    assert record.fields["number"] == "arXiv:1605.08386"
    assert record.fields["DOI"] == "10.48550/arxiv.1605.08386"
    assert "arXiv: 1605.08386 [math.CO]" in record.fields["note"]
    assert "Comment: 20 pages, 3 figures" in record.fields["note"]
    assert server.requests[0][0] == "/api/query?id_list=1605.08386"


def test_arxiv_old_style_with_journal_ref(server: Server, opts: HttpOptions) -> None:
    server.route("/api/query", answer("arxiv/astro-ph_0601001.xml"))
    record = one("https://arxiv.org/abs/astro-ph/0601001", opts)
    assert record.title.startswith("Frequency of Hot Jupiters")
    assert author(record) == "Gould"
    assert record.issued is not None and record.issued.year == 2006
    assert "Journal reference: ActaAstron.56:1-50,2006" in record.fields["note"]
    assert server.requests[0][0] == "/api/query?id_list=astro-ph%2F0601001"


def test_arxiv_keeps_both_dois(server: Server, opts: HttpOptions) -> None:
    server.route("/api/query", answer("arxiv/1111.2011v2.xml"))
    record = one("arXiv:1111.2011v2", opts)
    assert record.fields["DOI"] == "10.48550/arxiv.1111.2011"
    assert "Journal DOI: 10.1103/physrevb.85.115117" in record.fields["note"]
    assert record.fields["version"] == "2"


def test_arxiv_empty_feed_is_not_found(server: Server, opts: HttpOptions) -> None:
    server.route("/api/query", answer("arxiv/0000.0000.xml"))
    with pytest.raises(NetworkError, match=r"^arXiv:0000\.0000: not found"):
        read_spec("arXiv:0000.0000", http=opts)


def test_arxiv_requests_are_three_seconds_apart(server: Server, opts: HttpOptions) -> None:
    from citetool.lookup import http

    waits: list[float] = []
    options = HttpOptions(**{**vars(opts), "sleep": waits.append})
    server.route("/api/query", answer("arxiv/1605.08386.xml"))
    http._last_request.pop("arxiv", None)
    one("1605.08386", options)
    one("1605.08386v1", HttpOptions(**{**vars(options), "refresh": True}))
    assert len(waits) == 1 and 2.5 < waits[0] <= 3.0


# --- pasted references -----------------------------------------------------------------------


def test_reference_confident_match(server: Server, opts: HttpOptions) -> None:
    server.route("/works", answer("crossref/works-query-cermine.json"))
    record = one(CERMINE, opts, fmt="reference")
    assert record.fields["DOI"] == "10.1007/s10032-015-0249-8"
    assert record.type == "article-journal"
    assert record.title.startswith("CERMINE: automatic extraction")
    assert author(record) == "Tkaczyk"
    assert record.issued is not None and record.issued.year == 2015
    assert record.fields["volume"] == "18"
    path = server.requests[0][0]
    assert path.startswith("/works?query.bibliographic=D.+Tkaczyk+et+al.")
    assert path.endswith("&rows=5&mailto=tests%40example.org")


@pytest.mark.parametrize(
    "text",
    [
        # the title is not in the text
        "D. Tkaczyk, “Extraction of metadata from scientific literature,” IJDAR 18, 2015.",
        # the title is, but only the author agrees (year 2019, no volume, no page)
        "D. Tkaczyk, “CERMINE: automatic extraction of structured metadata from scientific "
        "literature,” 2019.",
    ],
)
def test_reference_poor_match_is_refused_with_candidates(
    server: Server, opts: HttpOptions, text: str
) -> None:
    server.route("/works", answer("crossref/works-query-cermine.json"))
    result = read_spec(text, fmt="reference", http=opts)
    assert result.records == []
    error, *candidates = result.diagnostics
    assert error.level.name == "ERROR" and "no confident match" in error.message
    assert [c.message.split(" ")[2] for c in candidates] == [
        "10.1007/s10032-015-0249-8",
        "10.1109/das.2014.63",
        "10.1045/november2015-tkaczyk",
    ]
    assert "(2015) CERMINE: automatic extraction" in candidates[0].message
    assert not list((Path(str(opts.cache_dir)) / "crossref").glob("*.json"))  # not cached


def test_reference_with_a_doi_inside_is_looked_up_by_it(server: Server, opts: HttpOptions) -> None:
    server.route("/api/query", answer("arxiv/1605.08386.xml"))
    record = one(
        "Stanley, C., Windisch, T.: Heat-bath random walks. arXiv:1605.08386 (2016)",
        opts,
        fmt="reference",
    )
    assert record.title == "Heat-bath random walks with Markov bases"
    assert server.hits("/works") == 0


# --- cache, --offline, --refresh, lists --------------------------------------------------------


def test_cache_offline_and_refresh(server: Server, opts: HttpOptions) -> None:
    server.route("/api/query", answer("arxiv/1605.08386.xml"))
    first = one("arXiv:1605.08386", opts)
    offline = HttpOptions(**{**vars(opts), "offline": True, "services": {}})
    assert one("https://arxiv.org/abs/1605.08386", offline) == first
    assert len(server.requests) == 1
    with pytest.raises(NetworkError, match=r"not in cache \(offline\): PMID 1$"):
        read_spec("PMID:1", http=offline)
    one("1605.08386", HttpOptions(**{**vars(opts), "refresh": True}))
    assert len(server.requests) == 2


def test_a_list_file_mixes_every_kind(server: Server, opts: HttpOptions, tmp_path: Path) -> None:
    server.route("/api/query", answer("arxiv/1605.08386.xml"))
    server.route("/api/ctxp/v1/pubmed/", answer("pubmed/ctxp-csl-31209238.json"))
    server.route(OL_DATA.format(SLOW), answer(f"isbn/openlibrary-data-{SLOW}.json"))
    listing = tmp_path / "ids.txt"
    listing.write_text(
        "# mine\narXiv:1605.08386\nPMID:31209238\nISBN 0-9802004-4-X\n978-0-9802004-4-8\n",
        encoding="utf-8",
    )
    result = read_spec(str(listing), http=opts)
    assert [r.fields.get("source") for r in result.records] == [
        "arXiv.org",
        "PubMed",
        "Open Library",
    ]
    errors = [d for d in result.diagnostics if d.level.name == "ERROR"]
    assert [(d.line, d.message) for d in errors] == [
        (5, "ISBN 9780980200448: wrong check digit 8 (expected 7)")
    ]


def test_a_base_url_with_a_path_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CITETOOL_ARXIV_RESOLVER", "https://export.arxiv.org/api")
    with pytest.raises(NetworkError, match="CITETOOL_ARXIV_RESOLVER must be scheme://host"):
        HttpOptions().service_url("arxiv")


def test_hint_with_nothing_of_that_kind(opts: HttpOptions) -> None:
    with pytest.raises(ReadError, match="not an ISBN: '12345'"):
        read_spec("12345", fmt="isbn", http=opts)


# --- the CLI, as a new user types it ----------------------------------------------------------


def cli(
    *args: str, env: dict[str, str], stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, **env, "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "citetool", *args],
        capture_output=True,
        text=True,
        env=full,
        timeout=60,
        input=stdin,
        stdin=None if stdin is not None else subprocess.DEVNULL,
    )


@pytest.fixture
def env(server: Server, tmp_path: Path) -> dict[str, str]:
    out = {service.variable: server.url for service in SERVICES.values()}
    out.update(CITETOOL_CACHE_DIR=str(tmp_path / "cache"), CITETOOL_MAILTO="cli@example.org")
    return out


def test_cli_cite_each_kind(server: Server, env: dict[str, str]) -> None:
    server.route("/api/query", answer("arxiv/astro-ph_0601001.xml"))
    proc = cli("cite", "https://arxiv.org/abs/astro-ph/0601001", env=env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("Gould, A., Dorsher, S., Gaudi, B. S., & Udalski, A. (2006).")
    server.route("/api/ctxp/v1/pmc/", answer("pubmed/ctxp-csl-31209238.json"))
    proc = cli("export", "PMC6572829", "--to", "csljson", env=env)
    assert proc.returncode == 0, proc.stderr
    (item,) = json.loads(proc.stdout)
    assert item["PMCID"] == "PMC6572829" and item["container-title-short"] == "Nat Commun"


def test_cli_show_says_where_a_record_came_from(server: Server, env: dict[str, str]) -> None:
    server.route(OL_DATA.format(SLOW), answer(f"isbn/openlibrary-data-{SLOW}.json"))
    proc = cli("show", "ISBN 0-9802004-4-X", env=env)
    assert proc.returncode == 0, proc.stderr
    assert "source: Open Library" in proc.stdout


def test_cli_reference_from_stdin(server: Server, env: dict[str, str]) -> None:
    server.route("/works", answer("crossref/works-query-cermine.json"))
    wrapped = CERMINE.replace(" IJDAR,", "\nIJDAR,")  # a reference wrapped over two lines
    proc = cli("export", "--from", "reference", "--to", "csljson", env=env, stdin=wrapped + "\n")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)[0]["DOI"] == "10.1007/s10032-015-0249-8"


def test_cli_poor_reference_exit_1_with_candidates(server: Server, env: dict[str, str]) -> None:
    server.route("/works", answer("crossref/works-query-cermine.json"))
    proc = cli("cite", "--from", "reference", "J. Doe, “Metadata from PDFs,” 2015.", env=env)
    assert proc.returncode == 1 and proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert "no confident match" in lines[0]
    assert [line.split(": ", 1)[0] for line in lines[1:]] == ["citetool"] * 3
    assert "candidate 1: 10.1007/s10032-015-0249-8 (2015) CERMINE" in lines[1]
    assert "Traceback" not in proc.stderr


def test_cli_bad_isbn_one_line_and_no_request(server: Server, env: dict[str, str]) -> None:
    proc = cli("cite", "978-0-316-03057-2", env=env)
    assert proc.returncode == 1
    assert proc.stderr.splitlines() == [
        "citetool: error: ISBN 9780316030572: wrong check digit 2 (expected 1)"
    ]
    assert server.requests == []


def test_cli_check_verifies_isbn_check_digits(tmp_path: Path, env: dict[str, str]) -> None:
    bib = tmp_path / "books.bib"
    bib.write_text(
        "@book{good, title={T}, author={Doe, Jane}, year={2009}, "
        "isbn={978-0-9802004-4-7}}\n@book{bad, title={T}, author={Doe, Jane}, "
        "year={2009}, isbn={0-9802004-4-5}}\n",
        encoding="utf-8",
    )
    proc = cli("check", str(bib), env=env)
    assert proc.returncode == 1
    assert "bad: error: ISBN 0-9802004-4-5: wrong check digit 5 (expected X)" in proc.stderr
    assert "good: error" not in proc.stderr


def test_cli_refresh_and_offline_together_is_a_usage_error(env: dict[str, str]) -> None:
    proc = cli("export", "arXiv:1605.08386", "--offline", "--refresh", env=env)
    assert proc.returncode == 2 and "--refresh" in proc.stderr


def test_pubmed_xml_collective_and_invalid_authors() -> None:
    """The recorded 20729678 answer with two authors added by hand: a collective name (a
    literal) and one PubMed marks ``ValidYN="N"`` (left out)."""
    from citetool.lookup.common import xml_root
    from citetool.lookup.pubmed import from_pubmed_xml

    xml = fixture("pubmed/efetch-20729678-medlinedate.xml").replace(
        b"</AuthorList>",
        b'<Author ValidYN="Y"><CollectiveName>Zotero Study Group</CollectiveName></Author>'
        b'<Author ValidYN="N"><LastName>Wrong</LastName><ForeName>Name</ForeName></Author>'
        b"</AuthorList>",
    )
    (article,) = xml_root(xml, "test", "here").iter("PubmedArticle")
    assert from_pubmed_xml(article)["author"] == [
        {"family": "Coar", "given": "Jaekea T"},
        {"family": "Sewell", "given": "Jeanne P"},
        {"literal": "Zotero Study Group"},
    ]


def test_a_file_of_pasted_references(server: Server, opts: HttpOptions, tmp_path: Path) -> None:
    server.route("/works", answer("crossref/works-query-cermine.json"))
    server.route("/api/query", answer("arxiv/1605.08386.xml"))
    refs = tmp_path / "refs.txt"
    wrapped = CERMINE.replace(" IJDAR,", "\n   IJDAR,")
    refs.write_text(
        f"{wrapped}\n\nC. Stanley, T. Windisch, Heat-bath random walks with Markov\n"
        "bases, arXiv:1605.08386 (2016).\n",
        encoding="utf-8",
    )
    result = read_spec(str(refs), fmt="reference", http=opts)
    assert [r.fields["DOI"] for r in result.records] == [
        "10.1007/s10032-015-0249-8",
        "10.48550/arxiv.1605.08386",
    ]


def test_cli_unknown_identifier_is_not_found(server: Server, env: dict[str, str]) -> None:
    server.route("/api/query", answer("arxiv/0000.0000.xml"))
    proc = cli("cite", "arXiv:0000.0000", env=env)
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr.splitlines() == ["citetool: error: arXiv:0000.0000: not found (arXiv)"]


def test_pmcid_ncbi_sample_with_a_literal_author(server: Server, opts: HttpOptions) -> None:
    server.route("/api/ctxp/v1/pmc/", answer("pubmed/ctxp-sample-PMC3362639.json"))
    record = one("PMCID: PMC3362639", opts)
    assert record.type == "article-journal"
    assert record.title.startswith("Putting Evidence into Practice: The <i>PLoS Medicine</i>")
    assert author(record) == "Patel"
    assert record.names["author"][-1].literal == "the PLoS Medicine Editors"
    assert record.issued is not None and record.issued.parts == ((2012, 5),)
    assert record.fields["container-title"] == "PLoS Med"
    assert record.fields["DOI"] == "10.1371/journal.pmed.1001226"
    assert record.fields["PMCID"] == "PMC3362639" and record.fields["source"] == "PubMed"
    assert server.requests[0][0].startswith("/api/ctxp/v1/pmc/?format=csl&id=3362639&")
