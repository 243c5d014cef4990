"""Where assessment results are kept, so that a saved result is never lost.

Design: an append-only journal (``results.jsonl``) of checksummed JSON lines, one per record,
under a file lock shared by every kiosk process on the data directory; TinyDB reads it through a
read-only ``Storage`` (:class:`JournalStorage`) for queries.

Why this holds, moment by moment:

- A save appends one line with a single ``write`` on an ``O_APPEND`` descriptor, then
  ``fsync``s before returning. A crash before the fsync can at worst leave that one line
  incomplete, and that save never returned. Earlier lines are never written again, so no crash
  can take back a result whose save returned. (TinyDB's JSONStorage rewrites the whole file in
  place: a crash there can lose everything, and each save costs the size of the whole file.)
- Each line has a CRC-32: a torn or garbled line is detected on its own and the good lines
  around it are recovered.
- Anything that rewrites the file (purge, recovery, migration, creation) writes a temporary file,
  fsyncs it, renames it over the journal and fsyncs the directory: the journal is the old file
  or the complete new one, never a mix. The header's random *generation* changes with each
  rewrite, so another process notices and re-reads instead of trusting its old offset.
- Every write happens under the lock, after reading what other processes appended since this
  process last looked (only the new bytes: a save costs the same at 10 or 100,000 records).
  So several processes lose nothing, and a result id already present is never written twice.
- A damaged file (empty, truncated, garbled) is copied aside under a timestamped name that is
  never overwritten, its good lines are written to a fresh journal, and an :class:`Incident` is
  logged and kept in ``ResultStore.incidents`` for the staff screen.
"""

from __future__ import annotations

import logging
import os
from calendar import monthrange
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal

import pydantic_core
from filelock import FileLock, Timeout
from pydantic import ValidationError
from tinydb import TinyDB
from tinydb.storages import Storage

from kiosk.records import SCHEMA_VERSION, AssessmentRecord
from kiosk.storage import journal
from kiosk.storage.errors import LockTimeout, SchemaVersionError, StorageError
from kiosk.storage.journal import Header, Scan
from kiosk.storage.migrations import legacy_records, migrate

DB_NAME = "results.jsonl"
LEGACY_NAME = "results.json"  # the first prototype's TinyDB file
LOCK_TIMEOUT = 10.0

log = logging.getLogger("kiosk.storage")

IncidentKind = Literal["empty", "truncated", "garbled", "bad_header", "legacy_damaged"]


@dataclass(frozen=True)
class Incident:
    """A damaged data file that was moved aside, and what could be recovered from it."""

    kind: IncidentKind
    original: Path
    moved_to: Path
    recovered: int  # records carried over to the working file
    lost_lines: int  # lines (or legacy objects) that could not be read back

    def message(self) -> str:
        return (
            f"damaged results file ({self.kind}): kept as {self.moved_to.name}; "
            f"{self.recovered} records recovered, {self.lost_lines} unreadable"
        )


@dataclass(frozen=True)
class PurgeReport:
    cutoff: date  # records of weeks that ended before this day were deleted
    deleted_by_week: dict[str, int] = field(default_factory=dict)

    @property
    def deleted(self) -> int:
        return sum(self.deleted_by_week.values())


