"""Counts and a full export, streamed from the journal: the storage benchmark measures them,
and the coordinators' statistics will start from them (not shipped until they do).

Both read the records' JSON without building models, so that 100,000 records fit in a second
and in little memory. Synthetic records are left out unless asked for.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import BinaryIO

import pydantic_core

from kiosk.storage.store import ResultStore


@dataclass
class Counts:
    total: int = 0
    by_week: Counter[str] = field(default_factory=Counter)
    by_site: Counter[str] = field(default_factory=Counter)
    by_pathway: Counter[str] = field(default_factory=Counter)
    by_completion: Counter[str] = field(default_factory=Counter)
    by_level: defaultdict[str, Counter[int]] = field(default_factory=lambda: defaultdict(Counter))


def counts(store: ResultStore, include_synthetic: bool = False) -> Counts:
    result = Counts()
    for raw_json in store.raw_records(include_synthetic):
        raw = pydantic_core.from_json(raw_json, cache_strings="keys")
        result.total += 1
        result.by_week[raw["iso_week"]] += 1
        result.by_site[raw["site_id"]] += 1
        result.by_pathway[raw["pathway"]] += 1
        result.by_completion[raw["completion"]] += 1
        for domain, level in raw["levels"].items():
            result.by_level[domain][level] += 1
    return result


def export_jsonl(store: ResultStore, out: BinaryIO, include_synthetic: bool = False) -> int:
    """Write every record as one JSON line (the stored fields exactly); returns the count.

    Records go out in the order of their random ids, not the order they were saved: the
    line order of an export must not tell who came after whom.
    """
    count = 0
    for raw_json in sorted(store.raw_records(include_synthetic), key=_result_id):
        out.write(raw_json)
        out.write(b"\n")
        count += 1
    return count


_ID_KEY = b'"result_id":"'


def _result_id(raw_json: bytes) -> bytes:
    start = raw_json.index(_ID_KEY) + len(_ID_KEY)
    return raw_json[start : start + 32]
