"""Country profiles of the standards: how a postcode, a phone and a company id are written.

The national standard's patterns are French: five-digit postcodes, +33 (and overseas) phones,
a SIRET, RNA or RIDET as ``pivot``. A place in Geneva has a four-digit postcode, a +41 phone and
the Swiss business id (UID, ``CHE-123.456.789``): the Swiss profile is the same standard with
those three patterns, so a Swiss network can publish its places in the same form.
"""

from __future__ import annotations

import json
import re
from copy import deepcopy
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import phonenumbers

SCHEMA_FILE = Path(__file__).with_name("lmn-schema.json")


@dataclass(frozen=True)
class Profile:
    country: str
    postcode: str  # regular expressions, as the table schema writes them
    phone: str
    company_id: str
    postcode_hint: str
    company_hint: str

    def phone_e164(self, phone: str) -> str | None:
        """``"022 418 99 00"`` as ``"+41224189900"``; None when it is not a valid number."""
        try:
            number = phonenumbers.parse(phone, self.country)
        except phonenumbers.NumberParseException:
            return None
        if not phonenumbers.is_valid_number(number):
            return None
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    def phone_display(self, phone: str) -> str | None:
        """``"+41224189900"`` as ``"+41 22 418 99 00"``, the way a visitor dials it."""
        e164 = self.phone_e164(phone)
        if e164 is None or not re.match(self.phone, e164):
            return None
        number = phonenumbers.parse(e164)
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)

    def schema(self) -> dict[str, Any]:
        """The standard's table schema with this profile's patterns."""
        schema = deepcopy(_french_schema())
        patterns = {"code_postal": self.postcode, "telephone": self.phone,
                    "pivot": self.company_id}
        for field in schema["fields"]:
            if field["name"] in patterns:
                field["constraints"]["pattern"] = patterns[field["name"]]
            if field["name"] == "code_insee" and self.country != "FR":
                field["constraints"].pop("pattern", None)  # the French commune code only
        if self.country != "FR":
            schema["countryCode"] = self.country
        return schema


@cache
def _french_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return schema


def _pattern(name: str) -> str:
    return next(f["constraints"]["pattern"] for f in _french_schema()["fields"]
                if f["name"] == name)


FRANCE = Profile(
    country="FR",
    postcode=_pattern("code_postal"),
    phone=_pattern("telephone"),
    company_id=_pattern("pivot"),
    postcode_hint="five digits, e.g. 51100",
    company_hint="a SIRET (14 digits), or an RNA number (W and 9 digits)",
)
SWITZERLAND = Profile(
    country="CH",
    postcode=r"^\d{4}$",
    phone=r"^\+41\d{9}$",
    company_id=r"^CHE-?\d{3}\.?\d{3}\.?\d{3}$",
    postcode_hint="four digits, e.g. 1207",
    company_hint="the UID of the business register, e.g. CHE-123.456.789",
)
PROFILES = {"FR": FRANCE, "CH": SWITZERLAND}


def profile_for(country: str) -> Profile:
    if country not in PROFILES:
        raise ValueError(
            f"no profile of the standard for {country}: use a region in "
            f"{', '.join(PROFILES)} (e.g. FR, CH-GE)"
        )
    return PROFILES[country]
