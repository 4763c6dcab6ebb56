"""Rich text inside the engine, and its final rendering into any output medium.

citeproc-py writes markup straight into strings through the formatter module, which makes
nested formatting, quotes and punctuation impossible to get right afterwards. The engine
instead renders with :mod:`this module as the formatter <.richtext>`: every formatting span is
written as ``OPEN kind ... CLOSE`` with private-use characters, untouched by text-case and
string operations. :func:`finish` then parses the spans into a tree and applies what
citeproc-js does on its output tree:

* flip-flop: italics inside italics become upright (``font-style:normal``), likewise bold
  and small caps; quotes inside quotes alternate between outer and inner quote marks;
* ``punctuation-in-quote``: a period or comma right after a closing quote moves inside it;
* adjacent punctuation collapses (``..`` → ``.``, ``?.`` → ``?``, ``,.`` → ``.``) where two
  pieces of output meet;

and renders text through the target medium's ``preformat`` (escaping) and wrappers.

:func:`parse_field` turns the inline markup citeproc-js accepts in field values (``<i>``,
``<b>``, ``<sup>``, ``<sub>``, ``<sc>``, small-caps and ``nocase``/``nodecor`` spans,
straight and curly quotes) into the same spans; straight apostrophes become ’.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

OPEN, CLOSE = "\ue000", "\ue001"
ITALIC, OBLIQUE, BOLD, LIGHT, UNDERLINE = "\ue010", "\ue011", "\ue012", "\ue013", "\ue014"
SUP, SUB, SMALLCAPS = "\ue015", "\ue016", "\ue017"
NORMAL_STYLE, NORMAL_VARIANT, NORMAL_WEIGHT = "\ue018", "\ue019", "\ue01a"
NO_DECORATION, BASELINE = "\ue01b", "\ue01c"
QUOTE, NOCASE, NODECOR = "\ue01d", "\ue01e", "\ue01f"
BLOCK, LEFT_MARGIN, RIGHT_INLINE, INDENT = "\ue020", "\ue021", "\ue022", "\ue023"
SQUOTE = "\ue024"  # quoted with single marks in the data ('...'): inner marks at top level
TERM = "\ue025"  # a locale term (note styles capitalise one that opens a citation)
CQUOTE = "\ue026"  # quotes="true" of the style: like QUOTE, and punctuation may move in
FIELD = "\ue027"  # one variable's value: punctuation inside is never merged or moved
# curly quotes written in the data (“…”, ‘…’): citeproc-js treats them as quotes only when
# they are the locale's own outer or inner marks, else as plain characters
CURLY_DOUBLE, CURLY_SINGLE = "\ue028", "\ue029"
KINDS = {ITALIC, OBLIQUE, BOLD, LIGHT, UNDERLINE, SUP, SUB, SMALLCAPS, NORMAL_STYLE,
         NORMAL_VARIANT, NORMAL_WEIGHT, NO_DECORATION, BASELINE, QUOTE, NOCASE, NODECOR,
         BLOCK, LEFT_MARGIN, RIGHT_INLINE, INDENT, SQUOTE, TERM, CQUOTE, FIELD,
         CURLY_DOUBLE, CURLY_SINGLE}
QUOTES = (QUOTE, SQUOTE, CQUOTE, CURLY_DOUBLE, CURLY_SINGLE)
_PRIVATE = re.compile("[\ue000-\ue0ff]")
MARKERS = _PRIVATE


def span(kind: str, text: object) -> str:
    return f"{OPEN}{kind}{text}{CLOSE}"


def capitalize_leading_term(text: str) -> str:
    """Upper-case the first letter when the text opens with a locale term."""
    i, in_term = 0, False
    while i < len(text):
        char = text[i]
        if char == OPEN and i + 1 < len(text) and text[i + 1] in KINDS:
            in_term = in_term or text[i + 1] == TERM
            i += 2
            continue
        if char == CLOSE:
            i += 1
            continue
        if in_term and char.isalpha():
            return text[:i] + char.upper() + text[i + 1:]
        return text
    return text


def strip_markers(text: object) -> str:
    """The visible characters only (for sort keys and comparisons)."""
    return _PRIVATE.sub("", str(text))


# -- the formatter module interface (what citeproc-py calls) --------------------------------

def preformat(text: object) -> str:
    """Text as is; private-use marker characters in input data are dropped."""
    return _PRIVATE.sub("", str(text))


def _wrapper(kind: str) -> Any:
    def wrap(text: object) -> str:
        return span(kind, text) if str(text) else ""
    return wrap


Italic = _wrapper(ITALIC)
Oblique = _wrapper(OBLIQUE)
Bold = _wrapper(BOLD)
Light = _wrapper(LIGHT)
Underline = _wrapper(UNDERLINE)
Superscript = _wrapper(SUP)
Subscript = _wrapper(SUB)
SmallCaps = _wrapper(SMALLCAPS)
NormalStyle = _wrapper(NORMAL_STYLE)
NormalVariant = _wrapper(NORMAL_VARIANT)
NormalWeight = _wrapper(NORMAL_WEIGHT)
NoDecoration = _wrapper(NO_DECORATION)
Baseline = _wrapper(BASELINE)
Quoted = _wrapper(CQUOTE)
Block = _wrapper(BLOCK)
LeftMargin = _wrapper(LEFT_MARGIN)
RightInline = _wrapper(RIGHT_INLINE)
Indent = _wrapper(INDENT)


# -- field markup ---------------------------------------------------------------------------

_TAGS = {
    "<i>": ITALIC, "<em>": ITALIC, "<b>": BOLD, "<strong>": BOLD, "<sup>": SUP, "<sub>": SUB,
    "<sc>": SMALLCAPS,
}
_CLOSERS = {"</i>": ITALIC, "</em>": ITALIC, "</b>": BOLD, "</strong>": BOLD, "</sup>": SUP,
            "</sub>": SUB, "</sc>": SMALLCAPS}
_FIELD_TOKEN = re.compile(
    r'(<span\s+style="font-variant:\s*small-caps;?">|<span\s+class="nocase">'
    r'|<span\s+class="nodecor">|</span>|</?(?:i|em|b|strong|sup|sub|sc)>|["\u201c\u201d\'\u2018\u2019])')


_TAG_TOKEN = re.compile(
    r'(<span\s+style="font-variant:\s*small-caps;?">|<span\s+class="nocase">'
    r'|<span\s+class="nodecor">|</span>|</?(?:i|em|b|strong|sup|sub|sc)>)')


def parse_field(text: str, quotes: bool = True, generic: str = QUOTE) -> str:
    """Inline markup (and, with ``quotes``, quotes and apostrophes) of a field value →
    marker spans; unmatched markup stays as text."""
    text = preformat(text)
    token = _FIELD_TOKEN if quotes else _TAG_TOKEN
    if not token.search(text):
        return text
    pieces = token.split(text)
    # stack of (kind, index in out where its opening token is, literal opening text)
    out: list[str] = []
    stack: list[tuple[str, int, str]] = []
    first: list[str] = []

    def straight(piece: str) -> str:
        # citeproc-js: in data, the straight quote (" or ') that opens first takes the
        # outer marks and the other one the inner marks ("A 'sq' B" → A “sq” B)
        if generic != QUOTE:
            return generic
        if not first:
            first.append(piece)
        return QUOTE if piece == first[0] else SQUOTE

    for i, piece in enumerate(pieces):
        if i % 2 == 0:
            out.append(piece)
            continue
        before = "".join(out)[-1:] if out else ""
        after = next((p[:1] for p in pieces[i + 1:] if p), "")
        kind = _open_kind(piece)
        if kind is not None:
            stack.append((kind, len(out), piece))
            out.append(OPEN + kind)
            continue
        closer = _close_kind(piece)
        if closer is not None:
            if _close(stack, out, closer):
                continue
            out.append(piece)
            continue
        opens = ((not before or not before.isalnum()) and bool(after) and not after.isspace()
                 and (after not in "'\"\u2018\u2019\u201c\u201d"
                      or piece in "\u201c\u2018" and after in "\u201c\u2018"))  # “‘Nested
        closes = bool(before) and not before.isspace() and not after.isalnum()
        if piece in ('"', "\u201c", "\u201d"):
            is_open = any(s[0] == QUOTE for s in stack)
            if piece != "\u201c" and is_open and closes and _close(stack, out, QUOTE):
                continue
            if piece != "\u201d" and opens:
                stack.append((QUOTE, len(out), piece))
                out.append(OPEN + (CURLY_DOUBLE if piece == "\u201c" and generic == QUOTE
                                   else straight(piece)))
            else:
                out.append(piece)
            continue
        # single quotes and apostrophes: straight ones are generic quotes (marks by
        # nesting depth), curly ones keep their inner-quote kind
        if before.isalnum() and after.isalnum():
            out.append("\u2019")
            continue
        stack_kind = "'" if piece == "'" else SQUOTE
        is_open = any(s[0] == stack_kind for s in stack)
        if piece != "\u2018" and is_open and closes and _close(stack, out, stack_kind):
            continue
        if piece != "\u2019" and opens:
            stack.append((stack_kind, len(out), piece))
            out.append(OPEN + (straight(piece) if piece == "'" else
                               CURLY_SINGLE if generic == QUOTE else SQUOTE))
        else:
            out.append("\u2019" if piece == "'" else piece)
    # unmatched openings become text again (a lone "'" is an apostrophe: ’09)
    for _kind, index, literal in stack:
        out[index] = "\u2019" if literal == "'" else literal
    return "".join(out)


def _open_kind(token: str) -> str | None:
    if token in _TAGS:
        return _TAGS[token]
    if token.startswith("<span"):
        if "small-caps" in token:
            return SMALLCAPS
        if "nocase" in token:
            return NOCASE
        if "nodecor" in token:
            return NODECOR
    return None


def _close_kind(token: str) -> str | None:
    if token in _CLOSERS:
        return _CLOSERS[token]
    if token == "</span>":
        return "span"
    return None


def _close(stack: list[tuple[str, int, str]], out: list[str], kind: str) -> bool:
    for position in range(len(stack) - 1, -1, -1):
        open_kind, _index, literal = stack[position]
        matches = (open_kind == kind or (kind == "span" and open_kind in
                                         (SMALLCAPS, NOCASE, NODECOR) and
                                         literal.startswith("<span")))
        if matches:
            # anything opened inside and still open is literal text
            for _k, index, lit in stack[position + 1:]:
                out[index] = "\u2019" if lit == "'" else lit
            del stack[position:]
            out.append(CLOSE)
            return True
    return False


# -- the tree and the final rendering -------------------------------------------------------

@dataclass
class Span:
    kind: str
    children: list[Any] = field(default_factory=list)


def parse(text: str) -> list[Any]:
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
            node = Span(text[i + 1])
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
        if char not in (OPEN, CLOSE):
            buffer.append(char)
        i += 1
    if buffer:
        stack[-1].append("".join(buffer))
    return root


_COLLAPSE = {("."): {".": ""}, "?": {".": ""}, "!": {".": ""}, ",": {",": ""},
             ";": {";": ""}, ":": {":": ""}}


def _leaves(nodes: list[Any], out: list[tuple[list[Any], int]]) -> None:
    for index, node in enumerate(nodes):
        if isinstance(node, Span):
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
        if isinstance(node, Span):
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
            if merged is not None and prev_text[-2:-1] != ".":
                if merged == pair[0]:
                    text = text[1:]
                else:
                    previous[0][previous[1]] = prev_text[:-1]
            holder[index] = text
        if holder[index]:
            previous = (holder, index)
            previous_field = field_id


def _trailing_quote(node: Span) -> Span | None:
    """The innermost quote of the style (quotes="true") that ends exactly where ``node``
    ends, if any; quotation marks written in the data take punctuation only when they end
    the variable's value and the punctuation comes from the style (citeproc-js: the title
    ``Aristotle's "De Motu Animalium"`` then "." gives ``“De Motu Animalium.”``)."""
    found = node if node.kind == CQUOTE else None
    in_field = node.kind == FIELD
    while node.children and isinstance(node.children[-1], Span):
        node = node.children[-1]
        in_field = in_field or node.kind == FIELD
        if node.kind in QUOTES:
            found = node if node.kind == CQUOTE or in_field or found is not None else found
    return found


