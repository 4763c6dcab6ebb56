"""BibTeX/BibLaTeX reader: values, names, types, inheritance, broken entries, real files."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from citetool.errors import Level, ReadError
from citetool.model import Date, Name
from citetool.readers.bibtex import parse_bibtex_name, parse_names, read

DATA = Path(__file__).parent / "data" / "bib"


def one(text: str):  # type: ignore[no-untyped-def]
    result = read(text, "t.bib")
    assert len(result.records) == 1, result.diagnostics
    return result.records[0]


# --- values ------------------------------------------------------------------------------


def test_string_macros_concatenation_and_months() -> None:
    rec = one(
        '@string{jomch = {J.~Organomet. Chem.}}\n'
        '@STRING{pre = "Proc. of the "}\n'
        '@string{conf = pre # {Conference}}\n'
        "@inproceedings{k, title = {T}, booktitle = conf # { on } # \"Things\", "
        "journal = JOMCH, year = 2001, month = mar}\n"
    )
    assert rec.fields["container-title"] == "Proc. of the conference on things"  # sentence case
    assert rec.dates["issued"] == Date.of(2001, 3)


def test_a_string_defined_twice_keeps_the_first_value_with_a_warning() -> None:
    # found by test_fuzz: a second @string of the same name crashed the reader
    result = read('@string{a = "First"}\n@string{a = "Second"}\n'
                  "@article{k, title = a, author = {Doe, J}, year = 2000}\n")
    assert [r.fields["title"] for r in result.records] == ["First"]
    assert any("defined twice" in d.message and d.level is Level.WARNING
               for d in result.diagnostics)


@pytest.mark.parametrize(
    ("month", "expected"),
    [("jan", 1), ("{jan}", 1), ('"February"', 2), ("{3}", 3), ("dec", 12), ("{Sept.}", 9)],
)
def test_month_forms(month: str, expected: int) -> None:  # bibtexparser#263, #280
    rec = one(f"@article{{k, year = 2020, month = {month}}}")
    assert rec.dates["issued"] == Date.of(2020, expected)


def test_biblatex_date_wins_and_ranges_parse() -> None:
    rec = one("@article{k, date = {2020-05/2021-06}, urldate = {2021-01-02}}")
    assert rec.dates["issued"].parts == ((2020, 5), (2021, 6))
    assert rec.dates["accessed"] == Date.of(2021, 1, 2)


def test_undefined_macro_is_a_warning_with_its_line() -> None:
    result = read("@article{k,\n  journal = nosuchmacro,\n}\n", "t.bib")
    assert result.records[0].fields["container-title"] == "nosuchmacro"
    [diag] = result.diagnostics
    assert diag.level == Level.WARNING and diag.line == 2 and "nosuchmacro" in diag.message


def test_comments_and_preamble_are_ignored_safely() -> None:
    result = read(
        "% a comment line, outside any entry\n"
        "@comment{ @article{hidden, title = {x}} }\n"
        '@preamble{ "\\newcommand{\\noopsort}[1]{}" }\n'
        "@article{real, title = {Yes}}\n",
        "t.bib",
    )
    assert [r.id for r in result.records] == ["real"]
    [info] = result.diagnostics  # what records cannot carry is said, not dropped silently
    assert info.level == Level.INFO
    assert "1 @preamble block and 1 @comment block" in info.message


def test_latex_in_values() -> None:
    rec = one(
        r"@article{k, title = {{\L}{\'o}d{\'z} \& {DNA}: $\omega$-limits}, pages = {51--71},"
        r" publisher = {Wydawnictwo Adam Marsza{\l}ek}}"
    )
    assert rec.title == "Łódź & DNA: ω-limits"  # simple math decoded, as BBT does
    assert rec.fields["page"] == "51–71"
    assert rec.fields["publisher"] == "Wydawnictwo Adam Marszałek"


# --- names ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("van der Berg, Jan", Name(family="Berg", given="Jan", non_dropping_particle="van der")),
        ("Jan van der Berg", Name(family="Berg", given="Jan", non_dropping_particle="van der")),
        ("{World Health Organization}", Name(literal="World Health Organization")),
        ("{{Indiana University}}", Name(literal="Indiana University")),  # citeproc-el#72
        ("Smith, Jr., John", Name(family="Smith", given="John", suffix="Jr.")),
        ("{de Geus}, Tom", Name(family="de Geus", given="Tom")),
        (r"Vign{\'e}, M.", Name(family="Vigné", given="M.")),
        ("Peter van Inwagen", Name(family="Inwagen", given="Peter",
                                   non_dropping_particle="van")),  # pandoc#9827
        ("Aristotle", Name(family="Aristotle")),
        ("García Márquez, Gabriel", Name(family="García Márquez", given="Gabriel")),
        ("García Márquez,", Name(family="García Márquez")),
        (r"{\L}ukasiewicz, Jan", Name(family="Łukasiewicz", given="Jan")),
        (r"Jan {\L}ukasiewicz", Name(family="Łukasiewicz", given="Jan")),
        ("Ludwig von Beethoven", Name(family="Beethoven", given="Ludwig",
                                      non_dropping_particle="von")),
        ("Bielicki, Paweł", Name(family="Bielicki", given="Paweł")),
        ("others", Name(literal="others")),
        (r"A N\'{u}\~{n}ez", Name(family="Núñez", given="A")),  # \~ is an accent, not a tie
        ("Jean~Paul Sartre", Name(family="Sartre", given="Jean Paul")),
    ],
)
def test_bibtex_names(raw: str, name: Name) -> None:
    assert parse_bibtex_name(raw) == name


def test_name_list_splits_on_and_outside_braces_only() -> None:
    names = parse_names("{Barnes and Noble} and Doe, Jane AND Roe, R. and others")
    assert names == (
        Name(literal="Barnes and Noble"),
        Name(family="Doe", given="Jane"),
        Name(family="Roe", given="R."),
        Name(literal="others"),
    )


# --- types and fields -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("entry", "csl_type", "genre"),
    [
        ("article", "article-journal", None),
        ("book", "book", None),
        ("inbook", "chapter", None),
        ("incollection", "chapter", None),
        ("inproceedings", "paper-conference", None),
        ("conference", "paper-conference", None),
        ("phdthesis", "thesis", "PhD thesis"),
        ("mastersthesis", "thesis", "Master's thesis"),
        ("thesis", "thesis", None),
        ("techreport", "report", None),
        ("report", "report", None),
        ("online", "webpage", None),
        ("www", "webpage", None),
        ("misc", "document", None),
        ("manual", "book", None),
        ("unpublished", "manuscript", None),
        ("booklet", "pamphlet", None),
        ("proceedings", "book", None),
        ("collection", "book", None),
        ("patent", "patent", None),
        ("dataset", "dataset", None),
        ("software", "software", None),
    ],
)
def test_entry_types(entry: str, csl_type: str, genre: str | None) -> None:
    rec = one(f"@{entry}{{k, title = {{T}}}}")
    assert rec.type == csl_type
    assert rec.fields.get("genre") == genre


def test_thesis_type_field_is_the_genre() -> None:
    rec = one("@phdthesis{k, title = {T}, school = {UW}, type = {Doctoral dissertation}}")
    assert rec.fields["genre"] == "Doctoral dissertation"
    assert rec.fields["publisher"] == "UW"
    assert one("@thesis{k, type = {mathesis}}").fields["genre"] == "Master's thesis"


def test_biblatex_fields() -> None:
    rec = one(
        "@article{k, journaltitle = {Athenaeum}, langid = {polish}, number = {4},"
        " location = {Toruń and Warszawa}, eprint = {2101.00001}, eprinttype = {arxiv},"
        " doi = {10.15804/athena.2020.66.04}, issn = {1505-2192},"
        " keywords = {Rosja, bezpieczeństwo; Kazachstan}, abstract = {Streszczenie},"
        " series = {Seria}, edition = {2},"
        " note = {Uwaga}, isbn = {978-3-16-148410-0}}"
    )
    assert rec.fields["container-title"] == "Athenaeum"
    assert rec.language == "pl"  # citation-js#197: langid -> language
    assert rec.fields["issue"] == "4"  # number is the issue of an article
    assert rec.fields["publisher-place"] == "Toruń; Warszawa"
    assert rec.fields["URL"] == "https://arxiv.org/abs/2101.00001"
    assert rec.fields["DOI"] == "10.15804/athena.2020.66.04"
    assert rec.fields["ISSN"] == "1505-2192"
    assert rec.fields["ISBN"] == "978-3-16-148410-0"
    assert rec.keywords == {"": ("Rosja", "bezpieczeństwo", "Kazachstan")}
    assert rec.abstracts == {"pl": "Streszczenie"}
    assert rec.fields["collection-title"] == "Seria"
    assert rec.fields["edition"] == "2"
    assert rec.fields["note"] == "Uwaga"
    assert rec.extra["eprint"] == "2101.00001" and rec.extra["eprinttype"] == "arxiv"


@pytest.mark.parametrize(
    ("langid", "code"),
    [("polish", "pl"), ("english", "en"), ("american", "en-US"), ("british", "en-GB"),
     ("ngerman", "de"), ("german", "de"), ("french", "fr"), ("russian", "ru"), ("pl", "pl")],
)
def test_babel_language_names(langid: str, code: str) -> None:
    assert one(f"@book{{k, langid = {{{langid}}}}}").language == code


def test_langidopts_variant() -> None:
    rec = one("@book{k, langid = {english}, langidopts = {variant=british}}")
    assert rec.language == "en-GB"


def test_number_is_number_for_reports_and_series_number_for_books() -> None:
    assert one("@techreport{k, number = {TR-7}}").fields["number"] == "TR-7"
    assert one("@book{k, series = {S}, number = {7}}").fields["collection-number"] == "7"


def test_school_institution_organization_howpublished_are_kept() -> None:  # citation.js#168
    rec = one("@inproceedings{k, publisher = {ACM}, organization = {SIGGRAPH}}")
    assert rec.fields["publisher"] == "ACM"
    assert rec.extra["organization"] == "SIGGRAPH"
    rec = one("@techreport{k, institution = {MIT}}")
    assert rec.fields["publisher"] == "MIT"
    rec = one("@misc{k, howpublished = {\\url{https://x.org/a_b}}}")
    assert rec.fields["URL"] == "https://x.org/a_b"
    rec = one("@misc{k, howpublished = {Leaflet}}")
    assert rec.fields["publisher"] == "Leaflet"


def test_publisher_lists_only_in_biblatex_entries() -> None:
    assert one("@book{k, publisher = {Wiley and Sons}}").fields["publisher"] == "Wiley and Sons"
    rec = one("@book{k, date = {2001}, publisher = {Dtv and {de Gruyter}}}")
    assert rec.fields["publisher"] == "Dtv; de Gruyter"


def test_unknown_fields_are_kept_under_their_own_name() -> None:
    rec = one(
        "@article{k, Bdsk-Url-2 = {http://x.org/a--b}, mrnumber = {MR123},"
        " File = {paper~1.pdf}, timestamp = {2020-01-01}}"
    )
    assert rec.extra["bdsk-url-2"] == "http://x.org/a--b"  # verbatim, not an en dash
    assert rec.extra["file"] == "paper~1.pdf"
    assert rec.extra["mrnumber"] == "MR123"


def test_fields_other_tools_write_are_read_as_better_bibtex_reads_them() -> None:
    # BibDesk's first link is the URL when there is no url (Better BibTeX's fixture #2378)
    rec = one("@article{k, bdsk-url-1 = {http://dx.doi.org/10.1/x}, bdsk-url-2 = {http://y}}")
    assert rec.fields["URL"] == "http://dx.doi.org/10.1/x"
    assert rec.extra["bdsk-url-2"] == "http://y"
    assert one("@article{k, url = {http://a}, bdsk-url-1 = {http://b}}").fields["URL"] == \
        "http://a"
    # \href{url}{the same url typeset} in howpublished is the URL (fixture #2504)
    rec = one(r"@misc{k, howpublished = {\href {https://x.org/~a/b} {\texttt{https://x.org/}"
              r"\discretionary {}{}{}\texttt{\texttt{\symbol{126}}a/}\texttt{b}}}}")
    assert rec.fields["URL"] == "https://x.org/~a/b"
    assert "publisher" not in rec.fields
    # a link with a label of its own is no bare URL: the label stays the publisher
    assert one(r"@misc{k, howpublished = {\href{https://x.org}{X Press}}}").fields[
        "publisher"] == "X Press"
    # the director: biblatex's editortype, or the director field BibDesk writes (as pandoc)
    rec = one("@movie{k, editor = {Forman, Milos}, editortype = {director}}")
    assert [n.family for n in rec.names["director"]] == ["Forman"]
    assert "editor" not in rec.names and "editortype" not in rec.extra
    assert one("@movie{k, director = {Sebastian Marka}}").names["director"][0].family == "Marka"
    assert one("@misc{k, collaborator = {Barget, Monika}}").names["contributor"][0].given == \
        "Monika"
    assert one("@webpage{k, title = {T}}").type == "webpage"
    # ACM: address is the publisher's place, location the conference's (fixture "Import
    # location to event-place for conference papers"); biblatex's location alone is the place
    rec = one("@inproceedings{k, location = {Calgary}, address = {New York}, booktitle = {P}}")
    assert (rec.fields["publisher-place"], rec.fields["event-place"]) == ("New York", "Calgary")
    rec = one("@inproceedings{k, location = {Calgary}, booktitle = {P}}")
    assert rec.fields["publisher-place"] == "Calgary" and "event-place" not in rec.fields
    # MDPI's article number (fixture #2551)
    rec = one("@article{k, number = {13}, article-number = {2114}}")
    assert (rec.fields["issue"], rec.fields["number"]) == ("13", "2114")
    # Better BibTeX's TV broadcast (fixture #2494); a film stays a film
    rec = one("@video{k, entrysubtype = {tvbroadcast}, title = {T}}")
    assert rec.type == "broadcast" and "entrysubtype" not in rec.extra
    assert one("@video{k, entrysubtype = {film}, title = {T}}").type == "motion_picture"


@pytest.mark.parametrize(("edition", "number"), [
    ("1st", "1"), ("2nd", "2"), ("3rd", "3"), ("21st", "21"), ("Second", "2"), ("tenth", "10"),
    ("2", "2"), ("2nd, revised", "2nd, revised"), ("2. Aufl.", "2. Aufl."),
])
def test_an_ordinal_edition_is_read_as_its_number(edition: str, number: str) -> None:
    # biblatex manual §2.2.2: edition is an integer, the style prints the language's ordinal;
    # Zotero + Better BibTeX import "1st" as 1 (fixture Better BibTeX.004)
    assert one(f"@book{{k, edition = {{{edition}}}}}").fields["edition"] == number


def test_subtitle_joins_the_title() -> None:
    rec = one("@book{k, title = {Main}, subtitle = {A Sub}}")
    assert rec.title == "Main: A sub"  # each part in sentence case, as pandoc joins them
    assert one("@book{k, title = {Why?}, subtitle = {Because}}").title == "Why? Because"


# --- inheritance ------------------------------------------------------------------------------


def test_crossref_biblatex_semantics() -> None:  # citation-js#115, BBT#2373
    result = read(
        "@incollection{child, author = {A, B}, title = {Chapter}, crossref = {parent},"
        " pages = {1--2}}\n"
        "@collection{parent, editor = {E, F}, title = {The Book}, publisher = {P},"
        " date = {1999}, shorttitle = {Book}}\n",
        "t.bib",
    )
    child = result.records[0]
    assert child.title == "Chapter"
    assert child.fields["container-title"] == "The book"  # parent title -> booktitle
    assert child.fields["publisher"] == "P"
    assert child.names["editor"] == (Name(family="E", given="F"),)
    assert child.dates["issued"] == Date.of(1999)
    assert "title-short" not in child.fields
    assert len(result.records) == 2


def test_crossref_child_fields_win_and_missing_parent_warns() -> None:
    result = read(
        "@inproceedings{c, crossref = {p}, year = {2001}}\n@proceedings{p, year = {1999},"
        " title = {Proc}}\n@inproceedings{d, crossref = {nowhere}}\n",
        "t.bib",
    )
    assert result.records[0].dates["issued"] == Date.of(2001)
    assert result.records[0].fields["container-title"] == "Proc"
    assert any("nowhere" in d.message and d.line == 3 for d in result.diagnostics)


def test_xdata_is_merged_and_not_a_record() -> None:
    result = read(
        "@xdata{pub, publisher = {Pub}, location = {City}}\n"
        "@book{b, title = {T}, xdata = {pub}}\n",
        "t.bib",
    )
    [book] = result.records
    assert book.fields["publisher"] == "Pub"
    assert book.fields["publisher-place"] == "City"


# --- broken input -----------------------------------------------------------------------------


def test_broken_entry_reported_with_line_others_kept() -> None:
    text = (
        "@article{good1, title = {One}}\n"
        "\n"
        "@article{bad, title = {unbalanced, year = 2000}\n"
        "\n"
        "@article{good2, title = {Two}}\n"
    )
    result = read(text, "refs.bib")
    assert [r.id for r in result.records] == ["good1", "good2"]
    [diag] = result.diagnostics
    assert diag.level == Level.ERROR and diag.line == 3
    assert diag.format().startswith("refs.bib:3: error: cannot read @article{bad}")


def test_duplicate_field_keeps_the_first_with_a_warning() -> None:
    result = read("@article{k,\n title = {First},\n title = {Second}}\n", "t.bib")
    assert result.records[0].title == "First"
    assert result.diagnostics[0].level == Level.WARNING
    assert "duplicate field title" in result.diagnostics[0].message


def test_duplicate_keys_and_missing_keys_are_read_with_warnings() -> None:
    result = read(
        "@article{a, title={One}}\n@article{a, title={Two}}\n@article{, title={No key}}\n",
        "t.bib",
    )
    assert [(r.id, r.title) for r in result.records] == [
        ("a", "One"), ("a-2", "Two"), ("line3", "No key")]
    assert result.records[1].fields["citation-key"] == "a"  # the writer suffixes a/b
    assert "citation-key" not in result.records[2].fields  # the writer makes one
    assert [(d.level, d.line) for d in result.diagnostics] == [
        (Level.WARNING, 2), (Level.WARNING, 3)]


def test_empty_input_is_an_error() -> None:
    with pytest.raises(ReadError):
        read("   \n", "t.bib")


# --- real files -------------------------------------------------------------------------------


def test_biblatex_examples_every_entry_read_or_reported() -> None:
    text = (DATA / "biblatex-examples.bib").read_text(encoding="utf-8")
    result = read(text, "biblatex-examples.bib")
    import re

    entries = re.findall(r"^@(\w+)\{([^,\n]+),", text, re.M)
    keys = {key for kind, key in entries if kind.lower() != "string"}
    read_keys = {r.id for r in result.records}
    reported = {key for key in keys - read_keys
                if any(key in d.message and d.line for d in result.diagnostics)}
    assert keys == read_keys | reported
    assert len(read_keys) == 90 and reported == {"set", "stdmodel"}
    # spot checks of values pandoc gives too
    by_id = {r.id: r for r in result.records}
    assert by_id["aksin"].names["author"][0] == Name(family="Aksın", given="Özge")
    assert by_id["aksin"].fields["container-title"] == "J.\u00a0Organomet. Chem."
    assert by_id["westfahl:space"].fields["container-title"] == (
        "Space and beyond: The frontier theme in science fiction"
    )
    assert by_id["westfahl:space"].fields["publisher-place"] == "Westport, Conn.; London"
    assert by_id["angenendt"].language == "de"
    assert by_id["kastenholz"].title.startswith("Computation of methodology-independent")


@pytest.mark.parametrize("name", ["cdl-bibliography-sample.bib", "glottolog-zurich-sample.bib"])
def test_real_samples_read_cleanly(name: str) -> None:
    text = (DATA / name).read_text(encoding="utf-8")
    result = read(text, name)
    assert len(result.records) == text.count("\n@") + (1 if text.startswith("@") else 0)
    assert not [d for d in result.diagnostics if d.level >= Level.WARNING]
    for record in result.records:
        for value in record.fields.values():
            assert "\\" not in str(value) or "$" in str(value), (record.id, value)


_BIBISH = st.lists(
    st.sampled_from(list('@{}()",=#%~\\ \n\tabcAB12') + ["@article{", " and ", "@string{",
                                                           "title", "jan", "crossref"]),
    max_size=60,
).map("".join)


@given(_BIBISH)
def test_any_input_reads_or_fails_cleanly(text: str) -> None:
    try:
        result = read(text, "fuzz.bib")
    except ReadError:
        return
    for record in result.records:
        assert isinstance(record.id, str)


@pytest.mark.parametrize("month", ["13", "0", "{-1}", "{13}"])
def test_a_month_outside_1_to_12_is_a_warning_and_no_month(month: str) -> None:
    result = read(f"@article{{k, title={{T}}, year=2020, month={month}, day=5}}", "t.bib")
    [record] = result.records
    assert record.dates["issued"].parts == ((2020,),)
    [warning] = result.diagnostics
    assert "is not 1-12" in warning.message and warning.line == 1


def test_an_entry_without_a_key_or_with_an_empty_field_is_read_with_a_warning() -> None:
    # BibTeX and pandoc refuse both; Zotero + Better BibTeX read them (BBT's fixtures
    # "Endnote should parse" and #2377), and so do we, saying what was wrong
    text = ("\n@article{\n author = {Huang, Y.},\n title = {Alzheimer, see @x},\n"
            " year = {2012}\n}\n@techreport{TBD,  title = {Report},  , number = {2PTE3}}\n")
    result = read(text, "t.bib")
    first, second = result.records
    assert (first.id, first.title, first.issued.year) == ("line2", "Alzheimer, see @x", 2012)
    assert "citation-key" not in first.fields
    assert (second.id, second.fields["number"]) == ("TBD", "2PTE3")
    messages = [(d.line, d.message) for d in result.diagnostics]
    assert (2, "@article entry without a key; read as 'line2'") in messages
    assert (7, "@techreport{TBD}: an empty field; read as if it were not there") in messages
    assert not [d for d in result.diagnostics if d.level >= Level.ERROR]
    # many of them: read in linear time (each repair scans its own entry only)
    many = "".join(f"@misc{{k{i}, title = {{x}},  , note = {{y}}}}\n" for i in range(3000))
    assert len(read(many + "@article{\n author = {A, B}}\n" * 3000, "t.bib").records) == 6000
    # and 5,000 entries with one key are numbered in linear time too
    same = read("@misc{a, title = {x}}\n" * 5000, "t.bib").records
    assert [r.id for r in same[:3]] == ["a", "a-2", "a-3"] and same[-1].id == "a-5000"
    # what is broken otherwise is still refused, with its line
    bad = read("@misc{a, title = {x},  , note = {never closed}\n", "t.bib")
    assert not bad.records and "entry skipped" in bad.diagnostics[0].message
