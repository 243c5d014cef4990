"""What an offer card and the take-away say: labels, languages by name, samples marked."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime

from kiosk.offer_text import languages_text, name_text, terms_text, week_text, when_text
from kiosk.site import Site
from kiosk.words import words

TUESDAY = datetime(2026, 11, 24, 13, 0)


def test_an_online_offer_has_no_walk_in_or_appointment_label(geneva: Site) -> None:
    offers = {o.id: o for o in geneva.offers}
    pix = offers["pix"]
    for language in ("fr", "en"):
        terms = terms_text(pix, language)
        assert "rendez-vous" not in terms and "appointment" not in terms
    assert terms_text(pix, "fr") == "Gratuit · Langues : français et anglais"
    gauche = offers["permanence-rive-gauche"]
    assert terms_text(gauche, "fr") == "Gratuit · Sans rendez-vous · Langue : français"


def test_languages_are_named_in_the_visitors_language() -> None:
    assert languages_text(["fr", "en"], "fr") == "Langues : français et anglais"
    assert languages_text(["fr", "en"], "en") == "Languages: French and English"
    assert languages_text(["de"], "fr") == "Langue : allemand"


def test_samples_are_marked_and_get_no_invented_date(geneva: Site) -> None:
    offers = {o.id: o for o in geneva.offers}
    library = offers["internet-bibliotheques"]
    assert name_text(library, "fr") == "Internet gratuit en bibliothèque (exemple)"
    assert name_text(library, "en") == "Free internet at the library (example)"
    assert when_text(library, geneva.where, TUESDAY, "fr") == "Horaires à vérifier (exemple)"
    assert week_text(library, geneva.where, TUESDAY.date(), "fr") == ""
    talks = offers["conferences-permanences"]
    assert when_text(talks, geneva.where, TUESDAY, "fr") == "Dates et horaires à demander : appelez"
    for offer in (o for o in geneva.offers if o.example):  # no date anywhere, any day
        for day in range(24, 31):
            said = when_text(offer, geneva.where, TUESDAY.replace(day=day), "fr")
            said += week_text(offer, geneva.where, TUESDAY.replace(day=day).date(), "fr")
            assert not any(month in said for month in ("novembre", "décembre", "2026"))
    assert name_text(offers["permanence-rive-gauche"], "fr") == "Permanence numérique Rive gauche"


def test_costs_say_the_fees_unless_the_site_says_more(geneva: Site) -> None:
    offers = {o.id: o for o in geneva.offers}
    devices = offers["appareils-reconditionnes"]
    assert terms_text(devices, "en").startswith("Low price, depending on income · ")
    assert terms_text(offers["permanence-rive-droite"], "en").startswith("Free · ")


def test_the_core_words_are_complete_and_the_core_imports_no_ui() -> None:
    assert words().missing(["fr", "en"]) == []
    code = ("import sys, kiosk.offers, kiosk.takeaway, kiosk.hours, kiosk.offer_text, "
            "kiosk.opendata.lmn, kiosk.opendata.datainclusion; "
            "print(sorted(m for m in sys.modules if m.startswith(('textual', 'kiosk.ui'))))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, timeout=60)
    assert done.stdout.strip() == "[]"
