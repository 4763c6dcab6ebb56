"""The output tree and its backends: no marker character survives the tree, the backends agree
on the words, the terminal has one renderer, trees cross process boundaries intact."""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from citetool.csl import render, render_trees
from citetool.csl.engine import richtext
from citetool.csl.output import BACKENDS, TerminalBackend, flatten
from citetool.csl.tree import Root, build
from citetool.csljson import from_csl

GOLDEN = Path(__file__).resolve().parent / "golden" / "citeproc-js"
QUOTES = {"open-quote": "\u201c", "close-quote": "\u201d", "open-inner-quote": "\u2018",
          "close-inner-quote": "\u2019"}
PRIVATE = re.compile("[\ue000-\uf8ff]")

# marker text as the element layer writes it: nested wrappers of every kind around text
# with punctuation, quotes and spaces (superscript letters left out: plain text keeps them
# as written, the other formats write them as <sup>)
WORDS = st.text(alphabet="ab ,.;:!?\"'“”‘’<>&*_\\{}", max_size=8)
WRAPPERS = [richtext.Italic, richtext.Oblique, richtext.Bold, richtext.Light,
            richtext.Underline, richtext.Superscript, richtext.Subscript, richtext.SmallCaps,
            richtext.NormalStyle, richtext.NormalVariant, richtext.NormalWeight,
            richtext.NoDecoration, richtext.Baseline, richtext.Quoted, richtext.Block,
            richtext.LeftMargin, richtext.RightInline, richtext.Indent,
            lambda text: richtext.span(richtext.NOCASE, text),
            lambda text: richtext.span(richtext.NODECOR, text),
            lambda text: richtext.span(richtext.FIELD, text),
            lambda text: richtext.span(richtext.TERM, text),
            richtext.parse_field]
MARKED = st.recursive(
    WORDS,
    lambda inner: st.one_of(
        st.tuples(st.sampled_from(WRAPPERS), inner).map(lambda pair: pair[0](pair[1])),
        st.lists(inner, min_size=2, max_size=3).map("".join)),
    max_leaves=12)


def _markers_in(root: Root) -> list[str]:
    return PRIVATE.findall(repr(root))


@given(MARKED, st.booleans())
def test_no_marker_after_the_tree_and_backends_agree_on_the_words(marked: str,
                                                                   piq: bool) -> None:
    tree = build(marked, QUOTES, piq)
    assert _markers_in(tree) == []
    outputs = {name: backend.entry(tree) for name, backend in BACKENDS.items()}
    for name, out in outputs.items():
        assert not PRIVATE.search(out), name
    # the text backend (nested markup) and the styled runs (the flat formats) walk the tree
    # separately; they differ only in whitespace (a display part opens with a space in the
    # styled runs, as in the HTML: "[1] A" for a label and its text)
    runs = "".join(run.text for run in flatten(tree))
    assert "".join(runs.split()) == "".join(outputs["text"].split())


def _golden_records() -> list:
    items = json.loads((GOLDEN / "items.json").read_text(encoding="utf-8"))
    return [from_csl(item) for item in items]


@pytest.mark.parametrize("style", ["apa", "chicago-note-bibliography", "ieee"])
def test_the_console_prints_what_the_terminal_backend_writes(style: str) -> None:
    """One terminal renderer: the rich console printing the tree (the CLI) writes the same
    escape codes as the terminal format's ANSI text (the library)."""
    from rich.console import Console

    records = _golden_records()
    trees = render_trees(records, style)
    console = Console(file=io.StringIO(), force_terminal=True, color_system="standard",
                      soft_wrap=True, markup=False, highlight=False, emoji=False)
    for tree in trees:
        console.print(TerminalBackend().rich_text(tree))
    printed = console.file.getvalue()  # type: ignore[attr-defined]
    assert "\x1b[3m" in printed
    assert printed == "".join(f"{e}\n" for e in render(records, style, output="terminal"))


@pytest.mark.skipif(sys.platform != "linux", reason="parallel rendering forks")
def test_trees_from_worker_processes_equal_the_serial_ones(
        monkeypatch: pytest.MonkeyPatch) -> None:
    records = _golden_records()
    monkeypatch.setenv("CITETOOL_WORKERS", "1")
    serial = render_trees(records, "apa")
    monkeypatch.setenv("CITETOOL_WORKERS", "2")
    assert render_trees(records, "apa") == serial
    assert [BACKENDS["html"].entry(t) for t in serial] == render(records, "apa", output="html")
