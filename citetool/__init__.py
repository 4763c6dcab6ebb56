"""citetool: bibliographic records into citations and reference-manager formats.

>>> import citetool
>>> result = citetool.read("examples/article-record.txt")
>>> result.records[0].title[:7]
'Relacje'
"""

from __future__ import annotations

TYPE_CHECKING = False  # not typing's: importing typing is ~3 ms of --version
if TYPE_CHECKING:
    from typing import Any

__version__ = "0.1.0"

__all__ = [
    "Date",
    "Diagnostic",
    "Name",
    "Record",
    "CitetoolError",
    "read",
    "loads",
    "write",
    "dumps",
    "render",
    "__version__",
]

if TYPE_CHECKING:  # pragma: no cover
    from .api import dumps, loads, read, render, write
    from .errors import CitetoolError, Diagnostic
    from .model import Date, Name, Record

_LAZY = {
    "read": "api",
    "loads": "api",
    "write": "api",
    "dumps": "api",
    "render": "api",
    "Record": "model",
    "Name": "model",
    "Date": "model",
    "CitetoolError": "errors",
    "Diagnostic": "errors",
}


def __getattr__(name: str) -> Any:
    """Import on first use, so ``import citetool`` stays cheap for the CLI's start-up."""
    if name in _LAZY:
        import importlib

        module = importlib.import_module(f".{_LAZY[name]}", __name__)
        value = getattr(module, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'citetool' has no attribute {name!r}")
