"""Durable, concurrent-safe storage of assessment results (see ``store`` for the design)."""

from kiosk.storage.errors import LockTimeout, SchemaVersionError, StorageError
from kiosk.storage.store import Incident, PurgeReport, ResultStore

__all__ = [
    "Incident",
    "LockTimeout",
    "PurgeReport",
    "ResultStore",
    "SchemaVersionError",
    "StorageError",
]
