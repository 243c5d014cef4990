"""French typography where words are shown: no-break spaces set once, and lines that never
break at one."""

from __future__ import annotations

import pytest

from kiosk.typography import NO_BREAK_SPACE as NBSP
from kiosk.typography import typeset
from kiosk.ui.widgets.words import Unbroken


@pytest.mark.parametrize(("written", "shown"), [
    ("Pourquoi ?", f"Pourquoi{NBSP}?"),
    ("Langues : français et anglais", f"Langues{NBSP}: français et anglais"),
    ("Attention !", f"Attention{NBSP}!"),
    ("Oui ; non", f"Oui{NBSP}; non"),
    ("« Valider »", f"«{NBSP}Valider{NBSP}»"),
    ("«Valider»", f"«{NBSP}Valider{NBSP}»"),
    # A colon inside a time or an address has no space before it, and gets none.
    ("Ouvert jusqu'à 16:00", "Ouvert jusqu'à 16:00"),
    ("https://www.geneve.ch", "https://www.geneve.ch"),
])
def test_french_gets_its_no_break_spaces(written: str, shown: str) -> None:
    assert typeset(written, "fr") == shown
    assert typeset(shown, "fr") == shown, "set once: typesetting again changes nothing"


def test_english_is_left_as_written() -> None:
    assert typeset("Why? « quoted »", "en") == "Why? « quoted »"


@pytest.mark.parametrize("width", range(8, 30))
def test_a_line_never_starts_with_the_mark_a_no_break_space_holds(width: int) -> None:
    text = typeset("Avez-vous une adresse e-mail ? Oui : « toujours » !", "fr")
    lines = Unbroken(text).lines(width).plain.split("\n")
    assert all(not line.startswith(("?", ":", "!", "»")) for line in lines), lines
    # Longer than the width only where one word, held together, is longer.
    assert all(len(line) <= width or " " not in line for line in lines), lines
    assert " ".join(lines).replace(NBSP, " ").split() == text.replace(NBSP, " ").split()
