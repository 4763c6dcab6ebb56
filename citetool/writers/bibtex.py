"""BibTeX and BibLaTeX writers (``--to bibtex``, ``--to biblatex``).

Fields come from the two-way table in :mod:`citetool.mapping.bibtex`: BibTeX gets
``year``/``month`` (``month = jan``, bare), ``journal``, ``address``, ``school``, ``@misc``
with ``howpublished = {\\url{...}}`` for web pages; BibLaTeX gets ``date``, ``journaltitle``,
``location``, ``langid`` and ``@online``.  Values are UTF-8 unless ``ascii=True`` (then every
non-ASCII character is a braced LaTeX form such as ``{\\'e}`` or ``{\\l}``); ``& % $ # _ { }``
are always escaped, except in URL/DOI fields, which are verbatim.

Citation keys: a record's own ``citation-key`` (read from a .bib file) is kept; other records
get one from ``key_pattern`` (default ``{author}{year}{title}``, see :mod:`citetool.keys`),
and giving ``key_pattern`` re-keys every record.

Letter case (``title``, ``shorttitle``, ``booktitle``, ``maintitle``, ``series``,
``eventtitle``, ``origtitle``: the fields the reader puts in sentence case): stored titles are
in sentence case (CSL's convention); English ones go out in Title Case with braces where a
capital must survive a ``.bst`` (names, acronyms, ``nocase`` spans), as Better BibTeX writes
them (:func:`protect_title`, the rule in :mod:`citetool.case`). In BibTeX output a record whose
language is known and not English has its whole title braced, because BibTeX styles know
nothing of languages; BibLaTeX output relies on ``langid`` (biblatex changes case only for
English). CSL rich text (``<i>`` …) becomes LaTeX commands (``\\emph{…}``).

Translated titles and abstracts in further languages: BibTeX output uses the field names of
biblatex's multiscript version (biblatex-ms/biber-ms), ``title_translated_english``,
``abstract_translated_english``, which BibTeX ignores, JabRef shows and citetool reads back.
BibLaTeX output holds only what biblatex's data model has a place for, so that ``biber
--validate-datamodel`` gives no warning: those fields only with ``multiscript=True``, else
reported as lost, as are an ``@article``'s publisher and location. ``abstract`` holds the
abstract in the record's language (or of unknown language); an abstract in another language
is always ``abstract_translated_<language>``, because reading ``abstract`` gives it the
record's language.

What the target cannot hold is reported, once per kind, through :class:`LossReport`:
affiliations and ORCID iDs (neither format nor biblatex-ms has a place; fields of citetool's
own making would be ignored by biber and shown as clutter by JabRef, so they are reported,
not invented), CSL variables without a field, and CSL types without an entry type (written
as ``@misc``).  Keywords of all languages go into one
``keywords`` field.  Dates more precise than year and month (a day, a range, circa) are
written to BibTeX as an extra ``date`` field, which BibTeX ignores and biber, JabRef and
citetool read.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from .. import case
from ..keys import assign_keys, validate_pattern
from ..latex import escape_verbatim, math_spans, to_latex
from ..lossy import LossReport
from ..mapping import bibtex as table
from ..model import Date, Name, Record, primary_language
from ..registry import WriteResult

__all__ = ["write_bibtex", "write_biblatex", "format_name", "protect_title"]

_FIELD_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_\-:.+]*$")
#: title fields the reader puts in sentence case (English entries): written in Title Case
_PROTECTED_FIELDS = frozenset(
    {"title", "shorttitle", "booktitle", "maintitle", "series", "eventtitle", "origtitle"}
)
#: fields whose biblatex localisation keys the reader resolves (``newseries``)
_KEYED_FIELDS = frozenset({"series", "type", "pubstate"})
_KEY_OF = {v: k for k, v in reversed(table.LOCALISATION.items())}
_KEY_OF.update({v[:1].upper() + v[1:]: k for k, v in reversed(table.LOCALISATION.items())
                if v[:1].upper() + v[1:] not in _KEY_OF})  # "New series" (sentence case)
_ORDER = [
    "author", "editor", "translator", "bookauthor", "title", "shorttitle", "journal",
    "journaltitle", "booktitle", "series", "edition", "volume", "number", "pages", "chapter",
    "type", "school", "institution", "publisher", "address", "location", "year", "month",
    "date", "doi", "url", "howpublished", "urldate", "isbn", "issn", "language", "langid",
    "keywords", "abstract", "note",
]
_RANK = {name: i for i, name in enumerate(_ORDER)}
_IGNORED_FIELDS = frozenset({"citation-key"})
#: extra keys that drive the writer, not fields
_CONTROL_EXTRA = frozenset({"entrytype"})


def write_bibtex(records: Sequence[Record], **options: Any) -> WriteResult:
    return _write(records, table.BIBTEX, **options)


def write_biblatex(records: Sequence[Record], **options: Any) -> WriteResult:
    return _write(records, table.BIBLATEX, **options)


def _write(
    records: Sequence[Record],
    dialect: str,
    *,
    key_pattern: str | None = None,
    ascii: bool = False,
    umlauts: str = "plain",
    multiscript: bool = False,
    **_: Any,
) -> WriteResult:
    if key_pattern is not None:
        try:
            validate_pattern(key_pattern)
        except ValueError as exc:
            from ..errors import WriteError

            raise WriteError(str(exc)) from None
    report = LossReport("BibTeX" if dialect == table.BIBTEX else "BibLaTeX")
    keys = assign_keys(records, key_pattern, umlauts=umlauts)
    chunks = [
        _entry(record, key, dialect, ascii, report, multiscript)
        for record, key in zip(records, keys, strict=True)
    ]
    return WriteResult(text="\n".join(chunks), diagnostics=report.diagnostics())


def _entry(record: Record, key: str, dialect: str, ascii: bool, report: LossReport,
           multiscript: bool = False) -> str:
    rid = record.id
    genre = str(record.fields.get("genre", ""))
    bib_type, exact = table.bib_type_for(record.type, dialect, genre)
    bib_type = table.refine_bib_type(bib_type, dialect, frozenset(
        role for role, people in record.names.items() if people))
    own_type = record.extra.get("entrytype")
    if isinstance(own_type, str) and record.type == table.FALLBACK_CSL_TYPE and own_type:
        bib_type, exact = own_type, True
    if not exact:
        report.add(f"the CSL type {record.type} (written as @{bib_type})", rid)
    out: dict[str, str] = {}
    written: set[str] = set()
    english = primary_language(record.language) in ("", "en")
    # biblatex-ms fields: BibTeX ignores unknown fields, standard biber warns about them
    ms = multiscript or dialect == table.BIBTEX

    def put(field: str, value: str, *, bare: bool = False) -> None:
        if value and field not in out:
            out[field] = value if bare else "{" + value + "}"

    if record.fields.get("volume-title"):  # BibTeX ignores maintitle; biber, JabRef read it
        _main_title(record, put, written, ascii, english)
    for rule in table.FIELDS:
        if dialect not in rule.write or not rule.accepts(record.type) or rule.csl in written:
            continue
        if rule.bib in out:
            continue
        value = _csl_value(record, rule.csl)
        if value in (None, "", ()):
            continue
        if rule.csl == "title-short" and value == _implied_short(record):
            written.add(rule.csl)  # the reader makes it again from the title
            continue
        kind = rule.kind
        if kind == "names":
            put(rule.bib, " and ".join(format_name(n, ascii) for n in value))
            _name_losses(value, rule.csl, report, rid, dialect)
        elif kind == "verbatim":
            put(rule.bib, escape_verbatim(str(value)))
        elif rule.csl == "volume" and record.fields.get("part"):
            # "7.2" with part 2 is biblatex's volume 7, part 2 (see the reader)
            volume, part = str(value), str(record.fields["part"])
            if volume.endswith("." + part) and len(volume) > len(part) + 1:
                volume = volume[: -len(part) - 1]
            put(rule.bib, to_latex(volume, ascii=ascii))
        elif rule.csl == "edition" and dialect == table.BIBTEX and english:
            put(rule.bib, to_latex(table.edition_word(str(value)), ascii=ascii))
        elif kind == "page":
            put(rule.bib, _pages(str(value), ascii))
        elif kind == "list" and dialect == table.BIBTEX:
            # one literal; braced if it holds "and", so no reader takes it for a list
            put(rule.bib, _list_item(str(value), ascii))
        elif kind in ("place-list", "list"):
            put(rule.bib, " and ".join(_list_item(p, ascii) for p in str(value).split("; ")))
        elif kind == "language":
            put(rule.bib, to_latex(table.language_name(str(value)), ascii=ascii))
        elif kind == "keywords":
            put(rule.bib, to_latex(", ".join(record.all_keywords()), ascii=ascii))
            if any(", " in w or "," in w for w in record.all_keywords()):
                report.add("keywords containing commas (split on reading)", rid)
        elif kind == "abstract":
            # the abstract in the record's language is the abstract; the others are
            # "translated" (an abstract whose language is not the record's cannot sit in
            # ``abstract``: reading would give it the record's language)
            own = record.language if record.language in record.abstracts else ""
            for lang, text in record.abstracts.items():
                if lang != own and not ms:
                    report.add(f"abstracts in further languages ({lang or '?'})", rid)
                    continue
                field = rule.bib if lang == own else _translated("abstract", lang)
                put(field, to_latex(text, ascii=ascii))
        elif kind == "date":
            _write_date(out, rule.bib, value, dialect, ascii, report, rid)
        elif kind == "year":
            _write_year(out, value, ascii, report, rid)
        elif rule.csl == "genre":
            implied = table.genre_implied(bib_type)
            if _same_genre(str(value), implied):
                written.add(rule.csl)
                continue
            lkey = _localisation_key(rule.bib, str(value), dialect)
            if lkey:
                put(rule.bib, lkey)
            else:
                put(rule.bib, _not_a_key(to_latex(str(value), ascii=ascii)))
        else:
            text = str(value)
            lkey = _localisation_key(rule.bib, text, dialect)
            if lkey:
                put(rule.bib, lkey)
            elif rule.bib in _PROTECTED_FIELDS:
                whole = dialect == table.BIBTEX and not english and rule.bib == "title"
                encoded = protect_title(text, ascii=ascii, whole=whole, english=english)
                put(rule.bib, _not_a_key(encoded) if rule.bib == "series" else encoded)
            else:
                put(rule.bib, markup_to_latex(text, ascii=ascii))
        written.add(rule.csl)

    if dialect == table.BIBLATEX and "editor" not in out:
        _editor_type(record, put, written, ascii, report, dialect)
    if dialect == table.BIBLATEX and any(
            n.non_dropping_particle for people in record.names.values() for n in people):
        # biblatex reads "von" as a dropping particle unless useprefix is set
        own = str(record.extra.get("options", ""))
        if "useprefix" not in own:
            out["options"] = "{" + ",".join(o for o in (own, "useprefix=true") if o) + "}"
    rule = table.type_rule_for(record.type, dialect, genre)
    if rule is not None and rule.subtype and exact:
        put("entrysubtype", rule.subtype)  # @article + magazine/newspaper
    if "title" in written:
        for lang, text in record.titles.items():
            if not ms:
                report.add(f"translated titles ({lang or '?'})", rid)
                continue
            put(_translated("title", lang), to_latex(text, ascii=ascii))
    if dialect == table.BIBTEX and bib_type == "misc" and "URL" in record.fields:
        put("howpublished", "\\url{" + escape_verbatim(str(record.fields["URL"])) + "}")

    _report_unwritten(record, written, report)
    for name, value in record.extra.items():
        if name in _CONTROL_EXTRA:
            continue
        field = name.lower()
        if not _FIELD_NAME.match(name) or not isinstance(value, (str, int)) or \
                isinstance(value, bool):
            report.add(f"the field {name!r}", rid)
            continue
        if field in out:
            if field == "options":
                continue  # merged with useprefix above
            if out[field] != "{" + _extra_value(field, value, ascii) + "}":
                report.add(f"the field {name!r} (clashes with a mapped field)", rid)
            continue
        put(field, _extra_value(field, value, ascii))

    lines = [f"@{bib_type}{{{key},"]
    ordered = sorted(out.items(), key=lambda kv: _rank(kv[0]))
    for field, value in ordered:
        lines.append(f"  {field} = {value},")
    lines.append("}")
    return "\n".join(lines) + "\n"


#: CSL types whose biblatex entry has a booktitle (a maintitle is then the book's)
_IN_BOOK = frozenset({"chapter", "paper-conference", "entry-encyclopedia", "entry-dictionary"})


def _main_title(record: Record, put: Any, written: set[str], ascii: bool,
                english: bool) -> None:
    """biblatex's maintitle: a volume of a multi-volume work has the work's title in
    ``maintitle`` and its own in ``title`` (``booktitle`` for a part of such a volume);
    the reader maps them to title/container-title and volume-title, as pandoc does."""
    fields = record.fields
    main_var, own_field = ("container-title", "booktitle") if record.type in _IN_BOOK else (
        "title", "title")
    main = fields.get(main_var)
    if not main:
        return
    put("maintitle", protect_title(str(main), ascii=ascii, english=english))
    put(own_field, protect_title(str(fields["volume-title"]), ascii=ascii, english=english))
    written.update((main_var, "volume-title"))


def _implied_short(record: Record) -> str | None:
    """The short title the reader derives from a written title (the part before a colon)."""
    title = record.fields.get("title")
    if not isinstance(title, str) or ":" not in title or record.fields.get("volume-title"):
        return None
    return case.short_title(title)


def _localisation_key(field: str, text: str, dialect: str) -> str:
    """The biblatex localisation key a stored value was read from (``New series`` →
    ``newseries``), for the fields biblatex resolves keys in, in BibLaTeX output; else ''."""
    if dialect != table.BIBLATEX or field not in _KEYED_FIELDS:
        return ""
    return _KEY_OF.get(text, "")


def _rank(field: str) -> float:
    base, sep, _ = field.partition("_translated_")
    if sep and base in _RANK:
        return _RANK[base] + 0.5  # title_translated_english right after title
    return _RANK.get(field, len(_RANK))


def _extra_value(field: str, value: Any, ascii: bool) -> str:
    from ..readers.bibtex import _VERBATIM_EXTRA

    text = str(value)
    if _VERBATIM_EXTRA.match(field):
        return escape_verbatim(text)
    return to_latex(text, ascii=ascii)


def _not_a_key(encoded: str) -> str:
    """Brace text that biblatex would take for a localisation key (``newseries``)."""
    return "{" + encoded + "}" if encoded in table.LOCALISATION else encoded


def _translated(field: str, lang: str) -> str:
    """biblatex-ms's name for a field in another language: ``title_translated_english``."""
    name = re.sub(r"[^A-Za-z0-9\-]", "", table.language_name(lang)) or "und"
    return f"{field}_translated_{name}"


