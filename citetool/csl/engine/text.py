"""citetool's cs:text, cs:key, cs:label, cs:number, cs:locale, cs:choose, cs:else, cs:macro
and cs:group (see :mod:`.elements`)."""

from __future__ import annotations

from typing import Any

from citeproc import model

from . import richtext
from .base import (
    _NARROW_SPACE,
    _NUMBER_VARIABLES,
    _PLURAL,
    _STAND_IN_TERMS,
    _TEXT_VARIABLES_PLAIN,
    Cached,
    CachedCalls,
    CaseMixin,
    Decorated,
    NumberFormatting,
    _in_layout,
    _join_particle,
    _processor,
    _set_flag,
    _substitution_log,
    is_plural_number,
    long_ordinal,
    ordinal,
    override,
    record_variable,
    render_state,
    report_to_group,
    term_gender,
)
from .sorting import SORT_OPTIONS, collation_key
from .source import DateRange, VariableError
from .strings import String


@override
class Text(Cached, Decorated, CachedCalls, CaseMixin, NumberFormatting, model.Text):
    """cs:text: field markup parsed into rich text, quotes as rich-text spans (flip-flop and
    punctuation-in-quote happen at the end), year-suffix from the processor."""

    def _variable(self, item: Any, context: Any) -> Any:
        try:
            value = self._variable_value(item, context)
        except VariableError:
            value = None
        if self.get("variable") != "year-suffix":
            record_variable(self, context, bool(value is not None and str(value)))
        if value is None:
            raise VariableError
        log = _substitution_log(context)
        if log is not None and str(value):
            log.append((self.tag, self.get("variable")))
        return value

    def _variable_value(self, item: Any, context: Any) -> Any:
        variable = self.get("variable")
        if variable == "year-suffix":
            processor = _processor(item)
            suffix = processor.year_suffixes.get(item.key) if processor is not None else None
            return String(suffix) if suffix else None
        if variable == "locator":
            if not item.has_locator:
                return None
            return self._process(item.locator.identifier, "locator")
        if variable == "citation-label":
            return self._citation_label(item, context)
        value = super()._variable(item, context)
        if isinstance(value, (list, dict)):
            return None  # a list where text belongs: set (for conditions), never printed
        if variable == "citation-number" and value is not None:
            return String(str(value))  # citeproc-py returned an int (strip-periods crashed)
        if value is None or variable.startswith("page"):
            return value
        if variable in _NUMBER_VARIABLES:
            return self._process(value, variable)  # "3-4" → "3–4" as cs:number prints it
        # citeproc-js: a space before ; : ? ! » (and after «) is a narrow no-break space
        value = _NARROW_SPACE.sub("\u202f\\1", str(value)).replace("\u00ab ", "\u00ab\u202f")
        if variable in _TEXT_VARIABLES_PLAIN:
            text = richtext.preformat(value)
        else:
            text = richtext.parse_field(value)
        # one value is one piece: punctuation inside it is never merged (see richtext.FIELD)
        return String(richtext.span(richtext.FIELD, text) if text else text)

    def process(self, item: Any, context: Any = None, **kwargs: Any) -> Any:
        if "macro" in self.attrib:
            return self._macro(item, context, **kwargs)
        if self.get("term") in _STAND_IN_TERMS:
            # a stand-in for missing data counts as rendered data (as for citeproc-js)
            record_variable(self, context, True)
        if "value" in self.attrib and not any(a in self.attrib for a in
                                              ("variable", "macro", "term")):
            text, language = super().process(item, context, **kwargs)
            # quotes written in the style behave as the style's quotes
            value = richtext.parse_field(self.get("value"), generic=richtext.CQUOTE)
            return String(value), language
        return super().process(item, context, **kwargs)

    def _macro(self, item: Any, context: Any = None, **kwargs: Any) -> Any:
        """A macro is a cs:group to citeproc-js: suppressed when it calls variables and all
        are empty; one of terms only that printed something is output for its enclosing
        group."""
        state = render_state(self, context)
        if state is None:
            return super().process(item, context, **kwargs)
        stack = state.setdefault("groups", [])
        stack.append([False, False])
        try:
            text, language = super().process(item, context, **kwargs)
        finally:
            called, rendered = stack.pop()
        if called:
            suppressed = not rendered or not text
            report_to_group(stack, not suppressed)
            if suppressed:
                return None, language
        elif text:
            # (Vancouver's "In" before an empty editor list and container title)
            report_to_group(stack, True)
        return text, language

    def _citation_label(self, item: Any, context: Any) -> Any:
        """citation-label: the item's own, else a trigraph as citeproc-js makes it
        ("Aaaa00:AaAa00:AaAA00:AAAA00": 4, 2+2, 2+1+1 or 1+1+1+1 letters of the first
        authors' family names, then the year's last two digits); the year suffix follows."""
        reference = item.reference
        label = reference.get("citation_label")
        if not label:
            names = next((reference.get(v) for v in ("author", "editor", "translator")
                          if reference.get(v)), [])
            families = [str(n.get("family") or n.get("literal") or "") for n in names][:4]
            widths = {0: [], 1: [4], 2: [2, 2], 3: [2, 1, 1]}.get(len(families), [1, 1, 1, 1])
            label = "".join(f[:w] for f, w in zip(families, widths, strict=False))
            issued = reference.get("issued")
            year = None
            if issued is not None:
                begin = issued.get("begin") if isinstance(issued, DateRange) else issued
                year = begin.get("year") if hasattr(begin, "get") else None
            if year:
                label += f"{int(year) % 100:02d}"
            if not label:
                return None
        processor = _processor(item)
        suffix = processor.year_suffixes.get(item.key, "") if processor is not None else ""
        if suffix and processor.implicit_year_suffix:
            if context is not None:
                _set_flag(context, "year_suffix_done")
            label = f"{label}{suffix}"
        return String(richtext.preformat(str(label)))

    def _term(self, item: Any) -> Any:
        text = super()._term(item)
        return String(richtext.span(richtext.TERM, text)) if str(text) else text

    def quote(self, string: Any) -> Any:
        if self.get("quotes", "false").lower() == "true":
            return String(richtext.Quoted(string))
        return string

    def markup(self, text: Any, language: Any) -> Any:
        # quotes inside the formatting: <i>“Title.”</i> as citeproc-js (citeproc-py quoted
        # outside the italics)
        if not text:
            return None
        cased = self.case(self.strip_periods(text), language)
        return self.wrap(self.format(self.quote(cased)))


