"""DOI lookup: kept importable here; the code lives in :mod:`citetool.lookup`.

:mod:`citetool.lookup.http` is the one HTTP client (deadline, retries, size limit, cache)
and :mod:`citetool.lookup.doi` the DOI lookup by content negotiation.
"""

from __future__ import annotations

from .lookup.doi import (
    BOOKKEEPING,
    CSL_JSON,
    clean_item,
    doi_url,
    fetch_record,
    lookup,
    parse_csl,
)
from .lookup.http import (
    DEFAULT_RETRIES,
    DEFAULT_TIMEOUT,
    MAX_BYTES,
    MAX_REDIRECTS,
    RETRY_STATUSES,
    Cache,
    HttpOptions,
    Response,
    cache_root,
    get,
)

DEFAULT_RESOLVER = "https://doi.org"

__all__ = [
    "BOOKKEEPING",
    "CSL_JSON",
    "DEFAULT_RESOLVER",
    "DEFAULT_RETRIES",
    "DEFAULT_TIMEOUT",
    "MAX_BYTES",
    "MAX_REDIRECTS",
    "RETRY_STATUSES",
    "Cache",
    "HttpOptions",
    "Response",
    "cache_root",
    "clean_item",
    "doi_url",
    "fetch_record",
    "get",
    "lookup",
    "parse_csl",
]
