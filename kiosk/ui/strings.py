"""The screens' own words (``strings.yaml``), and the one way screens, dialogs and widgets get
them: ``Localized.t`` in the app's language of the moment.

The words are checked complete for the kiosk's languages by ``kiosk run`` and ``kiosk validate``;
the staff screens keep theirs in ``staff/strings.yaml``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from kiosk.messages import Messages, load_messages
from kiosk.typography import typeset

if TYPE_CHECKING:
    from kiosk.datafile import Text

STRINGS_FILE = Path(__file__).with_name("strings.yaml")
STAFF_STRINGS_FILE = Path(__file__).parent / "staff" / "strings.yaml"


@cache
def string_files() -> tuple[tuple[Path, Messages], ...]:
    """Each file of the screens' words: the visitors' screens, and the staff's."""
    return tuple((path, load_messages(path)) for path in (STRINGS_FILE, STAFF_STRINGS_FILE))


@cache
def strings() -> Messages:
    merged: dict[str, dict[str, str]] = {}
    for path, texts in string_files():
        clash = set(merged) & set(texts.keys())
        if clash:
            raise ValueError(f"{path}: {', '.join(sorted(clash))} already defined elsewhere")
        merged |= texts.texts()
    return Messages(merged)


class Speaking(Protocol):
    """An app that speaks one language at a time (the kiosk; a test's host app)."""

    language: str


class Localized:
    """Mixed into a screen, dialog or widget: its words in the app's language, with that
    language's typography (the one place every word on screen passes).

    Read at compose time, so a screen recomposed after a language switch speaks the new one.
    """

    if TYPE_CHECKING:

        @property
        def app(self) -> Speaking: ...

    @property
    def language(self) -> str:
        return self.app.language

    def t(self, key: str, **values: object) -> str:
        """One of the screens' own texts."""
        return self.say(strings().get(key, self.language, **values))

    def tr(self, text: Text) -> str:
        """A text from a data file (questionnaire, site)."""
        return self.say(text.get(self.language))

    def say(self, words: str) -> str:
        """Words already in the app's language (the core's words about offers)."""
        return typeset(words, self.language)
