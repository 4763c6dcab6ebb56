"""A cs:names without cs:name renders with a default cs:name that is added to the style once:
citeproc-py's default carried the tag "Name", which the next lookup missed, so every rendering
added one more child to the shared, cached style (Vancouver: one per name list per render)."""

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
