"""Loading styles and locales into citetool's element classes, once per process.

Style and locale files are parsed by :mod:`.node` (expat, hardened); each CSL element becomes
an instance of the engine's class for its name (:data:`.base.OVERRIDES`, filled when
:mod:`.elements` is imported), any other element a plain :class:`.element.Element`. Parsed
styles and locale files are cached (``functools.lru_cache``): styles by their id/path/XML text
and locale, locale files by name. No render writes to them: the formatter is set once at load,
each layout's render state lives in a context variable (:data:`.layout._RENDER_STATE`), and
what the elements cache derives from the style alone (a style's date-part overrides of a
locale date format are applied to a copy of the locale's part, see ``Date._render_part``).

citeproc-py is not imported here: its locale files and their index are read as data
(:mod:`.citeproc_data`).
"""

from __future__ import annotations

import os
from functools import lru_cache
from types import SimpleNamespace
from typing import Any

from ...errors import StyleError
from . import citeproc_data, richtext
from .node import CS, XML_NS, parse

#: what a locale's elements ask its ``style`` for: the formatter every element renders
#: through (the engine's marker text)
_ENGINE_OUTPUT = SimpleNamespace(formatter=richtext)
XML_LANG = f"{{{XML_NS}}}lang"


@lru_cache(maxsize=1)
def _classes() -> dict[str, type]:
    from .elements import OVERRIDES

    return {CS + name: cls for name, cls in OVERRIDES.items()}


def element_class(tag: str) -> type:
    """The engine's class for an element (Clark-notation ``tag``)."""
    found = _classes().get(tag)
    if found is None:
        from .element import Element

        return Element
    return found


@lru_cache(maxsize=64)
def locale_root(name: str) -> Any:
    """The root element of citeproc-py's bundled ``locales-NAME.xml`` (parsed once)."""
    path = citeproc_data.locale_file(name)
    with open(path, "rb") as handle:
        root = parse(handle.read(), element_class)
    root.style = _ENGINE_OUTPUT  # what a locale element's get_formatter asks for
    return root


def known_locale(name: str) -> bool:
    return os.path.exists(citeproc_data.locale_file(name))


def _parse_style(style: str) -> tuple[Any, str]:
    """(the parsed ``<style>`` root, a name for messages) of a style id, path or XML text,
    read and checked as :mod:`citetool.csl.styles` reads every style (bounded, any DTD
    refused); a dependent style gives its independent parent."""
    from .. import styles

    text = style.lstrip()
    if text.startswith("<"):
        return styles.parse_style_bytes(text.encode("utf-8"), "<style text>", element_class), \
            "<style text>"
    try:
        path = styles.find_style(style).independent_path
    except StyleError:
        bundled = os.path.join(citeproc_data.styles_path(), f"{style}.csl")
        if not os.path.exists(bundled):  # citeproc-py's own few styles ("harvard1")
            raise
        path = bundled
    return styles.parse_style_file(path, element_class), style


class EngineStyle:
    """A parsed style with its locale chain (in-style locales first, en-US last)."""

    def __init__(self, root: Any, locale: str | None = None, name: str = "<style>") -> None:
        """``root``: a ``<style>`` parsed with :func:`element_class` (by
        :func:`citetool.csl.styles.load_style` or :func:`load_style`)."""
        self.root = root
        if not self.root.tag.endswith("}style"):
            raise StyleError("not a CSL style (root element is not <style>)", source=name)
        from .diagnostics import macro_cycle

        cycle = macro_cycle(root)
        if cycle is not None and cycle[0] == cycle[-1]:
            raise StyleError(f"macro {cycle[0]!r} calls itself ({' -> '.join(cycle)})",
                             source=name)
        if cycle is not None:
            raise StyleError(f"macros call macros more than {len(cycle) - 1} deep "
                             f"({cycle[0]} -> {cycle[1]} -> ...)", source=name)
        self.name = name
        self.locale = locale or self.root.get("default-locale") or "en-US"
        self.root.locales = self._locale_chain(self.locale)
        # set once: the engine renders rich text for every output (richtext.finish maps it
        # to the medium), so nothing about a render is stored on the shared style
        self.root.formatter = _ENGINE_OUTPUT.formatter

    def _locale_chain(self, wanted: str) -> list[Any]:
        chain: list[Any] = []
        in_style = self.root.findall("cs:locale")
        language = wanted.split("-")[0]

        def add_in_style(lang: str | None) -> None:
            for element in in_style:
                if element.get(XML_LANG) == lang and element not in chain:
                    chain.append(element)

        add_in_style(wanted)
        if language != wanted:
            add_in_style(language)
        add_in_style(None)
        names = [wanted, citeproc_data.primary_dialects().get(language, ""), "en-US"]
        for name in names:
            if name and known_locale(name):
                root = locale_root(name)
                if root not in chain:
                    chain.append(root)
        if language != "en":
            # terms a style defines only for English still beat nothing at all
            add_in_style("en")
        return chain

    def has_bibliography(self) -> bool:
        return self.root.bibliography is not None


@lru_cache(maxsize=128)
def load_style(style: str, locale: str | None = None) -> EngineStyle:
    """Parse a style (id, path or XML text) with its locale chain; cached per process."""
    root, name = _parse_style(style)
    return EngineStyle(root, locale, name)
