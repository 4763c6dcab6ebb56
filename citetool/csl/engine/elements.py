"""citetool's subclasses of citeproc-py's CSL element classes (the fixes).

Each class here subclasses the citeproc-py class of the same CSL element and is registered in
:data:`OVERRIDES` under the element name; :func:`.style.element_lookup` makes lxml build these
instead of citeproc-py's. Where citeproc-py's method is wrong as a whole (names, for example)
the method is written anew here; elsewhere the subclass adjusts and calls ``super()``.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from citeproc import model
from citeproc.source import VariableError
from citeproc.string import MixedString, NoCase, String, join

from . import richtext
from .initials import initialize
from .richtext import strip_markers
from .sorting import SORT_OPTIONS, collation_key

OVERRIDES: dict[str, type] = {}

CONTEXT_XPATH = "./ancestor-or-self::*[self::cs:citation or self::cs:bibliography][1]"


def override(cls: type) -> type:
    """Register ``cls`` for the CSL element its name spells (``Else_If`` → ``else-if``)."""
    OVERRIDES[cls.__name__.replace("_", "-").lower()] = cls
    return cls


# -- helpers -----------------------------------------------------------------------------

def escape(element: Any, value: Any) -> Any:
    """Variable text prepared for the output medium: escaped, straight apostrophes curled
    (as citeproc-js does), NoCase segments kept."""
    preformat = element.get_formatter().preformat

    def one(text: Any) -> Any:
        out = preformat(_curl(str(text)))
        return NoCase(out) if isinstance(text, NoCase) else String(out)

    if isinstance(value, MixedString):
        return MixedString([one(part) for part in value])
    if isinstance(value, str):
        return one(value)
    return value


def _curl(text: str) -> str:
    # an apostrophe between letters (or after one, before a space) is typographic
    return re.sub(r"(?<=\w)'", "\u2019", text)


_NONE = object()


def _cached_ancestor(element: Any, slot: str, xpath: str) -> Any:
    """An XPath ancestor lookup cached on the element's proxy (a cache miss if lxml
    recreates the proxy; never a wrong answer)."""
    found = vars(element).get(slot, _NONE)
    if found is _NONE:
        results = element.xpath_search(xpath)
        found = results[0] if results else None
        setattr(element, slot, found)
    return found


def render_context(element: Any, context: Any) -> Any:
    """The cs:citation or cs:bibliography the rendering happens in (None when sorting...)."""
    for candidate in (context, element):
        if candidate is None:
            continue
        found = _cached_ancestor(candidate, "_render_context", CONTEXT_XPATH)
        if found is not None:
            return found
    return None


def inherited(element: Any, name: str, context: Any, default: Any = None,
              parent_name: str | None = None) -> Any:
    """An inheritable attribute: the element, then cs:citation/cs:bibliography, then cs:style."""
    value = element.get(name)
    if value is not None:
        return value
    parent = render_context(element, context)
    for holder in (parent, element.get_root()):
        if holder is not None:
            value = holder.get(parent_name or name)
            if value is not None:
                return value
    return default


def _is_romanesque(text: str) -> bool:
    for char in text:
        if char.isalpha():
            name = unicodedata.name(char, "")
            if not name.startswith(("LATIN", "GREEK", "CYRILLIC", "HEBREW", "ARABIC",
                                    "THAI", "ARMENIAN", "GEORGIAN", "MODIFIER")):
                return False
    return True




def _join_particle(first: str, second: str) -> str:
    if not first:
        return second
    if not second:
        return first
    if first[-1] in "'’-":
        return first + second
    return first + " " + second


_TERM_FORM_FALLBACK: dict[str | None, tuple[str | None, ...]] = {
    "verb-short": ("verb-short", "verb", None), "verb": ("verb", None),
    "symbol": ("symbol", "short", None), "short": ("short", None)}


class Cached:
    """Cached replacements for citeproc-py's per-call XPath lookups of the enclosing
    cs:layout and of macros by name, and of the root element."""

    def get_root(self) -> Any:
        root = vars(self).get("_root")
        if root is None:
            root = self.getroottree().getroot()
            self._root = root
        return root

    def get_formatter(self) -> Any:
        root = self.get_root()
        if isinstance(root, model.Locale):
            return root.style.formatter
        return root.formatter

    def get_layout(self) -> Any:
        layout = _cached_ancestor(self, "_layout", "./ancestor-or-self::cs:layout[1]")
        if layout is None:
            raise IndexError("not inside cs:layout")
        return layout

    def get_macro(self, name: str) -> Any:
        root = self.get_root()
        macros = vars(root).get("_macros")
        if macros is None:
            macros = {}
            for macro in root.findall("cs:macro", root.nsmap):
                macros.setdefault(macro.get("name"), macro)
            root._macros = macros
        try:
            return macros[name]
        except KeyError:
            raise IndexError(f"no macro {name!r}") from None

    def get_term(self, name: str, form: str | None = None, fallback_locale: bool = True,
                 zero_padded: bool = False) -> Any:
        """A term, with the CSL form fallback (verb-short → verb → long, symbol → short →
        long, short → long) that citeproc-js applies; citeproc-py found exact forms only."""
        for each in _TERM_FORM_FALLBACK.get(form, (form,)):
            term = super().get_term(name, each, fallback_locale,  # type: ignore[misc]
                                    zero_padded)
            if term is not None:
                return term
        return None


class CachedCalls:
    """``calls_variable()`` is a property of the style's structure only; citeproc-py walked
    the whole subtree (macros included) on every rendering of every cs:group."""

    def calls_variable(self) -> bool:
        cached = vars(self).get("_calls_variable")
        if cached is None:
            cached = bool(super().calls_variable())  # type: ignore[misc]
            self._calls_variable = cached
        return cached


_FORMATTING = ("font-style", "font-variant", "font-weight", "text-decoration",
               "vertical-align")
_DISPLAY = {"block": richtext.Block, "left-margin": richtext.LeftMargin,
            "right-inline": richtext.RightInline, "indent": richtext.Indent}


_STRIP_PERIOD = re.compile(r"\.([^a-z]|$)")


def _strip_periods(string: Any) -> Any:
    if isinstance(string, MixedString):
        return MixedString([_strip_periods(part) for part in string])
    if isinstance(string, str):
        stripped = _STRIP_PERIOD.sub(r"\1", string)
        return string.__class__(stripped) if isinstance(string, String) else stripped
    return string


class Decorated:
    """Affixes may hold quotes and inline markup (parsed as field text is, as citeproc-js
    does); ``display`` wraps the output in block / margin / indent spans; explicit
    "normal" formatting (font-style="normal" ...) is kept as a span so that it can undo the
    enclosing formatting (citeproc-py dropped it)."""

    def strip_periods(self, string: Any) -> Any:
        """strip-periods as citeproc-js: a period goes unless a lowercase ASCII letter
        follows ("CitationStyles.org" stays, "Athenaeum. Polskie" → "Athenaeum Polskie");
        citeproc-py removed every period."""
        if self.get("strip-periods", "false").lower() != "true":
            return string
        return _strip_periods(string)

    def format(self, string: Any) -> Any:
        # most elements have no formatting attribute: skip citeproc-py's five lookups
        # (each fetched the formatter and an attribute; ~40 calls per entry)
        plain = vars(self).get("_unformatted")
        if plain is None:
            attrib = self.attrib
            plain = not any(name in attrib for name in _FORMATTING)
            if not self.tag.endswith("}date-part"):  # a date-part's attributes may change
                self._unformatted = plain  # (a style's override of a localized date)
        if plain:
            return str(string) if isinstance(string, (int, float)) else string
        return super().format(string)  # type: ignore[misc]

    def font_style(self, text: Any) -> Any:
        if self.get("font-style") == "normal":
            return richtext.NormalStyle(text)
        return super().font_style(text)  # type: ignore[misc]

    def font_variant(self, text: Any) -> Any:
        if self.get("font-variant") == "normal":
            return richtext.NormalVariant(text)
        return super().font_variant(text)  # type: ignore[misc]

    def font_weight(self, text: Any) -> Any:
        if self.get("font-weight") == "normal":
            return richtext.NormalWeight(text)
        return super().font_weight(text)  # type: ignore[misc]

    def text_decoration(self, text: Any) -> Any:
        if self.get("text-decoration") == "none":
            return richtext.NoDecoration(text)
        return super().text_decoration(text)  # type: ignore[misc]

    def vertical_align(self, text: Any) -> Any:
        if self.get("vertical-align") == "baseline":
            return richtext.Baseline(text)
        return super().vertical_align(text)  # type: ignore[misc]

    def wrap(self, string: Any) -> Any:
        if string is None:
            return None
        prefix = self.get("prefix", "")
        suffix = self.get("suffix", "")
        if prefix:
            string = join([String(richtext.parse_field(prefix, quotes=False)), string], "")
        if suffix:
            string = join([string, String(richtext.parse_field(suffix, quotes=False))], "")
        display = self.get("display")
        if display in _DISPLAY:
            string = String(_DISPLAY[display](string))
        return string


class CaseMixin:
    """CSL text-case on rich text (markers and nocase spans untouched); title case only for
    English items: the item's ``language``, else the style's default locale, else English."""

    def case(self, text: Any, language: str | None = None) -> Any:
        text_case = self.get("text-case")
        if text_case is None or text is None:
            return text
        english = language is None or language.lower().startswith("en")
        return String(richtext.apply_case(str(text), text_case, english))


# -- names ---------------------------------------------------------------------------------

@override
class Name(Cached, Decorated, model.Name):
    """cs:name written anew: initials (incl. ``initialize="false"``), particles, non-Latin
    names, et-al (incl. et-al-use-last and et-al-subsequent-*), "and", delimiters."""

    def option(self, name: str, context: Any, sort_options: Any, default: Any = None) -> Any:
        if sort_options and name in sort_options:
            return sort_options[name]
        parent_name = {"form": "name-form", "delimiter": "name-delimiter"}.get(name)
        return inherited(self, name, context, default, parent_name)

    def name_parts(self, name: Any, context: Any, sort_options: Any, inverted: bool,
                   form: str, given_level: int | None = None) -> str:
        sort_options = sort_options or SORT_OPTIONS.get()
        if "literal" in name:
            return self.format_parts(str(escape(self, str(name["literal"]))), "")[0]
        family = str(escape(self, str(name.get("family", "") or "")))
        given = str(escape(self, str(name.get("given", "") or "")))
        if given and not family:  # a mononym given as "given" ("Banksy")
            family, given = given, ""
        dp = str(escape(self, str(name.get("dropping-particle", "") or "")))
        ndp = str(escape(self, str(name.get("non-dropping-particle", "") or "")))
        suffix = str(escape(self, str(name.get("suffix", "") or "")))
        romanesque = _is_romanesque(family + given)

        initialize_with = self.option("initialize-with", context, sort_options)
        init_names = self.option("initialize", context, sort_options, "true") != "false"
        if given_level is not None:  # disambiguation by given name
            if given_level >= 2:
                initialize_with = None
            if given_level >= 1 and form == "short":
                form = "long"
        if initialize_with is not None and given and romanesque:
            hyphen = self.get_root().get("initialize-with-hyphen", "true") != "false"
            given = initialize(given, initialize_with, init_names, hyphen)

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
            if part is None or not text:
                return text
            return str(part.format(part.case(String(text))))

        def gap(particle: str) -> str:
            return "" if particle[-1:] in ("'", "’", "-") else " "

        if inverted:
            separator = self.option("sort-separator", context, sort_options, ", ")
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

    def format_parts(self, family: str, given: str) -> tuple[str, str]:
        for part in self.findall("cs:name-part", self.nsmap):
            which = part.get("name")
            if which == "family" and family:
                family = str(part.wrap(part.format(part.case(String(family)))))
            elif which == "given" and given:
                given = str(part.wrap(part.format(part.case(String(given)))))
        return family, given

    def et_al_term(self) -> str:
        element = self.getparent().find("cs:et-al", self.nsmap)
        if element is not None:
            term = element.get("term", "et-al")
            text = self.get_single_term(term)
            return str(element.wrap(element.format(text))) if text else ""
        return str(self.get_single_term("et-al"))

    def shown_names(self, names: list[Any], context: Any, sort_options: Any,
                    subsequent: bool, disambiguation: dict[str, Any] | None
                    ) -> tuple[list[Any], bool]:
        """The names et-al leaves (and disambiguation adds), and whether any were cut."""
        def opt(name: str, default: Any = None) -> Any:
            return self.option(name, context, sort_options, default)

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
        extra = (disambiguation or {}).get("add_names", 0)
        if truncated and extra:
            shown = names[:et_al_first + extra]
            truncated = len(shown) < len(names)
        return shown, truncated

    def render_names(self, item: Any, names: list[Any], context: Any = None,
                     sort_options: Any = None, subsequent: bool = False,
                     disambiguation: dict[str, Any] | None = None) -> str | int | None:
        sort_options = sort_options or SORT_OPTIONS.get()

        def opt(name: str, default: Any = None) -> Any:
            return self.option(name, context, sort_options, default)

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
            et_al = self.et_al_term()
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
class Names(Cached, Decorated, model.Names):
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
                outer = _cached_ancestor(self, "_substituted_names",
                                         "./ancestor::cs:substitute[1]/parent::cs:names")
                if outer is not None:
                    names_context = outer
        name_element = names_context.find("cs:name", self.nsmap)
        if name_element is None:
            name_element = Name()
            names_context.insert(0, name_element)
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
            text = name_element.render_names(item, names, context, sort_options, subsequent,
                                             disamb)
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
            text = name_element.wrap(name_element.format(String(text)))
            if label_element is not None and not sort_options:
                role = "editortranslator" if merged and variable == "editor" else variable
                label = label_element.render(item, role, len(names) > 1, **kwargs)
                if label:
                    before = (list(names_context).index(label_element)
                              < list(names_context).index(name_element))
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
                delimiter = inherited(self, "names-delimiter", context, "")
            return join(outputs, delimiter)
        substitute = self.find("cs:substitute", self.nsmap)
        if substitute is not None:
            return substitute.render(item, context=context, sort_options=sort_options,
                                     **kwargs)
        raise VariableError

    def _count_form(self, name_element: Any, context: Any) -> bool:
        return inherited(name_element, "form", context, "long", "name-form") == "count"

    def markup(self, text: Any) -> Any:
        if text:
            return self.wrap(self.format(text))
        return None


def _in_layout(context: Any) -> bool:
    return _cached_ancestor(context, "_layout", "./ancestor-or-self::cs:layout[1]") is not None


def _same_names(a: Any, b: Any) -> bool:
    return bool(a) and bool(b) and [dict(x) for x in a] == [dict(x) for x in b]


@override
class Substitute(Cached, model.Substitute):
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
                if isinstance(child, model.Names) and child.find("cs:name", self.nsmap) is None:
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
                    self._repress(child, context)
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

    def _repress(self, child: Any, context: Any) -> None:
        layout = context.get_layout()
        repressed = layout.repressed
        elements = [child] if child.get("variable") else list(
            child.iter("{http://purl.org/net/xbiblio/csl}text",
                       "{http://purl.org/net/xbiblio/csl}names"))
        if child.get("macro"):
            macro = child.get_macro(child.get("macro"))
            elements = list(macro.iter("{http://purl.org/net/xbiblio/csl}text",
                                       "{http://purl.org/net/xbiblio/csl}names"))
        for element in elements:
            tag = "names" if element.tag.endswith("names") else "text"
            for variable in (element.get("variable") or "").split():
                if tag == "names":
                    repressed.setdefault("names", []).append(variable)
                else:
                    repressed.setdefault(element.tag, []).append(variable)


# -- dates ---------------------------------------------------------------------------------

_PART_ORDER = ("year", "month", "day")
_NO_AFFIX_OVERRIDE = ("prefix", "suffix", "name")


class _Attributes:
    """Temporarily give ``element`` extra attributes (restored on exit): how a style's
    cs:date-part overrides a localized date format without editing the shared locale tree
    (citeproc-py wrote the override into the cached locale element for good)."""

    def __init__(self, element: Any, extra: dict[str, str]) -> None:
        self.element = element
        self.extra = extra
        self.saved: dict[str, str] = {}

    def __enter__(self) -> Any:
        self.saved = dict(self.element.attrib)
        self.element.attrib.update(self.extra)
        return self.element

    def __exit__(self, *exc: object) -> None:
        self.element.attrib.clear()
        self.element.attrib.update(self.saved)


def _date_value(date: Any, part: str) -> int | None:
    value = date.get(part)
    if value in (None, 0, ""):
        if part == "month" and date.get("season"):
            return None
        return None
    return int(value)


@override
class Date(Cached, Decorated, model.Date):
    """cs:date written anew: localized forms without mutating the locale, ranges with the
    range-delimiter of the largest differing part, open ranges, seasons, implicit year
    suffixes."""

    def process(self, item: Any, variable: str | None = None, show_parts: Any = None,
                context: Any = None, **kwargs: Any) -> Any:
        variable = variable or self.get("variable")
        value = item.reference.get(variable.replace("-", "_"))
        if not value:
            record_variable(self, context, False)
            return None
        form = self.get("form")
        overrides: dict[str, dict[str, str]] = {}
        if form is not None:
            localized = self.get_date(form)
            if localized is None:
                return None
            wanted = self.get("date-parts", "year-month-day").split("-")
            parts = [p for p in localized.findall("cs:date-part", self.nsmap)
                     if p.get("name") in wanted]
            for part in self.findall("cs:date-part", self.nsmap):
                overrides[part.get("name")] = {k: v for k, v in part.attrib.items()
                                               if k not in _NO_AFFIX_OVERRIDE}
            delimiter = localized.get("delimiter", "")
        else:
            parts = list(self.findall("cs:date-part", self.nsmap))
            delimiter = self.get("delimiter", "")
        if kwargs.get("sort_options") is not None:
            return String(self._sort_key(value, [p.get("name") for p in parts]))
        suffix = ""
        processor = _processor(item)
        where = context if context is not None else self
        if (variable == "issued" and processor is not None
                and processor.implicit_year_suffix and not _flag(where, "year_suffix_done")):
            suffix = processor.year_suffixes.get(item.key, "")
            if suffix:
                _set_flag(where, "year_suffix_done")
        if isinstance(value, model.LiteralDate):
            text = String(self.preformat(value.text)) + suffix
        elif isinstance(value, model.DateRange):
            text = self._range(value, parts, overrides, delimiter, suffix)
        else:
            text = self._parts(value, parts, overrides, delimiter, suffix)
        record_variable(self, context, bool(text))
        if not text:
            return None
        return self.wrap(self.format(text))

    def markup(self, text: Any) -> Any:
        return text

    @staticmethod
    def _sort_key(value: Any, shown: list[str]) -> str:
        """A date in a sort macro sorts as a date (YYYYMMDD of the parts shown)."""
        if isinstance(value, model.LiteralDate):
            return str(value.text)

        def key(date: Any) -> str:
            year = date.get("year") or 0
            month = date.get("month") or 0 if "month" in shown else 0
            day = date.get("day") or 0 if "day" in shown else 0
            return f"{year + 10000:05d}{month:02d}{day:02d}"

        if isinstance(value, model.DateRange):
            end = value.get("end")
            return key(value.begin) + (key(end) if end is not None else "")
        return key(value)

    def _render_part(self, part: Any, date: Any, override: dict[str, str] | None,
                     suffix: str = "", strip: str = "") -> str | None:
        with _Attributes(part, override or {}) as element:
            text = element.part_text(date, self)
            if text is None:
                return None
            if element.get("name") == "year":
                text += suffix
            if strip:
                element.attrib.pop(strip, None)
            return element.markup(text)

    def _parts(self, date: Any, parts: list[Any], overrides: dict[str, dict[str, str]],
               delimiter: str, suffix: str = "", strip_last: bool = False,
               strip_first: bool = False) -> str:
        rendered: list[tuple[Any, str]] = []
        for part in parts:
            text = self._render_part(part, date, overrides.get(part.get("name")), suffix)
            if text:
                rendered.append((part, text))
        if not rendered:
            return ""
        for position, strip, wanted in ((-1, "suffix", strip_last), (0, "prefix", strip_first)):
            if wanted:
                part = rendered[position][0]
                rendered[position] = (part, self._render_part(
                    part, date, overrides.get(part.get("name")), suffix, strip))
        return str(join([text for _, text in rendered], delimiter))

    def _range(self, value: Any, parts: list[Any], overrides: dict[str, dict[str, str]],
               delimiter: str, suffix: str) -> str:
        begin, end = value.begin, value.get("end")
        if end is None or end.get("year") in (None, 0):
            year_part = next((p for p in parts if p.get("name") == "year"), None)
            dash = (year_part.get("range-delimiter") if year_part is not None else None) or "\u2013"
            text = self._parts(begin, parts, overrides, delimiter, suffix)
            return text + dash if text else ""
        differing = None
        for name in _PART_ORDER:
            if self._part_key(begin, name) != self._part_key(end, name):
                differing = name
                break
        if differing is None:
            return self._parts(begin, parts, overrides, delimiter, suffix)
        scope = _PART_ORDER[_PART_ORDER.index(differing):]
        names = [p.get("name") for p in parts]
        inside = [i for i, n in enumerate(names) if n in scope]
        if not inside:
            return self._parts(begin, parts, overrides, delimiter, suffix)
        first, last = inside[0], inside[-1]
        largest = next((p for p in parts if p.get("name") == differing), None)
        dash = "\u2013"
        if largest is not None:
            over = overrides.get(differing, {})
            dash = over.get("range-delimiter") or largest.get("range-delimiter") or dash
        before = self._parts(begin, parts[:first], overrides, delimiter)
        block_begin = self._parts(begin, parts[first:last + 1], overrides, delimiter,
                                  strip_last=True)
        block_end = self._parts(end, parts[first:last + 1], overrides, delimiter, suffix,
                                strip_first=True)
        after = self._parts(end, parts[last + 1:], overrides, delimiter, suffix)
        pieces = [p for p in (before, block_begin + dash + block_end, after) if p]
        return str(join(pieces, delimiter))

    @staticmethod
    def _part_key(date: Any, name: str) -> Any:
        if name == "month":
            return date.get("month") or ("s", date.get("season"))
        return date.get(name)


@override
class Date_Part(Cached, Decorated, CaseMixin, model.Date_Part):  # noqa: N801 - the citeproc-py class name
    def part_text(self, date: Any, context: Any) -> str | None:
        name = self.get("name")
        if name == "year":
            year = date.get("year")
            if year in (None, 0):
                return None
            if self.get("form") == "short":
                return f"{abs(year) % 100:02d}"
            text = str(abs(year))
            if year < 0:
                text += str(context.get_single_term("bc"))
            elif year < 1000:
                text += str(context.get_single_term("ad"))
            return text
        if name == "month":
            month = date.get("month")
            form = self.get("form", "long")
            if not month:
                season = date.get("season")
                if not season:
                    return None
                try:
                    return str(context.get_single_term(f"season-{int(season):02d}"))
                except ValueError:
                    return str(season)
            if form == "numeric":
                return str(month)
            if form == "numeric-leading-zeros":
                return f"{month:02d}"
            term = context.get_single_term(f"month-{month:02d}",
                                           "short" if form == "short" else None)
            return str(term)
        if name == "day":
            day = date.get("day")
            if not day or not date.get("month"):
                return None
            form = self.get("form", "numeric")
            if form == "numeric-leading-zeros":
                return f"{day:02d}"
            if form == "ordinal":
                limit = (context.get_locale_option("limit-day-ordinals-to-day-1") or "false")
                if limit.lower() == "true" and day != 1:
                    return str(day)
                month = date.get("month")
                gender = term_gender(context, f"month-{month:02d}") if month else None
                return ordinal(day, context, gender)
            return str(day)
        return None


def record_variable(element: Any, context: Any, rendered: bool) -> None:
    """Tell the innermost rendering cs:group that a variable was called (and whether it
    gave output): a group is suppressed when it called variables and none rendered."""
    where = context if context is not None else element
    try:
        state = where.get_layout().repressed
    except (IndexError, AttributeError):
        return
    stack = state.get("groups") if state is not None else None
    if stack:
        frame = stack[-1]
        frame[0] = True
        frame[1] = frame[1] or rendered


_TEXT_TAG = "{http://purl.org/net/xbiblio/csl}text"
_NUMBER_TAG = "{http://purl.org/net/xbiblio/csl}number"


def _substitution_log(context: Any) -> list[tuple[str, str]] | None:
    """While a cs:substitute child renders: the list of (tag, variable) it printed."""
    if context is None or not _in_layout(context):
        return None
    try:
        return context.get_layout().repressed.get("substitution_log")
    except (IndexError, AttributeError):
        return None


def _processor(item: Any) -> Any:
    try:
        bibliography = item.bibliography
    except Exception:
        return None
    return bibliography if hasattr(bibliography, "year_suffixes") else None


def _flag(context: Any, name: str) -> bool:
    try:
        return bool(context.get_layout().repressed.get(name))
    except (IndexError, AttributeError):
        return False


def _set_flag(context: Any, name: str) -> None:
    try:
        context.get_layout().repressed[name] = True
    except (IndexError, AttributeError):
        pass


def term_gender(context: Any, name: str) -> str | None:
    """The grammatical gender a locale gives the term ``name`` ("edition", "month-10")."""
    for locale in _locales(context):
        terms = locale.term_index().get((name, None))
        if terms:
            return terms[0].get("gender")
    return None


def _locales(context: Any) -> list[Any]:
    root = context.get_root()
    locales = getattr(root, "locales", None)
    return [loc for loc in (locales if locales is not None else [root])
            if hasattr(loc, "term_index")]


def _ordinal_term(context: Any, number: int, gender: str | None, prefix: str,
                  fallback: str | None) -> Any:
    """CSL 1.0.1 ordinal term selection: ordinal-NN terms matched on the whole number, the
    last two digits or the last digit (in that order of preference), the term of the
    noun's gender before a neuter one; ``fallback`` ("ordinal") when none matches. The first
    locale in the chain that defines such terms decides."""
    for locale in _locales(context):
        index = locale.term_index()
        names = [name for (name, form) in index if form is None and name.startswith(prefix)]
        if not names and not (fallback and (fallback, None) in index):
            continue
        best: tuple[tuple[int, int], Any] | None = None
        for name in names:
            suffix = name[len(prefix):]
            if not suffix.isdigit():
                continue
            value = int(suffix)
            for term in index[(name, None)]:
                match = term.get("match") or ("last-digit" if value < 10 and
                                              prefix == "ordinal-" else "last-two-digits")
                if match == "whole-number" or prefix == "long-ordinal-":
                    rank = 0 if number == value else None
                elif match == "last-two-digits":
                    rank = 1 if number % 100 == value else None
                else:
                    rank = 2 if number % 10 == value else None
                if rank is None:
                    continue
                term_gender = term.get("gender-form")
                if term_gender and gender and term_gender != gender:
                    continue
                fit = 0 if term_gender == gender else 1
                if term_gender and not gender:
                    fit = 2 if term_gender != "masculine" else 1
                if best is None or (rank, fit) < best[0]:
                    best = ((rank, fit), term)
        if best is not None:
            return best[1]
        if fallback:
            terms = index.get((fallback, None)) or []
            chosen = next((t for t in terms if t.get("gender-form") == gender), None)
            if chosen is None:
                chosen = next((t for t in terms if not t.get("gender-form")), None)
            if chosen is not None or terms:
                return chosen if chosen is not None else terms[0]
    return None


def ordinal(number: int, context: Any, gender: str | None = None) -> str:
    """12th, 1ᵉʳ (masculine) / 1ʳᵉ (feminine), 2.ª ... — never "2th"."""
    term = _ordinal_term(context, number, gender, "ordinal-", "ordinal")
    return f"{number}{term.single if term is not None else ''}"


def long_ordinal(number: int, context: Any, gender: str | None = None) -> str:
    if 1 <= number <= 10:
        term = _ordinal_term(context, number, gender, "long-ordinal-", None)
        if term is not None:
            return str(term.single)
    return ordinal(number, context, gender)


# -- layout: cites, clusters, bibliography entries -----------------------------------------

@override
class Layout(Cached, Decorated, model.Layout):
    """cs:layout with the whole-cluster logic citeproc-py lacks: cluster order kept unless
    cs:citation has a cs:sort, cite prefixes/suffixes, suppress-author, collapsing of
    citation numbers, years and year suffixes; bibliography entries with
    subsequent-author-substitute and second-field-align."""

    def render_cite(self, cite: Any, **state: Any) -> tuple[Any, str | None]:
        """One cite through the layout's children: (text or None, its first names text)."""
        self.repressed = dict(state)
        try:
            text = self.render_children(cite)
        except VariableError:
            text = None
        return text, self.repressed.get("first_names")

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
        for child in self.iterchildren():
            try:
                text = child.render(item)
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


