"""Saving without making anyone wait, and knowing at every moment whether saving works.

The kiosk hands each finished visit to a :class:`SaveQueue` and shows the result at once; a
worker thread does the saving (taking the lock, writing, fsync). A save that fails stays in
memory, in order, and is tried again every ``retry_every`` seconds; :attr:`SaveQueue.status`
says whether the kiosk may take visitors, what went wrong and how many results are waiting.
The UI reads the status; it never touches the store itself.

The store is also opened through the queue, so that a data folder that cannot be used at start
(unwritable, full, a lock owned by another account...) is a status with a message for staff,
not a crash; the queue keeps trying, and the kiosk opens again once staff have fixed it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiosk.storage.errors import StorageError

if TYPE_CHECKING:  # the store is opened in the worker: the kiosk's first screen need not wait
    from kiosk.records import Counted, StoredVisit
    from kiosk.storage.journal import Incident
    from kiosk.storage.store import ResultStore

RETRY_EVERY = 30.0
QUIET_TIMES_EVERY = 3600.0  # see ``disk``: the files' change time then dates nothing

log = logging.getLogger("kiosk.storage")

Job = Callable[["ResultStore"], None]


@dataclass(frozen=True)
class SaveStatus:
    ready: bool  # the store is open and a save would succeed: visitors may start
    problem: str  # what went wrong and what to do ('' when nothing did)
    waiting: int  # results kept in memory because they could not be saved yet
    incidents: tuple[Incident, ...]  # damaged files found (and dealt with) on opening

    @property
    def opening(self) -> bool:
        """The worker has not tried to open the store yet."""
        return not self.ready and not self.problem


class SaveQueue:
    def __init__(
        self,
        open_store: Callable[[], ResultStore],
        retry_every: float = RETRY_EVERY,
        quiet_times_every: float = QUIET_TIMES_EVERY,
    ) -> None:
        self._open_store = open_store
        self._retry_every = retry_every
        self._quiet_every = quiet_times_every
        self._jobs: deque[Job] = deque()
        self._store: ResultStore | None = None
        self._problem = ""
        self._busy = False
        self._wake = threading.Condition()
        self._stopping = False
        self._thread: threading.Thread | None = None

    @classmethod
    def of(cls, store: ResultStore) -> SaveQueue:
        """A started queue over an already opened store."""
        queue = cls(lambda: store)
        queue.start()
        return queue

    # -- what the UI calls (never blocks on the disk or the lock) -------------------------------

    @property
    def status(self) -> SaveStatus:
        with self._wake:
            store = self._store
            return SaveStatus(
                ready=store is not None and not self._problem,
                problem=self._problem,
                waiting=len(self._jobs),  # the one being tried stays first until it is saved
                incidents=tuple(store.incidents) if store else (),
            )

    def submit(self, visit: StoredVisit) -> None:
        """Keep a visit in the background."""
        self._put(lambda store: store.save_many([visit]))

    def recount(self, before: Counted, after: Counted) -> None:
        """Count, in the background, a visit counted as ``before`` as ``after`` instead."""
        self._put(lambda store: store.recount(before, after))

    def add_abandoned(self, site_id: str) -> None:
        """Count, in the background, a visit whose answers the visitor chose to delete."""
        self._put(lambda store: store.add_abandoned(site_id))

    def retry_now(self) -> None:
        """Try again at once (a staff member says the problem is fixed)."""
        with self._wake:
            self._wake.notify()

    # -- lifetime -----------------------------------------------------------------------------

    @property
    def started(self) -> bool:
        return self._thread is not None

    def start(self, open_now: bool = True) -> None:
        """Keep saving in a worker thread. The store is opened now, so that the caller knows
        at once whether visitors may start, or with ``open_now=False`` by the worker (the
        status says neither ready nor a problem until it has tried)."""
        if open_now:
            self._try_open()
        self._thread = threading.Thread(target=self._run, name="kiosk-saver", daemon=True)
        self._thread.start()

    def close(self, timeout: float = 10.0) -> SaveStatus:
        """Save what can still be saved, stop the worker, and say what is left unsaved."""
        with self._wake:
            self._stopping = True
            self._wake.notify()
        if self._thread is not None:
            self._thread.join(timeout)
        return self.status

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """True once every submitted job has been tried (for tests and for quitting)."""
        deadline = time.monotonic() + timeout
        with self._wake:
            while (self._jobs or self._busy) and not self._problem:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._wake.wait(left)
        return True

    # -- the worker ---------------------------------------------------------------------------

    def _put(self, job: Job) -> None:
        with self._wake:
            self._jobs.append(job)
            self._wake.notify_all()

    def _run(self) -> None:
        quiet_at = time.monotonic() + self._quiet_every
        while True:
            with self._wake:
                opened = self._store is not None
                if opened and not self._jobs and not self._problem and not self._stopping:
                    self._wake.wait(max(0.0, quiet_at - time.monotonic()))
                elif self._problem and not self._stopping:
                    self._wake.wait(self._retry_every)
                stopping = self._stopping
            if self._store is None or self._problem:
                self._try_open()
            self._drain()
            if time.monotonic() >= quiet_at and self._store is not None:
                quiet_at = time.monotonic() + self._quiet_every
                self._guard(lambda store: store.keep_times_quiet())
            if stopping:
                return

    def _drain(self) -> None:
        while True:
            with self._wake:
                if not self._jobs or self._store is None:
                    return
                job = self._jobs[0]
                self._busy = True
            ok = self._guard(job)
            with self._wake:
                self._busy = False
                if ok:
                    self._jobs.popleft()
                self._wake.notify_all()
            if not ok:
                return

    def _guard(self, job: Job) -> bool:
        assert self._store is not None
        try:
            job(self._store)
        except StorageError as exc:
            self._set_problem(str(exc))
            return False
        except Exception as exc:  # a kiosk must keep the result, whatever the error
            self._set_problem(f"unexpected error while saving ({type(exc).__name__}: {exc})")
            return False
        self._set_problem("")
        return True

    def _try_open(self) -> None:
        try:
            store = self._store or self._open_store()
            store.check_writable()
        except StorageError as exc:
            self._set_problem(str(exc))
            return
        except OSError as exc:  # the store explains what it knows; this is for the rest
            self._set_problem(f"the results folder cannot be used: {exc}")
            return
        with self._wake:
            self._store = store
        self._set_problem("")

    def _set_problem(self, problem: str) -> None:
        with self._wake:
            changed = problem != self._problem
            self._problem = problem
            self._wake.notify_all()
        if changed and problem:
            log.error("cannot save: %s (%d results waiting in memory)", problem,
                      self.status.waiting)
        elif changed:
            log.info("saving works again")
