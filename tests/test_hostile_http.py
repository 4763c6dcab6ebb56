"""Issue 17, the network points: a hostile local server and hostile cache entries.

Each case runs the real command line against tests/localserver.py with a 3 s lookup budget
(``CITETOOL_HTTP_DEADLINE``) under a 2 GiB address-space limit, and asserts exit code 1,
exactly one line on stderr without "internal error" or "Traceback", nothing on stdout,
and a bounded time. Unknown charsets and answers that fail to parse are not cached; cache
entries that are FIFOs, links to /dev/zero or deeply nested JSON are misses, replaced by
the next answer.
"""

from __future__ import annotations

import gzip
import json
import os
import resource
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest
from localserver import Answer, Server

from citetool.lookup.doi import lookup
from citetool.lookup.http import HttpOptions

DOI = "10.5555/hostile"
CSL = {"Content-Type": "application/vnd.citationstyles.csl+json"}
GOOD = json.dumps({"type": "article-journal", "title": "A good answer", "DOI": DOI}).encode()
BUDGET = 3.0


def limit_memory() -> None:
    two_gib = 2 * 1024**3
    resource.setrlimit(resource.RLIMIT_AS, (two_gib, two_gib))


def run(
    server: Server, tmp_path: Path, *extra: str, **env: str
) -> tuple[subprocess.CompletedProcess[str], float]:
    full = {
        **os.environ,
        "NO_COLOR": "1",
        "CITETOOL_DOI_RESOLVER": server.url,
        "CITETOOL_CACHE_DIR": str(tmp_path / "cache"),
        "CITETOOL_HTTP_DEADLINE": str(BUDGET),
        **env,
    }
    full.pop("CITETOOL_MAX_INPUT_BYTES", None) if "CITETOOL_MAX_INPUT_BYTES" not in env else None
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "citetool", "export", DOI, "--to", "csljson", *extra],
        capture_output=True,
        text=True,
        env=full,
        timeout=60,
        stdin=subprocess.DEVNULL,
        preexec_fn=limit_memory,
    )
    return proc, time.monotonic() - started


