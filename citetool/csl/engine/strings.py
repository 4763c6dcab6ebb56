"""The text values the CSL elements pass around while they render an item.

A rendered piece is a :class:`String` (a ``str`` that knows its text case methods), a
:class:`NoCase` (a String that text-case leaves alone) or, once pieces are joined with ``+``,
a :class:`MixedString`: the list of its pieces, each keeping its kind. Joining normalises the
seam between two pieces (:func:`seam`): a space after a space, or a punctuation mark after
the same mark, is written once ("Title." + ". " gives "Title. ").

The engine keeps formatting as marker characters (:mod:`.richtext`), so these classes carry
no markup of their own; text case is applied to the marker text (:func:`.richtext.apply_case`),
not through methods of these classes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

#: marks written once where two pieces meet ("..": ".")
SEAM_PUNCTUATION = frozenset(".,;:!?")


def seam(left: Any, right: Any) -> Any:
    """``right`` ready to follow ``left``: without its first character when that repeats
    the last character of ``left`` and is a space or one of :data:`SEAM_PUNCTUATION`.
    Only the seam is looked at (an ellipsis inside a title stays)."""
    before, after = str(left), str(right)
    if not before or not after:
        return right
    last, first = before[-1], after[0]
    if last == first and (first == " " or first in SEAM_PUNCTUATION):
        return _without_first(right)
    return right


def _without_first(text: Any) -> Any:
    """``text`` less its first character, keeping its kind (and a mixed string's pieces)."""
    if isinstance(text, list):  # a MixedString
        pieces = list(text)
        head = pieces[0]
        rest = type(head)(str(head)[1:])
        return MixedString(([rest] if rest != "" else []) + pieces[1:])
    return type(text)(str(text)[1:])


class String(str):
    """A rendered piece of text. ``+`` makes a :class:`MixedString` (the seam normalised);
    adding ``""`` gives the piece itself. Case methods keep the class (a NoCase stays one)."""

    def __add__(self, other: Any) -> Any:
        if other == "":
            return self
        return MixedString([self]) + other

    def __radd__(self, other: Any) -> Any:
        if other == "":
            return self
        return MixedString([other]) + self

    def rstrip(self, chars: str | None = None) -> String:
        return type(self)(str.rstrip(self, chars))

    def lower(self) -> String:
        return type(self)(str.lower(self))

    def upper(self) -> String:
        return type(self)(str.upper(self))


class NoCase(String):
    """A piece text-case leaves as written (``<span class="nocase">`` in the data)."""

    def __repr__(self) -> str:
        return f"NoCase({str(self)})"


class MixedString(list):  # type: ignore[type-arg]
    """Pieces of text joined by ``+``, each keeping its kind; ``str()`` is their text.
    Indexing reads the text (``m[-1]`` is its last character); case methods apply to each
    piece. Built from a plain ``str``, it holds that text as one String."""

    def __init__(self, pieces: Iterable[Any] | str = ()) -> None:
        super().__init__([String(pieces)] if isinstance(pieces, str) else pieces)

    def __add__(self, other: Any) -> Any:  # type: ignore[override]
        if other == "":
            return self
        other = seam(self, other)
        if other == "" or other == []:
            return self
        if isinstance(other, list):
            return type(self)([*self, *other])
        return type(self)([*self, other])

    def __radd__(self, other: Any) -> Any:
        if other == "":
            return self
        return type(self)([other]) + self

    def __str__(self) -> str:
        return "".join(map(str, self))

    def __getitem__(self, index: Any) -> str:  # type: ignore[override]
        return str(self)[index]

    def _each(self, method: str, *args: Any) -> MixedString:
        return type(self)([getattr(piece, method)(*args) for piece in self])

    def lower(self) -> MixedString:
        return self._each("lower")

    def upper(self) -> MixedString:
        return self._each("upper")

    def rstrip(self, chars: str | None = None) -> MixedString:
        """Trailing characters stripped from the last piece."""
        pieces = list(self)
        if pieces:
            pieces[-1] = pieces[-1].rstrip(chars)
        return type(self)(pieces)


_NOTHING = object()


def join(items: Iterable[Any], delimiter: Any = "") -> Any:
    """The items with ``delimiter`` between them, each seam normalised (:func:`seam`);
    ``String("")`` for no items. The first item is kept as it is (one item: itself)."""
    pieces = iter(items)
    out = next(pieces, _NOTHING)
    if out is _NOTHING:
        return String("")
    for item in pieces:
        out = out + seam(out, delimiter)
        out = out + seam(out, item)
    return out


__all__ = ["SEAM_PUNCTUATION", "MixedString", "NoCase", "String", "join", "seam"]