def _move_punctuation_into_quotes(nodes: list[Any]) -> None:
    """punctuation-in-quote: "." or "," right after a closing quote goes inside it."""
    for index, node in enumerate(nodes):
        if not isinstance(node, Span):
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


def _last_text(node: Span) -> tuple[list[Any], int] | None:
    leaves: list[tuple[list[Any], int]] = []
    _leaves(node.children, leaves)
    for holder, index in reversed(leaves):
        if holder[index]:
            return holder, index
    return None


_FLIP = {ITALIC: NORMAL_STYLE, OBLIQUE: NORMAL_STYLE, BOLD: NORMAL_WEIGHT,
         SMALLCAPS: NORMAL_VARIANT}
_NORMAL_OF = {NORMAL_STYLE: (ITALIC, OBLIQUE), NORMAL_WEIGHT: (BOLD,),
              NORMAL_VARIANT: (SMALLCAPS,), NO_DECORATION: (UNDERLINE,)}


def _superscripts() -> dict[str, str]:
    import unicodedata

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


_SUPERSCRIPTS = _superscripts()
_SUPERSCRIPT = re.compile("[" + re.escape("".join(_SUPERSCRIPTS)) + "]+")
_SUPERSCRIPT_SPLIT = re.compile("([" + re.escape("".join(_SUPERSCRIPTS)) + "]+)")


