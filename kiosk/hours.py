"""Opening hours in plain words: "ouvert aujourd'hui jusqu'à 16h", "prochaine permanence jeudi".

Pure functions of an offer's ``Hours`` and a given moment: the caller passes the clock, so the
same visitor sees the same answer in tests as at the kiosk.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal

from kiosk.site import WEEKDAYS, Hours

# How far ahead the kiosk looks for the next opening; beyond that it says nothing precise.
HORIZON_DAYS = 28


@dataclass(frozen=True, order=True)
class Opening:
    day: date
    start: time
    end: time


def openings_on(hours: Hours, day: date) -> list[Opening]:
    """The openings of one day: weekly hours unless closed that day, plus special openings."""
    closed = any(c.start <= day <= c.end for c in hours.closed)
    weekday = WEEKDAYS[day.weekday()]
    found = [] if closed else [
        Opening(day, slot.start, slot.end) for slot in hours.weekly if weekday in slot.days
    ]
    found += [Opening(day, x.start, x.end) for x in hours.extra if x.date == day]
    return sorted(set(found))


def next_opening(hours: Hours, now: datetime) -> Opening | None:
    """The opening under way at ``now``, else the next one within the horizon."""
    for offset in range(HORIZON_DAYS + 1):
        day = now.date() + timedelta(days=offset)
        for opening in openings_on(hours, day):
            if offset > 0 or opening.end > now.time():
                return opening
    return None


Kind = Literal["open_now", "later_today", "tomorrow", "this_week", "later", "none"]


@dataclass(frozen=True)
class Availability:
    kind: Kind
    opening: Opening | None


def availability(hours: Hours, now: datetime) -> Availability:
    opening = next_opening(hours, now)
    if opening is None:
        return Availability("none", None)
    days = (opening.day - now.date()).days
    kind: Kind
    if days == 0:
        kind = "open_now" if opening.start <= now.time() else "later_today"
    elif days == 1:
        kind = "tomorrow"
    elif days < 7:
        kind = "this_week"
    else:
        kind = "later"
    return Availability(kind, opening)


# Phrases the kiosk says about hours. French and English are the bank's languages; another
# language falls back to English until it is added here.
_PHRASES: dict[str, dict[str, str]] = {
    "fr": {
        "open_now": "Ouvert maintenant, jusqu'à {end}",
        "later_today": "Ouvert aujourd'hui de {start} à {end}",
        "tomorrow": "Prochaine ouverture demain, {start}–{end}",
        "this_week": "Prochaine ouverture {weekday} {start}–{end}",
        "later": "Prochaine ouverture le {weekday} {date} à {start}",
        "none": "Pas d'ouverture prévue ces prochaines semaines : appelez",
        "anytime": "Accessible à toute heure",
        "appointment": "Sur rendez-vous : appelez",
    },
    "en": {
        "open_now": "Open now, until {end}",
        "later_today": "Open today from {start} to {end}",
        "tomorrow": "Next opening tomorrow, {start}–{end}",
        "this_week": "Next opening {weekday} {start}–{end}",
        "later": "Next opening on {weekday} {date} at {start}",
        "none": "No opening planned in the coming weeks: please call",
        "anytime": "Available at any time",
        "appointment": "By appointment: please call",
    },
}
_WEEKDAY_NAMES = {
    "fr": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
_SHORT_WEEKDAYS = {
    "fr": ("lun", "mar", "mer", "jeu", "ven", "sam", "dim"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}
_MONTHS = {
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
           "octobre", "novembre", "décembre"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}


def _lang(language: str) -> str:
    return language if language in _PHRASES else "en"


def clock_text(moment: time, language: str) -> str:
    """16h, 12h30 in French; 16:00, 12:30 in English."""
    if _lang(language) == "fr":
        return f"{moment.hour}h{moment.minute:02d}" if moment.minute else f"{moment.hour}h"
    return f"{moment.hour}:{moment.minute:02d}"


def describe(
    hours: Hours | None, now: datetime, language: str, appointment: bool = False
) -> str:
    """One short line about when the visitor can go, relative to ``now``.

    No hours means an online offer (any time), or one reached by calling for an appointment.
    """
    lang = _lang(language)
    if hours is None:
        return _PHRASES[lang]["appointment" if appointment else "anytime"]
    found = availability(hours, now)
    if found.opening is None:
        return _PHRASES[lang]["none"]
    day = found.opening.day
    date_text = (f"{day.day} {_MONTHS[lang][day.month - 1]}" if lang == "fr"
                 else f"{_MONTHS[lang][day.month - 1]} {day.day}")
    return _PHRASES[lang][found.kind].format(
        start=clock_text(found.opening.start, lang),
        end=clock_text(found.opening.end, lang),
        weekday=_WEEKDAY_NAMES[lang][day.weekday()],
        date=date_text,
    )


def weekly_text(hours: Hours, language: str) -> str:
    """The usual week in a few words ("mar, jeu 12h30-16h"); empty without weekly hours."""
    lang = _lang(language)
    parts = []
    for slot in hours.weekly:
        days = _day_runs(sorted(WEEKDAYS.index(d) for d in set(slot.days)), lang)
        parts.append(f"{days} {clock_text(slot.start, lang)}-{clock_text(slot.end, lang)}")
    return "; ".join(parts)


def _day_runs(indices: list[int], lang: str) -> str:
    """[1, 2, 3, 4, 5] as "mar-sam", [1, 3] as "mar, jeu": short enough for a QR code."""
    names = _SHORT_WEEKDAYS[lang]
    runs: list[list[int]] = []
    for i in indices:
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return ", ".join(
        f"{names[r[0]]}-{names[r[-1]]}" if len(r) >= 3 else ", ".join(names[i] for i in r)
        for r in runs
    )
