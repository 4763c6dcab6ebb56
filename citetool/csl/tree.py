"""The output tree: one rendered entry or citation as typed nodes, ready for any backend.

The engine's elements still evaluate to strings with private-use marker characters
(:mod:`.engine.richtext`: ``OPEN kind ... CLOSE``); replacing them means rewriting the
element layer and is not done yet. They live only between element evaluation and
:func:`build`: ``build`` parses the markers once and applies, format-independently, what
citeproc-js does on its output tree:

* ``punctuation-in-quote``: a period or comma right after a closing quote moves inside it;
* adjacent punctuation collapses (``..`` → ``.``, ``?.`` → ``?``, ``,.`` → ``.``) where two
  pieces of output meet, never inside one variable's value;
* flip-flop: italics inside italics become upright (``normal-style``), likewise bold and
  small caps; quotes inside quotes alternate between the locale's outer and inner marks;
* a display block loses the whitespace it ends with.

The result is a :class:`Root` of the nodes below (immutable, slotted). Nothing after ``build``
sees a marker character or parses markup: the backends (:mod:`citetool.csl.output`) walk
the tree and do their own escaping.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

from .engine.richtext import (
    APOSTROPHE,
    BASELINE,
    BLOCK,
    BOLD,
    CLOSE,
    CQUOTE,
    CURLY_DOUBLE,
    CURLY_SINGLE,
    DOUBLE_AS_INNER,
    FIELD,
    INDENT,
    ITALIC,
    KINDS,
    LEFT_MARGIN,
    LIGHT,
    NO_DECORATION,
    NOCASE,
    NODECOR,
    NORMAL_STYLE,
    NORMAL_VARIANT,
    NORMAL_WEIGHT,
    OBLIQUE,
    OPEN,
    QUOTE,
    QUOTES,
    RIGHT_INLINE,
    SINGLE_AS_OUTER,
    SMALLCAPS,
    SQUOTE,
    SUB,
    SUP,
    UNDERLINE,
)

# -- the nodes ----------------------------------------------------------------------------
# Slotted classes, immutable by use (children are tuples): a frozen dataclass costs ~1 ms of
# start-up per class, and one-record ``cite`` pays start-up on every run.

class _Node:
    __slots__: tuple[str, ...] = ()

    def _fields(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, _Node) and type(other) is type(self)
                and self._fields() == other._fields())

    def __hash__(self) -> int:
        return hash((type(self), self._fields()))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(map(repr, self._fields()))})"


class Text(_Node):
    """Text as it is to be read (backends escape it)."""

    __slots__ = ("value",)

    def __init__(self, value: str) -> None:
        self.value = value


class SupChars(_Node):
    """Unicode superscript characters of the data (ª, º, ², ʳᵉ) outside any superscript:
    a backend with superscript markup writes each as the superscript of its plain character
    (:data:`SUPERSCRIPTS`), as citeproc-js does; plain text keeps them as written."""

    __slots__ = ("value",)

    def __init__(self, value: str) -> None:
        self.value = value


#: the font features a :class:`Format` node sets (the CSL formatting attributes; the
#: ``normal-*`` / ``no-decoration`` / ``baseline`` ones undo an enclosing feature)
STYLES = ("italic", "oblique", "bold", "light", "underline", "superscript", "subscript",
          "small-caps", "normal-style", "normal-weight", "normal-variant", "no-decoration",
          "baseline")


class Format(_Node):
    """Children in one font feature of :data:`STYLES` (flip-flop already resolved)."""

    __slots__ = ("style", "children")

    def __init__(self, style: str, children: tuple[Node, ...]) -> None:
        self.style = style
        self.children = children


class Quote(_Node):
    """Quoted children; ``open``/``close`` are the locale's marks (outer or inner, already
    alternated by nesting depth), ``inner`` says which."""

    __slots__ = ("open", "close", "inner", "children")

    def __init__(self, open: str, close: str, inner: bool,
                 children: tuple[Node, ...]) -> None:
        self.open = open
        self.close = close
        self.inner = inner
        self.children = children


class NoCase(_Node):
    """Children that text-case left alone (``<span class="nocase">`` in the data)."""

    __slots__ = ("children",)

    def __init__(self, children: tuple[Node, ...]) -> None:
        self.children = children


#: the CSL ``display`` values a :class:`Display` node carries
DISPLAYS = ("block", "left-margin", "right-inline", "indent")


class Display(_Node):
    """A ``display`` part of the entry: one of :data:`DISPLAYS`."""

    __slots__ = ("kind", "children")

    def __init__(self, kind: str, children: tuple[Node, ...]) -> None:
        self.kind = kind
        self.children = children


class Root(_Node):
    """One bibliography entry or one citation."""

    __slots__ = ("children",)

    def __init__(self, children: tuple[Node, ...]) -> None:
        self.children = children


Node = Text | SupChars | Format | Quote | NoCase | Display


# -- parsing the marker text (mutable spans, for the punctuation passes) -------------------

class _Span:
    __slots__ = ("kind", "children")

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.children: list[Any] = []


def _parse(text: str) -> list[Any]:
    root: list[Any] = []
    stack = [root]
    i = 0
    buffer: list[str] = []
    n = len(text)
    while i < n:
        char = text[i]
        if char == OPEN and i + 1 < n and text[i + 1] in KINDS:
            if buffer:
                stack[-1].append("".join(buffer))
                buffer = []
            node = _Span(text[i + 1])
            stack[-1].append(node)
            stack.append(node.children)
            i += 2
            continue
        if char == CLOSE and len(stack) > 1:
            if buffer:
                stack[-1].append("".join(buffer))
                buffer = []
            stack.pop()
            i += 1
            continue
        if char == APOSTROPHE:
            buffer.append("\u2019")
        elif char not in (OPEN, CLOSE):
            buffer.append(char)
        i += 1
    if buffer:
        stack[-1].append("".join(buffer))
    return root


def _leaves(nodes: list[Any], out: list[tuple[list[Any], int]]) -> None:
    for index, node in enumerate(nodes):
        if isinstance(node, _Span):
            _leaves(node.children, out)
        else:
            out.append((nodes, index))


# How two punctuation marks that meet are merged, as citeproc-js does (the CSL test-suite
# "FullMonty" tables): (mark before, mark after) → what is kept. Pairs not listed keep both.
_MERGE = {
    ("!", "."): "!", ("?", "."): "?", (":", "."): ":", (";", "."): ";", (".", "."): ".",
    (";", ":"): ";", ("!", ":"): "!", ("?", ":"): "?", (":", ":"): ":",
    (":", "!"): "!", (";", "!"): "!", ("!", "!"): "!",
    (":", "?"): "?", (";", "?"): "?", ("?", "?"): "?",
    (";", ";"): ";", (",", ","): ",",
}
_IN_LEAF = re.compile(r"(?<!\.)([.:;!?,])([.:;!?,])(?![.:;!?,])")


def _merge_in_leaf(match: re.Match[str]) -> str:
    pair = (match.group(1), match.group(2))
    return _MERGE.get(pair, match.group(0))


def _field_leaves(nodes: list[Any], out: list[tuple[list[Any], int, int]], field: int) -> None:
    """Like :func:`_leaves`, with the id of the FIELD span (one variable's value) each text
    lies in (0: none)."""
    for index, node in enumerate(nodes):
        if isinstance(node, _Span):
            inner = id(node) if node.kind == FIELD and not field else field
            _field_leaves(node.children, out, inner)
        else:
            out.append((nodes, index, field))


def _collapse_punctuation(tree: list[Any]) -> None:
    # citeproc-js merges punctuation only where two rendered pieces meet, never inside one
    # variable's value ("19:4<377::AID-JCC1>" in a DOI keeps both colons)
    leaves: list[tuple[list[Any], int, int]] = []
    _field_leaves(tree, leaves, 0)
    for holder, index, field_id in leaves:
        if not field_id:
            holder[index] = _IN_LEAF.sub(_merge_in_leaf, holder[index])
    previous: tuple[list[Any], int] | None = None
    previous_field = 0
    for holder, index, field_id in leaves:
        text = holder[index]
        if not text:
            continue
        if previous is not None and not (field_id and field_id == previous_field):
            prev_text = previous[0][previous[1]]
            pair = (prev_text[-1:], text[:1])
            merged = _MERGE.get(pair)
            if merged is not None and (prev_text[-2:-1] != "." or prev_text.endswith("...")):
                # (an ellipsis takes the period after it: "Proceedings ..." + "." -> "...")
                if merged == pair[0]:
                    text = text[1:]
                else:
                    previous[0][previous[1]] = prev_text[:-1]
            holder[index] = text
        if holder[index]:
            previous = (holder, index)
            previous_field = field_id


def _trailing_quote(node: _Span) -> _Span | None:
    """The innermost quote of the style (quotes="true") that ends exactly where ``node``
    ends, if any; quotation marks written in the data take punctuation only when they end
    the variable's value and the punctuation comes from the style (citeproc-js: the title
    ``Aristotle's "De Motu Animalium"`` then "." gives ``“De Motu Animalium.”``)."""
    found = node if node.kind == CQUOTE else None
    in_field = node.kind == FIELD
    while node.children and isinstance(node.children[-1], _Span):
        node = node.children[-1]
        in_field = in_field or node.kind == FIELD
        if node.kind in QUOTES:
            found = node if node.kind == CQUOTE or in_field or found is not None else found
    return found


def _move_punctuation_into_quotes(nodes: list[Any]) -> None:
    """punctuation-in-quote: "." or "," right after a closing quote goes inside it."""
    for index, node in enumerate(nodes):
        if not isinstance(node, _Span):
            continue
        _move_punctuation_into_quotes(node.children)
        if index + 1 >= len(nodes):
            continue
        quote = _trailing_quote(node)
        following = nodes[index + 1]
        if quote is None or not isinstance(following, str) or following[:1] not in ".,!?":
            continue
        mark = following[0]
        nodes[index + 1] = following[1:]
        inner = _last_text(quote)
        if inner is None:
            quote.children.append(mark)
            continue
        holder, at = inner
        last = holder[at][-1:]
        merged = _MERGE.get((last, mark))
        if merged is None:
            holder[at] = holder[at] + mark
        elif merged != last:
            holder[at] = holder[at][:-1] + merged


def _last_text(node: _Span) -> tuple[list[Any], int] | None:
    leaves: list[tuple[list[Any], int]] = []
    _leaves(node.children, leaves)
    for holder, index in reversed(leaves):
        if holder[index]:
            return holder, index
    return None


# -- resolving the spans into typed nodes (flip-flop, quote marks) --------------------------

def _superscripts() -> dict[str, str]:
    table = {"\u02c0": "\u0294", "\u02c1": "\u0295", "\u06e5": "\u0648",
             "\u06e6": "\u064a"}  # modifier letters without a <super> decomposition
    for start, end in ((0x00A0, 0x0100), (0x02B0, 0x0370), (0x1D2C, 0x1DC0),
                       (0x2070, 0x20A0), (0x2100, 0x2130), (0x3190, 0x31A0)):
        for code in range(start, end):
            char = chr(code)
            decomposition = unicodedata.decomposition(char)
            if decomposition.startswith("<super> "):
                table[char] = "".join(chr(int(c, 16)) for c in decomposition.split()[1:])
    return table


SUPERSCRIPTS = _superscripts()
_SUPERSCRIPT = re.compile("[" + re.escape("".join(SUPERSCRIPTS)) + "]+")
# compiled by re.split on first use
_SUPERSCRIPT_SPLIT = "([" + re.escape("".join(SUPERSCRIPTS)) + "]+)"

_FLIP = {ITALIC: NORMAL_STYLE, OBLIQUE: NORMAL_STYLE, BOLD: NORMAL_WEIGHT,
         SMALLCAPS: NORMAL_VARIANT}
_NORMAL_OF = {NORMAL_STYLE: ITALIC, NORMAL_WEIGHT: BOLD, NORMAL_VARIANT: SMALLCAPS,
              NO_DECORATION: UNDERLINE}
_STYLE_OF = {ITALIC: "italic", OBLIQUE: "oblique", BOLD: "bold", LIGHT: "light",
             UNDERLINE: "underline", SUP: "superscript", SUB: "subscript",
             SMALLCAPS: "small-caps", NORMAL_STYLE: "normal-style",
             NORMAL_WEIGHT: "normal-weight", NORMAL_VARIANT: "normal-variant",
             NO_DECORATION: "no-decoration", BASELINE: "baseline"}
_DISPLAY_OF = {BLOCK: "block", LEFT_MARGIN: "left-margin", RIGHT_INLINE: "right-inline",
               INDENT: "indent"}
# a nodecor span inside these features undoes them, innermost first
_UNDO = ((ITALIC, "normal-style"), (BOLD, "normal-weight"), (SMALLCAPS, "normal-variant"))


#: straight quotes of the data by the marks they take (title case saw them as written)
_AS_MARKS = {SINGLE_AS_OUTER: QUOTE, DOUBLE_AS_INNER: SQUOTE}


def quote_marks(terms: dict[str, str]) -> dict[str, str]:
    """Spaces inside quote marks (French « … ») become narrow no-break spaces."""
    fixed = {}
    for name, mark in terms.items():
        if name.startswith("open"):
            mark = re.sub(r" +$", "\u202f", mark)
        else:
            mark = re.sub(r"^ +", "\u202f", mark)
        fixed[name] = mark
    return fixed


class _Resolver:
    """Spans → typed nodes, with flip-flop of nested formatting and quotes."""

    def __init__(self, terms: dict[str, str]) -> None:
        self.terms = quote_marks(terms)
        self.outer = self.terms.get("open-quote", "").strip(" \u202f\u00a0")
        self.inner = self.terms.get("open-inner-quote", "").strip(" \u202f\u00a0")

    def nodes(self, spans: list[Any], active: frozenset[str],
              depth: tuple[str, ...]) -> list[Node]:
        out: list[Node] = []
        for span in spans:
            if isinstance(span, str):
                if span:
                    self.text(span, active, out)
            else:
                self.span(span, active, depth, out)
        return out

    @staticmethod
    def text(text: str, active: frozenset[str], out: list[Node]) -> None:
        if SUP in active or not _SUPERSCRIPT.search(text):
            out.append(Text(text))
            return
        for piece in re.split(_SUPERSCRIPT_SPLIT, text):
            if piece:
                out.append(SupChars(piece) if _SUPERSCRIPT.fullmatch(piece) else Text(piece))

    def span(self, node: _Span, active: frozenset[str], depth: tuple[str, ...],
             out: list[Node]) -> None:
        kind = _AS_MARKS.get(node.kind, node.kind)
        if kind in (CURLY_DOUBLE, CURLY_SINGLE):
            opening = "\u201c" if kind == CURLY_DOUBLE else "\u2018"
            if opening not in (self.outer, self.inner):  # not this locale's marks: text
                out.append(Text(opening))
                out.extend(self.nodes(node.children, active, depth))
                out.append(Text("\u201d" if kind == CURLY_DOUBLE else "\u2019"))
                return
            kind = QUOTE if opening == self.outer else SQUOTE
        if kind in QUOTES:
            # a quote keeps the marks it was written with unless its enclosing quote uses
            # the same ones; then it flips (outer ↔ inner)
            marks = "inner" if kind == SQUOTE else "outer"
            if depth and depth[-1] == marks:
                marks = "inner" if marks == "outer" else "outer"
            quoted = tuple(self.nodes(node.children, active, depth + (marks,)))
            prefix = "" if marks == "outer" else "inner-"
            out.append(Quote(self.terms[f"open-{prefix}quote"], self.terms[f"close-{prefix}quote"],
                             marks == "inner", quoted))
            return
        if kind == NOCASE:
            out.append(NoCase(tuple(self.nodes(node.children, active, depth))))
            return
        if kind == NODECOR:
            inner = self.nodes(node.children, frozenset(), depth)
            for on, style in _UNDO:
                if on in active:
                    inner = [Format(style, tuple(inner))]
            out.extend(inner)
            return
        if kind in _FLIP:
            family = ITALIC if kind == OBLIQUE else kind
            if family in active:
                children = self.nodes(node.children, active - {family}, depth)
                out.append(Format(_STYLE_OF[_FLIP[kind]], tuple(children)))
            else:
                children = self.nodes(node.children, active | {family}, depth)
                out.append(Format(_STYLE_OF[kind], tuple(children)))
            return
        if kind in _NORMAL_OF:
            on = _NORMAL_OF[kind]
            if on in active:
                children = self.nodes(node.children, active - {on}, depth)
                out.append(Format(_STYLE_OF[kind], tuple(children)))
            else:
                out.extend(self.nodes(node.children, active, depth))
            return
        children = self.nodes(node.children, active | {kind} if kind in (SUP, SUB) else active,
                              depth)
        if kind in _DISPLAY_OF:
            if kind == BLOCK:
                children, _ = _rstrip(children)  # citeproc-js trims a display block
            out.append(Display(_DISPLAY_OF[kind], tuple(children)))
        elif kind in _STYLE_OF:
            out.append(Format(_STYLE_OF[kind], tuple(children)))
        else:  # a term, a field: marks for the passes above, nothing to render
            out.extend(children)


def _rstrip(nodes: list[Node] | tuple[Node, ...]) -> tuple[list[Node], bool]:
    """Nodes without the whitespace they end with: trailing text is stripped, through
    nocase spans and quote marks, up to the first formatted part or display part (that
    keeps its whitespace). Also says whether anything but whitespace was left."""
    out = list(nodes)
    while out:
        last = out[-1]
        if isinstance(last, Text):
            value = last.value.rstrip()
            if value:
                out[-1] = Text(value)
                return out, True
        elif isinstance(last, NoCase):
            children, solid = _rstrip(last.children)
            if solid:
                out[-1] = NoCase(tuple(children))
                return out, True
        elif isinstance(last, Quote):
            close = last.close.rstrip()
            children, solid = (list(last.children), True) if close else _rstrip(last.children)
            opening = last.open if close or solid else last.open.rstrip()
            if close or solid or opening:
                out[-1] = Quote(opening, close, last.inner, tuple(children))
                return out, True
        else:
            return out, True
        out.pop()
    return out, False


def build(text: object, terms: dict[str, str], punctuation_in_quote: bool) -> Root:
    """Marker text of one entry or citation → its output tree (see the module docstring).
    ``terms``: the locale's ``open-quote``, ``close-quote``, ``open-inner-quote`` and
    ``close-inner-quote``."""
    spans = _parse(str(text))
    if punctuation_in_quote:
        _move_punctuation_into_quotes(spans)
    _collapse_punctuation(spans)
    return Root(tuple(_resolver(tuple(terms.items())).nodes(spans, frozenset(), ())))


@lru_cache(maxsize=16)
def _resolver(terms: tuple[tuple[str, str], ...]) -> _Resolver:
    """One resolver per set of quote marks (a style run asks for the same ones each time)."""
    return _Resolver(dict(terms))
