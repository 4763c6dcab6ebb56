"""CSL formatting: records → citations and bibliographies in any CSL style and locale.

Public entry point: :func:`render`. Style lookup lives in :mod:`citetool.csl.styles`, the
processor (citeproc-py plus citetool's fixes) in :mod:`citetool.csl.engine`, output media in
:mod:`citetool.csl.output`.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..model import Record


def render(records: Sequence[Record], style: str = "apa", *, locale: str | None = None,
           mode: str = "bibliography", output: str = "text") -> list[str]:
    """Bibliography entries (sorted as the style says), or one in-text citation per record
    when ``mode='citation'``."""
    from ..csljson import to_csl
    from . import engine

    items = [to_csl(r, custom=False) for r in records]
    if mode == "citation":
        return engine.format_citations(items, [[{"id": i["id"]}] for i in items], style,
                                       locale, output)
    return engine.format_bibliography(items, style, locale, output)
