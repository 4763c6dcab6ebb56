"""Output backends: each format is one backend class over the output tree; each escapes its
specials and keeps the style's formatting."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from citetool.csl import render, render_document, render_trees
from citetool.csl.engine import richtext
from citetool.csl.output import (
    BACKENDS,
    flatten,
    get_backend,
    latex_escape,
    markdown_escape,
    rtf_escape,
)
from citetool.csl.tree import Display, Format, NoCase, Quote, Root, SupChars, Text, build
from citetool.csljson import from_csl
from citetool.errors import FormatError

GOLDEN = Path(__file__).resolve().parent / "golden" / "citeproc-js"
SEED = {
    "id": "bielicki2020", "type": "article-journal",
    "title": "Relacje kazachsko-rosyjskie i ich znaczenie dla bezpieczeństwa na obszarze "
             "postradzieckim",
    "author": [{"family": "Bielicki", "given": "Paweł"}], "issued": {"date-parts": [[2020]]},
    "container-title": "Athenaeum. Polskie Studia Politologiczne", "volume": "66",
    "page": "51-71", "language": "pl",
}
SPECIALS = {"id": "doe2019", "type": "book", "title": "R&D <spending> at 100% of $5 #1_a {b} ~c^d",
            "author": [{"family": "Doe", "given": "Jane"}], "issued": {"date-parts": [[2019]]},
            "publisher": "Smith & Sons"}


def seed() -> list:
    return [from_csl(SEED)]


def test_text_is_plain() -> None:
    entry = render(seed(), "apa", output="text")[0]
    assert entry.startswith("Bielicki, P. (2020). Relacje")
    assert "<" not in entry and "*" not in entry


def test_html_italicises_the_journal_and_matches_citeproc_js_markup() -> None:
    entry = render(seed(), "apa", output="html")[0]
    assert "<i>Athenaeum. Polskie Studia Politologiczne</i>, <i>66</i>, 51–71." in entry
    doc = render_document(seed(), "apa", output="html")
    assert doc.startswith('<div class="csl-bib-body">\n  <div class="csl-entry">')


def test_html_escapes_the_data() -> None:
    entry = render([from_csl(SPECIALS)], "apa", output="html")[0]
    assert "R&#38;D &#60;spending&#62;" in entry
    assert "Smith &#38; Sons" in entry
    assert "<spending>" not in entry


def test_markdown_italics_bold_and_escapes() -> None:
    entry = render(seed(), "apa", output="markdown")[0]
    assert "*Athenaeum. Polskie Studia Politologiczne*, *66*, 51–71." in entry
    nature = render(seed(), "nature", output="markdown")[0]
    assert "**66**" in nature
    special = render([from_csl(SPECIALS)], "apa", output="markdown")[0]
    assert r"R&D \<spending\> at 100% of $5 #1\_a" in special


def test_markdown_keeps_a_leading_number_literal() -> None:
    entry = render(seed(), "vancouver", output="markdown")[0]
    assert entry.startswith("1\\. Bielicki P.")  # not an ordered list
    assert markdown_escape("[1] *x*") == r"\[1\] \*x\*"


def test_latex_commands_and_escapes() -> None:
    entry = render(seed(), "apa", output="latex")[0]
    assert r"\textit{Athenaeum. Polskie Studia Politologiczne}, \textit{66}, 51–71." in entry
    assert r"\textbf{66}" in render(seed(), "nature", output="latex")[0]
    special = render([from_csl(SPECIALS)], "apa", output="latex")[0]
    assert (r"R\&D <spending> at 100\% of \$5 \#1\_a \{b\} \textasciitilde{}c"
            r"\textasciicircum{}d") in special
    assert r"Smith \& Sons" in special
    assert latex_escape("a\\b") == r"a\textbackslash{}b"


def test_rtf_escapes_and_groups() -> None:
    entry = render(seed(), "apa", output="rtf")[0]
    assert r"bezpiecze\u324?stwa" in entry  # ń
    assert r"{\i Athenaeum. Polskie Studia Politologiczne}" in entry
    assert r"51\u8211?71" in entry  # en dash
    assert rtf_escape("{a}\\") == r"\{a\}\\"
    assert rtf_escape("😀") == r"\u-10179?\u-8704?"  # outside the BMP: a surrogate pair
    doc = render_document(seed(), "apa", output="rtf")
    assert doc.startswith("{\\rtf1\\ansi") and doc.rstrip().endswith("}")
    assert doc.isascii()


def test_terminal_uses_ansi_italics() -> None:
    entry = render(seed(), "apa", output="terminal")[0]
    assert "\x1b[3mAthenaeum. Polskie Studia Politologiczne\x1b[0m" in entry


QUOTES = {"open-quote": "\u201c", "close-quote": "\u201d", "open-inner-quote": "\u2018",
          "close-inner-quote": "\u2019"}


def test_tree_flips_nested_italics_and_quotes() -> None:
    marked = (richtext.Italic("A " + richtext.Italic("B") + " C") + " "
              + richtext.Bold("D") + " " + richtext.Quoted("x " + richtext.Quoted("y")))
    tree = build(marked, QUOTES, punctuation_in_quote=False)
    assert tree == Root((
        Format("italic", (Text("A "), Format("normal-style", (Text("B"),)), Text(" C"))),
        Text(" "), Format("bold", (Text("D"),)), Text(" "),
        Quote("\u201c", "\u201d", False, (Text("x "), Quote("\u2018", "\u2019", True,
                                                              (Text("y"),)))),
    ))
    runs = flatten(tree)
    assert [(r.text, sorted(r.styles)) for r in runs] == [
        ("A ", ["italic"]), ("B", []), (" C", ["italic"]), (" ", []), ("D", ["bold"]),
        (" \u201cx \u2018y\u2019\u201d", [])]


def test_tree_moves_punctuation_into_quotes_and_trims_blocks() -> None:
    tree = build(richtext.Quoted("T") + ". " + richtext.Block("abstract  "), QUOTES, True)
    assert tree == Root((Quote("\u201c", "\u201d", False, (Text("T."),)), Text(" "),
                         Display("block", (Text("abstract"),))))
    assert "\ue000" not in repr(tree)  # no marker survives the tree


def test_backends_render_every_node_kind() -> None:
    """One tree with each kind of node, in every format (expected strings checked by hand
    against each format's rules)."""
    tree = Root((
        Display("left-margin", (Text("[1]"),)),
        Display("right-inline", (
            Format("italic", (Text("A&B "), Format("normal-style", (Text("c"),)))),
            Text(" "), Quote("\u201c", "\u201d", False, (Format("bold", (Text("q"),)),)),
            Text(" 1"), SupChars("\u02b3\u1d49"), Text(" "), NoCase((Text("<x>"),)),
        )),
    ))
    want = {
        "text": "[1] A&B c \u201cq\u201d 1\u02b3\u1d49 <x>",
        "html": '<div class="csl-left-margin">[1]</div><div class="csl-right-inline"><i>A&#38;B '
                '<span style="font-style:normal;">c</span></i> \u201c<b>q</b>\u201d 1<sup>r'
                "</sup><sup>e</sup> &#60;x&#62;</div>",
        "markdown": "\\[1\\] *A&B* c \u201c**q**\u201d 1<sup>re</sup> \\<x\\>",
        "latex": "[1] \\textit{A\\&B }c \u201c\\textbf{q}\u201d 1\\textsuperscript{re} <x>",
        "rtf": "[1] {\\i A&B }c \\u8220?{\\b q}\\u8221? 1{\\super re} <x>",
        "terminal": "[1] \x1b[3mA&B \x1b[0mc \u201c\x1b[1mq\x1b[0m\u201d 1re <x>",
    }
    assert {name: backend.entry(tree) for name, backend in BACKENDS.items()} == want


def test_unknown_format_is_a_clear_error() -> None:
    with pytest.raises(FormatError, match="unknown output format 'pdf'"):
        get_backend("pdf")
    assert get_backend("md").name == "markdown" and get_backend("tex").name == "latex"


def test_documents_join_entries_per_format() -> None:
    entries = ["a", "b"]
    assert BACKENDS["text"].document(entries) == "a\nb\n"
    assert BACKENDS["latex"].document(entries) == "a\n\nb\n"
    assert BACKENDS["html"].document(entries) == (
        '<div class="csl-bib-body">\n  <div class="csl-entry">a</div>\n'
        '  <div class="csl-entry">b</div>\n</div>\n')
    assert BACKENDS["html"].document(entries, "citation") == "a\nb\n"
    assert BACKENDS["rtf"].document(entries, "citation").endswith("a\\par\nb\\par\n}\n")


def _golden_styles() -> list[str]:
    data = json.loads((GOLDEN / "styles.json").read_text(encoding="utf-8"))
    return [s["id"] for s in data["styles"]]


@pytest.mark.parametrize("style", _golden_styles())
def test_every_medium_says_the_same_words(style: str) -> None:
    """Stripping each format's markup gives the words of the plain-text entry: no backend
    loses or adds text (the 13 golden records, one tree per entry and style)."""
    items = json.loads((GOLDEN / "items.json").read_text(encoding="utf-8"))
    trees = render_trees([from_csl(item) for item in items], style)
    words = [BACKENDS["text"].entry(t) for t in trees]
    assert all(words)
    assert ["".join(run.text for run in flatten(t)) for t in trees] == words
    markdown = [BACKENDS["markdown"].entry(t) for t in trees]
    assert [m.replace("\\", "").replace("*", "") for m in markdown] == [
        w.replace("*", "") for w in words]
    latex = [BACKENDS["latex"].entry(t) for t in trees]
    assert [_unlatex(x) for x in latex] == words
    terminal = [BACKENDS["terminal"].entry(t) for t in trees]
    assert [re.sub("\x1b\\[[0-9;]*m", "", t) for t in terminal] == words


def _unlatex(text: str) -> str:
    text = re.sub(r"\\text(?:it|bf|sc|superscript|subscript)\{|\\underline\{", "", text)
    text = re.sub(r"(?<!\\)\}", "", text)
    return (text.replace(r"\textbackslash{}", "\\").replace(r"\textasciitilde{}", "~")
            .replace(r"\textasciicircum{}", "^").replace("\\", ""))


def test_pitfalls_full_given_names_and_title_case_only_for_english() -> None:
    """Chicago and MLA print "Bielicki, Paweł" (initialize="false", citeproc-py ignored it);
    title case applies to English items only, the Polish seed keeps its title as written."""
    english = from_csl({**SEED, "id": "en", "language": "en", "title": "Relations of the states"})
    for style in ("chicago-author-date", "modern-language-association"):
        out = render(seed(), style)[0]
        assert out.startswith("Bielicki, Paweł.")
        assert "“Relacje kazachsko-rosyjskie i ich znaczenie dla bezpieczeństwa" in out
        assert "Relations of the States" in render([english], style)[0]


def test_pitfall_no_double_period_after_initials() -> None:
    """citeproc-py#105: "Kader, A. A.. (2000)" in APA."""
    record = from_csl({"id": "k", "type": "book", "title": "Postharvest technology",
                       "author": [{"family": "Kader", "given": "A. A."}],
                       "issued": {"date-parts": [[2000]]}})
    out = render([record], "apa")[0]
    assert out.startswith("Kader, A. A. (2000).")


@pytest.mark.parametrize("fmt", ["text", "markdown", "latex", "rtf", "terminal"])
def test_block_parts_stay_on_the_entry_line(fmt: str) -> None:
    """iso690-author-date-en prints the abstract as a display="block" part: the entry is
    still one line, so "one entry per line" holds for every medium but HTML."""
    record = from_csl({**SEED, "abstract": "Przedmiotem mojego zainteresowania jest ..."})
    entries = render([record], "iso690", output=fmt)
    assert len(entries) == 1
    assert "\n" not in entries[0]
    assert "51–71" in entries[0] or r"51\u8211?71" in entries[0]
    assert "Przedmiotem mojego" in entries[0]


# -- properties of the media over arbitrary text ------------------------------------------------

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=40)
STYLED = st.lists(st.tuples(TEXT, st.sampled_from(["", "italic", "bold", "superscript",
                                                  "subscript"])), max_size=5)