NO_PRINTED_FORM = "[CSL STYLE ERROR: reference with no printed form.]"
_STAND_IN_TERMS = ("no date", "anonymous")


def _resolve_after(groups: list[tuple[str, list[Any]]], delimiter: str,
                   after_collapse: str) -> list[tuple[str, list[Any]]]:
    """The delimiter after a collapsed group is after-collapse-delimiter."""
    out: list[tuple[str, list[Any]]] = []
    pending = False
    for before, group in groups:
        if before == "__after__":
            pending = True
            continue
        out.append((after_collapse if pending else before, group))
        pending = False
    return out


def _range_suffixes(parts: list[tuple[str, Any, str | None]]) -> list[tuple[str, Any, Any]]:
    """year-suffix-ranged: three or more consecutive suffixes joined by suffix-collapse
    become a range ("2000a–e", "2000a, c–e")."""
    out: list[tuple[str, Any, Any]] = []
    i = 0
    while i < len(parts):
        j = i
        while (j + 1 < len(parts) and parts[j][2] and parts[j + 1][2]
               and len(parts[j][2]) == 1 and len(parts[j + 1][2]) == 1
               and isinstance(parts[j + 1][1], String) and str(parts[j + 1][1]) == parts[j + 1][2]
               and ord(parts[j + 1][2]) == ord(parts[j][2]) + 1):
            j += 1
        if j - i >= 2:
            out.append((parts[i][0], join([parts[i][1], String("\u2013" + parts[j][2])], ""),
                        None))
            i = j + 1
        else:
            out.append(parts[i])
            i += 1
    return out


