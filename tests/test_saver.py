"""The save queue: the kiosk never waits for the disk, and always knows whether saving works."""

from __future__ import annotations

import asyncio
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from filelock import FileLock
from storage_checks import example_record, example_sheet
from textual.pilot import Pilot

from kiosk.records import StoredVisit
from kiosk.storage import ResultStore
from kiosk.storage.saver import SaveQueue
from kiosk.ui.app import KioskApp
from kiosk.ui.screens.out_of_service import OutOfServiceScreen
from kiosk.ui.screens.question import QuestionScreen
from kiosk.ui.screens.result import ResultScreen
from kiosk.ui.screens.welcome import WelcomeScreen
from kiosk.ui.widgets.words import Words
from kiosk.visit import Assessment


def eventually(check: Callable[[], bool], timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.02)
    return False


def test_a_save_never_waits_for_the_lock(tmp_path: Path) -> None:
    store = ResultStore(tmp_path, lock_timeout=30)
    queue = SaveQueue.of(store)
    record = example_record()
    with FileLock(str(store.path) + ".lock"):  # another kiosk process is busy
        started = time.monotonic()
        queue.submit(StoredVisit(record, example_sheet()))
        returned = time.monotonic() - started
        assert queue.status.waiting == 1
    assert returned < 0.5, "submit returned while the lock was held"
    assert queue.wait_idle()
    assert [r.result_id for r in store.records()] == [record.result_id]
    assert len(list(store.sheets())) == 1
    queue.close()


def test_a_failed_save_is_kept_retried_and_reported(tmp_path: Path) -> None:
    store = ResultStore(tmp_path, lock_timeout=0.2)
    queue = SaveQueue(lambda: store, retry_every=0.05)
    queue.start()
    records = [example_record(), example_record()]
    with FileLock(str(store.path) + ".lock"):
        for record in records:
            queue.submit(StoredVisit(record))
        assert eventually(lambda: not queue.status.ready)
        status = queue.status
        assert status.waiting == 2 and "held" in status.problem
    assert eventually(lambda: queue.status.ready and queue.status.waiting == 0)
    assert sorted(r.result_id for r in ResultStore(tmp_path).records()) == sorted(
        r.result_id for r in records)  # each once
    queue.close()


def test_a_store_that_cannot_be_opened_is_a_status_until_fixed(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "results.jsonl").mkdir(parents=True)
    queue = SaveQueue(lambda: ResultStore(data), retry_every=0.05)
    queue.start()
    assert not queue.status.ready and "is a folder" in queue.status.problem
    (data / "results.jsonl").rmdir()
    assert eventually(lambda: queue.status.ready)
    queue.close()


def test_closing_saves_what_is_waiting(tmp_path: Path) -> None:
    store = ResultStore(tmp_path)
    queue = SaveQueue.of(store)
    records = [example_record() for _ in range(20)]
    for record in records:
        queue.submit(StoredVisit(record, example_sheet()))
    status = queue.close()
    assert status.waiting == 0 and status.ready
    assert store.count() == 20


def run_app(app: KioskApp, scenario: Callable[[KioskApp, Pilot[None]], object]) -> None:
    async def go() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            await scenario(app, pilot)  # type: ignore[misc]

    asyncio.run(go())


def test_the_kiosk_takes_no_visitor_while_it_cannot_save(tmp_path: Path,
                                                          assessment: Assessment) -> None:
    data = tmp_path / "data"
    (data / "results.jsonl").mkdir(parents=True)
    queue = SaveQueue(lambda: ResultStore(data), retry_every=0.05)
    queue.start()

    async def scenario(app: KioskApp, pilot: Pilot[None]) -> None:
        assert isinstance(app.screen, OutOfServiceScreen)
        text = " ".join(w.text for w in app.screen.query(Words))
        assert "hors service" in text and "is a folder" in text
        await pilot.press("enter", "enter", "1")
        assert isinstance(app.screen, OutOfServiceScreen) and app.visit is None
        (data / "results.jsonl").rmdir()  # staff fix it
        await pilot.press("space")  # and need not wait for the next try
        for _ in range(50):
            await pilot.pause(0.1)
            if isinstance(app.screen, WelcomeScreen):
                break
        assert isinstance(app.screen, WelcomeScreen)

    run_app(KioskApp(assessment, queue), scenario)
    queue.close()


def test_a_save_failing_mid_session_shows_the_result_and_tells_staff(
    tmp_path: Path, assessment: Assessment
) -> None:
    data = tmp_path / "data"
    store = ResultStore(data, lock_timeout=0.2)
    queue = SaveQueue(lambda: store, retry_every=0.05)
    queue.start()

    async def scenario(app: KioskApp, pilot: Pilot[None]) -> None:
        await pilot.press("enter", "enter")
        await pilot.pause()
        journal = data / "results.jsonl"
        shutil.move(journal, tmp_path / "away")
        journal.mkdir()  # the journal broken under a running kiosk
        while isinstance(app.screen, QuestionScreen):
            await pilot.press("2")
            await pilot.pause()
        assert isinstance(app.screen, ResultScreen), "the visitor gets their result at once"
        saved_id = app.outcome.record.result_id
        assert eventually(lambda: queue.status.waiting == 1 and not queue.status.ready)
        for _ in range(3):  # "finish", confirmed, and no optional question answered
            await pilot.click("#finish")
            await pilot.pause()
        # Staff are told on the welcome screen's staff line until the kiosk's next look at
        # the save queue (once a second) puts up the out-of-service screen, which says it too.
        if isinstance(app.screen, WelcomeScreen):
            notice = app.screen.query_one("#staff-notice", Words).text
            assert "1 résultat(s) pas encore enregistré(s)" in notice and "is a folder" in notice
            await pilot.press("enter")  # the next visitor is not taken
            await pilot.pause()
        assert isinstance(app.screen, OutOfServiceScreen)
        notice = str(app.screen.query_one("#out-of-service-staff").render())
        assert "1 résultat(s) pas encore enregistré(s)" in notice and "is a folder" in notice
        journal.rmdir()
        shutil.move(tmp_path / "away", journal)
        assert eventually(lambda: queue.status.ready and queue.status.waiting == 0)
        assert saved_id in {r.result_id for r in ResultStore(data).records()}

    run_app(KioskApp(assessment, queue), scenario)
    queue.close()
