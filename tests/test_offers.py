"""Which offers a result shows, and site files that cannot be used."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from kiosk import paths
from kiosk.datafile import DataFileError, load_model
from kiosk.offers import Visitor, choose_offers, weak_domains
from kiosk.routing import Decision
from kiosk.site import Site

SITES = paths.questionnaires_dir() / "sites"
MON = datetime(2026, 11, 23, 13, 0)


def site(offers: list[dict[str, object]]) -> Site:
    return Site.model_validate({"id": "t", "name": {"fr": "T", "en": "T"}, "offers": offers})


def offer(ident: str, **fields: object) -> dict[str, object]:
    return {"id": ident, "name": {"fr": ident, "en": ident}, "phone": "+41 00",
            "pathways": ["workshops"], "languages": ["fr"],
            "fees": ["free"], **fields}


def ids(shown: list) -> list[str]:
    return [s.offer.id for s in shown]


WORKSHOPS = Decision("workshops", (), ())


def test_the_visitors_language_comes_first() -> None:
    s = site([offer("fr-only"), offer("english", languages=["fr", "en"])])
    assert ids(choose_offers(s, WORKSHOPS, {}, Visitor("en"), MON)) == ["english", "fr-only"]
    assert ids(choose_offers(s, WORKSHOPS, {}, Visitor("fr"), MON)) == ["fr-only", "english"]


def test_open_sooner_and_weak_domains_rank_higher() -> None:
    thursday, today = "Th 09:00-12:00", "Mo 14:00-16:00"
    s = site([offer("thursday", hours=thursday, domains=["devices"]), offer("today", hours=today),
              offer("safety-thursday", hours=thursday, domains=["safety", "procedures"])])
    levels = {"safety": 0, "procedures": 1, "devices": 3}
    shown = choose_offers(s, WORKSHOPS, levels, Visitor("fr"), MON)
    assert ids(shown) == ["today", "safety-thursday", "thursday"]
    assert shown[1].weak_domains == ("safety", "procedures")
    assert shown[0].when == "Ouvert aujourd'hui, 14:00\u2009–\u200916:00"


def test_an_access_need_gets_its_own_offer_and_others_stay_out() -> None:
    s = site([offer("a"), offer("b"), offer("c"), offer("devices", pathways=[],
                                                        needs=["equipment"]),
              offer("other-pathway", pathways=["autonomy"])])
    shown = choose_offers(s, Decision("workshops", ("equipment",), ()), {}, Visitor("fr"), MON)
    assert ids(shown) == ["a", "devices", "b"]
    assert shown[1].for_needs == ("equipment",)
    assert "other-pathway" not in ids(choose_offers(s, WORKSHOPS, {}, Visitor("fr"), MON, limit=5))


def test_no_offer_for_the_pathway_falls_back_to_orientation() -> None:
    s = site([offer("desk", pathways=["orientation"]), offer("talks", pathways=["autonomy"])])
    first_steps = Decision("first_steps", (), ())
    assert ids(choose_offers(s, first_steps, {}, Visitor("fr"), MON)) == ["desk"]


def test_weak_domains_weakest_first() -> None:
    assert weak_domains({"devices": 3, "safety": 1, "documents": 0}) == ("documents", "safety")


def test_shipped_site_files_are_valid() -> None:
    for name in ("example.yaml", "geneve.yaml", "template.yaml"):
        loaded = load_model(SITES / name, Site)
        assert loaded.offers


def test_geneva_permanences_match_the_press_release() -> None:
    geneva = load_model(SITES / "geneve.yaml", Site)
    gauche, droite = geneva.offers[0], geneva.offers[1]
    assert str(gauche.address) == "Rue de la Terrassière 9, 1207 Genève"
    assert gauche.phone == "+41 22 418 99 00" and droite.phone == "+41 58 776 75 00"
    assert droite.hours == "We,Fr 15:30-19:00; PH off"
    assert not gauche.appointment and gauche.fees == ["free"]
    assert not gauche.example and not droite.example


@pytest.mark.parametrize(
    ("hours", "column"),
    [
        ("Tu,Th 12:30-16:00; PH of", 23),
        ("Tu 12:30-16h", 10),
        ("mardi 12:30-16:00", 4),  # "mar" reads as March: the error comes after it
    ],
)
def test_bad_hours_name_the_line_and_the_librarys_words(
    tmp_path: Path, hours: str, column: int
) -> None:
    path = tmp_path / "site.yaml"
    path.write_text(
        "id: s\nname: {fr: S, en: S}\noffers:\n  - id: o\n    name: {fr: O, en: O}\n"
        "    phone: '+41'\n    pathways: [assisted]\n    languages: [fr]\n"
        f"    fees: [free]\n    hours: \"{hours}\"\n",
        encoding="utf-8",
    )
    with pytest.raises(DataFileError) as caught:
        load_model(path, Site)
    problem = caught.value.problems[0]
    assert problem.line == 10
    assert "is not OpenStreetMap opening_hours" in problem.message
    assert f"at column {column}: expected" in problem.message


def test_a_ph_rule_the_canton_cannot_reach_is_reported_on_its_line(tmp_path: Path) -> None:
    path = tmp_path / "site.yaml"
    path.write_text(
        "id: s\nname: {fr: S, en: S}\nregion: CH-GE\noffers:\n  - id: o\n"
        "    name: {fr: O, en: O}\n    phone: '+41'\n    pathways: [assisted]\n"
        "    languages: [fr]\n    fees: [free]\n    hours: \"Mo-Fr 10:00-12:00; Jul-Aug PH off\"\n"
        "    address: {street: Rue 1, postcode: '12070', city: Genève}\n",
        encoding="utf-8",
    )
    with pytest.raises(DataFileError) as caught:
        load_model(path, Site)
    found = {p.line: p.message for p in caught.value.problems}
    assert "PH at the start of a rule" in found[11]
    assert "'12070' is not a postcode of CH-GE: write four digits" in found[12]


def test_an_unknown_region_says_how_to_write_one(tmp_path: Path) -> None:
    path = tmp_path / "site.yaml"
    path.write_text("id: s\nname: {fr: S, en: S}\nregion: CH-XX\n", encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load_model(path, Site)
    assert caught.value.problems[0].line == 3
    assert "'XX' is not a subdivision of CH" in caught.value.problems[0].message


def test_one_to_one_or_group_preference_and_what_the_place_can_handle() -> None:
    s = site([offer("workshop", formats=["group"], hours="Mo 14:00-16:00"),
              offer("desk", formats=["individual"], hours="Th 09:00-12:00"),
              offer("deaf-friendly", formats=["group"], supports=["deafness"],
                    hours="Th 09:00-12:00")])
    assert ids(choose_offers(s, WORKSHOPS, {}, Visitor("fr"), MON))[0] == "workshop"
    one_to_one = Visitor.from_answers("fr", {"help_preference": "individual"})
    assert one_to_one.preference == "individual"
    assert ids(choose_offers(s, WORKSHOPS, {}, one_to_one, MON))[0] == "desk"
    group = Visitor.from_answers("fr", {"help_preference": "group"})
    assert ids(choose_offers(s, WORKSHOPS, {}, group, MON))[:2] == ["workshop", "deaf-friendly"]
    deaf = Visitor.from_answers("fr", {"help_preference": "either", "support": "deafness"})
    assert deaf.preference is None
    assert ids(choose_offers(s, WORKSHOPS, {}, deaf, MON))[0] == "deaf-friendly"


def test_a_place_working_with_other_languages_comes_before_one_that_does_not() -> None:
    s = site([offer("plain"), offer("interpreters", supports=["other_languages"])])
    assert ids(choose_offers(s, WORKSHOPS, {}, Visitor("en"), MON)) == ["interpreters", "plain"]


def test_a_missing_translation_in_a_site_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "site.yaml"
    path.write_text("id: s\nname: {fr: S}\n", encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load_model(path, Site)
    assert "missing translation(s): en" in caught.value.problems[0].message
    assert caught.value.problems[0].line == 2