def _list_item(text: str, ascii: bool) -> str:
    encoded = to_latex(text.strip(), ascii=ascii)
    return "{" + encoded + "}" if re.search(r"\band\b", text, re.I) else encoded


def _same_genre(genre: str, implied: str) -> bool:
    def norm(s: str) -> str:
        return s.lower().replace("’", "'").strip()

    return bool(implied) and norm(genre) == norm(implied)


def _csl_value(record: Record, var: str) -> Any:
    if var in record.names:
        return record.names[var]
    if var in record.dates:
        return record.dates[var]
    if var == "abstract":
        return record.abstract if record.abstracts else None
    if var == "keyword":
        return tuple(record.all_keywords())
    return record.fields.get(var)


def _name_losses(names: Sequence[Name], role: str, report: LossReport, rid: str,
                 dialect: str) -> None:
    if dialect == table.BIBTEX and any(n.dropping_particle for n in names):
        # BibTeX has one "von" part, read (as Zotero + Better BibTeX read it) as part of the
        # family name: CSL's non-dropping particle
        report.add("dropping particles (BibTeX keeps 'von' with the family name)", rid)
    if any(n.affiliation for n in names):
        report.add("affiliations", rid)
    if any(n.orcid for n in names):
        report.add("ORCID iDs", rid)


