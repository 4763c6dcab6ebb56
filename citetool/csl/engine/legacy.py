"""Entry points of citeproc-py's element classes that citetool's engine never calls.

While citetool's element classes still subclass citeproc-py's (see :mod:`.elements`), they
inherit citeproc-py's own rendering entry points (``Citation.render``,
``Layout.render_bibliography`` ...), which the engine replaced by its processor
(:mod:`.processor`) and layout (:mod:`.layout`). :func:`not_used` shadows each with a method
that says so, so that no path can fall back to citeproc-py's code unnoticed. Once the classes no
longer subclass citeproc-py's, these shadows can go.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NoReturn


def not_used(name: str, instead: str) -> Callable[..., NoReturn]:
    """A method standing in for citeproc-py's ``name``: calling it raises, naming what
    citetool uses ``instead``."""

    def method(self: Any, *args: Any, **kwargs: Any) -> NoReturn:
        raise NotImplementedError(f"{name} is citeproc-py's; citetool uses {instead}")

    method.__name__ = name.rsplit(".", 1)[-1]
    method.__doc__ = f"Not used by citetool (which uses {instead})."
    return method
