"""The kiosk's site: where it stands (its id is stored with each result) and the help near it.

A site file (``questionnaires/sites/*.yaml``) is data a city edits, or imports from the open
data that networks publish (``kiosk site import``): the offers near the kiosk, with their
opening hours in OpenStreetMap syntax so the kiosk can say "open today until 16:00". Like the
bank, it is validated here with errors that name the file, the line and the fix.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Literal, get_args

from pydantic import AfterValidator, Field, StrictFloat, model_validator

from kiosk.datafile import Problems, Strict, Text, check_translations
from kiosk.domain import DOMAIN_IDS, AccessNeed, DomainId, Language, PathwayId, PlaceId
from kiosk.hours import OpeningHoursText, evaluator
from kiosk.public_holidays import Region

RegionCode = Annotated[str, AfterValidator(lambda code: Region.parse(code).code)]

# How help is given (the national standard's "modalités d'accompagnement").
Format = Literal["individual", "group", "self_service", "remote"]
# Whom a place is able to help beyond the usual (its "prise en charge spécifique").
Support = Literal[
    "deafness", "low_vision", "reduced_mobility", "mental_disability", "illiteracy",
    "other_languages",
]
Fee = Literal["free", "free_with_conditions", "paid"]
FORMATS: tuple[str, ...] = get_args(Format)
SUPPORTS: tuple[str, ...] = get_args(Support)

# Postcodes by country, where the kiosk knows their form: the Swiss ones have four digits.
_POSTCODES = {
    "CH": (re.compile(r"^\d{4}$"), "four digits, e.g. 1207"),
    "FR": (re.compile(r"^\d{5}$"), "five digits, e.g. 75011"),
}


class Address(Strict):
    street: str = Field(min_length=1)
    postcode: str | None = None
    city: str | None = None
    complement: str | None = Field(None, description="floor, building: how to find the door")

    def __str__(self) -> str:
        town = " ".join(x for x in (self.postcode, self.city) if x)
        return ", ".join(x for x in (self.street, self.complement, town) if x)


class Offer(Strict):
    id: PlaceId
    name: Text
    place: str | None = Field(None, description="the venue's proper name, same in every language")
    address: Address | None = None
    phone: str | None = None
    url: str | None = None
    booking_url: str | None = Field(None, description="where to book an appointment online")
    pathways: list[PathwayId] = Field(default_factory=list, description="empty: needs only")
    domains: list[DomainId] = Field(list(DOMAIN_IDS), description="default: every domain")
    needs: list[AccessNeed] = Field(default_factory=list)
    formats: list[Format] = Field(default_factory=list, description="one-to-one, group, ...")
    supports: list[Support] = Field(default_factory=list, description="whom it can help too")
    languages: list[Language] = Field(min_length=1, description="languages spoken there")
    fees: list[Fee] = Field(default_factory=list)
    cost: Text | None = Field(None, description="the cost in words, when 'fees' is not enough")
    appointment: bool = False
    accessibility: Text | None = None
    hours: OpeningHoursText | None = Field(
        None, description="OpenStreetMap opening_hours; none: online at any time, or by appointment"
    )
    company_id: str | None = Field(
        None, description="SIRET or RNA (France), UID CHE-... (Switzerland)"
    )
    updated: date | None = Field(None, description="when the facts were last checked")
    example: bool = Field(False, description="a plausible sample, not a verified offer")

    @property
    def online(self) -> bool:
        """Reached on the internet or by phone only: no door to walk in at."""
        return self.address is None


class IdleTimes(Strict):
    """How long the kiosk waits for a visitor who stopped touching it, in seconds."""

    ask_after: StrictFloat = Field(90, ge=10, le=3600,
                                   description="then it asks 'are you still there?'")
    countdown: StrictFloat = Field(30, ge=5, le=600,
                                   description="then, with no answer, it clears")
    takeaway_after: StrictFloat = Field(
        180, ge=10, le=3600,
        description="instead of ask_after while the take-away's QR code is on screen: someone "
                    "scanning it touches nothing",
    )


class Site(Strict):
    id: PlaceId
    name: Text
    languages: list[Language] = Field(["fr", "en"], min_length=1)
    region: RegionCode | None = Field(
        None, description="where public holidays close places: 'CH-GE', 'FR', ..."
    )
    offers: list[Offer] = Field(default_factory=list)
    idle: IdleTimes = IdleTimes()
    read_aloud: bool = Field(
        False, description="read every question aloud as it is shown (where espeak-ng is "
        "installed); without it, a key and a button on each question read it on demand"
    )

    @property
    def where(self) -> Region | None:
        return Region.parse(self.region) if self.region else None

    @model_validator(mode="after")
    def _coherent(self) -> Site:
        problems = Problems()
        problems.unique([("offers", i, o.id) for i, o in enumerate(self.offers)], "offer")
        check_translations(self, self.languages, problems)
        for i, offer in enumerate(self.offers):
            for where, message in _offer_problems(offer, self.where):
                problems.add(("offers", i, *where), message)
        problems.raise_if_any()
        return self


def _offer_problems(offer: Offer, region: Region | None) -> list[tuple[tuple[str, ...], str]]:
    found: list[tuple[tuple[str, ...], str]] = []
    if not offer.pathways and not offer.needs:
        found.append(((), "give the 'pathways' or 'needs' it serves, or it is never shown"))
    if offer.address is None and offer.url is None and offer.phone is None:
        found.append(((), "a visitor cannot reach this offer: give an address, phone or url"))
    if offer.hours is not None:
        try:  # the region's holidays must fit the expression's PH rules
            evaluator(offer.hours, region, datetime.now().year)
        except ValueError as exc:
            found.append((("hours",), str(exc)))
    form = _POSTCODES.get(region.country) if region else None
    postcode = offer.address.postcode if offer.address else None
    if form and postcode is not None and not form[0].match(postcode):
        found.append((
            ("address", "postcode"),
            f"'{postcode}' is not a postcode of {region}: write {form[1]}",
        ))
    return found
