"""Issue 6: untrusted XML and HTML never resolve external entities, never read a local file,
never touch the network and refuse entity-expansion bombs.

The "secret" is a file the hostile style points at. Two proofs that it is never read:
its content never reaches stdout or stderr, and, where the file is a FIFO, nobody ever
opens it (a FIFO opened for reading blocks until a writer comes; the test polls for a
reader the whole time the command runs and fails if one shows up).
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MALFORMED = Path(__file__).resolve().parent / "malformed"
CSL_NS = "http://purl.org/net/xbiblio/csl"

RECORD = [{"id": "doe2020", "type": "book", "title": "A Good Book",
           "author": [{"family": "Doe", "given": "Jane"}], "issued": {"date-parts": [[2020]]}}]


def have(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def cite_exists() -> bool:
    if not have("citetool.cli.citing") or not have("citetool.csl.styles"):
        return False
    from citetool.cli import citing

    return hasattr(citing, "cite")


needs_styles = pytest.mark.skipif(not have("citetool.csl.styles"),
                                  reason="citetool.csl.styles does not exist yet")
needs_cite = pytest.mark.skipif(not cite_exists(),
                                reason="citetool cite (citetool/cli/citing.py) does not exist yet")


# --- hostile styles --------------------------------------------------------------------

def _style(doctype: str, title: str = "Hostile", body: str = "") -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
{doctype}
<style xmlns="{CSL_NS}" class="in-text" version="1.0">
  <info><title>{title}</title><id>hostile</id>
    <updated>2020-01-01T00:00:00+00:00</updated></info>
  <citation><layout><text variable="title"/>{body}</layout></citation>
  <bibliography><layout><text variable="title"/>{body}</layout></bibliography>
</style>
"""


def general_entity(url: str) -> str:
    return _style(f'<!DOCTYPE style [\n  <!ENTITY x SYSTEM "{url}">\n]>', "&x;",
                  '<text value="&x;"/>')


def parameter_entity(url: str) -> str:
    return _style(f'<!DOCTYPE style [\n  <!ENTITY % p SYSTEM "{url}">\n  %p;\n]>')


def external_dtd(url: str) -> str:
    return _style(f'<!DOCTYPE style SYSTEM "{url}">')


def xinclude(url: str) -> str:
    return _style("", "Hostile",
                  f'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="{url}" '
                  'parse="text"/>')


HOSTILE: dict[str, Callable[[str], str]] = {
    "general-entity": general_entity,
    "parameter-entity": parameter_entity,
    "external-dtd": external_dtd,
    "xinclude": xinclude,
}

LAUGHS = (MALFORMED / "csl-billion-laughs.csl").read_text(encoding="utf-8")


def quadratic_blowup() -> str:
    """One 50 kB entity used 50,000 times: 2.5 GB if expanded (no nesting needed)."""
    big = "a" * 50_000
    uses = "&a;" * 50_000
    return _style(f'<!DOCTYPE style [\n  <!ENTITY a "{big}">\n]>', "Blowup",
                  f'<text value="{uses}"/>')


# --- running -------------------------------------------------------------------------


#: peak RSS (MB) of the last run_cite child, measured with os.wait4 (per child, not the max
#: over every child this process ever had)
LAST_PEAK_MB: list[float] = [0.0]


def run_cite(style: Path, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    records = cwd / "records.json"
    records.write_text(json.dumps(RECORD), encoding="utf-8")
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("CITETOOL_DEBUG", None)
    args = [sys.executable, "-m", "citetool", "cite", records.name, "--style", style.name]
    out, err = cwd / ".cite.stdout", cwd / ".cite.stderr"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        proc = subprocess.Popen(args, stdout=stdout, stderr=stderr, cwd=cwd, env=env)
        deadline = time.monotonic() + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                proc.kill()
                raise subprocess.TimeoutExpired(args, timeout)
            time.sleep(0.02)
    proc.returncode = os.waitstatus_to_exitcode(status)
    LAST_PEAK_MB[0] = usage.ru_maxrss / (1024 if sys.platform != "darwin" else 1024 * 1024)
    result = subprocess.CompletedProcess(args, proc.returncode,
                                         out.read_text(encoding="utf-8", errors="replace"),
                                         err.read_text(encoding="utf-8", errors="replace"))
    out.unlink()
    err.unlink()
    return result


def assert_one_line_style_error(proc: subprocess.CompletedProcess[str], style: Path) -> None:
    assert proc.returncode == 1, (proc.returncode, proc.stdout, proc.stderr)
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr, proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("citetool: ") and style.name in lines[0], proc.stderr


class FifoWatch:
    """A FIFO standing in for the secret file; records whether anyone opened it to read."""

    def __init__(self, path: Path, secret: str) -> None:
        self.path = path
        self.secret = secret
        self.opened = False
        self._stop = threading.Event()
        os.mkfifo(path)
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self) -> None:
        while not self._stop.is_set():
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_NONBLOCK)
            except OSError:  # ENXIO: no reader has it open
                time.sleep(0.005)
                continue
            self.opened = True
            try:
                os.write(fd, self.secret.encode())
            finally:
                os.close(fd)
            return

    def __enter__(self) -> FifoWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


