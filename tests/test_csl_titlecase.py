"""Title case exactly as citeproc-js applies it (citetool/csl/engine/titlecase.py).

``tests/golden/citeproc-js/title-case.json``: titles and what citeproc-js printed for them with
``text-case="title"`` (origin in the file): real titles from the CDL and Glottolog
bibliographies where citetool differed before, and hand-written cases (skip words such as
"amid", "throughout", "like"; one-letter words; elided articles after an apostrophe; no capital
after "...", one after ":"; nocase spans).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

GOLDEN = json.loads((Path(__file__).resolve().parent / "golden" / "citeproc-js"
                     / "title-case.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(("title", "want"), GOLDEN["pairs"])
def test_title_case_as_citeproc_js(title: str, want: str) -> None:
    from citetool.csl.engine import render_bibliography
    from citetool.csl.output import get_backend

    backend = get_backend("text")
    item = {"id": "x", "type": "book", "title": title}
    got = render_bibliography([item], GOLDEN["style"], None, backend.entry)
    assert got[0] == want
