"""The staff side of the kiosk, with no UI: who may open the staff screens and what they leave.

- ``files``: the staff folder (``<data dir>/staff``) and its small JSON files, each rewritten
  whole and atomically under a lock every kiosk process shares;
- ``pins``: one PIN per role, kept only as slow salted hashes (Argon2id);
- ``lockout``: wrong PINs lock the prompt for a growing time that survives a restart;
- ``audit``: the append-only staff audit log, each entry chained to the previous one by its
  hash, and its verification;
- ``codes``: the same-day link between a visitor's result code and their result;
- ``access``: the one way in: a PIN gives a role, and a role the areas it may open.
"""

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.staff.access import AREAS, Attempt, StaffAccess, may_open
    from kiosk.staff.audit import AuditCheck, AuditLog
    from kiosk.staff.codes import ResultCodes, ShownResult
    from kiosk.staff.pins import PinError, PinStore

# Loaded when first asked for: a command that only appends to the audit log (an export) need
# not load the PIN hashing and the result codes' questionnaire and words.
_HOMES = {"AREAS": "access", "Attempt": "access", "StaffAccess": "access", "may_open": "access",
          "AuditCheck": "audit", "AuditLog": "audit", "ResultCodes": "codes",
          "ShownResult": "codes", "PinError": "pins", "PinStore": "pins"}


def __getattr__(name: str) -> object:
    if name not in _HOMES:
        raise AttributeError(f"module 'kiosk.staff' has no attribute '{name}'")
    return getattr(import_module(f"kiosk.staff.{_HOMES[name]}"), name)


__all__ = [
    "AREAS",
    "Attempt",
    "AuditCheck",
    "AuditLog",
    "PinError",
    "PinStore",
    "ResultCodes",
    "ShownResult",
    "StaffAccess",
    "may_open",
]
