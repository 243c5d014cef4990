"""The screens' own texts (``strings.yaml``), checked complete for every language at load."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from kiosk.bank.loader import load_model
from kiosk.words import Words

STRINGS_FILE = Path(__file__).with_name("strings.yaml")


# The screens' texts have the same shape as the core's words, and the same completeness check.
Strings = Words


@cache
def strings() -> Strings:
    return load_model(STRINGS_FILE, Strings)
