"""citetool's subclasses of citeproc-py's CSL element classes (the fixes).

Each class here subclasses the citeproc-py class of the same CSL element and is registered in
:data:`OVERRIDES` under the element name; :func:`.style.element_lookup` makes lxml build these
instead of citeproc-py's.
"""

from __future__ import annotations

from typing import Any

from citeproc import model

OVERRIDES: dict[str, type] = {}


def override(cls: type) -> type:
    base = next(b for b in cls.__mro__[1:]
                if model.CitationStylesElement in b.__bases__)
    OVERRIDES[base.__name__.replace("_", "-").lower()] = cls
    return cls


_: Any = None
