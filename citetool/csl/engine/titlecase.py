"""CSL title case exactly as citeproc-js applies it (``CSL.Output.Formatters.title``).

citeproc-js splits the text at "tags" (quote marks, hyphens and dashes, ``/ . , ; ? ! :``,
brackets, parentheses, markup) into strings, and the strings at spaces into words. A word is
capitalised when it is entirely lower case and either longer than one character and not a
skip word, or the first word, or the first after ``!``, ``?`` or ``:``; words inside nocase,
small-caps, sup and sub spans are left alone; the last word is capitalised even if a skip
word. Quote marks are tracked: a word right after an opening quote that is never closed, or
after a closing mark that opened nothing (the apostrophe of "l’epilepsie"), keeps its first
letter as written. A straight apostrophe before text belongs to that text ("'t Hooft").

Here the text carries the engine's markers (:mod:`.richtext`); quotes parsed from the data are
spans, so the algorithm runs on a virtual string in which each span is written back as the
quote mark or markup tag citeproc-js saw, and the changes are copied to the real characters.
"""

from __future__ import annotations

import re
from functools import cache

from .richtext import (
    APOSTROPHE,
    BOLD,
    CURLY_DOUBLE,
    CURLY_SINGLE,
    DOUBLE_AS_INNER,
    ITALIC,
    NOCASE,
    NODECOR,
    OBLIQUE,
    QUOTE,
    SINGLE_AS_OUTER,
    SMALLCAPS,
    SQUOTE,
    SUB,
    SUP,
    UNDERLINE,
    walk,
)


@cache
def _skip() -> re.Pattern[str]:
    """citeproc-js's skip words (CSL.SKIP_WORDS) that can match one word, from the one list
    (citetool.case, which the BibTeX writer shares); matched with its own regexp, so "v." and
    "vs." are "v"/"vs" plus any character, as there. Compiled on first use: a one-entry cite
    of a non-English title imports this module but never title-cases (~1 ms)."""
    from ... import case

    return re.compile(r"(?:(?:[?!:]*\s+|-|^)(?:" + "|".join(case.SKIP_WORDS)
                      + r")(?=[!?:]*\s+|-|$))")


# private stand-ins for markup tags in the virtual string
_TAG_OPEN, _TAG_CLOSE, _PROTECT_OPEN, _PROTECT_CLOSE = "\x01", "\x02", "\x03", "\x04"
# _TAGS, _SPACES and _QUOTE_TAG are compiled (and cached) by the re module on first use:
# title case is never called for a text that is not English
_TAGS = ("\u2018|\u2019|\u201c|\u201d| \"| '|\"|'|[-\u2013\u2014/.,;?!:]|\\[|\\]|\\(|\\)"
         "|[\x01-\x04]")
_SPACES = "[\u00a0 \u2000-\u200b\u205f\u3000]+"
# each span as citeproc-js sees it: quote marks, or a markup tag (protecting its content or not)
_VIRTUAL = {QUOTE: ('"', '"'), SQUOTE: ("'", "'"), SINGLE_AS_OUTER: ("'", "'"),
            DOUBLE_AS_INNER: ('"', '"'), CURLY_DOUBLE: ("\u201c", "\u201d"),
            CURLY_SINGLE: ("\u2018", "\u2019"),
            **{kind: (_TAG_OPEN, _TAG_CLOSE) for kind in (ITALIC, OBLIQUE, BOLD, UNDERLINE)},
            **{kind: (_PROTECT_OPEN, _PROTECT_CLOSE)
               for kind in (NOCASE, NODECOR, SMALLCAPS, SUP, SUB)}}
_OPENERS = {"\u201c": ("\u201c", "\u201d"), "\u2018": ("\u2018", "\u2019"),
            ' "': (" '", '"'), " '": (' "', "'")}
_QUOTE_TAG = "(^(?:\u2018|\u2019|\u201c|\u201d|\"|')|(?: \"| ')$)"

Piece = list[tuple[str, int | None]]  # characters with their index in the real text


def _virtual(chars: list[str]) -> Piece:
    """The text as citeproc-js would see it: (character, index in ``chars`` or None)."""
    out: Piece = []
    for event, kind, i in walk(chars):
        if event == "char":
            # the data's straight apostrophe, as citeproc-js sees it when it title-cases
            out.append(("'" if chars[i] == APOSTROPHE else chars[i], i))
        elif kind in _VIRTUAL:
            out.append((_VIRTUAL[kind][0 if event == "open" else 1], None))
    return out


