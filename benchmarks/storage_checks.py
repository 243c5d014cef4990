"""Robustness checks of the store on real files and real processes.

Used by the tests (a quick run) and by ``benchmarks/storage.py --crash 200`` (the full one);
not shipped with the kiosk:

- ``crash_check``: a child process saves results in a loop, printing each id once ``save`` has
  returned; it is killed with SIGKILL at a random moment, again and again. Afterwards every
  printed id must be in the store, and the store must open without an incident. Every few saves
  the child also saves an expired record and purges it, so kills also land inside the atomic
  rewrite, not only inside appends.
- ``python benchmarks/storage_checks.py save DIR PREFIX COUNT``: one of several writers saving
  at once (ids derived from PREFIX, so that the test knows which ids to expect).
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.records import AnswerSheet, Counted, VisitRecord, new_result_id
from kiosk.storage.store import ResultStore

EXPIRED_WEEK = "2001-W01"
PURGE_EVERY = 25


def example_record(**changes: Any) -> VisitRecord:
    """A plausible, valid record (not drawn through the engine: fast, for storage checks)."""
    fields: dict[str, Any] = {
        "result_id": new_result_id(),
        "questionnaire_id": "competences-numeriques",
        "questionnaire_version": "1.0.0",
        "site_id": "example",
        "mode": "self",
        "iso_week": "2026-W48",
        "duration": "<5",
        "questions_asked": 11,
        "completion": "completed",
        "levels": {"devices": 2, "information": 2, "communication": 1, "documents": 1,
                   "procedures": 0, "safety": 2},
        "pathway": "workshops",
    }
    fields.update(changes)
    return VisitRecord(**fields)


def example_sheet(**changes: Any) -> AnswerSheet:
    fields: dict[str, Any] = {
        "questionnaire_id": "competences-numeriques",
        "questionnaire_version": "1.0.0",
        "quarter": "2026-Q4",
        "answers": {"dev-wifi": "alone", "pro-account": "with_help", "saf-phishing": "alone"},
    }
    fields.update(changes)
    return AnswerSheet(**fields)


def example_counted(**changes: Any) -> Counted:
    fields: dict[str, Any] = {
        "site_id": "example", "iso_week": "2026-W48", "language": "fr", "age_band": "45-64",
        "reason": "procedure", "needs": [], "pathway": "workshops",
    }
    fields.update(changes)
    return Counted(**fields)


def derived_id(prefix: str, n: int) -> str:
    return hashlib.sha256(f"{prefix}:{n}".encode()).hexdigest()[:32]


def _crash_writer(data_dir: Path) -> None:
    store = ResultStore(data_dir)
    n = 0
    while True:
        n += 1
        record = example_record()
        store.save(record, example_sheet(), example_counted())
        print(record.result_id, flush=True)  # only once save has returned
        if n % PURGE_EVERY == 0:
            store.save(example_record(iso_week=EXPIRED_WEEK))
            store.purge(retention_months=24)


def _save_writer(data_dir: Path, prefix: str, count: int) -> None:
    store = ResultStore(data_dir)
    for n in range(count):
        store.save(example_record(result_id=derived_id(prefix, n)))


@dataclass
class CrashReport:
    kills: int
    promised: int  # saves that had returned before a kill
    missing: list[str] = field(default_factory=list)
    incidents: int = 0
    opened: bool = True

    @property
    def ok(self) -> bool:
        return self.opened and not self.missing and not self.incidents


def crash_check(data_dir: Path, kills: int, seed: int = 0, max_delay: float = 0.6) -> CrashReport:
    rng = random.Random(seed)
    promised: set[str] = set()
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    log = data_dir.parent / f"{data_dir.name}.saved-ids"
    command = [sys.executable, __file__, "crash-writer", str(data_dir)]
    for _ in range(kills):
        with open(log, "wb") as out:
            child = subprocess.Popen(command, stdout=out)
            time.sleep(rng.uniform(0.0, max_delay))
            child.send_signal(signal.SIGKILL)
            child.wait()
        # A complete line is an id whose save had returned; a cut one was never printed.
        promised.update(line[:-1] for line in log.read_text().splitlines(keepends=True)
                        if line.endswith("\n"))
    log.unlink()
    report = CrashReport(kills, len(promised))
    try:
        store = ResultStore(data_dir)
    except Exception:
        report.opened = False
        return report
    present = {r.result_id for r in store.records()}
    report.missing = sorted(promised - present)
    report.incidents = len(store.incidents)
    return report


def main(argv: list[str]) -> None:
    match argv:
        case ["crash-writer", data_dir]:
            _crash_writer(Path(data_dir))
        case ["save", data_dir, prefix, count]:
            _save_writer(Path(data_dir), prefix, int(count))
        case _:
            sys.exit(f"usage: {os.path.basename(sys.argv[0])} crash-writer DIR | save DIR PREFIX N")


if __name__ == "__main__":
    main(sys.argv[1:])
