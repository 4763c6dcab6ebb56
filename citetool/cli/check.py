"""``citetool check``: report what is missing or suspicious in each record."""

from __future__ import annotations

from collections.abc import Sequence


def check(
    sources: Sequence[str] | None = None,
    from_: str | None = None,
    set_: Sequence[str] | None = None,
    encoding: str | None = None,
    strict: bool = False,
    keep_case: bool = False,
) -> None:
    from .common import keep_titles_as_typed

    keep_titles_as_typed(keep_case)
    from ..checks import check_record
    from ..errors import Level
    from .common import emit, fail, load, write_output

    loaded = load(sources, fmt=from_, encoding=encoding, sets=set_, strict=False)
    worst = max((d.level for d in loaded.diagnostics), default=Level.INFO)
    lines = []
    for record in loaded.records:
        findings = check_record(record)
        for finding in findings:
            emit(finding)
            worst = max(worst, finding.level)
        errors = sum(1 for f in findings if f.level >= Level.ERROR)
        warnings = sum(1 for f in findings if f.level == Level.WARNING)
        status = "error" if errors else ("warning" if warnings else "ok")
        lines.append(f"{record.id}\t{status}\t{errors} error(s)\t{warnings} warning(s)")
    write_output("\n".join(lines) + "\n", None)
    if worst >= Level.ERROR or (strict and worst >= Level.WARNING):
        fail("check found problems (see above)")
