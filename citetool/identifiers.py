"""Pure identifier handling: DOI, ORCID, ISSN, ISBN — parse, normalise, check digits."""

from __future__ import annotations

import re
from functools import cache

# The expressions that only some inputs need are kept as text and compiled by the re module
# on first use (and cached there), or compiled on first use by a functools.cache accessor:
# compiling them all at import was ~2 ms of every command that reads, a one-record cite
# included. PMIDs, PMCIDs, arXiv ids and ISBNs all have a digit: text without one (the title
# line a one-record file starts with) is no such identifier, told without any expression.
_DOI_IN_TEXT = r"\b(10\.\d{4,9}/[^\s\"]+)"  # <> occur in SICI DOIs
_DOI_PREFIXES = (
    r"^(?:doi:\s*|https?://(?:dx\.)?doi\.org/|https?://(?:www\.)?doi\.org/|doi\.org/)"
)


def _has_digit(text: str) -> bool:
    return any(ch.isdecimal() for ch in text)  # what \d matches


def normalize_doi(text: str) -> str | None:
    """``https://doi.org/10.15804/ATHENA.2020.66.04`` → ``10.15804/athena.2020.66.04``.

    DOIs are case-insensitive; the canonical form here is lower case with no resolver
    prefix. Returns None when ``text`` holds no DOI (never invents one).
    """
    s = text.strip()
    if "%" in s:  # percent-encoded, as in a URL (unquote leaves other text as it is)
        from urllib.parse import unquote  # here: with ipaddress, ~1.7 ms of start-up

        s = unquote(s)
    s = re.sub(_DOI_PREFIXES, "", s, flags=re.I)
    m = re.search(_DOI_IN_TEXT, s, re.I)
    if not m:
        return None
    doi = m.group(1).rstrip(".,;)]}'")
    if doi.count("(") < doi.count(")"):
        doi = doi.rstrip(")")
    return doi.lower()


def is_doi(text: str) -> bool:
    s = text.strip()
    return "10." in s and bool(  # every DOI has "10.": other text is told without the expression
        re.fullmatch(r"(?:doi:\s*|https?://(?:dx\.|www\.)?doi\.org/)?10\.\d{4,9}/\S+", s, re.I)
    )


_ORCID = r"(\d{4})-?(\d{4})-?(\d{4})-?(\d{3}[\dXx])"


def normalize_orcid(text: str) -> str | None:
    """``https://orcid.org/0000-0002-1825-0097`` → ``0000-0002-1825-0097`` (None if absent)."""
    m = re.search(_ORCID, text or "")
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


# --- ISBN ---------------------------------------------------------------------------------


@cache
def _isbn_prefix() -> re.Pattern[str]:
    return re.compile(r"^ISBN(?:[-\s]?1[03])?\s*:?\s*", re.I)


@cache
def _isbn_body() -> re.Pattern[str]:
    return re.compile(r"\d(?:[\s-]?\d){8}[\s-]?[\dXx]|\d(?:[\s-]?\d){12}")


_ISBN_IN_TEXT = r"\bISBN(?:[-\s]?1[03])?\s*:?\s*(\d(?:[\s-]?\d){8,11}[\s-]?[\dXx])\b"


def parse_isbn(text: str) -> str | None:
    """The digits of a spec that is an ISBN — ``ISBN 978-0-316-03057-1``,
    ``0-316-03057-X``, ``9780316030571`` — upper-case ``X``, separators dropped; None
    otherwise. The check digit is NOT verified here (see :func:`isbn_error`), so that a
    mistyped ISBN is still recognised as one and reported."""
    s = text.strip()
    if not _has_digit(s):
        return None
    prefixed = bool(_isbn_prefix().match(s))
    body = _isbn_prefix().sub("", s) if prefixed else s
    if not _isbn_body().fullmatch(body):
        return None
    digits = re.sub(r"[\s-]", "", body).upper()
    if len(digits) == 13 and not digits.startswith(("978", "979")) and not prefixed:
        return None
    return digits


def find_isbn(text: str) -> str | None:
    """An ``ISBN ...`` inside a longer text (a pasted reference), as digits."""
    m = re.search(_ISBN_IN_TEXT, text, re.I)
    if not m:
        return None
    digits = re.sub(r"[\s-]", "", m.group(1)).upper()
    return digits if len(digits) in (10, 13) else None


