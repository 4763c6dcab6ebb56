"""Issue 6: fuzzing every reader (hypothesis).

Each reader gets arbitrary text, text made of its own format's tokens, and structured
near-valid input (valid samples put through random edits: cut, duplicate, insert a token,
truncate, swap lines, CRLF, a BOM; for CSL-JSON also well-formed JSON whose values have
the wrong types). The property: the only exceptions that may leave a reader are citetool's
own (:class:`~citetool.errors.CitetoolError`), each with a one-line message; what a reader
returns is records and one-line diagnostics, and every record can be written as CSL-JSON.

The default suite runs ``CITETOOL_FUZZ_EXAMPLES`` (150) examples per test, 450-600 per
reader; ``bench/fuzz.py`` runs 10,000 per reader and reports the counts.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citetool.errors import CitetoolError, Diagnostic, ReadError
from citetool.model import Record

EXAMPLES = int(os.environ.get("CITETOOL_FUZZ_EXAMPLES", "150"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
# generating nested JSON is slow; half as many examples keep the default suite quick
FUZZ_NESTED = settings(max_examples=max(1, EXAMPLES // 2), deadline=None,
                       suppress_health_check=list(HealthCheck))

READERS = {
    "bibtex": "citetool.readers.bibtex:read",
    "ris": "citetool.readers.ris:read",
    "csljson": "citetool.readers.csljson:read",
    "cslyaml": "citetool.readers.csljson:read_yaml",
    "landing": "citetool.readers.landing:read",
    "html": "citetool.readers.html:read",
}

#: what each run saw, for bench/fuzz.py: (reader, outcome) -> count
STATS: Counter[tuple[str, str]] = Counter()


def load_reader(name: str) -> Callable[..., Any]:
    module, _, attr = READERS[name].partition(":")
    try:
        found = importlib.util.find_spec(module)
    except ModuleNotFoundError:
        found = None
    if found is None:
        pytest.skip(f"{module} does not exist yet")
    return getattr(importlib.import_module(module), attr)  # type: ignore[no-any-return]


def check_reader(name: str, read: Callable[..., Any], text: str) -> None:
    """The property every reader must keep, for any text."""
    from citetool.csljson import to_csl

    try:
        result = read(text, "fuzz.in")
    except CitetoolError as exc:
        STATS[(name, "refused")] += 1
        assert "\n" not in str(exc), f"multi-line error: {str(exc)!r}"
        return
    except Exception as exc:  # the finding: report it with the input
        STATS[(name, f"crash {type(exc).__name__}")] += 1
        raise AssertionError(
            f"{name} reader raised {type(exc).__name__}: {exc} for input {text[:500]!r}"
        ) from exc
    STATS[(name, "read")] += 1
    STATS[(name, "records")] += len(result.records)
    for diagnostic in result.diagnostics:
        assert isinstance(diagnostic, Diagnostic)
        assert "\n" not in diagnostic.format(), f"multi-line diagnostic {diagnostic.format()!r}"
    for record in result.records:
        assert isinstance(record, Record)
        json.dumps(to_csl(record), ensure_ascii=False)


# --- inputs ------------------------------------------------------------------------------

SAMPLES: dict[str, list[str]] = {
    "bibtex": [
        """@string{jour = "Annales Universitatis"}
