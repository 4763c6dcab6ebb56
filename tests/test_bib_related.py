"""biblatex's ``related`` + ``relatedtype`` (issue 13, build point 3): a reprint or a
translation of another entry of the file gets that entry's title, date, publisher and place as
CSL original-* variables (biblatex manual §3.4; pandoc ignores ``related``). The entries are
biblatex's own examples, ``tests/data/bib/biblatex-examples.bib`` (plk/biblatex, LPPL 1.3c;
see the README there)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from citetool.csl import render
from citetool.model import Record
from citetool.readers.bibtex import read
from citetool.writers.bibtex import write_biblatex, write_bibtex

EXAMPLES = Path(__file__).parent / "data" / "bib" / "biblatex-examples.bib"
ORIGINAL = ("original-title", "original-publisher", "original-publisher-place")


@cache
def examples() -> dict[str, Record]:
    return {r.id: r for r in read(EXAMPLES.read_text(encoding="utf-8"), "x.bib").records}


def originals(record: Record) -> dict[str, object]:
    out: dict[str, object] = {v: record.fields[v] for v in ORIGINAL if v in record.fields}
    if "original-date" in record.dates:
        out["original-date"] = record.dates["original-date"].year
    return out


@pytest.mark.parametrize(("rid", "expected"), [
    # relatedtype = origpubin: the Dover reprint of Wiley's 1959 book (same title: not again)
    ("kullback:related", {"original-date": 1959, "original-publisher": "John Wiley & Sons",
                          "original-publisher-place": "New York"}),
    # reprintfrom: Moore's law reprinted in 1998 from Electronics, 1965
    ("moore:related", {"original-date": 1965}),
    # translationof: the French original, its title kept as typed in an English entry
    ("vizedom:related", {"original-date": 1909,
                         "original-title": '<span class="nocase">Les rites de passage</span>',
                         "original-publisher": "Nourry", "original-publisher-place": "Paris"}),
    # bytranslator and multivolume name no original; a plain related entry neither
    ("vangennep:related", {}),
    ("knuth:ct:related", {}),
    ("doody", {}),
])
def test_the_original_of_a_reprint_or_translation(rid: str, expected: dict[str, object]) -> None:
    record = examples()[rid]
    assert originals(record) == expected
    assert record.extra["related"]  # kept, for the BibLaTeX writer


def test_citations_name_the_original() -> None:
    kullback = render([examples()["kullback:related"]], "apa")[0]
    assert kullback.endswith("(Original work published 1959, John Wiley & Sons)")
    chicago = render([examples()["kullback:related"]], "chicago-author-date")[0]
    assert "(1959) 1997" in chicago and "Reprint, Dover Publications" in chicago


def test_an_own_original_wins_and_an_unknown_related_entry_is_left_alone() -> None:
    text = ("@book{a, title = {A}, date = {1900}, publisher = {P}}\n"
            "@book{b, title = {B}, date = {2000}, origdate = {1899}, related = {a},"
            " relatedtype = {reprintof}}\n"
            "@book{c, title = {C}, date = {2000}, related = {nowhere}, relatedtype = {reprintof}}\n"
            "@book{d, title = {D}, date = {2000}, related = {a,b}, relatedtype = {reprintof}}\n")
    records = {r.id: r for r in read(text, "t.bib").records}
    assert originals(records["b"]) == {"original-date": 1899, "original-title": "A",
                                       "original-publisher": "P"}
    assert originals(records["c"]) == {} and originals(records["d"]) == {}


def test_biblatex_writes_them_back_and_bibtex_reports_the_loss() -> None:
    records = [examples()[k] for k in ("vangennep", "vizedom:related")]
    text = write_biblatex(records).text
    for field in ("related = {vangennep}", "relatedtype = {translationof}", "origdate = {1909}",
                  "origpublisher = {Nourry}", "origlocation = {Paris}"):
        assert field in text
    again = {r.id: r for r in read(text, "t.bib").records}
    assert originals(again["vizedom:related"]) == originals(records[1])
    lost = " ".join(d.message for d in write_bibtex(records).diagnostics)
    assert "original-date" in lost and "original-publisher" in lost
