"""citetool's cs:layout (see :mod:`.elements`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from contextvars import ContextVar
from functools import cmp_to_key
from typing import Any

from . import richtext
from .base import (
    NO_PRINTED_FORM,
    Decorated,
    _processor,
    _range_suffixes,
    _resolve_after,
    override,
)
from .element import Element
from .richtext import strip_markers
from .source import VariableError
from .strings import String, join

#: the render state of each cs:layout being rendered (what one cite has printed so far:
#: names substituted, groups' variables, first names ...), per thread and per context, not
#: on the style: a parsed style is shared, read-only, by every render of the process
_RENDER_STATE: ContextVar[dict[int, dict[str, Any]] | None] = ContextVar(
    "csl_render_state", default=None)


@override
class Layout(Decorated, Element):
    """cs:layout with the whole-cluster logic citeproc-py lacks: cluster order kept unless
    cs:citation has a cs:sort, cite prefixes/suffixes, suppress-author, collapsing of
    citation numbers, years and year suffixes; bibliography entries with
    subsequent-author-substitute and second-field-align."""

    @property
    def repressed(self) -> Any:
        """This layout's render state in the current context (None before any render)."""
        states = _RENDER_STATE.get()
        return None if states is None else states.get(id(self))

    @repressed.setter
    def repressed(self, state: dict[str, Any]) -> None:
        states = _RENDER_STATE.get()
        if states is None:
            states = {}
            _RENDER_STATE.set(states)
        states[id(self)] = state  # the style keeps every element proxy alive: ids are stable

    def render_cite(self, cite: Any, **state: Any) -> tuple[Any, str | None]:
        """One cite through the layout's children: (text or None, its first names text)."""
        self.repressed = dict(state)
        try:
            text = self.render_children(cite)
        except VariableError:
            text = None
        return text, self.repressed.get("first_names")

    # citeproc-py's entry points, which the processor replaced (render_cluster,
    # render_entry, render_entry_aligned; Bibliography.sort)

    # citations
    def render_cluster(self, cites: list[Any], callback: Any) -> Any:
        citation = self.getparent()
        delimiter = self.get("delimiter", "")
        collapse = citation.get("collapse")
        pieces: list[tuple[str, Any]] = []  # (delimiter before, text)
        groups = self._collapse_groups(cites, collapse, citation, delimiter)
        for group_delimiter, group in groups:
            text = join([t for t in group if t is not None], "") if group else None
            if text:
                pieces.append((group_delimiter, text))
        if not pieces:
            return None
        out: Any = pieces[0][1]
        for before, text in pieces[1:]:
            if strip_markers(text)[:1] in (",", ";", "."):
                before = ""  # a cite prefix that starts with punctuation replaces the delimiter
            out = join([out, text], before)
        return self.format(self.wrap(out))

    def _plain_cites(self, cites: list[Any], callback: Any) -> list[Any]:
        return cites

    def _affixed(self, cite: Any, text: Any) -> Any:
        if text is None:
            return None
        prefix = cite.get("prefix") or ""
        suffix = cite.get("suffix") or ""
        if self.get_root().get("class") == "note" and (
                (not prefix and cite.get("first-in-cluster"))
                or re.search(r"\S\s+\S.*[.!?]\s*$", prefix)):
            # a note that opens with a term (ibid., and) starts with a capital, also after
            # a prefix that ends a sentence
            text = String(richtext.capitalize_leading_term(str(text)))
        out = text
        if prefix:
            out = join([String(richtext.parse_field(prefix)), out], "")
        if suffix:
            out = join([out, String(richtext.parse_field(suffix))], "")
        return out

    def _collapse_groups(self, cites: list[Any], collapse: str | None, citation: Any,
                         delimiter: str) -> list[tuple[str, list[Any]]]:
        rendered = []
        for cite in cites:
            if cite.is_bad():
                rendered.append((cite, String(f"{cite.key}?"), None))
                continue
            text, names = self.render_cite(cite,
                                           suppress_names=bool(cite.get("suppress-author")))
            if not text and not cite.get("suppress-author"):
                text = String(NO_PRINTED_FORM)  # as citeproc-js: a style or data problem shown
            rendered.append((cite, text, names))
        after_collapse = citation.get("after-collapse-delimiter", delimiter)
        if collapse == "citation-number":
            return self._collapse_numbers(rendered, delimiter, after_collapse)
        if collapse in ("year", "year-suffix", "year-suffix-ranged"):
            return self._collapse_years(rendered, collapse, citation, delimiter, after_collapse)
        group_delimiter = citation.get("cite-group-delimiter")
        if group_delimiter is not None:
            # cite grouping without collapsing: cites with the same names side by side
            order: list[str] = []
            groups: dict[str, list[Any]] = {}
            for entry in rendered:
                key = entry[2] or f"\0{len(order)}"
                if key not in groups:
                    order.append(key)
                    groups[key] = []
                groups[key].append(entry)
            out: list[tuple[str, list[Any]]] = []
            for key in order:
                for index, (cite, text, _names) in enumerate(groups[key]):
                    out.append((group_delimiter if index else delimiter,
                                [self._affixed(cite, text)]))
            return out
        return [(delimiter, [self._affixed(c, t)]) for c, t, _ in rendered]

    def _collapse_numbers(self, rendered: list[Any], delimiter: str,
                          after_collapse: str) -> list[tuple[str, list[Any]]]:
        """Runs of three or more consecutive citation numbers rendered alike → "1–3"."""
        groups: list[tuple[str, list[Any]]] = []
        run: list[Any] = []

        def flush() -> None:
            if len(run) >= 3:
                first, last = run[0], run[-1]
                text = join([self._affixed(first[0], first[1]),
                             self._affixed(last[0], last[1])], "\u2013")
                groups.append((delimiter, [text]))
                groups.append(("__after__", []))
            else:
                for cite, text, _ in run:
                    groups.append((delimiter, [self._affixed(cite, text)]))
            run.clear()

        def shape(cite: Any, text: Any) -> str | None:
            if text is None or cite.is_bad() or cite.get("prefix") or cite.get("suffix") \
                    or cite.has_locator:
                return None
            visible = strip_markers(text)
            number = str(cite.number)
            if len(re.findall(r"\d+", visible)) != 1 or number not in visible:
                return None
            return str(text).replace(number, "#", 1)

        previous_shape = None
        for entry in rendered:
            cite, text = entry[0], entry[1]
            current = shape(cite, text)
            if (current is not None and run and current == previous_shape
                    and run[-1][0].number + 1 == cite.number):
                run.append(entry)
                continue
            flush()
            if current is not None:
                run.append(entry)
            else:
                groups.append((delimiter, [self._affixed(cite, text)]))
            previous_shape = current
        flush()
        return _resolve_after(groups, delimiter, after_collapse)

    def _collapse_years(self, rendered: list[Any], collapse: str, citation: Any,
                        delimiter: str, after_collapse: str) -> list[tuple[str, list[Any]]]:
        """Cites of the same names grouped; later years (or year suffixes) without names."""
        explicit_group = citation.get("cite-group-delimiter")
        cite_group_delimiter = explicit_group or (", " if collapse == "year" else delimiter)
        if collapse == "year" and citation.get("after-collapse-delimiter") is not None:
            # citeproc-js: an explicit after-collapse-delimiter makes the cite delimiter join
            # the years of one author (iso690-author-date: "Bielicki 2020a; 2020b")
            cite_group_delimiter = delimiter
        suffix_delimiter = citation.get("year-suffix-delimiter", explicit_group or delimiter)
        order: list[str] = []
        by_names: dict[str, list[Any]] = {}
        for entry in rendered:
            key = entry[2] or ""  # cites without names group together
            if key not in by_names:
                order.append(key)
                by_names[key] = [entry]
            else:
                by_names[key].append(entry)
        groups: list[tuple[str, list[Any]]] = []
        for key in order:
            members = by_names[key]
            if len(members) == 1:
                cite, text, _ = members[0]
                groups.append((delimiter, [self._affixed(cite, text)]))
                continue
            first_cite, first_text, _ = members[0]
            plain = lambda c: not (c.has_locator or c.get("prefix") or c.get("suffix"))  # noqa: E731
            # (delimiter before, text, suffix letter when it may join a range)
            parts: list[tuple[str, Any, str | None]] = [
                ("", self._affixed(first_cite, first_text),
                 self._suffix(first_cite) if plain(first_cite) else None)]
            previous_year = self._year_key(first_cite)
            previous_suffix = self._suffix(first_cite)
            for cite, _text, _ in members[1:]:
                year = self._year_key(cite)
                suffix = self._suffix(cite)
                if (collapse != "year" and suffix and previous_suffix and year == previous_year
                        and plain(cite) and parts[-1][2] is not None):
                    parts.append((suffix_delimiter, String(suffix), suffix))
                else:
                    short, _ = self.render_cite(cite, suppress_names=True)
                    parts.append((cite_group_delimiter, self._affixed(cite, short),
                                  suffix if plain(cite) else None))
                previous_year, previous_suffix = year, suffix
            if collapse == "year-suffix-ranged":
                parts = _range_suffixes(parts)
            text: Any = parts[0][1]
            for before, piece, _letter in parts[1:]:
                if piece:
                    text = join([text, piece], before)
            groups.append((delimiter, [text]))
            groups.append(("__after__", []))
        return _resolve_after(groups, delimiter, after_collapse)

    @staticmethod
    def _year_key(cite: Any) -> Any:
        date = cite.reference.get("issued")
        if date is None:
            return None
        try:
            return date.get("year") if hasattr(date, "get") else None
        except Exception:
            return None

    @staticmethod
    def _suffix(cite: Any) -> str:
        processor = _processor(cite)
        return processor.year_suffixes.get(cite.key, "") if processor is not None else ""

    # bibliography
    def render_entry(self, item: Any, **state: Any) -> tuple[Any, str | None]:
        """(entry or None, what subsequent-author-substitute compares)."""
        text, _ = self.render_cite(item, **state)
        names = self.repressed.get("first_names_key")
        if text is None:
            return None, names
        return self.format(self.wrap(text)), names

    def render_entry_aligned(self, item: Any, medium: Any, **state: Any) -> Any:
        """second-field-align: the first rendered child apart from the rest."""
        self.repressed = dict(state)
        outputs = []
        for element in self:
            try:
                text = element.render(item)
            except VariableError:
                text = None
            if text is not None:
                outputs.append(text)
        if not outputs:
            return None
        prefix, suffix = self.get("prefix", ""), self.get("suffix", "")
        first = join([String(prefix), outputs[0]], "") if prefix else outputs[0]
        rest = join(outputs[1:], self.get("delimiter", "")) if len(outputs) > 1 else String("")
        if suffix:
            rest = join([rest, String(suffix)], "")
        first, rest = self.format(first), self.format(rest)
        left = getattr(medium, "LeftMargin", None)
        right = getattr(medium, "RightInline", None)
        if left is None or right is None:
            return join([first, rest], " ") if str(rest).strip() else first
        return String(left(str(first)) + right(str(rest)))


