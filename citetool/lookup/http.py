"""The one HTTP client every lookup goes through: deadline, retries, size limit, cache.

Every service citetool asks (the DOI resolver, Open Library, Google Books, NCBI, arXiv,
Crossref) is reached through :func:`get` and cached through :func:`cached`, so the rules
below hold for all of them, in one place:

* **Base URLs**: each service has an environment variable holding ``scheme://host[:port]``
  only (:data:`SERVICES`); the lookup adds the service's real path and query, so tests point
  every variable at one local server. A value with a path, query or another scheme is a
  one-line error naming the variable.
* **Deadline**: one request (connect + headers + body, redirects included) must finish
  within :attr:`HttpOptions.timeout` (15 s); the whole lookup, retries and waits included,
  within :attr:`HttpOptions.deadline` (30 s, ``$CITETOOL_HTTP_DEADLINE``). The clock is
  checked before every read from the socket, so a server that sends one byte a second is
  cut off at the deadline, not after minutes.
* **Retries**: 429, 500, 502, 503, 504 and a dropped connection are retried (3 times) with
  exponential backoff, honouring ``Retry-After`` when it fits in what is left of the
  deadline; a longer wait is a one-line error at once, not a hang.
* **Redirects**: followed by hand, at most :data:`MAX_REDIRECTS`, only to http(s) (never to
  ``file://`` or another scheme).
* **Size**: an answer (after gzip decompression, which is streamed with a bound) larger than
  :func:`answer_limit` bytes — 8 MiB, or ``$CITETOOL_MAX_INPUT_BYTES`` when set — is refused.
* **Charset**: an answer in an unknown charset is a clear error.
* **Cache**: one JSON file per key and service under ``$CITETOOL_CACHE_DIR`` (or the user
  cache dir); only values that were parsed and mapped are stored, never a failure. A cache
  entry that is not a regular file (a FIFO, a link to ``/dev/zero``), too large, not JSON or
  nested too deeply is a miss, and is replaced by the next answer. ``offline`` reads only
  the cache; ``refresh`` skips it (and writes the new answer).
* **Politeness**: ``User-Agent: citetool/<version> (+mailto:<contact>)``; a service may ask
  for a minimum interval between requests (arXiv: 3 s).

Every failure is a one-line :class:`~citetool.errors.NetworkError`.
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

from .. import __version__
from ..errors import NetworkError

DEFAULT_TIMEOUT = 15.0
DEFAULT_DEADLINE = 30.0
DEFAULT_RETRIES = 3
MAX_REDIRECTS = 10
MAX_BYTES = 8 * 1024 * 1024
#: cache entries larger than this are a miss (a looked-up item is a few kB)
MAX_CACHE_BYTES = 16 * 1024 * 1024
#: JSON nesting deeper than this (in an answer or a cache entry) is refused
MAX_JSON_DEPTH = 64
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class Service:
    """One web service: its base-URL variable, default base URL and the cache folder."""

    name: str
    variable: str
    default: str
    label: str
    #: seconds between two requests to it (arXiv asks for 3)
    interval: float = 0.0


SERVICES: dict[str, Service] = {
    s.name: s
    for s in (
        Service("doi", "CITETOOL_DOI_RESOLVER", "https://doi.org", "DOI resolver"),
        Service("isbn", "CITETOOL_ISBN_RESOLVER", "https://openlibrary.org", "Open Library"),
        Service(
            "isbn-fallback",
            "CITETOOL_ISBN_FALLBACK_RESOLVER",
            "https://www.googleapis.com",
            "Google Books",
        ),
        Service(
            "pubmed", "CITETOOL_PUBMED_RESOLVER", "https://pmc.ncbi.nlm.nih.gov", "NCBI"
        ),
        Service(
            "pubmed-fallback",
            "CITETOOL_PUBMED_FALLBACK_RESOLVER",
            "https://eutils.ncbi.nlm.nih.gov",
            "E-utilities",
        ),
        Service(
            "arxiv", "CITETOOL_ARXIV_RESOLVER", "https://export.arxiv.org", "arXiv", 3.0
        ),
        Service("crossref", "CITETOOL_CROSSREF_RESOLVER", "https://api.crossref.org", "Crossref"),
    )
}

_BASE_URL = re.compile(r"(?i)(https?)://([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::(\d{1,5}))?/?")


def base_url(value: str, variable: str) -> str:
    """``value`` as ``scheme://host[:port]`` (no trailing slash), or a one-line error."""
    s = value.strip()
    if not _BASE_URL.fullmatch(s):
        raise NetworkError(
            f"{variable} must be scheme://host[:port] only (http or https, no path), "
            f"got {value!r}"
        )
    return s.rstrip("/")


