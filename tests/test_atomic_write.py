"""Issue 6: nothing lost on write.

``-o FILE`` writes a temporary file in the same folder and renames it over FILE only on
success: a failed run leaves an existing FILE byte-for-byte unchanged, a successful one
replaces it, no temporary file is ever left behind, and Ctrl-C at any moment leaves either
the old file or the complete new one.
"""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from citetool.errors import WriteError
from citetool.io import atomic_writer, write_text_atomic

ROOT = Path(__file__).resolve().parent.parent
OLD = b"old content \xc5\x82 that must survive\n"

GOOD = [{"id": "doe2019", "type": "book", "title": "A Good Book",
         "author": [{"family": "Doe", "given": "Jane"}], "issued": {"date-parts": [[2019]]}}]


def citetool(*args: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("CITETOOL_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "citetool", *args], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=timeout, check=False)


def listing(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


@pytest.fixture
def work(tmp_path: Path) -> Path:
    (tmp_path / "good.json").write_text(json.dumps(GOOD), encoding="utf-8")
    (tmp_path / "broken.json").write_text('[{"id": "a", "title": "x"', encoding="utf-8")
    (tmp_path / "mixed.json").write_text(
        json.dumps(GOOD + [{"id": "bad", "author": "Smith"}]), encoding="utf-8")
    (tmp_path / "out.json").write_bytes(OLD)
    return tmp_path


@pytest.mark.parametrize(
    "args",
    [
        ("export", "broken.json", "-o", "out.json"),
        ("export", "mixed.json", "--strict", "-o", "out.json"),
        ("export", "missing.json", "-o", "out.json"),
        ("export", "good.json", "--to", "no-such-format", "-o", "out.json"),
    ],
    ids=["unreadable-input", "strict", "missing-input", "usage-error"],
)
def test_a_failed_run_leaves_the_existing_file_unchanged(work: Path,
                                                        args: tuple[str, ...]) -> None:
    before = listing(work)
    proc = citetool(*args, cwd=work)
    assert proc.returncode in (1, 2), proc.stderr
    assert "Traceback" not in proc.stderr
    assert (work / "out.json").read_bytes() == OLD
    assert listing(work) == before, "a temporary file was left behind"


def test_success_replaces_the_file_and_keeps_its_permissions(work: Path) -> None:
    target = work / "out.json"
    target.chmod(0o640)
    before = listing(work)
    proc = citetool("export", "good.json", "-o", "out.json", cwd=work)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    assert [item["id"] for item in json.loads(target.read_text(encoding="utf-8"))] == ["doe2019"]
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert listing(work) == before


def test_a_new_file_gets_the_usual_permissions(work: Path) -> None:
    proc = citetool("export", "good.json", "-o", "new.json", cwd=work)
    assert proc.returncode == 0, proc.stderr
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE((work / "new.json").stat().st_mode) == 0o666 & ~mask


def test_output_over_its_own_input(work: Path) -> None:
    proc = citetool("export", "good.json", "-o", "good.json", cwd=work)
    assert proc.returncode == 0, proc.stderr
    assert json.loads((work / "good.json").read_text(encoding="utf-8"))[0]["id"] == "doe2019"


def test_a_symlink_is_written_through(work: Path) -> None:
    (work / "link.json").symlink_to("out.json")
    proc = citetool("export", "good.json", "-o", "link.json", cwd=work)
    assert proc.returncode == 0, proc.stderr
    assert (work / "link.json").is_symlink()
    assert json.loads((work / "out.json").read_text(encoding="utf-8"))[0]["id"] == "doe2019"


@pytest.mark.parametrize("output", ["no-such-dir/out.json", "adir"], ids=["no-folder", "dir"])
def test_an_unwritable_target_is_a_one_line_error(work: Path, output: str) -> None:
    (work / "adir").mkdir()
    before = listing(work)
    proc = citetool("export", "good.json", "--to", "csljson", "-o", output, cwd=work)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and output in lines[0], proc.stderr
    assert listing(work) == before


# --- the writer itself -------------------------------------------------------------------


def test_an_exception_inside_the_writer_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "refs.bib"
    target.write_bytes(OLD)
    with pytest.raises(RuntimeError), atomic_writer(target) as handle:
        handle.write("half of the new content")
        raise RuntimeError("a writer failed halfway")
    assert target.read_bytes() == OLD
    assert listing(tmp_path) == {"refs.bib"}


def test_os_errors_become_write_errors(tmp_path: Path) -> None:
    with pytest.raises(WriteError, match="cannot write here"):
        write_text_atomic(tmp_path / "missing" / "x.bib", "text")
    (tmp_path / "adir").mkdir()
    with pytest.raises(WriteError, match="directory"):
        write_text_atomic(tmp_path / "adir", "text")
    assert listing(tmp_path) == {"adir"}


INTERRUPTED_WRITER = """
import os, signal, sys
from citetool.io import atomic_writer
target = sys.argv[1]
with atomic_writer(target) as handle:
    for i in range(1000):
        handle.write("new line %d\\n" % i)
        if i == 500:
            handle.flush()
            os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C in the middle of the write
"""


def test_ctrl_c_inside_the_writer_leaves_no_half_written_file(tmp_path: Path) -> None:
    target = tmp_path / "refs.bib"
    target.write_bytes(OLD)
    proc = subprocess.run([sys.executable, "-c", INTERRUPTED_WRITER, str(target)],
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode != 0 and "KeyboardInterrupt" in proc.stderr
    assert target.read_bytes() == OLD
    assert listing(tmp_path) == {"refs.bib"}


SLOW_WRITER = """
import sys, time
from citetool.io import atomic_writer
with atomic_writer(sys.argv[1]) as handle:
    handle.write("half of the new content")
    handle.flush()
    print("writing", flush=True)
    time.sleep(60)
"""


@pytest.mark.parametrize("signame", ["SIGTERM", "SIGHUP"])
def test_termination_while_writing_leaves_no_temporary_file(tmp_path: Path,
                                                            signame: str) -> None:
    target = tmp_path / "refs.bib"
    target.write_bytes(OLD)
    proc = subprocess.Popen([sys.executable, "-c", SLOW_WRITER, str(target)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "writing"
    assert len(listing(tmp_path)) == 2  # the temporary file exists while writing
    proc.send_signal(getattr(signal, signame))
    proc.communicate(timeout=30)
    assert proc.returncode == 128 + getattr(signal, signame), proc.returncode
    assert target.read_bytes() == OLD
    assert listing(tmp_path) == {"refs.bib"}


# --- Ctrl-C against the real CLI during a big run ----------------------------------------


def _big_input(path: Path, items: int) -> None:
    item = {"type": "article-journal", "title": "Relacje kazachsko-rosyjskie " * 4,
            "author": [{"family": "Bielicki", "given": "Paweł"}],
            "issued": {"date-parts": [[2020]]}, "abstract": "Lorem ipsum dolor sit amet " * 20}
    with path.open("w", encoding="utf-8") as handle:
        handle.write("[\n")
        for n in range(items):
            handle.write(("," if n else "") + json.dumps({"id": f"i{n}", **item}) + "\n")
        handle.write("]\n")


def _interrupt_at(folder: Path, delay: float, args: list[str]) -> tuple[int, str]:
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("CITETOOL_DEBUG", None)
    proc = subprocess.Popen([sys.executable, "-m", "citetool", *args], cwd=folder, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(delay)
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=120)
    return proc.returncode, err


def _check_interrupted(folder: Path, expected_items: int, before: set[str], code: int,
                       err: str) -> str:
    assert "Traceback" not in err, err
    assert listing(folder) == before, f"left behind: {listing(folder) - before}"
    data = (folder / "out.json").read_bytes()
    if data == OLD:
        # Typer maps Ctrl-C to a silent exit 130; a message, if any, is one citetool line
        assert code == 130, (code, err)
        assert all(line.startswith("citetool: ") for line in err.splitlines()), err
        return "old"
    # the rename happened: a late Ctrl-C may still end the process (130, or killed by SIGINT
    # during interpreter shutdown), but the file is complete, never half-written
    assert code in (0, 130, -signal.SIGINT), (code, err)
    assert len(json.loads(data)) == expected_items
    return "new"


def _ctrl_c_run(tmp_path: Path, items: int, fractions: list[float]) -> list[str]:
    args = ["export", "big.json", "--to", "csljson", "-o", "out.json"]
    env = {**os.environ, "NO_COLOR": "1"}
    while True:  # a run long enough that the interrupts land before the rename, on any machine
        _big_input(tmp_path / "big.json", items)
        (tmp_path / "out.json").write_bytes(OLD)
        start = time.monotonic()
        subprocess.run([sys.executable, "-m", "citetool", *args], cwd=tmp_path, env=env,
                       capture_output=True, timeout=300, check=True)
        duration = time.monotonic() - start
        if duration >= 2.0 or items >= 200_000:
            break
        items *= 4
    outcomes = []
    for fraction in fractions:
        (tmp_path / "out.json").write_bytes(OLD)
        before = listing(tmp_path)
        code, err = _interrupt_at(tmp_path, max(0.5, duration * fraction), args)
        outcomes.append(_check_interrupted(tmp_path, items, before, code, err))
    return outcomes


def test_ctrl_c_during_a_bulk_export_leaves_the_old_file_or_the_whole_new_one(
        tmp_path: Path) -> None:
    outcomes = _ctrl_c_run(tmp_path, 6000, [0.5, 0.85, 0.97])
    assert "old" in outcomes  # at least one interrupt landed before the rename


@pytest.mark.slow
def test_ctrl_c_at_many_moments_of_a_big_export(tmp_path: Path) -> None:
    fractions = [i / 20 for i in range(4, 22)]
    outcomes = _ctrl_c_run(tmp_path, 20_000, fractions)
    assert "old" in outcomes and "new" in outcomes
