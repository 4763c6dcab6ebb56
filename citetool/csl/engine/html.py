"""The engine's reference medium: HTML as citeproc-js writes it.

A citeproc-py formatter module (``preformat`` plus one wrapper per CSL formatting attribute).
The CSL test-suite fixtures expect exactly this markup: ``<i>``, ``<b>``, ``<sup>``, ``<sub>``,
``<span style="font-variant:small-caps;">``, and the characters ``& < >`` written as the numeric
entities ``&#38; &#60; &#62;``.
"""

from __future__ import annotations

from collections.abc import Callable

_ESCAPES = str.maketrans({"&": "&#38;", "<": "&#60;", ">": "&#62;"})


def preformat(text: object) -> str:
    """Escape text for HTML the way citeproc-js does (numeric entities)."""
    return str(text).translate(_ESCAPES)


# the inline wrappers, declared once: the engine's HTML here and every HTML-based output
# format (citetool/csl/output.py) use this table
INLINE_TAGS: dict[str, tuple[str, str]] = {
    "Italic": ("<i>", "</i>"),
    "Oblique": ("<em>", "</em>"),
    "Bold": ("<b>", "</b>"),
    "Light": ('<span style="font-weight:lighter;">', "</span>"),
    "Underline": ('<span style="text-decoration:underline;">', "</span>"),
    "Superscript": ("<sup>", "</sup>"),
    "Subscript": ("<sub>", "</sub>"),
    "SmallCaps": ('<span style="font-variant:small-caps;">', "</span>"),
    "NormalStyle": ('<span style="font-style:normal;">', "</span>"),
    "NormalVariant": ('<span style="font-variant:normal;">', "</span>"),
    "NormalWeight": ('<span style="font-weight:normal;">', "</span>"),
    "NoDecoration": ('<span style="text-decoration:none;">', "</span>"),
    "Baseline": ('<span style="baseline">', "</span>"),
}
# the display wrappers: a div of this class (citeproc-js adds line breaks around them)
BLOCK_CLASSES = {"Block": "csl-block", "LeftMargin": "csl-left-margin",
                 "RightInline": "csl-right-inline", "Indent": "csl-indent"}


def tag(open_tag: str, close_tag: str) -> Callable[[object], str]:
    def wrap(text: object) -> str:
        return f"{open_tag}{text}{close_tag}"

    return wrap


Italic, Oblique, Bold, Light, Underline, Superscript, Subscript, SmallCaps, NormalStyle, \
    NormalVariant, NormalWeight, NoDecoration, Baseline = (tag(*t) for t in INLINE_TAGS.values())


def Block(text: str) -> str:  # noqa: N802 - named like the other wrappers
    return f'\n\n    <div class="csl-block">{text}</div>\n'


def LeftMargin(text: str) -> str:  # noqa: N802
    return f'\n    <div class="csl-left-margin">{text}</div>'


def RightInline(text: str) -> str:  # noqa: N802
    return f'<div class="csl-right-inline">{text}</div>\n  '


def Indent(text: str) -> str:  # noqa: N802
    return f'<div class="csl-indent">{text}</div>\n  '


def Bibliography(entries: list[str]) -> str:  # noqa: N802
    """The whole bibliography as citeproc-js's ``makeBibliography`` joins it."""
    body = "".join(f'  <div class="csl-entry">{entry}</div>\n' for entry in entries)
    return f'<div class="csl-bib-body">\n{body}</div>'
