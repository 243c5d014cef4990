"""Staff PINs, one per role, kept only as slow salted hashes.

Argon2id with the RFC 9106 "low memory" profile (64 MiB, 3 passes, 4 lanes, 16-byte salt),
through argon2-cffi: a verification costs about a quarter of a second and 64 MiB, so trying the
million six-digit PINs against a stolen file takes days per core, and the prompt's lockout
stops anyone trying them at the kiosk. The PIN itself is never stored, logged or kept in memory
longer than the check. A hash made with older parameters is remade at the next right PIN.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from kiosk.domain import ROLES, Role
from kiosk.staff.files import StaffFile

PINS_NAME = "pins.json"
FORMAT = "kiosk-staff-pins"
PIN_FORM = re.compile(r"^[0-9]{6,12}$")


class PinError(ValueError):
    """A PIN that cannot be set, and why."""


def default_hasher() -> PasswordHasher:
    return PasswordHasher.from_parameters(profiles.RFC_9106_LOW_MEMORY)


class PinStore:
    def __init__(self, directory: Path, hasher: PasswordHasher | None = None) -> None:
        self.file = StaffFile(directory / PINS_NAME)
        self.hasher = hasher or default_hasher()

    def roles(self) -> list[Role]:
        """The roles that have a PIN."""
        return [role for role in ROLES if role in self._hashes()]  # type: ignore[misc]

    def set(self, role: Role, pin: str) -> None:
        """Give ``role`` this PIN (replacing its old one). Refused: a PIN that is not 6 to 12
        digits, or that another role already has (it would open that role's screens)."""
        if role not in ROLES:
            raise PinError(f"unknown role '{role}': use one of {', '.join(ROLES)}")
        if not PIN_FORM.match(pin):
            raise PinError("a PIN is 6 to 12 digits (the kiosk's keypad has nothing else)")
        with self.file.locked():
            data = self.file.read()
            hashes = self._valid(data)
            if self._matching(hashes, pin, [r for r in hashes if r != role]):
                raise PinError("another role already has this PIN: choose another one")
            hashes[role] = self.hasher.hash(pin)
            self.file.write({"format": FORMAT, "pins": hashes})

    def match(self, pin: str) -> Role | None:
        """The role this PIN opens, if any. Every role's hash is checked, whichever matches,
        so the time taken says nothing about which role was tried."""
        hashes = self._hashes()
        found = self._matching(hashes, pin, list(hashes))
        if found is not None and self.hasher.check_needs_rehash(hashes[found]):
            with self.file.locked():
                data = self.file.read()
                current = self._valid(data)
                current[found] = self.hasher.hash(pin)
                self.file.write({"format": FORMAT, "pins": current})
        return found

    def _hashes(self) -> dict[str, str]:
        return self._valid(self.file.read())

    def _valid(self, data: dict[str, object]) -> dict[str, str]:
        pins = data.get("pins", {})
        if data and (data.get("format") != FORMAT or not isinstance(pins, dict)):
            raise PinError(f"{self.file.path} is not a kiosk PIN file: move it aside and set "
                           "the PINs again with 'kiosk pin set'")
        return {str(k): str(v) for k, v in pins.items() if k in ROLES}

    def _matching(self, hashes: dict[str, str], pin: str, roles: Sequence[str]) -> Role | None:
        found: Role | None = None
        for role in roles:
            try:
                if self.hasher.verify(hashes[role], pin) and found is None:
                    found = role  # type: ignore[assignment]
            except (VerifyMismatchError, VerificationError, InvalidHashError):
                continue
        return found
