"""One append-only journal file: its line format, and how it stays durable and readable.

Every line is ``<crc32 as 8 hex digits> <payload>\\n``; the checksum covers the payload, so a
torn, garbled or zero-filled line is recognised on its own and the lines around it stay good.
A line that a text tool converted to ``\\r\\n`` is still read (the ``\\r`` is not payload).

- The first line is the header, payload ``# {json}``: format, schema version of the records,
  and a random *generation* that changes whenever the file is rewritten (purge, recovery,
  migration), so another process knows its cached read position no longer applies.
- Every other line is one entry, payload ``<id> <flag> {json}``: a 32-hex id, and one letter
  for what the entry is and whether it is synthetic (``FLAGS``), outside the JSON so that
  opening, de-duplicating and filtering never parse JSON.

:class:`Journal` keeps one such file for one process. All its methods but :meth:`Journal.prepare`
run under the data directory's lock, which the store holds; ``prepare`` reads, without the lock,
the part of the file that existed when it started: within a generation the file only grows, so
those bytes never change, and the time the lock is held does not grow with the file.
"""

from __future__ import annotations

import errno
import hashlib
import itertools
import json
import os
import random
import re
import secrets
import zlib
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Literal

from kiosk.storage.errors import SchemaVersionError, explain

FORMAT = "kiosk-results-journal"
HEADER_MARK = b"# "
_CRC_WIDTH = 8
_ID_WIDTH = 32
_ID_BYTES = _ID_WIDTH // 2  # an id's hex digits, as bytes
_SCHEMA_IN_JSON = re.compile(rb'"schema_version":\s*(\d+)')

IncidentKind = Literal["empty", "truncated", "garbled", "bad_header", "duplicated",
                       "legacy_damaged"]
EntryKind = Literal["record", "sheet", "tally", "state"]
# A statistical record, an answer sheet, a week's tally (each real or synthetic), or what else
# the store keeps of its own state.
FLAGS: dict[tuple[EntryKind, bool], bytes] = {
    ("record", False): b"r", ("record", True): b"s", ("sheet", False): b"a",
    ("sheet", True): b"b", ("tally", False): b"t", ("tally", True): b"u", ("state", False): b"m"}
_KINDS = {flag: kind for kind, flag in FLAGS.items()}


@dataclass(frozen=True)
class Header:
    schema_version: int
    generation: str

    @classmethod
    def fresh(cls, schema_version: int) -> Header:
        return cls(schema_version, secrets.token_hex(8))

    def line(self) -> bytes:
        body = {"format": FORMAT, "schema_version": self.schema_version,
                "generation": self.generation}
        return encode(HEADER_MARK + json.dumps(body, separators=(",", ":")).encode())


@dataclass(frozen=True)
class Entry:
    """One good entry line, as found in the file."""

    id: str
    kind: EntryKind
    synthetic: bool
    json: bytes
    line: bytes


@dataclass(frozen=True)
class Incident:
    """A damaged data file that was copied aside, and what could be recovered from it."""

    kind: IncidentKind
    original: Path
    moved_to: Path | None  # None when the disk had no room for the copy
    recovered: int  # records carried over to the working file
    lost_lines: int  # lines (or legacy objects) that could not be read back

    def message(self) -> str:
        kept = f"kept as {self.moved_to.name}" if self.moved_to else "no room for a copy"
        return (f"damaged {self.original.name} ({self.kind}): {kept}; "
                f"{self.recovered} records recovered, {self.lost_lines} unreadable")


def encode(payload: bytes) -> bytes:
    return b"%08x %s\n" % (zlib.crc32(payload), payload)


def entry_line(entry_id: str, kind: EntryKind, synthetic: bool, body: bytes) -> bytes:
    return encode(b"%s %s %s" % (entry_id.encode("ascii"), FLAGS[kind, synthetic], body))


def payload_of(line: bytes) -> bytes | None:
    """The payload of a complete, intact line; None for anything else."""
    end = len(line) - (2 if line.endswith(b"\r\n") else 1)
    if end < _CRC_WIDTH + 1 or line[-1:] != b"\n" or line[_CRC_WIDTH:_CRC_WIDTH + 1] != b" ":
        return None
    payload = line[_CRC_WIDTH + 1:end]
    try:
        crc = int(line[:_CRC_WIDTH], 16)
    except ValueError:
        return None
    return payload if zlib.crc32(payload) == crc else None


