"""RIS writer (``--to ris``): what Zotero, EndNote, Mendeley and rispy import.

* ``TY  - `` first and ``ER  - `` last, exactly (two spaces, hyphen, space), CRLF line ends
  as the RIS specification asks (``newline="\\n"`` to change), a blank line between records;
* one creator per ``AU``/``A2``/``A3``/``A4`` line, ``Family, Given, Suffix`` with particles
  where RIS readers expect them (``van der Berg, Jan``, ``Beethoven, Ludwig van``);
* pages split into ``SP``/``EP``; ``PY  - 2020`` and ``DA  - 2020/05/01/`` when the date has
  a month or day; ``DO`` without a resolver prefix; ``L1`` for a PDF link;
* the abstract in the record's language in ``AB``; every keyword (all languages) in ``KW``.
  Abstracts in further languages are reported, not written: a second ``AB`` is outside the
  spec (Zotero turns it into a note) and ``N2`` is the abstract itself in the older spec
  (EndNote and Zotero read it as *the* abstract), so neither keeps the language apart;
* tags read from RIS that citetool has no field for (``Record.extra["ris:M1"]``) written back.

What RIS cannot hold (ORCID iDs, abstracts in further languages, date ranges, CSL types with
no TY code, ...) is reported through :class:`~citetool.lossy.LossReport`, one warning per
kind, never silently dropped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from ..case import strip_nocase
from ..lossy import LossReport
from ..mapping import ris as m
from ..model import Record, primary_language
from ..registry import WriteResult

_TAG_LIKE = re.compile(r"[A-Z][A-Z0-9] {1,2}-(?: |\s*$)")
_NEWLINES = re.compile(r"\s*[\r\n]+\s*")

#: Order of tags in a written record (citation order: who, what, where, when, ids, text).
_ORDER = """ID AU A2 A3 A4 C2 TI TT ST T2 J2 T3 PY DA Y2 VL IS SP EP ET PB CY SN DO UR L1 LA M1
SV NV SE M3 AB KW N1 AD CN AN DB DP""".split()
_POSITION = {tag: i for i, tag in enumerate(_ORDER)}

#: Fields written by dedicated code below, not by the generic table lookup.
_SPECIAL_FIELDS = frozenset(
    {"page", "ISSN", "ISBN", "DOI", "translated-title", "abstract", "keyword"}
)


def write(records: Sequence[Record], *, newline: str = "\r\n", **_: Any) -> WriteResult:
    report = LossReport("RIS")
    lines: list[str] = []
    for record in records:
        lines.extend(record_lines(record, report))
        lines.append("")
    text = newline.join(lines)
    return WriteResult(text, report.diagnostics())


def _ty(record: Record, report: LossReport) -> str:
    kept = record.extra.get("ris:TY")
    if isinstance(kept, str) and kept.strip():
        code = m.type_code(kept)
        if code in m.KEEP_TY and m.READ_TYPES[code] == record.type:
            return code
        if code not in m.READ_TYPES:
            report.add(f"the RIS type {kept!r} (not in the RIS spec; written as GEN)", record.id)
            return m.DEFAULT_TY
    if record.type in m.CANONICAL_TY:
        return m.CANONICAL_TY[record.type]
    ty = m.WRITE_TYPES.get(record.type, m.DEFAULT_TY)
    report.add(f"the CSL type {record.type!r} (written as {ty})", record.id)
    return ty


def _value(tag: str, value: Any) -> list[str]:
    """The lines for one tag: free text keeps its line breaks as continuation lines."""
    text = str(value).strip()
    if not text:
        return []
    if tag not in m.TEXT_BLOCKS:
        if "\n" in text or "\r" in text:
            text = _NEWLINES.sub(" ", text)
        return [f"{tag}  - {text}"]
    parts = [p.strip() for p in text.splitlines() if p.strip()]
    out = [f"{tag}  - {parts[0]}"]
    for part in parts[1:]:
        out.append(" " + part if _TAG_LIKE.match(part) else part)
    return out


def record_lines(record: Record, report: LossReport) -> list[str]:
    rid = record.id
    ty = _ty(record, report)
    tagged: list[tuple[str, str]] = []  # (tag, value), ordered later

    def put(tag: str, value: Any) -> None:
        if value not in (None, ""):
            # CSL's nocase spans are case markup for CSL processors, not text: RIS has none
            tagged.append((tag, strip_nocase(str(value))))

    def put_target(target: str, value: Any, what: str) -> None:
        tag = m.tag_for(target, ty)
        if tag and m.reads_back(tag, target, ty):
            put(tag, value)
        else:
            report.add(what, rid)

    if rid:
        put("ID", rid)

    # names ---------------------------------------------------------------------------
    roles = m.name_roles(ty)
    owners: list[tuple[str, int]] = []
    affiliations: list[str] = []
    for role, people in record.names.items():
        tag = roles.get(role)
        if tag is None:
            if people:
                report.add(f"{role} names (in a {ty} record)", rid)
            continue
        for i, person in enumerate(people):
            text = m.format_ris_name(person)
            if text.strip(", "):
                put(tag, text)
            if person.orcid:
                report.add("ORCID", rid)
            if person.affiliation:
                owners.append((role, i))
                affiliations.extend(person.affiliation)
    single = owners == [("author", 0)] and len(record.names.get("author", ())) == 1
    for aff in affiliations if single else m.unique(affiliations):
        put("AD", aff)
    if owners and not single:
        report.add("affiliations of each person (AD lines belong to the whole record)", rid)

    # titles --------------------------------------------------------------------------
    if record.titles:
        key = "en" if "en" in record.titles else next(iter(record.titles))
        put("TT", record.titles[key])
        if key != "en":
            report.add(f"the language of a translated title ({key})", rid)
        if len(record.titles) > 1:
            report.add("more than one translated title", rid)

    # ordinary fields -----------------------------------------------------------------
    for var, value in record.fields.items():
        if var in _SPECIAL_FIELDS or (var == "citation-key" and str(value) == rid):
            continue  # the citation key is the record id, written as ID
        put_target(var, value, f"the field {var!r}")
    page = str(record.fields.get("page", "")).strip()
    if page:
        if m.reads_back("SP", "page-start", ty):
            start, end = m.split_pages(page)
            put("SP", start)
            put("EP", end)
        else:
            report.add(f"page (a {ty} record's SP is its number of pages)", rid)
    for kind in ("ISSN", "ISBN"):
        value = str(record.fields.get(kind, "")).strip()
        if value:
            put("SN", value)
            if m.classify_sn(value, ty) != kind:
                report.add(f"{kind} (read back as {m.classify_sn(value, ty)})", rid)
    doi = str(record.fields.get("DOI", "")).strip()
    if doi:
        put("DO", m.bare_doi(doi))

    # dates ---------------------------------------------------------------------------
    for var, date in record.dates.items():
        if date.is_empty():
            continue
        if len(date.parts) > 1:
            report.add(f"date ranges ({var}: only the start written)", rid)
        if date.circa:
            report.add(f"uncertain dates ({var}: 'circa' dropped)", rid)
        if var == "issued":
            if date.parts:
                put("PY", f"{date.parts[0][0]:04d}")
                # CONF: citation-js reads PY as the conference date and DA as the issue date
                if len(date.parts[0]) > 1 or date.season or ty == "CONF":
                    put("DA", m.format_ris_date(date))
            else:
                put("DA", m.format_ris_date(date))
        elif var == "accessed":
            put("Y2", m.format_ris_date(date))
        else:
            report.add(f"the date {var!r}", rid)

    # text ----------------------------------------------------------------------------
    if record.abstracts:
        lang = primary_language(record.language)
        keys = list(record.abstracts)
        written = next((k for k in keys if primary_language(k) == lang), keys[0])
        put("AB", record.abstracts[written])
        if primary_language(written) not in (lang, ""):
            report.add(f"the language of the abstract ({written})", rid)
        others = [k or "?" for k in keys if k != written]
        if others:
            report.add(f"abstracts in further languages ({', '.join(others)})", rid)
    for word in record.all_keywords():
        put("KW", word)
    if any(lang for lang in record.keywords):
        report.add("the language of keywords (all written as KW)", rid)

    # extra ---------------------------------------------------------------------------
    for key, value in record.extra.items():
        if key == "ris:TY":
            continue
        values = value if isinstance(value, list) else [value]
        if key[:4].lower() == "ris:" and re.fullmatch(r"[A-Za-z][A-Za-z0-9]", key[4:]):
            for item in values:  # BibTeX lower-cases field names: ris:l2 is ris:L2
                put(key[4:].upper(), item)
        elif key in ("pdf", "pdf-url"):  # landing-page reader / HTML citation_pdf_url
            for item in values:
                put("L1", item)
        else:
            report.add(f"the field {key!r}", rid)

    tagged.sort(key=lambda tv: _POSITION.get(tv[0], len(_ORDER)))
    lines = [f"TY  - {ty}"]
    for tag, value in tagged:
        lines.extend(_value(tag, value))
    lines.append("ER  - ")
    return lines
