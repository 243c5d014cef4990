"""The screens' own texts (``strings.yaml``), checked complete for every language at load."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic import RootModel

from kiosk.bank.loader import load_model
from kiosk.bank.text import Text

STRINGS_FILE = Path(__file__).with_name("strings.yaml")


class Strings(RootModel[dict[str, Text]]):
    def get(self, key: str, language: str, **values: object) -> str:
        text = self.root[key].get(language)
        return text.format(**values) if values else text

    def missing(self, languages: list[str]) -> list[str]:
        """``key: language`` for every text not translated into one of ``languages``."""
        return [
            f"{key}: {lang}"
            for key, text in self.root.items()
            for lang in languages
            if lang not in text.languages()
        ]


@cache
def strings() -> Strings:
    return load_model(STRINGS_FILE, Strings)