# -- conditions ----------------------------------------------------------------------------

@override
class If(Cached, CachedCalls, model.If):
    """cs:if with cite positions computed by the processor, ``disambiguate``, and
    ``is-numeric`` as citeproc-js reads it ("2nd", "12-14", "1, 3" are numeric)."""

    def render(self, item: Any, context: Any = None, delimiter: str = "",
               **kwargs: Any) -> Any:
        if not self._test(item, context):
            raise model.ConditionFailed
        return self.render_children(item, context=context, delimiter=delimiter, **kwargs)

    def _conditions(self) -> tuple[tuple[tuple[str, Any], ...], str]:
        """((test, values) ..., match): the element's tests, read from its attributes once
        (lxml builds a new attribute proxy on every ``self.attrib``; ~70 tests an entry)."""
        found = vars(self).get("_conditions_cache")
        if found is None:
            attrib = self.attrib
            tests = tuple((name, attrib[name] if name == "disambiguate"
                           else tuple(attrib[name].split()))
                          for name in _CONDITION_TESTS if name in attrib)
            found = (tests, attrib.get("match", "all"))
            self._conditions_cache = found
        return found

    def _results(self, item: Any, context: Any) -> Any:
        tests, _match = self._conditions()
        for name, values in tests:
            if name == "type":
                kind = item.reference.type
                for t in values:
                    yield t == kind
            elif name == "variable":
                for v in values:
                    yield _has_variable(item, v)
            elif name == "is-numeric":
                for v in values:
                    yield _is_numeric(item, v)
            elif name == "is-uncertain-date":
                for v in values:
                    yield bool(getattr(item.reference.get(v.replace("-", "_")), "get",
                                       lambda _k, _d=None: False)("circa"))
            elif name == "locator":
                label = item.locator.label if item.has_locator else None
                for v in values:
                    yield label == v or (v == "sub-verbo" and label == "sub verbo")
            elif name == "position":
                for p in values:
                    yield self._position_test(item, context, p)
            elif name == "disambiguate":
                processor = _processor(item)
                yield (values == "true" and processor is not None
                       and item.key in processor.disambiguate_flag)

    def _test(self, item: Any, context: Any) -> bool:
        # the tests have no side effects: stop at the first one that decides
        match = self._conditions()[1]
        if match == "any":
            return any(self._results(item, context))
        if match == "none":
            return not any(self._results(item, context))
        return all(self._results(item, context))

    def _position_test(self, item: Any, context: Any, test: str) -> bool:
        where = render_context(self, context)
        if where is None or not where.tag.endswith("citation"):
            return False
        position = item.get("position", "first")
        if test == "first":
            return position == "first"
        if test == "subsequent":
            return position != "first"
        if test == "ibid":
            return position in ("ibid", "ibid-with-locator")
        if test == "ibid-with-locator":
            return position == "ibid-with-locator"
        if test == "near-note":
            return position != "first" and bool(item.get("near-note"))
        return False


