"""Streaming conversion (citetool.stream, ``citetool export``): reading in batches of whole
entries and writing batch by batch gives exactly the bytes of whole-file conversion, keeps
diagnostic lines right, and holds memory flat in the number of records."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Sequence
from pathlib import Path

import pytest
from typer.testing import CliRunner

from citetool.cli import app
from citetool.cli.common import Abort
from citetool.errors import Diagnostic
from citetool.model import Name, Record
from citetool.readers import csljson as csljson_reader
from citetool.registry import read_text, registry
from citetool.stream import StreamWriter, UniqueIds, batches

FORMATS = ["csljson", "cslyaml", "ris", "bibtex", "biblatex"]


def bib_entry(n: int, *, title: str | None = None, key: str | None = None) -> str:
    return (
        f"@article{{{key or f'key{n}'},\n"
        f"  author = {{Bielicki, Pawe{{\\l}} and Doe, Jane}},\n"
        f"  title = {{{title or f'Relacje part {n}: {{DNA}} i bezpieczeństwo'}}},\n"
        f"  journal = jrnl,\n  year = {{{1990 + n % 30}}},\n  month = mar,\n"
        f"  pages = {{51--71}},\n}}\n\n"
    )


def macro_bib(count: int) -> str:
    """@string macros before and after use, one using an undefined macro, a @preamble,
    a @comment, a broken entry in the middle, a duplicate key far from its first use and
    entries without a key."""
    parts = ['% a comment line\n@string{jrnl = "Annales " # pub}\n',
             '@preamble{"\\newcommand{\\noop}[1]{}"}\n']
    for n in range(count):
        if n == count // 2:
            parts.append("@article{broken,\n  title = {never closed,\n  year = 2020,\n\n")
        if n == count // 3:
            parts.append('@string{pub = "Paedagogicae" # nowhere}\n')
        if n == count - 2:
            parts.append("@comment{a comment block}\n")
        parts.append(bib_entry(n, key="key3" if n == count - 1 else None).replace(
            "  pages", "  note = later,\n  pages"))
    parts.append("@string{later = {Defined at the end}}\n")
    text = "".join(parts)
    for n in (9, count - 5):  # entries without a key are read as 'line<N>'
        text = text.replace(f"@article{{key{n},", "@article{,")
    return text


def ris_text(count: int) -> str:
    lines = ["stray text before any record", ""]
    for n in range(count):
        lines.append("TY  - JOUR")
        if n % 4:  # every fourth record has no ID: numbered item<N> across the file
            lines.append(f"ID  - {'dup' if n in (3, count - 2) else f'r{n}'}")
        lines += [f"AU  - Author{n}, A.", f"TI  - Title {n}", "PY  - 2020"]
        if n == count // 2:
            lines.append("orphan continuation\n\nTY  JOUR")  # not a tag line
        lines += ["ER  - ", ""]
    return "\n".join(lines)


def csl_text(count: int) -> str:
    items = []
    for n in range(count):
        if n == count - 5:
            items.append(json.dumps({"id": "bad", "author": "Smith"}))
        items.append(json.dumps({"id": f"i{n}", "type": "book", "title": f"Title {n}",
                                 "author": [{"family": "Doe", "given": "Jane"}],
                                 "issued": {"date-parts": [[2000 + n % 20]]}}))
    return "[\n" + ",\n".join(items) + "\n]\n"


def streamed(text: str, fmt: str, size: int) -> tuple[list[Record], list[Diagnostic]]:
    records: list[Record] = []
    diagnostics: list[Diagnostic] = []
    for batch in batches(text, "x", fmt, size=size):
        records += batch.records
        diagnostics += batch.diagnostics
    return records, diagnostics


def key(d: Diagnostic) -> tuple[str, str, int]:
    return (d.level.name, d.message, d.line or 0)


@pytest.mark.parametrize(
    ("fmt", "text"),
    [("bibtex", macro_bib(23)), ("ris", ris_text(23))],
    ids=["bibtex", "ris"],
)
def test_batches_read_what_the_whole_file_reads_with_the_same_lines(fmt: str, text: str) -> None:
    whole = read_text(text, "x", fmt)
    records, diagnostics = streamed(text, fmt, size=4)
    assert len(records) > 20
    assert records == whole.records
    assert sorted(map(key, diagnostics)) == sorted(map(key, whole.diagnostics))
    assert any(d.line for d in diagnostics)


def test_bibtex_macros_defined_anywhere_reach_every_batch() -> None:
    text = macro_bib(23)
    records, diagnostics = streamed(text, "bibtex", size=3)
    # jrnl is resolved where it is defined, when 'pub' is not yet; 'later' is defined last
    assert {r.fields.get("container-title") for r in records} == {"Annales pub"}
    assert {r.fields.get("note") for r in records} == {"Defined at the end"}
    # the undefined macro inside a @string: reported once, at the @string's own line
    undefined = [d for d in diagnostics if "nowhere" in d.message]
    line = text[: text.index("nowhere")].count("\n") + 1
    assert [d.line for d in undefined] == [line]
    # the broken entry is named at its line
    broken = [d for d in diagnostics if "broken" in d.message]
    assert [d.line for d in broken] == [text[: text.index("@article{broken")].count("\n") + 1]
    kept = [d for d in diagnostics if d.message.startswith("not carried into records")]
    assert [d.message for d in kept] == [
        "not carried into records (no bibliographic data): 1 @preamble block and "
        "1 @comment block"]


def test_ris_numbering_and_duplicate_ids_go_on_across_batches() -> None:
    records, diagnostics = streamed(ris_text(23), "ris", size=4)
    assert [r.id for r in records if r.id.startswith("item")][:3] == ["item1", "item5", "item9"]
    assert [d.message for d in diagnostics if "duplicate ID" in d.message] == [
        "duplicate ID 'dup'; kept both records"]
    stray = [d for d in diagnostics if "outside any record" in d.message]
    assert len(stray) == 1 and stray[0].message.startswith("1 line(s)") and stray[0].line == 1


def test_csljson_batches_keep_item_numbers_and_the_line_of_a_wrong_item(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csljson_reader, "JSON_WHOLE_BELOW", 0)
    text = csl_text(30)
    whole = read_text(text, "x", "csljson")
    got = list(batches(text, "x", "csljson", size=7))
    assert len(got) == 5
    records = [r for b in got for r in b.records]
    diagnostics = [d for b in got for d in b.diagnostics]
    assert records == whole.records and len(records) == 30
    assert list(map(key, diagnostics)) == list(map(key, whole.diagnostics))
    assert diagnostics[0].line == 27  # "[" is line 1, the bad item the 26th


@pytest.mark.parametrize("name", ["crossref", "openalex"])
def test_json_lines_batches_read_what_the_whole_file_reads(name: str) -> None:
    from works_data import recorded_works

    lines = recorded_works(name)
    at = len(lines) // 2
    lines.insert(at, '{"not": "closed"')  # a broken line: reported, skipped
    text = "\n".join(lines) + "\n"
    whole = read_text(text, "x", name)
    got = list(batches(text, "x", name, size=4))
    assert len(got) > 3
    records = [r for b in got for r in b.records]
    assert len(records) == len(whole.records) > 20
    # the same records; ids differ only where a work has no DOI (numbered in its chunk)
    assert [r.fields for r in records] == [r.fields for r in whole.records]
    diagnostics = [d for b in got for d in b.diagnostics]
    assert list(map(key, diagnostics)) == list(map(key, whole.diagnostics))
    assert [d.line for d in diagnostics] == [at + 1]


def write_streamed(records: Sequence[Record], fmt: str, size: int,
                   **options: object) -> tuple[str, list[Diagnostic]]:
    f = registry.get(fmt)
    out = io.StringIO()
    writer = StreamWriter(f, out, **options)
    notes: list[Diagnostic] = []
    for start in range(0, len(records), size):
        notes += writer.add(records[start : start + size])
    notes += writer.finish()
    return out.getvalue(), notes


def rich_records() -> list[Record]:
    """Records with things each target cannot hold (ORCID, affiliations, odd types)."""
    out = read_text(macro_bib(11), "x", "bibtex").records
    person = Name(family="Bielicki", given="Paweł", orcid="https://orcid.org/0000-0002-1825-0097",
                  affiliation=("Uniwersytet Jagielloński",))
    for n in range(9):
        out.append(Record(id=f"o{n}", type="article-journal" if n % 2 else "dataset",
                          fields={"title": f"Orcid {n}", "volume": str(n)},
                          names={"author": (person,)}))
    return out


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("size", [1, 4, 1000])
def test_written_batches_are_the_whole_file_bytes(fmt: str, size: int) -> None:
    records = rich_records()
    whole = registry.get(fmt).writer(records)
    text, notes = write_streamed(records, fmt, size)
    assert text == whole.text
    assert list(map(key, notes)) == list(map(key, whole.diagnostics))


def test_loss_warnings_are_summed_over_batches() -> None:
    _, notes = write_streamed(rich_records(), "ris", 2)
    orcid = [d.message for d in notes if "ORCID" in d.message]
    assert orcid == ["RIS has no place for ORCID: 9 records (o0, o1, o2, ...)"]


def test_key_collisions_across_batches_all_get_suffixes() -> None:
    same = "Same Title Everywhere"
    text = "".join(bib_entry(n, title=same) for n in range(9))
    records = [r.with_field("citation-key", "") for r in read_text(text, "x", "bibtex").records]
    # three pairs of the same author/year/title, each pair split over two batches
    picked = [records[0], records[1], records[0].with_field("id", "k0b"),
              records[2], records[1].with_field("id", "k1b"), records[2].with_field("id", "k2b")]
    whole = registry.get("bibtex").writer(picked)
    streamed_text, _ = write_streamed(picked, "bibtex", 2)
    assert streamed_text == whole.text
    heads = [line for line in streamed_text.splitlines() if line.startswith("@")]
    assert heads == ["@article{bielicki1990samea,", "@article{bielicki1991samea,",
                     "@article{bielicki1990sameb,", "@article{bielicki1992samea,",
                     "@article{bielicki1991sameb,", "@article{bielicki1992sameb,"]
    patterned, _ = write_streamed(picked, "bibtex", 2, key_pattern="{author}")
    assert patterned == registry.get("bibtex").writer(picked, key_pattern="{author}").text
    assert "@article{bielickif," in patterned


def test_unique_ids_go_on_across_batches_and_name_the_source() -> None:
    unique = UniqueIds()
    a, notes_a = unique([Record(id="x"), Record(id="y")], "a.bib")
    b, notes_b = unique([Record(id="x"), Record(id="x")], "b.ris")
    assert [r.id for r in a + b] == ["x", "y", "x-2", "x-3"]
    assert not notes_a
    assert [(d.message, d.source) for d in notes_b] == [
        ("duplicate id 'x' renamed to 'x-2'", "b.ris"),
        ("duplicate id 'x' renamed to 'x-3'", "b.ris")]


# --- the CLI on more than one batch ------------------------------------------------------


def run(*args: str) -> tuple[int, str, str]:
    """The CLI in-process; a failure's one line (printed by ``citetool.cli.main``) is added
    to stderr; stdout as written (CliRunner's ``stdout`` turns RIS's CRLF into LF)."""
    result = CliRunner().invoke(app, list(args))
    err = result.stderr
    code = result.exit_code
    if isinstance(result.exception, Abort):
        err += f"citetool: error: {result.exception.message}\n"
        code = result.exception.code
    return code, result.stdout_bytes.decode("utf-8"), err


@pytest.fixture(scope="module")
def big_bib(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    text = macro_bib(1_200)
    path = tmp_path_factory.mktemp("big") / "big.bib"
    path.write_text(text, encoding="utf-8")
    return path, text


@pytest.mark.parametrize("fmt", FORMATS)
def test_cli_export_of_many_batches_equals_whole_conversion(
        big_bib: tuple[Path, str], fmt: str) -> None:
    path, text = big_bib
    code, out, err = run("export", str(path), "--to", fmt)
    assert code == 0, err
    whole = registry.get(fmt).writer(read_text(text, str(path), "bibtex").records)
    assert out == whole.text
    line = text[: text.index("@article{broken")].count("\n") + 1
    assert f"{path}:{line}:" in err, err
    assert "Traceback" not in err


def test_cli_streams_several_sources_with_renamed_ids(big_bib: tuple[Path, str],
                                                     tmp_path: Path) -> None:
    path, _ = big_bib
    ris = tmp_path / "more.ris"
    ris.write_text(ris_text(1_100).replace("ID  - r7\n", "ID  - key7\n"), encoding="utf-8")
    code, out, err = run("export", str(path), str(ris), "--to", "csljson", "--set",
                         "note=batch")
    assert code == 0, err
    items = json.loads(out)
    ids = [i["id"] for i in items]
    assert len(ids) == len(set(ids)) == 1_200 + 1_100
    assert "key7-2" in ids and f"{ris}: warning: duplicate id 'key7' renamed" in err
    assert {i["note"] for i in items} == {"batch"}


def test_cli_strict_writes_nothing_on_a_late_problem(big_bib: tuple[Path, str],
                                                     tmp_path: Path) -> None:
    path, _ = big_bib
    code, out, err = run("export", str(path), "--to", "csljson", "--strict")
    assert code == 1 and out == "" and "--strict" in err
    target = tmp_path / "out.json"
    target.write_text("old", encoding="utf-8")
    code, out, err = run("export", str(path), "-o", str(target), "--strict")
    assert code == 1 and target.read_text(encoding="utf-8") == "old"
    assert not [p for p in tmp_path.iterdir() if p.name != "out.json"]
    code, _, err = run("export", str(path), "-o", str(target))
    assert code == 0, err
    assert len(json.loads(target.read_text(encoding="utf-8"))) == 1_200


def test_cli_strict_to_stdout_succeeds_when_all_is_clean(tmp_path: Path) -> None:
    path = tmp_path / "clean.bib"
    path.write_text("@string{jrnl = {J}}\n" + "".join(bib_entry(n) for n in range(1_100)),
                    encoding="utf-8")
    code, out, err = run("export", str(path), "--to", "csljson", "--strict")
    assert code == 0, err
    assert len(json.loads(out)) == 1_100


def test_progress_bar_on_a_tty_goes_to_stderr_only(monkeypatch: pytest.MonkeyPatch,
                                                   tmp_path: Path) -> None:
    from rich.console import Console

    from citetool.cli import common

    path = tmp_path / "long.bib"
    path.write_text("".join(bib_entry(n, title="x" * 800) for n in range(1_300)), "utf-8")
    assert path.stat().st_size > 1_000_000
    screen = io.StringIO()
    monkeypatch.setattr(common, "_stderr", Console(file=screen, force_terminal=True, width=100))
    monkeypatch.setattr("citetool.resolve.stderr_is_tty", lambda: True)
    code, out, err = run("export", str(path), "--to", "csljson")
    assert code == 0, err
    assert len(json.loads(out)) == 1_300  # stdout: the data and nothing else
    assert "records" in screen.getvalue() and "long.bib" in screen.getvalue()


def test_progress_bar_is_off_in_a_pipe(tmp_path: Path) -> None:
    path = tmp_path / "long.bib"
    path.write_text("@string{jrnl = {J}}\n" + "".join(
        bib_entry(n, title="x" * 800) for n in range(1_300)), "utf-8")
    done = subprocess.run([sys.executable, "-m", "citetool", "export", str(path)],
                          capture_output=True, timeout=120)
    assert done.returncode == 0
    assert done.stderr == b""
    assert len(json.loads(done.stdout)) == 1_300


# --- memory ----------------------------------------------------------------------------------


class Discard(io.TextIOBase):
    def write(self, text: str) -> int:
        return len(text)


def peak_for(count: int) -> int:
    """Peak traced memory of reading ``count`` BibTeX entries in batches (500) and writing
    them as CSL-JSON (to a sink that keeps nothing); the source text is made before."""
    text = "".join(
        f"@article{{k{n},\n  author = {{Bielicki, Pawe{{\\l}} and Doe, Jane}},\n"
        f"  title = {{Relacje part {n}: {{DNA}}}},\n  year = {1990 + n % 30},\n}}\n"
        for n in range(count))
    f = registry.get("csljson")
    tracemalloc.start()
    try:
        writer = StreamWriter(f, Discard())
        unique = UniqueIds()
        for batch in batches(text, "x", "bibtex"):
            writer.add(unique(batch.records, "x")[0])
        writer.finish()
        assert writer.count == count
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_the_number_of_records() -> None:
    peak_for(200)  # warm the readers' caches
    small, large = peak_for(2_000), peak_for(20_000)
    # whole-file reading holds every record: 10x the records would be ~10x the peak. What
    # grows here is the set of ids seen (unique ids across the run), ~150 bytes a record.
    assert large < 2 * small, (small, large)
    assert (large - small) / 18_000 < 300, (small, large)


@pytest.mark.slow
def test_fifty_megabyte_bib_to_csljson_peak_rss(tmp_path: Path) -> None:
    """Measured 2026-11-25 on 2 cores (78,537 entries): 222-238 MB peak RSS, 28-31 s; before
    streaming 1,004-1,014 MB, 29-37 s; output byte-identical. Most of what is left is the
    source text itself (50 MB of UTF-8 with 'ł' is 100 MB as a str, plus its bytes while
    decoding). The RSS is read in a small wrapper process: a child forked straight from
    pytest starts with pytest's own RSS as its maximum."""
    from test_malformed import _write_big_bib

    path = tmp_path / "big.bib"
    count = _write_big_bib(path, 50)
    script = (
        "import resource, subprocess, sys\n"
        "with open(sys.argv[2], 'wb') as out:\n"
        "    code = subprocess.run([sys.executable, '-m', 'citetool', 'export', sys.argv[1],"
        " '--to', 'csljson'], stdout=out).returncode\n"
        "print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-c", script, str(path), str(tmp_path / "out.json")],
                          capture_output=True, text=True, timeout=900,
                          env={**os.environ, "NO_COLOR": "1"})
    seconds = time.monotonic() - start
    code, kb = map(int, done.stdout.split())
    peak = kb / 1024 if sys.platform != "darwin" else kb / 1024 / 1024
    print(f"50 MB .bib -> CSL-JSON: {count} entries, {seconds:.1f} s, peak RSS {peak:.0f} MB")
    assert code == 0, done.stderr
    with (tmp_path / "out.json").open(encoding="utf-8") as handle:
        assert len(json.load(handle)) == count
    assert peak < 300, peak


