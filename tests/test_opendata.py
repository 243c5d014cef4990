"""The national standard in and out: the standard's own example, a round trip checked by
frictionless, the Swiss profile, data·inclusion, and broken rows reported at their row.

The standard's schema and example are read from ../shared/standards (read-only, allowed for
tests); the kiosk ships its own copy of the schema, checked identical here.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from frictionless import Report, Resource, Schema, system
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk import paths
from kiosk.datafile import load_model
from kiosk.offer_text import when_text
from kiosk.opendata import datainclusion, lmn
from kiosk.opendata.profiles import FRANCE, SCHEMA_FILE, SWITZERLAND
from kiosk.opendata.tables import read_rows
from kiosk.site import Site

SHARED = Path(__file__).resolve().parents[2] / "shared"
STANDARD = SHARED / "standards" / "lieux-mediation-numerique"
SCHEMA = STANDARD / "schema.json"
EXAMPLE = STANDARD / "exemple-valide.csv"
pytestmark = pytest.mark.skipif(not EXAMPLE.is_file(), reason="../shared/standards is not here")


def validate(table: Path, schema: dict | Path) -> Report:
    """frictionless's own check of ``table`` against a table schema."""
    descriptor = json.loads(schema.read_text()) if isinstance(schema, Path) else schema
    with system.use_context(trusted=True):  # files outside the working directory
        return Resource(str(table), schema=Schema.from_descriptor(descriptor)).validate()