class Renderer:
    """Tree → target medium, with flip-flop of nested formatting and quotes."""

    def __init__(self, medium: Any, terms: dict[str, str]) -> None:
        self.medium = medium
        self.terms = {name: str(medium.preformat(mark))
                      for name, mark in self.quote_marks(terms).items()}

    @staticmethod
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

    def _wrap(self, name: str, text: str) -> str:
        wrapper = getattr(self.medium, name, None)
        return str(wrapper(text)) if wrapper is not None else text

    def text(self, text: str, active: frozenset[str]) -> str:
        """Escaped text; Unicode superscript letters and digits (ª, º, ʳᵉ, ²) become the
        medium's superscript of the plain character, as citeproc-js writes them."""
        if SUP in active or not _SUPERSCRIPT.search(text):
            return str(self.medium.preformat(text))
        wrap = getattr(self.medium, "Superscript", None)
        if wrap is None or str(wrap("x")) == "x":
            return str(self.medium.preformat(text))
        out = []
        for piece in _SUPERSCRIPT_SPLIT.split(text):
            if piece and _SUPERSCRIPT.fullmatch(piece):
                out.extend(str(wrap(self.medium.preformat(_SUPERSCRIPTS[c]))) for c in piece)
            elif piece:
                out.append(str(self.medium.preformat(piece)))
        return "".join(out)

    def render(self, nodes: list[Any], active: frozenset[str] = frozenset(),
               quote_depth: tuple[str, ...] = ()) -> str:
        out = []
        for node in nodes:
            if isinstance(node, str):
                out.append(self.text(node, active))
            else:
                out.append(self.render_span(node, active, quote_depth))
        return "".join(out)

    def render_span(self, node: Span, active: frozenset[str],
                    quote_depth: tuple[str, ...]) -> str:
        kind = node.kind
        if kind in (CURLY_DOUBLE, CURLY_SINGLE):
            opening = "\u201c" if kind == CURLY_DOUBLE else "\u2018"
            outer = self.terms.get("open-quote", "").strip(" \u202f\u00a0")
            inner = self.terms.get("open-inner-quote", "").strip(" \u202f\u00a0")
            if opening not in (outer, inner):  # not this locale's marks: plain characters
                closing = "\u201d" if kind == CURLY_DOUBLE else "\u2019"
                return (self.text(opening, active)
                        + self.render(node.children, active, quote_depth)
                        + self.text(closing, active))
            kind = QUOTE if opening == outer else SQUOTE
        if kind in QUOTES:
            # a quote keeps the marks it was written with unless its enclosing quote uses
            # the same ones; then it flips (outer ↔ inner)
            marks = "inner" if kind == SQUOTE else "outer"
            if quote_depth and quote_depth[-1] == marks:
                marks = "inner" if marks == "outer" else "outer"
            inner = self.render(node.children, active, quote_depth + (marks,))
            if marks == "outer":
                return self.terms["open-quote"] + inner + self.terms["close-quote"]
            return self.terms["open-inner-quote"] + inner + self.terms["close-inner-quote"]

        if kind == NOCASE:
            return self.render(node.children, active, quote_depth)
        if kind == NODECOR:
            inner = self.render(node.children, frozenset(), quote_depth)
            for on, (_normal, name) in ((ITALIC, (NORMAL_STYLE, "NormalStyle")),
                                       (BOLD, (NORMAL_WEIGHT, "NormalWeight")),
                                       (SMALLCAPS, (NORMAL_VARIANT, "NormalVariant"))):
                if on in active:
                    inner = self._wrap(name, inner)
            return inner
        if kind in _FLIP:
            family = ITALIC if kind == OBLIQUE else kind
            if family in active:
                inner = self.render(node.children, active - {family}, quote_depth)
                return self._wrap({NORMAL_STYLE: "NormalStyle", NORMAL_WEIGHT: "NormalWeight",
                                   NORMAL_VARIANT: "NormalVariant"}[_FLIP[kind]], inner)
            inner = self.render(node.children, active | {family}, quote_depth)
            return self._wrap({ITALIC: "Italic", OBLIQUE: "Oblique", BOLD: "Bold",
                               SMALLCAPS: "SmallCaps"}[kind], inner)
        if kind in _NORMAL_OF:
            on = _NORMAL_OF[kind][0]
            if on in active:
                inner = self.render(node.children, active - {on}, quote_depth)
                return self._wrap({NORMAL_STYLE: "NormalStyle", NORMAL_WEIGHT: "NormalWeight",
                                   NORMAL_VARIANT: "NormalVariant",
                                   NO_DECORATION: "NoDecoration"}[kind], inner)
            return self.render(node.children, active, quote_depth)
        inner = self.render(node.children, active | {kind} if kind in (SUP, SUB) else active,
                            quote_depth)
        if kind == BLOCK:
            inner = inner.rstrip()  # citeproc-js trims a display block
        name = {LIGHT: "Light", UNDERLINE: "Underline", SUP: "Superscript",
                SUB: "Subscript", BASELINE: "Baseline", BLOCK: "Block",
                LEFT_MARGIN: "LeftMargin", RIGHT_INLINE: "RightInline",
                INDENT: "Indent"}.get(kind)
        return self._wrap(name, inner) if name else inner


