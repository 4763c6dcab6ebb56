"""The Dask path (citetool.cluster, ``--scheduler``): one task per source, one output file
each, the records one process gives, BibTeX keys unique across files, diagnostics on the
client's stderr. A LocalCluster on 127.0.0.1 only (never the network); one cluster for the
module, joined with ``--scheduler tcp://...``, and one test that starts its own (``local:2``).

Shards are cut from the real corpus samples in tests/data (see the READMEs there)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner
from works_data import recorded_works

from citetool.cli import app
from citetool.cli.common import Abort
from citetool.cluster import QUIET

distributed = pytest.importorskip("distributed")

DATA = Path(__file__).parent / "data"
BIB = DATA / "bib" / "cdl-bibliography-sample.bib"
GLOTTOLOG = DATA / "bib" / "glottolog-zurich-sample.bib"
RIS = DATA / "ris" / "cdl-bibliography.bibutils.sample.ris"


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    import logging

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None,
                                  scheduler_kwargs=QUIET,
                                  silence_logs=logging.ERROR) as cluster:
        yield cluster.scheduler_address


def cut(text: str, start: str, parts: int) -> list[str]:
    """``text`` cut into ``parts`` pieces at lines starting with ``start``."""
    heads = [m.start() for m in re.finditer("^" + re.escape(start), text, re.M)]
    step = -(-len(heads) // parts)
    bounds = [0] + heads[step::step] + [len(text)]
    return [text[a:b] for a, b in zip(bounds, bounds[1:], strict=False) if text[a:b].strip()]


@pytest.fixture(scope="module")
def shards(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Seven shards of real BibTeX and RIS; one BibTeX shard with a broken entry."""
    folder = tmp_path_factory.mktemp("shards")
    out = []
    for n, piece in enumerate(cut(BIB.read_text(encoding="utf-8"), "@", 3)):
        if n == 1:
            piece = "@article{broken,\n  title = {never closed,\n  year = 2020,\n\n" + piece
        out.append(folder / f"part_{n:03d}.bib")
        out[-1].write_text(piece, encoding="utf-8")
    for n, piece in enumerate(cut(GLOTTOLOG.read_text(encoding="utf-8"), "@", 2)):
        out.append(folder / f"glotto_{n:03d}.bib")
        out[-1].write_text(piece, encoding="utf-8")
    for n, piece in enumerate(cut(RIS.read_text(encoding="utf-8"), "TY  -", 2)):
        out.append(folder / f"ris_{n:03d}.ris")
        out[-1].write_bytes(piece.encode("utf-8"))
    return out


