"""CSL-JSON items as the engine's records (:class:`Reference`, :class:`Name`, :class:`Date`,
:class:`DateRange`, :class:`LiteralDate`), with citetool's input fixes.

A record is a dict read by key or attribute; a missing variable raises
:class:`VariableError`, which tells an element to print nothing. The element code inherited
from citeproc-py reads them as it read citeproc-py's ``citeproc.source`` classes (``sort_key``,
``parts``, ``is_nil``, ``text``, ``begin``/``end``).

Differences from citeproc-py's ``CiteProcJSON`` reader:

* an item without ``type`` or ``id`` is accepted (citeproc-py raised ``UnboundLocalError``);
* fields citeproc-py does not know are kept quietly (it warned once per field and item);
* names are parsed the way citeproc-js does: particles written into ``family``/``given``
  ("van Gogh", "Alexander von") become non-dropping/dropping particles, a suffix after a comma
  in ``given`` ("John, Jr.") becomes ``suffix``, unless the name says ``"parse-names": false``;
* dates accept strings and empty parts (``["", "", "2000"]``), ``raw`` date strings,
  seasons given as a fourth date part, and reject year 0 (citeproc-js prints nothing then).
"""

from __future__ import annotations

import re
from typing import Any

from ...model import ORDINARY_VARIABLES
from .diagnostics import warn

_RAW_DATE = re.compile(r"^\s*(-?\d{1,4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?\s*$")

#: name and date variables, in the underscore form of the reference keys: the lists
#: citeproc-py read, kept as they were (CSL 1.0.2 has more, see citetool.model)
NAME_FIELDS = frozenset(
    """author collection_editor composer container_author editor editorial_director
    illustrator interviewer original_author recipient translator""".split())
DATE_FIELDS = frozenset(
    "accessed container event_date issued original_date submitted".split())
# the other variables a "name: value" line of a note may set (hyphen form)
_TEXT_VARIABLES = frozenset(
    """abstract annote archive archive-location archive-place authority call-number
    chapter-number citation-label citation-number collection-number collection-title
    container-title container-title-short dimensions DOI edition event event-place
    first-reference-note-number genre ISBN ISSN issue jurisdiction keyword language locator
    medium note number number-of-pages number-of-volumes original-publisher
    original-publisher-place original-title page page-first PMCID PMID publisher
    publisher-place references section source status title title-short URL version volume
    year-suffix""".split())


class VariableError(Exception):
    """The item has no such variable: raised by reading a missing field of a
    :class:`Record`; an element that meets it prints nothing."""


class Record(dict):  # type: ignore[type-arg]
    """A dict whose items read as attributes too (``reference.title``, ``date.year``, as
    the element code reads them) and whose attribute writes set items. A missing item
    raises :class:`VariableError` (``get`` still answers a default); dunder names are
    never items."""

    def __getitem__(self, key: Any) -> Any:
        try:
            return dict.__getitem__(self, key)
        except KeyError:
            raise VariableError(key) from None

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return self[name]

    def __setattr__(self, name: str, value: Any) -> None:
        self[name] = value


class Reference(Record):
    """One item: its fields by variable (underscore form), plus ``key`` and ``type``."""

    def __init__(self, key: str, type: str, **fields: Any) -> None:  # noqa: A002
        super().__init__(fields)
        self.key = key
        self.type = type

    def __repr__(self) -> str:
        return f"Reference({self.key})"


class Name(Record):
    """One person or organisation: family, given, particles, suffix, or ``literal``."""

    @property
    def is_literal(self) -> bool:
        return "literal" in self

    def parts(self) -> tuple[Any, Any, Any, Any, Any]:
        """(given, family, dropping particle, non-dropping particle, suffix); a literal
        name is its family part."""
        if "literal" in self:
            return None, self["literal"], None, None, None
        return (self.get("given"), self.get("family"), self.get("dropping-particle"),
                self.get("non-dropping-particle"), self.get("suffix"))


class Date(Record):
    """A date: ``year`` (negative: BC), ``month``, ``day`` or ``season``, ``circa``."""

    def __init__(self, **parts: Any) -> None:
        super().__init__(parts)
        self.setdefault("circa", False)

    def sort_key(self) -> str:
        """YYYYYMMDD, the year offset by 10000 (so BC dates sort first)."""
        return f"{self['year'] + 10000:05}{self.get('month', 0):02}{self.get('day', 0):02}"

    def is_nil(self) -> bool:
        """Year, month and day all 0 (an open range's end)."""
        return self["year"] == 0 and self.get("month", 0) == 0 and self.get("day", 0) == 0


