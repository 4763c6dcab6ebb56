"""Rich text inside the engine: formatting as marker characters, until the output tree.

citeproc-py writes markup straight into strings through the formatter module, which makes
nested formatting, quotes and punctuation impossible to get right afterwards. The engine
instead renders with :mod:`this module as the formatter <.richtext>`: every formatting span is
written as ``OPEN kind ... CLOSE`` with private-use characters, untouched by text-case and
string operations. The markers are a stopgap of the element layer (replacing them means
rewriting the elements): they exist only between element evaluation and
:func:`citetool.csl.tree.build`, which parses them once into the typed output tree and applies
flip-flop, quotes and punctuation there; nothing after it sees a marker.

:func:`parse_field` turns the inline markup citeproc-js accepts in field values (``<i>``,
``<b>``, ``<sup>``, ``<sub>``, ``<sc>``, small-caps and ``nocase``/``nodecor`` spans,
straight and curly quotes) into the same spans; straight apostrophes become ’.
:func:`apply_case` applies CSL text-case to marker text, leaving protected spans alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
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
# straight quotes written in the data whose marks are the other kind's: a 'single' quote that
# opens first takes the outer marks, a "double" one inside the inner marks (like QUOTE and
# SQUOTE); title case sees the mark as written (citeproc-js: "The 'similarity' Factor")
SINGLE_AS_OUTER, DOUBLE_AS_INNER = "\ue02a", "\ue02b"
KINDS = {ITALIC, OBLIQUE, BOLD, LIGHT, UNDERLINE, SUP, SUB, SMALLCAPS, NORMAL_STYLE,
         NORMAL_VARIANT, NORMAL_WEIGHT, NO_DECORATION, BASELINE, QUOTE, NOCASE, NODECOR,
         BLOCK, LEFT_MARGIN, RIGHT_INLINE, INDENT, SQUOTE, TERM, CQUOTE, FIELD,
         CURLY_DOUBLE, CURLY_SINGLE, SINGLE_AS_OUTER, DOUBLE_AS_INNER}
QUOTES = (QUOTE, SQUOTE, CQUOTE, CURLY_DOUBLE, CURLY_SINGLE, SINGLE_AS_OUTER, DOUBLE_AS_INNER)
#: a straight apostrophe of the data, printed as the typographic one (’): kept apart from an
#: apostrophe written ’ in the data because citeproc-js's title case sees the data as written
#: (it title-cases "isn't quite over yet" to "...over Yet" but "isn’t quite over yet" to
#: "...over yet"); the output tree and plain text turn it into ’
APOSTROPHE = "\ue0fe"
#: str.translate table dropping the private-use characters the markers are made of (the
#: data's straight apostrophe is input data, not a marker: preformat drops it too)
_DROP_MARKERS = dict.fromkeys(range(0xE000, 0xE100))
#: marker text → its visible characters
_VISIBLE = {**_DROP_MARKERS, ord(APOSTROPHE): "\u2019"}


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
    return str(text).translate(_VISIBLE)


# -- the formatter module interface (what citeproc-py calls) --------------------------------

def preformat(text: object) -> str:
    """Text as is; private-use marker characters in input data are dropped."""
    return str(text).translate(_DROP_MARKERS)


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
# the tokens of field markup, used through the re module (compiled on first use: most
# values hold no markup and no quote, and parse_field returns them before any regex)
_TAG_TOKEN = (r'(<span\s+style="font-variant:\s*small-caps;?">|<span\s+class="nocase">'
              r'|<span\s+class="nodecor">|</span>|</?(?:i|em|b|strong|sup|sub|sc)>)')
_FIELD_TOKEN = _TAG_TOKEN[:-1] + r'|["\u201c\u201d\'\u2018\u2019])'
_QUOTE_MARKS = "\"'\u201c\u201d\u2018\u2019"


def parse_field(text: str, quotes: bool = True, generic: str = QUOTE) -> str:
    """Inline markup (and, with ``quotes``, quotes and apostrophes) of a field value →
    marker spans; unmatched markup stays as text."""
    text = preformat(text)
    if "<" not in text and (not quotes or not any(mark in text for mark in _QUOTE_MARKS)):
        return text
    token = _FIELD_TOKEN if quotes else _TAG_TOKEN
    if not re.search(token, text):
        return text
    pieces = re.split(token, text)
    # stack of (kind, index in out where its opening token is, literal opening text)
    out: list[str] = []
    stack: list[tuple[str, int, str]] = []
    first: list[str] = []
    mismatched: set[int] = set()  # straight openers that a curly mark closed

    def straight(piece: str) -> str:
        # citeproc-js: in data, the straight quote (" or ') that opens first takes the
        # outer marks and the other one the inner marks ("A 'sq' B" → A “sq” B)
        if generic != QUOTE:
            return generic
        if not first:
            first.append(piece)
        if piece == first[0]:
            return SINGLE_AS_OUTER if piece == "'" else QUOTE
        return SQUOTE if piece == "'" else DOUBLE_AS_INNER

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
            # a straight mark pairs with a straight one, a curly with a curly (citeproc-js
            # leaves '"Just another tool”' as written)
            double_kind = '"' if piece == '"' else QUOTE
            is_open = any(s[0] == double_kind for s in stack)
            if piece != "\u201c" and is_open and closes and _close(stack, out, double_kind):
                continue
            if piece != "\u201d" and opens:
                stack.append((double_kind, len(out), piece))
                out.append(OPEN + (CURLY_DOUBLE if piece == "\u201c" and generic == QUOTE
                                   else straight(piece)))
            else:
                out.append(piece)
            continue
        # single quotes and apostrophes: straight ones are generic quotes (marks by
        # nesting depth), curly ones keep their inner-quote kind
        if before.isalnum() and after.isalnum():
            out.append(APOSTROPHE if piece == "'" else "\u2019")
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
            if piece == "\u2019" and closes:
                # a curly mark closing a straight one: citeproc-js pairs them and, as they
                # differ, prints both as written ("'Just another tool’")
                mismatched.update(index for kind, index, _ in stack if kind == "'")
            out.append(APOSTROPHE if piece == "'" else piece)
    # unmatched openings become text again (a lone "'" is an apostrophe: ’09)
    for _kind, index, literal in stack:
        out[index] = ("'" if index in mismatched else APOSTROPHE) if literal == "'" else literal
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


# -- text case ------------------------------------------------------------------------------

_PROTECTING = {NOCASE, NODECOR, SMALLCAPS, SUP, SUB}
#: what ends a word besides white space (str.isspace is the re module's \s)
_WORD_BREAKS = frozenset("-/\u2010\u2011\u2012\u2013\u2014\u2015")


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
        if char in _WORD_BREAKS or char.isspace():
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
