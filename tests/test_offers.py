"""Which offers a result shows, and site files that cannot be used."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from kiosk import paths
from kiosk.datafile import DataFileError, load_model
from kiosk.offers import choose_offers, weak_domains
from kiosk.routing import Decision
from kiosk.site import Site

SITES = paths.questionnaires_dir() / "sites"
MON = datetime(2026, 11, 23, 13, 0)


def site(offers: list[dict[str, object]]) -> Site:
    return Site.model_validate({"id": "t", "name": {"fr": "T", "en": "T"}, "offers": offers})


def offer(ident: str, **fields: object) -> dict[str, object]:
    return {"id": ident, "name": {"fr": ident, "en": ident}, "phone": "+41 00",
            "pathways": ["workshops"], "languages": ["fr"],
            "cost": {"fr": "Gratuit", "en": "Free"}, **fields}


def ids(shown: list) -> list[str]:
    return [s.offer.id for s in shown]


WORKSHOPS = Decision("workshops", (), ())


def test_the_visitors_language_comes_first() -> None:
    s = site([offer("fr-only"), offer("english", languages=["fr", "en"])])
    assert ids(choose_offers(s, WORKSHOPS, {}, "en", MON)) == ["english", "fr-only"]
    assert ids(choose_offers(s, WORKSHOPS, {}, "fr", MON)) == ["fr-only", "english"]


def test_open_sooner_and_weak_domains_rank_higher() -> None:
    thursday = {"weekly": [{"days": ["thu"], "from": "09:00", "to": "12:00"}]}
    today = {"weekly": [{"days": ["mon"], "from": "14:00", "to": "16:00"}]}
    s = site([offer("thursday", hours=thursday, domains=["devices"]), offer("today", hours=today),
              offer("safety-thursday", hours=thursday, domains=["safety", "procedures"])])
    shown = choose_offers(s, WORKSHOPS, {"safety": 0, "procedures": 1, "devices": 3}, "fr", MON)
    assert ids(shown) == ["today", "safety-thursday", "thursday"]
    assert shown[1].weak_domains == ("safety", "procedures")
    assert shown[0].when == "Ouvert aujourd'hui de 14h à 16h"


def test_an_access_need_gets_its_own_offer_and_others_stay_out() -> None:
    s = site([offer("a"), offer("b"), offer("c"), offer("devices", pathways=[],
                                                        needs=["equipment"]),
              offer("other-pathway", pathways=["autonomy"])])
    shown = choose_offers(s, Decision("workshops", ("equipment",), ()), {}, "fr", MON)
    assert ids(shown) == ["a", "devices", "b"]
    assert shown[1].for_needs == ("equipment",)
    assert "other-pathway" not in ids(choose_offers(s, WORKSHOPS, {}, "fr", MON, limit=5))


def test_no_offer_for_the_pathway_falls_back_to_orientation() -> None:
    s = site([offer("desk", pathways=["orientation"]), offer("talks", pathways=["autonomy"])])
    assert ids(choose_offers(s, Decision("first_steps", (), ()), {}, "fr", MON)) == ["desk"]


def test_weak_domains_weakest_first() -> None:
    assert weak_domains({"devices": 3, "safety": 1, "documents": 0}) == ("documents", "safety")


def test_shipped_site_files_are_valid() -> None:
    for name in ("example.yaml", "geneve.yaml", "template.yaml"):
        loaded = load_model(SITES / name, Site)
        assert loaded.offers


def test_geneva_permanences_match_the_press_release() -> None:
    geneva = load_model(SITES / "geneve.yaml", Site)
    gauche, droite = geneva.offers[0], geneva.offers[1]
    assert gauche.address == "Rue de la Terrassière 9, 1207 Genève"
    assert gauche.phone == "+41 22 418 99 00" and droite.phone == "+41 58 776 75 00"
    assert droite.hours is not None and droite.hours.weekly[0].days == ["wed", "fri"]
    assert not gauche.appointment and gauche.cost.get("fr") == "Gratuit"
    assert not gauche.example and not droite.example


@pytest.mark.parametrize(
    ("snippet", "message"),
    [
        ("{days: [tue], from: 12:30, to: \"16:00\"}", "write times in quotes"),
        ("{days: [tue], from: \"16:00\", to: \"12:30\"}", "'to' must be after 'from'"),
        ("{days: [tuesday], from: \"12:30\", to: \"16:00\"}", "cannot be 'tuesday'"),
    ],
)
def test_bad_hours_name_the_line_and_the_fix(tmp_path: Path, snippet: str, message: str) -> None:
    path = tmp_path / "site.yaml"
    path.write_text(
        "id: s\nname: {fr: S, en: S}\noffers:\n  - id: o\n    name: {fr: O, en: O}\n"
        "    phone: '+41'\n    pathways: [assisted]\n    languages: [fr]\n"
        "    cost: {fr: Gratuit, en: Free}\n    hours:\n      weekly:\n"
        f"        - {snippet}\n",
        encoding="utf-8",
    )
    with pytest.raises(DataFileError) as caught:
        load_model(path, Site)
    problem = caught.value.problems[0]
    assert problem.line == 12 and message in problem.message


def test_a_missing_translation_in_a_site_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "site.yaml"
    path.write_text("id: s\nname: {fr: S}\n", encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load_model(path, Site)
    assert "missing translation(s): en" in caught.value.problems[0].message
    assert caught.value.problems[0].line == 2
