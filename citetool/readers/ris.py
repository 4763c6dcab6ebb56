"""RIS reader: tagged lines (``TY  - JOUR`` ... ``ER  - ``) into records.

The line scanner is citetool's own rather than ``rispy.loads``: rispy (0.10) gives no line
numbers, silently drops a last record that has no ``ER``, merges two records into one when
an ``ER`` is missing (the second ``TY`` is taken as a repeated tag), skips the first record
of a file that starts with a BOM, and files ``AU`` and ``A1`` under different keys (so their
order is lost).  Scanning RIS is a dozen lines; what matters — the tag table — lives in
:mod:`citetool.mapping.ris`, and rispy is used in the tests as an independent reader of
what :mod:`citetool.writers.ris` writes.

Tolerated: CRLF, CR or LF line ends, a BOM, ``TY - `` with one space, ``ER  -`` without the
trailing space, record numbers (``1.``) between records, a last record without ``ER``,
continuation lines (free text keeps its line breaks in ``AB``/``N2``/``N1``; other values
are joined with a space).  Every problem is a :class:`Diagnostic` naming the line; the
other records are kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..errors import Diagnostic, Level, Payload
from ..mapping import ris as m
from ..model import UNKNOWN_LANGUAGE, Date, Name, Record
from ..registry import ReadResult

_TAG_LINE = re.compile(r"([A-Z][A-Z0-9]) {1,2}-(?: (.*)|\s*)$")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_RECORD_NUMBER = re.compile(r"^\s*\d+\.?\s*$")


@dataclass
class _Entry:
    tag: str
    value: str
    line: int


@dataclass
class _Raw:
    line: int
    entries: list[_Entry] = field(default_factory=list)


def scan(text: str, source: str = "<stdin>", first_line: int = 1
         ) -> tuple[list[_Raw], list[Diagnostic]]:
    """Cut RIS text into raw records of (tag, value, line) entries; report what is odd.
    ``first_line``: the number of the text's first line."""
    diagnostics: list[Diagnostic] = []
    records: list[_Raw] = []
    current: _Raw | None = None
    skipping_from = 0  # line of a record without TY being skipped
    stray_line = 0
    stray_count = 0
    if text.startswith("\ufeff"):
        text = text[1:]
    for number, line in enumerate(_LINE_BREAK.split(text), start=first_line):
        match = _TAG_LINE.match(line)
        if match is None:
            if not line.strip():
                continue
            if current is not None and len(current.entries) == 1:
                diagnostics.append(
                    Diagnostic.warning(
                        "text right after the TY line is not a tag line; ignored",
                        source,
                        number,
                        code="ris-stray",
                    )
                )
            elif current is not None:
                last = current.entries[-1]
                joiner = "\n" if last.tag in m.TEXT_BLOCKS else " "
                value = line.strip()
                last.value = f"{last.value}{joiner}{value}" if last.value else value
            elif current is None and not skipping_from and not _RECORD_NUMBER.match(line):
                stray_count += 1
                stray_line = stray_line or number
            continue
        tag, value = match.group(1), (match.group(2) or "").strip()
        if tag == "TY":
            if skipping_from:
                diagnostics.append(_no_ty(source, skipping_from))
                skipping_from = 0
            if current is not None:
                diagnostics.append(
                    Diagnostic.warning(
                        f"record starting at line {current.line} has no ER line; "
                        f"it ends where the next TY begins",
                        source,
                        number,
                        code="ris-missing-er",
                    )
                )
                records.append(current)
            current = _Raw(number, [_Entry(tag, value, number)])
        elif tag == "ER":
            if current is not None:
                records.append(current)
                current = None
            elif skipping_from:
                diagnostics.append(_no_ty(source, skipping_from))
                skipping_from = 0
        elif current is not None:
            current.entries.append(_Entry(tag, value, number))
        elif not skipping_from:
            skipping_from = number
    if current is not None:
        records.append(current)  # a last record without ER is still a record
    if skipping_from:
        diagnostics.append(_no_ty(source, skipping_from))
    if stray_count:
        payload = Payload("stray-lines", counts=(stray_count,), words=_stray_words)
        diagnostics.append(
            Diagnostic.summary(Level.WARNING, payload, source, stray_line, code="ris-stray"))
    return records, diagnostics


