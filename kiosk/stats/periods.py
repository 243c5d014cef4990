"""Periods: the ISO week a record carries, and the month, quarter and year it counts in.

A week belongs to the month of its Thursday (the ISO rule that also gives a week its year), so
every week is in exactly one month, every month in one quarter, every quarter in one year: the
periods nest, and a count by month is the sum of its weeks' counts.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import cache
from typing import Literal, get_args

PeriodUnit = Literal["week", "month", "quarter", "year"]
UNITS: tuple[PeriodUnit, ...] = get_args(PeriodUnit)
ALL_TIME = "*"  # a period that says nothing of when (the top of the ladder)

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


@cache
def thursday(iso_week: str) -> date:
    match = _WEEK.match(iso_week)
    if match is None:
        raise ValueError(f"'{iso_week}' is not an ISO week such as 2026-W09")
    return date.fromisocalendar(int(match[1]), int(match[2]), 4)


def week_of(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


@cache
def unit_of(period: str) -> PeriodUnit | None:
    """What a period is (``2026-W09`` a week, ``2026-03`` a month ...); None for all time."""
    for unit, pattern in zip(UNITS, (_WEEK, _MONTH, _QUARTER, _YEAR), strict=True):
        if pattern.match(period):
            return unit
    if period == ALL_TIME:
        return None
    raise ValueError(f"'{period}' is not a week, month, quarter or year")


@cache
def period_of(period: str, unit: PeriodUnit | None) -> str:
    """``period`` (a week, or a coarser period) as the ``unit`` that holds it; a period already
    coarser than ``unit`` is returned as it is (it cannot be made finer). ``None``: all time."""
    if unit is None:
        return ALL_TIME
    have = unit_of(period)
    if have is None or UNITS.index(have) >= UNITS.index(unit):
        return period
    if have == "week":
        day = thursday(period)
        year, month = day.year, day.month
    elif have == "month":
        year, month = int(period[:4]), int(period[5:7])
    else:  # a quarter, asked as a year
        return period[:4]
    return {"week": period, "month": f"{year}-{month:02d}",
            "quarter": f"{year}-Q{(month - 1) // 3 + 1}", "year": f"{year}"}[unit]


def coarser(unit: PeriodUnit) -> PeriodUnit | None:
    index = UNITS.index(unit)
    return UNITS[index + 1] if index + 1 < len(UNITS) else None


def weeks_between(first: str, last: str) -> list[str]:
    """Every ISO week from ``first`` to ``last``, both included."""
    day, end = thursday(first), thursday(last)
    weeks = []
    while day <= end:
        weeks.append(week_of(day))
        day += timedelta(weeks=1)
    return weeks


def bound(text: str, end: bool) -> str:
    """The first (or, with ``end``, the last) ISO week of a period written as a week
    (``2026-W09``), a month (``2026-03``), a quarter (``2026-Q1``), a year or a day
    (``2026-03-15``): the weeks whose Thursday falls in it."""
    text = text.strip()
    if match := _DAY.match(text):
        try:
            return week_of(date(int(match[1]), int(match[2]), int(match[3])))
        except ValueError:
            pass
    elif unit_of_or_none(text) == "week":
        thursday(text)  # checks the week exists (W53 only in some years)
        return text
    elif (unit := unit_of_or_none(text)) is not None:
        first, last = _days_of(text, unit)
        # The first week whose Thursday is in the period, or the last one.
        day = last - timedelta(days=(last.weekday() - 3) % 7) if end else (
            first + timedelta(days=(3 - first.weekday()) % 7))
        return week_of(day)
    raise ValueError(f"'{text}' is not a period: write a week (2026-W09), a month (2026-03), "
                     "a quarter (2026-Q1), a year (2026) or a day (2026-03-15)")


def unit_of_or_none(text: str) -> PeriodUnit | None:
    try:
        return unit_of(text)
    except ValueError:
        return None


def _days_of(period: str, unit: PeriodUnit) -> tuple[date, date]:
    year = int(period[:4])
    if unit == "year":
        return date(year, 1, 1), date(year, 12, 31)
    first_month = int(period[5:7]) if unit == "month" else (int(period[-1]) - 1) * 3 + 1
    last_month = first_month + (0 if unit == "month" else 2)
    if not 1 <= first_month <= 12:
        raise ValueError(f"'{period}' has no month {first_month}")
    following = date(year + last_month // 12, last_month % 12 + 1, 1)
    return date(year, first_month, 1), following - timedelta(days=1)
