"""The record model: immutable, typed, in CSL vocabulary.

A :class:`Record` holds one bibliographic item.  Field names are CSL variable names
(``title``, ``container-title``, ``DOI`` ...), so every reader maps *to* CSL and every
writer maps *from* it.  What CSL 1.0.2 has no variable for but citetool must keep is held
in typed side maps: titles, abstracts and keywords per language, affiliations and ORCID
iDs per name, and ``extra`` for any other field a reader met (nothing read is lost).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, TypeVar

from .frozen import Frozen

K = TypeVar("K")
V = TypeVar("V")

# --- CSL vocabulary -------------------------------------------------------------------

CSL_TYPES: frozenset[str] = frozenset(
    """article article-journal article-magazine article-newspaper bill book broadcast chapter
    classic collection dataset document entry entry-dictionary entry-encyclopedia event figure
    graphic hearing interview legal_case legislation manuscript map motion_picture musical_score
    pamphlet paper-conference patent performance periodical personal_communication post
    post-weblog regulation report review review-book software song speech standard thesis
    treaty webpage""".split()
)

NAME_VARIABLES: tuple[str, ...] = tuple(
    """author chair collection-editor compiler composer container-author contributor curator
    director editor editorial-director executive-producer guest host interviewer illustrator
    narrator organizer original-author performer producer recipient reviewed-author
    script-writer series-creator translator""".split()
)

DATE_VARIABLES: tuple[str, ...] = (
    "issued",
    "accessed",
    "available-date",
    "event-date",
    "original-date",
    "submitted",
    "container",
)

NUMBER_VARIABLES: frozenset[str] = frozenset(
    """chapter-number citation-number collection-number edition first-reference-note-number
    issue locator number number-of-pages number-of-volumes page page-first part printing
    supplement volume""".split()
)

#: Ordinary variables the model stores as plain fields (title, abstract and keyword are
#: derived from the per-language maps and listed here only so readers can recognise them).
STRING_VARIABLES: frozenset[str] = frozenset(
    """abstract annote archive archive_collection archive_location archive-place authority
    call-number citation-key citation-label collection-title container-title
    container-title-short dimensions division DOI event event-title event-place genre ISBN
    ISSN jurisdiction keyword language license medium note original-publisher
    original-publisher-place original-title part-title PMCID PMID publisher publisher-place
    references reviewed-genre reviewed-title scale section source status title title-short
    translated-title translated-title-short URL version year-suffix journalAbbreviation
    shortTitle categories ISAN ISCI ISMN ISRC ISWC""".split()
)

ORDINARY_VARIABLES: frozenset[str] = STRING_VARIABLES | NUMBER_VARIABLES

#: Language of entries stored without a known language.
UNKNOWN_LANGUAGE = ""


class FrozenMap(Mapping[K, V]):
    """A small immutable, hashable and picklable mapping that keeps insertion order."""

    __slots__ = ("_data", "_hash")

    def __init__(self, data: Mapping[K, V] | Iterable[tuple[K, V]] = ()) -> None:
        self._data: dict[K, V] = dict(data)
        self._hash: int | None = None

    def __getitem__(self, key: K) -> V:
        return self._data[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(tuple((k, _hashable(v)) for k, v in self._data.items()))
        return self._hash

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return dict(self._data) == dict(other)
        return NotImplemented

    def __repr__(self) -> str:
        return f"FrozenMap({self._data!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (FrozenMap, (self._data,))

    def set(self, key: K, value: V) -> FrozenMap[K, V]:
        data = dict(self._data)
        data[key] = value
        return FrozenMap(data)

    def without(self, key: K) -> FrozenMap[K, V]:
        data = dict(self._data)
        data.pop(key, None)
        return FrozenMap(data)


def _hashable(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple((k, _hashable(v)) for k, v in value.items())
    if isinstance(value, list):
        return tuple(_hashable(v) for v in value)
    return value


# --- names ------------------------------------------------------------------------------

#: how the frozen classes below set their fields in ``__init__``
_set = object.__setattr__


class Name(Frozen):
    """A CSL name, plus what CSL cannot hold: affiliations and an ORCID iD."""

    _FIELDS = ("family", "given", "dropping_particle", "non_dropping_particle", "suffix",
               "literal", "comma_suffix", "static_ordering", "affiliation", "orcid")
    __slots__ = __match_args__ = _FIELDS

    family: str
    given: str
    dropping_particle: str
    non_dropping_particle: str
    suffix: str
    literal: str
    comma_suffix: bool
    static_ordering: bool
    affiliation: tuple[str, ...]
    orcid: str

    def __init__(
        self, family: str = "", given: str = "", dropping_particle: str = "",
        non_dropping_particle: str = "", suffix: str = "", literal: str = "",
        comma_suffix: bool = False, static_ordering: bool = False,
        affiliation: tuple[str, ...] = (), orcid: str = "",
    ) -> None:
        _set(self, "family", family)
        _set(self, "given", given)
        _set(self, "dropping_particle", dropping_particle)
        _set(self, "non_dropping_particle", non_dropping_particle)
        _set(self, "suffix", suffix)
        _set(self, "literal", literal)
        _set(self, "comma_suffix", comma_suffix)
        _set(self, "static_ordering", static_ordering)
        _set(self, "affiliation", affiliation)
        _set(self, "orcid", orcid)

    @property
    def is_literal(self) -> bool:
        return bool(self.literal) and not self.family

    def display(self) -> str:
        """``Given particle Family, Suffix`` (or the literal) for humans."""
        if self.is_literal:
            return self.literal
        parts = [self.given, self.dropping_particle, self.non_dropping_particle, self.family]
        text = " ".join(p for p in parts if p)
        if self.suffix:
            text += (", " if self.comma_suffix else " ") + self.suffix
        return text

    def sort_key(self) -> str:
        if self.is_literal:
            return self.literal
        return " ".join(p for p in (self.family, self.given) if p)

    def to_csl(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in (
            ("family", self.family),
            ("given", self.given),
            ("dropping-particle", self.dropping_particle),
            ("non-dropping-particle", self.non_dropping_particle),
            ("suffix", self.suffix),
            ("literal", self.literal),
        ):
            if value:
                out[key] = value
        if self.comma_suffix:
            out["comma-suffix"] = True
        if self.static_ordering:
            out["static-ordering"] = True
        return out

    @classmethod
    def from_csl(cls, data: Mapping[str, Any]) -> Name:
        def text(key: str) -> str:
            value = data.get(key)
            return "" if value is None else str(value)

        affiliation = data.get("affiliation") or ()
        if isinstance(affiliation, str):
            affiliation = (affiliation,)
        elif isinstance(affiliation, list):
            affiliation = tuple(
                a.get("name", "") if isinstance(a, Mapping) else str(a) for a in affiliation
            )
        return cls(
            family=text("family"),
            given=text("given"),
            dropping_particle=text("dropping-particle"),
            non_dropping_particle=text("non-dropping-particle"),
            suffix=text("suffix"),
            literal=text("literal"),
            comma_suffix=bool(data.get("comma-suffix")),
            static_ordering=bool(data.get("static-ordering")),
            affiliation=tuple(a for a in affiliation if a),
            orcid=text("ORCID") or text("orcid"),
        )


# --- dates ------------------------------------------------------------------------------

_ISO_DATE = re.compile(r"^\s*(-?\d{1,4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?\s*$")


class Date(Frozen):
    """A CSL date: one or two (range) ``(year[, month[, day]])`` tuples, or a literal."""

    _FIELDS = ("parts", "season", "circa", "literal", "raw")
    __slots__ = __match_args__ = _FIELDS

    parts: tuple[tuple[int, ...], ...]
    season: str
    circa: bool
    literal: str
    raw: str

    def __init__(
        self, parts: tuple[tuple[int, ...], ...] = (), season: str = "", circa: bool = False,
        literal: str = "", raw: str = "",
    ) -> None:
        _set(self, "parts", parts)
        _set(self, "season", season)
        _set(self, "circa", circa)
        _set(self, "literal", literal)
        _set(self, "raw", raw)

    @property
    def year(self) -> int | None:
        return self.parts[0][0] if self.parts and self.parts[0] else None

    @property
    def month(self) -> int | None:
        return self.parts[0][1] if self.parts and len(self.parts[0]) > 1 else None

    @property
    def day(self) -> int | None:
        return self.parts[0][2] if self.parts and len(self.parts[0]) > 2 else None

    def is_empty(self) -> bool:
        return not (self.parts or self.literal or self.raw)

    def iso(self) -> str:
        """EDTF-like text: ``2020``, ``2020-05``, ``2020-05-01/2020-06``; or the literal."""
        if not self.parts:
            return self.literal or self.raw
        text = "/".join(
            "-".join(f"{p:04d}" if i == 0 else f"{p:02d}" for i, p in enumerate(dp))
            for dp in self.parts
        )
        return text + ("~" if self.circa else "")

    @classmethod
    def parse(cls, text: str) -> Date:
        """Parse ``2020``, ``2020-05-01``, ``2020/2021``, ``2020-05/2020-06``; else literal."""
        text = text.strip()
        circa = text.endswith("~") or text.endswith("?")
        core = text.rstrip("~?").strip()
        pieces = core.split("/") if "/" in core else [core]
        parts: list[tuple[int, ...]] = []
        for piece in pieces:
            match = _ISO_DATE.match(piece)
            if not match:
                return cls(literal=text)
            numbers = tuple(int(g) for g in match.groups() if g is not None)
            if len(numbers) > 1 and not 1 <= numbers[1] <= 12:
                if 13 <= numbers[1] <= 16 and len(numbers) == 2:  # EDTF seasons 21-24 / 13-16
                    return cls(parts=((numbers[0],),), season=str(numbers[1] - 12), raw=text)
                return cls(literal=text)
            if len(numbers) > 2 and not 1 <= numbers[2] <= 31:
                return cls(literal=text)
            parts.append(numbers)
        if not parts or len(parts) > 2:
            return cls(literal=text)
        return cls(parts=tuple(parts), circa=circa)

    @classmethod
    def of(cls, year: int, month: int | None = None, day: int | None = None) -> Date:
        numbers = tuple(n for n in (year, month, day) if n is not None)
        return cls(parts=(numbers,))

    def to_csl(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.parts:
            out["date-parts"] = [list(p) for p in self.parts]
        if self.season:
            out["season"] = self.season
        if self.circa:
            out["circa"] = True
        if self.literal:
            out["literal"] = self.literal
        if self.raw and not self.parts and not self.literal:
            out["raw"] = self.raw
        return out

    @classmethod
    def from_csl(cls, data: Any) -> Date:
        if isinstance(data, str):
            return cls.parse(data)
        if isinstance(data, int):
            return cls.of(data)
        if not isinstance(data, Mapping):
            raise ValueError(f"a date must be an object or a string, not {type(data).__name__}")
        parts: list[tuple[int, ...]] = []
        for dp in data.get("date-parts") or []:
            if not isinstance(dp, list):
                raise ValueError("date-parts must be a list of lists")
            numbers = []
            for value in dp:
                if value in (None, ""):
                    break
                numbers.append(int(str(value).strip()))
            if numbers:
                parts.append(tuple(numbers))
        season = data.get("season")
        raw = str(data.get("raw") or "")
        date = cls(
            parts=tuple(parts),
            season="" if season is None else str(season),
            circa=bool(data.get("circa")),
            literal=str(data.get("literal") or ""),
            raw=raw,
        )
        if not date.parts and not date.literal and raw:
            parsed = cls.parse(raw)
            if parsed.parts:
                return parsed.replace(raw=raw)
        return date


# --- records ----------------------------------------------------------------------------

FieldValue = str | int

#: the default of a record's maps (a FrozenMap cannot change, so one serves every record)
_NO_MAP: FrozenMap[Any, Any] = FrozenMap()


class Record(Frozen):
    """One bibliographic item in CSL vocabulary.

    * ``fields``: ordinary and number CSL variables (``container-title``, ``volume``,
      ``DOI``, ``language`` ...) except the per-language ones below;
    * ``names``: name variables (``author``, ``editor`` ...), each a tuple of :class:`Name`;
    * ``dates``: date variables (``issued``, ``accessed`` ...);
    * ``titles``: the title in each language; the CSL ``title`` is the one in
      ``fields['title']``; others are translations keyed by language code;
    * ``abstracts`` and ``keywords``: per language code (``""`` when unknown);
    * ``extra``: any other field a reader met, keyed by its own name (JSON values).

    The maps are stored as :class:`FrozenMap` (a map given that is not one is converted).
    """

    _FIELDS = ("id", "type", "fields", "names", "dates", "titles", "abstracts", "keywords",
               "extra")
    __match_args__ = _FIELDS

    id: str
    type: str
    fields: Mapping[str, FieldValue]
    names: Mapping[str, tuple[Name, ...]]
    dates: Mapping[str, Date]
    titles: Mapping[str, str]
    abstracts: Mapping[str, str]
    keywords: Mapping[str, tuple[str, ...]]
    extra: Mapping[str, Any]

    def __init__(
        self, id: str, type: str = "article",
        fields: Mapping[str, FieldValue] = _NO_MAP,
        names: Mapping[str, tuple[Name, ...]] = _NO_MAP,
        dates: Mapping[str, Date] = _NO_MAP,
        titles: Mapping[str, str] = _NO_MAP,
        abstracts: Mapping[str, str] = _NO_MAP,
        keywords: Mapping[str, tuple[str, ...]] = _NO_MAP,
        extra: Mapping[str, Any] = _NO_MAP,
    ) -> None:
        _set(self, "id", id)
        _set(self, "type", type)
        _set(self, "fields", fields if isinstance(fields, FrozenMap) else FrozenMap(fields))
        _set(self, "names", names if isinstance(names, FrozenMap) else FrozenMap(names))
        _set(self, "dates", dates if isinstance(dates, FrozenMap) else FrozenMap(dates))
        _set(self, "titles", titles if isinstance(titles, FrozenMap) else FrozenMap(titles))
        _set(self, "abstracts",
             abstracts if isinstance(abstracts, FrozenMap) else FrozenMap(abstracts))
        _set(self, "keywords",
             keywords if isinstance(keywords, FrozenMap) else FrozenMap(keywords))
        _set(self, "extra", extra if isinstance(extra, FrozenMap) else FrozenMap(extra))

    # convenient typed access ----------------------------------------------------------
    def get(self, variable: str, default: Any = None) -> Any:
        """The value of a CSL variable, whatever map holds it."""
        if variable in self.fields:
            return self.fields[variable]
        if variable in self.names:
            return self.names[variable]
        if variable in self.dates:
            return self.dates[variable]
        if variable == "abstract":
            return self.abstract or default
        if variable == "keyword":
            return ", ".join(self.all_keywords()) or default
        if variable == "translated-title":
            return self.translated_title or default
        return default

    @property
    def title(self) -> str:
        return str(self.fields.get("title", ""))

    @property
    def language(self) -> str:
        return str(self.fields.get("language", ""))

    @property
    def author(self) -> tuple[Name, ...]:
        return self.names.get("author", ())

    @property
    def issued(self) -> Date | None:
        return self.dates.get("issued")

    @property
    def abstract(self) -> str:
        """The abstract in the record's language, else the first one."""
        lang = primary_language(self.language)
        for key, text in self.abstracts.items():
            if primary_language(key) == lang:
                return text
        return next(iter(self.abstracts.values()), "")

    @property
    def translated_title(self) -> str:
        """The English title of a non-English record, else the first translation."""
        if "en" in self.titles and primary_language(self.language) != "en":
            return self.titles["en"]
        return next(iter(self.titles.values()), "")

    def all_keywords(self) -> list[str]:
        seen: dict[str, None] = {}
        for words in self.keywords.values():
            for word in words:
                seen.setdefault(word, None)
        return list(seen)

    # functional updates ----------------------------------------------------------------
    def with_field(self, variable: str, value: Any) -> Record:
        """Set (or, with an empty value, remove) a CSL variable wherever it belongs."""
        empty = value in (None, "", (), [])
        if variable == "id":
            return self.replace(id=str(value))
        if variable == "type":
            return self.replace(type=str(value))
        if variable in NAME_VARIABLES:
            names = (
                self.names.without(variable) if empty else self.names.set(variable, tuple(value))
            )  # type: ignore[attr-defined]
            return self.replace(names=names)
        if variable in DATE_VARIABLES:
            date = value if isinstance(value, Date) or empty else Date.parse(str(value))
            dates = self.dates.without(variable) if empty else self.dates.set(variable, date)  # type: ignore[attr-defined]
            return self.replace(dates=dates)
        if variable == "abstract":
            lang = self.language or UNKNOWN_LANGUAGE
            return self.replace(abstracts=FrozenMap({} if empty else {lang: str(value)}))
        if variable == "keyword":
            words = tuple(w.strip() for w in re.split(r"[,;]", str(value or "")) if w.strip())
            return self.replace(keywords=FrozenMap({UNKNOWN_LANGUAGE: words} if words else {}))
        fields = self.fields.without(variable) if empty else self.fields.set(variable, value)  # type: ignore[attr-defined]
        return self.replace(fields=fields)


def primary_language(tag: str) -> str:
    """``en-US`` → ``en``; ``pl_PL`` → ``pl``; lower-case."""
    return re.split(r"[-_]", tag.strip().lower(), maxsplit=1)[0] if tag else ""