class DateRange(Record):
    """``begin`` to ``end`` (an end of year 0: an open range), ``circa``."""

    def __init__(self, **parts: Any) -> None:
        super().__init__(parts)
        self.setdefault("circa", False)

    def sort_key(self) -> str:
        end = self.get("end", Date(year=0))
        return f"{self['begin'].sort_key()}-{end.sort_key()}"


class LiteralDate(Record):
    """A date given as text (``text``), printed as it is; ``circa``."""

    def __init__(self, text: str, **parts: Any) -> None:
        super().__init__(parts)
        self.text = text
        self.setdefault("circa", False)

    def sort_key(self) -> str:
        return str(self["text"])


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _split_particles(name: dict[str, Any]) -> dict[str, Any]:
    """citeproc-js's name parsing of particles and suffixes written into family/given."""
    name = dict(name)
    if name.get("parse-names") in (False, "false") or "literal" in name:
        return name
    raw_family = _text(name.get("family"))
    family = raw_family.strip()
    if len(family) > 1 and family[0] == family[-1] == '"':
        name["family"] = family[1:-1]  # "van Happel" in quotes: a family name, no particle
        family = ""
    given = _text(name.get("given")).strip()
    if family and "non-dropping-particle" not in name:
        words = family.split(" ")
        particles = []
        while len(words) > 1 and words[0][:1].islower():
            particles.append(words.pop(0))
        if particles:
            name["non-dropping-particle"] = " ".join(particles)
            family = " ".join(words)
        elif re.match(r"^[a-z]{1,3}[-'’]\S", family):  # "al-One", "d'Arcus"
            cut = re.match(r"^[a-z]{1,3}[-'’]", family).end()
            name["non-dropping-particle"] = family[:cut]
            family = family[cut:]
        else:
            family = raw_family  # citeproc-js keeps spaces written around it
        name["family"] = family
    if given:
        if "," in given and "suffix" not in name:
            given, _, suffix = given.partition(",")
            given = given.strip()
            suffix = suffix.strip()
            if suffix.startswith("!"):
                suffix = suffix.lstrip("! ").strip()
                name["comma-suffix"] = True
            if suffix:
                name["suffix"] = suffix
        if "dropping-particle" not in name:
            words = given.split(" ")
            particles = []
            while len(words) > 1 and words[-1][:1].islower():
                particles.insert(0, words.pop())
            if particles:
                name["dropping-particle"] = " ".join(particles)
                given = " ".join(words)
        name["given"] = given
    for key in ("family", "given"):
        if key in name and name[key] == "":
            del name[key]
    return name


_NOTE_FIELD = r"^\s*([a-z][a-z-]*)\s*:\s*(.+?)\s*$"  # re.match compiles it on first use


def _with_aliases(item: dict[str, Any]) -> dict[str, Any]:
    """``journalAbbreviation`` is container-title-short; "name: value" lines in ``note``
    set variables the item lacks (the convention citeproc-js and Zotero follow)."""
    extra: dict[str, Any] = {}
    if item.get("journalAbbreviation") and not item.get("container-title-short"):
        extra["container-title-short"] = item["journalAbbreviation"]
    note = item.get("note")
    if isinstance(note, str) and ":" in note:
        kept = []
        for line in note.splitlines():
            match = re.match(_NOTE_FIELD, line)
            name = match.group(1) if match else ""
            if not match or name in item:
                kept.append(line)
            elif name in _TEXT_VARIABLES or name == "container-title-short":
                extra.setdefault(name, match.group(2))
            elif name.replace("-", "_") in DATE_FIELDS:
                extra.setdefault(name, {"raw": match.group(2)})
            elif name.replace("-", "_") in NAME_FIELDS:
                family, _, given = match.group(2).partition("||")
                person = {"family": family.strip(), "given": given.strip()} if given \
                    else {"literal": family.strip()}
                extra.setdefault(name, []).append(person)
            else:
                kept.append(line)
        if extra.keys() - {"container-title-short"} or len(kept) != len(note.splitlines()):
            extra["note"] = "\n".join(kept)
    return {**item, **extra} if extra else item


