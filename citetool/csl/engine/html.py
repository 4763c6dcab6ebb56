"""The engine's reference medium: HTML as citeproc-js writes it.

A citeproc-py formatter module (``preformat`` plus one wrapper per CSL formatting attribute).
The CSL test-suite fixtures expect exactly this markup: ``<i>``, ``<b>``, ``<sup>``, ``<sub>``,
``<span style="font-variant:small-caps;">``, and the characters ``& < >`` written as the numeric
entities ``&#38; &#60; &#62;``.
"""

from __future__ import annotations

_ESCAPES = str.maketrans({"&": "&#38;", "<": "&#60;", ">": "&#62;"})


def preformat(text: object) -> str:
    """Escape text for HTML the way citeproc-js does (numeric entities)."""
    return str(text).translate(_ESCAPES)


class _Tag(str):
    open_tag = ""
    close_tag = ""

    def __new__(cls, text: object) -> _Tag:
        return super().__new__(cls, f"{cls.open_tag}{text}{cls.close_tag}")


class Italic(_Tag):
    open_tag, close_tag = "<i>", "</i>"


class Oblique(_Tag):
    open_tag, close_tag = "<em>", "</em>"


class Bold(_Tag):
    open_tag, close_tag = "<b>", "</b>"


class Light(_Tag):
    open_tag, close_tag = '<span style="font-weight:lighter;">', "</span>"


class Underline(_Tag):
    open_tag, close_tag = '<span style="text-decoration:underline;">', "</span>"


class Superscript(_Tag):
    open_tag, close_tag = "<sup>", "</sup>"


class Subscript(_Tag):
    open_tag, close_tag = "<sub>", "</sub>"


class SmallCaps(_Tag):
    open_tag, close_tag = '<span style="font-variant:small-caps;">', "</span>"


class NormalStyle(_Tag):
    open_tag, close_tag = '<span style="font-style:normal;">', "</span>"


class NormalVariant(_Tag):
    open_tag, close_tag = '<span style="font-variant:normal;">', "</span>"


class NormalWeight(_Tag):
    open_tag, close_tag = '<span style="font-weight:normal;">', "</span>"


class NoDecoration(_Tag):
    open_tag, close_tag = '<span style="text-decoration:none;">', "</span>"


class Baseline(_Tag):
    open_tag, close_tag = '<span style="baseline">', "</span>"


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
