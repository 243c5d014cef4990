"""What an offer card and the take-away say: labels, languages by name, samples marked."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime

from kiosk import paths
from kiosk.bank.loader import load_model
from kiosk.offer_text import languages_text, name_text, terms_text, week_text, when_text
from kiosk.offers import ShownOffer
from kiosk.site import Site
from kiosk.ui.widgets.offers import offer_lines
from kiosk.words import words

GENEVA = load_model(paths.questionnaires_dir() / "sites" / "geneve.yaml", Site)
OFFERS = {o.id: o for o in GENEVA.offers}
TUESDAY = datetime(2026, 11, 24, 13, 0)


def test_an_online_offer_has_no_walk_in_or_appointment_label() -> None:
    pix = OFFERS["pix"]
    for language in ("fr", "en"):
        terms = terms_text(pix, language)
        assert "rendez-vous" not in terms and "appointment" not in terms
    assert terms_text(pix, "fr") == "Gratuit · Langues : français et anglais"
    gauche = OFFERS["permanence-rive-gauche"]
    assert terms_text(gauche, "fr") == "Gratuit · Sans rendez-vous · Langue : français"


def test_languages_are_named_in_the_visitors_language() -> None:
    assert languages_text(["fr", "en"], "fr") == "Langues : français et anglais"
    assert languages_text(["fr", "en"], "en") == "Languages: French and English"
    assert languages_text(["de"], "fr") == "Langue : allemand"


def test_samples_are_marked_and_get_no_invented_date() -> None:
    library = OFFERS["internet-bibliotheques"]
    assert name_text(library, "fr") == "Internet gratuit en bibliothèque (exemple)"
    assert name_text(library, "en") == "Free internet at the library (example)"
    assert when_text(library, GENEVA.where, TUESDAY, "fr") == "Horaires à vérifier (exemple)"
    assert week_text(library, GENEVA.where, TUESDAY.date(), "fr") == ""
    talks = OFFERS["conferences-permanences"]
    assert when_text(talks, GENEVA.where, TUESDAY, "fr") == "Dates et horaires à demander : appelez"
    for offer in GENEVA.offers:
        shown = ShownOffer(offer, when_text(offer, GENEVA.where, TUESDAY, "fr"), "", (), (), True)
        card = offer_lines(shown, "fr")
        assert not any("2026" in line or "décembre" in line for line in card)
    assert name_text(OFFERS["permanence-rive-gauche"], "fr") == "Permanence numérique Rive gauche"


def test_costs_say_the_fees_unless_the_site_says_more() -> None:
    devices = OFFERS["appareils-reconditionnes"]
    assert terms_text(devices, "en").startswith("Low price, depending on income · ")
    assert terms_text(OFFERS["permanence-rive-droite"], "en").startswith("Free · ")


def test_the_core_words_are_complete_and_the_core_imports_no_ui() -> None:
    assert words().missing(["fr", "en"]) == []
    code = ("import sys, kiosk.offers, kiosk.takeaway, kiosk.hours, kiosk.offer_text, "
            "kiosk.opendata.lmn, kiosk.opendata.datainclusion; "
            "print(sorted(m for m in sys.modules if m.startswith(('textual', 'kiosk.ui'))))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, timeout=60)
    assert done.stdout.strip() == "[]"
