"""The staff audit log: what staff did at the kiosk, where an edit shows.

``audit.jsonl`` in the staff folder, one JSON entry per line, only ever appended to (under the
staff lock, one write and an fsync): its number, the day (never a time of day: beside the
results' weeks a time would date a visit), the event, the role, a few counts or kinds, the hash
of the previous entry and its own hash (SHA-256 of the entry without it). Changing, removing or
inserting an entry breaks the chain from there on, which :func:`verify` finds and names. What
is logged: PIN failures and lockouts, staff screens opened and left, guided sessions started,
results opened by their code, exports made. Never a PIN, a result code, an answer or a result.

The chain shows edits, not a rewrite of the whole file from some entry on with new hashes (the
file carries its own proof): ``kiosk audit verify`` prints the last hash, which a coordinator
can note elsewhere to pin the log down to that point.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal, get_args

from kiosk.datafile import Unreadable, read_bytes
from kiosk.domain import Role
from kiosk.staff.files import StaffFile
from kiosk.storage.errors import StorageError, explain

AUDIT_NAME = "audit.jsonl"
GENESIS = "0" * 64  # the "previous hash" of the first entry
Event = Literal[
    "pin_set", "pin_failed", "locked", "staff_opened", "staff_left", "guided_started",
    "result_opened", "code_refused", "export_made", "kiosk_stopped",
]
EVENTS: tuple[str, ...] = get_args(Event)
# What an entry may say besides its event: counts and kinds, never free text.
Detail = Mapping[str, int | str | bool]
FIELDS = ("n", "day", "event", "role", "detail", "prev")
# An entry is about 250 bytes: 64 MB is a quarter of a million staff actions, decades at a desk.
MAX_AUDIT_BYTES = 64 * 1024 * 1024


def entry_hash(entry: Mapping[str, object]) -> str:
    """SHA-256 of the entry's fields (its own hash aside), in one canonical form."""
    body = {name: entry.get(name) for name in FIELDS}
    canonical = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class AuditCheck:
    entries: int  # entries read
    first_bad: int | None  # line number of the first entry that does not hold (None: all do)
    problem: str  # what is wrong with it ('' when nothing is)
    last_hash: str  # the hash of the last good entry (the genesis hash when there is none)

    @property
    def ok(self) -> bool:
        return self.first_bad is None


class AuditLog:
    def __init__(self, directory: Path, today: Callable[[], date] = date.today) -> None:
        self.path = directory / AUDIT_NAME
        self._guard = StaffFile(self.path, today)  # for its lock and its files' times
        self._today = today

    def add(self, event: Event, role: Role | None = None, **detail: int | str | bool) -> None:
        """Append one entry, chained to the last one."""
        if event not in EVENTS:
            raise ValueError(f"unknown audit event '{event}'")
        with self._guard.locked():
            number, previous = self._last()
            entry: dict[str, object] = {"n": number + 1, "day": self._today().isoformat(),
                                        "event": event, "role": role, "detail": dict(detail),
                                        "prev": previous}
            entry["hash"] = entry_hash(entry)
            line = json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n"
            if self._torn():  # a write cut short stays a bad line of its own, never a prefix
                line = "\n" + line
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
                try:
                    os.write(fd, line.encode("utf-8"))
                    os.fsync(fd)
                finally:
                    os.close(fd)
            except OSError as exc:
                raise explain(exc, self.path) from exc

    def export_made(self, role: Role, kind: str, rows: int, **detail: int | str | bool) -> None:
        """For whoever writes an export (the coordinator's screens): what kind, how many rows."""
        self.add("export_made", role, kind=kind, rows=rows, **detail)

    def verify(self) -> AuditCheck:
        return verify(self.path)

    def _torn(self) -> bool:
        try:
            with open(self.path, "rb") as handle:
                handle.seek(-1, os.SEEK_END)
                return handle.read(1) != b"\n"
        except OSError:  # no file yet, or an empty one
            return False

    def _last(self) -> tuple[int, str]:
        """The number and hash of the last entry (0 and the genesis hash for a new log)."""
        check = verify(self.path)
        return check.entries, check.last_hash


def verify(path: Path) -> AuditCheck:
    """Check every entry of the log at ``path``: its form, its number, its link to the one before
    and its own hash. Stops at the first that does not hold."""
    previous, count = GENESIS, 0
    try:
        data = read_bytes(path, MAX_AUDIT_BYTES)
    except FileNotFoundError:
        return AuditCheck(0, None, "", GENESIS)
    except OSError as exc:
        raise explain(exc, path) from exc
    except Unreadable as exc:
        raise StorageError(f"{path} cannot be checked ({exc}): move it aside (keep it), a new "
                           "log starts") from exc
    for number, line in enumerate(data.splitlines(keepends=True), start=1):
        problem = _problem(line, number, previous)
        if problem:
            return AuditCheck(count, number, problem, previous)
        previous = json.loads(line)["hash"]
        count += 1
    return AuditCheck(count, None, "", previous)


def _problem(line: bytes, number: int, previous: str) -> str:
    if not line.endswith(b"\n"):
        return "the entry is incomplete (a write cut short, or the end of the file removed)"
    try:
        entry = json.loads(line)
    except (ValueError, RecursionError):  # RecursionError: nested deeper than Python recurses
        return "the entry is not JSON"
    if not isinstance(entry, dict) or set(entry) != {*FIELDS, "hash"}:
        return "the entry does not have the audit log's fields"
    if entry["n"] != number:
        return f"the entry is numbered {entry['n']} where {number} was expected (one was " \
               "removed or inserted before it)"
    if entry["prev"] != previous:
        return "the entry does not follow the one before it (that one was changed or removed)"
    if entry["hash"] != entry_hash(entry):
        return "the entry was changed after it was written (its hash does not match)"
    return ""
