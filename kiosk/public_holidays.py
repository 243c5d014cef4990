"""Public holidays of the region a place is in: "CH-GE" (Geneva), "FR", "FR-57" (Moselle).

opening-hours-py knows each country's national holidays, and evaluates ``PH`` in opening hours
with them; it has no regional calendar (Geneva's Jeûne genevois and Restauration de la
République, Alsace-Moselle's Good Friday). The ``holidays`` package has both, by ISO 3166-2
subdivision, with their names in several languages: it gives the region's own days, which
``kiosk.hours`` adds to the expression, and the names the kiosk says ("Jeûne genevois").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

import holidays
from opening_hours import OpeningHours, State, UnknownCountryError


@dataclass(frozen=True)
class Region:
    country: str
    subdivision: str | None = None

    @classmethod
    def parse(cls, code: str) -> Region:
        """``"CH-GE"`` or ``"FR"``; ValueError saying how to write it when a part is unknown."""
        country, _, subdivision = code.partition("-")
        try:
            known = holidays.country_holidays(country)
            OpeningHours("PH", country=country)
        except (NotImplementedError, UnknownCountryError):
            raise ValueError(
                f"'{code}' is not a country the kiosk knows public holidays of: "
                "write its ISO code, e.g. 'FR', or 'CH-GE' for a Swiss canton"
            ) from None
        if subdivision and subdivision not in known.subdivisions:
            raise ValueError(
                f"'{subdivision}' is not a subdivision of {country}: use one of "
                f"{', '.join(known.subdivisions)} (or leave it out)"
            )
        return cls(country, subdivision or None)

    @property
    def code(self) -> str:
        return f"{self.country}-{self.subdivision}" if self.subdivision else self.country

    def __str__(self) -> str:
        return self.code


@cache
def _calendar(region: Region, year: int, language: str | None = None) -> dict[date, str]:
    # Names in the visitor's language where the package has them, else in the country's own.
    supported = holidays.country_holidays(region.country).supported_languages
    chosen = next((lang for lang in supported if lang.split("_")[0] == language), None)
    found = holidays.country_holidays(
        region.country, subdiv=region.subdivision, years=year, language=chosen
    )
    return dict(found.items())


@cache
def _national_by_library(country: str, year: int) -> frozenset[date]:
    """The days opening-hours-py itself counts as ``PH`` in ``country``."""
    expression = OpeningHours("PH", country=country)
    spans = expression.intervals(datetime(year, 1, 1), datetime(year + 1, 1, 1))
    return frozenset(
        start.date() for start, _, state, _ in spans if state == State.OPEN
    )


def holiday_name(region: Region, day: date, language: str) -> str | None:
    """The name of the public holiday on ``day`` in ``region``, or None on a working day."""
    return _calendar(region, day.year, language).get(day)


def regional_days(region: Region, years: range) -> tuple[date, ...]:
    """The region's public holidays that opening-hours-py does not know, in ``years``."""
    return tuple(
        day
        for year in years
        for day in sorted(_calendar(region, year))
        if day not in _national_by_library(region.country, year)
    )
