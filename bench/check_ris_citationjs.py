"""Does an independent RIS reader get out of citetool's RIS what citetool put in?

    python bench/check_ris_citationjs.py            # seed + the CDL corpus (6,315 records)
    python bench/check_ris_citationjs.py --sample   # seed + tests/data/ris sample only

Records (the seed record, the CDL bibliography read from bibutils' RIS, a few hand-made
shapes: particles, suffixes, editors, books) are written with ``citetool.writers.ris``, read
back by citation-js (``bench/check_ris_citationjs.mjs``, plugin-ris from npm, installed by
``bench/setup_peers.sh``), and compared field by field with citetool's own CSL-JSON for the
same records.  Prints per-field agreement and the first disagreements; writes
``bench/results/ris-citationjs.md``.  Exits 0 with a note when node or citation-js is missing.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT / "tests"))

from ris_seed import seed_record  # noqa: E402

from citetool.csljson import to_csl  # noqa: E402
from citetool.io import read_source  # noqa: E402
from citetool.model import Date, Name, Record  # noqa: E402
from citetool.readers.ris import read  # noqa: E402
from citetool.writers.ris import write  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "ris" / "cdl-bibliography.bibutils.ris"
SAMPLE = ROOT / "tests" / "data" / "ris" / "cdl-bibliography.bibutils.sample.ris"
HOME = Path(os.environ.get("CITATIONJS_HOME", BENCH / ".peers" / "citationjs"))

FIELDS = ("type", "title", "author", "editor", "issued", "accessed", "container-title",
          "collection-title", "volume", "issue", "page", "DOI", "URL", "publisher",
          "publisher-place", "ISSN", "ISBN", "language", "abstract", "keyword", "edition",
          "number-of-pages", "note", "event-title", "event-place")

#: Disagreements understood (citation-js follows the RIS spec's per-type tag lists).
KNOWN = """Known differences, all on citation-js's side of the RIS spec's per-type tag lists:

* publisher / publisher-place of journal articles: the spec has no PB/CY for JOUR, and
  citation-js (like Zotero, whose journal articles have no publisher) does not read them;
* issue of reports: bibutils writes a report number as IS; the spec's RPRT has no IS;
* editor of a journal article (A2): citation-js reads A2 as editor only for chapter-like
  types; Zotero's RIS translator reads A2 of a journal article as its editor.
"""


def shapes() -> list[Record]:
    return [
        Record(id="shape-names", type="article-journal",
               fields={"title": "Names", "container-title": "J", "page": "e0815"},
               names={"author": (Name(family="Berg", given="Jan", non_dropping_particle="van der"),
                                 Name(family="King", given="Martin Luther", suffix="Jr."),
                                 Name(family="Łukasiewicz", given="Jan"),
                                 Name(literal="World Health Organization")),
                      "editor": (Name(family="Doe", given="Jane"),)},
               dates={"issued": Date.of(2020, 5, 1), "accessed": Date.of(2021, 2, 3)}),
        Record(id="shape-book", type="book",
               fields={"title": "A Book", "publisher": "Wydawnictwo", "publisher-place": "Łódź",
                       "ISBN": "978-83-7611-000-0", "edition": "2", "number-of-pages": "320",
                       "collection-title": "Series"},
               names={"author": (Name(family="Żółć", given="Gęś"),),
                      "editor": (Name(family="Ed", given="Itor"),)},
               dates={"issued": Date.of(1999)}),
        Record(id="shape-chapter", type="chapter",
               fields={"title": "A Chapter", "container-title": "The Book", "page": "5-19"},
               names={"author": (Name(family="A", given="B"),),
                      "editor": (Name(family="C", given="D"),)},
               dates={"issued": Date.of(2001)}),
    ]


def norm(field: str, value: Any) -> Any:
    if value in (None, "", [], {}):
        return None
    if field in ("author", "editor"):
        return [" ".join(n.get(k, "") for k in ("given", "dropping-particle",
                                                "non-dropping-particle", "family", "suffix",
                                                "literal") if n.get(k)) for n in value]
    if field in ("issued", "accessed"):
        return value.get("date-parts", [[None]])[0] if isinstance(value, dict) else value
    if field == "page":
        return re.sub(r"\s*[-–—]+\s*", "-", str(value))
    if field == "keyword":
        words = value if isinstance(value, list) else re.split(r"\s*[,;]\s*", str(value))
        return sorted(w.strip() for w in words if w.strip())
    if field == "DOI":
        return str(value).lower()
    return " ".join(str(value).split())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sample", action="store_true", help="only the tests/data sample")
    args = parser.parse_args()
    node = shutil.which("node")
    if node is None or not (HOME / "node_modules" / "@citation-js" / "plugin-ris").exists():
        print(f"skipped: node or citation-js missing (looked in {HOME}; "
              "run bash bench/setup_peers.sh)")
        return 0
    source = SAMPLE if args.sample or not CORPUS.exists() else CORPUS
    corpus = read(read_source(str(source)).text, source.name).records
    records = [seed_record(), *shapes(), *corpus]
    result = write(records)
    version = json.loads((HOME / "node_modules/@citation-js/core/package.json").read_text())
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "out.ris"
        path.write_text(result.text, "utf-8", newline="")
        done = subprocess.run([node, str(BENCH / "check_ris_citationjs.mjs"), str(path)],
                              capture_output=True, check=False,
                              env={**os.environ, "CITATIONJS_HOME": str(HOME)})
    if done.returncode != 0:
        print("citation-js failed:", done.stderr.decode()[:2000])
        return 1
    theirs = {str(item.get("id")): item for item in json.loads(done.stdout)}
    agree: Counter[str] = Counter()
    total: Counter[str] = Counter()
    examples: dict[str, list[str]] = {}
    missing = 0
    for record in records:
        ours = to_csl(record, custom=False)
        item = theirs.get(record.id)
        if item is None:
            missing += 1
            continue
        for field in FIELDS:
            mine, other = norm(field, ours.get(field)), norm(field, item.get(field))
            if mine is None:
                continue
            total[field] += 1
            if mine == other:
                agree[field] += 1
            elif len(examples.setdefault(field, [])) < 3:
                examples[field].append(f"{record.id}: ours {mine!r} / citation-js {other!r}")
    lines = [
        "# citetool RIS output read by citation-js",
        "",
        f"citation-js {version['version']} (@citation-js/plugin-ris); {len(records)} records "
        f"(seed, {len(shapes())} hand-made shapes, {len(corpus)} from {source.name}); "
        f"{missing} records not found by id in citation-js's output.",
        "",
        "| field | records with it | citation-js reads the same | agreement |",
        "|---|---:|---:|---:|",
    ]
    for field in FIELDS:
        if total[field]:
            lines.append(f"| {field} | {total[field]} | {agree[field]} | "
                         f"{100 * agree[field] / total[field]:.1f}% |")
    lines += ["", KNOWN, "First disagreements:", ""]
    for field, items in examples.items():
        lines += [f"* {field}: {e}" for e in items]
    report = "\n".join(lines) + "\n"
    print(report)
    out = BENCH / "results" / "ris-citationjs.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text(report, "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
