"""Where assessment results are kept, so that a saved result is never lost and no file tells
who came.

Files in the data directory (all 0700/0600, their times set to the start of the week):

- ``results.jsonl``: the statistical records (``VisitRecord``), one checksummed line each.
- ``answers.jsonl``: the answer sheets (``AnswerSheet``) for calibration; a sheet's line id is
  a keyed hash of its result id with a key that only lives in the saving process's memory (a
  retried save is recognised, and nothing on disk leads from one to the other).
- ``state.jsonl``, the one small file rewritten (atomically) at each save, so that a save costs
  one rewrite: the records and sheets waiting, shuffled, for their batch, and the weekly
  tallies (per site and ISO week, counts of the visitors' language, age band, reason and
  needs, alone and beside the pathway, and of visitors who stopped and asked that nothing be
  kept). Records and sheets reach their journals ``BATCH`` at a time, shuffled, so the order of
  the files tells neither who came after whom nor which sheet is whose.
- ``results.jsonl.lock``: the lock every kiosk process on the directory shares.

Why nothing saved is lost, moment by moment (see ``journal`` for the line format):

- A save rewrites the state: a temporary file, fsync, a rename over the old one, an fsync of
  the directory, before it returns; at every instant the state is the old file or the new one.
- A full batch is appended to its journal with a single ``write`` on an ``O_APPEND``
  descriptor and an ``fsync``, before the state that held it is rewritten without it (a crash
  in between leaves it in both, read once). Journal lines are never written again, so no
  crash takes back a returned save; purge, recovery and migration rewrite a journal the same
  atomic way as the state.
- Every write happens under the lock, after reading what other processes appended since (only
  the new bytes of the journals: a save costs the same at 10 or 1,000,000 records, apart from
  the tallies, which grow with the weeks kept). Opening reads the existing
  part of the files before taking the lock, so the lock is held for a time that does not grow
  with the journal.
- A damaged file (empty, truncated, garbled, duplicated lines) is copied aside under a name
  made of its content's digest (never overwritten, never twice), its good lines are written to
  a fresh file, and an :class:`Incident` is logged and kept for the staff notice. A file written
  by a newer kiosk is refused, damaged or not.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import logging
import secrets
from calendar import monthrange
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

import pydantic_core
from filelock import FileLock
from pydantic import ValidationError
from tinydb import TinyDB
from tinydb.storages import Storage

from kiosk.records import (
    SCHEMA_VERSION,
    AnswerSheet,
    Counted,
    StoredVisit,
    Tallies,
    Tally,
    VisitRecord,
    iso_week,
)
from kiosk.storage import disk
from kiosk.storage.errors import DiskFull, SchemaVersionError, StorageError, explain
from kiosk.storage.journal import (
    Entry,
    EntryKind,
    Incident,
    Journal,
    Scan,
    Snapshot,
    damage_kind,
    entry_line,
    fsync_dir,
    keep_aside,
    lost,
    parse_entry,
    replace_file,
    shuffled,
)
from kiosk.storage.locks import held
from kiosk.storage.migrations import legacy_records, migrate

DB_NAME = "results.jsonl"
ANSWERS_NAME = "answers.jsonl"
STATE_NAME = "state.jsonl"
MARKERS_ID = "0" * 32  # the state's line that lists the old files already counted in
LEGACY_NAME = "results.json"  # the first prototype's TinyDB file
LOCK_TIMEOUT = 10.0
BATCH = 20  # records and answer sheets reach their journals this many at a time, shuffled
MIN_FREE_BYTES = 1 << 20  # below this, a kiosk does not start taking visitors
RETRY_MEMORY = 10_000  # visits whose counting is remembered, so that a retried save counts once

log = logging.getLogger("kiosk.storage")


@dataclass(frozen=True)
class PurgeReport:
    cutoff: date  # records of weeks that ended before this day were deleted
    deleted_by_week: dict[str, int] = field(default_factory=dict)
    sheets_deleted: int = 0
    asides_changed: int = 0  # copies of damaged files cleared of expired records (or removed)

    @property
    def deleted(self) -> int:
        return sum(self.deleted_by_week.values())


class ResultStore:
    def __init__(self, data_dir: Path, lock_timeout: float = LOCK_TIMEOUT,
                 today: Callable[[], date] = date.today, batch: int = BATCH) -> None:
        self.data_dir = data_dir
        disk.private_dir(data_dir)
        self.path = data_dir / DB_NAME
        self.results = Journal(self.path, SCHEMA_VERSION)
        self.answers = Journal(data_dir / ANSWERS_NAME, SCHEMA_VERSION)
        self.state = Journal(data_dir / STATE_NAME, SCHEMA_VERSION)
        self._batch = batch
        self._lock = FileLock(str(self.path) + ".lock", timeout=lock_timeout)
        self._today = today
        # Recognises a retried save (its sheet's line id, whether it was counted) in this
        # process only: the key never leaves memory, so nothing on disk leads from a result
        # to its answers.
        self._key = secrets.token_bytes(32)
        self._counted: dict[str, None] = {}  # the latest visits counted (an ordered set)
        self._cached: State | None = None  # the state as of ``self.state.generation``
        self.incidents: list[Incident] = []
        for journal in self._journals:
            journal.prepare()
        with self._locked():
            self._open()

    @property
    def _journals(self) -> tuple[Journal, ...]:
        return (self.results, self.answers, self.state)

    # -- public API ---------------------------------------------------------------------------

    def save(self, record: VisitRecord, sheet: AnswerSheet | None = None,
             counted: Counted | None = None) -> None:
        """Keep a visit: its record, its answers, its counts; on return all are on disk.
        Saving the same visit again (a retry) adds nothing."""
        self.save_many([StoredVisit(record, sheet, counted)])

    def save_many(self, visits: Iterable[StoredVisit]) -> int:
        """Keep several visits with one lock; returns how many records were new."""
        lines: dict[str, bytes] = {}
        sheets: dict[str, bytes] = {}
        counts: dict[str, Counted] = {}
        for record, sheet, counted in visits:
            lines[record.result_id] = _line(record.result_id, record)
            key = self._private_id(record.result_id)
            if sheet is not None:
                sheets[key] = _line(key, sheet)
            if counted is not None and key not in self._counted:
                counts[key] = counted
        with self._write():
            state = self._state()
            added = state.wait(self.results, lines)
            state.wait(self.answers, sheets)
            for counted in counts.values():
                state.count(counted)
            self._write_state(state)
            self._counted.update(dict.fromkeys(counts))
            for old in list(self._counted)[:-RETRY_MEMORY]:
                del self._counted[old]
        return added

    def recount(self, before: Counted, after: Counted) -> None:
        """A visit already counted as ``before`` is counted as ``after`` instead (the visitor
        answered the optional questions after their result)."""
        with self._write():
            state = self._state()
            state.week(before.site_id, before.iso_week, before.synthetic).add(before, -1)
            state.count(after)
            self._write_state(state)

    def add_abandoned(self, site_id: str, day: date | None = None) -> None:
        """Count a visitor who stopped and asked that nothing of theirs be kept: one more in
        their week's tally, and nothing else."""
        with self._write():
            state = self._state()
            state.week(site_id, iso_week(day or self._today()), False).abandoned += 1
            self._write_state(state)

    def tallies(self) -> Tallies:
        """Every site's weekly counts (a copy)."""
        with self._locked():
            self._refresh()
            return self._state().tallies.model_copy(deep=True)

    def records(self, include_synthetic: bool = False) -> Iterator[VisitRecord]:
        for raw in self.raw_records(include_synthetic):
            yield VisitRecord.model_validate_json(raw)

    def raw_records(self, include_synthetic: bool = False) -> Iterator[bytes]:
        """Each record's JSON, unparsed (for statistics and export at scale)."""
        yield from self._raw(self.results, include_synthetic)

    def snapshot(self, kind: Literal["record", "sheet"],
                 include_synthetic: bool = False) -> Snapshot:
        """The records (or answer sheets) as they are now, to be read in the file's order and
        then in the order of their ids, in little memory (for exports at scale)."""
        journal = self.results if kind == "record" else self.answers
        with self._locked():
            self._refresh()
            waiting = list(self._state().waiting[journal.path].values())
            return journal.snapshot(waiting, lambda e: include_synthetic or not e.synthetic)

    def sheets(self, include_synthetic: bool = False) -> Iterator[AnswerSheet]:
        """Every answer sheet, those still waiting for their batch included."""
        for raw in self._raw(self.answers, include_synthetic):
            yield AnswerSheet.model_validate_json(raw)

    def count(self) -> int:
        """How many results are stored, synthetic ones included."""
        with self._locked():
            self._refresh()
            return len(self.results.ids) + len(self._state().waiting[self.results.path])

    def tinydb(self, include_synthetic: bool = False) -> TinyDB:
        """A read-only TinyDB over the results, for queries."""
        return TinyDB(storage=JournalStorage, store=self, include_synthetic=include_synthetic)

    def check_writable(self) -> None:
        """Raise a StorageError now if a save would fail: permissions, a read-only file system,
        a full disk. A kiosk checks this before it takes a visitor's answers."""
        with self._locked():
            for journal in self._journals:
                journal.writable()
            probe = self.data_dir / f".probe-{secrets.token_hex(4)}"
            try:
                probe.write_bytes(b"")
            except OSError as exc:
                raise explain(exc, probe) from exc
            finally:
                probe.unlink(missing_ok=True)
                disk.blur_times(self.data_dir, self._today())
            if disk.free_bytes(self.data_dir) < MIN_FREE_BYTES:
                raise DiskFull(f"the disk holding {self.data_dir} is full (less than 1 MB "
                               "free): free some space there, or give the kiosk another "
                               "--data-dir.")

    def keep_times_quiet(self) -> None:
        """Set the files' times to the start of the week again (see ``disk``)."""
        with self._locked():
            disk.blur_times(self.data_dir, self._today())

    def purge(self, retention_months: int = 24, today: date | None = None) -> PurgeReport:
        """Delete the records, answer sheets and weekly tallies of weeks (or quarters) that ended
        more than ``retention_months`` ago, here and in the copies of damaged files."""
        if retention_months < 1:
            raise ValueError("the retention period must be at least one month")
        cutoff = _months_before(today or self._today(), retention_months)
        expired = Expiry(cutoff)
        with self._write():
            weeks = Counter(week for raw in self._raw(self.results, True)
                            if expired.week(week := _field(raw, "iso_week")))
            sheets_deleted = sum(1 for raw in self._raw(self.answers, True)
                                 if expired.entry_json(raw))
            for journal in (self.results, self.answers):
                if any(expired.entry(e) for e in journal.all_entries()):
                    journal.rewrite_unique(journal.all_entries(), lambda e: not expired.entry(e))
            state = self._state()
            for waiting in state.waiting.values():
                for entry_id in [i for i, e in waiting.items() if expired.entry(e)]:
                    del waiting[entry_id]
            state.tallies.weeks = [t for t in state.tallies.weeks if not expired.week(t.iso_week)]
            self._write_state(state)
            asides = sum(map(expired.clear_aside, self._asides()))
        report = PurgeReport(cutoff, dict(sorted(weeks.items())), sheets_deleted, asides)
        log.info("purge: %d records and %d answer sheets deleted (weeks %s), %d aside copies "
                 "cleared, cutoff %s", report.deleted, sheets_deleted,
                 ", ".join(report.deleted_by_week) or "none", asides, cutoff)
        return report

    # -- locking ------------------------------------------------------------------------------

    def _locked(self) -> AbstractContextManager[None]:
        return held(self._lock)

    @contextmanager
    def _write(self) -> Iterator[None]:
        """Under the lock, caught up with other processes; the renames made durable at once
        (one fsync of the folder for all), and the times blurred afterwards."""
        with self._locked():
            self._refresh()
            try:
                yield
                try:
                    fsync_dir(self.data_dir)
                except OSError as exc:
                    raise explain(exc, self.data_dir) from exc
            finally:
                disk.blur_times(self.data_dir, self._today())

    # -- opening, refreshing, recovering ------------------------------------------------------

    def _open(self) -> None:
        for stale in self.data_dir.glob("*.tmp-*"):
            stale.unlink()  # a rewrite that crashed before its rename: its target is intact
        version = self.results.header_version()
        if version is not None and version < SCHEMA_VERSION:
            self._migrate(version)
        for journal in self._journals:
            self._open_journal(journal)
        if (self.data_dir / LEGACY_NAME).exists():
            self._import_legacy()

    def _open_journal(self, journal: Journal) -> None:
        if not journal.path.exists():
            try:
                journal.create()
            except OSError as exc:
                raise explain(exc, journal.path) from exc
            return
        found = journal.open()
        if found is not None:
            self._recover(journal, found)

    def _refresh(self) -> None:
        """Catch up with what other processes did since this one last looked."""
        for journal in self._journals:
            if not journal.path.exists():
                log.error("%s disappeared; starting a new one", journal.path)
                self._open_journal(journal)
                continue
            found = journal.refresh()
            if found is not None:
                self._recover(journal, found)

    def _recover(self, journal: Journal, found: Scan) -> None:
        if found.header is not None and found.header.schema_version < SCHEMA_VERSION:
            self._migrate(found.header.schema_version)
            return
        kind = damage_kind(journal.path, found)
        aside = keep_aside(journal.path, "damaged")
        unusable = 0

        def usable(entry: Entry) -> bool:
            nonlocal unusable
            ok = _valid(MODELS[entry.kind], entry.json)
            unusable += not ok
            return ok

        recovered = journal.rewrite_unique(journal.all_entries(), usable)
        self._report(Incident(kind, journal.path, aside, recovered, lost(found) + unusable))

    def _migrate(self, version: int) -> None:
        """Bring a journal of an older schema to the split form, in an order that a crash at
        any moment can only repeat, never double (see ``_bring_in``); the statistical records
        then replace the old file at once. Files already split are upgraded in place."""
        if version >= 2:
            self._upgrade()
            return
        old = Journal(self.path, version)
        found = old.open()
        visits, unusable = _split_old(pydantic_core.from_json(e.json) for e in old.all_entries())
        if found is not None:  # damaged as well as old: keep the damaged file for staff
            self._report(Incident(damage_kind(self.path, found), self.path,
                                  keep_aside(self.path, "damaged"), len(visits),
                                  lost(found) + unusable))
        self._bring_in(visits, marker=old.generation or secrets.token_hex(8))
        self.results.rewrite(shuffled({v.record.result_id: _line(v.record.result_id, v.record)
                                       for v in visits}).values())
        self._cached = None
        log.info("migrated %s from schema version %d to %d: %d records", self.path, version,
                 SCHEMA_VERSION, len(visits))

    def _upgrade(self) -> None:
        """Bring split journals of an older schema up to date where they are: every entry
        through the migrations, each file rewritten atomically. The answer sheets and the state
        go first and the statistical records last, since their header is what says an upgrade
        is due; an entry already up to date passes unchanged, so an upgrade cut short by a crash
        is simply done again."""
        for journal in (self.answers, self.state, self.results):
            version = journal.header_version()
            if version is None or version >= SCHEMA_VERSION:
                continue
            found = journal.open()
            aside = keep_aside(journal.path, "damaged") if found is not None else None
            entries = [_current(entry) for entry in journal.all_entries()]
            kept = journal.rewrite_unique(entries, lambda e: _valid(MODELS[e.kind], e.json))
            if found is not None:  # damaged as well as old: keep the damaged file for staff
                self._report(Incident(damage_kind(journal.path, found), journal.path, aside,
                                      kept, lost(found) + len(entries) - kept))
            log.info("upgraded %s from schema version %d to %d: %d entries", journal.path,
                     version, SCHEMA_VERSION, kept)
        self._cached = None

    def _import_legacy(self) -> None:
        legacy = self.data_dir / LEGACY_NAME
        data = legacy.read_bytes()
        text = data.decode("utf-8", errors="replace")
        visits, _ = _split_old(legacy_records(text))
        self._bring_in(visits, marker=hashlib.sha256(data).hexdigest()[:16])
        self.results.append(shuffled({v.record.result_id: _line(v.record.result_id, v.record)
                                      for v in visits}))
        aside = keep_aside(legacy, "imported")
        legacy.unlink()
        lost_objects = text.count('{"schema_version"') - len(visits)
        if lost_objects or not _is_json(text):
            self._report(Incident("legacy_damaged", legacy, aside, len(visits), lost_objects))
        log.info("imported %d records from %s", len(visits), legacy)

    def _bring_in(self, visits: list[StoredVisit], marker: str) -> None:
        """The sheets and counts of old records, before their records: the sheets' line ids
        are keyed by ``marker`` (the old file's generation or digest), and the tallies note the
        marker, so a run cut short by a crash and done again adds nothing twice."""
        sheets = {}
        for visit in visits:
            if visit.sheet is not None:
                sheet_id = _keyed_id(marker.encode(), visit.record.result_id)
                sheets[sheet_id] = _line(sheet_id, visit.sheet)
        for journal in (self.answers, self.state):
            self._open_journal(journal)
        self.answers.append(shuffled(sheets))
        state = self._state()
        if marker not in state.tallies.migrated:
            for visit in visits:
                if visit.counted is not None:
                    state.count(visit.counted)
            state.tallies.migrated.append(marker)
            self._write_state(state)

    def _report(self, incident: Incident) -> None:
        self.incidents.append(incident)
        log.error("%s", incident.message())

    # -- answer sheets, abandoned visits, aside copies ----------------------------------------

    def _private_id(self, result_id: str) -> str:
        return _keyed_id(self._key, result_id)

    def _state(self) -> State:
        """The state file as read at the last refresh, parsed again only when another process
        rewrote it. Callers may change it in place and must then write it."""
        if self._cached is None or self._cached.generation != self.state.generation:
            self._cached = State.read(self.state, (self.results, self.answers))
        return self._cached

    def _write_state(self, state: State) -> None:
        """Flush full batches to their journals, then rewrite the state (the folder is synced
        by ``_write``). A crash between the two leaves entries in both, read once."""
        self._cached = None
        for journal in (self.results, self.answers):
            waiting = state.waiting[journal.path]
            if len(waiting) >= self._batch:
                journal.append(shuffled({i: e.line for i, e in waiting.items()}))
                waiting.clear()
        self.state.rewrite(state.lines(), sync_dir=False)
        state.generation = self.state.generation
        self._cached = state

    def _asides(self) -> list[Path]:
        names = (*(j.path.name for j in self._journals), LEGACY_NAME)
        return sorted(p for name in names for p in self.data_dir.glob(f"{name}.*-*")
                      if ".tmp-" not in p.name and not p.name.endswith(".lock"))

    def _raw(self, journal: Journal, include_synthetic: bool) -> Iterator[bytes]:
        """The journal's entries and those waiting for their batch, each once."""
        with self._locked():
            self._refresh()
            waiting = list(self._state().waiting[journal.path].values())
            entries = itertools.chain(journal.entries(), waiting)
        for entry in entries:
            if include_synthetic or not entry.synthetic:
                yield entry.json


