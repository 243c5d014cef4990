"""What the store raises: typed, with a message that says what happened and what to do."""


class StorageError(Exception):
    """The store cannot do what was asked; nothing was overwritten."""


class LockTimeout(StorageError):
    """Another process held the data directory's lock for too long."""


class SchemaVersionError(StorageError):
    """Data written by a newer kiosk, or of a version no migration leads from."""
