"""Letter case of titles: the one place that holds the rule, for reading and for writing.

CSL data is stored in sentence case ("A model of leptons"); a style that wants title case
applies it.  BibTeX data is typed in Title Case, and a ``.bst`` or biblatex lowercases what is
not braced.  So:

**Reading** (:func:`sentence_case`): a title of an English entry is turned into sentence case
as pandoc's BibTeX/BibLaTeX reader does it (``unTitlecase`` in pandoc's
``Text.Pandoc.Citeproc.BibTeX`` with the sentence-case transform of jgm/citeproc):

* the text is cut into words (runs of letters and digits), runs of spaces and single other
  characters; a word is changed only when it is *capitalised* (one capital, then lower case
  only: "Model", "X", "Über"): words with inner capitals (``iPhone``, ``NeuroImage``), all
  capitals (``TCP``, ``USSR``, ``II``) or digits (``3D``) keep their case;
* the first word, and the first word after ``?``, ``!`` or ``:`` and a space, is capitalised
  (and, if it was all lower case, gets a capital: "…: efficient" → "…: Efficient"); every
  other capitalised word is lowercased ("Higher-Dimensional" → "Higher-dimensional");
* a word after a period and a space keeps its case ("USA. A new era", "Proc. of the"): pandoc
  treats the period like ``:`` and so writes "Proc. Of the"; a period may end an abbreviation;
* the last word of the title is never capitalised (pandoc's rule for the final word);
* what was braced (``{NASA}``, ``{Kazakhstan}``, ``{\\"U}ber``), small capitals, super- and
  subscripts and math keep their case; a braced part that holds a word starting in lower
  case (``{iPhone}``, ``{de Gruyter}``, ``{A Model of Leptons}``) is kept in the CSL data as
  ``<span class="nocase">…</span>``, so no style changes it either; a braced part inside a word
  (``Unzeitgem{\\"a}{\\ss}e``) is just part of the word.

Words are whole Unicode words here, where pandoc cuts them where ASCII meets non-ASCII letters;
the two agree except on words like "MÜNCHEN" in a title, which pandoc would turn into
"müNCHEN" and citetool keeps.

Which entries: English ones, that is ``langid``, ``hyphenation`` or ``language`` naming an
English variety (english, american, british, USenglish, en-GB …), or none of them at all.
Titles of other languages are kept as typed.  Which fields: ``title``, ``subtitle``,
``titleaddon``, ``booktitle`` (+ sub/addon), ``maintitle`` (+ sub/addon), ``issuetitle``
(+ sub), ``series``, ``shorttitle``, ``eventtitle``, ``origtitle``; never ``journal`` /
``journaltitle`` (journal names are names).  ``keep_case=True`` on reading (``--keep-case``)
keeps every title exactly as typed.

**Writing** (:func:`citetool.writers.bibtex.protect_title`): a sentence-case English title
goes out in Title Case (:func:`title_case`, with the stop words of :data:`STOP_WORDS`), with
braces (:func:`protected_spans`) around what a ``.bst`` must not lowercase: a capital that is
not at the start of the title or of a sentence/subtitle, in the stored data, is a proper noun or
an acronym ("Kazakhstan", "USSR", "NASA", "iPhone"), and so is every ``nocase`` span.  That is
Better BibTeX's export rule; ``.bib`` → citetool → ``.bib`` keeps what was braced.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from contextvars import ContextVar

__all__ = [
    "STOP_WORDS",
    "PROTECT_OPEN",
    "PROTECT_CLOSE",
    "is_english",
    "sentence_case",
    "title_case",
    "protected_spans",
    "parse_markup",
    "strip_nocase",
    "NOCASE_OPEN",
    "NOCASE_CLOSE",
]

#: Words title case leaves in lower case: citeproc-js's ``SKIP_WORDS`` (the reference CSL
#: processor; CSL 1.0.2 names a shorter list), single words in its order and two-word phrases.
#: The BibTeX writer's title case and the CSL engine's (csl/engine/titlecase.py) both use them.
SKIP_WORDS: tuple[str, ...] = tuple(
    """about above across afore after against al along alongside amid amidst among amongst
    anenst apropos apud around as aside astride at athwart atop barring before behind below
    beneath beside besides between beyond but by circa despite down during et except for
    forenenst from given in inside into lest like modulo near next notwithstanding of off on
    onto out over per plus pro qua sans since than through throughout thruout till to toward
    towards under underneath until unto up upon versus vs. v. vs v via vis-à-vis with within
    without or yet so and nor a an the de d' von van c ca""".split()
)  # (citeproc-js writes " thru" with a space, so it never matches one word: left out)
STOP_WORDS = frozenset(SKIP_WORDS)
STOP_PHRASES = frozenset(
    tuple(p.split())
    for p in """according to|ahead of|apart from|as for|as of|as per|as regards|aside from|back to|
    because of|close to|due to|except for|far from|inside of|instead of|near to|next to|on to|
    out from|out of|outside of|prior to|pursuant to|rather than|regardless of|such as|that of|
    up to|where as""".replace("\n", " ").split("|")
)

