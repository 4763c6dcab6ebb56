"""Lightweight Polish / English language detection for titles, abstracts and keywords.

No model and no dependency: running text is judged by stopwords (the commonest function
words of each language) and Polish diacritics; single words (keywords) by spelling: Polish
diacritics, digraphs and endings against English ones (``th``, ``-tion``, ``q``/``v``/``x``).
Only ``"pl"`` and ``"en"`` are told apart; anything unclear gives ``""`` (unknown).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache

POLISH = "pl"
ENGLISH = "en"
UNKNOWN = ""

_DIACRITICS = set("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ")
# letters, maybe joined by ', ’ or - (’ apart: a class of ', ’ and - is compiled into a
# 64K-character bitmap, ~0.1 ms of start-up)
_WORD = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+|’[^\W\d_]+)*")

# Words shared by both languages ("a", "to", "on", "no", "i"/"I") are in neither list.
_EN_STOP = frozenset(
    """the of and in for is are was were be been with as by that this these those from at an
    its it which or not but has have had their his her into after about during under how what
    why when where who whose towards toward among against between within without than then
    there they we our you your he she them also can may will would should could more most such
    other some any all each both new upon via through over case study analysis""".split()
)
_PL_STOP = frozenset(
    """w z na do się nie że jest od po za dla jak oraz ze we czy przez jako ich jego jej ale być
    są pod nad przed między pomiędzy wobec wśród także też który która które których którego
    tego tej ten ta te przy bez lub albo czyli u ku oraz jednak gdy tym tych jaki jaka jakie
    został została zostały może można był była było były będzie wraz względem okresie roku
    latach polski polska polskiej polityki""".split()
)

def _ends(*endings: str) -> Callable[[str], bool]:
    """A test: the word ends with one of ``endings`` (before a final newline too, as ``$``
    allows). Long alternations of endings are dear to compile and slow to search."""
    return lambda w: w.endswith(endings) or (w.endswith("\n") and w[:-1].endswith(endings))


# Spelling features, each a test of the lower-case word and its weight, tried in this order.
_PL_TESTS: tuple[tuple[Callable[[str], object], float], ...] = (
    (re.compile(r"sz|cz|rz").search, 1.0),
    (re.compile(r"dz(?!h)").search, 1.0),
    (re.compile(r"[cszkrgtd]j").search, 1.5),
    (re.compile(r"ch[bcdfgkmnpstwz]").search, 1.0),
    (re.compile(r"w[bcdfghjklmnpstwzł]").search, 1.0),
    (re.compile(r"[^aeiouy]a$").search, 0.7),
    (re.compile(r"yj|zy\w|[^aeiouy]cy$").search, 1.0),
    (
        _ends("ów", "ych", "ymi", "ego", "emu", "ami", "cja", "cji", "sja", "sji", "zja", "zji",
              "ski", "cki", "ska", "cka", "skie", "ckie", "ość", "ości", "anie", "enie", "ania",
              "enia", "stwo", "stwa", "ach", "iej", "owa", "owe", "owy", "ewa", "ew", "ii", "nej",
              "wej"),
        1.5,
    ),
)
_EN_TESTS: tuple[tuple[Callable[[str], object], float], ...] = (
    (re.compile(r"[qvx]").search, 2.0),
    (re.compile(r"th|sh|ph|wh|kh|gh").search, 1.5),
    (re.compile(r"[aeo]y|y[aeou]").search, 1.5),
    (re.compile(r"ee|oo|ou|ea").search, 0.5),
    (re.compile(r"ss").search, 1.0),
    (
        _ends(*(ending + s for ending in ("tion", "sion", "ity", "ness", "ism", "ment", "ing",
                                          "ies", "ics", "ship", "ous", "ive", "gy", "ance",
                                          "ence", "ed")
                for s in ("", "s"))),
        2.0,
    ),
    (re.compile(r"[^aeiosuy]s$").search, 0.7),
    (_ends("acy", "ecy", "icy", "ocy", "ucy", "ion", "ean", "ign", "ght", "ld", "nd"), 1.0),
)


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def is_stopword(word: str) -> bool:
    """A common function word of English or Polish ("the", "of", "w", "dla" ...)."""
    w = word.lower()
    return w in _EN_STOP or w in _PL_STOP


@lru_cache(maxsize=65536)
def word_score(word: str) -> float:
    """Positive for English-looking spelling, negative for Polish; 0 when nothing tells."""
    w = word.lower()
    if w in _EN_STOP:
        return 2.0
    if w in _PL_STOP:
        return -2.0
    score = 0.0
    if any(ch in _DIACRITICS for ch in word):
        score -= 3.0
    for test, weight in _PL_TESTS:
        if test(w):
            score -= weight
    for test, weight in _EN_TESTS:
        if test(w):
            score += weight
    return score


def text_score(text: str) -> float:
    """Positive for English, negative for Polish, per word (stopwords count most)."""
    found = words(text)[:300]  # a long abstract tells its language in its first words
    if not found:
        return 0.0
    total = 0.0
    for w in found:
        lw = w.lower()
        if lw in _EN_STOP:
            total += 3.0
        elif lw in _PL_STOP:
            total -= 3.0
        else:
            total += word_score(w) * 0.5
    return total / len(found) ** 0.5


def detect(text: str, *, threshold: float = 0.6) -> str:
    """``"pl"``, ``"en"`` or ``""`` for a title, an abstract or a sentence."""
    score = text_score(text)
    if score >= threshold:
        return ENGLISH
    if score <= -threshold:
        return POLISH
    return UNKNOWN


def split_runs(items: Sequence[str], *, threshold: float = 2.0) -> list[tuple[str, list[str]]]:
    """Split a list like a keyword line into at most two runs of one language each.

    Pages list the keywords of one language, then those of the other, with nothing between
    (``Russia Kazakhstan security Rosja Kazachstan bezpieczeństwo``).  The split point is the
    one that best separates English-looking from Polish-looking items (either order); items
    whose run is not clearly of one language are returned with language ``""``.
    """
    if not items:
        return []
    scores = [sum(word_score(w) for w in words(item)) for item in items]
    n = len(items)
    candidates: list[tuple[float, int, str, str]] = []
    for k in range(n + 1):
        left, right = sum(scores[:k]), sum(scores[k:])
        candidates.append((left - right, k, ENGLISH, POLISH))
        candidates.append((right - left, k, POLISH, ENGLISH))
    top = max(c[0] for c in candidates)
    # items that tell nothing ("gmina") may sit on either side of the split: prefer the
    # split nearest the middle, since pages give the same keywords in both languages
    _, k, first, second = min(
        (c for c in candidates if c[0] >= top - 0.25), key=lambda c: (abs(2 * c[1] - n), -c[0])
    )
    runs: list[tuple[str, list[str]]] = []
    parts = [(first, list(items[:k]), sum(scores[:k])), (second, list(items[k:]), sum(scores[k:]))]
    parts = [p for p in parts if p[1]]

    def leans(lang: str, total: float, by: float) -> bool:
        return total >= by if lang == ENGLISH else total <= -by

    sure = [leans(lang, total, threshold) for lang, _, total in parts]
    for n_part, (lang, part, total) in enumerate(parts):
        ok = sure[n_part] or (
            # "Ukraine war Russia | Ukraina wojna Rosja": beside a run that is surely one
            # language, a run that does not lean the other way is the other language
            len(parts) == 2 and sure[1 - n_part] and leans(lang, total, 0.0)
        )
        runs.append((lang if ok else UNKNOWN, part))
    # two runs judged one language (or unknown) are one run
    if len(runs) == 2 and runs[0][0] == runs[1][0]:
        runs = [(runs[0][0], runs[0][1] + runs[1][1])]
    return runs


def other(lang: str) -> str:
    return {POLISH: ENGLISH, ENGLISH: POLISH}.get(lang, UNKNOWN)
