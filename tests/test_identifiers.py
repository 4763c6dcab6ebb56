from __future__ import annotations

import pytest

from citetool.identifiers import (
    is_doi,
    normalize_doi,
    normalize_issn,
    normalize_orcid,
    valid_isbn,
    valid_issn,
    valid_orcid,
)


@pytest.mark.parametrize(
    "text",
    [
        "10.15804/athena.2020.66.04",
        "doi:10.15804/ATHENA.2020.66.04",
        "DOI: 10.15804/athena.2020.66.04",
        "https://doi.org/10.15804/athena.2020.66.04",
        "http://dx.doi.org/10.15804/athena.2020.66.04",
        "https://doi.org/10.15804%2Fathena.2020.66.04",
        "see https://doi.org/10.15804/athena.2020.66.04.",
    ],
)
def test_doi_forms_normalise_to_one(text: str) -> None:
    assert normalize_doi(text) == "10.15804/athena.2020.66.04"


def test_sici_doi_keeps_angle_brackets() -> None:
    sici = "10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0"
    assert normalize_doi(sici) == sici.lower()


def test_no_doi_is_never_invented() -> None:
    assert normalize_doi("") is None
    assert normalize_doi("https://doi.org/") is None
    assert normalize_doi("apsp/66/apsp6604.pdf") is None
    assert not is_doi("10.15804")


def test_orcid_check_digit() -> None:
    assert normalize_orcid("https://orcid.org/0000-0002-1694-233x") == "0000-0002-1694-233X"
    assert valid_orcid("0000-0002-1825-0097") and valid_orcid("0000-0002-1694-233X")
    assert not valid_orcid("0000-0002-1825-0098")


def test_issn_and_isbn_check_digits() -> None:
    assert normalize_issn("ISSN 15052192") == "1505-2192"
    assert valid_issn("1505-2192") and valid_issn("0208-7375")
    assert not valid_issn("1505-2193")
    assert valid_isbn("978-3-16-148410-0") and valid_isbn("0-306-40615-2")
    assert not valid_isbn("978-3-16-148410-1")
