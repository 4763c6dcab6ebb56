"""Given names initialised exactly as citeproc-js does (``CSL.Util.Names.initializeWith``).

``initialize-with`` is the terminator put after each initial; with ``initialize="false"``
names are only normalised (initials already in the data get the terminator, whole words stay);
``initialize-with-hyphen="false"`` turns hyphens into spaces first ("M-S" → "M. S."), else a
hyphen between initials stays ("Y.-C.", "K.-H. T."). A part that starts lower case after a
hyphen is kept whole ("Jean-paul"). Ported from citeproc-js 2.4.63, ``util_names.js``.
"""

from __future__ import annotations

import re

_LETTERS = ("\u0e01-\u0e5b\u00c0-\u017f\u0370-\u03ff\u0400-\u052f\u0590-\u05d4\u05d6-\u05ff"
            "\u1f00-\u1fff\u0600-\u06ff\u200c\u200d\u200e\u0218\u0219\u021a\u021b\u202a-\u202e")
_NAME_INITIAL = re.compile(
    "^([A-Z\u0e01-\u0e5b\u00c0-\u017f\u0400-\u042f\u0590-\u05d4\u05d6-\u05ff\u0600-\u06ff\u0370"
    "\u0372\u0376\u0386\u0388-\u03ab\u03e2\u03e4\u03e6\u03e8\u03ea\u03ec\u03ee\u03f4\u03f7"
    "\u03fd-\u03ff])([a-zA-Z\u0e01-\u0e5b\u00c0-\u017f\u0400-\u052f\u0600-\u06ff\u0370-\u03ff"
    "\u1f00-\u1fff]*|)(\\.)*")
_ROMANESQUE = f"[-0-9a-zA-Z{_LETTERS}]"  # re.search compiles it on first use
_STARTS_ROMANESQUE = re.compile(f"^[&a-zA-Z{_LETTERS}]")
_SEPARATORS = re.compile(r"[-\s]+")
_TRAILING = re.compile("[\t\n\u000b\u000c\r \ufeff\u00a0]+$")
_HYPHEN = re.compile(r"\s*-\s*")
_WHITESPACE = re.compile("[\t\n\u000b\u000c\r ]+")


def initialize(given: str, terminator: str, initialize_names: bool, hyphen: bool) -> str:
    """``given`` initialised (``initialize_names``) or normalised, each initial followed by
    ``terminator``; ``hyphen`` is the style's ``initialize-with-hyphen``."""
    name = given
    if not name:
        return ""
    if name in ("Lord", "Lady") or (not _STARTS_ROMANESQUE.match(name)
                                    and "%s" not in terminator):
        return name
    if not hyphen:
        name = name.replace("-", " ")
    name = _HYPHEN.sub("-", name)
    name = re.sub(r"\s+", " ", name)
    name = re.sub(r"-([a-z])", "\u2013\\1", name)
    for i in range(len(name) - 2, -1, -1):
        if name[i] == "." and name[i + 1] != " ":
            name = name[:i] + ". " + name[i + 1:]
    tags = _SEPARATORS.findall(name)
    strings = _SEPARATORS.split(name)
    names = [strings[0]]
    if not tags:
        last = re.search(r"[^.]+$", names[0])
        if last and len(last.group()) == 1 and last.group() != last.group().lower():
            names[0] += "."
    for tag, string in zip(tags, strings[1:], strict=True):
        names += [tag, string]
    if initialize_names:
        out = _initialize(names, terminator)
    else:
        out = _normalize(names, terminator)
    return re.sub("\u2013([a-z])", "-\\1", out)


def _finish(names: list[str]) -> str:
    out = _TRAILING.sub("", "".join(names))
    return _WHITESPACE.sub(" ", _HYPHEN.sub("-", out))


def _initialize(names: list[str], terminator: str) -> str:
    count = len(names)
    for i in range(0, count, 2):
        part = names[i]
        if not part:
            continue
        match = _NAME_INITIAL.match(part)
        groups: list[str | None] = list(match.groups()) if match else []
        if not match and not _STARTS_ROMANESQUE.match(part) and len(part) > 1 \
                and "%s" in terminator:
            groups = [part[0], part[1:], None]
        if groups and groups[1] and groups[2]:
            groups = [str(groups[0]) + groups[1], "", groups[2]]
        first = str(groups[0]) if groups else ""
        if groups and first[:1] == first[:1].upper():
            extra = ""
            rest = groups[1] or ""
            if rest:
                capitals = ""
                for char in rest:
                    if char != char.upper():
                        break
                    capitals += char
                if len(capitals) < len(rest):
                    extra = capitals.lower()
            names[i] = first + extra
            if "%s" in terminator:
                names[i] = terminator.replace("%s", names[i], 1)
            elif i < count - 1:
                names[i + 1] = (terminator + "-") if "-" in names[i + 1] else terminator
            else:
                names.append(terminator)
        elif re.search(_ROMANESQUE, part) and not (groups and groups[2]):
            names[i] = " " + part
    return _finish(names)


def _normalize(names: list[str], terminator: str) -> str:
    abbreviated = []
    for i, part in enumerate(names):
        if len(part) > 1 and part.endswith("."):
            names[i] = re.sub(r"^(.*)\.(.*)$", r"\1\2", part)
            abbreviated.append(True)
        else:
            abbreviated.append(len(part) == 1 and part.upper() == part)
    for i in range(0, len(names), 2):
        if not abbreviated[i]:
            continue
        if i < len(names) - 2:
            separator = names[i + 1] + ("" if abbreviated[i + 2] else " ")
            if len(names[i + 2]) > 1:
                names[i + 1] = re.sub("\ufeff$", "", terminator) + separator
            else:
                names[i + 1] = terminator
        if i == len(names) - 1:
            names[i] = names[i] + terminator
    return _finish(names)