class ResultStore:
    def __init__(self, data_dir: Path, lock_timeout: float = LOCK_TIMEOUT) -> None:
        self.data_dir = data_dir
        data_dir.mkdir(parents=True, exist_ok=True)
        self.path = data_dir / DB_NAME
        self._lock = FileLock(str(self.path) + ".lock", timeout=lock_timeout)
        self.incidents: list[Incident] = []
        self._ids: set[str] = set()
        self._generation = ""
        self._end = 0  # bytes of the journal already read and verified
        with self._locked():
            self._open()

    # -- public API ---------------------------------------------------------------------------

    def save(self, record: AssessmentRecord) -> None:
        """Store a result; on return it is on disk. Saving the same result id again is a no-op."""
        self.save_many([record])

    def save_many(self, records: Iterable[AssessmentRecord]) -> int:
        """Store several results with one lock and one fsync; returns how many were new."""
        lines = {r.result_id: _line(r) for r in records}
        with self._locked():
            self._refresh()
            return self._append({k: v for k, v in lines.items() if k not in self._ids})

    def records(self, include_synthetic: bool = False) -> Iterator[AssessmentRecord]:
        for raw in self.raw_records(include_synthetic):
            yield AssessmentRecord.model_validate_json(raw)

    def raw_records(self, include_synthetic: bool = False) -> Iterator[bytes]:
        """Each record's JSON, unparsed (for statistics and export at scale)."""
        with self._locked():
            self._refresh()
            # The lines up to ``end`` are verified and never change; reading them after the
            # lock is released is safe even if another process rewrites the file meanwhile.
            handle, end = open(self.path, "rb"), self._end  # noqa: SIM115
        with handle:
            for entry in journal.entries(handle, end):
                if include_synthetic or not entry.synthetic:
                    yield entry.json

    def count(self) -> int:
        """How many results are stored, synthetic ones included."""
        with self._locked():
            self._refresh()
            return len(self._ids)

    def tinydb(self, include_synthetic: bool = False) -> TinyDB:
        """A read-only TinyDB over the results, for queries."""
        return TinyDB(storage=JournalStorage, store=self, include_synthetic=include_synthetic)

    def purge(self, retention_months: int = 24, today: date | None = None) -> PurgeReport:
        """Delete the records of weeks that ended more than ``retention_months`` ago."""
        if retention_months < 1:
            raise ValueError("the retention period must be at least one month")
        cutoff = _months_before(today or date.today(), retention_months)

        def expired(iso_week: str) -> bool:
            year, week = iso_week.split("-W")
            return date.fromisocalendar(int(year), int(week), 7) < cutoff

        with self._locked():
            self._refresh()
            all_weeks = (pydantic_core.from_json(raw)["iso_week"] for raw in self._all_json())
            weeks = Counter(week for week in all_weeks if expired(week))
            if weeks:
                self._rewrite(keep=lambda record: not expired(record.iso_week))
        report = PurgeReport(cutoff, dict(sorted(weeks.items())))
        log.info("purge: %d records deleted (weeks %s), cutoff %s", report.deleted,
                 ", ".join(report.deleted_by_week) or "none", cutoff)
        return report

    # -- opening, refreshing, recovering ------------------------------------------------------

    @contextmanager
    def _locked(self) -> Iterator[None]:
        try:
            self._lock.acquire()
        except Timeout as exc:
            raise LockTimeout(
                f"another kiosk process has held {self._lock.lock_file} for more than "
                f"{self._lock.timeout:g} s; nothing was written. Check for a stuck kiosk process "
                "(the lock frees itself when that process ends), then try again."
            ) from exc
        try:
            yield
        finally:
            self._lock.release()

    def _open(self) -> None:
        for stale in self.data_dir.glob(f"{DB_NAME}.tmp-*"):
            stale.unlink()  # a rewrite that crashed before its rename: the journal is intact
        if not self.path.exists():
            journal.write_atomically(self.path, Header.fresh(SCHEMA_VERSION), [])
        self._rescan()
        if (self.data_dir / LEGACY_NAME).exists():
            self._import_legacy()

    def _rescan(self) -> None:
        ids: set[str] = set()
        with open(self.path, "rb") as handle:
            found = journal.scan(handle, 0, ids)
        if found.header is None or found.bad_lines or found.torn_tail:
            self._recover(found)
            return
        version = found.header.schema_version
        if version > SCHEMA_VERSION:
            raise SchemaVersionError(
                f"{self.path} holds schema version {version}, but this kiosk knows versions up "
                f"to {SCHEMA_VERSION}: it was written by a newer kiosk; update this one. "
                "Nothing was changed."
            )
        if version < SCHEMA_VERSION:
            self._keep_copy(f"schema-v{version}")
            self._rewrite()
            log.info("migrated %s from schema version %d to %d", self.path, version,
                     SCHEMA_VERSION)
            return
        self._ids, self._generation, self._end = ids, found.header.generation, found.end

    def _refresh(self) -> None:
        """Catch up with what other processes did since this one last looked."""
        if not self.path.exists():
            log.error("%s disappeared; starting a new one", self.path)
            self._open()
            return
        with open(self.path, "rb") as handle:
            header = journal.parse_header(handle.readline())
            if header is None or header.generation != self._generation:
                self._rescan()
                return
            found = journal.scan(handle, self._end, self._ids)
        if found.bad_lines or found.torn_tail:
            self._rescan()
        else:
            self._end = found.end

    def _append(self, lines: dict[str, bytes]) -> int:
        if not lines:
            return 0
        data = b"".join(lines.values())
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND)
        try:
            written = 0
            while written < len(data):
                written += os.write(fd, data[written:])
            os.fsync(fd)
        except OSError as exc:
            # Only our own, never-acknowledged bytes are cut off: the file is as before.
            os.ftruncate(fd, self._end)
            raise StorageError(f"could not save to {self.path}: {exc}") from exc
        finally:
            os.close(fd)
        self._ids.update(lines)
        self._end += len(data)
        return len(lines)

    def _recover(self, found: Scan) -> None:
        size = self.path.stat().st_size
        kind: IncidentKind = (
            "empty" if size == 0 else "bad_header" if found.header is None
            else "garbled" if found.bad_lines else "truncated"
        )
        aside = self._keep_copy("damaged")
        recovered, unusable = self._rewrite()
        self._report(Incident(kind, self.path, aside, recovered,
                              found.bad_lines + found.torn_tail + unusable))

    def _import_legacy(self) -> None:
        legacy = self.data_dir / LEGACY_NAME
        text = legacy.read_text(encoding="utf-8", errors="replace")
        candidates = list(legacy_records(text))
        records = [r for r in map(_validated, candidates) if r is not None]
        self._append({r.result_id: _line(r) for r in records if r.result_id not in self._ids})
        aside = self._aside_path("imported")
        journal.copy_exclusively(legacy, aside)
        legacy.unlink()
        lost = text.count('{"schema_version"') - len(records)
        if lost or not _is_json(text):
            self._report(Incident("legacy_damaged", legacy, aside, len(records), lost))
        log.info("imported %d records from %s (kept as %s)", len(records), legacy, aside.name)

    def _rewrite(
        self, keep: Callable[[AssessmentRecord], bool] = lambda record: True
    ) -> tuple[int, int]:
        """Write the journal anew from its good lines, each migrated and validated.

        Returns (records written, lines that no longer validate and were left behind).
        """
        unusable = 0

        def lines() -> Iterator[bytes]:
            nonlocal unusable
            seen: set[str] = set()
            for raw_json in self._all_json():
                try:
                    raw = pydantic_core.from_json(raw_json)
                except ValueError:
                    unusable += 1
                    continue
                record = _validated(raw)
                if record is None:
                    unusable += 1
                elif record.result_id not in seen and keep(record):
                    seen.add(record.result_id)
                    yield _line(record)

        written = journal.write_atomically(self.path, Header.fresh(SCHEMA_VERSION), lines())
        self._rescan()
        return written, unusable

    def _all_json(self) -> Iterator[bytes]:
        with open(self.path, "rb") as handle:
            for entry in journal.entries(handle):
                yield entry.json

    def _keep_copy(self, tag: str) -> Path:
        aside = self._aside_path(tag)
        journal.copy_exclusively(self.path, aside)
        return aside

    def _aside_path(self, tag: str) -> Path:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        candidate = self.data_dir / f"{self.path.name}.{tag}-{stamp}"
        n = 1
        while candidate.exists():
            n += 1
            candidate = self.data_dir / f"{self.path.name}.{tag}-{stamp}-{n}"
        return candidate

    def _report(self, incident: Incident) -> None:
        self.incidents.append(incident)
        log.error("%s: %s", incident.original, incident.message())


