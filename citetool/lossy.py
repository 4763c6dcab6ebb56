"""Reporting what a target format cannot hold: one warning per field kind, never silence.

    report = LossReport("RIS")
    report.add("ORCID", record.id)
    ...
    result.diagnostics.extend(report.diagnostics())
    # -> "RIS has no place for ORCID: 1 record (bielicki2020)"
"""

from __future__ import annotations

import itertools

from .errors import SHOWN_IDS, Diagnostic, Level, Payload, shown_ids


def loss_words(payload: Payload) -> str:
    """``RIS has no place for ORCID: 9 records (a, b, c, ...)``"""
    n = payload.counts[0]
    noun = "record" if n == 1 else "records"
    return (f"{payload.target} has no place for {payload.field}: {n} {noun} "
            f"({shown_ids(n, payload.ids)})")


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
            ids = tuple(itertools.islice(id_map, SHOWN_IDS))
            payload = Payload("lossy", field=what, target=self.format_name,
                              counts=(len(id_map),), ids=ids, words=loss_words)
            out.append(Diagnostic.summary(Level.WARNING, payload, code="lossy"))
        return out
