"""citetool vs citeproc-js on a real corpus it was not tuned on: biblatex-examples.

``tests/golden/citeproc-js/corpus/items.json`` holds the 90 works of biblatex's
``biblatex-examples.bib`` (plk/biblatex, LPPL 1.3c) as CSL-JSON, read once by citetool's BibTeX
reader and frozen; the expected strings come from citeproc-js (``bench/citeproc-js/render.js
--items ... --out ... --text-only``). Each item is rendered alone in the 8 styles and compared
as text. A ratchet per style: ``corpus/known-mismatches.txt`` lists the (style, item) pairs that
still differ; a pair not listed that differs fails, a listed pair that matches warns.
``python bench/cite_agreement.py --corpus [--update]`` prints the figures and diffs.
"""

from __future__ import annotations

import json
import warnings
from functools import cache
from pathlib import Path
from typing import Any

import pytest

CORPUS = Path(__file__).resolve().parent / "golden" / "citeproc-js" / "corpus"
KNOWN = CORPUS / "known-mismatches.txt"


def corpus_styles() -> list[str]:
    data = json.loads((CORPUS / "styles.json").read_text(encoding="utf-8"))
    return [s["id"] for s in data["styles"]]


@cache
def corpus_golden(style: str) -> dict[str, Any]:
    return json.loads((CORPUS / f"{style}.json").read_text(encoding="utf-8"))


@cache
def corpus_records() -> dict[str, Any]:
    from citetool.csljson import from_csl

    items = json.loads((CORPUS / "items.json").read_text(encoding="utf-8"))
    return {item["id"]: from_csl(item) for item in items}


def corpus_results(style: str) -> list[tuple[str, str | None, str]]:
    """(item id, citeproc-js text, citetool text or "ERROR ...") for every item."""
    from citetool.csl import render

    out = []
    for item_id, expected in corpus_golden(style)["items"].items():
        try:
            got = render([corpus_records()[item_id]], style)[0]
        except Exception as exc:  # noqa: BLE001 - a crash is a mismatch with its reason
            got = f"ERROR {type(exc).__name__}: {getattr(exc, 'message', exc)}"
        out.append((item_id, expected["text"], got))
    return out


def known_corpus_mismatches() -> set[str]:
    if not KNOWN.exists():
        return set()
    return {line.strip() for line in KNOWN.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")}


def test_corpus_is_the_real_one() -> None:
    records = corpus_records()
    assert len(records) == 90
    assert {"knuth:ct", "aksin", "westfahl:space"} <= set(records)
    for style in corpus_styles():
        assert "citeproc-js" in corpus_golden(style)["origin"]
        assert set(corpus_golden(style)["items"]) == set(records)


@pytest.mark.parametrize("style", corpus_styles())
def test_corpus_agreement_does_not_drop(style: str) -> None:
    known = known_corpus_mismatches()
    new, fixed = [], []
    for item_id, want, got in corpus_results(style):
        key = f"{style} {item_id}"
        if want != got and key not in known:
            new.append(f"{key}\n  citeproc-js: {want}\n  citetool:    {got}")
        elif want == got and key in known:
            fixed.append(key)
    if fixed:
        warnings.warn(f"now identical to citeproc-js, remove from {KNOWN.name}: {fixed} "
                      "(python bench/cite_agreement.py --corpus --update)", stacklevel=1)
    assert not new, "new differences from citeproc-js:\n" + "\n".join(new)
