"""What the service modules share: CSL names and dates from free text, the cached item,
the Record made of it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from ..errors import NetworkError
from ..model import Record
from .http import HttpOptions, cached


def csl_name(text: str) -> dict[str, Any]:
    """``John Miedema`` → ``{"family": "Miedema", "given": "John"}`` (citetool's name parser)."""
    from ..names import parse_name

    return parse_name(text).to_csl()


def csl_date(text: str) -> dict[str, Any] | None:
    """Free-text dates as catalogues write them — ``2009``, ``2016-09-19``, ``March 2009``,
    ``July 28, 2008``, ``September 1, 1999`` — as a CSL date (a literal when not parsed)."""
    from ..readers.html import parse_date

    text = " ".join(str(text).split())
    if not text:
        return None
    date = parse_date(text)
    return date.to_csl() or None


def joined(values: Iterable[Any], sep: str = ", ") -> str:
    """Distinct non-empty values, in order, joined."""
    return sep.join(dict.fromkeys(str(v).strip() for v in values if v and str(v).strip()))


def cached_item(
    options: HttpOptions, service: str, key: str, what: str,
    produce: Callable[[], tuple[dict[str, Any], str]],
) -> dict[str, Any]:
    """The CSL item for ``key``: the cache, else ``produce()`` (stored only when it
    succeeded: a failure raises before anything is written)."""
    item = cached(options, service, key, produce, what=what)
    if not isinstance(item, dict):  # an entry of another shape: ask again
        item = cached(replace(options, refresh=True), service, key, produce, what=what)
    return dict(item)


def to_record(item: dict[str, Any], what: str) -> Record:
    """A Record (id made by citetool's key rule) from a looked-up CSL item."""
    from ..csljson import ItemError, from_csl
    from ..keys import make_key

    clean = {k: v for k, v in item.items() if v not in (None, "", [], {})}
    try:
        record = from_csl(clean)
    except (ItemError, ValueError) as exc:
        raise NetworkError(f"{what}: the answer is malformed: {exc}") from None
    return record.replace(id=make_key(record))


def xml_root(body: bytes, what: str, host: str) -> Any:
    """An answer's XML, parsed without entities, DTDs or the network; one-line error."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                             load_dtd=False, remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(body, parser=parser)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise NetworkError(f"{what}: the answer from {host} is not XML: {exc}") from None
    if root is None:
        raise NetworkError(f"{what}: the answer from {host} is empty")
    return root


def text_of(element: Any) -> str:
    """An element's text with its inline markup (``<i>``, ``<sup>``) flattened."""
    if element is None:
        return ""
    return " ".join("".join(element.itertext()).split())