_CONDITION_TESTS = ("type", "variable", "is-numeric", "is-uncertain-date", "locator",
                    "position", "disambiguate")


@override
class Else_If(If):  # noqa: N801 - the citeproc-py class name
    pass


def _has_variable(item: Any, variable: str) -> bool:
    if variable == "locator":
        return item.has_locator
    if variable == "year-suffix":
        processor = _processor(item)
        return processor is not None and item.key in processor.year_suffixes
    value = item.reference.get(variable.replace("-", "_"))
    # not ``value not in (None, "", [])``: citeproc-py's DateRange.__eq__ raises
    return value is not None and not (isinstance(value, (str, list)) and len(value) == 0)


_NUMERIC = re.compile(r"^\s*[a-z]?\d+[a-z]?(?:\s*(?:[-\u2013,&]|and)\s*[a-z]?\d+[a-z]?)*\s*$",
                      re.I)


def _is_numeric(item: Any, variable: str) -> bool:
    if variable == "locator":
        value = item.locator.identifier if item.has_locator else None
    else:
        value = item.reference.get(variable.replace("-", "_"))
    if value is None:
        return False
    text = str(value)
    return bool(_NUMERIC.match(text)) or bool(re.match(r"^\d+(st|nd|rd|th)$", text.strip()))


# -- numbers and page ranges ---------------------------------------------------------------

