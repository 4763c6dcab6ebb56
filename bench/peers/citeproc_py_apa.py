"""citeproc-py alone (no citetool): an APA bibliography of every item in a CSL-JSON file.

python citeproc_py_apa.py FILE.json   # plain-text entries, one per line, on stdout
"""

from __future__ import annotations

import json
import sys

from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON


def main(path: str) -> None:
    with open(path, encoding="utf-8") as fh:
        items = json.load(fh)
    source = CiteProcJSON(items)
    style = CitationStylesStyle("apa", locale="en-US", validate=False)
    bib = CitationStylesBibliography(style, source, formatter.plain)
    for item in items:
        bib.register(Citation([CitationItem(item["id"])]))
    out = sys.stdout
    for entry in bib.bibliography():
        out.write(str(entry) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
