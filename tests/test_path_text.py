"""``citetool.io.path_text`` reads a path as pathlib does, without importing it."""

from __future__ import annotations

import random
from pathlib import PurePosixPath

from citetool.io import path_text
from citetool.registry import registry


def test_path_text_is_pathlibs_spelling() -> None:
    rng = random.Random(15)
    pieces = ["/", "/", ".", "..", "a", "b.txt", "c.", " "]
    for _ in range(20_000):
        spec = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 8)))
        assert path_text(spec) == str(PurePosixPath(spec)), spec


def test_for_path_reads_names_as_pathlib() -> None:
    for spec in ("refs.bib", "a/refs.bib/", "a/refs.bib/.", "./x.ris", "x.json.gz", "/", ""):
        name = PurePosixPath(spec).name.lower()
        expected = registry.for_path(name)
        assert registry.for_path(spec) is expected, spec
    assert registry.for_path(PurePosixPath("a/refs.bib")) is registry.for_path("refs.bib")
