"""Run CSL test-suite fixtures (citation-style-language/test-suite, ``processor-tests/humans``).

A fixture is a text file of sections ``>>===== NAME =====>> ... <<===== NAME =====<<``: MODE,
RESULT, CSL, INPUT and optionally CITATION-ITEMS, CITATIONS, BIBENTRIES, BIBSECTION.

The harness mirrors the simple runner the project measures against:

* mode ``citation``: render each cluster of CITATION-ITEMS in turn (or one cluster of all input
  items when there is none) and join the outputs with newlines;
* mode ``bibliography``: register every input item in input order and render the bibliography
  as citeproc-js's HTML (``<div class="csl-bib-body">`` ...).

Fixtures with CITATIONS / BIBENTRIES / BIBSECTION need an interactive processor API and are
outside the headline set (:func:`is_core`).
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_SECTION = re.compile(r">>=+ ([A-Z-]+) =+>>\n(.*?)\n?<<=+ \1 =+<<", re.S)


@dataclass(frozen=True)
class Fixture:
    name: str
    mode: str
    result: str
    csl: str
    items: list[dict[str, Any]]
    citation_items: list[list[dict[str, Any]]] | None = None
    extra_sections: frozenset[str] = field(default_factory=frozenset)
    citations: list[Any] | None = None

    @property
    def category(self) -> str:
        return self.name.split("_", 1)[0]


def parse_fixture(path: Path) -> Fixture:
    text = path.read_text(encoding="utf-8")
    sections = {m.group(1): m.group(2) for m in _SECTION.finditer(text)}
    citation_items = None
    if "CITATION-ITEMS" in sections:
        citation_items = json.loads(sections["CITATION-ITEMS"])
    extra = frozenset(s for s in ("CITATIONS", "BIBENTRIES", "BIBSECTION") if s in sections)
    citations = json.loads(sections["CITATIONS"]) if "CITATIONS" in sections else None
    return Fixture(name=path.stem, mode=sections["MODE"].strip(), result=sections["RESULT"],
                   csl=sections["CSL"].strip(), items=json.loads(sections["INPUT"]),
                   citation_items=citation_items, extra_sections=extra, citations=citations)


def is_core(fixture: Fixture) -> bool:
    """The headline set: plain citation / bibliography fixtures (802 in the 2025 suite)."""
    return fixture.mode in ("citation", "bibliography") and not fixture.extra_sections


def is_citations(fixture: Fixture) -> bool:
    """Fixtures that replay a session of citations (CITATIONS), counted apart."""
    return (fixture.mode == "citation" and fixture.extra_sections == {"CITATIONS"}
            and fixture.citations is not None)


def load_fixtures(directory: Path, core_only: bool = True) -> list[Fixture]:
    fixtures = [parse_fixture(p) for p in sorted(directory.glob("*.txt"))]
    return [f for f in fixtures if is_core(f)] if core_only else fixtures


def _clusters(fixture: Fixture) -> list[list[dict[str, Any]]]:
    if fixture.citation_items is not None:
        return fixture.citation_items
    return [[{"id": item.get("id", f"ITEM-{i + 1}")} for i, item in enumerate(fixture.items)]]


def render_fixture(fixture: Fixture, plain: bool = False) -> str:
    """What the processor prints for ``fixture`` (citetool's engine, or bare citeproc-py)."""
    if plain:
        return _render_plain(fixture)
    from . import format_bibliography_html, format_citations

    if is_citations(fixture):
        return _render_session(fixture)
    if fixture.mode == "citation":
        return "\n".join(format_citations(fixture.items, _clusters(fixture), fixture.csl, None,
                                          "html"))
    return format_bibliography_html(fixture.items, fixture.csl, None)


def _render_session(fixture: Fixture) -> str:
    """CITATIONS: citations added one by one, items registered as they are first cited.
    Printed as citeproc-js's runner does: every citation "..[i] text", those the last
    addition created or changed ">>[i] text"."""
    from . import format_citations

    assert fixture.citations is not None
    clusters = [entry[0].get("citationItems", []) for entry in fixture.citations]
    by_id = {str(item.get("id")): item for item in fixture.items}

    def run(upto: int) -> list[str]:
        cited: list[dict[str, Any]] = []
        seen: set[str] = set()
        for cluster in clusters[:upto]:
            for cite in cluster:
                key = str(cite["id"])
                if key not in seen and key in by_id:
                    seen.add(key)
                    cited.append(by_id[key])
        return format_citations(cited, clusters[:upto], fixture.csl, None, "html")

    final = run(len(clusters))
    before = run(len(clusters) - 1) if len(clusters) > 1 else []
    lines = []
    for index, text in enumerate(final):
        changed = index >= len(before) or before[index] != text
        lines.append(f"{'>>' if changed else '..'}[{index}] {text}")
    return "\n".join(lines)


def _render_plain(fixture: Fixture) -> str:
    """Bare citeproc-py 0.11 (its own element classes), same harness, same HTML medium."""
    from citeproc import (
        Citation,
        CitationItem,
        CitationStylesBibliography,
        CitationStylesStyle,
        Locator,
    )
    from citeproc.source.json import CiteProcJSON

    medium = _citeproc_html()
    style = CitationStylesStyle(io.BytesIO(fixture.csl.encode("utf-8")), validate=False)
    bib = CitationStylesBibliography(style, CiteProcJSON(fixture.items), medium)
    for item in fixture.items:
        bib.register(Citation([CitationItem(str(item["id"]))]))
    if fixture.mode == "citation":
        out = []
        for cluster in _clusters(fixture):
            cites = []
            for cite in cluster:
                options = {}
                if "locator" in cite:
                    options["locator"] = Locator(cite.get("label", "page"), cite["locator"])
                for key in ("prefix", "suffix"):
                    if key in cite:
                        options[key] = cite[key]
                cites.append(CitationItem(str(cite["id"]), **options))
            citation = Citation(cites)
            bib.register(citation)
            out.append(str(bib.cite(citation, lambda _item: None)))
        return "\n".join(out)
    bib.sort()
    return medium.Bibliography([str(entry) for entry in bib.bibliography()])


def _citeproc_html() -> Any:
    """The HTML backend's tags as a citeproc-py formatter module, for bare citeproc-py."""
    from types import SimpleNamespace

    from ..output import HtmlBackend, ModuleBackend, html_escape

    html = HtmlBackend()

    def wrapper(style: str) -> Any:
        return lambda text: html.format(style, str(text))

    return SimpleNamespace(
        preformat=lambda text: html_escape(str(text)), Bibliography=html.bib_body,
        **{name: wrapper(style) for style, name in ModuleBackend.WRAPPERS.items()
           if style in HtmlBackend.TAGS})


def run_fixture(fixture: Fixture, plain: bool = False) -> tuple[bool, str]:
    """(passed, output or error message)."""
    try:
        output = render_fixture(fixture, plain=plain)
    except Exception as exc:  # a crash is a failure of that fixture, reported, not raised
        return False, f"{type(exc).__name__}: {exc}"
    return output.strip() == fixture.result.strip(), output
