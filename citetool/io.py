"""The edges: reading sources (files, stdin) into text, and writing output atomically."""

from __future__ import annotations

import codecs
import os
import re
import sys
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import IO, Any

from .errors import Diagnostic, ReadError, WriteError

#: Refuse inputs larger than this many bytes, so that memory stays bounded: readers hold
#: the whole text and its records (a 50 MB .bib peaks near 1 GB, so 100 MiB near 2 GB);
#: the environment variable ``CITETOOL_MAX_INPUT_BYTES`` sets another limit.
MAX_INPUT_BYTES = 100 * 1024 * 1024


def path_text(spec: str) -> str:
    """``spec`` as ``str(pathlib.PurePosixPath(spec))`` spells it: repeated and trailing
    slashes and ``.`` parts dropped (``dois.txt/`` is ``dois.txt``), ``""`` is ``"."``. The
    callers keep pathlib's reading of a path without importing it (with urllib.parse and
    ipaddress behind it, ~2 ms of start-up)."""
    parts = "/".join(part for part in spec.split("/") if part not in ("", "."))
    if spec.startswith("/"):  # POSIX keeps two leading slashes; one, or three and more, are one
        return ("//" if spec.startswith("//") and not spec.startswith("///") else "/") + parts
    return parts or "."


def max_input_bytes() -> int:
    raw = os.environ.get("CITETOOL_MAX_INPUT_BYTES", "").strip()
    if raw.isdigit() and raw.strip("0"):
        # 19 digits or more is beyond any file (and beyond what read() takes): no limit
        return int(raw) if len(raw) < 19 else 10**18
    return MAX_INPUT_BYTES


class Source:
    """A decoded input: its display name, its text and what decoding had to say. (A plain
    class: a dataclass is ~0.4 ms to create at the start of every reading command.)"""

    __slots__ = ("name", "text", "path", "diagnostics")

    def __init__(self, name: str, text: str, path: str | None = None,
                 diagnostics: list[Diagnostic] | None = None) -> None:
        self.name = name
        self.text = text
        self.path = path
        self.diagnostics: list[Diagnostic] = [] if diagnostics is None else diagnostics


def decode(data: bytes, name: str, encoding: str | None = None) -> tuple[str, list[Diagnostic]]:
    """Bytes to text: a forced encoding, else UTF-8 (BOM dropped), else a detected one.

    Binary files (images, PDFs, archives) are refused; a few stray NUL bytes are removed
    with a warning; UTF-8 with a few broken bytes is read as UTF-8 (the bytes replaced by
    U+FFFD) rather than misread as a legacy encoding; text in no UTF at all is read in the
    legacy encoding that fits best, with a warning naming it. A DOS end-of-file mark
    (Ctrl-Z) at the very end, left by old Windows exports, is dropped.
    """
    if data.startswith(b"\x1f\x8b"):  # gzip: read transparently (works.jsonl.gz, part_000.gz)
        data = gunzip(data, name, max_input_bytes())
    kind = _binary_kind(data)
    if kind:
        raise ReadError(f"binary file ({kind}), not bibliographic text", name)
    stripped = data.rstrip(b"\r\n\t ")
    if stripped.endswith(b"\x1a") and b"\x00" not in stripped[-64:]:  # not UTF-16/32
        data = stripped[:-1] + b"\n"
    if encoding:
        return _decode_forced(data, name, encoding)
    diagnostics: list[Diagnostic] = []
    for bom, codec in _UTF_BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec), diagnostics
            except UnicodeDecodeError as exc:
                raise ReadError(
                    f"not valid {codec.upper()} despite its byte-order mark", name
                ) from exc
    nuls = data.count(b"\x00")
    if nuls:
        utf16 = _bomless_utf16(data)
        if utf16:
            try:
                return data.decode(utf16), diagnostics
            except UnicodeDecodeError:
                pass
        first = data[: data.index(b"\x00")].count(b"\n") + 1
        if nuls * 100 > len(data):
            raise ReadError("binary data, not a text file (NUL bytes)", name, first)
        data = data.replace(b"\x00", b"")
        diagnostics.append(
            Diagnostic.warning(f"{nuls} NUL byte(s) removed (the first on this line)", name, first)
        )
    try:
        return data.decode("utf-8"), diagnostics
    except UnicodeDecodeError as exc:
        bad_line = data[: exc.start].count(b"\n") + 1
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    good = len(text) - len(text.encode("ascii", "ignore")) - text.count("\ufffd")
    bad_spots = 0
    for _ in re.finditer("\ufffd+", text):  # runs of bad bytes, counted only up to `good`
        bad_spots += 1
        if bad_spots > good:
            break
    if good >= bad_spots:
        # mostly UTF-8 (its non-ASCII letters decode): a few corrupt bytes, not another encoding
        diagnostics.append(
            Diagnostic.warning(
                f"not valid UTF-8 (first bad byte on this line): read as UTF-8 with {bad} "
                "invalid byte(s) replaced by U+FFFD (use --encoding to choose another encoding)",
                name,
                bad_line,
            )
        )
        return text, diagnostics
    guess = _detect_encoding(data)
    diagnostics.append(
        Diagnostic.warning(
            f"not valid UTF-8 (first bad byte on this line); read as {guess} "
            "(use --encoding to choose another encoding)",
            name,
            bad_line,
        )
    )
    return data.decode(guess, errors="replace"), diagnostics


