"""How slow is checking a staff PIN, for the kiosk and for someone who stole the PIN file?

The kiosk keeps PINs as Argon2id hashes with RFC 9106's low-memory profile (64 MiB, 3 passes,
4 lanes). Same-run baselines: one SHA-256 of the salted PIN (the fast hash a naive design would
use) and ``hashlib.scrypt`` with OWASP's parameters (N=2**17, r=8, p=1: the other slow hash the
kiosk could have used). Figures: seconds per check (p50, p95), the ratio to SHA-256, the memory
each check needs, and what trying every six-digit PIN against the file would take on this
machine (Argon2id runs its 4 lanes on the cores it finds). At the kiosk itself the lockout
stops anyone long before: 5 tries, then growing waits.

    python benchmarks/staff_pin.py [--checks 15] [--json]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import time
from collections.abc import Callable

from argon2 import PasswordHasher

from kiosk.staff.pins import default_hasher

SIX_DIGIT_PINS = 10**6


def timed(check: Callable[[], object], repeat: int) -> list[float]:
    check()  # warm up (allocations, the first call's imports)
    seconds = []
    for _ in range(repeat):
        started = time.perf_counter()
        check()
        seconds.append(time.perf_counter() - started)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--checks", type=int, default=15)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    pin, wrong, salt = b"739184", "739185", os.urandom(16)
    kiosk: PasswordHasher = default_hasher()
    stored = kiosk.hash(pin.decode())

    def argon2_check() -> bool:
        try:
            return kiosk.verify(stored, wrong)
        except Exception:
            return False

    schemes: dict[str, tuple[Callable[[], object], float]] = {
        "sha256 (baseline)": (lambda: hashlib.sha256(salt + pin).digest(), 0.0),
        "scrypt OWASP (N=2^17, r=8)": (
            lambda: hashlib.scrypt(pin, salt=salt, n=2**17, r=8, p=1, maxmem=256 * 2**20),
            128 * 2**17 * 8 / 2**20),
        "argon2id RFC 9106 low-memory (kiosk)": (argon2_check, kiosk.memory_cost / 1024),
    }
    rows = {}
    for name, (check, memory_mib) in schemes.items():
        seconds = timed(check, args.checks if "sha" not in name else 10_000)
        rows[name] = {"p50_s": statistics.median(seconds),
                      "p95_s": sorted(seconds)[int(0.95 * (len(seconds) - 1))],
                      "memory_mib": memory_mib}
    base = rows["sha256 (baseline)"]["p50_s"]
    for row in rows.values():
        row["ratio_to_sha256"] = row["p50_s"] / base
        row["all_six_digit_pins_days"] = row["p50_s"] * SIX_DIGIT_PINS / 86_400
    if args.json:
        print(json.dumps({"checks": args.checks, "schemes": rows}))
        return
    print(f"{'scheme':38} {'p50 ms':>9} {'p95 ms':>9} {'x sha256':>10} {'MiB':>5} "
          f"{'10^6 PINs, here':>18}")
    for name, row in rows.items():
        days = row["all_six_digit_pins_days"]
        span = f"{days:.1f} days" if days >= 1 else f"{days * 86_400:.1f} s"
        print(f"{name:38} {1e3 * row['p50_s']:>9.4f} {1e3 * row['p95_s']:>9.4f} "
              f"{row['ratio_to_sha256']:>10.0f} {row['memory_mib']:>5.0f} {span:>18}")


if __name__ == "__main__":
    main()
