"""Storage at scale, and with --crash N the SIGKILL check: N kills, nothing returned lost.

For each size, a data directory is filled with ``kiosk demo-data`` (synthetic records), then a
fresh worker process opens the store and measures: opening (in all, and how long it held the
lock: reading the journal happens before taking it, so that part must not grow with the size),
durable saves of a whole visit (record, answer sheet, counts: p50, p95), every statistics
table, a full JSON-lines export, the HTML report (all three beside a raw read of the same
records), and its own peak RSS (``resource.getrusage(RUSAGE_SELF).ru_maxrss`` of
that worker, so the filling does not count). Same-run baselines: a plain TinyDB JSONStorage
insert into a file of the same records (the naive design; only a few inserts at large sizes,
each costs a whole-file rewrite) and one line appended with fsync (the physical floor).

A CSV export alone runs in a process of its own too, for the export's peak RSS.

With --open-sizes, a second table: opening alone (in all, and under the lock) at larger sizes.

    python benchmarks/storage.py [--sizes 0,10000,100000] [--open-sizes 0,10000,100000,1000000]
        [--saves 200] [--crash 200] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from storage_checks import crash_check, example_counted, example_record, example_sheet
from tinydb import TinyDB

from kiosk.exports.export import Request, export_records
from kiosk.stats import Selection, read_facts, summary
from kiosk.storage import ResultStore

TARGETS = {"save_p95_ms": 20.0, "save_vs_floor": 10.0, "stats_s": 1.0, "export_s": 2.0,
           "report_s": 5.0,
           "peak_rss_mb": 300.0, "export_peak_rss_mb": 80.0, "open_lock_held_ms": 50.0}


def percentiles(seconds: list[float]) -> dict[str, float]:
    ms = sorted(s * 1000 for s in seconds)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return {"p50_ms": statistics.median(ms), "p95_ms": p95, "n": len(ms)}


def timed(action: Any, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return times


def lock_holds(store_class: type[ResultStore]) -> list[float]:
    """Record how long each use of the lock lasts, from now on."""
    holds: list[float] = []
    locked = store_class._locked

    @contextmanager
    def timed_lock(self: ResultStore) -> Iterator[None]:
        with locked(self):
            start = time.perf_counter()
            try:
                yield
            finally:
                holds.append(time.perf_counter() - start)

    store_class._locked = timed_lock  # type: ignore[method-assign]
    return holds


def worker(data_dir: Path, saves: int) -> dict[str, Any]:
    """Runs in its own process, so that its peak RSS is the store's alone."""
    holds = lock_holds(ResultStore)
    start = time.perf_counter()
    store = ResultStore(data_dir)
    opened = time.perf_counter() - start
    held = sum(holds)
    save = timed(lambda: store.save(example_record(), example_sheet(), example_counted()),
                 saves)
    everything = Selection(include_synthetic=True)  # demo data is all synthetic
    raw_s = raw_read(store)
    start = time.perf_counter()
    facts = read_facts(store, everything)
    summary(facts)
    stats_s = time.perf_counter() - start
    start = time.perf_counter()
    target = data_dir.parent / "export.jsonl"
    for old in (target, target.with_name(target.name + ".meta.json")):
        old.unlink(missing_ok=True)
    exported = export_records(store, Request("jsonl", target, everything)).records
    export_s = time.perf_counter() - start
    # Imported here: the export-alone process must not carry the report's libraries.
    from kiosk.stats.labels import Labels
    from kiosk.stats.report import report_html
    from kiosk.visit import load_assessment

    labels = Labels("fr", load_assessment().bank)
    start = time.perf_counter()
    report_html(read_facts(store, everything), labels)
    report_s = time.perf_counter() - start
    return {"open_s": opened, "open_lock_held_ms": held * 1000, "save": percentiles(save),
            "raw_read_s": raw_s, "stats_s": stats_s,
            "stats_total": facts.visits, "export_s": export_s, "exported": exported,
            "report_s": report_s,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def raw_read(store: ResultStore) -> float:
    """The baseline of statistics and export: reading every stored record's JSON, nothing
    more."""
    start = time.perf_counter()
    for _ in store.raw_records(include_synthetic=True):
        pass
    return time.perf_counter() - start


def exporter(data_dir: Path, _: int) -> dict[str, Any]:
    """The export alone in a process of its own: its peak RSS is the export's (with the store
    opened), beside the raw read of the same records."""
    store = ResultStore(data_dir)
    raw_s = raw_read(store)
    target = data_dir.parent / "export-alone.csv"
    for old in (target, target.with_name(target.name + ".meta.json")):
        old.unlink(missing_ok=True)
    start = time.perf_counter()
    export_records(store, Request("csv", target, Selection(include_synthetic=True)))
    return {"raw_read_s": raw_s, "export_s": time.perf_counter() - start,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def opener(data_dir: Path, _: int) -> dict[str, Any]:
    """Opening only: in all, and how long the lock was held (it must not grow with size)."""
    holds = lock_holds(ResultStore)
    start = time.perf_counter()
    store = ResultStore(data_dir)
    opened = time.perf_counter() - start
    return {"open_s": opened, "open_lock_held_ms": sum(holds) * 1000, "records": store.count(),
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def naive_baseline(data_dir: Path, inserts: int) -> dict[str, Any]:
    """TinyDB's default JSONStorage holding the same records: each insert rewrites the file."""
    store = ResultStore(data_dir)
    path = data_dir.parent / "naive.json"
    table = {str(i): json.loads(raw)
             for i, raw in enumerate(store.raw_records(include_synthetic=True), 1)}
    path.write_text(json.dumps({"_default": table}))
    del table
    with TinyDB(path) as db:
        return percentiles(timed(lambda: db.insert(example_record().model_dump(mode="json")),
                                 inserts))


def fsync_floor(directory: Path, repeat: int) -> dict[str, Any]:
    line = example_record().model_dump_json().encode() + b"\n"
    fd = os.open(directory / "floor.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        return percentiles(timed(lambda: (os.write(fd, line), os.fsync(fd)), repeat))
    finally:
        os.close(fd)


def in_subprocess(function: str, *args: str) -> dict[str, Any]:
    out = subprocess.run([sys.executable, __file__, "--run", function, *args],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def filled(size: int, root: Path) -> tuple[Path, float]:
    """A data directory holding ``size`` synthetic results, and how long filling it took."""
    data_dir = root / f"n{size}" / "data"
    if data_dir.exists():
        return data_dir, 0.0
    data_dir.mkdir(parents=True)
    start = time.perf_counter()
    if size:
        subprocess.run([sys.executable, "-m", "kiosk", "demo-data", "--count", str(size),
                        "--data-dir", str(data_dir), "--seed", "1"],
                       check=True, capture_output=True)
    return data_dir, time.perf_counter() - start


def measure_open(size: int, root: Path) -> dict[str, Any]:
    data_dir, _ = filled(size, root)
    return {"size": size, **in_subprocess("opener", str(data_dir), "0")}


def measure(size: int, saves: int, root: Path) -> dict[str, Any]:
    data_dir, fill_s = filled(size, root)
    naive_inserts = saves if size <= 1000 else max(3, saves * 1000 // size)
    result = {
        "size": size,
        "demo_data_fill_s": fill_s,
        "kiosk": in_subprocess("worker", str(data_dir), str(saves)),
        "export_alone": in_subprocess("exporter", str(data_dir), "0"),
        "naive_tinydb": in_subprocess("naive", str(data_dir), str(naive_inserts)),
        "fsync_floor": fsync_floor(data_dir.parent, saves),
    }
    kiosk, floor = result["kiosk"], result["fsync_floor"]
    raw = max(kiosk["raw_read_s"], 1e-6)
    result["ratios"] = {
        "stats_vs_raw_read": kiosk["stats_s"] / raw,
        "export_vs_raw_read": kiosk["export_s"] / raw,
        "report_vs_raw_read": kiosk["report_s"] / raw,
        "save_p95_vs_floor": kiosk["save"]["p95_ms"] / floor["p95_ms"],
        "naive_p95_vs_save_p95": result["naive_tinydb"]["p95_ms"] / kiosk["save"]["p95_ms"],
    }
    return result


def verdict(result: dict[str, Any]) -> dict[str, bool]:
    kiosk = result["kiosk"]
    return {
        "save_p95_ms": kiosk["save"]["p95_ms"] <= TARGETS["save_p95_ms"],
        "save_vs_floor": result["ratios"]["save_p95_vs_floor"] <= TARGETS["save_vs_floor"],
        "stats_s": kiosk["stats_s"] <= TARGETS["stats_s"],
        "export_s": kiosk["export_s"] <= TARGETS["export_s"],
        "report_s": kiosk["report_s"] <= TARGETS["report_s"],
        "peak_rss_mb": kiosk["peak_rss_mb"] <= TARGETS["peak_rss_mb"],
        "export_peak_rss_mb": (result["export_alone"]["peak_rss_mb"]
                               <= TARGETS["export_peak_rss_mb"]),
        "open_lock_held_ms": kiosk["open_lock_held_ms"] <= TARGETS["open_lock_held_ms"],
    }


def table(results: list[dict[str, Any]], crash: dict[str, Any] | None,
          opening: list[dict[str, Any]]) -> str:
    rows = ["records | fill s | save p50/p95 ms | floor p95 ms | x floor | naive p95 ms (n) "
            "| naive/kiosk | raw read s | stats s (x raw) | export s (x raw) | report s (x raw) "
            "| export alone: peak RSS MB | open s | lock held at open ms | peak RSS MB",
            "---|---|---|---|---|---|---|---|---|---|---|---|---|---|---"]
    for r in results:
        k, f, n, x = r["kiosk"], r["fsync_floor"], r["naive_tinydb"], r["ratios"]
        rows.append(
            f"{r['size']} | {r['demo_data_fill_s']:.1f} | {k['save']['p50_ms']:.2f}/"
            f"{k['save']['p95_ms']:.2f} | {f['p95_ms']:.2f}"
            f" | {r['ratios']['save_p95_vs_floor']:.1f}"
            f" | {n['p95_ms']:.1f} ({n['n']}) | {r['ratios']['naive_p95_vs_save_p95']:.0f}"
            f" | {k['raw_read_s']:.2f} | {k['stats_s']:.2f} ({x['stats_vs_raw_read']:.1f})"
            f" | {k['export_s']:.2f} ({x['export_vs_raw_read']:.1f})"
            f" | {k['report_s']:.2f} ({x['report_vs_raw_read']:.1f})"
            f" | {r['export_alone']['peak_rss_mb']:.0f} | {k['open_s']:.2f}"
            f" | {k['open_lock_held_ms']:.1f} | {k['peak_rss_mb']:.0f}"
        )
    last = results[-1]
    rows.append(f"targets at {last['size']}: " + ", ".join(
        f"{name} {'met' if ok else 'MISSED'}" for name, ok in verdict(last).items()))
    if opening:
        rows += ["", "records | open s | lock held at open ms | peak RSS MB", "---|---|---|---"]
        rows += [f"{o['size']} | {o['open_s']:.2f} | {o['open_lock_held_ms']:.1f} | "
                 f"{o['peak_rss_mb']:.0f}" for o in opening]
    if crash:
        rows.append(f"crash: {crash['kills']} SIGKILLs, {crash['promised']} returned saves, "
                    f"{crash['missing']} missing, {crash['incidents']} incidents, "
                    f"always opened: {crash['opened']}")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="0,10000,100000")
    parser.add_argument("--open-sizes", default="", help="e.g. 0,10000,100000,1000000")
    parser.add_argument("--saves", type=int, default=200)
    parser.add_argument("--crash", type=int, default=0, help="also run N SIGKILLs")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--run", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        name, directory, count = args.run
        function = {"worker": worker, "naive": naive_baseline, "opener": opener,
                    "exporter": exporter}[name]
        print(json.dumps(function(Path(directory), int(count))))
        return
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-", dir=os.environ.get("BENCH_TMP")) as tmp:
        root = Path(tmp)
        results = [measure(int(s), args.saves, root) for s in args.sizes.split(",")]
        opening = [measure_open(int(s), root) for s in args.open_sizes.split(",") if s]
        crash = None
        if args.crash:
            report = crash_check(root / "crash" / "data", args.crash, seed=1)
            crash = {"kills": report.kills, "promised": report.promised,
                     "missing": len(report.missing), "incidents": report.incidents,
                     "opened": report.opened}
    summary = {"results": results, "opening": opening, "targets": TARGETS,
               "met": verdict(results[-1]), "crash": crash}
    print(json.dumps(summary, indent=1) if args.json else table(results, crash, opening))


if __name__ == "__main__":
    main()