def finish(text: object, medium: Any, terms: dict[str, str],
           punctuation_in_quote: bool) -> str:
    """Marker text → the target medium (see the module docstring)."""
    tree = parse(str(text))
    if punctuation_in_quote:
        _move_punctuation_into_quotes(tree)
    _collapse_punctuation(tree)
    return Renderer(medium, terms).render(tree)


# -- text case ------------------------------------------------------------------------------

_PROTECTING = {NOCASE, NODECOR, SMALLCAPS, SUP, SUB}
_WORD_BREAK = re.compile(r"[\s\-\u2010-\u2015/]")


def walk(chars: list[str]) -> Iterator[tuple[str, str, int]]:
    """The marker text as events: ("open", kind, i), ("close", kind, i) or ("char", "", i)
    (a stray marker character is "stray")."""
    stack: list[str] = []
    i = 0
    while i < len(chars):
        char = chars[i]
        if char == OPEN and i + 1 < len(chars) and chars[i + 1] in KINDS:
            stack.append(chars[i + 1])
            yield "open", chars[i + 1], i
            i += 2
            continue
        if char == CLOSE and stack:
            yield "close", stack.pop(), i
        elif char in (OPEN, CLOSE):
            yield "stray", "", i
        else:
            yield "char", "", i
        i += 1


