"""What citetool takes from citeproc-py's package data: the CSL locale files, their index
(``locales.json``: language names and each language's primary dialect) and the styles it
bundles. Found through the package's import spec without importing it: importing citeproc
runs its ``__init__``, which imports lxml (~35 ms of a one-record ``cite``)."""

from __future__ import annotations

import importlib.util
import json
import os
from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def data_dir() -> str:
    """citeproc-py's ``data`` folder."""
    spec = importlib.util.find_spec("citeproc")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("citeproc-py is not installed")
    return os.path.join(list(spec.submodule_search_locations)[0], "data")


def locales_path() -> str:
    return os.path.join(data_dir(), "locales")


def styles_path() -> str:
    return os.path.join(data_dir(), "styles")


def locale_file(name: str) -> str:
    """The path of ``locales-NAME.xml`` (which may not exist)."""
    return os.path.join(locales_path(), f"locales-{name}.xml")


@lru_cache(maxsize=1)
def _index() -> dict[str, Any]:
    with open(os.path.join(locales_path(), "locales.json"), encoding="utf-8") as handle:
        return json.load(handle)  # type: ignore[no-any-return]


def language_names() -> dict[str, Any]:
    """Locale code → [name in the language, name in English]."""
    return _index()["language-names"]  # type: ignore[no-any-return]


def primary_dialects() -> dict[str, str]:
    """Language → its primary dialect ("de" → "de-DE")."""
    return _index()["primary-dialects"]  # type: ignore[no-any-return]