def parse_header(line: bytes) -> Header | None:
    payload = payload_of(line)
    if payload is None or not payload.startswith(HEADER_MARK):
        return None
    try:
        body = json.loads(payload[len(HEADER_MARK):])
        if body.get("format") != FORMAT:
            return None
        return Header(int(body["schema_version"]), str(body["generation"]))
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def parse_entry(line: bytes) -> Entry | None:
    payload = payload_of(line)
    if payload is None or len(payload) < _ID_WIDTH + 4 or payload.startswith(HEADER_MARK):
        return None
    entry_id, flag = payload[:_ID_WIDTH], payload[_ID_WIDTH + 1:_ID_WIDTH + 2]
    if (payload[_ID_WIDTH:_ID_WIDTH + 1] != b" " or payload[_ID_WIDTH + 2:_ID_WIDTH + 3] != b" "
            or flag not in _KINDS):
        return None
    kind, synthetic = _KINDS[flag]
    return Entry(entry_id.decode("ascii", "replace"), kind, synthetic, payload[_ID_WIDTH + 3:],
                 line)


@dataclass
class Scan:
    """What reading a journal from some offset found."""

    header: Header | None  # only when the scan started at offset 0
    end: int  # offset just after the last complete, intact line
    bad_lines: int  # complete lines whose checksum or shape is wrong
    duplicates: int  # good lines whose id an earlier line already had
    torn_tail: bool  # bytes after the last newline: an append that never finished
    newest_schema: int  # the highest schema version seen in a good line (0: none)

    @property
    def damaged(self) -> bool:
        return self.header is None or bool(self.bad_lines or self.duplicates or self.torn_tail)


def scan(handle: BinaryIO, offset: int, ids: set[str], stop: int | None = None) -> Scan:
    """Read lines from ``offset`` (to ``stop``), adding every good entry's id to ``ids``."""
    handle.seek(offset)
    header = None
    bad = duplicates = newest = 0
    end = offset
    torn = False
    for line in handle:
        if not line.endswith(b"\n"):
            torn = True
            break
        if end == 0:
            header = parse_header(line)
            bad += header is None
        elif (entry := parse_entry(line)) is not None:
            duplicates += entry.id in ids
            ids.add(entry.id)
            if found := _SCHEMA_IN_JSON.search(entry.json):
                newest = max(newest, int(found[1]))
        else:
            bad += 1
        end += len(line)
        if stop is not None and end >= stop:
            break
    return Scan(header, end, bad, duplicates, torn, newest)


def entries(handle: BinaryIO, stop: int | None = None) -> Iterator[Entry]:
    """The good entry lines from the start of the file up to offset ``stop``."""
    handle.seek(0)
    position = 0
    for line in handle:
        if stop is not None and position >= stop:
            break
        if (entry := parse_entry(line)) is not None:
            yield entry
        position += len(line)


