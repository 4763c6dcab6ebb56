"""BibTeX and BibLaTeX reader (one reader: BibLaTeX is a superset for reading).

bibtexparser 2's splitter cuts the text into blocks and reports broken ones with their line;
the rest is done here, in one pass per entry, because the middleware stack was slower than
the whole of this module and does not resolve ``#`` concatenation:

* values: ``@string`` macros (case-insensitive, later definitions win, strings may use
  earlier ones), ``#`` concatenation, bare numbers, month macros ``jan``..``dec``;
* ``xdata`` and ``crossref`` inheritance with biblatex's rules (a child takes every field it
  lacks except ``ids``, ``crossref`` ...; a book-like parent's ``title`` becomes the
  ``booktitle`` of an ``in*`` child);
* LaTeX → Unicode through :mod:`citetool.latex` (fast path for plain values);
* names split with BibTeX's rules (First von Last / von Last, Jr, First; brace groups are
  one token; a name that is a single brace group is a corporate ``literal``; ``others`` is
  kept as the literal name ``others``, as pandoc does);
* fields mapped by the table in :mod:`citetool.mapping.bibtex`; the rest kept in
  ``Record.extra`` under their own names (decoded, except URL- and file-like ones).

Case-protecting braces are dropped from the Unicode text (CSL processors would print
``<span class="nocase">`` markup literally in other formats); the BibTeX writers put braces
back where BibTeX styles would otherwise lowercase a capital (see
:mod:`citetool.writers.bibtex`).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from .. import case
from ..errors import Diagnostic, Level, Payload, ReadError
from ..latex import brace_depths, to_unicode
from ..mapping import bibtex as table
from ..model import UNKNOWN_LANGUAGE, Date, Name, Record
from ..registry import ReadResult

_log = logging.getLogger("bibtexparser.splitter")
_log.addHandler(logging.NullHandler())
_log.propagate = False  # its messages come back to us as failed blocks

MONTH_MACROS = {m: str(i) for i, m in enumerate(table.MONTHS, 1)}
_MONTH_NAMES = {
    **{m: i for i, m in enumerate(table.MONTHS, 1)},
    **{
        name: i
        for i, name in enumerate(
            "january february march april may june july august september october november "
            "december".split(),
            1,
        )
    },
    "sept": 9,
}
_VERBATIM_EXTRA = re.compile(
    r"^(?:file|pdf|url\w*|bdsk-\w+(?:-\d+)?|local-url|eprint|doi|isbn|issn|ids|related|"
    r"crossref|xref|keywords?|owner|timestamp|date-added|date-modified|citeulike.*|"
    r"mendeley-.*|zotero-.*|.*-url|.*_url)$"
)
_RULES_BY_FIELD: dict[str, list[tuple[int, table.FieldRule]]] = {}
for _index, _rule in enumerate(table.FIELDS):
    _RULES_BY_FIELD.setdefault(_rule.bib, []).append((_index, _rule))
#: biblatex-ms (multiscript) fields: ``title_translated_english``
_TRANSLATED = re.compile(r"^(title|abstract)_translated_([A-Za-z][\w\-]*)$")
_TITLE_FIELDS = ("title", "subtitle", "titleaddon", "shorttitle")


def read(text: str, source: str = "<stdin>", *, keep_case: bool | None = None,
         first_line: int = 1, **_: Any) -> ReadResult:
    """Records of a BibTeX/BibLaTeX text; ``keep_case`` keeps titles as typed (no sentence
    case, see :mod:`citetool.case`); ``first_line``: the file's line number of the text's
    first line (a chunk of a file)."""
    if keep_case is None:
        keep_case = case.KEEP_AS_TYPED.get()
    from bibtexparser.splitter import Splitter

    base = first_line - 1

    def _line(start: int | None) -> int | None:
        return None if start is None else start + 1 + base

    if not text.strip():
        raise ReadError("empty input, expected BibTeX", source)
    library = Splitter(text.lstrip("\ufeff")).split()
    result = ReadResult()
    diag = result.diagnostics

    strings: dict[str, str] = {}
    budget = MacroBudget(len(text))
    for block in library.strings:
        try:
            value, unknown = _resolve(block.value, strings, budget=budget)
        except MacroBomb as exc:
            budget.refuse(block.key.lower(), exc, diag, source, _line(block.start_line))
            continue
        strings[block.key.lower()] = value
        for name in unknown:
            diag.append(_undefined(name, source, _line(block.start_line)))

    raw_entries: list[tuple[str, str, dict[str, str], int | None]] = []
    entries = list(library.entries)
    spans: list[tuple[int, int]] = []  # lines of the entries read again (_repaired)
    line_starts: list[int] | None = None
    repair_budget = [2 * len(text) + 100_000]  # characters repairs may scan in all: linear
    for block in library.failed_blocks:
        entry = getattr(block, "ignore_error_block", None)
        line = _line(block.start_line)
        kind = type(block).__name__
        if entry is not None and kind == "DuplicateFieldKeyBlock":
            # BibTeX keeps the first value and warns
            kept: dict[str, Any] = {}
            dupes: list[str] = []
            for f in entry.fields:
                if f.key.lower() in kept:
                    dupes.append(f.key.lower())
                kept.setdefault(f.key.lower(), f)
            diag.append(Diagnostic.warning(
                f"@{entry.entry_type}{{{entry.key}}}: duplicate field "
                f"{', '.join(sorted(set(dupes)))}; the first value kept", source, line))
            entry.fields = list(kept.values())
            entries.append(entry)
        elif entry is not None and kind == "DuplicateBlockKeyBlock":
            if hasattr(entry, "fields"):
                entries.append(entry)
            else:  # a second @string of a name: BibTeX keeps the first value and warns
                diag.append(Diagnostic.warning(
                    f"@string{{{getattr(entry, 'key', '?')}}}: defined twice; the first "
                    "value kept", source, line))
        else:
            if line_starts is None:
                line_starts = [0, *(m.end() for m in re.finditer("\n", text))]
            repaired = _repaired(text, line_starts, block, Splitter, repair_budget)
            if repaired is None:
                diag.append(Diagnostic.error(_failure(block), source, line))
                continue
            entry, what, last_line = repaired
            spans.append((entry.start_line, last_line))
            if what:  # (a missing key is reported with the entry, below)
                diag.append(Diagnostic.warning(f"@{entry.entry_type}{{{entry.key}}}: {what}; "
                                               "read as if it were not there", source, line))
            entries.append(entry)

    if spans:  # what the splitter made of a repaired entry's remainder is not an entry
        inside = {n for first, last in spans for n in range(first + 1, last + 1)}
        entries = [e for e in entries if (e.start_line or 0) not in inside]
    for entry in sorted(entries, key=lambda e: e.start_line or 0):
        fields: dict[str, str] = {}
        for f in entry.fields:
            key = f.key.lower()
            if key in fields:
                continue
            raw = f.value
            if raw[:1] == "{" and raw[-1:] == "}" and "#" not in raw:
                fields[key] = raw[1:-1]  # the common case, without a call
            else:
                try:
                    value, unknown = _resolve(raw, strings, month=key == "month", budget=budget)
                except MacroBomb as exc:
                    diag.append(Diagnostic.error(f"@{entry.entry_type}{{{entry.key}}}: field "
                                                 f"{key!r}: {exc}; entry skipped", source,
                                                 _line(f.start_line)))
                    break
                for name in unknown:
                    diag.append(_undefined(name, source, _line(f.start_line), entry.key))
                fields[key] = value
            deep = too_deep(fields[key])
            if deep:
                diag.append(Diagnostic.error(f"@{entry.entry_type}{{{entry.key}}}: field {key!r}: "
                                             f"{deep}; entry skipped", source, _line(f.start_line)))
                break
        else:
            raw_entries.append(
                (entry.entry_type.lower(), entry.key, fields, _line(entry.start_line)))

    by_key = {key.lower(): (etype, fields) for etype, key, fields, _ in raw_entries}
    seen: dict[str, int | None] = {}
    tried: dict[str, int] = {}
    for etype, key, fields, line in raw_entries:
        if etype == "xdata":
            continue
        if etype == "set":
            diag.append(
                Diagnostic.info(
                    f"@set{{{key}}} is a set of {fields.get('entryset', 'entries')}, not a "
                    "work; skipped (its members are read)",
                    source,
                    line,
                )
            )
            continue
        if not key.strip():
            key = f"line{line}"
            diag.append(Diagnostic.warning(
                f"@{etype} entry without a key; read as {key!r}", source, line))
            fields = {**fields, "\x00nokey": ""}
        inherited = _inherit(etype, key, fields, by_key, diag, source, line)
        rid = key
        if key in seen:
            # BibTeX would drop the second entry; both are kept, the second under a new id
            rid, note = rekeyed(etype, key, seen, source, line, tried)
            diag.append(note)
        seen[rid] = line
        month = inherited.get("month", "").strip().strip("{}").strip()
        if re.fullmatch(r"[+-]?\d+", month) and not 1 <= int(month) <= 12:
            diag.append(Diagnostic.warning(
                f"@{etype}{{{key}}}: month {month!r} is not 1-12; the date is read without it",
                source, line))
            inherited = {k: v for k, v in inherited.items() if k not in ("month", "day")}
        try:
            result.records.append(_record(etype, key, inherited, rid, keep_case))
        except ValueError as exc:  # pragma: no cover - defensive: one entry, not the file
            diag.append(Diagnostic.error(f"@{etype}{{{key}}}: {exc}; entry skipped", source, line))
    _relate(result.records)
    _not_kept(library, diag, source)
    xdata = sum(1 for e in raw_entries if e[0] == "xdata")
    if xdata:
        diag.append(
            Diagnostic.info(
                f"{xdata} @xdata entr{'y' if xdata == 1 else 'ies'} merged into the entries "
                "that use them",
                source,
            )
        )
    return result


def rekeyed(
    etype: str, key: str, seen: Mapping[str, int | None], source: str, line: int | None,
    tried: dict[str, int] | None = None,
) -> tuple[str, Diagnostic]:
    """The id for a second entry with ``key`` (``key-2``, ``-3`` ... not in ``seen``, which
    maps ids read so far to their lines), and the warning saying so. ``tried`` (the caller's,
    for one file) remembers where the search for each key ended: 10,000 entries with one key
    stay linear."""
    n = (tried or {}).get(key, 2)
    while f"{key}-{n}" in seen:
        n += 1
    if tried is not None:
        tried[key] = n + 1
    rid = f"{key}-{n}"
    return rid, Diagnostic.warning(
        f"@{etype}{{{key}}}: the key {key!r} is used before (line {seen[key]}); "
        f"this entry is read as {rid!r}", source, line,
        payload=Payload(kind="rekeyed", record=rid, field=key))


def _relate(records: list[Record]) -> None:
    """biblatex's ``related`` + ``relatedtype``: a reprint or translation of an entry of the
    same file gets that entry's title, date, publisher and place as CSL original-* variables
    (:data:`~citetool.mapping.bibtex.ORIGINAL_RELATIONS`), where it has none of its own."""
    related = [(i, r) for i, r in enumerate(records) if "related" in r.extra and str(
        r.extra.get("relatedtype", "")).strip().lower() in table.ORIGINAL_RELATIONS]
    if not related:
        return
    by_key = {str(r.fields.get("citation-key", r.id)).lower(): r for r in records}
    for i, record in related:
        keys = [k.strip() for k in str(record.extra["related"]).split(",") if k.strip()]
        original = by_key.get(keys[0].lower()) if len(keys) == 1 else None
        if original is None or original is record:
            continue
        fields, dates = dict(record.fields), dict(record.dates)
        for theirs, ours in table.ORIGINAL_VARIABLES:
            if ours in fields or ours in dates:
                continue
            if theirs in original.dates:
                dates[ours] = original.dates[theirs]
            elif theirs in original.fields and (
                    ours != "original-title" or original.fields[theirs] != fields.get("title")):
                fields[ours] = original.fields[theirs]  # (a reprint's same title: not again)
        title = fields.get("original-title")
        if title and "original-title" not in record.fields and case.is_english(
                str(record.fields.get("language", ""))) and not case.is_english(
                str(original.fields.get("language", ""))):
            # an English entry's styles title-case its titles: not the French original's
            fields["original-title"] = case.NOCASE_OPEN + str(title) + case.NOCASE_CLOSE
        records[i] = record.replace(fields=fields, dates=dates)


def _not_kept(library: Any, diag: list[Diagnostic], source: str) -> None:
    """Say what records cannot carry (bibtexparser#594): @preamble and @comment blocks.
    @string macros are expanded into the values, so nothing of them is lost."""
    from bibtexparser.model import ExplicitComment

    preambles = len(library.preambles)
    comments = sum(1 for c in library.comments if isinstance(c, ExplicitComment))
    if preambles or comments:
        payload = Payload("not-kept", counts=(preambles, comments), words=not_kept_words)
        diag.append(Diagnostic.summary(Level.INFO, payload, source, code="bibtex-not-kept"))


def not_kept_words(payload: Payload) -> str:
    """``not carried into records (no bibliographic data): 1 @preamble block and ...``"""
    parts = []
    for count, what in zip(payload.counts, ("@preamble", "@comment"), strict=True):
        if count:
            parts.append(f"{count} {what} block{'s' if count > 1 else ''}")
    return f"not carried into records (no bibliographic data): {' and '.join(parts)}"


def _line(start: int | None) -> int | None:
    return None if start is None else start + 1


def _undefined(name: str, source: str, line: int | None, key: str = "") -> Diagnostic:
    where = f"@{{{key}}}: " if key else ""
    return Diagnostic.warning(
        f"{where}undefined string macro {name!r}, kept as text", source, line
    )


#: an entry without a key (``@article{ author = …``) and an empty field slot (``…},  , x =``):
#: BibTeX and pandoc refuse them, Zotero + Better BibTeX read them (what real files hold)
_KEYLESS = re.compile(r"(@\s*\w+\s*[{(])(\s*[A-Za-z][\w:.+-]*\s*=)")
_EMPTY_SLOT = re.compile(r",(\s*),")


_BRACE_OR_ESCAPE = re.compile(r"\\.|[{}]", re.S)
#: the longest entry read again (:func:`_repaired`)
_LONGEST_REPAIR = 100_000


def _entry_text(text: str, line_starts: list[int], line: int, budget: list[int]) -> str:
    """The entry starting on (0-based) ``line`` of ``text``: from its ``@`` to the brace that
    closes it ("" if it never closes within :data:`_LONGEST_REPAIR` characters, or when the
    ``budget`` of characters to scan is spent: a file of broken entries stays linear)."""
    if line >= len(line_starts) or budget[0] <= 0:
        return ""
    at = text.find("@", line_starts[line], line_starts[line] + 1_000)
    opening = text.find("{", at, at + 100) if at >= 0 else -1
    if opening < 0 or not text[at + 1:opening].strip().isalpha():
        return ""
    end = opening + min(_LONGEST_REPAIR, budget[0])
    depth = 0
    for match in _BRACE_OR_ESCAPE.finditer(text, opening, end):
        if match.group(0) == "{":
            depth += 1
        elif match.group(0) == "}":
            depth -= 1
            if depth == 0:
                budget[0] -= match.end() - opening
                return text[at:match.end()]
    budget[0] -= end - opening
    return ""


def _repaired(text: str, line_starts: list[int], block: Any, splitter: Any,
              budget: list[int]) -> tuple[Any, str, int] | None:
    """The entry of a block the splitter refused, read again with an empty key where it has
    none and without empty field slots, "an empty field" for those, and the entry's last
    line; None if that does not make it readable."""
    raw = _entry_text(text, line_starts, block.start_line or 0, budget) \
        if (block.raw or "").lstrip()[:1] == "@" else ""
    if not raw:
        return None
    fixed = _KEYLESS.sub(r"\1,\2", raw, count=1)
    depths, balanced = brace_depths(fixed)
    slots = [m for m in _EMPTY_SLOT.finditer(fixed) if depths[m.start()] == 1] \
        if balanced else []
    for m in reversed(slots):
        fixed = fixed[: m.start()] + "," + m.group(1) + fixed[m.end():]
    if fixed == raw:
        return None
    library = splitter(fixed).split()
    if library.failed_blocks or len(library.entries) != 1:
        return None
    entry, offset = library.entries[0], block.start_line or 0
    # lines as in the file (bibtexparser keeps them read-only; set where it keeps them)
    entry._start_line_in_file = (entry.start_line or 0) + offset
    for f in entry.fields:
        f._start_line = (f.start_line or 0) + offset
    last_line = (block.start_line or 0) + raw.count("\n")
    return entry, "an empty field" if slots else "", last_line


def _failure(block: Any) -> str:
    raw = (block.raw or "").lstrip()
    head = re.match(r"@\s*(\w+)\s*[{(]\s*([^,\s]*)", raw)
    what = f"@{head.group(1)}{{{head.group(2)}" + "}" if head else "block"
    error = getattr(block, "error", None)
    reason = getattr(error, "abort_reason", None) or str(error or "syntax error")
    reason = reason.replace("\n", " ").strip()
    if "Unexpected block start" in reason or "end of file" in reason.lower():
        reason = "unbalanced braces or quotes (the entry never ends)"
    return f"cannot read {what}: {reason}; entry skipped"


# --- values ------------------------------------------------------------------------------


#: braces nested deeper than this in one field refuse the entry (the LaTeX decoder recurses
#: per level; real titles nest 3 or 4 deep)
MAX_BRACE_DEPTH = 100
#: characters that @string expansion may add, beyond 10x the file: a doubling chain
#: (``@string{a1 = a0 # a0}`` ... 60 levels) would otherwise take all memory
MACRO_BUDGET_EXTRA = 50_000_000


class MacroBomb(ValueError):
    """An @string expansion over the budget, or a use of a macro refused for that."""


class MacroBudget:
    """What @string expansion may still produce in one file, and the macros refused."""

    def __init__(self, size: int) -> None:
        self.left = 10 * size + MACRO_BUDGET_EXTRA
        self.refused: set[str] = set()

    def spend(self, chars: int) -> None:
        if chars > self.left:  # refused, not charged: smaller uses after it still fit
            raise MacroBomb("@string expansion over its budget (10 times the file + "
                            f"{MACRO_BUDGET_EXTRA // 1_000_000} M characters; a macro bomb?)")
        self.left -= chars

    def refuse(self, name: str, exc: MacroBomb, diag: list[Diagnostic], source: str,
               line: int | None) -> None:
        """``@string{name}`` is not defined; the first refusal is reported (the others
        follow from it), and every entry using one is skipped."""
        if not self.refused:
            diag.append(Diagnostic.error(f"@string{{{name}}}: {exc}; not defined", source, line))
        self.refused.add(name)


def too_deep(value: str) -> str | None:
    """Why ``value`` is refused for nesting braces deeper than :data:`MAX_BRACE_DEPTH`, or
    None. (Counting ``{`` first keeps the scan off ordinary values.)"""
    if value.count("{") <= MAX_BRACE_DEPTH:
        return None
    depth = 0
    for match in _BRACE.finditer(value):
        token = match.group()
        if token == "{":
            depth += 1
            if depth > MAX_BRACE_DEPTH:
                return f"braces nested more than {MAX_BRACE_DEPTH} deep"
        elif token == "}":
            depth -= 1
    return None


_BRACE = re.compile(r"\\.|[{}]")


def _resolve(raw: str, strings: Mapping[str, str], *, month: bool = False,
             budget: MacroBudget | None = None) -> tuple[str, list[str]]:
    """A raw value expression (``{..}``, ``".."``, ``123``, ``macro``, joined by ``#``)
    → its LaTeX text, and the names of undefined macros. Each macro expanded is charged to
    ``budget`` (MacroBomb when it runs out or a refused macro is used)."""
    raw = raw.strip()
    if "#" not in raw and raw[:1] == "{" and raw[-1:] == "}":
        return raw[1:-1], []  # the common case: one braced value
    unknown: list[str] = []
    pieces = []
    for piece in _split_concat(raw):
        piece = piece.strip()
        if not piece:
            continue
        if piece[0] == "{" and piece[-1] == "}":
            pieces.append(piece[1:-1])
        elif piece[0] == '"' and piece[-1] == '"' and len(piece) > 1:
            pieces.append(piece[1:-1])
        elif piece.isdigit():
            pieces.append(piece)
        else:
            name = piece.lower()
            if name in strings:
                if budget is not None:
                    budget.spend(len(strings[name]))
                pieces.append(strings[name])
            elif budget is not None and name in budget.refused:
                raise MacroBomb(f"uses @string {piece!r}, refused above (a macro bomb?)")
            elif name in MONTH_MACROS:
                pieces.append(MONTH_MACROS[name] if month else _month_full(name))
            else:
                unknown.append(piece)
                pieces.append(piece)
    return "".join(pieces), unknown


def _month_full(macro: str) -> str:
    return [
        "January", "February", "March", "April", "May", "June", "July", "August",
        "September", "October", "November", "December",
    ][int(MONTH_MACROS[macro]) - 1]


def _one_group(raw: str) -> bool:
    """True if ``raw`` is one brace group (``{a} # {b}`` and ``{a}b`` are not)."""
    depths, balanced = brace_depths(raw)
    if not balanced or not raw.startswith("{"):
        return False
    closing = next(i for i, (ch, d) in enumerate(zip(raw, depths, strict=True))
                   if ch == "}" and d == 0)
    return closing == len(raw) - 1


def _split_concat(raw: str) -> list[str]:
    """The pieces of a ``#`` concatenation (outside braces and quotes)."""
    depths, _ = brace_depths(raw)
    parts: list[str] = []
    quoted = False
    start = 0
    for i, (ch, depth) in enumerate(zip(raw, depths, strict=True)):
        if depth != 0:
            continue
        if ch == '"':
            quoted = not quoted
        elif ch == "#" and not quoted:
            parts.append(raw[start:i])
            start = i + 1
    parts.append(raw[start:])
    return parts


# --- inheritance ------------------------------------------------------------------------


def _inherit(
    etype: str,
    key: str,
    fields: dict[str, str],
    by_key: Mapping[str, tuple[str, dict[str, str]]],
    diag: list[Diagnostic],
    source: str,
    line: int | None,
    depth: int = 0,
) -> dict[str, str]:
    if "xdata" not in fields and "crossref" not in fields:
        return fields
    out = dict(fields)
    for ref in _split_keys(fields.get("xdata", "")):
        parent = by_key.get(ref.lower())
        if parent is None:
            diag.append(Diagnostic.warning(f"@{etype}{{{key}}}: xdata {ref!r} not found", source,
                                           line))
            continue
        pfields = _inherit(parent[0], ref, parent[1], by_key, diag, source, line, depth + 1) \
            if depth < 8 else parent[1]
        for name, value in pfields.items():
            if name not in table.NOT_INHERITED:
                out.setdefault(name, value)
    out.pop("xdata", None)
    ref = fields.get("crossref", "").strip()
    if ref:
        parent = by_key.get(ref.lower())
        if parent is None:
            diag.append(
                Diagnostic.warning(f"@{etype}{{{key}}}: crossref {ref!r} not found", source, line)
            )
            return out
        ptype, pfields = parent
        if depth < 8:
            pfields = _inherit(ptype, ref, pfields, by_key, diag, source, line, depth + 1)
        inherited: dict[str, str] = {}
        for name, value in pfields.items():
            for target in table.inherited_as(ptype, etype, name):
                # the parent's title wins over a booktitle of its own (biblatex §B.5)
                if target not in inherited or name in _TITLE_FIELDS:
                    inherited[target] = value
        for prefix in ("book", "main", "journal", "issue"):
            if f"{prefix}title" in fields:  # the child's own title: not the parent's subtitle
                inherited.pop(f"{prefix}subtitle", None)
                inherited.pop(f"{prefix}titleaddon", None)
        for name, value in inherited.items():
            out.setdefault(name, value)
    return out


def _split_keys(value: str) -> list[str]:
    return [k.strip() for k in value.split(",") if k.strip()]


# --- names -------------------------------------------------------------------------------

_AND = re.compile(r"\s+and\s+", re.I)


def split_name_list(raw: str) -> list[str]:
    """Split on ``and`` outside braces."""
    raw = raw.strip()
    if "and" not in raw.lower():
        return [raw] if raw else []
    if "{" not in raw:
        return [p.strip() for p in _AND.split(raw) if p.strip()]
    depths, _ = brace_depths(raw)
    out: list[str] = []
    start = 0
    for match in _AND.finditer(raw):
        if depths[match.start()] == 0 and match.start() >= start:
            out.append(raw[start : match.start()])
            start = match.end()
    out.append(raw[start:])
    return [p.strip() for p in out if p.strip()]


def _tokens(part: str) -> list[str]:
    """Words of a name part, splitting on spaces and ``~`` outside braces."""
    if "{" not in part and "\\" not in part:
        return part.replace("~", " ").split()
    depths, _ = brace_depths(part)
    words: list[str] = []
    current: list[str] = []
    for ch, depth in zip(part, depths, strict=True):
        if depth == 0 and ch in " \t\n~":  # an escaped \~ has depth -1: an accent
            if current:
                words.append("".join(current))
                current = []
            continue
        current.append(ch)
    if current:
        words.append("".join(current))
    return words


def _split_commas(name: str) -> list[str]:
    if "{" not in name:
        return [p.strip() for p in name.split(",")]
    depths, _ = brace_depths(name)
    parts: list[str] = []
    start = 0
    for i, (ch, depth) in enumerate(zip(name, depths, strict=True)):
        if ch == "," and depth == 0:
            parts.append(name[start:i])
            start = i + 1
    parts.append(name[start:])
    return [p.strip() for p in parts]


def _is_lower(word: str) -> bool | None:
    """BibTeX's case of a word: the first letter at brace depth 0, or inside a special
    character ``{\\'e}``; a plain brace group is caseless (None)."""
    if word[:1].isalpha():
        return word[0].islower()
    depth = 0
    i = 0
    n = len(word)
    while i < n:
        ch = word[i]
        if ch == "{":
            if depth == 0 and i + 1 < n and word[i + 1] == "\\":
                # special character: the case of the first letter after the command
                j = i + 2
                m = re.match(r"[A-Za-z]+", word[j:])
                if m and m.group(0) in ("l", "o", "ae", "oe", "aa", "ss", "i", "j", "L", "O",
                                        "AE", "OE", "AA", "SS"):
                    return m.group(0)[0].islower()
                k = j + (m.end() if m else 1)
                while k < n and not word[k].isalpha():
                    k += 1
                return word[k].islower() if k < n else None
            depth += 1
            if depth == 1 and i == 0:
                return None
        elif ch == "}":
            depth -= 1
        elif depth == 0 and ch.isalpha():
            return ch.islower()
        elif depth == 0 and ch == "\\":
            m = re.match(r"\\([A-Za-z]+)", word[i:])
            if m:
                return m.group(1)[0].islower() if len(m.group(1)) <= 2 else None
        i += 1
    return None


@lru_cache(maxsize=65536)
def parse_bibtex_name(raw: str) -> Name:
    raw = raw.strip()
    if raw.lower() == "others":
        return Name(literal="others")
    words = _tokens(raw)
    if (
        len(words) == 1
        and words[0].startswith("{")
        and not words[0].startswith("{\\")  # {\'E} is a special character, not a literal
        and _one_group(words[0])
        and "," not in _outside(raw)
    ):
        return Name(literal=to_unicode(words[0][1:-1]))
    parts = _split_commas(raw)
    first: list[str] = []
    von: list[str] = []
    last: list[str] = []
    jr: list[str] = []
    if len(parts) == 1:
        words = _tokens(parts[0])
        lower = [_is_lower(w) is True for w in words]
        if any(lower[:-1]):
            start = lower.index(True)
            end = max(i for i in range(len(words) - 1) if lower[i])
            first, von, last = words[:start], words[start : end + 1], words[end + 1 :]
        else:
            first, last = words[:-1], words[-1:]
    else:
        head = _tokens(parts[0])
        if len(parts) == 2:
            first = _tokens(parts[1])
        else:
            jr = _tokens(parts[1])
            first = _tokens(", ".join(parts[2:]))
        lower = [_is_lower(w) is True for w in head]
        end = -1
        for i in range(len(head) - 1):
            if lower[i]:
                end = i
        if end >= 0 and lower[0]:
            von, last = head[: end + 1], head[end + 1 :]
        else:
            last = head
    family = _join(last)
    if not family and first:  # "{}, John" or similar
        family, first = _join(first), []
    return Name(
        family=family,
        given=_join(first),
        non_dropping_particle=_join(von),
        suffix=_join(jr),
    )


def _outside(raw: str) -> str:
    depths, _ = brace_depths(raw)
    return "".join(ch for ch, d in zip(raw, depths, strict=True) if d == 0 and ch not in "{}")


def _join(words: list[str]) -> str:
    return to_unicode(" ".join(words)) if words else ""


@lru_cache(maxsize=16384)
def parse_names(raw: str) -> tuple[Name, ...]:
    out = []
    for part in split_name_list(raw):
        name = parse_bibtex_name(part)
        if name.family or name.given or name.literal:
            out.append(name)
    return tuple(out)


# --- entries → records --------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _candidates(names: tuple[str, ...]) -> tuple[table.FieldRule, ...]:
    """The rules for an entry's fields, in table order (entries share a few shapes)."""
    pairs = sorted(
        (pair for name in names for pair in _RULES_BY_FIELD.get(name, ())),
        key=lambda pair: pair[0],
    )
    return tuple(rule for _, rule in pairs)


def _record(etype: str, key: str, fields: dict[str, str], rid: str | None = None,
            keep_case: bool = False) -> Record:
    subtype = to_unicode(fields["entrysubtype"]) if "entrysubtype" in fields else ""
    csl_type, genre = table.csl_type_for(etype, subtype, fields)
    out: dict[str, Any] = {} if "\x00nokey" in fields else {"citation-key": key}
    consumed: set[str] = set()
    english = not keep_case and case.is_english(_entry_language(fields))
    _titles(etype, fields, out, consumed, english)
    names: dict[str, tuple[Name, ...]] = {}
    dates: dict[str, Date] = {}
    abstracts: dict[str, str] = {}
    keywords: dict[str, tuple[str, ...]] = {}
    extra: dict[str, Any] = {}

    def taken(var: str) -> bool:
        return var in out or var in names or var in dates or (
            var == "abstract" and bool(abstracts)) or (var == "keyword" and bool(keywords))

    biblatex_entry = not table.BIBLATEX_MARKERS.isdisjoint(fields)
    for rule in _candidates(tuple(fields)):
        raw = fields[rule.bib]
        if rule.bib in consumed or rule.bib in table.TITLE_INPUTS or not rule.accepts(csl_type):
            continue
        kind = rule.kind
        if taken(rule.csl) and kind != "url-howpublished":
            continue
        if kind == "names":
            people = parse_names(raw)
            if people:
                names[rule.csl] = people
        elif kind == "verbatim":
            value = _verbatim(raw)
            if value:
                out[rule.csl] = value
        elif kind == "url-howpublished":
            url = _url_in(raw)
            if url is None:
                continue  # not a URL: the next rule (publisher) takes it
            if "URL" not in out:
                out["URL"] = url
            elif out["URL"] != url:
                continue
        elif kind == "date":
            value = to_unicode(raw)
            if value:
                dates[rule.csl] = Date.parse(value)
        elif kind == "year":
            date = _year_month(raw, fields.get("month"), fields.get("day"))
            if date is not None:
                dates["issued"] = date
                consumed.update(("month", "day"))
        elif kind == "language":
            value = to_unicode(raw)
            if value:
                out["language"] = table.language_code(value)
        elif kind == "list" and not biblatex_entry:
            value = to_unicode(raw)
            if value:
                out[rule.csl] = value
        elif kind in ("place-list", "list"):
            items = (to_unicode(p) for p in split_name_list(raw))
            value = "; ".join(table.LOCALISATION.get(p, p) for p in items)
            if value:
                out[rule.csl] = value
        elif kind == "abstract":
            value = to_unicode(raw)
            if value:
                abstracts[UNKNOWN_LANGUAGE] = value  # keyed by the final language below
        elif kind == "keywords":
            words = tuple(
                w.strip() for w in re.split(r"[,;]", to_unicode(raw)) if w.strip()
            )
            if words:
                keywords[UNKNOWN_LANGUAGE] = words
        else:
            value = to_unicode(raw)
            if not value:
                continue
            # biblatex localisation keys are bare lower-case words (type = {phdthesis});
            # a braced {phdthesis} is text (the writer braces text that looks like a key)
            key = raw.strip()
            if rule.csl in ("genre", "status"):
                value = table.LOCALISATION.get(key, value)
            out[rule.csl] = value
        consumed.add(rule.bib)

    variant = "langidopts" in fields and re.search(
        r"variant\s*=\s*(\w+)", to_unicode(fields["langidopts"]))
    if variant and "langid" in consumed:
        code = table.language_code(variant.group(1))
        if code != variant.group(1) and str(out.get("language", "")).split("-")[0] == \
                code.split("-")[0]:
            out["language"] = code
            consumed.add("langidopts")
    if abstracts and "language" in out:
        abstracts = {str(out["language"]): abstracts[UNKNOWN_LANGUAGE]}
    titles: dict[str, str] = {}
    for name in fields:
        match = _TRANSLATED.match(name)
        if match and name not in consumed:
            value = to_unicode(fields[name])
            lang = "" if match.group(2) == "und" else table.language_code(match.group(2))
            if not value or (match.group(1) == "abstract" and lang in abstracts):
                continue
            (titles if match.group(1) == "title" else abstracts)[lang] = value
            consumed.add(name)
    # issued from biblatex date; a bibtex year that says the same is not kept twice
    if "issued" in dates and "date" in fields and "year" in fields and "year" not in consumed:
        year = to_unicode(fields["year"])
        if year == str(dates["issued"].year or ""):
            consumed.update(("year", "month", "day"))

    _editor_type(fields, names, consumed)
    if csl_type == "paper-conference" and "location" in fields and "address" in consumed \
            and "location" not in consumed and "event-place" not in out:
        # ACM's exports: address is the publisher's place, location the conference's (Better
        # BibTeX reads location as the event place too); pandoc drops location
        value = "; ".join(to_unicode(p) for p in split_name_list(fields["location"]))
        if value:
            out["event-place"] = value
            consumed.add("location")
    if "edition" in out:
        out["edition"] = table.edition_number(str(out["edition"]))
    if "part" in out and "volume" in out:
        # biblatex's volume 7, part 2 is "7.2" (pandoc's reading); part is kept beside it
        out["volume"] = f"{out['volume']}.{out['part']}"
    if names and _biblatex_names(fields) and not _use_prefix(fields):
        # biblatex without useprefix: "von" is printed after the given name and ignored in
        # sorting (CSL's dropping particle), as pandoc reads it; BibTeX keeps it with the family
        names = {role: _dropping(people) for role, people in names.items()}
    if genre and "genre" not in out:
        out["genre"] = genre
    _eprints(fields, out)

    if subtype and table.has_subtype_rule(etype, subtype):  # @article + magazine & co.
        consumed.add("entrysubtype")
    for name, raw in fields.items():
        if name in consumed or name in ("xdata", "\x00nokey"):
            continue
        value = _verbatim(raw) if _VERBATIM_EXTRA.match(name) else to_unicode(raw)
        if value:
            extra[name] = value
    if csl_type == table.FALLBACK_CSL_TYPE and etype != "misc":
        extra["entrytype"] = etype
    return Record(
        id=rid or key,
        type=csl_type,
        fields=out,
        names=names,
        dates=dates,
        titles=titles,
        abstracts=abstracts,
        keywords=keywords,
        extra=extra,
    )


def _editor_type(fields: Mapping[str, str], names: dict[str, tuple[Name, ...]],
                 consumed: set[str]) -> None:
    """``editor`` with ``editortype = {director}`` is the director (biblatex §2.3.6)."""
    role = table.EDITOR_TYPES.get(to_unicode(fields.get("editortype", "")).strip().lower())
    if role and "editor" in names and role not in names:
        names[role] = names.pop("editor")
        consumed.add("editortype")


def _biblatex_names(fields: Mapping[str, str]) -> bool:
    """Are the entry's names biblatex's (a field only biblatex knows; a ``date`` beside a
    ``year`` is what BibTeX writers add, BibTeX's own)?"""
    markers = table.BIBLATEX_MARKERS.intersection(fields)
    return bool(markers - {"date"}) or (bool(markers) and "year" not in fields)


def _use_prefix(fields: Mapping[str, str]) -> bool:
    options = to_unicode(fields.get("options", "")).lower()
    match = re.search(r"(?:^|,)\s*useprefix\s*(?:=\s*(\w+))?\s*(?:,|$)", options)
    return bool(match) and match.group(1) in (None, "true")


def _dropping(people: tuple[Name, ...]) -> tuple[Name, ...]:
    if not any(p.non_dropping_particle for p in people):
        return people
    return tuple(
        p.replace(dropping_particle=p.non_dropping_particle, non_dropping_particle="")
        if p.non_dropping_particle and not p.dropping_particle else p
        for p in people
    )


def _entry_language(fields: Mapping[str, str]) -> str:
    """The language an entry names (``langid``, else ``hyphenation``, else ``language``)."""
    for name in ("langid", "hyphenation", "language"):
        value = fields.get(name, "").strip()
        if value:
            return table.language_code(to_unicode(value))
    return ""


#: entry types that are books themselves: a ``booktitle`` is not their container
_BOOKISH = frozenset({"book", "mvbook", "collection", "mvcollection", "proceedings",
                      "mvproceedings", "reference", "mvreference", "periodical", "manual"})
#: entry types whose ``booktitle`` is the container's title (pandoc's "chapter-like")
_CHAPTER_LIKE = frozenset({"inbook", "incollection", "inproceedings", "inreference",
                           "bookinbook", "conference"})


def _titles(etype: str, fields: Mapping[str, str], out: dict[str, Any], consumed: set[str],
            english: bool) -> None:
    """title, volume-title, container-title(-short), title-short, collection-title,
    event-title and original-title of an entry, as pandoc maps biblatex's title fields
    (``maintitle``, ``issuetitle``, ``booktitle`` … and their sub/addon fields) and with the
    letter case rule of :mod:`citetool.case` for English entries."""

    def title(name: str) -> str:
        raw = fields.get(name)
        if raw is None:
            return ""
        consumed.add(name)
        if not english or len(raw) > case.LONGEST_TITLE:
            return to_unicode(raw)
        marked = to_unicode(raw, mark=True)
        return case.sentence_case(marked, change=not case.looks_sentence_cased(marked))

    def as_typed(name: str) -> str:
        raw = fields.get(name)
        if raw is None:
            return ""
        consumed.add(name)
        return to_unicode(raw)

    def first(*getters: tuple[Any, str]) -> str:
        for getter, name in getters:
            if name in fields:
                value: str = getter(name)
                if value:
                    return value
        return ""

    def put(var: str, main: str, sub: str = "", addon: str = "") -> None:
        value = _concat(".", _concat(":", main, sub), addon) if main else ""
        if value:
            out[var] = value

    periodical = etype == "periodical" and "issuetitle" in fields
    chapter = etype in _CHAPTER_LIKE
    main = "maintitle" in fields and not chapter
    in_main = "maintitle" in fields and chapter
    t = (title, "title")
    put("title",
        first(*([(title, "issuetitle")] if periodical else []),
              *([(title, "maintitle")] if main else []), t),
        first(*([(title, "issuesubtitle")] if periodical else []),
              *([(title, "mainsubtitle")] if main else []), (title, "subtitle")),
        first(*([(title, "maintitleaddon")] if main else []), (title, "titleaddon")))
    if main:
        put("volume-title", title("title"), title("subtitle"), title("titleaddon"))
    elif in_main:
        put("volume-title", title("booktitle"), title("booksubtitle"),
            title("booktitleaddon"))
    # a booktitle is the container of a chapter-like entry (pandoc), and of an entry that is
    # no book itself (@misc, @unpublished … where citetool's writers put it); a book's own
    # booktitle (a @collection's) is no container of it and stays an extra field
    other = not chapter and etype not in _BOOKISH
    container = first(*([(as_typed, "title")] if periodical else []),
                      *([(title, "maintitle"), (title, "booktitle")] if chapter else []),
                      (as_typed, "journaltitle"), (as_typed, "journal"),
                      *([(title, "booktitle")] if other else []))
    put("container-title", container,
        first(*([(as_typed, "subtitle")] if periodical else []),
              *([(title, "mainsubtitle"), (title, "booksubtitle")] if chapter else []),
              (as_typed, "journalsubtitle"),
              *([(title, "booksubtitle")] if other else [])),
        first(*([(as_typed, "titleaddon")] if periodical else []),
              *([(title, "maintitleaddon"), (title, "booktitleaddon")] if chapter else [])))
    short = first(*([(as_typed, "shorttitle")] if periodical and "maintitle" not in fields
                    else []), (as_typed, "shortjournal"))
    if short:
        out["container-title-short"] = short
    if "shorttitle" in fields and (not main or chapter) and not periodical:
        put("title-short", title("shorttitle"))
    elif "title" in fields and not periodical:
        # pandoc's short title: the main title when a subtitle follows, else the part
        # before a colon (the BibTeX writers leave out a shorttitle that says just that)
        head = title("title")
        if ("subtitle" in fields or "titleaddon" in fields) and "maintitle" not in fields:
            put("title-short", head)
        elif ":" in head:
            put("title-short", case.short_title(head))
    if "series" in fields:
        series = fields["series"].strip()
        if series in table.LOCALISATION:
            consumed.add("series")
            text = table.LOCALISATION[series]
            out["collection-title"] = case.sentence_case(text) if english else text
        elif series.isdigit() or (series[:1] == "{" and series[1:-1].isdigit()):
            consumed.add("series")
            out["collection-title"] = f"{_ordinal(int(series.strip('{}')))} series"
        else:
            put("collection-title", title("series"))
    put("event-title", title("eventtitle"))
    put("original-title", title("origtitle"))


def _ordinal(n: int) -> str:
    """English ordinal, as pandoc writes a numeric ``series`` (en-US locale terms)."""
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{_SUFFIXES.get(n % 10, 'th')}"


_SUFFIXES = {1: "st", 2: "nd", 3: "rd"}


def _concat(sep: str, accum: str, more: str) -> str:
    """biblatex/pandoc's joining of title parts: ``accum`` + sep + space + ``more``, or only a
    space when ``accum`` already ends in punctuation."""
    if not more:
        return accum
    if not accum:
        return more
    if accum[-1] in "!?.,:;":
        return f"{accum} {more}"
    return f"{accum}{sep} {more}"


def _verbatim(raw: str) -> str:
    """URLs and DOIs: braces and ``\\url{}`` removed, escapes of ``% # & _`` undone."""
    value = raw.strip()
    match = re.fullmatch(r"\\(?:url|href|path)\s*\{(.*)\}", value, re.S)
    if match:
        value = match.group(1)
    if "{" in value or "\\" in value:
        value = re.sub(r"\\([%#&_{}~$])", r"\1", value)
        value = value.replace("{", "").replace("}", "") if value.count("{") == value.count(
            "}") else value
    return " ".join(value.split())


_HREF = re.compile(r"\\href\s*\{([^{}]*)\}\s*\{(.*)\}", re.S)


def _url_in(raw: str) -> str | None:
    value = raw.strip()
    match = re.fullmatch(r"\\url\s*\{(.*)\}", value, re.S)
    if match:
        return _verbatim(value)
    match = _HREF.fullmatch(value)
    if match and "".join(to_unicode(match.group(2)).split()) == match.group(1).strip():
        return _verbatim(match.group(1))  # \href{url}{url typeset}: the URL, nothing more
    if re.fullmatch(r"(?:https?|ftp)://\S+", value):
        return value
    return None


def _year_month(year_raw: str, month_raw: str | None, day_raw: str | None) -> Date | None:
    year = to_unicode(year_raw)
    if not year:
        return None
    month = _month(month_raw) if month_raw else None
    day = None
    if day_raw and to_unicode(day_raw).isdigit():
        day = int(to_unicode(day_raw))
    if re.fullmatch(r"-?\d{1,4}", year):
        if month_raw and month is None:
            return Date(literal=f"{to_unicode(month_raw)} {year}")
        if day is not None and not 1 <= day <= 31:
            day = None
        return Date.of(int(year), month, day if month else None)
    parsed = Date.parse(year)
    return parsed


def _month(raw: str) -> int | None:
    text = to_unicode(raw).strip().rstrip(".").lower()
    if text.isdigit():
        value = int(text)
        return value if 1 <= value <= 12 else None
    return _MONTH_NAMES.get(text)


def _eprints(fields: Mapping[str, str], out: dict[str, Any]) -> None:
    eprint = fields.get("eprint")
    if not eprint:
        return
    kind = (fields.get("eprinttype") or fields.get("archiveprefix") or "").strip().lower()
    value = _verbatim(eprint)
    if kind == "arxiv" and "URL" not in out:
        out["URL"] = f"https://arxiv.org/abs/{value}"
    elif kind == "googlebooks" and "URL" not in out:
        out["URL"] = f"https://books.google.com?id={value}"
    elif kind == "jstor" and "URL" not in out:
        out["URL"] = f"https://www.jstor.org/stable/{value}"
    elif kind == "pubmed" and "PMID" not in out:
        out["PMID"] = value
    elif kind == "doi" and "DOI" not in out:
        out["DOI"] = value
