"""CSL test-suite conformance with a known-failures ratchet.

Every core fixture in tests/csl-suite/ and every CITATIONS fixture in tests/csl-suite-citations/
(see the READMEs there) runs through citetool's engine.
A fixture listed in tests/csl_known_failures.txt must fail, every other must pass: an
unexpected failure is a regression, an unexpected pass means the list is stale (regenerate it
with ``python bench/csl_suite.py --update-known-failures`` and commit the smaller list).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from citetool.csl.engine.suite import Fixture, is_citations, load_fixtures, run_fixture

HERE = Path(__file__).parent
CORE = load_fixtures(HERE / "csl-suite")
# the fixtures that replay a session of citations (CITATIONS), in the same ratchet
SESSIONS = [f for f in load_fixtures(HERE / "csl-suite-citations", core_only=False)
            if is_citations(f)]
FIXTURES = CORE + SESSIONS
KNOWN_FAILURES = {
    line.strip()
    for line in (HERE / "csl_known_failures.txt").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
}


def test_fixture_set_is_complete() -> None:
    assert len(CORE) == 802
    assert len(SESSIONS) == 41
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
    plain = sum(run_fixture(f, plain=True)[0] for f in CORE)
    ours = len(CORE) - len(KNOWN_FAILURES & {f.name for f in CORE})
    assert plain >= 400  # the harness itself works for bare citeproc-py (457 measured)
    assert ours > plain + 200, (ours, plain)
