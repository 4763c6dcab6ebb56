"""Issue 6: malformed input never gives a traceback, never loses the good records.

Every file in ``tests/malformed/`` (see its README) goes through the real CLI,
``python -m citetool export FILE --to csljson``, and must keep the contract:

* exit code 0 or 1; exit 1 writes nothing on stdout, exit 0 writes a JSON list;
* stderr holds only ``citetool: ...`` lines (one line per problem, no traceback, no
  "internal error"), and each names the file;

then each case checks what matters for it (the good entries kept, the line of the bad one,
the encoding named, ``--strict``). Cases whose reader module does not exist yet are skipped
with the module's name, so they run as soon as it lands. The large inputs (10,000-level
nested braces, a 50 MB ``.bib``) are generated into ``tmp_path``.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from citetool.errors import ReadError
from citetool.io import decode

MALFORMED = Path(__file__).resolve().parent / "malformed"
ROOT = MALFORMED.parent.parent

READER_BY_SUFFIX = {
    ".bib": "citetool.readers.bibtex",
    ".ris": "citetool.readers.ris",
    ".json": "citetool.readers.csljson",
    ".yaml": "citetool.readers.csljson",
    ".txt": "citetool.readers.landing",
    ".html": "citetool.readers.html",
}


def have(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


@dataclass
class Run:
    name: str
    returncode: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def items(self) -> list[dict[str, Any]]:
        return json.loads(self.stdout) if self.stdout.strip() else []

    @property
    def ids(self) -> list[str]:
        return [item["id"] for item in self.items]

    @property
    def titles(self) -> list[str]:
        return [item.get("title", "") for item in self.items]

    def lines_named(self) -> list[int]:
        """Line numbers stderr gives for this file (``name:12: ...``)."""
        pattern = re.compile(re.escape(self.name) + r":(\d+):")
        return [int(m.group(1)) for m in pattern.finditer(self.stderr)]

    def names_line_in(self, first: int, last: int) -> bool:
        return any(first <= n <= last for n in self.lines_named())


def run_export(path: Path, *args: str, cwd: Path | None = None, timeout: float = 120,
               env: dict[str, str] | None = None) -> Run:
    """``citetool export FILE --to csljson ARGS`` in a subprocess, from the file's folder."""
    folder = cwd or path.parent
    full_env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "80", **(env or {})}
    full_env.pop("CITETOOL_DEBUG", None)
    start = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "citetool", "export", path.name, "--to", "csljson", *args],
        capture_output=True, cwd=folder, env=full_env, timeout=timeout, check=False,
    )
    return Run(path.name, proc.returncode, proc.stdout.decode("utf-8"),
               proc.stderr.decode("utf-8", "replace"), time.monotonic() - start)


def check_contract(run: Run) -> None:
    """What every malformed input must give, whatever the format."""
    assert run.returncode in (0, 1), (run.returncode, run.stderr)
    assert "Traceback" not in run.stderr, run.stderr
    assert "internal error" not in run.stderr, run.stderr
    for line in run.stderr.splitlines():
        assert line.startswith("citetool: "), f"stray stderr line (multi-line message?): {line!r}"
        assert run.name in line, f"stderr line does not name {run.name}: {line!r}"
    if run.returncode == 1:
        assert run.stdout == "", "exit 1 must write nothing on stdout"
        assert "error" in run.stderr
    else:
        items = run.items  # valid JSON or the test fails here
        assert isinstance(items, list) and items, "exit 0 must output at least one record"
        for item in items:
            for key, value in item.items():
                if isinstance(value, str):
                    assert "\r" not in value and "\x00" not in value, (key, value)
                    assert not value.startswith("\ufeff"), (key, value)


# --- per-case expectations -------------------------------------------------------------


def keeps(*ids: str, exit_code: int = 0) -> Callable[[Run], None]:
    def check(run: Run) -> None:
        assert run.returncode == exit_code, run.stderr
        for rid in ids:
            assert rid in run.ids, f"good record {rid!r} lost: {run.ids} / {run.stderr}"
    return check