_LIST_SPLIT = re.compile(r"(\s*,\s*|\s*&\s*|\s+and\s+)")
_RANGE = re.compile(r"^\s*(\S+?)\s*[-\u2013\u2014]+\s*(\S+?)\s*$")
_PREFIXED = re.compile(r"^((?:\S*[^\d\s])?)(\d+)$")  # "S12", "8n11564" (prefix "8n")
_ROMAN = re.compile(r"^[ivxlcdm]+$", re.I)


def _range_end(first: str, last: str, fmt: str | None) -> str:
    """The printed end of a numeric range under CSL page-range-format."""
    if fmt in ("chicago", "chicago-15", "chicago-16"):
        value = int(first)
        if value < 100 or value % 100 == 0 or len(first) != len(last):
            return last
        common = next((i for i, (a, b) in enumerate(zip(first, last, strict=True)) if a != b),
                      len(first))
        if fmt != "chicago-16" and len(first) == 4 and len(first) - common >= 3:
            return last
        fmt = "minimal" if value % 100 < 10 else "minimal-two"
    if fmt not in ("minimal", "minimal-two") or len(first) != len(last):
        return last
    common = next((i for i, (a, b) in enumerate(zip(first, last, strict=True)) if a != b),
                  len(first))
    if fmt == "minimal-two":
        common = min(common, max(len(last) - 2, 0))
    return last[common:]


