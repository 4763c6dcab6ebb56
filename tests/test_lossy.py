from __future__ import annotations

import time

from citetool.lossy import LossReport


def test_one_warning_per_field_kind_with_counts_and_ids() -> None:
    report = LossReport("RIS")
    for rid in ("a", "b", "a", "c", "d"):
        report.add("ORCID", rid)
    report.add("affiliations", "a")
    lines = [d.message for d in report.diagnostics()]
    assert lines == ["RIS has no place for ORCID: 4 records (a, b, c, ...)",
                     "RIS has no place for affiliations: 1 record (a)"]


def test_adding_is_linear_in_the_number_of_records() -> None:
    report = LossReport("BibTeX")
    start = time.perf_counter()
    for i in range(50_000):
        report.add("ORCID", f"id{i}")
    assert time.perf_counter() - start < 1.0  # a list scan made this quadratic (~30 s)
    assert "50000 records" in report.diagnostics()[0].message
