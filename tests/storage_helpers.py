"""Helpers shared by the storage tests: records without answer sheets, and running a process
as an account that is not root (permission faults mean nothing to root)."""

from __future__ import annotations

import functools
import os
import pwd
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import pytest

from kiosk.records import StoredVisit, VisitRecord

UNPRIVILEGED = "nobody"


def alone(records: Iterable[VisitRecord]) -> list[StoredVisit]:
    """Records kept without answer sheet or counts."""
    return [StoredVisit(record) for record in records]


def unprivileged_prefix() -> list[str]:
    """The command prefix that runs a process as an ordinary account (none if we are one)."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: cannot test as an ordinary account")
    account = pwd.getpwnam(UNPRIVILEGED)
    prefix = ["setpriv", f"--reuid={account.pw_uid}", f"--regid={account.pw_gid}",
              "--clear-groups"]
    if not _can_run_kiosk(tuple(prefix)):
        pytest.skip(f"the account '{UNPRIVILEGED}' cannot read this Python environment "
                    f"({sys.prefix}): give it read access to test as an ordinary account")
    return prefix


@functools.cache
def _can_run_kiosk(prefix: tuple[str, ...]) -> bool:
    probe = subprocess.run([*prefix, sys.executable, "-c", "import kiosk.cli"],
                           capture_output=True, timeout=60, stdin=subprocess.DEVNULL)
    return probe.returncode == 0


def give_away(path: Path) -> None:
    """Hand ``path`` (and what is in it) to the unprivileged account, when we are root."""
    if os.geteuid() != 0:
        return
    account = pwd.getpwnam(UNPRIVILEGED)
    for inner in [path, *(path.rglob("*") if path.is_dir() else [])]:
        os.chown(inner, account.pw_uid, account.pw_gid)


def kiosk(*args: str, as_unprivileged: bool = False, env: dict[str, str] | None = None,
          timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """The real ``kiosk`` command, as a process."""
    prefix = unprivileged_prefix() if as_unprivileged else []
    return subprocess.run([*prefix, sys.executable, "-m", "kiosk", *args], capture_output=True,
                          text=True, timeout=timeout, env={**os.environ, **(env or {})},
                          stdin=subprocess.DEVNULL)