def kiosk(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kiosk", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=120)


def imported(tmp_path: Path, source: Path, *options: str, name: str = "site.yaml") -> Site:
    out = tmp_path / name
    done = kiosk("site", "import", str(source), "--format", "lmn", "--out", str(out), *options)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return load_model(out, Site)


def test_the_shipped_schema_is_the_standards() -> None:
    assert json.loads(SCHEMA_FILE.read_text()) == json.loads(SCHEMA.read_text())
    assert validate(EXAMPLE, SCHEMA).valid


@pytest.mark.slow  # runs the kiosk command in a process
def test_the_standards_example_imports_validates_and_shows_its_place(tmp_path: Path) -> None:
    site = imported(tmp_path, EXAMPLE)
    assert kiosk("validate", str(tmp_path / "site.yaml")).returncode == 0
    (place,) = site.offers
    assert place.name.get("fr") == "Anonymal" and str(place.address) == (
        "12 BIS RUE DE LECLERCQ, Le patio du bois de l'Aulne, 51100 Reims")
    assert place.phone == "+33 1 80 05 98 80" and place.company_id == "43493312300029"
    assert place.formats == ["individual", "group", "self_service", "remote"]
    assert place.supports == ["deafness", "illiteracy"] and place.languages == ["fr", "en"]
    assert place.fees == ["free_with_conditions", "paid"] and not place.appointment
    assert place.booking_url == "https://www.rdv-solidarites.fr/"
    # "Mo-Fr 09:00-12:00,14:00-18:30; Sa 08:30-12:00", in France (the standard's own example
    # has no "PH off": France's public holidays then do not close it).
    region = site.where
    assert region is not None and region.code == "FR"
    said = {
        datetime(2026, 11, 23, 10): "Ouvert maintenant, jusqu'à 12:00",
        datetime(2026, 11, 23, 12, 30): "Ouvert aujourd'hui, 14:00\u2009–\u200918:30",
        datetime(2026, 11, 28, 13): "Prochaine ouverture lundi, 09:00\u2009–\u200912:00",
        datetime(2026, 11, 27, 19): "Prochaine ouverture demain, 08:30\u2009–\u200912:00",
    }
    for clock, expected in said.items():
        assert when_text(place, region, clock, "fr") == expected
    # With "PH off", as most places publish, 14 July closes it.
    closed = place.model_copy(update={"hours": f"{place.hours}; PH off"})
    assert when_text(closed, region, datetime(2026, 7, 14, 10), "fr") == (
        "Fermé aujourd'hui (Fête nationale). Prochaine ouverture demain, "
        "09:00\u2009–\u200912:00")


@pytest.mark.slow  # runs the kiosk command in a process
@pytest.mark.parametrize("suffix", [".csv", ".json"])
def test_round_trip_import_export_frictionless_import(tmp_path: Path, suffix: str) -> None:
    first = imported(tmp_path, EXAMPLE, name="first.yaml")
    exported = tmp_path / f"export{suffix}"
    done = kiosk("site", "export", str(tmp_path / "first.yaml"), "--format", "lmn",
                 "--out", str(exported))
    assert done.returncode == 0, done.stderr
    if suffix == ".csv":
        report = validate(exported, SCHEMA)
        assert report.valid, report.flatten(["rowNumber", "fieldName", "note"])
    again = imported(tmp_path, exported, name="again.yaml")
    assert again.offers == first.offers


@pytest.mark.slow  # runs the kiosk command in a process
def test_a_several_place_file_with_semicolons_and_a_filter(tmp_path: Path) -> None:
    rows = list(csv.DictReader(EXAMPLE.open(encoding="utf-8")))
    base = rows[0]
    places = [
        base,
        {**base, "id": "lyon-1", "commune": "Lyon", "code_postal": "69001",
         "services": "Aide aux démarches administratives;Accès internet et matériel informatique",
         "modalites_accompagnement": "Accompagnement individuel", "modalites_acces": "Téléphoner",
         "prise_rdv": ""},
        {**base, "id": "lyon-2", "commune": "LYON", "code_postal": "69002"},
    ]
    source = tmp_path / "places.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(base), delimiter=";")
        writer.writeheader()
        writer.writerows(places)
    site = imported(tmp_path, source, "--commune", "Lyon")
    assert [o.id for o in site.offers] == ["lyon-1", "lyon-2"]
    lyon = site.offers[0]
    assert lyon.needs == ["connectivity", "identity"] and lyon.appointment
    assert lyon.domains == ["documents", "procedures"]
    assert [o.id for o in imported(tmp_path, source, "--postcode", "51100",
                                   name="reims.yaml").offers] == ["structure-1"]


@pytest.mark.slow  # runs the kiosk command in a process
def test_mutated_rows_are_reported_at_their_row_without_a_traceback(tmp_path: Path) -> None:
    base = next(csv.DictReader(EXAMPLE.open(encoding="utf-8")))
    mutated = [
        {**base, "id": "good"},
        {**base, "id": "bad-hours", "horaires": "Lu-Ve 9h-12h"},
        {**base, "id": "unknown-service",
         "services": "Cours de cuisine|Loisirs et créations numériques"},
        {**base, "id": "", "nom": ""},
        {**base, "id": "swiss", "code_postal": "1207"},
    ]
    source = tmp_path / "mutated.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(base))
        writer.writeheader()
        writer.writerows(mutated)
    out = tmp_path / "site.yaml"
    done = kiosk("site", "import", str(source), "--format", "lmn", "--out", str(out))
    assert done.returncode == 0 and "Traceback" not in done.stderr
    report = done.stderr.splitlines()
    assert report[0].startswith(f"{source}:3: horaires 'Lu-Ve 9h-12h' is not OpenStreetMap")
    assert "at column" in report[0] and "(fix the horaires in the source)" in report[0]
    assert report[1] == (f"{source}:4: services: unknown value 'Cours de cuisine', left out (use "
                         f"one of: {'; '.join(lmn.SERVICES)})")
    assert report[2] == (f"{source}:5: missing id, nom: the place is left out (fill them in "
                         "the source)")
    assert report[3].startswith(f"{source}:6: code_postal '1207' is not five digits")
    site = load_model(out, Site)
    assert [o.id for o in site.offers] == ["good", "bad-hours", "unknown-service"]
    assert site.offers[1].hours == "unknown"
    assert site.offers[2].domains == ["devices", "documents"]


@pytest.mark.slow  # runs the kiosk command in a process
def test_a_broken_file_is_one_clear_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('[{"id": "a",}]', encoding="utf-8")
    done = kiosk("site", "import", str(broken), "--out", str(tmp_path / "s.yaml"))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith(f"{broken}:1: JSON syntax")


@pytest.mark.slow  # runs the kiosk command in a process
def test_an_import_never_overwrites_a_site_file(tmp_path: Path) -> None:
    out = tmp_path / "site.yaml"
    out.write_text("kept", encoding="utf-8")
    done = kiosk("site", "import", str(EXAMPLE), "--out", str(out))
    assert done.returncode == 1 and "never overwritten" in done.stderr
    assert out.read_text(encoding="utf-8") == "kept"


@pytest.mark.slow  # runs the kiosk command in a process
def test_the_swiss_profile_exports_geneva_and_reads_it_back(tmp_path: Path) -> None:
    geneva = paths.questionnaires_dir() / "sites" / "geneve.yaml"
    site_file = tmp_path / "geneve.yaml"
    # The city's UID is not in the press release: a made-up one stands in for the test.
    site_file.write_text(geneva.read_text(encoding="utf-8").replace(
        "    updated: 2025-02-04", "    updated: 2025-02-04\n    company_id: CHE-000.000.000"),
        encoding="utf-8")
    out = tmp_path / "geneve.csv"
    done = kiosk("site", "export", str(site_file), "--out", str(out))
    assert done.returncode == 0 and "Traceback" not in done.stderr
    left_out = done.stderr.splitlines()
    assert len(left_out) == 4  # the samples and Pix: no postcode, no company id, online
    assert any("offer 'pix' is left out: the standard lists places" in line for line in left_out)
    assert validate(out, SWITZERLAND.schema()).valid
    assert not validate(out, SCHEMA).valid  # the French patterns refuse it
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["telephone"] for r in rows] == ["+41224189900", "+41587767500"]
    assert [r["code_postal"] for r in rows] == ["1207", "1201"]
    again = imported(tmp_path, out, "--region", "CH-GE", name="again.yaml")
    assert [str(o.address) for o in again.offers] == [
        "Rue de la Terrassière 9, 1207 Genève", "Rue Pécolat 5, 1201 Genève"]
    assert [o.hours for o in again.offers] == ["Tu,Th 12:30-16:00; PH off",
                                               "We,Fr 15:30-19:00; PH off"]
    assert again.offers[0].phone == "+41 22 418 99 00"
    # The French profile refuses the same file, row by row.
    done = kiosk("site", "import", str(out), "--out", str(tmp_path / "fr.yaml"))
    assert done.returncode == 1
    assert "code_postal '1207' is not five digits" in done.stderr


