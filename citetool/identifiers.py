"""Pure identifier handling: DOI, ORCID, ISSN, ISBN — parse, normalise, check digits."""

from __future__ import annotations

import re
from urllib.parse import unquote

_DOI_IN_TEXT = re.compile(r"\b(10\.\d{4,9}/[^\s\"]+)", re.I)  # <> occur in SICI DOIs
_DOI_PREFIXES = re.compile(
    r"^(?:doi:\s*|https?://(?:dx\.)?doi\.org/|https?://(?:www\.)?doi\.org/|doi\.org/)", re.I
)


def normalize_doi(text: str) -> str | None:
    """``https://doi.org/10.15804/ATHENA.2020.66.04`` → ``10.15804/athena.2020.66.04``.

    DOIs are case-insensitive; the canonical form here is lower case with no resolver
    prefix. Returns None when ``text`` holds no DOI (never invents one).
    """
    s = unquote(text.strip())
    s = _DOI_PREFIXES.sub("", s)
    m = _DOI_IN_TEXT.search(s)
    if not m:
        return None
    doi = m.group(1).rstrip(".,;)]}'")
    if doi.count("(") < doi.count(")"):
        doi = doi.rstrip(")")
    return doi.lower()


def is_doi(text: str) -> bool:
    s = text.strip()
    return bool(
        re.fullmatch(r"(?:doi:\s*|https?://(?:dx\.|www\.)?doi\.org/)?10\.\d{4,9}/\S+", s, re.I)
    )


_ORCID = re.compile(r"(\d{4})-?(\d{4})-?(\d{4})-?(\d{3}[\dXx])")


def normalize_orcid(text: str) -> str | None:
    """``https://orcid.org/0000-0002-1825-0097`` → ``0000-0002-1825-0097`` (None if absent)."""
    m = _ORCID.search(text or "")
    if not m:
        return None
    return "-".join(m.groups()).upper()


def valid_orcid(text: str) -> bool:
    """ISO 7064 MOD 11-2 check digit."""
    norm = normalize_orcid(text)
    if not norm:
        return False
    digits = norm.replace("-", "")
    total = 0
    for ch in digits[:-1]:
        total = (total + int(ch)) * 2
    check = (12 - total % 11) % 11
    expected = "X" if check == 10 else str(check)
    return digits[-1] == expected


def normalize_issn(text: str) -> str | None:
    m = re.search(r"\b(\d{4})-?(\d{3}[\dXx])\b", text or "")
    return f"{m.group(1)}-{m.group(2).upper()}" if m else None


def valid_issn(text: str) -> bool:
    norm = normalize_issn(text)
    if not norm:
        return False
    digits = norm.replace("-", "")
    total = sum(int(d) * w for d, w in zip(digits[:7], range(8, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    expected = "X" if check == 10 else str(check)
    return digits[-1] == expected


def valid_isbn(text: str) -> bool:
    s = re.sub(r"[\s-]", "", text or "").upper()
    if len(s) == 10 and re.fullmatch(r"\d{9}[\dX]", s):
        total = sum((10 - i) * (10 if c == "X" else int(c)) for i, c in enumerate(s))
        return total % 11 == 0
    if len(s) == 13 and s.isdigit():
        total = sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(s))
        return total % 10 == 0
    return False
