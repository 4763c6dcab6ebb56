"""CSL-JSON and CSL-YAML readers.

A top-level array of items, a single item object, or (YAML) pandoc's ``references:`` list.
An item whose shape is wrong is reported with its line and skipped; the others are kept.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ..csljson import ItemError, from_csl
from ..errors import Diagnostic, ReadError
from ..registry import NoStitch, ReadResult


def read(text: str, source: str = "<stdin>", **_: Any) -> ReadResult:
    if not text.strip():
        raise ReadError("empty input, expected CSL-JSON", source)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReadError(
            f"invalid JSON: {exc.msg} (column {exc.colno})", source, exc.lineno
        ) from None
    except RecursionError:
        raise ReadError("invalid JSON: nested too deeply", source) from None
    return _items(data, source, lambda: _item_lines(text))


def read_yaml(text: str, source: str = "<stdin>", **_: Any) -> ReadResult:
    import yaml

    if not text.strip():
        raise ReadError("empty input, expected CSL-YAML", source)
    try:
        data = yaml.load(text, Loader=_yaml_loader())  # a SafeLoader subclass
    except (ValueError, TypeError, OverflowError) as exc:  # e.g. !!timestamp 2020-13-45
        raise ReadError(f"invalid YAML value: {exc}", source) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or "syntax error"
        raise ReadError(f"invalid YAML: {problem}", source, line) from None
    except RecursionError:
        raise ReadError("invalid YAML: nested too deeply", source) from None
    if isinstance(data, dict) and "references" in data:
        data = data["references"]
    budget = [10 * len(text) + 10_000]  # nodes; YAML aliases can make a tree exponential
    return _items(_plain(data, budget, source), source, lambda: _yaml_item_lines(text))


def _yaml_loader() -> Any:
    """yaml's SafeLoader, but dates stay strings (``issued: 2020-13-45`` is CSL's to judge,
    not a crash in the YAML timestamp constructor)."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.yaml_implicit_resolvers = {
        key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return Loader


def _plain(value: Any, budget: list[int], source: str) -> Any:
    """YAML gives dates as ``datetime.date``; CSL wants strings. Aliases are expanded here,
    so a "billion laughs" of nested aliases is refused once it outgrows the text."""
    import datetime

    budget[0] -= 1
    if budget[0] < 0:
        raise ReadError("YAML aliases expand too far (an alias bomb?); refused", source)
    if isinstance(value, dict):
        return {str(k): _plain(v, budget, source) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v, budget, source) for v in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()[:10]
    return value


def _yaml_item_lines(text: str) -> list[int]:
    """Line numbers of the items of the top-level (or ``references:``) list."""
    import yaml

    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except (yaml.YAMLError, RecursionError):
        return []
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if getattr(key, "value", None) == "references":
                node = value
                break
        else:
            return [node.start_mark.line + 1]
    if isinstance(node, yaml.SequenceNode):
        return [item.start_mark.line + 1 for item in node.value]
    return []


def _items(
    data: Any, source: str, find_lines: Callable[[], list[int]], start: int = 0
) -> ReadResult:
    """Records from the items; a wrong item is an error on its line (found only when
    needed) and is skipped. ``start``: the index of the first item (for a batch of a
    longer list, :data:`CHUNKER`)."""
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise ReadError(f"expected a list of CSL items, found a {type(data).__name__}", source, 1)
    result = ReadResult()
    lines: list[int] | None = None
    for index, item in enumerate(data, start):
        try:
            result.records.append(from_csl(item, index))
            continue
        except ItemError as exc:
            message = f"{exc}; item skipped"
        except (ValueError, TypeError) as exc:
            message = f"item {index + 1}: {exc}; item skipped"
        if lines is None:
            lines = find_lines()
        line = lines[index] if index < len(lines) else None
        result.diagnostics.append(Diagnostic.error(message, source, line))
    return result


#: CSL-JSON shorter than this is read whole (one batch of its reader's own making)
JSON_WHOLE_BELOW = 1_000_000


@dataclass
class _Chunk:
    """Items ``start`` ... of the top-level array (parsed once, handed out a slice at a time),
    where they end in the text (proportionally), the lazily found item lines."""

    items: list[Any]
    start: int
    end: int
    lines: _Lines


class _Lines:
    def __init__(self, text: str) -> None:
        self.text = text
        self.found: list[int] | None = None

    def __call__(self) -> list[int]:
        if self.found is None:
            self.found = _item_lines(self.text)
        return self.found


class CsljsonChunker:
    """A long top-level array parsed once (compact) and made records a batch at a time. Not
    for workers: the items are already in memory here."""

    parallel = False

    def split(self, text: str, source: str, size: int) -> Iterator[_Chunk] | None:
        if len(text) < JSON_WHOLE_BELOW or not text.lstrip().startswith("["):
            return None
        try:
            data = json.loads(text)
        except (json.JSONDecodeError, RecursionError):
            return None  # the reader's own message
        if not isinstance(data, list) or not data:
            return None
        return self._chunks(data, text, size)

    def _chunks(self, data: list[Any], text: str, size: int) -> Iterator[_Chunk]:
        total = len(data)
        lines = _Lines(text)
        for start in range(0, total, size):
            end = min(start + size, total)
            yield _Chunk(data[start:end], start, len(text) * end // total, lines)
            data[start:end] = [None] * (end - start)  # let the items go once they are records

    def read(self, chunk: _Chunk, source: str) -> ReadResult:
        return _items(chunk.items, source, chunk.lines, chunk.start)

    def stitch(self, text: str, source: str) -> NoStitch:
        return NoStitch()  # nothing spans items


CHUNKER = CsljsonChunker()


_TOKENS = re.compile(r'"(?:[^"\\\n]|\\.)*"|[\[\]{},\n]|[^\s\[\]{},"]+')


def _item_lines(text: str) -> list[int]:
    """Line numbers where the top-level items start (used for messages).

    Every item counts (an object, a string, a number ...), so that the line of a wrong
    item is right; a single top-level object is item 1 on its own line. A regex scan, so
    50 MB of JSON costs a second, not a Python loop per character.
    """
    lines: list[int] = []
    depth = 0
    line = 1
    expect = False
    for match in _TOKENS.finditer(text):
        token = match.group()
        if token == "\n":
            line += 1
            continue
        line += token.count("\n")  # only a malformed string spans lines
        if depth == 0 and token == "{":
            return [line]  # a single item
        if depth == 1 and expect and token not in ",]}":
            lines.append(line)
            expect = False
        if token in "[{":
            depth += 1
            if depth == 1 and token == "[":
                expect = True
        elif token in "]}":
            depth -= 1
        elif token == "," and depth == 1:
            expect = True
    return lines