def _scan(text: str) -> tuple[list[str], list[bool]]:
    """Characters of ``text`` and whether each may change case (markers and characters
    inside nocase / small-caps / sup / sub spans may not)."""
    chars = list(text)
    free = [False] * len(chars)
    protecting = 0
    for event, kind, i in walk(chars):
        if event == "open" and kind in _PROTECTING:
            protecting += 1
        elif event == "close" and kind in _PROTECTING:
            protecting -= 1
        elif event == "char":
            free[i] = not protecting
    return chars, free


def _words(chars: list[str]) -> list[tuple[int, int]]:
    """(start, end) of the words: runs between spaces, hyphens, dashes and slashes, and a
    period between letters ("CitationStyles.org" is two words, as for citeproc-js)."""
    words = []
    start = None
    for i, char in enumerate(chars):
        if char == "." and start is not None and 0 < i < len(chars) - 1 \
                and chars[i - 1].isalpha() and chars[i + 1].isalpha():
            words.append((start, i + 1))
            start = None
            continue
        if _WORD_BREAK.match(char):
            if start is not None:
                words.append((start, i))
                start = None
        elif start is None:
            start = i
    if start is not None:
        words.append((start, len(chars)))
    return words


def _first_letter(chars: list[str], free: list[bool], start: int, end: int) -> int | None:
    for i in range(start, end):
        if chars[i].isalpha() or chars[i].isdigit():
            return i if free[i] and chars[i].isalpha() else None
        if chars[i] not in (OPEN, CLOSE) and chars[i] not in KINDS and chars[i].isalnum():
            return None
    return None


