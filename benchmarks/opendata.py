"""Open data and local offers: import, validation and ranking times, each against a baseline.

- import of N places of the national standard (the standard's example row, varied), against
  reading the same CSV file with the standard library alone;
- ``kiosk validate``'s work on the imported site file (the site model, hours checked by the
  library, regional holidays), against reading its YAML alone;
- the result screen's offer choice for a site of 40 offers in Geneva, against evaluating the
  same 40 expressions with opening-hours-py alone.

The places are made from the standard's own example row, read from ../shared/standards (a
read-only copy of the standard beside the checkout).

Usage: python benchmarks/opendata.py [--rows 2000] [--json]
"""

from __future__ import annotations

import argparse
import csv
import json
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from opening_hours import OpeningHours

from kiosk.datafile import load_model, read_yaml
from kiosk.offers import Visitor, choose_offers
from kiosk.opendata import lmn
from kiosk.opendata.profiles import FRANCE
from kiosk.opendata.sitefile import site_text
from kiosk.opendata.tables import read_rows
from kiosk.routing import Decision
from kiosk.site import Site

EXAMPLE = (Path(__file__).resolve().parents[2] / "shared" / "standards"
           / "lieux-mediation-numerique" / "exemple-valide.csv")
HOURS = ["Mo-Fr 09:00-12:00,14:00-18:30; Sa 08:30-12:00; PH off", "Tu,Th 12:30-16:00; PH off",
         "We,Fr 15:30-19:00; PH off", "Mo,We 09:00-12:00; Fr 14:00-17:00; PH off"]


def best_of(runs: int, work: Callable[[], object]) -> float:
    """The fastest of ``runs`` timings, in seconds: the least disturbed by the machine."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def places_file(folder: Path, rows: int) -> Path:
    base = next(csv.DictReader(EXAMPLE.open(encoding="utf-8")))
    path = folder / "places.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(base))
        writer.writeheader()
        for i in range(rows):
            writer.writerow({**base, "id": f"lieu-{i}", "horaires": HOURS[i % len(HOURS)]})
    return path


def geneva_site(offers: int) -> Site:
    return Site.model_validate({
        "id": "bench", "name": {"fr": "B", "en": "B"}, "region": "CH-GE",
        "offers": [{"id": f"o{i}", "name": {"fr": "O", "en": "O"}, "phone": "+41 22 418 99 00",
                    "pathways": ["assisted", "workshops"], "languages": ["fr"],
                    "fees": ["free"], "formats": ["individual"], "hours": HOURS[i % len(HOURS)],
                    "address": {"street": "Rue 1", "postcode": "1207", "city": "Genève"}}
                   for i in range(offers)],
    })


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = places_file(folder, args.rows)

        def read_only() -> object:
            return list(csv.DictReader(source.open(encoding="utf-8")))

        imported: list[lmn.Imported] = []

        def import_places() -> object:
            imported.append(lmn.import_rows(read_rows(source), source, lmn.Target(FRANCE)))
            return imported[-1]

        results["import"] = {"kiosk_s": best_of(3, import_places),
                             "baseline_s": best_of(3, read_only)}
        site_file = folder / "site.yaml"
        site_file.write_text(site_text("bench", "Bench", ["fr", "en"], "FR",
                                       imported[-1].offers, source.name), encoding="utf-8")
        results["validate"] = {"kiosk_s": best_of(3, lambda: load_model(site_file, Site)),
                               "baseline_s": best_of(3, lambda: read_yaml(site_file))}
    site = geneva_site(40)
    clocks = [datetime(2026, 9, 7, 8) + timedelta(hours=7 * i) for i in range(24)]
    decision = Decision("assisted", (), ())

    def rank() -> object:
        return [choose_offers(site, decision, {}, Visitor("fr"), c) for c in clocks]

    def library_alone() -> object:
        expressions = [OpeningHours(o.hours or "", country="CH") for o in site.offers]
        return [[e.next_change(c) for e in expressions] for c in clocks]

    rank()  # warm the caches a kiosk keeps between visitors
    results["rank_40_offers"] = {"kiosk_s": best_of(3, rank) / len(clocks),
                                 "baseline_s": best_of(3, library_alone) / len(clocks)}
    for row in results.values():
        row["ratio"] = row["kiosk_s"] / row["baseline_s"]
    if args.json:
        print(json.dumps({"rows": args.rows, **results}))
        return
    print(f"{'measure':<16}{'kiosk (ms)':>12}{'baseline (ms)':>15}{'ratio':>8}")
    for name, row in results.items():
        print(f"{name:<16}{row['kiosk_s'] * 1000:>12.1f}{row['baseline_s'] * 1000:>15.2f}"
              f"{row['ratio']:>8.1f}")
    print(f"({args.rows} places imported; ranking per result screen, 40 offers in CH-GE)")


if __name__ == "__main__":
    main()
