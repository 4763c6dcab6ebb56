"""A .bib read as pandoc reads it and cited as a pandoc user gets it (issue 13).

The expected values are pandoc 3.9's CSL-JSON of three real ``.bib`` files and citeproc-js's
formatting of that CSL-JSON, each entry alone, in four styles (``tests/golden/
pandoc-citeproc-js/``, see the README there). citetool reads the same files with its own
reader and formats them with its own engine.

* Titles (title, container, series, volume and short titles) must equal pandoc's, letter case
  included, but for the few listed in ``TITLE_DIFFERENCES`` with their reasons.
* Citations: a ratchet. ``known-differences.txt`` lists, with a reason each, the entries whose
  citation differs from citeproc-js's; an entry not listed that differs fails, a listed one
  that now matches must be taken off the list. The identical share must stay >= 90% on
  biblatex-examples and the CDL sample (:data:`FLOOR`).
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from citetool.csljson import to_csl
from citetool.readers.bibtex import read

GOLDEN = Path(__file__).parent / "golden" / "pandoc-citeproc-js"
DATA = Path(__file__).parent / "data" / "bib"
KNOWN = GOLDEN / "known-differences.txt"
FILES = ("biblatex-examples", "cdl-bibliography-sample", "glottolog-zurich-sample")
STYLES = ("apa", "chicago-author-date", "modern-language-association", "ieee")
TITLE_VARS = ("title", "container-title", "collection-title", "volume-title", "title-short",
              "event-title", "original-title")
#: (file, id, variable): why citetool's title differs from pandoc's
TITLE_DIFFERENCES = {
    ("biblatex-examples", "vizedom:related", "original-title"):
        "relatedtype = translationof: citetool takes the related original's title (biblatex's "
        "meaning); pandoc ignores related",
    ("cdl-bibliography-sample", "TurnBrai15", "title"):
        "pandoc makes TeX's `safe' a double-quoted “safe”; citetool keeps the single quotes",
    ("cdl-bibliography-sample", "TurnBrai15", "title-short"): "the same",
    ("glottolog-zurich-sample", "Adegbite1995", "container-title"):
        "@article with a booktitle and no journal: citetool takes the booktitle as container",
    ("glottolog-zurich-sample", "Aghali-Zakara1982", "title-short"):
        "pandoc keeps the space before the colon of 'linguistiques... :'",
}


@cache
def records(name: str) -> dict[str, Any]:
    result = read((DATA / f"{name}.bib").read_text(encoding="utf-8"), f"{name}.bib")
    return {r.id: r for r in result.records}


@cache
def golden(name: str, kind: str) -> Any:
    return json.loads((GOLDEN / f"{name}.{kind}.json").read_text(encoding="utf-8"))


def _plain(value: object) -> object:
    """Markup and quotation-mark shapes aside (pandoc writes <i>, citetool keeps text)."""
    if not isinstance(value, str):
        return value
    value = re.sub(r"</?i>|</?b>|<span[^>]*>|</span>", "", value)
    for a, b in (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"')):
        value = value.replace(a, b)
    return value


@pytest.mark.parametrize("name", FILES)
def test_titles_are_pandocs_letter_case_included(name: str) -> None:
    want = {item["id"]: item for item in golden(name, "pandoc")["items"]}
    got = {rid: to_csl(r, custom=False) for rid, r in records(name).items()}
    compared = kept = 0
    for rid, item in want.items():
        mine = got.get(rid, {})
        for var in TITLE_VARS:
            if var not in item and var not in mine:
                continue
            compared += 1
            if (name, rid, var) in TITLE_DIFFERENCES:
                assert _plain(item.get(var)) != _plain(mine.get(var)), "now equal: unlist it"
                continue
            if _plain(mine.get(var)) != _plain(item.get(var)):
                # a title already in sentence case is kept as typed (Better BibTeX's guess):
                # pandoc lowercases its names ("in hausa"), citetool keeps them ("in Hausa")
                assert _capitals_kept(mine.get(var), item.get(var)), (rid, var)
                kept += 1
    assert compared > 150
    assert kept <= KEPT[name], f"{kept} titles kept as typed, at most {KEPT[name]} expected"


#: titles that differ from pandoc's only by capitals kept (see case.looks_sentence_cased)
KEPT = {"biblatex-examples": 2, "cdl-bibliography-sample": 1, "glottolog-zurich-sample": 90}


def _capitals_kept(mine: object, pandoc: object) -> bool:
    """Every word that differs is a word pandoc lowercased and citetool kept capitalised."""
    if not isinstance(mine, str) or not isinstance(pandoc, str):
        return False
    a, b = str(_plain(mine)).split(), str(_plain(pandoc)).split()
    return len(a) == len(b) and any(x != y for x, y in zip(a, b, strict=True)) and all(
        x == y or (x.lower() == y and x != y) for x, y in zip(a, b, strict=True))


def known() -> dict[str, str]:
    out = {}
    for line in KNOWN.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            key, _, reason = line.partition("#")
            out[" ".join(key.split())] = reason.strip()
    return out


def citation(name: str, style: str, rid: str) -> str:
    from citetool.csl import render

    return render([records(name)[rid]], style)[0]


@cache
def compared(name: str, style: str) -> tuple[int, int, tuple[str, ...], tuple[str, ...]]:
    """(identical, compared, unlisted differences, listed ones now identical)."""
    expected: dict[str, str | None] = golden(name, "citeproc-js")["styles"][style]
    listed = known()
    same = total = 0
    wrong, fixed = [], []
    for rid, want in expected.items():
        if want is None:
            continue
        total += 1
        key = f"{name} {style} {rid}"
        got = citation(name, style, rid) if rid in records(name) else None
        if got == want.strip():
            same += 1
            if key in listed:
                fixed.append(key)
        elif key not in listed:
            wrong.append(f"{key}\n  citeproc-js: {want}\n  citetool:    {got}")
    return same, total, tuple(wrong), tuple(fixed)


@pytest.mark.parametrize("name", FILES)
@pytest.mark.parametrize("style", STYLES)
def test_citations_as_citeproc_js_prints_pandocs_reading(name: str, style: str) -> None:
    same, total, wrong, fixed = compared(name, style)
    assert not wrong, "\n".join(wrong)
    assert not fixed, f"now identical, take off {KNOWN.name}: {fixed}"
    assert same / total >= STYLE_FLOOR[name], f"{same}/{total}"


@pytest.mark.parametrize("name", FILES)
def test_the_identical_share_over_the_four_styles(name: str) -> None:
    # issue 13's measure: entries cited in the four styles, identical for >= 90%
    counts = [compared(name, style)[:2] for style in STYLES]
    same, total = sum(c[0] for c in counts), sum(c[1] for c in counts)
    assert same / total >= FLOOR[name], f"{same}/{total}"


#: the identical share that may not drop: issue 13's 90% on biblatex-examples and the CDL
#: sample, over the four styles; the glottolog sample's titles are mostly in sentence case
#: already, with names that pandoc lowercases ("in hausa") and citetool keeps
#: (known-differences.txt says so)
FLOOR = {"biblatex-examples": 0.90, "cdl-bibliography-sample": 0.90,
         "glottolog-zurich-sample": 0.55}
#: per style: the same, but biblatex-examples' Chicago (88%), where three reprints and
#: translations (related + relatedtype) print their original as Chicago asks and citeproc-js
#: over pandoc's reading, which ignores related, does not; glottolog: APA 58.5%, IEEE 59%
STYLE_FLOOR = {**FLOOR, "biblatex-examples": 0.85}


# --- the rule on small cases (expected values checked by hand against the rule in
# citetool/case.py and, where marked, against pandoc 3.9's reading of the same entry) --------


def _one(bib: str, **options: Any) -> Any:
    [record] = read(bib, "t.bib", **options).records
    return record


WEINBERG = ("@article{w, author={Weinberg, Steven}, title={A Model of Leptons}, "
            "journal={Phys. Rev. Lett.}, year=1967, volume=19, pages={1264--1266}}")


def test_title_case_bib_prints_sentence_case_in_apa() -> None:
    from citetool.csl import render

    # the example; pandoc + citeproc-js print the same (golden: weinberg, apa)
    assert render([_one(WEINBERG)], "apa")[0] == (
        "Weinberg, S. (1967). A model of leptons. Phys. Rev. Lett., 19, 1264–1266.")
    reference = golden("biblatex-examples", "citeproc-js")["styles"]["apa"]["weinberg"]
    assert reference.replace("\u00a0", " ") == (  # the file types Phys.~Rev.~Lett.
        "Weinberg, S. (1967). A model of leptons. Phys. Rev. Lett., 19, 1264–1266.")
    # Chicago and MLA title-case it again
    assert "“A Model of Leptons.”" in render([_one(WEINBERG)], "chicago-author-date")[0]
    assert "“A Model of Leptons.”" in render([_one(WEINBERG)], "modern-language-association")[0]


def test_braced_words_inner_and_all_capitals_keep_their_case() -> None:
    rec = _one("@article{k, title={Relations of {NASA} with {Kazakhstan} and the {iPhone}: "
               "NeuroImage of TCP and {de Gruyter} Books}, journal={J}, year=2000}")
    assert rec.title == ("Relations of NASA with Kazakhstan and the iPhone: NeuroImage of TCP "
                         'and <span class="nocase">de Gruyter</span> books')


def test_a_word_that_math_or_a_subscript_touches_is_a_formula_and_keeps_its_case() -> None:
    # Better BibTeX keeps "Cu₂O" (its fixture "Author splitter failure"); pandoc lowercases
    # "cu$_2$o" and "h<sub>2</sub>o", which no reader means; a word beside braces is not one
    rec = _one(r"@article{k, title={Water as H\textsubscript{2}O and the Growth of Cu$_2$O "
               r"Films in Driven $t$-$J$ Models}, journal={J}, year=2000}")
    assert rec.title == "Water as H₂O and the growth of Cu₂O films in driven t-J models"
    assert _one("@article{k, title={Ph{D} Thesis Fixes}, year=2000}").title == "PhD thesis fixes"
    assert _one("@article{k, title={The Ph{D} Thesis}, year=2000}").title == "The phD thesis"


def test_biblatex_formatting_macros_keep_their_case_as_in_pandoc() -> None:
    # pandoc 3.9 on this entry: "The first <i>alexiad text</i> and … <b>Mk Bold</b> … Mono
    # Word": the case changes inside \emph, not inside \mkbib… or \texttt (Better BibTeX
    # keeps \mkbibemph{Alexiad} too, its fixture #549)
    rec = _one(r"@article{k, title={The First \emph{Alexiad Text} and \mkbibemph{Alexiad} "
               r"and \mkbibbold{Mk Bold} and \texttt{Mono Word}}, year=2000}")
    assert rec.title == "The first alexiad text and Alexiad and Mk Bold and Mono Word"


def test_other_languages_keep_their_capitals() -> None:
    german = "@book{k, title={Elektrische Einrichtung}, langid={german}, year=2000}"
    assert _one(german).title == "Elektrische Einrichtung"
    assert _one(german.replace("langid", "language")).title == "Elektrische Einrichtung"
    english = "@book{k, title={Elektrische Einrichtung}, langid={british}, year=2000}"
    assert _one(english).title == "Elektrische einrichtung"


def test_keep_case_keeps_titles_as_typed() -> None:
    assert _one(WEINBERG, keep_case=True).title == "A Model of Leptons"


def test_bib_to_bib_keeps_what_was_braced() -> None:
    from citetool.writers.bibtex import write_bibtex

    bib = ("@article{k, title = {The {USSR} and {Kazakhstan}: A {NASA} View of the {iPhone}},"
           " journal = {J}, year = {2000}}")
    text = write_bibtex([_one(bib)]).text
    assert "title = {The {USSR} and {Kazakhstan}: A {NASA} View of the {iPhone}}" in text
    assert _one(text).title == _one(bib).title == (
        "The USSR and Kazakhstan: A NASA view of the iPhone")


def test_the_engine_honours_nocase_spans_from_a_bib() -> None:
    from citetool.csl import render

    rec = _one("@book{k, title={Books of {de Gruyter} in the {iPhone} age}, "
               "author={Doe, Jane}, publisher={P}, year=2000}")
    assert rec.title == 'Books of <span class="nocase">de Gruyter</span> in the iPhone age'
    # title case (Chicago) leaves the protected "de" alone; no markup leaks into the text
    assert render([rec], "chicago-author-date")[0] == (
        "Doe, Jane. 2000. Books of de Gruyter in the iPhone Age. P.")
    assert render([rec], "chicago-author-date", output="html")[0] == (
        "Doe, Jane. 2000. <i>Books of de Gruyter in the iPhone Age</i>. P.")


def test_keep_case_on_the_command_line(tmp_path: Path) -> None:
    import subprocess
    import sys

    bib = tmp_path / "w.bib"
    bib.write_text(WEINBERG, encoding="utf-8")
    for extra in ([], ["--keep-case"]):
        for env in ({}, {"CITETOOL_NO_FASTPATH": "1"}):  # the fast path and Typer
            import os

            run = subprocess.run([sys.executable, "-m", "citetool", "cite", str(bib), *extra],
                                 capture_output=True, text=True, env={**os.environ, **env},
                                 timeout=60)
            assert run.returncode == 0, run.stderr
            title = "A Model of Leptons" if extra else "A model of leptons"
            assert f"(1967). {title}. Phys. Rev. Lett." in run.stdout


def test_a_braced_symbol_is_a_special_character_not_case_protection() -> None:
    """BibTeX's ``{\\alpha}`` (as the ASCII writer writes α) is a special character, as
    ``{\\'e}`` is: no protection, so the title's case rule sees one word "Aαaa" (found by the
    round-trip property test: .bib -> record -> .bib was not stable)."""
    from citetool.writers.bibtex import write_biblatex

    bib = "@article{k, title={{R\\&D} A\\_b Au A{\\alpha}aa}, journal={J}, year=2000}"
    assert _one(bib).title == "R&D A_b au aαaa"
    again = write_biblatex([_one(bib)], ascii=True).text
    assert _one(again).title == _one(bib).title
