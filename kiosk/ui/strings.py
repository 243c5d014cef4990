"""The screens' own texts (``strings.yaml``), checked complete for the kiosk's languages by
``kiosk run`` and ``kiosk validate``."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from kiosk.datafile import Texts, load_model

STRINGS_FILE = Path(__file__).with_name("strings.yaml")


@cache
def strings() -> Texts:
    return load_model(STRINGS_FILE, Texts)