@override
class Style(Element):
    """cs:style, the root: its locale chain is built by :class:`.style.EngineStyle`
    (``locales``), which also sets the ``formatter`` every element renders through."""



class _Options:
    """The options cs:citation and cs:bibliography set for themselves (with their
    defaults), and the ones they inherit from cs:style."""

    _default_options: dict[str, Any] = {}

    def get_option(self, name: str) -> Any:
        if name in self._default_options:
            return self.get(name, self._default_options[name])  # type: ignore[attr-defined]
        value = self.get(name)  # type: ignore[attr-defined]
        return value if value is not None else self.get_root().get_option(name)  # type: ignore[attr-defined]


@override
class Citation(_Options, Element):
    """cs:citation: its options; :class:`.processor.Processor` renders the clusters
    through its cs:layout (:meth:`Layout.render_cluster`)."""

    _default_options = {
        "disambiguate-add-names": False, "disambiguate-add-givenname": False,
        "givenname-disambiguation-rule": "all-names", "disambiguate-add-year-suffix": False,
        "collapse": None, "year-suffix-delimiter": None, "after-collapse-delimiter": None,
        "near-note-distance": 5}



@override
class Bibliography(_Options, Element):
    """cs:bibliography: its options and its sort; :class:`.processor.Processor` renders
    the entries through its cs:layout (:meth:`Layout.render_entry`)."""

    _default_options = {
        "hanging-indent": False, "second-field-align": None, "line-spacing": 1,
        "entry-spacing": 1, "subsequent-author-substitute": None}

    def sort(self, items: list[Any]) -> list[Any]:
        """``items`` in the order of the cs:sort (as given without one)."""
        sort = self.find("cs:sort")
        if sort is None:
            return items
        return sort.sort(items, self.find("cs:layout"))  # type: ignore[no-any-return]



def _compare(left: Any, right: Any) -> int:
    return (left > right) - (left < right)


@override
class Sort(Element):
    """cs:sort: items ordered by each cs:key in turn (ascending unless
    ``sort="descending"``); an item without a value for a key comes after those with one,
    whatever the direction; ties keep the items' order."""

    def sort(self, items: list[Any], context: Any) -> list[Any]:
        """``items`` sorted; ``context`` is the cs:layout the keys' macros render for."""
        keys = self.findall("cs:key")
        columns = [key.sort_keys(items, context) for key in keys]
        descending = [key.get("sort", "ascending").lower() == "descending" for key in keys]

        def compare(left: int, right: int) -> int:
            for column, reverse in zip(columns, descending, strict=True):
                a, b = column[left], column[right]
                if a is None or b is None:
                    if a is not b:
                        return 1 if a is None else -1
                    continue
                order = _compare(a, b)
                if order:
                    return -order if reverse else order
            return 0

        order: Callable[[int], Any] = cmp_to_key(compare)
        return [items[i] for i in sorted(range(len(items)), key=order)]