@dataclass(frozen=True)
class HttpOptions:
    """How citetool talks to the network (the CLI's --offline/--mailto/--doi-resolver/
    --refresh)."""

    resolver: str | None = None
    mailto: str | None = None
    offline: bool = False
    refresh: bool = False
    timeout: float = DEFAULT_TIMEOUT
    #: the whole lookup (every attempt and wait) must end within this many seconds
    deadline: float | None = None
    retries: int = DEFAULT_RETRIES
    backoff: float = 1.0
    max_retry_after: float | None = None
    max_redirects: int = MAX_REDIRECTS
    cache_dir: str | os.PathLike[str] | None = None
    #: base URLs by service name, over the environment (tests, the Python API)
    services: Mapping[str, str] = field(default_factory=dict, compare=False)
    #: injected for tests (``time.sleep`` otherwise)
    sleep: Callable[[float], None] | None = field(default=None, compare=False)

    def resolver_url(self) -> str:
        """The DOI resolver's base URL (``--doi-resolver`` may carry a path prefix)."""
        base = self.resolver or os.environ.get("CITETOOL_DOI_RESOLVER") or "https://doi.org"
        return base.rstrip("/")

    def service_url(self, name: str) -> str:
        """The base URL of service ``name`` (see :data:`SERVICES`)."""
        service = SERVICES[name]
        given = self.services.get(name)
        if given:
            return base_url(given, service.variable)
        env = os.environ.get(service.variable, "").strip()
        return base_url(env, service.variable) if env else service.default

    def total_deadline(self) -> float:
        if self.deadline is not None:
            return self.deadline
        raw = os.environ.get("CITETOOL_HTTP_DEADLINE", "").strip()
        try:
            value = float(raw) if raw else DEFAULT_DEADLINE
        except ValueError:
            value = DEFAULT_DEADLINE
        return value if 0 < value <= 3600 else DEFAULT_DEADLINE

    def contact(self) -> str:
        return self.mailto or os.environ.get("CITETOOL_MAILTO") or ""

    def user_agent(self) -> str:
        contact = self.contact()
        suffix = f" (+mailto:{contact})" if contact else " (+https://pypi.org/project/citetool/)"
        return f"citetool/{__version__}{suffix}"

    def cache(self, service: str = "doi") -> Cache:
        return Cache(cache_root(self.cache_dir) / service)

    def pause(self, seconds: float) -> None:
        (self.sleep or time.sleep)(seconds)


