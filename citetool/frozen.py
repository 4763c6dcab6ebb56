"""Immutable value classes without the ``dataclasses`` module.

The record model's classes (:class:`~citetool.model.Name`, :class:`~citetool.model.Date`,
:class:`~citetool.model.Record`) and the diagnostics (:class:`~citetool.errors.Payload`,
:class:`~citetool.errors.Diagnostic`) are on the path of every command. As frozen dataclasses
they cost the import of ``dataclasses`` (which imports ``inspect``, ``ast``, ``dis`` and
``tokenize``: ~4 ms) and ~0.3-0.5 ms each to create. :class:`Frozen` gives them what the
dataclasses gave, from one list of fields per class, ``_FIELDS``:

* equality with an instance of the same class, field by field in order, and a hash of the
  fields (as ``@dataclass(frozen=True)`` has them);
* a repr ``Name(family='Doe', given='J.', ...)``;
* immutability: assigning or deleting an attribute raises :class:`FrozenInstanceError`, an
  :class:`AttributeError` (as ``dataclasses.FrozenInstanceError`` is);
* pickling (records cross process boundaries), by calling the class with the fields;
* :meth:`Frozen.replace`, a changed copy (what ``dataclasses.replace`` made);
* ``__match_args__``, the fields (each class sets it).

A subclass writes its ``__init__`` by hand, taking the fields in the order of ``_FIELDS``
with their defaults and setting each with ``object.__setattr__`` (construction is the hot
part: bulk jobs build hundreds of thousands of names and records). Creating the class
checks that the ``__init__`` parameters are ``_FIELDS``, so the two cannot drift apart.
"""

from __future__ import annotations

from operator import attrgetter

TYPE_CHECKING = False  # typing is not imported at run time (start-up)
if TYPE_CHECKING:
    from typing import Any, ClassVar, TypeVar

    F = TypeVar("F", bound="Frozen")


class FrozenInstanceError(AttributeError):
    """An attempt to assign to (or delete) an attribute of a :class:`Frozen` value."""


class Frozen:
    """Base of immutable value classes whose fields, in order, are ``_FIELDS`` (see the
    module's documentation). A subclass also sets ``__match_args__ = _FIELDS`` (as a
    dataclass has it) and, if slotted, ``__slots__ = _FIELDS``."""

    __slots__ = ()

    _FIELDS: ClassVar[tuple[str, ...]] = ()
    #: the fields of an instance, in order, as a tuple
    _values: ClassVar[attrgetter[tuple[Any, ...]]]
    __match_args__: ClassVar[tuple[str, ...]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        fields = cls._FIELDS
        code = cls.__init__.__code__
        if code.co_varnames[1 : code.co_argcount] != fields:
            raise TypeError(f"{cls.__qualname__}.__init__ must take the fields {fields}")
        if len(fields) < 2:  # attrgetter of one name returns the value, not a tuple
            raise TypeError(f"{cls.__qualname__} needs two fields or more")
        cls._values = attrgetter(*fields)

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return self._values(self) == self._values(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._values(self))

    def __repr__(self) -> str:
        values = ", ".join(f"{name}={value!r}"
                           for name, value in zip(self._FIELDS, self._values(self), strict=True))
        return f"{self.__class__.__qualname__}({values})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (self.__class__, self._values(self))

    def replace(self: F, **changes: Any) -> F:
        """A copy with the fields in ``changes`` changed; an unknown field is a TypeError."""
        for name, value in zip(self._FIELDS, self._values(self), strict=True):
            changes.setdefault(name, value)
        return self.__class__(**changes)

    __replace__ = replace  # copy.replace (Python 3.13)