def test_several_sources_to_bibtex_resolve_key_collisions_across_files(tmp_path: Path) -> None:
    """Issue 5, item 2: ``citetool export a.bib b.bib c.ris --to bibtex``."""
    a, b, c = tmp_path / "a.bib", tmp_path / "b.bib", tmp_path / "c.ris"
    a.write_text("@string{jrnl = {J}}\n" + bib_entry(1, key="smith") + bib_entry(2), "utf-8")
    b.write_text("@string{jrnl = {J}}\n" + bib_entry(3, key="smith"), "utf-8")
    c.write_text("TY  - JOUR\nID  - key2\nAU  - Bielicki, Paweł\nTI  - Relacje part 1\n"
                 "PY  - 1991\nER  - \n", "utf-8")
    code, out, err = run("export", str(a), str(b), str(c), "--to", "bibtex")
    assert code == 0, err
    heads = [line for line in out.splitlines() if line.startswith("@")]
    assert heads == ["@article{smitha,", "@article{key2,", "@article{smithb,",
                     "@article{bielicki1991relacje,"]
    assert f"{b}: warning: duplicate id 'smith' renamed to 'smith-2'" in err
    assert f"{c}: warning: duplicate id 'key2' renamed to 'key2-2'" in err
    records = [r for p, f in ((a, "bibtex"), (b, "bibtex"), (c, "ris"))
               for r in read_text(p.read_text("utf-8"), str(p), f).records]
    from citetool.normalize import unique_ids

    assert out == registry.get("bibtex").writer(unique_ids(records)[0]).text