def format_range(text: str, fmt: str | None, delimiter: str, number: Any) -> str:
    """One "a-b" piece: a real range gets ``delimiter`` and ``page-range-format`` (an end
    before the start only the delimiter); anything else (prefix mismatch, words) keeps a plain
    hyphen."""
    if "\\-" in text:  # an escaped hyphen is not a range: "327\-30"
        return text.strip().replace("\\-", "-")
    match = _RANGE.match(text)
    if not match:
        return number(text.strip())
    first, last = match.groups()
    pf, pl = _PREFIXED.match(first), _PREFIXED.match(last)
    if pf and pl and pf.group(1) == pl.group(1):
        prefix, a, b = pf.group(1), pf.group(2), pl.group(2)
        if not fmt:
            return f"{prefix}{number(a)}{delimiter}{pl.group(1)}{number(b)}"
        if len(b) < len(a):
            b = a[:len(a) - len(b)] + b
        if int(b) > int(a):
            end = _range_end(a, b, fmt)
            # citeproc-js: "A1-A5" → "A1–5" except under "expanded"
            end_prefix = pl.group(1) if fmt == "expanded" else ""
            return f"{prefix}{number(a)}{delimiter}{end_prefix}{number(end)}"
        # citeproc-js: an end before the start is still a range ("465–176"), left as written
        return f"{prefix}{number(a)}{delimiter}{pl.group(1)}{number(pl.group(2))}"
    if pf and pl is None and _PREFIXED.match(last) is None and not last.isdigit() \
            and _ROMAN.match(first) is None:
        return f"{first}-{last}"
    if _ROMAN.match(first) and _ROMAN.match(last):
        return f"{first}{delimiter}{last}"
    return f"{first}-{last}"


def is_plural_number(value: str, and_term: str = "") -> bool:
    pieces = [p for p in _LIST_SPLIT.split(value) if p and not _LIST_SPLIT.fullmatch(p)]
    if len(pieces) > 1 or (and_term and f" {and_term} " in value):
        return True
    marker = "\u0000"
    formatted = format_range(pieces[0] if pieces else "", None, marker, str)
    return marker in formatted


class NumberFormatting:
    """Page ranges and number lists as citeproc-js prints them (replaces citeproc-py's
    FormatNumber._process)."""

    def _process(self, value: Any, variable: str) -> Any:
        text = str(value)
        root = self.get_root()
        is_page = variable in ("page", "page-first", "locator")
        fmt = root.get("page-range-format") if variable in ("page", "locator") else None
        delimiter = "\u2013"
        # citeproc-js (fixupRangeDelimiter): numeric ranges of these take the locale's
        # page-range-delimiter (AMA: "-"), a collection number its year-range-delimiter
        if is_page or variable in ("volume", "issue", "edition", "number"):
            term = str(self.get_single_term("page-range-delimiter"))
            delimiter = term or delimiter
        elif variable == "collection-number":
            delimiter = str(self.get_single_term("year-range-delimiter")) or delimiter
        if variable == "page-first":
            first = re.split(r"\s*(?:[-\u2013,&]|\band\b)\s*", text.strip())[0]
            return String(str(self.format_number(first)))
        out = []
        for piece in _LIST_SPLIT.split(text):
            if not piece:
                continue
            if _LIST_SPLIT.fullmatch(piece):
                stripped = piece.strip()
                if stripped == "&":  # the locale's symbol for "and" (citeproc-js)
                    stripped = str(self.get_single_term("and", "symbol")) or "&"
                out.append(", " if stripped == "," else f" {stripped} ")
            else:
                out.append(format_range(piece, fmt, delimiter,
                                        lambda n: str(self.format_number(n))))
        return String("".join(out))


# -- text ------------------------------------------------------------------------------------

_TEXT_VARIABLES_PLAIN = ("URL", "DOI", "PMID", "PMCID", "ISBN", "ISSN")
_NUMBER_VARIABLES = ("volume", "issue", "number", "chapter-number", "collection-number",
                     "number-of-pages", "number-of-volumes")


