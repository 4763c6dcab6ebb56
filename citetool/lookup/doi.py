"""DOI lookup by content negotiation (the ``doi`` service of :mod:`citetool.lookup`).

``lookup("10.15804/athena.2020.66.04")`` asks the DOI resolver (``https://doi.org`` unless
``resolver=``, ``--doi-resolver`` or ``$CITETOOL_DOI_RESOLVER`` says otherwise) for
``application/vnd.citationstyles.csl+json``; doi.org redirects to the registration
agency (Crossref, DataCite, mEDRA ...), which answers with one CSL-JSON item. The request,
retries, deadline, size limit and cache are those of :mod:`citetool.lookup.http`.

Crossref's CSL-JSON carries registry bookkeeping (``indexed``, ``deposited``, ``reference``,
``link``, ``score`` ...): :func:`clean_item` drops those (:data:`BOOKKEEPING`), keeps the
bibliographic data, turns JATS abstracts into text (the Crossref mapping's
:func:`~citetool.mapping.crossref.jats_to_text`), lists into the model's strings
(``ISSN`` ``a, b``) and ORCID URLs into bare iDs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from ..errors import NetworkError
from ..identifiers import normalize_doi, normalize_orcid
from ..mapping.crossref import csl_type, jats_to_text, join_title
from ..model import Record
from .http import HttpOptions, Response, cached, get, host_of, loads_bounded

CSL_JSON = "application/vnd.citationstyles.csl+json"


def doi_url(doi: str, options: HttpOptions) -> str:
    import urllib.parse

    return f"{options.resolver_url()}/{urllib.parse.quote(doi, safe='/:;()')}"


def lookup(doi: str, options: HttpOptions | None = None) -> dict[str, Any]:
    """The CSL-JSON item (cleaned, see :func:`clean_item`) for ``doi``; cache first."""
    options = options or HttpOptions()
    norm = normalize_doi(doi)
    if not norm:
        raise NetworkError(f"not a DOI: {doi!r}")

    def produce() -> tuple[dict[str, Any], str]:
        url = doi_url(norm, options)
        response = get(url, f"{CSL_JSON}, application/json;q=0.5", options, what=norm,
                       service="doi")
        return parse_csl(response, norm), response.url

    item = cached(options, "doi", norm, produce)
    if not isinstance(item, dict):  # a cache entry of another shape: look it up again
        item = cached(replace(options, refresh=True), "doi", norm, produce)
    return dict(item)


def parse_csl(response: Response, doi: str) -> dict[str, Any]:
    """The answer's body as one cleaned CSL-JSON item, or a one-line NetworkError."""
    kind = response.content_type or "no content type"
    text = response.text(doi)
    try:
        data = loads_bounded(text)
    except ValueError:
        raise NetworkError(
            f"{doi}: the answer from {host_of(response.url)} is not CSL-JSON ({kind}); "
            "its registration agency may not support content negotiation"
        ) from None
    if isinstance(data, list) and len(data) == 1:
        data = data[0]
    if isinstance(data, dict) and data.get("message-type") == "work" and isinstance(
            data.get("message"), dict):
        # a Crossref REST answer (a resolver pointed at api.crossref.org/works): the same
        # mapping as the Crossref reader, then the item as CSL-JSON
        from ..csljson import to_csl
        from ..mapping.crossref import from_crossref

        try:
            return to_csl(from_crossref(data["message"]))
        except ValueError as exc:
            raise NetworkError(f"{doi}: the answer from {host_of(response.url)} is not a "
                               f"Crossref work ({exc})") from None
    if not isinstance(data, dict) or not (data.get("title") or data.get("DOI")):
        raise NetworkError(f"{doi}: the answer from {host_of(response.url)} is not a CSL-JSON item")
    return clean_item(data, doi)


#: Crossref registry bookkeeping, not bibliographic data: dropped from looked-up items.
BOOKKEEPING = frozenset(
    """indexed deposited created content-domain score reference reference-count
    references-count is-referenced-by-count link member prefix relation resource
    update-policy assertion issue-created published content-created source
    original-title short-title subtitle journal-issue alternative-id issn-type""".split()
)


def clean_item(item: Mapping[str, Any], doi: str) -> dict[str, Any]:
    """Crossref / DataCite CSL-JSON → what :func:`citetool.csljson.from_csl` expects."""
    out: dict[str, Any] = {}
    for key, value in item.items():
        if key in BOOKKEEPING or value in (None, "", [], {}):
            continue
        if key == "short-container-title":
            key = "container-title-short"
            if item.get("container-title-short"):
                continue
        if key in ("title", "container-title", "container-title-short", "publisher-place"):
            value = _first(value)
        elif key in ("ISSN", "ISBN"):
            values = value if isinstance(value, list) else [value]
            value = ", ".join(dict.fromkeys(str(v) for v in values if v))
        elif key == "abstract" and isinstance(value, str):
            value = jats_to_text(value)
        elif key == "license" and isinstance(value, list):
            urls = [str(x.get("URL")) for x in value if isinstance(x, Mapping) and x.get("URL")]
            value = urls[0] if urls else None
        elif key in ("subject", "keyword") and isinstance(value, list):
            key, value = "keyword", ", ".join(str(v) for v in value)
        if value in (None, "", [], {}):
            continue
        out[key] = value
    for role in ("author", "editor", "translator", "container-author"):
        if isinstance(out.get(role), list):
            out[role] = [_clean_name(n) for n in out[role] if isinstance(n, Mapping)]
    subtitle = _first(item.get("subtitle"))
    if subtitle and out.get("title") and str(subtitle) not in str(out["title"]):
        out["title"] = join_title(str(out["title"]), str(subtitle))  # "Title: Subtitle"
    out["DOI"] = normalize_doi(str(out.get("DOI") or doi)) or doi
    out["type"] = csl_type(str(out.get("type") or ""))  # Crossref's type names too
    out["id"] = out["DOI"]
    return out


def _first(value: Any) -> Any:
    if isinstance(value, list):
        return str(value[0]) if value else None
    return value


def _clean_name(name: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(name)
    if out.get("name") and not (out.get("family") or out.get("literal")):
        out["literal"] = out.pop("name")  # Crossref's organisations: {"name": ...}
    orcid = out.pop("ORCID", None) or out.pop("orcid", None)
    if isinstance(orcid, str) and normalize_orcid(orcid):
        out["ORCID"] = normalize_orcid(orcid)
    out.pop("authenticated-orcid", None)
    out.pop("sequence", None)
    return out


def fetch_record(doi: str, options: HttpOptions | None = None) -> Record:
    """The :class:`Record` for ``doi`` (via :func:`lookup`)."""
    from ..csljson import ItemError, from_csl
    from ..keys import make_key

    item = lookup(doi, options)
    try:
        record = from_csl(item)
    except (ItemError, ValueError) as exc:
        raise NetworkError(f"{doi}: the CSL-JSON answer is malformed: {exc}") from None
    return record.replace(id=make_key(record))


def fetch(doi: str, options: HttpOptions) -> list[Record]:
    """The lookup table's entry point (:mod:`citetool.lookup`)."""
    return [fetch_record(doi, options)]
