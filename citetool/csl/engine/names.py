"""citetool's cs:names, cs:name, cs:name-part, cs:et-al and cs:substitute (see :mod:`.elements`)."""

from __future__ import annotations

from typing import Any

from .base import (
    _NAME_PARTS,
    _NUMBER_TAG,
    _TEXT_TAG,
    CaseMixin,
    Decorated,
    _in_layout,
    _is_romanesque,
    _join_particle,
    _processor,
    _same_names,
    escape,
    first_names_variable,
    inherited,
    override,
    record_variable,
    render_context,
)
from .element import Element
from .initials import initialize as initialize_given
from .node import CS
from .richtext import strip_markers
from .sorting import SORT_OPTIONS
from .source import VariableError
from .strings import String, join

_NAMES_TAG = CS + "names"
_NAME_TAG = CS + "name"


@override
class Name(Decorated, Element):
    """cs:name written anew: initials (incl. ``initialize="false"``), particles, non-Latin
    names, et-al (incl. et-al-use-last and et-al-subsequent-*), "and", delimiters."""


    def get_option(self, name: str, context: Any = None, sort_options: Any = None,
                   default: Any = None) -> Any:
        """A name option as written (a string, or ``default``): the sort key's override
        (names-min ...), else cs:name's attribute, else the inheritable option of
        cs:citation / cs:bibliography, then cs:style (``name-form``, ``name-delimiter`` for
        form and delimiter)."""
        if sort_options and name in sort_options:
            return sort_options[name]
        parent_name = {"form": "name-form", "delimiter": "name-delimiter"}.get(name)
        return inherited(self, name, context, default, parent_name)

    def name_parts(self, name: Any, context: Any, sort_options: Any, inverted: bool,
                   form: str, given_level: int | None = None) -> str:
        sort_options = sort_options or SORT_OPTIONS.get()
        if "literal" in name:
            return self.format_parts(str(escape(self, str(name["literal"]))), "")[0]

        def part(key: str, curl: bool = True) -> str:
            # an apostrophe in a name is typographic even where it opens a word ("'t Hart",
            # "'Malillo"), as citeproc-js prints it
            text = str(name.get(key, "") or "")
            return str(escape(self, text.replace("'", "’") if curl else text))

        family, given = part("family"), part("given")
        if given and not family:  # a mononym given as "given" ("Banksy")
            family, given = given, ""
        dp, ndp = part("dropping-particle"), part("non-dropping-particle")
        suffix = part("suffix", curl=False)
        romanesque = _is_romanesque(family + given)

        initialize_with = self.get_option("initialize-with", context, sort_options)
        if given_level is not None:  # disambiguation by given name
            if given_level >= 2:
                initialize_with = None
            if given_level >= 1 and form == "short":
                form = "long"
        if initialize_with is not None and given and romanesque:
            given = self.initialize(given, initialize_with, context, sort_options)

        if not romanesque:
            family_part, given_part = self.format_parts(
                _join_particle(_join_particle(dp, ndp), family), given)
            return family_part if form == "short" else family_part + given_part
        demote = self.get_root().get("demote-non-dropping-particle", "display-and-sort")
        if form == "short":
            return self.format_parts(_join_particle(ndp, family), "")[0]
        # as citeproc-js: each part formatted on its own, the dropping particle like the
        # given name, the non-dropping one like the family name, the suffix by neither;
        # the family name-part's affixes enclose particles, family name and suffix
        # (CSL test-suite name_FormattingOfParticles: "Gerard van DER MEER")
        parts = {p.get("name"): p for p in self.findall("cs:name-part", self.nsmap)}

        def styled(which: str, text: str) -> str:
            part = parts.get(which)
            return text if part is None or not text else part.styled(text)

        def gap(particle: str) -> str:
            return "" if particle[-1:] in ("'", "’", "-") else " "

        if inverted:
            separator = self.get_option("sort-separator", context, sort_options, ", ")
            family_part = styled("family", family)
            given_bits = [styled("given", given)] if given else []
            if demote == "display-and-sort" or (sort_options and demote == "sort-only"):
                # demoted: "Aubignac, François Hédelin d’" keeps d’ formatted as family
                demoted = styled("given", dp) + (gap(dp) if dp and ndp else "") + \
                    styled("family", ndp)
                given_bits += [demoted] if demoted else []
            else:
                if ndp:
                    family_part = styled("family", ndp) + gap(ndp) + family_part
                given_bits += [styled("given", dp)] if dp else []
            given_part = " ".join(given_bits)
            if "family" in parts and family_part:
                family_part = str(parts["family"].wrap(String(family_part)))
            if "given" in parts and given_part:
                given_part = str(parts["given"].wrap(String(given_part)))
            return separator.join(p for p in (family_part, given_part, suffix) if p)

        family_part = styled("family", family)
        for particle, which in ((ndp, "family"), (dp, "given")):
            if particle:
                family_part = (styled(which, particle)
                               + ("" if particle[-1] in "'’-" else " ") + family_part)
        if suffix:
            comma = name.get("comma-suffix") in (True, "true", 1)
            family_part += (", " if comma else " ") + suffix
        given_part = styled("given", given) if given else ""
        if "family" in parts and family_part:
            family_part = str(parts["family"].wrap(String(family_part)))
        if "given" in parts and given_part:
            given_part = str(parts["given"].wrap(String(given_part)))
        if given_part and family_part:
            gap = "" if strip_markers(given_part)[-1:].isspace() else " "
            return given_part + gap + family_part
        return given_part or family_part

    def initialize(self, given: str, mark: str, context: Any = None,
                   sort_options: Any = None) -> str:
        """``given`` with each name cut to an initial followed by ``mark`` (the
        initialize-with value), as citeproc-js cuts it; with initialize="false" only the
        initials already there get the mark. A hyphenated name keeps its hyphen unless the
        style sets initialize-with-hyphen="false"."""
        whole_names = self.get_option("initialize", context, sort_options, "true") != "false"
        hyphen = self.get_root().get("initialize-with-hyphen", "true") != "false"
        return initialize_given(given, mark, whole_names, hyphen)

    def format_parts(self, family: str, given: str) -> tuple[str, str]:
        for part in self.findall("cs:name-part", self.nsmap):
            which = part.get("name")
            if which == "family" and family:
                family = part.format_part(family)
            elif which == "given" and given:
                given = part.format_part(given)
        return family, given

    def et_al(self) -> str:
        """What follows names cut by et-al: the cs:et-al sibling's term (formatted and
        affixed, "" for an empty term), else the locale's "et-al" term."""
        parent = self.getparent()
        element = next((child for child in parent if isinstance(child, Et_Al)), None)
        if element is not None:
            text = element.markup(element.process())
            return "" if text is None else str(text)
        return str(self.get_single_term("et-al"))

    def markup(self, text: Any) -> Any:
        """The names text formatted and affixed by cs:name (None stays None)."""
        return None if text is None else self.wrap(self.format(text))

    def shown_names(self, names: list[Any], context: Any, sort_options: Any,
                    subsequent: bool, disambiguation: dict[str, Any] | None
                    ) -> tuple[list[Any], bool]:
        """The names et-al leaves (and disambiguation adds), and whether any were cut."""
        def opt(name: str, default: Any = None) -> Any:
            return self.get_option(name, context, sort_options, default)

        et_al_min = int(opt("et-al-min", 0) or 0)
        use_first = opt("et-al-use-first")
        if use_first is None:
            et_al_min = 0  # et-al-min without et-al-use-first does not truncate
        et_al_first = int(use_first or 0)
        if subsequent:
            et_al_min = int(opt("et-al-subsequent-min", et_al_min) or 0)
            et_al_first = int(opt("et-al-subsequent-use-first", et_al_first) or 0)
        shown = names
        truncated = False
        if et_al_min and len(names) >= et_al_min and et_al_first < len(names):
            shown = names[:et_al_first]
            truncated = True
        state = disambiguation or {}
        extra = state.get("add_names", 0)
        if truncated and extra:
            count = et_al_first + extra
            where = render_context(self, context)
            if (state.get("names_shown") is not None and where is not None
                    and where.tag.endswith("bibliography")):
                # citeproc-js keeps the number of names the citation needed, not the number
                # added: the bibliography shows that many or its own et-al-use-first
                count = max(et_al_first, state["names_shown"])
            shown = names[:count]
            truncated = len(shown) < len(names)
        return shown, truncated

    def render_names(self, item: Any, names: list[Any], context: Any = None,
                     sort_options: Any = None, subsequent: bool = False,
                     disambiguation: dict[str, Any] | None = None) -> str | int | None:
        sort_options = sort_options or SORT_OPTIONS.get()

        def opt(name: str, default: Any = None) -> Any:
            return self.get_option(name, context, sort_options, default)

        form = opt("form", "long")
        delimiter = opt("delimiter", ", ")
        use_last = opt("et-al-use-last", "false") == "true"
        and_ = opt("and") if not sort_options else None
        order = opt("name-as-sort-order")
        disambiguation = disambiguation or {}
        shown, truncated = self.shown_names(names, context, sort_options, subsequent,
                                            disambiguation)
        if form == "count":
            return len(shown)
        if not shown:
            return None
        given_levels = disambiguation.get("given", {})
        rendered = []
        for index, name in enumerate(shown):
            inverted = form != "short" and (order == "all" or (order == "first" and index == 0))
            rendered.append(self.name_parts(name, context, sort_options, inverted, form,
                                            given_levels.get(index)))
        def inverted_at(index: int) -> bool:
            if form == "short" or index >= len(shown) or "literal" in shown[index]:
                return False
            return order == "all" or (order == "first" and index == 0)

        last_inverted = inverted_at(len(shown) - 1)

        if truncated:
            if use_last and len(names) >= len(shown) + 2:
                last = self.name_parts(names[-1], context, sort_options,
                                       form != "short" and order == "all", form)
                return (delimiter.join(rendered) + delimiter + "\u2026 " + last)
            if sort_options:
                return delimiter.join(rendered)  # citeproc-js sorts on these, no "et al."
            et_al = self.et_al()
            if not et_al:
                return delimiter.join(rendered)
            precedes = opt("delimiter-precedes-et-al", "contextual")
            use_delim = (precedes == "always"
                         or (precedes == "contextual" and len(rendered) >= 2)
                         or (precedes == "after-inverted-name" and last_inverted))
            if not _is_romanesque(strip_markers(rendered[-1] + et_al)):
                return delimiter.join(rendered) + (delimiter if use_delim else "") + et_al
            return delimiter.join(rendered) + (delimiter if use_delim else " ") + et_al
        if and_ and len(rendered) > 1:
            and_term = (str(self.get_single_term("and")) if and_ == "text"
                        else self.preformat("&"))
            precedes = opt("delimiter-precedes-last", "contextual")
            inverted_before = inverted_at(len(rendered) - 2)
            use_delim = (precedes == "always"
                         or (precedes == "contextual" and len(rendered) >= 3)
                         or (precedes == "after-inverted-name" and inverted_before))
            head = delimiter.join(rendered[:-1])
            return head + (delimiter if use_delim else " ") + and_term + " " + rendered[-1]
        return delimiter.join(rendered)


