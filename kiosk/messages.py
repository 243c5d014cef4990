"""The kiosk's own words (screens, offers, hours, take-away) as read at run time: a key, a
language, a text with ``{name}`` places.

The first screen needs them before anything else is loaded, so a well-formed file is read
with libyaml alone, without the Pydantic models; a file that is not a mapping of keys to texts
is read again through the data-file layer (``Texts``), which says where it is wrong.
"""

from __future__ import annotations

from pathlib import Path

import yaml

_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Messages:
    def __init__(self, texts: dict[str, dict[str, str]]) -> None:
        self._texts = texts

    def get(self, key: str, language: str, **values: object) -> str:
        text = self._texts[key][language]
        return text.format(**values) if values else text

    def keys(self) -> list[str]:
        return list(self._texts)

    def texts(self) -> dict[str, dict[str, str]]:
        return dict(self._texts)

    def missing(self, languages: list[str]) -> list[str]:
        """``key: language`` for every text not translated into one of ``languages``."""
        return [f"{key}: {language}" for key, texts in self._texts.items()
                for language in languages if language not in texts]


def load_messages(path: Path) -> Messages:
    """The texts of ``path``; ``DataFileError`` with ``file:line`` when it is malformed."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8-sig"), Loader=_FAST_LOADER)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        data = None
    if _well_formed(data):
        return Messages(data)
    from kiosk.datafile import Texts, load_model  # says where and what is wrong

    load_model(path, Texts)
    raise AssertionError(f"{path}: the texts model accepted a malformed file")


def _well_formed(data: object) -> bool:
    return isinstance(data, dict) and all(
        isinstance(key, str) and isinstance(texts, dict) and all(
            isinstance(lang, str) and isinstance(text, str) and text.strip()
            for lang, text in texts.items())
        for key, texts in data.items())
