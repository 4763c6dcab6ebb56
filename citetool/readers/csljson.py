"""CSL-JSON and CSL-YAML readers.

A top-level array of items, a single item object, or (YAML) pandoc's ``references:`` list.
An item whose shape is wrong is reported with its line and skipped; the others are kept.
"""

from __future__ import annotations

import json
from typing import Any

from ..csljson import ItemError, from_csl
from ..errors import Diagnostic, ReadError
from ..registry import ReadResult


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
    return _items(data, source, _item_lines(text))


def read_yaml(text: str, source: str = "<stdin>", **_: Any) -> ReadResult:
    import yaml

    if not text.strip():
        raise ReadError("empty input, expected CSL-YAML", source)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or "syntax error"
        raise ReadError(f"invalid YAML: {problem}", source, line) from None
    except RecursionError:
        raise ReadError("invalid YAML: nested too deeply", source) from None
    if isinstance(data, dict) and "references" in data:
        data = data["references"]
    return _items(_plain(data), source, [])


def _plain(value: Any) -> Any:
    """YAML gives dates as ``datetime.date``; CSL wants strings."""
    import datetime

    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()[:10]
    return value


def _items(data: Any, source: str, lines: list[int]) -> ReadResult:
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise ReadError(f"expected a list of CSL items, found a {type(data).__name__}", source, 1)
    result = ReadResult()
    for index, item in enumerate(data):
        line = lines[index] if index < len(lines) else None
        try:
            result.records.append(from_csl(item, index))
        except ItemError as exc:
            result.diagnostics.append(Diagnostic.error(f"{exc}; item skipped", source, line))
        except (ValueError, TypeError) as exc:
            result.diagnostics.append(
                Diagnostic.error(f"item {index + 1}: {exc}; item skipped", source, line)
            )
    return result


def _item_lines(text: str) -> list[int]:
    """Line numbers where top-level array items start (cheap scan, used for messages)."""
    lines: list[int] = []
    depth = 0
    in_string = False
    escape = False
    line = 1
    for ch in text:
        if ch == "\n":
            line += 1
        if in_string:
            if escape:
                escape = False
            elif ch == "\\":
                escape = True
            elif ch == '"':
                in_string = False
            continue
        if ch == '"':
            in_string = True
        elif ch in "[{":
            if ch == "{" and depth == 1:
                lines.append(line)
            depth += 1
        elif ch in "]}":
            depth -= 1
    return lines
