"""Words of the kiosk's core (``words.yaml``): what it says about offers, hours, the take-away.

The domain core reads them here, never from the screens' module; each text is checked complete
for every language of the kiosk, like the screens' own texts.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic import RootModel

from kiosk.bank.loader import load_model
from kiosk.bank.text import Text

WORDS_FILE = Path(__file__).with_name("words.yaml")


class Words(RootModel[dict[str, Text]]):
    """Texts by key, each in every language; ``{name}`` places are filled by ``get``."""

    def get(self, key: str, language: str, **values: object) -> str:
        text = self.root[key]
        chosen = language if language in text.languages() else "en"
        return text.get(chosen).format(**values) if values else text.get(chosen)

    def missing(self, languages: list[str]) -> list[str]:
        """``key: language`` for every text not translated into one of ``languages``."""
        return [
            f"{key}: {lang}"
            for key, text in self.root.items()
            for lang in languages
            if lang not in text.languages()
        ]


@cache
def words() -> Words:
    return load_model(WORDS_FILE, Words)
