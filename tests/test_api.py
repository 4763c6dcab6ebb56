"""The Python API (manubot#308: users want a library call, not a subprocess)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import citetool
from citetool.errors import FormatError, ReadError

ITEM = {"id": "doe2020", "type": "book", "title": "Title",
        "author": [{"family": "Doe", "given": "Jane"}], "issued": {"date-parts": [[2020]]}}


def test_read_file_by_suffix_and_write_by_suffix(tmp_path: Path) -> None:
    src = tmp_path / "in.json"
    src.write_text(json.dumps([ITEM]))
    result = citetool.read(src)
    assert [r.id for r in result.records] == ["doe2020"]
    out = tmp_path / "out.yaml"
    assert citetool.write(result.records, out) == []
    assert citetool.read(out).records == result.records


def test_loads_sniffs_and_dumps() -> None:
    records = citetool.loads(json.dumps(ITEM)).records
    assert json.loads(citetool.dumps(records, "csljson")) == [ITEM]


def test_errors_are_citetool_errors(tmp_path: Path) -> None:
    with pytest.raises(ReadError):
        citetool.read(tmp_path / "missing.json")
    with pytest.raises(FormatError):
        citetool.loads("plain words, no record here")
    with pytest.raises(FormatError):
        citetool.write([], tmp_path / "out.unknownsuffix")


def test_render_apa_text_and_html() -> None:
    """Expected strings checked by hand against APA 7 (book: italic title, no publisher)."""
    records = citetool.loads(json.dumps(ITEM)).records
    assert citetool.render(records, "apa", output="text") == ["Doe, J. (2020). Title."]
    assert citetool.render(records, "apa", output="html") == ["Doe, J. (2020). <i>Title</i>."]
