"""The kiosk's site: where it stands (its id is stored with each result) and the help near it.

A site file (``questionnaires/sites/*.yaml``) is data a city edits: the offers near the kiosk,
with structured opening hours so the kiosk can say "open today until 16:00". Like the bank,
it is validated here with errors that name the file, the line and the fix.
"""

from __future__ import annotations

from datetime import date, time
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, model_validator

from kiosk.datafile import Problems, Strict, Text, check_translations
from kiosk.domain import DOMAIN_IDS, AccessNeed, DomainId, Language, PathwayId, PlaceId

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _clock_time(value: Any) -> Any:
    # YAML 1.1 reads an unquoted 12:30 as the number 750 (base 60): refuse it rather than guess.
    if isinstance(value, int):
        raise ValueError("write times in quotes, as 'HH:MM' (e.g. \"12:30\")")
    if isinstance(value, str) and len(value) == 5 and value[2] == ":":
        return value
    if isinstance(value, str):
        raise ValueError(f"'{value}' is not a time: write 'HH:MM', e.g. \"09:00\"")
    return value


ClockTime = Annotated[time, BeforeValidator(_clock_time)]


class TimeRange(Strict):
    start: ClockTime = Field(alias="from")
    end: ClockTime = Field(alias="to")

    @model_validator(mode="after")
    def _ordered(self) -> TimeRange:
        if self.end <= self.start:
            raise ValueError("'to' must be after 'from' (ranges past midnight are not supported)")
        return self


class WeeklySlot(TimeRange):
    """``{days: [tue, thu], from: "12:30", to: "16:00"}``: open every such day of the week."""

    days: list[Weekday] = Field(min_length=1)


class Closure(Strict):
    """Closed from one date to another, both included (holidays, works)."""

    start: date = Field(alias="from")
    end: date = Field(alias="to")
    note: Text | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Closure:
        if self.end < self.start:
            raise ValueError("'to' is before 'from': give the first and last closed dates")
        return self


class ExtraOpening(TimeRange):
    """An opening outside the weekly hours, even during a closure (a special day)."""

    date: date


class Hours(Strict):
    weekly: list[WeeklySlot] = Field(default_factory=list)
    closed: list[Closure] = Field(default_factory=list)
    extra: list[ExtraOpening] = Field(default_factory=list)


class Offer(Strict):
    id: PlaceId
    name: Text
    place: str | None = Field(None, description="the venue's proper name, same in every language")
    address: str | None = None
    phone: str | None = None
    url: str | None = None
    pathways: list[PathwayId] = Field(default_factory=list, description="empty: needs only")
    domains: list[DomainId] = Field(list(DOMAIN_IDS), description="default: every domain")
    needs: list[AccessNeed] = Field(default_factory=list)
    languages: list[Language] = Field(min_length=1, description="languages spoken there")
    cost: Text
    appointment: bool = False
    accessibility: Text | None = None
    hours: Hours | None = Field(None, description="none: available at any time (online)")
    example: bool = Field(False, description="a plausible sample, not a verified offer")


class Site(Strict):
    id: PlaceId
    name: Text
    languages: list[Language] = Field(["fr", "en"], min_length=1)
    offers: list[Offer] = Field(default_factory=list)

    @model_validator(mode="after")
    def _coherent(self) -> Site:
        problems = Problems()
        problems.unique([("offers", i, o.id) for i, o in enumerate(self.offers)], "offer")
        check_translations(self, self.languages, problems)
        for i, offer in enumerate(self.offers):
            if offer.hours is not None and not (offer.hours.weekly or offer.hours.extra):
                problems.add(
                    ("offers", i, "hours"),
                    "no opening at all: add 'weekly' hours, or remove 'hours' for an online offer",
                )
            if not offer.pathways and not offer.needs:
                problems.add(
                    ("offers", i), "give the 'pathways' or 'needs' it serves, or it is never shown"
                )
            if offer.address is None and offer.url is None and offer.phone is None:
                problems.add(
                    ("offers", i),
                    "a visitor cannot reach this offer: give an address, phone or url",
                )
        problems.raise_if_any()
        return self