class JournalStorage(Storage):
    """TinyDB's view of the journal: reads for queries; writes go through ``ResultStore``."""

    def __init__(self, store: ResultStore, include_synthetic: bool = False) -> None:
        self._store = store
        self._include_synthetic = include_synthetic

    def read(self) -> dict[str, dict[str, Any]]:
        rows = self._store.raw_records(self._include_synthetic)
        return {"_default": {str(i): pydantic_core.from_json(raw) for i, raw in enumerate(rows, 1)}}

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        raise StorageError("this TinyDB view is read-only: save results with ResultStore.save")


def _line(record: AssessmentRecord) -> bytes:
    return journal.record_line(record.result_id, record.synthetic,
                               record.model_dump_json().encode())


def _validated(raw: Any) -> AssessmentRecord | None:
    """The record in the current schema, or None if it cannot be read as one."""
    if not isinstance(raw, dict):
        return None
    try:
        return AssessmentRecord.model_validate(migrate(raw))
    except SchemaVersionError:
        raise
    except (ValidationError, ValueError):
        return None


def _is_json(text: str) -> bool:
    try:
        pydantic_core.from_json(text)
    except ValueError:
        return False
    return True


def _months_before(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    # the same day of the month, or that month's last day
    return date(year, month + 1, min(day.day, monthrange(year, month + 1)[1]))
