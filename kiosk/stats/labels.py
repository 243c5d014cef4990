"""What the statistics call each dimension and category, in one language: the questionnaire's
own words where it names them, ``words.yaml`` for the rest, Babel for language names."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from babel import Locale, UnknownLocaleError

from kiosk.bank.model import AGE_QUESTION, Bank
from kiosk.datafile import Text, Texts, load_model
from kiosk.records import NOT_GIVEN, REASON_QUESTION

WORDS_FILE = Path(__file__).with_name("words.yaml")


@cache
def words() -> Texts:
    return load_model(WORDS_FILE, Texts)


class Labels:
    def __init__(self, language: str, bank: Bank | None = None) -> None:
        self.language = language
        self._named: dict[tuple[str, str], Text] = {}
        if bank is not None:
            self._named |= {("pathway", p.id): p.title for p in bank.pathways}
            self._named |= {("domain", d.id): d.label for d in bank.domains}
            self._named |= {("level", level.id): level.label for level in bank.levels}
            self._named |= {("need", n.id): n.title for n in bank.needs}
            for question, dimension in ((REASON_QUESTION, "reason"), (AGE_QUESTION, "age_band")):
                for q in bank.context:
                    if q.id == question:
                        self._named |= {(dimension, o.id): o.label for o in q.options}
            if bank.mediator is not None:
                for dimension, options in (("theme", bank.mediator.themes),
                                           ("autonomy", bank.mediator.autonomy),
                                           ("redirection", bank.mediator.redirection),
                                           ("session_length", bank.mediator.length)):
                    self._named |= {(dimension, o.id): o.label for o in options}

    def word(self, key: str, **values: object) -> str:
        return words().get(key, self.language, **values)

    def dimension(self, dimension: str) -> str:
        return self.word(f"dim_{dimension}")

    def value(self, dimension: str, value: str | None) -> str:
        if value is None:
            return self.word("total")
        if value == NOT_GIVEN:
            return self.word("not_given")
        if (dimension, value) in self._named:
            return self._named[dimension, value].get(self.language)
        if dimension in ("mode", "completion"):
            return self.word(f"{dimension}_{value}")
        if dimension == "language":
            return _language_name(value, self.language)
        return value


def _language_name(code: str, language: str) -> str:
    try:
        return Locale.parse(code).get_display_name(language) or code
    except (UnknownLocaleError, ValueError):
        return code
