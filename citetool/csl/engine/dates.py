"""citetool's cs:date and cs:date-part (see :mod:`.elements`)."""

from __future__ import annotations

from typing import Any

from .base import (
    _NO_AFFIX_OVERRIDE,
    _PART_ORDER,
    CaseMixin,
    Decorated,
    _flag,
    _processor,
    _set_flag,
    ordinal,
    override,
    record_variable,
    term_gender,
)
from .element import Element
from .node import CS
from .sorting import SORT_OPTIONS
from .source import DateRange, LiteralDate
from .strings import String, join

_DATE_PART = CS + "date-part"


def date_parts(date: Any) -> list[Any]:
    """The cs:date-part children of a cs:date (of the style or of a locale)."""
    return [child for child in date if child.tag == _DATE_PART]


@override
class Date(Decorated, Element):
    """cs:date written anew: localized forms without mutating the locale, ranges with the
    range-delimiter of the largest differing part, open ranges, seasons, implicit year
    suffixes."""

    def process(self, item: Any, variable: str | None = None, show_parts: Any = None,
                context: Any = None, **kwargs: Any) -> Any:
        variable = variable or self.get("variable")
        value = item.reference.get(variable.replace("-", "_"))
        if not value:
            record_variable(self, context, False)
            return None
        form = self.get("form")
        overrides: dict[str, dict[str, str]] = {}
        if form is not None:
            localized = self.get_date(form)
            if localized is None:
                return None
            wanted = self.get("date-parts", "year-month-day").split("-")
            parts = [p for p in date_parts(localized) if p.get("name") in wanted]
            for part in date_parts(self):
                overrides[part.get("name")] = {k: v for k, v in part.attrib.items()
                                               if k not in _NO_AFFIX_OVERRIDE}
            delimiter = localized.get("delimiter", "")
        else:
            parts = date_parts(self)
            delimiter = self.get("delimiter", "")
        # in a sort key a date is a sortable string however deep the macros nest (citeproc-
        # py drops the keyword at each cs:text macro call; SORT_OPTIONS is set for a key's
        # whole rendering)
        if kwargs.get("sort_options") is not None or SORT_OPTIONS.get() is not None:
            return String(self._sort_key(value, [p.get("name") for p in parts]))
        suffix = ""
        if isinstance(value, LiteralDate) and not any(
                p.get("name") == "year" for p in parts):
            # citeproc-js prints a literal date only where the year is printed (APA's
            # month-and-day date printed "535 BCE" a second time)
            record_variable(self, context, False)
            return None
        processor = _processor(item)
        where = context if context is not None else self
        if (variable == "issued" and processor is not None
                and processor.implicit_year_suffix and not _flag(where, "year_suffix_done")):
            suffix = processor.year_suffixes.get(item.key, "")
            if suffix:
                _set_flag(where, "year_suffix_done")
        if isinstance(value, LiteralDate):
            text = String(self.preformat(value.text)) + suffix
        elif isinstance(value, DateRange):
            text = self._range(value, parts, overrides, delimiter, suffix)
        else:
            text = self._parts(value, parts, overrides, delimiter, suffix)
        record_variable(self, context, bool(text))
        if not text:
            return None
        return self.wrap(self.format(text))

    def calls_variable(self) -> bool:
        """A date calls its variable: a cs:group holding one is suppressed when no variable
        it calls renders."""
        return True

    def markup(self, text: Any) -> Any:
        return text

    @staticmethod
    def _sort_key(value: Any, shown: list[str]) -> str:
        """A date in a sort macro sorts as a date (YYYYMMDD of the parts shown)."""
        if isinstance(value, LiteralDate):
            return str(value.text)

        def key(date: Any) -> str:
            year = date.get("year") or 0
            month = date.get("month") or 0 if "month" in shown else 0
            day = date.get("day") or 0 if "day" in shown else 0
            return f"{year + 10000:05d}{month:02d}{day:02d}"

        if isinstance(value, DateRange):
            end = value.get("end")
            return key(value.begin) + (key(end) if end is not None else "")
        return key(value)

    def _render_part(self, part: Any, date: Any, override: dict[str, str] | None,
                     suffix: str = "", strip: str = "") -> str | None:
        element = part
        if override or strip:
            # a style's cs:date-part overriding a localized one (its form, formatting,
            # range-delimiter; never its name or affixes), or the part without its prefix
            # or suffix inside a range: a copy of the part with those attributes, beside the
            # shared one (which no render changes)
            attrib = {**part.attrib, **(override or {})}
            attrib.pop(strip, None)
            element = type(part)(part.tag, attrib, part.getparent(), part.sourceline)
        text = element.part_text(date, self)
        if text is None:
            return None
        if element.get("name") == "year":
            text += suffix
        return element.markup(text)

    def _parts(self, date: Any, parts: list[Any], overrides: dict[str, dict[str, str]],
               delimiter: str, suffix: str = "", strip_last: bool = False,
               strip_first: bool = False) -> str:
        rendered: list[tuple[Any, str]] = []
        for part in parts:
            text = self._render_part(part, date, overrides.get(part.get("name")), suffix)
            if text:
                rendered.append((part, text))
        if not rendered:
            return ""
        for position, strip, wanted in ((-1, "suffix", strip_last), (0, "prefix", strip_first)):
            if wanted:
                part = rendered[position][0]
                rendered[position] = (part, self._render_part(
                    part, date, overrides.get(part.get("name")), suffix, strip))
        return str(join([text for _, text in rendered], delimiter))

    def _range(self, value: Any, parts: list[Any], overrides: dict[str, dict[str, str]],
               delimiter: str, suffix: str) -> str:
        begin, end = value.begin, value.get("end")
        if end is None or end.get("year") in (None, 0):
            year_part = next((p for p in parts if p.get("name") == "year"), None)
            dash = (year_part.get("range-delimiter") if year_part is not None
                    else None) or "\u2013"
            text = self._parts(begin, parts, overrides, delimiter, suffix)
            return text + dash if text else ""
        differing = None
        for name in _PART_ORDER:
            if self._part_key(begin, name) != self._part_key(end, name):
                differing = name
                break
        if differing is None:
            return self._parts(begin, parts, overrides, delimiter, suffix)
        scope = _PART_ORDER[_PART_ORDER.index(differing):]
        names = [p.get("name") for p in parts]
        inside = [i for i, n in enumerate(names) if n in scope]
        if not inside:
            return self._parts(begin, parts, overrides, delimiter, suffix)
        first, last = inside[0], inside[-1]
        largest = next((p for p in parts if p.get("name") == differing), None)
        dash = "\u2013"
        if largest is not None:
            over = overrides.get(differing, {})
            dash = over.get("range-delimiter") or largest.get("range-delimiter") or dash
        before = self._parts(begin, parts[:first], overrides, delimiter)
        block_begin = self._parts(begin, parts[first:last + 1], overrides, delimiter,
                                  strip_last=True)
        block_end = self._parts(end, parts[first:last + 1], overrides, delimiter, suffix,
                                strip_first=True)
        after = self._parts(end, parts[last + 1:], overrides, delimiter, suffix)
        pieces = [p for p in (before, block_begin + dash + block_end, after) if p]
        return str(join(pieces, delimiter))

    @staticmethod
    def _part_key(date: Any, name: str) -> Any:
        if name == "month":
            return date.get("month") or ("s", date.get("season"))
        return date.get(name)


