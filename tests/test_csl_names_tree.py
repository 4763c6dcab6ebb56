"""A cs:names without cs:name renders with a default cs:name made once and kept beside the
style's tree: citeproc-py added its default to the tree with the tag "Name", which the next
lookup missed, so every rendering added one more child to the shared, cached style (Vancouver:
one per name list per render). The parsed tree is read-only: no render can change it."""

from __future__ import annotations

from citetool import csl
from citetool.csl.styles import load_style
from citetool.csljson import from_csl

RECORDS = [from_csl({"id": "a", "type": "book", "title": "T",
                     "issued": {"date-parts": [[2020]]},
                     "author": [{"family": "Doe", "given": "Jane"}],
                     "editor": [{"family": "Roe", "given": "Rick"}]})]


def _size(style: str) -> int:
    return sum(1 for _ in load_style(style, None)[0].root.iter())


def test_rendering_adds_nothing_to_the_style_after_the_first_time() -> None:
    first = csl.render(RECORDS, "vancouver")
    size = _size("vancouver")
    for _ in range(3):
        assert csl.render(RECORDS, "vancouver") == first
    assert _size("vancouver") == size


def test_the_parsed_style_is_read_only() -> None:
    import pytest

    csl.render(RECORDS, "vancouver")
    root = load_style("vancouver", None)[0].root
    before = [(node.tag, dict(node.attrib), len(node)) for node in root.iter()]
    for node in root.iter():
        with pytest.raises(TypeError):
            node.attrib["form"] = "short"  # type: ignore[index]
        assert isinstance(node._children, tuple)
    csl.render(RECORDS, "vancouver", mode="citation")
    assert [(node.tag, dict(node.attrib), len(node)) for node in root.iter()] == before
