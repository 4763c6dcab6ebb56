"""A parsed style is shared, read-only, by every render (issue 15: "no mutable state on the
style object"): renders of several styles in several threads at once, over the same cached
styles and locale files, print exactly what one render at a time prints."""

from __future__ import annotations

import json
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from citetool.csl.engine import format_bibliography

WHOLE = Path(__file__).resolve().parent / "golden" / "citeproc-js" / "whole"
STYLES = ("apa", "chicago-author-date", "modern-language-association", "ieee",
          "iso690-author-date-en", "chicago-notes-bibliography")


def test_concurrent_renders_agree_with_serial_ones() -> None:
    items = []
    for name in ("names-and-particles", "given-names-per-list"):
        items += json.loads((WHOLE / f"{name}.json").read_text(encoding="utf-8"))["items"]
    for index, item in enumerate(items):
        item["id"] = f"{index}-{item['id']}"
    serial = {style: format_bibliography([dict(i) for i in items], style, None, "text")
              for style in STYLES}
    jobs = [style for _ in range(4) for style in STYLES]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads switch as often as they can: races show
    try:
        with ThreadPoolExecutor(max_workers=6) as pool:
            results = list(pool.map(
                lambda style: (style, format_bibliography([dict(i) for i in items], style,
                                                          None, "text")), jobs))
    finally:
        sys.setswitchinterval(interval)
    for style, entries in results:
        assert entries == serial[style], style