@override
class Date_Part(Decorated, CaseMixin, Element):  # noqa: N801 - the citeproc-py class name
    """cs:date-part, of a style's date or of a locale's: :meth:`part_text` gives the part's
    text, :meth:`markup` dresses it. Date renders the parts itself (with a style's overrides
    of a localized part lent for the moment, and the year suffix)."""

    def markup(self, text: Any) -> Any:
        """``text`` with the part's strip-periods, text-case, formatting and affixes, in this
        order; None for no text."""
        if not text:
            return None
        return self.wrap(self.format(self.case(self.strip_periods(text))))

    def part_text(self, date: Any, context: Any) -> str | None:
        name = self.get("name")
        if name == "year":
            year = date.get("year")
            if year in (None, 0):
                return None
            if self.get("form") == "short":
                return f"{abs(year) % 100:02d}"
            text = str(abs(year))
            if year < 0:
                text += str(context.get_single_term("bc"))
            elif year < 1000:
                text += str(context.get_single_term("ad"))
            return text
        if name == "month":
            month = date.get("month")
            form = self.get("form", "long")
            if not month:
                season = date.get("season")
                if not season:
                    return None
                try:
                    return str(context.get_single_term(f"season-{int(season):02d}"))
                except ValueError:
                    return str(season)
            if form == "numeric":
                return str(month)
            if form == "numeric-leading-zeros":
                return f"{month:02d}"
            term = context.get_single_term(f"month-{month:02d}",
                                           "short" if form == "short" else None)
            return str(term)
        if name == "day":
            day = date.get("day")
            if not day or not date.get("month"):
                return None
            form = self.get("form", "numeric")
            if form == "numeric-leading-zeros":
                return f"{day:02d}"
            if form == "ordinal":
                limit = (context.get_locale_option("limit-day-ordinals-to-day-1") or "false")
                if limit.lower() == "true" and day != 1:
                    return str(day)
                month = date.get("month")
                gender = term_gender(context, f"month-{month:02d}") if month else None
                return ordinal(day, context, gender)
            return str(day)
        return None


# citeproc-py's rendering of a date: Date.process above replaces it, and these were read only by
# citeproc-py's Date.process (and by each other); a date part is rendered by Date._render_part
# through part_text and markup, never through render/process
