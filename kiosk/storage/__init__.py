"""Durable, concurrent-safe storage of assessment results (see ``store`` for the design).

The names below are imported on first use: the save queue and the data-folder helpers are
needed before the kiosk's first screen, the store and its record models only after it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.storage.errors import DiskFull, LockTimeout, SchemaVersionError, StorageError
    from kiosk.storage.journal import Incident
    from kiosk.storage.store import PurgeReport, ResultStore

_WHERE = {
    "DiskFull": "errors",
    "LockTimeout": "errors",
    "SchemaVersionError": "errors",
    "StorageError": "errors",
    "Incident": "journal",
    "PurgeReport": "store",
    "ResultStore": "store",
}

__all__ = [
    "DiskFull",
    "Incident",
    "LockTimeout",
    "PurgeReport",
    "ResultStore",
    "SchemaVersionError",
    "StorageError",
]


def __getattr__(name: str) -> object:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
