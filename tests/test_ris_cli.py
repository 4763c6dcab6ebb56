"""RIS through the real CLI in a subprocess: pipes both ways, stdout carries only data,
warnings and located errors go to stderr."""

from __future__ import annotations

import json
from pathlib import Path

import rispy
from conftest import run_cli
from ris_seed import seed_record

from citetool.csljson import to_csl

DATA = Path(__file__).parent / "data" / "ris"
FIXTURES = Path(__file__).parent / "fixtures" / "ris"


def test_ris_on_stdin_to_csljson_on_stdout() -> None:
    raw = (DATA / "rispy-example_full.ris").read_bytes()
    done = run_cli("export", "--to", "csljson", input=raw)
    assert done.returncode == 0, done.stderr
    items = json.loads(done.stdout)  # nothing but the data on stdout
    assert [i["title"] for i in items] == ["Title of reference", "The title of the reference"]
    assert items[0]["author"][0] == {"family": "Marx", "given": "Karl"}
    assert items[0]["issued"] == {"date-parts": [[2014]]}
    assert items[0]["custom"]["ris:L2"] == "http://example.com"
    assert b"duplicate ID" in done.stderr


def test_csljson_file_to_ris_and_back_in_a_pipe(tmp_path: Path) -> None:
    source = tmp_path / "x.json"
    source.write_text(json.dumps([to_csl(seed_record())], ensure_ascii=False), "utf-8")
    to_ris = run_cli("export", str(source), "--to", "ris")
    assert to_ris.returncode == 0, to_ris.stderr
    text = to_ris.stdout.decode("utf-8")
    assert text.startswith("TY  - JOUR\r\n") and text.endswith("ER  - \r\n")
    (entry,) = rispy.loads(text)
    assert entry["authors"] == ["Bielicki, Paweł"]
    assert (entry["start_page"], entry["end_page"]) == ("51", "71")
    # what RIS cannot hold is named on stderr, one line per kind
    err = to_ris.stderr.decode("utf-8")
    assert "RIS has no place for abstracts in further languages (en): 1 record" in err
    back = run_cli("export", "--to", "csljson", input=to_ris.stdout)
    assert back.returncode == 0, back.stderr
    (item,) = json.loads(back.stdout)
    assert item["title"] == seed_record().title
    assert item["page"] == "51-71" and item["DOI"] == "10.15804/athena.2020.66.04"
    assert item["author"] == [{"family": "Bielicki", "given": "Paweł"}]


def test_corrupt_record_named_on_stderr_and_the_rest_converted() -> None:
    done = run_cli("export", str(FIXTURES / "one-corrupt-record.ris"), "--to", "csljson")
    assert done.returncode == 0
    assert len(json.loads(done.stdout)) == 3
    err = done.stderr.decode("utf-8")
    assert "one-corrupt-record.ris:7: error: tag lines without a TY line" in err
    assert "one-corrupt-record.ris:16: warning: record starting at line 11 has no ER" in err
    assert "Traceback" not in err


def test_cp1250_endnote_file_to_ris_as_utf8() -> None:
    done = run_cli("export", str(FIXTURES / "endnote-cp1250.ris"), "--to", "ris")
    assert done.returncode == 0, done.stderr
    assert "AU  - Bielicki, Paweł\r\n" in done.stdout.decode("utf-8")
    assert b"cp1250" in done.stderr


def test_output_file_suffix_selects_ris(tmp_path: Path) -> None:
    out = tmp_path / "refs.ris"
    done = run_cli("export", str(DATA / "rispy-example_utf_chars.ris"), "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout == b""
    assert out.read_bytes().startswith(b"TY  - JOUR\r\n")


def test_seed_landing_page_text_to_ris_through_the_real_reader() -> None:
    done = run_cli("export", "examples/article-record.txt", "--to", "ris")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.decode("utf-8").split("\r\n")
    assert lines[0] == "TY  - JOUR" and lines[-2:] == ["ER  - ", ""]
    for expected in (
        "AU  - Bielicki, Paweł",
        "PY  - 2020",
        "SP  - 51",
        "EP  - 71",
        "L1  - apsp/66/apsp6604.pdf",
        "LA  - pl",
        "KW  - obszar postradziecki",
        "AD  - Instytut Solidarności i Męstwa im. Witolda Pileckiego w Warszawie",
    ):
        assert expected in lines, expected
    assert any(line.startswith("TI  - Relacje kazachsko-rosyjskie") for line in lines)
    assert any(line.startswith("AB  - Przedmiotem mojego") for line in lines)
    assert "abstracts in further languages (en)" in done.stderr.decode("utf-8")
