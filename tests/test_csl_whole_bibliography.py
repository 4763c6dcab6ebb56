"""Whole bibliographies (several items, sorted, disambiguated) exactly as citeproc-js prints them.

Each ``tests/golden/citeproc-js/whole/*.json`` holds CSL-JSON items and, per style, the entries
citeproc-js printed for them as ONE bibliography, in its order (written by
``bench/citeproc-js/bibliography.js --items``; see the README beside the golden files). The
items were chosen after differences ``bench/bib_agreement.py`` found on real bibliographies.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

WHOLE = Path(__file__).resolve().parent / "golden" / "citeproc-js" / "whole"


def cases() -> list[tuple[str, str]]:
    out = []
    for path in sorted(WHOLE.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        out.extend((path.stem, style) for style in data["styles"])
    return out


def citetool_bibliography(items: list[dict[str, Any]], style: str) -> list[str]:
    from citetool.csl.engine import render_bibliography
    from citetool.csl.output import get_backend

    backend = get_backend("text")
    return render_bibliography([dict(i) for i in items], style, None, backend.entry)


@pytest.mark.parametrize(("name", "style"), cases())
def test_whole_bibliography_as_citeproc_js(name: str, style: str) -> None:
    data = json.loads((WHOLE / f"{name}.json").read_text(encoding="utf-8"))
    want = data["styles"][style]["entries"]
    assert citetool_bibliography(data["items"], style) == want