def gunzip(data: bytes, name: str, limit: int) -> bytes:
    """A gzip file's content (every member, as ``zcat`` gives it), refused past ``limit``
    bytes (a decompression bomb stops there) or when the file is broken or cut short."""
    import zlib

    out = bytearray()
    pending = data
    try:
        while pending:
            inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
            out += inflater.decompress(pending, limit + 1 - len(out))
            while inflater.unconsumed_tail and len(out) <= limit:
                out += inflater.decompress(inflater.unconsumed_tail, limit + 1 - len(out))
            if len(out) > limit:
                raise ReadError(
                    f"input too large once decompressed (over {limit} bytes; set "
                    "CITETOOL_MAX_INPUT_BYTES to change it)",
                    name,
                )
            if not inflater.eof:
                raise ReadError("gzip file cut short (truncated)", name)
            pending = inflater.unused_data.lstrip(b"\x00")  # the next member, if any
    except zlib.error as exc:
        raise ReadError(f"not a valid gzip file: {exc}", name) from None
    return bytes(out)


# Expressions only some inputs need are compiled on first use (functools.cache): compiled at
# import they were start-up work of every reading command, a one-record UTF-8 cite included.
@cache
def _non_ascii_line() -> re.Pattern[bytes]:
    return re.compile(rb"[^\n]{0,2000}[\x80-\xff][^\n]{0,2000}")


_UTF_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)

_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive or office document"),
    (b"\x1f\x8b", "gzip archive"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"\x7fELF", "executable"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old Microsoft Office document"),
)


def _binary_kind(data: bytes) -> str | None:
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            if magic == b"BZh" and not data[3:4].isdigit():
                continue
            return kind
    return None


def _bomless_utf16(data: bytes) -> str | None:
    """``utf-16-le``/``-be`` when NULs sit in every other byte (ASCII text in UTF-16)."""
    head = data[:4096]
    if len(head) < 4:
        return None
    even = head[0::2].count(0)
    odd = head[1::2].count(0)
    half = len(head) // 2
    if odd > 0.6 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.6 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def text_encoding_problem(encoding: str) -> str | None:
    """Why ``encoding`` cannot decode text (unknown, or a bytes-to-bytes codec such as
    rot13 or base64), or None when it can."""
    try:
        info = codecs.lookup(encoding)
    except (LookupError, ValueError, TypeError):
        return f"unknown encoding {encoding!r}"
    if not getattr(info, "_is_text_encoding", True):
        return f"{encoding!r} is not a text encoding (a codec for bytes, such as rot13 or base64)"
    return None


def _decode_forced(data: bytes, name: str, encoding: str) -> tuple[str, list[Diagnostic]]:
    problem = text_encoding_problem(encoding)
    if problem:
        raise ReadError(f"{problem} (see --encoding)", name)
    try:
        return data.decode(encoding).lstrip("\ufeff"), []
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ReadError(
            f"not valid {encoding}: byte 0x{data[exc.start]:02x} (try another --encoding)",
            name,
            line,
        ) from None


#: Legacy encodings real exports use (EndNote on Windows: cp1250/cp1252), best first on ties.
_CANDIDATES = ("cp1252", "cp1250", "iso8859_2", "cp1251", "koi8_r", "mac_roman")


@cache
def _word() -> re.Pattern[str]:
    return re.compile(r"[^\s\"'`{}()\[\]<>,.;:!?=/\\&%#@~|+*^$_\-\d]+")


def _detect_encoding(data: bytes) -> str:
    """The candidate encoding under which the non-ASCII text reads most like words.

    Statistical detectors guess wrong on short records (a cp1250 ``Paweł`` read as cp1252
    gives ``Pawe³``), so score what each candidate makes of the non-ASCII bytes: a letter
    inside a word scores; a symbol inside a word (``³``, ``±``), a control character, an
    upper-case letter after a lower-case one, a non-Latin letter inside a Latin word, or a
    Latin word made mostly of accented letters counts against.
    """
    lines = []
    for match in _non_ascii_line().finditer(data):
        lines.append(match.group())
        if len(lines) >= 1000:
            break
    sample = b"\n".join(lines)[:64_000]
    best, best_score = _CANDIDATES[0], float("-inf")
    for candidate in _CANDIDATES:
        try:
            text = sample.decode(candidate)
        except UnicodeDecodeError:
            continue
        score = _plausibility(text)
        if score > best_score:
            best, best_score = candidate, score
    return best


