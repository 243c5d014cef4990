"""An offer in the visitor's words: when it is open, what it costs, which languages are spoken.

Babel writes the dates, weekdays, times and language names in the visitor's language, with the
conventions of the place's country (``fr_CH``, ``en_CH``), always on a 24-hour clock; the
phrases around them come from ``words.yaml``. One way of writing an opening everywhere: the
locale's interval, "12:30 – 16:00".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_interval, format_skeleton
from babel.lists import format_list

from kiosk.hours import Opening, availability, openings
from kiosk.public_holidays import Region, holiday_name
from kiosk.site import Offer
from kiosk.words import words

WEEK_DAYS = 7


@cache
def locale_for(language: str, region: Region | None) -> Locale:
    """The visitor's language with the place's country (``fr_CH``), else the language alone."""
    for tag in ([f"{language}_{region.country}"] if region else []) + [language, "en"]:
        try:
            return Locale.parse(tag)
        except (UnknownLocaleError, ValueError):
            continue
    raise LookupError("Babel has no English locale")  # pragma: no cover - Babel ships "en"


def time_text(moment: datetime, locale: Locale) -> str:
    return format_skeleton("Hm", moment, locale=locale)


def span_text(opening: Opening, locale: Locale) -> str:
    return format_interval(opening.start, opening.end, "Hm", locale=locale)


def when_text(offer: Offer, region: Region | None, now: datetime, language: str) -> str:
    """One short line about when the visitor can go, relative to ``now``.

    No hours means an online offer (any time), or one reached by calling for an appointment.
    A sample offer's hours are invented: it gets no date.
    """
    said = words()
    if offer.hours is None:
        return said.get("when_appointment" if offer.appointment else "when_anytime", language)
    locale = locale_for(language, region)
    found = availability(offer.hours, region, now)
    if found.opening is None:
        return said.get(f"when_{found.kind}", language)
    if offer.example:
        return said.get("when_example", language)
    opening = found.opening
    phrase = said.get(
        f"when_{found.kind}",
        language,
        end=time_text(opening.end, locale),
        span=span_text(opening, locale),
        weekday=format_date(opening.day, "EEEE", locale=locale),
        date=format_date(opening.day, "EEEE d MMMM", locale=locale),
    )
    holiday = holiday_name(region, now.date(), language) if region else None
    if holiday and found.kind not in ("open_now", "later_today"):
        phrase = f"{said.get('closed_holiday', language, holiday=holiday)} {phrase}"
    return phrase


def week_text(offer: Offer, region: Region | None, today: date, language: str) -> str:
    """The openings of the coming seven days in a few words ("mar. et jeu. 12:30 – 16:00"),
    short enough for a QR code; empty without hours, and for a sample offer."""
    if offer.hours is None or offer.example:
        return ""
    locale = locale_for(language, region)
    start = datetime.combine(today, datetime.min.time())
    days_by_span: dict[str, list[date]] = defaultdict(list)
    for opening in openings(offer.hours, region, start, start + timedelta(days=WEEK_DAYS)):
        span = span_text(opening, locale)
        if opening.day not in days_by_span[span]:
            days_by_span[span].append(opening.day)
    return "; ".join(
        f"{_weekdays(days, locale)} {span}" for span, days in days_by_span.items()
    )


def _weekdays(days: list[date], locale: Locale) -> str:
    """ "mar. et jeu.": short weekday names in the week's order."""
    names = [format_date(d, "EEE", locale=locale) for d in sorted(days, key=date.weekday)]
    return format_list(names, locale=locale)


def languages_text(codes: Sequence[str], language: str, region: Region | None = None) -> str:
    """ "Langues : français et anglais": each language named in the visitor's language."""
    names = locale_for(language, region).languages
    listed = format_list([names.get(c, c) for c in codes], locale=locale_for(language, region))
    key = "offer_language" if len(codes) == 1 else "offer_languages"
    return words().get(key, language, languages=listed)


def cost_text(offer: Offer, language: str) -> str:
    if offer.cost is not None:
        return offer.cost.get(language)
    return ", ".join(words().get(f"fee_{fee}", language) for fee in offer.fees)


def terms_text(offer: Offer, language: str, region: Region | None = None) -> str:
    """Cost, walk-in or appointment (only where there is a door to walk in at), languages."""
    said = words()
    parts = [cost_text(offer, language)] if offer.cost or offer.fees else []
    if not offer.online:
        parts.append(said.get("offer_appointment" if offer.appointment else "offer_walk_in",
                              language))
    parts.append(languages_text(offer.languages, language, region))
    return " · ".join(parts)


def name_text(offer: Offer, language: str) -> str:
    """The offer's name, marked "(exemple)" when it is a sample."""
    name = offer.name.get(language)
    return f"{name} {words().get('offer_example', language)}" if offer.example else name
