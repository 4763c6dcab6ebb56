"""Finding a CSL element's children by name with plain child iteration (no XPath, no
namespace maps): what any element tree offers, lxml's or citetool's own."""

from __future__ import annotations

from typing import Any

CSL_NS = "http://purl.org/net/xbiblio/csl"


def csl_tag(name: str) -> str:
    """The qualified tag of the CSL element ``name`` ("text" → "{...csl}text")."""
    return f"{{{CSL_NS}}}{name}"


def children(element: Any, name: str) -> list[Any]:
    """The cs:``name`` children of ``element``, in document order."""
    tag = csl_tag(name)
    return [child for child in element if child.tag == tag]


def child(element: Any, name: str) -> Any:
    """The first cs:``name`` child of ``element`` (None without one)."""
    tag = csl_tag(name)
    return next((each for each in element if each.tag == tag), None)
