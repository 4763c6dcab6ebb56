"""LaTeX <-> Unicode for BibTeX values (citetool.latex), incl. the pitfalls of peer tools."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from citetool.latex import escape_verbatim, needs_decoding, to_latex, to_unicode


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        (r"{\L}{\'o}d{\'z}", "Łódź"),
        (r"\l", "ł"),
        (r"Truch\l o", "Truchło"),  # BBT#1538: not "Truchł o"
        (r"Truch{\l}o", "Truchło"),
        (r"Pawe{\l}", "Paweł"),
        (r"a \& b", "a & b"),
        (r"50\%", "50%"),
        (r"\$5 \# \_x\_", "$5 # _x_"),
        ("51--71", "51–71"),
        ("a---b", "a—b"),
        ("Angew.~Chem.", "Angew.\u00a0Chem."),
        # simple math as Better BibTeX decodes it (not "ømega", bibtexparser#498)
        (r"$\omega$-limit sets", "ω-limit sets"),
        (r"Cu$_2$O thin film", "Cu₂O thin film"),
        (r"DNA$_{\textrm{2}}$", "DNA₂"),
        (r"$\left( 000\bar{1} \right)$ N-polar", "(0001\u0305) N-polar"),
        (r"$\langle{}00\overline{1}\rangle$", "⟨001\u0305⟩"),
        (r"arity $\le\omega$", "arity ≤ω"),
        (r"Actes du $4^{\textrm{ème}}$ Congrès", "Actes du 4ème Congrès"),
        (r"$t$-$J$ models", "t-J models"),
        # math that has no plain-text form is kept as typed, as pandoc keeps it
        (r"$\frac{1}{2}$ and $x^{ab}$", r"$\frac{1}{2}$ and $x^{ab}$"),
        (r"$5 and $10", "$5 and $10"),
        # \textsuperscript/\textsubscript in Unicode forms where they exist, as BBT stores them
        (r"MBE Using NH\textsuperscript{3}", "MBE Using NH³"),
        (r"H\textsubscript{2}O", "H₂O"),
        (r"the 1\textsuperscript{st} edition", "the 1st edition"),
        (r"\symbol{126}user", "~user"),
        (r"Franc{\ocirc{u}}, Jan", "Franců, Jan"),  # MathSciNet's @preamble macro
        (r"\(\alpha\) x", "α x"),
        (r"Aks{\i}n", "Aksın"),
        (r"{\c{C}}etinkaya", "Çetinkaya"),
        (r"\c c", "ç"),
        (r"Vign{\'e}", "Vigné"),
        (r"\'{\i}", "í"),
        (r"{\~{\^e}}", "ễ"),  # stacked accents (BBT#3599)
        (r"\v{S}koda", "Škoda"),
        (r'Schr\"odinger', "Schrödinger"),
        (r"\k{a}", "ą"),
        (r"{\.Z}{\'o}{\l}{\'c}", "Żółć"),
        (r"\ss{}", "ß"),
        (r"``quoted''", "“quoted”"),
        ("`space clamping' and what's", "‘space clamping’ and what's"),
        (r"\emph{Hello} \textbf{World}", "Hello World"),
        (r"\texttt{collection}", "collection"),
        (r"\noopsort{a}Zed", "Zed"),
        (r"\url{http://a.b/c%20d}", "http://a.b/c%20d"),
        (r"\textdegree C", "°C"),  # a symbol only pylatexenc's table knows
        ("The {DNA} of {iPhone}", "The DNA of iPhone"),  # case-protection braces dropped
        ("two\n   lines", "two lines"),
        (r"methodology\hyphen independent", "methodology-independent"),
    ],
)
def test_decodes(latex: str, text: str) -> None:
    assert to_unicode(latex) == text


def test_plain_values_take_the_fast_path() -> None:
    assert not needs_decoding("Computer Graphics and Image Processing")
    assert needs_decoding(r"Stra{\ss}e")
    assert to_unicode("  plain value ") == "plain value"


@pytest.mark.parametrize(
    ("text", "utf8", "ascii"),
    [
        ("Łódź", "Łódź", r"{\L}{\'o}d{\'z}"),
        ("Paweł", "Paweł", r"Pawe{\l}"),
        ("ễ", "ễ", r"{\~{\^e}}"),
        ("Çetinkaya", "Çetinkaya", r"{\c{C}}etinkaya"),
        ("Straße", "Straße", r"Stra{\ss}e"),
        ("A & B", r"A \& B", r"A \& B"),  # citation-js#232: "Misplaced alignment tab"
        ("50% _x_ #1 {y}", r"50\% \_x\_ \#1 \{y\}", r"50\% \_x\_ \#1 \{y\}"),
        ("$5 and $10", r"\$5 and \$10", r"\$5 and \$10"),
        (r"$\frac{1}{2}$", r"$\frac{1}{2}$", r"$\frac{1}{2}$"),  # math kept as typed
        # math the reader decodes is text: escaped, so that it reads back as itself
        (r"$_2$", r"\$\_2\$", r"\$\_2\$"),
        ("51–71", "51--71", "51--71"),
        ("a--b", "a-{}-b", "a-{}-b"),
        ("x\u00a0y", "x~y", "x~y"),
        ("H₂O, NH³", "H₂O, NH³", r"H{\textsubscript{2}}O, NH{\textsuperscript{3}}"),
    ],
)
def test_encodes(text: str, utf8: str, ascii: str) -> None:
    assert to_latex(text) == utf8
    assert to_latex(text, ascii=True) == ascii
    assert to_unicode(utf8) == text
    assert to_unicode(ascii) == text


def test_ascii_output_is_ascii_for_latin_and_polish() -> None:
    text = "Zażółć gęślą jaźń — Müller, Ødegaard, Ærø, œuvre, ß"
    encoded = to_latex(text, ascii=True)
    assert encoded.isascii()
    assert to_unicode(encoded) == text


def test_verbatim_fields_are_not_escaped() -> None:
    assert escape_verbatim("https://x.org/a?b=1&c=%20#frag_1") == "https://x.org/a?b=1&c=%20#frag_1"
    assert escape_verbatim("10.1000/a{b") == r"10.1000/a\{b"


_TEXT = st.text(
    st.characters(
        codec="utf-8",
        exclude_categories=("Cc", "Cs", "Zl", "Zp", "Cf", "Co", "Cn", "Zs", "Mn", "Mc", "Me"),
    )
    | st.sampled_from(list(" &%$#_{}~^\\-–—“”‘’'`\u00a0ąłŁżźĆéễ")),
    max_size=40,
)


@given(_TEXT, st.booleans())
def test_encoding_then_decoding_gives_the_text_back(text: str, ascii: bool) -> None:
    import re
    import unicodedata

    text = re.sub(" +", " ", unicodedata.normalize("NFC", text)).strip(" ")
    assert to_unicode(to_latex(text, ascii=ascii)) == text