#: Private-use characters around a protected (braced) part of a decoded title; they never
#: leave :mod:`citetool.latex` and this module.
PROTECT_OPEN = "\ue000"
PROTECT_CLOSE = "\ue001"
#: The same for math, which pandoc's case transform skips without noting it.
MATH_OPEN = "\ue002"
MATH_CLOSE = "\ue003"
_MARKERS = PROTECT_OPEN + PROTECT_CLOSE + MATH_OPEN + MATH_CLOSE

#: characters past which a "title" is no title: kept as typed, without word-by-word case
#: work, in reading and in writing (a 50 MB field in hostile input must not cost gigabytes)
LONGEST_TITLE = 20_000

#: the default of the BibTeX reader's ``keep_case`` in this run (``--keep-case`` sets it;
#: forked workers inherit it)
KEEP_AS_TYPED: ContextVar[bool] = ContextVar("keep_as_typed", default=False)

NOCASE_OPEN = '<span class="nocase">'
NOCASE_CLOSE = "</span>"

_ENGLISH = frozenset(
    """english american british usenglish ukenglish canadian australian newzealand en eng
    en-us en-gb en-ca en-au en-nz en-ie en-za en-in""".split()
)


def is_english(language: str | None) -> bool:
    """True for no language at all or an English one (babel name or BCP 47 tag)."""
    if not language:
        return True
    folded = language.strip().lower().replace("_", "-")
    return not folded or folded in _ENGLISH or folded.startswith("en-")


# --- reading: sentence case --------------------------------------------------------------

_START, _START_SENTENCE, _AFTER_WORD_END, _AFTER_WORD_CHAR = 0, 1, 2, 3
_AFTER_SENTENCE_PUNCT, _AFTER_OTHER_PUNCT, _BEFORE_LAST_WORD = 4, 5, 6
_AFTER_PERIOD, _START_AFTER_PERIOD = 7, 8
_WORD_BREAKS = frozenset("-/\u2013\u2014")
_PIECES = re.compile(
    rf"{PROTECT_OPEN}[^{_MARKERS}]*{PROTECT_CLOSE}|{MATH_OPEN}[^{_MARKERS}]*{MATH_CLOSE}"
    r"|\w+|\s+|.",
    re.S,
)


def _next_state(state: int, text: str) -> int:
    if not text:
        return state
    last = text[-1]
    if last == ".":
        return _AFTER_PERIOD
    if last in "?!:":
        return _AFTER_SENTENCE_PUNCT
    if last.isalnum():
        return _AFTER_WORD_CHAR
    if last.isspace():
        if state == _AFTER_SENTENCE_PUNCT:
            return _START_SENTENCE
        return _START_AFTER_PERIOD if state == _AFTER_PERIOD else _AFTER_WORD_END
    if last in _WORD_BREAKS:
        return _AFTER_WORD_END
    return _AFTER_OTHER_PUNCT


def _sentence_word(state: int, word: str, lower: bool = True) -> str:
    """A word of a title in sentence case; ``lower=False`` (a title already in sentence case)
    only gives a sentence's first word its capital."""
    capitalised = word[0].isupper() and all(ch.islower() for ch in word[1:])
    if not lower:
        capitalised = False  # its capitals are names: kept
    if state == _START_AFTER_PERIOD:
        return word  # "Proc. of the": an abbreviation's period may end no sentence
    at_start = state in (_START, _START_SENTENCE)
    if capitalised and not at_start:
        return word.lower()
    if at_start and (capitalised or all(ch.islower() for ch in word)):
        return _capital(word[0]) + word[1:].lower()
    return word


