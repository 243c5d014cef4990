"""Counting the stored visits by what the coordinators ask: one pass over the store, then any
table.

What can be counted, and from where (the store keeps three parts that cannot be joined):

- the statistical records give the period, site, pathway, mode, completion, duration band and
  domain levels of each visit, so any two of them can be crossed;
- the weekly tallies give language, age band, reason for the visit and access needs, each per
  site and week and beside the pathway: each of them can be crossed with the period, the site
  or the pathway (not language with the pathway, which is not counted), never with another
  of them or with what only the records hold.

Synthetic visits are left out unless the selection asks for them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal, get_args

import pydantic_core

from kiosk.domain import (
    ACCESS_NEEDS,
    AGE_BANDS,
    AUTONOMY_IDS,
    COMPLETIONS,
    DOMAIN_IDS,
    LEVEL_IDS,
    PATHWAY_IDS,
    REDIRECTION_IDS,
    SESSION_LENGTHS,
)
from kiosk.records import NOT_GIVEN, DurationBand, Tally
from kiosk.stats.periods import UNITS, PeriodUnit, period_of, weeks_between
from kiosk.stats.protection import TOTAL, Axis, Key
from kiosk.storage.store import ResultStore

Source = Literal["record", "tally"]
# What a table can ask of a record, in this order, then its questionnaire and its levels.
RECORD_FIELDS = ("site_id", "iso_week", "pathway", "mode", "completion", "duration",
                 "questionnaire_id", "questionnaire_version")
# What a mediator recorded of a guided session (None for the others).
GUIDED_FIELDS = ("autonomy", "redirection", "length")
RecordKey = tuple[Any, ...]  # RECORD_FIELDS, its (domain, level) pairs, its GUIDED_FIELDS
_LEVELS = len(RECORD_FIELDS)
_GUIDED = _LEVELS + 1
_NOTHING_GUIDED = (None,) * len(GUIDED_FIELDS)
_UNCOUNTED = re.compile(rb'"result_id":"[0-9a-f]{32}",|"questions_asked":\d+,')


class StatsError(ValueError):
    """A table that cannot be counted from what is stored, and why."""


@dataclass(frozen=True)
class Dimension:
    """What a table can be counted by."""

    id: str
    source: Source | None  # None: both the records and the tallies know it (period, site)
    vocabulary: tuple[str, ...] = ()  # the categories always shown, in order
    additive: bool = True  # one category per visit (false for needs: a visit may have several)


PERIODS: dict[str, Dimension] = {unit: Dimension(unit, None) for unit in UNITS}
DIMENSIONS: dict[str, Dimension] = {
    **PERIODS,
    "site": Dimension("site", None),
    "pathway": Dimension("pathway", "record", PATHWAY_IDS),
    "mode": Dimension("mode", "record", ("self", "guided")),
    "completion": Dimension("completion", "record", COMPLETIONS),
    "duration": Dimension("duration", "record", get_args(DurationBand)),
    "level": Dimension("level", "record", LEVEL_IDS),
    "language": Dimension("language", "tally"),
    "age_band": Dimension("age_band", "tally", (*AGE_BANDS, NOT_GIVEN)),
    "reason": Dimension("reason", "tally"),
    "need": Dimension("need", "tally", ACCESS_NEEDS, additive=False),
    # What mediators record of guided sessions: tables of these count guided sessions only.
    "autonomy": Dimension("autonomy", "record", AUTONOMY_IDS),
    "redirection": Dimension("redirection", "record", REDIRECTION_IDS),
    "session_length": Dimension("session_length", "record", SESSION_LENGTHS),
    "theme": Dimension("theme", "tally", additive=False),
}
# Tallied beside the pathway ("pathway value" keys): what a tally dimension can be crossed with.
BESIDE_PATHWAY = {"age_band": "pathway_by_age_band", "reason": "pathway_by_reason",
                  "need": "pathway_by_need", "theme": "pathway_by_theme"}
_FIELD = {"site": 0, "pathway": 2, "mode": 3, "completion": 4, "duration": 5}
_GUIDED_FIELD = {"autonomy": 0, "redirection": 1, "session_length": 2}


@dataclass(frozen=True)
class Selection:
    """Which visits to count: a range of ISO weeks (both ends included), some sites."""

    since: str | None = None
    until: str | None = None
    sites: frozenset[str] = frozenset()
    include_synthetic: bool = False

    def keeps(self, site: str, week: str) -> bool:
        return ((not self.sites or site in self.sites)
                and (self.since is None or week >= self.since)
                and (self.until is None or week <= self.until))


@dataclass
class Facts:
    """The stored visits, read once: the records gathered by everything a table can ask of
    them (records alike in all of it are one key and a count), and the weekly tallies."""

    selection: Selection
    records: Counter[RecordKey] = field(default_factory=Counter)
    tallies: list[Tally] = field(default_factory=list)

    @property
    def questionnaires(self) -> Counter[tuple[str, str]]:
        found: Counter[tuple[str, str]] = Counter()
        for key, n in self.records.items():
            found[key[6], key[7]] += n
        return found

    def levels(self) -> Iterator[tuple[RecordKey, str, int, int]]:
        """Each record key, a domain, the level there and how many records."""
        for key, n in self.records.items():
            for domain, level in key[_LEVELS]:
                yield key, domain, level, n

    @property
    def visits(self) -> int:
        return self.records.total()

    @property
    def abandoned(self) -> int:
        """Visitors who stopped and asked that nothing of theirs be kept."""
        return sum(t.abandoned for t in self.tallies)

    @property
    def weeks(self) -> list[str]:
        found = {key[1] for key in self.records} | {t.iso_week for t in self.tallies}
        return sorted(found)

    @property
    def sites(self) -> list[str]:
        found = {key[0] for key in self.records} | {t.site_id for t in self.tallies}
        return sorted(found | self.selection.sites)

    def within(self, selection: Selection) -> Facts:
        """Those of these visits that ``selection`` keeps, with no new reading of the store
        (a screen reads once, then narrows to the period and sites chosen); synthetic visits
        stay as they were read."""
        narrowed = replace(selection, include_synthetic=self.selection.include_synthetic)
        kept = Counter({key: n for key, n in self.records.items()
                        if narrowed.keeps(key[0], key[1])})
        return Facts(narrowed, kept, [t for t in self.tallies
                                      if narrowed.keeps(t.site_id, t.iso_week)])


def read_facts(store: ResultStore, selection: Selection | None = None) -> Facts:
    """One pass over the store's records and its tallies.

    Records that differ only in what no table counts (their random id, how many questions
    they took) are gathered by their JSON before it is parsed, so that each kind of visit is
    parsed once: 100,000 records in about the time it takes to read them."""
    selection = selection or Selection()
    facts = Facts(selection)
    alike = Counter(_UNCOUNTED.sub(b"", raw) for raw in
                    store.raw_records(selection.include_synthetic))
    for raw_json, n in alike.items():
        raw = pydantic_core.from_json(raw_json)
        if selection.keeps(raw["site_id"], raw["iso_week"]):
            guided = raw.get("guided")
            facts.records[(*(raw[name] for name in RECORD_FIELDS), tuple(raw["levels"].items()),
                           tuple(guided.get(f) for f in GUIDED_FIELDS) if guided
                           else _NOTHING_GUIDED)] += n
    facts.tallies = [t for t in store.tallies().weeks
                     if (selection.include_synthetic or not t.synthetic)
                     and selection.keeps(t.site_id, t.iso_week)]
    return facts


@dataclass(frozen=True)
class CountTable:
    """A table of counts before any cell is hidden: its axes, its cells and margins, and the
    visits it is about (the base of shares where categories do not add up)."""

    rows: Axis
    columns: Axis | None
    counts: dict[Key, int]
    base: int
    domain: str | None = None  # a table of levels is about one domain (or all, by row)

    @property
    def dimensions(self) -> tuple[str, ...]:
        return (self.rows.name,) if self.columns is None else (self.rows.name, self.columns.name)

    def shown(self) -> CountTable:
        """The table as shown: a period's weeks gathered into the periods of its unit."""
        rows, columns = _gathered(self.rows), self.columns and _gathered(self.columns)
        if rows is self.rows and columns is self.columns:
            return self
        counts: Counter[Key] = Counter()
        for (row, column), n in self.counts.items():
            counts[_up(row, self.rows), _up(column, self.columns)] += n
        return CountTable(rows, columns, dict(counts), self.base, self.domain)


