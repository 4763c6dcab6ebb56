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
        # field kind -> record ids in first-seen order (a dict: O(1) membership)
        self._seen: dict[str, dict[str, None]] = {}

    def add(self, what: str, record_id: str) -> None:
        self._seen.setdefault(what, {}).setdefault(record_id, None)

    def __bool__(self) -> bool:
        return bool(self._seen)

    def diagnostics(self) -> list[Diagnostic]:
        out = []
        for what, id_map in self._seen.items():
            ids = list(id_map)
            n = len(ids)
            shown = ", ".join(ids[:3]) + (", ..." if n > 3 else "")
            noun = "record" if n == 1 else "records"
            out.append(Diagnostic.warning(
                f"{self.format_name} has no place for {what}: {n} {noun} ({shown})",
                code="lossy"))
        return out