def cache_root(override: str | os.PathLike[str] | None = None) -> Path:
    """``override``, else ``$CITETOOL_CACHE_DIR``, else platformdirs' user cache dir."""
    if override:
        return Path(override)
    env = os.environ.get("CITETOOL_CACHE_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("citetool", appauthor=False))


def answer_limit() -> int:
    """The largest answer read: ``$CITETOOL_MAX_INPUT_BYTES`` when set, else 8 MiB."""
    raw = os.environ.get("CITETOOL_MAX_INPUT_BYTES", "").strip()
    if raw.isdigit() and len(raw) < 19 and int(raw) > 0:
        return int(raw)
    return MAX_BYTES


# --- JSON with bounds ---------------------------------------------------------------------


def json_depth_ok(text: str, limit: int = MAX_JSON_DEPTH) -> bool:
    """True when the brackets of ``text`` (outside strings) nest at most ``limit`` deep;
    checked before parsing, so that a hostile document cannot exhaust the stack."""
    depth = 0
    for token in re.finditer(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', text):
        ch = token.group(0)
        if ch in "[{":
            depth += 1
            if depth > limit:
                return False
        elif ch in "]}":
            depth -= 1
    return True


def loads_bounded(text: str) -> Any:
    """``json.loads`` after the depth check; ValueError on bad or too deeply nested JSON."""
    if not json_depth_ok(text):
        raise ValueError(f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None


# --- the cache ----------------------------------------------------------------------------


class Cache:
    """One JSON file per key: ``{"key", "fetched", "url", "value"}``; writes are atomic."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, key: str) -> Path:
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:40]
        return self.folder / f"{digest}.json"

    def get(self, key: str) -> Any | None:
        """The value stored for ``key``, or None (a miss) for anything unreadable."""
        data = _read_entry(self.path(key))
        if data is None:
            return None
        try:
            record = loads_bounded(data.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            return None
        if not isinstance(record, dict) or record.get("key") != key:
            return None
        return record.get("value")

    def put(self, key: str, value: Any, url: str = "") -> None:
        from ..io import write_text_atomic

        record = {
            "key": key,
            "fetched": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "url": url,
            "value": value,
        }
        path = self.path(key)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            if path.is_symlink() or (path.exists() and not path.is_file()):
                path.unlink()  # a link or a FIFO is replaced, never written through
            write_text_atomic(path, json.dumps(record, ensure_ascii=False))
        except Exception:  # noqa: BLE001 - a cache that cannot be written is not an error
            return


def _read_entry(path: Path) -> bytes | None:
    """The bytes of a cache file: a regular file (not followed through a link, opened
    without blocking, so a FIFO cannot hang us) of bounded size; else None."""
    import stat

    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_CACHE_BYTES:
            return None
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(MAX_CACHE_BYTES + 1)
        return data if len(data) <= MAX_CACHE_BYTES else None
    except OSError:
        return None
    finally:
        os.close(fd)


def cached(
    options: HttpOptions,
    service: str,
    key: str,
    produce: Callable[[], tuple[Any, str]],
    *,
    what: str | None = None,
) -> Any:
    """The cached value for ``key`` in ``service``'s cache, else ``produce()`` →
    ``(value, url)``, stored. ``offline``: a miss is an error; ``refresh``: always produce."""
    cache = options.cache(service)
    if not options.refresh:
        value = cache.get(key)
        if value is not None:
            return value
    if options.offline:
        raise NetworkError(f"not in cache (offline): {what or key}")
    value, url = produce()
    cache.put(key, value, url)
    return value


# --- HTTP ---------------------------------------------------------------------------------


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

    def codec(self, what: str = "") -> str:
        """The name of the codec the answer declares (UTF-8 when none); an unknown charset,
        or one that is not a text encoding (``rot13``), is a one-line error."""
        import codecs

        charset = self.charset or "utf-8"
        try:
            codec = codecs.lookup(charset)
        except LookupError:
            raise NetworkError(
                f"{what or self.url}: the answer from {host_of(self.url)} is in an unknown "
                f"charset {charset!r}"
            ) from None
        if not getattr(codec, "_is_text_encoding", True):
            raise NetworkError(
                f"{what or self.url}: the answer from {host_of(self.url)} declares "
                f"{charset!r}, which is not a text encoding"
            )
        return codec.name

    def text(self, what: str = "") -> str:
        """The body decoded with its charset (UTF-8 when none); an unknown charset or
        bytes that are not in it are a one-line error."""
        charset = self.codec(what)
        try:
            return self.body.decode(charset).lstrip("\ufeff")
        except UnicodeDecodeError as exc:
            raise NetworkError(
                f"{what or self.url}: the answer from {host_of(self.url)} is not valid "
                f"{charset} (byte {exc.start})"
            ) from None

    def json(self, what: str = "") -> Any:
        """The body as JSON (bounded depth), or a one-line error."""
        text = self.text(what)
        try:
            return loads_bounded(text)
        except ValueError as exc:
            raise NetworkError(
                f"{what or self.url}: the answer from {host_of(self.url)} is not JSON "
                f"({self.content_type or 'no content type'}): {exc}"
            ) from None


class _Deadline(Exception):
    """The request's time ran out."""


class _Budget:
    """The time a lookup may still take (every attempt, wait and redirect)."""

    def __init__(self, options: HttpOptions) -> None:
        self.options = options
        self.total = options.total_deadline()
        self.end = time.monotonic() + self.total

    def left(self) -> float:
        return self.end - time.monotonic()

    def request_end(self) -> float:
        return min(self.end, time.monotonic() + self.options.timeout)


_last_request: dict[str, float] = {}


def _keep_interval(options: HttpOptions, service: str | None) -> None:
    """Wait so that two requests to ``service`` are its ``interval`` apart."""
    interval = SERVICES[service].interval if service in SERVICES else 0.0
    if not interval:
        return
    now = time.monotonic()
    last = _last_request.get(str(service))
    if last is not None and now - last < interval:
        options.pause(interval - (now - last))
    _last_request[str(service)] = time.monotonic()


def get(
    url: str,
    accept: str,
    options: HttpOptions,
    what: str = "",
    *,
    service: str | None = None,
) -> Response:
    """GET ``url`` under the rules of this module; raise a one-line NetworkError.

    Returns the final 2xx answer; 404 and every other status are errors (``not found``
    for 404, so that callers can tell it from a failure)."""
    import random
    import urllib.parse

    what = what or url
    budget = _Budget(options)
    max_wait = options.max_retry_after
    hops = 0
    attempt = 0
    current = url
    while True:
        scheme = urllib.parse.urlsplit(current).scheme.lower()
        if scheme not in ("http", "https"):
            raise NetworkError(f"{what}: refusing to fetch a non-HTTP URL {current!r}")
        _keep_interval(options, service)
        try:
            status, headers, body = _request(current, accept, options, budget.request_end())
        except _Deadline:
            raise NetworkError(
                f"{what}: no complete answer from {host_of(current)} within "
                f"{min(options.timeout, budget.total):g} s (timeout)"
            ) from None
        except _Dropped as exc:
            wait = options.backoff * (2**attempt)
            if attempt < options.retries and wait < budget.left():
                attempt += 1
                options.pause(wait)
                continue
            raise NetworkError(
                f"{what}: {host_of(current)} dropped the connection: {exc}"
            ) from None
        except _Failed as exc:
            raise NetworkError(f"{what}: {exc.args[0].format(host=host_of(current))}") from None
        if status in (301, 302, 303, 307, 308):
            location = headers.get("location")
            if not location:
                raise NetworkError(f"{what}: HTTP {status} redirect without a Location")
            hops += 1
            if hops > options.max_redirects:
                raise NetworkError(
                    f"{what}: too many redirects (more than {options.max_redirects})"
                )
            target = urllib.parse.urljoin(current, location.strip())
            if urllib.parse.urlsplit(target).scheme.lower() not in ("http", "https"):
                raise NetworkError(
                    f"{what}: {host_of(current)} redirects to a non-HTTP URL {target[:200]!r}; "
                    "refused"
                )
            current = target
            continue
        if 200 <= status < 300:
            return Response(current, status, headers, body)
        if status in RETRY_STATUSES and attempt < options.retries:
            wait = _retry_after(headers)
            asked = wait is not None
            if wait is None:
                wait = options.backoff * (2**attempt) * (1 + random.random() / 4)
            limit = budget.left() if max_wait is None else min(max_wait, budget.left())
            if wait > limit and asked:
                raise NetworkError(
                    f"{what}: HTTP {status} from {host_of(current)}; the server asks to wait "
                    f"{wait:.0f} s, beyond citetool's {budget.total:.0f} s limit; try later"
                )
            if wait > limit:
                raise NetworkError(
                    f"{status_message(status, what, current)} (gave up after {attempt + 1} "
                    f"tries in {budget.total:g} s)"
                )
            attempt += 1
            options.pause(wait)
            continue
        if status == 404:
            raise NotFound(status_message(status, what, current))
        raise NetworkError(status_message(status, what, current))


class _Dropped(Exception):
    """The connection broke before a complete answer: worth another try."""


class _Failed(Exception):
    """A failure another try will not mend (``{host}`` in the message is filled in)."""


def _request(
    url: str, accept: str, options: HttpOptions, end: float
) -> tuple[int, dict[str, str], bytes]:
    """One GET, finished by ``end`` (time.monotonic()), body read with the size limit."""
    import http.client
    import socket
    import ssl
    import urllib.parse
    from functools import partial

    parts = urllib.parse.urlsplit(url)
    left = end - time.monotonic()
    if left <= 0:
        raise _Deadline
    try:
        port = parts.port
    except ValueError:
        raise _Failed(f"bad port in {url[:200]!r}") from None
    host = parts.hostname or ""
    if parts.scheme.lower() == "https":
        conn: http.client.HTTPConnection = http.client.HTTPSConnection(
            host, port, timeout=left, context=ssl.create_default_context()
        )
    else:
        conn = http.client.HTTPConnection(host, port, timeout=left)
    conn.response_class = partial(_DeadlineResponse, end=end)  # type: ignore[assignment]
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    try:
        conn.request(
            "GET",
            path,
            headers={
                "Accept": accept,
                "Accept-Encoding": "gzip",
                "User-Agent": options.user_agent(),
            },
        )
        response = conn.getresponse()
        headers = {str(k).lower(): str(v) for k, v in response.getheaders()}
        if response.status in (301, 302, 303, 307, 308) or not 200 <= response.status < 300:
            # the body of a redirect or an error is not needed: read a little, bounded
            try:
                response.read(65536)
            except (OSError, http.client.HTTPException, _Deadline):
                pass
            return response.status, headers, b""
        body = _read_body(response, headers)
        return response.status, headers, body
    except (TimeoutError, _Deadline):
        raise _Deadline from None
    except (ConnectionResetError, BrokenPipeError, http.client.RemoteDisconnected) as exc:
        raise _Dropped(str(exc) or type(exc).__name__) from None
    except http.client.IncompleteRead as exc:
        raise _Dropped(
            f"the answer was cut short after {len(exc.partial)} bytes"
        ) from None
    except ssl.SSLError as exc:
        raise _Failed(f"TLS error with {{host}}: {exc.reason or exc}") from None
    except (socket.gaierror, ConnectionRefusedError, OSError) as exc:
        text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        raise _Failed(f"cannot reach {{host}}: {text}") from None
    except (http.client.HTTPException, ValueError) as exc:
        text = str(exc) or type(exc).__name__
        raise _Failed(f"bad answer from {{host}}: {text[:200]}") from None
    finally:
        conn.close()


def _read_body(response: Any, headers: Mapping[str, str]) -> bytes:
    """The body, decompressed when gzip'd, refused when larger than :func:`answer_limit`."""
    import zlib

    limit = answer_limit()
    length = headers.get("content-length", "").strip()
    if length.isdigit() and len(length) < 19 and int(length) > limit:
        raise _Failed(f"the answer from {{host}} is larger than {limit} bytes; refused")
    encoding = headers.get("content-encoding", "").strip().lower()
    inflate = None
    if encoding in ("gzip", "x-gzip"):
        inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
    elif encoding not in ("", "identity"):
        raise _Failed(f"the answer from {{host}} is in an unsupported encoding {encoding!r}")
    out = bytearray()
    received = 0
    while True:
        chunk = response.read(65536)
        if not chunk:
            break
        received += len(chunk)
        if inflate is not None:
            try:
                chunk = inflate.decompress(chunk, limit + 1 - len(out))
            except zlib.error as exc:
                raise _Failed(f"the gzip answer from {{host}} is corrupt: {exc}") from None
            if inflate.unconsumed_tail:
                raise _Failed(
                    f"the answer from {{host}} inflates beyond {limit} bytes; refused"
                )
        out += chunk
        if len(out) > limit:
            raise _Failed(f"the answer from {{host}} is larger than {limit} bytes; refused")
    if length.isdigit() and received < int(length):
        raise _Dropped(f"the answer was cut short after {received} of {length} bytes")
    if inflate is not None and not inflate.eof:
        raise _Dropped("the gzip answer was cut short")
    return bytes(out)


def _deadline_reader(raw: Any, sock: Any, end: float) -> Any:
    import io

    class Reader(io.RawIOBase):
        """Socket reads that never wait past ``end``, however slowly the bytes come."""

        def readable(self) -> bool:
            return True

        def readinto(self, buffer: Any) -> int:
            left = end - time.monotonic()
            if left <= 0:
                raise _Deadline
            sock.settimeout(left)
            return int(raw.readinto(buffer))

        def close(self) -> None:
            raw.close()
            super().close()

    return io.BufferedReader(Reader())


def _response_class() -> type:
    import http.client

    class DeadlineResponse(http.client.HTTPResponse):
        def __init__(self, sock: Any, *args: Any, end: float, **kwargs: Any) -> None:
            super().__init__(sock, *args, **kwargs)
            # the socket file http.client made, read through a reader that sets the
            # socket's timeout to what is left of the deadline before every read
            self.fp = _deadline_reader(self.fp.detach(), sock, end)

    return DeadlineResponse


class _LazyResponse:
    """``http.client`` is imported only when a request is made."""

    _cls: type | None = None

    def __call__(self, sock: Any, *args: Any, end: float, **kwargs: Any) -> Any:
        if _LazyResponse._cls is None:
            _LazyResponse._cls = _response_class()
        return _LazyResponse._cls(sock, *args, end=end, **kwargs)


_DeadlineResponse = _LazyResponse()


def _retry_after(headers: Mapping[str, str]) -> float | None:
    value = headers.get("retry-after")
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value) if len(value) < 12 else float("inf")
    import email.utils

    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def host_of(url: str) -> str:
    import urllib.parse

    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else url


def status_message(status: int, what: str, url: str) -> str:
    host = host_of(url)
    if status == 404:
        return f"{what}: not found (HTTP 404 from {host})"
    if status == 406:
        return f"{what}: {host} offers no CSL-JSON for it (HTTP 406)"
    if status == 429:
        return f"{what}: rate-limited by {host} (HTTP 429); try again later or pass --mailto"
    if status >= 500:
        return f"{what}: server error at {host} (HTTP {status}); try again later"
    return f"{what}: HTTP {status} from {host}"


class NotFound(NetworkError):
    """The service answered that it has no such identifier (not a failure to reach it)."""


def is_not_found(exc: NetworkError) -> bool:
    return isinstance(exc, NotFound) or "not found (HTTP 404" in exc.message