def _stray_words(payload: Payload) -> str:
    return f"{payload.counts[0]} line(s) outside any record ignored (not RIS tag lines)"


def _no_ty(source: str, line: int) -> Diagnostic:
    return Diagnostic.error(
        "tag lines without a TY line before them (a corrupt record); skipped up to its ER",
        source,
        line,
        code="ris-no-ty",
    )


def read(text: str, source: str = "<stdin>", *, first_line: int = 1, first_index: int = 0,
         **_: Any) -> ReadResult:
    """``first_line``, ``first_index``: the line and record number the text starts at in its
    file (a chunk of it, :data:`CHUNKER`)."""
    raws, diagnostics = scan(text, source, first_line)
    result = ReadResult(diagnostics=diagnostics)
    seen_ids: dict[str, int] = {}
    for index, raw in enumerate(raws, first_index):
        try:
            record = to_record(raw, index, source, result.diagnostics)
        except ValueError as exc:  # a value no rule can take: skip this record only
            result.diagnostics.append(
                Diagnostic.error(f"{exc}; record skipped", source, raw.line, code="ris-record")
            )
            continue
        count = seen_ids.get(record.id, 0)
        seen_ids[record.id] = count + 1
        if count:
            result.diagnostics.append(_duplicate(record.id, source, raw.line))
        result.records.append(record)
        result.lines.append(raw.line)
    return result


def _duplicate(rid: str, source: str, line: int | None) -> Diagnostic:
    return Diagnostic.warning(f"duplicate ID {rid!r}; kept both records", source, line,
                              payload=Payload("duplicate-id", record=rid))


_ER_LINE = re.compile(r"^ER {1,2}-(?: [^\n]*|[ \t\r\f\v]*)\n", re.M)
_TY_LINE = re.compile(r"^TY {1,2}-(?: [^\n]*|[ \t\r\f\v]*)$", re.M)


@dataclass
class _Chunk:
    """Whole records: their text, the file's line and record number they start at, where
    they end in the file."""

    text: str
    first_line: int
    first_index: int
    end: int


class RisChunker:
    """RIS read in chunks cut after ``ER`` lines (records never span chunks); record
    numbering (``item7``) and the duplicate-ID check go on across chunks."""

    parallel = True

    def split(self, text: str, source: str, size: int) -> list[_Chunk] | None:
        if "\r" in text and text.count("\r") != text.count("\r\n"):
            return None  # CR-only line ends: read whole
        ends = [m.end() for m in _ER_LINE.finditer(text)]
        if len(ends) <= size:
            return None
        cuts = ends[size - 1 :: size]
        if cuts[-1] != len(text):
            cuts.append(len(text))
        chunks = []
        start = 0
        line = 1
        index = 0
        for cut in cuts:
            piece = text[start:cut]
            chunks.append(_Chunk(piece, line, index, cut))
            line += piece.count("\n")
            index += len(_TY_LINE.findall(piece))
            start = cut
        return chunks

    def read(self, chunk: _Chunk, source: str) -> ReadResult:
        return read(chunk.text, source, first_line=chunk.first_line,
                    first_index=chunk.first_index)

    def stitch(self, text: str, source: str) -> _Stitch:
        return _Stitch(source)


