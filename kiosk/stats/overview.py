"""A coordinator's overview: the last weeks, months or year at one site or all, as headline
figures and the tables behind them, every count under k hidden as in any published table.

The store is read once (:func:`kiosk.stats.read_facts`); choosing another span or site narrows
what was read, with no new reading.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal, get_args

from kiosk.stats.counting import Facts, Selection
from kiosk.stats.periods import PeriodUnit, week_of
from kiosk.stats.protection import TOTAL
from kiosk.stats.suppression import DEFAULT_K
from kiosk.stats.tables import Published, publish

Span = Literal["weeks_4", "weeks_13", "weeks_52", "all"]
SPANS: tuple[Span, ...] = get_args(Span)
_WEEKS_BACK: dict[Span, int] = {"weeks_4": 4, "weeks_13": 13, "weeks_52": 52}
# The period a span is best seen by: a few weeks week by week, a year month by month.
SPAN_UNIT: dict[Span, PeriodUnit] = {"weeks_4": "week", "weeks_13": "week",
                                     "weeks_52": "month", "all": "quarter"}


def span_selection(span: Span, today: date, site: str | None = None) -> Selection:
    """The weeks of ``span`` up to this one (this week included), at ``site`` or every site."""
    back = _WEEKS_BACK.get(span)
    since = None if back is None else week_of(today - timedelta(weeks=back - 1))
    return Selection(since, week_of(today), frozenset({site} if site else ()))


@dataclass(frozen=True)
class Figure:
    """A headline figure: its name, the count (None: hidden) and its share of all visits."""

    name: str
    count: int | None
    share: float | None = None


@dataclass(frozen=True)
class Overview:
    facts: Facts
    unit: PeriodUnit
    k: int
    timeline: Published  # visits by ``unit``
    pathways: Published
    modes: Published
    completions: Published

    @property
    def figures(self) -> list[Figure]:
        return [
            # no visit at all singles no one out (an empty table publishes no total)
            Figure("visits", self.completions.count(TOTAL) if self.facts.visits else 0),
            Figure("completed", self.completions.count("completed"),
                   self.completions.share("completed")),
            Figure("guided", self.modes.count("guided"), self.modes.share("guided")),
        ]


def overview(facts: Facts, unit: PeriodUnit, k: int = DEFAULT_K) -> Overview:
    [timeline], [pathways], [modes], [completions] = (
        publish(facts, [dimension], k) for dimension in (unit, "pathway", "mode", "completion"))
    return Overview(facts, unit, k, timeline, pathways, modes, completions)
