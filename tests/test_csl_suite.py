"""CSL test-suite conformance with a known-failures ratchet.

Every core fixture in tests/csl-suite/ (see the README there) runs through citetool's engine.
A fixture listed in tests/csl_known_failures.txt must fail, every other must pass: an
unexpected failure is a regression, an unexpected pass means the list is stale (regenerate it
with ``python bench/csl_suite.py --update-known-failures`` and commit the smaller list).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from citetool.csl.engine.suite import Fixture, load_fixtures, run_fixture

HERE = Path(__file__).parent
FIXTURES = load_fixtures(HERE / "csl-suite")
KNOWN_FAILURES = {
    line.strip()
    for line in (HERE / "csl_known_failures.txt").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
}


def test_fixture_set_is_complete() -> None:
    assert len(FIXTURES) == 802
    assert KNOWN_FAILURES <= {f.name for f in FIXTURES}


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda f: f.name)
def test_csl_fixture(fixture: Fixture) -> None:
    passed, output = run_fixture(fixture)
    if fixture.name in KNOWN_FAILURES:
        assert not passed, (f"{fixture.name} passes now: remove it from "
                            "tests/csl_known_failures.txt (bench/csl_suite.py "
                            "--update-known-failures)")
    else:
        assert passed, f"expected:\n{fixture.result}\ngot:\n{output}"


@pytest.mark.filterwarnings("ignore::UserWarning")  # bare citeproc-py warns per odd field
def test_engine_beats_bare_citeproc_py() -> None:
    plain = sum(run_fixture(f, plain=True)[0] for f in FIXTURES)
    ours = len(FIXTURES) - len(KNOWN_FAILURES)
    assert plain >= 400  # the harness itself works for bare citeproc-py (457 measured)
    assert ours > plain + 200, (ours, plain)
