"""LaTeX ↔ Unicode for BibTeX field values.

Decoding (:func:`to_unicode`) turns ``{\\L}{\\'o}d{\\'z}`` into ``Łódź``, ``\\&`` into ``&``,
``--``/``---`` into en/em dashes, ``~`` into a no-break space and drops the braces BibTeX
uses for case protection.  Simple math becomes the Unicode text Better BibTeX stores
(``Cu$_2$O`` → Cu₂O, ``$\\omega$`` → ω, not the "ømega" of other tools, bibtexparser#498;
:func:`decode_math`); other math (``$\\frac{1}{2}$``) is kept verbatim, as pandoc keeps it.

Encoding (:func:`to_latex`) escapes ``& % $ # _ { } ~ ^ \\`` always, keeps math segments
that the decoder would keep (and escapes those it would decode), and with ``ascii=True``
writes every non-ASCII character as a braced LaTeX form (``{\\'e}``, ``{\\l}``, stacked
accents like ``{\\~{\\^e}}`` for ễ, ``\\textsubscript{2}`` for ₂).
The two are inverse: ``to_unicode(to_latex(s)) == s`` for any text without control
characters (property-tested), which is what makes BibTeX round trips lossless.

Speed: only a small share of real values contain ``\\ { } ~ $`` or dashes; those without
take a fast path (one regex search).  The slow path is a small hand-written scanner with
tables of accents and named letters; pylatexenc's symbol table is consulted only for
macros the scanner does not know (it is slow to load, so it is loaded lazily).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

from .case import MATH_CLOSE as _M_CLOSE
from .case import MATH_OPEN as _M_OPEN
from .case import PROTECT_CLOSE as _P_CLOSE
from .case import PROTECT_OPEN as _P_OPEN

__all__ = ["to_unicode", "to_latex", "needs_decoding", "escape_verbatim"]

# --- tables ---------------------------------------------------------------------------

#: accent macros (``\'e``) → combining character
ACCENTS: dict[str, str] = {
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    '"': "\u0308",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    "c": "\u0327",
    "v": "\u030c",
    "u": "\u0306",
    "H": "\u030b",
    "k": "\u0328",
    "r": "\u030a",
    "d": "\u0323",
    "b": "\u0331",
    "t": "\u0361",
}
_COMBINING_TO_ACCENT = {v: k for k, v in ACCENTS.items()}
#: read-only accent spellings: MathSciNet's exports define ``\ocirc`` in their @preamble
#: for the ring above (Franc{\ocirc{u}} is Franců); written back as ``\r``
ACCENTS["ocirc"] = "\u030a"

#: named letters and symbols (``{\l}``, ``\ss``) → text
LETTERS: dict[str, str] = {
    "l": "ł",
    "L": "Ł",
    "o": "ø",
    "O": "Ø",
    "ae": "æ",
    "AE": "Æ",
    "oe": "œ",
    "OE": "Œ",
    "aa": "å",
    "AA": "Å",
    "ss": "ß",
    "SS": "ẞ",
    "i": "ı",
    "j": "ȷ",
    "dh": "ð",
    "DH": "Ð",
    "th": "þ",
    "TH": "Þ",
    "ng": "ŋ",
    "NG": "Ŋ",
    "dj": "đ",
    "DJ": "Đ",
    "textendash": "–",
    "textemdash": "—",
    "textquoteleft": "‘",
    "textquoteright": "’",
    "textquotedblleft": "“",
    "textquotedblright": "”",
    "textquotesingle": "'",
    "textquotedbl": '"',
    "guillemotleft": "«",
    "guillemotright": "»",
    "guillemetleft": "«",
    "guillemetright": "»",
    "guilsinglleft": "‹",
    "guilsinglright": "›",
    "quotedblbase": "„",
    "quotesinglbase": "‚",
    "ldots": "…",
    "dots": "…",
    "textellipsis": "…",
    "textbackslash": "\\",
    "textasciitilde": "~",
    "textasciicircum": "^",
    "textasciigrave": "`",
    "textbar": "|",
    "textless": "<",
    "textgreater": ">",
    "textunderscore": "_",
    "textdollar": "$",
    "textdegree": "°",
    "textregistered": "®",
    "texttrademark": "™",
    "textcopyright": "©",
    "copyright": "©",
    "S": "§",
    "P": "¶",
    "textsection": "§",
    "textparagraph": "¶",
    "textbullet": "•",
    "textperiodcentered": "·",
    "textdagger": "†",
    "dag": "†",
    "euro": "€",
    "texteuro": "€",
    "pounds": "£",
    "textsterling": "£",
    "textexclamdown": "¡",
    "textquestiondown": "¿",
    "LaTeX": "LaTeX",
    "TeX": "TeX",
    "BibTeX": "BibTeX",
    "LaTeXe": "LaTeX2e",
    "slash": "/",
    "hyphen": "-",
    "hyph": "-",
    "nobreakspace": "\u00a0",
    "textnumero": "№",
}
#: letters that an accent may carry (``\'{\i}`` is í)
_ACCENT_BASE = {"i": "i", "j": "j"}

#: macros whose (last) argument is kept as text: fonts, boxes, quotes, links
KEEP_ARGUMENT = frozenset(
    """emph textit textbf texttt textsc textup textrm textsf textsl textmd textnormal
    mbox hbox text mathrm NoCaseChange nocase MakeUppercase MakeLowercase uppercase lowercase
    textsuperscript textsubscript mkbibemph mkbibitalic mkbibbold mkbibacro textcase
    url path foreignlanguage hyphenation ensuremath underline uline sout textnormal
    textenglish textpolish textgerman textfrench textrussian textgreek""".split()
)
#: macros dropped with their argument
DROP_ARGUMENT = frozenset(
    {"noopsort", "sortnoop", "SortNoop", "noop", "hskip", "vspace", "hspace", "arabic", "value"}
)
#: declarations dropped (``{\em x}`` is x)
DECLARATIONS = frozenset(
    """em it bf sc rm sf tt sl itshape bfseries scshape upshape mdseries rmfamily sffamily
    ttfamily normalfont small footnotesize large Large relax protect ignorespaces
    unskip null /""".split()
)
#: quote-like macros with one argument
QUOTE_MACROS = {"enquote": ("“", "”"), "mkbibquote": ("“", "”"), "textquote": ("“", "”")}

#: character escapes ``\&`` etc.
ESCAPES = {
    "&": "&",
    "%": "%",
    "$": "$",
    "#": "#",
    "_": "_",
    "{": "{",
    "}": "}",
    " ": " ",
    "-": "",  # discretionary hyphen
    ",": "\u2009",
    ";": "\u2005",
    "@": "",
    "/": "",
    "\\": " ",
    "\n": " ",
    "\t": " ",
}

# anything that needs the slow path: backslash, braces, tie, math, dashes, TeX quotes
_SPECIAL = re.compile(r"[\\{}~$]|--|``|''|`")
_WS = re.compile(r"[ \t\n\r\f\v]+")
_BLANK = " \t\n\r\f\v"


def needs_decoding(text: str) -> bool:
    return _SPECIAL.search(text) is not None


def to_unicode(text: str, *, mark: bool = False) -> str:
    """Decode a BibTeX value (enclosing delimiters already removed) into Unicode text.

    ``mark=True`` keeps, for :func:`citetool.case.sentence_case`, where the case of the text
    is protected: braced parts, small capitals, super- and subscripts between
    ``case.PROTECT_OPEN``/``PROTECT_CLOSE``, math between ``case.MATH_OPEN``/``MATH_CLOSE``."""
    if _SPECIAL.search(text) is None:
        if "\n" in text or "  " in text or "\t" in text or "\r" in text:
            return _WS.sub(" ", text).strip(_BLANK)
        return text.strip(_BLANK)
    out = _Decoder(text, mark).run()
    out = _WS.sub(" ", out).strip(_BLANK)
    return unicodedata.normalize("NFC", out)


#: macros whose argument keeps its case when a title is put in sentence case (as in pandoc,
#: which changes the case inside \emph and \textbf but not inside biblatex's \mkbib…
#: formatting macros or \texttt; Better BibTeX keeps \mkbibemph{Alexiad} too)
CASE_PROTECTING = frozenset(
    "textsc textsuperscript textsubscript NoCaseChange nocase mkbibacro mkbibemph mkbibitalic "
    "mkbibbold texttt".split()
)


class _Decoder:
    __slots__ = ("s", "i", "n", "quote", "mark", "protected")

    def __init__(self, s: str, mark: bool = False) -> None:
        self.s = s
        self.i = 0
        self.n = len(s)
        self.quote = False  # a `single quote' is open
        self.mark = mark  # mark protected parts (see to_unicode)
        self.protected = False  # inside a marked part

    def _special_character(self) -> bool:
        """Does the group just opened start with an accent, a named letter or a symbol
        (``{\\'e}``, ``{\\ss}``, ``{\\alpha}``)? BibTeX calls that a special character and
        changes its case; it is no case protection (the ASCII writer writes every non-ASCII
        character so)."""
        s, i = self.s, self.i
        if not self.mark or i + 1 >= self.n or s[i] != "\\":
            return False
        if s[i + 1] in ACCENTS and not s[i + 1].isalpha():
            return True
        j = i + 1
        while j < self.n and s[j].isalpha():
            j += 1
        name = s[i + 1 : j]
        if name in ACCENTS or name in LETTERS:
            return name in ACCENTS or len(LETTERS[name]) == 1
        if not name or name in KEEP_ARGUMENT or name in DECLARATIONS:
            return False
        symbol = _symbol(name)
        return symbol is not None and len(symbol) == 1

    def protect(self, decode: Callable[[], str]) -> str:
        """``decode()``, between protection marks unless inside some already."""
        if not self.mark or self.protected:
            return decode()
        self.protected = True
        try:
            return _P_OPEN + decode() + _P_CLOSE
        finally:
            self.protected = False

    def run(self, stop: str = "") -> str:
        """Decode until the end, or until an unmatched ``}`` when ``stop`` is '}'."""
        s, n = self.s, self.n
        out: list[str] = []
        while self.i < n:
            c = s[self.i]
            if c == "\\":
                out.append(self.macro())
            elif c == "{":
                self.i += 1
                if self._special_character():  # {\'e}, {\ss}: BibTeX changes their case
                    out.append(self.run("}"))
                else:
                    out.append(self.protect(lambda: self.run("}")))
            elif c == "}":
                self.i += 1
                if stop == "}":
                    return "".join(out)
                # stray closing brace: drop it
            elif c == "$":
                out.append(self.math())
            elif c == "~":
                self.i += 1
                out.append("\u00a0")
            elif c == "-":
                if s.startswith("---", self.i):
                    out.append("—")
                    self.i += 3
                elif s.startswith("--", self.i):
                    out.append("–")
                    self.i += 2
                else:
                    out.append("-")
                    self.i += 1
            elif c == "`":
                if s.startswith("``", self.i):
                    out.append("“")
                    self.i += 2
                else:
                    out.append("‘")
                    self.quote = True
                    self.i += 1
            elif c == "'" and s.startswith("''", self.i):
                out.append("”")
                self.i += 2
            elif c == "'" and self.quote and not s[self.i + 1 : self.i + 2].isalpha():
                out.append("’")  # closes a `...' quote (an apostrophe stays ')
                self.quote = False
                self.i += 1
            else:
                # copy a run of ordinary characters
                j = self.i + 1
                while j < n and s[j] not in "\\{}$~-`'":
                    j += 1
                if j == self.i + 1 and c == "'":
                    out.append("'")
                else:
                    out.append(s[self.i : j])
                self.i = j
        return "".join(out)

    def math(self) -> str:
        s = self.s
        end = s.find("$", self.i + 1)
        while end > 0 and s[end - 1] == "\\":
            end = s.find("$", end + 1)
        if end < 0:  # a lone dollar: keep it
            self.i += 1
            return "$"
        text = s[self.i : end + 1]
        self.i = end + 1
        text = decode_math(text) or text
        return _M_OPEN + text + _M_CLOSE if self.mark and not self.protected else text

    def group_or_char(self) -> str:
        """The argument of a macro: ``{...}`` decoded, or one (non-space) character."""
        s, n = self.s, self.n
        while self.i < n and s[self.i] in " \t\n\r":
            self.i += 1
        if self.i >= n:
            return ""
        c = s[self.i]
        if c == "{":
            self.i += 1
            return self.run("}")
        if c == "\\":
            return self.macro(accent_arg=True)
        if c == "}":
            return ""
        self.i += 1
        return c

    def raw_group(self) -> str:
        """A ``{...}`` argument taken verbatim (for URLs)."""
        s, n = self.s, self.n
        while self.i < n and s[self.i] in " \t\n\r":
            self.i += 1
        if self.i >= n or s[self.i] != "{":
            return self.group_or_char()
        depth = 0
        start = self.i + 1
        while self.i < n:
            ch = s[self.i]
            if ch == "\\":
                self.i += 2
                continue
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
                if depth == 0:
                    self.i += 1
                    return s[start : self.i - 1]
            self.i += 1
        return s[start:]

    def macro(self, accent_arg: bool = False) -> str:
        s, n = self.s, self.n
        self.i += 1  # backslash
        if self.i >= n:
            return "\\"
        c = s[self.i]
        if not c.isalpha():
            self.i += 1
            if c in ACCENTS:
                return _accent(self.group_or_char(), ACCENTS[c])
            if c == "(":
                end = s.find("\\)", self.i)
                if end >= 0:
                    text = s[self.i - 2 : end + 2]
                    self.i = end + 2
                    text = decode_math(text) or text
                    return _M_OPEN + text + _M_CLOSE if self.mark and not self.protected else text
                return "\\("
            return ESCAPES.get(c, c)
        j = self.i
        while j < n and s[j].isalpha():
            j += 1
        name = s[self.i : j]
        self.i = j
        # a control word eats the spaces after it
        if name in ACCENTS:
            return _accent(self.group_or_char(), ACCENTS[name])
        while self.i < n and s[self.i] in " \t\n\r" and name not in KEEP_ARGUMENT:
            self.i += 1
        if accent_arg and name in _ACCENT_BASE:
            return _ACCENT_BASE[name]
        if name in LETTERS:
            # ``\l{}`` or ``\ss{}``: drop an empty group
            if s.startswith("{}", self.i):
                self.i += 2
            return LETTERS[name]
        if name in KEEP_ARGUMENT:
            if name in ("url", "path"):
                return self.raw_group()
            if name in _SCRIPTS:  # H\textsubscript{2}O: H₂O where Unicode has the form
                forms = _SCRIPTS[name]
                return self.protect(lambda: _in_forms(self.group_or_char(), forms))
            if name in CASE_PROTECTING:
                return self.protect(self.group_or_char)
            return self.group_or_char()
        if name == "symbol":  # \symbol{126}: the character of that code
            code = self.group_or_char().strip()
            return chr(int(code)) if code.isdigit() and 0 < int(code) < 0x110000 else ""
        if name == "href":
            self.raw_group()
            return self.group_or_char()
        if name in QUOTE_MACROS:
            left, right = QUOTE_MACROS[name]
            if name == "mkbibquote":  # pandoc keeps the case of biblatex's quote
                return left + self.protect(self.group_or_char) + right
            return left + self.group_or_char() + right
        if name in DROP_ARGUMENT:
            self.group_or_char()
            return ""
        if name in DECLARATIONS:
            return ""
        symbol = _symbol(name)
        if symbol is not None:
            if s.startswith("{}", self.i):
                self.i += 2
            return symbol
        # unknown macro: keep its argument's text if it has one (``\foo{bar}`` → bar)
        if self.i < n and s[self.i] == "{":
            return self.group_or_char()
        return ""


# --- simple math ----------------------------------------------------------------------

#: Unicode super- and subscript forms (what Better BibTeX stores for ``$^2$``, ``$_2$``)
SUPERSCRIPTS = dict(zip("0123456789+-=()ni", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱ", strict=True))
SUBSCRIPTS = dict(zip("0123456789+-=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ",
                      strict=True))
_SCRIPTS = {"textsuperscript": SUPERSCRIPTS, "textsubscript": SUBSCRIPTS}


def _in_forms(text: str, forms: dict[str, str]) -> str:
    """``text`` in Unicode super- or subscript forms if each character has one, else as is."""
    if text and all(ch in forms for ch in text):
        return "".join(forms[ch] for ch in text)
    return text


#: math macros whose argument is upright text; ``\overline``/``\bar`` put a bar over it
_MATH_TEXT = frozenset("textrm mathrm text mbox mathit mathnormal textit mathbf textbf".split())
_MATH_BARS = {"overline": "\u0305", "bar": "\u0305"}
_MATH_DROP = frozenset("left right rm it bf displaystyle textstyle".split())
_MATH_CHARS = re.compile(r"[A-Za-z0-9()\[\],.;:!?/|+=<>'*-]")


def decode_math(segment: str) -> str | None:
    """Simple math (``$_2$``, ``$t$``, ``$\\le\\omega$``, ``$(000\\bar{1})$``) as the Unicode
    text Better BibTeX makes of it (``₂``, ``t``, ``≤ω``, ``(0001̅)``), or None when it is
    not simple (a fraction, a root, a sub- or superscript without a Unicode form, a space
    at either end as in ``$5 and $``): that is kept as typed, as pandoc keeps math. The
    writer escapes what this decodes (:func:`to_latex`), so the two stay inverse."""
    if segment.startswith("$"):
        inner = segment[1:-1]
    elif segment.startswith("\\("):
        inner = segment[2:-2]
    else:
        return None
    if not inner or inner != inner.strip() or "$" in inner:
        return None
    try:
        out, rest = _math_run(inner, 0)
    except ValueError:
        return None
    return out if rest == len(inner) and out else None


def _math_run(s: str, i: int, stop: str = "") -> tuple[str, int]:
    out: list[str] = []
    n = len(s)
    while i < n:
        c = s[i]
        if c == stop:
            return "".join(out), i + 1
        if c in " \t\n":
            i += 1
        elif c == "{":
            text, i = _math_run(s, i + 1, "}")
            out.append(text)
        elif c in "^_":
            arg, i = _math_arg(s, i + 1)
            forms = SUPERSCRIPTS if c == "^" else SUBSCRIPTS
            if c == "^" and arg.isalpha() and out and out[-1][-1:].isdigit():
                out.append(arg)  # an ordinal's ending: $4^{\\textrm{ème}}$ is 4ème
            elif not arg or any(ch not in forms for ch in arg):
                raise ValueError(arg)
            else:
                out.append("".join(forms[ch] for ch in arg))
        elif c == "\\":
            j = i + 1
            while j < n and s[j].isalpha():
                j += 1
            name = s[i + 1 : j]
            i = j
            if not name:
                raise ValueError(s)
            if name in _MATH_DROP:
                continue
            if name in _MATH_TEXT:
                arg, i = _math_arg(s, i, text=True)
                out.append(arg)
            elif name in _MATH_BARS:
                arg, i = _math_arg(s, i)
                out.append("".join(ch + _MATH_BARS[name] for ch in arg))
            else:
                symbol = _symbol(name)
                if symbol is None or len(symbol) != 1:
                    raise ValueError(name)
                if s.startswith("{}", i):
                    i += 2
                out.append(symbol)
        elif _MATH_CHARS.match(c):
            out.append(c)
            i += 1
        else:
            raise ValueError(c)
    if stop:
        raise ValueError("unclosed group")
    return "".join(out), i


def _math_arg(s: str, i: int, text: bool = False) -> tuple[str, int]:
    """The argument of ``^``, ``_`` or a macro: a group or one character."""
    while i < len(s) and s[i] == " ":
        i += 1
    if i >= len(s):
        raise ValueError("no argument")
    if s[i] == "{":
        if text:  # \textrm{ème}: text, decoded as text (accents and all)
            depth, j = 1, i + 1
            while j < len(s) and depth:
                depth += (s[j] == "{") - (s[j] == "}")
                j += 1
            if depth:
                raise ValueError("unclosed group")
            return to_unicode(s[i + 1 : j - 1]), j
        return _math_run(s, i + 1, "}")
    if s[i] == "\\":
        j = i + 1
        while j < len(s) and s[j].isalpha():
            j += 1
        return _math_run(s[i:j], 0)[0], j
    return s[i], i + 1


def _accent(base: str, mark: str) -> str:
    if not base:
        return unicodedata.normalize("NFC", " " + mark).strip() or mark
    if base == "ı":
        base = "i"
    elif base == "ȷ":
        base = "j"
    # the mark goes on the first character of the argument (``\c{C}`` → Ç)
    return unicodedata.normalize("NFC", base[0] + mark + base[1:])


@lru_cache(maxsize=512)
def _symbol(name: str) -> str | None:
    """A symbol macro pylatexenc knows (``\\textdegree`` → °), else None."""
    spec = _pylatexenc_db().get_macro_spec(name)
    repl = getattr(spec, "simplify_repl", None)
    if isinstance(repl, str) and repl and "%" not in repl:
        return repl
    return None


@lru_cache(maxsize=1)
def _pylatexenc_db():  # type: ignore[no-untyped-def]
    from pylatexenc import latex2text

    return latex2text.get_default_latex_context_db()


# --- encoding -------------------------------------------------------------------------

#: LaTeX's special characters and how to write them as text (shared with the LaTeX
#: output backend of ``citetool cite``)
LATEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_LATEX_ESCAPES = {**LATEX_SPECIALS, "\u00a0": "~"}
#: what the decoder turns into typographic characters must be written so it reads back
_UTF8_SAFE = {
    "–": "--",
    "—": "---",
    "“": "``",
    "”": "''",
}  # ‘ stays itself: written as ` it would make the next ' read as ’
_ASCII_LETTERS = {v: "\\" + k for k, v in LETTERS.items() if len(v) == 1 and not v.isascii()}
_ASCII_LETTERS.update({"–": "--", "—": "---", "“": "``", "”": "''"})
_ASCII_LETTERS["ı"] = r"\i"
_ASCII_LETTERS["\u00a0"] = "~"
_ASCII_LETTERS["…"] = r"\ldots"
for _name, _forms in _SCRIPTS.items():  # ₂ → \textsubscript{2}, which reads back as ₂
    _ASCII_LETTERS.update({v: f"\\{_name}{{{k}}}" for k, v in _forms.items()})

# a math segment the decoder keeps: $...$ holding a macro, ^ or _ (not "$5 and $10")
_MATH = re.compile(r"\$(?=\S)(?:[^$\\]|\\.)*?[\\^_{](?:[^$\\]|\\.)*?(?<=\S)\$|\\\(.*?\\\)")
_NEEDS_ESCAPE = re.compile(r"[\\&%$#_{}~^\u00a0\u2013\u2014\u201c\u201d\-`']")


def to_latex(text: str, *, ascii: bool = False) -> str:
    """Encode Unicode text for a BibTeX value (without the enclosing braces)."""
    if not ascii or text.isascii():
        if _NEEDS_ESCAPE.search(text) is None:
            return text
    pieces: list[str] = []
    pos = 0
    for match in _MATH.finditer(text):
        if _is_kept_math(match.group(0)):
            pieces.append(_encode_plain(text[pos : match.start()], ascii))
            pieces.append(match.group(0))
            pos = match.end()
    pieces.append(_encode_plain(text[pos:], ascii))
    return "".join(pieces)


def math_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the math segments :func:`to_latex` keeps verbatim."""
    if "$" not in text and "\\(" not in text:
        return []
    return [m.span() for m in _MATH.finditer(text) if _is_kept_math(m.group(0))]


def brace_depths(text: str) -> tuple[list[int], bool]:
    """The brace depth around each character of ``text`` (a brace counts as outside itself;
    a character escaped by a backslash, as in ``\\{`` or ``\\~``, gets -1), and whether the
    braces balance.  The one brace scanner the reader and the writer share."""
    depths: list[int] = []
    depth = 0
    balanced = True
    escaped = False
    for ch in text:
        if escaped:
            depths.append(-1)
            escaped = False
            continue
        if ch == "\\":
            escaped = True
            depths.append(depth)
        elif ch == "{":
            depths.append(depth)
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth < 0:
                balanced = False
                depth = 0
            depths.append(depth)
        else:
            depths.append(depth)
    return depths, balanced and depth == 0


def _is_kept_math(segment: str) -> bool:
    """The decoder keeps math verbatim only if its braces balance and it is not simple math
    (which it decodes: :func:`decode_math`)."""
    return brace_depths(segment)[1] and decode_math(segment) is None


def _encode_plain(text: str, ascii: bool) -> str:
    out: list[str] = []
    n = len(text)
    i = 0
    while i < n:
        ch = text[i]
        if ch in _LATEX_ESCAPES:
            out.append(_LATEX_ESCAPES[ch])
        elif ch == "-":
            # "--" would read back as an en dash: break the ligature
            out.append("-{}" if i + 1 < n and text[i + 1] == "-" else "-")
        elif ch == "`":
            out.append(r"\textasciigrave{}")
        elif ch == "'":
            out.append("'{}" if i + 1 < n and text[i + 1] == "'" else "'")
        elif ch.isascii():
            out.append(ch)
        elif ch in _UTF8_SAFE and not ascii:
            out.append(_UTF8_SAFE[ch])
        elif not ascii:
            out.append(ch)
        else:
            out.append(_ascii_char(ch))
        i += 1
    return "".join(out)


@lru_cache(maxsize=4096)
def _ascii_char(ch: str) -> str:
    if ch in _ASCII_LETTERS:
        form = _ASCII_LETTERS[ch]
        return "{" + form + "}" if form.startswith("\\") else form
    decomposed = unicodedata.normalize("NFD", ch)
    base, marks = decomposed[0], decomposed[1:]
    if marks and all(m in _COMBINING_TO_ACCENT for m in marks):
        inner = _ascii_char(base) if not base.isascii() else base
        if inner.startswith("{") and inner.endswith("}"):
            inner = inner[1:-1]
        for mark in marks:
            accent = _COMBINING_TO_ACCENT[mark]
            if len(inner) == 1 and not accent.isalpha():
                inner = "\\" + accent + inner
            else:
                inner = "\\" + accent + "{" + inner + "}"
        return "{" + inner + "}"
    symbol = _reverse_symbols().get(ch)
    if symbol:
        return "{\\" + symbol + "}"
    return ch  # no LaTeX form (CJK, Cyrillic without fonts): kept as UTF-8


@lru_cache(maxsize=1)
def _reverse_symbols() -> dict[str, str]:
    out: dict[str, str] = {}
    db = _pylatexenc_db()
    for cat in db.categories():
        for spec in db.iter_macro_specs(categories=[cat]):
            repl = getattr(spec, "simplify_repl", None)
            if (
                isinstance(repl, str)
                and len(repl) == 1
                and not repl.isascii()
                and spec.macroname.isalpha()
                and repl not in out
                and LETTERS.get(spec.macroname, repl) == repl  # reads back as itself
                and spec.macroname not in ACCENTS
            ):
                out[repl] = spec.macroname
    return out


def escape_verbatim(text: str) -> str:
    """A verbatim field (url, doi): only braces must balance; ``%`` and ``#`` are fine
    for biber and for BibTeX's url.sty; an unbalanced brace is escaped."""
    if "{" not in text and "}" not in text:
        return text
    depth = 0
    for ch in text:  # no escapes in verbatim text: a backslash is a backslash
        depth += (ch == "{") - (ch == "}")
        if depth < 0:
            break
    if depth == 0:
        return text
    return text.replace("{", r"\{").replace("}", r"\}")