def _plausibility(text: str) -> float:
    score = 0.0
    for ch in text:
        if ord(ch) > 127 and unicodedata.category(ch) in ("Cc", "Cn", "Co"):
            score -= 10
    for word in _word().findall(text):
        if word.isascii():
            continue
        letters = 0
        accented = 0
        latin = True
        has_ascii = any(ch.isascii() and ch.isalpha() for ch in word)
        prev = ""
        for ch in word:
            cat = unicodedata.category(ch)
            if cat.startswith("L"):
                letters += 1
                if ord(ch) > 127:
                    accented += 1
                    score += 1
                    if ch.isupper() and prev.islower():
                        score -= 2
                    if not unicodedata.name(ch, "").startswith("LATIN"):
                        latin = False
                        if has_ascii:  # a Cyrillic letter inside a Latin word
                            score -= 4
            elif ord(ch) > 127 and cat[0] in "SNP":
                score -= 3
            prev = ch
        if latin and letters >= 4 and accented * 2 > letters:
            score -= 3
    return score


def read_bounded(path: str | os.PathLike[str], limit: int | None = None, *,
                 regular: bool = False, what: str = "input") -> bytes:
    """At most ``limit`` bytes of ``path`` (default :func:`max_input_bytes`), or a ReadError.

    The one reader for files citetool is given: input files, styles, caches. A directory
    is refused; with ``regular`` so is anything but a regular file (a FIFO, ``/dev/zero``,
    a socket), checked before opening so that a FIFO without a writer cannot hang the run.
    Otherwise a FIFO or character device is read up to the limit (``<(curl ...)`` works),
    never whole."""
    import stat

    hint = "; set CITETOOL_MAX_INPUT_BYTES to change it" if limit is None else ""
    limit = max_input_bytes() if limit is None else limit
    name = str(path)
    try:
        mode = os.stat(path).st_mode
        if stat.S_ISDIR(mode):
            raise ReadError("is a directory, not a file", name)
        if regular and not stat.S_ISREG(mode):
            raise ReadError(f"not a regular file ({_kind(mode)}); refused as {what}", name)
        size = os.stat(path).st_size
        if stat.S_ISREG(mode) and size > limit:
            raise ReadError(f"too large for {what} ({size} bytes; the limit is {limit}{hint})",
                            name)
        flags = os.O_RDONLY | (os.O_NONBLOCK if regular else 0)
        fd = os.open(path, flags)
        with os.fdopen(fd, "rb") as handle:
            if regular and not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise ReadError(f"not a regular file; refused as {what}", name)
            data = read_upto(handle, limit)
    except FileNotFoundError:
        raise ReadError("no such file", name) from None
    except PermissionError:
        raise ReadError("permission denied", name) from None
    except IsADirectoryError:
        raise ReadError("is a directory, not a file", name) from None
    except OSError as exc:
        raise ReadError(exc.strerror or str(exc), name) from None
    if len(data) > limit:
        raise ReadError(f"too large for {what} (over {limit} bytes{hint})", name)
    return data


def read_upto(stream: IO[bytes], limit: int) -> bytes:
    """Up to ``limit`` + 1 bytes of ``stream`` (one more than allowed tells it is too long),
    read in chunks: ``read(limit + 1)`` would allocate the whole limit at once."""
    chunks = []
    left = limit + 1
    while left > 0:
        chunk = stream.read(min(left, 1 << 24))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _kind(mode: int) -> str:
    import stat

    for test, kind in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return kind
    return "a special file"


def read_source(spec: str, encoding: str | None = None, stdin: IO[bytes] | None = None) -> Source:
    """Read a file path, or ``-`` for standard input (both bounded, see :func:`read_bounded`)."""
    if spec == "-":
        limit = max_input_bytes()
        stream = stdin if stdin is not None else sys.stdin.buffer
        data = read_upto(stream, limit)
        if len(data) > limit:
            raise ReadError(
                f"input too large (over {limit} bytes; set CITETOOL_MAX_INPUT_BYTES to change "
                "it)", "<stdin>")
        name = "<stdin>"
        path = None
    else:
        data = read_bounded(spec)
        name = spec
        path = spec
    text, diagnostics = decode(data, name, encoding)
    return Source(name=name, text=text, path=path, diagnostics=diagnostics)


