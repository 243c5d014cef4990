"""Mutated questionnaire and site files and hostile YAML, given to the real commands as separate
processes (``kiosk run`` in a pseudo-terminal): each file is refused with ``file:line`` problems
at real places, or accepted (the kiosk draws its first screen; calibrate writes a new version);
never a traceback, a hang or another exit code. A few dozen processes here;
``python benchmarks/datafile_fuzz.py`` runs thousands."""

from __future__ import annotations

import random
import uuid

import pytest
from datafile_checks import (
    BANK,
    COMMANDS,
    HOSTILE,
    SITES,
    Workspace,
    mutate,
    run_kiosk,
    source,
    verdict,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return Workspace.prepare(tmp_path_factory.mktemp("fuzz"), {})


def test_the_bundled_files_reach_the_first_screen_and_calibrate(workspace: Workspace) -> None:
    """The harness tells a kiosk that started from one that refused its files."""
    for command, path in (("run --bank", BANK), ("run --site", SITES[0]),
                          ("calibrate --bank", BANK)):
        run = run_kiosk(command, path, workspace)
        assert verdict(run) == "ok", run
        assert (run.code is None) == command.startswith("run"), run
    hostile = workspace.root / "laughs.yaml"
    hostile.write_bytes(HOSTILE[0].text)
    run = run_kiosk("run --bank", hostile, workspace)
    assert verdict(run) == "refused" and run.code == 1, run


@pytest.mark.parametrize(("kind", "command"), [
    (kind, command) for kind, commands in sorted(COMMANDS.items()) for command in commands
])
@settings(max_examples=4, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(rng=st.randoms(use_true_random=False))
def test_mutated_files_are_refused_at_their_place_or_accepted(
    workspace: Workspace, kind: str, command: str, rng: random.Random
) -> None:
    """Four mutated files for each command (split by command so that the test workers share
    the processes)."""
    path = workspace.root / f"{kind}-{uuid.uuid4().hex[:8]}.yaml"
    path.write_bytes(mutate(source(kind, rng), rng, rng.randint(1, 3)))
    run = run_kiosk(command, path, workspace)
    assert verdict(run) in ("ok", "refused"), (command, verdict(run), run.output[-3000:])