def _letters(chars: list[str], free: list[bool], start: int, end: int) -> str:
    pairs = zip(chars[start:end], free[start:end], strict=True)
    return "".join(c for c, f in pairs if f and c.isalpha())


def apply_case(text: str, mode: str, english: bool = True) -> str:
    """CSL text-case on rich text: markers and protected spans untouched."""
    chars, free = _scan(text)
    if mode in ("lowercase", "uppercase"):
        method = str.lower if mode == "lowercase" else str.upper
        return "".join(method(c) if f else c for c, f in zip(chars, free, strict=True))
    words = _words(chars)
    if not words:
        return text
    if mode == "capitalize-first":
        for start, end in words:
            index = _first_letter(chars, free, start, end)
            if index is not None:
                chars[index] = chars[index].upper()
            if _letters(chars, free, start, end) or index is not None:
                break
        return "".join(chars)
    if mode == "capitalize-all":
        for start, end in words:
            index = _first_letter(chars, free, start, end)
            if index is not None:
                chars[index] = chars[index].upper()
        return "".join(chars)
    if mode == "sentence":
        letters = "".join(c for c, f in zip(chars, free, strict=True) if f and c.isalpha())
        all_caps = bool(letters) and letters.isupper()
        first = True
        for start, end in words:
            word = _letters(chars, free, start, end)
            if not word and _first_letter(chars, free, start, end) is None:
                continue
            if all_caps or (word[:1].isupper() and word[1:] == word[1:].lower()):
                for i in range(start, end):
                    if free[i]:
                        chars[i] = chars[i].lower()
            if first:
                index = _first_letter(chars, free, start, end)
                if index is not None:
                    chars[index] = chars[index].upper()
                first = False
        return "".join(chars)
    if mode == "title":
        from .titlecase import title_case

        return title_case(text) if english else text
    return text
