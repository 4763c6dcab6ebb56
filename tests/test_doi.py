"""DOI lookup, URL input, identifier lists and --enrich against a local HTTP server.

Every test serves hand-written answers (tests/fixtures/doi, tests/fixtures/html; see the
READMEs there) from ``http.server`` on 127.0.0.1 (tests/localserver.py) started by the test;
nothing here touches the internet. The cache lives in a tmp dir per test.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from localserver import Answer, Server, dead_url

from citetool.doi import HttpOptions, clean_item, fetch_record, lookup
from citetool.errors import NetworkError, ReadError
from citetool.model import Record
from citetool.resolve import (
    enrich,
    identifier_kind,
    is_identifier,
    list_lines,
    read_list,
    read_spec,
    read_url,
)

FIXTURES = Path(__file__).parent / "fixtures"
ATHENA = "10.15804/athena.2020.66.04"
CSL = "application/vnd.citationstyles.csl+json"


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


# --- the local server (tests/localserver.py) ----------------------------------------


def csl_answer(name: str = "doi/crossref-athena.json") -> Answer:
    return Answer(200, fixture_bytes(name), {"Content-Type": f"{CSL}; charset=utf-8"})


@pytest.fixture
def opts(server: Server, tmp_path: Path) -> HttpOptions:
    sleeps: list[float] = []
    return HttpOptions(
        resolver=server.url,
        mailto="tests@example.org",
        cache_dir=tmp_path / "cache",
        timeout=2.0,
        backoff=0.01,
        sleep=sleeps.append,
    )


# --- DOI lookup ----------------------------------------------------------------------------


def test_success_reads_crossref_csl_json(server: Server, opts: HttpOptions) -> None:
    server.route(f"/{ATHENA}", csl_answer())
    record = fetch_record("https://doi.org/10.15804/ATHENA.2020.66.04", opts)
    assert record.title.startswith("Relacje kazachsko-rosyjskie")
    assert record.fields["container-title"] == "Athenaeum Polskie Studia Politologiczne"
    assert record.fields["volume"] == "66"
    assert record.fields["issue"] == "2"
    assert record.fields["page"] == "51-71"
    assert record.fields["ISSN"] == "1505-2192"
    assert record.fields["DOI"] == ATHENA
    assert record.type == "article-journal"
    assert record.id == "bielicki2020relacje"  # the same key pattern as every reader's
    assert record.issued is not None and record.issued.parts == ((2020, 6, 30),)
    (author,) = record.author
    assert (author.family, author.given) == ("Bielicki", "Paweł")
    assert author.affiliation == (
        "Instytut Solidarności i Męstwa im. Witolda Pileckiego w Warszawie",
    )
    # the JATS markup is gone, registry bookkeeping is not kept as data
    assert record.abstract.startswith("Przedmiotem mojego") and "<" not in record.abstract
    for noise in ("indexed", "deposited", "reference-count", "link", "score", "member"):
        assert noise not in record.extra and noise not in record.fields
    # content negotiation and a polite User-Agent with the contact address
    path, headers = server.requests[0]
    assert path == f"/{ATHENA}"
    assert headers["Accept"].startswith(CSL)
    assert headers["User-Agent"].startswith("citetool/")
    assert "mailto:tests@example.org" in headers["User-Agent"]


@pytest.mark.parametrize(
    ("fixture", "doi", "csl_type", "title"),
    [  # real Crossref answers (tests/fixtures/crossref/README.md), served as the resolver's
        ("crossref/proceedings-article-subtitle.json", "10.1145/3448016.3452841",
         "paper-conference", "Vector Quotient Filters: Overcoming the Time/Space Trade-Off in "
                             "Filter Design"),
        ("crossref/book-chapter-series-first.json", "10.1007/978-3-319-75889-3_1", "chapter",
         "Climate Change and Increasing Risk of Extreme Heat"),
    ],
)
def test_crossref_works_come_back_with_their_type_and_subtitle(
        server: Server, opts: HttpOptions, fixture: str, doi: str, csl_type: str,
        title: str) -> None:
    """Issue 16: a chapter and a proceedings paper, not 'article', and with the subtitle (the
    Crossref type table and title rule of citetool.mapping.crossref serve lookups too)."""
    server.route(f"/{doi}", Answer(200, fixture_bytes(fixture),
                                   {"Content-Type": "application/json"}))
    record = fetch_record(doi, opts)
    assert record.type == csl_type
    assert record.title == title
    assert record.fields["DOI"] == doi


def test_a_csl_answer_keeps_its_subtitle(server: Server, opts: HttpOptions) -> None:
    import json

    item = json.loads(fixture_bytes("doi/crossref-athena.json"))
    item.update(type="chapter", subtitle=["A subtitle"])  # the shape Crossref's CSL gives
    server.route(f"/{ATHENA}", Answer(200, json.dumps(item).encode(),
                                      {"Content-Type": f"{CSL}; charset=utf-8"}))
    record = fetch_record(ATHENA, opts)
    assert record.type == "chapter"
    assert record.title.endswith(": A subtitle")


def test_datacite_answer(server: Server, opts: HttpOptions) -> None:
    server.route("/10.5555/zenodo.4711", csl_answer("doi/datacite-dataset.json"))
    record = fetch_record("doi:10.5555/ZENODO.4711", opts)
    assert record.type == "dataset"
    assert record.fields["DOI"] == "10.5555/zenodo.4711"
    assert record.fields["publisher"] == "Zenodo"
    assert record.author[0].orcid == "0000-0002-1825-0097"
    assert record.author[1].literal == "Example Survey Consortium"


def test_404_is_a_clear_network_error(server: Server, opts: HttpOptions) -> None:
    with pytest.raises(NetworkError) as info:
        lookup("10.5555/does.not.exist", opts)
    message = info.value.message
    assert "10.5555/does.not.exist" in message and "404" in message and "\n" not in message


def test_429_then_success_honours_retry_after(server: Server, tmp_path: Path) -> None:
    waits: list[float] = []
    options = HttpOptions(resolver=server.url, cache_dir=tmp_path, sleep=waits.append)
    server.route(
        f"/{ATHENA}",
        Answer(429, b"slow down", {"retry-after": "3"}),  # header names in any case
        Answer(503, b"busy", {}),
        csl_answer(),
    )
    record = fetch_record(ATHENA, options)
    assert record.fields["volume"] == "66"
    assert server.hits(f"/{ATHENA}") == 3
    assert waits[0] == 3.0  # Retry-After honoured
    # then exponential backoff with a little jitter: backoff * 2**attempt * [1, 1.25]
    assert 2 * options.backoff <= waits[1] <= 2.5 * options.backoff


def test_dropped_connection_is_retried(server: Server, opts: HttpOptions) -> None:
    server.route(f"/{ATHENA}", Answer(0), csl_answer())
    assert lookup(ATHENA, opts)["volume"] == "66"
    assert server.hits(f"/{ATHENA}") == 2


def test_always_dropped_connection_is_one_error(server: Server, opts: HttpOptions) -> None:
    server.route(f"/{ATHENA}", Answer(0))
    with pytest.raises(NetworkError, match="dropped the connection"):
        lookup(ATHENA, opts)
    assert server.hits(f"/{ATHENA}") == opts.retries + 1


def test_retry_after_beyond_the_bound_fails_fast(server: Server, opts: HttpOptions) -> None:
    server.route(f"/{ATHENA}", Answer(429, b"", {"Retry-After": "3600"}))
    with pytest.raises(NetworkError, match="asks to wait 3600 s"):
        lookup(ATHENA, opts)
    assert server.hits(f"/{ATHENA}") == 1


def test_persistent_5xx_gives_up_after_the_retries(server: Server, opts: HttpOptions) -> None:
    server.route(f"/{ATHENA}", Answer(502, b"bad gateway"))
    with pytest.raises(NetworkError, match="server error.*502"):
        lookup(ATHENA, opts)
    assert server.hits(f"/{ATHENA}") == opts.retries + 1


def test_timeout(server: Server, tmp_path: Path) -> None:
    server.route(f"/{ATHENA}", Answer(200, b"{}", {}, delay=1.0))
    options = HttpOptions(resolver=server.url, cache_dir=tmp_path, timeout=0.2)
    started = time.monotonic()
    with pytest.raises(NetworkError, match=r"within 0\.2 s \(timeout\)"):
        lookup(ATHENA, options)
    assert time.monotonic() - started < 0.9


def test_non_json_answer(server: Server, opts: HttpOptions) -> None:
    server.route(
        f"/{ATHENA}",
        Answer(200, b"<html><body>Landing page</body></html>", {"Content-Type": "text/html"}),
    )
    with pytest.raises(NetworkError, match=r"not CSL-JSON \(text/html\)"):
        lookup(ATHENA, opts)


def test_json_that_is_not_an_item(server: Server, opts: HttpOptions) -> None:
    server.route(
        f"/{ATHENA}", Answer(200, b'{"status": "ok"}', {"Content-Type": "application/json"})
    )
    with pytest.raises(NetworkError, match="not a CSL-JSON item"):
        lookup(ATHENA, opts)


def test_redirect_chain_is_followed_with_headers(server: Server, opts: HttpOptions) -> None:
    server.route(f"/{ATHENA}", Answer(302, b"", {"Location": "/hop1"}))
    server.route("/hop1", Answer(301, b"", {"Location": f"{server.url}/hop2"}))
    server.route("/hop2", Answer(303, b"", {"Location": "/agency/works/athena"}))
    server.route("/agency/works/athena", csl_answer())
    record = fetch_record(ATHENA, opts)
    assert record.fields["page"] == "51-71"
    assert [p for p, _ in server.requests] == [
        f"/{ATHENA}",
        "/hop1",
        "/hop2",
        "/agency/works/athena",
    ]
    # every hop keeps content negotiation
    assert all(h["Accept"].startswith(CSL) for _, h in server.requests)


def test_redirect_loop_is_bounded(server: Server, opts: HttpOptions) -> None:
    server.route(f"/{ATHENA}", Answer(302, b"", {"Location": "/loop"}))
    server.route("/loop", Answer(302, b"", {"Location": "/loop"}))
    with pytest.raises(NetworkError, match="too many redirects"):
        lookup(ATHENA, opts)
    assert len(server.requests) == opts.max_redirects + 1


def test_redirect_to_another_scheme_is_refused(server: Server, opts: HttpOptions) -> None:
    server.route(f"/{ATHENA}", Answer(302, b"", {"Location": "file:///etc/passwd"}))
    with pytest.raises(NetworkError, match="non-HTTP URL"):
        lookup(ATHENA, opts)


def test_cache_hit_needs_no_network(server: Server, opts: HttpOptions, tmp_path: Path) -> None:
    server.route(f"/{ATHENA}", csl_answer())
    first = fetch_record(ATHENA, opts)
    assert server.hits(f"/{ATHENA}") == 1
    # the same DOI in another form, and a resolver that no longer answers at all
    dead = HttpOptions(resolver=dead_url(), cache_dir=opts.cache_dir, timeout=0.5)
    second = fetch_record("https://doi.org/10.15804/ATHENA.2020.66.04", dead)
    assert second == first
    assert server.hits(f"/{ATHENA}") == 1
    cached = list((tmp_path / "cache" / "doi").glob("*.json"))
    assert len(cached) == 1 and json.loads(cached[0].read_text())["key"] == ATHENA


def test_offline_hit_and_miss(server: Server, opts: HttpOptions) -> None:
    server.route(f"/{ATHENA}", csl_answer())
    fetch_record(ATHENA, opts)
    offline = HttpOptions(resolver=server.url, cache_dir=opts.cache_dir, offline=True)
    assert fetch_record(ATHENA, offline).fields["volume"] == "66"
    with pytest.raises(NetworkError) as info:
        fetch_record("10.5555/NOT.CACHED", offline)
    assert info.value.message == "not in cache (offline): 10.5555/not.cached"
    assert server.hits(f"/{ATHENA}") == 1 and len(server.requests) == 1


def test_failures_are_not_cached(server: Server, opts: HttpOptions) -> None:
    server.route(f"/{ATHENA}", Answer(404, b""), csl_answer())
    with pytest.raises(NetworkError):
        lookup(ATHENA, opts)
    assert lookup(ATHENA, opts)["volume"] == "66"


def test_cache_dir_from_environment(
    server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CITETOOL_CACHE_DIR", str(tmp_path / "envcache"))
    monkeypatch.setenv("CITETOOL_DOI_RESOLVER", server.url)
    monkeypatch.setenv("CITETOOL_MAILTO", "env@example.org")
    server.route(f"/{ATHENA}", csl_answer())
    lookup(ATHENA)
    assert list((tmp_path / "envcache" / "doi").glob("*.json"))
    assert "mailto:env@example.org" in server.requests[0][1]["User-Agent"]


def test_connection_refused_is_one_line(tmp_path: Path) -> None:
    url = dead_url()
    options = HttpOptions(resolver=url, cache_dir=tmp_path, timeout=1)
    with pytest.raises(NetworkError) as info:
        lookup(ATHENA, options)
    assert f"cannot reach {url}" in info.value.message


def test_clean_item_lists_and_orcid_urls() -> None:
    item = clean_item(
        {
            "type": "journal-article",
            "title": ["A title"],
            "container-title": ["Journal", "J."],
            "ISSN": ["1505-2192", "2451-0041", "1505-2192"],
            "author": [
                {"name": "Example Consortium", "sequence": "additional"},
                {
                    "family": "Doe",
                    "ORCID": "http://orcid.org/0000-0002-1825-0097",
                    "authenticated-orcid": True,
                    "sequence": "first",
                },
            ],
            "subject": ["Politics", "Security"],
            "license": [{"URL": "https://creativecommons.org/licenses/by/4.0/"}],
            "reference": [{"key": "r1"}],
        },
        "10.1/x",
    )
    assert item["type"] == "article-journal"
    assert item["title"] == "A title" and item["container-title"] == "Journal"
    assert item["ISSN"] == "1505-2192, 2451-0041"
    assert item["author"] == [
        {"literal": "Example Consortium"},
        {"family": "Doe", "ORCID": "0000-0002-1825-0097"},
    ]
    assert item["keyword"] == "Politics, Security"
    assert item["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert "reference" not in item and item["DOI"] == "10.1/x" and item["id"] == "10.1/x"


# --- identifiers, URLs, lists ------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "kind"),
    [
        ("10.15804/athena.2020.66.04", "doi"),
        ("doi:10.15804/athena.2020.66.04", "doi"),
        ("DOI: 10.15804/ATHENA.2020.66.04", "doi"),
        ("https://doi.org/10.15804/athena.2020.66.04", "doi"),
        ("http://dx.doi.org/10.15804/athena.2020.66.04", "doi"),
        ("https://journals.example.edu/article/view/1234", "url"),
        ("refs.bib", None),
        ("ftp://example.org/x", None),
        ("Author: Paweł Bielicki", None),
    ],
)
def test_identifier_kind(spec: str, kind: str | None) -> None:
    assert identifier_kind(spec) == kind


def test_an_existing_file_wins_over_an_identifier(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert is_identifier("10.5555/x")
    (tmp_path / "10.5555").mkdir()
    (tmp_path / "10.5555" / "x").write_text("[]")
    assert not is_identifier("10.5555/x")


def test_list_detection() -> None:
    text = "# my reading list\n10.15804/athena.2020.66.04\n\nhttps://example.org/a\n"
    assert list_lines(text) == [(2, "10.15804/athena.2020.66.04"), (4, "https://example.org/a")]
    assert list_lines("10.1/x\nAuthor: Someone\n") is None
    assert list_lines("\n# only comments\n") is None


def test_url_is_read_with_the_html_reader(server: Server, opts: HttpOptions) -> None:
    page = fixture_bytes("html/ojs-article.html")
    server.route(
        "/article/view/1234", Answer(200, page, {"Content-Type": "text/html; charset=utf-8"})
    )
    result = read_url(f"{server.url}/article/view/1234", opts)
    (record,) = result.records
    assert record.fields["DOI"] == "10.5555/sppr.2021.15.2.03"
    assert record.fields["container-title"] == "Studia Politologiczne Przykładowe"
    assert server.requests[0][1]["Accept"].startswith("text/html")
    # cached: offline now works for the same URL
    offline = HttpOptions(resolver=server.url, cache_dir=opts.cache_dir, offline=True)
    assert read_url(f"{server.url}/article/view/1234", offline).records == [record]
    assert server.hits("/article/view/1234") == 1


@pytest.mark.parametrize(
    ("encoding", "header", "head"),
    [
        # the charset in the HTTP header (names in lower case: any case is fine)
        ("iso-8859-2", {"content-type": "text/html; charset=iso-8859-2"}, ""),
        # no charset in the header: the page's own meta tag says it
        (
            "cp1250",
            {"Content-Type": "text/html"},
            '<meta http-equiv="Content-Type" content="text/html; charset=windows-1250">',
        ),
    ],
)
def test_url_in_a_legacy_charset(
    server: Server, opts: HttpOptions, encoding: str, header: dict[str, str], head: str
) -> None:
    page = (
        f'<html><head>{head}<meta name="citation_title" content="Zażółć gęślą jaźń, Łódź">'
        '<meta name="citation_author" content="Paweł Bielicki"></head></html>'
    ).encode(encoding)
    server.route("/p", Answer(200, page, header))
    (record,) = read_url(f"{server.url}/p", opts).records
    assert record.title == "Zażółć gęślą jaźń, Łódź"
    assert record.author[0].family == "Bielicki"


def test_url_to_a_pdf_is_refused(server: Server, opts: HttpOptions) -> None:
    server.route("/x.pdf", Answer(200, b"%PDF-1.7", {"Content-Type": "application/pdf"}))
    with pytest.raises(Exception, match="not a web page but application/pdf"):
        read_url(f"{server.url}/x.pdf", opts)


def test_offline_url_miss(opts: HttpOptions) -> None:
    offline = HttpOptions(cache_dir=opts.cache_dir, offline=True)
    with pytest.raises(NetworkError, match=r"not in cache \(offline\): https://example.org/p"):
        read_url("https://example.org/p", offline)


def test_list_keeps_going_past_failures(server: Server, opts: HttpOptions) -> None:
    server.route(f"/{ATHENA}", csl_answer())
    server.route(
        "/page", Answer(200, fixture_bytes("html/jsonld-only.html"), {"Content-Type": "text/html"})
    )
    lines = [
        (1, "10.5555/missing"),
        (2, f"https://doi.org/{ATHENA.upper()}"),
        (3, f"{server.url}/page"),
        (4, f"doi:{ATHENA}"),  # the same DOI again: read once
    ]
    result = read_list(lines, "refs.txt", opts)
    assert [r.fields["DOI"] for r in result.records] == [ATHENA, "10.5555/erpp.2022.812"]
    errors = [d for d in result.diagnostics if d.level.name == "ERROR"]
    assert len(errors) == 1 and errors[0].line == 1 and errors[0].source == "refs.txt"
    assert "404" in errors[0].message
    assert any("listed twice" in d.message and d.line == 4 for d in result.diagnostics)
    assert server.hits(f"/{ATHENA}") == 1


def test_read_spec_dispatch(server: Server, opts: HttpOptions, tmp_path: Path) -> None:
    server.route(f"/{ATHENA}", csl_answer())
    listing = tmp_path / "refs.txt"
    listing.write_text(f"{ATHENA}\n", encoding="utf-8")
    assert read_spec(str(listing), http=opts).records[0].fields["DOI"] == ATHENA
    assert read_spec(f"doi:{ATHENA}", http=opts).records[0].fields["volume"] == "66"
    data = tmp_path / "one.json"
    data.write_text('[{"id": "a", "type": "book", "title": "Local"}]', encoding="utf-8")
    assert read_spec(str(data), http=opts).records[0].title == "Local"


# --- enrich --------------------------------------------------------------------------------

PAGE = f"""<html><head>
<meta name="citation_title" content="Relacje kazachsko-rosyjskie (tytuł ze strony)">
<meta name="citation_author" content="Paweł Bielicki">
<meta name="citation_publication_date" content="2020">
<meta name="citation_doi" content="{ATHENA}">
</head></html>"""


def page_record() -> Record:
    from citetool.readers.html import read

    return read(PAGE, "page.html").records[0]


def test_enrich_fills_only_what_is_missing(server: Server, opts: HttpOptions) -> None:
    server.route(f"/{ATHENA}", csl_answer())
    base = page_record()
    (record,), notes = enrich([base], opts)
    assert record.title == "Relacje kazachsko-rosyjskie (tytuł ze strony)"  # the page's
    assert record.issued == base.issued  # the page said 2020: kept
    assert record.fields["container-title"] == "Athenaeum Polskie Studia Politologiczne"
    assert record.fields["volume"] == "66" and record.fields["issue"] == "2"
    assert record.fields["ISSN"] == "1505-2192"
    assert record.fields["publisher"] == "Wydawnictwo Adam Marszalek"
    assert record.author[0].affiliation  # same person: the affiliation was filled in
    assert record.type == "article-journal"
    assert record.id == base.id
    assert record.extra == base.extra  # registry extras (published-print ...) are not added
    assert any("container-title" in n.message for n in notes)


def test_enrich_overwrite(server: Server, opts: HttpOptions) -> None:
    server.route(f"/{ATHENA}", csl_answer())
    (record,), _ = enrich([page_record()], opts, overwrite=True)
    assert record.title.endswith("na obszarze postradzieckim")
    assert record.issued is not None and record.issued.parts == ((2020, 6, 30),)


def test_enrich_failure_is_a_warning_and_keeps_the_record(opts: HttpOptions) -> None:
    offline = HttpOptions(cache_dir=opts.cache_dir, offline=True)
    base = page_record()
    (record,), notes = enrich([base], offline)
    assert record == base
    assert [n.level.name for n in notes] == ["WARNING"]
    assert "not in cache (offline)" in notes[0].message


# --- the CLI ------------------------------------------------------------------------------


def run_cli(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, **env, "NO_COLOR": "1"}
    full.pop("CITETOOL_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "citetool", *args],
        capture_output=True,
        text=True,
        env=full,
        cwd=cwd,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture
def cli_env(server: Server, tmp_path: Path) -> dict[str, str]:
    return {
        "CITETOOL_DOI_RESOLVER": server.url,
        "CITETOOL_CACHE_DIR": str(tmp_path / "cache"),
        "CITETOOL_MAILTO": "cli@example.org",
    }


def test_cli_export_a_doi(server: Server, cli_env: dict[str, str], tmp_path: Path) -> None:
    server.route(f"/{ATHENA}", csl_answer())
    proc = run_cli("export", ATHENA, "--to", "csljson", env=cli_env, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    (item,) = json.loads(proc.stdout)
    assert item["DOI"] == ATHENA and item["volume"] == "66"
    # second call: from the cache, even offline and with the server gone
    proc = run_cli(
        "export",
        f"doi:{ATHENA}",
        "--offline",
        "--doi-resolver",
        dead_url(),
        env=cli_env,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)[0]["DOI"] == ATHENA
    assert server.hits(f"/{ATHENA}") == 1


def test_cli_offline_miss(cli_env: dict[str, str], tmp_path: Path) -> None:
    proc = run_cli("export", "10.5555/NOT.CACHED", "--offline", env=cli_env, cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert "not in cache (offline): 10.5555/not.cached" in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("resolver", ["dead", "404"])
def test_cli_network_error_is_one_line_exit_1(
    server: Server, cli_env: dict[str, str], tmp_path: Path, resolver: str
) -> None:
    env = dict(cli_env)
    if resolver == "dead":
        env["CITETOOL_DOI_RESOLVER"] = dead_url()
    proc = run_cli("show", ATHENA, env=env, cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    first = proc.stderr.splitlines()[0]
    assert first.startswith("citetool: ") and ATHENA in first
    assert ("cannot reach" if resolver == "dead" else "404") in first


def test_cli_batch_keeps_going(server: Server, cli_env: dict[str, str], tmp_path: Path) -> None:
    server.route(f"/{ATHENA}", csl_answer())
    server.route(
        "/landing",
        Answer(200, fixture_bytes("html/jsonld-only.html"), {"Content-Type": "text/html"}),
    )
    refs = tmp_path / "refs.txt"
    refs.write_text(f"{ATHENA}\n10.5555/missing\n{server.url}/landing\n", encoding="utf-8")
    proc = run_cli("export", "refs.txt", "--to", "csljson", env=cli_env, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    items = json.loads(proc.stdout)
    assert [i["DOI"] for i in items] == [ATHENA, "10.5555/erpp.2022.812"]
    errors = [line for line in proc.stderr.splitlines() if "error" in line]
    assert len(errors) == 1 and errors[0].startswith("citetool: refs.txt:2: error:")
    assert "\x1b[" not in proc.stderr  # no progress bar when stderr is not a terminal


def test_cli_url_and_enrich(server: Server, cli_env: dict[str, str], tmp_path: Path) -> None:
    server.route(f"/{ATHENA}", csl_answer())
    server.route("/page", Answer(200, PAGE.encode(), {"Content-Type": "text/html"}))
    proc = run_cli("export", f"{server.url}/page", "--to", "csljson", env=cli_env, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "container-title" not in json.loads(proc.stdout)[0]
    proc = run_cli(
        "export", f"{server.url}/page", "--enrich", "--to", "csljson", env=cli_env, cwd=tmp_path
    )
    assert proc.returncode == 0, proc.stderr
    (item,) = json.loads(proc.stdout)
    assert item["container-title"] == "Athenaeum Polskie Studia Politologiczne"
    assert item["title"] == "Relacje kazachsko-rosyjskie (tytuł ze strony)"


def test_cli_cite_a_doi(server: Server, cli_env: dict[str, str], tmp_path: Path) -> None:
    server.route(f"/{ATHENA}", csl_answer())
    proc = run_cli("cite", ATHENA, "--style", "apa", env=cli_env, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "Bielicki, P. (2020)" in proc.stdout
    assert "https://doi.org/10.15804/athena.2020.66.04" in proc.stdout


def test_cli_list_on_stdin(server: Server, cli_env: dict[str, str], tmp_path: Path) -> None:
    server.route(f"/{ATHENA}", csl_answer())
    full = {**os.environ, **cli_env, "NO_COLOR": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "citetool", "export", "--to", "csljson"],
        input=f"# one DOI\nhttps://doi.org/{ATHENA}\n",
        capture_output=True,
        text=True,
        env=full,
        cwd=tmp_path,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)[0]["DOI"] == ATHENA


def test_cli_seed_page_enriched_from_its_doi(
    server: Server, cli_env: dict[str, str], tmp_path: Path
) -> None:
    """The seed's saved page (no meta tags) names its DOI as 'DOI Address: http://dx.doi.org/...';
    --enrich fills what the page lacks (the issue) and keeps what it says."""
    try:
        import citetool.readers.landing  # noqa: F401
    except ImportError:
        pytest.skip("citetool.readers.landing (landing-page text reader) is not there yet")
    server.route(f"/{ATHENA}", csl_answer())
    page = FIXTURES / "html" / "seed-site.html"
    proc = run_cli("export", str(page), "--enrich", "--to", "csljson", env=cli_env, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    (item,) = json.loads(proc.stdout)
    assert item["DOI"] == ATHENA
    assert item["issue"] == "2"  # only Crossref has it
    assert item["page"] == "51-71"
    assert item["container-title"] == "Athenaeum. Polskie Studia Politologiczne"  # the page's
    assert server.hits(f"/{ATHENA}") == 1


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_cli_progress_bar_only_on_a_terminal(
    server: Server, cli_env: dict[str, str], tmp_path: Path
) -> None:
    import pty

    for n in range(3):
        server.route(
            f"/10.5555/p{n}",
            Answer(
                200,
                json.dumps({"type": "book", "title": f"Book {n}", "DOI": f"10.5555/p{n}"}).encode(),
                {"Content-Type": CSL},
            ),
        )
    (tmp_path / "refs.txt").write_text("".join(f"10.5555/p{n}\n" for n in range(3)))
    master, slave = pty.openpty()
    full = {**os.environ, **cli_env, "TERM": "xterm"}
    full.pop("NO_COLOR", None)
    proc = subprocess.run(
        [sys.executable, "-m", "citetool", "export", "refs.txt", "--to", "csljson"],
        stdout=subprocess.PIPE,
        stderr=slave,
        stdin=subprocess.DEVNULL,
        env=full,
        cwd=tmp_path,
        timeout=60,
    )
    os.close(slave)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    os.close(master)
    assert proc.returncode == 0
    assert len(json.loads(proc.stdout)) == 3  # stdout: data only
    assert b"\x1b[" in seen  # the bar was drawn on the terminal


def test_doi_is_percent_encoded_in_the_request(server: Server, opts: HttpOptions) -> None:
    doi = "10.1002/(sici)1097-4571(199806)49:8[693::aid-asi4]3.0.co;2-0"
    encoded = "/10.1002/(sici)1097-4571(199806)49:8%5B693::aid-asi4%5D3.0.co;2-0"
    server.route(encoded, Answer(200, json.dumps({"title": "T", "DOI": doi}).encode(), {}))
    assert lookup(doi, opts)["DOI"] == doi
    assert server.requests[0][0] == encoded


def test_a_list_with_a_stray_line_says_which(tmp_path: Path) -> None:
    refs = tmp_path / "refs.txt"
    refs.write_text("10.5555/a1\n10.5555/a2\nnot an identifier\n10.5555/a3\n", encoding="utf-8")
    with pytest.raises(ReadError) as info:
        read_spec(str(refs))
    assert "line 3 is neither" in info.value.message
    assert info.value.line == 3


def test_a_corrupt_cache_entry_is_fetched_again(server: Server, opts: HttpOptions) -> None:
    server.route(f"/{ATHENA}", csl_answer())
    lookup(ATHENA, opts)
    (entry,) = (Path(str(opts.cache_dir)) / "doi").glob("*.json")
    entry.write_text("{not json", encoding="utf-8")
    assert lookup(ATHENA, opts)["volume"] == "66"
    assert server.hits(f"/{ATHENA}") == 2
    assert json.loads(entry.read_text(encoding="utf-8"))["value"]["volume"] == "66"


def test_python_api_reads_a_doi(
    server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import citetool

    monkeypatch.setenv("CITETOOL_DOI_RESOLVER", server.url)
    monkeypatch.setenv("CITETOOL_CACHE_DIR", str(tmp_path))
    server.route(f"/{ATHENA}", csl_answer())
    (record,) = citetool.read(f"https://doi.org/{ATHENA}").records
    assert record.fields["volume"] == "66"


@pytest.mark.parametrize(
    ("option", "value"), [("--doi-resolver", "ftp://example.org"), ("--mailto", "not-an-address")]
)
def test_cli_bad_network_option_is_a_usage_error(tmp_path: Path, option: str, value: str) -> None:
    from typer.testing import CliRunner

    from citetool.cli import app

    result = CliRunner().invoke(app, ["export", "10.5555/x", option, value])
    assert result.exit_code == 2
    assert option in result.stderr and result.stdout == ""