def keeps_titles(*titles: str) -> Callable[[Run], None]:
    def check(run: Run) -> None:
        assert run.returncode == 0, run.stderr
        for title in titles:
            assert any(title in t for t in run.titles), f"{title!r} lost: {run.titles}"
    return check


def reports_line(first: int, last: int | None = None) -> Callable[[Run], None]:
    def check(run: Run) -> None:
        assert run.names_line_in(first, last or first), (
            f"no diagnostic names {run.name} lines {first}-{last or first}: {run.stderr!r}")
    return check


def fails_with(*words: str) -> Callable[[Run], None]:
    def check(run: Run) -> None:
        assert run.returncode == 1, run.stdout
        low = run.stderr.lower()
        assert any(w in low for w in words), run.stderr
    return check


def says(*words: str) -> Callable[[Run], None]:
    def check(run: Run) -> None:
        low = run.stderr.lower()
        assert all(w.lower() in low for w in words), run.stderr
    return check


def output_contains(*texts: str) -> Callable[[Run], None]:
    def check(run: Run) -> None:
        assert run.returncode == 0, run.stderr
        for text in texts:
            assert text in run.stdout, f"{text!r} not in output"
    return check


def no_warnings(run: Run) -> None:
    assert run.stderr == "", run.stderr


@dataclass(frozen=True)
class Case:
    file: str
    checks: tuple[Callable[[Run], None], ...] = ()
    args: tuple[str, ...] = ()
    strict_fails: bool = False  # with --strict: exit 1, nothing on stdout
    needs: str | None = field(default=None)

    @property
    def module(self) -> str | None:
        if self.needs is not None:
            return self.needs or None
        return READER_BY_SUFFIX.get(Path(self.file).suffix)

    @property
    def id(self) -> str:
        return self.file + ("[" + " ".join(self.args) + "]" if self.args else "")


NO_READER = ""  # the input is refused before any reader runs

