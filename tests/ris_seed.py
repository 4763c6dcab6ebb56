"""The seed record (examples/article-record.txt) built by hand for the RIS tests, as the
landing-page reader is meant to produce it (shared by the RIS writer and CLI tests)."""

from __future__ import annotations

from pathlib import Path

from citetool.model import Date, Name, Record

SEED = Path(__file__).resolve().parent.parent / "examples" / "article-record.txt"


def _paragraphs() -> list[str]:
    text = SEED.read_text("utf-8")
    return [p.strip() for p in text.split("\n\n") if p.strip()]


def seed_record() -> Record:
    paragraphs = _paragraphs()
    polish = next(p for p in paragraphs if p.startswith("Przedmiotem"))
    english = next(p for p in paragraphs if p.startswith("Th e subject"))
    return Record(
        id="bielicki2020relacje",
        type="article-journal",
        fields={
            "title": "Relacje kazachsko-rosyjskie i ich znaczenie dla bezpieczeństwa na "
            "obszarze postradzieckim",
            "container-title": "Athenaeum. Polskie Studia Politologiczne",
            "volume": "66",
            "page": "51-71",
            "DOI": "10.15804/athena.2020.66.04",
            "language": "pl",
        },
        names={
            "author": (
                Name(
                    family="Bielicki",
                    given="Paweł",
                    affiliation=(
                        "Instytut Solidarności i Męstwa im. Witolda Pileckiego w Warszawie",
                    ),
                ),
            )
        },
        dates={"issued": Date.of(2020)},
        abstracts={"pl": polish, "en": english},
        keywords={
            "pl": ("Rosja", "Kazachstan", "bezpieczeństwo", "obszar postradziecki", "Nazarbajew"),
            "en": ("Russia", "Kazakhstan", "security", "Nazarbayev"),
        },
        extra={"pdf": "apsp/66/apsp6604.pdf"},
    )