@override
class Names(Decorated, Element):
    """cs:names written anew: variables joined by the names delimiter, labels, editor =
    translator merged, substitution (which also suppresses the substituted variable),
    form="count" summed over variables, et-al-subsequent-* for repeated cites."""

    def process(self, item: Any, names_context: Any = None, context: Any = None,
                sort_options: Any = None, **kwargs: Any) -> Any:
        if context is None:
            context = self
        layout = context.get_layout() if _in_layout(context) and not sort_options else None
        state = getattr(layout, "repressed", None) if layout is not None else None
        if state is None or names_context is not None:
            return self._output(item, names_context, context, sort_options, **kwargs)
        if "first_names" in state:  # not the first cs:names of this cite / entry
            return self._output(item, names_context, context, sort_options, **kwargs)
        text = self._output(item, names_context, context, sort_options, **kwargs)
        if text:
            state["first_names"] = state.get("names_core") or str(text)
            state["first_names_key"] = state.get("names_key") or str(text)
            if state.get("suppress_names"):
                raise VariableError
            if state.get("substitute_names") is not None and "names_core" not in state:
                return String(state["substitute_names"])  # substituted by a non-name
        return text

    def _output(self, item: Any, names_context: Any, context: Any, sort_options: Any,
                **kwargs: Any) -> Any:
        if names_context is None:
            names_context = self
            if len(self) == 0:
                # the shorthand <names variable="editor"/> anywhere inside a cs:substitute
                # (also within cs:choose) inherits the name options of the substituted
                # cs:names (Chicago: "Matuz, Roger, ed.", not "R. Matuz")
                outer = self.substituted_names()
                if outer is not None:
                    names_context = outer
        name_element = names_context.name_child()
        label_element = names_context.find("cs:label", self.nsmap)

        layout = context.get_layout() if _in_layout(context) else None
        repressed = (getattr(layout, "repressed", None) or {}) if layout is not None else {}
        if sort_options:
            repressed = {}
        variables = [v for v in self.get("variable", "").split()
                     if v not in repressed.get("names", ())]
        reference = item.reference
        present = [v for v in variables if reference.get(v.replace("-", "_"))]
        if ("editor" in present and "translator" in present
                and _same_names(reference.get("editor"), reference.get("translator"))
                and str(self.get_single_term("editortranslator")).strip()):
            present = [v for v in present if v != "translator"]
            merged = True
        else:
            merged = False

        where = render_context(self, context)
        subsequent = (item.get("position", "first") != "first" and where is not None
                      and where.tag.endswith("citation"))
        processor = _processor(item)
        disamb = processor.disambiguation.get(item.key) if processor is not None else None
        outputs: list[Any] = []
        count = 0
        for variable in present:
            names = reference[variable.replace("-", "_")]
            own = disamb
            if disamb:
                # by-cite levels ("given") belong to the first name list a citation shows,
                # global rules' levels ("given_by") to each list (citeproc-js: per nameset)
                first = first_names_variable(reference)
                given = disamb.get("given", {}) if variable.replace("_", "-") == first else {}
                own = {**disamb, "given": {**given,
                                           **disamb.get("given_by", {}).get(variable, {})}}
            text = name_element.render_names(item, names, context, sort_options, subsequent,
                                             own)
            if isinstance(text, int):
                count += text
                continue
            if not text:
                continue
            if repressed.get("substituting") and layout is not None:
                # a name rendered in place of another is not rendered again in this cite
                layout.repressed.setdefault("names", []).append(variable)
            if layout is not None and not sort_options and "first_names" not in repressed \
                    and "names_core" not in repressed:
                # the first names of an entry (without the label): what collapsing compares
                # and subsequent-author-substitute replaces, when the names shown are those
                # of the entry before compared as citeproc-js compares them (names_key: the
                # parts of each name as in the data)
                repressed["names_core"] = str(text)
                shown, _ = name_element.shown_names(names, context, sort_options,
                                                    subsequent, disamb)
                repressed["names_key"] = ",".join(
                    "".join(str(name.get(part) or "") for part in _NAME_PARTS)
                    for name in shown)
                if repressed.get("substitute_names") is not None:
                    text = repressed["substitute_names"]
            text = name_element.markup(String(text))
            if label_element is not None and not sort_options:
                role = "editortranslator" if merged and variable == "editor" else variable
                label = label_element.render(item, role, len(names) > 1, **kwargs)
                if label:
                    children = list(names_context)
                    # a default cs:name (name_child) stands before every child
                    name_at = (children.index(name_element) if name_element in children
                               else -1)
                    before = children.index(label_element) < name_at
                    text = label + text if before else text + label
            outputs.append(text)
        record_variable(self, context, bool(outputs) or bool(count))
        if name_element.get("form") == "count" or (
                sort_options is None and self._count_form(name_element, context)):
            if count:
                return String(str(count))
            if present:
                return None
        elif outputs:
            delimiter = self.get("delimiter")
            if delimiter is None:
                delimiter = self.get_parent_delimiter(context)
            return join(outputs, delimiter)
        substitute = self.substitute()
        if substitute is not None:
            return substitute.render(item, context=context, sort_options=sort_options,
                                     **kwargs)
        raise VariableError

    def name_child(self) -> Name:
        """This cs:names' cs:name. Without one, a cs:name with no attributes (every option
        inherited): made once, kept beside the style's tree (whose nodes no render changes)
        with this cs:names as its parent, where it finds its cs:et-al sibling and the style.
        (citeproc-py added an element tagged "Name" to the tree, which the next lookup missed:
        one more child per rendering.)"""
        for child in self:
            if isinstance(child, Name):
                return child
        default = vars(self).get("_default_name")
        if default is None:
            default = self._default_name = Name(_NAME_TAG, {}, self, self.sourceline)
        return default

    def substituted_names(self) -> Names | None:
        """The cs:names whose cs:substitute holds this one (at any depth), else None."""
        node = self.getparent()
        while node is not None and not isinstance(node, Substitute):
            node = node.getparent()
        outer = node.getparent() if node is not None else None
        return outer if isinstance(outer, Names) else None

    def calls_variable(self) -> bool:
        """A cs:names always calls variables (what a cs:group's suppression counts)."""
        return True

    def get_parent_delimiter(self, context: Any = None) -> str:
        """The delimiter between name variables when cs:names sets none: ``names-delimiter``
        of cs:citation / cs:bibliography, else of cs:style, else none."""
        return str(inherited(self, "names-delimiter", context, ""))

    def substitute(self) -> Substitute | None:
        """This cs:names' cs:substitute child (None without one)."""
        for child in self:
            if isinstance(child, Substitute):
                return child
        return None

    def _count_form(self, name_element: Any, context: Any) -> bool:
        return inherited(name_element, "form", context, "long", "name-form") == "count"

    def markup(self, text: Any) -> Any:
        if text:
            return self.wrap(self.format(text))
        return None