def _tree(parts: list[tuple[str, str]]) -> Root:
    return Root(tuple(Format(style, (Text(text),)) if style else Text(text)
                      for text, style in parts))


def _words(parts: list[tuple[str, str]]) -> str:
    return " ".join("".join(text for text, _tag in parts).split())


@given(STYLED)
def test_styled_runs_keep_every_character(parts: list[tuple[str, str]]) -> None:
    text = "".join(run.text for run in flatten(_tree(parts)))
    assert " ".join(text.split()) == _words(parts)


@given(STYLED)
def test_rtf_is_pure_ascii_with_balanced_groups(parts: list[tuple[str, str]]) -> None:
    out = BACKENDS["rtf"].entry(_tree(parts))
    assert out.isascii()
    depth = 0
    unescaped = out.replace("\\\\", "").replace("\\{", "").replace("\\}", "")
    for char in unescaped:
        depth += {"{": 1, "}": -1}.get(char, 0)
        assert depth >= 0
    assert depth == 0


@given(TEXT)
def test_latex_specials_are_all_escaped(text: str) -> None:
    out = latex_escape(text)
    stripped = (out.replace(r"\textbackslash{}", "").replace(r"\textasciitilde{}", "")
                .replace(r"\textasciicircum{}", ""))
    for special in "&%$#_{}":
        stripped = stripped.replace("\\" + special, "")
    assert not any(c in stripped for c in "&%$#_{}~^\\")


@given(TEXT)
def test_markdown_specials_are_all_escaped(text: str) -> None:
    out = markdown_escape(text)
    unescaped = out
    for special in "\\`*_[]<>":
        unescaped = unescaped.replace("\\" + special, "")
    assert not any(c in unescaped for c in "`*_[]<>")


def test_ids_differing_only_in_case_are_two_works() -> None:
    """The engine keys items case-insensitively; "Doe" and "doe" must stay two entries."""
    one = {"id": "Doe", "type": "book", "title": "One", "author": [{"family": "Doe",
           "given": "J"}], "issued": {"date-parts": [[2020]]}}
    records = [from_csl(one), from_csl({**one, "id": "doe", "title": "Two"}),
               from_csl({**one, "id": "doe", "title": "Three"})]
    entries = render(records, "apa")
    assert len(entries) == 3
    assert {e.rsplit(")", 1)[1].strip(" .") for e in entries} == {"One", "Two", "Three"}
    assert render(records[:2], "apa", mode="citation", citations=[["doe"]]) == [
        "(Doe, 2020b)"]