@dataclass
class State:
    """What ``state.jsonl`` holds: for each journal, the entries waiting for their batch; the
    weekly tallies, one line per site and week (a save writes anew only its week's line); and
    the old files already counted in."""

    generation: str
    waiting: dict[Path, dict[str, Entry]]
    tallies: Tallies
    unchanged: dict[str, bytes]  # the lines of the weeks no one counted in since reading

    @classmethod
    def read(cls, state: Journal, journals: tuple[Journal, ...]) -> State:
        """From the state journal as last refreshed; an entry already in its journal (its
        batch was written just before a crash) is not waiting any more."""
        by_kind = {KIND_OF[j.path.name]: j for j in journals}
        waiting: dict[Path, dict[str, Entry]] = {j.path: {} for j in journals}
        tallies = Tallies()
        unchanged = {}
        for entry in state.entries():
            if entry.kind == "state":
                tallies.migrated = Tallies.model_validate_json(entry.json).migrated
            elif entry.kind == "tally":
                tallies.weeks.append(Tally.model_validate_json(entry.json))
                unchanged[entry.id] = entry.line
            elif entry.id not in by_kind[entry.kind].ids:
                waiting[by_kind[entry.kind].path][entry.id] = entry
        return cls(state.generation, waiting, tallies, unchanged)

    def week(self, site_id: str, week: str, synthetic: bool) -> Tally:
        """A week's tally, to be changed (and so written anew)."""
        tally = self.tallies.week(site_id, week, synthetic)
        self.unchanged.pop(_tally_id(tally), None)
        return tally

    def count(self, visit: Counted) -> None:
        self.week(visit.site_id, visit.iso_week, visit.synthetic).add(visit)

    def wait(self, journal: Journal, lines: dict[str, bytes]) -> int:
        """Add the entries that are new to ``journal``'s batch; returns how many."""
        waiting = self.waiting[journal.path]
        new = 0
        for entry_id, line in lines.items():
            if entry_id not in journal.ids and entry_id not in waiting:
                entry = parse_entry(line)
                assert entry is not None
                waiting[entry_id] = entry
                new += 1
        return new

    def lines(self) -> list[bytes]:
        everything = {i: e.line for waiting in self.waiting.values() for i, e in waiting.items()}
        weeks = [self.unchanged.get(key) or entry_line(key, "tally", t.synthetic,
                                                       t.model_dump_json().encode())
                 for t in self.tallies.weeks if (key := _tally_id(t))]
        markers = Tallies(migrated=self.tallies.migrated).model_dump_json().encode()
        return [*shuffled(everything).values(), *weeks,
                entry_line(MARKERS_ID, "state", False, markers)]


