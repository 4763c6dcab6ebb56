"""Human-readable rows of a record's fields, shared by ``show`` and ``check``."""

from __future__ import annotations

from ..model import Record


def record_rows(record: Record) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = [("id", record.id), ("type", record.type)]
    if "title" in record.fields:
        rows.append(("title", str(record.fields["title"])))
    for lang, title in record.titles.items():
        rows.append((f"title [{lang or '?'}]", title))
    for role, people in record.names.items():
        for i, person in enumerate(people, 1):
            label = role if len(people) == 1 else f"{role} {i}"
            rows.append((label, person.display()))
            for aff in person.affiliation:
                rows.append(("  affiliation", aff))
            if person.orcid:
                rows.append(("  ORCID", person.orcid))
    for var, date in record.dates.items():
        rows.append((var, date.iso()))
    for key, value in record.fields.items():
        if key != "title":
            rows.append((key, str(value)))
    for lang, text in record.abstracts.items():
        rows.append((f"abstract [{lang or '?'}]", text))
    for lang, words in record.keywords.items():
        rows.append((f"keywords [{lang or '?'}]", "; ".join(words)))
    for key, value in record.extra.items():
        rows.append((f"extra: {key}", str(value)))
    return rows
