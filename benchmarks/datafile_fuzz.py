"""Fuzz the data files through the real commands, with the code before the fix as baseline.

Builds FILES mutated files (seeded): the bundled questionnaire, the bundled sites and the
hand-made hostile YAML of ``datafile_checks``, each with one to three random edits (a hostile
file also as it is, and the paths that are no file: a pipe, a device, a folder, a missing
file). Each is given, as a separate process, to the commands that read its kind:
``kiosk validate``, ``kiosk run --bank/--site`` (in a pseudo-terminal; it must refuse the file
or draw its first screen), ``kiosk calibrate --bank`` (on a folder of synthetic answers, so
that an accepted questionnaire is calibrated and written) and ``kiosk site upgrade``. Every run
is ``ok``, ``refused`` (exit 1, only ``file:line: what (how to fix)`` lines at real places) or a
failure: memory (more than 2 GB), traceback, hang (more than --timeout s), another exit code,
other output, a default line 1, a line outside the file.

With --baseline-rev REV the same runs are made on the kiosk of that git revision (checked out
beside, imported first), in the same run: the table gives failures before and after.

    python benchmarks/datafile_fuzz.py [--files 1000] [--seed 1] [--jobs 2] [--timeout 20]
        [--baseline-rev REV] [--keep DIR] [--json]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import subprocess
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from datafile_checks import (
    COMMANDS,
    FAILURES,
    HOSTILE,
    Run,
    Workspace,
    mutate,
    run_kiosk,
    source,
    special_files,
    verdict,
)

REPOSITORY = Path(__file__).resolve().parent.parent
# Shares of the mutated files by origin; the rest are hostile files.
BANK_SHARE, SITE_SHARE = 0.45, 0.35


@dataclass(frozen=True)
class Case:
    kind: str  # bank, site or hostile: which commands it goes to
    path: Path


def build_cases(files: int, seed: int, folder: Path) -> list[Case]:
    """``files`` mutated files, then each hostile file as it is and the paths that are no
    file."""
    rng = random.Random(seed)
    cases: list[Case] = []
    for index in range(files):
        draw = rng.random()
        kind = ("bank" if draw < BANK_SHARE else "site" if draw < BANK_SHARE + SITE_SHARE
                else "hostile")
        path = folder / f"{index:05d}-{kind}.yaml"
        path.write_bytes(mutate(source(kind, rng), rng, rng.randint(1, 3)))
        cases.append(Case(kind, path))
    for hostile in HOSTILE:
        path = folder / f"hostile-{hostile.name}.yaml"
        path.write_bytes(hostile.text)
        cases.append(Case("hostile", path))
    cases += [Case("hostile", path) for path in special_files(folder).values()]
    return cases


def run_all(cases: list[Case], workspace: Workspace, env: dict[str, str], jobs: int,
            timeout: float) -> list[Run]:
    work = [(command, case.path) for case in cases for command in COMMANDS[case.kind]]
    with ThreadPoolExecutor(jobs) as pool:
        return list(pool.map(
            lambda job: run_kiosk(job[0], job[1], workspace, env, timeout), work
        ))


@contextmanager
def kiosk_at(revision: str | None, folder: Path) -> Iterator[dict[str, str]]:
    """The environment that runs the kiosk of ``revision`` (None: this checkout)."""
    if revision is None:
        yield {}
        return
    tree = folder / "baseline"
    subprocess.run(["git", "-C", str(REPOSITORY), "worktree", "add", "--detach", str(tree),
                    revision], check=True, capture_output=True)
    try:
        yield {"PYTHONPATH": str(tree)}
    finally:
        subprocess.run(["git", "-C", str(REPOSITORY), "worktree", "remove", "--force",
                        str(tree)], check=True, capture_output=True)


def tally(runs: list[Run]) -> dict[str, dict[str, int]]:
    """For each command: runs, ok, refused and each kind of failure."""
    table: dict[str, Counter[str]] = {}
    for run in runs:
        table.setdefault(run.command, Counter())[verdict(run)] += 1
    return {command: {"runs": sum(c.values()), **c} for command, c in sorted(table.items())}


def keep_failures(runs: list[Run], folder: Path, label: str) -> None:
    for index, run in enumerate(r for r in runs if verdict(r) in FAILURES):
        target = folder / label / f"{index:04d}-{verdict(run).replace(' ', '-')}"
        target.mkdir(parents=True, exist_ok=True)
        if run.path.is_file():
            shutil.copyfile(run.path, target / run.path.name)
        (target / "command.txt").write_text(f"kiosk {run.command} {run.path}\n\n{run.output}")


def print_table(results: dict[str, dict[str, dict[str, int]]], files: int, cases: int) -> None:
    print(f"{files} mutated files + {cases - files} hostile files and paths as they are")
    header = f"{'code':<9} {'command':<18} {'runs':>6} {'ok':>6} {'refused':>8} {'failures':>9}"
    print(header + "  by kind")
    for label, table in results.items():
        for command, counts in table.items():
            failed = {k: counts[k] for k in FAILURES if counts.get(k)}
            print(f"{label:<9} {command:<18} {counts['runs']:>6} {counts.get('ok', 0):>6} "
                  f"{counts.get('refused', 0):>8} {sum(failed.values()):>9}  "
                  + ", ".join(f"{k} {v}" for k, v in failed.items()))
    totals = {label: failures(table) for label, table in results.items()}
    print("failures: " + ", ".join(f"{label} {count}" for label, count in totals.items()))


def failures(table: dict[str, dict[str, int]]) -> int:
    return sum(counts.get(kind, 0) for counts in table.values() for kind in FAILURES)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=20.0)
    parser.add_argument("--baseline-rev", help="git revision of the kiosk to compare with")
    parser.add_argument("--keep", type=Path, help="copy each failing file and its output here")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    # The commands run under their own limit; this one keeps a runaway harness off the machine.
    resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))
    results: dict[str, dict[str, dict[str, int]]] = {}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        (folder / "files").mkdir()
        cases = build_cases(args.files, args.seed, folder / "files")
        labels = {"after": None} if not args.baseline_rev else {"before": args.baseline_rev,
                                                                "after": None}
        for label, revision in labels.items():
            with kiosk_at(revision, folder) as env:
                workspace = Workspace.prepare(folder / label, env)
                runs = run_all(cases, workspace, env, args.jobs, args.timeout)
            results[label] = tally(runs)
            if args.keep:
                keep_failures(runs, args.keep, label)
    seconds = time.perf_counter() - started
    if args.json:
        print(json.dumps({"files": args.files, "cases": len(cases), "seed": args.seed,
                          "seconds": round(seconds), "results": results,
                          "failures": {k: failures(t) for k, t in results.items()}}))
        return
    print_table(results, args.files, len(cases))
    print(f"{seconds:.0f} s")


if __name__ == "__main__":
    main()