# --- batches read and written in worker processes ------------------------------------------


def _render(records: list[Record]) -> tuple[list[str], str, list[Diagnostic], None]:
    result = registry.get("csljson").writer(records)
    return [r.id for r in records], result.text, list(result.diagnostics), None


def test_batches_rendered_in_workers_are_what_the_parent_would_write(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks read and written in forked workers: the same diagnostics, the same text, and a
    chunk whose key was taken by an earlier chunk (``key3``) read again here and renamed."""
    monkeypatch.setenv("CITETOOL_WORKERS", "2")
    text = macro_bib(300)
    serial = list(batches(text, "x.bib", "bibtex", size=40))
    apart = list(batches(text, "x.bib", "bibtex", size=40, render=_render))
    assert len(apart) == len(serial) > 5
    assert [b.diagnostics for b in apart] == [b.diagnostics for b in serial]
    assert [b.position for b in apart] == [b.position for b in serial]
    rendered = [b for b in apart if b.rendered is not None]
    assert len(rendered) >= len(apart) - 1  # all but the chunk with the taken key
    for done, plain in zip(apart, serial, strict=True):
        if done.rendered is None:
            assert done.records == plain.records
            assert any(r.id == "key3-2" for r in plain.records)
            continue
        assert done.records == []
        assert done.rendered.ids == [r.id for r in plain.records]
        assert done.rendered.text == _render(plain.records)[1]
        assert done.rendered.records() == plain.records


def test_imap_ordered_keeps_order_and_survives_failing_workers() -> None:
    from citetool.parallel import imap_ordered

    parent = os.getpid()

    def work(n: int) -> int:
        if os.getpid() != parent and n == 5:
            raise ValueError("a failing job")
        if os.getpid() != parent and n == 9:
            os._exit(3)  # a worker that dies: its later jobs are done by the caller
        return n * n

    got = list(imap_ordered(work, range(20), 3))
    assert [job for job, _ in got] == list(range(20))
    assert all(result is None or result == job * job for job, result in got)
    assert got[5][1] is None and got[9][1] is None
    assert sum(result is not None for _, result in got) >= 12
    assert list(imap_ordered(work, range(4), 1)) == [(n, n * n) for n in range(4)]


@pytest.mark.parametrize("fmt", ["csljson", "cslyaml", "ris", "bibtex", "biblatex"])
def test_cli_export_in_workers_equals_serial(big_bib: tuple[Path, str], tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch,
                                             fmt: str) -> None:
    """The whole command with 1, 2 and 3 worker processes: the same bytes on stdout and the
    same lines on stderr, with ids taken across sources (renamed) and --set."""
    path, _ = big_bib
    more = tmp_path / "more.bib"
    more.write_text("@string{jrnl = {J}}\n" + "".join(bib_entry(n) for n in range(900)),
                    encoding="utf-8")
    outputs = set()
    for workers in ("1", "2", "3"):
        monkeypatch.setenv("CITETOOL_WORKERS", workers)
        code, out, err = run("export", str(path), str(more), "--to", fmt, "--set", "note=x")
        assert code == 0, err
        outputs.add((out, err))
        if fmt == "bibtex":  # keys from a pattern, colliding across batches and files
            code, keyed, err = run("export", str(more), str(path), "--to", fmt,
                                   "--key-pattern", "{author}{year}")
            assert code == 0, err
            outputs.add((keyed, err))
    assert len(outputs) == (2 if fmt == "bibtex" else 1)
    out, err = sorted(outputs)[0] if fmt != "bibtex" else next(
        o for o in outputs if "note = {x}" in o[0])
    assert "duplicate id 'key5' renamed" in err
    if fmt == "bibtex":
        keyed = next(o for o in outputs if "note = {x}" not in o[0])[0]
        assert "@article{bielicki1990a," in keyed and "citetoolkey" not in keyed
        assert keyed.count("\n@") + 1 == 900 + 1_200
    if fmt not in ("bibtex", "biblatex"):  # BibTeX output says it with keys key5a, key5b
        assert "key5-2" in out


def test_workers_never_repeat_output_already_written(big_bib: tuple[Path, str],
                                                     tmp_path: Path) -> None:
    """A real process writing to a pipe and to -o FILE: a small source first (its output
    still in the buffers when the workers for the big one are forked), then the big one."""
    path, _ = big_bib
    small = tmp_path / "small.bib"
    small.write_text("".join(bib_entry(n, key=f"s{n}") for n in range(3)), encoding="utf-8")
    results = []
    for workers in ("1", "2"):
        env = {**os.environ, "CITETOOL_WORKERS": workers, "NO_COLOR": "1"}
        target = tmp_path / f"out{workers}.ris"
        piped = subprocess.run([sys.executable, "-m", "citetool", "export", str(small),
                                str(path), "--to", "csljson"], capture_output=True, env=env,
                               timeout=120, check=False)
        filed = subprocess.run([sys.executable, "-m", "citetool", "export", str(small),
                                str(path), "-o", str(target)], capture_output=True, env=env,
                               timeout=120, check=False)
        assert piped.returncode == filed.returncode == 0, piped.stderr + filed.stderr
        results.append((piped.stdout, piped.stderr, target.read_bytes()))
    assert results[0] == results[1]
    assert len(json.loads(results[0][0])) == 1_200 + 3


def test_ctrl_c_during_export_in_workers(tmp_path: Path) -> None:
    """Ctrl-C at a terminal reaches the whole process group, workers included: exit 130 with
    no traceback (from the parent or a worker), no file or temporary file, no process left."""
    import signal

    path = tmp_path / "big.bib"
    path.write_text("@string{jrnl = {J}}\n" + "".join(bib_entry(n) for n in range(60_000)),
                    encoding="utf-8")  # ~3 s of work: every interrupt below lands mid-run
    env = {**os.environ, "CITETOOL_WORKERS": "2", "NO_COLOR": "1"}
    env.pop("CITETOOL_DEBUG", None)
    for delay in (0.4, 0.8, 1.2):
        proc = subprocess.Popen([sys.executable, "-m", "citetool", "export", str(path), "-o",
                                 str(tmp_path / "out.json")], env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, start_new_session=True)
        time.sleep(delay)
        os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=120)
        assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
        assert proc.returncode in (130, 0), (proc.returncode, err)
        if proc.returncode == 130:
            assert sorted(p.name for p in tmp_path.iterdir()) == ["big.bib"]
        deadline = time.monotonic() + 10
        while True:  # the workers are gone with their parent
            try:
                os.killpg(proc.pid, 0)
            except ProcessLookupError:
                break
            assert time.monotonic() < deadline, "a worker outlived the command"
            time.sleep(0.05)