def _has_lowercase_word(text: str) -> bool:
    """Keep a braced part as ``nocase``? Only if it holds a word in lower case, which a title
    case would capitalise (``{de Gruyter}``, ``{A Model of Leptons}``); ``{iPhone}``,
    ``{NASA}``, ``{Jake's}`` keep their case anyway. (pandoc keeps the span for any piece
    starting in lower case, the "s" of "Jake's" included; its CSL-JSON drops them all.)"""
    for word in re.split(r"[\s\-\u2010-\u2015/]+", text):
        letters = [ch for ch in word if ch.isalpha()]
        if letters and all(ch.islower() for ch in letters) and word.strip(_EDGE)[:1].isalpha():
            return True
    return False


def _last_word_start(text: str) -> int | None:
    """Where the title's final word starts, when pandoc's last-word rule applies to it: the
    last run of non-space characters, outside any protected part, without a word break
    (``-`` ``/`` dashes), and not the whole title."""
    stripped = text.rstrip()
    start = len(stripped)
    while start > 0 and not stripped[start - 1].isspace():
        start -= 1
    tail = stripped[start:]
    if not tail or start == 0 or any(ch in _WORD_BREAKS or ch in _MARKERS for ch in tail):
        return None
    return start


def looks_sentence_cased(marked: str) -> bool:
    """Is a decoded title already in sentence case? Better BibTeX's guess ("on+guess"): of
    the words outside protected parts (two letters or more, not stop words, acronyms or
    ordinals), at least as many are all lower case as have a capital. Such a title is kept
    as typed: its capitals are names ("Coase", "American Heart Association")."""
    outside = _PROTECTED_PART.sub(" ", marked)
    if outside == outside.upper() or outside == outside.lower():
        return False
    lower = upper = 0
    for token in outside.split():
        word = token.strip(_EDGE + _MARKERS + "-–—/")
        letters = [ch for ch in word if ch.isalpha()]
        if len(word) < 2 or not letters or word.lower() in STOP_WORDS:
            continue
        if any(ch in _FORMULA_CHARS for ch in word):
            continue  # "$\omega$", "a_b": a formula or a command as text, not a word
        if all(ch.isupper() for ch in letters) or _ORDINAL.fullmatch(word):
            continue  # an acronym or an ordinal says nothing about the casing
        if any(ch.isupper() for ch in letters):
            upper += 1
        else:
            lower += 1
    return lower > 0 and lower >= upper


_FORMULA_CHARS = frozenset("\\$_^")
_PROTECTED_PART = re.compile(
    f"[{PROTECT_OPEN}{MATH_OPEN}][^{_MARKERS}]*[{PROTECT_CLOSE}{MATH_CLOSE}]")
_ORDINAL = re.compile(r"\d+(?:st|nd|rd|th|e|er|ème)?", re.I)


def sentence_case(marked: str, *, change: bool = True) -> str:
    """A decoded title (protected parts between :data:`PROTECT_OPEN`/:data:`PROTECT_CLOSE`,
    math between :data:`MATH_OPEN`/:data:`MATH_CLOSE`) in sentence case, with ``nocase``
    spans where they are needed and no marker left. ``change=False``: the words as typed
    (a title already in sentence case), only the ``nocase`` spans and markers done."""
    state = _START
    last_word = _last_word_start(marked)
    out: list[str] = []
    for match in _PIECES.finditer(marked):
        piece = match.group(0)
        if last_word is not None and match.start() == last_word and state in (
                _START, _START_SENTENCE, _START_AFTER_PERIOD, _AFTER_WORD_END):
            state = _BEFORE_LAST_WORD
        first = piece[0]
        if first == PROTECT_OPEN:
            inner = piece[1:-1]
            if state != _AFTER_WORD_CHAR and _has_lowercase_word(inner):
                out.append(NOCASE_OPEN + inner + NOCASE_CLOSE)
            else:
                out.append(inner)
            state = _next_state(state, "".join(inner.split()))
        elif first == MATH_OPEN:
            out.append(piece[1:-1])
        elif piece.isalnum():
            initial = len(piece) == 1 and marked[match.end():match.end() + 1] == "."
            # "John M. Riddle": a capital and a period is an initial, kept; so is a word
            # that math or a sub/superscript touches: a formula ("Cu$_2$O", "H\textsubscript{2}O")
            out.append(piece if (initial and piece.isupper()) or _in_formula(marked, match)
                       else _sentence_word(state, piece, lower=change))
            state = _next_state(state, piece)
        else:
            out.append(piece)
            if piece in _QUOTES and not _between_letters(marked, match.start()):
                continue  # quotation marks are markup in pandoc: they leave the state alone
            state = _next_state(state, piece)
    return "".join(out)