def _secret() -> str:
    return f"TOP-SECRET-{uuid.uuid4().hex}"


@needs_cite
@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_cite_with_external_entities_never_reads_the_file(tmp_path: Path, kind: str) -> None:
    secret = _secret()
    secret_file = tmp_path / "secret.txt"
    secret_file.write_text(secret + "\n", encoding="utf-8")
    style = tmp_path / f"{kind}.csl"
    style.write_text(HOSTILE[kind](secret_file.as_uri()), encoding="utf-8")
    proc = run_cite(style, tmp_path)
    assert secret not in proc.stdout and secret not in proc.stderr
    if kind == "xinclude":
        # XInclude is never processed: the style is a valid one with an unknown element,
        # and either renders (without the secret) or is refused in one line
        assert proc.returncode in (0, 1) and "Traceback" not in proc.stderr, proc.stderr
    else:
        assert_one_line_style_error(proc, style)


@needs_cite
@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_cite_never_opens_the_entity_target(tmp_path: Path, kind: str) -> None:
    secret = _secret()
    fifo = tmp_path / "secret.fifo"
    style = tmp_path / f"{kind}.csl"
    style.write_text(HOSTILE[kind](fifo.as_uri()), encoding="utf-8")
    with FifoWatch(fifo, secret) as watch:
        proc = run_cite(style, tmp_path, timeout=30)
    assert not watch.opened, f"{kind}: the style loader opened the entity's target file"
    assert secret not in proc.stdout + proc.stderr


@needs_cite
def test_cite_with_a_network_dtd_does_not_hang(tmp_path: Path) -> None:
    # a non-routable address: a fetch would hang for the connect timeout
    style = tmp_path / "network.csl"
    style.write_text(external_dtd("http://10.255.255.1/evil.dtd"), encoding="utf-8")
    start = time.monotonic()
    proc = run_cite(style, tmp_path, timeout=60)
    assert time.monotonic() - start < 10
    assert_one_line_style_error(proc, style)


@needs_cite
@pytest.mark.parametrize("bomb", ["billion-laughs", "quadratic-blowup"])
def test_cite_refuses_entity_bombs_quickly_in_bounded_memory(tmp_path: Path, bomb: str) -> None:
    style = tmp_path / f"{bomb}.csl"
    style.write_text(LAUGHS if bomb == "billion-laughs" else quadratic_blowup(),
                     encoding="utf-8")
    start = time.monotonic()
    proc = run_cite(style, tmp_path, timeout=60)
    seconds = time.monotonic() - start
    assert_one_line_style_error(proc, style)
    assert "lol" * 20 not in proc.stderr and "a" * 200 not in proc.stderr
    assert seconds < 10, f"{seconds:.1f} s"
    assert LAST_PEAK_MB[0] < 600, f"peak RSS {LAST_PEAK_MB[0]:.0f} MB"


@needs_cite
@pytest.mark.parametrize("name", ["csl-not-csl.csl", "csl-not-xml.csl", "csl-xxe.csl",
                                  "csl-billion-laughs.csl"])
def test_cite_with_corpus_styles_is_one_line(tmp_path: Path, name: str) -> None:
    style = tmp_path / name
    style.write_bytes((MALFORMED / name).read_bytes())
    proc = run_cite(style, tmp_path)
    assert_one_line_style_error(proc, style)
    hostname = Path("/etc/hostname")
    if name == "csl-xxe.csl" and hostname.is_file():
        content = hostname.read_text(encoding="utf-8", errors="replace").strip()
        if len(content) >= 4:
            assert content not in proc.stdout + proc.stderr


@needs_cite
def test_cite_with_a_seed_record_and_a_hostile_style(tmp_path: Path) -> None:
    """The issue's own form: ``citetool cite SEED --style bad.csl``."""
    if not have("citetool.readers.landing"):
        pytest.skip("citetool.readers.landing does not exist yet")
    secret = _secret()
    secret_file = tmp_path / "secret.txt"
    secret_file.write_text(secret, encoding="utf-8")
    style = tmp_path / "bad.csl"
    style.write_text(general_entity(secret_file.as_uri()), encoding="utf-8")
    seed = ROOT / "examples" / "article-record.txt"
    proc = subprocess.run(
        [sys.executable, "-m", "citetool", "cite", str(seed), "--style", str(style)],
        capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"}, timeout=60,
        check=False)
    assert proc.returncode == 1 and proc.stdout == ""
    assert len(proc.stderr.splitlines()) == 1 and "bad.csl" in proc.stderr
    assert secret not in proc.stderr


# --- the style loader, directly --------------------------------------------------------