def _editor_type(record: Record, put: Callable[..., None], written: set[str], ascii: bool,
                 report: LossReport, dialect: str) -> None:
    """A director (compiler, …) and no editor: biblatex's ``editor`` + ``editortype``."""
    for editortype, role in table.EDITOR_TYPES.items():
        people = record.names.get(role)
        if people:
            put("editor", " and ".join(format_name(n, ascii) for n in people))
            put("editortype", editortype)
            _name_losses(people, role, report, record.id, dialect)
            written.add(role)
            return


def _report_unwritten(record: Record, written: set[str], report: LossReport) -> None:
    rid = record.id
    for var in record.fields:
        if var not in written and var not in _IGNORED_FIELDS and var != "URL":
            report.add(f"the CSL variable {var}", rid)
    for var, people in record.names.items():
        if var not in written and people:
            report.add(f"the CSL variable {var}", rid)
    for var, date in record.dates.items():
        if var not in written and not date.is_empty():
            report.add(f"the CSL variable {var}", rid)
    if record.titles and "title" not in written:
        report.add("translated titles (the record has no title)", rid)


# --- values --------------------------------------------------------------------------------

_PAGE = r"(?:[A-Za-z]{0,4}\.?\s?\d+[A-Za-z]?|[ivxlcdmIVXLCDM]+)"
_RANGE = re.compile(rf"^\s*({_PAGE})\s*(?:-+|–|—)\s*({_PAGE})\s*$")