_SCRIPT_CHARS = frozenset("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱ₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ")


def _in_formula(marked: str, match: re.Match[str]) -> bool:
    """Does math, or a protected sub- or superscript, touch this word (no space between)?"""
    before, after = marked[match.start() - 1:match.start()], marked[match.end():match.end() + 1]
    if MATH_CLOSE in (before, after.replace(MATH_OPEN, MATH_CLOSE)):
        return True
    if before == PROTECT_CLOSE:
        inner = marked[marked.rfind(PROTECT_OPEN, 0, match.start()) + 1:match.start() - 1]
        return bool(inner) and all(ch in _SCRIPT_CHARS for ch in inner)
    if after == PROTECT_OPEN:
        end = marked.find(PROTECT_CLOSE, match.end())
        inner = marked[match.end() + 1:end]
        return end > 0 and bool(inner) and all(ch in _SCRIPT_CHARS for ch in inner)
    return False


_QUOTES = frozenset("\"'‘’“”«»„‚¿¡")  # and Spanish opening marks: "¿Automatismo"


def _between_letters(text: str, index: int) -> bool:
    """An apostrophe, not a quotation mark: a letter on both sides (``What's``)."""
    return 0 < index < len(text) - 1 and text[index - 1].isalnum() and text[index + 1].isalnum()


# --- writing: title case -----------------------------------------------------------------

_NOCASE_SPAN = re.compile(r'<span class="nocase">(.*?)</span>', re.S)


def short_title(title: str) -> str:
    """The part of a title before its first colon (pandoc's, and the BibTeX writers', implied
    short title)."""
    return title.split(":", 1)[0].rstrip()


def strip_nocase(text: str) -> str:
    """``<span class="nocase">x</span>`` → ``x``."""
    if "<span" not in text:
        return text
    return _NOCASE_SPAN.sub(r"\1", text)


_MARKUP = re.compile(r'<(/?)(i|b|sup|sub|sc)>|<span class="nocase">'
                     r'|<span style="font-variant:\s*small-caps;?">|</span>')
#: CSL rich-text tags → the LaTeX command that opens the same formatting
LATEX_COMMANDS = {"i": "\\emph{", "b": "\\textbf{", "sup": "\\textsuperscript{",
                  "sub": "\\textsubscript{", "sc": "\\textsc{", "smallcaps": "\\textsc{"}


def parse_markup(text: str) -> tuple[str, list[tuple[int, int]], list[tuple[int, str]]]:
    """A stored value (CSL rich text: ``<i>``, ``<b>``, ``<sup>``, ``<sub>``, ``<sc>``,
    small-caps and ``nocase`` spans) as plain text, its ``nocase`` spans, and the LaTeX
    commands (``\\emph{`` … ``}``) to put at positions of the plain text. Tags that do not
    pair up are text, not markup (the whole value is then taken as plain text)."""
    if "<" not in text or _MARKUP.search(text) is None:
        return text, [], []
    plain: list[str] = []
    size = 0
    stack: list[tuple[str, int]] = []
    nocase: list[tuple[int, int]] = []
    commands: list[tuple[int, str]] = []
    pos = 0
    for match in _MARKUP.finditer(text):
        piece = text[pos : match.start()]
        plain.append(piece)
        size += len(piece)
        pos = match.end()
        tag = match.group(0)
        if match.group(2):
            kind, closing = match.group(2), bool(match.group(1))
        elif tag == "</span>":
            kind, closing = (stack[-1][0] if stack and stack[-1][0] in ("nocase", "smallcaps")
                             else ""), True
        else:
            kind, closing = ("nocase" if "nocase" in tag else "smallcaps"), False
        if not closing:
            stack.append((kind, size))
            if kind != "nocase":
                commands.append((size, LATEX_COMMANDS[kind]))
            continue
        if not stack or stack[-1][0] != kind:
            return text, [], []
        _, start = stack.pop()
        if kind == "nocase":
            nocase.append((start, size))
        else:
            commands.append((size, "}"))
    if stack:
        return text, [], []
    plain.append(text[pos:])
    return "".join(plain), sorted(nocase), commands


