"""Recorded Crossref and OpenAlex works (tests/fixtures/crossref, tests/fixtures/openalex: see
the READMEs there for origin and licence) as JSON Lines, for the streaming and cluster tests
and bench/scaling.py."""

from __future__ import annotations

import json
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"


def recorded_works(name: str) -> list[str]:
    """Every work in the recorded Crossref or OpenAlex answers (tests/fixtures/<name>, see
    the README there), one compact JSON line each."""
    from citetool.readers import crossref, openalex

    found = {"crossref": crossref.works, "openalex": openalex.works}[name]
    out = []
    for path in sorted((FIXTURES / name).glob("*.json*")):
        values = ([json.loads(line) for line in path.read_text("utf-8").splitlines()
                   if line.strip()] if path.suffix == ".jsonl"
                  else [json.loads(path.read_text("utf-8"))])
        for value in values:
            try:
                works = found(value) or []
            except Exception:  # an error answer (status 'failed'): not a work
                continue
            out += [json.dumps(w, ensure_ascii=False) for w in works if isinstance(w, dict)
                    and ("DOI" in w or str(w.get("id", "")).startswith("https://openalex"))]
    return out