def _pages(value: str, ascii: bool) -> str:
    """``51-71`` / ``51–71`` → ``51--71``; lists keep their commas."""
    out = []
    for part in value.split(","):
        match = _RANGE.match(part)
        if match:
            first, last = match.groups()
            out.append(f"{to_latex(first, ascii=ascii)}--{to_latex(last, ascii=ascii)}")
        else:
            out.append(to_latex(part.strip(), ascii=ascii))
    return ", ".join(out)


def _write_date(
    out: dict[str, str], field: str, date: Date, dialect: str, ascii: bool,
    report: LossReport, rid: str,
) -> None:
    if date.season:
        report.add("seasons of dates", rid)
    if date.parts:
        out.setdefault(field, "{" + date.iso() + "}")
    elif date.literal or date.raw:
        text = to_latex(date.literal or date.raw, ascii=ascii)
        if field == "date":
            out.setdefault("year", "{" + text + "}")
        else:
            report.add(f"a non-calendar {field} ({date.literal or date.raw})", rid)


def _write_year(out: dict[str, str], date: Date, ascii: bool, report: LossReport,
                rid: str) -> None:
    if date.season:
        report.add("seasons of dates", rid)
    if not date.parts:
        text = date.literal or date.raw
        if text:
            out.setdefault("year", "{" + to_latex(text, ascii=ascii) + "}")
        return
    first = date.parts[0]
    out.setdefault("year", "{" + str(first[0]) + "}")
    if len(first) > 1:
        out.setdefault("month", table.MONTHS[first[1] - 1])
    if len(first) > 2 or len(date.parts) > 1 or date.circa:
        # BibTeX has no day, range or circa: biber, JabRef and citetool read ``date``
        out.setdefault("date", "{" + date.iso() + "}")


