import pytest

from chronik.language import DEFAULT, detect_language


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Die USA und Südkorea haben vor einer Militärkooperation zwischen Nordkorea und "
            "Russland gewarnt. Beide Seiten seien sich einig, sagte der Minister.",
            "de",
        ),
        (
            "The United States and South Korea have warned against military cooperation between "
            "North Korea and Russia, the minister said on Friday.",
            "en",
        ),
        (
            "Le président de la République a rencontré le chancelier allemand à Paris pour "
            "discuter de la guerre en Ukraine et des relations avec la Russie.",
            "fr",
        ),
        (
            "El presidente del Gobierno se reunió con el canciller alemán en Madrid para hablar "
            "de la guerra en Ucrania y de las relaciones con Rusia.",
            "es",
        ),
    ],
)
def test_language_detects_news_text(text: str, expected: str) -> None:
    assert detect_language(text) == expected


def test_language_short_text_falls_back_to_default() -> None:
    assert detect_language("Putin 2023") == DEFAULT
    assert detect_language("") == DEFAULT
