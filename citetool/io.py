"""The edges: reading sources (files, stdin) into text, and writing output atomically."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from .errors import Diagnostic, ReadError, WriteError

#: Refuse inputs larger than this many bytes (a guard against memory blow-ups).
MAX_INPUT_BYTES = 512 * 1024 * 1024


@dataclass
class Source:
    """A decoded input: its display name, its text and what decoding had to say."""

    name: str
    text: str
    path: Path | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)


def decode(data: bytes, name: str, encoding: str | None = None) -> tuple[str, list[Diagnostic]]:
    """Bytes to text: a forced encoding, else UTF-8 (BOM dropped), else a detected one."""
    diagnostics: list[Diagnostic] = []
    if encoding:
        try:
            return data.decode(encoding).lstrip("\ufeff"), diagnostics
        except LookupError:
            raise ReadError(f"unknown encoding {encoding!r}", name) from None
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise ReadError(
                f"not valid {encoding}: byte 0x{data[exc.start]:02x}", name, line
            ) from None
    if b"\x00" in data[:8192]:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16"), diagnostics
        raise ReadError(
            "binary data, not a text file (NUL bytes)",
            name,
            data[: data.index(b"\x00")].count(b"\n") + 1,
        )
    try:
        return data.decode("utf-8").lstrip("\ufeff"), diagnostics
    except UnicodeDecodeError as exc:
        bad_line = data[: exc.start].count(b"\n") + 1
    guess = _detect_encoding(data)
    if guess is None:
        raise ReadError(
            "not valid UTF-8 and no other encoding fits (use --encoding)", name, bad_line
        )
    diagnostics.append(
        Diagnostic.warning(
            f"not valid UTF-8 (line {bad_line}); read as {guess} (use --encoding to choose)", name
        )
    )
    return data.decode(guess, errors="replace"), diagnostics


def _detect_encoding(data: bytes) -> str | None:
    """Pick among the legacy encodings real exports use (EndNote on Windows: cp1250/cp1252)."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - dependency is declared
        return "cp1252"
    candidates = ["cp1250", "iso8859_2", "cp1252", "iso8859_1", "cp1251", "koi8_r", "mac_roman"]
    best = from_bytes(data[:200_000], cp_isolation=candidates).best()
    if best is None:
        return "cp1252"
    return str(best.encoding)


def read_source(spec: str, encoding: str | None = None, stdin: IO[bytes] | None = None) -> Source:
    """Read a file path, or ``-`` for standard input."""
    if spec == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        data = stream.read(MAX_INPUT_BYTES + 1)
        name = "<stdin>"
        path = None
    else:
        path = Path(spec)
        name = spec
        try:
            if path.is_dir():
                raise ReadError("is a directory, not a file", name)
            size = path.stat().st_size
            if size > MAX_INPUT_BYTES:
                raise ReadError(
                    f"file too large ({size} bytes; the limit is {MAX_INPUT_BYTES})", name
                )
            data = path.read_bytes()
        except FileNotFoundError:
            raise ReadError("no such file", name) from None
        except PermissionError:
            raise ReadError("permission denied", name) from None
        except IsADirectoryError:
            raise ReadError("is a directory, not a file", name) from None
        except OSError as exc:
            raise ReadError(exc.strerror or str(exc), name) from None
    if len(data) > MAX_INPUT_BYTES:
        raise ReadError(f"input too large (over {MAX_INPUT_BYTES} bytes)", name)
    text, diagnostics = decode(data, name, encoding)
    return Source(name=name, text=text, path=path, diagnostics=diagnostics)


@contextmanager
def atomic_writer(path: str | os.PathLike[str], encoding: str = "utf-8") -> Iterator[IO[str]]:
    """Write to a temporary file beside ``path``; rename over it only on success.

    An exception (or Ctrl-C) inside the block leaves an existing file untouched and no
    temporary file behind.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise WriteError(exc.strerror or str(exc), str(target)) from None
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        if target.exists():
            try:
                os.chmod(tmp, target.stat().st_mode & 0o7777)
            except OSError:
                pass
        else:
            os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text_atomic(path: str | os.PathLike[str], text: str) -> None:
    with atomic_writer(path) as handle:
        handle.write(text)
