"""Record ↔ CSL-JSON item (a dict), shared by the CSL-JSON/YAML reader and writer and by the
CSL engine.

What the CSL-JSON schema has no place for goes under ``custom`` (the schema's own place for
key-value data) so that output validates against csl-data.json and reads back losslessly:

* ``custom.names.<role>``: one object per name with ``affiliation`` and ``ORCID``;
* ``custom.titles``: ``{lang: title}`` of translated titles;
* ``custom.abstracts`` / ``custom.keywords``: per language (when there is more than one
  language or the language is known);
* every other ``custom`` key is ``Record.extra``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .model import (
    DATE_VARIABLES,
    NAME_VARIABLES,
    NUMBER_VARIABLES,
    ORDINARY_VARIABLES,
    UNKNOWN_LANGUAGE,
    Date,
    FrozenMap,
    Name,
    Record,
)

CUSTOM_KEYS = ("names", "titles", "abstracts", "keywords")

#: A whole number longer than this is refused as a value (a year, a page, a date part):
#: Python cannot even print an int of more than 4,300 digits, and no real one needs 100.
MAX_INT_DIGITS = 100


class HugeNumber(str):
    """A JSON/YAML number of more than :data:`MAX_INT_DIGITS` digits, kept as its text (never
    made an int) so that :func:`from_csl` can refuse it with the item's line."""

    __slots__ = ()

    def digits(self) -> int:
        return len(self.lstrip("+-"))


#: Top-level item keys allowed by csl-data.json (CSL 1.0.2 schema, additionalProperties false).
SCHEMA_KEYS: frozenset[str] = frozenset(
    """type id categories language journalAbbreviation shortTitle author chair collection-editor
    compiler composer container-author contributor curator director editor editorial-director
    executive-producer guest host interviewer illustrator narrator organizer original-author
    performer producer recipient reviewed-author script-writer series-creator translator accessed
    available-date event-date issued original-date submitted abstract annote archive
    archive_collection archive_location archive-place authority call-number chapter-number
    citation-number citation-label collection-number collection-title container-title
    container-title-short dimensions division DOI edition event event-title event-place
    first-reference-note-number genre ISBN ISSN issue jurisdiction keyword locator medium note
    number number-of-pages number-of-volumes original-publisher original-publisher-place
    original-title page page-first part part-title PMCID PMID printing publisher publisher-place
    references reviewed-genre reviewed-title scale section source status supplement title
    title-short URL version volume volume-title volume-title-short year-suffix custom
    citation-key""".split()
)


def to_csl(record: Record, *, custom: bool = True) -> dict[str, Any]:
    """A CSL-JSON item for ``record``.

    ``custom=True`` (export): valid against csl-data.json; everything else under ``custom``.
    ``custom=False`` (for a CSL processor): every variable at the top level, including
    ``translated-title``, and no ``custom`` object.
    """
    item: dict[str, Any] = {"id": record.id, "type": record.type}
    outside: dict[str, Any] = {}
    for key, value in record.fields.items():
        if custom and key not in SCHEMA_KEYS:
            outside[key] = value
        else:
            item[key] = value
    for role, names in record.names.items():
        if names:
            item[role] = [n.to_csl() for n in names]
    for var, date in record.dates.items():
        if not date.is_empty():
            item[var] = date.to_csl()
    if record.abstracts:
        item["abstract"] = record.abstract
    if record.keywords:
        item["keyword"] = ", ".join(record.all_keywords())
    if not custom:
        if record.titles and "translated-title" not in item:
            item["translated-title"] = record.translated_title
        return item
    extra = _custom(record)
    extra.update(outside)
    if extra:
        item["custom"] = extra
    return item


def _custom(record: Record) -> dict[str, Any]:
    out: dict[str, Any] = {}
    names: dict[str, list[dict[str, Any]]] = {}
    for role, people in record.names.items():
        if any(p.affiliation or p.orcid for p in people):
            entries = []
            for person in people:
                entry: dict[str, Any] = {"name": person.display()}
                if person.affiliation:
                    entry["affiliation"] = list(person.affiliation)
                if person.orcid:
                    entry["ORCID"] = person.orcid
                entries.append(entry)
            names[role] = entries
    if names:
        out["names"] = names
    if record.titles:
        out["titles"] = dict(record.titles)
    if set(record.abstracts) - {UNKNOWN_LANGUAGE}:
        out["abstracts"] = dict(record.abstracts)
    if set(record.keywords) - {UNKNOWN_LANGUAGE}:
        out["keywords"] = {k: list(v) for k, v in record.keywords.items()}
    for key, value in record.extra.items():
        if key not in out:
            out[key] = value
    return out


class ItemError(ValueError):
    """A CSL-JSON item whose shape is wrong (``"author": "Smith"``)."""


