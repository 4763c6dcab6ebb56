"""The model's and the diagnostics' value classes (citetool/frozen.py) behave as the frozen
dataclasses they were: construction, defaults, equality, hash, repr, immutability, pickling
(also through worker processes), a changed copy, and ``__match_args__``."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from typing import Any

import pytest

from citetool.errors import Diagnostic, Level, Payload, shown_ids
from citetool.frozen import Frozen, FrozenInstanceError
from citetool.model import Date, FrozenMap, Name, Record
from citetool.parallel import imap_ordered

SAMPLES: list[Frozen] = [
    Name(family="Berg", given="Jan", non_dropping_particle="van der", affiliation=("U",),
         orcid="0000-0002-1825-0097"),
    Name("Doe", "J.", "", "", "Jr.", "", True),
    Date(parts=((2020, 5), (2020, 6)), circa=True),
    Date.parse("Spring 2020"),
    Record(id="a", type="book", fields={"title": "T", "volume": 3},
           names={"author": (Name(family="Doe"),)}, dates={"issued": Date.of(2020)},
           titles={"en": "E"}, abstracts={"": "A"}, keywords={"": ("k",)}, extra={"x": [1]}),
    Record(id="b"),
    Payload(kind="k", record="a", field="ORCID", target="ris", counts=(2,), ids=("a", "b"),
            words=lambda p: "w"),
    Diagnostic(Level.WARNING, "m", "f.bib", 3, "code", Payload(kind="k")),
    Diagnostic.error("e"),
]
SLOTTED = (Name, Date, Payload, Diagnostic)


def as_dataclass(value: Frozen) -> Any:
    """The frozen dataclass the class was, holding the same values."""
    cls = type(value)
    spec = cls.__init__.__defaults__ or ()
    fields = cls._FIELDS
    required = len(fields) - len(spec)
    made = dataclasses.make_dataclass(
        cls.__name__,
        [(name, object) if i < required
         else (name, object, dataclasses.field(default=spec[i - required]))
         for i, name in enumerate(fields)],
        frozen=True,
    )
    made.__qualname__ = cls.__qualname__
    return made(*cls._values(value))


@pytest.mark.parametrize("value", SAMPLES, ids=lambda v: type(v).__name__)
def test_equality_hash_and_repr_are_the_dataclasses(value: Frozen) -> None:
    twin = as_dataclass(value)
    assert repr(value) == repr(twin)
    assert hash(value) == hash(twin)
    assert value.__match_args__ == twin.__match_args__ == type(value)._FIELDS
    again = type(value)(*type(value)._values(value))
    assert again == value and hash(again) == hash(value) and again is not value
    assert value != twin  # only an instance of the same class is equal, as with dataclasses
    assert value != type(value)._values(value)


def test_keyword_and_positional_construction_with_the_defaults() -> None:
    assert Name("Doe", "J.") == Name(family="Doe", given="J.")
    assert Name() == Name("", "", "", "", "", "", False, False, (), "")
    assert Date() == Date((), "", False, "", "")
    assert Payload() == Payload("", None, None, None, (), (), None)
    assert Diagnostic(Level.INFO, "m") == Diagnostic(Level.INFO, "m", None, None, "", None)
    with pytest.raises(TypeError):
        Record()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Diagnostic(Level.INFO)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Name(familly="Doe")  # type: ignore[call-arg]


def test_record_maps_are_frozen_maps() -> None:
    r = Record("a", "book", {"title": "T"})
    for name in ("fields", "names", "dates", "titles", "abstracts", "keywords", "extra"):
        assert isinstance(getattr(r, name), FrozenMap)
    assert r.fields == {"title": "T"} and r.type == "book" and Record("a").type == "article"
    assert r == Record("a", "book", FrozenMap({"title": "T"}))
    assert not Record("a").extra


@pytest.mark.parametrize("value", SAMPLES, ids=lambda v: type(v).__name__)
def test_frozen(value: Frozen) -> None:
    for name in type(value)._FIELDS:
        with pytest.raises(FrozenInstanceError, match=f"cannot assign to field '{name}'"):
            setattr(value, name, None)
        with pytest.raises(AttributeError, match=f"cannot delete field '{name}'"):
            delattr(value, name)
    with pytest.raises(AttributeError):
        value.other = 1  # type: ignore[attr-defined]
    assert hasattr(value, "__dict__") == (type(value) not in SLOTTED)
    if type(value) in SLOTTED:
        assert type(value).__slots__ == type(value)._FIELDS


@pytest.mark.parametrize("value", [v for v in SAMPLES if not isinstance(v, Payload)],
                         ids=lambda v: type(v).__name__)
def test_pickle_and_copy(value: Frozen) -> None:
    back = pickle.loads(pickle.dumps(value))
    assert back == value and hash(back) == hash(value) and type(back) is type(value)
    assert copy.copy(value) == value and copy.deepcopy(value) == value


def test_diagnostics_pickle_with_module_level_wording() -> None:
    d = Diagnostic.summary(Level.WARNING, Payload(kind="k", counts=(4,), ids=("a", "b"),
                                                  words=_words))
    back = pickle.loads(pickle.dumps(d))
    assert back == d and back.message == "4: a, b, ..."


def _words(payload: Payload) -> str:
    return f"{payload.counts[0]}: {shown_ids(payload.counts[0], payload.ids)}"


def test_values_cross_worker_processes() -> None:
    record = SAMPLES[4]
    assert isinstance(record, Record)

    def job(n: int) -> tuple[Record, Diagnostic]:
        return (record.replace(id=str(n)),
                Diagnostic.warning(str(n), "f", n, payload=Payload(kind="k", counts=(n,))))

    results = list(imap_ordered(job, range(6), 2))
    assert [r for _, r in results] == [job(n) for n in range(6)]


def test_replace_makes_a_changed_copy() -> None:
    name = SAMPLES[0]
    assert isinstance(name, Name)
    changed = name.replace(orcid="", given="J.")
    assert changed == Name(family="Berg", given="J.", non_dropping_particle="van der",
                           affiliation=("U",))
    assert name.orcid and name.replace() == name
    r = Record("a").replace(fields={"title": "T"})
    assert isinstance(r.fields, FrozenMap) and r.title == "T"
    d = Diagnostic.error("e").replace(line=3)
    assert d == Diagnostic(Level.ERROR, "e", line=3)
    with pytest.raises(TypeError):
        name.replace(familly="x")
    assert copy.copy(name).__replace__(given="K").given == "K"  # copy.replace (3.13)


def test_a_class_cannot_drift_from_its_fields() -> None:
    with pytest.raises(TypeError, match="must take the fields"):
        class Drifted(Frozen):
            _FIELDS = ("a", "b")
            __slots__ = _FIELDS

            def __init__(self, a: int = 0, c: int = 0) -> None:
                object.__setattr__(self, "a", a)
                object.__setattr__(self, "b", c)