# --- names ----------------------------------------------------------------------------------


def format_name(name: Name, ascii: bool = False) -> str:
    """One name as BibTeX writes it: ``von Last, Jr, First``; a literal in braces."""
    if name.is_literal or (not name.family and not name.given):
        if name.literal == "others":
            return "others"
        return "{" + to_latex(name.literal, ascii=ascii) + "}"
    family = to_latex(name.family, ascii=ascii)
    if _needs_brace_family(name.family):
        family = "{" + family + "}"
    particles = " ".join(p for p in (name.dropping_particle, name.non_dropping_particle) if p)
    head = family
    if particles:
        head = to_latex(particles, ascii=ascii) + " " + family
    given = to_latex(name.given, ascii=ascii)
    if _has_separator(name.given):
        given = "{" + given + "}"
    suffix = to_latex(name.suffix, ascii=ascii)
    if _has_separator(name.suffix):
        suffix = "{" + suffix + "}"
    if suffix:
        return f"{head}, {suffix}, {given}"
    if given:
        return f"{head}, {given}"
    if not particles and " " in name.family.strip():
        return head + ","  # "García Márquez," is one family name; without the comma,
        # BibTeX would take "García" as the first name
    return head


def _has_separator(text: str) -> bool:
    return "," in text or re.search(r"\band\b", text, re.I) is not None


