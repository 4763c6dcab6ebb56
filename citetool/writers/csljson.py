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
    return WriteResult(json.dumps(items, ensure_ascii=False, indent=indent) + "\n")


def write_yaml(records: Sequence[Record], *, custom: bool = True, **_: Any) -> WriteResult:
    import yaml

    items = [to_csl(r, custom=custom) for r in records]
    text = yaml.safe_dump({"references": items}, allow_unicode=True, sort_keys=False, width=10**9)
    return WriteResult("---\n" + text + "...\n")
