"""The CSL engine's speed-ups keep its output: parallel rendering, shortcut disambiguation.

``CITETOOL_WORKERS=N`` forces N processes even for small lists (the default only forks for
:data:`citetool.parallel.MIN_ITEMS` items or more), so these tests stay small.
"""

from __future__ import annotations

import sys
from typing import Any

import pytest

from citetool import parallel
from citetool.csl import engine
from citetool.csl.engine.processor import Processor

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="parallel rendering forks")

_FAMILIES = ["Smith", "Nowak", "García", "Müller", "O'Brien", "van der Berg", "Li"]
_GIVEN = ["Anna", "Jan", "Maria", "Peter", "Zoë"]


def _items(count: int) -> list[dict[str, Any]]:
    """Items from a small pool of authors and years: clashes, year suffixes, repeated
    author lists (subsequent-author-substitute) and given-name disambiguation all happen."""
    items = []
    for index in range(count):
        authors = [{"family": _FAMILIES[(index * k) % len(_FAMILIES)],
                    "given": _GIVEN[(index + k) % len(_GIVEN)]}
                   for k in range(1, 1 + index % 3)]
        item: dict[str, Any] = {
            "id": f"item{index}",
            "type": ["article-journal", "book", "chapter"][index % 3],
            "title": f"On subject {index % 17}",
            "issued": {"date-parts": [[2000 + index % 5]]},
            "container-title": "Journal of Tests",
            "page": f"{index}-{index + 9}",
        }
        if authors:
            item["author"] = authors
        items.append(item)
    return items


def _render(monkeypatch: pytest.MonkeyPatch, workers: int, style: str,
            items: list[dict[str, Any]]) -> list[str]:
    monkeypatch.setenv("CITETOOL_WORKERS", str(workers))
    return engine.format_bibliography(items, style, None, "text")


@pytest.mark.parametrize("style", ["apa", "modern-language-association", "ieee",
                                   "chicago-author-date"])
def test_parallel_bibliography_identical_to_serial(monkeypatch: pytest.MonkeyPatch,
                                                   style: str) -> None:
    items = _items(90)
    serial = _render(monkeypatch, 1, style, items)
    assert len(serial) == 90
    for workers in (2, 3):
        assert _render(monkeypatch, workers, style, items) == serial, workers


def test_parallel_keeps_subsequent_author_substitute_across_chunks(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # MLA replaces a repeated author list with "———"; with every item by the same author,
    # the entries opening the second and third chunk must be substituted too
    items = [{"id": f"i{n}", "type": "book", "title": f"Book {n:02d}",
              "author": [{"family": "Doe", "given": "Jane"}],
              "issued": {"date-parts": [[2001]]}} for n in range(12)]
    serial = _render(monkeypatch, 1, "modern-language-association", items)
    assert sum(entry.startswith("\u2014\u2014\u2014.") for entry in serial) == 11
    assert _render(monkeypatch, 3, "modern-language-association", items) == serial


def test_workers_default_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CITETOOL_WORKERS", raising=False)
    assert parallel.workers(parallel.MIN_ITEMS - 1) == 1
    monkeypatch.setattr(parallel, "_cores", lambda: 1)
    assert parallel.workers(10_000) == 1
    monkeypatch.setattr(parallel, "_cores", lambda: 2)
    assert parallel.workers(10_000) == 2
    monkeypatch.setenv("CITETOOL_WORKERS", "1")
    assert parallel.workers(10_000) == 1


def _fails_in_child(chunk: Any) -> list[int]:
    import os

    if os.getpid() != _PARENT:
        raise RuntimeError("boom")
    return [value * 2 for value in chunk]


_PARENT = 0


def test_map_chunks_falls_back_when_a_worker_fails() -> None:
    global _PARENT
    import os

    _PARENT = os.getpid()
    assert parallel.map_chunks(_fails_in_child, list(range(10)), 3) == \
        [value * 2 for value in range(10)]


def test_map_chunks_order_and_closures() -> None:
    offset = 100
    result = parallel.map_chunks(lambda chunk: [v + offset for v in chunk], list(range(7)), 3)
    assert result == list(range(100, 107))


def test_identical_author_lists_skip_name_trials(monkeypatch: pytest.MonkeyPatch) -> None:
    """Copies of a work with 12 authors (a merged library) clash whatever names are shown:
    they get year suffixes at once instead of one trial rendering per added name."""
    monkeypatch.setenv("CITETOOL_WORKERS", "1")
    authors = [{"family": f"Author{k}", "given": "A."} for k in range(12)]
    items = [{"id": f"copy{n}", "type": "article-journal", "title": f"Copy {n}",
              "author": authors, "issued": {"date-parts": [[2010]]}} for n in range(6)]
    calls = 0
    original = Processor.render_for_disambiguation

    def counting(self: Processor, key: str) -> str:
        nonlocal calls
        calls += 1
        return original(self, key)

    monkeypatch.setattr(Processor, "render_for_disambiguation", counting)
    entries = engine.format_bibliography(items, "apa", None, "text")
    assert calls <= 2 * len(items)
    assert [e.split("(2010")[1][:1] for e in entries] == list("abcdef")


def test_ligature_word_list_bisection_agrees_with_a_set() -> None:
    """The one-record ``cite`` path searches the sorted list by bisection; it must answer
    exactly as a set of its lines would (words, non-words, Polish letters, partial lines)."""
    import gzip
    from importlib import resources

    from citetool import ligatures

    raw = gzip.decompress(resources.files("citetool.data").joinpath(
        "ligature_words.txt.gz").read_bytes()).decode("utf-8")
    lines = [w for w in raw.split("\n") if w]
    as_set = frozenset(lines)
    words = ligatures._WordList()
    probes = ["affairs", "office", "then", "offi", "ffairs", "affairsx", "", "a\nb",
              "zzqx", "efficiency", "affect", lines[0], lines[-1], lines[len(lines) // 2],
              lines[0][:-1], lines[-1] + "z", "intensyfikacji", "żółć", "aaa", "\uffff"]
    probes += lines[::997]
    # the first and last word of every gzip member, and their neighbours outside the list
    firsts = [line.split("\t")[1] for line in (ligatures.DATA / "ligature_words.idx")
              .read_text("utf-8").splitlines()[:-1]]
    assert firsts == lines[::1600], "ligature_words.idx does not match the .gz members"
    for k in range(0, len(lines), 1600):
        probes += [lines[k], lines[k] + "a", lines[k][:-1], lines[k - 1], lines[k - 1] + "z"]
    assert [p in words for p in probes] == [bool(p) and "\n" not in p and p in as_set
                                           for p in probes]
    assert all(p in words for p in ("affairs", "office", "then"))
    one = ligatures._WordList()
    assert "affairs" in one and "aff" not in one
    assert len(one._blocks) == 1  # a lookup unpacks the one member that can hold the word