@override
class Substitute(Element):
    def render(self, item: Any, context: Any = None, **kwargs: Any) -> Any:
        names_parent = self.getparent()
        layout = context.get_layout() if context is not None and _in_layout(context) else None
        state = getattr(layout, "repressed", None) if layout is not None else None
        if state is not None:
            state["substituting"] = state.get("substituting", 0) + 1
        try:
            return self._first(item, context, names_parent, **kwargs)
        finally:
            if state is not None:
                state["substituting"] -= 1

    def _first(self, item: Any, context: Any, names_parent: Any, **kwargs: Any) -> Any:
        state = None
        if _in_layout(context) and not kwargs.get("sort_options"):
            state = getattr(context.get_layout(), "repressed", None)
        outer_log = state.get("substitution_log") if state is not None else None
        for child in self:
            log: list[tuple[str, str]] = []
            if state is not None:
                state["substitution_log"] = log
            try:
                if isinstance(child, Names) and child.find("cs:name", self.nsmap) is None:
                    text = child.render(item, names_context=names_parent, context=context,
                                        **kwargs)
                else:
                    text = child.render(item, context=context, **kwargs)
            except VariableError:
                continue
            finally:
                if state is not None:
                    state["substitution_log"] = outer_log
            if text:
                if _in_layout(context) and not kwargs.get("sort_options"):
                    self.add_to_repressed_list(child, context)
                    # every variable the substitute printed, also through nested macros,
                    # is suppressed in the rest of the item (CSL 1.0.2, cs:substitute)
                    for tag, variable in log:
                        for same in (_TEXT_TAG, _NUMBER_TAG):  # by variable, any element
                            state.setdefault(same, []).append(variable)
                        if outer_log is not None:
                            outer_log.append((tag, variable))
                return text
            if child.tag == _TEXT_TAG and "term" in child.attrib:
                return None  # a term substitutes even when empty (citeproc-js)
        return None

    def add_to_repressed_list(self, child: Any, context: Any) -> None:
        """``child`` printed in place of the names: the variables it names are not printed
        again in this cite (CSL 1.0.2, cs:substitute). Those of ``child`` itself, else of
        every cs:text and cs:names in it or in the macro it calls. A cs:names' variables
        are kept under "names", any other element's under its tag (cs:text's, or the
        cs:date's / cs:number's that substituted)."""
        repressed = context.get_layout().repressed
        if child.get("macro"):
            elements = _printing(child.get_macro(child.get("macro")))
        elif child.get("variable"):
            elements = [child]
        else:
            elements = _printing(child)
        for element in elements:
            key = "names" if element.tag == _NAMES_TAG else element.tag
            for variable in (element.get("variable") or "").split():
                repressed.setdefault(key, []).append(variable)


