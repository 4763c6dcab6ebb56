"""The engine's warnings channel (citetool/csl/engine/diagnostics.py): problems of the style and
values the engine ignored come out as Diagnostics, never silently and never on stdout."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

BAD_STYLE = """<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
<info><id>x</id><title>x</title><updated>2020-01-01T00:00:00+00:00</updated></info>
<citation><layout><text variable="titel"/><text macro="nope"/><frobnicate/><text/></layout>
</citation>
<bibliography><layout><text variable="title"/></layout></bibliography></style>
"""
# an item as citation-js reads "publisher = {John Grigg and William P. Bason}" (CDL
# bibliography, entry Brow24): a list where CSL-JSON has text
BROWN = {"publisher-place": "Philadelphia, PA", "author": [{"given": "T", "family": "Brown"}],
         "type": "book", "id": "Brow24", "issued": {"date-parts": [[1824]]},
         "publisher": ["John Grigg", "William P. Bason"],
         "title": "Lectures on the philosophy of the human mind"}


def test_style_problems_are_reported(tmp_path: Path) -> None:
    from citetool.csl import render
    from citetool.csljson import from_csl
    from citetool.errors import Level

    style = tmp_path / "bad.csl"
    style.write_text(BAD_STYLE, encoding="utf-8")
    found: list = []  # type: ignore[type-arg]
    out = render([from_csl({"id": "a", "type": "book", "title": "T"})], str(style),
                 diagnostics=found)
    assert out == ["T"]
    messages = [d.message for d in found]
    assert messages == [
        "unknown CSL variable 'titel': never set",
        "cs:text calls macro 'nope', which the style does not define",
        "unsupported CSL element cs:frobnicate: ignored",
        "cs:text without variable, macro, term or value prints nothing",
    ]
    assert all(d.level == Level.WARNING and d.source == str(style) and d.line for d in found)


def test_common_styles_have_no_problems() -> None:
    from citetool.csl.engine.diagnostics import style_problems
    from citetool.csl.styles import load_style

    for name in ("apa", "chicago-author-date", "modern-language-association", "ieee",
                 "vancouver", "iso690-author-date-en"):
        assert style_problems(load_style(name, None)[0]) == ()


def test_a_list_where_text_belongs_is_ignored_with_a_warning() -> None:
    from citetool.csl.engine import render_bibliography
    from citetool.csl.engine.diagnostics import collecting
    from citetool.csl.output import get_backend

    backend = get_backend("text")
    with collecting() as found:
        out = render_bibliography([dict(BROWN)], "apa", None, backend.entry)
    # citeproc-js 2.4.63 printed this for the same item (bench/bib_agreement.py, seed 1)
    assert out[0] == \
        "Brown, T. (1824). Lectures on the philosophy of the human mind."
    assert [d.message for d in found] == \
        ["item 'Brow24': publisher is a list, not text; not printed"]


def test_cite_prints_style_warnings_on_stderr_only(tmp_path: Path) -> None:
    style = tmp_path / "bad.csl"
    style.write_text(BAD_STYLE, encoding="utf-8")
    data = tmp_path / "a.json"
    data.write_text(json.dumps([{"id": "a", "type": "book", "title": "T"}]), encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "citetool", "cite", str(data), "--style",
                          str(style)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0
    assert run.stdout == "T\n"
    assert "warning: unknown CSL variable 'titel'" in run.stderr


def _macro_style(macros: str) -> str:
    return ('<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">'
            "<info><title>M</title><id>m</id></info>" + macros
            + '<citation><layout><text macro="m0"/></layout></citation>'
            '<bibliography><layout><text macro="m0"/></layout></bibliography></style>')


@pytest.mark.parametrize(("macros", "message"), [
    ('<macro name="m0"><text macro="m0"/></macro>', "macro 'm0' calls itself (m0 -> m0)"),
    ('<macro name="m0"><group><text macro="m1"/></group></macro>'
     '<macro name="m1"><choose><if variable="title"><text macro="m0"/></if></choose></macro>',
     "macro 'm0' calls itself (m0 -> m1 -> m0)"),
    ("".join(f'<macro name="m{i}"><text macro="m{i + 1}"/></macro>' for i in range(80))
     + '<macro name="m80"><text variable="title"/></macro>', "macros call macros more than"),
])
def test_a_style_whose_macros_never_end_is_a_one_line_error(macros: str, message: str) -> None:
    from citetool.csl.engine.style import load_style
    from citetool.errors import StyleError

    with pytest.raises(StyleError, match=re.escape(message)):
        load_style(_macro_style(macros))
