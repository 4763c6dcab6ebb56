"""Parsing personal names written as text ("Paweł Bielicki", "van der Berg, Jan").

Follows BibTeX's rules (which Zotero and pandoc also follow for text names): "First von Last",
"von Last, First", "von Last, Jr, First"; lower-case words before the family name are particles.
"""

from __future__ import annotations

import re

from .model import Name

_PARTICLES = {
    "van",
    "von",
    "der",
    "den",
    "de",
    "del",
    "della",
    "di",
    "da",
    "du",
    "des",
    "la",
    "le",
    "ten",
    "ter",
    "dos",
    "das",
    "do",
    "y",
    "zu",
    "zum",
    "zur",
    "af",
    "av",
    "al",
    "el",
    "bin",
    "ibn",
    "d'",
    "l'",
    "op",
    "'t",
}
_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "v", "2nd", "3rd"}


def parse_name(text: str) -> Name:
    text = " ".join(text.split())
    if not text:
        return Name()
    if text.startswith("{") and text.endswith("}"):
        return Name(literal=text[1:-1])
    parts = [p.strip() for p in text.split(",")]
    if len(parts) == 1:
        words = parts[0].split(" ")
        if len(words) == 1:
            return Name(family=words[0])
        suffix = ""
        if words[-1].lower() in _SUFFIXES and len(words) > 2:
            suffix = words.pop()
        # particles: first lower-case run after the given names
        idx = len(words) - 1
        start = idx
        for i in range(1, len(words) - 1):
            if _is_particle(words[i]):
                start = i
                break
        given = " ".join(words[:start])
        particle_words = []
        j = start
        while j < len(words) - 1 and _is_particle(words[j]):
            particle_words.append(words[j])
            j += 1
        family = " ".join(words[j:])
        return Name(
            family=family,
            given=given,
            non_dropping_particle=" ".join(particle_words),
            suffix=suffix,
        )
    von_last = parts[0]
    if len(parts) >= 3:
        suffix, given = parts[1], ", ".join(parts[2:])
    elif parts[1].lower() in _SUFFIXES:
        suffix, given = parts[1], ""
    else:
        suffix, given = "", parts[1]
    words = von_last.split(" ")
    particle_words = []
    while len(words) > 1 and _is_particle(words[0]):
        particle_words.append(words.pop(0))
    return Name(
        family=" ".join(words),
        given=given,
        non_dropping_particle=" ".join(particle_words),
        suffix=suffix,
    )


def _is_particle(word: str) -> bool:
    return word.lower() in _PARTICLES or (word[:1].islower() and word[:1].isalpha())


def parse_name_list(text: str) -> tuple[Name, ...]:
    """``"Smith, John; Doe, Jane"`` or ``"John Smith and Jane Doe"``."""
    chunks = re.split(r"\s*;\s*|\s+and\s+|\s*&\s*", text.strip())
    return tuple(parse_name(c) for c in chunks if c.strip())