@override
class Text(Cached, Decorated, CachedCalls, CaseMixin, NumberFormatting, model.Text):
    """cs:text: field markup parsed into rich text, quotes as rich-text spans (flip-flop and
    punctuation-in-quote happen at the end), year-suffix from the processor."""

    def _variable(self, item: Any, context: Any) -> Any:
        try:
            value = self._variable_value(item, context)
        except VariableError:
            value = None
        if self.get("variable") != "year-suffix":
            record_variable(self, context, bool(value is not None and str(value)))
        if value is None:
            raise VariableError
        log = _substitution_log(context)
        if log is not None and str(value):
            log.append((self.tag, self.get("variable")))
        return value

    def _variable_value(self, item: Any, context: Any) -> Any:
        variable = self.get("variable")
        if variable == "year-suffix":
            processor = _processor(item)
            suffix = processor.year_suffixes.get(item.key) if processor is not None else None
            return String(suffix) if suffix else None
        if variable == "locator":
            if not item.has_locator:
                return None
            return self._process(item.locator.identifier, "locator")
        if variable == "citation-label":
            return self._citation_label(item, context)
        value = super()._variable(item, context)
        if isinstance(value, (list, dict)):
            return None  # a list where text belongs: set (for conditions), never printed
        if variable == "citation-number" and value is not None:
            return String(str(value))  # citeproc-py returned an int (strip-periods crashed)
        if value is None or variable.startswith("page"):
            return value
        if variable in _NUMBER_VARIABLES:
            return self._process(value, variable)  # "3-4" → "3–4" as cs:number prints it
        # citeproc-js: a space before ; : ? ! » (and after «) is a narrow no-break space
        value = _NARROW_SPACE.sub("\u202f\\1", str(value)).replace("\u00ab ", "\u00ab\u202f")
        if variable in _TEXT_VARIABLES_PLAIN:
            text = richtext.preformat(value)
        else:
            text = richtext.parse_field(value)
        # one value is one piece: punctuation inside it is never merged (see richtext.FIELD)
        return String(richtext.span(richtext.FIELD, text) if text else text)

    def process(self, item: Any, context: Any = None, **kwargs: Any) -> Any:
        if "macro" in self.attrib:
            return self._macro(item, context, **kwargs)
        if self.get("term") in _STAND_IN_TERMS:
            # a stand-in for missing data counts as rendered data (as for citeproc-js)
            record_variable(self, context, True)
        if "value" in self.attrib and not any(a in self.attrib for a in
                                              ("variable", "macro", "term")):
            text, language = super().process(item, context, **kwargs)
            # quotes written in the style behave as the style's quotes
            value = richtext.parse_field(self.get("value"), generic=richtext.CQUOTE)
            return String(value), language
        return super().process(item, context, **kwargs)

    def _macro(self, item: Any, context: Any = None, **kwargs: Any) -> Any:
        """A macro is suppressed like a cs:group when it calls variables and all are empty
        (as citeproc-js does); a macro of terms only does not count as a variable."""
        where = context if context is not None else self
        try:
            state = where.get_layout().repressed
        except (IndexError, AttributeError):
            state = None
        if state is None:
            return super().process(item, context, **kwargs)
        stack = state.setdefault("groups", [])
        stack.append([False, False])
        try:
            text, language = super().process(item, context, **kwargs)
        finally:
            called, rendered = stack.pop()
        if called:
            suppressed = not rendered or not text
            if stack:
                stack[-1][0] = True
                stack[-1][1] = stack[-1][1] or not suppressed
            if suppressed:
                return None, language
        return text, language

    def _citation_label(self, item: Any, context: Any) -> Any:
        """citation-label: the item's own, else a trigraph as citeproc-js makes it
        ("Aaaa00:AaAa00:AaAA00:AAAA00": 4, 2+2, 2+1+1 or 1+1+1+1 letters of the first
        authors' family names, then the year's last two digits); the year suffix follows."""
        reference = item.reference
        label = reference.get("citation_label")
        if not label:
            names = next((reference.get(v) for v in ("author", "editor", "translator")
                          if reference.get(v)), [])
            families = [str(n.get("family") or n.get("literal") or "") for n in names][:4]
            widths = {0: [], 1: [4], 2: [2, 2], 3: [2, 1, 1]}.get(len(families), [1, 1, 1, 1])
            label = "".join(f[:w] for f, w in zip(families, widths, strict=False))
            issued = reference.get("issued")
            year = None
            if issued is not None:
                begin = issued.get("begin") if isinstance(issued, model.DateRange) else issued
                year = begin.get("year") if hasattr(begin, "get") else None
            if year:
                label += f"{int(year) % 100:02d}"
            if not label:
                return None
        processor = _processor(item)
        suffix = processor.year_suffixes.get(item.key, "") if processor is not None else ""
        if suffix and processor.implicit_year_suffix:
            if context is not None:
                _set_flag(context, "year_suffix_done")
            label = f"{label}{suffix}"
        return String(richtext.preformat(str(label)))

    def _term(self, item: Any) -> Any:
        text = super()._term(item)
        return String(richtext.span(richtext.TERM, text)) if str(text) else text

    def quote(self, string: Any) -> Any:
        if self.get("quotes", "false").lower() == "true":
            return String(richtext.Quoted(string))
        return string

    def markup(self, text: Any, language: Any) -> Any:
        # quotes inside the formatting: <i>“Title.”</i> as citeproc-js (citeproc-py quoted
        # outside the italics)
        if not text:
            return None
        cased = self.case(self.strip_periods(text), language)
        return self.wrap(self.format(self.quote(cased)))


@override
class Key(Cached, model.Key):
    """Sort keys as citeproc-js builds and compares them (:mod:`.sorting`): text without
    markup and punctuation, names as "family given" lists, dates and numbers as such; a
    missing value sorts last."""

    def sort_keys(self, items: list[Any], context: Any) -> list[Any]:
        variable = self.get("variable")
        if variable and variable.replace("-", "_") in model.NAMES:
            return [self._names_key(item, variable) for item in items]
        if variable == "citation-label":
            return [collation_key(Text._citation_label(self, item, None) or "")
                    for item in items]
        if variable:
            keys = super().sort_keys(items, context)
        else:
            options = {"name-as-sort-order": "all"}
            for option in ("names-min", "names-use-first", "names-use-last"):
                if option in self.attrib:
                    options[option.replace("names", "et-al")] = self.get(option)
            token = SORT_OPTIONS.set(options)
            try:
                keys = super().sort_keys(items, context)
            finally:
                SORT_OPTIONS.reset(token)
        return [k if k is None or isinstance(k, int) else collation_key(k) for k in keys]

    def _names_key(self, item: Any, variable: str) -> str | None:
        names = item.reference.get(variable.replace("-", "_"))
        if not names:
            return None
        demote = self.get_root().get("demote-non-dropping-particle", "display-and-sort")
        parts = []
        for name in names:
            if "literal" in name:
                parts.append(str(name["literal"]))
                continue
            family = str(name.get("family", ""))
            if demote == "never":
                family = _join_particle(str(name.get("non-dropping-particle", "")), family)
            given = str(name.get("given", ""))
            parts.append(f"{family} {given}")
        return collation_key(" , ".join(parts))


