"""citetool's cs:if and cs:else-if (see :mod:`.elements`)."""

from __future__ import annotations

from typing import Any

from .base import (
    _CONDITION_TESTS,
    CachedCalls,
    _has_variable,
    _is_numeric,
    _processor,
    override,
    render_context,
)
from .element import Element


class ConditionFailed(Exception):
    """Raised by a cs:if / cs:else-if whose test fails, for cs:choose to try the next branch.
    (A subclass of citeproc-py's exception while citeproc-py's cs:choose may still catch it.)"""


@override
class If(CachedCalls, Element):
    """cs:if with cite positions computed by the processor, ``disambiguate``, and
    ``is-numeric`` as citeproc-js reads it ("2nd", "12-14", "1, 3" are numeric)."""

    def render(self, item: Any, context: Any = None, delimiter: str = "",
               **kwargs: Any) -> Any:
        if not self._test(item, context):
            raise ConditionFailed
        return self.render_children(item, context=context, delimiter=delimiter, **kwargs)

    def _conditions(self) -> tuple[tuple[tuple[str, Any], ...], str]:
        """((test, values) ..., match): the element's tests, read from its attributes once
        (lxml builds a new attribute proxy on every ``self.attrib``; ~70 tests an entry)."""
        found = vars(self).get("_conditions_cache")
        if found is None:
            attrib = self.attrib
            tests = tuple((name, attrib[name] if name == "disambiguate"
                           else tuple(attrib[name].split()))
                          for name in _CONDITION_TESTS if name in attrib)
            found = (tests, attrib.get("match", "all"))
            self._conditions_cache = found
        return found

    def _results(self, item: Any, context: Any) -> Any:
        tests, _match = self._conditions()
        for name, values in tests:
            if name == "type":
                kind = item.reference.type
                for t in values:
                    yield t == kind
            elif name == "variable":
                for v in values:
                    yield _has_variable(item, v)
            elif name == "is-numeric":
                for v in values:
                    yield _is_numeric(item, v)
            elif name == "is-uncertain-date":
                for v in values:
                    yield bool(getattr(item.reference.get(v.replace("-", "_")), "get",
                                       lambda _k, _d=None: False)("circa"))
            elif name == "locator":
                label = item.locator.label if item.has_locator else None
                for v in values:
                    yield label == v or (v == "sub-verbo" and label == "sub verbo")
            elif name == "position":
                for p in values:
                    yield self._position_test(item, context, p)
            elif name == "disambiguate":
                processor = _processor(item)
                yield (values == "true" and processor is not None
                       and item.key in processor.disambiguate_flag)

    def _test(self, item: Any, context: Any) -> bool:
        # the tests have no side effects: stop at the first one that decides
        match = self._conditions()[1]
        if match == "any":
            return any(self._results(item, context))
        if match == "none":
            return not any(self._results(item, context))
        return all(self._results(item, context))

    def _position_test(self, item: Any, context: Any, test: str) -> bool:
        where = render_context(self, context)
        if where is None or not where.tag.endswith("citation"):
            return False
        position = item.get("position", "first")
        if test == "first":
            return position == "first"
        if test == "subsequent":
            return position != "first"
        if test == "ibid":
            return position in ("ibid", "ibid-with-locator")
        if test == "ibid-with-locator":
            return position == "ibid-with-locator"
        if test == "near-note":
            return position != "first" and bool(item.get("near-note"))
        return False


# citeproc-py's own tests, read only by its cs:if render, which If.render replaces (the tests are
# _results above: citeproc-js's is-numeric, positions computed by the processor)


@override
class Else_If(If):  # noqa: N801 - the citeproc-py class name
    pass
