"""The national standard "Lieux de médiation numérique", row by row, into offers and back.

Import: ``services`` give the domains (and the needs: internet access, a device, help with
procedures and digital identity), ``modalites_accompagnement`` the formats and so the pathways,
``frais_a_charge`` the fees, ``modalites_acces`` and ``prise_rdv`` whether an appointment is
needed, ``prise_en_charge_specifique`` whom the place can also help (English is a language
spoken there), ``horaires`` the OSM hours. Export writes the same fields back, so that
importing an export gives the same offers.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from kiosk.datafile import Problem
from kiosk.domain import ACCESS_NEEDS, DOMAIN_IDS, PATHWAY_IDS
from kiosk.hours import syntax_problem
from kiosk.opendata.profiles import Profile
from kiosk.opendata.tables import Row, text, values
from kiosk.site import FORMATS, Offer, Site

# service -> (domains, needs)
SERVICES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "Aide aux démarches administratives": (("procedures", "documents"), ("identity",)),
    "Maîtrise des outils numériques du quotidien": (
        ("devices", "information", "communication", "documents"), ()),
    "Insertion professionnelle via le numérique": (
        ("information", "communication", "documents"), ()),
    "Utilisation sécurisée du numérique": (("safety",), ()),
    "Parentalité et éducation avec le numérique": (("safety", "information"), ()),
    "Loisirs et créations numériques": (("devices", "documents"), ()),
    "Compréhension du monde numérique": (("information", "safety"), ()),
    "Accès internet et matériel informatique": ((), ("connectivity",)),
    "Acquisition de matériel informatique à prix solidaire": ((), ("equipment",)),
}
FORMATS_BY_NAME = {
    "Accompagnement individuel": "individual",
    "Dans un atelier collectif": "group",
    "En autonomie": "self_service",
    "À distance": "remote",
}
# Which results each format suits: one-to-one help for those who need a person, workshops
# for beginners and topics, free access for those at ease. Help at a distance alone suits
# none of them: a visitor routed to a person needs one in front of them.
PATHWAYS_BY_FORMAT = {
    "individual": ("assisted", "orientation", "first_steps"),
    "group": ("first_steps", "workshops"),
    "self_service": ("autonomy",),
    "remote": (),
}
FEES = {"Gratuit": "free", "Gratuit sous condition": "free_with_conditions", "Payant": "paid"}
SUPPORTS = {
    "Surdité": "deafness",
    "Handicaps moteurs": "reduced_mobility",
    "Handicaps mentaux": "mental_disability",
    "Illettrisme": "illiteracy",
    "Déficience visuelle": "low_vision",
    "Langues étrangères (autres)": "other_languages",
}
ENGLISH = "Langues étrangères (anglais)"
WALK_IN = "Se présenter"
NO_PUBLIC = "Ce lieu n'accueille pas de public"
FIELDS = ("id", "pivot", "nom", "commune", "code_postal", "code_insee", "adresse",
          "complement_adresse", "latitude", "longitude", "typologie", "telephone", "courriels",
          "site_web", "horaires", "presentation_resume", "presentation_detail", "source",
          "itinerance", "structure_parente", "date_maj", "services",
          "publics_specifiquement_adresses", "prise_en_charge_specifique", "frais_a_charge",
          "dispositif_programmes_nationaux", "formations_labels", "autres_formations_labels",
          "modalites_acces", "modalites_accompagnement", "fiche_acces_libre", "prise_rdv")
REQUIRED = ("id", "pivot", "nom", "commune", "code_postal", "adresse", "date_maj")


@dataclass
class Imported:
    """The offers taken from a file, what could not be used, and the rows left out by the filter."""

    offers: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    filtered_out: int = 0

    def add(self, offer: dict[str, Any]) -> None:
        """Keep ``offer``, its id made unique in the site (``lieu``, ``lieu-2``, ...)."""
        taken = {o["id"] for o in self.offers}
        base, n = offer["id"], 2
        while offer["id"] in taken:
            offer["id"], n = f"{base[:45]}-{n}", n + 1
        self.offers.append(offer)


@dataclass(frozen=True)
class Filter:
    """Keep the places near the kiosk: in one of these communes or postcodes (none: all)."""

    communes: tuple[str, ...] = ()
    postcodes: tuple[str, ...] = ()

    def keeps(self, commune: str | None, postcode: str | None) -> bool:
        if not self.communes and not self.postcodes:
            return True
        return _fold(commune or "") in {_fold(c) for c in self.communes} or (
            postcode or "") in self.postcodes


EVERYWHERE = Filter()


@dataclass(frozen=True)
class Target:
    """What an import makes offers for: the country's profile (postcodes, phones, company ids),
    the site's languages, the places kept, and the language spoken at every place."""

    profile: Profile
    languages: tuple[str, ...] = ("fr", "en")
    where: Filter = EVERYWHERE
    spoken: str = "fr"