def test_the_french_schema_is_unchanged_by_the_swiss_profile() -> None:
    assert FRANCE.schema() == json.loads(SCHEMA.read_text())
    assert SWITZERLAND.phone_display("022 418 99 00") == "+41 22 418 99 00"
    assert FRANCE.phone_display("+41224189900") is None


@pytest.mark.slow  # runs the kiosk command in a process
def test_data_inclusion_services_through_the_standards_models(tmp_path: Path) -> None:
    service = {
        "source": "dora", "structure_id": "dora--s1", "id": "dora--atelier-1",
        "nom": "Atelier numérique", "description": "Prendre en main son smartphone.",
        "date_maj": "2025-02-14", "type": "atelier", "frais": "gratuit",
        "thematiques": ["numerique--maitriser-les-fondamentaux-du-numerique"],
        "modes_mobilisation": ["se-presenter"],
    }
    services = [
        service,
        {**service, "id": "dora--emploi", "thematiques": ["trouver-un-emploi"]},
        {**service, "id": "dora--broken", "code_postal": "7501", "date_maj": "hier",
         "horaires_accueil": "Mo-Fr 9-12"},
        {**service, "id": "dora--wifi", "type": None,
         "thematiques": ["numerique--acceder-a-une-connexion-internet"],
         "horaires_accueil": "Mo-Fr 09:00-12:00"},
    ]
    structures = [{"source": "dora", "id": "dora--s1", "nom": "Centre social Le Tournesol",
                   "date_maj": "2025-02-14", "siret": "13003013300016", "commune": "Lyon",
                   "code_postal": "69001", "adresse": "1 rue de la Paix",
                   "telephone": "+33 4 72 10 30 30", "horaires_accueil": "Tu 14:00-17:00"}]
    rows = [(i, r) for i, r in enumerate(services, start=1)]
    found = datainclusion.import_rows(rows, tmp_path / "services.json", lmn.Target(FRANCE),
                                      structure_rows=[(1, structures[0])])
    assert [o["id"] for o in found.offers] == ["dora-atelier-1", "dora-wifi"]
    assert found.filtered_out == 1  # not a digital service
    atelier, wifi = found.offers
    assert atelier["formats"] == ["group"] and atelier["pathways"] == ["first_steps", "workshops"]
    assert atelier["hours"] == "Tu 14:00-17:00"  # the structure's, as the standard says
    assert atelier["place"] == "Centre social Le Tournesol" and not atelier["appointment"]
    assert wifi["needs"] == ["connectivity"] and wifi["hours"] == "Mo-Fr 09:00-12:00"
    messages = [str(p) for p in found.problems]
    assert all(m.startswith(f"{tmp_path / 'services.json'}:3: ") for m in messages)
    assert any(m.split(": ", 1)[1].startswith("date_maj:") for m in messages)
    Site.model_validate({"id": "s", "name": {"fr": "S", "en": "S"}, "region": "FR",
                         "offers": found.offers})
    # The same through the command, with the structures file.
    (tmp_path / "services.json").write_text(json.dumps(services), encoding="utf-8")
    (tmp_path / "structures.json").write_text(json.dumps(structures), encoding="utf-8")
    done = kiosk("site", "import", str(tmp_path / "services.json"), "--format", "data-inclusion",
                 "--structures", str(tmp_path / "structures.json"), "--out",
                 str(tmp_path / "lyon.yaml"), "--commune", "Lyon")
    assert done.returncode == 0 and "Traceback" not in done.stderr
    assert done.stderr.startswith(f"{tmp_path / 'services.json'}:3: ")
    assert [o.id for o in load_model(tmp_path / "lyon.yaml", Site).offers] == [
        "dora-atelier-1", "dora-wifi"]


