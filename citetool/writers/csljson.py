"""CSL-JSON and CSL-YAML writers (valid against csl-data.json; extras under ``custom``)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ..csljson import to_csl
from ..model import Record
from ..registry import WriteResult


def write(
    records: Sequence[Record], *, indent: int | None = 2, custom: bool = True, **_: Any
) -> WriteResult:
    items = [to_csl(r, custom=custom) for r in records]
    if indent is None:
        return WriteResult(json.dumps(items, ensure_ascii=False) + "\n")
    return WriteResult(dumps_indented(items, indent) + "\n")


class _Unusual(Exception):
    """A value :func:`dumps_indented` leaves to :func:`json.dumps` (non-string keys, floats,
    types other than dict, list, tuple, str, int, bool and None)."""


def dumps_indented(value: Any, indent: int = 2) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=indent)``, byte for byte, about three times
    as fast: with ``indent`` set, the json module leaves its C encoder for a pure-Python
    generator per container (a fifth of a .bib → CSL-JSON conversion). Strings still go through
    the json module's C string encoder; anything unusual falls back to :func:`json.dumps`."""
    from json.encoder import encode_basestring

    out: list[str] = []
    step = " " * indent

    def encode(obj: Any, newline: str) -> None:
        inner = newline + step
        if type(obj) is dict:
            if not obj:
                out.append("{}")
                return
            sep = "{" + inner
            for key, item in obj.items():
                if type(key) is not str:
                    raise _Unusual
                kind = type(item)
                if kind is str:
                    out.append(f"{sep}{encode_basestring(key)}: {encode_basestring(item)}")
                elif kind is int:
                    out.append(f"{sep}{encode_basestring(key)}: {int.__repr__(item)}")
                else:
                    out.append(f"{sep}{encode_basestring(key)}: ")
                    encode(item, inner)
                sep = "," + inner
            out.append(newline + "}")
        elif type(obj) in (list, tuple):
            if not obj:
                out.append("[]")
                return
            sep = "[" + inner
            for item in obj:
                kind = type(item)
                if kind is str:
                    out.append(sep + encode_basestring(item))
                elif kind is int:
                    out.append(sep + int.__repr__(item))
                else:
                    out.append(sep)
                    encode(item, inner)
                sep = "," + inner
            out.append(newline + "]")
        elif type(obj) is str:
            out.append(encode_basestring(obj))
        elif obj is None:
            out.append("null")
        elif obj is True:
            out.append("true")
        elif obj is False:
            out.append("false")
        elif type(obj) is int:
            out.append(int.__repr__(obj))
        else:
            raise _Unusual

    try:
        encode(value, "\n")
    except (_Unusual, RecursionError):
        return json.dumps(value, ensure_ascii=False, indent=indent)
    return "".join(out)


def write_yaml(records: Sequence[Record], *, custom: bool = True, **_: Any) -> WriteResult:
    import yaml

    items = [to_csl(r, custom=custom) for r in records]
    text = yaml.safe_dump({"references": items}, allow_unicode=True, sort_keys=False, width=10**9)
    return WriteResult("---\n" + text + "...\n")
