"""Sort keys compared as citeproc-js compares them.

citeproc-js renders each ``cs:key`` to a string, turns its spaces into a separator that sorts
before every letter and digit, and compares two keys with ``localeCompare`` at base
sensitivity, punctuation ignored, digit runs as numbers (``sort.js``, ``getSortCompare``).
:func:`collation_key` builds a Python value that orders the same way: the words of the key
(split at spaces), each a tuple of digit runs (as numbers, before letters) and letter runs
(accents and case folded, punctuation dropped).

While a key renders a macro, :data:`SORT_OPTIONS` holds the key's name options: names render
as citeproc-js renders them for sorting (every name inverted, no "and", no "et al." term, the
key's ``names-min`` / ``names-use-first`` / ``names-use-last``), however deep the macro nests.
"""

from __future__ import annotations

import re
import unicodedata
from contextvars import ContextVar
from typing import Any

from .richtext import strip_markers

SORT_OPTIONS: ContextVar[dict[str, str] | None] = ContextVar("csl_sort_options", default=None)
_RUNS = re.compile(r"\d+|\D+")
# letters without a Unicode decomposition that ICU's root collation treats as a base letter
# (ø = o, æ = ae ...) or sorts right after one (ŋ after n, ə after e): node's localeCompare
_AFTER = "\U0010ffff"
_FOLD = str.maketrans({
    "ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "ł": "l", "đ": "d", "ð": "d", "ħ": "h",
    "ŋ": "n" + _AFTER, "ə": "e" + _AFTER, "ɛ": "e" + _AFTER, "ɔ": "o" + _AFTER,
    "ɓ": "b" + _AFTER, "ɗ": "d" + _AFTER, "ƙ": "k" + _AFTER, "ʃ": "s" + _AFTER,
    "ɨ": "i" + _AFTER, "ı": "i" + _AFTER, "ŧ": "t" + _AFTER})

Word = tuple[tuple[int, Any], ...]


def collation_key(value: Any) -> tuple[Word, ...] | None:
    """The citeproc-js order of a rendered key (None: an empty key, which sorts last)."""
    if value is None:
        return None
    text = unicodedata.normalize("NFKD", strip_markers(str(value))).casefold().translate(_FOLD)
    # a key that opens with a space (a name written " R Core Team") opens with citeproc-js's
    # separator, which sorts before every letter: an empty first word does the same
    words: list[Word] = [()] if text[:1].isspace() and text.strip() else []
    for word in text.split():
        kept = "".join(c for c in word if (c.isalnum() or c == _AFTER)
                       and not unicodedata.combining(c))
        if kept:
            words.append(tuple((0, int(run)) if run.isdigit() else (1, run)
                               for run in _RUNS.findall(kept)))
    return tuple(words) or None
