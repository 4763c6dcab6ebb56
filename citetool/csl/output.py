"""Output formats: one backend class per format over the output tree (:mod:`.tree`).

A backend renders one :class:`~.tree.Root` (an entry or a citation) with :meth:`Backend.render`
(the format's own markup, as the engine-level API returns it), :meth:`Backend.entry` (the same,
trimmed to one finished entry) and joins finished entries into one document with
:meth:`Backend.document`. Each backend escapes text in exactly one method:

* ``text``: no markup, no escaping; an entry on one line;
* ``html``: the HTML citeproc-js writes (``<i>``, ``<b>``, ``<sup>``,
  ``<span style="font-variant:small-caps;">`` ..., ``& < >`` as numeric entities; a
  ``csl-bib-body`` block);
* ``markdown``: ``*italic*``, ``**bold**``, ``<sup>``; ``\\ * _ ` [ ] < >`` and a leading
  ``1.``/``#`` escaped;
* ``latex``: ``\\textit``, ``\\textbf``, ``\\textsc`` ...; ``& % $ # _ { } ~ ^ \\`` escaped;
* ``rtf``: ``{\\i ...}`` groups, ``\\ { }`` escaped and every non-ASCII character as ``\\uN?``;
* ``terminal``: rich styles (italic, bold, underline): :meth:`TerminalBackend.rich_text` for a
  console, and the ANSI text rich renders from the same styles.

Markdown, LaTeX, RTF and the terminal have no nested formatting worth the name: they write
the tree's *styled runs* (:func:`flatten`: text with the set of font features in force, display
parts as spaces, the entry on one line), each run on its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any, ClassVar

from .tree import SUPERSCRIPTS, Display, Format, NoCase, Node, Quote, Root, SupChars, Text

if TYPE_CHECKING:
    from rich.style import Style
    from rich.text import Text as RichText

FORMATS = ("text", "html", "markdown", "latex", "rtf", "terminal")
ALIASES = {"txt": "text", "plain": "text", "md": "markdown", "tex": "latex", "ansi": "terminal"}

_LINE_BREAKS = re.compile(r"[ \t]*[\r\n\u2028\u2029]+[ \t]*")


def _one_line(text: str) -> str:
    """An entry on one line: a line break inside it (display="block" parts such as an
    abstract) becomes a space, so that every entry is one line of output."""
    return _LINE_BREAKS.sub(" ", text)


def _lines(entries: Sequence[str]) -> str:
    return "".join(f"{entry}\n" for entry in entries)


def _paragraphs(entries: Sequence[str]) -> str:
    return "\n".join(f"{entry}\n" for entry in entries)


class Backend:
    """An output format. Subclasses render the tree (:meth:`render`); :meth:`entry` and
    :meth:`document` shape finished entries."""

    name: ClassVar[str]
    description: ClassVar[str]

    def render(self, root: Root) -> str:
        raise NotImplementedError

    def entry(self, root: Root) -> str:
        """One finished entry (or citation)."""
        return self.render(root)

    def bibliography(self, entries: Sequence[str]) -> str:
        """Finished entries as one bibliography document."""
        return _lines(entries)

    def document(self, entries: Sequence[str], mode: str = "bibliography") -> str:
        """Finished entries as one document: a bibliography, or one citation per line."""
        return self.bibliography(entries) if mode == "bibliography" else _lines(entries)


# -- formats written as nested markup --------------------------------------------------------

class MarkupBackend(Backend):
    """A format written by walking the tree: one method per node kind."""

    def escape(self, text: str) -> str:
        return text

    def format(self, style: str, inner: str) -> str:
        return inner

    def superscript_chars(self, node: SupChars) -> str:
        return self.escape(node.value)

    def quote(self, node: Quote, inner: str) -> str:
        return self.escape(node.open) + inner + self.escape(node.close)

    def display(self, kind: str, inner: str) -> str:
        return inner

    def render(self, root: Root) -> str:
        return self._children(root.children)

    def _children(self, nodes: tuple[Node, ...]) -> str:
        return "".join([self._node(node) for node in nodes])

    def _node(self, node: Node) -> str:
        if isinstance(node, Text):
            return self.escape(node.value)
        if isinstance(node, Format):
            return self.format(node.style, self._children(node.children))
        if isinstance(node, Quote):
            return self.quote(node, self._children(node.children))
        if isinstance(node, NoCase):
            return self._children(node.children)
        if isinstance(node, SupChars):
            return self.superscript_chars(node)
        if isinstance(node, Display):
            return self.display(node.kind, self._children(node.children))
        raise TypeError(f"not an output tree node: {node!r}")


class TextBackend(MarkupBackend):
    name = "text"
    description = "plain text, one entry per line"

    def display(self, kind: str, inner: str) -> str:
        if kind == "block":
            return inner.rstrip() + "\n"
        if kind == "left-margin":  # second-field-align: the label, then one space
            return inner.rstrip() + " "
        if kind == "right-inline":
            return inner.lstrip()
        return inner

    def entry(self, root: Root) -> str:
        return _one_line(self.render(root)).strip()


_HTML_ESCAPES = str.maketrans({"&": "&#38;", "<": "&#60;", ">": "&#62;"})


def html_escape(text: str) -> str:
    """Escape text for HTML the way citeproc-js does (numeric entities)."""
    return text.translate(_HTML_ESCAPES)


class HtmlBackend(MarkupBackend):
    """HTML as citeproc-js writes it; the CSL test-suite fixtures expect exactly this."""

    name = "html"
    description = "HTML as citeproc-js writes it (csl-bib-body / csl-entry)"
    TAGS: ClassVar[dict[str, tuple[str, str]]] = {
        "italic": ("<i>", "</i>"),
        "oblique": ("<em>", "</em>"),
        "bold": ("<b>", "</b>"),
        "light": ('<span style="font-weight:lighter;">', "</span>"),
        "underline": ('<span style="text-decoration:underline;">', "</span>"),
        "superscript": ("<sup>", "</sup>"),
        "subscript": ("<sub>", "</sub>"),
        "small-caps": ('<span style="font-variant:small-caps;">', "</span>"),
        "normal-style": ('<span style="font-style:normal;">', "</span>"),
        "normal-variant": ('<span style="font-variant:normal;">', "</span>"),
        "normal-weight": ('<span style="font-weight:normal;">', "</span>"),
        "no-decoration": ('<span style="text-decoration:none;">', "</span>"),
        "baseline": ('<span style="baseline">', "</span>"),
    }

    def escape(self, text: str) -> str:
        return text.translate(_HTML_ESCAPES)

    def format(self, style: str, inner: str) -> str:
        opening, closing = self.TAGS[style]
        return f"{opening}{inner}{closing}"

    def superscript_chars(self, node: SupChars) -> str:
        return "".join(f"<sup>{self.escape(SUPERSCRIPTS[char])}</sup>" for char in node.value)

    def display(self, kind: str, inner: str) -> str:
        # citeproc-js's layout: line breaks and indentation around the divs
        if kind == "block":
            return f'\n\n    <div class="csl-block">{inner.rstrip()}</div>\n'
        if kind == "left-margin":
            return f'\n    <div class="csl-left-margin">{inner}</div>'
        return f'<div class="csl-{kind}">{inner}</div>\n  '

    def entry(self, root: Root) -> str:
        return self.render(root).strip()

    def bibliography(self, entries: Sequence[str]) -> str:
        # an entry that is a label and a text part: the parts on their own line, as the
        # untrimmed entry (render) has them
        return self.bib_body(f"\n    {entry}\n  " if entry.startswith("<div class=") else entry
                             for entry in entries) + "\n"

    @staticmethod
    def bib_body(rendered: Iterable[str]) -> str:
        """Entries as citeproc-js's ``makeBibliography`` joins them (what the CSL test-suite
        fixtures hold)."""
        body = "".join(f'  <div class="csl-entry">{entry}</div>\n' for entry in rendered)
        return f'<div class="csl-bib-body">\n{body}</div>'


class ModuleBackend(MarkupBackend):
    """A citeproc-py formatter module (``preformat``, ``Italic``, ``Bold`` ...) as a
    backend, for callers of the engine-level API that bring their own."""

    name = "module"
    description = "a citeproc-py formatter module"
    WRAPPERS: ClassVar[dict[str, str]] = {
        "italic": "Italic", "oblique": "Oblique", "bold": "Bold", "light": "Light",
        "underline": "Underline", "superscript": "Superscript", "subscript": "Subscript",
        "small-caps": "SmallCaps", "normal-style": "NormalStyle",
        "normal-variant": "NormalVariant", "normal-weight": "NormalWeight",
        "no-decoration": "NoDecoration", "baseline": "Baseline", "block": "Block",
        "left-margin": "LeftMargin", "right-inline": "RightInline", "indent": "Indent",
    }

    def __init__(self, module: Any) -> None:
        self.module = module

    def _wrap(self, name: str, inner: str) -> str:
        wrapper = getattr(self.module, self.WRAPPERS[name], None)
        return str(wrapper(inner)) if wrapper is not None else inner

    def escape(self, text: str) -> str:
        return str(self.module.preformat(text))

    def format(self, style: str, inner: str) -> str:
        return self._wrap(style, inner)

    def superscript_chars(self, node: SupChars) -> str:
        wrap = getattr(self.module, "Superscript", None)
        if wrap is None or str(wrap("x")) == "x":
            return self.escape(node.value)
        return "".join(str(wrap(self.escape(SUPERSCRIPTS[char]))) for char in node.value)

    def display(self, kind: str, inner: str) -> str:
        return self._wrap(kind, inner.rstrip() if kind == "block" else inner)


# -- formats written as styled runs ----------------------------------------------------------

class Styled:
    """A piece of text and the font features in force for it (italic, bold, smallcaps,
    underline, sup, sub)."""

    __slots__ = ("text", "styles")

    def __init__(self, text: str, styles: frozenset[str] = frozenset()) -> None:
        self.text = text
        self.styles = styles

    def __repr__(self) -> str:
        return f"Styled({self.text!r}, {sorted(self.styles)!r})"


# how each tree style changes the features in force: (added, removed)
_FEATURES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    style: (frozenset(added.split()), frozenset(removed.split()))
    for style, added, removed in (
        ("italic", "italic", ""), ("oblique", "italic", ""), ("bold", "bold", ""),
        ("light", "", "bold"), ("underline", "underline", ""),
        ("superscript", "sup", "sub"), ("subscript", "sub", "sup"),
        ("small-caps", "smallcaps", ""), ("normal-style", "", "italic"),
        ("normal-weight", "", "bold"), ("normal-variant", "", "smallcaps"),
        ("no-decoration", "", "underline"), ("baseline", "", "sup sub"))
}
_NO_STYLES: frozenset[str] = frozenset()


class _Flattener:
    """The styled runs of a tree. Text between two changes of font is one piece; a piece
    of whitespace around a line break alone is dropped and line breaks become spaces; a
    block, right-inline or indent part opens with a space (it separates a label from its
    text), a block ends with a line break: the entry reads as one line, as its HTML does."""

    def __init__(self) -> None:
        self.runs: list[Styled] = []
        self.pending: list[str] = []
        self.styles = _NO_STYLES

    def flush(self) -> None:
        if not self.pending:
            return
        data = "".join(self.pending)
        self.pending = []
        if data and (data.strip() or "\n" not in data):
            self.runs.append(Styled(_one_line(data), self.styles))

    def in_styles(self, styles: frozenset[str], nodes: tuple[Node, ...] | str) -> None:
        self.flush()
        outer, self.styles = self.styles, styles
        if isinstance(nodes, str):
            self.pending.append(nodes)
        else:
            self.walk(nodes)
        self.flush()
        self.styles = outer

    def change(self, style: str) -> frozenset[str]:
        added, removed = _FEATURES[style]
        return (self.styles - removed) | added

    def walk(self, nodes: tuple[Node, ...]) -> None:
        for node in nodes:
            if isinstance(node, Text):
                self.pending.append(node.value)
            elif isinstance(node, Format):
                self.in_styles(self.change(node.style), node.children)
            elif isinstance(node, Quote):
                self.pending.append(node.open)
                self.walk(node.children)
                self.pending.append(node.close)
            elif isinstance(node, NoCase):
                self.walk(node.children)
            elif isinstance(node, SupChars):
                for char in node.value:
                    self.in_styles(self.change("superscript"), SUPERSCRIPTS[char])
            elif isinstance(node, Display):
                self.display(node)

    def display(self, node: Display) -> None:
        # the line breaks around the parts as in the HTML (HtmlBackend.display)
        before, after = _DISPLAY_BREAKS.get(node.kind, ("", "\n  "))
        self.pending.append(before)
        self.flush()
        if node.kind != "left-margin":
            self.runs.append(Styled(" "))
        self.in_styles(self.styles, node.children)
        self.pending.append(after)


_DISPLAY_BREAKS = {"block": ("\n\n    ", "\n"), "left-margin": ("\n    ", "")}


def flatten(root: Root) -> list[Styled]:
    """The styled runs of one entry: adjacent runs of equal styles merged, whitespace at the
    ends and doubled at the seams of display parts removed."""
    flattener = _Flattener()
    flattener.walk(root.children)
    flattener.flush()
    merged: list[Styled] = []
    for run in flattener.runs:
        if not run.text:
            continue
        if merged and merged[-1].styles == run.styles:
            merged[-1] = Styled(merged[-1].text + run.text, run.styles)
        else:
            merged.append(run)
    out: list[Styled] = []
    for run in merged:
        text = run.text
        if out and out[-1].text.endswith(" ") and text.startswith(" "):
            text = text.lstrip(" ")
        if text:
            out.append(Styled(text, run.styles))
    if out:
        out[0] = Styled(out[0].text.lstrip(), out[0].styles)
        out[-1] = Styled(out[-1].text.rstrip(), out[-1].styles)
    return [run for run in out if run.text]


class RunBackend(Backend):
    """A format written run by run (:func:`flatten`)."""

    def render(self, root: Root) -> str:
        return self.write(flatten(root))

    def write(self, runs: list[Styled]) -> str:
        return "".join(self.run(run.text, run.styles) for run in runs)

    def run(self, text: str, styles: frozenset[str]) -> str:
        raise NotImplementedError

    def bibliography(self, entries: Sequence[str]) -> str:
        return _paragraphs(entries)


def _split_space(text: str) -> tuple[str, str, str]:
    """(leading whitespace, core, trailing whitespace): emphasis markers hug the core."""
    core = text.strip()
    if not core:
        return text, "", ""
    start = text.index(core[0])
    return text[:start], core, text[start + len(core):]


# patterns used through the re module (compiled and cached there on first use: a cite in
# another format never pays for them)
_MD_SPECIALS = r"([\\`*_\[\]<>])"
_MD_LINE_START = r"^(\s*)(\d+)([.)])|^(\s*)([#+\-=>|])"


def markdown_escape(text: str) -> str:
    return re.sub(_MD_SPECIALS, r"\\\1", text)


class MarkdownBackend(RunBackend):
    name = "markdown"
    description = "Markdown: *italic*, **bold**, specials escaped"

    def run(self, text: str, styles: frozenset[str]) -> str:
        lead, core, trail = _split_space(markdown_escape(text))
        if core:
            if "sup" in styles:
                core = f"<sup>{core}</sup>"
            elif "sub" in styles:
                core = f"<sub>{core}</sub>"
            marker = ("*" if "italic" in styles else "") + ("**" if "bold" in styles else "")
            core = f"{marker}{core}{marker[::-1]}"
        return lead + core + trail

    def write(self, runs: list[Styled]) -> str:
        # "1. Bielicki P." or "# x" at the start of a line would become a list or a heading
        return re.sub(_MD_LINE_START,
            lambda m: f"{m.group(1)}{m.group(2)}\\{m.group(3)}" if m.group(2)
            else f"{m.group(4)}\\{m.group(5)}",
            super().write(runs))


@lru_cache(maxsize=1)
def _latex_specials() -> tuple[re.Pattern[str], dict[str, str]]:
    from ..latex import LATEX_SPECIALS  # only when LaTeX is asked for: not on cite's hot path

    return re.compile("[" + re.escape("".join(LATEX_SPECIALS)) + "]"), LATEX_SPECIALS


def latex_escape(text: str) -> str:
    pattern, table = _latex_specials()
    return pattern.sub(lambda m: table[m.group(0)], text)


class LatexBackend(RunBackend):
    name = "latex"
    description = "LaTeX: \\textit, \\textbf, \\textsc, specials escaped"
    COMMANDS = (("sub", r"\textsubscript"), ("sup", r"\textsuperscript"),
                ("underline", r"\underline"), ("smallcaps", r"\textsc"), ("bold", r"\textbf"),
                ("italic", r"\textit"))

    def run(self, text: str, styles: frozenset[str]) -> str:
        text = latex_escape(text)
        for name, command in self.COMMANDS:
            if name in styles:
                text = f"{command}{{{text}}}"
        return text


def rtf_escape(text: str) -> str:
    out = []
    for char in text:
        code = ord(char)
        if char in "\\{}":
            out.append("\\" + char)
        elif char == "\n":
            out.append(r"\line ")
        elif char == "\t":
            out.append(r"\tab ")
        elif code < 128:
            out.append(char)
        elif code < 0x10000:
            out.append(f"\\u{code if code < 0x8000 else code - 0x10000}?")
        else:  # outside the BMP: a UTF-16 surrogate pair
            code -= 0x10000
            for unit in (0xD800 + (code >> 10), 0xDC00 + (code & 0x3FF)):
                out.append(f"\\u{unit - 0x10000}?")
    return "".join(out)


class RtfBackend(RunBackend):
    name = "rtf"
    description = "RTF document (non-ASCII as \\uN?)"
    CONTROLS = (("italic", r"\i"), ("bold", r"\b"), ("smallcaps", r"\scaps"),
                ("underline", r"\ul"), ("sup", r"\super"), ("sub", r"\sub"))
    HEADER = r"{\rtf1\ansi\deff0{\fonttbl{\f0\froman Times New Roman;}}\f0\fs24" + "\n"

    def run(self, text: str, styles: frozenset[str]) -> str:
        text = rtf_escape(text)
        controls = "".join(command for name, command in self.CONTROLS if name in styles)
        return f"{{{controls} {text}}}" if controls else text

    def bibliography(self, entries: Sequence[str]) -> str:
        return self.HEADER + "".join(f"{entry}\\par\n" for entry in entries) + "}\n"

    def document(self, entries: Sequence[str], mode: str = "bibliography") -> str:
        return self.bibliography(entries)  # an RTF document for citations too


class TerminalBackend(RunBackend):
    """The terminal: italics, bold and underline as rich styles. :meth:`rich_text` is what a
    rich console prints; :meth:`render` is the ANSI text rich writes for the same styles."""

    name = "terminal"
    description = "styled terminal output (ANSI italics/bold)"
    bibliography = Backend.bibliography  # one entry per line

    @staticmethod
    def _styles(runs: list[Styled]) -> list[tuple[str, Style | None]]:
        from rich.style import Style

        out: list[tuple[str, Style | None]] = []
        for run in runs:
            style = Style(italic="italic" in run.styles or None,
                          bold="bold" in run.styles or None,
                          underline="underline" in run.styles or None)
            out.append((run.text, style or None))
        return out

    def rich_text(self, root: Root) -> RichText:
        from rich.text import Text as RichText

        text = RichText()
        for piece, style in self._styles(flatten(root)):
            text.append(piece, style=style)
        return text

    def write(self, runs: list[Styled]) -> str:
        return "".join(style.render(piece) if style is not None else piece
                       for piece, style in self._styles(runs))


BACKENDS: dict[str, Backend] = {backend.name: backend for backend in (
    TextBackend(), HtmlBackend(), MarkdownBackend(), LatexBackend(), RtfBackend(),
    TerminalBackend())}


def get_backend(name: str) -> Backend:
    """The backend called ``name`` (or an alias such as ``md``, ``tex``)."""
    key = ALIASES.get(name.lower(), name.lower())
    try:
        return BACKENDS[key]
    except KeyError:
        from ..errors import FormatError

        raise FormatError(
            f"unknown output format {name!r} (choose from: {', '.join(FORMATS)})"
        ) from None


def backend_for(output: str | Backend | Any) -> Backend:
    """A backend from a name, a backend, or a citeproc-py formatter module."""
    if isinstance(output, Backend):
        return output
    if isinstance(output, str):
        return get_backend(output)
    return ModuleBackend(output)


def renderer(output: str | Backend | Any) -> Callable[[Root], str]:
    """What the engine-level API maps each tree with: the backend's :meth:`~Backend.render`."""
    return backend_for(output).render