def fsync_dir(directory: Path) -> None:
    """Make a rename or a new file in ``directory`` itself durable."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def replace_file(path: Path, chunks: Iterable[bytes], sync_dir: bool = True) -> int:
    """Replace ``path`` by ``chunks``: temporary file, fsync, rename, fsync of the directory
    (unless the caller does it once for several files).

    At every instant ``path`` is either the old file or the complete new one; a failure (a full
    disk) leaves no temporary file behind. Returns the number of chunks written.
    """
    tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}-{secrets.token_hex(4)}")
    count = 0
    try:
        with open(tmp, "xb") as out:
            for chunk in chunks:
                out.write(chunk)
                count += 1
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    if sync_dir:
        fsync_dir(path.parent)
    return count


def write_atomically(path: Path, header: Header, lines: Iterable[bytes],
                     sync_dir: bool = True) -> int:
    """Replace ``path`` by a new journal (see ``replace_file``); returns the entry lines."""
    return replace_file(path, itertools.chain([header.line()], lines), sync_dir) - 1


def keep_aside(source: Path, tag: str) -> Path | None:
    """A durable copy of ``source`` beside it, named by its content and never overwritten.

    The name holds a digest, not a clock time: the same damage found again (at every start of
    a kiosk whose disk is full, say) is the same copy, not one more. None when there is no
    room for a complete copy: then nothing is left behind, not even a part.
    """
    digest = hashlib.sha256()
    with open(source, "rb") as src:
        while chunk := src.read(1 << 20):
            digest.update(chunk)
    target = source.with_name(f"{source.name}.{tag}-{digest.hexdigest()[:16]}")
    if target.exists():
        return target
    tmp = target.with_name(f"{target.name}.tmp-{secrets.token_hex(4)}")
    try:
        with open(source, "rb") as src, open(tmp, "xb") as out:
            while chunk := src.read(1 << 20):
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
        fsync_dir(target.parent)
    except OSError as exc:
        if exc.errno not in (errno.ENOSPC, errno.EDQUOT):
            raise
        return None
    finally:
        tmp.unlink(missing_ok=True)
    return target


class Journal:
    """One journal file, as one process sees it: what it has read, and how to add to it."""

    def __init__(self, path: Path, schema_version: int) -> None:
        self.path = path
        self.schema_version = schema_version
        self.ids: set[str] = set()
        self.generation = ""
        self.end = 0  # bytes of the file already read and verified
        self._prepared: tuple[str, set[str], Scan] | None = None

    # -- reading ------------------------------------------------------------------------------

    def prepare(self) -> None:
        """Read and verify, without the lock, what the file holds now (see the module doc)."""
        self._prepared = None
        try:
            handle = open(self.path, "rb")  # noqa: SIM115
        except FileNotFoundError:
            return
        except OSError as exc:
            raise explain(exc, self.path) from exc
        with handle:
            header = parse_header(handle.readline())
            if header is None:
                return
            size = os.fstat(handle.fileno()).st_size
            ids: set[str] = set()
            self._prepared = (header.generation, ids, scan(handle, 0, ids, stop=size))

    def open(self) -> Scan | None:
        """Under the lock: catch up with the file; the damage found, if any, is returned."""
        prepared, self._prepared = self._prepared, None
        try:
            with open(self.path, "rb") as handle:
                header = parse_header(handle.readline())
                # A torn tail seen without the lock may be an append still under way.
                if (prepared and header and header.generation == prepared[0]
                        and not (prepared[2].bad_lines or prepared[2].duplicates)):
                    _, ids, before = prepared
                    tail = scan(handle, before.end, ids)
                    found = Scan(header, tail.end, tail.bad_lines, tail.duplicates,
                                 tail.torn_tail, max(before.newest_schema, tail.newest_schema))
                else:
                    ids = set()
                    found = scan(handle, 0, ids)
        except OSError as exc:
            raise explain(exc, self.path) from exc
        self.refuse_newer(found)
        if found.damaged:
            return found
        assert found.header is not None
        self.ids, self.generation, self.end = ids, found.header.generation, found.end
        return None

    def refuse_newer(self, found: Scan) -> None:
        """A file a newer kiosk wrote is never rewritten, damaged or not."""
        version = max(found.header.schema_version if found.header else 0, found.newest_schema)
        if version > self.schema_version:
            raise SchemaVersionError(
                f"{self.path} holds schema version {version}, but this kiosk knows versions up "
                f"to {self.schema_version}: it was written by a newer kiosk; update this one. "
                "Nothing was changed."
            )

    def header_version(self) -> int | None:
        try:
            with open(self.path, "rb") as handle:
                header = parse_header(handle.readline())
        except FileNotFoundError:
            return None
        return header.schema_version if header else None

    def refresh(self) -> Scan | None:
        """Under the lock: what other processes appended since; a new generation is re-read."""
        try:
            with open(self.path, "rb") as handle:
                header = parse_header(handle.readline())
                if header is None or header.generation != self.generation:
                    return self.open()
                found = scan(handle, self.end, self.ids)
        except FileNotFoundError:
            return self.open()
        except OSError as exc:
            raise explain(exc, self.path) from exc
        if found.bad_lines or found.torn_tail or found.duplicates:
            return self.open()
        self.end = found.end
        return None

    def entries(self) -> Iterator[Entry]:
        """Every good entry up to what this process verified (call after ``refresh``, under
        the lock). The file is opened at once: lines up to ``end`` never change, so reading
        them after the lock is released is safe even if another process rewrites the file
        meanwhile (it renames a new file in)."""
        return _closing(open(self.path, "rb"), self.end)

    def snapshot(self, waiting: list[Entry], keep: Callable[[Entry], bool]) -> Snapshot:
        """The entries up to what this process verified, and ``waiting`` ones (call after
        ``refresh``, under the lock; read after it is released, like ``entries``)."""
        return Snapshot(open(self.path, "rb"), self.end, waiting, keep)

    def all_entries(self) -> Iterator[Entry]:
        """Every good entry of the file as it is, damaged or not (for recovery)."""
        with open(self.path, "rb") as handle:
            yield from entries(handle)

    # -- writing ------------------------------------------------------------------------------

    def create(self) -> None:
        write_atomically(self.path, Header.fresh(self.schema_version), [])
        self.open()

    def append(self, lines: dict[str, bytes]) -> int:
        """Add the lines whose id is new, with one write and one fsync; returns how many."""
        lines = {k: v for k, v in lines.items() if k not in self.ids}
        if not lines:
            return 0
        data = b"".join(lines.values())
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND)
        except OSError as exc:
            raise explain(exc, self.path) from exc
        try:
            written = 0
            while written < len(data):
                written += os.write(fd, data[written:])
            os.fsync(fd)
        except OSError as exc:
            # Only our own, never-acknowledged bytes are cut off: the file is as before.
            os.ftruncate(fd, self.end)
            raise explain(exc, self.path) from exc
        finally:
            os.close(fd)
        self.ids.update(lines)
        self.end += len(data)
        return len(lines)

    def rewrite(self, lines: Iterable[bytes], sync_dir: bool = True) -> int:
        """Replace the file by ``lines`` under a fresh header; returns how many were written."""
        try:
            written = write_atomically(self.path, Header.fresh(self.schema_version), lines,
                                       sync_dir)
        except OSError as exc:
            raise explain(exc, self.path) from exc
        self.open()
        return written

    def rewrite_unique(self, lines: Iterable[Entry], keep: Callable[[Entry], bool]) -> int:
        """Rewrite with the first line of each id that ``keep`` accepts."""
        seen: set[str] = set()

        def chosen() -> Iterator[bytes]:
            for entry in lines:
                if entry.id not in seen and keep(entry):
                    seen.add(entry.id)
                    yield entry.line

        return self.rewrite(chosen())

    def writable(self) -> None:
        """Raise a StorageError now if an append would fail for want of permission."""
        try:
            os.close(os.open(self.path, os.O_WRONLY | os.O_APPEND))
        except OSError as exc:
            raise explain(exc, self.path) from exc


def shuffled(lines: dict[str, bytes]) -> dict[str, bytes]:
    items = list(lines.items())
    random.SystemRandom().shuffle(items)
    return dict(items)


class Snapshot:
    """A journal's entries as they were at one moment, read twice without being held: first in
    the file's order, then in the order of their ids.

    The file's order is the order of saving (in shuffled batches, but batch after batch); an
    id is random (a result id, or a sheet's keyed id), so the second reading says nothing of
    who came when. Between the two, only each entry's id and place in the file are kept (36
    bytes an entry), gathered by the id's first two digits so that each group is sorted apart;
    the file stays open: a rewrite by another process renames a new file in and leaves these
    bytes as they were.
    """

    def __init__(self, handle: BinaryIO, end: int, waiting: list[Entry],
                 keep: Callable[[Entry], bool]) -> None:
        self._handle = handle
        self._end = end
        self._waiting = [e for e in waiting if keep(e)]
        self._keep = keep
        self._ids = bytearray()
        self._places = array("Q")  # offset, then length, of each entry in the file
        self._groups = [array("I") for _ in range(256)]  # entries by their id's first byte

    def __iter__(self) -> Iterator[tuple[str, bytes]]:
        """Each entry's id and JSON in the file's order (then those waiting for their
        batch)."""
        self._handle.seek(0)
        position = 0
        for line in self._handle:
            if position >= self._end:
                break
            entry = parse_entry(line)
            if entry is not None and self._keep(entry):
                self._groups[int(entry.id[:2], 16)].append(len(self._places) // 2)
                self._ids += bytes.fromhex(entry.id)
                self._places.extend((position, len(line)))
                yield entry.id, entry.json
            position += len(line)
        for entry in self._waiting:
            yield entry.id, entry.json

    def by_id(self) -> Iterator[tuple[str, bytes]]:
        """Each entry's id and JSON again, in the order of their ids (after a full first
        reading)."""
        waiting = sorted(self._waiting, key=lambda e: e.id)
        fd = self._handle.fileno()
        for group in self._groups:
            here = sorted((self._ids[i * _ID_BYTES:(i + 1) * _ID_BYTES].hex(), i) for i in group)
            for entry_id, i in here:
                while waiting and waiting[0].id < entry_id:
                    early = waiting.pop(0)
                    yield early.id, early.json
                payload = payload_of(os.pread(fd, self._places[2 * i + 1], self._places[2 * i]))
                if payload is None:
                    raise OSError(f"{self._handle.name} changed under a reading")
                yield entry_id, payload[_ID_WIDTH + 3:]
        for entry in waiting:
            yield entry.id, entry.json

    def close(self) -> None:
        self._handle.close()


def _closing(handle: BinaryIO, end: int) -> Iterator[Entry]:
    with handle:
        yield from entries(handle, end)


def damage_kind(path: Path, found: Scan) -> IncidentKind:
    if path.stat().st_size == 0:
        return "empty"
    if found.header is None:
        return "bad_header"
    if found.bad_lines:
        return "garbled"
    return "truncated" if found.torn_tail else "duplicated"


def lost(found: Scan) -> int:
    return found.bad_lines + found.torn_tail

