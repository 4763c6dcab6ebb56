"""A guard for methods that citeproc-py's element classes would still lend citetool's.

While an element class of citetool keeps ``citeproc.model.X`` among its bases (until the
generic layer under it is citetool's own), it inherits every method of X it does not define.
:func:`retire` marks the ones citetool never calls: their only callers were methods of X that
citetool's class replaces. Reading a retired method raises, so a caller that was missed fails
loudly instead of quietly running citeproc-py's code. Once ``model.X`` leaves the bases the
guards guard nothing and can go.
"""

from __future__ import annotations

from typing import NoReturn


class RetiredMethod:
    """A class attribute that raises when read.

    Not AttributeError: citeproc-py's elements answer an unknown attribute by looking for a
    child element of that name (``SomewhatObjectifiedElement.__getattr__``), which would turn
    a call into a quiet ``None``.
    """

    def __init__(self, qualified_name: str) -> None:
        self.qualified_name = qualified_name

    def __get__(self, instance: object, owner: type | None = None) -> NoReturn:
        raise NotImplementedError(
            f"{self.qualified_name} is citeproc-py's method, which citetool's element does "
            "not use or provide")


def retire(cls: type, *names: str) -> None:
    """Shadow the inherited methods ``names`` of ``cls`` with :class:`RetiredMethod`."""
    for name in names:
        setattr(cls, name, RetiredMethod(f"{cls.__name__}.{name}"))
