"""Storage faults met by the real commands: one message that says what happened and what to do,
exit 1, never a traceback; and ``kiosk run`` shows staff an out-of-service screen instead of
taking visitors whose answers it could not keep.

Permission faults mean nothing to root, so the commands run as ``nobody`` (through setpriv)
when the tests run as root. The full disk is a 2 MB tmpfs, which needs root to mount: without
it those cases are skipped.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from storage_checks import example_record, example_sheet
from storage_helpers import give_away, kiosk, unprivileged_prefix
from test_terminal import Terminal

from kiosk.records import StoredVisit
from kiosk.storage import ResultStore

pytestmark = pytest.mark.slow  # real processes, as another account, in tmux and on a tmpfs

COMMANDS: dict[str, list[str]] = {
    "demo-data": ["demo-data", "--count", "3", "--engine-visits", "3"],
    "purge": ["purge"],
    "calibrate": ["calibrate"],
}


@pytest.fixture
def base() -> Iterator[Path]:
    """A folder every account can reach (pytest's own are private to root)."""
    path = Path(tempfile.mkdtemp(prefix="kiosk-faults-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def small_disk(base: Path) -> Iterator[Path]:
    mount = base / "disk"
    mount.mkdir()
    if os.geteuid() != 0 or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=2m,mode=0755", "tmpfs", str(mount)],
            capture_output=True).returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root): no full disk to test on")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def fill(disk: Path) -> None:
    """Take every free byte of ``disk``."""
    with open(disk / "filler", "wb") as out:
        try:
            while True:
                out.write(b"\0" * 65536)
                out.flush()
        except OSError:
            pass


def filled_store(data: Path, records: int = 3) -> None:
    store = ResultStore(data)
    store.save_many(StoredVisit(example_record(iso_week="2001-W05"),
                                example_sheet(quarter="2001-Q1"))
                    for _ in range(records))


# Each fault: how to make it (given the base folder), the data folder or env to pass, whether it
# needs an ordinary account, and what the message must name.
Fault = Callable[[Path], tuple[list[str], dict[str, str]]]


def unwritable_folder(base: Path) -> tuple[list[str], dict[str, str]]:
    data = base / "data"
    data.mkdir()
    data.chmod(0o555)  # owned by root when we are root: nobody cannot write in it
    return ["--data-dir", str(data)], {}


def read_only_journal(base: Path) -> tuple[list[str], dict[str, str]]:
    data = base / "data"
    filled_store(data)
    give_away(data)
    (data / "results.jsonl").chmod(0o400)
    return ["--data-dir", str(data)], {}


def lock_of_another_account(base: Path) -> tuple[list[str], dict[str, str]]:
    data = base / "data"
    filled_store(data)
    give_away(data)
    lock = data / "results.jsonl.lock"
    if os.geteuid() == 0:
        shutil.chown(lock, "root", "root")
    lock.chmod(0o600)
    if os.geteuid() != 0:
        lock.chmod(0o000)
    return ["--data-dir", str(data)], {}


def journal_is_a_folder(base: Path) -> tuple[list[str], dict[str, str]]:
    data = base / "data"
    (data / "results.jsonl").mkdir(parents=True)
    return ["--data-dir", str(data)], {}


def data_dir_env_is_a_file(base: Path) -> tuple[list[str], dict[str, str]]:
    path = base / "not-a-folder"
    path.write_text("just a file\n")
    return [], {"KIOSK_DATA_DIR": str(path)}


FAULTS: dict[str, tuple[Fault, bool, str]] = {
    "unwritable folder": (unwritable_folder, True, "cannot be written"),
    "read-only results.jsonl": (read_only_journal, True, "cannot be written"),
    "lock owned by another account": (lock_of_another_account, True, "cannot be written"),
    "results.jsonl is a folder": (journal_is_a_folder, False, "is a folder"),
    "$KIOSK_DATA_DIR is a file": (data_dir_env_is_a_file, False, "not a folder"),
}


def assert_one_clear_message(done: subprocess.CompletedProcess[str], names: str) -> None:
    assert done.returncode == 1, f"exit {done.returncode}:\n{done.stderr}"
    assert "Traceback" not in done.stderr + done.stdout
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    assert names in lines[0], lines[0]


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("fault", FAULTS)
def test_a_storage_fault_gives_one_message_and_exit_1(base: Path, fault: str, command: str) -> None:
    make, unprivileged, names = FAULTS[fault]
    args, env = make(base)
    if fault == "read-only results.jsonl" and command == "calibrate":
        # Reading is all calibrate does: a read-only journal is no fault for it.
        out = ["--out", str(base / "calibrated.yaml")]
        done = kiosk(*COMMANDS[command], *args, *out, as_unprivileged=False, env=env)
        assert done.returncode == 0, done.stderr
        return
    done = kiosk(*COMMANDS[command], *args, as_unprivileged=unprivileged, env=env)
    assert_one_clear_message(done, names)


def test_a_full_disk_when_creating_the_store(small_disk: Path) -> None:
    (small_disk / "data").mkdir()
    fill(small_disk)
    for command in COMMANDS.values():
        done = kiosk(*command, "--data-dir", str(small_disk / "data"))
        assert_one_clear_message(done, "is full")
    assert sorted(p.name for p in (small_disk / "data").iterdir()) == ["results.jsonl.lock"]


def test_a_full_disk_when_purging_changes_nothing(small_disk: Path) -> None:
    data = small_disk / "data"
    filled_store(data, records=40)
    before = {p.name: p.read_bytes() for p in data.iterdir()}
    fill(small_disk)
    done = kiosk("purge", "--data-dir", str(data))
    assert_one_clear_message(done, "is full")
    assert {p.name: p.read_bytes() for p in data.iterdir()} == before


def test_a_damaged_journal_on_a_full_disk_leaves_no_partial_copy(small_disk: Path) -> None:
    data = small_disk / "data"
    filled_store(data, records=40)
    journal = data / "results.jsonl"
    journal.write_bytes(journal.read_bytes() + b"0badc0de torn")
    fill(small_disk)
    for _ in range(3):  # a kiosk restarted again and again
        done = kiosk("purge", "--data-dir", str(data))
        assert_one_clear_message(done, "is full")
        assert not [p for p in data.iterdir() if "damaged" in p.name or ".tmp-" in p.name]
    (small_disk / "filler").unlink()
    store = ResultStore(data)  # room again: recovered, once
    assert [i.kind for i in store.incidents] == ["truncated"]
    assert store.count() == 40
    assert len(list(data.glob("results.jsonl.damaged-*"))) == 1


class OwnTerminal(Terminal):
    """A tmux server of its own: the next test's need not wait for this one to be gone."""

    def __init__(self, command: list[str]) -> None:
        self.socket = f"kiosk-faults-{secrets.token_hex(4)}"
        self._tmux("new-session", "-d", "-s", "kiosk", "-x", "100", "-y", "40", *command)


def kiosk_run_in_a_terminal(args: list[str], env: dict[str, str], unprivileged: bool,
                            base: Path) -> tuple[str, int, str]:
    """``kiosk run`` in tmux: the screen it shows, then its exit code and what the terminal
    shows once staff quit it with Ctrl+Q (Textual draws on stderr, so it is not redirected)."""
    prefix = unprivileged_prefix() if unprivileged else []
    rc = base / "rc"
    assignments = " ".join(f"{k}={v}" for k, v in env.items())
    command = " ".join([*prefix, sys.executable, "-m", "kiosk", "run", "--no-kiosk", *args])
    terminal = OwnTerminal(["sh", "-c", f"env {assignments} {command}; echo $? >{rc}; sleep 30"])
    try:
        shown = terminal.wait_for(lambda s: "hors service" in s, "the out-of-service screen")
        terminal.send("C-q")
        terminal.wait_for(lambda s: rc.exists() and rc.read_text().strip() != "", "the exit")
        after = terminal.screen()
    finally:
        terminal.close()
    return shown, int(rc.read_text()), after


@pytest.mark.terminal
@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
@pytest.mark.parametrize("fault", FAULTS)
def test_kiosk_run_shows_staff_it_is_out_of_service(base: Path, fault: str) -> None:
    make, unprivileged, names = FAULTS[fault]
    args, env = make(base)
    shown, code, after = kiosk_run_in_a_terminal(args, env, unprivileged, base)
    assert "Borne hors service" in shown
    assert "Commencer" not in shown  # no visitor can start
    assert code == 1
    assert "Traceback" not in after
    message = " ".join(after.split())  # the terminal wraps the line
    assert "cannot use the results folder" in message and names in message, after


@pytest.mark.terminal
@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_kiosk_run_on_a_full_disk_is_out_of_service(base: Path, small_disk: Path) -> None:
    data = small_disk / "data"
    filled_store(data)
    fill(small_disk)
    shown, code, after = kiosk_run_in_a_terminal(["--data-dir", str(data)], {}, False, base)
    assert "Borne hors service" in shown and "is full" in " ".join(shown.split())
    assert code == 1 and "Traceback" not in after