@override
class Key(Cached, model.Key):
    """Sort keys as citeproc-js builds and compares them (:mod:`.sorting`): text without
    markup and punctuation, names as "family given" lists, dates and numbers as such; a
    missing value sorts last."""

    def sort_keys(self, items: list[Any], context: Any) -> list[Any]:
        variable = self.get("variable")
        if variable and variable.replace("-", "_") in model.NAMES:
            return [self._names_key(item, variable) for item in items]
        if variable == "citation-label":
            return [collation_key(Text._citation_label(self, item, None) or "")
                    for item in items]
        if variable:
            keys = super().sort_keys(items, context)
        else:
            options = {"name-as-sort-order": "all"}
            for option in ("names-min", "names-use-first", "names-use-last"):
                if option in self.attrib:
                    options[option.replace("names", "et-al")] = self.get(option)
            token = SORT_OPTIONS.set(options)
            try:
                keys = super().sort_keys(items, context)
            finally:
                SORT_OPTIONS.reset(token)
        return [k if k is None or isinstance(k, int) else collation_key(k) for k in keys]

    def _names_key(self, item: Any, variable: str) -> str | None:
        names = item.reference.get(variable.replace("-", "_"))
        if not names:
            return None
        demote = self.get_root().get("demote-non-dropping-particle", "display-and-sort")
        parts = []
        for name in names:
            if "literal" in name:
                parts.append(str(name["literal"]))
                continue
            family = str(name.get("family", ""))
            if demote == "never":
                family = _join_particle(str(name.get("non-dropping-particle", "")), family)
            given = str(name.get("given", ""))
            parts.append(f"{family} {given}")
        return collation_key(" , ".join(parts))


@override
class Label(Cached, Decorated, CaseMixin, model.Label):
    """cs:label: nothing when the variable is empty (citeproc-py printed "p." without a
    locator); plurals of ranges, lists and number-of-* counts."""

    def process(self, item: Any, variable: str | None = None, plural: bool | None = None,
                context: Any = None, **kwargs: Any) -> Any:
        if variable is None:
            variable = self.get("variable")
            if not variable:
                return None
            if variable == "locator":
                if not item.has_locator:
                    return None
                value = str(item.locator.identifier)
                variable = item.locator.label or "page"
                if variable == "sub-verbo" and self.get_term("sub-verbo") is None:
                    variable = "sub verbo"  # the term's name in CSL 1.0 locales
            else:
                raw = item.reference.get(variable.replace("-", "_"))
                # citeproc-js prints the (singular) term of an empty variable too; a group
                # around it is still suppressed when none of its variables is set
                value = "" if raw is None or isinstance(raw, str) and not raw else str(raw)
            if variable.startswith("number-of-"):
                try:
                    plural = int(value) > 1
                except ValueError:
                    plural = bool(_PLURAL.search(value))
            else:
                plural = is_plural_number(value, str(self.get_single_term("and")))
        form = self.get("form", "long")
        form_attr = form if form != "long" else None
        option = self.get("plural", "contextual")
        if option == "always" or (option == "contextual" and plural):
            text = self.get_plural_term(name=variable, form=form_attr)
        else:
            text = self.get_single_term(name=variable, form=form_attr)
        return text if str(text) else None


