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

from ..csljson import MAX_INT_DIGITS, HugeNumber, ItemError, from_csl
from ..errors import CitetoolError, Diagnostic, ReadError
from ..registry import NoStitch, ReadResult


def read(text: str, source: str = "<stdin>", **_: Any) -> ReadResult:
    if not text.strip():
        raise ReadError("empty input, expected CSL-JSON", source)
    try:
        data, notes = load_json(text, source)
    except json.JSONDecodeError as exc:
        raise ReadError(
            f"invalid JSON: {exc.msg} (column {exc.colno})", source, exc.lineno
        ) from None
    except RecursionError:
        raise ReadError("invalid JSON: nested too deeply", source) from None
    result = _items(data, source, lambda: _item_lines(text))
    result.diagnostics[:0] = notes
    return result


#: JSON nested deeper than this is refused before it is parsed (json's C parser recurses)
MAX_JSON_DEPTH = 200

_LONG_NUMBER = re.compile(rf"\d{{{MAX_INT_DIGITS + 1}}}")
#: a \u escape of a high surrogate not followed by a low one, or a low one not after a high one
_LONE_SURROGATE = re.compile(
    r"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
    r"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)
_SURROGATES = re.compile("[\ud800-\udfff]")
_DEEP = re.compile(rf"(?:[\[{{]\s*){{{MAX_JSON_DEPTH}}}")


def load_json(text: str, source: str) -> tuple[Any, list[Diagnostic]]:
    """``json.loads`` with limits: nesting deeper than :data:`MAX_JSON_DEPTH` is refused with
    its line, a number of more than ``MAX_INT_DIGITS`` digits stays a :class:`HugeNumber`
    (refused with its item), and a lone surrogate escape (``"\\ud800"``, which no UTF-8
    output can hold) is replaced by U+FFFD with a warning. The checks are regex scans, so
    ordinary files are parsed by json's C code alone."""
    deep = _DEEP.search(text)  # the usual bomb, [[[[..., found at C speed
    if deep is not None:
        at = _too_deep_at(text, 0)  # from the start: the match may sit in a string
        if at is not None:
            raise _too_deep(text, source, at)
    notes: list[Diagnostic] = []
    hooks: dict[str, Any] = {}
    if _LONG_NUMBER.search(text):
        hooks["parse_int"] = _parse_int
    lone = _LONE_SURROGATE.search(text)
    replaced = [0]
    if lone is not None:
        hooks["object_pairs_hook"] = lambda pairs: {
            _clean(k, replaced): _clean(v, replaced) for k, v in pairs}
    try:
        data = json.loads(text, **hooks)
    except RecursionError:  # deep nesting with text between the brackets: json's own limit
        raise _too_deep(text, source, _too_deep_at(text, 0) or 0) from None
    if lone is not None and replaced[0]:
        notes.append(_surrogate_note(replaced[0], text, lone.start(), source))
    return data, notes


def _too_deep(text: str, source: str, at: int) -> ReadError:
    line = text.count("\n", 0, at) + 1
    return ReadError(f"invalid JSON: nested deeper than {MAX_JSON_DEPTH} levels", source, line)


def _too_deep_at(text: str, start: int) -> int | None:
    """Where brackets (outside strings) first nest deeper than :data:`MAX_JSON_DEPTH`,
    counting from ``start`` (outside any string), or None."""
    depth = 0
    for match in _JSON_STRUCTURE.finditer(text, start):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return match.start()
        elif token in "]}":
            depth -= 1
    return None


_JSON_STRUCTURE = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _parse_int(digits: str) -> int | str:
    return HugeNumber(digits) if len(digits.lstrip("-")) > MAX_INT_DIGITS else int(digits)


def _clean(value: Any, replaced: list[int], objects: bool = False) -> Any:
    """``value`` with lone surrogates in its strings replaced by U+FFFD (counted); inside
    objects too with ``objects`` (JSON's hook has cleaned the inner objects already)."""
    if isinstance(value, str):
        found = len(_SURROGATES.findall(value))
        if found:
            replaced[0] += found
            return _SURROGATES.sub("\ufffd", value)
        return value
    if isinstance(value, list):
        return [_clean(v, replaced, objects) for v in value]
    if objects and isinstance(value, dict):
        return {_clean(k, replaced): _clean(v, replaced, objects) for k, v in value.items()}
    return value


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
    data = _plain(data, budget, source)
    notes: list[Diagnostic] = []
    escape = _YAML_SURROGATE.search(text)
    if escape is not None:  # "\ud800" in a double-quoted scalar: no UTF-8 output can hold it
        replaced = [0]
        data = _clean(data, replaced, objects=True)
        if replaced[0]:
            notes.append(_surrogate_note(replaced[0], text, escape.start(), source))
    result = _items(data, source, lambda: _yaml_item_lines(text))
    result.diagnostics[:0] = notes
    return result


_YAML_SURROGATE = re.compile(r"\\(?:u|U0000)[dD][89a-fA-F][0-9a-fA-F]{2}")


def _surrogate_note(count: int, text: str, at: int, source: str) -> Diagnostic:
    line = text.count("\n", 0, at) + 1
    return Diagnostic.warning(
        f"{count} lone surrogate escape(s) (\\ud800-\\udfff not in a pair; the first on this "
        "line) replaced by U+FFFD", source, line)


def _yaml_loader() -> Any:
    """yaml's SafeLoader, but dates stay strings (``issued: 2020-13-45`` is CSL's to judge,
    not a crash in the YAML timestamp constructor)."""
    import yaml

    class Loader(yaml.SafeLoader):
        def construct_yaml_int(self, node: Any) -> Any:
            digits = str(node.value).replace("_", "").lstrip("+-")
            if len(digits) > MAX_INT_DIGITS:
                return HugeNumber(node.value)  # refused with its item, never made an int
            return super().construct_yaml_int(node)

    Loader.add_constructor("tag:yaml.org,2002:int", Loader.construct_yaml_int)

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
        notes: list[str] = []
        try:
            result.records.append(from_csl(item, index, notes))
            if not notes:
                continue
            if lines is None:
                lines = find_lines()
            line = lines[index] if index < len(lines) else None
            for note in notes:
                result.diagnostics.append(Diagnostic.warning(
                    f"item {result.records[-1].id!r}: {note}", source, line))
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
            data, notes = load_json(text, source)  # the same limits as the reader
        except (json.JSONDecodeError, RecursionError, CitetoolError):
            return None  # the reader's own message
        if not isinstance(data, list) or not data or notes:
            return None  # (the reader reports the notes, with their lines)
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
