"""When an offer is open: OpenStreetMap ``opening_hours`` evaluated by opening-hours-py.

A site file writes hours as networks publish them (``"Tu,Th 12:30-16:00; PH off"``), the syntax
of the national open-data standards and of OpenStreetMap. opening-hours-py parses and evaluates
them, with the country's public holidays; the region's own holidays (see
``kiosk.public_holidays``) are added to the expression as explicit dates next to its ``PH``
rules, since the library has no regional calendar. Pure functions of the hours and a given
moment: the caller passes the clock, so a test's Monday is always a Monday.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Annotated, Literal

from opening_hours import OpeningHours, ParserError, State
from pydantic import AfterValidator

from kiosk.public_holidays import Region, regional_days

# How far ahead the kiosk looks for the next opening; beyond that it says nothing precise.
HORIZON_DAYS = 28
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_WEEKDAY = "(?:Mo|Tu|We|Th|Fr|Sa|Su)"
# One item of a day selector: PH, SH, Mo, Mo-Fr, Su[1].
_DAY_SELECTOR = re.compile(rf"^(?:PH|SH|{_WEEKDAY}(?:-{_WEEKDAY})?(?:\[.*\])?)$")


def syntax_problem(expression: str) -> str | None:
    """The library's own words about what is wrong in ``expression``, on one line; None if valid."""
    try:
        OpeningHours(expression)
    except ParserError as exc:
        text = str(exc)
        where = re.search(r"--> \d+:(\d+)", text)
        expected = re.search(r"= (expected .*)", text)
        column = f"at column {where.group(1)}: " if where else ""
        return column + (expected.group(1) if expected else text.splitlines()[0])
    return None


def osm_date(day: date) -> str:
    """``2026-09-10`` as OSM writes a date: ``2026 Sep 10``."""
    return f"{day.year} {_MONTHS[day.month - 1]} {day.day:02d}"


def _valid(expression: str) -> str:
    problem = syntax_problem(expression)
    if problem:
        raise ValueError(
            f"{expression!r} is not OpenStreetMap opening_hours ({problem}); write it as on "
            "OpenStreetMap, e.g. \"Tu,Th 12:30-16:00; PH off\" (tool: projets.pavie.info/yohours)"
        )
    return expression


OpeningHoursText = Annotated[str, AfterValidator(_valid)]


def _split_rules(canonical: str) -> list[tuple[str, str]]:
    """``"A; B, C"`` as ``[("", "A"), ("; ", "B"), (", ", "C")]``, quoted comments kept whole."""
    rules: list[tuple[str, str]] = []
    separator, current, quoted, i = "", "", False, 0
    while i < len(canonical):
        found = next(
            (s for s in ("; ", " || ", ", ") if not quoted and canonical.startswith(s, i)), None
        )
        if found:
            rules.append((separator, current))
            separator, current, i = found, "", i + len(found)
            continue
        quoted ^= canonical[i] == '"'
        current += canonical[i]
        i += 1
    rules.append((separator, current))
    return rules


def with_dates_as_holidays(expression: str, days: tuple[date, ...]) -> str:
    """``expression`` where every ``PH`` rule also applies on ``days``.

    Each rule whose day selector holds ``PH`` (``PH off``, ``Mo-Fr,PH 10:00-12:00``) is followed
    by the same rule on the explicit dates, with the same separator, so it takes effect exactly
    where the ``PH`` rule would. A ``PH`` elsewhere (after a date, with an offset) cannot be
    carried over: ValueError, saying how to write it.
    """
    if not days:
        return expression
    dates = ",".join(osm_date(d) for d in days)
    out: list[str] = []
    for separator, rule in _split_rules(str(OpeningHours(expression))):
        out.append(f"{separator}{rule}")
        selector, _, rest = rule.partition(" ")
        unquoted = re.sub(r'"[^"]*"', "", rule)
        if "PH" not in re.findall(r"[A-Za-z]+", unquoted):
            continue
        items = selector.split(",")
        if "PH" not in items or not all(_DAY_SELECTOR.match(item) for item in items):
            raise _unsupported(rule)
        copy = f"{separator or '; '}{dates}{' ' + rest if rest else ''}"
        if syntax_problem(copy.removeprefix(separator or "; ")):
            raise _unsupported(rule)
        out.append(copy)
    return "".join(out)


def _unsupported(rule: str) -> ValueError:
    return ValueError(
        f"the rule '{rule}' uses PH in a way the kiosk cannot extend to the region's own "
        "public holidays: write PH at the start of a rule, e.g. \"PH off\""
    )


@lru_cache(maxsize=512)
def evaluator(expression: str, region: Region | None, year: int) -> OpeningHours:
    """The expression ready to evaluate around ``year``, with the region's holidays."""
    if region is None:
        return OpeningHours(expression)
    extra = regional_days(region, range(year - 1, year + 2))
    return OpeningHours(with_dates_as_holidays(expression, extra), country=region.country)


@dataclass(frozen=True, order=True)
class Opening:
    start: datetime
    end: datetime

    @property
    def day(self) -> date:
        return self.start.date()


def openings(
    expression: str, region: Region | None, start: datetime, end: datetime
) -> list[Opening]:
    """The openings that overlap ``start``..``end``, whole (an opening under way at ``start``
    keeps its real start)."""
    day_start = datetime.combine(start.date(), datetime.min.time())
    spans = evaluator(expression, region, start.year).intervals(day_start, end)
    found: list[Opening] = []
    for begin, finish, state, _ in spans:
        if state != State.OPEN:
            continue
        if found and found[-1].end == begin:  # a comment change splits one opening in two
            found[-1] = Opening(found[-1].start, finish)
        else:
            found.append(Opening(begin, finish))
    return [o for o in found if o.end > start]


def next_opening(expression: str, region: Region | None, now: datetime) -> Opening | None:
    """The opening under way at ``now``, else the next one within the horizon."""
    found = openings(expression, region, now, now + timedelta(days=HORIZON_DAYS + 1))
    return found[0] if found else None


def is_unknown(expression: str, region: Region | None, now: datetime) -> bool:
    """True when the hours say nothing certain at ``now`` (``unknown "dates announced"``)."""
    return evaluator(expression, region, now.year).is_unknown(now)


Kind = Literal["open_now", "later_today", "tomorrow", "this_week", "later", "none", "unknown"]


@dataclass(frozen=True)
class Availability:
    kind: Kind
    opening: Opening | None


def availability(expression: str, region: Region | None, now: datetime) -> Availability:
    opening = next_opening(expression, region, now)
    if opening is None:
        kind: Kind = "unknown" if is_unknown(expression, region, now) else "none"
        return Availability(kind, None)
    days = (opening.day - now.date()).days
    if days <= 0:
        kind = "open_now" if opening.start <= now else "later_today"
    elif days == 1:
        kind = "tomorrow"
    elif days < 7:
        kind = "this_week"
    else:
        kind = "later"
    return Availability(kind, opening)
