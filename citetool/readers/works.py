"""Reading files of JSON works (Crossref, OpenAlex): one loop for every shape.

A file holds one work, an API envelope (``{"status":"ok","message":{...}}``,
``{"message":{"items":[...]}}``, ``{"meta":...,"results":[...]}``), a dump
(``{"items":[...]}``), a JSON array of works, or JSON Lines (one work, or one envelope, per
line: the Crossref data file since 2026 and the OpenAlex snapshot). Each format gives a
:class:`WorkFormat`: how to find the works in a parsed JSON value and how to map one work;
:func:`read_works` does the rest, so both formats read every shape the same way.

A work that cannot be mapped, or a JSON Lines line that is not JSON, is reported with its
line and skipped; the others are kept. ``line_offset`` shifts reported lines (a chunk of a
longer JSON Lines file, read apart).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import Diagnostic, ReadError
from ..model import Record
from ..registry import ReadResult

#: The keys under which envelopes list their works.
LIST_KEYS = ("items", "results")


@dataclass(frozen=True)
class WorkFormat:
    #: "Crossref", "OpenAlex": for messages
    label: str
    #: the works in a parsed JSON value, or None when the value holds none of this format
    works: Callable[[Any], list[Any] | None]
    #: one work → a Record (ValueError/TypeError/KeyError when it is not one)
    read_work: Callable[..., Record]

    def read(self, text: str, source: str = "<stdin>", **options: Any) -> ReadResult:
        """The reader contract of :mod:`citetool.registry`."""
        return read_works(self, text, source, **options)


def read_works(
    fmt: WorkFormat, text: str, source: str, *, line_offset: int = 0, **options: Any
) -> ReadResult:
    """All works in ``text`` as records, with a diagnostic per skipped work or line."""
    if not text.strip():
        raise ReadError(f"empty input, expected {fmt.label} works", source)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        if _json_lines_likely(text, exc):
            return _read_lines(fmt, text, source, line_offset, options)
        raise ReadError(
            f"invalid JSON: {exc.msg} (column {exc.colno})", source, exc.lineno + line_offset
        ) from None
    except RecursionError:
        raise ReadError("invalid JSON: nested too deeply", source) from None
    works = fmt.works(data)
    if works is None:
        raise ReadError(f"no {fmt.label} work here: {_shape(data)}", source, 1 + line_offset)
    result = ReadResult()
    lines: list[int] | None = None
    for index, work in enumerate(works):
        try:
            result.records.append(fmt.read_work(work, index=index, **options))
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            if lines is None:
                lines = work_lines(text)
            line = lines[index] + line_offset if index < len(lines) else None
            result.diagnostics.append(
                Diagnostic.error(f"{fmt.label} work {index + 1}: {exc}; skipped", source, line)
            )
    return result


def _json_lines_likely(text: str, exc: json.JSONDecodeError) -> bool:
    """JSON Lines: a second value after the first (``Extra data``), or a bad first line
    followed by more lines that start like JSON values."""
    if exc.msg == "Extra data":
        return True
    return text.lstrip().startswith("{") and "\n{" in text


def _read_lines(
    fmt: WorkFormat, text: str, source: str, line_offset: int, options: Mapping[str, Any]
) -> ReadResult:
    result = ReadResult()
    index = 0
    for number, line in enumerate(text.splitlines(), 1 + line_offset):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            result.diagnostics.append(
                Diagnostic.error(
                    f"invalid JSON: {exc.msg} (column {exc.colno}); line skipped", source, number
                )
            )
            continue
        except RecursionError:
            result.diagnostics.append(
                Diagnostic.error("invalid JSON: nested too deeply; line skipped", source, number)
            )
            continue
        works = fmt.works(value)
        if works is None:
            result.diagnostics.append(
                Diagnostic.error(
                    f"no {fmt.label} work on this line: {_shape(value)}; skipped", source, number
                )
            )
            continue
        for work in works:
            try:
                result.records.append(fmt.read_work(work, index=index, **options))
            except (ValueError, TypeError, KeyError, AttributeError) as exc:
                result.diagnostics.append(
                    Diagnostic.error(f"{fmt.label} work: {exc}; skipped", source, number)
                )
            index += 1
    return result


def _shape(value: Any) -> str:
    if isinstance(value, Mapping):
        keys = ", ".join(list(map(str, value))[:5])
        return f"an object with keys {keys}" if keys else "an empty object"
    return f"a {type(value).__name__}"


def works_in(data: Any, list_key: str, work_keys: tuple[str, ...]) -> list[Any] | None:
    """A JSON array of works, the array under ``list_key``, or one work (an object with
    one of ``work_keys``); None for anything else."""
    if isinstance(data, list):
        return data
    if not isinstance(data, Mapping):
        return None
    if isinstance(data.get(list_key), list):
        return list(data[list_key])
    if any(k in data for k in work_keys):
        return [data]
    return None


_TOKENS = re.compile(r'"(?:[^"\\\n]|\\.)*"|[\[\]{},:\n]|[^\s\[\]{},:"]+')


def work_lines(text: str) -> list[int]:
    """Lines where the works start: the items of the top-level array, or of the array
    under ``items``/``results`` (at any depth of an envelope), or the single top-level
    object. Used only for messages, so a regex scan, not a second parse."""
    lines: list[int] = []
    line = 1
    depth = 0
    list_depth: int | None = None  # the depth inside the works array
    expect = False  # the next token inside the works array starts an item
    last_key = ""
    previous = ""
    for match in _TOKENS.finditer(text):
        token = match.group()
        if token == "\n":
            line += 1
            continue
        if expect and token != "]":
            lines.append(line)
        expect = False
        line += token.count("\n")  # only a malformed string spans lines
        if token in "[{":
            if (
                token == "["
                and list_depth is None
                and (depth == 0 or (previous == ":" and last_key in LIST_KEYS))
            ):
                list_depth = depth + 1
                expect = True
            depth += 1
        elif token in "]}":
            depth -= 1
            if list_depth is not None and depth < list_depth:
                break
        elif token == "," and depth == list_depth:
            expect = True
        elif token.startswith('"'):
            last_key = token[1:-1]
        previous = token
    if list_depth is None and text.lstrip().startswith("{"):
        return [text[: len(text) - len(text.lstrip())].count("\n") + 1]
    return lines
