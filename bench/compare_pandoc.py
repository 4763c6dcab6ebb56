"""Field-by-field comparison of citetool's BibLaTeX reader with pandoc's.

    python bench/compare_pandoc.py [FILE.bib] [--from biblatex|bibtex] [--show N] [--json]

Both sides convert the same file to CSL-JSON: pandoc with ``pandoc -f biblatex -t csljson``
(the binary shipped in the PyPI package pypandoc-binary, a test/bench extra), citetool with
its reader and :func:`citetool.csljson.to_csl`.  Every (entry, CSL variable) pair that either
side fills is one comparison; the agreement rate is the share of pairs where both give the
same value after normalising what is a convention, not content:

* whitespace, no-break spaces, typographic apostrophes/quotes (pandoc makes ``'`` curly);
* page ranges: hyphen vs en dash (pandoc writes ``-``, citetool keeps LaTeX's ``--`` as –);
* letter case counts: both turn English titles into sentence case (CSL's convention; see
  citetool/case.py), so a title that differs only in case is a difference ("case" column);
* names are compared as displayed (particle as dropping or non-dropping is a convention);
* pandoc keeps ``\\emph``/``\\textsc`` as HTML markup (``<i>``, small-caps spans); citetool's
  records hold plain text, so values equal once pandoc's tags are removed count as
  "markup" (counted as agreement, in its own column).

Differences are listed per variable with examples, so each can be fixed or explained.
Default file: ../shared/corpus/bib/biblatex-examples.bib.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT.parent / "shared" / "corpus" / "bib" / "biblatex-examples.bib"
TITLE_VARS = {"title", "container-title", "collection-title", "title-short", "original-title",
              "event-title", "container-title-short"}


def pandoc_path() -> str:
    try:
        import pypandoc  # type: ignore[import-not-found]
    except ImportError:  # pragma: no cover - bench extra
        sys.exit("pandoc is not installed: pip install pypandoc-binary")
    return str(pypandoc.get_pandoc_path())


def pandoc_items(path: Path, fmt: str) -> dict[str, dict[str, Any]]:
    out = subprocess.run(
        [pandoc_path(), "-f", fmt, "-t", "csljson", str(path)],
        check=True, capture_output=True, text=True,
    ).stdout
    return {item["id"]: item for item in json.loads(out)}


def citetool_items(path: Path) -> tuple[dict[str, dict[str, Any]], list[str]]:
    sys.path.insert(0, str(ROOT))
    from citetool.csljson import to_csl
    from citetool.readers.bibtex import read

    result = read(path.read_text(encoding="utf-8"), str(path))
    items = {}
    for record in result.records:
        item = to_csl(record, custom=False)
        item.pop("citation-key", None)
        items[record.id] = item
    return items, [d.format() for d in result.diagnostics]


def norm_text(value: Any) -> str:
    text = unicodedata.normalize("NFC", str(value))
    text = text.replace("\u00a0", " ").replace("\u2009", " ")
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(text.split())


def norm_page(value: Any) -> str:
    return re.sub(r"\s*[-–—]+\s*", "-", norm_text(value))


def norm_names(value: Any) -> list[str]:
    out = []
    for name in value or []:
        if "literal" in name:
            out.append(norm_text(name["literal"]))
            continue
        parts = [name.get(k, "") for k in ("given", "dropping-particle",
                                             "non-dropping-particle", "family")]
        text = " ".join(p for p in parts if p)
        if name.get("suffix"):
            text += " " + name["suffix"]
        out.append(norm_text(text))
    return out


def norm_date(value: Any) -> Any:
    if isinstance(value, dict):
        if "date-parts" in value:
            return [[int(p) for p in dp] for dp in value["date-parts"]]
        return norm_text(value.get("literal") or value.get("raw") or "")
    return norm_text(value)


def compare(ours: dict[str, Any], theirs: dict[str, Any], var: str) -> str:
    """'same', 'markup' (same but pandoc's HTML markup), 'case' (same but letter case: a
    difference), 'differ', 'only-citetool', 'only-pandoc'."""
    if var not in theirs:
        return "only-citetool"
    if var not in ours:
        return "only-pandoc"
    a, b = ours[var], theirs[var]
    if isinstance(a, list) or isinstance(b, list):
        return "same" if norm_names(a) == norm_names(b) else "differ"
    if isinstance(a, dict) or isinstance(b, dict):
        return "same" if norm_date(a) == norm_date(b) else "differ"
    if var == "page":
        return "same" if norm_page(a) == norm_page(b) else "differ"
    x, y = norm_text(a), norm_text(b)
    if x == y:
        return "same"
    if norm_text(re.sub(r"<[^>]+>", "", x)) == norm_text(re.sub(r"<[^>]+>", "", y)):
        return "markup"  # pandoc's HTML for \\emph, \\textsc; citetool's nocase spans
    if var in ("language", "genre") and x.split("-")[0].casefold() == y.split("-")[0].casefold():
        return "markup"  # en vs en-US: a convention
    if x.casefold() == y.casefold():
        return "case"
    return "differ"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--from", dest="fmt", default="biblatex")
    parser.add_argument("--show", type=int, default=3, help="examples per variable")
    parser.add_argument("--json", action="store_true", help="machine-readable summary")
    args = parser.parse_args(argv)

    theirs_all = pandoc_items(args.file, args.fmt)
    ours_all, diagnostics = citetool_items(args.file)
    common = sorted(set(theirs_all) & set(ours_all))
    outcomes: dict[str, Counter[str]] = defaultdict(Counter)
    examples: dict[tuple[str, str], list[str]] = defaultdict(list)
    total: Counter[str] = Counter()
    for key in common:
        ours, theirs = ours_all[key], theirs_all[key]
        for var in sorted((set(ours) | set(theirs)) - {"id"}):
            outcome = compare(ours, theirs, var)
            outcomes[var][outcome] += 1
            total[outcome] += 1
            if outcome != "same" and len(examples[(var, outcome)]) < args.show:
                examples[(var, outcome)].append(
                    f"{key}: citetool={json.dumps(ours.get(var), ensure_ascii=False)[:120]} "
                    f"pandoc={json.dumps(theirs.get(var), ensure_ascii=False)[:120]}"
                )
    pairs = sum(total.values())
    agree = total["same"] + total["markup"]
    summary = {
        "file": str(args.file),
        "entries_pandoc": len(theirs_all),
        "entries_citetool": len(ours_all),
        "entries_compared": len(common),
        "only_pandoc": sorted(set(theirs_all) - set(ours_all)),
        "only_citetool": sorted(set(ours_all) - set(theirs_all)),
        "pairs": pairs,
        "same": total["same"],
        "same_but_markup": total["markup"],
        "differ_in_case_only": total["case"],
        "differ": total["differ"],
        "only_citetool_fills": total["only-citetool"],
        "only_pandoc_fills": total["only-pandoc"],
        "agreement": round(agree / pairs, 4) if pairs else 1.0,
        "agreement_where_both": round(agree / max(1, agree + total["case"] + total["differ"]),
                                      4),
        "per_variable": {v: dict(c) for v, c in sorted(outcomes.items())},
    }
    if args.json:
        print(json.dumps(summary, indent=2, ensure_ascii=False))
        return 0
    print(f"# citetool vs pandoc {args.fmt} -> csljson: {args.file.name}\n")
    print(f"entries: pandoc {len(theirs_all)}, citetool {len(ours_all)}, compared {len(common)}")
    if summary["only_pandoc"]:
        print(f"only in pandoc: {', '.join(summary['only_pandoc'])}")
    for line in diagnostics:
        print(f"citetool: {line}")
    print(
        f"\n(entry, variable) pairs: {pairs}; same {total['same']}, "
        f"same up to markup {total['markup']}, differ in letter case only {total['case']}, "
        f"differ {total['differ']}, "
        f"only citetool fills {total['only-citetool']}, "
        f"only pandoc fills {total['only-pandoc']}"
    )
    print(f"agreement (same, or up to markup, letter case counted; over all pairs): "
          f"{summary['agreement']:.1%}")
    print(f"agreement where both fill the variable: {summary['agreement_where_both']:.1%}\n")
    print("| variable | same | markup only | case only | differ | only citetool | only pandoc |")
    print("|---|---|---|---|---|---|---|")
    for var, c in sorted(outcomes.items()):
        print(f"| {var} | {c['same']} | {c['markup']} | {c['case']} | {c['differ']} | "
              f"{c['only-citetool']} | {c['only-pandoc']} |")
    print()
    for (var, outcome), lines in sorted(examples.items()):
        print(f"## {var}: {outcome}")
        for line in lines:
            print(f"- {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
