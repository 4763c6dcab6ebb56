"""Reporting what a target format cannot hold: one warning per field kind, never silence.

    report = LossReport("RIS")
    report.add("ORCID", record.id)
    ...
    result.diagnostics.extend(report.diagnostics())
    # -> "RIS has no place for ORCID: 1 record (bielicki2020)"
"""

from __future__ import annotations

from .errors import Diagnostic


class LossReport:
    def __init__(self, format_name: str) -> None:
        self.format_name = format_name
        self._seen: dict[str, list[str]] = {}

    def add(self, what: str, record_id: str) -> None:
        ids = self._seen.setdefault(what, [])
        if record_id not in ids:
            ids.append(record_id)

    def __bool__(self) -> bool:
        return bool(self._seen)

    def diagnostics(self) -> list[Diagnostic]:
        out = []
        for what, ids in self._seen.items():
            n = len(ids)
            shown = ", ".join(ids[:3]) + (", ..." if n > 3 else "")
            noun = "record" if n == 1 else "records"
            out.append(Diagnostic.warning(
                f"{self.format_name} has no place for {what}: {n} {noun} ({shown})",
                code="lossy"))
        return out