def isbn_check_digit(digits: str) -> str:
    """The check digit ISBN ``digits`` (10 or 13 long; the last one is ignored) must end
    with: ISBN-10 mod 11 (``X`` for 10), ISBN-13 mod 10."""
    if len(digits) == 10:
        total = sum((10 - i) * int(c) for i, c in enumerate(digits[:9]))
        check = (11 - total % 11) % 11
        return "X" if check == 10 else str(check)
    total = sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(digits[:12]))
    return str((10 - total % 10) % 10)


def isbn_error(digits: str) -> str | None:
    """Why ``digits`` is not a valid ISBN (one line), or None."""
    if len(digits) not in (10, 13) or not re.fullmatch(r"\d{9,12}[\dX]", digits):
        return f"ISBN {digits}: not 10 or 13 digits"
    if len(digits) == 13 and "X" in digits:
        return f"ISBN {digits}: an ISBN-13 has no X"
    expected = isbn_check_digit(digits)
    if digits[-1] != expected:
        return f"ISBN {digits}: wrong check digit {digits[-1]} (expected {expected})"
    return None


def isbn13(digits: str) -> str:
    """ISBN-10 → ISBN-13 (``978`` prefix, new check digit); an ISBN-13 as it is."""
    if len(digits) == 13:
        return digits
    body = "978" + digits[:9]
    return body + isbn_check_digit(body + "0")


# --- PubMed and PubMed Central ------------------------------------------------------------


@cache
def _pmid() -> re.Pattern[str]:
    return re.compile(r"(?:PMID\s*:?\s*|https?://(?:www\.)?(?:pubmed\.ncbi\.nlm\.nih\.gov|"
                      r"ncbi\.nlm\.nih\.gov/pubmed)/)(\d{1,9})/?", re.I)


@cache
def _pmcid() -> re.Pattern[str]:
    return re.compile(r"(?:PMCID\s*:?\s*)?(?:https?://(?:www\.)?(?:pmc\.ncbi\.nlm\.nih\.gov/"
                      r"articles|ncbi\.nlm\.nih\.gov/pmc/articles)/)?PMC(\d{1,9})/?", re.I)


_PMID_IN_TEXT = r"\bPMID\s*:?\s*(\d{1,9})\b"


def parse_pmid(text: str, *, bare: bool = False) -> str | None:
    """``PMID:123``, ``pmid:123``, ``PMID 123``, a pubmed.ncbi.nlm.nih.gov URL → ``123``;
    bare digits only when ``bare`` (``--from pmid``)."""
    s = text.strip()
    if not _has_digit(s):
        return None
    m = _pmid().fullmatch(s)
    if m:
        return m.group(1).lstrip("0") or None
    if bare and re.fullmatch(r"\d{1,9}", s):
        return s.lstrip("0") or None
    return None


def find_pmid(text: str) -> str | None:
    m = re.search(_PMID_IN_TEXT, text, re.I)
    return (m.group(1).lstrip("0") or None) if m else None


def parse_pmcid(text: str) -> str | None:
    """``PMC123``, ``PMCID: PMC123``, a PMC article URL → ``PMC123``."""
    s = text.strip()
    m = _pmcid().fullmatch(s) if _has_digit(s) else None
    return f"PMC{m.group(1)}" if m else None


# --- arXiv --------------------------------------------------------------------------------

_ARXIV_ID = r"(\d{4}\.\d{4,5}(?:v\d+)?|[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?/\d{7}(?:v\d+)?)"


@cache
def _arxiv() -> re.Pattern[str]:
    return re.compile(
        r"(?:arXiv\s*:\s*|https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/)?"
        + _ARXIV_ID
        + r"(?:\.pdf)?/?",
        re.I,
    )


_ARXIV_IN_TEXT = r"(?:\barXiv\s*:\s*|arxiv\.org/(?:abs|pdf)/)" + _ARXIV_ID


def parse_arxiv(text: str) -> str | None:
    """``2101.00001``, ``2101.00001v2``, ``hep-th/9901001``, ``arXiv:…``,
    ``https://arxiv.org/abs/…`` and ``/pdf/…`` → the id (version kept)."""
    s = text.strip()
    m = _arxiv().fullmatch(s) if _has_digit(s) else None
    if not m:
        return None
    return _arxiv_case(m.group(1))


def find_arxiv(text: str) -> str | None:
    m = re.search(_ARXIV_IN_TEXT, text, re.I)
    return _arxiv_case(m.group(1)) if m else None


def _arxiv_case(found: str) -> str:
    if "/" in found:  # old style: archive in lower case, subject class as written
        archive, _, number = found.partition("/")
        head, dot, sub = archive.partition(".")
        return f"{head.lower()}{dot}{sub.upper()}/{number.lower()}"
    return found.lower()