def from_csl(item: Mapping[str, Any], index: int = 0, notes: list[str] | None = None) -> Record:
    """A Record from one CSL-JSON item; raises :class:`ItemError` on wrong shapes. What is
    dropped as impossible (month 13, day 40) is said in ``notes`` when it is given."""
    if not isinstance(item, Mapping):
        raise ItemError(f"item {index + 1} is a {type(item).__name__}, not an object")
    raw_id = item.get("id")
    rid = str(raw_id) if raw_id not in (None, "") else f"item{index + 1}"
    rtype = item.get("type") or "article"
    if not isinstance(rtype, str):
        raise ItemError(f"item {rid!r}: 'type' must be a string")
    fields: dict[str, Any] = {}
    names: dict[str, tuple[Name, ...]] = {}
    dates: dict[str, Date] = {}
    abstracts: dict[str, str] = {}
    keywords: dict[str, tuple[str, ...]] = {}
    titles: dict[str, str] = {}
    extra: dict[str, Any] = {}
    for key, value in item.items():
        if key in ("id", "type", "custom") or value is None:
            continue
        if isinstance(value, HugeNumber):
            raise ItemError(f"item {rid!r}: {key!r} is a number of {value.digits()} digits "
                            f"(at most {MAX_INT_DIGITS})")
        if key in NAME_VARIABLES:
            names[key] = _names(rid, key, value)
        elif key in DATE_VARIABLES:
            try:
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    raise ValueError(f'a number ({value!r}); write {{"date-parts": [[{value}]]}}')
                _check_date(value)
                dates[key] = _valid_date(Date.from_csl(value), key, notes)
            except (ValueError, TypeError) as exc:
                raise ItemError(f"item {rid!r}: {key!r} is not a date: {exc}") from None
        elif key == "abstract":
            abstracts[UNKNOWN_LANGUAGE] = _scalar(rid, key, value)
        elif key == "keyword":
            text = (
                ", ".join(map(str, value)) if isinstance(value, list) else _scalar(rid, key, value)
            )
            words = tuple(w.strip() for w in text.replace(";", ",").split(",") if w.strip())
            if words:
                keywords[UNKNOWN_LANGUAGE] = words
        elif key in NUMBER_VARIABLES:
            if isinstance(value, bool) or not isinstance(value, (str, int, float)):
                raise ItemError(f"item {rid!r}: {key!r} must be a string or number")
            fields[key] = value if isinstance(value, (str, int)) else str(value)
        elif isinstance(value, (list, dict)):
            extra[key] = value
        else:
            fields[key] = (
                value
                if isinstance(value, (str, int)) and not isinstance(value, bool)
                else str(value)
            )
    custom = item.get("custom")
    if isinstance(custom, Mapping):
        for key, value in custom.items():
            if key == "names" and isinstance(value, Mapping):
                try:
                    _merge_name_details(names, value)
                except ItemError as exc:
                    raise ItemError(f"item {rid!r}: {exc}") from None
            elif key == "titles" and isinstance(value, Mapping):
                titles = {str(k): str(v) for k, v in value.items()}
            elif key == "abstracts" and isinstance(value, Mapping):
                abstracts = {str(k): str(v) for k, v in value.items()}
            elif key == "keywords" and isinstance(value, Mapping):
                keywords = {str(k): _keyword_list(rid, str(k), v) for k, v in value.items()}
            else:
                extra[key] = value
    elif custom is not None:
        extra["custom"] = custom
    if titles and fields.get("translated-title") == _derived_translation(titles, fields):
        fields.pop("translated-title")
    for key in [k for k in extra if k in ORDINARY_VARIABLES and k not in SCHEMA_KEYS]:
        value = extra.pop(key)
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            fields[key] = value
    return Record(
        id=rid,
        type=rtype,
        fields=fields,
        names=names,
        dates=dates,
        titles=titles,
        abstracts=abstracts,
        keywords=keywords,
        extra=extra,
    )


def _scalar(rid: str, key: str, value: Any) -> str:
    if isinstance(value, (dict, list)):
        raise ItemError(f"item {rid!r}: {key!r} must be a string")
    return str(value)


def _names(rid: str, key: str, value: Any) -> tuple[Name, ...]:
    if not isinstance(value, list):
        shown = f" ({value!r})" if isinstance(value, (str, int)) else ""
        raise ItemError(f"item {rid!r}: {key!r} must be a list of names, not a "
                        f"{type(value).__name__}{shown}")
    people = []
    for person in value:
        if isinstance(person, str):
            raise ItemError(
                f"item {rid!r}: {key!r} holds a string {person!r}; a name must be an "
                'object like {"family": ..., "given": ...}'
            )
        if not isinstance(person, Mapping):
            raise ItemError(f"item {rid!r}: {key!r} holds a {type(person).__name__}")
        for part in _NAME_PARTS:
            if isinstance(person.get(part), (list, dict)):
                raise ItemError(
                    f"item {rid!r}: {key!r} name {len(people) + 1}: {part!r} must be a string, "
                    f"not a {type(person[part]).__name__}"
                )
        people.append(Name.from_csl(person))
    return tuple(people)


