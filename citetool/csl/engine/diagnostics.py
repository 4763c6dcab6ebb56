"""The engine's warnings channel: what it ignored or could not do, as citetool Diagnostics.

The engine never prints. Code that meets a problem calls :func:`warn`; a caller that wants the
warnings renders inside :func:`collecting` and gets them as
:class:`~citetool.errors.Diagnostic` objects (``citetool.csl.render(..., diagnostics=[])`` does
this; ``citetool cite`` prints them on stderr). Outside :func:`collecting`, :func:`warn` does
nothing. Problems of the style itself (unknown variables and elements, a ``cs:text`` with
nothing to print, a call of a macro that does not exist) are found once per parsed style by
:func:`style_problems`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from typing import Any

from ...errors import Diagnostic
from .node import CS

_SINK: ContextVar[list[Diagnostic] | None] = ContextVar("csl_diagnostics", default=None)

CSL_NS = CS  # (the Clark-notation prefix)
# CSL 1.0.2 elements (cs:info's children are not rendered and not checked)
ELEMENTS = frozenset("""style info citation bibliography macro locale layout text date
date-part number names name name-part et-al substitute label group choose if else-if else
sort key terms term single multiple style-options date-format""".split())
# CSL 1.0.2 variables the record model does not hold, and the engine's own
SPECIAL_VARIABLES = frozenset("""citation-number first-reference-note-number locator
year-suffix citation-label page-first part-number printing-number supplement-number
volume-title volume-title-short collection-title-short original-title-short part-title-short
reviewed-title-short editor-translator archive-collection""".split())


@contextmanager
def collecting() -> Iterator[list[Diagnostic]]:
    """Collect the engine's warnings while the block runs (each distinct message once)."""
    found: list[Diagnostic] = []
    token = _SINK.set(found)
    try:
        yield found
    finally:
        _SINK.reset(token)


def warn(message: str, code: str, source: str | None = None) -> None:
    sink = _SINK.get()
    if sink is None:
        return
    diagnostic = Diagnostic.warning(message, source=source, code=code)
    if diagnostic not in sink:
        sink.append(diagnostic)


def known_variables() -> frozenset[str]:
    from ...model import DATE_VARIABLES, NAME_VARIABLES, ORDINARY_VARIABLES

    return frozenset(ORDINARY_VARIABLES | set(NAME_VARIABLES) | set(DATE_VARIABLES)
                     | SPECIAL_VARIABLES)


@lru_cache(maxsize=128)
def _problems(root: Any, name: str) -> tuple[Diagnostic, ...]:
    variables = known_variables()
    out: list[Diagnostic] = []
    seen: set[str] = set()
    # cs:macro is a child of cs:style only (CSL 1.0.2 schema)
    macros = {m.get("name") for m in root if m.tag == f"{CSL_NS}macro"}

    def add(line: int | None, message: str, code: str) -> None:
        if message not in seen:  # once per style, at its first line
            seen.add(message)
            out.append(Diagnostic.warning(message, source=name, line=line, code=code))

    # one walk of the tree in document order; what lies inside a cs:info is not rendered and
    # not checked, so the walk does not enter it
    stack = [root]
    while stack:
        element = stack.pop()
        tag = element.tag if isinstance(element.tag, str) else ""
        if not tag.startswith(CSL_NS):
            continue
        local = tag[len(CSL_NS):]
        line = element.sourceline
        if local not in ELEMENTS:
            add(line, f"unsupported CSL element cs:{local}: ignored", "csl-unknown-element")
            continue
        if local == "info":
            continue
        stack.extend(reversed(element))
        names = element.get("variable")
        for variable in (names or "").split():
            if variable not in variables:
                add(line, f"unknown CSL variable {variable!r}: never set",
                    "csl-unknown-variable")
        macro = element.get("macro")
        if macro is not None and macro not in macros:
            add(line, f"cs:{local} calls macro {macro!r}, which the style does not define",
                "csl-unknown-macro")
        if local == "text" and names is None and macro is None and element.get(
                "term") is None and element.get("value") is None:
            add(line, "cs:text without variable, macro, term or value prints nothing",
                "csl-empty-text")
    return tuple(out)


#: macros calling macros deeper than this are refused (real styles nest a handful)
MAX_MACRO_DEPTH = 50


def macro_cycle(root: Any) -> list[str] | None:
    """A chain of macros that calls its own first one (["a", "b", "a"]), or one longer than
    :data:`MAX_MACRO_DEPTH`, else None. Such a style cannot be rendered: each call would
    render the macro again without end (or nearly)."""
    macros = {m.get("name"): m for m in root if m.tag == f"{CSL_NS}macro"}
    calls = {name: [e.get("macro") for e in macro.iter() if e.get("macro") in macros]
             for name, macro in macros.items()}
    done: set[str] = set()

    def visit(name: str, path: list[str]) -> list[str] | None:
        if name in path:
            return path[path.index(name):] + [name]
        if len(path) >= MAX_MACRO_DEPTH:
            return [*path, name]
        if name in done:
            return None
        for called in calls.get(name, ()):
            found = visit(called, [*path, name])
            if found is not None:
                return found
        done.add(name)
        return None

    for name in macros:
        found = visit(name, [])
        if found is not None:
            return found
    return None


def style_problems(style: Any) -> tuple[Diagnostic, ...]:
    """The problems of a parsed style (an :class:`~.style.EngineStyle`), found once."""
    return _problems(style.root, getattr(style, "name", "<style>"))