CASES = [
    # BibTeX
    Case("bib-unbalanced-braces.bib", (keeps("good1", "good2"), reports_line(9, 13)),
         strict_fails=True),
    Case("bib-unterminated-string.bib", (keeps("good1", "good2"), reports_line(9, 13)),
         strict_fails=True),
    Case("bib-duplicate-keys.bib",
         (keeps_titles("Relacje kazachsko-rosyjskie", "Same key, different work"),
          reports_line(9), says("good1")), strict_fails=True),
    Case("bib-no-key.bib", (keeps("good1", "good2"), reports_line(9, 13)), strict_fails=True),
    Case("bib-string-loop.bib", (keeps("good2"), reports_line(1, 9)), strict_fails=True),
    Case("bib-invalid-utf8.bib",
         (output_contains("Paweł", "\ufffd"), reports_line(3), says("utf-8", "U+FFFD")),
         strict_fails=True),
    Case("bib-cp1250-polish.bib",
         (output_contains("Paweł", "bezpieczeństwa", "Łódź", "Śląsk", "ąę"),
          reports_line(2), says("cp1250")), strict_fails=True),
    Case("bib-cp1250-polish.bib", (output_contains("Paweł", "Łódź", "Kraków"), no_warnings),
         args=("--encoding", "cp1250")),
    Case("bib-bom.bib", (keeps("good1"), no_warnings)),
    Case("bib-crlf.bib", (keeps("good1", "good2"), keeps_titles("A good book"), no_warnings)),
    Case("utf16-bom.bib", (keeps("good1"), output_contains("Paweł"), no_warnings)),
    Case("bib-nul-bytes.bib", (keeps("good1", "good2"), keeps_titles("A good book"),
                               reports_line(11), says("NUL")), strict_fails=True),
    Case("bib-empty.bib", (fails_with("no records", "empty"),)),
    Case("bib-whitespace-only.bib", (fails_with("no records", "empty"),)),
    Case("bib-comment-only.bib", (fails_with("no records", "empty"),)),
    Case("image.png", (fails_with("binary"), says("PNG")), needs=NO_READER),
    Case("image-named-bib.bib", (fails_with("binary"), says("PNG")), needs=NO_READER),
    Case("bib-cp1250-polish.bib", (fails_with("not valid utf-8"), reports_line(2)),
         args=("--encoding", "utf-8")),
    # --encoding klingon: a usage error (exit 2) since issue 17, tests/test_options.py
    # RIS
    # a last record without ER is tolerated (kept, no warning: the RIS reader's choice)
    Case("ris-no-er.ris",
         (keeps_titles("Relacje kazachsko-rosyjskie", "A Book Whose Record Never Ends"),)),
    Case("ris-missing-er-mid.ris",
         (keeps_titles("Relacje kazachsko-rosyjskie", "The record after the missing ER"),
          reports_line(1, 6)), strict_fails=True),
    Case("ris-unknown-tags.ris",
         (keeps_titles("Unknown tags are kept"),
          output_contains("unknown-tag-value-xx", "unknown-tag-value-z9"))),
    Case("ris-crlf.ris", (keeps_titles("Relacje kazachsko-rosyjskie", "Second"), no_warnings)),
    Case("ris-bom.ris", (keeps_titles("Relacje kazachsko-rosyjskie"), no_warnings)),
    Case("ris-dos-eof.ris", (keeps_titles("Written by an old Windows tool"), no_warnings)),
    Case("ris-cp1250-polish.ris",
         (output_contains("Paweł", "Śląsku", "bezpieczeństwo"), reports_line(2), says("cp1250")),
         strict_fails=True),
    Case("ris-cp1250-polish.ris", (output_contains("Paweł", "Śląsku"), no_warnings),
         args=("--encoding", "cp1250")),
    Case("ris-garbage-between-records.ris",
         (keeps_titles("Relacje kazachsko-rosyjskie", "Second record"), reports_line(10, 11)),
         strict_fails=True),
    Case("ris-bad-start.ris", (keeps_titles("Relacje kazachsko-rosyjskie"), reports_line(1, 3)),
         strict_fails=True),
    # CSL-JSON / YAML
    Case("json-syntax-error.json", (fails_with("invalid json"), reports_line(3))),
    Case("json-truncated.json", (fails_with("invalid json"), reports_line(3))),
    Case("json-wrong-types.json", (keeps("good", "good2"), reports_line(3), reports_line(4),
                                   says("'author'", "'issued'")), strict_fails=True),
    Case("json-wrong-types-more.json",
         (keeps("ok"), reports_line(2), reports_line(3), reports_line(4), reports_line(5),
          reports_line(6)), strict_fails=True),
    Case("json-wrong-shapes.json",
         (keeps("ok", "bare-keyword"), *(reports_line(n) for n in range(2, 10)),
          says("'ORCID' must be a string", "'affiliation' must be", "whole numbers, not 'x'",
               "'family' must be a string", "'season' must be a string",
               "'literal' must be a string", "whole numbers, not 2020.5", "at most 2"),
          output_contains('"single"')), strict_fails=True),
    Case("json-not-a-list.json", (fails_with("expected a list"), reports_line(1))),
    Case("yaml-syntax-error.yaml", (fails_with("invalid yaml"), reports_line(4, 6))),
    Case("yaml-wrong-types.yaml", (keeps("good", "good2"), reports_line(6), reports_line(9)),
         strict_fails=True),
    Case("yaml-alias-bomb.yaml", (fails_with("alias"),)),
    # landing pages
    Case("landing-no-title.txt", (says("title"),)),
    Case("landing-no-authors.txt", (says("author"),)),
    Case("html-no-metadata.html", (fails_with("title", "metadata"),)),
    Case("html-broken.html", ()),
    # styles given where records are expected: refused, one line
    Case("csl-not-csl.csl", (fails_with("format", "no records"),), needs=NO_READER),
    Case("csl-not-xml.csl", (fails_with("format", "no records"),), needs=NO_READER),
    Case("csl-xxe.csl", (fails_with("format", "no records"),), needs=NO_READER),
    Case("csl-billion-laughs.csl", (fails_with("format", "no records"),), needs=NO_READER),
]


def _skip_unless_reader(case: Case) -> None:
    if case.module and not have(case.module):
        pytest.skip(f"{case.module} does not exist yet")


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_malformed_file(case: Case) -> None:
    _skip_unless_reader(case)
    run = run_export(MALFORMED / case.file, *case.args)
    check_contract(run)
    for check in case.checks:
        check(run)


