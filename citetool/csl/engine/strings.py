"""The text values the CSL elements pass around while they render an item.

A rendered piece is a :class:`String` (a ``str`` that knows its text case methods), a
:class:`NoCase` (a String that text-case leaves alone) or, once pieces are joined with ``+``,
a :class:`MixedString`: the list of its pieces, each keeping its kind. Joining normalises the
seam between two pieces (:func:`seam`): a space after a space, or a punctuation mark after
the same mark, is written once ("Title." + ". " gives "Title. ").

The engine keeps formatting as marker characters (:mod:`.richtext`), so these classes carry
no markup of their own. They keep the interface of citeproc-py's ``citeproc.string`` classes
(``soft_lower``, ``capitalize_first``, ``words`` ...) for the element code inherited from
citeproc-py that still calls it on the values citetool's elements return, and they mix with
citeproc-py's own strings both ways: the two ``+`` each other as ``str`` and ``list`` do, and
``isinstance`` takes citeproc-py's String, NoCase and MixedString (which that code makes from
terms and ``+``) for these (:class:`_Kind`). Both go with that inherited code.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
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

    def replace(self, old: str, new: str, count: int = -1) -> String:  # type: ignore[override]
        return type(self)(str.replace(self, old, new, count))

    def rstrip(self, chars: str | None = None) -> String:
        return type(self)(str.rstrip(self, chars))

    def lower(self) -> String:
        return type(self)(str.lower(self))

    def upper(self) -> String:
        return type(self)(str.upper(self))

    def soft_lower(self) -> String:
        """Lower case where text-case may change the case (a NoCase keeps its own)."""
        return self.lower()

    def soft_upper(self) -> String:
        return self.upper()

    def capitalize_first(self) -> String:
        """The first character upper-cased, the rest as written."""
        return type(self)(self[:1].upper() + self[1:])

    def words(self) -> Iterator[String]:
        """The whitespace-separated words, each of this class."""
        return (type(self)(word) for word in self.split())


class NoCase(String):
    """A piece text-case leaves as written (``<span class="nocase">`` in the data)."""

    def __repr__(self) -> str:
        return f"NoCase({str(self)})"

    def soft_lower(self) -> NoCase:
        return self

    def soft_upper(self) -> NoCase:
        return self

    def capitalize_first(self) -> NoCase:
        return self


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

    def __iadd__(self, other: Any) -> Any:  # type: ignore[override]
        return self + other  # a new value, never changed in place (list's += would)

    def __str__(self) -> str:
        return "".join(map(str, self))

    def __getitem__(self, index: Any) -> str:  # type: ignore[override]
        return str(self)[index]

    def _each(self, method: str, *args: Any) -> MixedString:
        return type(self)([getattr(piece, method)(*args) for piece in self])

    def replace(self, old: str, new: str, count: int = -1) -> MixedString:
        return self._each("replace", old, new, count)

    def translate(self, table: Any) -> MixedString:
        return self._each("translate", table)

    def lower(self) -> MixedString:
        return self._each("lower")

    def upper(self) -> MixedString:
        return self._each("upper")

    def title(self) -> MixedString:
        return self._each("title")

    def isupper(self) -> bool:
        return all(piece.isupper() for piece in self)

    def split(self, sep: str | None = None, maxsplit: int = -1) -> list[str]:
        return str(self).split(sep, maxsplit)

    def capitalize_first(self) -> MixedString:
        """The first piece capitalised (a NoCase first piece stays as written)."""
        pieces = list(self)
        if pieces:
            pieces[0] = pieces[0].capitalize_first()
        return type(self)(pieces)

    def rstrip(self, chars: str | None = None) -> MixedString:
        """Trailing characters stripped from the last piece."""
        pieces = list(self)
        if pieces:
            pieces[-1] = pieces[-1].rstrip(chars)
        return type(self)(pieces)

    def words(self) -> Iterator[Any]:
        for piece in self:
            yield from piece.words()


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
