"""Durable, concurrent-safe storage of assessment results (see ``store`` for the design)."""

from kiosk.storage.errors import DiskFull, LockTimeout, SchemaVersionError, StorageError
from kiosk.storage.journal import Incident
from kiosk.storage.store import PurgeReport, ResultStore

__all__ = [
    "DiskFull",
    "Incident",
    "LockTimeout",
    "PurgeReport",
    "ResultStore",
    "SchemaVersionError",
    "StorageError",
]