def _inside(spans: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


def _after_colon(text: str, index: int) -> bool:
    """Is ``index`` the start of the title or of a subtitle (after ": ")? BibTeX's
    ``change.case$`` keeps the first letter there."""
    before = text[:index].rstrip(_OPENING)
    stripped = before.rstrip()
    return not stripped or (stripped.endswith(":") and stripped != before)


_TOKEN = re.compile(r"\S+")
_EDGE = "\"'‘’“”«»()[]{}<>,;:.!?"


def _core(token: re.Match[str]) -> tuple[int, int]:
    """(start, end) of a whitespace token without the punctuation around it."""
    start, end = token.span()
    text = token.string
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    return start, end


def protected_spans(text: str, nocase: Sequence[tuple[int, int]],
                    skip: Sequence[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """What a BibTeX writer braces in a sentence-case title, sorted: the ``nocase`` spans,
    and words (whitespace tokens without the punctuation around them, outside ``nocase`` and
    ``skip``) with a capital after their first letter (``iPhone``, ``USSR``, ``R&D``,
    ``COVID-19``) or with a capital that does not open the title or a subtitle
    (``Kazakhstan``, ``Mizoroki-Heck``): in sentence case those are names."""
    spans = list(nocase)
    for token in _TOKEN.finditer(text):
        start, end = _core(token)
        word = text[start:end]
        if not word or _inside(nocase, start, end) or _inside(skip, start, end):
            continue
        if not any(ch.isupper() for ch in word):
            continue
        if any(ch.isupper() for ch in word[1:]) or not _after_colon(text, start):
            spans.extend(_hyphen_parts(text, start, end))
    return sorted(spans)


def _hyphen_parts(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A word to brace, whole (``{Mizoroki-Heck}``, ``{COVID-19}``) unless a hyphenated part
    of it is in lower case: then only the parts with capitals (``non-{STEM}``), so that the
    lower-case part is not taken for protected lower case when read back."""
    parts = [(m.start() + start, m.end() + start) for m in _PART.finditer(text[start:end])]
    if not any(text[a:b].islower() for a, b in parts):
        return [(start, end)]
    return [(a, b) for a, b in parts if any(ch.isupper() for ch in text[a:b])]


_PART = re.compile(r"[^\-\u2010-\u2015/]+")


_TC_WORD = re.compile(r"[^\s\-\u2010-\u2015/]+")


def title_case(text: str, skip: Sequence[tuple[int, int]] = ()) -> str:
    """Title Case of plain English text, as citeproc-js applies it: words (split at spaces,
    hyphens, dashes and slashes) in lower case get a capital on their first letter unless
    they are stop words (or in a stop phrase) that are neither first, last, nor after
    ``: . ? !``; words with any capital, and words inside ``skip`` spans, are left."""
    words = list(_TC_WORD.finditer(text))
    bare = [re.sub(r"^\W+|\W+$", "", m.group(0)).lower() for m in words]
    chars = list(text)
    last = len(words) - 1
    for number, match in enumerate(words):
        word = match.group(0)
        letters = [i for i, ch in enumerate(word) if ch.isalpha()]
        if not letters or word != word.lower() or _inside(skip, *match.span()):
            continue
        first = match.start() + letters[0]
        if text[match.start():first].strip(_OPENING + "([{") != "":
            continue  # "3d", "$5": the word does not start with its letters
        before = text[: match.start()]
        boundary = number == 0 or _sentence_start(before)
        pair_before = (bare[number - 1], bare[number]) if number else ()
        pair_after = (bare[number], bare[number + 1]) if number < last else ()
        stop = bare[number] in STOP_WORDS or pair_before in STOP_PHRASES or \
            pair_after in STOP_PHRASES
        if stop and not boundary and number != last:
            continue
        if before.endswith("-") and len(letters) == 1:
            continue  # "X-ray": a single letter after a hyphen stays as it is
        chars[first] = _capital(chars[first])
    return "".join(chars)


def _capital(char: str) -> str:
    """The capital of a letter, when it has one of its own (``ß`` upper-cases to "SS": kept)."""
    upper = char.upper()
    return upper if len(upper) == 1 else char


def _sentence_start(before: str) -> bool:
    before = before.rstrip(_OPENING)
    stripped = before.rstrip().rstrip(_CLOSING)
    return not stripped or (stripped[-1] in ".?!:" and stripped != before.rstrip(_CLOSING))


_OPENING = "\"'‘“«(["
_CLOSING = "\"'’”»)]"