@article{bielicki2020,
  author = {Bielicki, Pawe{\\l} and {Instytut Solidarno\\'sci}},
  title = {Relacje kazachsko-rosyjskie {DNA} $\\omega$ \\& more},
  journal = jour # { Studia},
  year = 2020, month = jan,
  pages = {51--71}, doi = {10.1234/abc},
  keywords = {Rosja; Kazachstan},
}
""",
        """% a comment
@book{doe2019, author = "Doe, Jane and van Inwagen, Peter and {\\relax Ch}ong, Y.",
  title = "A {G}ood {B}ook", publisher = {Press}, address = {Łódź}, date = {2019-05/2020},
  crossref = {coll}}
@collection{coll, title = {The Collection}, editor = {Smith, J.}, year = 2018}
@comment{ignored @article{x, title={y}} }
@preamble{"\\newcommand{\\noop}[1]{}"}
@online{web, url = {https://example.org/?a=1&b=2}, urldate = {2020-01-01}, langid = {polish}}
""",
    ],
    "ris": [
        """TY  - JOUR
AU  - Bielicki, Paweł
A2  - Editor, Ed
TI  - Relacje kazachsko-rosyjskie
T2  - Annales Universitatis Paedagogicae Cracoviensis
PY  - 2020///
DA  - 2020/05/04/
Y2  - 2021/01/01
SP  - 51
EP  - 71
DO  - 10.1234/abc
KW  - Rosja
KW  - Kazachstan
N2  - Streszczenie.
ER  -
""",
        """1.
TY  - BOOK
AU  - Doe, Jane
TI  - A Book
PB  - Press
CY  - Łódź
SN  - 978-3-16-148410-0
UR  - https://example.org
ER  -

TY  - CHAP
A1  - Smith, John
BT  - Edited Volume
ER  -
""",
    ],
    "csljson": [
        json.dumps([
            {"id": "a", "type": "article-journal", "title": "Relacje",
             "author": [{"family": "Bielicki", "given": "Paweł"}, {"literal": "Instytut"}],
             "issued": {"date-parts": [[2020, 5, 4]]}, "page": "51-71", "DOI": "10.1234/abc",
             "language": "pl", "custom": {"names": {"author": [{"name": "Paweł Bielicki",
                                                                "ORCID": "0000-0002-1825-0097"}]},
                                           "titles": {"en": "Relations"}}},
            {"id": 2, "type": "book", "issued": {"raw": "2019"}, "volume": 3,
             "editor": [{"family": "Doe", "given": "Jane", "non-dropping-particle": "van"}]},
        ], ensure_ascii=False, indent=1),
    ],
    "cslyaml": [
        """---
references:
- id: a
  type: article-journal
  title: Relacje
  author:
  - family: Bielicki
    given: Paweł
  issued: 2020-05-04
  page: 51-71
- id: b
  type: book
  issued:
    date-parts:
    - [2019]
...
""",
    ],
    "landing": [
        """Relacje kazachsko-rosyjskie i ich znaczenie dla bezpieczeństwa na obszarze postradzieckim

  • Author: Paweł Bielicki
  • Institution: Instytut Solidarności i Męstwa im. Witolda Pileckiego w Warszawie
  • Year of publication: 2020
  • Source: Show
  • Pages: 51-71
  • DOI Address: https://doi.org/10.1234/abc
  • PDF: apsp/66/apsp6604.pdf

Przedmiotem mojego zainteresowania jest przedstawienie relacji.

The subject of my interest is to present relations.

Russia Kazakhstan security Rosja Kazachstan bezpieczeństwo
""",
    ],
    "html": [
        """<!DOCTYPE html><html lang="pl"><head><meta charset="utf-8">
<title>Relacje | Journal</title>
<meta name="citation_title" content="Relacje kazachsko-rosyjskie">
<meta name="citation_author" content="Bielicki, Paweł">
<meta name="citation_author_institution" content="Instytut">
<meta name="citation_publication_date" content="2020/05/04">
<meta name="citation_journal_title" content="Annales">
<meta name="citation_firstpage" content="51"><meta name="citation_lastpage" content="71">
<meta name="citation_doi" content="10.1234/abc">
<meta name="DC.creator" content="Bielicki, P."><meta property="og:title" content="Relacje">
<script type="application/ld+json">{"@context": "https://schema.org",
 "@type": "ScholarlyArticle", "name": "Relacje", "author": [{"@type": "Person",
 "name": "Paweł Bielicki"}], "datePublished": "2020"}</script>
</head><body><h1>Relacje</h1></body></html>
""",
    ],
}

# RIS wants "ER  - " with its trailing space (written without it above, for the linter)
SAMPLES["ris"] = [s.replace("ER  -\n", "ER  - \n") for s in SAMPLES["ris"]]

TOKENS: dict[str, list[str]] = {
    "bibtex": ["{", "}", '"', "@", ",", "=", "#", "\\", "%", "@string{x = ", "@comment{",
               "@preamble{", "\n", "{\\'e}", "\\l", "$", "~", "crossref = {", "month = jan",
               "and", " and ", "{{", "}}", "@article{", "@article(", ")", "author = {",
               "date = {2020-13-45}", "year = {", "pages = {--}", "\x00", "\ufeff", "\r"],
    "ris": ["TY  - ", "ER  - ", "AU  - ", "\n", "PY  - ", "DA  - ", "  - ", "\r\n", "SP  - ",
            "EP  - ", "KW  - ", "TY  - XXXX", "ZZ  - ", "PY  - 2020/13/45", "A1  - ", "1.",
            "AU  - ,", "T2  - ", "DO  - ", "\ufeff", "\x00", "  ", "-"],
    "csljson": ["{", "}", "[", "]", ",", ":", '"', "null", "true", "1e999", "-0",
                '"author"', '"issued"', '"date-parts"', "[[", "]]", '{"family": 1}',
                '"id"', '"type"', '"custom"', '"\\ud800"', "\\", "2020", '"page"'],
    "cslyaml": ["- ", ": ", "\n", "  ", "&a ", "*a", "!!python/object:x", "[", "]", "{", "}",
                "---", "...", "date-parts:", "- [2020]", "author: ", "? ", "|", ">", "'", '"',
                "2020-13-45", "~", "!!binary"],
    "landing": ["Author:", "Year of publication:", "  • ", "Pages:", "DOI Address:",
                "Institution:", "\n", "\n\n", "Source:", "PDF:", "51-71", "10.", "https://",
                "Autor:", "Rok wydania:", "Strony:", ":", "•", "\t", "\r\n"],
    "html": ['<meta name="citation_author" content="', '">', "<", ">", "&amp;", "&#x0;",
             "&#xd800;", "<!--", "-->", '<script type="application/ld+json">', "</script>",
             "{", "}", '"@type": "Person"', "<![CDATA[", "]]>", '<meta name="citation_date" '
             'content="2020/13/45">', '<meta property="og:title" content="', "\x00", "<html",
             "</head>", "<!DOCTYPE html [<!ENTITY x 'y'>]>", "&x;"],
}


@st.composite
def mutated(draw: st.DrawFn, fmt: str) -> str:
    """A valid sample with a few random edits."""
    text = draw(st.sampled_from(SAMPLES[fmt]))
    for _ in range(draw(st.integers(1, 6))):
        if not text:
            break
        op = draw(st.sampled_from(["delete", "insert", "duplicate", "replace", "truncate",
                                   "swap-lines", "crlf", "bom", "insert-text"]))
        i = draw(st.integers(0, len(text)))
        j = min(len(text), i + draw(st.integers(0, 40)))
        if op == "delete":
            text = text[:i] + text[j:]
        elif op == "insert":
            text = text[:i] + draw(st.sampled_from(TOKENS[fmt])) + text[i:]
        elif op == "insert-text":
            text = text[:i] + draw(st.text(max_size=10)) + text[i:]
        elif op == "duplicate":
            text = text[:j] + text[i:j] + text[j:]
        elif op == "replace":
            text = text[:i] + draw(st.characters()) + text[i + 1:]
        elif op == "truncate":
            text = text[:i]
        elif op == "swap-lines":
            lines = text.split("\n")
            a = draw(st.integers(0, len(lines) - 1))
            b = draw(st.integers(0, len(lines) - 1))
            lines[a], lines[b] = lines[b], lines[a]
            text = "\n".join(lines)
        elif op == "crlf":
            text = text.replace("\n", "\r\n")
        elif op == "bom":
            text = "\ufeff" + text
    return text


# valid skeletons with wild field values: reach the field mapping (names, dates, pages,
# identifiers, LaTeX) that broken syntax never gets to
VALUE_PIECES = ["2020", "2020-13-45", "2020/05/04/", "0", "-1", "99999999999999999999",
                "10.1234/x", "https://doi.org/", "Doe, Jane", " and ", "others", "51--71",
                "xii-xx", "Spring 2020", "2020-05/2021-06", "circa 1900", "", " ", "\\",
                "1e9", "Bielicki, Paweł", "{\\l}", "\\'e", "$\\omega$", "~", "---", "jan",
                "0000-0002-1825-0097", "978-3-16-148410-0", "1234-567X", ";", ",", "//",
                "{{Instytut}}", "van der", "Jr.", "\\textit{x}", "&", "%", "#", "??", "\t"]
values = st.lists(st.one_of(st.sampled_from(VALUE_PIECES), st.text(max_size=6)),
                  max_size=6).map("".join)

BIB_TYPES = ["article", "book", "inproceedings", "online", "misc", "incollection",
             "phdthesis", "report", "thesis", "unknowntype", "inbook", "proceedings"]
BIB_FIELDS = ["author", "editor", "title", "year", "date", "month", "pages", "doi", "url",
              "journal", "journaltitle", "keywords", "langid", "language", "crossref",
              "urldate", "isbn", "issn", "volume", "number", "abstract", "note", "eprint",
              "type", "origdate", "eventdate", "xdata", "booktitle", "publisher", "address",
              "location", "edition", "series", "chapter", "school", "institution", "orcid",
              "howpublished", "translator", "shorttitle", "titleaddon", "day", "entrysubtype"]
RIS_TYPES = ["JOUR", "BOOK", "CHAP", "CONF", "THES", "ELEC", "GEN", "XXXX", "RPRT", ""]
RIS_TAGS = ["AU", "A1", "A2", "A3", "A4", "TI", "T1", "T2", "T3", "PY", "Y1", "Y2", "DA", "SP",
            "EP", "VL", "IS", "DO", "UR", "SN", "KW", "AB", "N2", "PB", "CY", "ET", "LA", "M3",
            "ID", "L1", "N1", "J2", "JO", "JF", "JA", "C1", "BT", "ST", "OP", "AN", "DB", "ZZ"]
LANDING_LABELS = ["Author", "Authors", "Institution", "Year of publication", "Source", "Pages",
                  "DOI Address", "PDF", "Autor", "Rok wydania", "Strony", "Keywords", "Volume",
                  "Issue", "ISSN", "Journal", "Unknown label"]
HTML_META = ["citation_title", "citation_author", "citation_author_institution",
             "citation_author_orcid", "citation_publication_date", "citation_date",
             "citation_journal_title", "citation_volume", "citation_issue", "citation_firstpage",
             "citation_lastpage", "citation_doi", "citation_isbn", "citation_issn",
             "citation_language", "citation_keywords", "citation_abstract", "citation_pdf_url",
             "DC.title", "DC.creator", "DC.date", "DC.identifier", "prism.doi",
             "prism.publicationDate", "og:title", "citation_conference_title",
             "citation_dissertation_institution", "citation_technical_report_number"]


def _balanced(text: str) -> str:
    depth = 0
    for ch in text:
        depth += (ch == "{") - (ch == "}")
        if depth < 0:
            break
    return text if depth == 0 else text.replace("{", "").replace("}", "")


@st.composite
def skeleton(draw: st.DrawFn, fmt: str) -> str:
    """A syntactically valid document whose field values are wild."""
    if fmt == "bibtex":
        entries = []
        for n in range(draw(st.integers(1, 3))):
            fields = draw(st.lists(st.tuples(st.sampled_from(BIB_FIELDS), values), max_size=8))
            body = "".join(f",\n  {k} = {{{_balanced(v)}}}" for k, v in fields)
            entries.append(f"@{draw(st.sampled_from(BIB_TYPES))}{{key{n}{body}\n}}\n")
        return "\n".join(entries)
    if fmt == "ris":
        records = []
        for _ in range(draw(st.integers(1, 3))):
            tags = draw(st.lists(st.tuples(st.sampled_from(RIS_TAGS), values), max_size=10))
            lines = [f"TY  - {draw(st.sampled_from(RIS_TYPES))}"]
            lines += [f"{t}  - {v.replace(chr(10), ' ')}" for t, v in tags]
            records.append("\n".join(lines) + "\nER  - \n")
        return "\n".join(records)
    if fmt == "landing":
        fields = draw(st.lists(st.tuples(st.sampled_from(LANDING_LABELS), values), max_size=10))
        lines = [draw(values).replace("\n", " ") or "Title", ""]
        lines += [f"  • {label}: {v.replace(chr(10), ' ')}" for label, v in fields]
        return "\n".join(lines) + "\n\n" + draw(values) + "\n"
    if fmt == "html":
        import html

        metas = draw(st.lists(st.tuples(st.sampled_from(HTML_META), values), max_size=10))
        tags = "".join(f'<meta name="{k}" content="{html.escape(v)}">\n' for k, v in metas)
        return f"<!DOCTYPE html><html><head>{tags}</head><body></body></html>\n"
    return draw(st.sampled_from(SAMPLES[fmt]))


def token_soup(fmt: str) -> st.SearchStrategy[str]:
    return st.lists(st.one_of(st.sampled_from(TOKENS[fmt]), st.text(max_size=5)),
                    max_size=60).map("".join)


# well-formed JSON whose values have any type, under the keys CSL readers look at
CSL_KEYS = ["id", "type", "title", "author", "editor", "issued", "accessed", "page", "volume",
            "issue", "DOI", "language", "abstract", "keyword", "custom", "container-title",
            "note", "translated-title", "date-parts", "family", "given", "literal", "raw",
            "season", "circa", "names", "titles", "abstracts", "keywords", "ORCID",
            "affiliation", "name", "non-dropping-particle", "number", "edition", "ISBN"]
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
    | st.text(max_size=8) | st.sampled_from(CSL_KEYS + ["2020", "2020-05", "book"]),
    lambda inner: st.lists(inner, max_size=4)
    | st.lists(st.tuples(st.sampled_from(CSL_KEYS), inner), max_size=5).map(dict),
    max_leaves=12,
)
csl_items = st.lists(st.tuples(st.sampled_from(CSL_KEYS), json_values), max_size=8).map(dict)
csl_documents = st.one_of(st.lists(csl_items, max_size=4), csl_items, json_values)


# --- tests -----------------------------------------------------------------------------

FORMATS = sorted(READERS)


@pytest.mark.parametrize("fmt", FORMATS)
@FUZZ
@given(data=st.data())
def test_reader_survives_arbitrary_text(fmt: str, data: st.DataObject) -> None:
    read = load_reader(fmt)
    check_reader(fmt, read, data.draw(st.text(max_size=400), label="text"))


@pytest.mark.parametrize("fmt", FORMATS)
@FUZZ
@given(data=st.data())
def test_reader_survives_its_own_tokens(fmt: str, data: st.DataObject) -> None:
    read = load_reader(fmt)
    check_reader(fmt, read, data.draw(token_soup(fmt), label="tokens"))


@pytest.mark.parametrize("fmt", FORMATS)
@FUZZ
@given(data=st.data())
def test_reader_survives_mutated_valid_input(fmt: str, data: st.DataObject) -> None:
    read = load_reader(fmt)
    check_reader(fmt, read, data.draw(mutated(fmt), label="mutated"))


@pytest.mark.parametrize("fmt", ["bibtex", "html", "landing", "ris"])
@FUZZ
@given(data=st.data())
def test_reader_survives_wild_field_values(fmt: str, data: st.DataObject) -> None:
    read = load_reader(fmt)
    check_reader(fmt, read, data.draw(skeleton(fmt), label="skeleton"))


@FUZZ_NESTED
@given(document=csl_documents)
def test_csljson_reader_survives_wrong_types(document: Any) -> None:
    read = load_reader("csljson")
    check_reader("csljson", read, json.dumps(document))


@FUZZ_NESTED
@given(document=csl_documents)
def test_cslyaml_reader_survives_wrong_types(document: Any) -> None:
    import yaml

    read = load_reader("cslyaml")
    check_reader("cslyaml", read, yaml.safe_dump(document, allow_unicode=True))


@FUZZ
@given(data=st.binary(max_size=300) | st.text(max_size=200).map(str.encode))
def test_decoding_any_bytes(data: bytes) -> None:
    from citetool.io import decode

    try:
        text, diagnostics = decode(data, "fuzz.in")
    except ReadError as exc:
        assert "\n" not in str(exc)
        return
    assert isinstance(text, str) and "\x00" not in text
    for diagnostic in diagnostics:
        assert "\n" not in diagnostic.format()


def test_samples_are_valid_to_begin_with() -> None:
    """The mutation seeds must read cleanly, or the near-valid fuzzing is not near-valid."""
    for fmt, samples in SAMPLES.items():
        module = READERS[fmt].partition(":")[0]
        if importlib.util.find_spec(module) is None:
            continue
        read = load_reader(fmt)
        for sample in samples:
            result = read(sample, "sample")
            assert result.records, (fmt, result.diagnostics)


WRITERS = ["bibtex", "biblatex", "ris", "csljson", "cslyaml"]


@pytest.mark.parametrize("fmt", ["bibtex", "html", "landing", "ris"])
@FUZZ_NESTED
@given(data=st.data())
def test_whatever_a_reader_returns_every_writer_can_write(fmt: str,
                                                           data: st.DataObject) -> None:
    from citetool.registry import registry

    read = load_reader(fmt)
    text = data.draw(st.one_of(skeleton(fmt), mutated(fmt)), label="input")
    try:
        records = read(text, "fuzz.in").records
    except CitetoolError:
        return
    for name in WRITERS:
        module = (registry.get(name).writer_path or "").partition(":")[0]
        if not module or importlib.util.find_spec(module) is None:
            continue  # that writer is not written yet
        try:
            result = registry.get(name).writer(records)
        except CitetoolError as exc:
            assert "\n" not in str(exc)
            continue
        assert isinstance(result.text, str)
        for diagnostic in result.diagnostics:
            assert "\n" not in diagnostic.format(), diagnostic.format()