def _gathered(axis: Axis) -> Axis:
    if axis.unit in (None, "week"):
        return axis
    periods = dict.fromkeys(period_of(week, axis.unit) for week in axis.categories)
    return Axis(axis.name, tuple(periods), axis.additive, axis.unit)


def _up(category: str | None, axis: Axis | None) -> str | None:
    if category is TOTAL or axis is None or axis.unit is None:
        return category
    return period_of(category, axis.unit)


def count(facts: Facts, by: Sequence[str]) -> list[CountTable]:
    """The tables ``by`` asks for (one, or one per domain for levels beside something else)."""
    check(by)
    if "level" in by:
        return _level_tables(facts, [d for d in by if d != "level"])
    if any(DIMENSIONS[d].source == "tally" for d in by):
        return [_tally_table(facts, by)]
    return [_record_table(facts, by)]


def check(by: Sequence[str]) -> None:
    """Refuse, saying why, a table the stored parts cannot give."""
    unknown = [d for d in by if d not in DIMENSIONS]
    if unknown:
        raise StatsError(f"cannot count by {', '.join(unknown)}: choose among "
                         f"{', '.join(DIMENSIONS)}")
    if not 1 <= len(by) <= 2 or len(set(by)) != len(by):
        raise StatsError("count by one or two different dimensions (--by X, or --by X --by Y)")
    if sum(d in PERIODS for d in by) > 1:
        raise StatsError("count by one period at a time (week, month, quarter or year)")
    tallied = [d for d in by if DIMENSIONS[d].source == "tally"]
    if not tallied or len(by) == 1:
        return
    other = next(d for d in by if d != tallied[0])
    if len(tallied) == 2 or (DIMENSIONS[other].source == "record" and (
            other != "pathway" or tallied[0] not in BESIDE_PATHWAY)):
        kept_with = "the period, the site or the pathway" if tallied[0] in BESIDE_PATHWAY else (
            "the period or the site")
        raise StatsError(
            f"{tallied[0]} can be counted beside {kept_with} only: the kiosk keeps it in weekly "
            "counts, not per visit, so that no stored record singles anyone out")


