"""What every CSL element of the engine can do: find its style, macros, layout, terms,
dates and options; format, affix, delimit, quote and case its output; render its children.

:class:`Element` is the base of every element class (:mod:`.names`, :mod:`.dates`,
:mod:`.text`, :mod:`.layout`, :mod:`.conditions`); it stands on :class:`.node.Node`, the
parsed XML. The mixins of :mod:`.base` (:class:`~.base.Cached`, :class:`~.base.Decorated`,
:class:`~.base.CaseMixin`) refine some of these methods (caches, citeproc-js's affixes and
"normal" formatting, text case on rich text); what is here is the plain CSL 1.0.2 meaning.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import Any

from .node import CSL_NS, NSMAP, XML_NS, Node
from .source import VariableError
from .strings import String, join

_LOCALE_TAG = f"{{{CSL_NS}}}locale"
_LAYOUT_TAG = f"{{{CSL_NS}}}layout"
_CHOOSE_TAG = f"{{{CSL_NS}}}choose"
_LANG = f"{{{XML_NS}}}lang"

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

    # -- the style around the element -------------------------------------------------------
    def get_root(self) -> Any:
        return self.getroottree().getroot()

    def get_layout(self) -> Any:
        node: Node | None = self
        while node is not None:
            if node.tag == _LAYOUT_TAG:
                return node
            node = node.getparent()
        raise IndexError("not inside cs:layout")

    def get_macro(self, name: str) -> Any:
        for macro in self.get_root().iterfind("cs:macro", NSMAP):
            if macro.get("name") == name:
                return macro
        raise IndexError(f"no macro {name!r}")

    def get_option(self, name: str) -> Any:
        return self.get(name, self._default_options[name])

    def get_formatter(self) -> Any:
        root = self.get_root()
        if root.tag == _LOCALE_TAG:
            return root.style.formatter
        return root.formatter

    def preformat(self, text: Any) -> Any:
        return self.get_formatter().preformat(text)

    def unicode_character(self, name: str) -> Any:
        return self.preformat(unicodedata.lookup(name))

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
        """The first locale's term of that name and form (None if no locale has one). Inside
        a locale file, that locale's term (IndexError if it has none)."""
        root = self.get_root()
        if root.tag == _LOCALE_TAG:
            return root.get_term(name, form)
        return _first(self._locales(fallback_locale),
                      lambda locale: locale.get_term(name, form, zero_padded=zero_padded))

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

    def quote(self, string: Any) -> Any:
        if self.get("quotes", "false").lower() != "true":
            return string
        return self.get_single_term("open-quote") + string + self.get_single_term("close-quote")

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
