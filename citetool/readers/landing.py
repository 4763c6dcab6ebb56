"""Reader for landing-page text pasted from the journal site of Wydawnictwo Adam Marszałek.

The site (DOI prefix 10.15804) shows each article as a title line followed by metadata::

    Relacje kazachsko-rosyjskie i ich znaczenie ...        <- title

      • Author: Paweł Bielicki                              <- layout A: "• Label: value"
      • Institution: Instytut ...
      • Year of publication: 2020
      • Source: Show
      • Pages: 51-71
      • DOI Address:
      • PDF: apsp/66/apsp6604.pdf

    <abstract paragraphs in Polish and English, with PDF ligature damage>
    Russia Kazakhstan security ... Rosja Kazachstan ...    <- keyword line

Layout B puts ``- Label:`` on one line and the value on the next.  Labels come in English
and Polish (``Autor``, ``Instytucja``, ``Rok wydania``, ``Strony``, ``Adres DOI``).  Several
authors are repeated ``Author`` / ``Institution`` / ``ORCID`` groups: an institution or ORCID
belongs to the author before it.  A title in the other language may stand on its own line
after the metadata.  One paste may hold many articles (a tag page): one record each.

Nothing is invented: an empty ``DOI Address`` gives no DOI, and the journal comes only from
the data table in ``citetool/data/journals.json`` (by DOI, else by PDF path).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from .. import journals, language
from ..errors import Diagnostic, Level, ReadError
from ..identifiers import normalize_doi, normalize_orcid, valid_orcid
from ..ligatures import repair_ligatures
from ..model import Date, Name, Record
from ..names import parse_name
from ..registry import ReadResult

# --- labels ------------------------------------------------------------------------------

#: label text (lower case, single spaces) -> the key this reader uses
LABELS: dict[str, str] = {
    "author": "author",
    "authors": "author",
    "autor": "author",
    "autorzy": "author",
    "institution": "institution",
    "affiliation": "institution",
    "instytucja": "institution",
    "afiliacja": "institution",
    "orcid": "orcid",
    "orcid id": "orcid",
    "year of publication": "year",
    "year": "year",
    "rok wydania": "year",
    "rok publikacji": "year",
    "rok": "year",
    "source": "source",
    "źródło": "source",
    "zrodlo": "source",
    "pages": "pages",
    "page": "pages",
    "strony": "pages",
    "strona": "pages",
    "doi address": "doi",
    "doi": "doi",
    "adres doi": "doi",
    "pdf": "pdf",
    "plik pdf": "pdf",
    "journal": "journal",
    "czasopismo": "journal",
    "volume": "volume",
    "tom": "volume",
    "issue": "issue",
    "numer": "issue",
    "nr": "issue",
    "keywords": "keywords",
    "key words": "keywords",
    "słowa kluczowe": "keywords",
    "abstract": "abstract",
    "streszczenie": "abstract",
}
#: keys that make a run of label lines an article's metadata block
_CORE = {"author", "institution", "orcid", "year", "pages", "doi", "pdf"}
#: keys whose label may stand on its own in the tail (after the metadata)
_TAIL = {"keywords", "abstract"}
#: "Source: Show" is a link on the page, not data
_SOURCE_LINKS = {"show", "pokaż", "pokaz", "zobacz"}

_BULLETS = tuple("•·▪◦‣∙●*-–—")
_BULLET = f"[{re.escape(''.join(_BULLETS))}]"
# a label word: letters, "E-mail", "Author's" (’ apart from ' and -: a class with a character
# beyond Latin-1 in three runs or more is compiled into a 64K-character bitmap, ~0.1 ms)
_WORD = r"[^\W\d_](?:[^\W\d_]|['-]|’)*"
_LABEL_LINE = re.compile(
    rf"^\s*(?P<bullet>{_BULLET}\s*)?"
    rf"(?P<label>{_WORD}(?: {_WORD}){{0,3}})\s*:"
    rf"(?!//)\s*(?P<value>.*?)\s*$"
)


# The reader's three working types are plain classes, not dataclasses: creating a dataclass
# is ~0.4 ms each at import, a tenth of a one-record cite's reading.


class _Line:
    __slots__ = ("kind", "lineno", "text", "key", "label", "value", "bullet")

    def __init__(self, kind: str, lineno: int, text: str = "", key: str = "", label: str = "",
                 value: str = "", bullet: bool = False) -> None:
        self.kind = kind  # "label", "text" or "blank"
        self.lineno = lineno
        self.text = text
        self.key = key
        self.label = label
        self.value = value
        self.bullet = bullet


class _Article:
    __slots__ = ("block", "title", "tail")

    def __init__(self, block: list[_Line] | None = None) -> None:
        self.block: list[_Line] = block if block is not None else []
        self.title: _Line | None = None
        self.tail: list[_Line] = []


def read(text: str, source: str = "<stdin>", **_: Any) -> ReadResult:
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise ReadError("empty input, expected a landing page (title, Author:, Pages: ...)", source)
    lines = _tokenise(text)
    _take_values(lines)
    articles, skipped = _articles(lines, source)
    diagnostics: list[Diagnostic] = list(skipped)
    if not articles:
        errors = [d for d in skipped if d.level >= Level.ERROR]
        if errors:
            raise ReadError(errors[0].message, source, errors[0].line)
        first_text = next((ln.lineno for ln in lines if ln.kind != "blank"), 1)
        raise ReadError(
            "not a landing page: no metadata lines such as 'Author:', 'Year of publication:' "
            "or 'Pages:' were found",
            source,
            first_text,
        )
    records: list[Record] = []
    for article in articles:
        record, diags = _record(article, source)
        records.append(record)
        diagnostics.extend(diags)
    _unique_ids(records)
    return ReadResult(records, diagnostics)


# --- phase 1: lines ----------------------------------------------------------------------


def _label_key(label: str) -> str:
    return LABELS.get(" ".join(label.lower().split()), "")


def _tokenise(text: str) -> list[_Line]:
    out: list[_Line] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.replace("\u00a0", " ").rstrip()
        if not line.strip():
            out.append(_Line("blank", number))
            continue
        m = _LABEL_LINE.match(line)
        if m:
            key = _label_key(m.group("label"))
            bullet = bool(m.group("bullet"))
            if key or bullet:
                out.append(
                    _Line(
                        "label",
                        number,
                        line.strip(),
                        key,
                        m.group("label"),
                        m.group("value"),
                        bullet,
                    )
                )
                continue
        out.append(_Line("text", number, line.strip()))
    # a bulleted line with an unknown label counts only next to known labels (inside a
    # metadata block); elsewhere ("• Note: this issue ...") it is text
    for i, ln in enumerate(out):
        if ln.kind == "label" and not ln.key and not _near_known_label(out, i):
            ln.kind = "text"
    return out


def _near_known_label(lines: list[_Line], i: int) -> bool:
    for step in (-1, 1):
        j = i + step
        while 0 <= j < len(lines) and lines[j].kind != "text":
            if lines[j].kind == "label" and lines[j].key in _CORE:
                return True
            if lines[j].kind == "label" and lines[j].key:
                break
            j += step
        if 0 <= j < len(lines) and lines[j].kind == "text" and step == 1:
            # layout B: "- Note:" / "value" / "- Author:" ...
            k = j + 1
            while k < len(lines) and lines[k].kind == "blank":
                k += 1
            if k < len(lines) and lines[k].kind == "label" and lines[k].key in _CORE:
                return True
    return False


# compiled (and cached) by the re module when a value needs checking
_YEAR = r"^\d{4}(?:\s*[-–/]\s*\d{2,4})?$"
_PAGES = r"^(?:(?:pp?|s)\.\s*)?[\dIVXLCivxlc]+(?:\s*[-–—]\s*[\dIVXLCivxlc]+)?$"


def _fits(key: str, value: str) -> bool:
    """Could ``value`` (a layout-B value line) be the value of a ``key`` label?"""
    v = value.strip()
    if key == "doi":
        return normalize_doi(v) is not None or bool(re.match(r"https?://", v, re.I))
    if key == "pdf":
        return bool(re.search(r"\.pdf\b", v, re.I)) or bool(re.match(r"https?://", v, re.I))
    if key == "year":
        return bool(re.match(_YEAR, v))
    if key == "pages":
        return bool(re.match(_PAGES, v))
    if key == "orcid":
        return normalize_orcid(v) is not None
    if key in ("volume", "issue"):
        return len(v) <= 20
    return len(v.split()) <= 30 and not re.search(r"[.!?]\s+\S+\s+\S+.*[.!?]$", v)


def _take_values(lines: list[_Line]) -> None:
    """Layout B: a label line with no value takes the next text line as its value."""
    for i, ln in enumerate(lines):
        if ln.kind != "label" or ln.value or ln.key in _TAIL:
            continue
        j = i + 1
        blanks = 0
        while j < len(lines) and lines[j].kind == "blank":
            j += 1
            blanks += 1
        if j >= len(lines) or lines[j].kind != "text":
            continue
        candidate = lines[j]
        if not _fits(ln.key, candidate.text):
            continue
        if blanks and ln.key not in ("doi", "pdf", "year", "pages", "orcid"):
            # across a blank line, free text is a value only if a label follows it
            k = j + 1
            while k < len(lines) and lines[k].kind == "blank":
                k += 1
            if not (k < len(lines) and lines[k].kind == "label" and lines[k].key in _CORE):
                continue
        ln.value = candidate.text
        candidate.kind = "value"  # a layout-B value line, taken by the label before it
    _join_continuations(lines)


#: labels whose long values may wrap onto a second line in a paste
_WRAPPING = {"author", "institution", "source", "journal", ""}


def _join_continuations(lines: list[_Line]) -> None:
    """A text line between a free-text label's value and the next label continues it.

    ``• Institution: Faculty of Law,`` / ``University of Gdańsk`` / ``• ORCID: ...``.
    After a structured value (``PDF:``, ``Pages:``) a text line is the next article's title.
    """
    owner: _Line | None = None
    for i, ln in enumerate(lines):
        if ln.kind == "label":
            owner = ln
            continue
        if ln.kind == "value":
            continue
        if (
            ln.kind == "text"
            and not ln.text.startswith(_BULLETS)
            and owner is not None
            and owner.key in _WRAPPING
            and owner.value
            and i > 0
            and lines[i - 1].kind in ("label", "value")
            and i + 1 < len(lines)
            and lines[i + 1].kind == "label"
            and lines[i + 1].key in _CORE
        ):
            owner.value = f"{owner.value} {ln.text}"
            ln.kind = "value"
            continue
        owner = None


# --- phase 2: articles -------------------------------------------------------------------


def _core_follows(lines: list[_Line], i: int) -> bool:
    """Does a metadata label come after line ``i`` before any text (a bulleted
    ``Keywords:`` in the middle of the metadata)?"""
    for ln in lines[i + 1 :]:
        if ln.kind == "label":
            return ln.key in _CORE
        if ln.kind == "text":
            return False
    return False


def _articles(lines: list[_Line], source: str) -> tuple[list[_Article], list[Diagnostic]]:
    """Group lines into articles: title, metadata block, tail (abstracts, keywords)."""
    # blocks: maximal runs of label/value/blank lines holding a core label
    blocks: list[tuple[int, int]] = []  # [start, end) indices into lines
    i = 0
    while i < len(lines):
        if lines[i].kind == "label" and lines[i].key not in _TAIL:
            j = i
            last = i
            while j < len(lines) and lines[j].kind in ("label", "value", "blank"):
                if lines[j].kind == "label" and lines[j].key in _TAIL and not _core_follows(
                    lines, j
                ):
                    break
                if lines[j].kind != "blank":
                    last = j
                j += 1
            if any(lines[k].kind == "label" and lines[k].key in _CORE for k in range(i, last + 1)):
                blocks.append((i, last + 1))
            else:
                for k in range(i, last + 1):  # no core label: not metadata after all
                    if lines[k].kind == "label":
                        lines[k].kind = "text"
                    elif lines[k].kind == "value":
                        lines[k].kind = "text"
            i = last + 1
        else:
            i += 1
    articles: list[_Article] = []
    problems: list[Diagnostic] = []
    previous_end = 0
    for n, (start, end) in enumerate(blocks):
        title_index = None
        k = start - 1
        while k >= previous_end and lines[k].kind == "blank":
            k -= 1
        if k >= previous_end and lines[k].kind == "text":
            title_index = k
        if articles:
            tail_end = title_index if title_index is not None else start
            articles[-1].tail = lines[previous_end:tail_end]
        else:
            # page chrome before the first article (menus, journal lists) is no record's
            chrome = [ln for ln in lines[: title_index if title_index is not None else start]
                      if ln.kind != "blank"]
            if chrome:
                problems.append(
                    Diagnostic.info(
                        f"{len(chrome)} line(s) before the first article's title ignored",
                        source,
                        chrome[0].lineno,
                    )
                )
        article = _Article(block=lines[start:end])
        if title_index is None:
            problems.append(
                Diagnostic.error(
                    "article metadata without a title line before it; skipped",
                    source,
                    lines[start].lineno,
                )
            )
        else:
            article.title = lines[title_index]
        articles.append(article)
        previous_end = end
        if n == len(blocks) - 1:
            article.tail = lines[end:]
    return [a for a in articles if a.title is not None], problems


# --- phase 3: records --------------------------------------------------------------------


class _Paragraph:
    __slots__ = ("text", "lineno", "lines", "label")

    def __init__(self, text: str, lineno: int, lines: int, label: str = "") -> None:
        self.text = text
        self.lineno = lineno
        self.lines = lines
        self.label = label  # "keywords" / "abstract" when the paste labelled it


def _paragraphs(tail: Sequence[_Line]) -> list[_Paragraph]:
    out: list[_Paragraph] = []
    current: list[_Line] = []

    def flush() -> None:
        if current:
            text = " ".join(ln.text for ln in current)
            out.append(_Paragraph(text, current[0].lineno, len(current)))
            current.clear()

    for ln in tail:
        if ln.kind == "blank":
            flush()
        elif ln.kind == "label" and ln.key in _TAIL:
            flush()
            if ln.value:
                out.append(_Paragraph(ln.value, ln.lineno, 1, ln.key))
            else:
                out.append(_Paragraph("", ln.lineno, 0, ln.key))
        elif ln.kind == "label":
            flush()
            out.append(_Paragraph(ln.text, ln.lineno, 1))
        else:
            if out and out[-1].label and not out[-1].text and not current:
                out[-1].text = ln.text  # "Keywords:" then the words on the next line
                out[-1].lines = 1
                continue
            current.append(ln)
    flush()
    return [p for p in out if p.text]


_SENTENCE_ENDS = (".", "!", "?", "…")
_CLOSERS = ('"', "'", "”", "’", ")")


def _is_sentence(text: str) -> bool:
    """Ends with ``.``, ``!``, ``?`` or ``…``, perhaps then one closing quote or parenthesis."""
    s = text.rstrip()
    if s.endswith(_CLOSERS):
        s = s[:-1].rstrip()
    return s.endswith(_SENTENCE_ENDS)


def _stopword_count(text: str) -> int:
    return sum(1 for w in language.words(text) if language.is_stopword(w))


def _looks_like_keywords(p: _Paragraph) -> bool:
    if p.label == "keywords":
        return True
    if p.label or p.lines != 1 or _is_sentence(p.text):
        return False
    n = len(p.text.split())
    if n > 40:
        return False
    if "," in p.text or ";" in p.text:
        return True
    return _stopword_count(p.text) <= max(1, n // 6)


def _looks_like_title(p: _Paragraph, title_lang: str) -> bool:
    if p.label or p.lines != 1 or len(p.text.split()) > 40:
        return False
    if p.text.endswith(".") and not p.text.endswith("..."):
        return False
    lang = language.detect(p.text)
    if title_lang and lang == title_lang:
        return False
    return _stopword_count(p.text) >= 1 or p.text.endswith("?")


def _record(article: _Article, source: str) -> tuple[Record, list[Diagnostic]]:
    assert article.title is not None
    diags: list[Diagnostic] = []
    title_line = article.title.lineno

    def warn(message: str, line: int | None = None) -> None:
        diags.append(Diagnostic.warning(message, source, line or title_line))

    title = repair_ligatures(" ".join(article.title.text.split()))
    title_lang = language.detect(title)

    # metadata block --------------------------------------------------------------------
    authors: list[dict[str, Any]] = []
    in_block_tail: list[_Line] = []
    values: dict[str, tuple[str, int]] = {}
    extra: dict[str, Any] = {}
    for ln in article.block:
        if ln.kind != "label":
            continue
        value = " ".join(ln.value.split())
        key = ln.key
        if key == "author":
            if not value:
                warn("empty Author", ln.lineno)
                continue
            for name_text in _split_authors(value):
                authors.append({"name": name_text, "aff": [], "orcid": "", "line": ln.lineno})
        elif key == "institution":
            if not value:
                continue
            if not authors:
                warn(f"institution {value!r} comes before any author; kept in extra", ln.lineno)
                extra.setdefault("institution", []).append(value)
                continue
            affs = _split_institutions(value)
            # one Author line may name several people: the institution is theirs
            line = authors[-1]["line"]
            for person in authors:
                if person["line"] == line:
                    person["aff"].extend(a for a in affs if a not in person["aff"])
        elif key == "orcid":
            if not value:
                continue
            orcid = normalize_orcid(value)
            if orcid is None:
                warn(f"ORCID {value!r} is not an ORCID iD; kept in extra", ln.lineno)
                extra.setdefault("orcid", []).append(value)
                continue
            if not valid_orcid(orcid):
                warn(f"ORCID {orcid} has a wrong check digit", ln.lineno)
            if not authors:
                warn(f"ORCID {orcid} comes before any author; kept in extra", ln.lineno)
                extra.setdefault("orcid", []).append(orcid)
            elif authors[-1]["orcid"] and authors[-1]["orcid"] != orcid:
                warn(f"a second ORCID {orcid} for {authors[-1]['name']}; kept in extra", ln.lineno)
                extra.setdefault("orcid", []).append(orcid)
            else:
                authors[-1]["orcid"] = orcid
        elif key == "source":
            if value and value.lower() not in _SOURCE_LINKS:
                extra["source"] = value
        elif key in ("year", "pages", "doi", "pdf", "journal", "volume", "issue"):
            if key in values and values[key][0] and value and values[key][0] != value:
                warn(f"a second {ln.label} {value!r}; the first one is used", ln.lineno)
                extra.setdefault(ln.label, value)
                continue
            if key not in values or not values[key][0]:
                values[key] = (value, ln.lineno)
        elif not key:
            if value:
                extra[ln.label] = value
        elif key in _TAIL:
            in_block_tail.append(ln)  # "• Keywords: ..." among the metadata

    fields: dict[str, Any] = {"title": title}
    dates: dict[str, Date] = {}

    # year
    year_text, year_line = values.get("year", ("", title_line))
    if year_text:
        date = Date.parse(year_text.replace(" ", ""))
        leading = re.match(r"\s*(1[5-9]\d\d|20\d\d)\b", year_text)
        if not date.parts and leading:
            # "2020 (66)": the year, and what else the page said kept in extra
            date = Date.of(int(leading.group(1)))
            extra["year of publication"] = year_text
        elif not date.parts:
            warn(f"year of publication {year_text!r} is not a year; kept as written", year_line)
        dates["issued"] = date
    else:
        warn("no year of publication")

    # pages
    pages_text, _ = values.get("pages", ("", 0))
    if pages_text:
        fields["page"] = _pages(pages_text)

    # DOI: normalised, never invented
    doi = None
    doi_text, doi_line = values.get("doi", ("", 0))
    if re.fullmatch(r"(?:https?://)?(?:dx\.|www\.)?doi\.org/?|doi:?", doi_text, re.I):
        doi_text = ""  # a resolver with nothing after it: as empty as an empty value
    if doi_text:
        doi = normalize_doi(doi_text)
        if doi is None:
            warn(f"DOI Address {doi_text!r} holds no DOI; kept in extra", doi_line)
            extra["DOI Address"] = doi_text
        else:
            fields["DOI"] = doi

    # PDF: a site path stays in extra; a full URL is the record's URL
    pdf_text, pdf_line = values.get("pdf", ("", 0))
    if pdf_text:
        extra["pdf"] = pdf_text
        if re.match(r"https?://", pdf_text, re.I):
            fields["URL"] = pdf_text

    # journal: the page's own label first, then the data table (DOI before PDF path)
    _journal(fields, values, doi, pdf_text, dates, warn, title_line)

    # authors
    names: list[Name] = []
    for person in authors:
        name = parse_name(person["name"])
        names.append(
            Name(
                family=name.family,
                given=name.given,
                dropping_particle=name.dropping_particle,
                non_dropping_particle=name.non_dropping_particle,
                suffix=name.suffix,
                literal=name.literal,
                affiliation=tuple(person["aff"]),
                orcid=person["orcid"],
            )
        )
    if not names:
        warn("no author on the page")

    # tail: translated title, abstracts, keywords ---------------------------------------
    paragraphs = _paragraphs([*in_block_tail, *article.tail])
    for p in paragraphs:
        p.text = repair_ligatures(p.text)
    keywords_para: _Paragraph | None = None
    labelled = [p for p in paragraphs if p.label == "keywords"]
    if labelled:
        keywords_para = labelled[-1]
    elif paragraphs and _looks_like_keywords(paragraphs[-1]):
        keywords_para = paragraphs[-1]
    rest = [p for p in paragraphs if p is not keywords_para]
    translated: _Paragraph | None = None
    if rest and _looks_like_title(rest[0], title_lang):
        translated = rest[0]
        rest = rest[1:]
    elif (
        not rest
        and keywords_para is not None
        and not keywords_para.label
        and _looks_like_title(keywords_para, title_lang)
        and ("," not in keywords_para.text)
    ):
        translated, keywords_para = keywords_para, None

    titles: dict[str, str] = {}
    if translated is not None:
        tlang = language.detect(translated.text)
        if not title_lang and tlang:
            title_lang = language.other(tlang)
        if not tlang:
            tlang = language.other(title_lang)
        titles[tlang] = translated.text
    abstracts: dict[str, str] = {}
    for p in rest:
        if p.label == "abstract" or p.label == "":
            lang = language.detect(p.text)
            abstracts[lang] = abstracts[lang] + "\n\n" + p.text if lang in abstracts else p.text
    if not title_lang and len(abstracts) == 1:
        only = next(iter(abstracts))
        title_lang = only
    if title_lang:
        fields["language"] = title_lang
    else:
        warn("cannot tell the language of the title; no language set")
    keywords: dict[str, tuple[str, ...]] = {}
    if keywords_para is not None:
        # grouping a space-separated line is a guess, but every word is kept, in order
        keywords, _ambiguous = split_keywords(keywords_para.text)
    record = Record(
        id=_make_id(names, dates.get("issued"), title, doi),
        type="article-journal",
        fields=fields,
        names={"author": tuple(names)} if names else {},
        dates=dates,
        titles=titles,
        abstracts=abstracts,
        keywords=keywords,
        extra=extra,
    )
    return record, diags


def _journal(
    fields: dict[str, Any],
    values: dict[str, tuple[str, int]],
    doi: str | None,
    pdf_text: str,
    dates: dict[str, Date],
    warn: Any,
    title_line: int,
) -> None:
    by_doi = journals.from_doi(doi) if doi else None
    by_pdf = journals.from_pdf(pdf_text) if pdf_text else None
    match = by_doi or by_pdf
    if by_doi and by_pdf:
        if by_doi.journal.key != by_pdf.journal.key:
            warn(
                f"DOI {doi} is of {by_doi.journal.title} but PDF {pdf_text} of "
                f"{by_pdf.journal.title}; the DOI's journal is used"
            )
        elif by_doi.volume and by_pdf.volume and by_doi.volume != by_pdf.volume:
            warn(
                f"DOI {doi} gives volume {by_doi.volume} but PDF {pdf_text} volume "
                f"{by_pdf.volume}; the DOI's is used"
            )
    label_journal = values.get("journal", ("", 0))[0]
    if label_journal:
        fields["container-title"] = label_journal
    elif match is not None:
        fields["container-title"] = match.journal.title
    else:
        if pdf_text:
            warn(f"journal unknown for PDF path {pdf_text}")
        elif doi:
            warn(f"journal unknown for DOI {doi}")
        else:
            warn("journal unknown: the page gives neither a DOI nor a PDF path")
    if match is None:
        for key in ("volume", "issue"):
            if values.get(key, ("", 0))[0]:
                fields[key] = values[key][0]
        return
    same = not label_journal or label_journal == match.journal.title
    if same:
        if match.journal.issn:
            fields["ISSN"] = match.journal.issn
        if match.journal.publisher:
            fields["publisher"] = match.journal.publisher
    volume = match.volume or (by_pdf.volume if by_pdf and by_pdf.journal == match.journal else "")
    issue = match.issue or (by_pdf.issue if by_pdf and by_pdf.journal == match.journal else "")
    for key, inferred in (("volume", volume), ("issue", issue)):
        given, line = values.get(key, ("", 0))
        if given:
            if inferred and same and given != inferred:
                warn(f"{key} {given} on the page, {inferred} from the DOI or PDF path", line)
            fields[key] = given
        elif inferred and same:
            fields[key] = inferred
    issued = dates.get("issued")
    if match.year and issued is not None and issued.year and issued.year != match.year:
        warn(
            f"year of publication {issued.year} but the {match.evidence.upper()} says "
            f"{match.year}",
            title_line,
        )


def _pages(text: str) -> str:
    s = re.sub(r"^(?:pp?|s)\.\s*", "", text.strip())
    m = re.fullmatch(r"(\w+)\s*[-–—]+\s*(\w+)", s)
    return f"{m.group(1)}-{m.group(2)}" if m else s


def _split_authors(value: str) -> list[str]:
    chunks = [c for c in re.split(r"\s*;\s*|\s+(?:and|i|oraz)\s+|\s*&\s*", value) if c.strip()]
    out: list[str] = []
    for chunk in chunks:
        pieces = [p.strip() for p in chunk.split(",") if p.strip()]
        # "Jan Kowalski, Anna Nowak" (each piece a full name) vs "Kowalski, Jan"
        if len(pieces) > 1 and all(len(p.split()) >= 2 for p in pieces):
            out.extend(pieces)
        else:
            out.append(chunk.strip())
    return out


def _split_institutions(value: str) -> list[str]:
    # "Warsaw School of Economics (Poland), Victoria University in Wellington (New Zealand)"
    parts = re.split(r"(?<=\))\s*[,;]\s*|\s*;\s*", value)
    return [p.strip() for p in parts if p.strip()]


# --- keywords ----------------------------------------------------------------------------

_PL_ADJECTIVE_ENDINGS = (
    "ski", "cki", "dzki", "ska", "cka", "dzka", "skie", "ckie", "dzkie", "skiej", "ckiej",
    "czny", "czna", "czne", "cznej", "owy", "owa", "owe", "owej",
    "alny", "alna", "alne", "alnej", "ywny", "ywna", "ywne", "yjny", "yjna", "yjne",
    "ijny", "ijna", "ijne", "iony", "iona", "ione",
)
_GLUE = frozenset("of and for in on the w z i na dla do wobec oraz".split())


def split_keywords(text: str) -> tuple[dict[str, tuple[str, ...]], bool]:
    """A keyword line → ``{lang: keywords}`` and whether the grouping was a guess.

    With commas or semicolons the items are given; split into a run of each language.
    Space-separated (as pasted from the page's keyword links) the words are split into an
    English and a Polish run, and within a run a Polish adjective joins the noun before it
    (``obszar postradziecki``) and function words join their neighbours (``freedom of
    speech``).  That grouping is a guess, so the caller keeps the line as written too.
    """
    text = " ".join(text.split())
    if "," in text or ";" in text:
        items = [i.strip(" .") for i in re.split(r"\s*[,;]\s*", text) if i.strip(" .")]
        guessed = False
    else:
        items = text.split(" ")
        guessed = len(items) > 1
    out: dict[str, list[str]] = {}
    for lang, run in language.split_runs(items):
        grouped = _group(run) if guessed else run
        out.setdefault(lang, []).extend(grouped)
    return {k: tuple(v) for k, v in out.items()}, guessed


def _group(words: list[str]) -> list[str]:
    out: list[str] = []
    glue_next = False
    for w in words:
        if glue_next and out:
            out[-1] += " " + w
            glue_next = False
            continue
        if w.lower() in _GLUE and out:
            out[-1] += " " + w
            glue_next = True
            continue
        prev = out[-1] if out else ""
        last = prev.split(" ")[-1] if prev else ""
        if (
            prev
            and w.lower().endswith(_PL_ADJECTIVE_ENDINGS)
            and not last.lower().endswith(_PL_ADJECTIVE_ENDINGS)
            and (w[0].islower() == last[0].islower())
        ):
            out[-1] += " " + w
            continue
        out.append(w)
    return out


# --- ids ---------------------------------------------------------------------------------

_TRANSLIT = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss", "đ": "d"})
_ID_STOP = frozenset(
    """a an the of and in on for to w z i na do o od po za dla the der die das le la les""".split()
)


def _ascii(text: str) -> str:
    s = unicodedata.normalize("NFKD", text.translate(_TRANSLIT))
    return "".join(ch for ch in s if ch.isascii() and ch.isalnum()).lower()


def _make_id(names: Sequence[Name], issued: Date | None, title: str, doi: str | None) -> str:
    """``bielicki2020relacje``: first author's family name, year, first title word."""
    who = ""
    if names:
        first = names[0]
        who = _ascii(first.family or first.literal)
    year = str(issued.year) if issued is not None and issued.year else ""
    word = next((_ascii(w) for w in language.words(title) if w.lower() not in _ID_STOP), "")
    ident = f"{who}{year}{word}"
    if not ident and doi:
        ident = re.sub(r"[^a-z0-9]+", "-", doi.split("/", 1)[-1]).strip("-")
    return ident or "article"


def _unique_ids(records: list[Record]) -> None:
    seen: dict[str, int] = {}
    for i, record in enumerate(records):
        count = seen.get(record.id, 0) + 1
        seen[record.id] = count
        if count > 1:
            new = f"{record.id}-{count}"
            while new in seen:
                count += 1
                new = f"{record.id}-{count}"
            seen[new] = 1
            records[i] = record.with_field("id", new)
