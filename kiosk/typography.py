"""A language's typography, applied once, where texts are shown: French puts a no-break space
before ``? ! ; :`` and inside ``« »``, so that a line never starts with "?" and quotes stay
with their words.

Data files are written with ordinary spaces (easier to type and to review); the screens pass
every text through :func:`typeset` in the visitor's language. The take-away's QR code keeps
ordinary spaces: a no-break space takes two bytes there, and a phone shows it the same.
"""

from __future__ import annotations

import re

NO_BREAK_SPACE = "\u00a0"  # the narrow one (U+202F) is missing from the Linux console's fonts

# A space (or none) before a high punctuation mark that follows a word or a closing mark; a
# colon between digits (12:30) or in an address (https://) has no space before it and is left.
_BEFORE_HIGH = re.compile(r"(?<=\S) (?=[?!;:](\s|$))")
# Any space already there (no-break or not) is replaced: a text typeset twice stays the same.
_AFTER_OPENING = re.compile("«[ \u00a0]?")
_BEFORE_CLOSING = re.compile("[ \u00a0]?»")


def typeset(text: str, language: str) -> str:
    """``text`` with the typography of ``language`` (French only has rules here)."""
    if language != "fr":
        return text
    text = _BEFORE_HIGH.sub(NO_BREAK_SPACE, text)
    text = _AFTER_OPENING.sub("«" + NO_BREAK_SPACE, text)
    return _BEFORE_CLOSING.sub(NO_BREAK_SPACE + "»", text)