@pytest.fixture(scope="module")
def dumps(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Crossref and OpenAlex works as gzipped JSON Lines shards, as the dumps come."""
    import gzip

    folder = tmp_path_factory.mktemp("dumps")
    out = []
    for name, parts in (("crossref", 6), ("openalex", 4)):
        lines = recorded_works(name) * 3
        for n in range(parts):
            path = folder / f"{name}-works-{n:05d}.jsonl.gz"
            path.write_bytes(gzip.compress("".join(
                line + "\n" for line in lines[n::parts]).encode("utf-8")))
            out.append(path)
    return out


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    err, code = result.stderr, result.exit_code
    if isinstance(result.exception, Abort):
        err += f"citetool: error: {result.exception.message}\n"
        code = result.exception.code
    elif result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return code, result.stdout, err


def without_ids(items: list[dict[str, object]]) -> list[str]:
    return [json.dumps({k: v for k, v in item.items() if k != "id"}, sort_keys=True)
            for item in items]


def test_csljson_on_the_cluster_is_what_one_process_gives(
        shards: list[Path], scheduler: str, tmp_path: Path) -> None:
    code, whole, err = run("export", *map(str, shards), "--to", "csljson")
    assert code == 0
    out = tmp_path / "out"
    code, stdout, cluster_err = run("export", *map(str, shards), "--to", "csljson",
                                    "-o", f"{out}/", "--scheduler", scheduler)
    assert code == 0 and stdout == ""
    files = sorted(p.name for p in out.iterdir())
    assert files == sorted(p.stem + ".json" for p in shards)  # one per shard, named after it
    spread = [item for shard in shards
              for item in json.loads((out / (shard.stem + ".json")).read_text("utf-8"))]
    assert len(spread) > 300
    assert without_ids(spread) == without_ids(json.loads(whole))
    # the broken entry: reported once on the client's stderr, at its file and line, not fatal
    broken = [line for line in cluster_err.splitlines() if "broken" in line]
    assert broken == [line for line in err.splitlines() if "broken" in line]
    assert len(broken) == 1 and f"{shards[1]}:1:" in broken[0]


def test_jsonl_gz_dumps_on_local_2_are_what_one_process_gives(
        dumps: list[Path], scheduler: str, tmp_path: Path) -> None:
    """The acceptance of issue 16: --scheduler local:2 over many .jsonl.gz shards gives
    exactly the records one process gives (as CSL-JSON, ignoring ids), one file per shard,
    BibTeX keys unique across files."""
    code, whole, err = run("export", *map(str, dumps), "--to", "csljson")
    assert code == 0, err
    out = tmp_path / "csl"
    code, _, err = run("export", *map(str, dumps), "--to", "csljson", "-o", f"{out}/",
                       "--scheduler", "local:2")
    assert code == 0, err
    names = [p.name.replace(".jsonl.gz", ".json") for p in dumps]
    assert sorted(p.name for p in out.iterdir()) == sorted(names)
    spread = [item for name in names for item in json.loads((out / name).read_text("utf-8"))]
    assert len(spread) > 150
    assert without_ids(spread) == without_ids(json.loads(whole))
    assert {i["type"] for i in spread} >= {"article-journal", "chapter", "book",
                                           "paper-conference", "dataset"}
    bib = tmp_path / "bib"
    code, _, err = run("export", *map(str, dumps), "--to", "bibtex", "-o", f"{bib}/",
                       "--scheduler", scheduler)
    assert code == 0, err
    keys = [k for p in bib.iterdir()
            for k in re.findall(r"^@\w+\{([^,]+),$", p.read_text("utf-8"), re.M)]
    assert len(keys) == len(spread) == len(set(keys))


def test_bibtex_keys_are_unique_across_files_and_those_of_one_output(
        shards: list[Path], scheduler: str, tmp_path: Path) -> None:
    # the same entries in three files twice over: every key collides across files
    twice = shards[:3] + [tmp_path / f"again_{p.name}" for p in shards[:3]]
    for copy, original in zip(twice[3:], shards[:3], strict=True):
        copy.write_bytes(original.read_bytes())
    code, whole, _ = run("export", *map(str, twice), "--to", "bibtex")
    assert code == 0
    out = tmp_path / "bib"
    code, _, _ = run("export", *map(str, twice), "--to", "bibtex", "-o", f"{out}/",
                     "--scheduler", scheduler)
    assert code == 0
    texts = [(out / (p.stem + ".bib")).read_text("utf-8") for p in twice]
    assert len(list(out.iterdir())) == len(twice)  # no part files left behind
    keys = [k for text in texts for k in re.findall(r"^@\w+\{([^,]+),$", text, re.M)]
    assert len(keys) == len(set(keys)) > 100
    assert keys == re.findall(r"^@\w+\{([^,]+),$", whole, re.M)
    assert "\n".join(texts) == whole


def test_ris_files_joined_are_one_output(shards: list[Path], scheduler: str,
                                        tmp_path: Path) -> None:
    code, whole, _ = run("export", *map(str, shards[3:]), "--to", "ris")
    out = tmp_path / "ris"
    code, _, err = run("export", *map(str, shards[3:]), "-t", "ris", "-o", f"{out}/",
                       "--scheduler", scheduler)
    assert code == 0, err
    assert "\r\n".join(
        (out / (p.stem + ".ris")).read_bytes().decode("utf-8") for p in shards[3:]
    ).replace("\r\n", "\n") == whole.replace("\r\n", "\n")


def test_a_file_that_cannot_be_read_does_not_stop_the_others(
        shards: list[Path], scheduler: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("[{not json", encoding="utf-8")
    out = tmp_path / "out"
    code, _, err = run("export", str(bad), str(shards[0]), "--to", "csljson", "-o", f"{out}/",
                       "--scheduler", scheduler)
    assert code == 0
    assert [p.name for p in out.iterdir()] == ["part_000.json"]
    assert re.search(r"bad\.json:1: error: invalid JSON", err)
    code, _, err = run("export", str(bad), str(shards[0]), "--to", "csljson", "-o", f"{out}/",
                       "--scheduler", scheduler, "--strict")
    assert code == 1 and "--strict" in err


def test_cite_each_on_the_cluster_is_what_one_process_gives(
        shards: list[Path], scheduler: str) -> None:
    picked = [str(shards[0]), str(shards[5])]
    code, alone, _ = run("cite", "--each", *picked, "--style", "apa")
    assert code == 0
    code, spread, _ = run("cite", "--each", *picked, "--style", "apa", "--scheduler", scheduler)
    assert code == 0 and spread == alone
    lines = [json.loads(line) for line in alone.splitlines()]
    assert len(lines) > 100 and set(lines[0]) == {"id", "bibliography", "citation"}
    # each record on its own: no year suffixes from other records (2017a, 2017b)
    assert not any(re.search(r"\d{4}[a-z]\)", line["citation"]) for line in lines)


def test_each_record_alone_in_input_order(tmp_path: Path) -> None:
    source = tmp_path / "two.json"
    items = [{"id": "b", "type": "book", "title": "Later", "author": [{"family": "Doe"}],
              "issued": {"date-parts": [[2020]]}},
             {"id": "a", "type": "book", "title": "Earlier", "author": [{"family": "Doe"}],
              "issued": {"date-parts": [[2020]]}}]
    source.write_text(json.dumps(items), encoding="utf-8")
    code, out, _ = run("cite", "--each", str(source), "--style", "apa")
    assert code == 0
    assert [json.loads(line) for line in out.splitlines()] == [
        {"id": "b", "bibliography": "Doe. (2020). Later.", "citation": "(Doe, 2020)"},
        {"id": "a", "bibliography": "Doe. (2020). Earlier.", "citation": "(Doe, 2020)"},
    ]


@pytest.mark.parametrize(("args", "says"), [
    (["-o", "file.json"], "give -o DIR/"),
    (["--scheduler", "ftp://x"], "expected local"),
    (["--scheduler", "local:0"], "at least one worker"),
])
def test_usage_errors(shards: list[Path], tmp_path: Path, args: list[str], says: str) -> None:
    args = [a.replace("file.json", str(tmp_path / "file.json")) for a in args]
    if "-o" not in args:
        args += ["-o", f"{tmp_path}/"]
    if "--scheduler" not in args:
        args += ["--scheduler", "local:1"]
    code, _, err = run("export", str(shards[0]), *args)
    assert code == 2 and says in err


def test_dask_is_imported_only_when_asked_for(shards: list[Path]) -> None:
    probe = ("import sys\nfrom citetool.cli import main\n"
             f"sys.argv = ['citetool', 'export', {str(shards[0])!r}, '--to', 'ris']\n"
             "try:\n    main()\nexcept SystemExit:\n    pass\n"
             "print('dask' in sys.modules or 'distributed' in sys.modules, file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=False)
    assert done.stderr.strip().splitlines()[-1] == "False"


def test_workers_die_with_their_parent(shards: list[Path], tmp_path: Path) -> None:
    import signal
    import time

    psutil = pytest.importorskip("psutil")
    command = [sys.executable, "-m", "citetool", "cite", "--each", *map(str, shards),
               "--scheduler", "local:2", "-o", str(tmp_path / "each.jsonl")]
    parent = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        children: list[object] = []
        while time.monotonic() < deadline and len(children) < 2:
            time.sleep(0.2)
            children = [c for c in psutil.Process(parent.pid).children(recursive=True)
                        if "spawn_main" in " ".join(c.cmdline())]
        assert len(children) >= 2, "the worker processes never started"
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        gone, alive = psutil.wait_procs(children, timeout=20)
        assert not alive
    finally:
        if parent.poll() is None:
            parent.kill()
