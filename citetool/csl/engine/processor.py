"""Bibliography and citation processing over citeproc-py's element model.

citeproc-py renders one item at a time; the processor adds what needs the whole list of
items: registration order and citation numbers (O(1) lookups instead of ``list.index``),
cite positions (first, subsequent, ibid, ibid-with-locator, near-note), disambiguation
(add names, expand given names, ``disambiguate="true"``, year suffixes), collapsing (in
:class:`.elements.Layout`), subsequent-author-substitute and second-field-align.

Cost: disambiguation renders each cite once, then re-renders only the members of ambiguous
groups, so it is linear in the number of items plus the size of the clashes. Sorting uses
citeproc-py's comparison sort (O(n log n) comparisons, each key computed once per item).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from ... import parallel
from ..tree import Root, build
from . import richtext
from .base import _TEXT_TAG, first_names_variable, name_lists
from .disambiguation import resolve_names
from .source import EngineSource, Record

# citeproc-js: a locator opening with a label abbreviation ("vol. 1, fol. 186") takes that
# label, whatever label the cite gave
_LOCATOR_LABELS = {
    "art": "article", "ch": "chapter", "subch": "subchapter", "col": "column",
    "fig": "figure", "l": "line", "n": "note", "no": "issue", "op": "opus", "p": "page",
    "pp": "page", "para": "paragraph", "subpara": "subparagraph", "pt": "part", "r": "rule",
    "sec": "section", "subsec": "subsection", "sv": "sub-verbo", "sch": "schedule",
    "tit": "title", "vrs": "verse", "vol": "volume"}
#: compiled by re.match on first use (only citations with a locator need it)
_LOCATOR_LABEL = r"(?s)^(" + "|".join(_LOCATOR_LABELS) + r")\.\s+(.*)$"


def _locator_label(label: str, locator: str) -> tuple[str, str]:
    match = re.match(_LOCATOR_LABEL, locator)
    if match is None:
        return label, locator
    return _LOCATOR_LABELS[match.group(1)], match.group(2)


class Locator:
    """Where in the item a cite points: ``label`` (a locator term: "page", "chapter" ...)
    and ``identifier`` (the text: "12-14")."""

    __slots__ = ("label", "identifier")

    def __init__(self, label: str, identifier: str) -> None:
        self.label = label
        self.identifier = identifier


class EngineItem(Record):
    """A cite of one item: a dict of cite data (``locator``, ``prefix``, ``suffix``,
    ``suppress-author``, ``position`` ...), read as attributes too (a missing one raises
    VariableError), linked to its :class:`Citation` and through it to the processor.
    Lookups of the reference and citation number are O(1) and cached."""

    def __init__(self, key: str, **options: Any) -> None:
        super().__init__(options)
        self.key = key  # exact ids (citeproc-py lower-cased them: "Doe2020" = "doe2020")

    def __repr__(self) -> str:
        return f"EngineItem({self.key})"

    @property
    def bibliography(self) -> Any:
        """The :class:`Processor` (the citation's ``bibliography``)."""
        found = self.__dict__.get("_bibliography")
        if found is None:
            found = self.citation.bibliography
            object.__setattr__(self, "_bibliography", found)
        return found

    @property
    def reference(self) -> Any:  # looked up ~100 times per rendering of an item
        found = self.__dict__.get("_reference")
        if found is None:
            found = self.bibliography.source[self.key]
            object.__setattr__(self, "_reference", found)
        return found

    @property
    def number(self) -> int:
        """The citation number: the item's place in the (sorted) bibliography."""
        return self.bibliography.numbers[self.key]

    @property
    def has_locator(self) -> bool:
        return "locator" in self

    def get_field(self, variable: str) -> Any:
        """The item's ``variable`` (underscore form) prepared for output, or None."""
        value = self.reference.get(variable)
        return None if value is None else self.bibliography.formatter.preformat(value)

    def is_bad(self) -> bool:
        """The cite names an item that is not in the data."""
        return self.key not in self.bibliography.numbers


class Citation(Record):
    """One citation (a cluster of cites); ``bibliography`` is set to the processor.
    Each cite's ``citation`` is set to it."""

    def __init__(self, cites: list[EngineItem]) -> None:
        super().__init__()
        for cite in cites:
            cite.citation = self
        self.cites = cites

    def __repr__(self) -> str:
        return f"Citation({', '.join(cite.key for cite in self.cites)})"


# citeproc-js's numeric cite positions (0 first, 1 subsequent, 2 ibid, 3 ibid-with-locator)
_POSITIONS = {0: "first", 1: "subsequent", 2: "ibid", 3: "ibid-with-locator",
              "first": "first", "subsequent": "subsequent", "ibid": "ibid",
              "ibid-with-locator": "ibid-with-locator"}


def _style_facts(root: Any) -> frozenset[str]:
    """What the style does somewhere: "year-suffix" (a cs:text prints it), "disambiguate" (a
    condition tests it). Facts of the style alone, found in one walk and kept on its root
    (a walk of every element per render and fact was ~1 ms)."""
    facts = vars(root).get("_facts")
    if facts is None:
        found = set()
        for element in root.iter():
            if element.get("disambiguate") == "true":
                found.add("disambiguate")
            if element.tag == _TEXT_TAG and element.get("variable") == "year-suffix":
                found.add("year-suffix")
        facts = root._facts = frozenset(found)
    return facts  # type: ignore[no-any-return]


def _suffix_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


class Processor:
    """One run of a style over a set of items: registration order and citation numbers,
    sorting, disambiguation, then the bibliography or the citations. Cites reach it as
    their ``bibliography``; elements read ``source``, ``numbers``, ``year_suffixes``,
    ``disambiguation``, ``disambiguate_flag``, ``implicit_year_suffix`` and ``formatter``."""

    def __init__(self, style: Any, items: list[dict[str, Any]],
                 output: Callable[[Root], Any] | None = None) -> None:
        self.style = style
        self.source = EngineSource(items)
        # what each finished tree becomes (a backend's render), in the worker that made it
        self.output = output
        # what variables are prepared with for output (EngineItem.get_field): the engine
        # renders marker text; finish() makes the tree
        self.formatter = richtext
        root = style.root
        self.keys: list[str] = []
        self.items: list[EngineItem] = []
        self.numbers: dict[str, int] = {}
        self.year_suffixes: dict[str, str] = {}
        self.disambiguation: dict[str, dict[str, Any]] = {}
        self.disambiguate_flag: set[str] = set()
        self.implicit_year_suffix = "year-suffix" not in _style_facts(root)
        self._prepared = False
        for index, item in enumerate(items):
            self._register_key(str(item.get("id", f"ITEM-{index + 1}")))

    def finish(self, text: Any) -> Any:
        """Rendered marker text → its output tree (flip-flop, quotes, punctuation), mapped by
        ``output`` if given."""
        root = self.style.root
        if not hasattr(self, "_terms"):
            self._terms = {name: str(root.get_single_term(name)) for name in
                           ("open-quote", "close-quote", "open-inner-quote",
                            "close-inner-quote")}
            option = root.get_locale_option("punctuation-in-quote") or "false"
            self._piq = option.lower() == "true"
        root = build(text, self._terms, self._piq)
        return root if self.output is None else self.output(root)

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

    def prepare(self) -> None:
        """Sort (citation numbers follow the bibliography order) and disambiguate, once."""
        if self._prepared:
            return
        self._prepared = True
        # given names shown to tell people apart (the global rules) are known before the
        # order is: citeproc-js sorts on the names as they are then shown ("Obeng, S.G."
        # kept as written sorts as "SG", after "Samuel")
        citation = self.style.root.citation
        if citation is not None and citation.get("disambiguate-add-givenname") == "true":
            rule = citation.get("givenname-disambiguation-rule", "by-cite")
            if rule != "by-cite":
                self._global_given_names(rule)
        self.sort()
        self.disambiguate()

    # -- bibliography --------------------------------------------------------------------
    def sort(self) -> None:
        bibliography = self.style.root.bibliography
        if bibliography is None:
            return
        if len(self.items) < 2:  # one entry is in order: its sort keys (rendered macros,
            self._renumber()     # mostly) are not needed
            return
        sort = bibliography.find("cs:sort", bibliography.nsmap)
        processes = parallel.workers(len(self.items))
        if sort is None or processes <= 1:
            self.items = bibliography.sort(self.items)
        else:
            # the keys (rendered macros, mostly) computed in parallel, compared as usual
            layout = bibliography.layout
            keys = sort.findall("cs:key", sort.nsmap)

            def compute(chunk: Any) -> list[tuple[Any, ...]]:
                columns = [key.sort_keys(chunk, layout) for key in keys]
                return list(zip(*columns, strict=True)) if columns else [() for _ in chunk]

            rows = parallel.map_chunks(compute, self.items, processes)
            for index, key in enumerate(keys):
                column = [row[index] for row in rows]
                key.sort_keys = lambda _items, _context, column=column: column
            try:
                self.items = bibliography.sort(self.items)
            finally:
                for key in keys:
                    del key.sort_keys
        self._renumber()

    def bibliography(self) -> list[Any]:
        bibliography = self.style.root.bibliography
        if bibliography is None:
            return []
        self.prepare()
        substitute = bibliography.get("subsequent-author-substitute")
        items = self.items
        chunks = parallel.workers(len(items))
        rendered = parallel.map_chunks(self._render_entries, items, chunks)
        if substitute is not None and chunks > 1:
            # an entry opening a chunk was rendered without knowing the entry before it
            size = len(items)
            starts = {sum(len(c) for c in parallel._chunks(items, chunks)[:i])
                      for i in range(1, chunks)}
            for start in sorted(s for s in starts if 0 < s < size):
                previous = _previous_names(rendered, start)
                names = rendered[start][1]
                if names and names == previous:
                    text, _ = self._render_entry(items[start], substitute=substitute)
                    rendered[start] = (None if text is None else self.finish(text), names)
        return [text for text, _ in rendered if text is not None]

    def _render_entry(self, item: Any, substitute: str | None = None) -> tuple[Any, Any]:
        bibliography = self.style.root.bibliography
        layout = bibliography.layout
        item["position"] = "first"
        state = {}
        if substitute is not None:
            state["substitute_names"] = richtext.preformat(substitute)
        if bibliography.get("second-field-align"):
            text = layout.render_entry_aligned(item, richtext, **state)
            return text, layout.repressed.get("first_names_key")
        return layout.render_entry(item, **state)

    def _render_entries(self, items: list[EngineItem]) -> list[tuple[Any, Any]]:
        """(finished tree, or what ``output`` made of it, or None; names text) per item, in
        order; subsequent-author-substitute within these items (the first one is taken as
        following no entry)."""
        substitute = self.style.root.bibliography.get("subsequent-author-substitute")
        out: list[tuple[Any, Any]] = []
        previous_names: str | None = None
        for item in items:
            text, names = self._render_entry(item)
            if substitute is not None and names and names == previous_names:
                # all rules substitute when every name matches; partial matches of the
                # *-each / partial-* rules are not handled (the whole list stays)
                text, _ = self._render_entry(item, substitute=substitute)
            if names is not None or text is not None:
                previous_names = names
            out.append((None if text is None else self.finish(text), names))
        return out

    # -- citations ------------------------------------------------------------------------
    def make_citation(self, cluster: list[dict[str, Any]]) -> Citation:
        cites = []
        for cite in cluster:
            options: dict[str, Any] = {}
            if cite.get("locator") not in (None, ""):
                options["locator"] = Locator(*_locator_label(cite.get("label") or "page",
                                                             str(cite["locator"])))
            for key in ("prefix", "suffix", "suppress-author", "author-only"):
                if cite.get(key):
                    options[key] = cite[key]
            if cite.get("position") in _POSITIONS:  # a position the caller already knows
                options["given-position"] = _POSITIONS[cite["position"]]
            cites.append(EngineItem(str(cite["id"]), **options))
        citation = Citation(cites)
        citation.bibliography = self
        return citation

    def citations(self, clusters: list[list[dict[str, Any]]]) -> list[Any]:
        citation_element = self.style.root.citation
        self.prepare()
        layout = citation_element.layout
        sort = citation_element.find("cs:sort", citation_element.nsmap)
        out = []
        history: list[list[Any]] = []
        last_seen: dict[str, int] = {}
        for number, cluster in enumerate(clusters):
            citation = self.make_citation(cluster)
            cites = list(citation.cites)
            if sort is not None:
                good = [c for c in cites if not c.is_bad()]
                cites = sort.sort(good, layout) + [c for c in cites if c.is_bad()]
            self._positions(cites, history, last_seen, number)
            if cites:
                cites[0]["first-in-cluster"] = True
            text = layout.render_cluster(cites, _unknown)
            out.append(self.finish(text if text is not None else ""))
            history.append(cites)
        return out

    def _positions(self, cites: list[Any], history: list[list[Any]],
                   last_seen: dict[str, int], number: int) -> None:
        distance = int(self.style.root.citation.get("near-note-distance", 5))
        previous_cluster = history[-1] if history else []
        for index, cite in enumerate(cites):
            if cite.key not in last_seen:
                position = "first"
            else:
                if index > 0:
                    preceding = cites[index - 1]
                    same = preceding.key == cite.key
                else:
                    keys = {c.key for c in previous_cluster}
                    preceding = previous_cluster[-1] if previous_cluster else None
                    same = keys == {cite.key}
                position = "subsequent"
                if same and preceding is not None:
                    here = cite.get("locator")
                    there = preceding.get("locator")
                    if here is None and there is None:
                        position = "ibid"
                    elif here is not None and (there is None or
                                               (here.identifier, here.label)
                                               != (there.identifier, there.label)):
                        position = "ibid-with-locator"
                    elif here is not None:
                        position = "ibid"
                cite["near-note"] = number - last_seen[cite.key] <= distance
            cite["position"] = cite.get("given-position", position)
            last_seen[cite.key] = number

    # -- disambiguation -------------------------------------------------------------------
    def render_for_disambiguation(self, key: str) -> str:
        layout = self.style.root.citation.layout
        cite = self.items[self.numbers[key] - 1]
        cite["position"] = "first"
        text, _ = layout.render_cite(cite)
        return str(text) if text is not None else ""

    def clashes_among(self, keys: list[str], processes: int = 1) -> list[list[str]]:
        """The groups of ``keys`` whose first cites render the same (with two or more)."""
        groups: dict[str, list[str]] = defaultdict(list)
        texts = parallel.map_chunks(
            lambda chunk: [self.render_for_disambiguation(key) for key in chunk],
            keys, processes)
        for key, text in zip(keys, texts, strict=True):
            groups[text].append(key)
        return [group for group in groups.values() if len(group) > 1]

    def disambiguate(self) -> None:
        citation = self.style.root.citation
        if citation is None:
            return
        add_names = citation.get("disambiguate-add-names") == "true"
        add_given = citation.get("disambiguate-add-givenname") == "true"
        rule = citation.get("givenname-disambiguation-rule", "by-cite")
        add_suffix = citation.get("disambiguate-add-year-suffix") == "true"
        if len(self.keys) < 2:
            return  # one item clashes with nothing
        uses_condition = "disambiguate" in _style_facts(self.style.root)
        if not (add_names or add_given or add_suffix or uses_condition):
            return
        remaining = self.clashes_among(list(self.keys), parallel.workers(len(self.keys)))
        if add_names or (add_given and rule == "by-cite"):
            more = add_suffix or uses_condition
            remaining = [g for group in remaining
                         for g in self._resolve(group, add_names,
                                                add_given and rule == "by-cite", more)]
        if uses_condition:
            still = []
            for group in remaining:
                self.disambiguate_flag.update(group)
                still.extend(self.clashes_among(group))
            remaining = still
        if add_suffix:
            order = {key: i for i, key in enumerate(self.keys)}
            for group in remaining:
                for index, key in enumerate(sorted(group, key=order.__getitem__)):
                    self.year_suffixes[key] = _suffix_letters(index)

    def _names_signature(self, key: str) -> tuple[Any, ...]:
        """Every name variable of the item (what adding names or given names can show)."""
        return tuple(sorted(
            (variable, tuple(tuple(sorted((k, str(v)) for k, v in name.items()))
                             for name in value))
            for variable, value in name_lists(self.source[key])))

    def _resolve(self, group: list[str], add_names: bool, add_given: bool,
                 more_methods: bool) -> list[list[str]]:
        """Show more names and/or more of the given names as citeproc-js does
        (:mod:`.disambiguation`); return what still clashes."""
        if len({self._names_signature(key) for key in group}) == 1:
            # the same names everywhere: showing more of them cannot tell the cites apart
            # (a merged library's copies clashed in every trial: 35,000 renders at 10k items)
            return [group]
        return resolve_names(self, group, add_names, add_given, more_methods)

    def citation_names_first(self) -> int | None:
        """et-al-use-first of cs:citation (where the styles that add names set it)."""
        citation = self.style.root.citation
        value = citation.get("et-al-use-first") if citation is not None else None
        return int(value) if value and value.isdigit() else None

    def first_names_count(self, key: str) -> int:
        """How many names the first name list a citation shows has (citeproc-js's
        maximum for adding names): the author's, else the editor's, else the translator's."""
        reference = self.source[key]
        variable = first_names_variable(reference)
        return len(reference[variable]) if variable else 0

    def _global_given_names(self, rule: str) -> None:
        """all-names / primary-name rules: expand every name whose family name is shared
        with a different person anywhere in the document.

        As in citeproc-js, whose name registry holds the names citations show (the authors)
        and then every name the bibliography renders: authors are compared with authors,
        the other name lists (editors ...) with the names of every list; levels are kept per
        name variable (``given_by``), so a shared author does not change an editor's form."""
        primary = rule.startswith("primary-name")
        initials_only = rule.endswith("with-initials")
        hyphen = self.style.root.get("initialize-with-hyphen", "true") != "false"

        def register(only_authors: bool) -> tuple[dict[str, set[str]], dict[str, list[str]]]:
            people: dict[str, set[str]] = defaultdict(set)
            initials: dict[str, list[str]] = defaultdict(list)
            for key in self.keys:
                for variable, names in name_lists(self.source[key]):
                    if only_authors and variable != "author":
                        continue
                    for index, name in enumerate(names):
                        if primary and index > 0:
                            break
                        family = _family_key(name)
                        given = re.sub(r"[\s.]+", " ", str(name.get("given", ""))).strip()
                        if given not in people[family]:
                            people[family].add(given)
                            initials[family].append(_initials(given, hyphen))
            return people, initials

        registries = {True: register(True), False: register(False)}
        for key in self.keys:
            for variable, names in name_lists(self.source[key]):
                people, initials = registries[variable == "author"]
                for index, name in enumerate(names):
                    if primary and index > 0:
                        break
                    family = _family_key(name)
                    if len(people[family]) < 2:
                        continue
                    given = re.sub(r"[\s.]+", " ", str(name.get("given", "")))
                    unique_initials = initials[family].count(_initials(given, hyphen)) == 1
                    if initials_only:
                        if not unique_initials:
                            continue  # initials would not tell them apart: leave it be
                        level = 1
                    else:
                        level = 1 if unique_initials else 2
                    state = self.disambiguation.setdefault(key, {})
                    state.setdefault("given_by", {}).setdefault(variable, {})[index] = level


def _initials(given: str, hyphen: bool = True) -> str:
    """The initials citeproc-js files a given name under: with initialize-with-hyphen (the
    default) "L-G" and "L G" are two people ("L-G" / "LG"), "Jean-Paul" is "J-P"."""
    if not hyphen:
        given = given.replace("-", " ")
    return "".join("-".join(part[:1] for part in word.split("-")) for word in given.split())


def _family_key(name: Any) -> str:
    return " ".join(str(name.get(part, "")) for part in
                    ("non-dropping-particle", "family", "literal")).strip()


def _previous_names(rendered: list[tuple[Any, Any]], index: int) -> Any:
    """The names text subsequent-author-substitute compares entry ``index`` with."""
    for text, names in reversed(rendered[:index]):
        if names is not None or text is not None:
            return names
    return None


def _unknown(item: Any) -> str:
    return f"{item.key}?"