def _is_lower_start(text: str) -> bool:
    for ch in text:
        if ch.isalpha():
            return ch.islower()
    return False


def _needs_brace_family(family: str) -> bool:
    """A family name BibTeX would split (lower-case words become "von", commas, "and")."""
    if _has_separator(family):
        return True
    words = family.split()
    if len(words) > 1 and any(_is_lower_start(w) for w in words):
        return True
    return False


# --- case protection ---------------------------------------------------------------------


def protect_title(title: str, *, ascii: bool = False, whole: bool = False,
                  english: bool = True) -> str:
    """Encode a stored (sentence-case) title for a BibTeX title field.

    English: Title Case (:func:`citetool.case.title_case`) with braces around what a ``.bst``
    must not lowercase (:func:`citetool.case.protected_spans`: proper nouns, acronyms,
    ``nocase`` spans). ``whole``: the whole title braced (a non-English title in BibTeX).
    Otherwise the title as stored, names and ``nocase`` spans braced. CSL rich text (``<i>``
    …) becomes LaTeX commands (``\\emph{…}``)."""
    plain, nocase, commands = case.parse_markup(title)
    if len(plain) > case.LONGEST_TITLE:  # no title is this long: as it is, braced whole
        whole = True
    math = math_spans(plain) if not whole else []
    braced = case.protected_spans(plain, nocase, skip=math) if not whole else []
    if english and not whole:
        plain = case.title_case(plain, skip=braced + math)
    if whole:
        return "{" + _with_latex(plain, [], commands, ascii) + "}"
    return _with_latex(plain, braced, commands, ascii)


def markup_to_latex(text: str, ascii: bool = False) -> str:
    """A stored value that is not a title: rich text as LaTeX commands, ``nocase`` braced."""
    plain, nocase, commands = case.parse_markup(text)
    return _with_latex(plain, nocase, commands, ascii)


def _with_latex(plain: str, braced: list[tuple[int, int]], commands: list[tuple[int, str]],
                ascii: bool) -> str:
    """``plain`` encoded, with braces around ``braced`` spans and LaTeX ``commands`` at their
    positions (a brace span is cut where a command starts or ends, so groups nest)."""
    if not braced and not commands:
        return to_latex(plain, ascii=ascii)
    cuts = {p for p, _ in commands}
    spans: list[tuple[int, int]] = []
    for start, end in braced:
        inner = sorted(c for c in cuts if start < c < end)
        for a, b in zip([start, *inner], [*inner, end], strict=True):
            if a < b and plain[a:b].lower() != plain[a:b].upper():  # letters with a case
                spans.append((a, b))
    events: dict[int, list[tuple[int, str]]] = {}
    for start, end in spans:
        events.setdefault(end, []).append((0, "}"))
        events.setdefault(start, []).append((3, "{"))
    for position, latex in commands:
        events.setdefault(position, []).append((1 if latex == "}" else 2, latex))
    out: list[str] = []
    pos = 0
    for position in sorted(events):
        out.append(to_latex(plain[pos:position], ascii=ascii))
        out.extend(latex for _, latex in sorted(events[position], key=lambda e: e[0]))
        pos = position
    out.append(to_latex(plain[pos:], ascii=ascii))
    return "".join(out)