def _tally_id(tally: Tally) -> str:
    key = f"{tally.site_id} {tally.iso_week} {tally.synthetic}"
    return hashlib.blake2b(key.encode(), digest_size=16).hexdigest()


class Expiry:
    """Which weeks, quarters and records are past the retention period."""

    def __init__(self, cutoff: date) -> None:
        self.cutoff = cutoff

    def week(self, week: str) -> bool:
        year, number = week.split("-W")
        return date.fromisocalendar(int(year), int(number), 7) < self.cutoff

    def quarter(self, quarter: str) -> bool:
        year, number = quarter.split("-Q")
        month = int(number) * 3
        return date(int(year), month, monthrange(int(year), month)[1]) < self.cutoff

    def raw(self, raw: Any) -> bool:
        if not isinstance(raw, dict):
            return False
        if isinstance(raw.get("iso_week"), str):
            return self.week(raw["iso_week"])
        return isinstance(raw.get("quarter"), str) and self.quarter(raw["quarter"])

    def entry_json(self, body: bytes) -> bool:
        try:
            return self.raw(pydantic_core.from_json(body))
        except ValueError:
            return False

    def entry(self, entry: Entry) -> bool:
        return self.entry_json(entry.json)

    def clear_aside(self, path: Path) -> bool:
        """Remove the expired records from a copy of a damaged file; remove the copy once it
        holds no record still within the retention period. True if it changed."""
        data = path.read_bytes()
        if path.name.startswith(LEGACY_NAME + "."):
            raws = list(legacy_records(data.decode("utf-8", "replace")))
            if raws and all(map(self.raw, raws)):
                path.unlink()
                return True
            return False
        lines = data.splitlines(keepends=True)
        kept = [line for line in lines
                if (entry := parse_entry(line)) is None or not self.entry(entry)]
        if all(parse_entry(line) is None for line in kept):
            path.unlink()
            return True
        if len(kept) == len(lines):
            return False
        replace_file(path, kept)
        return True


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


