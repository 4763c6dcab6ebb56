"""citetool's subclasses of citeproc-py's CSL element classes (the fixes).

Each class here subclasses the citeproc-py class of the same CSL element and is registered in
:data:`OVERRIDES` under the element name; :func:`.style.element_lookup` makes lxml build these
instead of citeproc-py's. Where citeproc-py's method is wrong as a whole (names, for example)
the method is written anew here; elsewhere the subclass adjusts and calls ``super()``.

The classes live in :mod:`.names`, :mod:`.dates`, :mod:`.text`, :mod:`.layout` and
:mod:`.conditions` (what they share in :mod:`.base`); importing this module registers them all.
"""

from __future__ import annotations

from . import conditions, dates, layout, names, text  # noqa: F401 - they register themselves
from .base import OVERRIDES
from .layout import Layout

__all__ = ["OVERRIDES", "Layout"]
