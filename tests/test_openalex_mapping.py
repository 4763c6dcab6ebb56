"""OpenAlex works → records (citetool.mapping.openalex), on recorded real works.

tests/fixtures/openalex holds OpenAlex's own answers (see the README there). For the
``zotero-N`` inputs, Zotero's translator tests give the expected items
(``zotero-N.zotero-expected.json``): an independent reading, compared field by field.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from citetool.mapping.openalex import (
    OPENALEX_TYPES,
    from_openalex,
    rebuild_abstract,
    split_display_name,
)
from citetool.model import CSL_TYPES, Name, Record

FIXTURES = Path(__file__).parent / "fixtures" / "openalex"

#: Zotero item types → the CSL types citeproc-js/Zotero export them as.
ZOTERO_CSL = {
    "journalArticle": "article-journal",
    "bookSection": "chapter",
    "book": "book",
    "thesis": "thesis",
    "conferencePaper": "paper-conference",
    "preprint": "article",
}


def works(name: str) -> list[dict[str, Any]]:
    data = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    return data["results"] if "results" in data else [data]


def record(name: str, index: int = 0) -> Record:
    return from_openalex(works(name)[index])


def zotero_cases() -> list[tuple[str, int, dict[str, Any]]]:
    cases = []
    for path in sorted(FIXTURES.glob("zotero-*.zotero-expected.json")):
        name = path.name.split(".")[0]
        for index, item in enumerate(json.loads(path.read_text(encoding="utf-8"))):
            cases.append((name, index, item))
    return cases


@pytest.mark.parametrize(("name", "index", "item"), zotero_cases(), ids=lambda v: str(v)[:12])
def test_agrees_with_zotero(name: str, index: int, item: dict[str, Any]) -> None:
    rec = record(name, index)
    assert rec.type == ZOTERO_CSL[item["itemType"]]
    assert rec.title.lower() == item["title"].lower()  # Zotero re-cases ALL-CAPS titles
    if item["creators"]:
        first = item["creators"][0]
        assert rec.author[0].family == first["lastName"]
        assert rec.author[0].given.replace(".", ". ").split() == first["firstName"].split()
    else:
        assert not rec.author
    date = item["date"]
    assert rec.issued is not None
    expected = date[:4] if date.endswith("-01-01") else date  # padded year, see the module
    assert rec.issued.iso() == expected
    container = item.get("publicationTitle") or item.get("proceedingsTitle")
    if container:
        assert rec.fields.get("container-title") == container
    for ours, theirs in (("volume", "volume"), ("issue", "issue"), ("page", "pages")):
        assert rec.fields.get(ours) == item.get(theirs), ours
    if "DOI" in item:
        assert rec.fields.get("DOI") == item["DOI"]
    assert rec.extra["openalex"] in item["extra"]


def test_every_recorded_work_maps() -> None:
    for path in sorted(FIXTURES.glob("*.json")):
        if "expected" in path.name:
            continue
        for work in works(path.stem):
            rec = from_openalex(work)
            assert rec.type in CSL_TYPES
            assert rec.id


def test_type_table() -> None:
    assert all(t in CSL_TYPES for t in OPENALEX_TYPES.values())
    assert OPENALEX_TYPES["conference-paper"] == "paper-conference"
    assert OPENALEX_TYPES["preprint"] == "article"
    assert OPENALEX_TYPES["dissertation"] == "thesis"


def test_source_host_and_repository() -> None:
    chapter = record("book-chapter-W2800740883")  # a chapter in a book series
    assert chapter.fields["collection-title"] == "SpringerBriefs in Medical Earth Sciences"
    assert chapter.fields["publisher"] == "Springer International Publishing"
    preprint = record("preprint-W2581393460")  # a repository is the preprint's publisher
    assert preprint.fields["publisher"] == "bioRxiv (Cold Spring Harbor Laboratory)"
    assert preprint.extra["host-organization"] == "Cold Spring Harbor Laboratory"
    article = record("article-W1982728624")
    assert article.fields["publisher"] == "Public Library of Science"
    assert article.fields["ISSN"] == "1932-6203"


def test_names() -> None:
    rec = record("book-chapter-W930857754")
    assert (rec.author[0].family, rec.author[0].given) == ("Diercks", "Ron L.")
    assert rec.author[0].orcid == "0000-0001-9873-208X"
    assert rec.extra["raw-author-names"][:2] == ["Ronald L. Diercks", "Tom Clement Ludvigsen"]
    japanese = record("article-W4230972471").author[0]
    assert (japanese.family, japanese.given) == ("宮地", "元彦")
    russian = record("list-sample-5", 0).author[0]
    assert (russian.family, russian.given) == ("Беспалов", "Дмитрий Николаевич")
    assert split_display_name("University of Gothenburg") == Name(
        literal="University of Gothenburg"
    )
    assert split_display_name("Mihai G Netea (15649)") == Name(family="Netea", given="Mihai G")


def test_organisation_author_recorded() -> None:
    rec = record("list-sample-1")  # a DiSSCo specimen record: the university is the author
    assert rec.type == "dataset"
    assert rec.author[0] == Name(literal="University of Gothenburg")


def test_abstract_rebuilt() -> None:
    assert rebuild_abstract({"world": [1], "Hello": [0], "again": [3], "hello": [2]}) == (
        "Hello world hello again"
    )
    assert rebuild_abstract(None) == ""
    rec = record("article-W1982728624")
    assert rec.abstract.startswith("Triosephosphate isomerase (TPI) deficiency")


def test_not_a_work() -> None:
    with pytest.raises(ValueError):
        from_openalex({"meta": {}})


def test_repository_document_and_unicode_hyphen() -> None:
    figure = record("other-W6885490810")  # a figure held by Figshare
    assert figure.type == "document"
    assert figure.fields["publisher"] == "Figshare"
    assert "container-title" not in figure.fields
    chapter = record("book-chapter-W2476684680")
    assert chapter.author[0].given == "Charles-Edmond"  # OpenAlex writes U+2010


def test_east_asian_name_orders() -> None:
    # OpenAlex writes Japanese names in both orders (both recorded in the fixtures)
    assert split_display_name("宮地 元彦") == Name(family="宮地", given="元彦")
    assert split_display_name("啓子 上田") == Name(family="上田", given="啓子")
    assert split_display_name("金子 太郎") == Name(family="金子", given="太郎")  # both end so
    assert split_display_name("杨晓云") == Name(family="杨晓云")
    assert split_display_name("Светлана Карповна Рукавишникова") == Name(
        family="Рукавишникова", given="Светлана Карповна"
    )


def test_openalex_title_markup() -> None:
    lines = (FIXTURES / "commonmeta-history-selected.jsonl").read_text("utf-8").splitlines()
    work = json.loads(lines[5])
    assert work["title"].startswith("<i>FANWU LIUXING</i> 凡物流形")
    assert from_openalex(work).title.startswith("<i>FANWU LIUXING</i> 凡物流形 (“ALL THINGS")
    assert from_openalex(work, rich=False).title.startswith("FANWU LIUXING 凡物流形")