Model = type[VisitRecord] | type[AnswerSheet] | type[Tally] | type[Tallies]
MODELS: dict[EntryKind, Model] = {
    "record": VisitRecord, "sheet": AnswerSheet, "tally": Tally, "state": Tallies}
KIND_OF: dict[str, EntryKind] = {DB_NAME: "record", ANSWERS_NAME: "sheet"}


def _line(entry_id: str, model: VisitRecord | AnswerSheet) -> bytes:
    kind: EntryKind = "record" if isinstance(model, VisitRecord) else "sheet"
    return entry_line(entry_id, kind, model.synthetic, model.model_dump_json().encode())


def _current(entry: Entry) -> Entry:
    """The entry with its JSON in the current schema; a week's tally has no version of its own,
    and an entry that cannot be read is left for the validation to refuse."""
    if entry.kind == "tally":
        return entry
    try:
        raw = pydantic_core.from_json(entry.json)
        if not isinstance(raw, dict) or raw.get("schema_version") == SCHEMA_VERSION:
            return entry
        body = json.dumps(migrate(raw).record, ensure_ascii=False, separators=(",", ":"))
    except (ValueError, SchemaVersionError):
        return entry
    upgraded = parse_entry(entry_line(entry.id, entry.kind, entry.synthetic, body.encode()))
    assert upgraded is not None
    return upgraded


def _keyed_id(key: bytes, text: str) -> str:
    return hashlib.blake2b(text.encode(), key=key[:64], digest_size=16).hexdigest()


def _field(raw_json: bytes, name: str) -> str:
    return str(pydantic_core.from_json(raw_json)[name])


def _split_old(raws: Iterable[Any]) -> tuple[list[StoredVisit], int]:
    """Old records in the current schema, once each; and how many could not be read."""
    visits: dict[str, StoredVisit] = {}
    unusable = 0
    for raw in raws:
        try:
            done = migrate(raw)
            record = VisitRecord.model_validate(done.record)
            visit = StoredVisit(
                record,
                AnswerSheet.model_validate(done.sheets[0]) if done.sheets else None,
                Counted.model_validate(done.counted[0]) if done.counted else None)
        except SchemaVersionError:
            raise
        except (ValidationError, ValueError, KeyError, TypeError, AttributeError):
            unusable += 1
            continue
        visits.setdefault(record.result_id, visit)
    return list(visits.values()), unusable


def _valid(model: Model, body: bytes) -> bool:
    try:
        model.model_validate_json(body)
    except ValidationError:
        return False
    return True


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