def test_rows_of_a_json_file_are_its_records(tmp_path: Path) -> None:
    source = tmp_path / "places.json"
    source.write_text(json.dumps({"items": [{"id": "a"}, {"id": "b"}]}), encoding="utf-8")
    assert [n for n, _ in read_rows(source)] == [1, 2]


@pytest.mark.slow  # runs the kiosk command in a process
def test_validate_and_run_place_a_wrong_opening_hours_on_its_line(tmp_path: Path) -> None:
    site_file = tmp_path / "geneve.yaml"
    geneva = (paths.questionnaires_dir() / "sites" / "geneve.yaml").read_text(encoding="utf-8")
    site_file.write_text(geneva.replace('"We,Fr 15:30-19:00; PH off"', '"We,Fr 15h30-19h"'),
                         encoding="utf-8")
    line = next(i for i, text in enumerate(site_file.read_text().splitlines(), start=1)
                if "15h30" in text)
    for command in (("validate", str(site_file)), ("run", "--site", str(site_file))):
        done = kiosk(*command)
        assert done.returncode == 1 and "Traceback" not in done.stderr
        assert done.stderr.startswith(f"{site_file}:{line}: 'offers.1.hours': 'We,Fr 15h30-19h' "
                                      "is not OpenStreetMap opening_hours (at column 7: expected")
    ok = kiosk("validate", str(paths.questionnaires_dir() / "sites" / "geneve.yaml"))
    assert ok.returncode == 0 and "6 offers (3 marked as examples)" in ok.stdout


@settings(max_examples=150, deadline=None)
@given(
    field=st.sampled_from(lmn.FIELDS),
    value=st.one_of(st.text(max_size=40), st.sampled_from(
        ["", "|", ";", "Mo-Fr", "24/7", "PH off", "Gratuit;Payant", "+41 22 418 99 00",
         "W123456789", "2024-13-40", "Se présenter", "Ce lieu n'accueille pas de public"])),
)
def test_any_single_mutation_is_imported_or_reported_never_raised(field: str, value: str) -> None:
    base = next(csv.DictReader(EXAMPLE.open(encoding="utf-8")))
    found = lmn.import_rows([(2, {**base, field: value})], EXAMPLE, lmn.Target(FRANCE))
    assert len(found.offers) + bool(found.problems) >= 1
    assert all(str(p).startswith(f"{EXAMPLE}:2: ") for p in found.problems)
    Site.model_validate({"id": "s", "name": {"fr": "S", "en": "S"}, "region": "FR",
                         "offers": found.offers})