@needs_styles
@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_style_loader_refuses_or_ignores_external_entities(tmp_path: Path, kind: str) -> None:
    from citetool.csl import styles
    from citetool.errors import StyleError

    secret = _secret()
    secret_file = tmp_path / "secret.txt"
    secret_file.write_text(secret, encoding="utf-8")
    path = tmp_path / f"{kind}.csl"
    path.write_text(HOSTILE[kind](secret_file.as_uri()), encoding="utf-8")
    styles.find_style.cache_clear()
    try:
        root = styles.parse_style_file(path)
    except StyleError as exc:
        assert secret not in str(exc)
        assert "\n" not in str(exc)
        return
    assert kind == "xinclude", f"{kind}: a style with external entities was accepted"
    assert not any(secret in (node.text or "") or secret in " ".join(node.attrib.values())
                   for node in root.iter())


@needs_styles
def test_style_loader_refuses_billion_laughs(tmp_path: Path) -> None:
    from citetool.csl import styles
    from citetool.errors import StyleError

    path = tmp_path / "laughs.csl"
    path.write_text(LAUGHS, encoding="utf-8")
    start = time.monotonic()
    with pytest.raises(StyleError) as info:
        styles.parse_style_file(path)
    assert time.monotonic() - start < 5
    assert len(str(info.value)) < 300


@needs_styles
@pytest.mark.parametrize("name", ["csl-not-csl.csl", "csl-not-xml.csl"])
def test_style_loader_names_what_is_wrong(name: str) -> None:
    from citetool.csl import styles
    from citetool.errors import StyleError

    with pytest.raises(StyleError, match="not a (valid )?CSL style") as info:
        styles.find_style(str(MALFORMED / name))
    assert info.value.source and name in info.value.source


@needs_styles
def test_render_api_refuses_a_hostile_style(tmp_path: Path) -> None:
    from citetool.api import render
    from citetool.csljson import from_csl
    from citetool.errors import StyleError

    secret = _secret()
    secret_file = tmp_path / "secret.txt"
    secret_file.write_text(secret, encoding="utf-8")
    path = tmp_path / "api.csl"
    path.write_text(general_entity(secret_file.as_uri()), encoding="utf-8")
    with pytest.raises(StyleError) as info:
        render([from_csl(RECORD[0])], style=str(path))
    assert secret not in str(info.value)


@pytest.mark.skipif(not have("citetool.csl.engine.style"),
                    reason="citetool.csl.engine.style does not exist yet")
def test_engine_parser_does_not_resolve_entities_either(tmp_path: Path) -> None:
    """Defence in depth: the engine's own loader, should anything reach it directly."""
    from citetool.csl.engine import style as engine_style
    from citetool.errors import StyleError

    secret = _secret()
    secret_file = tmp_path / "secret.txt"
    secret_file.write_text(secret, encoding="utf-8")
    path = tmp_path / "engine.csl"
    path.write_text(general_entity(secret_file.as_uri()), encoding="utf-8")
    with pytest.raises(StyleError) as info:
        engine_style.load_style(str(path))
    assert secret not in str(info.value)


# --- HTML landing pages ----------------------------------------------------------------


def _export(page: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("CITETOOL_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "citetool", "export", page.name, "--to", "csljson"],
        capture_output=True, text=True, cwd=page.parent, env=env, timeout=60, check=False)


@pytest.mark.skipif(not have("citetool.readers.html"),
                    reason="citetool.readers.html does not exist yet")
def test_html_page_with_external_entity_never_leaks(tmp_path: Path) -> None:
    secret = _secret()
    secret_file = tmp_path / "secret.txt"
    secret_file.write_text(secret, encoding="utf-8")
    page = tmp_path / "page.html"
    page.write_text(
        f'<!DOCTYPE html [<!ENTITY x SYSTEM "{secret_file.as_uri()}">]>\n'
        '<html><head><meta name="citation_title" content="Title &x;">\n'
        '<meta name="citation_author" content="Doe, Jane">\n'
        '<meta name="citation_publication_date" content="2020">\n'
        "<title>&x;</title></head><body>&x;</body></html>\n", encoding="utf-8")
    proc = _export(page)
    assert proc.returncode in (0, 1) and "Traceback" not in proc.stderr, proc.stderr
    assert secret not in proc.stdout + proc.stderr


@pytest.mark.skipif(not have("citetool.readers.html"),
                    reason="citetool.readers.html does not exist yet")
def test_html_page_with_entity_bomb_is_fast(tmp_path: Path) -> None:
    page = tmp_path / "laughs.html"
    head = LAUGHS.split("<style", 1)[0].replace("<!DOCTYPE style", "<!DOCTYPE html")
    head = head.replace('<?xml version="1.0" encoding="utf-8"?>\n', "")
    page.write_text(head + '<html><head><meta name="citation_title" content="&lol9;">\n'
                    '<meta name="citation_author" content="Doe, Jane"></head>'
                    "<body>&lol9;</body></html>\n", encoding="utf-8")
    start = time.monotonic()
    proc = _export(page)
    assert time.monotonic() - start < 10
    assert proc.returncode in (0, 1) and "Traceback" not in proc.stderr, proc.stderr
    assert "lol" * 1000 not in proc.stdout