def _printing(element: Any) -> list[Any]:
    """The cs:text and cs:names elements in ``element`` (itself included), in order."""
    return [node for node in element.iter() if node.tag in (_TEXT_TAG, _NAMES_TAG)]


@override
class Name_Part(Decorated, CaseMixin, Element):  # noqa: N801 - the citeproc-py class name
    """cs:name-part: text case and formatting for the given or the family name; its affixes
    enclose the whole part (particles and suffix included, see :meth:`Name.name_parts`)."""

    def styled(self, text: str) -> str:
        """``text`` in this part's text case and formatting, without its affixes."""
        return str(self.format(self.case(String(text))))

    def format_part(self, text: str) -> str:
        """``text`` styled and enclosed in this part's affixes."""
        return str(self.wrap(self.format(self.case(String(text)))))


@override
class Et_Al(Decorated, Element):  # noqa: N801 - the citeproc-py class name
    """cs:et-al: which term ends a list cut by et-al ("et-al" or "and others"), and its
    formatting and affixes."""

    def process(self) -> Any:
        """The term's text in the locale (an empty string for an empty term)."""
        return self.get_single_term(self.get("term", "et-al"))

    def markup(self, text: Any) -> Any:
        """``text`` formatted and affixed; None when it is empty."""
        return self.wrap(self.format(text)) if text else None