class EngineSource(dict):  # type: ignore[type-arg]
    """CSL-JSON items → :class:`Reference` by item id (see the module docstring)."""

    def __init__(self, items: list[dict[str, Any]]) -> None:
        super().__init__()
        for index, item in enumerate(items):
            item = _with_aliases(item)
            key = str(item.get("id", f"ITEM-{index + 1}"))  # exact, as citeproc-js
            fields: dict[str, Any] = {}
            for name, value in item.items():
                if name in ("id", "type", "key") or value is None:
                    continue
                attr = "title_short" if name == "shortTitle" else name.replace("-", "_")
                if attr in NAME_FIELDS:
                    if not isinstance(value, list):
                        continue
                    value = self.parse_names(value)
                    if not value:
                        continue
                elif attr in DATE_FIELDS:
                    value = self.parse_date(value)
                    if value is None:
                        continue
                elif attr == "language":
                    value = str(value)
                elif isinstance(value, (str, int, float)):
                    if value == "":
                        continue
                    value = str(value)
                elif name in ORDINARY_VARIABLES:
                    # a list or object where CSL-JSON has text: citeproc-js prints nothing,
                    # yet the variable counts as set in conditions (Chicago then prints no
                    # publisher-place either); kept for the conditions, never printed
                    warn(f"item {key!r}: {name} is a {type(value).__name__}, not text; "
                         "not printed", "csl-bad-value")
                fields[attr] = value
            self[key] = Reference(key, str(item.get("type", "")), **fields)

    def parse_names(self, json_data: list[Any]) -> list[Name]:
        names = []
        for data in json_data:
            if not isinstance(data, dict):
                continue
            parsed = _split_particles(data)
            if not any(parsed.get(k) for k in ("family", "given", "literal")):
                continue
            names.append(Name(**parsed))
        return names

    def parse_date(self, json_data: Any) -> Any:
        if isinstance(json_data, str):
            json_data = {"raw": json_data}
        if not isinstance(json_data, dict):
            return None
        circa = bool(json_data.get("circa")) and json_data.get("circa") not in ("0", "false")
        dates = []
        open_end = False
        for index, parts in enumerate(json_data.get("date-parts") or []):
            date = self._date_parts(parts, json_data.get("season"))
            if date is not None:
                dates.append(date)
            elif index == 1 and dates:
                open_end = True  # [[1987], [0]] or [[1987], []]: an open range "1987–"
        if not dates and json_data.get("raw"):
            for chunk in str(json_data["raw"]).split("/"):
                match = _RAW_DATE.match(chunk)
                if match:
                    date = self._date_parts([g for g in match.groups() if g], None)
                    if date is not None:
                        dates.append(date)
            if not dates:
                return LiteralDate(str(json_data["raw"]), circa=circa)
        if len(dates) == 1 and open_end:
            return DateRange(begin=dates[0], end=Date(year=0), circa=circa)
        if len(dates) == 1:
            dates[0]["circa"] = circa
            return dates[0]
        if len(dates) > 1:
            if dict(dates[0]) == dict(dates[1]):
                dates[0]["circa"] = circa
                return dates[0]
            return DateRange(begin=dates[0], end=dates[1], circa=circa)
        if json_data.get("literal"):
            return LiteralDate(str(json_data["literal"]), circa=circa)
        return None

    @staticmethod
    def _date_parts(parts: Any, season: Any) -> Date | None:
        if not isinstance(parts, list):
            return None
        values: list[int] = []
        for part in parts[:4]:
            try:
                values.append(int(str(part).strip()))
            except ValueError:
                break
        if not values or values[0] == 0:
            return None
        data: dict[str, Any] = {"year": values[0]}
        if len(values) > 1 and 1 <= values[1] <= 12:
            data["month"] = values[1]
            if len(values) > 2 and 1 <= values[2] <= 31:
                data["day"] = values[2]
        elif len(values) > 1 and 13 <= values[1] <= 24:
            # seasons as months 13-16 (CSL), 17-20 and 21-24 (citeproc-js reads them too)
            data["season"] = (values[1] - 13) % 4 + 1
        if len(values) > 3 and "month" not in data:
            data["season"] = values[3]
        if season and "month" not in data:
            try:
                data["season"] = int(season)
            except (TypeError, ValueError):
                data["season_text"] = str(season)
        return Date(**data)


__all__ = ["DATE_FIELDS", "NAME_FIELDS", "Date", "DateRange", "EngineSource", "LiteralDate",
           "Name", "Record", "Reference", "VariableError"]
