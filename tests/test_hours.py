"""Opening hours with a fixed clock: across days, closures, special openings, the week's end."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from kiosk.hours import Opening, availability, clock_text, describe, next_opening, weekly_text
from kiosk.site import Hours

RIVE_GAUCHE = Hours.model_validate(
    {"weekly": [{"days": ["tue", "thu"], "from": "12:30", "to": "16:00"}]}
)
# 2026-11-23 is a Monday.
MON, TUE, THU, FRI, SUN = (datetime(2026, 11, d) for d in (23, 24, 26, 27, 29))


def at(day: datetime, hh: int, mm: int = 0) -> datetime:
    return day.replace(hour=hh, minute=mm)


@pytest.mark.parametrize(
    ("now", "kind", "day"),
    [
        (at(TUE, 9), "later_today", TUE),        # before opening
        (at(TUE, 12, 30), "open_now", TUE),      # the first minute
        (at(TUE, 15, 59), "open_now", TUE),
        (at(TUE, 16), "this_week", THU),         # closing time: it is over for today
        (at(MON, 18), "tomorrow", TUE),
        (at(FRI, 10), "this_week", datetime(2026, 12, 1)),  # over the weekend, into next week
        (at(SUN, 23, 59), "this_week", datetime(2026, 12, 1)),  # Sunday night, over the week end
    ],
)
def test_next_opening_across_days(now: datetime, kind: str, day: datetime) -> None:
    found = availability(RIVE_GAUCHE, now)
    assert found.kind == kind
    assert found.opening == Opening(day.date(), time(12, 30), time(16, 0))


def test_the_french_and_english_phrases() -> None:
    assert describe(RIVE_GAUCHE, at(TUE, 13), "fr") == "Ouvert maintenant, jusqu'à 16h"
    assert describe(RIVE_GAUCHE, at(TUE, 13), "en") == "Open now, until 16:00"
    assert describe(RIVE_GAUCHE, at(TUE, 9), "fr") == "Ouvert aujourd'hui de 12h30 à 16h"
    assert describe(RIVE_GAUCHE, at(TUE, 17), "fr") == "Prochaine ouverture jeudi 12h30–16h"
    assert describe(RIVE_GAUCHE, at(MON, 8), "en") == "Next opening tomorrow, 12:30–16:00"


def test_a_closure_skips_to_the_first_day_after_it() -> None:
    hours = RIVE_GAUCHE.model_copy(update={"closed": Hours.model_validate(
        {"closed": [{"from": date(2026, 12, 22), "to": date(2027, 1, 4)}]}).closed})
    found = next_opening(hours, datetime(2026, 12, 21, 9))
    assert found is not None and found.day == date(2027, 1, 5)
    assert describe(hours, datetime(2026, 12, 21, 9), "fr") == (
        "Prochaine ouverture le mardi 5 janvier à 12h30")
    assert describe(hours, datetime(2026, 12, 21, 9), "en") == (
        "Next opening on Tuesday January 5 at 12:30")


def test_a_special_opening_counts_even_during_a_closure() -> None:
    hours = Hours.model_validate({
        "weekly": [{"days": ["tue"], "from": "12:30", "to": "16:00"}],
        "closed": [{"from": date(2026, 12, 22), "to": date(2027, 1, 4)}],
        "extra": [{"date": date(2026, 12, 30), "from": "10:00", "to": "12:00"}],
    })
    found = next_opening(hours, datetime(2026, 12, 23, 9))
    assert found == Opening(date(2026, 12, 30), time(10), time(12))


def test_several_openings_on_one_day_take_the_next_one() -> None:
    hours = Hours.model_validate({"weekly": [
        {"days": ["mon"], "from": "14:00", "to": "17:00"},
        {"days": ["mon"], "from": "09:00", "to": "12:00"},
    ]})
    assert availability(hours, at(MON, 12, 30)).opening == Opening(MON.date(), time(14), time(17))
    assert availability(hours, at(MON, 10)).kind == "open_now"


def test_nothing_within_the_horizon() -> None:
    hours = Hours.model_validate({"extra": [{"date": date(2030, 1, 1), "from": "10:00",
                                             "to": "11:00"}]})
    assert availability(hours, at(MON, 9)).kind == "none"
    assert "appelez" in describe(hours, at(MON, 9), "fr")


def test_no_hours_means_online_or_by_appointment() -> None:
    assert describe(None, at(MON, 9), "fr") == "Accessible à toute heure"
    assert describe(None, at(MON, 9), "en", appointment=True) == "By appointment: please call"


def test_weekly_summary_and_clock() -> None:
    hours = Hours.model_validate({"weekly": [
        {"days": ["fri", "tue", "wed", "thu"], "from": "10:00", "to": "18:00"},
        {"days": ["sat"], "from": "10:00", "to": "17:30"},
    ]})
    assert weekly_text(hours, "fr") == "mar-ven 10h-18h; sam 10h-17h30"
    assert weekly_text(RIVE_GAUCHE, "en") == "Tue, Thu 12:30-16:00"
    assert clock_text(time(9, 5), "fr") == "9h05"
    assert clock_text(time(9, 5), "de") == "9:05"  # unknown language: English phrasing
