"""Issue 17: hostile input, special files, full disks and signals (every case but the network
ones, which live with the HTTP client's tests).

Each case runs ``citetool`` in a subprocess, in a session of its own, under ``prlimit``-style
limits (2 GB of address space, 40 s), and asserts: the exit code; stderr lines that are
one-line ``citetool:`` messages, never "internal error" or a traceback; the good records next
to a bad one kept; special files and existing outputs untouched; no process of the session
left behind.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

LIMIT_BYTES = 2 * 1024**3
LIMIT_SECONDS = 40

GOOD_BIB = """@article{good1,
  author = {Doe, Jane},
  title = {A good title},
  journal = {Journal of Things},
  year = {2020},
}
"""
GOOD_ITEM = {"id": "g1", "type": "book", "title": "Good", "issued": {"date-parts": [[2020]]}}


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT_BYTES, LIMIT_BYTES))


def session_alive(sid: int) -> list[int]:
    """Processes of session ``sid`` still running (zombies, already dead, do not count)."""
    alive = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        state, session = fields[0], int(fields[3])
        if session == sid and state != "Z":
            alive.append(int(entry.name))
    return alive


def reap(sid: int) -> list[int]:
    """Kill what is left of session ``sid`` (a failing test must not leave workers running);
    the pids that were still alive."""
    left = session_alive(sid)
    for pid in left:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return left


def citetool(args: Sequence[str], cwd: Path, *, stdout: object = subprocess.PIPE,
             env: dict[str, str] | None = None, input_: bytes | None = None
             ) -> subprocess.CompletedProcess[bytes]:
    full_env = {**os.environ, "NO_COLOR": "1", "CITETOOL_CACHE_DIR": str(cwd / ".cache"),
                "CITETOOL_DOI_RESOLVER": "http://127.0.0.1:9", **(env or {})}
    full_env.pop("CITETOOL_DEBUG", None)
    proc = subprocess.Popen([sys.executable, "-m", "citetool", *args], cwd=cwd,
                            stdin=subprocess.PIPE if input_ is not None else subprocess.DEVNULL,
                            stdout=stdout, stderr=subprocess.PIPE, env=full_env,
                            preexec_fn=_limits, start_new_session=True)
    try:
        out, err = proc.communicate(input_, timeout=LIMIT_SECONDS)
    except subprocess.TimeoutExpired:
        reap(proc.pid)
        raise
    deadline = time.monotonic() + 5
    while session_alive(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not reap(proc.pid), "a process of the run outlived it"
    return subprocess.CompletedProcess(args, proc.returncode, out or b"", err)


def lines(run: subprocess.CompletedProcess[bytes]) -> list[str]:
    text = run.stderr.decode("utf-8", "replace")
    assert "Traceback" not in text and "internal error" not in text, text
    found = text.splitlines()
    assert all(line.startswith("citetool: ") for line in found), text
    return found


def one_error(run: subprocess.CompletedProcess[bytes], *words: str) -> str:
    found = lines(run)
    assert run.returncode == 1, found
    assert len(found) == 1, found
    assert all(word in found[0] for word in words), found
    return found[0]


@pytest.fixture
def work(tmp_path: Path) -> Path:
    (tmp_path / "good.bib").write_text(GOOD_BIB, encoding="utf-8")
    return tmp_path


def mixed_json(folder: Path, bad: str) -> Path:
    path = folder / "mixed.json"
    path.write_text("[\n" + json.dumps(GOOD_ITEM) + ",\n" + bad + ",\n"
                    + json.dumps({**GOOD_ITEM, "id": "g2"}) + "\n]\n", encoding="utf-8")
    return path


def device(folder: Path, name: str, minor: int) -> Path:
    """A character device like /dev/null (minor 3) or /dev/full (7), made in ``folder`` so
    that a regression can never replace the real one."""
    path = folder / name
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, minor))
        with open(path, "wb") as handle:  # a filesystem mounted nodev refuses to open it
            handle.write(b"")
    except (PermissionError, OSError) as exc:
        if minor == 7 and getattr(exc, "errno", None) == 28:
            return path
        pytest.skip(f"cannot make a character device here: {exc}")
    return path


# --- output ---------------------------------------------------------------------------------

def test_output_to_a_fifo_and_a_link_to_it_writes_in_place(work: Path) -> None:
    fifo = work / "pipe"
    os.mkfifo(fifo)
    (work / "link").symlink_to("pipe")
    got: list[bytes] = []
    for target in ("pipe", "link"):
        got.clear()
        reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
        reader.start()
        run = citetool(["export", "good.bib", "--to", "ris", "-o", target], work)
        reader.join(10)
        assert run.returncode == 0 and not lines(run)
        assert stat.S_ISFIFO(os.stat(fifo).st_mode)
        assert b"TI  - A good title" in got[0]
    assert (work / "link").is_symlink()


def test_output_to_a_character_device_is_not_replaced(work: Path) -> None:
    null = device(work, "null", 3)
    run = citetool(["export", "good.bib", "--to", "ris", "-o", str(null)], work)
    assert run.returncode == 0 and not lines(run)
    assert stat.S_ISCHR(os.stat(null).st_mode)


@pytest.mark.parametrize("command", [["export", "good.bib", "--to", "ris"], ["cite", "good.bib"],
                                     ["show", "good.bib"], ["styles", "apa"]])
def test_a_full_disk_is_one_line(work: Path, command: list[str]) -> None:
    full = device(work, "full", 7)
    as_output = citetool([*command, "-o", str(full)], work) if command[0] in (
        "export", "cite") else None
    if as_output is not None:
        one_error(as_output, "No space left on device")
        assert stat.S_ISCHR(os.stat(full).st_mode)
    with open(full, "wb") as handle:
        run = citetool(command, work, stdout=handle)
    one_error(run, "<stdout>", "No space left on device")


@pytest.mark.parametrize("command", [["export", "good.bib"], ["cite", "good.bib"],
                                     ["show", "good.bib"], ["--help"], ["--version"]])
def test_closed_stdout_is_one_line(work: Path, command: list[str]) -> None:
    env = {**os.environ, "NO_COLOR": "1"}
    proc = subprocess.run(
        [sys.executable, "-c", "import os, subprocess, sys; os.close(1); "
         "sys.exit(subprocess.call([sys.executable, '-m', 'citetool', *sys.argv[1:]]))",
         *command], cwd=work, capture_output=False, stderr=subprocess.PIPE, env=env,
        timeout=LIMIT_SECONDS, check=False)
    run = subprocess.CompletedProcess(command, proc.returncode, b"", proc.stderr)
    one_error(run, "standard output is closed")


@pytest.mark.parametrize("command", [["--help"], ["cite", "--help"], ["export", "good.bib"],
                                     ["styles"]])
def test_a_reader_that_leaves_is_silent(work: Path, command: list[str]) -> None:
    """``citetool ... | true``: as cat, nothing on stderr (Click's own help exits 1 there)."""
    read, write = os.pipe()
    os.close(read)
    with os.fdopen(write, "wb") as handle:
        run = citetool(command, work, stdout=handle)
    assert run.returncode in (0, 1) and not lines(run)


def test_a_path_too_long_is_one_line(work: Path) -> None:
    run = citetool(["export", "good.bib", "--to", "ris", "-o", "a" * 5000], work)
    message = one_error(run, "File name too long")
    assert len(message) < 400


def test_a_failed_write_leaves_the_existing_output(work: Path) -> None:
    (work / "out.ris").write_bytes(b"old\n")
    run = citetool(["export", "good.bib", "-o", "out.ris", "--encoding", "rot13"], work)
    assert run.returncode == 2
    assert (work / "out.ris").read_bytes() == b"old\n"


# --- values ---------------------------------------------------------------------------------

def test_a_macro_bomb_loses_no_good_entry(work: Path) -> None:
    text = ['@string{a0 = "xxxxxxxxxx"}']
    text += [f"@string{{a{i} = a{i - 1} # a{i - 1}}}" for i in range(1, 61)]
    text.append("@article{bomb, title = a60, year = 2020}")
    (work / "bomb.bib").write_text(GOOD_BIB + "\n".join(text) + "\n"
                                   + GOOD_BIB.replace("good1", "good2"), encoding="utf-8")
    run = citetool(["export", "bomb.bib", "--to", "bibtex"], work)
    assert run.returncode == 0
    assert b"@article{good1," in run.stdout and b"@article{good2," in run.stdout
    assert b"bomb" not in run.stdout
    found = lines(run)
    assert any("macro bomb" in line and "bomb.bib:" in line for line in found)


def test_deep_braces_skip_their_entry_with_its_line(work: Path) -> None:
    deep = "@article{deep,\n  title = {" + "{" * 100_000 + "x" + "}" * 100_000 + "}}\n"
    (work / "nest.bib").write_text(GOOD_BIB + deep + GOOD_BIB.replace("good1", "good2"),
                                   encoding="utf-8")
    run = citetool(["export", "nest.bib", "--to", "bibtex"], work)
    assert run.returncode == 0
    assert b"good1" in run.stdout and b"good2" in run.stdout
    assert lines(run) == ["citetool: nest.bib:8: error: @article{deep}: field 'title': braces "
                          "nested more than 100 deep; entry skipped"]


@pytest.mark.parametrize(("bad", "says"), [
    ('{"id": "a", "title": "T", "issued": {"date-parts": [[' + "9" * 5000 + "]]}}",
     "5000 digits"),
    ('{"id": "a", "title": "T", "page": ' + "9" * 4301 + "}", "4301 digits"),
])
@pytest.mark.parametrize("command", ["export", "cite"])
def test_huge_numbers_are_a_bad_value(work: Path, bad: str, says: str, command: str) -> None:
    mixed_json(work, bad)
    run = citetool([command, "mixed.json"], work)
    assert run.returncode == 0
    found = lines(run)
    assert len(found) == 1 and says in found[0] and "item skipped" in found[0]
    assert found[0].startswith("citetool: mixed.json:3: error: item 'a': ")
    assert run.stdout.count(b"Good") == 2 or run.stdout.count(b'"id"') == 2


def test_a_lone_surrogate_is_replaced_with_a_warning(work: Path) -> None:
    mixed_json(work, '{"id": "a", "type": "book", "title": "A \\ud800 b \\ud83d\\ude00"}')
    for command in (["export", "mixed.json"], ["cite", "mixed.json"]):
        run = citetool(command, work)
        assert run.returncode == 0
        found = lines(run)
        assert len(found) == 1 and "mixed.json:3: warning:" in found[0] and "U+FFFD" in found[0]
        assert "A \ufffd b \U0001f600".encode() in run.stdout


@pytest.mark.parametrize("month", [13, 0, -1, 99])
def test_an_impossible_month_is_dropped_with_a_warning(work: Path, month: int) -> None:
    mixed_json(work, json.dumps({"id": "a", "type": "book", "title": "T",
                                 "issued": {"date-parts": [[2020, month, 5]]}}))
    run = citetool(["export", "mixed.json", "--to", "bibtex"], work)
    assert run.returncode == 0
    assert lines(run) == [f"citetool: mixed.json:3: warning: item 'a': 'issued': month {month} "
                          "is not 1-12; the date is read without its month and day"]
    assert b"month" not in run.stdout and run.stdout.count(b"year = {2020}") == 3


def test_deep_json_is_refused_with_its_line(work: Path) -> None:
    (work / "deep.json").write_text("[\n" + "[" * 100_000 + "]" * 100_000 + "]",
                                    encoding="utf-8")
    one_error(citetool(["export", "deep.json"], work), "deep.json:2:", "nested deeper")


def test_duplicate_keys_are_named_with_their_lines(work: Path) -> None:
    (work / "dup.bib").write_text("".join(f"@article{{same,\n title={{T{i}}},\n year=2020}}\n"
                                          for i in range(600)), encoding="utf-8")
    show = citetool(["show", "dup.bib"], work)
    export = citetool(["export", "dup.bib", "--to", "csljson"], work)
    assert show.returncode == export.returncode == 0
    found = lines(show)
    assert len(found) == 599 and found[0].startswith("citetool: dup.bib:4: warning:")
    ids = [line.split(": ", 1)[1] for line in show.stdout.decode().splitlines()
           if line.startswith("id: ")]
    assert len(set(ids)) == 600
    assert len({item["id"] for item in json.loads(export.stdout)}) == 600


@pytest.mark.parametrize("workers", ["1", "2"])
def test_duplicate_keys_get_the_same_ids_in_every_command(work: Path, workers: str) -> None:
    """Streaming export reads BibTeX in batches (of 500): a key repeated across and within
    batches is numbered across the file, as show (which reads it whole) numbers it."""
    (work / "dup.bib").write_text("".join(
        f"@article{{same,\n title={{T{i}}},\n year=2020}}\n" if i % 3 else
        f"@article{{k{i},\n title={{T{i}}},\n year=2020}}\n" for i in range(1800)),
        encoding="utf-8")
    env = {"CITETOOL_WORKERS": workers}
    show = citetool(["show", "dup.bib"], work, env=env)
    export = citetool(["export", "dup.bib", "--to", "csljson"], work, env=env)
    ids = [line.split(": ", 1)[1] for line in show.stdout.decode().splitlines()
           if line.startswith("id: ")]
    assert ids == [item["id"] for item in json.loads(export.stdout)]
    assert lines(show) == lines(export)
    assert len(set(ids)) == 1800


# --- options, styles, limits ----------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["rot13", "base64", "no-such-codec"])
def test_a_codec_that_is_not_a_text_encoding_is_a_usage_error(work: Path, encoding: str) -> None:
    run = citetool(["export", "good.bib", "--encoding", encoding], work)
    assert run.returncode == 2 and b"Traceback" not in run.stderr
    assert b"Invalid value for --encoding" in run.stderr


@pytest.mark.parametrize("style", ["/dev/zero", "./fifo"])
def test_an_endless_style_is_refused(work: Path, style: str) -> None:
    os.mkfifo(work / "fifo")
    one_error(citetool(["cite", "good.bib", "--style", style], work), "not a regular file")


def test_styles_with_an_unwritable_cache(work: Path) -> None:
    (work / "file").write_text("", encoding="utf-8")
    run = citetool(["styles", "apa"], work, env={"XDG_CACHE_HOME": str(work / "file" / "x")})
    assert run.returncode == 0 and b"apa\t" in run.stdout and not lines(run)


@pytest.mark.parametrize("value", ["9" * 5000, "0", "-5", "x"])
def test_any_input_limit_setting_is_taken(work: Path, value: str) -> None:
    run = citetool(["export", "good.bib"], work, env={"CITETOOL_MAX_INPUT_BYTES": value})
    assert run.returncode == 0 and b"good1" in run.stdout and not lines(run)


def test_the_input_limit_applies_to_stdin_and_endless_files(work: Path) -> None:
    env = {"CITETOOL_MAX_INPUT_BYTES": "1000"}
    one_error(citetool(["export", "-"], work, env=env, input_=b" " * 5000), "too large")
    one_error(citetool(["export", "/dev/zero", "--from", "bibtex"], work, env=env),
              "too large")


def test_worker_count_is_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    from citetool import parallel

    monkeypatch.setenv("CITETOOL_WORKERS", "1000")
    assert parallel.workers(10**6) <= 2 * parallel._cores()
    assert parallel.workers(3) <= 3
    monkeypatch.setenv("CITETOOL_WORKERS", "9" * 5000)
    assert parallel.workers(10**6) >= 1


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL, signal.SIGINT])
def test_workers_die_with_their_parent(tmp_path: Path, sig: signal.Signals) -> None:
    entry = ("@article{{k{0},\n author={{Doe, Jane and Roe, Rick}},\n title={{A title {0}}},\n"
             " journal={{Journal}},\n year={{2020}}}}\n")
    (tmp_path / "big.bib").write_text("".join(entry.format(i) for i in range(40_000)),
                                      encoding="utf-8")
    env = {**os.environ, "NO_COLOR": "1", "CITETOOL_WORKERS": "2"}
    with (tmp_path / "out.bib").open("wb") as out:  # stdout: a file, polled without blocking
        proc = subprocess.Popen([sys.executable, "-m", "citetool", "export", "big.bib", "--to",
                                 "bibtex"], cwd=tmp_path, stdout=out, stderr=subprocess.DEVNULL,
                                env=env, start_new_session=True)
    deadline = time.monotonic() + 30
    while len(session_alive(proc.pid)) < 3 and time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        time.sleep(0.02)
    if len(session_alive(proc.pid)) < 3:
        proc.kill()
        proc.communicate()
        pytest.skip("no workers started (a single core, or the run ended first)")
    os.kill(proc.pid, sig)
    proc.wait(timeout=LIMIT_SECONDS)
    deadline = time.monotonic() + 5
    while session_alive(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not reap(proc.pid), "a worker outlived its parent by more than 5 s"


@pytest.mark.parametrize("command", [["export"], ["export", "--to", "ris"], ["cite"], ["show"]])
def test_a_missing_file_among_good_ones_exits_1(work: Path, command: list[str]) -> None:
    run = citetool([*command, "good.bib", "missing.bib"], work)
    assert run.returncode == 1
    assert lines(run) == ["citetool: missing.bib: error: no such file"]
    assert b"good" in run.stdout.lower()


def test_a_lone_surrogate_in_yaml_is_replaced_with_a_warning(work: Path) -> None:
    (work / "refs.yaml").write_text('references:\n- id: a\n  title: "A \\ud800 b"\n'
                                    '  custom: {k: [{z: "\\udc00"}]}\n- id: b\n  title: Good\n',
                                    encoding="utf-8")
    for target in ("cslyaml", "csljson", "ris"):
        run = citetool(["export", "refs.yaml", "--to", target], work)
        assert run.returncode == 0
        assert lines(run)[0] == ("citetool: refs.yaml:3: warning: 2 lone surrogate escape(s) "
                                 "(\\ud800-\\udfff not in a pair; the first on this line) "
                                 "replaced by U+FFFD")
        assert "A \ufffd b".encode() in run.stdout and b"Good" in run.stdout
