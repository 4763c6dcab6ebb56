"""Plain text medium: no markup, no escaping (a citeproc-py formatter module)."""

from __future__ import annotations


def preformat(text: object) -> str:
    return str(text)


Italic = Oblique = Bold = Light = Underline = Superscript = Subscript = SmallCaps = str
NormalStyle = NormalVariant = NormalWeight = NoDecoration = Baseline = str


def Bibliography(entries: list[str]) -> str:  # noqa: N802 - named like the wrappers
    return "\n".join(entries)


def LeftMargin(text: str) -> str:  # noqa: N802
    """second-field-align in plain text: the label, then one space ("[1] P. Bielicki")."""
    return text.rstrip() + " "


def RightInline(text: str) -> str:  # noqa: N802
    return text.lstrip()


def Block(text: str) -> str:  # noqa: N802
    return text + "\n"


Indent = str