STRICT = [c for c in CASES if c.strict_fails]


@pytest.mark.parametrize("case", STRICT, ids=[c.id for c in STRICT])
def test_strict_turns_reported_problems_into_exit_1_with_nothing_written(case: Case) -> None:
    _skip_unless_reader(case)
    run = run_export(MALFORMED / case.file, *case.args, "--strict")
    check_contract(run)
    assert run.returncode == 1 and run.stdout == "", run.stderr
    assert "--strict" in run.stderr


def test_every_corpus_file_is_covered_and_listed_in_the_readme() -> None:
    files = {p.name for p in MALFORMED.iterdir() if p.name != "README.md"}
    covered = {c.file for c in CASES}
    assert files == covered, (files - covered, covered - files)
    readme = (MALFORMED / "README.md").read_text(encoding="utf-8")
    missing = [name for name in sorted(files) if f"`{name}`" not in readme]
    assert not missing, f"not described in tests/malformed/README.md: {missing}"


def test_a_bad_source_beside_a_good_one_keeps_the_good_one(tmp_path: Path) -> None:
    shutil.copy(MALFORMED / "json-wrong-types.json", tmp_path / "mixed.json")
    shutil.copy(MALFORMED / "json-syntax-error.json", tmp_path / "broken.json")
    full_env = {**os.environ, "NO_COLOR": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "citetool", "export", "broken.json", "mixed.json", "--to",
         "csljson"], capture_output=True, cwd=tmp_path, env=full_env, timeout=60, check=False)
    err = proc.stderr.decode()
    assert proc.returncode == 1, err  # a source that cannot be read: exit 1 (issue 17)
    assert "broken.json:3:" in err and "mixed.json:3:" in err
    assert [i["id"] for i in json.loads(proc.stdout)] == ["good", "good2"]


# --- generated inputs: deep nesting, huge files ----------------------------------------

GOOD2 = "@book{good2,\n  author = {Doe, Jane},\n  title = {A Good Book},\n  year = {2019},\n}\n"


@pytest.mark.parametrize("closed", [True, False], ids=["balanced", "never-closed"])
def test_ten_thousand_nested_braces(tmp_path: Path, closed: bool) -> None:
    if not have("citetool.readers.bibtex"):
        pytest.skip("citetool.readers.bibtex does not exist yet")
    depth = 10_000
    inner = "{" * depth + "deep" + ("}" * depth if closed else "")
    path = tmp_path / "nested.bib"
    path.write_text(f"{GOOD2}\n@article{{deep,\n  title = {inner},\n  year = 2020,\n}}\n",
                    encoding="utf-8")
    run = run_export(path, timeout=60)
    check_contract(run)
    assert run.seconds < 30
    if run.returncode == 0:
        assert "good2" in run.ids
    if not closed:
        assert run.names_line_in(7, 9), run.stderr


def test_ten_thousand_nested_json_arrays(tmp_path: Path) -> None:
    path = tmp_path / "nested.json"
    path.write_text("[" * 10_000 + "]" * 10_000, encoding="utf-8")
    run = run_export(path, timeout=60)
    check_contract(run)
    assert run.returncode == 1


