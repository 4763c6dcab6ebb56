"""Record checks: what a careful reference manager would flag before you cite."""

from __future__ import annotations

import re

from .errors import Diagnostic
from .identifiers import isbn_error, valid_issn, valid_orcid
from .model import Record

_NEEDS_CONTAINER = {
    "article-journal",
    "article-magazine",
    "article-newspaper",
    "chapter",
    "paper-conference",
    "entry-encyclopedia",
    "entry-dictionary",
}


def check_record(record: Record) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    src = record.id

    def warn(message: str) -> None:
        out.append(Diagnostic.warning(message, src, code="check"))

    def error(message: str) -> None:
        out.append(Diagnostic.error(message, src, code="check"))

    if not record.title:
        error("no title")
    if not any(record.names.get(r) for r in ("author", "editor", "translator", "director")):
        warn("no author or editor")
    if record.issued is None or record.issued.is_empty():
        warn("no date of publication (issued)")
    if record.type in _NEEDS_CONTAINER and not record.fields.get("container-title"):
        warn(f"no container-title (journal or book) for a {record.type}; the journal is unknown")
    if record.type == "article-journal":
        for var in ("volume", "page"):
            if not record.fields.get(var):
                warn(f"no {var}")
    if not record.fields.get("DOI"):
        warn("no DOI")
    if not record.language:
        warn("no language (CSL styles title-case only English titles)")
    issn = str(record.fields.get("ISSN", ""))
    for one in filter(None, (s.strip() for s in issn.replace(";", ",").split(","))):
        if not valid_issn(one):
            error(f"ISSN {one} has a wrong check digit")
    isbn = str(record.fields.get("ISBN", ""))
    for one in filter(None, (s.strip() for s in isbn.replace(";", ",").split(","))):
        digits = re.sub(r"[\s-]", "", one).upper().removeprefix("ISBN").lstrip(":")
        problem = isbn_error(digits)
        if problem:
            error(problem.replace(f"ISBN {digits}", f"ISBN {one}", 1))
    for role, people in record.names.items():
        for person in people:
            if person.orcid and not valid_orcid(person.orcid):
                error(
                    f"ORCID {person.orcid} of {person.display()} ({role}) has a wrong check digit"
                )
    page = str(record.fields.get("page", ""))
    if page:
        m = re.fullmatch(r"(\d+)\s*[-–]\s*(\d+)", page)
        if m and int(m.group(2)) < int(m.group(1)):
            warn(f"page range {page} runs backwards")
    return out