@contextmanager
def atomic_writer(path: str | os.PathLike[str], encoding: str = "utf-8") -> Iterator[IO[str]]:
    """Write ``-o FILE``: a regular file atomically, a FIFO or device in place.

    A regular (or new) file is written to a temporary file beside ``path`` and renamed over
    it only on success: an exception, Ctrl-C or a SIGTERM/SIGHUP inside the block leaves an
    existing file untouched and no temporary file behind. A symlink is written through (its
    target is replaced, the link stays). A FIFO, a character device (``/dev/null``,
    ``/dev/stdout`` on a terminal) or a socket is opened and written in place, never replaced,
    as the shell's ``>`` does. OS failures (a path too long, a directory in the way, disk
    full, a pipe whose reader left) become :class:`WriteError`: one line, exit 1.
    """
    import stat

    shown = _shown(path)
    try:
        mode: int | None = os.stat(path).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:  # too long, a loop of links, a file where a folder should be
        raise WriteError(f"cannot write here: {exc.strerror or exc}", shown) from None
    if mode is not None and stat.S_ISDIR(mode):
        raise WriteError("is a directory", shown)
    if mode is not None and stat.S_ISBLK(mode):
        raise WriteError("is a block device; refused", shown)
    if mode is not None and not stat.S_ISREG(mode):
        with _in_place(path, shown, encoding) as handle:
            yield handle
        return
    target = os.path.realpath(path)
    folder, name = os.path.split(target)
    import tempfile  # here: tempfile (random, shutil ...) is ~3 ms of start-up

    with _termination_raises():
        try:
            fd, tmp = tempfile.mkstemp(prefix=f".{name[:100]}.", suffix=".tmp",
                                       dir=folder)
        except OSError as exc:
            raise WriteError(f"cannot write here: {exc.strerror or exc}", shown) from None
        try:
            try:
                with os.fdopen(fd, "w", encoding=encoding, newline="") as handle:
                    yield handle
                    handle.flush()
                    os.fsync(handle.fileno())
                if os.path.exists(target):
                    try:
                        os.chmod(tmp, os.stat(target).st_mode & 0o7777)
                    except OSError:
                        pass
                else:
                    os.chmod(tmp, 0o666 & ~_umask())
                os.replace(tmp, target)
            except OSError as exc:
                raise WriteError(
                    f"write failed: {exc.strerror or exc}; the file was left unchanged", shown
                ) from None
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise


@contextmanager
def _in_place(path: str | os.PathLike[str], shown: str, encoding: str) -> Iterator[IO[str]]:
    """A FIFO or device opened for writing as it is (no temporary file, no rename)."""
    try:
        fd = os.open(path, os.O_WRONLY | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise WriteError(f"cannot write here: {exc.strerror or exc}", shown) from None
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as handle:
            yield handle
            handle.flush()
    except BrokenPipeError:
        raise WriteError("write failed: the reader of the pipe went away", shown) from None
    except OSError as exc:
        raise WriteError(f"write failed: {exc.strerror or exc}", shown) from None


def _shown(path: str | os.PathLike[str]) -> str:
    """A path as messages show it: a very long one shortened, so the message stays a line."""
    text = str(path)
    return text if len(text) <= 200 else f"{text[:80]}...{text[-80:]} ({len(text)} characters)"


def write_stdout(text: str) -> None:
    """Data to standard output: a closed stdout or a full disk is a WriteError (one line,
    exit 1); a reader that left (``| head``) ends the run silently, as ``cat`` does."""
    stream = sys.stdout
    if stream is None:
        raise WriteError("standard output is closed; nothing written", "<stdout>")
    try:
        stream.write(text)
        stream.flush()
    except BrokenPipeError:
        quiet_stdout()
        raise SystemExit(0) from None
    except OSError as exc:
        quiet_stdout()
        raise WriteError(f"write failed: {exc.strerror or exc}", "<stdout>") from None
    except ValueError:  # closed by someone else
        raise WriteError("standard output is closed; nothing written", "<stdout>") from None


def quiet_stdout() -> None:
    """Point file descriptor 1 at /dev/null, so that Python's final flush of what is still
    buffered cannot fail again (and print "Exception ignored ...") at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        if devnull != 1:  # with fd 1 closed, the new descriptor is 1 itself
            os.dup2(devnull, 1)
            os.close(devnull)
    except OSError:
        pass


def _raise_exit(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)


@contextmanager
def _termination_raises() -> Iterator[None]:
    """While writing, SIGTERM and SIGHUP raise SystemExit (so the temporary file is removed)
    instead of killing the process on the spot; the old handlers come back afterwards."""
    import signal
    import threading

    names = ("SIGTERM", "SIGHUP")
    previous: dict[int, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for name in names:
            number = getattr(signal, name, None)
            if number is None:
                continue
            try:
                if signal.getsignal(number) is signal.SIG_DFL:
                    previous[number] = signal.signal(number, _raise_exit)
            except (OSError, ValueError):
                pass
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text_atomic(path: str | os.PathLike[str], text: str) -> None:
    with atomic_writer(path) as handle:
        handle.write(text)
