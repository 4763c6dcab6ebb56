"""DOI lookup by content negotiation, with retries and an on-disk cache.

``lookup("10.15804/athena.2020.66.04")`` asks the DOI resolver (``https://doi.org`` unless
``resolver=`` or ``$CITETOOL_DOI_RESOLVER`` says otherwise) for
``application/vnd.citationstyles.csl+json``; doi.org redirects to the registration
agency (Crossref, DataCite, mEDRA ...), which answers with one CSL-JSON item.

* **HTTP**: stdlib :mod:`urllib` (no new dependency: one GET with a few headers does not
  need ``requests``); redirects are followed by hand, at most :data:`MAX_REDIRECTS`, and
  only to http(s); a timeout per request; answers larger than :data:`MAX_BYTES` refused.
* **Politeness**: ``User-Agent: citetool/<version> (+mailto:<contact>)`` with the contact
  from ``mailto=`` or ``$CITETOOL_MAILTO`` (Crossref asks for one); 429, 5xx and a dropped
  connection are retried (``retries`` times) with exponential backoff, honouring
  ``Retry-After`` up to :data:`MAX_RETRY_AFTER` seconds (a longer wait is an error, not a
  hang).
* **Cache**: one JSON file per DOI under ``$CITETOOL_CACHE_DIR`` or platformdirs'
  user cache dir (``.../citetool/doi``), so a second lookup needs no network;
  ``offline=True`` reads only the cache and raises :class:`NetworkError`
  ``not in cache (offline): 10.x/y`` on a miss. Failures are not cached.
* **Errors**: every failure is a one-line :class:`~citetool.errors.NetworkError`.

Crossref's CSL-JSON carries registry bookkeeping (``indexed``, ``deposited``, ``reference``,
``link``, ``score`` ...): :func:`clean_item` drops those (:data:`BOOKKEEPING`), keeps the
bibliographic data, turns JATS abstracts into text, lists into the model's strings
(``ISSN`` ``a, b``) and ORCID URLs into bare iDs.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from . import __version__
from .errors import NetworkError
from .identifiers import normalize_doi, normalize_orcid
from .model import CSL_TYPES, Record

DEFAULT_RESOLVER = "https://doi.org"
CSL_JSON = "application/vnd.citationstyles.csl+json"
DEFAULT_TIMEOUT = 15.0
DEFAULT_RETRIES = 3
MAX_REDIRECTS = 10
MAX_RETRY_AFTER = 60.0
MAX_BYTES = 8 * 1024 * 1024
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class HttpOptions:
    """How citetool talks to the network (the CLI's --offline/--mailto/--doi-resolver)."""

    resolver: str | None = None
    mailto: str | None = None
    offline: bool = False
    timeout: float = DEFAULT_TIMEOUT
    retries: int = DEFAULT_RETRIES
    backoff: float = 1.0
    max_retry_after: float = MAX_RETRY_AFTER
    max_redirects: int = MAX_REDIRECTS
    cache_dir: str | os.PathLike[str] | None = None
    #: injected for tests (``time.sleep`` otherwise)
    sleep: Callable[[float], None] | None = field(default=None, compare=False)

    def resolver_url(self) -> str:
        base = self.resolver or os.environ.get("CITETOOL_DOI_RESOLVER") or DEFAULT_RESOLVER
        return base.rstrip("/")

    def contact(self) -> str:
        return self.mailto or os.environ.get("CITETOOL_MAILTO") or ""

    def user_agent(self) -> str:
        contact = self.contact()
        suffix = f" (+mailto:{contact})" if contact else " (+https://pypi.org/project/citetool/)"
        return f"citetool/{__version__}{suffix}"

    def cache(self) -> Cache:
        return Cache(cache_root(self.cache_dir) / "doi")


def cache_root(override: str | os.PathLike[str] | None = None) -> Path:
    """``override``, else ``$CITETOOL_CACHE_DIR``, else platformdirs' user cache dir."""
    if override:
        return Path(override)
    env = os.environ.get("CITETOOL_CACHE_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("citetool", appauthor=False))


# --- the cache --------------------------------------------------------------------------


class Cache:
    """One JSON file per key: ``{"key", "fetched", "url", "value"}``; writes are atomic."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, key: str) -> Path:
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:40]
        return self.folder / f"{digest}.json"

    def get(self, key: str) -> Any | None:
        try:
            data = json.loads(self.path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("key") != key:
            return None
        return data.get("value")

    def put(self, key: str, value: Any, url: str = "") -> None:
        from .io import write_text_atomic

        record = {
            "key": key,
            "fetched": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "url": url,
            "value": value,
        }
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            write_text_atomic(self.path(key), json.dumps(record, ensure_ascii=False))
        except (OSError, Exception):  # a cache that cannot be written is not an error
            return


# --- HTTP -------------------------------------------------------------------------------


@dataclass
class Response:
    url: str
    status: int
    headers: Mapping[str, str]  # names in lower case
    body: bytes

    @property
    def content_type(self) -> str:
        return (self.headers.get("content-type") or "").split(";")[0].strip().lower()

    @property
    def charset(self) -> str | None:
        m = re.search(r"charset=\"?([\w.:-]+)", self.headers.get("content-type") or "", re.I)
        return m.group(1) if m else None


def _opener() -> Any:
    import urllib.request

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        """Redirects come back as 3xx errors; :func:`get` follows them itself (bounded)."""

        def redirect_request(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
            return None

    return urllib.request.build_opener(NoRedirect())


def get(url: str, accept: str, options: HttpOptions, what: str = "") -> Response:
    """GET ``url`` with retries, bounded redirects and a size limit; raise NetworkError."""
    import http.client
    import urllib.error
    import urllib.parse
    import urllib.request

    what = what or url
    sleep = options.sleep or time.sleep
    opener = _opener()
    hops = 0
    attempt = 0
    current = url
    while True:
        if not re.match(r"https?://", current, re.I):
            raise NetworkError(f"{what}: refusing to fetch a non-HTTP URL {current!r}")
        request = urllib.request.Request(
            current,
            headers={"Accept": accept, "User-Agent": options.user_agent()},
            method="GET",
        )
        try:
            with opener.open(request, timeout=options.timeout) as handle:
                body = _read_limited(handle, what)
                return Response(handle.geturl(), handle.status, _lower(handle.headers), body)
        except urllib.error.HTTPError as exc:
            status = exc.code
            headers = _lower(exc.headers or {})
            exc.close()
            if status in (301, 302, 303, 307, 308):
                location = headers.get("location")
                if not location:
                    raise NetworkError(
                        f"{what}: HTTP {status} redirect without a Location"
                    ) from None
                hops += 1
                if hops > options.max_redirects:
                    raise NetworkError(
                        f"{what}: too many redirects (more than {options.max_redirects})"
                    ) from None
                current = urllib.parse.urljoin(current, location)
                continue
            if status in RETRY_STATUSES and attempt < options.retries:
                wait = _retry_after(headers)
                if wait is None:
                    import random

                    wait = options.backoff * (2**attempt) * (1 + random.random() / 4)
                elif wait > options.max_retry_after:
                    raise NetworkError(
                        f"{what}: HTTP {status} from {_host(current)}; the server asks to wait "
                        f"{wait:.0f} s (more than {options.max_retry_after:.0f}); try later"
                    ) from None
                attempt += 1
                sleep(wait)
                continue
            raise NetworkError(_status_message(status, what, current)) from None
        except TimeoutError:
            raise NetworkError(
                f"{what}: no answer from {_host(current)} within {options.timeout:g} s (timeout)"
            ) from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, TimeoutError):
                raise NetworkError(
                    f"{what}: no answer from {_host(current)} within {options.timeout:g} s "
                    "(timeout)"
                ) from None
            text = getattr(reason, "strerror", None) or str(reason)
            raise NetworkError(f"{what}: cannot reach {_host(current)}: {text}") from None
        except (ConnectionResetError, http.client.RemoteDisconnected) as exc:
            if attempt < options.retries:  # dropped mid-answer: transient, like a 503
                sleep(options.backoff * (2**attempt))
                attempt += 1
                continue
            text = str(exc) or type(exc).__name__
            raise NetworkError(f"{what}: {_host(current)} dropped the connection: {text}") from None
        except (ConnectionError, OSError, http.client.HTTPException) as exc:
            text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
            raise NetworkError(f"{what}: connection to {_host(current)} failed: {text}") from None
        except ValueError as exc:  # a malformed URL
            raise NetworkError(f"{what}: bad URL {current!r}: {exc}") from None


def _read_limited(handle: Any, what: str) -> bytes:
    body: bytes = handle.read(MAX_BYTES + 1)
    if len(body) > MAX_BYTES:
        raise NetworkError(f"{what}: answer larger than {MAX_BYTES} bytes; refused")
    return body


def _lower(headers: Any) -> dict[str, str]:
    """Header names in lower case (servers and proxies write them either way)."""
    return {str(k).lower(): str(v) for k, v in headers.items()}


def _retry_after(headers: Mapping[str, str]) -> float | None:
    value = headers.get("retry-after")
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    import email.utils

    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def _host(url: str) -> str:
    import urllib.parse

    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else url


def _status_message(status: int, what: str, url: str) -> str:
    host = _host(url)
    if status == 404:
        return f"{what}: not found (HTTP 404 from {host})"
    if status == 406:
        return f"{what}: {host} offers no CSL-JSON for it (HTTP 406)"
    if status == 429:
        return f"{what}: rate-limited by {host} (HTTP 429); try again later or pass --mailto"
    if status >= 500:
        return f"{what}: server error at {host} (HTTP {status}); try again later"
    return f"{what}: HTTP {status} from {host}"


# --- DOI lookup -------------------------------------------------------------------------


def doi_url(doi: str, options: HttpOptions) -> str:
    import urllib.parse

    return f"{options.resolver_url()}/{urllib.parse.quote(doi, safe='/:;()')}"


def lookup(doi: str, options: HttpOptions | None = None) -> dict[str, Any]:
    """The CSL-JSON item (cleaned, see :func:`clean_item`) for ``doi``; cache first."""
    options = options or HttpOptions()
    norm = normalize_doi(doi)
    if not norm:
        raise NetworkError(f"not a DOI: {doi!r}")
    cache = options.cache()
    cached = cache.get(norm)
    if isinstance(cached, dict):
        return cached
    if options.offline:
        raise NetworkError(f"not in cache (offline): {norm}")
    url = doi_url(norm, options)
    response = get(url, f"{CSL_JSON}, application/json;q=0.5", options, what=norm)
    item = parse_csl(response, norm)
    cache.put(norm, item, response.url)
    return item


def parse_csl(response: Response, doi: str) -> dict[str, Any]:
    """The answer's body as one cleaned CSL-JSON item, or a one-line NetworkError."""
    kind = response.content_type or "no content type"
    try:
        data = json.loads(response.body.decode(response.charset or "utf-8", errors="replace"))
    except (ValueError, RecursionError):
        raise NetworkError(
            f"{doi}: the answer from {_host(response.url)} is not CSL-JSON ({kind}); "
            "its registration agency may not support content negotiation"
        ) from None
    if isinstance(data, list) and len(data) == 1:
        data = data[0]
    if not isinstance(data, dict) or not (data.get("title") or data.get("DOI")):
        raise NetworkError(f"{doi}: the answer from {_host(response.url)} is not a CSL-JSON item")
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
            value = _jats_to_text(value)
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
    out["DOI"] = normalize_doi(str(out.get("DOI") or doi)) or doi
    if out.get("type") not in CSL_TYPES:
        out["type"] = {"journal-article": "article-journal"}.get(str(out.get("type")), "article")
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


def _jats_to_text(text: str) -> str:
    """``<jats:p>Abstract</jats:p>`` → ``Abstract`` (paragraphs on separate lines)."""
    if "<" not in text:
        return text.strip()
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(
            re.sub(r"</?jats:", lambda m: m.group(0).replace("jats:", ""), text),
            create_parent="div",
        )
    except Exception:  # noqa: BLE001 - a broken abstract is kept as it came
        return text.strip()
    paragraphs = root.findall(".//p") or [root]
    parts = [re.sub(r"\s+", " ", p.text_content()).strip() for p in paragraphs]
    parts = [p for p in parts if p and p.lower() != "abstract"]
    return "\n\n".join(parts) if parts else text.strip()


def fetch_record(doi: str, options: HttpOptions | None = None) -> Record:
    """The :class:`Record` for ``doi`` (via :func:`lookup`)."""
    from dataclasses import replace

    from .csljson import ItemError, from_csl
    from .keys import make_key

    item = lookup(doi, options)
    try:
        record = from_csl(item)
    except (ItemError, ValueError) as exc:
        raise NetworkError(f"{doi}: the CSL-JSON answer is malformed: {exc}") from None
    return replace(record, id=make_key(record))