class _Stitch:
    """The duplicate-ID warning for an ID of an earlier chunk (the chunk's reader warned
    about repeats within it)."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.seen: set[str] = set()

    def fix(self, chunk: _Chunk, result: ReadResult) -> ReadResult:
        ids = [r.id for r in result.records]
        result.diagnostics.extend(self._notes(ids, result.lines))
        return result

    def fits(self, chunk: _Chunk, names: list[tuple[str, str]], lines: list[int]
             ) -> list[Diagnostic] | None:
        return self._notes([rid for rid, _ in names], lines)

    def _notes(self, ids: list[str], lines: list[int]) -> list[Diagnostic]:
        notes = []
        here: set[str] = set()
        for n, rid in enumerate(ids):
            if rid in self.seen and rid not in here:
                notes.append(_duplicate(rid, self.source, lines[n] if n < len(lines) else None))
            here.add(rid)
        self.seen |= here
        return notes


CHUNKER = RisChunker()


class _Builder:
    """Collects values per target; the rule listed first in the table wins."""

    def __init__(self) -> None:
        self.values: dict[str, list[tuple[int, str, str, int]]] = {}

    def add(self, rule: m.TagRule, value: str, line: int) -> None:
        self.values.setdefault(rule.target, []).append((m.rank(rule), rule.tag, value, line))

    def ranked(self, target: str) -> list[tuple[int, str, str, int]]:
        return sorted(self.values.get(target, ()), key=lambda v: v[0])


_COMBINED = frozenset("page-start page-end year date:issued issn-isbn URL pdf affiliation".split())


def to_record(raw: _Raw, index: int, source: str, diagnostics: list[Diagnostic]) -> Record:
    """Interpret one raw record through the tag table."""
    ty_value = raw.entries[0].value
    ty = m.type_code(ty_value)
    extra: dict[str, Any] = {}
    if ty in m.READ_TYPES:
        rtype = m.READ_TYPES[ty]
        if ty in m.KEEP_TY:
            extra["ris:TY"] = ty  # a synonym (EDBOOK, CPAPER, ...): write it back the same
    else:
        rtype = "document"
        extra["ris:TY"] = ty_value
        diagnostics.append(
            Diagnostic.warning(
                f"unknown RIS type {ty_value!r}; read as a generic document",
                source,
                raw.line,
                code="ris-type",
            )
        )
    builder = _Builder()
    names: dict[str, list[Name]] = {}
    keywords: list[str] = []
    for entry in raw.entries[1:]:
        if not entry.value:
            continue
        rule = m.rule_for_tag(entry.tag, ty)
        if rule is None:
            _keep(extra, entry.tag, entry.value)
        elif rule.target.startswith("names:"):
            names.setdefault(rule.target[6:], []).append(m.parse_ris_name(entry.value))
        elif rule.target == "keyword":
            # one keyword per KW line; some exporters put several on one line with ';'
            keywords.extend(w.strip() for w in re.split(r"\s*;\s*|\n", entry.value) if w.strip())
        else:
            builder.add(rule, entry.value, entry.line)

    fields: dict[str, str] = {}
    dates: dict[str, Date] = {}
    for target in list(builder.values):
        if target in _COMBINED:
            continue  # combined below
        ranked = builder.ranked(target)
        _, _, value, _ = ranked[0]
        for _, tag, other, _ in ranked[1:]:
            if other == value:
                continue
            spill = next(r.spill for r in m.RULES if r.tag == tag and r.target == target)
            if spill and spill not in builder.values and spill not in fields:
                fields[spill] = other
            else:
                _keep(extra, tag, other)
        if target.startswith("date:"):
            date = m.parse_ris_date(value)
            if date is not None:
                dates[target[5:]] = date
        else:
            fields[target] = value

    rid = fields.pop("id", "") or f"item{index + 1}"
    language = fields.get("language", "")
    abstract = fields.pop("abstract", "")
    translated = fields.pop("translated-title", "")

    # M3 holds a DOI in some exports (Zotero reads it so when it has a DOI's shape)
    if "genre" in fields and m.looks_like_doi(fields["genre"]) and "DOI" not in fields:
        fields["DOI"] = m.bare_doi(fields.pop("genre"))
    if "DOI" in fields:
        fields["DOI"] = m.bare_doi(fields["DOI"])

    _pages(builder, fields, extra)
    _issued(builder, dates, extra, source, diagnostics)
    for _, tag, value, _ in builder.ranked("issn-isbn"):
        kind = m.classify_sn(value, ty)
        if kind in fields:
            _keep(extra, tag, value)
        else:
            fields[kind] = value
    urls = [v for _, _, v, _ in builder.ranked("URL")]
    if urls:
        fields["URL"] = urls[0]
        for other in urls[1:]:
            _keep(extra, "UR", other)
    pdfs = [v for _, _, v, _ in builder.ranked("pdf")]
    if pdfs:
        extra["pdf"] = pdfs[0] if len(pdfs) == 1 else pdfs
    affiliations = [v for _, _, v, _ in builder.ranked("affiliation")]
    author_list = names.get("author", [])
    if affiliations:
        if len(author_list) == 1 and not author_list[0].is_literal:
            names["author"] = [author_list[0].replace(affiliation=tuple(affiliations))]
        else:
            extra["ris:AD"] = affiliations[0] if len(affiliations) == 1 else affiliations

    return Record(
        id=rid,
        type=rtype,
        fields=fields,
        names={role: tuple(people) for role, people in names.items()},
        dates=dates,
        titles={"en": translated} if translated else {},
        abstracts={language or UNKNOWN_LANGUAGE: abstract} if abstract else {},
        keywords={UNKNOWN_LANGUAGE: tuple(dict.fromkeys(keywords))} if keywords else {},
        extra=extra,
    )


def _keep(extra: dict[str, Any], tag: str, value: str) -> None:
    """An unmapped (or losing) tag, kept under ``ris:<TAG>`` so writing restores it."""
    key = f"ris:{tag}"
    old = extra.get(key)
    if old is None:
        extra[key] = value
    elif isinstance(old, list):
        old.append(value)
    else:
        extra[key] = [old, value]


def _pages(builder: _Builder, fields: dict[str, str], extra: dict[str, Any]) -> None:
    starts = builder.ranked("page-start")
    ends = builder.ranked("page-end")
    start = starts[0][2] if starts else ""
    end = ends[0][2] if ends else ""
    for _, tag, value, _ in starts[1:] + ends[1:]:
        _keep(extra, tag, value)
    if start or end:
        fields["page"] = m.join_pages(start, end)


def _issued(
    builder: _Builder,
    dates: dict[str, Date],
    extra: dict[str, Any],
    source: str,
    diagnostics: list[Diagnostic],
) -> None:
    """``DA`` (full date) first, then ``PY`` (year), then ``Y1``; never ``Y2``."""
    candidates: list[tuple[str, str, int, Date | None]] = []
    by_tag = {"DA": 0, "PY": 1, "Y1": 2}
    entries = builder.ranked("date:issued") + builder.ranked("year")
    entries.sort(key=lambda e: by_tag.get(e[1], 9))
    for _, tag, value, line in entries:
        candidates.append((tag, value, line, m.parse_ris_date(value)))
    chosen: Date | None = None
    for tag, value, _line, date in candidates:
        if date is None:
            continue
        if chosen is None:
            if date.parts or not any(c[3] is not None and c[3].parts for c in candidates):
                chosen = date
                continue
        if chosen is not None and chosen.parts and date.parts:
            if date.parts[0][: len(chosen.parts[0])] == chosen.parts[0][: len(date.parts[0])]:
                continue  # the same date, more or less precise
        _keep(extra, tag, value)  # a different date: kept so that writing restores it
    if chosen is not None:
        dates["issued"] = chosen
        tag, value, line, _ = next(c for c in candidates if c[3] is chosen)
        if chosen.literal and not chosen.parts and not m.is_ris_date_form(value):
            diagnostics.append(
                Diagnostic.warning(
                    f"date {chosen.literal!r} is not a RIS date (YYYY/MM/DD/); kept as text",
                    source,
                    line,
                    code="ris-date",
                )
            )
