"""Output media for formatted citations: text, html, markdown, latex, rtf and the terminal.

Every backend is a citeproc-py compatible *formatter module* (``preformat``, ``Italic``,
``Oblique``, ``Bold``, ``Light``, ``Underline``, ``Superscript``, ``Subscript``, ``SmallCaps``,
``Bibliography`` ...), so the engine can render with it directly.

Apart from ``text``, the backends render into one small markup, the HTML that citeproc-js writes
(``<i>``, ``<b>``, ``<sup>``, ``<span style="font-variant:small-caps;">`` ..., with ``& < >`` as
numeric entities), and ``finish()`` turns an entry in that markup into the medium. Rendering
through one intermediate keeps the engine's punctuation and case logic working on the markup
it is tested with (the CSL test-suite is HTML), lets every medium escape *all* of the text
(affixes and delimiters included) and means a ``text-case`` applied over formatted text cannot
corrupt a medium's commands (``\\textit`` upper-cased to ``\\TEXTIT``).

Escaping per medium: HTML ``& < >``; Markdown ``\\ * _ ` [ ] < >`` and a leading ``1.``/``#``;
LaTeX ``& % $ # _ { } ~ ^ \\``; RTF ``\\ { }`` and every non-ASCII character as ``\\uN?``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from .engine.html import BLOCK_CLASSES, INLINE_TAGS, tag
from .engine.html import preformat as html_escape

if TYPE_CHECKING:
    from rich.text import Text

FORMATS = ("text", "html", "markdown", "latex", "rtf", "terminal")

# -- the intermediate markup (citeproc-js's HTML) --------------------------------------------

# the HTML intermediate's wrappers: the engine's inline tags (one declaration) and the display
# blocks as plain divs
_WRAPPERS: dict[str, Callable[[object], str]] = {
    **{name: tag(*tags) for name, tags in INLINE_TAGS.items()},
    **{name: tag(f'<div class="{css}">', "</div>") for name, css in BLOCK_CLASSES.items()},
}


# -- parsing the intermediate into styled runs --------------------------------------------------

@dataclass(frozen=True)
class Run:
    """A piece of text and the font features in force for it."""

    text: str
    styles: frozenset[str] = frozenset()


_SPAN_STYLES = {
    "font-style:italic": ("+", "italic"),
    "font-style:oblique": ("+", "italic"),
    "font-style:normal": ("-", "italic"),
    "font-weight:bold": ("+", "bold"),
    "font-weight:normal": ("-", "bold"),
    "font-weight:lighter": ("-", "bold"),
    "font-weight:light": ("-", "bold"),
    "font-variant:small-caps": ("+", "smallcaps"),
    "font-variant:normal": ("-", "smallcaps"),
    "text-decoration:underline": ("+", "underline"),
    "text-decoration:none": ("-", "underline"),
    "vertical-align:sup": ("+", "sup"),
    "vertical-align:sub": ("+", "sub"),
    "baseline": ("-", "sup sub"),
    "vertical-align:baseline": ("-", "sup sub"),
}
_TAG_STYLES = {
    "i": ("+", "italic"),
    "em": ("+", "italic"),
    "b": ("+", "bold"),
    "strong": ("+", "bold"),
    "sup": ("+", "sup"),
    "sub": ("+", "sub"),
    "u": ("+", "underline"),
    "sc": ("+", "smallcaps"),
}
_BLOCKS = {"div", "p", "br"}


@lru_cache(maxsize=1)
def _run_parser() -> type[Any]:
    """The HTML reader of the intermediate markup, made on first use (html.parser is
    ~3 ms of start-up, and plain-text output never needs it)."""
    from html.parser import HTMLParser

    class _RunParser(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.runs: list[Run] = []
            self.stack: list[tuple[str, frozenset[str]]] = []
            self.current: frozenset[str] = frozenset()

        def _change(self, tag: str, attrs: list[tuple[str, str | None]]) -> frozenset[str]:
            styles = set(self.current)
            changes: list[tuple[str, str]] = []
            if tag in _TAG_STYLES:
                changes.append(_TAG_STYLES[tag])
            for name, value in attrs:
                if name == "style" and value:
                    for decl in value.replace(" ", "").split(";"):
                        if decl in _SPAN_STYLES:
                            changes.append(_SPAN_STYLES[decl])
            for op, names in changes:
                for name in names.split():
                    if op == "+":
                        styles.add(name)
                        if name in ("sup", "sub"):
                            styles.discard("sub" if name == "sup" else "sup")
                    else:
                        styles.discard(name)
            return frozenset(styles)

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            tag = tag.lower()
            if tag == "br":
                self.runs.append(Run(" ", self.current))
                return
            if tag in _BLOCKS:
                classes = dict(attrs).get("class") or ""
                if any(c in classes for c in ("csl-right-inline", "csl-indent", "csl-block")):
                    self.runs.append(Run(" ", frozenset()))  # separates a label from its text
            self.stack.append((tag, self.current))
            self.current = self._change(tag, attrs)

        def handle_endtag(self, tag: str) -> None:
            tag = tag.lower()
            for index in range(len(self.stack) - 1, -1, -1):
                if self.stack[index][0] == tag:
                    self.current = self.stack[index][1]
                    del self.stack[index:]
                    return

        def handle_data(self, data: str) -> None:
            if not data.strip() and "\n" in data:  # indentation between citeproc-js's <div>s
                return
            self.runs.append(Run(_one_line(data), self.current))

    return _RunParser


_LINE_BREAKS = re.compile(r"[ \t]*[\r\n\u2028\u2029]+[ \t]*")


def _one_line(text: str) -> str:
    """An entry on one line: a line break inside it (display="block" parts such as an
    abstract) becomes a space, so that every entry is one line of output."""
    return _LINE_BREAKS.sub(" ", text)


def _text_finish(text: str) -> str:
    return _one_line(text).strip()


def parse_runs(markup: str) -> list[Run]:
    """The styled runs of one entry in the intermediate markup (adjacent equal runs merged,
    whitespace at the ends and doubled at block seams removed)."""
    parser = _run_parser()()
    parser.feed(markup)
    parser.close()
    merged: list[Run] = []
    for run in parser.runs:
        if not run.text:
            continue
        if merged and merged[-1].styles == run.styles:
            merged[-1] = Run(merged[-1].text + run.text, run.styles)
        else:
            merged.append(run)
    # trim, and collapse the space a block seam added next to existing whitespace
    out: list[Run] = []
    for run in merged:
        text = run.text
        if out and out[-1].text.endswith(" ") and text.startswith(" "):
            text = text.lstrip(" ")
        if text:
            out.append(Run(text, run.styles))
    if out:
        out[0] = Run(out[0].text.lstrip(), out[0].styles)
        out[-1] = Run(out[-1].text.rstrip(), out[-1].styles)
    return [run for run in out if run.text]


def plain_text(markup: str) -> str:
    return "".join(run.text for run in parse_runs(markup))


# -- media ------------------------------------------------------------------------------------

def _split_space(text: str) -> tuple[str, str, str]:
    """(leading whitespace, core, trailing whitespace): emphasis markers hug the core."""
    core = text.strip()
    if not core:
        return text, "", ""
    start = text.index(core[0])
    return text[:start], core, text[start + len(core):]


_MD_SPECIALS = re.compile(r"([\\`*_\[\]<>])")
_MD_LINE_START = re.compile(r"^(\s*)(\d+)([.)])|^(\s*)([#+\-=>|])")


def markdown_escape(text: str) -> str:
    return _MD_SPECIALS.sub(r"\\\1", text)


def _markdown(runs: Sequence[Run]) -> str:
    parts = []
    for run in runs:
        text = markdown_escape(run.text)
        lead, core, trail = _split_space(text)
        if core:
            if "sup" in run.styles:
                core = f"<sup>{core}</sup>"
            elif "sub" in run.styles:
                core = f"<sub>{core}</sub>"
            marker = ("*" if "italic" in run.styles else "") + (
                "**" if "bold" in run.styles else ""
            )
            core = f"{marker}{core}{marker[::-1]}"
        parts.append(lead + core + trail)
    out = "".join(parts)
    # "1. Bielicki P." or "# x" at the start of a line would become a list or a heading
    return _MD_LINE_START.sub(
        lambda m: f"{m.group(1)}{m.group(2)}\\{m.group(3)}"
        if m.group(2)
        else f"{m.group(4)}\\{m.group(5)}",
        out,
    )


_LATEX_COMMANDS = (
    ("sub", r"\textsubscript"),
    ("sup", r"\textsuperscript"),
    ("underline", r"\underline"),
    ("smallcaps", r"\textsc"),
    ("bold", r"\textbf"),
    ("italic", r"\textit"),
)


@lru_cache(maxsize=1)
def _latex_specials() -> tuple[re.Pattern[str], dict[str, str]]:
    from ..latex import LATEX_SPECIALS  # only when LaTeX is asked for: not on cite's hot path

    return re.compile("[" + re.escape("".join(LATEX_SPECIALS)) + "]"), LATEX_SPECIALS


def latex_escape(text: str) -> str:
    pattern, table = _latex_specials()
    return pattern.sub(lambda m: table[m.group(0)], text)


def _latex(runs: Sequence[Run]) -> str:
    parts = []
    for run in runs:
        text = latex_escape(run.text)
        for name, command in _LATEX_COMMANDS:
            if name in run.styles:
                text = f"{command}{{{text}}}"
        parts.append(text)
    return "".join(parts)


_RTF_CONTROLS = (
    ("italic", r"\i"),
    ("bold", r"\b"),
    ("smallcaps", r"\scaps"),
    ("underline", r"\ul"),
    ("sup", r"\super"),
    ("sub", r"\sub"),
)


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


def _rtf(runs: Sequence[Run]) -> str:
    parts = []
    for run in runs:
        text = rtf_escape(run.text)
        controls = "".join(cmd for name, cmd in _RTF_CONTROLS if name in run.styles)
        parts.append(f"{{{controls} {text}}}" if controls else text)
    return "".join(parts)


def to_rich(markup: str) -> Text:
    """A rich ``Text`` for the terminal: italics, bold and underline as terminal styles."""
    from rich.style import Style
    from rich.text import Text

    text = Text()
    for run in parse_runs(markup):
        style = Style(
            italic="italic" in run.styles or None,
            bold="bold" in run.styles or None,
            underline="underline" in run.styles or None,
        )
        text.append(run.text, style=style)
    return text


def _ansi(runs: Sequence[Run]) -> str:
    codes = (("bold", "1"), ("italic", "3"), ("underline", "4"))
    parts = []
    for run in runs:
        sgr = ";".join(code for name, code in codes if name in run.styles)
        parts.append(f"\x1b[{sgr}m{run.text}\x1b[0m" if sgr else run.text)
    return "".join(parts)


def _html_entry(entry: str) -> str:
    if entry.startswith("<div class="):  # label and text as blocks: citeproc-js's layout
        return f'  <div class="csl-entry">\n    {entry}\n  </div>\n'
    return f'  <div class="csl-entry">{entry}</div>\n'


def _html_join(entries: Sequence[str]) -> str:
    return '<div class="csl-bib-body">\n' + "".join(map(_html_entry, entries)) + "</div>\n"


_RTF_HEADER = r"{\rtf1\ansi\deff0{\fonttbl{\f0\froman Times New Roman;}}\f0\fs24" + "\n"


def _rtf_join(entries: Sequence[str]) -> str:
    return _RTF_HEADER + "".join(f"{entry}\\par\n" for entry in entries) + "}\n"


@dataclass(frozen=True)
class Backend:
    """An output medium: the formatter module the engine renders with, how one rendered
    entry becomes the medium (``finish``) and how finished entries form a document (``join``)."""

    name: str
    description: str
    engine_output: str  # the engine medium rendered into: "text" or the "html" intermediate
    finish: Callable[[str], str]
    join: Callable[[Sequence[str]], str]
    module: Any = field(default=None, compare=False)

    def document(self, entries: Sequence[str], mode: str = "bibliography") -> str:
        """Finished entries as one document: a bibliography block, or one citation per line
        (an RTF document either way)."""
        if mode == "citation" and self.name != "rtf":
            return _lines(entries)
        return self.join(entries)


def _lines(entries: Sequence[str]) -> str:
    return "".join(f"{entry}\n" for entry in entries)


def _paragraphs(entries: Sequence[str]) -> str:
    return "\n".join(f"{entry}\n" for entry in entries)


def _from_runs(convert: Callable[[Sequence[Run]], str]) -> Callable[[str], str]:
    return lambda markup: convert(parse_runs(markup))


def _identity(text: str) -> str:
    return text


def _trim_html(markup: str) -> str:
    return markup.strip()


_SPECS: dict[str, tuple[str, str, Callable[[str], str], Callable[[Sequence[str]], str]]] = {
    "text": ("plain text, one entry per line", "text", _text_finish, _lines),
    "html": ("HTML as citeproc-js writes it (csl-bib-body / csl-entry)", "html", _trim_html,
             _html_join),
    "markdown": ("Markdown: *italic*, **bold**, specials escaped", "html", _from_runs(_markdown),
                 _paragraphs),
    "latex": ("LaTeX: \\textit, \\textbf, \\textsc, specials escaped", "html", _from_runs(_latex),
              _paragraphs),
    "rtf": ("RTF document (non-ASCII as \\uN?)", "html", _from_runs(_rtf), _rtf_join),
    "terminal": ("styled terminal output (ANSI italics/bold)", "html", _from_runs(_ansi),
                 _lines),
}


def _module(name: str, engine_output: str, finish: Callable[[str], str],
            join: Callable[[Sequence[str]], str]) -> SimpleNamespace:
    """A citeproc-py formatter module for the backend."""
    if engine_output == "text":
        wrappers: dict[str, Any] = {key: str for key in _WRAPPERS}
        preformat: Callable[[object], str] = str
    else:
        wrappers = dict(_WRAPPERS)
        preformat = html_escape
    return SimpleNamespace(
        __name__=f"citetool.csl.output.{name}",
        preformat=preformat,
        finish=finish,
        Bibliography=lambda entries: join([finish(str(entry)) for entry in entries]),
        **wrappers,
    )


BACKENDS: dict[str, Backend] = {
    name: Backend(name, desc, out, finish, join, _module(name, out, finish, join))
    for name, (desc, out, finish, join) in _SPECS.items()
}
ALIASES = {"txt": "text", "plain": "text", "md": "markdown", "tex": "latex", "ansi": "terminal"}


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