def _split(piece: Piece) -> tuple[list[str], list[Piece]]:
    """citeproc-js's Doppeler: the tags and the strings between them."""
    text = "".join(c for c, _ in piece)
    tags: list[str] = []
    strings: list[Piece] = []
    last = 0
    for match in re.finditer(_TAGS, text):
        strings.append(piece[last:match.start()])
        tags.append(match.group())
        last = match.end()
    strings.append(piece[last:])
    for i in range(len(tags) - 1, -1, -1):
        if tags[i] == "'" and strings[i + 1]:  # an apostrophe before text is part of it
            strings[i + 1] = piece[_offset(strings, tags, i):_offset(strings, tags, i) + 1] \
                + strings[i + 1]
            tags[i] = ""
    return tags, strings


def _offset(strings: list[Piece], tags: list[str], i: int) -> int:
    """Where tag ``i`` starts in the virtual string."""
    return sum(len(s) for s in strings[:i + 1]) + sum(len(t) for t in tags[:i])


def _words(string: Piece) -> list[Piece]:
    text = "".join(c for c, _ in string)
    words, last = [], 0
    for match in re.finditer(_SPACES, text):
        words.append(string[last:match.start()])
        last = match.end()
    words.append(string[last:])
    return words


def _capitalise(word: Piece, chars: list[str]) -> None:
    first, index = word[0]
    if index is None:
        return
    if "\u0370" <= first <= "\u03ff" and len(word) == 1:
        return  # a lone Greek letter stays as it is
    upper = first.upper()
    if len(upper) == 1 and upper != first:  # (the virtual "'" of the data's apostrophe stays)
        chars[index] = upper


def _text(piece: Piece, chars: list[str]) -> str:
    return "".join(chars[i] if i is not None else c for c, i in piece)


def title_case(text: str) -> str:
    chars = list(text)
    original = list(chars)
    tags, strings = _split(_virtual(chars))
    state = {"first": True, "after_punct": False, "last": None}

    def capitalise_words(position: int, following: object) -> None:
        string = strings[position]
        if not _text(string, chars).strip():
            return
        words = _words(string)
        for j, word in enumerate(words):
            if not word:
                continue
            current = _text(word, chars)
            lower = current.lower()
            capitalize = ((len(current) > 1 and not _skip().search(lower))
                          or (j == len(words) - 1 and following == "-")
                          or state["first"] or state["after_punct"])
            if capitalize and current == lower:
                _capitalise(word, chars)
            state["after_punct"] = False
            state["first"] = False
            state["last"] = (position, j)

    def restore(position: int) -> None:
        string = strings[position]
        if string and string[0][1] is not None:
            chars[string[0][1]] = original[string[0][1]]

    quotes: list[dict[str, object]] = []

    def quote_fix(tag: str, position: int) -> int | None:
        match = re.search(_QUOTE_TAG, tag)
        if not match:
            return None
        mark = match.group(1)
        if mark in _OPENERS:
            opener, closer = _OPENERS[mark]
            if not quotes or mark == quotes[-1]["opener"]:
                quotes.append({"opener": opener, "closer": closer, "pos": position})
                return None
            previous = quotes.pop()["pos"]
            quotes.append({"opener": opener, "closer": closer, "pos": None})
            return previous  # type: ignore[return-value]
        if quotes and mark == quotes[-1]["closer"]:
            quotes.pop()
            return None
        return position

    if _text(strings[0], chars).strip():
        capitalise_words(0, tags[0] if tags else None)
    protected = 0
    for i, tag in enumerate(tags):
        string = strings[i + 1]
        if tag == _PROTECT_OPEN:
            protected += 1
        elif tag == _PROTECT_CLOSE and protected:
            protected -= 1
        if tag[-1:] in ("!", "?", ":"):
            state["after_punct"] = True
        if not protected:
            capitalise_words(i + 1, None)
        elif _text(string, chars).strip():
            state["last"] = None
        position = quote_fix(tag, i)
        if position is not None:
            restore(position + 1)
            state["last"] = None
        if _text(string, chars).strip():
            state["first"] = False
            state["after_punct"] = False
    for quote in quotes:
        if quote["pos"] is not None:
            restore(int(quote["pos"]) + 1)  # type: ignore[call-overload]
    if state["last"] is not None:
        position, j = state["last"]  # type: ignore[misc]
        word = _words(strings[position])[j]
        current = _text(word, chars)
        if len(current) > 1 and _skip().search(current.lower()):
            _capitalise(word, chars)
    return "".join(chars)