def _fold(name: str) -> str:
    """ "Genève" and "GENEVE" alike."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", plain.lower()).strip()


def slug(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", _fold(value)).strip("-")[:48] or "lieu"


class _Row:
    """One row being read, collecting its problems as ``file:row: what (how to fix)``."""

    def __init__(self, path: Path, number: int, data: Row, problems: list[Problem]) -> None:
        self.path, self.number, self.data, self.problems = path, number, data, problems

    def say(self, message: str) -> None:
        self.problems.append(Problem(self.path, self.number, message))

    def known(self, name: str, table: dict[str, Any]) -> list[Any]:
        found = []
        for value in values(self.data.get(name)):
            if value in table:
                found.append(table[value])
            else:
                self.say(f"{name}: unknown value '{value}', left out "
                         f"(use one of: {'; '.join(table)})")
        return found


def import_rows(rows: Iterable[tuple[int, Row]], path: Path, target: Target) -> Imported:
    """Offers (as site-file mappings) from the standard's rows; a row missing what the kiosk
    cannot do without is left out, a value it cannot map is left out of its offer."""
    out = Imported()
    for number, data in rows:
        if not target.where.keeps(text(data.get("commune")), text(data.get("code_postal"))):
            out.filtered_out += 1
            continue
        offer = _offer(_Row(path, number, data, out.problems), target)
        if offer is not None:
            out.add(offer)
    return out


def _offer(row: _Row, target: Target) -> dict | None:
    profile = target.profile
    if not _admissible(row, profile):
        return None
    get = row.data.get
    help_given = _help(row, target.spoken)
    if help_given is None:
        return None
    booking = text(get("prise_rdv"))
    access = values(get("modalites_acces"))
    offer: dict[str, Any] = {
        "id": slug(str(text(get("id")))),
        "name": dict.fromkeys(target.languages, str(text(get("nom")))),
        "address": {k: v for k, v in (
            ("street", text(get("adresse"))), ("postcode", text(get("code_postal"))),
            ("city", text(get("commune"))), ("complement", text(get("complement_adresse"))),
        ) if v},
        "phone": checked_phone(text(get("telephone")), profile, row.say),
        "url": next(iter(values(get("site_web"))), None),
        "booking_url": booking,
        **help_given,
        "appointment": WALK_IN not in access if access else booking is not None,
        "hours": checked_hours(text(get("horaires")), "horaires", row.say),
        "company_id": _company_id(row, profile),
        "updated": _updated(row),
    }
    return {k: v for k, v in offer.items() if v not in ([], None)}


def _admissible(row: _Row, profile: Profile) -> bool:
    """False, saying why, for a row the kiosk cannot show a visitor at all."""
    get = row.data.get
    missing = [name for name in ("id", "nom", "adresse", "commune", "code_postal")
               if not text(get(name))]
    if missing:
        row.say(f"missing {', '.join(missing)}: the place is left out (fill them in the source)")
        return False
    if NO_PUBLIC in values(get("modalites_acces")):
        row.say(f"modalites_acces says '{NO_PUBLIC}': left out, visitors cannot go there")
        return False
    postcode = str(text(get("code_postal")))
    if not re.match(profile.postcode, postcode):
        row.say(f"code_postal '{postcode}' is not {profile.postcode_hint}: the place is left "
                "out (fix it, or import with the region of its country, e.g. --region CH-GE)")
        return False
    return True


def _help(row: _Row, spoken: str) -> dict[str, Any] | None:
    """Pathways, domains, needs, formats, supports, languages and fees of a row."""
    services = row.known("services", SERVICES)
    needs = {n for _, ns in services for n in ns}
    formats = row.known("modalites_accompagnement", FORMATS_BY_NAME)
    pathways = {p for f in formats for p in PATHWAYS_BY_FORMAT[f]}
    if not pathways and not needs:
        row.say("no modalites_accompagnement or services the kiosk can place: left out (say "
                "how help is given: Accompagnement individuel, Dans un atelier collectif, ...)")
        return None
    domains = {d for ds, _ in services for d in ds} if services else set(DOMAIN_IDS)
    supports = row.known("prise_en_charge_specifique", {**SUPPORTS, ENGLISH: "english"})
    english = ["en"] if "english" in supports and spoken != "en" else []
    fees = row.known("frais_a_charge", FEES)
    return {
        "pathways": [p for p in PATHWAY_IDS if p in pathways],
        "domains": [d for d in DOMAIN_IDS if d in domains],
        "needs": [n for n in ACCESS_NEEDS if n in needs],
        "formats": [f for f in FORMATS if f in formats],
        "supports": [s for s in SUPPORTS.values() if s in supports],
        "languages": [spoken, *english],
        "fees": [f for f in FEES.values() if f in fees],
    }


def _company_id(row: _Row, profile: Profile) -> str | None:
    pivot = text(row.data.get("pivot"))
    if pivot and not re.match(profile.company_id, pivot):
        row.say(f"pivot '{pivot}' is not {profile.company_hint}: left out")
        return None
    return pivot


def _updated(row: _Row) -> date | None:
    updated = text(row.data.get("date_maj"))
    try:
        return date.fromisoformat(updated) if updated else None
    except ValueError:
        row.say(f"date_maj '{updated}' is not a date: write it as YYYY-MM-DD")
        return None


def checked_phone(phone: str | None, profile: Profile, say: Callable[[str], None]) -> str | None:
    """The phone as a visitor dials it, or None (said) when it is not a number of the country."""
    if not phone:
        return None
    shown = profile.phone_display(phone)
    if shown is None:
        say(f"telephone '{phone}' is not a {profile.country} number: left out "
            "(write it with the country code, e.g. +33 1 80 05 98 80 or +41 22 418 99 00)")
    return shown


def checked_hours(hours: str | None, name: str, say: Callable[[str], None]) -> str | None:
    """The hours, or ``unknown`` (said) when the library cannot read them: the kiosk then says
    to call rather than invent a time or drop the place."""
    if not hours:
        return None
    problem = syntax_problem(hours)
    if problem:
        say(f"{name} {hours!r} is not OpenStreetMap opening_hours ({problem}): the kiosk will "
            f"say to call (fix the {name} in the source)")
        return "unknown"
    return hours


# -- export ------------------------------------------------------------------------------------

_FORMAT_OF_PATHWAY = {"assisted": "individual", "orientation": "individual",
                      "first_steps": "group", "workshops": "group", "autonomy": "self_service"}


def export_rows(
    site: Site, profile: Profile, lines: dict[Any, int], path: Path
) -> tuple[list[dict[str, str]], list[Problem]]:
    """The site's offers as rows of the standard; an offer it cannot describe (online only, no
    company id, no update date) is reported at its line in the site file and left out."""
    rows: list[dict[str, str]] = []
    problems: list[Problem] = []
    for i, offer in enumerate(site.offers):
        line = lines.get(("offers", i), 1)
        missing = _missing_for_export(offer, profile)
        if missing:
            problems.append(Problem(path, line, f"offer '{offer.id}' is left out: {missing}"))
            continue
        rows.append(_row(offer, profile, site.languages[0]))
    return rows, problems


def _missing_for_export(offer: Offer, profile: Profile) -> str:
    address = offer.address
    if address is None or not (address.postcode and address.city):
        return ("the standard lists places: give its 'address' with street, postcode and city "
                "(an online offer cannot be published in it)")
    if not re.match(profile.postcode, address.postcode):
        return f"postcode '{address.postcode}' is not {profile.postcode_hint}"
    if not offer.company_id or not re.match(profile.company_id, offer.company_id):
        return f"add 'company_id:' with {profile.company_hint}"
    if offer.updated is None:
        return "add 'updated: YYYY-MM-DD', the day its facts were last checked"
    return ""


def _row(offer: Offer, profile: Profile, language: str) -> dict[str, str]:
    assert offer.address is not None and offer.updated is not None
    formats = offer.formats or sorted(
        {_FORMAT_OF_PATHWAY[p] for p in offer.pathways}, key=FORMATS.index)
    services = [
        name for name, (domains, needs) in SERVICES.items()
        if set(domains) <= set(offer.domains) and set(needs) <= set(offer.needs)
        and (domains or needs)
    ]
    supports = [name for name, s in SUPPORTS.items() if s in offer.supports]
    supports += [ENGLISH] if "en" in offer.languages else []
    phone = profile.phone_e164(offer.phone) if offer.phone else None
    access = ([] if offer.appointment else [WALK_IN]) + (["Téléphoner"] if phone else []) + (
        ["Prendre un RDV en ligne"] if offer.booking_url else [])
    row = dict.fromkeys(FIELDS, "")
    row |= {
        "id": offer.id,
        "pivot": offer.company_id or "",
        "nom": offer.name.get(language),
        "commune": offer.address.city or "",
        "code_postal": offer.address.postcode or "",
        "adresse": offer.address.street,
        "complement_adresse": offer.address.complement or "",
        "telephone": phone or "",
        "site_web": offer.url or "",
        "horaires": offer.hours or "",
        "date_maj": offer.updated.isoformat(),
        "services": "|".join(services),
        "prise_en_charge_specifique": "|".join(supports),
        "frais_a_charge": "|".join(k for k, v in FEES.items() if v in offer.fees),
        "modalites_acces": "|".join(access),
        "modalites_accompagnement": "|".join(
            k for k, v in FORMATS_BY_NAME.items() if v in formats),
        "prise_rdv": offer.booking_url or "",
    }
    return row