def test_size_limit_is_a_clear_one_line_refusal(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_text(json.dumps([{"id": f"i{n}", "title": "x" * 100} for n in range(100)]))
    run = run_export(path, env={"CITETOOL_MAX_INPUT_BYTES": "1000"})
    check_contract(run)
    assert run.returncode == 1
    assert "too large" in run.stderr and "CITETOOL_MAX_INPUT_BYTES" in run.stderr


def _write_big_bib(path: Path, megabytes: int) -> int:
    entry = (
        "@article{{key{n},\n  author = {{Bielicki, Paweł and Doe, Jane}},\n"
        "  title = {{Relacje kazachsko-rosyjskie, part {n}: {{DNA}} and bezpieczeństwo}},\n"
        "  journal = {{Annales Universitatis Paedagogicae Cracoviensis}},\n"
        "  year = {{{year}}},\n  volume = {{{n}}},\n  pages = {{51--71}},\n"
        "  abstract = {{{abstract}}},\n}}\n\n"
    )
    abstract = "Przedmiotem mojego zainteresowania jest przedstawienie relacji. " * 6
    count = 0
    written = 0
    with path.open("w", encoding="utf-8") as handle:
        while written < megabytes * 1024 * 1024:
            text = entry.format(n=count, year=1990 + count % 30, abstract=abstract)
            handle.write(text)
            written += len(text.encode())
            count += 1
    return count


def run_measured(path: Path, timeout: float) -> tuple[Run, float]:
    """``run_export`` that also returns the child's own peak RSS in MB (``os.wait4``)."""
    full_env = {**os.environ, "NO_COLOR": "1"}
    full_env.pop("CITETOOL_DEBUG", None)
    out, err = path.with_suffix(".stdout"), path.with_suffix(".stderr")
    start = time.monotonic()
    with out.open("wb") as stdout, err.open("wb") as stderr:
        proc = subprocess.Popen(
            [sys.executable, "-m", "citetool", "export", path.name, "--to", "csljson"],
            stdout=stdout, stderr=stderr, cwd=path.parent, env=full_env)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                proc.kill()
                raise AssertionError(f"no result after {timeout} s")
            time.sleep(0.2)
    proc.returncode = os.waitstatus_to_exitcode(status)
    peak = usage.ru_maxrss / (1024 if sys.platform != "darwin" else 1024 * 1024)
    run = Run(path.name, proc.returncode, out.read_text(encoding="utf-8"),
              err.read_text(encoding="utf-8", errors="replace"), time.monotonic() - start)
    return run, peak


@pytest.mark.slow
def test_fifty_megabyte_bib_in_bounded_memory_or_refused(tmp_path: Path) -> None:
    """Acceptance: the 50 MB file is handled in bounded memory or refused clearly."""
    if not have("citetool.readers.bibtex"):
        pytest.skip("citetool.readers.bibtex does not exist yet")
    path = tmp_path / "big.bib"
    count = _write_big_bib(path, 50)
    run, peak = run_measured(path, timeout=900)
    check_contract(run)
    print(f"50 MB .bib: {count} entries, exit {run.returncode}, {run.seconds:.1f} s, "
          f"peak RSS {peak:.0f} MB")
    assert peak < 1500, f"peak RSS {peak:.0f} MB"
    if run.returncode == 0:
        assert len(run.items) == count
    else:
        assert "too large" in run.stderr


@pytest.mark.slow
def test_fifty_megabyte_csljson_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    item = {"type": "article-journal", "title": "Relacje kazachsko-rosyjskie " * 4,
            "author": [{"family": "Bielicki", "given": "Paweł"}],
            "issued": {"date-parts": [[2020]]}, "abstract": "Lorem ipsum dolor sit amet " * 20}
    count = 0
    with path.open("w", encoding="utf-8") as handle:
        handle.write("[\n")
        while handle.tell() < 50 * 1024 * 1024:
            handle.write(("," if count else "") + json.dumps({"id": f"i{count}", **item}) + "\n")
            count += 1
        handle.write("]\n")
    run, peak = run_measured(path, timeout=600)
    check_contract(run)
    assert run.returncode == 0
    assert len(run.items) == count
    print(f"50 MB CSL-JSON: {count} items, {run.seconds:.1f} s, peak RSS {peak:.0f} MB")
    assert peak < 1200


# --- decoding, unit level --------------------------------------------------------------

POLISH = "Bielicki, Paweł: Relacje i bezpieczeństwo na Śląsku, Łódź, źródło, ąę"


@pytest.mark.parametrize("encoding", ["cp1250", "iso8859_2"])
def test_legacy_central_european_text_is_detected_and_named(encoding: str) -> None:
    text, diagnostics = decode(("ok\n" + POLISH + "\n").encode(encoding), "x.ris")
    assert text == "ok\n" + POLISH + "\n"
    assert len(diagnostics) == 1 and encoding in diagnostics[0].message
    assert diagnostics[0].line == 2 and diagnostics[0].source == "x.ris"


@pytest.mark.parametrize(
    ("text", "encoding"),
    [("Müller, Jürgen: Straße, café à la française, Ñuñez", "cp1252"),
     ("Привет мир, это тест", "cp1251"),
     ("Příliš žluťoučký kůň úpěl ďábelské ódy", "cp1250")],
)
def test_other_legacy_encodings_are_detected(text: str, encoding: str) -> None:
    decoded, diagnostics = decode(text.encode(encoding), "x")
    assert decoded == text
    assert encoding in diagnostics[0].message


def test_mostly_utf8_with_a_broken_byte_stays_utf8() -> None:
    data = "Paweł Bielicki\nŁódź ".encode() + b"\xff" + " Kraków\n".encode()
    text, diagnostics = decode(data, "x.bib")
    assert text == "Paweł Bielicki\nŁódź \ufffd Kraków\n"
    assert diagnostics[0].line == 2 and "U+FFFD" in diagnostics[0].message


def test_utf8_bom_and_utf16_are_read_silently() -> None:
    assert decode(b"\xef\xbb\xbf@article{a,}", "x") == ("@article{a,}", [])
    assert decode("\ufeffPaweł".encode("utf-16-le"), "x") == ("Paweł", [])
    assert decode("Paweł\n".encode("utf-16-be"), "x")[0] == "Paweł\n"  # no BOM
    assert decode("Paweł\nok".encode("utf-16-le"), "x")[0] == "Paweł\nok"


def test_binary_and_nul_bytes() -> None:
    with pytest.raises(ReadError, match="binary file .PDF"):
        decode(b"%PDF-1.7\n\xe2\xe3\xcf\xd3\n", "paper.pdf")
    with pytest.raises(ReadError, match="NUL") as info:
        decode(b"abc\n" + b"\x00\x01\x02\x03" * 100, "blob")
    assert info.value.line == 2
    text, diagnostics = decode(b"line one\nline\x00 two\n" + b"x" * 200, "x")
    assert text.startswith("line one\nline two\n") and diagnostics[0].line == 2


def test_forced_encoding_errors_name_the_line() -> None:
    with pytest.raises(ReadError, match="not valid utf-8") as info:
        decode(b"ok\nok\n\xb3\n", "x.bib", "utf-8")
    assert info.value.line == 3
    with pytest.raises(ReadError, match="unknown encoding"):
        decode(b"ok", "x.bib", "no-such-codec")
    assert decode("Paweł".encode("cp1250"), "x", "cp1250") == ("Paweł", [])


def test_one_corrupt_record_in_thirteen_thousand_is_named_and_the_rest_kept(
        tmp_path: Path) -> None:
    """asreview#332: one corrupt record among 13,000 and no line number."""
    if not have("citetool.readers.ris"):
        pytest.skip("citetool.readers.ris does not exist yet")
    lines: list[str] = []
    bad_line = 0
    for n in range(13_000):
        if n == 6_500:
            bad_line = len(lines) + 1
            lines.append("TY  JOUR")  # the "  - " is missing: not a tag line
        else:
            lines.append("TY  - JOUR")
        lines += [f"AU  - Author{n}, A.", f"TI  - Title {n}", "PY  - 2020", "ER  - ", ""]
    path = tmp_path / "many.ris"
    path.write_text("\n".join(lines), encoding="utf-8")
    run = run_export(path, timeout=300)
    check_contract(run)
    assert run.returncode == 0
    titles = set(run.titles)
    assert len(titles) >= 12_999 and "Title 6499" in titles and "Title 6501" in titles
    assert run.names_line_in(bad_line, bad_line + 5), (bad_line, run.stderr)


NASTY = ["bib-unbalanced-braces.bib", "image.png", "json-wrong-types.json",
         "landing-no-title.txt", "yaml-alias-bomb.yaml"]


def _other_command(command: str, name: str) -> Run:
    full_env = {**os.environ, "NO_COLOR": "1"}
    full_env.pop("CITETOOL_DEBUG", None)
    proc = subprocess.run([sys.executable, "-m", "citetool", command, name],
                          capture_output=True, cwd=MALFORMED, env=full_env, timeout=120,
                          check=False)
    return Run(name, proc.returncode, proc.stdout.decode("utf-8", "replace"),
               proc.stderr.decode("utf-8", "replace"), 0.0)


def _check_other(run: Run, command: str) -> None:
    assert run.returncode in (0, 1), (run.returncode, run.stderr)
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr, run.stderr
    for line in run.stderr.splitlines():
        assert line.startswith("citetool: "), line
        if command != "check":  # check's findings name the record id, not the file
            assert run.name in line, line
    if run.returncode == 1 and command != "check":  # check reports, then exits 1 on findings
        assert run.stdout == ""


@pytest.mark.parametrize("command", ["show", "cite", "check"])
@pytest.mark.parametrize("name", NASTY)
def test_other_commands_keep_the_contract(command: str, name: str) -> None:
    module = READER_BY_SUFFIX.get(Path(name).suffix)
    if module and not have(module):
        pytest.skip(f"{module} does not exist yet")
    _check_other(_other_command(command, name), command)


ALL_FILES = sorted(p.name for p in MALFORMED.iterdir() if p.name != "README.md")


@pytest.mark.slow
@pytest.mark.parametrize("command", ["show", "cite", "check"])
@pytest.mark.parametrize("name", ALL_FILES)
def test_other_commands_keep_the_contract_on_every_file(command: str, name: str) -> None:
    module = READER_BY_SUFFIX.get(Path(name).suffix)
    if module and not have(module):
        pytest.skip(f"{module} does not exist yet")
    _check_other(_other_command(command, name), command)


@pytest.mark.parametrize(
    ("name", "args", "words"),
    [("image.png", (), ("binary", "png")),
     ("bib-empty.bib", ("--from", "bibtex"), ("empty", "no records")),
     ("json-wrong-types.json", (), ("'author'",))],
)
def test_stdin_gets_the_same_one_line_errors(name: str, args: tuple[str, ...],
                                            words: tuple[str, ...]) -> None:
    module = READER_BY_SUFFIX.get(Path(name).suffix)
    if name != "image.png" and module and not have(module):
        pytest.skip(f"{module} does not exist yet")
    full_env = {**os.environ, "NO_COLOR": "1"}
    full_env.pop("CITETOOL_DEBUG", None)
    proc = subprocess.run([sys.executable, "-m", "citetool", "export", "--to", "csljson", *args],
                          input=(MALFORMED / name).read_bytes(), capture_output=True,
                          env=full_env, timeout=60, check=False)
    run = Run("<stdin>", proc.returncode, proc.stdout.decode(), proc.stderr.decode(), 0.0)
    check_contract(run)
    assert any(w in run.stderr.lower() for w in words), run.stderr


def test_stdin_in_cp1250_is_detected_and_forced() -> None:
    if not have("citetool.readers.ris"):
        pytest.skip("citetool.readers.ris does not exist yet")
    data = (MALFORMED / "ris-cp1250-polish.ris").read_bytes()
    full_env = {**os.environ, "NO_COLOR": "1"}
    for args, warned in (((), True), (("--encoding", "cp1250"), False)):
        proc = subprocess.run([sys.executable, "-m", "citetool", "export", "--to", "csljson",
                               *args], input=data, capture_output=True, env=full_env,
                              timeout=60, check=False)
        assert proc.returncode == 0, proc.stderr
        assert "Paweł" in proc.stdout.decode()
        assert ("cp1250" in proc.stderr.decode()) is warned, proc.stderr


def test_the_same_id_in_two_files_is_reported_naming_the_file(tmp_path: Path) -> None:
    """Both records are kept (renamed), and the rename line says which file it is about."""
    (tmp_path / "one.json").write_text(json.dumps([{"id": "same", "title": "One"}]))
    (tmp_path / "two.json").write_text(json.dumps([{"id": "same", "title": "Two"}]))
    full_env = {**os.environ, "NO_COLOR": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "citetool", "export", "one.json", "two.json", "--to", "csljson"],
        capture_output=True, text=True, cwd=tmp_path, env=full_env, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    assert sorted(item["title"] for item in json.loads(proc.stdout)) == ["One", "Two"]
    lines = proc.stderr.splitlines()
    assert lines and all("two.json" in line for line in lines), proc.stderr
