"""``language.word_score`` tests the long alternations of endings with ``str.endswith``, not
with expressions: these tests keep the expressions it used before and check that the scores
are the same on every word of the test fixtures and on random ones."""

from __future__ import annotations

import random
import re
from pathlib import Path

from citetool import language

TESTS = Path(__file__).resolve().parent

#: the spelling features as expressions, as word_score had them
PL = tuple((re.compile(p), w) for p, w in (
    (r"sz|cz|rz", 1.0),
    (r"dz(?!h)", 1.0),
    (r"[cszkrgtd]j", 1.5),
    (r"ch[bcdfgkmnpstwz]", 1.0),
    (r"w[bcdfghjklmnpstwzł]", 1.0),
    (r"[^aeiouy]a$", 0.7),
    (r"yj|zy\w|[^aeiouy]cy$", 1.0),
    (r"(?:ów|ych|ymi|ego|emu|ami|cja|cji|sja|sji|zja|zji|ski|cki|ska|cka|skie|ckie|"
     r"ość|ości|anie|enie|ania|enia|stwo|stwa|ach|iej|owa|owe|owy|ewa|ew|ii|nej|wej)$", 1.5),
))
EN = tuple((re.compile(p), w) for p, w in (
    (r"[qvx]", 2.0),
    (r"th|sh|ph|wh|kh|gh", 1.5),
    (r"[aeo]y|y[aeou]", 1.5),
    (r"ee|oo|ou|ea", 0.5),
    (r"ss", 1.0),
    (r"(?:tion|sion|ity|ness|ism|ment|ing|ies|ics|ship|ous|ive|gy|ance|ence|ed)s?$", 2.0),
    (r"[^aeiosuy]s$", 0.7),
    (r"(?:[aeiou]cy|ion|ean|ign|ght|ld|nd)$", 1.0),
))


def reference_score(word: str) -> float:
    w = word.lower()
    if w in language._EN_STOP:
        return 2.0
    if w in language._PL_STOP:
        return -2.0
    score = 0.0
    if any(ch in language._DIACRITICS for ch in word):
        score -= 3.0
    for pattern, weight in PL:
        if pattern.search(w):
            score -= weight
    for pattern, weight in EN:
        if pattern.search(w):
            score += weight
    return score


def fixture_words() -> set[str]:
    found: set[str] = set()
    for folder in ("data", "fixtures", "golden"):
        for path in (TESTS / folder).rglob("*"):
            if path.is_file() and path.stat().st_size < 2_000_000:
                found.update(language.words(path.read_text(encoding="utf-8", errors="ignore")))
    return found


def test_word_score_is_the_expressions_score_on_fixture_words() -> None:
    found = fixture_words()
    assert len(found) > 1000
    for word in found:
        assert language.word_score(word) == reference_score(word), word


def test_word_score_is_the_expressions_score_on_random_words() -> None:
    rng = random.Random(15)
    letters = "aąbcćdeęfghijklłmnńoóprsśtuvwxyzźż'’-"
    for _ in range(50_000):
        word = "".join(rng.choice(letters) for _ in range(rng.randint(1, 9)))
        for w in (word, word + "\n"):  # "$" also matches before a final newline
            assert language.word_score(w) == reference_score(w), w
