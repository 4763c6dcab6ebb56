"""The fields issue 16's acceptance names, checked on one record (shared by the Crossref and
OpenAlex mapping and reader tests)."""

from __future__ import annotations

from typing import Any

from citetool.model import Record

#: (fixture, index, type, title start, first author's family name (or literal; None: no
#: author), year,
#: container-title, volume, issue, page, DOI)
Case = tuple[str, int, str, str, Any, int, Any, Any, Any, Any, Any]


def check_fields(rec: Record, case: Case) -> None:
    _name, _index, kind, title, author, year, container, volume, issue, page, doi = case
    assert rec.type == kind
    assert rec.title.startswith(title)
    if author is None:  # a work without authors
        assert not rec.author
    else:
        assert (rec.author[0].family or rec.author[0].literal) == author
    assert rec.issued is not None and rec.issued.year == year
    assert rec.fields.get("container-title") == container
    assert rec.fields.get("volume") == volume
    assert rec.fields.get("issue") == issue
    assert rec.fields.get("page") == page
    assert rec.fields.get("DOI") == doi


def case_id(case: Case) -> str:
    return f"{case[0]}[{case[1]}]"
