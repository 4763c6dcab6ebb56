"""citetool's cs:text, cs:key, cs:label, cs:number, cs:locale, cs:choose, cs:else, cs:macro
and cs:group (see :mod:`.elements`)."""

from __future__ import annotations

import re
from typing import Any

from . import richtext
from .base import (
    _NARROW_SPACE,
    _NUMBER_VARIABLES,
    _PLURAL,
    _STAND_IN_TERMS,
    _TEXT_VARIABLES_PLAIN,
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
from .conditions import ConditionFailed
from .element import Element
from .sorting import SORT_OPTIONS, collation_key
from .source import DateRange, VariableError
from .strings import String


@override
class Text(Decorated, CaseMixin, NumberFormatting, Element):
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
        value = self._field(item, context, variable)
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

    def _field(self, item: Any, context: Any, variable: str) -> Any:
        """The raw value of a variable of the item (VariableError when it has none); None
        when a cs:substitute printed it already. form="short" takes the short variant where
        the item has one; page variables come formatted as page ranges."""
        if variable in context.get_layout().repressed.get(self.tag, ()):
            return None
        if self.get("form") == "short" and \
                f"{variable}-short".replace("-", "_") in item.reference:
            variable = f"{variable}-short"
        if variable.startswith("page"):
            return self._process(_reference_value(item, "page"), variable)
        if variable == "citation-number":
            return item.number
        return _reference_value(item, variable)

    def process(self, item: Any, context: Any = None, **kwargs: Any) -> Any:
        """(text or None, the item's language): what the one of variable, macro, term or
        value the element names renders to (VariableError: a variable the item lacks)."""
        if context is None:
            context = self
        language = self._language(item)
        if self.get("variable") is not None:
            return self._variable(item, context), language
        if self.get("macro") is not None:
            return self._macro(item, context), language
        term = self.get("term")
        if term is not None:
            if term in _STAND_IN_TERMS:
                # a stand-in for missing data counts as rendered data (as for citeproc-js)
                record_variable(self, context, True)
            return self._term(item), language
        value = self.get("value")
        if value is not None:
            # quotes written in the style behave as the style's quotes
            return String(richtext.parse_field(value, generic=richtext.CQUOTE)), language
        return None, language

    def render(self, item: Any, context: Any = None, **kwargs: Any) -> Any:
        text, language = self.process(item, context, **kwargs)
        return self.markup(text, language)

    def _language(self, item: Any) -> str:
        """The first two letters of the item's language, else of the style's default locale
        (what text-case="title" asks)."""
        language = item.reference.get("language")
        if language is None:
            language = self.get_root().get("default-locale", "en")
        return str(language)[:2]

    def _macro(self, item: Any, context: Any) -> Any:
        """A macro is a cs:group to citeproc-js: suppressed when it calls variables and all
        are empty; one of terms only that printed something is output for its enclosing
        group."""
        macro = self.get_macro(self.get("macro"))
        state = render_state(self, context)
        if state is None:
            return macro.render(item, context)
        stack = state.setdefault("groups", [])
        stack.append([False, False])
        try:
            text = macro.render(item, context)
        finally:
            called, rendered = stack.pop()
        if called:
            suppressed = not rendered or not text
            report_to_group(stack, not suppressed)
            if suppressed:
                return None
        elif text:
            # (Vancouver's "In" before an empty editor list and container title)
            report_to_group(stack, True)
        return text

    #: variables the processor makes, not the item's data
    generated_variables = ("year-suffix",)

    def calls_variable(self) -> bool:
        """Whether the element prints a variable of the item, directly or through its
        macro."""
        if self.get("variable") is not None:
            return self.get("variable") not in self.generated_variables
        if self.get("macro") is not None:
            return bool(self.get_macro(self.get("macro")).calls_variable())
        return False

    def format_number(self, number: Any) -> str:
        """A number inside a variable's value, printed as written."""
        return str(number)


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
        form = self.get("form", "long")
        form_attr = form if form != "long" else None
        if self.get("plural", "false").lower() == "true":
            text = self.get_plural_term(name=self.get("term"), form=form_attr)
        else:
            text = self.get_single_term(name=self.get("term"), form=form_attr)
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
class Key(Element):
    """Sort keys as citeproc-js builds and compares them (:mod:`.sorting`): text without
    markup and punctuation, names as "family given" lists, dates and numbers as such; a
    missing value sorts last."""

    def sort_keys(self, items: list[Any], context: Any) -> list[Any]:
        """One key per item, in order: a value :class:`.Sort` compares, or None (last)."""
        variable = self.get("variable")
        if variable and variable.replace("-", "_") in _SORT_NAME_VARIABLES:
            return [self._names_key(item, variable) for item in items]
        if variable == "citation-label":
            return [collation_key(Text._citation_label(self, item, None) or "")
                    for item in items]
        if variable:
            keys = [self._variable_key(item, variable.replace("-", "_")) for item in items]
        else:
            options = {"name-as-sort-order": "all"}
            for option in ("names-min", "names-use-first", "names-use-last"):
                if self.get(option) is not None:
                    options[option.replace("names", "et-al")] = self.get(option)
            token = SORT_OPTIONS.set(options)
            try:
                keys = self._macro_keys(items, context, options)
            finally:
                SORT_OPTIONS.reset(token)
        return [k if k is None or isinstance(k, int) else collation_key(k) for k in keys]

    @staticmethod
    def _variable_key(item: Any, variable: str) -> Any:
        """A variable's value as a key: a date's sort key (year, month, day), a number as
        written, the citation number, any other variable's text."""
        if variable == "citation_number":
            return item.number
        value = item.reference.get(variable)
        if value is None:
            return None
        if variable in _SORT_DATE_VARIABLES:
            return value.sort_key()
        if variable in _SORT_NUMBER_VARIABLES:
            return value
        return richtext.preformat(value)

    def _macro_keys(self, items: list[Any], context: Any, options: dict[str, str]) -> list[Any]:
        """The key's macro rendered for each item, each render starting afresh."""
        layout = context.get_layout()
        macro = self.get_macro(self.get("macro"))
        keys = []
        for item in items:
            layout.repressed = {}
            keys.append(macro.render(item, context=context, sort_options=options))
        return keys


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
class Label(Decorated, CaseMixin, Element):
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
                    plural = bool(re.search(_PLURAL, value))
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

    def calls_variable(self) -> bool:
        return self.get("variable") == "locator"

    def markup(self, text: Any) -> Any:
        if not text:
            return None
        return self.wrap(self.format(self.case(self.strip_periods(text))))

    # citeproc-py's plural test; citetool's is base.is_plural_number (see process)
    RE_MULTIPLE_NUMBERS = None


@override
class Number(Decorated, CaseMixin, NumberFormatting, Element):
    """cs:number: ordinals that agree in gender with the variable's term."""

    def process(self, item: Any, context: Any = None, **kwargs: Any) -> Any:
        variable = self.get("variable") or ""
        log = _substitution_log(context if context is not None else self)
        try:
            where = context if context is not None else self
            if _in_layout(where) and variable in (
                    getattr(where.get_layout(), "repressed", None) or {}).get(self.tag, ()):
                raise VariableError  # printed by a cs:substitute already
            value, name = self._value(item, variable)
            text = self._process(value, name)
        except VariableError:
            text = None
        record_variable(self, context, bool(text is not None and str(text)))
        if text is None:
            raise VariableError
        if log is not None and str(text):
            log.append((self.tag, variable))
        return text

    @staticmethod
    def _value(item: Any, variable: str) -> tuple[Any, str]:
        """(the value, the variable whose range format it takes): a locator as its label,
        page-first from the page; VariableError when the item has none."""
        if variable == "locator":
            if not item.has_locator:
                raise VariableError
            return item.locator.identifier, item.locator.label
        if variable == "page-first":
            return _reference_value(item, "page"), variable
        # (hyphenated names are the references' underscored keys: "number_of_volumes")
        return _reference_value(item, variable), variable

    def calls_variable(self) -> bool:
        return True

    def markup(self, text: Any) -> Any:
        if not text:
            return None
        return self.wrap(self.format(self.case(self.strip_periods(text))))


    def format_number(self, number: Any) -> Any:
        form = self.get("form", "numeric")
        try:
            value = int(str(number))
        except ValueError:
            return number
        if form == "numeric":  # as written: citeproc-js keeps leading zeros ("no. 06")
            return str(number).strip()
        if form == "roman":
            return roman(value)
        gender = term_gender(self, self.get("variable") or "")
        if form == "long-ordinal":
            return long_ordinal(value, self, gender)
        return ordinal(value, self, gender)


@override
class Locale(Element):
    """A cs:locale (in a style, or a locale file's root): terms, dates and options."""

    #: the cs:style-options a locale may set, and their values when it does not
    _default_options = {"limit-day-ordinals-to-day-1": "false",
                        "punctuation-in-quote": "false"}

    def get_option(self, name: str) -> str:
        """A locale option; IndexError when the locale has no cs:style-options (the next
        locale of the chain decides)."""
        options = self.find("cs:style-options")
        if options is None:
            raise IndexError(name)
        return options.get(name, self._default_options[name])

    def term_index(self) -> dict[tuple[str, str | None], list[Any]]:
        index = vars(self).get("_term_index")
        if index is None:
            index = {}
            terms = self.find("cs:terms")
            if terms is not None:
                for term in terms.findall("cs:term"):
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
        for date in self.findall("cs:date"):
            if date.get("form") == form:
                return date
        raise IndexError(form)


@override
class Choose(CachedCalls, Element):
    """cs:choose: the first branch whose condition holds renders (cs:else always does);
    transparent to the delimiter of an enclosing cs:group, which it passes on."""

    def render(self, item: Any, context: Any = None, delimiter: str = "",
               **kwargs: Any) -> Any:
        for branch in self:
            try:
                return branch.render(item, context=context, delimiter=delimiter, **kwargs)
            except ConditionFailed:  # raised by cs:if / cs:else-if (.conditions)
                continue
        return None


@override
class Else(CachedCalls, Element):
    """cs:else: its children, joined by the delimiter of an enclosing cs:group."""

    def render(self, item: Any, context: Any = None, delimiter: str = "",
               **kwargs: Any) -> Any:
        return self.render_children(item, context=context, delimiter=delimiter, **kwargs)


@override
class Macro(CachedCalls, Element):
    """cs:macro: its children joined without delimiter (cs:text's ``macro`` and sort keys
    call it; a macro's group-like suppression is cs:text's, see :meth:`Text._macro`)."""

    def render(self, item: Any, context: Any = None, sort_options: Any = None) -> Any:
        return self.render_children(item, context=context, sort_options=sort_options)



@override
class Group(Decorated, Element):
    """cs:group suppression decided by what this rendering did: the variables called in
    the branches actually taken (citeproc-py counted every branch of a cs:choose)."""

    def process(self, item: Any, context: Any = None, **kwargs: Any) -> Any:
        state = render_state(self, context)
        # outside a cs:layout (never in the engine's own renders) no child reports what it
        # called: the group asks the style's structure instead (what citeproc-py did always)
        stack = state.setdefault("groups", []) if state is not None else []
        stack.append([False, False])
        delimiter = self.get("delimiter", "")
        output = []
        try:
            for element in self:
                try:
                    if isinstance(element, Choose):
                        text = element.render(item, context=context, delimiter=delimiter,
                                              **kwargs)
                    else:
                        text = element.render(item, context=context, **kwargs)
                except VariableError:
                    text = None
                if text is not None:
                    output.append(text)
                if state is None and element.calls_variable():
                    report_to_group(stack, text is not None)
        finally:
            called, rendered = stack.pop()
        suppressed = not output or (called and not rendered)
        report_to_group(stack, not suppressed)  # a nested group counts as a variable
        if suppressed:
            raise VariableError
        return self.join(output)

    def calls_variable(self) -> bool:
        return True  # a group nested in a group counts as a variable (see process)

    def markup(self, text: Any) -> Any:
        return self.wrap(self.format(text)) if text else None


@override
class Term(Element):
    """cs:term: its singular and plural forms (cs:single / cs:multiple, else its text)."""

    @property
    def single(self) -> Any:
        return self._form("single")

    @property
    def multiple(self) -> Any:
        return self._form("multiple")

    def _form(self, name: str) -> Any:
        form = self.find(f"cs:{name}")
        text = (form if form is not None else self).text
        return String(self.preformat(text or ""))


def _reference_value(item: Any, variable: str) -> Any:
    """The value of ``variable`` ("number-of-pages" is the references' "number_of_pages");
    VariableError when the item has none."""
    value = item.reference.get(variable.replace("-", "_"))
    if value is None:
        raise VariableError
    return value


_ROMAN_NUMERALS = (("m", 1000), ("cm", 900), ("d", 500), ("cd", 400), ("c", 100),
                   ("xc", 90), ("l", 50), ("xl", 40), ("x", 10), ("ix", 9), ("v", 5),
                   ("iv", 4), ("i", 1))


def roman(number: int) -> str:
    """A positive number in lower-case roman numerals (12 → "xii"); "" for 0."""
    out = []
    for numeral, value in _ROMAN_NUMERALS:
        count, number = divmod(number, value)
        out.append(numeral * count)
    return "".join(out)


# the variables citeproc-py's sort keys take as names, dates and numbers (underscored)
_SORT_NAME_VARIABLES = frozenset((
    "author", "collection_editor", "composer", "container_author", "editor",
    "editorial_director", "illustrator", "interviewer", "original_author", "recipient",
    "translator"))
_SORT_DATE_VARIABLES = frozenset((
    "accessed", "container", "event_date", "issued", "original_date", "submitted"))
_SORT_NUMBER_VARIABLES = frozenset((
    "chapter_number", "collection_number", "edition", "issue", "number", "number_of_pages",
    "number_of_volumes", "volume"))
