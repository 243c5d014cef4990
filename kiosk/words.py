"""Words of the kiosk's core (``words.yaml``): what it says about offers, hours, the take-away.

The domain core reads them here, never from the screens' module; each text is checked complete
for the kiosk's languages by ``kiosk run`` and ``kiosk validate``, like the screens' own words.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from kiosk.messages import Messages, load_messages

WORDS_FILE = Path(__file__).with_name("words.yaml")


@cache
def words() -> Messages:
    return load_messages(WORDS_FILE)
