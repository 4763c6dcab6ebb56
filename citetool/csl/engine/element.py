"""What every CSL element of the engine can do: find its style, macros, layout, terms,
dates and options; format, affix, delimit, quote and case its output; render its children.

:class:`Element` is the base of every element class (:mod:`.names`, :mod:`.dates`,
:mod:`.text`, :mod:`.layout`, :mod:`.conditions`); it stands on :class:`.node.Node`, the
parsed XML. What an element looks up in its style (root, layout, macros) is found once and
kept on it. The mixins of :mod:`.base` (:class:`~.base.Decorated`, :class:`~.base.CaseMixin`)
refine the output methods (citeproc-js's affixes and "normal" formatting, text case on rich
text); what is here is the plain CSL 1.0.2 meaning.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .node import CS, NSMAP, XML_NS, Node
from .source import VariableError
from .strings import String, join

_LOCALE_TAG = CS + "locale"
_LAYOUT_TAGS = frozenset({CS + "layout"})
_CHOOSE_TAG = CS + "choose"
_LANG = f"{{{XML_NS}}}lang"

_NONE = object()
_TERM_FORM_FALLBACK: dict[str | None, tuple[str | None, ...]] = {
    "verb-short": ("verb-short", "verb", None), "verb": ("verb", None),
    "symbol": ("symbol", "short", None), "short": ("short", None)}

#: the global options and the inheritable name options, with CSL's defaults
GLOBAL_OPTIONS: dict[str, Any] = {
    "initialize-with-hyphen": "true",
    "page-range-format": None,
    "demote-non-dropping-particle": "display-and-sort",
    "and": None,
    "delimiter-precedes-et-al": "contextual",
    "delimiter-precedes-last": "contextual",
    "et-al-min": 0,
    "et-al-use-first": 1,
    "et-al-subsequent-min": 0,
    "et-al-subsequent-use-first": 1,
    "et-al-use-last": "false",
    "initialize-with": None,
    "name-as-sort-order": None,
    "sort-separator": ", ",
    "name-form": "long",
    "name-delimiter": ", ",
    "names-delimiter": "",
}

#: formatting attribute → {value: the formatter's class name}; "normal"/"none"/"baseline"
#: (and anything unknown) leave the text as it is
_FORMATS: tuple[tuple[str, dict[str, str]], ...] = (
    ("font-style", {"italic": "Italic", "oblique": "Oblique"}),
    ("font-variant", {"small-caps": "SmallCaps"}),
    ("font-weight", {"bold": "Bold", "light": "Light"}),
    ("text-decoration", {"underline": "Underline"}),
    ("vertical-align", {"sup": "Superscript", "sub": "Subscript"}),
)


class Element(Node):
    """A CSL element of a parsed style or locale file."""

    _default_options: dict[str, Any] = GLOBAL_OPTIONS

    def __getattr__(self, name: str) -> Any:
        # ``style.citation``, ``locale.terms``: the first child element of that name (None if
        # there is none), as the engine has always navigated the style
        if name.startswith("__"):
            raise AttributeError(name)
        return self.find(f"cs:{name}", NSMAP)

    # -- the style around the element (each found once and kept on the element) ----------
    def get_root(self) -> Any:
        root = vars(self).get("_root")
        if root is None:
            root = self._root = self.getroot()
        return root

    def get_layout(self) -> Any:
        """The enclosing cs:layout (IndexError outside one)."""
        layout = cached_ancestor(self, "_layout", _LAYOUT_TAGS)
        if layout is None:
            raise IndexError("not inside cs:layout")
        return layout

    def get_macro(self, name: str) -> Any:
        root = self.get_root()
        macros = vars(root).get("_macros")
        if macros is None:
            macros = {}
            for macro in root.iterfind("cs:macro", NSMAP):
                macros.setdefault(macro.get("name"), macro)
            root._macros = macros
        try:
            return macros[name]
        except KeyError:
            raise IndexError(f"no macro {name!r}") from None

    def get_option(self, name: str) -> Any:
        return self.get(name, self._default_options[name])

    def get_formatter(self) -> Any:
        root = self.get_root()
        if root.tag == _LOCALE_TAG:
            return root.style.formatter
        return root.formatter

    def preformat(self, text: Any) -> Any:
        return self.get_formatter().preformat(text)

    def render(self, *args: Any, **kwargs: Any) -> Any:
        return self.markup(self.process(*args, **kwargs))

    # -- the locales: terms, dates, options -------------------------------------------------
    def _locales(self, fallback_locale: bool = True) -> list[Any]:
        locales = list(self.get_root().locales)
        if fallback_locale or len(locales) < 2:
            return locales
        # only the locales of the first one's language (and those that name none)
        language = locales[0].get(_LANG)
        if not language:
            return locales
        return [locales[0]] + [loc for loc in locales[1:] if loc.get(_LANG, language) == language]

    def get_term(self, name: str, form: str | None = None, fallback_locale: bool = True,
                 zero_padded: bool = False) -> Any:
        """The first locale's term of that name and form, with CSL's form fallback (verb-short
        → verb → long, symbol → short → long, short → long) as citeproc-js applies it; None if
        no locale has one. Inside a locale file, that locale's term (IndexError if none)."""
        root = self.get_root()
        if root.tag == _LOCALE_TAG:
            return root.get_term(name, form)
        locales = self._locales(fallback_locale)
        for each in _TERM_FORM_FALLBACK.get(form, (form,)):
            term = _first(locales, lambda locale, each=each: locale.get_term(
                name, each, zero_padded=zero_padded))
            if term is not None:
                return term
        return None

    def get_plural_term(self, name: str, *args: Any, **kwargs: Any) -> Any:
        term = self.get_term(name, *args, **kwargs)
        return String("") if term is None else term.multiple

    def get_single_term(self, name: str, *args: Any, **kwargs: Any) -> Any:
        term = self.get_term(name, *args, **kwargs)
        return String("") if term is None else term.single

    def get_date(self, form: str) -> Any:
        """The first locale's cs:date of that form (None if none has one)."""
        return _first(self.get_root().locales, lambda locale: locale.get_date(form))

    def get_locale_option(self, name: str) -> Any:
        """A locale option (punctuation-in-quote ...) from the first locale that has
        cs:style-options; inside a locale file, that locale's."""
        root = self.get_root()
        locales = getattr(root, "locales", None)
        if locales is None:  # a locale file's own element
            return root.get_option(name)
        return _first(locales, lambda locale: locale.get_option(name))

    # -- output: formatting, affixes, delimiters, quotes, case -----------------------------
    def format(self, string: Any) -> Any:
        """font-style, font-variant, font-weight, text-decoration and vertical-align, each
        through its method (which :class:`.base.Decorated` refines)."""
        if isinstance(string, (int, float)):
            string = str(string)
        string = self.font_style(string)
        string = self.font_variant(string)
        string = self.font_weight(string)
        string = self.text_decoration(string)
        return self.vertical_align(string)

    def font_style(self, text: Any) -> Any:
        return self._one_format(0, text)

    def font_variant(self, text: Any) -> Any:
        return self._one_format(1, text)

    def font_weight(self, text: Any) -> Any:
        return self._one_format(2, text)

    def text_decoration(self, text: Any) -> Any:
        return self._one_format(3, text)

    def vertical_align(self, text: Any) -> Any:
        return self._one_format(4, text)

    def _one_format(self, index: int, text: Any) -> Any:
        attribute, classes = _FORMATS[index]
        wrapper = classes.get(self.get(attribute, ""))
        return text if wrapper is None else getattr(self.get_formatter(), wrapper)(text)

    def join(self, strings: Iterable[Any], default_delimiter: str = "") -> Any:
        """The non-None strings joined with the element's delimiter."""
        return join([s for s in strings if s is not None],
                    self.get("delimiter", default_delimiter))

    # -- children (cs:group, cs:macro, cs:layout, the branches of cs:choose) ---------------
    def calls_variable(self) -> bool:
        return any(child.calls_variable() for child in self)

    def render_children(self, item: Any, delimiter: str = "", **kwargs: Any) -> Any:
        """The children's output joined with ``delimiter``, the delimiter of the enclosing
        cs:group, which cs:choose passes on to the children of its branch."""
        output = []
        for child in self:
            try:
                if child.tag == _CHOOSE_TAG:
                    text = child.render(item, delimiter=delimiter, **kwargs)
                else:
                    text = child.render(item, **kwargs)
            except VariableError:
                continue
            if text is not None:
                output.append(text)
        return join(output, delimiter) if output else None


def _first(locales: Iterable[Any], lookup: Any) -> Any:
    """``lookup(locale)`` of the first locale that has what it looks up (a locale without it
    raises IndexError), else None."""
    for locale in locales:
        try:
            return lookup(locale)
        except IndexError:
            continue
    return None


def cached_ancestor(element: Any, slot: str, tags: frozenset[str]) -> Any:
    """The nearest of the element and its ancestors whose tag is one of ``tags`` (None if
    none), kept on the element under ``slot``: the style's structure never changes."""
    found = vars(element).get(slot, _NONE)
    if found is _NONE:
        found = element
        while found is not None and found.tag not in tags:
            found = found.getparent()
        setattr(element, slot, found)
    return found
