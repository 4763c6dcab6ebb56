"""Citation keys: a small pattern language, transliteration, deterministic collision suffixes.

The default pattern ``{author}{year}{title}`` gives ``bielicki2020relacje``: the first
author's family name (without particles), the year, the first significant word of the title
(English and Polish stop words skipped).  Every non-ASCII letter is transliterated with
anyascii (``Ł``→``L``, ``ö``→``o``, Cyrillic and Greek romanised; ``umlauts="expand"`` gives
``ö``→``oe``), so a key is never ``???`` or empty (the fallback is ``anon``).

Pattern fields (case of the field name sets the case of the value):

* ``{author}`` / ``{Author}`` / ``{AUTHOR}``: first author's family (else editor, else a
  corporate name's first word);
* ``{authors}``: up to three family names, then ``EtAl``; ``{authorN}`` the N-th author;
* ``{year}``; ``{title}`` first significant title word; ``{shorttitle}`` the first three;
  ``{journal}`` first significant word of the container title; ``{id}`` the record id.

Anything outside braces is copied; characters BibTeX does not allow in keys are dropped.
Keys that collide get ``a``, ``b``, ... in input order (all of them, like ``2020a``/``2020b``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from .model import Name, Record

DEFAULT_PATTERN = "{author}{year}{title}"
FALLBACK_KEY = "anon"

STOPWORDS = frozenset(
    # English
    """a an the and or of on in at to for from by with about as into onto over under
    is are be its it this that these those not no via vs versus toward towards upon
    between among within without what which who whom how why when where do does""".split()
    # Polish
    + """a i o w we z ze na do od po za pod nad przez przy dla u o oraz lub albo czy
    jak jako że iż to ten ta te tego tej jest są się nie ich jego jej ku bez""".split()
    # German, French, Spanish, Italian (the usual ones)
    + """der die das ein eine einer und oder von zu im am mit für über auf
    le la les un une des du et en au aux de d l el los las y del al il lo gli e di da""".split()
)

_KEY_UNSAFE = re.compile(r"[^A-Za-z0-9_:\-.]")
#: characters a key read from a .bib file cannot hold (BibTeX and biber accept the rest)
_OWN_KEY_UNSAFE = re.compile(r'[\s,{}()"#%=\\\'~]')
_WORD = re.compile(r"[\w'’]+", re.UNICODE)
_FIELD = re.compile(r"\{([A-Za-z]+)(\d*)\}")
_GERMAN_EXPAND = {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"}


@lru_cache(maxsize=8192)
def transliterate(text: str, umlauts: str = "plain") -> str:
    """ASCII for any text: ``Łódź`` → ``Lodz``, ``Путин`` → ``Putin``."""
    if umlauts == "expand":
        text = "".join(_GERMAN_EXPAND.get(ch, ch) for ch in text)
    if text.isascii():
        return text
    try:
        from anyascii import anyascii
    except ImportError:  # pragma: no cover - anyascii is a dependency
        decomposed = unicodedata.normalize("NFKD", text.replace("ł", "l").replace("Ł", "L"))
        return "".join(ch for ch in decomposed if ch.isascii())
    return anyascii(text)


def _clean(text: str, umlauts: str) -> str:
    return _KEY_UNSAFE.sub("", transliterate(text, umlauts).replace(" ", ""))


def _alnum(text: str, umlauts: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "", transliterate(text, umlauts))


def _family(name: Name, umlauts: str) -> str:
    if name.family:
        return _alnum(name.family, umlauts)
    if name.literal:
        words = [w for w in _WORD.findall(name.literal) if w.lower() not in STOPWORDS]
        return _alnum(words[0], umlauts) if words else _alnum(name.literal, umlauts)
    return _alnum(name.given, umlauts)


def _creators(record: Record) -> tuple[Name, ...]:
    for role in ("author", "editor", "container-author", "translator", "compiler"):
        people = record.names.get(role)
        if people:
            return tuple(p for p in people if p.literal != "others") or people
    return ()


def significant_words(text: str, umlauts: str = "plain") -> list[str]:
    words = []
    if "<span" in text:
        from .case import strip_nocase

        text = strip_nocase(text)
    for word in _WORD.findall(text):
        if word.lower() in STOPWORDS:
            continue
        ascii_word = _alnum(word, umlauts)
        if ascii_word:
            words.append(ascii_word)
    return words


def _apply_case(value: str, field: str) -> str:
    if field.isupper() and len(field) > 1:
        return value.upper()
    if field[:1].isupper():
        return value[:1].upper() + value[1:].lower()
    return value.lower()


def _value(record: Record, field: str, number: str, umlauts: str) -> str:
    name = field.lower()
    people = _creators(record)
    if name == "author":
        index = int(number) - 1 if number else 0
        return _family(people[index], umlauts) if 0 <= index < len(people) else ""
    if name == "authors":
        limit = int(number) if number else 3
        families = [_apply_case(_family(p, umlauts), "X") for p in people[:limit]]
        return "".join(families) + ("EtAl" if len(people) > limit else "")
    if name == "year":
        date = record.dates.get("issued")
        if date is not None and date.year is not None:
            return str(date.year)
        literal = date.literal if date is not None else ""
        match = re.search(r"\d{4}", literal or "")
        return match.group(0) if match else ""
    if name in ("title", "shorttitle"):
        words = significant_words(record.title, umlauts)
        count = int(number) if number else (1 if name == "title" else 3)
        return "".join(words[:count]) if name == "title" else "".join(
            _apply_case(w, "X") for w in words[:count]
        )
    if name == "journal":
        words = significant_words(str(record.fields.get("container-title", "")), umlauts)
        return words[0] if words else ""
    if name == "id":
        return _clean(record.id, umlauts)
    raise ValueError(f"unknown key pattern field {{{field}}}")


def validate_pattern(pattern: str) -> None:
    """Raise ValueError for an unknown field (the CLI turns it into a usage error)."""
    probe = Record(id="x", fields={"title": "x"})
    for match in _FIELD.finditer(pattern):
        _value(probe, match.group(1), match.group(2), "plain")
    if not _FIELD.search(pattern):
        raise ValueError(f"key pattern {pattern!r} has no field such as {{author}}")


def make_key(record: Record, pattern: str = DEFAULT_PATTERN, *, umlauts: str = "plain") -> str:
    """The key for one record (before collision suffixes); never empty."""

    def substitute(match: re.Match[str]) -> str:
        field, number = match.group(1), match.group(2)
        value = _value(record, field, number, umlauts)
        return _apply_case(value, field) if field.lower() not in ("authors", "shorttitle",
                                                                  "id") else value

    key = _KEY_UNSAFE.sub("", _FIELD.sub(substitute, pattern))
    key = key.strip("-_:.")
    if not key or not key[0].isalnum():
        key = FALLBACK_KEY + key
    return key


def unique_keys(keys: Sequence[str]) -> list[str]:
    """Suffix colliding keys ``a``, ``b``, ... (all members of a collision), deterministically
    and never clashing with another key."""
    counts: dict[str, int] = {}
    for key in keys:
        counts[key] = counts.get(key, 0) + 1
    taken = {k for k, n in counts.items() if n == 1}
    next_suffix: dict[str, int] = {}
    out = []
    for key in keys:
        if counts[key] == 1:
            out.append(key)
            continue
        index = next_suffix.get(key, 0)
        while True:
            candidate = key + _suffix(index)
            index += 1
            if candidate not in taken:
                break
        next_suffix[key] = index
        taken.add(candidate)
        out.append(candidate)
    return out


def _suffix(index: int) -> str:
    """0 → a, 25 → z, 26 → aa, ..."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(ord("a") + rem) + letters
    return letters


def assign_keys(
    records: Sequence[Record],
    pattern: str | None = None,
    *,
    umlauts: str = "plain",
) -> list[str]:
    """Keys for ``records``: a record's own ``citation-key`` is kept unless a pattern is
    given; the others are made from ``pattern`` (default :data:`DEFAULT_PATTERN`)."""
    keys = []
    for record in records:
        own = str(record.fields.get("citation-key", "")).strip()
        if pattern is None and own and not _OWN_KEY_UNSAFE.search(own):
            keys.append(own)
        else:
            keys.append(make_key(record, pattern or DEFAULT_PATTERN, umlauts=umlauts))
    return unique_keys(keys)
