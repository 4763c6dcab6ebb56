"""CSL formatting: records → citations and bibliographies in any CSL style and locale.

Public entry point: :func:`render`. Style lookup lives in :mod:`citetool.csl.styles`, the
processor (citeproc-py plus citetool's fixes) in :mod:`citetool.csl.engine`, which makes one
output tree per entry (:mod:`citetool.csl.tree`), rendered by one backend class per output
format (:mod:`citetool.csl.output`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..model import Record

if TYPE_CHECKING:
    from ..errors import Diagnostic
    from .tree import Root

MODES = ("bibliography", "citation")


def render(records: Sequence[Record], style: str = "apa", *, locale: str | None = None,
           mode: str = "bibliography", output: str = "text",
           citations: Sequence[Sequence[Mapping[str, Any] | str]] | None = None,
           translations: bool = False,
           diagnostics: list[Diagnostic] | None = None) -> list[str]:
    """Format records with a CSL style.

    ``mode='bibliography'``: one string per entry, sorted as the style says.
    ``mode='citation'``: the in-text citation (or note) of each cluster in ``citations``, a list
    of clusters, each a list of record ids or cite dicts (``{"id", "locator", "label", "prefix",
    "suffix"}``); by default ONE cluster citing every record, like a reference manager's "copy
    citation" of several selected items: ``(Bielicki, 2020; Doe, 2019)``.

    ``style`` is an alias (``apa``, ``mla``, ``chicago`` ...), a style id, URL or ``.csl`` path;
    ``locale`` defaults to the style's default-locale, else en-US; ``output`` is one of
    ``text``, ``html``, ``markdown``, ``latex``, ``rtf``, ``terminal`` (ANSI).
    ``translations=True`` prints a non-English title with its translation in brackets, as
    APA 7 asks ("Original title [English title]"): CSL 1.0.2 has no variable for it, so the
    translation (in the locale's language, else English) is appended to ``title``.
    ``diagnostics``: a list that receives the engine's warnings (:mod:`.engine.diagnostics`:
    problems of the style, values it ignored).
    Raises :class:`~citetool.errors.StyleError` for an unknown or broken style or locale.
    """
    return _render(records, style, locale, mode, citations, translations, diagnostics, output)


def render_trees(records: Sequence[Record], style: str = "apa", *, locale: str | None = None,
                 mode: str = "bibliography",
                 citations: Sequence[Sequence[Mapping[str, Any] | str]] | None = None,
                 translations: bool = False,
                 diagnostics: list[Diagnostic] | None = None) -> list[Root]:
    """Like :func:`render`, the output trees (:mod:`.tree`) instead of strings, for a caller
    that renders them itself (the terminal's rich console)."""
    return _render(records, style, locale, mode, citations, translations, diagnostics, None)


def _render(records: Sequence[Record], style: str, locale: str | None, mode: str,
            citations: Sequence[Sequence[Mapping[str, Any] | str]] | None,
            translations: bool, diagnostics: list[Diagnostic] | None,
            output: str | None) -> list[Any]:
    """Entries or citations as trees, or (``output``) finished by that backend."""
    from ..csljson import to_csl
    from ..errors import CitetoolError, FormatError, StyleError
    from . import engine
    from .output import get_backend
    from .styles import load_style

    if mode not in MODES:
        raise FormatError(f"unknown mode {mode!r} (choose from: {', '.join(MODES)})")
    finish: Callable[[Root], Any] | None = None if output is None else get_backend(output).entry
    loaded, info, used_locale = load_style(style, locale)
    items = [to_csl(r, custom=False) for r in records]
    if translations:
        for record, item in zip(records, items, strict=True):
            bracketed = bracketed_title(record, used_locale)
            if bracketed:
                item["title"] = bracketed
    # the engine keys items case-insensitively: "Doe2020" and "doe2020" must not merge
    original = [str(item["id"]) for item in items]
    renamed = _engine_ids(original)
    engine_ids: dict[str, str] = {}
    for item, old_id, new_id in zip(items, original, renamed, strict=True):
        item["id"] = new_id
        engine_ids.setdefault(old_id, new_id)
    if mode == "citation":
        if citations is None:
            clusters = [[{"id": item["id"]} for item in items]] if items else []
        else:
            clusters = [[{"id": c} if isinstance(c, str) else dict(c) for c in cluster]
                        for cluster in citations]
            for cluster in clusters:
                for cite in cluster:
                    if str(cite.get("id")) not in engine_ids:
                        raise FormatError(f"citation of unknown record id {cite.get('id')!r}")
                    cite["id"] = engine_ids[str(cite["id"])]
    from .engine.diagnostics import collecting, style_problems

    try:
        with collecting() as found:
            if mode == "citation":
                rendered = engine.render_citations(items, clusters, loaded, used_locale,
                                                   finish)
            else:
                rendered = engine.render_bibliography(items, loaded, used_locale, finish)
        if diagnostics is not None:
            diagnostics.extend(style_problems(loaded))
            diagnostics.extend(found)
    except CitetoolError:
        raise
    except Exception as exc:  # a style the engine chokes on: one line naming it, not a crash
        if os.environ.get("CITETOOL_DEBUG"):
            raise
        reason = str(exc).splitlines()[0] if str(exc) else ""
        raise StyleError(f"style '{info.id}' could not be rendered ({type(exc).__name__}: "
                         f"{reason}); please report it", source=info.path) from exc
    return rendered


def _engine_ids(ids: list[str]) -> list[str]:
    """The ids the engine sees: the records' own, unless two clash once lower-cased (or
    repeat), then ``item-N`` for all, so that no record is merged into another."""
    if len({i.lower() for i in ids}) == len(ids):
        return ids
    return [f"item-{n}" for n in range(1, len(ids) + 1)]


def render_document(records: Sequence[Record], style: str = "apa", *,
                    locale: str | None = None, mode: str = "bibliography",
                    output: str = "text") -> str:
    """Like :func:`render`, joined into one document for the format (one entry per line for
    text, a ``csl-bib-body`` block for HTML, an RTF document ...)."""
    from .output import get_backend

    entries = render(records, style, locale=locale, mode=mode, output=output)
    return get_backend(output).document(entries, mode)



def bracketed_title(record: Record, locale: str | None) -> str | None:
    """``Original [Translation]`` for a record whose title is in another language than the
    locale's and that holds a translation in the locale's language (else English)."""
    from ..model import primary_language

    title = record.title
    target = primary_language(locale or "en-US")
    if not title or not record.titles or primary_language(record.language) == target:
        return None
    by_lang = {primary_language(k): v for k, v in record.titles.items()}
    translation = by_lang.get(target) or by_lang.get("en")
    if not translation or translation == title:
        return None
    return f"{title} [{translation}]"