def gzip_bomb(size: int) -> bytes:
    """``size`` zero bytes, gzip'd (a few hundred kB), made without holding them."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    chunk = bytes(1024 * 1024)
    parts = [packer.compress(chunk) for _ in range(size // len(chunk))]
    return b"".join(parts) + packer.flush()


CASES = {
    "slow bytes": ([Answer(200, GOOD, CSL, trickle=0.2)], "within 3 s (timeout)"),
    "slow headers": (
        [Answer(200, b"", {f"X-Pad-{i}": "y" * 50 for i in range(40)}, trickle=0.05)],
        "timeout",
    ),
    "reset": ([Answer(reset=True)], "dropped the connection"),
    "redirect loop": ([Answer(302, b"", {"Location": f"/{DOI}"})], "too many redirects"),
    "redirect to file://": ([Answer(302, b"", {"Location": "file:///etc/passwd"})], "non-HTTP URL"),
    "gzip bomb": (
        [Answer(200, gzip_bomb(200 * 1024 * 1024), {**CSL, "Content-Encoding": "gzip"})],
        "inflates beyond",
    ),
    "corrupt gzip": (
        [Answer(200, b"\x1f\x8b\x08\x00garbage", {**CSL, "Content-Encoding": "gzip"})],
        "gzip answer",
    ),
    "404": ([Answer(404, b"no")], "not found (HTTP 404"),
    "429 asking for 60 s": ([Answer(429, b"", {"Retry-After": "60"})], "asks to wait 60 s"),
    "500": ([Answer(500, b"")], "server error"),
    "truncated body": ([Answer(200, GOOD[:20], CSL, length=len(GOOD))], "cut short"),
    "wrong type": (
        [Answer(200, b"<html>landing page</html>", {"Content-Type": "text/html"})],
        "not CSL-JSON (text/html)",
    ),
    "unknown charset": (
        [Answer(200, GOOD, {"Content-Type": "application/json; charset=x-klingon"})],
        "unknown charset 'x-klingon'",
    ),
    "not a text encoding": (
        [Answer(200, GOOD, {"Content-Type": "application/json; charset=rot13"})],
        "not a text encoding",
    ),
    "deeply nested answer": ([Answer(200, b"[" * 100_000 + b"]" * 100_000, CSL)], "not CSL-JSON"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_hostile_server(server: Server, tmp_path: Path, case: str) -> None:
    answers, expected = CASES[case]
    server.route(f"/{DOI}", *answers)
    proc, elapsed = run(server, tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert expected in lines[0]
    assert "internal error" not in proc.stderr and "Traceback" not in proc.stderr
    assert elapsed < BUDGET + 8
    assert not list((tmp_path / "cache").rglob("*.json"))  # nothing that failed is cached


def test_an_answer_over_the_byte_limit(server: Server, tmp_path: Path) -> None:
    big = json.dumps({"title": "x" * 5000, "DOI": DOI}).encode()
    server.route(f"/{DOI}", Answer(200, big, CSL))
    proc, _ = run(server, tmp_path, CITETOOL_MAX_INPUT_BYTES="1000")
    assert proc.returncode == 1
    assert proc.stderr.splitlines() == [
        f"citetool: error: {DOI}: the answer from {server.url} is larger than 1000 bytes; refused"
    ]


def test_gzip_answers_are_read(server: Server, tmp_path: Path) -> None:
    server.route(f"/{DOI}", Answer(200, gzip.compress(GOOD), {**CSL, "Content-Encoding": "gzip"}))
    proc, _ = run(server, tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)[0]["title"] == "A good answer"


def test_retry_after_within_the_budget_is_honoured(server: Server, tmp_path: Path) -> None:
    server.route(f"/{DOI}", Answer(503, b"", {"Retry-After": "1"}), Answer(200, GOOD, CSL))
    proc, elapsed = run(server, tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert 1.0 <= elapsed < BUDGET + 5
    assert server.hits(f"/{DOI}") == 2


def test_unknown_charset_is_not_cached(server: Server, tmp_path: Path) -> None:
    options = HttpOptions(resolver=server.url, cache_dir=tmp_path / "cache", backoff=0.01)
    server.route(
        f"/{DOI}",
        Answer(200, GOOD, {"Content-Type": "application/json; charset=x-klingon"}),
        Answer(200, GOOD, CSL),
    )
    with pytest.raises(Exception, match="unknown charset"):
        lookup(DOI, options)
    assert lookup(DOI, options)["title"] == "A good answer"
    assert server.hits(f"/{DOI}") == 2


# --- hostile cache entries ------------------------------------------------------------------


def hostile_entry(kind: str, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "link to /dev/zero":
        path.symlink_to("/dev/zero")
    elif kind == "deeply nested":
        path.write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    elif kind == "nested value":
        value = "[" * 500 + "]" * 500
        path.write_text(f'{{"key": "{DOI}", "value": {value}}}', encoding="utf-8")
    elif kind == "directory":
        path.mkdir()


@pytest.mark.parametrize(
    "kind", ["fifo", "link to /dev/zero", "deeply nested", "nested value", "directory"]
)
def test_a_hostile_cache_entry_is_a_miss_and_replaced(
    server: Server, tmp_path: Path, kind: str
) -> None:
    options = HttpOptions(resolver=server.url, cache_dir=tmp_path / "cache")
    entry = options.cache("doi").path(DOI)
    hostile_entry(kind, entry)
    server.route(f"/{DOI}", Answer(200, GOOD, CSL))
    started = time.monotonic()
    assert lookup(DOI, options)["title"] == "A good answer"
    assert time.monotonic() - started < 5
    if kind != "directory":  # a directory is not replaced by a file (nor removed)
        assert entry.is_file() and not entry.is_symlink()
        assert json.loads(entry.read_text(encoding="utf-8"))["value"]["title"] == "A good answer"
    assert Path("/dev/zero").exists()


def test_a_hostile_cache_entry_on_the_command_line(server: Server, tmp_path: Path) -> None:
    options = HttpOptions(resolver=server.url, cache_dir=tmp_path / "cache")
    hostile_entry("fifo", options.cache("doi").path(DOI))
    proc, elapsed = run(server, tmp_path, "--offline")
    assert proc.returncode == 1 and elapsed < 10
    assert proc.stderr.splitlines() == [f"citetool: error: not in cache (offline): {DOI}"]


def test_a_page_in_an_unknown_charset(server: Server, tmp_path: Path) -> None:
    options = HttpOptions(cache_dir=tmp_path / "cache")
    server.route(
        "/page",
        Answer(
            200, b"<html><title>T</title></html>", {"Content-Type": "text/html; charset=x-klingon"}
        ),
    )
    from citetool.errors import NetworkError
    from citetool.resolve import read_url

    with pytest.raises(NetworkError, match="unknown charset 'x-klingon'"):
        read_url(f"{server.url}/page", options)
    assert not list((tmp_path / "cache").rglob("*.json"))