@override
class Number(Cached, Decorated, CaseMixin, NumberFormatting, model.Number):
    """cs:number: ordinals that agree in gender with the variable's term."""

    def process(self, item: Any, context: Any = None, **kwargs: Any) -> Any:
        variable = self.get("variable") or ""
        log = _substitution_log(context if context is not None else self)
        try:
            where = context if context is not None else self
            if _in_layout(where) and variable in (
                    getattr(where.get_layout(), "repressed", None) or {}).get(self.tag, ()):
                raise VariableError  # printed by a cs:substitute already
            if "-" in variable and variable != "page-first":
                # citeproc-py looks up "number-of-volumes" as such; references key it
                # "number_of_volumes", so every hyphenated number variable was lost
                text = self._process(item.reference[variable.replace("-", "_")], variable)
            else:
                text = super().process(item, context, **kwargs)
        except VariableError:
            text = None
        record_variable(self, context, bool(text is not None and str(text)))
        if text is None:
            raise VariableError
        if log is not None and str(text):
            log.append((self.tag, variable))
        return text

    def format_number(self, number: Any) -> Any:
        form = self.get("form", "numeric")
        try:
            value = int(str(number))
        except ValueError:
            return number
        if form == "numeric":  # as written: citeproc-js keeps leading zeros ("no. 06")
            return str(number).strip()
        if form == "roman":
            return model.romanize(value).lower()
        gender = term_gender(self, self.get("variable") or "")
        if form == "long-ordinal":
            return long_ordinal(value, self, gender)
        return ordinal(value, self, gender)


@override
class Locale(Cached, model.Locale):
    def term_index(self) -> dict[tuple[str, str | None], list[Any]]:
        index = vars(self).get("_term_index")
        if index is None:
            index = {}
            terms = self.find("cs:terms", self.nsmap)
            if terms is not None:
                for term in terms.findall("cs:term", self.nsmap):
                    index.setdefault((term.get("name"), term.get("form")), []).append(term)
            self._term_index = index
        return index

    def get_term(self, name: str, form: str | None = None, zero_padded: bool = False) -> Any:
        candidates = self.term_index().get((name, form))
        if zero_padded and candidates:
            candidates = [t for t in candidates
                          if t.get("match") not in ("whole-number", "last-two-digits")]
        if not candidates:
            raise IndexError(name)
        return candidates[0]

    def get_date(self, form: str) -> Any:
        for date in self.findall("cs:date", self.nsmap):
            if date.get("form") == form:
                return date
        raise IndexError(form)


@override
class Choose(Cached, CachedCalls, model.Choose):
    pass


@override
class Else(Cached, CachedCalls, model.Else):
    pass


@override
class Macro(Cached, CachedCalls, model.Macro):
    pass


@override
class Group(Cached, Decorated, model.Group):
    """cs:group suppression decided by what this rendering did: the variables called in
    the branches actually taken (citeproc-py counted every branch of a cs:choose)."""

    def process(self, item: Any, context: Any = None, **kwargs: Any) -> Any:
        state = render_state(self, context)
        if state is None:
            return super().process(item, context=context, **kwargs)
        stack = state.setdefault("groups", [])
        stack.append([False, False])
        delimiter = self.get("delimiter", "")
        output = []
        try:
            for child in self.iterchildren():
                try:
                    if isinstance(child, model.Choose):
                        text = child.render(item, context=context, delimiter=delimiter,
                                            **kwargs)
                    else:
                        text = child.render(item, context=context, **kwargs)
                except VariableError:
                    continue
                if text is not None:
                    output.append(text)
        finally:
            called, rendered = stack.pop()
        suppressed = not output or (called and not rendered)
        report_to_group(stack, not suppressed)  # a nested group counts as a variable
        if suppressed:
            raise VariableError
        return self.join(output)
