"""The Crossref and OpenAlex readers: every file shape, gzip, sniffing, bad entries.

Inputs are the recorded answers under tests/fixtures/crossref and tests/fixtures/openalex
(see the READMEs there), written into the other shapes (dump, JSON array, JSON Lines, .gz)
by the tests themselves.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import run_cli

from citetool import api
from citetool.csljson import to_csl
from citetool.errors import ReadError
from citetool.mapping.crossref import from_crossref
from citetool.mapping.openalex import from_openalex
from citetool.readers import crossref, openalex
from citetool.readers.works import work_lines
from citetool.registry import registry

FIXTURES = Path(__file__).parent / "fixtures"


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def crossref_works() -> list[dict[str, Any]]:
    """Works of every type from the recorded Crossref answers."""
    out = []
    for path in sorted((FIXTURES / "crossref").glob("*.json")):
        if path.stem != "types":
            message = load(f"crossref/{path.name}")["message"]
            out.extend(message["items"] if "items" in message else [message])
    return out


def openalex_works() -> list[dict[str, Any]]:
    out = []
    for path in sorted((FIXTURES / "openalex").glob("*.json")):
        if "expected" not in path.name:
            data = load(f"openalex/{path.name}")
            out.extend(data["results"] if "results" in data else [data])
    return out


def as_csl(records: list[Any]) -> list[dict[str, Any]]:
    return [to_csl(r) for r in records]


CROSSREF_SHAPES = {
    "work": lambda ws: json.dumps(ws[0]),
    "envelope": lambda ws: json.dumps({"status": "ok", "message-type": "work", "message": ws[0]}),
    "list envelope": lambda ws: json.dumps(
        {"status": "ok", "message-type": "work-list", "message": {"items": ws}}, indent=1
    ),
    "dump": lambda ws: json.dumps({"items": ws}, indent=2),
    "array": lambda ws: json.dumps(ws),
    "json lines": lambda ws: "".join(json.dumps(w) + "\n" for w in ws),
}


OPENALEX_SHAPES = {
    "work": lambda ws: json.dumps(ws[0], indent=1),
    "results": lambda ws: json.dumps({"meta": {"count": len(ws)}, "results": ws}),
    "array": lambda ws: json.dumps(ws),
    "json lines": lambda ws: "".join(json.dumps(w) + "\n" for w in ws),
}


SHAPES = [("crossref", shape) for shape in CROSSREF_SHAPES] + [
    ("openalex", shape) for shape in OPENALEX_SHAPES
]


@pytest.mark.parametrize(("fmt", "shape"), SHAPES)
def test_every_shape(fmt: str, shape: str) -> None:
    reader, make, mapper, ws = (
        (crossref, CROSSREF_SHAPES[shape], from_crossref, crossref_works())
        if fmt == "crossref"
        else (openalex, OPENALEX_SHAPES[shape], from_openalex, openalex_works())
    )
    result = reader.read(make(ws), "x")
    expected = ws[:1] if shape in ("work", "envelope") else ws
    assert not result.diagnostics
    assert as_csl(result.records) == as_csl([mapper(w) for w in expected])


@pytest.mark.parametrize(
    ("name", "text", "fmt"),
    [
        ("a.json", lambda: json.dumps(load("crossref/book-chapter.json")), "crossref"),
        ("a.json", lambda: json.dumps({"items": crossref_works()[:3]}), "crossref"),
        ("a.jsonl", lambda: "\n".join(json.dumps(w) for w in crossref_works()[:3]), "crossref"),
        ("a.json", lambda: json.dumps(load("openalex/list-sample-5.json")), "openalex"),
        ("a.jsonl", lambda: "\n".join(json.dumps(w) for w in openalex_works()[:3]), "openalex"),
    ],
)
@pytest.mark.parametrize("gz", [False, True])
def test_sniffed_by_api_read_also_gzipped(
    tmp_path: Path, name: str, text: Any, fmt: str, gz: bool
) -> None:
    data = text().encode("utf-8")
    path = tmp_path / (name + (".gz" if gz else ""))
    path.write_bytes(gzip.compress(data) if gz else data)
    assert registry.detect(data.decode()).name == fmt
    result = api.read(path)
    reader = crossref if fmt == "crossref" else openalex
    assert as_csl(result.records) == as_csl(reader.read(data.decode(), "x").records)
    assert result.records and not result.diagnostics


def test_csl_json_is_not_taken_for_crossref() -> None:
    # Crossref's own CSL-JSON (content negotiation) has string titles: stays CSL-JSON
    text = (FIXTURES / "doi" / "crossref-athena.json").read_text(encoding="utf-8")
    assert registry.detect(text).name == "csljson"


def test_multi_member_gzip(tmp_path: Path) -> None:
    ws = crossref_works()
    path = tmp_path / "dump.jsonl.gz"
    path.write_bytes(
        gzip.compress(json.dumps(ws[0]).encode() + b"\n")
        + gzip.compress(json.dumps(ws[1]).encode() + b"\n")
    )
    assert [r.fields["DOI"] for r in api.read(path).records] == [
        ws[0]["DOI"].lower(),
        ws[1]["DOI"].lower(),
    ]


def test_gzip_bounded_and_checked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bomb = tmp_path / "bomb.json.gz"
    bomb.write_bytes(gzip.compress(b"[" + b" " * 5_000_000 + b"]"))
    monkeypatch.setenv("CITETOOL_MAX_INPUT_BYTES", "1000000")
    with pytest.raises(ReadError, match="too large once decompressed"):
        api.read(bomb)
    monkeypatch.delenv("CITETOOL_MAX_INPUT_BYTES")
    cut = tmp_path / "cut.json.gz"
    cut.write_bytes(gzip.compress(json.dumps(crossref_works()).encode())[:200])
    with pytest.raises(ReadError, match="cut short"):
        api.read(cut)
    broken = tmp_path / "broken.json.gz"
    broken.write_bytes(b"\x1f\x8b" + b"\x00" * 40)
    with pytest.raises(ReadError, match="gzip"):
        api.read(broken)


def test_bad_json_lines_line_is_reported_and_skipped() -> None:
    ws = crossref_works()[:3]
    lines = [json.dumps(ws[0]), '{"DOI": "10.1/x", "title": [', "", json.dumps(ws[2]), "[1]"]
    result = crossref.read("\n".join(lines) + "\n", "dump.jsonl", line_offset=100)
    assert [r.fields["DOI"] for r in result.records] == [ws[0]["DOI"].lower(), ws[2]["DOI"]]
    assert [(d.line, d.message.split(":")[0]) for d in result.diagnostics] == [
        (102, "invalid JSON"),
        (105, "Crossref work"),
    ]


def test_bad_work_in_a_dump_is_reported_on_its_line() -> None:
    ws = crossref_works()[:2]
    text = json.dumps({"items": [ws[0], "not a work", ws[1]]}, indent=1)
    result = crossref.read(text, "dump.json")
    assert len(result.records) == 2
    (diagnostic,) = result.diagnostics
    assert diagnostic.line == text.splitlines().index('  "not a work",') + 1
    assert "Crossref work 2" in diagnostic.message


def test_work_lines() -> None:
    text = '{"status": "ok",\n "message": {"items": [\n {"a": {"b": 1}},\n\n {"c": [{}]}]}}'
    assert work_lines(text) == [3, 5]
    assert work_lines('[{"x": 1},\n{"y": 2}]') == [1, 2]
    assert work_lines('\n{"DOI": "10.1/x", "title": ["t"]}') == [2]
    assert work_lines('{"meta": {"q": {"x": [1]}},\n"results": [\n{"id": 1}]}') == [3]


def test_not_works() -> None:
    with pytest.raises(ReadError, match="no Crossref work here"):
        crossref.read('{"total": 3}', "x.json")
    with pytest.raises(ReadError, match="status 'failed'"):
        crossref.read(
            '{"status": "failed", "message-type": "validation-failure", '
            '"message": [{"message": "Resource not found."}]}',
            "x.json",
        )
    with pytest.raises(ReadError, match="invalid JSON"):
        openalex.read('{"id": ', "x.json")
    with pytest.raises(ReadError, match="empty input"):
        openalex.read("  \n", "x.json")


def test_read_work_for_one_parsed_line() -> None:
    work = crossref_works()[0]
    assert crossref.read_work(work) == from_crossref(work)
    oa = openalex_works()[0]
    assert openalex.read_work(oa, index=3) == from_openalex(oa, index=3)


def test_cli_from_crossref_and_sniffed_gz(tmp_path: Path) -> None:
    ws = crossref_works()
    path = tmp_path / "crossref-works-00000.jsonl.gz"
    path.write_bytes(gzip.compress("".join(json.dumps(w) + "\n" for w in ws).encode()))
    for args in ([], ["--from", "crossref"]):
        done = run_cli("export", str(path), *args, "--to", "csljson")
        assert done.returncode == 0, done.stderr
        items = json.loads(done.stdout)
        assert [i["DOI"] for i in items] == [w["DOI"].lower() for w in ws]
    oa = tmp_path / "part_000.gz"
    oa.write_bytes(gzip.compress("".join(json.dumps(w) + "\n" for w in openalex_works()).encode()))
    done = run_cli("export", str(oa), "--from", "openalex", "--to", "ris")
    assert done.returncode == 0, done.stderr
    assert done.stdout.count(b"\nER  - ") == len(openalex_works())