def _record_table(facts: Facts, by: Sequence[str]) -> CountTable:
    axes = [_axis(facts, d) for d in by]
    counts: Counter[Key] = Counter()
    base = 0
    for key, n in facts.records.items():
        cells = [_record_value(key, d) for d in by]
        if None not in cells:  # a table of what mediators record counts guided sessions only
            _add(counts, cells, n, axes)
            base += n
    return _table(axes, counts, base)


def _level_tables(facts: Facts, others: list[str]) -> list[CountTable]:
    levels = Axis("level", LEVEL_IDS)
    if not others:  # every domain in a row: the levels of each add up, the domains do not
        counts: Counter[Key] = Counter()
        for _, domain, level, n in facts.levels():
            counts[domain, LEVEL_IDS[level]] += n
            counts[domain, TOTAL] += n
        domains = Axis("domain", DOMAIN_IDS, additive=False)
        return [CountTable(domains, levels, dict(counts), facts.visits)]
    axis = _axis(facts, others[0])
    tables = []
    for domain in DOMAIN_IDS:
        counts = Counter()
        for key, found, level, n in facts.levels():
            if found == domain:
                value = _record_value(key, others[0])
                if value is not None:
                    _add(counts, [value, LEVEL_IDS[level]], n, [axis, levels])
        tables.append(_table([axis, levels], counts, facts.visits, domain))
    return tables


def _tally_table(facts: Facts, by: Sequence[str]) -> CountTable:
    tallied = next(d for d in by if DIMENSIONS[d].source == "tally")
    axes = [_axis(facts, d) for d in by]
    counts: Counter[Key] = Counter()
    for tally in facts.tallies:
        for value, n in _tallied(tally, tallied, by):
            cells = [value[0] if d == tallied else value[1] for d in by]
            _add(counts, cells, n, axes)
    return _table(axes, counts, sum(t.visits for t in facts.tallies))


def _tallied(tally: Tally, dimension: str, by: Sequence[str],
             ) -> Iterable[tuple[tuple[str, str], int]]:
    """(value, the other dimension's category) and how many, from one week's tally."""
    other = next((d for d in by if d != dimension), None)
    if other == "pathway":
        for key, n in getattr(tally, BESIDE_PATHWAY[dimension]).items():
            pathway, value = key.split(" ", 1)
            yield (value, pathway), n
        return
    beside = "" if other is None else tally.site_id if other == "site" else tally.iso_week
    for value, n in getattr(tally, dimension).items():
        yield (value, beside), n


def _record_value(key: RecordKey, dimension: str) -> str | None:
    if dimension in PERIODS:
        return key[1]  # the week: a table by period is counted by week, shown by period
    if dimension in _GUIDED_FIELD:
        return key[_GUIDED][_GUIDED_FIELD[dimension]]
    return key[_FIELD[dimension]]


def _add(counts: Counter[Key], cells: list[str], n: int, axes: list[Axis]) -> None:
    """Count ``n`` visits in a cell and in the margins that add up."""
    if len(cells) == 1:
        counts[cells[0], TOTAL] += n
        counts[TOTAL, TOTAL] += n
        return
    row, column = cells
    counts[row, column] += n
    if axes[1].additive:
        counts[row, TOTAL] += n
    if axes[0].additive:
        counts[TOTAL, column] += n
    if axes[0].additive and axes[1].additive:
        counts[TOTAL, TOTAL] += n


def _table(axes: list[Axis], counts: Counter[Key], base: int,
           domain: str | None = None) -> CountTable:
    rows, columns = axes[0], (axes[1] if len(axes) > 1 else None)
    if columns is None and not rows.additive:
        counts.pop((TOTAL, TOTAL), None)  # needs do not add up to the visits
    return CountTable(rows, columns, dict(counts), base, domain)


def _axis(facts: Facts, dimension: str) -> Axis:
    info = DIMENSIONS[dimension]
    if dimension in PERIODS:
        unit: PeriodUnit = dimension  # type: ignore[assignment]
        weeks = facts.weeks
        return Axis(dimension, tuple(weeks_between(weeks[0], weeks[-1]) if weeks else ()),
                    unit=unit)
    if dimension == "site":
        return Axis("site", tuple(facts.sites))
    found: set[str] = set()
    if info.source == "tally":
        found = {value for t in facts.tallies for value in getattr(t, dimension)}
    elif not info.vocabulary:
        found = {v for key in facts.records if (v := _record_value(key, dimension)) is not None}
    extra = sorted(found - set(info.vocabulary) - {NOT_GIVEN})
    given_last = [NOT_GIVEN] if NOT_GIVEN in found and NOT_GIVEN not in info.vocabulary else []
    return Axis(dimension, (*info.vocabulary, *extra, *given_last), info.additive)

