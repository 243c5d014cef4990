"""The staff side without the screens: PINs, the lockout, the audit log, the result codes and
their commands."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from argon2 import Type, extract_parameters
from conftest import FAST_PINS
from typer.testing import CliRunner

from kiosk.cli import app
from kiosk.routing import Decision
from kiosk.staff import PinError, ResultCodes, ShownResult, StaffAccess
from kiosk.staff.audit import AUDIT_NAME, entry_hash
from kiosk.staff.codes import CODES_NAME
from kiosk.staff.files import STAFF_DIR
from kiosk.staff.lockout import FIRST_LOCK, FREE_TRIES, LONGEST_LOCK, lock_after
from kiosk.staff.pins import PINS_NAME, PinStore
from kiosk.takeaway import CODE_ALPHABET, CODE_LENGTH

PIN = "739184520613"  # twelve digits: no chance of turning up inside a hash by accident
OTHER_PIN = "246802468024"


class Clock:
    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def access(data: Path, clock: Clock | None = None, day: date = date(2026, 11, 24)) -> StaffAccess:
    return StaffAccess(data, clock=clock or Clock(), today=lambda: day, hasher=FAST_PINS)


def all_bytes(directory: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file())


# -- PINs -----------------------------------------------------------------------------------


def test_pins_are_argon2id_with_the_rfc_9106_low_memory_parameters(tmp_path: Path) -> None:
    pins = PinStore(tmp_path)  # the kiosk's own hashing, not the tests' cheap one
    pins.set("mediator", PIN)
    stored = json.loads((tmp_path / PINS_NAME).read_text())["pins"]["mediator"]
    parameters = extract_parameters(stored)
    assert parameters.type is Type.ID
    assert (parameters.memory_cost, parameters.time_cost, parameters.parallelism) == (
        65536, 3, 4)
    assert (parameters.salt_len, parameters.hash_len) == (16, 32)
    assert PIN not in stored
    assert pins.match(PIN) == "mediator"
    assert pins.match(OTHER_PIN) is None
    # Salted: the same PIN set again is another hash.
    pins.set("mediator", PIN)
    assert json.loads((tmp_path / PINS_NAME).read_text())["pins"]["mediator"] != stored


def test_a_hash_of_older_parameters_is_remade_at_the_next_right_pin(tmp_path: Path) -> None:
    PinStore(tmp_path, FAST_PINS).set("mediator", PIN)
    pins = PinStore(tmp_path)
    assert pins.match(PIN) == "mediator"
    stored = json.loads((tmp_path / PINS_NAME).read_text())["pins"]["mediator"]
    assert extract_parameters(stored).memory_cost == 65536


def test_pins_that_cannot_be_set(tmp_path: Path) -> None:
    pins = PinStore(tmp_path, FAST_PINS)
    for bad in ("12345", "1234567890123", "12a456", " 123456", ""):
        with pytest.raises(PinError, match="6 to 12 digits"):
            pins.set("mediator", bad)
    pins.set("mediator", PIN)
    with pytest.raises(PinError, match="another role already has this PIN"):
        pins.set("coordinator", PIN)
    with pytest.raises(PinError, match="unknown role"):
        pins.set("visitor", OTHER_PIN)  # type: ignore[arg-type]
    assert pins.roles() == ["mediator"]


def test_a_damaged_pin_file_is_reported_never_overwritten(tmp_path: Path) -> None:
    (tmp_path / PINS_NAME).write_text("{not json")
    pins = PinStore(tmp_path, FAST_PINS)
    with pytest.raises(Exception, match="damaged"):
        pins.set("mediator", PIN)
    assert (tmp_path / PINS_NAME).read_text() == "{not json"


# -- lockout ------------------------------------------------------------------------------------


def test_five_wrong_pins_lock_for_a_growing_time(tmp_path: Path) -> None:
    clock = Clock()
    staff = access(tmp_path, clock)
    staff.pins.set("mediator", PIN)
    tries = [staff.try_pin(OTHER_PIN) for _ in range(FREE_TRIES)]
    assert [t.outcome for t in tries] == ["wrong"] * (FREE_TRIES - 1) + ["locked"]
    assert [t.tries_left for t in tries[:-1]] == [4, 3, 2, 1]
    assert tries[-1].wait == FIRST_LOCK
    # While locked, even the right PIN is not checked.
    assert staff.try_pin(PIN).outcome == "locked"
    clock.now += FIRST_LOCK
    assert staff.try_pin(OTHER_PIN).wait == 2 * FIRST_LOCK  # the next wrong one: twice as long
    clock.now += 2 * FIRST_LOCK
    assert staff.try_pin(PIN).outcome == "granted"
    assert staff.lockout.state().failures == 0  # a right PIN starts the count again
    assert lock_after(40) == LONGEST_LOCK


def test_the_lock_survives_a_restart_and_a_clock_set_back(tmp_path: Path) -> None:
    clock = Clock()
    staff = access(tmp_path, clock)
    staff.pins.set("mediator", PIN)
    for _ in range(FREE_TRIES):
        staff.try_pin(OTHER_PIN)
    clock.now += 10
    restarted = access(tmp_path, clock)  # a new kiosk process on the same folder
    attempt = restarted.try_pin(PIN)
    assert attempt.outcome == "locked" and attempt.wait == pytest.approx(FIRST_LOCK - 10)
    clock.now -= 86_400  # the clock set back a day does not lengthen the lock
    assert access(tmp_path, clock).lockout.state().wait == FIRST_LOCK


@pytest.mark.slow
def test_the_lock_holds_for_the_real_command_after_a_restart(tmp_path: Path) -> None:
    staff = access(tmp_path)
    staff.pins.set("mediator", PIN)
    env = {**os.environ, "KIOSK_DATA_DIR": str(tmp_path)}
    for _ in range(FREE_TRIES):
        StaffAccess(tmp_path, hasher=FAST_PINS).try_pin(OTHER_PIN)  # on the real clock
    done = subprocess.run([sys.executable, "-m", "kiosk", "pin", "status"], env=env,
                          capture_output=True, text=True, check=True)
    assert "the prompt is locked for" in done.stdout


def test_with_no_pin_set_nothing_opens_and_nothing_counts(tmp_path: Path) -> None:
    staff = access(tmp_path)
    for _ in range(10):
        assert staff.try_pin(PIN).outcome == "no_pin"
    assert staff.lockout.state().failures == 0


def test_the_pin_is_in_no_file_and_no_log(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("DEBUG")
    runner = CliRunner()
    data = tmp_path / "data"
    done = runner.invoke(app, ["pin", "set", "mediator", "--data-dir", str(data)],
                         input=PIN + "\n")
    assert done.exit_code == 0, done.output
    staff = access(data)
    staff.try_pin(OTHER_PIN)
    staff.try_pin(PIN)
    assert PIN.encode() not in all_bytes(tmp_path)
    assert OTHER_PIN.encode() not in all_bytes(tmp_path)
    assert PIN not in caplog.text and PIN not in done.output
    assert OTHER_PIN not in caplog.text


def test_pin_set_reads_standard_input_and_refuses_a_bad_role(tmp_path: Path) -> None:
    runner = CliRunner()
    data = tmp_path / "data"
    done = runner.invoke(app, ["pin", "set", "coordinator", "--data-dir", str(data)],
                         input=OTHER_PIN + "\n")
    assert done.exit_code == 0 and "coordinator PIN is set" in done.output
    assert access(data).pins.match(OTHER_PIN) == "coordinator"
    bad = runner.invoke(app, ["pin", "set", "visitor", "--data-dir", str(data)], input="x\n")
    assert bad.exit_code == 2 and "unknown role" in bad.output
    short = runner.invoke(app, ["pin", "set", "mediator", "--data-dir", str(data)],
                          input="123\n")
    assert short.exit_code == 1 and "6 to 12 digits" in short.output
    status = runner.invoke(app, ["pin", "status", "--data-dir", str(data)])
    assert "PIN set for: coordinator" in status.output


# -- the audit log ------------------------------------------------------------------------------


def filled_log(data: Path) -> Path:
    staff = access(data)
    staff.pins.set("mediator", PIN)
    staff.try_pin(OTHER_PIN)
    staff.try_pin(PIN)
    staff.audit.add("guided_started", "mediator", continued=False)
    staff.audit.export_made("coordinator", "aggregates", rows=12)
    return data / STAFF_DIR / AUDIT_NAME


def test_the_audit_log_appends_a_chain_that_verifies(tmp_path: Path) -> None:
    log = filled_log(tmp_path)
    entries = [json.loads(line) for line in log.read_text().splitlines()]
    assert [e["event"] for e in entries] == ["pin_failed", "staff_opened", "guided_started",
                                             "export_made"]
    assert [e["n"] for e in entries] == [1, 2, 3, 4]
    assert all(e["prev"] == p["hash"] for p, e in itertools.pairwise(entries))
    assert all(e["hash"] == entry_hash(e) for e in entries)
    assert entries[-1]["detail"] == {"kind": "aggregates", "rows": 12}
    assert {e["day"] for e in entries} == {"2026-11-24"}  # a day, never a time
    done = CliRunner().invoke(app, ["audit", "verify", "--data-dir", str(tmp_path)])
    assert done.exit_code == 0 and "4 entries" in done.output


@pytest.mark.parametrize("tamper", ["edit", "remove", "insert", "reorder", "cut"])
def test_audit_verify_names_the_first_bad_entry(tmp_path: Path, tamper: str) -> None:
    log = filled_log(tmp_path)
    lines = log.read_text().splitlines(keepends=True)
    if tamper == "edit":
        lines[1] = lines[1].replace('"staff_opened"', '"pin_set"')
        bad = 2
    elif tamper == "remove":
        del lines[1]
        bad = 2
    elif tamper == "insert":
        lines.insert(2, lines[0])
        bad = 3
    elif tamper == "reorder":
        lines[2], lines[3] = lines[3], lines[2]
        bad = 3
    else:
        lines[-1] = lines[-1][:20]
        bad = 4
    log.write_text("".join(lines))
    done = CliRunner().invoke(app, ["audit", "verify", "--data-dir", str(tmp_path)])
    assert done.exit_code == 1
    assert f"audit.jsonl:{bad}: entry {bad}:" in done.output
    # The kiosk goes on logging after the damage; the damage stays found.
    access(tmp_path).audit.add("staff_left", "mediator")
    assert access(tmp_path).audit.verify().first_bad == bad


def test_the_audit_log_holds_no_pin_no_code_no_answer(tmp_path: Path) -> None:
    log = filled_log(tmp_path)
    staff = access(tmp_path)
    code = staff.codes.issue(shown())
    assert staff.codes.look_up(code) is not None
    text = log.read_text()
    assert PIN not in text and OTHER_PIN not in text and code not in text


# -- result codes -------------------------------------------------------------------------------


def shown(result_id: str = "ab" * 16) -> ShownResult:
    from kiosk.datafile import Text

    return ShownResult(
        result_id=result_id,
        levels={"devices": 2, "information": 1, "communication": 2, "documents": 1,
                "procedures": 0, "safety": 2},
        pathway="workshops", needs=("identity",),
        reasons=(Text.model_validate({"fr": "Les démarches...", "en": "Procedures..."}),),
    )


class Day:
    def __init__(self, day: date) -> None:
        self.day = day

    def __call__(self) -> date:
        return self.day


def test_a_code_opens_its_result_the_same_day_only(tmp_path: Path) -> None:
    today = Day(date(2026, 11, 24))
    codes = ResultCodes(tmp_path, today)
    code = codes.issue(shown())
    assert len(code) == CODE_LENGTH and set(code) <= set(CODE_ALPHABET)
    assert codes.look_up(code) == shown()
    assert codes.look_up(f" {code[:3].lower()} {code[3:]} ") == shown()  # as typed
    assert codes.look_up("AAAAAA") is None
    today.day += timedelta(days=1)  # just after midnight
    assert codes.look_up(code) is None
    assert not (tmp_path / CODES_NAME).exists()


def test_the_code_file_of_another_day_is_gone_at_the_next_start(tmp_path: Path) -> None:
    code = ResultCodes(tmp_path, Day(date(2026, 11, 24))).issue(shown())
    next_start = ResultCodes(tmp_path, Day(date(2026, 11, 25)))
    assert next_start.expire() is True
    assert not (tmp_path / CODES_NAME).exists()
    assert next_start.look_up(code) is None


def test_the_code_file_holds_the_links_of_the_day_and_nothing_else(tmp_path: Path) -> None:
    codes = ResultCodes(tmp_path, Day(date(2026, 11, 24)))
    issued = {codes.issue(shown(f"{n:032x}")): f"{n:032x}" for n in range(30)}
    data = json.loads((tmp_path / CODES_NAME).read_text())
    assert set(data) == {"day", "codes"} and data["day"] == "2026-11-24"
    assert set(data["codes"]) == set(issued)
    for code, link in data["codes"].items():
        assert set(link) == {"result_id", "levels", "pathway", "needs", "reasons", "uncertain",
                             "likely"}
        assert link["result_id"] == issued[code]


def test_codes_are_random_not_derived_from_the_result_id(tmp_path: Path) -> None:
    codes = ResultCodes(tmp_path, Day(date(2026, 11, 24)))
    same_result = {codes.issue(shown()) for _ in range(50)}
    assert len(same_result) == 50  # the same result id, fifty different codes
    assert len(codes) == 50


def test_a_code_is_never_given_twice_the_same_day(tmp_path: Path) -> None:
    draws = iter(["AAAAAA", "AAAAAA", "BBBBBB"])
    codes = ResultCodes(tmp_path, Day(date(2026, 11, 24)), draw=lambda: next(draws))
    assert [codes.issue(shown()), codes.issue(shown())] == ["AAAAAA", "BBBBBB"]


def test_a_damaged_code_file_opens_nothing_and_is_replaced(tmp_path: Path) -> None:
    codes = ResultCodes(tmp_path, Day(date(2026, 11, 24)))
    code = codes.issue(shown())
    (tmp_path / CODES_NAME).write_text("garbage")
    assert codes.look_up(code) is None
    assert codes.issue(shown()) != ""
    assert len(codes) == 1


def test_shown_result_gives_back_the_decision() -> None:
    result = shown()
    assert result.decision() == Decision("workshops", ("identity",), result.reasons)


def test_staff_files_are_private(tmp_path: Path) -> None:
    before = os.umask(0o077)  # what the kiosk's commands set before touching the data folder
    try:
        filled_log(tmp_path)
    finally:
        os.umask(before)
    folder = tmp_path / STAFF_DIR
    assert folder.stat().st_mode & 0o777 == 0o700
    for path in folder.iterdir():
        assert path.stat().st_mode & 0o077 == 0, path
