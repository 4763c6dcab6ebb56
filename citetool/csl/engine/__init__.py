"""The CSL processor: citeproc-py, plus citetool's fixes where it differs from citeproc-js.

Contract (kept stable for callers):

* ``format_bibliography(items, style, locale, output) -> list[str]``
* ``format_citations(items, citations, style, locale, output) -> list[str]``
* ``render_bibliography`` / ``render_citations``: the same as output trees
  (:mod:`citetool.csl.tree`), or mapped by a function of the tree in the worker that made it

``items`` are CSL-JSON dicts; ``citations`` a list of citation clusters, each a list of cite
dicts (``{"id": ..., "locator": ..., "label": ..., "prefix": ..., "suffix": ...}``); ``style`` a
style id or path (or the XML text of a style), or an already loaded style object (a
:class:`citeproc.CitationStylesStyle` or this package's :class:`~.style.EngineStyle`);
``output`` a backend name ("text", "html" ...), a backend (:mod:`citetool.csl.output`) or a
citeproc-py formatter module (``preformat``, ``Italic``, ``Bold``, ... ``SmallCaps``); the
strings are the backend's :meth:`~citetool.csl.output.Backend.render` of each tree.

citeproc-py parses the style into its element classes; :mod:`.elements` registers citetool's
subclasses of those classes (the fixes) and :mod:`.style` loads styles and locales through them,
once per process (:func:`load_style` is cached). Ports of citeproc-js where exactness needs its
very algorithm: :mod:`.sorting` (sort keys and their comparison), :mod:`.titlecase` (title
case), :mod:`.initials` (initialising given names). :mod:`.diagnostics` is the warnings channel
(problems of the style, values ignored) as citetool Diagnostics. The bibliography/citation logic
citeproc-py lacks (disambiguation, year suffixes, collapsing, subsequent-author-substitute, ...)
lives in :mod:`.processor`; :mod:`.richtext` carries formatting through the engine as marker text,
which :func:`citetool.csl.tree.build` turns into the output tree at the end (flip-flop, quotes,
punctuation); backends render the tree;
:mod:`.source` reads CSL-JSON. :mod:`.suite` runs the CSL test-suite fixtures
(``bench/csl_suite.py``). Large bibliographies (500 items or more, on Linux with more than one
core) compute sort keys, the first disambiguation pass and the entries in forked worker
processes (:mod:`.parallel`) after the parent has decided order, disambiguation and year
suffixes; the output is the serial one (``CITETOOL_WORKERS=1`` forces serial,
``tests/test_csl_perf.py`` compares).

What the layer fixes, measured on the 802 core CSL test-suite fixtures (same harness): bare
citeproc-py 0.11 passes 457, this engine 768 (citeproc-js: 706 on the project's reference
harness); of the 41 CITATIONS fixtures, 15. Highlights: names (``initialize="false"``, initials,
particles, et-al incl. et-al-use-last and et-al-subsequent-*, "and", delimiters, substitution),
dates (localized forms, ranges, seasons), disambiguation (names, given names, year suffixes,
``disambiguate``), collapsing, positions (ibid ...), subsequent-author-substitute,
second-field-align and ``display``, punctuation-in-quote and punctuation merging, nested quotes
and formatting, title case only for English, page-range-format, gendered ordinals, group
suppression, HTML escaping, locale fallback, sort keys, and O(1) citation numbers (citeproc-py
used ``list.index``). Found on real data (biblatex-examples vs citeproc-js): issued date ranges
in ``if variable``, hyphenated number variables (``number-of-volumes``), variables printed by
``cs:substitute`` suppressed in the rest of the item, punctuation merged only between rendered
pieces (never inside one value: DOIs keep ``::``), quotes in data read per locale, term form
fallback, strip-periods as citeproc-js, items keyed by their exact id.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..tree import Root

__all__ = ["EngineStyle", "load_style", "format_bibliography", "format_citations",
           "format_bibliography_html", "render_bibliography", "render_citations"]


def __getattr__(name: str) -> Any:
    # the style loader (lxml, citeproc-py) loads on first use
    if name in ("EngineStyle", "load_style"):
        from . import style as module

        return getattr(module, name)
    raise AttributeError(name)


def _style(style: Any, locale: str | None) -> Any:
    from .style import EngineStyle, load_style

    if isinstance(style, str):
        return load_style(style, locale)
    if isinstance(style, EngineStyle):
        return style
    root = getattr(style, "root", None)
    if root is None:
        raise TypeError(f"not a CSL style: {style!r}")
    # a style loaded by citeproc-py itself: reparse it with citetool's element classes
    from lxml import etree

    if locale is None and getattr(root, "locales", None):
        first = root.locales[0]
        locale = first.get("{http://www.w3.org/XML/1998/namespace}lang")
    return load_style(etree.tostring(root, encoding="unicode"), locale)


def render_bibliography(items: list[dict[str, Any]], style: Any, locale: str | None,
                        finish: Callable[[Root], Any] | None = None) -> list[Any]:
    """One output tree per bibliography entry, in the style's order (or ``finish`` of it)."""
    from .processor import Processor

    return Processor(_style(style, locale), items, finish).bibliography()


def render_citations(items: list[dict[str, Any]], citations: list[list[dict[str, Any]]],
                     style: Any, locale: str | None,
                     finish: Callable[[Root], Any] | None = None) -> list[Any]:
    """One output tree per cluster, cited in the given order (or ``finish`` of it)."""
    from .processor import Processor

    return Processor(_style(style, locale), items, finish).citations(citations)


def format_bibliography(items: list[dict[str, Any]], style: Any, locale: str | None,
                        output: Any) -> list[str]:
    """One formatted string per bibliography entry, in the style's order."""
    from ..output import renderer

    return render_bibliography(items, style, locale, renderer(output))


def format_bibliography_html(items: list[dict[str, Any]], style: Any,
                             locale: str | None) -> str:
    """The bibliography as citeproc-js's HTML ``<div class="csl-bib-body">`` block."""
    from ..output import HtmlBackend

    html = HtmlBackend()
    return html.bib_body(render_bibliography(items, style, locale, html.render))


def format_citations(items: list[dict[str, Any]], citations: list[list[dict[str, Any]]],
                     style: Any, locale: str | None, output: Any) -> list[str]:
    """One formatted in-text citation (or note) per cluster, cited in the given order."""
    from ..output import renderer

    return render_citations(items, citations, style, locale, renderer(output))