_NAME_PARTS = ("family", "given", "literal", "suffix", "dropping-particle",
               "non-dropping-particle", "ORCID")
_DATE_TEXT = ("season", "literal", "raw")


def _check_date(value: Any) -> None:
    """Refuse the shapes a CSL date object must not have, in words (not Python's)."""
    if not isinstance(value, Mapping):
        return  # a string is parsed; anything else is refused by Date.from_csl
    for key in _DATE_TEXT:
        if isinstance(value.get(key), (list, dict)):
            raise ValueError(f"{key!r} must be a string, not a {type(value[key]).__name__}")
    parts = value.get("date-parts")
    if parts is None:
        return
    if not isinstance(parts, list) or not all(isinstance(p, list) for p in parts):
        raise ValueError("date-parts must be a list of lists, like [[2020, 5, 4]]")
    if len(parts) > 2:
        raise ValueError(f"date-parts holds {len(parts)} dates; at most 2 (a range)")
    for part in parts:
        if len(part) > 3:
            raise ValueError(f"date-parts {part!r} has more than year, month, day")
        for number in part:
            if number in (None, ""):
                break
            if isinstance(number, bool) or not (
                isinstance(number, int)
                or (isinstance(number, str) and number.strip().lstrip("-").isdigit())
            ):
                raise ValueError(f"date-parts must hold whole numbers, not {number!r}")
            if isinstance(number, str) and len(number.strip().lstrip("-")) > MAX_INT_DIGITS:
                raise ValueError(f"date-parts holds a number of {len(number.strip())} digits "
                                 f"(at most {MAX_INT_DIGITS})")


#: CSL-JSON months 13-16 and 21-24 are seasons (spring ... winter), as citeproc-js reads them
_SEASON_MONTHS = {13: 1, 14: 2, 15: 3, 16: 4, 21: 1, 22: 2, 23: 3, 24: 4}


def _valid_date(date: Date, key: str, notes: list[str] | None) -> Date:
    """``date`` without a month outside 1-12 (a season month becomes the season) or a day
    outside 1-31; each drop is said in ``notes``."""
    parts = []
    season = date.season
    for part in date.parts:
        if len(part) > 1 and not 1 <= part[1] <= 12:
            if part[1] in _SEASON_MONTHS and len(part) == 2 and not season:
                season = str(_SEASON_MONTHS[part[1]])
            elif notes is not None:
                notes.append(f"{key!r}: month {part[1]} is not 1-12; the date is read "
                             "without its month and day")
            part = part[:1]
        elif len(part) > 2 and not 1 <= part[2] <= 31:
            if notes is not None:
                notes.append(f"{key!r}: day {part[2]} is not 1-31; the date is read without "
                             "its day")
            part = part[:2]
        parts.append(part)
    if tuple(parts) == date.parts and season == date.season:
        return date
    return date.replace(parts=tuple(parts), season=season)


def _keyword_list(rid: str, lang: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, list):
        return tuple(map(str, value))
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return (str(value),)  # one keyword given bare: kept, not dropped
    raise ItemError(f"item {rid!r}: custom.keywords.{lang} must be a list of strings")


def _merge_name_details(names: dict[str, tuple[Name, ...]], details: Mapping[str, Any]) -> None:
    for role, entries in details.items():
        people = list(names.get(role, ()))
        if not isinstance(entries, list):
            continue
        for i, entry in enumerate(entries[: len(people)]):
            if not isinstance(entry, Mapping):
                continue
            aff = entry.get("affiliation") or ()
            aff = (aff,) if isinstance(aff, (str, int, float)) else aff
            if not isinstance(aff, (list, tuple)):
                raise ItemError(
                    f"custom.names.{role} name {i + 1}: 'affiliation' must be a string or a "
                    f"list of strings, not a {type(aff).__name__}"
                )
            if isinstance(entry.get("ORCID"), (list, dict)):
                raise ItemError(f"custom.names.{role} name {i + 1}: 'ORCID' must be a string")
            people[i] = people[i].replace(
                affiliation=tuple(str(a) for a in aff),
                orcid=str(entry.get("ORCID") or ""),
            )
        names[role] = tuple(people)


def _derived_translation(titles: Mapping[str, str], fields: Mapping[str, Any]) -> str:
    probe = Record(id="", fields=FrozenMap(fields), titles=FrozenMap(titles))
    return probe.translated_title
