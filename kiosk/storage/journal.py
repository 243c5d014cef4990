"""The journal's line format and the file operations that keep it durable.

Every line is ``<crc32 as 8 hex digits> <payload>\\n``; the checksum covers the payload, so a
torn, garbled or zero-filled line is recognised on its own and the lines around it stay good.

- The first line is the header, payload ``# {json}``: format, schema version of the records,
  and a random *generation* that changes whenever the file is rewritten (purge, recovery,
  migration), so another process knows its cached read position no longer applies.
- Every other line is one record, payload ``<result_id> <r|s> {json}``: the id and the synthetic
  flag sit outside the JSON so that opening, de-duplicating and filtering never parse JSON.
"""

from __future__ import annotations

import json
import os
import secrets
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

FORMAT = "kiosk-results-journal"
HEADER_MARK = b"# "
_CRC_WIDTH = 8
_ID_WIDTH = 32


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
    """One good record line, as found in the file."""

    result_id: str
    synthetic: bool
    json: bytes
    line: bytes


def encode(payload: bytes) -> bytes:
    return b"%08x %s\n" % (zlib.crc32(payload), payload)


def record_line(result_id: str, synthetic: bool, record_json: bytes) -> bytes:
    return encode(b"%s %s %s" % (result_id.encode("ascii"), b"s" if synthetic else b"r",
                                 record_json))


def payload_of(line: bytes) -> bytes | None:
    """The payload of a complete, intact line; None for anything else."""
    if len(line) < _CRC_WIDTH + 2 or line[-1:] != b"\n" or line[_CRC_WIDTH:_CRC_WIDTH + 1] != b" ":
        return None
    payload = line[_CRC_WIDTH + 1:-1]
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
    result_id, flag, sep = payload[:_ID_WIDTH], payload[_ID_WIDTH + 1:_ID_WIDTH + 2], payload[
        _ID_WIDTH + 2:_ID_WIDTH + 3]
    if payload[_ID_WIDTH:_ID_WIDTH + 1] != b" " or sep != b" " or flag not in (b"r", b"s"):
        return None
    return Entry(result_id.decode("ascii", "replace"), flag == b"s", payload[_ID_WIDTH + 3:],
                 line)


@dataclass
class Scan:
    """What reading a journal from some offset found."""

    header: Header | None  # only when the scan started at offset 0
    entries: int
    end: int  # offset just after the last complete, intact line
    bad_lines: int  # complete lines whose checksum or shape is wrong
    torn_tail: bool  # bytes after the last newline: an append that never finished


def scan(handle: BinaryIO, offset: int, ids: set[str]) -> Scan:
    """Read lines from ``offset``, adding every good record's id to ``ids``."""
    handle.seek(offset)
    header = None
    entries = bad = 0
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
            ids.add(entry.result_id)
            entries += 1
        else:
            bad += 1
        end += len(line)
    return Scan(header, entries, end, bad, torn)


def entries(handle: BinaryIO, stop: int | None = None) -> Iterator[Entry]:
    """The good record lines from the start of the file up to offset ``stop``."""
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


def write_atomically(path: Path, header: Header, lines: Iterable[bytes]) -> int:
    """Replace ``path`` by a new journal: temporary file, fsync, rename, fsync of the directory.

    At every instant ``path`` is either the old file or the complete new one. Returns the number
    of record lines written.
    """
    tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}-{secrets.token_hex(4)}")
    count = 0
    try:
        with open(tmp, "xb") as out:
            out.write(header.line())
            for line in lines:
                out.write(line)
                count += 1
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    fsync_dir(path.parent)
    return count


def copy_exclusively(source: Path, target: Path) -> None:
    """Copy bytes to a name that must not exist yet (never overwrites), durably."""
    with open(source, "rb") as src, open(target, "xb") as out:
        while chunk := src.read(1 << 20):
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    fsync_dir(target.parent)
