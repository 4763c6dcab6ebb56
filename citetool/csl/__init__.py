"""CSL formatting: records → citations and bibliographies in any CSL style and locale.

Public entry point: :func:`render`. Style lookup lives in :mod:`citetool.csl.styles`, the
processor (citeproc-py plus citetool's fixes) in :mod:`citetool.csl.engine`, output media in
:mod:`citetool.csl.output`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from ..model import Record

MODES = ("bibliography", "citation")


def render(records: Sequence[Record], style: str = "apa", *, locale: str | None = None,
           mode: str = "bibliography", output: str = "text",
           citations: Sequence[Sequence[Mapping[str, Any] | str]] | None = None) -> list[str]:
    """Format records with a CSL style.

    ``mode='bibliography'``: one string per entry, sorted as the style says.
    ``mode='citation'``: the in-text citation (or note) of each cluster in ``citations``, a list
    of clusters, each a list of record ids or cite dicts (``{"id", "locator", "label", "prefix",
    "suffix"}``); by default ONE cluster citing every record, like a reference manager's "copy
    citation" of several selected items: ``(Bielicki, 2020; Doe, 2019)``.

    ``style`` is an alias (``apa``, ``mla``, ``chicago`` ...), a style id, URL or ``.csl`` path;
    ``locale`` defaults to the style's default-locale, else en-US; ``output`` is one of
    ``text``, ``html``, ``markdown``, ``latex``, ``rtf``, ``terminal`` (ANSI).
    Raises :class:`~citetool.errors.StyleError` for an unknown or broken style or locale.
    """
    from ..csljson import to_csl
    from ..errors import FormatError
    from . import engine
    from .output import get_backend
    from .styles import load_style

    if mode not in MODES:
        raise FormatError(f"unknown mode {mode!r} (choose from: {', '.join(MODES)})")
    backend = get_backend(output)
    loaded, _info, used_locale = load_style(style, locale)
    items = [to_csl(r, custom=False) for r in records]
    if backend.engine_output == "html" and not _engine_escapes_html():
        items = [_escape_item(item) for item in items]
    if mode == "citation":
        if citations is None:
            clusters = [[{"id": item["id"]} for item in items]] if items else []
        else:
            clusters = [[{"id": c} if isinstance(c, str) else dict(c) for c in cluster]
                        for cluster in citations]
        known = {str(item["id"]) for item in items}
        for cluster in clusters:
            for cite in cluster:
                if str(cite.get("id")) not in known:
                    raise FormatError(f"citation of unknown record id {cite.get('id')!r}")
        rendered = engine.format_citations(items, clusters, loaded, used_locale,
                                           backend.engine_output)
    else:
        rendered = engine.format_bibliography(items, loaded, used_locale, backend.engine_output)
    return [backend.finish(str(entry)) for entry in rendered]


def render_document(records: Sequence[Record], style: str = "apa", *,
                    locale: str | None = None, mode: str = "bibliography",
                    output: str = "text") -> str:
    """Like :func:`render`, joined into one document for the medium (one entry per line for
    text, a ``csl-bib-body`` block for HTML, an RTF document ...)."""
    from .output import get_backend

    entries = render(records, style, locale=locale, mode=mode, output=output)
    return get_backend(output).document(entries, mode)


# -- HTML escaping of the data ------------------------------------------------------------------
# Every medium but text is rendered through the engine's HTML and converted from there, so the
# data's own "<", "&" and ">" must arrive as entities (citeproc-py#97 leaves them raw). The CSL
# rich-text tags a field may carry (<i>, <b>, <sup>, <sub>, <sc>, <span class="nocase"> ...) stay
# markup, as in citeproc-js. If the engine escapes by itself (a one-time probe tells), nothing
# is done here, so nothing is escaped twice.

_RICH_TAG = re.compile(
    r"</?(?:i|b|sup|sub|sc)>|<span (?:class=\"nocase\"|style=\"font-variant:\s*small-caps;?\")>"
    r"|</span>"
)


def _escape_markup_text(text: str) -> str:
    from .output import html_escape

    out, last = [], 0
    for match in _RICH_TAG.finditer(text):
        out.append(html_escape(text[last:match.start()]))
        out.append(match.group(0))
        last = match.end()
    out.append(html_escape(text[last:]))
    return "".join(out)


def _escape_value(value: Any) -> Any:
    if isinstance(value, str):
        return _escape_markup_text(value) if any(c in value for c in "<>&") else value
    if isinstance(value, list):
        return [_escape_value(v) for v in value]
    if isinstance(value, dict):
        return {k: v if k in ("date-parts", "id") else _escape_value(v) for k, v in value.items()}
    return value


def _escape_item(item: dict[str, Any]) -> dict[str, Any]:
    return {k: v if k in ("id", "type", "URL", "DOI") else _escape_value(v)
            for k, v in item.items()}


@lru_cache(maxsize=1)
def _engine_escapes_html() -> bool:
    """Whether the engine escapes "&" and "<" in variables for HTML output by itself."""
    from . import engine
    from .styles import load_style

    probe = {"id": "probe", "type": "book", "title": "A<b&c"}
    style, _info, used = load_style("apa", "en-US")
    try:
        out = engine.format_bibliography([probe], style, used, "html")
    except Exception:  # noqa: BLE001 - the probe must never break rendering
        return False
    return bool(out) and "A<b&c" not in out[0]