_NAME_PARTS = ("non-dropping-particle", "family", "given", "dropping-particle", "suffix",
               "literal")
_NARROW_SPACE = re.compile(r" ([:;?!\u00bb])")
_PLURAL = re.compile(r"\d\S*\s*(?:[-\u2013,&]|\band\b|\bet\b|\bund\b)\s*\S*\d")


@override
class Label(Cached, Decorated, CaseMixin, model.Label):
    """cs:label: nothing when the variable is empty (citeproc-py printed "p." without a
    locator); plurals of ranges, lists and number-of-* counts."""

    def process(self, item: Any, variable: str | None = None, plural: bool | None = None,
                context: Any = None, **kwargs: Any) -> Any:
        if variable is None:
            variable = self.get("variable")
            if not variable:
                return None
            if variable == "locator":
                if not item.has_locator:
                    return None
                value = str(item.locator.identifier)
                variable = item.locator.label or "page"
                if variable == "sub-verbo" and self.get_term("sub-verbo") is None:
                    variable = "sub verbo"  # the term's name in CSL 1.0 locales
            else:
                raw = item.reference.get(variable.replace("-", "_"))
                # citeproc-js prints the (singular) term of an empty variable too; a group
                # around it is still suppressed when none of its variables is set
                value = "" if raw is None or isinstance(raw, str) and not raw else str(raw)
            if variable.startswith("number-of-"):
                try:
                    plural = int(value) > 1
                except ValueError:
                    plural = bool(_PLURAL.search(value))
            else:
                plural = is_plural_number(value, str(self.get_single_term("and")))
        form = self.get("form", "long")
        form_attr = form if form != "long" else None
        option = self.get("plural", "contextual")
        if option == "always" or (option == "contextual" and plural):
            text = self.get_plural_term(name=variable, form=form_attr)
        else:
            text = self.get_single_term(name=variable, form=form_attr)
        return text if str(text) else None


@override
class Number(Cached, Decorated, CaseMixin, NumberFormatting, model.Number):
    """cs:number: ordinals that agree in gender with the variable's term."""

    def process(self, item: Any, context: Any = None, **kwargs: Any) -> Any:
        variable = self.get("variable") or ""
        log = _substitution_log(context if context is not None else self)
        try:
            where = context if context is not None else self
            if _in_layout(where) and variable in (
                    getattr(where.get_layout(), "repressed", None) or {}).get(self.tag, ()):
                raise VariableError  # printed by a cs:substitute already
            if "-" in variable and variable != "page-first":
                # citeproc-py looks up "number-of-volumes" as such; references key it
                # "number_of_volumes", so every hyphenated number variable was lost
                text = self._process(item.reference[variable.replace("-", "_")], variable)
            else:
                text = super().process(item, context, **kwargs)
        except VariableError:
            text = None
        record_variable(self, context, bool(text is not None and str(text)))
        if text is None:
            raise VariableError
        if log is not None and str(text):
            log.append((self.tag, variable))
        return text

    def format_number(self, number: Any) -> Any:
        form = self.get("form", "numeric")
        try:
            value = int(str(number))
        except ValueError:
            return number
        if form == "numeric":  # as written: citeproc-js keeps leading zeros ("no. 06")
            return str(number).strip()
        if form == "roman":
            return model.romanize(value).lower()
        gender = term_gender(self, self.get("variable") or "")
        if form == "long-ordinal":
            return long_ordinal(value, self, gender)
        return ordinal(value, self, gender)


@override
class Name_Part(Cached, Decorated, CaseMixin, model.Name_Part):  # noqa: N801 - the citeproc-py class name
    pass


# -- locales and lookups (cached: citeproc-py ran an XPath query per term and per option) --

@override
class Locale(Cached, model.Locale):
    def term_index(self) -> dict[tuple[str, str | None], list[Any]]:
        index = vars(self).get("_term_index")
        if index is None:
            index = {}
            terms = self.find("cs:terms", self.nsmap)
            if terms is not None:
                for term in terms.findall("cs:term", self.nsmap):
                    index.setdefault((term.get("name"), term.get("form")), []).append(term)
            self._term_index = index
        return index

    def get_term(self, name: str, form: str | None = None, zero_padded: bool = False) -> Any:
        candidates = self.term_index().get((name, form))
        if zero_padded and candidates:
            candidates = [t for t in candidates
                          if t.get("match") not in ("whole-number", "last-two-digits")]
        if not candidates:
            raise IndexError(name)
        return candidates[0]

    def get_date(self, form: str) -> Any:
        for date in self.findall("cs:date", self.nsmap):
            if date.get("form") == form:
                return date
        raise IndexError(form)


@override
class Choose(Cached, CachedCalls, model.Choose):
    pass


@override
class Else(Cached, CachedCalls, model.Else):
    pass


@override
class Macro(Cached, CachedCalls, model.Macro):
    pass



@override
class Group(Cached, Decorated, model.Group):
    """cs:group suppression decided by what this rendering did: the variables called in
    the branches actually taken (citeproc-py counted every branch of a cs:choose)."""

    def process(self, item: Any, context: Any = None, **kwargs: Any) -> Any:
        where = context if context is not None else self
        try:
            state = where.get_layout().repressed
        except (IndexError, AttributeError):
            state = None
        if state is None:
            return super().process(item, context=context, **kwargs)
        stack = state.setdefault("groups", [])
        stack.append([False, False])
        delimiter = self.get("delimiter", "")
        output = []
        try:
            for child in self.iterchildren():
                try:
                    if isinstance(child, model.Choose):
                        text = child.render(item, context=context, delimiter=delimiter,
                                            **kwargs)
                    else:
                        text = child.render(item, context=context, **kwargs)
                except VariableError:
                    continue
                if text is not None:
                    output.append(text)
        finally:
            called, rendered = stack.pop()
        suppressed = not output or (called and not rendered)
        if stack:  # to the enclosing group a nested group counts as a variable
            stack[-1][0] = True
            stack[-1][1] = stack[-1][1] or not suppressed
        if suppressed:
            raise VariableError
        return self.join(output)


@override
class Et_Al(Cached, Decorated, model.Et_Al):  # noqa: N801 - the citeproc-py class name
    pass
