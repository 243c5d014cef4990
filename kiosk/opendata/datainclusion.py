"""data·inclusion's services (the sister standard, for social services) into offers.

Each record is read through the standard's own Pydantic models (``data-inclusion-schema``), so
a value the standard refuses is reported in its words, at its row. Only digital services (the
``numerique`` thematics) become offers; a service's missing address, phone or hours are taken
from its structure when the structures file is given, as the standard says to.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from data_inclusion.schema.v1 import Service, Structure
from pydantic import ValidationError

from kiosk.datafile import Problem
from kiosk.domain import ACCESS_NEEDS, DOMAIN_IDS, PATHWAY_IDS
from kiosk.opendata.lmn import (
    PATHWAYS_BY_FORMAT,
    Imported,
    Target,
    checked_hours,
    checked_phone,
    slug,
)
from kiosk.opendata.tables import Row, values
from kiosk.site import FORMATS

DIGITAL = "numerique"
# thematique -> (domains, needs)
THEMATIQUES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "numerique": (DOMAIN_IDS, ()),
    "numerique--acceder-a-des-services-en-ligne": (("procedures", "information"), ("identity",)),
    "numerique--acceder-a-une-connexion-internet": ((), ("connectivity",)),
    "numerique--acquerir-un-equipement": ((), ("equipment",)),
    "numerique--maitriser-les-fondamentaux-du-numerique": (
        ("devices", "information", "communication", "documents", "safety"), ()),
}
FORMAT_OF_TYPE = {"accompagnement": "individual", "information": "individual",
                  "atelier": "group", "formation": "group"}
FEES = {"gratuit": "free", "payant": "paid"}
# Multi-valued fields: a JSON list, or "a|b" in a CSV file.
_SETS = ("thematiques", "publics", "modes_accueil", "modes_mobilisation", "mobilisable_par",
         "zone_eligibilite", "reseaux_porteurs")
_FILLED_FROM_STRUCTURE = ("adresse", "complement_adresse", "code_postal", "commune",
                          "telephone", "horaires_accueil")


def import_rows(
    rows: Iterable[tuple[int, Row]],
    path: Path,
    target: Target,
    structure_rows: Iterable[tuple[int, Row]] = (),
) -> Imported:
    out = Imported()
    structures = {
        str(row.get("id")): _structure(row) for _, row in structure_rows if row.get("id")
    }
    for number, data in rows:
        thematiques = values(data.get("thematiques"))
        if not any(t.split("--")[0] == DIGITAL for t in thematiques):
            out.filtered_out += 1  # not a digital service: not for this kiosk
            continue
        service = _validated(Service, _as_model_input(data), path, number, out.problems)
        if service is None:
            continue
        structure = structures.get(service.structure_id)
        fields = {name: getattr(service, name) for name in _FILLED_FROM_STRUCTURE}
        for name in _FILLED_FROM_STRUCTURE:
            if fields[name] is None and structure is not None:
                fields[name] = getattr(structure, name)
        if not target.where.keeps(fields["commune"], fields["code_postal"]):
            out.filtered_out += 1
            continue
        offer = _offer(service, structure, fields, target, path, number, out)
        if offer is not None:
            out.add(offer)
    return out


def _structure(row: Row) -> Structure | None:
    try:
        return Structure.model_validate(_as_model_input(row), context={"ignore_warnings": True})
    except ValidationError:
        return None  # a structure only fills gaps: its own problems are not this import's


def _as_model_input(row: Row) -> Row:
    data = {k: v for k, v in row.items() if v not in ("", None)}
    for name in _SETS:
        if name in data and not isinstance(data[name], list):
            data[name] = values(data[name])
    return data


def _validated(
    model: type[Service], data: Row, path: Path, number: int, problems: list[Problem]
) -> Service | None:
    """The record as the standard's model; a refused optional value is reported and dropped."""
    for _ in range(2):
        try:
            return model.model_validate(data, context={"ignore_warnings": True})
        except ValidationError as exc:
            required = {n for n, f in model.model_fields.items() if f.is_required()}
            for error in exc.errors():
                name = str(error["loc"][0]) if error["loc"] else "?"
                fate = "the service is left out" if name in required else "left out"
                problems.append(Problem(path, number, f"{name}: {error['msg']} ({fate}; fix "
                                        "it in the source)"))
                if name in required:
                    return None
                data = {k: v for k, v in data.items() if k != name}
    return None


def _offer(
    service: Service, structure: Structure | None, fields: dict[str, Any], target: Target,
    path: Path, number: int, out: Imported,
) -> dict[str, Any] | None:
    def say(message: str) -> None:
        out.problems.append(Problem(path, number, message))

    domains = {d for t in service.thematiques or () for d in THEMATIQUES.get(t, ((), ()))[0]}
    needs = {n for t in service.thematiques or () for n in THEMATIQUES.get(t, ((), ()))[1]}
    formats = {FORMAT_OF_TYPE[service.type]} if service.type in FORMAT_OF_TYPE else set()
    if service.modes_accueil and set(service.modes_accueil) == {"a-distance"}:
        formats = {"remote"}
    pathways = {p for f in formats for p in PATHWAYS_BY_FORMAT[f]}
    if not pathways and not needs:
        say("its type and thematiques give no pathway nor need the kiosk can place: left out "
            "(give a 'type' such as accompagnement or atelier)")
        return None
    offer: dict[str, Any] = {
        "id": slug(service.id),
        "name": dict.fromkeys(target.languages, service.nom),
        "place": structure.nom if structure else None,
        "pathways": [p for p in PATHWAY_IDS if p in pathways],
        "domains": [d for d in DOMAIN_IDS if d in domains],
        "needs": [n for n in ACCESS_NEEDS if n in needs],
        "formats": [f for f in FORMATS if f in formats],
        "languages": [target.spoken],
        "fees": [FEES[service.frais]] if service.frais in FEES else [],
        "appointment": "se-presenter" not in (service.modes_mobilisation or ()),
        "booking_url": str(service.lien_mobilisation) if service.lien_mobilisation else None,
        "url": str(structure.site_web) if structure and structure.site_web else None,
        "company_id": structure.siret if structure else None,
        "updated": service.date_maj,
    }
    if fields["adresse"] and fields["commune"]:
        offer["address"] = {k: v for k, v in (
            ("street", fields["adresse"]), ("postcode", fields["code_postal"]),
            ("city", fields["commune"]), ("complement", fields["complement_adresse"])) if v}
    offer["phone"] = checked_phone(fields["telephone"], target.profile, say)
    if not (offer.get("address") or offer.get("phone") or offer.get("url")):
        say("no address, phone nor website: a visitor could not reach it, left out")
        return None
    offer["hours"] = checked_hours(fields["horaires_accueil"], "horaires_accueil", say)
    return {k: v for k, v in offer.items() if v not in ([], None)}
