"""Where the kiosk finds its bundled data and keeps its own."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

_PACKAGE = Path(__file__).resolve().parent
# In a source checkout (and an editable install) the data files sit beside the package; a wheel
# carries them inside it (see pyproject.toml's force-include).
_CANDIDATES = (_PACKAGE.parent / "questionnaires", _PACKAGE / "_bundled" / "questionnaires")

DATA_DIR_ENV = "KIOSK_DATA_DIR"


def questionnaires_dir() -> Path:
    for candidate in _CANDIDATES:
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("the bundled questionnaires are missing from this installation")


def default_bank() -> Path:
    return questionnaires_dir() / "default.yaml"


def default_site() -> Path:
    return questionnaires_dir() / "sites" / "example.yaml"


def data_dir(explicit: Path | None = None) -> Path:
    """``--data-dir``, else ``$KIOSK_DATA_DIR``, else the user's data folder."""
    if explicit is not None:
        return explicit
    from_env = os.environ.get(DATA_DIR_ENV)
    return Path(from_env) if from_env else Path(user_data_dir("kiosk", appauthor=False))
