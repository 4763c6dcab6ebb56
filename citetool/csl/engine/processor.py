"""Bibliography and citation processing over citeproc-py's element model.

citeproc-py renders one item at a time; the processor adds what needs the whole list of
items: registration order and citation numbers (O(1) lookups instead of ``list.index``),
sorting, disambiguation and year suffixes, subsequent-author-substitute, collapsing of
citation numbers and years, cite positions, second-field-align.
"""

from __future__ import annotations

from typing import Any

from citeproc import Citation, CitationItem, CitationStylesBibliography, Locator

from .source import EngineSource


class EngineItem(CitationItem):
    """A cite: citeproc-py's CitationItem with O(1) citation numbers."""

    @property
    def number(self) -> int:  # citeproc-py: keys.index(key) + 1 per call
        return self.bibliography.numbers[self.key]

    def is_bad(self) -> bool:
        return self.key not in self.bibliography.numbers


class Processor(CitationStylesBibliography):
    """One run of a style over a set of items (a citeproc-py bibliography object)."""

    def __init__(self, style: Any, items: list[dict[str, Any]], formatter: Any) -> None:
        self.style = style
        self.source = EngineSource(items)
        self.formatter = formatter
        root = style.root
        root.formatter = formatter
        for locale in root.locales:
            locale.style = root
        self.keys: list[str] = []
        self.items: list[EngineItem] = []
        self.numbers: dict[str, int] = {}
        self._cites: list[Any] = []
        self.year_suffixes: dict[str, str] = {}
        self.implicit_year_suffix = not root.xpath_search("//cs:text[@variable='year-suffix']")
        for index, item in enumerate(items):
            self._register_key(str(item.get("id", f"ITEM-{index + 1}")).lower())

    def _register_key(self, key: str) -> None:
        if key in self.source and key not in self.numbers:
            cite = EngineItem(key)
            Citation([cite]).bibliography = self
            self.keys.append(key)
            self.items.append(cite)
            self.numbers[key] = len(self.keys)

    def _renumber(self) -> None:
        self.keys = [item.key for item in self.items]
        self.numbers = {key: i + 1 for i, key in enumerate(self.keys)}

    # -- bibliography --------------------------------------------------------------------
    def sort(self) -> None:
        bibliography = self.style.root.bibliography
        if bibliography is not None:
            self.items = bibliography.sort(self.items)
            self._renumber()

    def bibliography(self) -> list[str]:
        bibliography = self.style.root.bibliography
        if bibliography is None:
            return []
        self.sort()
        return [str(entry) for entry in bibliography.render(self.items)]

    # -- citations ------------------------------------------------------------------------
    def make_citation(self, cluster: list[dict[str, Any]]) -> Citation:
        cites = []
        for cite in cluster:
            options: dict[str, Any] = {}
            if cite.get("locator") not in (None, ""):
                options["locator"] = Locator(cite.get("label") or "page", str(cite["locator"]))
            for key in ("prefix", "suffix"):
                if cite.get(key):
                    options[key] = cite[key]
            cites.append(EngineItem(str(cite["id"]), **options))
        citation = Citation(cites)
        citation.bibliography = self
        return citation

    def citations(self, clusters: list[list[dict[str, Any]]]) -> list[str]:
        citation_element = self.style.root.citation
        self.sort()
        out = []
        for cluster in clusters:
            citation = self.make_citation(cluster)
            text = citation_element.render(citation, self._cites, _unknown)
            out.append(str(text) if text is not None else "")
        return out


def _unknown(item: Any) -> str:
    return f"{item.key}?"
